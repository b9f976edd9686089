//! Submitting a bid (a new version, checked, sealed, digested and signed) and withdrawing it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, SqlErr};
use uuid::Uuid;

use crate::domain::bid::{BidContent, BidForm, BidTerms, DeclarationSnapshot, LotTerms};
use crate::domain::sme_share::ShareDemand;
use crate::domain::Percent;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::batch::{Reads, Writes};
use crate::infra::db::begin_write;
use crate::infra::entities::{
    audit_log, bid, bid_document, bid_submission, organisation, sme_declaration, tender,
};
use crate::infra::sealing::VersionBinding;
use crate::model::bids::*;
use crate::services::{profile, AppState};

use super::common::{check_open, own_bid, own_bid_query, public, public_tender, to_json};
use super::draft::new_bid;
use super::receipt::{make_receipt, ReceiptPayload};

/// The terms a bid is checked against.
pub(super) fn bid_terms(
    lots: &[crate::model::tenders::LotView],
    t: &tender::Model,
    declaration: Option<&crate::model::accounts::SmeDeclarationView>,
    own_records: Vec<Uuid>,
    own_credit_code: Option<String>,
) -> BidTerms {
    let reserved_whole = t.reserved_whole == Some(true);
    // R-SME-02: what a non-reserved lot asks of the bid's SME share, as the tender fixed it.
    let demand = ShareDemand::of(
        Percent::from_bp(t.sme_required_share_bp).value(),
        Percent::from_bp(t.sme_small_micro_share_bp).value(),
    );
    BidTerms {
        lots: lots
            .iter()
            .map(|l| {
                let reserved = l.reserved_for_sme || reserved_whole;
                LotTerms {
                    title: l.title.clone(),
                    ceiling: l.budget,
                    reserved,
                    small_micro_only: reserved && l.small_micro_only,
                    share_demand: if reserved { None } else { demand },
                    criteria: l.criteria.len(),
                }
            })
            .collect(),
        is_sme: declaration.is_some_and(|d| d.size_class.is_sme()),
        size_class: declaration.map(|d| d.size_class),
        own_credit_code,
        own_records,
        // R-SEC-01: with a bid security asked, the bidder chooses its form among the tender's.
        bid_security_forms: t.bid_security_fen.is_some_and(|f| f > 0).then(|| {
            crate::domain::bid_security::accepted_forms_of(t.bid_security_forms.as_deref())
        }),
    }
}

/// Submits the next version: checked in full, sealed with the tender's key, digested and
/// signed. `seen` is the number of versions the bidder's page showed.
pub async fn submit(
    state: &AppState,
    person: Uuid,
    organisation: Uuid,
    tender_id: Uuid,
    seen: i32,
    form: &BidForm,
) -> Result<SubmissionView, AppError> {
    let txn = begin_write(&state.db).await?;
    // R-BID-02: the time is read once the write may go ahead: a bid that waited for its turn
    // past the deadline is refused, not accepted with the time it arrived.
    let now = state.clock.now();
    let found = read_for_submission(&txn, organisation, tender_id).await?;
    let t = public(found.tender, now)?;
    check_open(&t, now)?;
    let declaration = found
        .declaration
        .map(profile::declaration_view)
        .transpose()?;
    let terms = bid_terms(
        &state.lots.of(&txn, &t).await?,
        &t,
        declaration.as_ref(),
        found.own_records,
        found.credit_code,
    );
    let checked = form
        .check(&terms)
        .map_err(|errors| AppError::Fields { errors })?;
    // A first submission makes its bid row only at the end, already at version 1.
    let existing = found.existing;
    let submitted_before = existing.as_ref().map_or(0, |row| row.submitted_versions);
    if submitted_before != seen {
        return Err(resubmitted(submitted_before));
    }
    let bid_id = existing.as_ref().map_or_else(Uuid::now_v7, |row| row.id);
    let content = BidContent {
        tender_id,
        supplier_id: organisation,
        supplier_name: found.firm_name,
        lots: checked.lots,
        proposal: checked.proposal,
        subcontract_share: checked.subcontract_share,
        partners: checked.partners,
        bid_security_form: checked.bid_security_form,
        // R-SME-04: the latest declaration goes with the bid, as it stands now.
        sme_declaration: declaration.map(|d| DeclarationSnapshot {
            version: d.version,
            size_class: d.size_class,
            declaration: d.declaration,
            declared_at: d.declared_at,
        }),
        // Documents are added to a bid row: a firm without one has none.
        documents: crate::services::bid_documents::opened(
            &state.sealing,
            organisation,
            tender_id,
            &found.documents,
        )?,
        submitted_at: now,
        // Issue #35: the stored digest gives no price away without what is sealed.
        salt: Some(hex::encode(state.sealing.random_key_bytes())),
    };
    let version = submitted_before + 1;
    let sealed = Sealed::new(state, &content, bid_id, version)?;
    let counted = write_submission(
        state,
        &txn,
        person,
        existing.as_ref(),
        &sealed,
        found.chain_end,
    )
    .await?;
    if !counted {
        return Err(resubmitted(submitted_before + 1));
    }
    txn.commit().await?;
    Ok(SubmissionView {
        version,
        submitted_at: now,
        digest: sealed.digest,
        receipt: sealed.receipt,
        counts: true,
    })
}

