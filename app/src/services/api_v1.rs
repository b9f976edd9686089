//! The public JSON API under /api/v1 (issue #7): tenders, lots, awards, contracts and the
//! payment-timeliness statistics, with cursor pagination, ETags, CSV exports, and an OpenAPI 3.1
//! document generated from this code (`utoipa`) at /api/v1/openapi.json.
//!
//! Everything here is public. R-BID-01: no route reads a bid; awards name the winner and the
//! price only once decided.

use std::collections::HashMap;
use std::future::Future;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

use crate::domain::money::Money;
use crate::domain::ocds::{ocid, party_scale};
use crate::domain::sme::SizeClass;
use crate::domain::tender::TenderStatus;
use crate::error::AppError;
use crate::infra::entities::{
    award, contract, milestone, opened_bid, organisation, tender, tender_clarification,
    tender_criterion, tender_lot,
};
use crate::services::ocds::{json_with_etag, parse_limit, query_params, ApiError, ApiErrorBody};
use crate::services::tenders::{search_condition, SearchFilter};
use crate::services::AppState;

/// Items per page: default and largest.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;
/// Rows fetched per step while streaming a CSV export.
const CSV_PAGE: u64 = 500;

// ---------------------------------------------------------------------------------------------
// Response types (the OpenAPI document's schemas)
// ---------------------------------------------------------------------------------------------

/// An exact amount of money: yuan with two decimals, as a string so no client rounds it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Amount {
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$", example = "2850000.00")]
    pub amount: String,
    #[schema(example = "CNY")]
    pub currency: String,
}

