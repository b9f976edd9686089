//! Public search: the checked filter, its condition on `tender` (shared with /api/v1) and the
//! page of results.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::public::{reserved_lots, summary};
use crate::domain::tender::{Category, Method, TenderStatus};
use crate::domain::Money;
use crate::error::FieldError;
use crate::i18n::Text;
use crate::infra::entities::{organisation, tender};

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
        let category = choice(&mut errors, "category", &q.category, Category::parse);
        let method = choice(&mut errors, "method", &q.method, Method::parse);
        let province = choice(
            &mut errors,
            "province",
            &q.province,
            crate::domain::region::Province::by_code,
        );
        let status = choice(&mut errors, "status", &q.status, |s| match s {
            "" | "open" => Some(Openness::Open),
            "closed" => Some(Openness::Closed),
            "all" => Some(Openness::All),
            _ => None,
        })
        .unwrap_or_default();
        let sort = choice(&mut errors, "sort", &q.sort, |s| match s {
            "" | "newest" => Some(Sort::Newest),
            "deadline" => Some(Sort::Deadline),
            "budget" => Some(Sort::Budget),
            _ => None,
        })
        .unwrap_or_default();
        let closes_within = choice(
            &mut errors,
            "closes_within",
            &q.closes_within,
            |s| match s {
                "7" => Some(7),
                "30" => Some(30),
                _ => None,
            },
        );
        let budget_min = money(&mut errors, "budget_min", &q.budget_min);
        let budget_max = money(&mut errors, "budget_max", &q.budget_max);
        let page = page(&mut errors, &q.page);
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

/// One of a field's choices (`parse` of the trimmed value); a value that is none of them is an
/// error, a blank one is `parse("")` without an error.
fn choice<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    value: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    let parsed = parse(value.trim());
    if !value.trim().is_empty() && parsed.is_none() {
        errors.push(FieldError::new(
            field,
            Text::new("不是可选的值。", "Not one of the choices."),
        ));
    }
    parsed
}

/// An amount of the filter, if one is typed.
fn money(errors: &mut Vec<FieldError>, field: &'static str, value: &str) -> Option<Money> {
    match value.trim() {
        "" => None,
        s => Money::parse(s)
            .map_err(|e| errors.push(FieldError::new(field, e.text())))
            .ok(),
    }
}

/// The page asked for: 1 when blank, and when wrong (with an error).
fn page(errors: &mut Vec<FieldError>, value: &str) -> u64 {
    match value.trim() {
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
