//! The supplier's page for one tender: its lots, the draft or last version, receipts, the
//! opening record, its results, the award notices and its challenges.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::bid::{BidContent, BidForm, LotOfferForm};
use crate::domain::china_day;
use crate::domain::tender::TenderStatus;
use crate::error::AppError;
use crate::infra::entities::{
    award, bid, bid_opening, bid_submission, challenge, opened_bid, tender, tender_lot,
};
use crate::infra::records::evaluation::EvaluationRecord;
use crate::model::bids::*;
use crate::services::{profile, AppState};

use super::award::award_notices;
use super::challenge::{challenge_windows, challenges_where};
use super::common::{check_open, from_json, own_bid, public_tender, status_of, unsealed};
use super::opening::opening_lots;

/// The signed-in supplier's page for one tender.
pub async fn desk(
    state: &AppState,
    organisation: Uuid,
    tender_id: Uuid,
) -> Result<BidDesk, AppError> {
    let now = state.clock.now();
    let conn = &state.db;
    let t = public_tender(conn, tender_id, now).await?;
    let detail = crate::services::tenders::find_public(
        conn,
        &state.lots,
        crate::domain::TenderId(tender_id),
        now,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let records = record_options(conn, organisation, now).await?;
    let size_class = profile::latest_sme_declaration(conn, organisation)
        .await?
        .map(|d| d.size_class);
    let lots: Vec<BidLotView> = detail
        .lots
        .iter()
        .map(|l| BidLotView {
            title: l.title.clone(),
            ceiling: l.budget,
            reserved: l.reserved_for_sme || detail.reserved_whole,
            criteria: l.criteria.clone(),
        })
        .collect();
    let own = match own_bid(conn, organisation, tender_id).await? {
        Some(row) => own_versions(state, &row, lots.len()).await?,
        None => OwnBid::none(lots.len()),
    };
    let opening = opening_record(conn, &t, organisation).await?;
    let results = own_results(conn, tender_id, organisation).await?;
    let awards = award_notices(conn, tender_id).await?;
    // R-SEC-01: a bidder's security comes back within 5 working days of the (latest) award
    // notice of its lots, counted as set then: a calendar uploaded since never makes it
    // earlier (#34); the page says whether it was refunded, late or overdue.
    let own_security = if opening.is_some() {
        super::security::own_security(state, &t, organisation).await?
    } else {
        None
    };
    let bid_security = t
        .bid_security_fen
        .filter(|f| *f > 0)
        .map(crate::domain::Money::from_fen);
    let challenges = challenges_where(
        &state.calendar.current(),
        conn,
        sea_orm::Condition::all()
            .add(challenge::Column::TenderId.eq(tender_id))
            .add(challenge::Column::OrganisationId.eq(organisation)),
        china_day(now),
    )
    .await?;
    // R-CHAL-01: the terms for anyone; the opening, the evaluation and the award for a bidder,
    // each once public.
    let windows = challenge_windows(state, conn, &t, organisation, china_day(now)).await?;
    let until = |subject| {
        windows
            .iter()
            .find(|w: &&ChallengeWindowView| w.subject == subject)
            .copied()
    };
    let challenge_terms_until = until(ChallengeSubject::Terms);
    let challenge_award_until = until(ChallengeSubject::Award);
    Ok(BidDesk {
        open: check_open(&t, now).is_ok(),
        cancelled: status_of(&t)? == TenderStatus::Cancelled,
        challenge_terms_until: challenge_terms_until.map(|c| c.until),
        challenge_terms_until_provisional: challenge_terms_until.is_some_and(|c| c.provisional),
        tender: detail.summary,
        lots,
        records,
        size_class,
        form: own.form,
        unsubmitted_changes: own.unsubmitted_changes,
        documents: own.documents,
        submitted_versions: own.versions,
        withdrawn: own.withdrawn,
        submissions: own.submissions,
        opening,
        results,
        awards: awards.into_iter().map(|(_, a)| a).collect(),
        challenges,
        challenge_award_until: challenge_award_until.map(|c| c.until),
        challenge_windows: windows,
        challenge_award_until_provisional: challenge_award_until.is_some_and(|c| c.provisional),
        bid_security_refund_by: own_security.as_ref().and_then(|s| s.refund_by),
        bid_security_refund_by_provisional: own_security
            .as_ref()
            .is_some_and(|s| s.refund_by.is_some() && s.refund_by_provisional),
        bid_security,
        bid_security_forms: if bid_security.is_some() {
            crate::domain::bid_security::accepted_forms_of(t.bid_security_forms.as_deref())
        } else {
            Vec::new()
        },
        own_security,
    })
}

/// The firm's capability records it can answer requirements with.
async fn record_options(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<RecordOption>, AppError> {
    Ok(profile::capabilities(conn, organisation, now)
        .await?
        .into_iter()
        .map(|r| RecordOption {
            id: r.id,
            label: match &r.capability.number {
                Some(n) => format!("{} ({n})", r.capability.title),
                None => r.capability.title.clone(),
            },
            expired: r.validity == crate::domain::capability::Validity::Expired,
        })
        .collect())
}

/// The firm's own bid as its page shows it: the form (the draft, else the latest version),
/// its documents and its submitted versions.
struct OwnBid {
    form: BidForm,
    unsubmitted_changes: bool,
    documents: Vec<BidDocumentView>,
    versions: i32,
    withdrawn: bool,
    submissions: Vec<SubmissionView>,
}

impl OwnBid {
    /// No bid row yet: an empty form with a line per lot.
    fn none(lots: usize) -> OwnBid {
        OwnBid {
            form: BidForm {
                lots: vec![LotOfferForm::default(); lots],
                ..BidForm::default()
            },
            unsubmitted_changes: false,
            documents: Vec::new(),
            versions: 0,
            withdrawn: false,
            submissions: Vec::new(),
        }
    }
}

/// Reads the firm's bid row back: its documents, versions, and the form, unsealed with the
/// bidder's key.
async fn own_versions(state: &AppState, row: &bid::Model, lots: usize) -> Result<OwnBid, AppError> {
    let conn = &state.db;
    let (organisation, tender_id) = (row.organisation_id, row.tender_id);
    let key = state.sealing.bidder_key(organisation, tender_id);
    let mut own = OwnBid::none(lots);
    own.documents =
        crate::services::bid_documents::attached(conn, &state.sealing, organisation, tender_id)
            .await?
            .into_iter()
            .map(|d| BidDocumentView {
                href: crate::paths::own_bid_document(tender_id, d.id),
                document: d,
            })
            .collect();
    own.versions = row.submitted_versions;
    own.withdrawn = row.withdrawn_at.is_some();
    let subs = bid_submission::Entity::find()
        .filter(bid_submission::Column::BidId.eq(row.id))
        .order_by_desc(bid_submission::Column::Version)
        .all(conn)
        .await?;
    if let Some(latest) = subs.first() {
        let plain = state
            .sealing
            .open(&key, row.id, &latest.own_copy)
            .map_err(unsealed)?;
        let content: BidContent = from_json(&plain)?;
        own.form = form_of(&content, lots);
    }
    own.submissions = subs
        .into_iter()
        .map(|s| SubmissionView {
            counts: s.version == own.versions && !own.withdrawn,
            version: s.version,
            submitted_at: s.submitted_at,
            digest: s.digest,
            receipt: s.receipt,
        })
        .collect();
    if let Some(draft) = &row.draft {
        let plain = state.sealing.open(&key, row.id, draft).map_err(unsealed)?;
        own.form = from_json(&plain)?;
        own.form.lots.resize(lots, LotOfferForm::default());
        own.unsubmitted_changes = true;
    }
    Ok(own)
}

/// After the opening: the record of the lots this supplier bid on.
async fn opening_record(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    organisation: Uuid,
) -> Result<Option<OpeningRecord>, AppError> {
    let Some(o) = bid_opening::Entity::find_by_id(t.id).one(conn).await? else {
        return Ok(None);
    };
    let mine = opened_bid::Entity::find()
        .filter(opened_bid::Column::TenderId.eq(t.id))
        .filter(opened_bid::Column::OrganisationId.eq(organisation))
        .all(conn)
        .await?;
    let lot_ids: Vec<Uuid> = mine.iter().map(|m| m.lot_id).collect();
    if lot_ids.is_empty() {
        return Ok(None);
    }
    Ok(Some(OpeningRecord {
        opened_at: o.opened_at,
        lots: opening_lots(conn, t, Some(&lot_ids)).await?,
    }))
}

/// After an award: this supplier's own line of each awarded lot's evaluation.
async fn own_results(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
    organisation: Uuid,
) -> Result<Vec<(String, ScoreLine)>, AppError> {
    let mut results = Vec::new();
    for a in award::Entity::find()
        .filter(award::Column::TenderId.eq(tender_id))
        .all(conn)
        .await?
    {
        let evaluation = EvaluationRecord::from_json(&a.evaluation)?;
        if let Some(line) = evaluation.line_of(organisation) {
            let title = tender_lot::Entity::find_by_id(a.lot_id)
                .one(conn)
                .await?
                .map(|l| l.title)
                .unwrap_or_default();
            results.push((title, line));
        }
    }
    Ok(results)
}

/// A submitted content read back as the form that produced it.
pub(super) fn form_of(content: &BidContent, lots: usize) -> BidForm {
    let mut forms = vec![LotOfferForm::default(); lots];
    for offer in &content.lots {
        if let Some(f) = forms.get_mut(offer.lot) {
            *f = LotOfferForm {
                include: Some("on".into()),
                price: offer.price.amount().to_string(),
                answers: offer
                    .answers
                    .iter()
                    .map(|a| a.map(|id| id.to_string()).unwrap_or_default())
                    .collect(),
            };
        }
    }
    BidForm {
        lots: forms,
        proposal: content.proposal.clone(),
        subcontract_share: content
            .subcontract_share
            .map(|s| s.to_string())
            .unwrap_or_default(),
        bid_security_form: content
            .bid_security_form
            .map(|f| f.code().to_string())
            .unwrap_or_default(),
    }
}