impl Amount {
    fn fen(fen: i64) -> Amount {
        Amount {
            amount: format!("{:.2}", Money::from_fen(fen).amount()),
            currency: "CNY".into(),
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

/// A published tender in a list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TenderItem {
    pub id: Uuid,
    /// Its OCDS process id: `/api/v1/ocds/records/{ocid}` has its record.
    pub ocid: String,
    pub title: String,
    pub agency: OrganisationRef,
    /// `goods`, `services` or `works`.
    pub category: String,
    /// `open_tender`, `competitive_consultation`, `competitive_negotiation` or
    /// `request_for_quotation`.
    pub method: String,
    pub region: String,
    pub budget: Amount,
    pub published_at: DateTime<Utc>,
    pub bid_deadline: DateTime<Utc>,
    /// `open` (bids accepted), `closed` (deadline passed) or `cancelled`.
    pub status: String,
    /// Reserved for SMEs, whole (R-SME-01) or in some lots (R-SME-02).
    pub sme_reserved: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TenderPage {
    pub data: Vec<TenderItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Criterion {
    /// `licence`, `certification`, `staff_qualification`, `equipment`, `quality_system`,
    /// `technical_approach`, `delivery_plan` ...
    pub kind: String,
    pub requirement: String,
    /// Points when scored; absent for pass/fail.
    pub points: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Lot {
    pub id: Uuid,
    pub tender_id: Uuid,
    /// From 1.
    pub number: i32,
    pub title: String,
    pub budget: Amount,
    pub reserved_for_sme: bool,
    pub criteria: Vec<Criterion>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Clarification {
    pub published_at: DateTime<Utc>,
    pub body: String,
    /// It can affect bids; the deadline then moved (R-TIME-02).
    pub affects_bids: bool,
    pub deadline_after: DateTime<Utc>,
}

/// One published tender with its lots and clarifications.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TenderDetail {
    pub tender: TenderItem,
    pub description: String,
    /// `comprehensive_scoring` or `lowest_evaluated_price`.
    pub evaluation_method: String,
    pub lots: Vec<Lot>,
    pub clarifications: Vec<Clarification>,
    /// Why it was cancelled, when it was.
    pub cancel_reason: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LotList {
    pub data: Vec<Lot>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AwardItem {
    pub lot_id: Uuid,
    pub tender_id: Uuid,
    pub ocid: String,
    pub lot_title: String,
    pub supplier: OrganisationRef,
    /// `micro`, `sme` or `large`, from the SME declaration that went with the bid (R-SME-04);
    /// absent without one.
    pub supplier_scale: Option<String>,
    pub price: Amount,
    pub decided_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AwardPage {
    pub data: Vec<AwardItem>,
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MilestoneItem {
    pub id: Uuid,
    pub deliverable: String,
    pub amount: Amount,
    pub planned_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// Paid against this milestone so far (interest not included).
    pub paid: Amount,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ContractItem {
    pub id: Uuid,
    pub tender_id: Uuid,
    pub lot_id: Uuid,
    pub ocid: String,
    pub agency: OrganisationRef,
    pub supplier: OrganisationRef,
    pub value: Amount,
    pub signed_at: DateTime<Utc>,
    /// When the agency published the signed contract (R-AWARD-01).
    pub published_at: Option<DateTime<Utc>>,
    /// Days from acceptance to payment (R-PAY-01).
    pub payment_term_days: i32,
    /// 1 when signed; each amendment adds one.
    pub version: i32,
    pub milestones: Vec<MilestoneItem>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ContractPage {
    pub data: Vec<ContractItem>,
    pub next_cursor: Option<String>,
}

/// R-PAY-07 figures for one agency or for all.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TimelinessFigures {
    pub payables: usize,
    pub paid: usize,
    pub paid_on_time: usize,
    pub paid_late: usize,
    /// Paid on time ÷ (paid + overdue), a fraction from 0 to 1 with 4 decimals.
    pub on_time_rate: Option<String>,
    pub median_days_to_pay: Option<String>,
    pub overdue_count: usize,
    pub overdue_value: Amount,
    pub interest_paid: Amount,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AgencyFigures {
    pub agency: OrganisationRef,
    pub figures: TimelinessFigures,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Timeliness {
    pub as_of: NaiveDate,
    /// The year of the due dates covered; absent for all years.
    pub year: Option<i32>,
    pub overall: TimelinessFigures,
    pub agencies: Vec<AgencyFigures>,
}

// ---------------------------------------------------------------------------------------------
// Cursors: (instant, id) of the last item, base64url
// ---------------------------------------------------------------------------------------------

type Key = (DateTime<Utc>, Uuid);

fn encode_cursor((at, id): Key) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "{}|{id}",
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    ))
}

fn decode_cursor(q: &HashMap<String, String>) -> Result<Option<Key>, ApiError> {
    let Some(raw) = q.get("cursor") else {
        return Ok(None);
    };
    let parsed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| {
            let (at, id) = text.split_once('|')?;
            Some((
                DateTime::parse_from_rfc3339(at).ok()?.to_utc(),
                id.parse().ok()?,
            ))
        });
    parsed.map(Some).ok_or_else(|| {
        ApiError::bad(
            "cursor",
            "cursor 无效：请使用上一页返回的 next_cursor。",
            "The cursor is not valid: use the next_cursor of the previous page.",
        )
    })
}

/// Newest first: after `key` means older than it (ties by id, descending).
fn before(at: impl ColumnTrait, id: impl ColumnTrait, key: Option<Key>) -> Condition {
    match key {
        None => Condition::all(),
        Some((t, k)) => Condition::any()
            .add(at.lt(t))
            .add(Condition::all().add(at.eq(t)).add(id.lt(k))),
    }
}

fn page_cursor<T>(items: &[T], limit: u64, key: impl Fn(&T) -> Key) -> Option<String> {
    (items.len() as u64 == limit)
        .then(|| items.last().map(|i| encode_cursor(key(i))))
        .flatten()
}

fn json_response(headers: &HeaderMap, value: &impl Serialize) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(|e| {
        tracing::error!(error = %e, "could not write API JSON");
        ApiError::App(AppError::Internal { request_id: None })
    })?;
    Ok(json_with_etag(headers, body, 30))
}

// ---------------------------------------------------------------------------------------------
// Tenders
// ---------------------------------------------------------------------------------------------

const TENDER_FILTERS: &[&str] = &[
    "q",
    "category",
    "method",
    "province",
    "budget_min",
    "budget_max",
    "sme",
    "status",
    "closes_within",
];

/// The search filters, checked as the search page checks them; `status` defaults to `all`.
fn tender_filter(q: &HashMap<String, String>) -> Result<SearchFilter, ApiError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let query = crate::model::tenders::TenderQuery {
        q: get("q"),
        category: get("category"),
        method: get("method"),
        province: get("province"),
        budget_min: get("budget_min"),
        budget_max: get("budget_max"),
        sme: get("sme"),
        status: q.get("status").cloned().unwrap_or_else(|| "all".into()),
        closes_within: get("closes_within"),
        sort: String::new(),
        page: String::new(),
    };
    SearchFilter::parse(&query).map_err(|errors| {
        let e = &errors[0];
        ApiError::BadParameter {
            parameter: e.field.clone(),
            message: e.message.clone(),
        }
    })
}

fn tender_status(t: &tender::Model, now: DateTime<Utc>) -> &'static str {
    if t.status == TenderStatus::Cancelled.as_str() {
        "cancelled"
    } else if t.bid_deadline > now {
        "open"
    } else {
        "closed"
    }
}

async fn tender_items(
    conn: &impl ConnectionTrait,
    state: &AppState,
    rows: Vec<tender::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<TenderItem>, AppError> {
    let ids: Vec<Uuid> = rows.iter().map(|t| t.id).collect();
    let reserved: std::collections::HashSet<Uuid> = tender_lot::Entity::find()
        .select_only()
        .column(tender_lot::Column::TenderId)
        .filter(tender_lot::Column::TenderId.is_in(ids))
        .filter(tender_lot::Column::ReservedForSme.eq(true))
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let names = org_names(conn, rows.iter().map(|t| t.agency_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|t| {
            Some(TenderItem {
                ocid: ocid(&state.open_data.ocid_prefix, t.id),
                agency: org_ref(&names, t.agency_id),
                status: tender_status(&t, now).into(),
                sme_reserved: t.reserved_whole == Some(true) || reserved.contains(&t.id),
                budget: Amount::fen(t.budget_fen),
                published_at: t.published_at?,
                id: t.id,
                title: t.title,
                category: t.category,
                method: t.method,
                region: t.region,
                bid_deadline: t.bid_deadline,
            })
        })
        .collect())
}

async fn org_names(
    conn: &impl ConnectionTrait,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort();
    ids.dedup();
    Ok(organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .filter(organisation::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

fn org_ref(names: &HashMap<Uuid, String>, id: Uuid) -> OrganisationRef {
    OrganisationRef {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    }
}

/// A page of tenders matching `f`, newest first, after `key`.
async fn tender_page(
    state: &AppState,
    f: &SearchFilter,
    key: Option<Key>,
    limit: u64,
) -> Result<Vec<TenderItem>, AppError> {
    let now = state.clock.now();
    let conn = &state.db;
    let backend = conn.get_database_backend();
    let query = tender::Entity::find()
        .filter(search_condition(backend, now, f))
        .filter(tender::Column::PublishedAt.is_not_null())
        .filter(before(tender::Column::PublishedAt, tender::Column::Id, key))
        .order_by_desc(tender::Column::PublishedAt)
        .order_by_desc(tender::Column::Id)
        .limit(limit);
    let statement = crate::infra::search::tender_statement(backend, &query, !f.phrases.is_empty());
    let rows = tender::Entity::find()
        .from_raw_sql(statement)
        .all(conn)
        .await?;
    tender_items(conn, state, rows, now).await
}

#[utoipa::path(
    get,
    path = "/tenders",
    tag = "tenders",
    summary = "Published tenders, newest first",
    params(
        ("q" = Option<String>, Query, description = "Search text (Chinese by character sequence, other words by prefix)"),
        ("category" = Option<String>, Query, description = "goods, services or works"),
        ("method" = Option<String>, Query, description = "open_tender, competitive_consultation, competitive_negotiation, request_for_quotation"),
        ("province" = Option<String>, Query, description = "Province code (GB/T 2260), e.g. 330000"),
        ("budget_min" = Option<String>, Query, description = "Yuan"),
        ("budget_max" = Option<String>, Query, description = "Yuan"),
        ("sme" = Option<String>, Query, description = "1: reserved (wholly or in part) for SMEs"),
        ("status" = Option<String>, Query, description = "open, closed or all (default all)"),
        ("closes_within" = Option<String>, Query, description = "7 or 30 (days)"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
    ),
    responses(
        (status = 200, description = "A page of tenders", body = TenderPage),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
        (status = 429, description = "Too many requests; see Retry-After", body = ApiErrorBody),
    )
)]
pub async fn list_tenders(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let known: Vec<&str> = TENDER_FILTERS
        .iter()
        .copied()
        .chain(["cursor", "limit"])
        .collect();
    let q = query_params(&raw, &known)?;
    let f = tender_filter(&q)?;
    let key = decode_cursor(&q)?;
    let limit = parse_limit(q.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)?;
    let data = tender_page(&state, &f, key, limit).await?;
    let next_cursor = page_cursor(&data, limit, |t| (t.published_at, t.id));
    json_response(&headers, &TenderPage { data, next_cursor })
}

fn path_id(raw: &str, name: &str) -> Result<Uuid, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::bad(
            name,
            format!("{name} 应为 UUID。"),
            format!("{name} must be a UUID."),
        )
    })
}

async fn lots_of(conn: &impl ConnectionTrait, tender: Uuid) -> Result<Vec<Lot>, AppError> {
    let lots = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(tender))
        .order_by_asc(tender_lot::Column::Position)
        .all(conn)
        .await?;
    let criteria = tender_criterion::Entity::find()
        .filter(tender_criterion::Column::LotId.is_in(lots.iter().map(|l| l.id)))
        .order_by_asc(tender_criterion::Column::Position)
        .all(conn)
        .await?;
    Ok(lots
        .into_iter()
        .map(|l| Lot {
            id: l.id,
            tender_id: l.tender_id,
            number: l.position + 1,
            budget: Amount::fen(l.budget_fen),
            reserved_for_sme: l.reserved_for_sme,
            criteria: criteria
                .iter()
                .filter(|c| c.lot_id == l.id)
                .map(|c| Criterion {
                    kind: c.kind.clone(),
                    requirement: c.requirement.clone(),
                    points: c
                        .weight_bp
                        .map(|w| format!("{:.2}", rust_decimal::Decimal::new(w.into(), 2))),
                })
                .collect(),
            title: l.title,
        })
        .collect())
}

async fn public_tender(state: &AppState, raw: &str) -> Result<tender::Model, ApiError> {
    let id = path_id(raw, "id")?;
    tender::Entity::find_by_id(id)
        .filter(tender::Column::PublishedAt.lte(state.clock.now()))
        .one(&state.db)
        .await
        .map_err(AppError::from)?
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(
    get,
    path = "/tenders/{id}",
    tag = "tenders",
    summary = "One published tender with its lots and clarifications",
    params(("id" = Uuid, Path, description = "The tender's id")),
    responses(
        (status = 200, description = "The tender", body = TenderDetail),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "The id is not a UUID", body = ApiErrorBody),
        (status = 404, description = "No published tender has this id", body = ApiErrorBody),
    )
)]
pub async fn get_tender(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    let t = public_tender(&state, &id).await?;
    let conn = &state.db;
    let lots = lots_of(conn, t.id).await?;
    let clarifications = tender_clarification::Entity::find()
        .filter(tender_clarification::Column::TenderId.eq(t.id))
        .order_by_asc(tender_clarification::Column::PublishedAt)
        .all(conn)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|c| Clarification {
            published_at: c.published_at,
            body: c.body,
            affects_bids: c.affects_bids,
            deadline_after: c.deadline_after,
        })
        .collect();
    let (description, evaluation_method, cancel_reason) = (
        t.description.clone(),
        t.evaluation_method.clone(),
        t.cancel_reason.clone(),
    );
    let item = tender_items(conn, &state, vec![t], state.clock.now())
        .await?
        .pop()
        .ok_or(ApiError::NotFound)?;
    json_response(
        &headers,
        &TenderDetail {
            tender: item,
            description,
            evaluation_method,
            lots,
            clarifications,
            cancel_reason,
        },
    )
}

#[utoipa::path(
    get,
    path = "/tenders/{id}/lots",
    tag = "tenders",
    summary = "The lots of one published tender, with their criteria",
    params(("id" = Uuid, Path, description = "The tender's id")),
    responses(
        (status = 200, description = "Its lots", body = LotList),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "The id is not a UUID", body = ApiErrorBody),
        (status = 404, description = "No published tender has this id", body = ApiErrorBody),
    )
)]
pub async fn tender_lots(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    let t = public_tender(&state, &id).await?;
    let data = lots_of(&state.db, t.id).await?;
    json_response(&headers, &LotList { data })
}

