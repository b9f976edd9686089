//! Open data (issue #7): OCDS releases and records read from the database, a paged release feed
//! in date order, and a streamed JSON Lines export of every record in bounded memory.
//!
//! The releases themselves are built by `domain::ocds` from facts loaded here, a page of
//! processes at a time with a fixed number of queries per page.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::evaluation::{lot_outcome_at_opening, LotOpening};
use crate::domain::money::Money;
use crate::domain::ocds::{self, *};
use crate::domain::sme::SizeClass;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::{
    award, bid_opening, contract, contract_amendment, milestone, opened_bid, organisation, payment,
    tender, tender_clarification, tender_lot,
};
use crate::services::AppState;

/// What the open data is published as: the ocid prefix and the site's public address.
#[derive(Clone, Debug)]
pub struct OpenData {
    pub ocid_prefix: String,
    /// Without a trailing slash, e.g. `https://fairtender.example.cn`.
    pub base_url: String,
    /// How many release or record packages are built at once ([`OpenData::permits_for`]).
    pub permits: Arc<tokio::sync::Semaphore>,
}

/// Packages built at once. Each page of the feed holds the facts and releases of up to 100
/// processes (a few MB) and is CPU work throughout: more at once than there are cores only
/// multiplies the memory held and every client's wait (issue #8: 64 concurrent feed requests
/// took the heap from 43 to 308 MB and each took 64 times as long). The others queue, in order.
pub const CONCURRENT_PACKAGES: usize = 2;

/// How long a package request waits for its turn ([`CONCURRENT_PACKAGES`]) before it is told to
/// come back later.
pub const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

impl OpenData {
    pub fn new(ocid_prefix: String, base_url: String) -> OpenData {
        OpenData {
            ocid_prefix,
            base_url,
            permits: Arc::new(tokio::sync::Semaphore::new(CONCURRENT_PACKAGES)),
        }
    }

    /// Waits for a turn to build a package: they queue, in order, for up to [`QUEUE_WAIT`];
    /// past it the request is answered 503 with a retry hint rather than left to the server's
    /// 30-second limit (issue #9).
    async fn turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ApiError> {
        match tokio::time::timeout(QUEUE_WAIT, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => {
                tracing::error!("the open-data permits were closed");
                Err(ApiError::App(AppError::Internal { request_id: None }))
            }
            Err(_) => {
                tracing::warn!("open-data request waited {QUEUE_WAIT:?} for a turn; refused");
                Err(ApiError::App(AppError::Unavailable))
            }
        }
    }

    fn publisher(&self) -> Publisher {
        Publisher {
            name: "fairtender 公平招标".into(),
            uri: Some(self.base_url.clone()),
        }
    }
}

/// Tenders per page of the export and of record loading.
pub const PAGE: u64 = 200;
/// The release feed's page size: default and largest.
pub const FEED_DEFAULT_LIMIT: u64 = 100;
pub const FEED_MAX_LIMIT: u64 = 500;

// ---------------------------------------------------------------------------------------------
// Loading processes
// ---------------------------------------------------------------------------------------------

