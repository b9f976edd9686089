//! What every step of a bid shares: the public-tender and own-bid loaders, the open-for-bids
//! check, the JSON and sealing helpers, the lot rows and how a lot stands after the opening.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::calendar::CalendarError;
use crate::domain::lot_outcome::{lot_outcome, BidStanding, LotCount, LotOpening};
use crate::domain::sme::SizeClass;
use crate::domain::tender::TenderStatus;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::entities::{bid, opened_bid, tender, tender_lot};
use crate::model::accounts::Session;
use crate::model::bids::*;

use super::evaluation::ScoredLot;

pub(super) fn deadline_passed() -> AppError {
    // R-BID-02: after the deadline nothing is submitted, changed or withdrawn.
    AppError::Conflict {
        message: Text::new(
            "投标已截止：不能再提交、修改或撤回投标（R-BID-02）。",
            "Bidding has closed: bids can no longer be submitted, changed or withdrawn (R-BID-02).",
        ),
    }
}

pub(super) fn cancelled() -> AppError {
    AppError::Conflict {
        message: Text::new(
            "该项目已取消，不接受投标。",
            "This tender was cancelled: it takes no bids.",
        ),
    }
}

/// A public tender (published, or cancelled after publication); anything else is not found.
pub(in crate::services) async fn public_tender(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<tender::Model, AppError> {
    public(tender::Entity::find_by_id(id).one(conn).await?, now)
}

/// `found` if it is a public tender at `now` (see [`public_tender`]).
pub(super) fn public(
    found: Option<tender::Model>,
    now: DateTime<Utc>,
) -> Result<tender::Model, AppError> {
    let t = found.ok_or(AppError::NotFound)?;
    if status_of(&t)? == TenderStatus::Draft || t.published_at.is_none_or(|p| p > now) {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

/// The tender's status, read the one way stored values are (`services::decode_stored`).
pub(in crate::services) fn status_of(t: &tender::Model) -> Result<TenderStatus, sea_orm::DbErr> {
    crate::services::decode_stored("tender.status", &t.status)
}

/// The tender takes bids now: published, not cancelled, deadline not reached (R-BID-02).
pub(in crate::services) fn check_open(
    t: &tender::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if status_of(t)? == TenderStatus::Cancelled {
        return Err(cancelled());
    }
    // The deadline instant itself is closed: one millisecond before is in time.
    if now >= t.bid_deadline {
        return Err(deadline_passed());
    }
    Ok(())
}

pub(in crate::services) async fn own_bid(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    tender: Uuid,
) -> Result<Option<bid::Model>, AppError> {
    Ok(own_bid_query(organisation, tender).one(conn).await?)
}

/// The firm's bid row on the tender (there is at most one).
pub(in crate::services) fn own_bid_query(organisation: Uuid, tender: Uuid) -> Select<bid::Entity> {
    bid::Entity::find()
        .filter(bid::Column::TenderId.eq(tender))
        .filter(bid::Column::OrganisationId.eq(organisation))
}

pub(in crate::services) fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(value).map_err(|e| {
        tracing::error!(error = %e, "serialising a bid");
        AppError::Internal { request_id: None }
    })
}

pub(in crate::services) fn from_json<T: for<'de> Deserialize<'de>>(
    bytes: &[u8],
) -> Result<T, AppError> {
    serde_json::from_slice(bytes).map_err(|e| {
        tracing::error!(error = %e, "a stored bid does not parse");
        AppError::Internal { request_id: None }
    })
}

pub(in crate::services) fn unsealed(e: crate::infra::sealing::SealError) -> AppError {
    tracing::error!(error = %e, "a sealed bid value did not open");
    AppError::Internal { request_id: None }
}

/// One of the caller's agency's public tenders.
pub(in crate::services) async fn agency_tender(
    conn: &impl ConnectionTrait,
    session: &Session,
    tender_id: Uuid,
    now: DateTime<Utc>,
) -> Result<tender::Model, AppError> {
    let t = public_tender(conn, tender_id, now).await?;
    if Some(t.agency_id) != session.organisation_id.map(Uuid::from) {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

pub(super) fn officer(session: &Session) -> audit::Actor {
    audit::Actor {
        person: Some(session.person_id.into()),
        organisation: session.organisation_id.map(Into::into),
    }
}

/// Lot rows of a tender in order.
pub(super) async fn lot_rows(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<tender_lot::Model>, AppError> {
    Ok(tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(tender_id))
        .order_by_asc(tender_lot::Column::Position)
        .all(conn)
        .await?)
}

pub(super) fn size_of(row: &opened_bid::Model) -> Option<SizeClass> {
    row.size_class.as_deref().and_then(SizeClass::parse)
}

pub(super) fn lot_reserved(t: &tender::Model, lot: &tender_lot::Model) -> bool {
    lot.reserved_for_sme || t.reserved_whole == Some(true)
}

/// R-BID-04, R-SME-05: a scored lot's count. A bid is valid as its line stands (within the
/// ceiling, no pass/fail requirement marked failed: `domain::lot_outcome`); it is a qualified
/// SME bid when it is valid and its declaration is of an SME.
pub(super) fn lot_count(s: &ScoredLot) -> LotCount {
    let standings: Vec<BidStanding> = s
        .bids
        .iter()
        .zip(s.lines.iter())
        .map(|(b, line)| BidStanding {
            valid: line.qualified,
            sme: size_of(b).is_some_and(SizeClass::is_sme),
        })
        .collect();
    LotCount::of(&standings)
}

/// What a scored lot's valid bids decide (R-BID-04, R-SME-05), as the marks stand.
pub(super) fn lot_outcome_of(t: &tender::Model, s: &ScoredLot) -> LotOpening {
    lot_outcome(lot_count(s), lot_reserved(t, &s.lot))
}

/// How a lot stands after the opening, counting valid bids, not opened ones (R-BID-04,
/// R-SME-05), or awarded.
pub(super) fn lot_state(t: &tender::Model, s: &ScoredLot, awarded: bool) -> LotState {
    if awarded {
        return LotState::Awarded;
    }
    match lot_outcome_of(t, s) {
        LotOpening::Proceeds => LotState::Evaluating,
        LotOpening::Failed => LotState::Failed,
        LotOpening::Suspended => LotState::Suspended,
    }
}

/// A day the working-day calendar cannot count (a year outside 2000-2100 without its notice):
/// refused, never guessed (issue #32: the weekday fallback is gone).
pub(super) fn uncounted(e: CalendarError) -> AppError {
    tracing::error!(error = %e, "working-day calendar cannot count");
    AppError::Conflict { message: e.text() }
}