// ---------------------------------------------------------------------------------------------
// Awards and contracts
// ---------------------------------------------------------------------------------------------

async fn award_page(
    state: &AppState,
    key: Option<Key>,
    limit: u64,
) -> Result<Vec<AwardItem>, AppError> {
    let conn = &state.db;
    let rows = award::Entity::find()
        .filter(award::Column::DecidedAt.lte(state.clock.now()))
        .filter(before(award::Column::DecidedAt, award::Column::LotId, key))
        .order_by_desc(award::Column::DecidedAt)
        .order_by_desc(award::Column::LotId)
        .limit(limit)
        .all(conn)
        .await?;
    let names = org_names(conn, rows.iter().map(|a| a.organisation_id)).await?;
    let titles: HashMap<Uuid, String> = tender_lot::Entity::find()
        .select_only()
        .column(tender_lot::Column::Id)
        .column(tender_lot::Column::Title)
        .filter(tender_lot::Column::Id.is_in(rows.iter().map(|a| a.lot_id)))
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    // The size the winner declared with its bid (R-SME-04); only for decided awards.
    let sizes: HashMap<Uuid, Option<String>> = opened_bid::Entity::find()
        .select_only()
        .column(opened_bid::Column::Id)
        .column(opened_bid::Column::SizeClass)
        .filter(opened_bid::Column::Id.is_in(rows.iter().map(|a| a.opened_bid_id)))
        .into_tuple::<(Uuid, Option<String>)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|a| AwardItem {
            ocid: ocid(&state.open_data.ocid_prefix, a.tender_id),
            lot_title: titles.get(&a.lot_id).cloned().unwrap_or_default(),
            supplier: org_ref(&names, a.organisation_id),
            supplier_scale: sizes
                .get(&a.opened_bid_id)
                .cloned()
                .flatten()
                .as_deref()
                .and_then(SizeClass::parse)
                .map(|s| party_scale(s).to_string()),
            price: Amount::fen(a.price_fen),
            lot_id: a.lot_id,
            tender_id: a.tender_id,
            decided_at: a.decided_at,
        })
        .collect())
}