/// Everything the bid is checked against and carries.
struct ForSubmission {
    tender: Option<tender::Model>,
    declaration: Option<sme_declaration::Model>,
    own_records: Vec<Uuid>,
    existing: Option<bid::Model>,
    firm_name: String,
    /// R-SME-02: the bidder is not its own partner.
    credit_code: Option<String>,
    documents: Vec<bid_document::Model>,
    chain_end: Option<audit_log::Model>,
}

/// Reads [`ForSubmission`] in one call (issue #8: inside the write turn every call costs the
/// whole queue, see `batch`).
async fn read_for_submission(
    txn: &impl ConnectionTrait,
    organisation: Uuid,
    tender_id: Uuid,
) -> Result<ForSubmission, AppError> {
    let mut reads = Reads::default();
    let tender_row = reads.select(tender::Entity::find_by_id(tender_id));
    let declaration = reads.select(profile::latest_query(organisation));
    let records = reads.select_as::<profile::RecordId>(profile::current_record_ids(organisation));
    let existing = reads.select(own_bid_query(organisation, tender_id));
    let firm = reads.select(organisation::Entity::find_by_id(organisation));
    let documents = reads.select(crate::services::bid_documents::attached_query(
        organisation,
        tender_id,
    ));
    let chain_end = reads.select(audit::end_query());
    let mut found = reads.run(txn).await?;
    let firm = found.first(firm)?;
    Ok(ForSubmission {
        tender: found.first(tender_row)?,
        declaration: found.first(declaration)?,
        own_records: found.all(records)?.into_iter().map(|r| r.id).collect(),
        existing: found.first(existing)?,
        firm_name: firm.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
        credit_code: firm.and_then(|o| o.credit_code),
        documents: found.all(documents)?,
        chain_end: found.first(chain_end)?,
    })
}

/// A version as stored: its canonical JSON, digest and signed receipt.
struct Sealed {
    tender_id: Uuid,
    organisation: Uuid,
    bid_id: Uuid,
    version: i32,
    submitted_at: DateTime<Utc>,
    canonical: Vec<u8>,
    digest: String,
    receipt: String,
}

impl Sealed {
    fn new(
        state: &AppState,
        content: &BidContent,
        bid_id: Uuid,
        version: i32,
    ) -> Result<Sealed, AppError> {
        let canonical = to_json(content)?;
        let digest = crate::domain::bid_seal::content_digest(&canonical);
        let receipt = make_receipt(
            &state.sealing,
            &ReceiptPayload {
                tender: content.tender_id,
                bid: bid_id,
                supplier: content.supplier_id,
                version,
                submitted_at: content.submitted_at,
                digest: digest.clone(),
            },
        )?;
        Ok(Sealed {
            tender_id: content.tender_id,
            organisation: content.supplier_id,
            bid_id,
            version,
            submitted_at: content.submitted_at,
            canonical,
            digest,
            receipt,
        })
    }
}

