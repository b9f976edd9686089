//! Decided awards and signed contracts, newest first, a page at a time.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{before, org_names, org_ref, Key};
use super::{Amount, AwardItem, ContractItem, MilestoneItem};
use crate::domain::ocds::{ocid, party_scale};
use crate::domain::sme::SizeClass;
use crate::error::AppError;
use crate::infra::entities::{award, contract, milestone, opened_bid, tender_lot};
use crate::services::AppState;

/// A page of decided awards, newest first, after `key`.
pub async fn award_page(
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

/// A page of signed contracts with their milestones, newest first, after `key`.
pub async fn contract_page(
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