#[utoipa::path(
    get,
    path = "/awards",
    tag = "awards",
    summary = "Decided awards, newest first",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
    ),
    responses(
        (status = 200, description = "A page of awards", body = AwardPage),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn list_awards(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["cursor", "limit"])?;
    let key = decode_cursor(&q)?;
    let limit = parse_limit(q.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)?;
    let data = award_page(&state, key, limit).await?;
    let next_cursor = page_cursor(&data, limit, |a| (a.decided_at, a.lot_id));
    json_response(&headers, &AwardPage { data, next_cursor })
}

async fn contract_page(
    state: &AppState,
    key: Option<Key>,
    limit: u64,
) -> Result<Vec<ContractItem>, AppError> {
    let conn = &state.db;
    let rows = contract::Entity::find()
        .filter(contract::Column::SignedAt.lte(state.clock.now()))
        .filter(before(
            contract::Column::SignedAt,
            contract::Column::Id,
            key,
        ))
        .order_by_desc(contract::Column::SignedAt)
        .order_by_desc(contract::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let names = org_names(conn, rows.iter().flat_map(|c| [c.agency_id, c.supplier_id])).await?;
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::ContractId.is_in(rows.iter().map(|c| c.id)))
        .order_by_asc(milestone::Column::Position)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| ContractItem {
            ocid: ocid(&state.open_data.ocid_prefix, c.tender_id),
            agency: org_ref(&names, c.agency_id),
            supplier: org_ref(&names, c.supplier_id),
            value: Amount::fen(c.value_fen),
            milestones: milestones
                .iter()
                .filter(|m| m.contract_id == c.id)
                .map(|m| MilestoneItem {
                    id: m.id,
                    deliverable: m.deliverable.clone(),
                    amount: Amount::fen(m.amount_fen),
                    planned_on: m.planned_on,
                    accepted_on: m.accepted_on,
                    paid: Amount::fen(m.paid_fen),
                })
                .collect(),
            id: c.id,
            tender_id: c.tender_id,
            lot_id: c.lot_id,
            signed_at: c.signed_at,
            published_at: c.published_at,
            payment_term_days: c.payment_term_days,
            version: c.version,
        })
        .collect())
}