/// The processes (published tenders) with these ids, with every fact their releases need, in
/// the order asked. Drafts and unknown ids are left out.
pub async fn load_processes(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Vec<Process>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let tenders = tender::Entity::find()
        .filter(tender::Column::Id.is_in(ids.iter().copied()))
        .filter(tender::Column::PublishedAt.lte(now))
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = tenders.iter().map(|t| t.id).collect();
    let lots = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.is_in(ids.clone()))
        .order_by_asc(tender_lot::Column::Position)
        .all(conn)
        .await?;
    let clarifications = tender_clarification::Entity::find()
        .filter(tender_clarification::Column::TenderId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let openings = bid_opening::Entity::find()
        .filter(bid_opening::Column::TenderId.is_in(ids.clone()))
        .all(conn)
        .await?;
    // The opening's counts only: who bid and at what size, never content or price.
    let opened: Vec<(Uuid, Uuid, Uuid, Uuid, Option<String>)> = opened_bid::Entity::find()
        .select_only()
        .column(opened_bid::Column::Id)
        .column(opened_bid::Column::TenderId)
        .column(opened_bid::Column::LotId)
        .column(opened_bid::Column::OrganisationId)
        .column(opened_bid::Column::SizeClass)
        .filter(opened_bid::Column::TenderId.is_in(ids.clone()))
        .into_tuple()
        .all(conn)
        .await?;
    let awards = award::Entity::find()
        .filter(award::Column::TenderId.is_in(ids.clone()))
        .order_by_asc(award::Column::DecidedAt)
        .all(conn)
        .await?;
    let contracts = contract::Entity::find()
        .filter(contract::Column::TenderId.is_in(ids.clone()))
        .order_by_asc(contract::Column::SignedAt)
        .all(conn)
        .await?;
    let contract_ids: Vec<Uuid> = contracts.iter().map(|c| c.id).collect();
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::ContractId.is_in(contract_ids.clone()))
        .order_by_asc(milestone::Column::Position)
        .all(conn)
        .await?;
    let milestone_contract: HashMap<Uuid, Uuid> =
        milestones.iter().map(|m| (m.id, m.contract_id)).collect();
    let payments = payment::Entity::find()
        .filter(payment::Column::MilestoneId.is_in(milestone_contract.keys().copied()))
        .order_by_asc(payment::Column::RecordedAt)
        .all(conn)
        .await?;
    let amendments = contract_amendment::Entity::find()
        .filter(contract_amendment::Column::ContractId.is_in(contract_ids))
        .all(conn)
        .await?;
    let org_ids: HashSet<Uuid> = tenders
        .iter()
        .map(|t| t.agency_id)
        .chain(awards.iter().map(|a| a.organisation_id))
        .chain(contracts.iter().map(|c| c.supplier_id))
        .collect();
    let orgs: HashMap<Uuid, Org> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.id,
                Org {
                    id: o.id,
                    name: o.name,
                    credit_code: o.credit_code,
                },
            )
        })
        .collect();
    let org = |id: Uuid| {
        orgs.get(&id).cloned().unwrap_or(Org {
            id,
            name: String::new(),
            credit_code: None,
        })
    };
    let size_of_bid: HashMap<Uuid, Option<SizeClass>> = opened
        .iter()
        .map(|(id, _, _, _, size)| (*id, size.as_deref().and_then(SizeClass::parse)))
        .collect();

    let mut out = Vec::with_capacity(tenders.len());
    for t in tenders {
        let Some(published_at) = t.published_at else {
            continue;
        };
        let tender_lots: Vec<&tender_lot::Model> =
            lots.iter().filter(|l| l.tender_id == t.id).collect();
        let opening = openings.iter().find(|o| o.tender_id == t.id).map(|o| {
            let bids: Vec<_> = opened.iter().filter(|b| b.1 == t.id).collect();
            OpeningFacts {
                opened_at: o.opened_at,
                tenderers: bids.iter().map(|b| b.3).collect::<HashSet<_>>().len(),
                lots: tender_lots
                    .iter()
                    .map(|l| {
                        let on_lot: Vec<_> = bids.iter().filter(|b| b.2 == l.id).collect();
                        let sme = on_lot
                            .iter()
                            .filter(|b| {
                                b.4.as_deref()
                                    .and_then(SizeClass::parse)
                                    .is_some_and(SizeClass::is_sme)
                            })
                            .count();
                        let reserved = l.reserved_for_sme || t.reserved_whole == Some(true);
                        LotOpeningFacts {
                            lot_id: l.id,
                            bids: on_lot.len(),
                            sme_bids: sme,
                            failed: lot_outcome_at_opening(on_lot.len(), sme, reserved)
                                == LotOpening::Failed,
                        }
                    })
                    .collect(),
            }
        });
        let process_contracts = contracts
            .iter()
            .filter(|c| c.tender_id == t.id)
            .map(|c| ContractFacts {
                id: c.id,
                lot_id: c.lot_id,
                supplier: org(c.supplier_id),
                value: Money::from_fen(c.value_fen).amount(),
                signed_at: c.signed_at,
                milestones: milestones
                    .iter()
                    .filter(|m| m.contract_id == c.id)
                    .map(|m| MilestoneFacts {
                        id: m.id,
                        deliverable: m.deliverable.clone(),
                        planned_on: m.planned_on,
                        accepted_at: m.accepted_at,
                    })
                    .collect(),
                amendments: amendments
                    .iter()
                    .filter(|a| a.contract_id == c.id)
                    .map(amendment_facts)
                    .collect(),
                payments: payments
                    .iter()
                    .filter(|p| milestone_contract.get(&p.milestone_id) == Some(&c.id))
                    .map(|p| PaymentFacts {
                        id: p.id,
                        amount: Money::from_fen(p.amount_fen).amount(),
                        paid_on: p.paid_on,
                        recorded_at: p.recorded_at,
                    })
                    .collect(),
            })
            .collect();
        out.push(Process {
            id: t.id,
            title: t.title.clone(),
            description: t.description.clone(),
            category: t.category.clone(),
            method: t.method.clone(),
            evaluation_method: t.evaluation_method.clone(),
            budget: Money::from_fen(t.budget_fen).amount(),
            published_at,
            deadline: t.bid_deadline,
            cancelled: t
                .cancelled_at
                .map(|at| (at, t.cancel_reason.clone().unwrap_or_default())),
            agency: org(t.agency_id),
            lots: tender_lots
                .iter()
                .map(|l| LotFacts {
                    id: l.id,
                    title: l.title.clone(),
                    budget: Money::from_fen(l.budget_fen).amount(),
                })
                .collect(),
            clarifications: clarifications
                .iter()
                .filter(|c| c.tender_id == t.id)
                .map(|c| ClarificationFacts {
                    id: c.id,
                    body: c.body.clone(),
                    affects_bids: c.affects_bids,
                    deadline_before: c.deadline_before,
                    deadline_after: c.deadline_after,
                    published_at: c.published_at,
                })
                .collect(),
            opening,
            awards: awards
                .iter()
                .filter(|a| a.tender_id == t.id)
                .map(|a| AwardFacts {
                    lot_id: a.lot_id,
                    supplier: org(a.organisation_id),
                    size_class: size_of_bid.get(&a.opened_bid_id).copied().flatten(),
                    price: Money::from_fen(a.price_fen).amount(),
                    decided_at: a.decided_at,
                })
                .collect(),
            contracts: process_contracts,
        });
    }
    // In the order asked.
    let rank: HashMap<Uuid, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    out.sort_by_key(|p| rank.get(&p.id).copied().unwrap_or(usize::MAX));
    Ok(out)
}

