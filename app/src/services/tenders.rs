//! Tender queries. They take `&impl ConnectionTrait` so they also run inside a transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::tender::{Category, Method, TenderStatus};
use crate::domain::{Money, TenderId};
use crate::infra::entities::{organisation, tender};
use crate::model::tenders::{TenderDetail, TenderSummary};

/// Published tenders, the most recently published first.
pub async fn list_published(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<TenderSummary>, DbErr> {
    let rows = tender::Entity::find()
        .filter(tender::Column::Status.eq(TenderStatus::Published.as_str()))
        .filter(tender::Column::PublishedAt.lte(now))
        .order_by_desc(tender::Column::PublishedAt)
        .order_by_asc(tender::Column::Id)
        .limit(limit)
        .find_also_related(organisation::Entity)
        .all(conn)
        .await?;
    let reserved = reserved_lots(conn, rows.iter().map(|(t, _)| t.id).collect()).await?;
    rows.into_iter()
        .map(|(t, agency)| summary(t, agency, &reserved))
        .collect()
}

/// Of these tenders, the ones with a lot reserved for SMEs.
async fn reserved_lots(
    conn: &impl ConnectionTrait,
    tenders: Vec<uuid::Uuid>,
) -> Result<std::collections::HashSet<uuid::Uuid>, DbErr> {
    if tenders.is_empty() {
        return Ok(Default::default());
    }
    Ok(crate::infra::entities::tender_lot::Entity::find()
        .filter(crate::infra::entities::tender_lot::Column::TenderId.is_in(tenders))
        .filter(crate::infra::entities::tender_lot::Column::ReservedForSme.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| l.tender_id)
        .collect())
}

/// One tender as the public sees it. Drafts are not public. Its lots and criteria come from
/// `published` (read once per tender, then kept).
pub async fn find_public(
    conn: &impl ConnectionTrait,
    published: &PublishedLots,
    id: TenderId,
    now: DateTime<Utc>,
) -> Result<Option<TenderDetail>, DbErr> {
    let Some((t, agency)) = tender::Entity::find_by_id(id.0)
        .find_also_related(organisation::Entity)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let public =
        t.published_at.is_some_and(|at| at <= now) && t.status != TenderStatus::Draft.as_str();
    if !public {
        return Ok(None);
    }
    let status = parse_stored("tender.status", &t.status, TenderStatus::parse)?;
    let description = t.description.clone();
    let published_at = t.published_at;
    let lots = published.of(conn, t.id).await?.to_vec();
    let reserved: std::collections::HashSet<_> = lots
        .iter()
        .filter(|l| l.reserved_for_sme)
        .map(|_| t.id)
        .collect();
    let reserved_whole = t.reserved_whole == Some(true);
    let price_deduction = t
        .sme_price_deduction_bp
        .filter(|_| !reserved_whole)
        .map(crate::domain::draft::bp_to_percent);
    let price_weight = t.price_weight_bp.map(crate::domain::draft::bp_to_percent);
    let clarifications = clarifications_of(conn, t.id).await?;
    let cancel_reason = t.cancel_reason.clone();
    let documents = documents_of(conn, t.id).await?;
    let t_id = t.id;
    Ok(Some(TenderDetail {
        summary: summary(t, agency, &reserved)?,
        description,
        status,
        published_at,
        lots,
        reserved_whole,
        price_deduction,
        price_weight,
        clarifications,
        cancel_reason,
        documents,
        // Needs the working-day calendar: filled in by `server_fns::get_tender`.
        documents_available_until: None,
        awards: crate::services::bids::award_notices(conn, t_id)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .into_iter()
            .map(|(_, a)| a)
            .collect(),
    }))
}

/// The lots and criteria of published tenders, kept in memory (issue #8: a bid submission and
/// a supplier's search read them for every tender they touch). They are written once, in the
/// transaction that publishes the tender, and never change after it (amendments move dates and
/// add text), so a kept copy cannot go stale, whichever server published the tender. Only a
/// tender its caller has seen published may be asked for.
pub struct PublishedLots {
    capacity: usize,
    kept: std::sync::Mutex<KeptLots>,
}

type KeptLots =
    std::collections::HashMap<uuid::Uuid, std::sync::Arc<[crate::model::tenders::LotView]>>;

impl PublishedLots {
    /// Keeps the lots of at most `capacity` tenders (one forgotten for each new one past it).
    pub fn new(capacity: usize) -> PublishedLots {
        PublishedLots {
            capacity,
            kept: Default::default(),
        }
    }

    /// The lots of `tender`, which the caller has seen published (not a draft).
    pub async fn of(
        &self,
        conn: &impl ConnectionTrait,
        tender: uuid::Uuid,
    ) -> Result<std::sync::Arc<[crate::model::tenders::LotView]>, DbErr> {
        if let Some(lots) = self.lock().get(&tender) {
            return Ok(lots.clone());
        }
        let lots: std::sync::Arc<[crate::model::tenders::LotView]> =
            lots_of(conn, tender).await?.into();
        let mut kept = self.lock();
        if kept.len() >= self.capacity {
            if let Some(old) = kept.keys().next().copied() {
                kept.remove(&old);
            }
        }
        kept.insert(tender, lots.clone());
        Ok(lots)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, KeptLots> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A published tender's lots with their criteria, in order.
pub(crate) async fn lots_of(
    conn: &impl ConnectionTrait,
    tender_id: uuid::Uuid,
) -> Result<Vec<crate::model::tenders::LotView>, DbErr> {
    use crate::infra::entities::{tender_criterion, tender_lot};
    let lots = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(tender_id))
        .order_by_asc(tender_lot::Column::Position)
        .all(conn)
        .await?;
    let ids: Vec<uuid::Uuid> = lots.iter().map(|l| l.id).collect();
    let criteria = if ids.is_empty() {
        Vec::new()
    } else {
        tender_criterion::Entity::find()
            .filter(tender_criterion::Column::LotId.is_in(ids))
            .order_by_asc(tender_criterion::Column::Position)
            .all(conn)
            .await?
    };
    lots.into_iter()
        .map(|l| {
            let criteria = criteria
                .iter()
                .filter(|c| c.lot_id == l.id)
                .map(|c| {
                    Ok(crate::model::tenders::CriterionView {
                        kind: parse_stored(
                            "tender_criterion.kind",
                            &c.kind,
                            crate::domain::publication::CriterionKind::parse,
                        )?,
                        requirement: c.requirement.clone(),
                        weight: c.weight_bp.map(crate::domain::draft::bp_to_percent),
                    })
                })
                .collect::<Result<_, DbErr>>()?;
            Ok(crate::model::tenders::LotView {
                title: l.title,
                budget: Money::from_fen(l.budget_fen),
                reserved_for_sme: l.reserved_for_sme,
                criteria,
            })
        })
        .collect()
}

fn summary(
    t: tender::Model,
    agency: Option<organisation::Model>,
    reserved_lots: &std::collections::HashSet<uuid::Uuid>,
) -> Result<TenderSummary, DbErr> {
    Ok(TenderSummary {
        sme_reserved: t.reserved_whole == Some(true) || reserved_lots.contains(&t.id),
        id: TenderId(t.id),
        title: t.title,
        agency_name: agency.map(|a| a.name).unwrap_or_default(),
        category: parse_stored("tender.category", &t.category, Category::parse)?,
        method: parse_stored("tender.method", &t.method, Method::parse)?,
        region: t.region,
        budget: Money::from_fen(t.budget_fen),
        bid_deadline: t.bid_deadline,
    })
}

/// A stored value outside its enum means the database was changed behind the application's back.
fn parse_stored<T>(column: &str, value: &str, parse: fn(&str) -> Option<T>) -> Result<T, DbErr> {
    parse(value).ok_or_else(|| DbErr::Type(format!("unexpected value {value:?} in {column}")))
}

// ---------------------------------------------------------------------------------------------
// The agency's side: drafts and publication (issue #4)
// ---------------------------------------------------------------------------------------------

use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

use crate::domain::calendar::WorkingCalendar;
use crate::domain::draft::{percent_to_bp, TenderDraft, TenderDraftForm};
use crate::domain::policy::Policy;
use crate::domain::publication::{check_publication, EvaluationMethod, Scoring, SmeOutcome};
use crate::error::{AppError, FieldError};
use crate::i18n::Text;
use crate::infra::entities::{tender_criterion, tender_lot};
use crate::infra::{
    audit,
    db::{begin_write, begin_write_at},
};
use crate::model::agency::{AgencyTender, TenderDraftView};

fn actor(person: Uuid, agency: Uuid) -> audit::Actor {
    audit::Actor {
        person: Some(person),
        organisation: Some(agency),
    }
}

/// One of the agency's tenders; another agency's is "not found".
async fn own_tender(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    id: Uuid,
) -> Result<tender::Model, AppError> {
    tender::Entity::find_by_id(id)
        .filter(tender::Column::AgencyId.eq(agency))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

fn not_a_draft() -> AppError {
    AppError::Invalid {
        field: None,
        message: Text::new(
            "该项目已发布，不能再修改草稿；发布后的变更请以更正公告发布。",
            "This tender is published: its draft can no longer change. Publish changes as an amendment.",
        ),
    }
}

/// Saves the form as typed (already parsed, so it is sound input) and the columns the lists
/// show. A published tender's draft never changes.
pub async fn save_draft(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    existing: Option<Uuid>,
    form: &TenderDraftForm,
    draft: &TenderDraft,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let json = serde_json::to_string(form).map_err(|e| {
        tracing::error!(error = %e, "draft form did not serialise");
        AppError::Internal { request_id: None }
    })?;
    let plan = &draft.plan;
    let txn = begin_write(db).await?;
    let mut row: tender::ActiveModel = match existing {
        Some(id) => {
            let t = own_tender(&txn, agency, id).await?;
            if t.status != TenderStatus::Draft.as_str() {
                return Err(not_a_draft());
            }
            t.into()
        }
        None => tender::ActiveModel {
            id: Set(Uuid::now_v7()),
            agency_id: Set(agency),
            status: Set(TenderStatus::Draft.as_str().into()),
            published_at: Set(None),
            created_at: Set(now),
            created_by: Set(Some(person)),
            ..Default::default()
        },
    };
    row.title = Set(plan.title.clone());
    row.description = Set(plan.description.clone());
    row.category = Set(plan.category.as_str().into());
    row.method = Set(plan.method.as_str().into());
    row.region = Set(draft.region.clone());
    row.budget_fen = Set(plan.budget.to_fen());
    row.bid_deadline = Set(plan.bid_deadline);
    row.updated_at = Set(Some(now));
    row.draft_form = Set(Some(json));
    let saved = if existing.is_some() {
        row.update(&txn).await?
    } else {
        row.insert(&txn).await?
    };
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "save_tender_draft",
        "tender",
        saved.id,
        form,
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

pub async fn agency_tenders(
    conn: &impl ConnectionTrait,
    agency: Uuid,
) -> Result<Vec<AgencyTender>, AppError> {
    let rows = tender::Entity::find()
        .filter(tender::Column::AgencyId.eq(agency))
        .order_by_desc(tender::Column::CreatedAt)
        .order_by_desc(tender::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|t| {
            Ok(AgencyTender {
                id: t.id,
                status: parse_stored("tender.status", &t.status, TenderStatus::parse)?,
                title: t.title,
                budget: Money::from_fen(t.budget_fen),
                bid_deadline: t.bid_deadline,
            })
        })
        .collect::<Result<_, DbErr>>()
        .map_err(AppError::from)
}

fn stored_form(t: &tender::Model) -> Result<TenderDraftForm, AppError> {
    serde_json::from_str(t.draft_form.as_deref().unwrap_or("{}")).map_err(|e| {
        tracing::error!(id = %t.id, error = %e, "stored draft form does not parse");
        AppError::Internal { request_id: None }
    })
}

pub async fn draft_view(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    id: Uuid,
) -> Result<TenderDraftView, AppError> {
    let t = own_tender(conn, agency, id).await?;
    Ok(TenderDraftView {
        id: t.id,
        status: parse_stored("tender.status", &t.status, TenderStatus::parse)?,
        form: stored_form(&t)?,
        documents: documents_of(conn, t.id).await?,
    })
}

/// Checks every rule against the saved draft and, if none is broken, publishes it: the lots and
/// criteria are written once and never change after (R-REC-01).
pub async fn publish(
    db: &crate::infra::db::Db,
    calendar: &WorkingCalendar,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(db, clock).await?;
    let t = own_tender(&txn, agency, id).await?;
    if t.status != TenderStatus::Draft.as_str() {
        return Err(not_a_draft());
    }
    let form = stored_form(&t)?;
    // The rules are checked as of now: a deadline that was far enough when saved may not be.
    let draft = form
        .parse(now)
        .map_err(|errors| AppError::Fields { errors })?;
    let plan = &draft.plan;
    let outcome = check_publication(plan, now, calendar, &Policy::CHINA).map_err(|problems| {
        AppError::Fields {
            errors: problems
                .into_iter()
                .map(|p| {
                    let message = if p.rule == "input" {
                        p.message
                    } else {
                        Text::new(
                            format!("[{}] {}", p.rule, p.message.zh),
                            format!("[{}] {}", p.rule, p.message.en),
                        )
                    };
                    FieldError::new(p.field, message)
                })
                .collect(),
        }
    })?;
    let reserved_whole = outcome == SmeOutcome::ReservedWhole;
    for (i, lot) in plan.lots.iter().enumerate() {
        let lot_id = Uuid::now_v7();
        tender_lot::ActiveModel {
            id: Set(lot_id),
            tender_id: Set(t.id),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            title: Set(lot.title.clone()),
            budget_fen: Set(lot.budget.to_fen()),
            // R-SME-01: a tender reserved whole reserves every lot.
            reserved_for_sme: Set(reserved_whole || lot.reserved_for_sme),
        }
        .insert(&txn)
        .await?;
        for (j, c) in lot.criteria.iter().enumerate() {
            tender_criterion::ActiveModel {
                id: Set(Uuid::now_v7()),
                lot_id: Set(lot_id),
                position: Set(i32::try_from(j).unwrap_or(i32::MAX)),
                kind: Set(c.kind.as_str().into()),
                requirement: Set(c.requirement.clone()),
                weight_bp: Set(match c.scoring {
                    Scoring::PassFail => None,
                    Scoring::Scored { weight } => Some(percent_to_bp(weight)),
                }),
            }
            .insert(&txn)
            .await?;
        }
    }
    let mut row: tender::ActiveModel = t.into();
    row.status = Set(TenderStatus::Published.as_str().into());
    row.published_at = Set(Some(now));
    row.updated_at = Set(Some(now));
    row.reserved_whole = Set(Some(reserved_whole));
    row.evaluation_method = Set(plan.evaluation.as_str().into());
    row.price_weight_bp = Set(match plan.evaluation {
        EvaluationMethod::ComprehensiveScoring { price_weight } => {
            Some(percent_to_bp(price_weight))
        }
        EvaluationMethod::LowestEvaluatedPrice => None,
    });
    row.bid_security_fen = Set(plan.bid_security.map(Money::to_fen));
    row.imported_goods = Set(plan.imported_goods);
    row.sme_required_share_bp = Set(percent_to_bp(plan.sme.required_sme_share));
    row.sme_small_micro_share_bp = Set(percent_to_bp(plan.sme.small_micro_share));
    row.sme_price_deduction_bp = Set(plan.sme.price_deduction.map(percent_to_bp));
    row.sme_consortium_deduction_bp = Set(plan.sme.consortium_deduction.map(percent_to_bp));
    let published = row.update(&txn).await?;
    crate::infra::search::index_tender(
        &txn,
        published.id,
        &published.title,
        &published.description,
    )
    .await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "publish_tender",
        "tender",
        published.id,
        &(plan, &draft.region, reserved_whole),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Public search
// ---------------------------------------------------------------------------------------------

/// The checked form of `model::tenders::TenderQuery`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchFilter {
    /// What the search box asks for (`domain::search`): every phrase must match.
    pub phrases: Vec<crate::domain::search::Phrase>,
    pub category: Option<Category>,
    pub method: Option<Method>,
    pub province: Option<&'static crate::domain::region::Province>,
    pub budget_min: Option<Money>,
    pub budget_max: Option<Money>,
    pub sme_only: bool,
    /// Deadline within this many days from now.
    pub closes_within: Option<i64>,
    pub status: Openness,
    pub sort: Sort,
    pub page: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Openness {
    #[default]
    Open,
    Closed,
    All,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Newest,
    Deadline,
    Budget,
}

impl SearchFilter {
    pub fn parse(q: &crate::model::tenders::TenderQuery) -> Result<SearchFilter, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut choice = |field: &'static str, value: &str, ok: bool| {
            if !value.trim().is_empty() && !ok {
                errors.push(FieldError::new(
                    field,
                    Text::new("不是可选的值。", "Not one of the choices."),
                ));
            }
        };
        let category = Category::parse(q.category.trim());
        choice("category", &q.category, category.is_some());
        let method = Method::parse(q.method.trim());
        choice("method", &q.method, method.is_some());
        let province = crate::domain::region::Province::by_code(q.province.trim());
        choice("province", &q.province, province.is_some());
        let status = match q.status.trim() {
            "" | "open" => Openness::Open,
            "closed" => Openness::Closed,
            "all" => Openness::All,
            _ => {
                choice("status", &q.status, false);
                Openness::Open
            }
        };
        let sort = match q.sort.trim() {
            "" | "newest" => Sort::Newest,
            "deadline" => Sort::Deadline,
            "budget" => Sort::Budget,
            _ => {
                choice("sort", &q.sort, false);
                Sort::Newest
            }
        };
        let closes_within = match q.closes_within.trim() {
            "" => None,
            "7" => Some(7),
            "30" => Some(30),
            _ => {
                choice("closes_within", &q.closes_within, false);
                None
            }
        };
        let mut money = |field: &'static str, value: &str| match value.trim() {
            "" => None,
            s => Money::parse(s)
                .map_err(|e| errors.push(FieldError::new(field, e.text())))
                .ok(),
        };
        let budget_min = money("budget_min", &q.budget_min);
        let budget_max = money("budget_max", &q.budget_max);
        let page = match q.page.trim() {
            "" => 1,
            s => match s.parse::<u64>() {
                Ok(n) if (1..=10_000).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(
                        "page",
                        Text::new("页码不正确。", "Not a page number."),
                    ));
                    1
                }
            },
        };
        let phrases = crate::domain::search::phrases(&q.q, 8);
        if errors.is_empty() {
            Ok(SearchFilter {
                phrases,
                category,
                method,
                province,
                budget_min,
                budget_max,
                sme_only: matches!(q.sme.trim(), "1" | "on" | "true"),
                closes_within,
                status,
                sort,
                page,
            })
        } else {
            Err(errors)
        }
    }
}