#[utoipa::path(
    get,
    path = "/contracts",
    tag = "contracts",
    summary = "Signed contracts with their milestones, newest first",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
    ),
    responses(
        (status = 200, description = "A page of contracts", body = ContractPage),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn list_contracts(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["cursor", "limit"])?;
    let key = decode_cursor(&q)?;
    let limit = parse_limit(q.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)?;
    let data = contract_page(&state, key, limit).await?;
    let next_cursor = page_cursor(&data, limit, |c| (c.signed_at, c.id));
    json_response(&headers, &ContractPage { data, next_cursor })
}

// ---------------------------------------------------------------------------------------------
// Payment timeliness (R-PAY-07)
// ---------------------------------------------------------------------------------------------

fn year_param(q: &HashMap<String, String>) -> Result<Option<i32>, ApiError> {
    crate::model::contracts::parse_year(q.get("year").map(String::as_str).unwrap_or("")).map_err(
        |_| {
            ApiError::bad(
                "year",
                "year 应为 2000 到 2100 之间的年份。",
                "year must be a year from 2000 to 2100.",
            )
        },
    )
}

fn figures(s: &crate::domain::payment::TimelinessStats) -> TimelinessFigures {
    let yuan = |d: rust_decimal::Decimal| Amount {
        amount: format!("{d:.2}"),
        currency: "CNY".into(),
    };
    TimelinessFigures {
        payables: s.payables,
        paid: s.paid,
        paid_on_time: s.paid_on_time,
        paid_late: s.paid_late,
        on_time_rate: s.on_time_rate.map(|r| r.to_string()),
        median_days_to_pay: s.median_days_to_pay.map(|d| d.to_string()),
        overdue_count: s.overdue_count,
        overdue_value: yuan(s.overdue_value),
        interest_paid: yuan(s.interest_paid),
    }
}

