//! The bidder's draft: the form as typed, sealed with the bidder's key.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::bid::BidForm;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::db::begin_write;
use crate::infra::entities::bid;
use crate::services::AppState;

use super::common::{check_open, own_bid, public_tender, to_json};

/// The largest draft kept (its JSON, before sealing).
pub(super) const MAX_DRAFT_BYTES: usize = 200_000;

/// Saves the form as typed, sealed with the bidder's key.
pub async fn save_draft(
    state: &AppState,
    person: Uuid,
    organisation: Uuid,
    tender_id: Uuid,
    form: &BidForm,
) -> Result<(), AppError> {
    let json = to_json(form)?;
    if json.len() > MAX_DRAFT_BYTES {
        return Err(AppError::invalid(
            "proposal",
            Text::new(
                "草稿过长，请缩短技术方案。",
                "The draft is too long: shorten the proposal.",
            ),
        ));
    }
    let txn = begin_write(&state.db).await?;
    // R-BID-02: the time is read once the write may go ahead (it may have waited its turn).
    let now = state.clock.now();
    let t = public_tender(&txn, tender_id, now).await?;
    check_open(&t, now)?;
    let row = ensure_bid(&txn, person, organisation, tender_id, now).await?;
    let key = state.sealing.bidder_key(organisation, tender_id);
    let sealed = state.sealing.seal(&key, row.id, &json);
    bid::Entity::update_many()
        .col_expr(bid::Column::Draft, Expr::value(sealed))
        .col_expr(bid::Column::UpdatedAt, Expr::value(now))
        .filter(bid::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub(in crate::services) async fn ensure_bid(
    conn: &impl ConnectionTrait,
    person: Uuid,
    organisation: Uuid,
    tender_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bid::Model, AppError> {
    if let Some(row) = own_bid(conn, organisation, tender_id).await? {
        return Ok(row);
    }
    Ok(
        new_bid(Uuid::now_v7(), person, organisation, tender_id, now, 0)
            .insert(conn)
            .await?,
    )
}

/// A firm's bid row on a tender, with `submitted_versions` counted already.
pub(super) fn new_bid(
    id: Uuid,
    person: Uuid,
    organisation: Uuid,
    tender_id: Uuid,
    now: DateTime<Utc>,
    submitted_versions: i32,
) -> bid::ActiveModel {
    bid::ActiveModel {
        id: Set(id),
        tender_id: Set(tender_id),
        organisation_id: Set(organisation),
        created_by: Set(person),
        created_at: Set(now),
        updated_at: Set(now),
        draft: Set(None),
        submitted_versions: Set(submitted_versions),
        withdrawn_at: Set(None),
    }
}