fn amendment_facts(a: &contract_amendment::Model) -> AmendmentFacts {
    let summary: Vec<Text> = serde_json::from_str(&a.changes).unwrap_or_default();
    let changed: Vec<crate::services::contracts::AmendedMilestone> = a
        .milestones
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    AmendmentFacts {
        id: a.id,
        version: a.version,
        reason: a.reason.clone(),
        summary: summary
            .iter()
            .map(|t| t.zh.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        amended_at: a.amended_at,
        milestones: changed
            .into_iter()
            .map(|m| MilestoneChange {
                id: m.id,
                deliverable_before: m.deliverable_before,
                deliverable_after: m.deliverable_after,
                planned_before: m.planned_before,
                planned_after: m.planned_after,
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// The release feed: every event of every public process, in date order.
// ---------------------------------------------------------------------------------------------

/// One event in the feed: when, which kind (the release id's suffix), the row it came from and
/// its process. The feed is ordered by (date, the kind's rank, row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedKey {
    pub date: DateTime<Utc>,
    pub kind: String,
    pub row: Uuid,
    pub tender: Uuid,
}

/// Where the next page starts: the last event of this page (opaque to clients, base64url).
pub fn encode_cursor(key: &FeedKey) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "{}|{}|{}",
        key.date
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        key.kind,
        key.row
    ))
}

/// A cursor read back: the event's instant, its kind's rank and its row.
pub fn decode_cursor(cursor: &str) -> Option<(DateTime<Utc>, usize, Uuid)> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.splitn(3, '|');
    let date = DateTime::parse_from_rfc3339(parts.next()?).ok()?.to_utc();
    let kind = parts.next()?;
    let row = parts.next()?.parse().ok()?;
    KINDS_IN_ORDER
        .contains(&kind)
        .then(|| (date, kind_rank(kind), row))
}