#[utoipa::path(
    get,
    path = "/statistics/payment-timeliness",
    tag = "statistics",
    summary = "How promptly agencies pay (R-PAY-07), overall and per agency",
    params(("year" = Option<String>, Query, pattern = r"^\s*((20[0-9]{2})|2100)?\s*$", description = "Only payables due in this year (2000 to 2100); empty or left out: every year")),
    responses(
        (status = 200, description = "The figures", body = Timeliness),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn payment_timeliness(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["year"])?;
    let year = year_param(&q)?;
    let report = crate::services::contracts::timeliness_report(&state, year).await?;
    json_response(
        &headers,
        &Timeliness {
            as_of: report.as_of,
            year: report.year,
            overall: figures(&report.overall),
            agencies: report
                .agencies
                .iter()
                .map(|a| AgencyFigures {
                    agency: OrganisationRef {
                        id: a.agency_id,
                        name: a.agency_name.clone(),
                    },
                    figures: figures(&a.stats),
                })
                .collect(),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// CSV exports: every matching row, streamed a page at a time
// ---------------------------------------------------------------------------------------------

/// A CSV response that asks `next(key)` for rows and the key to continue after (`None` once a
/// page came back short) until there are no more. Memory holds one page whatever the total.
fn csv_stream<F, Fut>(filename: &str, header_row: &'static str, next: F) -> Response
where
    F: Fn(Option<Key>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(Vec<String>, Option<Key>), AppError>> + Send,
{
    let first = Bytes::from(format!("\u{feff}{header_row}\r\n"));
    let rows = futures_util::stream::unfold((next, Some(None::<Key>)), |(next, key)| async move {
        let key = key?;
        match next(key).await {
            Ok((lines, last)) => {
                // `last` is None after a short page: nothing more to ask for.
                let chunk = Bytes::from(lines.concat());
                Some((Ok::<Bytes, std::io::Error>(chunk), (next, last.map(Some))))
            }
            Err(e) => {
                tracing::error!(error = %e, "CSV export stopped");
                Some((
                    Err(std::io::Error::other("CSV export stopped")),
                    (next, None),
                ))
            }
        }
    });
    let stream = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(first) }),
        rows,
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// A page as long as asked for (never empty): there may be more after it.
fn full<T>(page: &[T]) -> bool {
    page.len() as u64 == CSV_PAGE
}

fn csv_line(cells: &[String]) -> String {
    let mut line = cells
        .iter()
        .map(|c| crate::services::contracts::csv_field(c))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[utoipa::path(
    get,
    path = "/tenders.csv",
    tag = "tenders",
    summary = "Every tender matching the filters, as CSV (UTF-8 with BOM)",
    params(
        ("q" = Option<String>, Query, description = "As for /tenders"),
        ("category" = Option<String>, Query, description = "As for /tenders"),
        ("method" = Option<String>, Query, description = "As for /tenders"),
        ("province" = Option<String>, Query, description = "As for /tenders"),
        ("budget_min" = Option<String>, Query, description = "As for /tenders"),
        ("budget_max" = Option<String>, Query, description = "As for /tenders"),
        ("sme" = Option<String>, Query, description = "As for /tenders"),
        ("status" = Option<String>, Query, description = "As for /tenders"),
        ("closes_within" = Option<String>, Query, description = "As for /tenders"),
    ),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn tenders_csv(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, TENDER_FILTERS)?;
    let f = tender_filter(&q)?;
    Ok(csv_stream(
        "fairtender-tenders.csv",
        "id,ocid,title,agency,category,method,region,budget_cny,published_at,bid_deadline,status,sme_reserved",
        move |key| {
            let (state, f) = (state.clone(), f.clone());
            async move {
                let page = tender_page(&state, &f, key, CSV_PAGE).await?;
                let last = full(&page).then(|| (page[page.len() - 1].published_at, page[page.len() - 1].id));
                let lines = page
                    .into_iter()
                    .map(|t| {
                        csv_line(&[
                            t.id.to_string(),
                            t.ocid,
                            t.title,
                            t.agency.name,
                            t.category,
                            t.method,
                            t.region,
                            t.budget.amount,
                            t.published_at.to_rfc3339(),
                            t.bid_deadline.to_rfc3339(),
                            t.status,
                            t.sme_reserved.to_string(),
                        ])
                    })
                    .collect();
                Ok((lines, last))
            }
        },
    ))
}

#[utoipa::path(
    get,
    path = "/awards.csv",
    tag = "awards",
    summary = "Every decided award, as CSV (UTF-8 with BOM)",
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String))
)]
pub async fn awards_csv(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    Ok(csv_stream(
        "fairtender-awards.csv",
        "lot_id,tender_id,ocid,lot_title,supplier,supplier_scale,price_cny,decided_at",
        move |key| {
            let state = state.clone();
            async move {
                let page = award_page(&state, key, CSV_PAGE).await?;
                let last = full(&page)
                    .then(|| (page[page.len() - 1].decided_at, page[page.len() - 1].lot_id));
                let lines = page
                    .into_iter()
                    .map(|a| {
                        csv_line(&[
                            a.lot_id.to_string(),
                            a.tender_id.to_string(),
                            a.ocid,
                            a.lot_title,
                            a.supplier.name,
                            a.supplier_scale.unwrap_or_default(),
                            a.price.amount,
                            a.decided_at.to_rfc3339(),
                        ])
                    })
                    .collect();
                Ok((lines, last))
            }
        },
    ))
}

#[utoipa::path(
    get,
    path = "/contracts.csv",
    tag = "contracts",
    summary = "Every signed contract, one row per milestone, as CSV (UTF-8 with BOM)",
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String))
)]
pub async fn contracts_csv(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    Ok(csv_stream(
        "fairtender-contracts.csv",
        "contract_id,ocid,agency,supplier,value_cny,signed_at,payment_term_days,milestone,deliverable,amount_cny,planned_on,accepted_on,paid_cny",
        move |key| {
            let state = state.clone();
            async move {
                let page = contract_page(&state, key, CSV_PAGE).await?;
                let last = full(&page).then(|| (page[page.len() - 1].signed_at, page[page.len() - 1].id));
                let mut lines = Vec::new();
                for c in page {
                    for (i, m) in c.milestones.iter().enumerate() {
                        lines.push(csv_line(&[
                            c.id.to_string(),
                            c.ocid.clone(),
                            c.agency.name.clone(),
                            c.supplier.name.clone(),
                            c.value.amount.clone(),
                            c.signed_at.to_rfc3339(),
                            c.payment_term_days.to_string(),
                            (i + 1).to_string(),
                            m.deliverable.clone(),
                            m.amount.amount.clone(),
                            m.planned_on.to_string(),
                            m.accepted_on.map(|d| d.to_string()).unwrap_or_default(),
                            m.paid.amount.clone(),
                        ]));
                    }
                }
                Ok((lines, last))
            }
        },
    ))
}

