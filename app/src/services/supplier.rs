//! The supplier's watch list, saved searches and notifications, and its fit to tenders. Every
//! query is scoped to the caller's organisation.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::domain::capability::Capability;
use crate::domain::eligibility::{match_lot, LotCriterion};
use crate::domain::sme::SizeClass;
use crate::domain::{china_day, TenderId};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::db::begin_write;
use crate::infra::entities::{notification, saved_search, tender_watch};
use crate::infra::records::saved_search::SavedSearchRecord;
use crate::model::supplier::{
    LotFit, NotificationView, SavedSearchView, SupplierDesk, TenderFit, WatchedTender,
    MAX_SAVED_SEARCHES,
};
use crate::model::tenders::{TenderDetail, TenderQuery};
use crate::services::{profile, tenders};

/// How many watched tenders and notifications the page lists.
const LIST_LIMIT: u64 = 100;

/// The organisation's current records and whether its latest declaration makes it an SME.
async fn profile_of(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    now: DateTime<Utc>,
) -> Result<(Vec<Capability>, Option<SizeClass>), AppError> {
    let records = profile::capabilities(conn, organisation, now)
        .await?
        .into_iter()
        .map(|v| v.capability)
        .collect();
    let size = profile::latest_sme_declaration(conn, organisation)
        .await?
        .map(|d| d.size_class);
    Ok((records, size))
}

/// Whether a firm of this size may bid on a reserved lot: an SME (R-SME-01), small or micro on
/// a lot only they may bid on (R-SME-02).
fn qualifies(small_micro_only: bool, size: Option<SizeClass>) -> bool {
    if small_micro_only {
        size.is_some_and(SizeClass::is_small_or_micro)
    } else {
        size.is_some_and(SizeClass::is_sme)
    }
}

/// The fit of each listed tender (a tender reserved whole has every lot reserved, R-SME-01).
pub async fn list_fits(
    conn: &impl ConnectionTrait,
    published: &tenders::PublishedLots,
    organisation: Uuid,
    items: &[crate::model::tenders::TenderSummary],
    now: DateTime<Utc>,
) -> Result<std::collections::BTreeMap<String, crate::model::tenders::ListFit>, AppError> {
    let mut fits = std::collections::BTreeMap::new();
    if items.is_empty() {
        return Ok(fits);
    }
    let (records, size) = profile_of(conn, organisation, now).await?;
    let today = china_day(now);
    // The version of each listed tender's terms (an amendment changes them, R-TIME-02).
    let versions: std::collections::HashMap<Uuid, Option<DateTime<Utc>>> =
        crate::infra::entities::tender::Entity::find()
            .select_only()
            .column(crate::infra::entities::tender::Column::Id)
            .column(crate::infra::entities::tender::Column::UpdatedAt)
            .filter(crate::infra::entities::tender::Column::Id.is_in(items.iter().map(|i| i.id.0)))
            .into_tuple()
            .all(conn)
            .await?
            .into_iter()
            .collect();
    for item in items {
        // Listed tenders are published: their lots are kept.
        let version = versions.get(&item.id.0).copied().flatten();
        let lots = published.at_version(conn, item.id.0, version).await?;
        let eligible_lots = lots
            .iter()
            .filter(|lot| {
                match_lot(
                    &criteria_of(lot),
                    &records,
                    lot.reserved_for_sme,
                    qualifies(lot.small_micro_only, size),
                    today,
                )
                .eligible()
            })
            .count();
        fits.insert(
            item.id.to_string(),
            crate::model::tenders::ListFit {
                eligible_lots,
                lots: lots.len(),
            },
        );
    }
    Ok(fits)
}

/// A lot's criteria as the matcher reads them: no weight means pass/fail.
fn criteria_of(lot: &crate::model::tenders::LotView) -> Vec<LotCriterion<'_>> {
    lot.criteria
        .iter()
        .map(|c| LotCriterion {
            kind: c.kind,
            requirement: &c.requirement,
            pass_fail: c.weight.is_none(),
        })
        .collect()
}