/// The events of public processes, at or after `since`, before `until`, after `after`, at most
/// `limit`, in feed order.
pub async fn feed_keys(
    conn: &impl ConnectionTrait,
    since: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    after: Option<&(DateTime<Utc>, usize, Uuid)>,
    limit: u64,
) -> Result<Vec<FeedKey>, AppError> {
    let backend = conn.get_database_backend();
    let mut values: Vec<sea_orm::Value> = Vec::new();
    let mut param = |v: sea_orm::Value| {
        values.push(v);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_string(),
        }
    };
    // Every public event (a tender counts from its publication), with its kind's rank `n`.
    let rank = |kind: &str| format!("CAST({} AS BIGINT)", kind_rank(kind));
    let events = format!(
        "SELECT published_at AS d, {} AS n, id AS r, id AS t FROM tender \
           WHERE published_at IS NOT NULL \
         UNION ALL SELECT c.published_at, {}, c.id, c.tender_id FROM tender_clarification c \
         UNION ALL SELECT cancelled_at, {}, id, id FROM tender \
           WHERE cancelled_at IS NOT NULL AND published_at IS NOT NULL \
         UNION ALL SELECT opened_at, {}, tender_id, tender_id FROM bid_opening \
         UNION ALL SELECT decided_at, {}, lot_id, tender_id FROM award \
         UNION ALL SELECT signed_at, {}, id, tender_id FROM contract \
         UNION ALL SELECT a.amended_at, {}, a.id, c.tender_id \
           FROM contract_amendment a JOIN contract c ON c.id = a.contract_id \
         UNION ALL SELECT m.accepted_at, {}, m.id, c.tender_id \
           FROM milestone m JOIN contract c ON c.id = m.contract_id \
           WHERE m.accepted_at IS NOT NULL \
         UNION ALL SELECT p.recorded_at, {}, p.id, c.tender_id \
           FROM payment p JOIN milestone m ON m.id = p.milestone_id \
           JOIN contract c ON c.id = m.contract_id",
        rank(release_kind::TENDER),
        rank(release_kind::CLARIFICATION),
        rank(release_kind::CANCELLATION),
        rank(release_kind::OPENING),
        rank(release_kind::AWARD),
        rank(release_kind::CONTRACT),
        rank(release_kind::AMENDMENT),
        rank(release_kind::MILESTONE),
        rank(release_kind::PAYMENT),
    );
    let mut conditions = vec![format!("e.d <= {}", param(until.into()))];
    if let Some(since) = since {
        conditions.push(format!("e.d >= {}", param(since.into())));
    }
    if let Some((date, n, row)) = after {
        let n = *n as i64;
        let (d0, d1, d2, r) = (
            param((*date).into()),
            param((*date).into()),
            param((*date).into()),
            param((*row).into()),
        );
        // `e.d >= d0` says nothing new, but lets the database read the date indexes from the
        // cursor on instead of sorting every later event for each page.
        conditions.push(format!(
            "e.d >= {d0} AND (e.d > {d1} OR (e.d = {d2} AND (e.n > {n} OR (e.n = {n} AND e.r > {r}))))"
        ));
    }
    let sql = format!(
        "SELECT e.d, e.n, e.r, e.t FROM ({events}) e WHERE {} ORDER BY e.d, e.n, e.r LIMIT {limit}",
        conditions.join(" AND ")
    );
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    rows.iter()
        .map(|row| {
            let n: i64 = row.try_get("", "n")?;
            Ok(FeedKey {
                date: row.try_get("", "d")?,
                kind: KINDS_IN_ORDER
                    .get(n as usize)
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                row: row.try_get("", "r")?,
                tender: row.try_get("", "t")?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// The row part of a release id of this kind (none for the once-per-process events).
fn release_row(key: &FeedKey) -> Option<Uuid> {
    match key.kind.as_str() {
        release_kind::TENDER | release_kind::CANCELLATION | release_kind::OPENING => None,
        _ => Some(key.row),
    }
}

/// The releases the feed keys name, in the keys' order.
pub async fn releases_for(
    conn: &impl ConnectionTrait,
    open: &OpenData,
    keys: &[FeedKey],
    now: DateTime<Utc>,
) -> Result<Vec<Release>, AppError> {
    let mut tenders: Vec<Uuid> = keys.iter().map(|k| k.tender).collect();
    tenders.sort();
    tenders.dedup();
    let wanted: HashSet<(Uuid, &str, Option<Uuid>)> = keys
        .iter()
        .map(|k| (k.tender, k.kind.as_str(), release_row(k)))
        .collect();
    let mut by_id: HashMap<String, Release> = HashMap::new();
    for p in load_processes(conn, &tenders, now).await? {
        let of_process = |kind: &str, row: Option<Uuid>| wanted.contains(&(p.id, kind, row));
        for r in ocds::releases_where(&p, &open.ocid_prefix, &of_process) {
            if let Some(id) = r.id.clone() {
                by_id.insert(id, r);
            }
        }
    }
    Ok(keys
        .iter()
        .filter_map(|k| {
            let ocid = ocds::ocid(&open.ocid_prefix, k.tender);
            by_id.remove(&release_id(&ocid, &k.kind, release_row(k)))
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// HTTP: JSON errors that name the parameter, and the OCDS endpoints.
// ---------------------------------------------------------------------------------------------

/// The body of every /api/v1 error.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorDetail {
    /// `bad_parameter`, `not_found`, `rate_limited`, `unavailable`, `internal`.
    #[schema(value_type = String)]
    pub code: &'static str,
    /// The query parameter or path segment to fix, when one is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    pub message: String,
    pub message_zh: String,
}

/// An /api/v1 error as a response: 4xx say what to fix, 5xx say nothing of the cause.
#[derive(Debug)]
pub enum ApiError {
    BadParameter { parameter: String, message: Text },
    NotFound,
    App(AppError),
}

impl ApiError {
    pub fn bad(parameter: &str, zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::BadParameter {
            parameter: parameter.into(),
            message: Text::new(zh.into(), en.into()),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, parameter, message) = match self {
            ApiError::BadParameter { parameter, message } => (
                StatusCode::BAD_REQUEST,
                "bad_parameter",
                Some(parameter),
                message,
            ),
            ApiError::NotFound | ApiError::App(AppError::NotFound) => (
                StatusCode::NOT_FOUND,
                "not_found",
                None,
                Text::new("没有这一项。", "Not found."),
            ),
            ApiError::App(AppError::Unavailable) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                None,
                Text::new(
                    "服务暂时不可用，请稍后重试。",
                    "Temporarily unavailable: retry shortly.",
                ),
            ),
            ApiError::App(e) => {
                tracing::error!(error = %e, "api request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    None,
                    Text::new("服务器内部错误。", "Internal error."),
                )
            }
        };
        let body = ApiErrorBody {
            error: ApiErrorDetail {
                code,
                parameter,
                message: message.en,
                message_zh: message.zh,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

/// The query string as pairs, refusing parameters the route does not know.
pub fn query_params(
    raw: &HashMap<String, String>,
    known: &[&str],
) -> Result<HashMap<String, String>, ApiError> {
    let mut unknown: Vec<&String> = raw
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .collect();
    unknown.sort();
    if let Some(name) = unknown.first() {
        return Err(ApiError::bad(
            name,
            format!("不认识的参数“{name}”；可用：{}。", known.join("、")),
            format!("Unknown parameter \"{name}\"; known: {}.", known.join(", ")),
        ));
    }
    Ok(raw.clone())
}

/// An RFC 3339 date-time or a plain date (the start of that day in China).
pub fn parse_instant(name: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    let value = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.to_utc());
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        if let Some(t) = day.and_hms_opt(0, 0, 0) {
            // The start of that day in China (UTC+8).
            return Ok(t.and_utc() - chrono::Duration::hours(8));
        }
    }
    Err(ApiError::bad(
        name,
        format!("{name} 应为日期（2027-03-01）或带时区的时间（2027-03-01T09:00:00+08:00）。"),
        format!("{name} must be a date (2027-03-01) or a date-time with its offset (2027-03-01T09:00:00+08:00)."),
    ))
}

/// A page size between 1 and `max`.
pub fn parse_limit(value: Option<&String>, default: u64, max: u64) -> Result<u64, ApiError> {
    match value {
        None => Ok(default),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad(
                "limit",
                format!("limit 应为 1 到 {max} 之间的整数。"),
                format!("limit must be a whole number from 1 to {max}."),
            )),
        },
    }
}

/// A JSON response with a strong ETag of its bytes; `304 Not Modified` when the client already
/// has them (If-None-Match).
pub fn json_with_etag(headers: &HeaderMap, body: Vec<u8>, cache_seconds: u32) -> Response {
    use sha2::Digest;
    let etag = format!("\"{}\"", hex::encode(&sha2::Sha256::digest(&body)[..16]));
    let cache = format!("public, max-age={cache_seconds}");
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response()
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&cache) {
        h.insert(header::CACHE_CONTROL, v);
    }
    response
}

fn to_json(value: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|e| {
        tracing::error!(error = %e, "could not write OCDS JSON");
        ApiError::App(AppError::Internal { request_id: None })
    })
}

/// `GET /api/v1/ocds/releases?since=&until=&cursor=&limit=`: a release package of the events
/// in date order, `links.next` (and a `Link` header) pointing at the next page.
pub async fn release_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["since", "until", "cursor", "limit"])?;
    let now = state.clock.now();
    let since = q
        .get("since")
        .map(|v| parse_instant("since", v))
        .transpose()?;
    let until = match q.get("until") {
        Some(v) => parse_instant("until", v)?.min(now),
        None => now,
    };
    let limit = parse_limit(q.get("limit"), FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT)?;
    let after = match q.get("cursor") {
        None => None,
        Some(c) => Some(decode_cursor(c).ok_or_else(|| {
            ApiError::bad(
                "cursor",
                "cursor 无效：请使用上一页 links.next 中的值。",
                "The cursor is not valid: use the value from the previous page's links.next.",
            )
        })?),
    };
    let _turn = state.open_data.turn().await?;
    let keys = feed_keys(&state.db, since, until, after.as_ref(), limit).await?;
    let releases = releases_for(&state.db, &state.open_data, &keys, now).await?;
    let next = (keys.len() as u64 == limit)
        .then(|| keys.last())
        .flatten()
        .map(|last| {
            let mut url = format!(
                "{}/api/v1/ocds/releases?cursor={}&limit={limit}",
                state.open_data.base_url,
                encode_cursor(last)
            );
            for name in ["since", "until"] {
                if let Some(v) = q.get(name) {
                    url.push_str(&format!(
                        "&{name}={}",
                        percent_encoding::utf8_percent_encode(
                            v,
                            percent_encoding::NON_ALPHANUMERIC
                        )
                    ));
                }
            }
            url
        });
    #[derive(Serialize)]
    struct Links {
        #[serde(skip_serializing_if = "Option::is_none")]
        next: Option<String>,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        package: ReleasePackage<'a>,
        links: Links,
    }
    let package = ReleasePackage {
        uri: format!("{}/api/v1/ocds/releases", state.open_data.base_url),
        version: OCDS_VERSION,
        extensions: EXTENSIONS,
        published_date: releases.iter().filter_map(|r| r.date).max().unwrap_or(now),
        publisher: state.open_data.publisher(),
        releases: &releases,
    };
    let body = to_json(&Page {
        package,
        links: Links { next: next.clone() },
    })?;
    let mut response = json_with_etag(&headers, body, 60);
    if let Some(next) =
        next.and_then(|n| HeaderValue::from_str(&format!("<{n}>; rel=\"next\"")).ok())
    {
        response.headers_mut().insert(header::LINK, next);
    }
    Ok(response)
}

/// The process an ocid names, or 404.
async fn process_of(state: &AppState, ocid: &str) -> Result<Process, ApiError> {
    let id = ocds::tender_of_ocid(&state.open_data.ocid_prefix, ocid).ok_or_else(|| {
        ApiError::bad(
            "ocid",
            format!(
                "ocid 应以“{}-”开头，后接招标编号。",
                state.open_data.ocid_prefix
            ),
            format!(
                "An ocid is \"{}-\" followed by a tender id.",
                state.open_data.ocid_prefix
            ),
        )
    })?;
    load_processes(&state.db, &[id], state.clock.now())
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// `GET /api/v1/ocds/releases/{ocid}`: a release package of one process's releases.
pub async fn process_releases(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(ocid): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    let _turn = state.open_data.turn().await?;
    let p = process_of(&state, &ocid).await?;
    let releases = ocds::releases(&p, &state.open_data.ocid_prefix);
    let package = ReleasePackage {
        uri: format!("{}/api/v1/ocds/releases/{ocid}", state.open_data.base_url),
        version: OCDS_VERSION,
        extensions: EXTENSIONS,
        published_date: releases
            .iter()
            .filter_map(|r| r.date)
            .max()
            .unwrap_or(p.published_at),
        publisher: state.open_data.publisher(),
        releases: &releases,
    };
    Ok(json_with_etag(&headers, to_json(&package)?, 60))
}

/// `GET /api/v1/ocds/records/{ocid}`: a record package with the process's record.
pub async fn process_record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(ocid): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    let _turn = state.open_data.turn().await?;
    let p = process_of(&state, &ocid).await?;
    let record = ocds::record(&p, &state.open_data.ocid_prefix);
    let package = RecordPackage {
        uri: format!("{}/api/v1/ocds/records/{ocid}", state.open_data.base_url),
        version: OCDS_VERSION,
        extensions: EXTENSIONS,
        published_date: record.compiled_release.date.unwrap_or(p.published_at),
        publisher: state.open_data.publisher(),
        records: std::slice::from_ref(&record),
    };
    Ok(json_with_etag(&headers, to_json(&package)?, 60))
}

/// The ids of public tenders after `after`, in id order, a page at a time. The primary key
/// serves this walk without a sort, however many tenders there are (ordering by publication
/// date made the database sort the remaining rows for every page: 66 s for 100,000 tenders).
async fn tender_page(
    conn: &impl ConnectionTrait,
    after: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, AppError> {
    let mut q = tender::Entity::find()
        .select_only()
        .column(tender::Column::Id)
        .filter(tender::Column::PublishedAt.lte(now));
    if let Some(id) = after {
        q = q.filter(tender::Column::Id.gt(id));
    }
    Ok(q.order_by_asc(tender::Column::Id)
        .limit(PAGE)
        .into_tuple()
        .all(conn)
        .await?)
}

/// One page of the export: the records of the next `PAGE` public tenders after `after`, one
/// JSON object per line, and the id to continue after (`None` after the last page).
async fn export_page(
    conn: &impl ConnectionTrait,
    prefix: &str,
    after: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(Bytes, Option<Uuid>), AppError> {
    let page = tender_page(conn, after, now).await?;
    let processes = load_processes(conn, &page, now).await?;
    let mut chunk = Vec::with_capacity(processes.len() * 4096);
    for p in &processes {
        let record = ocds::record(p, prefix);
        serde_json::to_writer(&mut chunk, &record).map_err(|e| {
            tracing::error!(error = %e, "could not write an OCDS record");
            AppError::Internal { request_id: None }
        })?;
        chunk.push(b'\n');
    }
    let next = (page.len() as u64 == PAGE)
        .then(|| page.last().copied())
        .flatten();
    Ok((Bytes::from(chunk), next))
}

/// `GET /api/v1/ocds/records.jsonl`: every public process's record, one JSON object per line,
/// streamed a page of processes at a time, so memory stays flat however many there are.
pub async fn bulk_records(State(state): State<AppState>) -> Response {
    use sea_orm::TransactionTrait;
    let now = state.clock.now();
    // One read transaction for the whole export: every record from the same snapshot, and one
    // connection (one worker thread, one page cache) however long it runs. Taking each query
    // from the pool made the export open up to the pool's size of connections, each keeping
    // its own memory (bench/RESULTS.md).
    let txn = match state.db.begin().await {
        Ok(txn) => txn,
        Err(e) => return ApiError::App(e.into()).into_response(),
    };
    let prefix = state.open_data.ocid_prefix.clone();
    let stream = futures_util::stream::unfold(Some((txn, None::<Uuid>)), move |cursor| {
        let prefix = prefix.clone();
        async move {
            let (txn, after) = cursor?;
            match export_page(&txn, &prefix, after, now).await {
                Ok((chunk, next)) => {
                    let rest = match next {
                        Some(last) => Some((txn, Some(last))),
                        None => {
                            // Read only: committing just ends the snapshot.
                            if let Err(e) = txn.commit().await {
                                tracing::warn!(error = %e, "bulk export: ending the read");
                            }
                            None
                        }
                    };
                    if chunk.is_empty() {
                        return None;
                    }
                    Some((Ok::<Bytes, std::io::Error>(chunk), rest))
                }
                Err(e) => {
                    tracing::error!(error = %e, "bulk export stopped");
                    Some((Err(std::io::Error::other("bulk export stopped")), None))
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"fairtender-ocds-records.jsonl\"",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