#[utoipa::path(
    get,
    path = "/statistics/payment-timeliness.csv",
    tag = "statistics",
    summary = "The payment-timeliness figures as CSV (UTF-8 with BOM)",
    params(("year" = Option<String>, Query, pattern = r"^\s*((20[0-9]{2})|2100)?\s*$", description = "Only payables due in this year (2000 to 2100); empty or left out: every year")),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn payment_timeliness_csv(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["year"])?;
    let year = year_param(&q)?;
    let report = crate::services::contracts::timeliness_report(&state, year).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"payment-timeliness.csv\"",
            ),
        ],
        format!(
            "\u{feff}{}",
            crate::services::contracts::timeliness_csv_text(&report)
        ),
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// OCDS routes (handlers in infra::ocds), documented here
// ---------------------------------------------------------------------------------------------

#[utoipa::path(
    get,
    path = "/ocds/releases",
    tag = "ocds",
    summary = "OCDS 1.1 release package: every public event, oldest first",
    params(
        ("since" = Option<String>, Query, description = "A date (2027-03-01, China time) or RFC 3339 date-time"),
        ("until" = Option<String>, Query, description = "A date or RFC 3339 date-time"),
        ("cursor" = Option<String>, Query, description = "From links.next of the previous page"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 500, description = "1 to 500, default 100"),
    ),
    responses(
        (status = 200, description = "An OCDS release package with links.next", body = Object),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
#[allow(dead_code)]
fn ocds_release_feed() {}

#[utoipa::path(
    get,
    path = "/ocds/releases/{ocid}",
    tag = "ocds",
    summary = "OCDS 1.1 release package of one contracting process",
    params(("ocid" = String, Path, pattern = r"^ocds-[a-z0-9]{6}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The process's ocid (the registered prefix, then the tender id)")),
    responses(
        (status = 200, description = "An OCDS release package", body = Object),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "Not an ocid of this publisher", body = ApiErrorBody),
        (status = 404, description = "No such process", body = ApiErrorBody),
    )
)]
#[allow(dead_code)]
fn ocds_process_releases() {}