/// The filter's condition on `tender` (public tenders only); the search page and /api/v1 share it.
pub fn search_condition(
    backend: sea_orm::DbBackend,
    now: DateTime<Utc>,
    f: &SearchFilter,
) -> sea_orm::Condition {
    use sea_orm::sea_query::Query;
    use sea_orm::Condition;
    let mut cond = Condition::all()
        .add(tender::Column::Status.ne(TenderStatus::Draft.as_str()))
        .add(tender::Column::PublishedAt.lte(now));
    if !f.phrases.is_empty() {
        cond = cond.add(crate::infra::search::matches(backend, &f.phrases));
    }
    if let Some(c) = f.category {
        cond = cond.add(tender::Column::Category.eq(c.as_str()));
    }
    if let Some(m) = f.method {
        cond = cond.add(tender::Column::Method.eq(m.as_str()));
    }
    if let Some(p) = f.province {
        cond = cond.add(tender::Column::Region.starts_with(p.zh));
    }
    if let Some(min) = f.budget_min {
        cond = cond.add(tender::Column::BudgetFen.gte(min.to_fen()));
    }
    if let Some(max) = f.budget_max {
        cond = cond.add(tender::Column::BudgetFen.lte(max.to_fen()));
    }
    if f.sme_only {
        cond = cond.add(
            Condition::any()
                .add(tender::Column::ReservedWhole.eq(true))
                .add(
                    tender::Column::Id.in_subquery(
                        Query::select()
                            .column(crate::infra::entities::tender_lot::Column::TenderId)
                            .from(crate::infra::entities::tender_lot::Entity)
                            .and_where(
                                crate::infra::entities::tender_lot::Column::ReservedForSme.eq(true),
                            )
                            .to_owned(),
                    ),
                ),
        );
    }
    if let Some(days) = f.closes_within {
        cond = cond.add(tender::Column::BidDeadline.lte(now + chrono::Duration::days(days)));
    }
    let published = TenderStatus::Published.as_str();
    match f.status {
        Openness::Open => {
            cond = cond
                .add(tender::Column::Status.eq(published))
                .add(tender::Column::BidDeadline.gt(now))
        }
        Openness::Closed => {
            cond = cond.add(
                Condition::any()
                    .add(tender::Column::Status.ne(published))
                    .add(tender::Column::BidDeadline.lte(now)),
            )
        }
        Openness::All => {}
    }
    cond
}

