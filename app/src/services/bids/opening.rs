//! The opening: after the deadline each counted bid is unsealed and its lots recorded.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::bid::{BidContent, BidDocumentRef, LotOffer};
use crate::domain::bid_seal::{check_opened, Expected, SealFault};
use crate::domain::lot_outcome::{LotCount, LotOpening};
use crate::domain::tender::TenderStatus;
use crate::domain::Money;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{
    award, bid, bid_opening, bid_seal_fault, bid_submission, opened_bid, organisation, tender,
    tender_lot,
};
use crate::infra::sealing::{SealKey, VersionBinding};
use crate::model::accounts::Session;
use crate::model::bids::*;
use crate::services::AppState;

use super::common::{
    agency_tender, cancelled, from_json, lot_count, lot_outcome_of, lot_reserved, lot_rows,
    lot_state, officer, size_of, status_of, to_json,
};
use super::evaluation::{deduction_for, scored_lot};

/// Opens the bids once the deadline has passed: each counted bid's latest version is
/// unsealed with the tender's key and its lots recorded.
pub async fn open(state: &AppState, session: &Session, tender_id: Uuid) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let t = agency_tender(&txn, session, tender_id, now).await?;
    if status_of(&t)? == TenderStatus::Cancelled {
        return Err(cancelled());
    }
    // R-BID-01: the key does not exist before the deadline.
    let key = state
        .sealing
        .tender_key(t.id, t.bid_deadline, now)
        .map_err(|_| AppError::Conflict {
            message: Text::new(
                "投标截止前不能开标（R-BID-01）。",
                "Bids cannot be opened before the deadline (R-BID-01).",
            ),
        })?;
    if bid_opening::Entity::find_by_id(t.id)
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            message: Text::new("已经开标。", "The bids are already open."),
        });
    }
    bid_opening::ActiveModel {
        tender_id: Set(t.id),
        opened_at: Set(now),
        opened_by: Set(session.person_id.into()),
    }
    .insert(&txn)
    .await?;
    let lots = lot_rows(&txn, t.id).await?;
    let bids = bid::Entity::find()
        .filter(bid::Column::TenderId.eq(t.id))
        .filter(bid::Column::SubmittedVersions.gt(0))
        .filter(bid::Column::WithdrawnAt.is_null())
        .all(&txn)
        .await?;
    let (mut opened, mut faults) = (0, 0);
    for b in bids {
        match open_bid(state, &txn, &key, &t, &lots, &b).await? {
            Opened::Counted => opened += 1,
            Opened::Missing => {}
            Opened::Fault(version, fault) => {
                faults += 1;
                report_fault(&txn, session, &t, &b, version, fault, now).await?;
            }
        }
    }
    audit::record(
        &txn,
        now,
        officer(session),
        "tender.open_bids",
        "tender",
        t.id,
        &(opened, faults),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What became of a bid at the opening.
enum Opened {
    Counted,
    /// Its counted version is not on record.
    Missing,
    /// Issue #35: its counted version (this number) was swapped or altered: not counted.
    Fault(i32, SealFault),
}

/// Unseals a bid's counted version, checks it is the one on record (issue #35) and records its
/// lots.
async fn open_bid(
    state: &AppState,
    txn: &impl ConnectionTrait,
    key: &SealKey,
    t: &tender::Model,
    lots: &[tender_lot::Model],
    b: &bid::Model,
) -> Result<Opened, AppError> {
    let Some(sub) = bid_submission::Entity::find()
        .filter(bid_submission::Column::BidId.eq(b.id))
        .filter(bid_submission::Column::Version.eq(b.submitted_versions))
        .one(txn)
        .await?
    else {
        return Ok(Opened::Missing);
    };
    let at = VersionBinding {
        bid: b.id,
        version: sub.version,
        tender: t.id,
    };
    let Ok(plain) = state.sealing.open_version(key, at, &sub.sealed) else {
        return Ok(Opened::Fault(sub.version, SealFault::DoesNotOpen));
    };
    let expected = Expected {
        digest: &sub.digest,
        tender: t.id,
        supplier: b.organisation_id,
        submitted_at: sub.submitted_at,
    };
    let content = match check_opened(&plain, expected) {
        Ok(content) => content,
        Err(fault) => return Ok(Opened::Fault(sub.version, fault)),
    };
    let mut opened_lots = 0;
    for offer in &content.lots {
        let Some(lot) = lots.get(offer.lot) else {
            continue;
        };
        opened_row(t, lot, b, &sub, &content, offer)?
            .insert(txn)
            .await?;
        opened_lots += 1;
    }
    // R-SEC-01: an opened bid holds its security, in the form the bidder chose.
    if opened_lots > 0 {
        super::security::hold_at_opening(txn, t, b.organisation_id, content.bid_security_form)
            .await?;
    }
    Ok(Opened::Counted)
}

/// Issue #35: a swapped or altered version is kept on record for the officers (the evaluation
/// page shows it) and in the audit log.
async fn report_fault(
    txn: &impl ConnectionTrait,
    session: &Session,
    t: &tender::Model,
    b: &bid::Model,
    version: i32,
    fault: SealFault,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    tracing::error!(tender = %t.id, bid = %b.id, version, reason = fault.code(), "a sealed bid is not the one on record");
    bid_seal_fault::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(t.id),
        bid_id: Set(b.id),
        version: Set(version),
        reason: Set(fault.code().to_string()),
        found_at: Set(now),
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        now,
        officer(session),
        "bid.seal_fault",
        "bid",
        b.id,
        &(version, fault.code()),
    )
    .await?;
    Ok(())
}