/// Writes the version in one call: the bid row, the submission and the audit entry. `false`
/// when another submission of the same firm came first (not counted twice).
async fn write_submission(
    state: &AppState,
    txn: &impl ConnectionTrait,
    person: Uuid,
    existing: Option<&bid::Model>,
    s: &Sealed,
    chain_end: Option<audit_log::Model>,
) -> Result<bool, AppError> {
    let (now, bid_id, version) = (s.submitted_at, s.bid_id, s.version);
    let mut writes = Writes::on(txn);
    match existing {
        // Counts only if nobody submitted since this page was shown (two clicks, two tabs).
        Some(row) => writes.add(
            bid::Entity::update_many()
                .col_expr(bid::Column::SubmittedVersions, Expr::value(version))
                .col_expr(
                    bid::Column::WithdrawnAt,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .col_expr(bid::Column::Draft, Expr::value(Option::<String>::None))
                .col_expr(bid::Column::UpdatedAt, Expr::value(now))
                .filter(bid::Column::Id.eq(row.id))
                .filter(bid::Column::SubmittedVersions.eq(row.submitted_versions)),
        ),
        None => writes.add(bid::Entity::insert(new_bid(
            bid_id,
            person,
            s.organisation,
            s.tender_id,
            now,
            version,
        ))),
    };
    let own = state.sealing.bidder_key(s.organisation, s.tender_id);
    // Issue #35: each copy opens only as this version of this bid on this tender.
    let at = VersionBinding {
        bid: bid_id,
        version,
        tender: s.tender_id,
    };
    writes.add(bid_submission::Entity::insert(
        bid_submission::ActiveModel {
            id: Set(Uuid::now_v7()),
            bid_id: Set(bid_id),
            version: Set(version),
            submitted_at: Set(now),
            submitted_by: Set(person),
            sealed: Set(state.sealing.seal_version_for_tender(at, &s.canonical)),
            own_copy: Set(state.sealing.seal_version(&own, at, &s.canonical)),
            digest: Set(s.digest.clone()),
            receipt: Set(s.receipt.clone()),
        },
    ));
    // R-BID-01: the audit entry names neither bidder nor tender (the administrator reads the
    // log); the bid's id and digest tie it to the row.
    writes.audit(
        audit::Draft::new(
            now,
            audit::Actor {
                person: None,
                organisation: None,
            },
            "bid.submit",
            "bid",
            bid_id,
            &(&s.digest, version),
        ),
        chain_end,
    );
    match writes.run(txn).await {
        // The bid row, its submission and the audit entry (on PostgreSQL the statements
        // after a bid row changed meanwhile still run; the rollback undoes them).
        Ok(changed) => Ok(changed == 3),
        // PostgreSQL: the same firm's first bid (or next version), sent twice at once, was
        // made by the other (the batch's unique keys: a firm's bid on a tender, a bid's
        // version; the audit entry's is taken under the append lock, or in SQLite's turn).
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn resubmitted(versions: i32) -> AppError {
    AppError::Conflict {
        message: Text::new(
            format!("此投标刚刚已提交（第 {versions} 版），未重复计入。请刷新页面查看。"),
            format!(
                "This bid was just submitted (version {versions}); it was not counted twice. Reload the page to see it."
            ),
        ),
    }
}

pub async fn withdraw(
    state: &AppState,
    organisation: Uuid,
    tender_id: Uuid,
) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    // R-BID-02: the time is read once the write may go ahead.
    let now = state.clock.now();
    let t = public_tender(&txn, tender_id, now).await?;
    check_open(&t, now)?;
    let row = own_bid(&txn, organisation, tender_id)
        .await?
        .filter(|b| b.submitted_versions > 0 && b.withdrawn_at.is_none())
        .ok_or_else(|| AppError::Invalid {
            field: None,
            message: Text::new(
                "没有可撤回的已提交投标。",
                "There is no submitted bid to withdraw.",
            ),
        })?;
    bid::Entity::update_many()
        .col_expr(bid::Column::WithdrawnAt, Expr::value(Some(now)))
        .col_expr(bid::Column::UpdatedAt, Expr::value(now))
        .filter(bid::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        audit::Actor {
            person: None,
            organisation: None,
        },
        "bid.withdraw",
        "bid",
        row.id,
        // R-BID-01: like the submission, the entry names no bidder.
        &"withdrawn",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