/// Published tenders matching every filter and the search text (through the full-text index,
/// `infra::search`: Chinese by exact character sequence, Latin words by prefix).
pub async fn search_published(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    f: &SearchFilter,
) -> Result<crate::model::tenders::TenderResults, DbErr> {
    let cond = search_condition(conn.get_database_backend(), now, f);
    // Everything below reads only the tender id and indexed columns, so the database answers
    // from the covering index `idx_tender_list` and sorts small tuples; only the page's twenty
    // tenders are then read whole (bench/RESULTS.md has the before and after).
    let mut query = tender::Entity::find()
        .filter(cond)
        .select_only()
        .column(tender::Column::Id);
    // Counted up to the cap: past it the exact number helps nobody and costs a full scan.
    let cap = crate::model::tenders::RESULTS_COUNT_CAP;
    let backend = conn.get_database_backend();
    let searching = !f.phrases.is_empty();
    let ids_of = |rows: Vec<sea_orm::QueryResult>| -> Result<Vec<Uuid>, DbErr> {
        rows.iter().map(|r| r.try_get_by_index::<Uuid>(0)).collect()
    };
    let counted = ids_of(
        conn.query_all_raw(crate::infra::search::tender_statement(
            backend,
            &query.clone().limit(cap + 1),
            searching,
        ))
        .await?,
    )?;
    let more = counted.len() as u64 > cap;
    let total = Ord::min(counted.len() as u64, cap);
    // Ties broken by id in the same direction as the key, so pages never repeat or skip a
    // tender and an index on (key, id) serves the whole order without a sort.
    query = match f.sort {
        Sort::Newest => query
            .order_by_desc(tender::Column::PublishedAt)
            .order_by_desc(tender::Column::Id),
        Sort::Deadline => query
            .order_by_asc(tender::Column::BidDeadline)
            .order_by_asc(tender::Column::Id),
        Sort::Budget => query
            .order_by_desc(tender::Column::BudgetFen)
            .order_by_desc(tender::Column::Id),
    };
    let pages = Ord::max(total.div_ceil(crate::model::tenders::PAGE_SIZE), 1);
    let ids = ids_of(
        conn.query_all_raw(crate::infra::search::tender_statement(
            backend,
            &query
                .offset((f.page - 1) * crate::model::tenders::PAGE_SIZE)
                .limit(crate::model::tenders::PAGE_SIZE),
            searching,
        ))
        .await?,
    )?;
    let mut rows = tender::Entity::find()
        .filter(tender::Column::Id.is_in(ids.clone()))
        .find_also_related(organisation::Entity)
        .all(conn)
        .await?;
    rows.sort_by_key(|(t, _)| ids.iter().position(|id| *id == t.id));
    let reserved = reserved_lots(conn, rows.iter().map(|(t, _)| t.id).collect()).await?;
    let items = rows
        .into_iter()
        .map(|(t, agency)| summary(t, agency, &reserved))
        .collect::<Result<_, DbErr>>()?;
    Ok(crate::model::tenders::TenderResults {
        items,
        total,
        more,
        page: f.page,
        pages,
        fits: Default::default(),
    })
}