fn lot_fits(
    detail: &TenderDetail,
    records: &[Capability],
    size: Option<SizeClass>,
    now: DateTime<Utc>,
) -> Vec<LotFit> {
    let today = china_day(now);
    detail
        .lots
        .iter()
        .map(|lot| {
            // R-SME-01: a tender reserved whole reserves every lot.
            let reserved = lot.reserved_for_sme || detail.reserved_whole;
            LotFit {
                title: lot.title.clone(),
                fit: match_lot(
                    &criteria_of(lot),
                    records,
                    reserved,
                    qualifies(lot.small_micro_only, size),
                    today,
                ),
            }
        })
        .collect()
}

async fn public_tender(
    conn: &impl ConnectionTrait,
    published: &tenders::PublishedLots,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<TenderDetail, AppError> {
    tenders::find_public(conn, published, TenderId(id), now)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn fit(
    conn: &impl ConnectionTrait,
    published: &tenders::PublishedLots,
    organisation: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<TenderFit, AppError> {
    let detail = public_tender(conn, published, id, now).await?;
    let (records, size) = profile_of(conn, organisation, now).await?;
    let watching = tender_watch::Entity::find_by_id((organisation, id))
        .one(conn)
        .await?
        .is_some();
    Ok(TenderFit {
        watching,
        lots: lot_fits(&detail, &records, size, now),
    })
}

/// Watches (or stops watching) a public tender. Watching twice is watching once.
pub async fn set_watch(
    db: &crate::infra::db::Db,
    published: &tenders::PublishedLots,
    person: Uuid,
    organisation: Uuid,
    id: Uuid,
    watch: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    public_tender(&txn, published, id, now).await?;
    let existing = tender_watch::Entity::find_by_id((organisation, id))
        .one(&txn)
        .await?;
    match (existing, watch) {
        (None, true) => {
            tender_watch::ActiveModel {
                organisation_id: Set(organisation),
                tender_id: Set(id),
                person_id: Set(person),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        (Some(row), false) => {
            tender_watch::Entity::delete_by_id((row.organisation_id, row.tender_id))
                .exec(&txn)
                .await?;
        }
        _ => {}
    }
    txn.commit().await?;
    Ok(())
}

/// Tells every organisation watching the tender, in the same transaction as the change itself.
pub async fn notify_watchers(
    conn: &impl ConnectionTrait,
    tender: Uuid,
    kind: &str,
    body: &Text,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    // Watchers, and every supplier that started a bid (only it is told: its own notification).
    let mut organisations: std::collections::BTreeSet<Uuid> = tender_watch::Entity::find()
        .filter(tender_watch::Column::TenderId.eq(tender))
        .all(conn)
        .await?
        .into_iter()
        .map(|w| w.organisation_id)
        .collect();
    organisations.extend(
        crate::infra::entities::bid::Entity::find()
            .filter(crate::infra::entities::bid::Column::TenderId.eq(tender))
            .all(conn)
            .await?
            .into_iter()
            .map(|b| b.organisation_id),
    );
    let count = organisations.len();
    for organisation in organisations {
        notification::ActiveModel {
            id: Set(Uuid::now_v7()),
            organisation_id: Set(organisation),
            kind: Set(kind.to_string()),
            tender_id: Set(Some(tender)),
            body_zh: Set(body.zh.clone()),
            body_en: Set(body.en.clone()),
            created_at: Set(now),
            read_at: Set(None),
            dedupe_key: Set(None),
            contract_id: Set(None),
        }
        .insert(conn)
        .await?;
    }
    Ok(count)
}

pub async fn desk(
    conn: &impl ConnectionTrait,
    published: &tenders::PublishedLots,
    organisation: Uuid,
    now: DateTime<Utc>,
) -> Result<SupplierDesk, AppError> {
    let (records, size) = profile_of(conn, organisation, now).await?;
    let watches = tender_watch::Entity::find()
        .filter(tender_watch::Column::OrganisationId.eq(organisation))
        .order_by_desc(tender_watch::Column::CreatedAt)
        .limit(LIST_LIMIT)
        .all(conn)
        .await?;
    let mut watched = Vec::new();
    for w in watches {
        // A watched tender is public, so it stays public (drafts are never watched).
        if let Some(detail) =
            tenders::find_public(conn, published, TenderId(w.tender_id), now).await?
        {
            watched.push(WatchedTender {
                lots: lot_fits(&detail, &records, size, now),
                status: detail.status,
                summary: detail.summary,
            });
        }
    }
    let notifications = notification::Entity::find()
        .filter(notification::Column::OrganisationId.eq(organisation))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(LIST_LIMIT)
        .all(conn)
        .await?
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            tender_id: n.tender_id,
            contract_id: n.contract_id,
            body: Text::new(n.body_zh, n.body_en),
            created_at: n.created_at,
            read: n.read_at.is_some(),
        })
        .collect();
    let saved = saved_search::Entity::find()
        .filter(saved_search::Column::OrganisationId.eq(organisation))
        .filter(saved_search::Column::DeletedAt.is_null())
        .order_by_asc(saved_search::Column::CreatedAt)
        .all(conn)
        .await?;
    let mut searches = Vec::new();
    for s in saved {
        let query = SavedSearchRecord::from_json(&s.query)
            .map(|r| r.query())
            .unwrap_or_default();
        // Counted as the search page counts: open tenders, first page.
        let open_matches = match tenders::SearchFilter::parse(&TenderQuery {
            status: String::new(),
            page: String::new(),
            ..query.clone()
        }) {
            Ok(filter) => tenders::search_published(conn, now, &filter).await?.total,
            Err(_) => 0,
        };
        searches.push(SavedSearchView {
            id: s.id,
            name: s.name,
            href: query.href(),
            open_matches,
        });
    }
    Ok(SupplierDesk {
        watched,
        notifications,
        searches,
    })
}

pub async fn mark_read(
    db: &crate::infra::db::Db,
    organisation: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // In the writers' queue like every write (see `begin_write`), not beside it.
    let txn = begin_write(db).await?;
    notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(notification::Column::OrganisationId.eq(organisation))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn save_search(
    db: &crate::infra::db::Db,
    person: Uuid,
    organisation: Uuid,
    name: &str,
    query: &TenderQuery,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let mut errors = Vec::new();
    let name = crate::domain::text_field(name, "name", 100, true, &mut errors);
    if let Err(mut e) = tenders::SearchFilter::parse(query) {
        errors.append(&mut e);
    }
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(AppError::Fields { errors });
    };
    // Saved without a page: a saved search starts at its first page.
    let query = TenderQuery {
        page: String::new(),
        ..query.clone()
    };
    let json = SavedSearchRecord::of(&query).to_json()?;
    let txn = begin_write(db).await?;
    let count = saved_search::Entity::find()
        .filter(saved_search::Column::OrganisationId.eq(organisation))
        .filter(saved_search::Column::DeletedAt.is_null())
        .count(&txn)
        .await?;
    if count >= MAX_SAVED_SEARCHES {
        return Err(AppError::invalid(
            "name",
            Text::new(
                format!("最多保存 {MAX_SAVED_SEARCHES} 个搜索，请先删除不再需要的。"),
                format!(
                    "At most {MAX_SAVED_SEARCHES} saved searches. Delete one you no longer need."
                ),
            ),
        ));
    }
    let row = saved_search::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation),
        person_id: Set(person),
        name: Set(name),
        query: Set(json),
        created_at: Set(now),
        deleted_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

pub async fn delete_search(
    db: &crate::infra::db::Db,
    organisation: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let row = saved_search::Entity::find_by_id(id)
        .filter(saved_search::Column::OrganisationId.eq(organisation))
        .filter(saved_search::Column::DeletedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: saved_search::ActiveModel = row.into();
    active.deleted_at = Set(Some(now));
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}