/// Issue #35: the versions the opening did not count because they were swapped or altered,
/// for the officers' page.
pub(super) async fn seal_faults(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<SealFaultView>, AppError> {
    let rows = bid_seal_fault::Entity::find()
        .filter(bid_seal_fault::Column::TenderId.eq(tender_id))
        .order_by_asc(bid_seal_fault::Column::FoundAt)
        .all(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let name = match bid::Entity::find_by_id(r.bid_id).one(conn).await? {
            Some(b) => organisation::Entity::find_by_id(b.organisation_id)
                .one(conn)
                .await?
                .map(|o| o.name),
            None => None,
        };
        out.push(SealFaultView {
            supplier_name: name.unwrap_or_default(),
            version: r.version,
            reason: SealFault::parse(&r.reason)
                .unwrap_or(SealFault::DoesNotOpen)
                .text(),
        });
    }
    Ok(out)
}

/// The opened bid's row for one lot it offers, with its R-SME-03 deduction fixed.
fn opened_row(
    t: &tender::Model,
    lot: &tender_lot::Model,
    b: &bid::Model,
    sub: &bid_submission::Model,
    content: &BidContent,
    offer: &LotOffer,
) -> Result<opened_bid::ActiveModel, AppError> {
    let size = content.sme_declaration.as_ref().map(|d| d.size_class);
    let deduction = deduction_for(t, lot_reserved(t, lot), size, content.subcontract_share);
    Ok(opened_bid::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(t.id),
        lot_id: Set(lot.id),
        bid_id: Set(b.id),
        organisation_id: Set(b.organisation_id),
        supplier_name: Set(content.supplier_name.clone()),
        version: Set(sub.version),
        submitted_at: Set(sub.submitted_at),
        price_fen: Set(offer.price.to_fen()),
        size_class: Set(size.map(|s| s.as_str().to_string())),
        declaration: Set(match &content.sme_declaration {
            Some(d) => Some(String::from_utf8(to_json(d)?).unwrap_or_default()),
            None => None,
        }),
        subcontract_share_bp: Set(content.subcontract_share.map(stored_bp).transpose()?),
        // R-SME-02: the winner's partners become its obligation (award notice, contract).
        partners: Set(if content.partners.is_empty() {
            None
        } else {
            Some(String::from_utf8(to_json(&content.partners)?).unwrap_or_default())
        }),
        deduction_bp: Set(stored_bp(deduction)?),
        content: Set(String::from_utf8(to_json(&LotPart {
            answers: offer.answers.clone(),
            proposal: content.proposal.clone(),
            documents: content.documents.clone(),
        })?)
        .unwrap_or_default()),
    })
}