#[utoipa::path(
    get,
    path = "/ocds/records/{ocid}",
    tag = "ocds",
    summary = "OCDS 1.1 record package: the process's releases and its compiled release",
    params(("ocid" = String, Path, pattern = r"^ocds-[a-z0-9]{6}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The process's ocid (the registered prefix, then the tender id)")),
    responses(
        (status = 200, description = "An OCDS record package", body = Object),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "Not an ocid of this publisher", body = ApiErrorBody),
        (status = 404, description = "No such process", body = ApiErrorBody),
    )
)]
#[allow(dead_code)]
fn ocds_process_record() {}

#[utoipa::path(
    get,
    path = "/ocds/records.jsonl",
    tag = "ocds",
    summary = "Bulk download: every process's OCDS record, one per line (JSON Lines), streamed",
    responses((status = 200, description = "JSON Lines", content_type = "application/x-ndjson", body = String))
)]
#[allow(dead_code)]
fn ocds_bulk_records() {}

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    summary = "This document",
    responses((status = 200, description = "OpenAPI 3.1", body = Object))
)]
#[allow(dead_code)]
fn openapi_document() {}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "fairtender open data API / 公平招标开放数据接口",
        version = "1",
        description = "Public, read-only data: tenders, lots, awards, contracts, payment timeliness \
                       (R-PAY-07) and OCDS 1.1 releases and records. Lists are newest first with \
                       cursor pagination (next_cursor); responses carry an ETag; each client \
                       address is rate limited (429 with Retry-After). A wrong parameter gets 400 \
                       with a JSON body naming it. Amounts are strings of yuan with two decimals."
    ),
    servers((url = "/api/v1")),
    paths(
        list_tenders,
        get_tender,
        tender_lots,
        tenders_csv,
        list_awards,
        awards_csv,
        list_contracts,
        contracts_csv,
        payment_timeliness,
        payment_timeliness_csv,
        ocds_release_feed,
        ocds_process_releases,
        ocds_process_record,
        ocds_bulk_records,
        openapi_document,
    ),
    components(schemas(ApiErrorBody))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`
pub async fn openapi_json(headers: HeaderMap) -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(json) => json_with_etag(&headers, json.into_bytes(), 3600),
        Err(e) => {
            tracing::error!(error = %e, "could not write the OpenAPI document");
            ApiError::App(AppError::Internal { request_id: None }).into_response()
        }
    }
}