// ---------------------------------------------------------------------------------------------
// After publication: clarifications and cancellation
// ---------------------------------------------------------------------------------------------

/// The agency's published, not cancelled, tender.
async fn own_published(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    id: Uuid,
) -> Result<tender::Model, AppError> {
    let t = own_tender(conn, agency, id).await?;
    if t.status != TenderStatus::Published.as_str() {
        return Err(AppError::Invalid {
            field: None,
            message: Text::new(
                "只有已发布且未终止的项目可以发布澄清或终止。",
                "Only a published tender that is not cancelled can be clarified or cancelled.",
            ),
        });
    }
    Ok(t)
}

pub async fn publish_clarification(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    body: &str,
    affects_bids: bool,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<crate::model::tenders::ClarificationView, AppError> {
    use crate::domain::publication::{barriers_in, deadline_after_amendment};
    use crate::infra::entities::tender_clarification;

    let mut errors = Vec::new();
    let Some(body) = crate::domain::text_field(body, "body", 5000, true, &mut errors) else {
        return Err(AppError::Fields { errors });
    };
    let (txn, now) = begin_write_at(db, clock).await?;
    let t = own_published(&txn, agency, id).await?;
    if t.bid_deadline <= now {
        return Err(AppError::Invalid {
            field: None,
            message: Text::new(
                "投标已截止，不能再发布澄清或修改。",
                "Bidding has closed: no more clarifications or amendments.",
            ),
        });
    }
    // R-BAR-01..03: an amendment cannot bring in what the tender could not ask for.
    if let Some((rule, phrase)) = barriers_in(&body, t.imported_goods).first() {
        return Err(AppError::invalid(
            "body",
            Text::new(
                format!("[{rule}] “{phrase}”不得作为资格条件或评分因素。"),
                format!("[{rule}] \"{phrase}\" may not be a requirement or scoring factor."),
            ),
        ));
    }
    let method = parse_stored("tender.method", &t.method, Method::parse)?;
    let before = t.bid_deadline;
    // R-TIME-02: an amendment that can affect bids leaves at least 15 (5) days.
    let after = if affects_bids {
        deadline_after_amendment(method, before, now, &Policy::CHINA)
    } else {
        before
    };
    let row = tender_clarification::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(t.id),
        body: Set(body),
        affects_bids: Set(affects_bids),
        deadline_before: Set(before),
        deadline_after: Set(after),
        published_by: Set(person),
        published_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let title = t.title.clone();
    if after != before {
        let mut active: tender::ActiveModel = t.into();
        active.bid_deadline = Set(after);
        active.updated_at = Set(Some(now));
        active.update(&txn).await?;
    }
    // Everyone watching the tender hears of it (issue #4), in the same transaction.
    let moved = (after != before).then(|| crate::i18n::format_datetime(after));
    let notice = Text::new(
        format!(
            "您关注或投标的项目“{title}”发布了澄清公告。{}",
            moved
                .as_ref()
                .map(|d| format!("投标截止时间延至 {d}。"))
                .unwrap_or_default()
        ),
        format!(
            "A tender you watch or bid on, \"{title}\", published a clarification.{}",
            moved
                .as_ref()
                .map(|d| format!(" The bid deadline moved to {d}."))
                .unwrap_or_default()
        ),
    );
    crate::services::supplier::notify_watchers(&txn, id, "clarification", &notice, now).await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "publish_clarification",
        "tender",
        id,
        &(&row.body, affects_bids, before, after),
    )
    .await?;
    txn.commit().await?;
    Ok(clarification_view(row))
}