/// The lot's part of an opened bid.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct LotPart {
    pub(super) answers: Vec<Option<Uuid>>,
    pub(super) proposal: String,
    /// The documents of the counted version (read by the evaluators after the opening).
    #[serde(default)]
    pub(super) documents: Vec<BidDocumentRef>,
}

/// The documents an opened bid's counted version listed.
pub(in crate::services) fn opened_documents(
    opened: &opened_bid::Model,
) -> Result<Vec<BidDocumentRef>, AppError> {
    Ok(from_json::<LotPart>(opened.content.as_bytes())?.documents)
}

/// The opening record: every lot (or only `only`), its state and its bids by price. The state
/// counts valid bids as the marks stand (R-BID-04, R-SME-05), so it follows the evaluation.
pub(super) async fn opening_lots(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    only: Option<&[Uuid]>,
) -> Result<Vec<OpeningLot>, AppError> {
    let awarded = awarded_lots(conn, t.id).await?;
    let mut out = Vec::new();
    for l in lot_rows(conn, t.id).await? {
        if only.is_some_and(|o| !o.contains(&l.id)) {
            continue;
        }
        let s = scored_lot(conn, t, l).await?;
        let mut bids: Vec<&opened_bid::Model> = s.bids.iter().collect();
        bids.sort_by_key(|b| (b.price_fen, b.submitted_at));
        out.push(OpeningLot {
            title: s.lot.title.clone(),
            state: lot_state(t, &s, awarded.contains(&s.lot.id)),
            lines: bids
                .iter()
                .map(|b| OpeningLine {
                    supplier_name: b.supplier_name.clone(),
                    price: Money::from_fen(b.price_fen),
                    size_class: size_of(b),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// The public notice of each lot that failed (R-BID-04) or was suspended (R-SME-05) after the
/// opening, with its reason; none before the opening or for an awarded lot.
pub async fn lot_outcomes(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
) -> Result<Vec<LotOutcomeNotice>, AppError> {
    if bid_opening::Entity::find_by_id(t.id)
        .one(conn)
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let awarded = awarded_lots(conn, t.id).await?;
    let mut out = Vec::new();
    for l in lot_rows(conn, t.id).await? {
        if awarded.contains(&l.id) {
            continue;
        }
        let s = scored_lot(conn, t, l).await?;
        let state = lot_state(t, &s, false);
        if state == LotState::Evaluating {
            continue;
        }
        let count = lot_count(&s);
        out.push(LotOutcomeNotice {
            lot_title: s.lot.title.clone(),
            state,
            valid_bids: count.valid,
            qualified_sme_bids: count.qualified_sme,
            reason: lot_outcome_of(t, &s).reason(),
        });
    }
    Ok(out)
}

/// What the count decided for each lot not awarded, as the marks stand (R-BID-04, R-SME-05):
/// what a re-tender takes up (`domain::retender`). Nothing before the opening.
pub async fn lot_openings(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
) -> Result<Vec<(tender_lot::Model, LotOpening, LotCount)>, AppError> {
    if bid_opening::Entity::find_by_id(t.id)
        .one(conn)
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let awarded = awarded_lots(conn, t.id).await?;
    let mut out = Vec::new();
    for l in lot_rows(conn, t.id).await? {
        if awarded.contains(&l.id) {
            continue;
        }
        let s = scored_lot(conn, t, l).await?;
        out.push((s.lot.clone(), lot_outcome_of(t, &s), lot_count(&s)));
    }
    Ok(out)
}

async fn awarded_lots(conn: &impl ConnectionTrait, tender_id: Uuid) -> Result<Vec<Uuid>, AppError> {
    Ok(award::Entity::find()
        .filter(award::Column::TenderId.eq(tender_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.lot_id)
        .collect())
}

/// A percentage of a submitted bid as stored, in basis points: one that does not fit is an
/// internal error, not 0 (issue #32).
fn stored_bp(percent: rust_decimal::Decimal) -> Result<i32, AppError> {
    crate::domain::Percent::new(percent)
        .to_bp_truncated()
        .map_err(|e| {
            tracing::error!(%percent, error = %e, "a bid's percentage does not fit in basis points");
            AppError::Internal { request_id: None }
        })
}
