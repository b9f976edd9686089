//! Published tenders: a page of them for a search, and one with its lots and clarifications.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{before, org_names, org_ref, Key};
use super::{Amount, Clarification, Criterion, Lot, LotList, TenderDetail, TenderItem};
use crate::domain::ocds::ocid;
use crate::domain::tender::TenderStatus;
use crate::error::AppError;
use crate::infra::entities::{tender, tender_clarification, tender_lot};
use crate::services::tenders::{search_condition, SearchFilter};
use crate::services::AppState;

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
    let reserved: HashSet<Uuid> = tender_lot::Entity::find()
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

/// A page of tenders matching `f`, newest first, after `key`.
pub async fn tender_page(
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

async fn lots_of(conn: &impl ConnectionTrait, tender: Uuid) -> Result<Vec<Lot>, AppError> {
    Ok(crate::services::tenders::lot_rows(conn, tender)
        .await?
        .into_iter()
        .map(|(l, criteria)| Lot {
            id: l.id,
            tender_id: l.tender_id,
            number: l.position + 1,
            budget: Amount::fen(l.budget_fen),
            reserved_for_sme: l.reserved_for_sme,
            criteria: criteria
                .into_iter()
                .map(|c| Criterion {
                    kind: c.kind,
                    requirement: c.requirement,
                    points: c
                        .weight_bp
                        .map(|w| format!("{:.2}", rust_decimal::Decimal::new(w.into(), 2))),
                })
                .collect(),
            title: l.title,
        })
        .collect())
}

/// The tender with this id once public (`tenders::load_public`, as for its page); `NotFound`
/// otherwise.
async fn public_tender(state: &AppState, id: Uuid) -> Result<tender::Model, AppError> {
    crate::services::tenders::load_public(&state.db, id, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)
}

/// One published tender with its lots and clarifications; `NotFound` for a draft or no tender.
pub async fn tender_detail(state: &AppState, id: Uuid) -> Result<TenderDetail, AppError> {
    let t = public_tender(state, id).await?;
    let conn = &state.db;
    let lots = lots_of(conn, t.id).await?;
    let clarifications = tender_clarification::Entity::find()
        .filter(tender_clarification::Column::TenderId.eq(t.id))
        .order_by_asc(tender_clarification::Column::PublishedAt)
        .all(conn)
        .await?
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
    let retender_of = t
        .retender_of
        .map(|of| ocid(&state.open_data.ocid_prefix, of));
    let item = tender_items(conn, state, vec![t], state.clock.now())
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(TenderDetail {
        tender: item,
        description,
        evaluation_method,
        lots,
        clarifications,
        cancel_reason,
        retender_of,
    })
}

/// The lots of one published tender, with their criteria; `NotFound` as for [`tender_detail`].
pub async fn tender_lots(state: &AppState, id: Uuid) -> Result<LotList, AppError> {
    let t = public_tender(state, id).await?;
    let data = lots_of(&state.db, t.id).await?;
    Ok(LotList { data })
}