fn clarification_view(
    c: crate::infra::entities::tender_clarification::Model,
) -> crate::model::tenders::ClarificationView {
    crate::model::tenders::ClarificationView {
        published_at: c.published_at,
        body: c.body,
        affects_bids: c.affects_bids,
        deadline_before: c.deadline_before,
        deadline_after: c.deadline_after,
    }
}

pub async fn cancel(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    reason: &str,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let Some(reason) = crate::domain::text_field(reason, "reason", 2000, true, &mut errors) else {
        return Err(AppError::Fields { errors });
    };
    let (txn, now) = begin_write_at(db, clock).await?;
    let t = own_published(&txn, agency, id).await?;
    let notice = Text::new(
        format!("您关注或投标的项目“{}”已终止。原因：{reason}", t.title),
        format!(
            "A tender you watch or bid on, \"{}\", was cancelled. Reason: {reason}",
            t.title
        ),
    );
    crate::services::supplier::notify_watchers(&txn, id, "cancellation", &notice, now).await?;
    let mut active: tender::ActiveModel = t.into();
    active.status = Set(TenderStatus::Cancelled.as_str().into());
    active.cancel_reason = Set(Some(reason.clone()));
    active.cancelled_at = Set(Some(now));
    active.updated_at = Set(Some(now));
    active.update(&txn).await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "cancel_tender",
        "tender",
        id,
        &reason,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub(crate) async fn clarifications_of(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<crate::model::tenders::ClarificationView>, DbErr> {
    use crate::infra::entities::tender_clarification;
    Ok(tender_clarification::Entity::find()
        .filter(tender_clarification::Column::TenderId.eq(tender_id))
        .order_by_asc(tender_clarification::Column::PublishedAt)
        .order_by_asc(tender_clarification::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(clarification_view)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Tender documents
// ---------------------------------------------------------------------------------------------

/// How many documents one tender may carry.
pub const MAX_TENDER_DOCUMENTS: u64 = 20;

/// The agency's tender, still a draft (documents change only then).
pub async fn own_draft(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    id: Uuid,
) -> Result<tender::Model, AppError> {
    let t = own_tender(conn, agency, id).await?;
    if t.status != TenderStatus::Draft.as_str() {
        return Err(not_a_draft());
    }
    Ok(t)
}

/// Attaches a stored document to the agency's draft.
pub async fn attach_document(
    conn: &impl ConnectionTrait,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    document: crate::domain::DocumentId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::infra::entities::tender_document;
    use sea_orm::PaginatorTrait;
    own_draft(conn, agency, id).await?;
    let count = tender_document::Entity::find()
        .filter(tender_document::Column::TenderId.eq(id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .count(conn)
        .await?;
    if count >= MAX_TENDER_DOCUMENTS {
        return Err(AppError::invalid(
            "file",
            Text::new(
                format!("一个项目最多 {MAX_TENDER_DOCUMENTS} 个文件，请先移除不需要的文件。"),
                format!(
                    "A tender may carry at most {MAX_TENDER_DOCUMENTS} documents. Remove one first."
                ),
            ),
        ));
    }
    let row = tender_document::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(id),
        document_id: Set(document.0),
        added_by: Set(person),
        added_at: Set(now),
        removed_at: Set(None),
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        now,
        actor(person, agency),
        "attach_tender_document",
        "tender",
        id,
        &(row.id, document.0),
    )
    .await?;
    Ok(())
}

/// Takes a document off the agency's draft (recorded, not erased).
pub async fn remove_document(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    document: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::infra::entities::tender_document;
    let txn = begin_write(db).await?;
    own_draft(&txn, agency, id).await?;
    let row = tender_document::Entity::find_by_id(document)
        .filter(tender_document::Column::TenderId.eq(id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: tender_document::ActiveModel = row.into();
    active.removed_at = Set(Some(now));
    active.update(&txn).await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "remove_tender_document",
        "tender",
        id,
        &document,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The tender's documents, in the order they were added.
pub async fn documents_of(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<crate::model::tenders::TenderDocumentView>, DbErr> {
    use crate::infra::entities::{document, tender_document};
    Ok(tender_document::Entity::find()
        .filter(tender_document::Column::TenderId.eq(tender_id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .order_by_asc(tender_document::Column::AddedAt)
        .order_by_asc(tender_document::Column::Id)
        .find_also_related(document::Entity)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|(link, doc)| {
            let doc = doc?;
            Some(crate::model::tenders::TenderDocumentView {
                href: crate::paths::tender_document(tender_id, link.id),
                id: link.id,
                name: doc.original_name,
                size_bytes: doc.size_bytes,
                sha256: doc.sha256,
            })
        })
        .collect())
}

/// A tender's document for download, and whether the tender is public: anyone's once it is,
/// otherwise only for the officers of its own agency (`agency`). Anything else is "not found".
pub async fn document_for(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
    link: Uuid,
    agency: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(crate::infra::entities::document::Model, bool), AppError> {
    use crate::infra::entities::{document, tender_document};
    let t = tender::Entity::find_by_id(tender_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let public =
        t.published_at.is_some_and(|at| at <= now) && t.status != TenderStatus::Draft.as_str();
    if !public && agency != Some(t.agency_id) {
        return Err(AppError::NotFound);
    }
    let (_, doc) = tender_document::Entity::find_by_id(link)
        .filter(tender_document::Column::TenderId.eq(tender_id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .find_also_related(document::Entity)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((doc.ok_or(AppError::NotFound)?, public))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::entities::{tender_criterion, tender_lot};

    /// Issue #8: a published tender's lots and criteria are read from the database once and
    /// then served from memory; no more than the capacity is kept.
    #[tokio::test]
    async fn published_lots_are_read_once_and_kept_within_capacity() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/lots.db", dir.path().display());
        let db = crate::infra::db::connect(&url, 2)
            .await
            .expect("the database opens");
        crate::infra::db::migrate(&db).await.expect("migrations");
        let now = Utc::now();
        crate::services::seed::seed_demo(&db, now)
            .await
            .expect("the demo tenders");
        let published: Vec<Uuid> = tender::Entity::find()
            .filter(tender::Column::Status.eq(TenderStatus::Published.as_str()))
            .all(&db)
            .await
            .expect("the tenders")
            .into_iter()
            .map(|t| t.id)
            .collect();
        let [a, b, ..] = published[..] else {
            panic!("the demo data publishes at least two tenders");
        };

        let kept = PublishedLots::new(1);
        let first = kept.of(&db, a).await.expect("the lots of a");
        assert!(!first.is_empty(), "a demo tender has a lot");
        assert_eq!(&first[..], &lots_of(&db, a).await.expect("the lots")[..]);

        // With the rows gone, the kept copy still answers: the database was not read again.
        let lots: Vec<Uuid> = tender_lot::Entity::find()
            .filter(tender_lot::Column::TenderId.eq(a))
            .all(&db)
            .await
            .expect("the lot rows")
            .into_iter()
            .map(|l| l.id)
            .collect();
        tender_criterion::Entity::delete_many()
            .filter(tender_criterion::Column::LotId.is_in(lots.clone()))
            .exec(&db)
            .await
            .expect("criteria removed");
        tender_lot::Entity::delete_many()
            .filter(tender_lot::Column::Id.is_in(lots))
            .exec(&db)
            .await
            .expect("lots removed");
        assert_eq!(kept.of(&db, a).await.expect("kept"), first);

        // A second tender takes the only place: the first is read again (now without lots).
        assert!(!kept.of(&db, b).await.expect("the lots of b").is_empty());
        assert!(kept.of(&db, a).await.expect("read again").is_empty());
    }
}
