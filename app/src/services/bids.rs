//! Bids (issue #5): drafts, sealed submissions and receipts, the opening, evaluation marks,
//! awards and challenges. Every query is scoped: a supplier reads only its own bid, an agency
//! only its own tenders, and nobody reads a bid's content before the deadline (R-BID-01).

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select,
    Set, SqlErr,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::bid::{
    BidContent, BidDocumentRef, BidForm, BidTerms, DeclarationSnapshot, LotOfferForm, LotTerms,
};
use crate::domain::policy::Policy;
use crate::domain::sme::SizeClass;
use crate::domain::tender::TenderStatus;
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::batch::{Reads, Writes};
use crate::infra::db::{begin_write, begin_write_at};
use crate::infra::entities::{
    award, bid, bid_mark, bid_opening, bid_submission, challenge, opened_bid, organisation, tender,
    tender_criterion, tender_lot,
};
use crate::model::accounts::Session;
use crate::model::bids::*;
use crate::services::{profile, AppState};

/// The largest draft kept (its JSON, before sealing).
const MAX_DRAFT_BYTES: usize = 200_000;

/// The signed-in agency officer: `officer_only` for opening, awarding and answering
/// challenges (procurement officers); otherwise evaluators too.
pub async fn agency_session(officer_only: bool) -> Result<Session, AppError> {
    use crate::domain::auth::Action;
    let action = if officer_only {
        Action::CreateTender
    } else {
        Action::EvaluateBids
    };
    let session = crate::server_fns::session::require(action).await?;
    session.organisation_id.ok_or(AppError::Forbidden)?;
    Ok(session)
}

fn deadline_passed() -> AppError {
    // R-BID-02: after the deadline nothing is submitted, changed or withdrawn.
    AppError::Conflict {
        message: Text::new(
            "投标已截止：不能再提交、修改或撤回投标（R-BID-02）。",
            "Bidding has closed: bids can no longer be submitted, changed or withdrawn (R-BID-02).",
        ),
    }
}

fn cancelled() -> AppError {
    AppError::Conflict {
        message: Text::new(
            "该项目已取消，不接受投标。",
            "This tender was cancelled: it takes no bids.",
        ),
    }
}

/// A public tender (published, or cancelled after publication); anything else is not found.
pub(super) async fn public_tender(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<tender::Model, AppError> {
    public(tender::Entity::find_by_id(id).one(conn).await?, now)
}

/// `found` if it is a public tender at `now` (see [`public_tender`]).
fn public(found: Option<tender::Model>, now: DateTime<Utc>) -> Result<tender::Model, AppError> {
    found
        .filter(|t| {
            t.status != TenderStatus::Draft.as_str() && t.published_at.is_some_and(|p| p <= now)
        })
        .ok_or(AppError::NotFound)
}

/// The tender takes bids now: published, not cancelled, deadline not reached (R-BID-02).
pub(super) fn check_open(t: &tender::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    if t.status == TenderStatus::Cancelled.as_str() {
        return Err(cancelled());
    }
    // The deadline instant itself is closed: one millisecond before is in time.
    if now >= t.bid_deadline {
        return Err(deadline_passed());
    }
    Ok(())
}

pub(super) async fn own_bid(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    tender: Uuid,
) -> Result<Option<bid::Model>, AppError> {
    Ok(own_bid_query(organisation, tender).one(conn).await?)
}

/// The firm's bid row on the tender (there is at most one).
pub(super) fn own_bid_query(organisation: Uuid, tender: Uuid) -> Select<bid::Entity> {
    bid::Entity::find()
        .filter(bid::Column::TenderId.eq(tender))
        .filter(bid::Column::OrganisationId.eq(organisation))
}

pub(super) fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(value).map_err(|e| {
        tracing::error!(error = %e, "serialising a bid");
        AppError::Internal { request_id: None }
    })
}

pub(super) fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(bytes).map_err(|e| {
        tracing::error!(error = %e, "a stored bid does not parse");
        AppError::Internal { request_id: None }
    })
}

pub(super) fn unsealed(e: crate::infra::sealing::SealError) -> AppError {
    tracing::error!(error = %e, "a sealed bid value did not open");
    AppError::Internal { request_id: None }
}

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

pub(super) async fn ensure_bid(
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
fn new_bid(
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

/// What the receipt says, signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptPayload {
    pub tender: Uuid,
    pub bid: Uuid,
    pub supplier: Uuid,
    pub version: i32,
    pub submitted_at: DateTime<Utc>,
    pub digest: String,
}

const RECEIPT_PREFIX: &str = "FTR1";

/// `FTR1.<payload, base64url JSON>.<Ed25519 signature of "FTR1.<payload>">`. Public so that
/// the benchmark's generator writes receipts exactly as the server does.
pub fn make_receipt(
    sealing: &crate::infra::sealing::Sealing,
    payload: &ReceiptPayload,
) -> Result<String, AppError> {
    let signed = format!(
        "{RECEIPT_PREFIX}.{}",
        URL_SAFE_NO_PAD.encode(to_json(payload)?)
    );
    let signature = sealing.sign(signed.as_bytes());
    Ok(format!("{signed}.{signature}"))
}

/// The payload of a receipt made by [`make_receipt`] with the same keys, or `None`. Whitespace
/// is ignored (receipts get wrapped when pasted). Takes the keys rather than the state so the
/// receipt fuzz target (fuzz/) can run it without a database.
pub fn read_receipt(
    sealing: &crate::infra::sealing::Sealing,
    receipt: &str,
) -> Option<ReceiptPayload> {
    let receipt: String = receipt.chars().filter(|c| !c.is_whitespace()).collect();
    let (signed, signature) = receipt.rsplit_once('.')?;
    let payload = signed.strip_prefix(&format!("{RECEIPT_PREFIX}."))?;
    if !sealing.verify(signed.as_bytes(), signature) {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The terms a bid is checked against.
fn bid_terms(
    lots: &[crate::model::tenders::LotView],
    t: &tender::Model,
    declaration: Option<&crate::model::accounts::SmeDeclarationView>,
    own_records: Vec<Uuid>,
) -> BidTerms {
    let reserved_whole = t.reserved_whole == Some(true);
    BidTerms {
        lots: lots
            .iter()
            .map(|l| LotTerms {
                title: l.title.clone(),
                ceiling: l.budget,
                reserved: l.reserved_for_sme || reserved_whole,
                criteria: l.criteria.len(),
            })
            .collect(),
        is_sme: declaration.is_some_and(|d| d.size_class.is_sme()),
        own_records,
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
    // Everything the bid is checked against and carries, read in one call (issue #8: inside
    // the write turn every call costs the whole queue, see `batch`).
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
    let mut found = reads.run(&txn).await?;
    let t = public(found.first(tender_row)?, now)?;
    check_open(&t, now)?;
    let declaration = found
        .first(declaration)?
        .map(profile::declaration_view)
        .transpose()?;
    let own_records = found.all(records)?.into_iter().map(|r| r.id).collect();
    let terms = bid_terms(
        &state.lots.of(&txn, t.id).await?,
        &t,
        declaration.as_ref(),
        own_records,
    );
    let checked = form
        .check(&terms)
        .map_err(|errors| AppError::Fields { errors })?;
    // A first submission makes its bid row only at the end, already at version 1.
    let existing = found.first(existing)?;
    let submitted_before = existing.as_ref().map_or(0, |row| row.submitted_versions);
    if submitted_before != seen {
        return Err(resubmitted(submitted_before));
    }
    let bid_id = existing.as_ref().map_or_else(Uuid::now_v7, |row| row.id);
    let content = BidContent {
        tender_id,
        supplier_id: organisation,
        supplier_name: found.first(firm)?.map(|o| o.name).unwrap_or_default(),
        lots: checked.lots,
        proposal: checked.proposal,
        subcontract_share: checked.subcontract_share,
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
            &found.all(documents)?,
        )?,
        submitted_at: now,
    };
    let canonical = to_json(&content)?;
    let digest = hex::encode(Sha256::digest(&canonical));
    let version = submitted_before + 1;
    let receipt = make_receipt(
        &state.sealing,
        &ReceiptPayload {
            tender: tender_id,
            bid: bid_id,
            supplier: organisation,
            version,
            submitted_at: now,
            digest: digest.clone(),
        },
    )?;
    let mut writes = Writes::on(&txn);
    match &existing {
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
            organisation,
            tender_id,
            now,
            version,
        ))),
    };
    let own = state.sealing.bidder_key(organisation, tender_id);
    writes.add(bid_submission::Entity::insert(
        bid_submission::ActiveModel {
            id: Set(Uuid::now_v7()),
            bid_id: Set(bid_id),
            version: Set(version),
            submitted_at: Set(now),
            submitted_by: Set(person),
            sealed: Set(state.sealing.seal_for_tender(tender_id, bid_id, &canonical)),
            own_copy: Set(state.sealing.seal(&own, bid_id, &canonical)),
            digest: Set(digest.clone()),
            receipt: Set(receipt.clone()),
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
            &(&digest, version),
        ),
        found.first(chain_end)?,
    );
    let counted = match writes.run(&txn).await {
        // The bid row, its submission and the audit entry (on PostgreSQL the statements
        // after a bid row changed meanwhile still run; the rollback undoes them).
        Ok(changed) => changed == 3,
        // PostgreSQL: the same firm's first bid (or next version), sent twice at once, was
        // made by the other (the batch's unique keys: a firm's bid on a tender, a bid's
        // version; the audit entry's is taken under the append lock, or in SQLite's turn).
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => false,
        Err(e) => return Err(e.into()),
    };
    if !counted {
        return Err(resubmitted(submitted_before + 1));
    }
    txn.commit().await?;
    Ok(SubmissionView {
        version,
        submitted_at: now,
        digest,
        receipt,
        counts: true,
    })
}

fn resubmitted(versions: i32) -> AppError {
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

pub async fn verify_receipt(state: &AppState, receipt: &str) -> Result<ReceiptCheck, AppError> {
    let invalid = |message: Text| ReceiptCheck {
        valid: false,
        message,
        tender_title: None,
        version: None,
        submitted_at: None,
        digest: None,
    };
    if receipt.trim().is_empty() {
        return Err(AppError::invalid(
            "receipt",
            Text::new("请粘贴投标回执。", "Paste a submission receipt."),
        ));
    }
    let Some(payload) = read_receipt(&state.sealing, receipt) else {
        return Ok(invalid(Text::new(
            "回执无效：签名不符，回执被改动过或并非本平台签发。",
            "Not valid: the signature does not match. The receipt was changed or was not issued by fairtender.",
        )));
    };
    let stored = bid_submission::Entity::find()
        .filter(bid_submission::Column::BidId.eq(payload.bid))
        .filter(bid_submission::Column::Version.eq(payload.version))
        .one(&state.db)
        .await?;
    let Some(stored) = stored.filter(|s| {
        s.digest == payload.digest
            && s.submitted_at.timestamp_micros() == payload.submitted_at.timestamp_micros()
    }) else {
        return Ok(invalid(Text::new(
            "回执签名有效，但平台没有与之相符的投标记录。",
            "The signature is valid, but no matching submission is on record.",
        )));
    };
    let title = tender::Entity::find_by_id(payload.tender)
        .one(&state.db)
        .await?
        .map(|t| t.title);
    let bid = bid::Entity::find_by_id(payload.bid).one(&state.db).await?;
    let counts =
        bid.is_some_and(|b| b.submitted_versions == payload.version && b.withdrawn_at.is_none());
    let at = stored.submitted_at.format("%Y-%m-%d %H:%M:%S%.3f UTC");
    Ok(ReceiptCheck {
        valid: true,
        message: if counts {
            Text::new(
                format!(
                    "回执有效：第 {} 版投标于 {at} 收到，是现行有效的版本。",
                    payload.version
                ),
                format!(
                    "Valid: version {} was received at {at} and is the version that counts.",
                    payload.version
                ),
            )
        } else {
            Text::new(
                format!("回执有效：第 {} 版投标于 {at} 收到；此后已被替换或撤回。", payload.version),
                format!("Valid: version {} was received at {at}; it has since been replaced or withdrawn.", payload.version),
            )
        },
        tender_title: title,
        version: Some(payload.version),
        submitted_at: Some(stored.submitted_at),
        digest: Some(stored.digest),
    })
}

/// A submitted content read back as the form that produced it.
fn form_of(content: &BidContent, lots: usize) -> BidForm {
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
    }
}

/// `n` working days after `day`. Where the calendar lacks the year, Monday to Friday count (a
/// holiday in that year is then wrongly counted as a working day); a warning is logged so the
/// missing year gets added.
pub(crate) fn working_days_after(state: &AppState, day: NaiveDate, n: u32) -> NaiveDate {
    match state.calendar.add_working_days(day, n) {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e.text().en, "working-day calendar incomplete: counting weekdays");
            let mut d = day;
            let mut left = n;
            while left > 0 {
                d += chrono::Duration::days(1);
                if !matches!(
                    chrono::Datelike::weekday(&d),
                    chrono::Weekday::Sat | chrono::Weekday::Sun
                ) {
                    left -= 1;
                }
            }
            d
        }
    }
}

/// R-CHAL-01: the working days to challenge, and to answer.
const CHALLENGE_WORKING_DAYS: u32 = 7;
/// R-AWARD-01: days from award to the signed contract.
const SIGN_CONTRACT_DAYS: i64 = 30;

/// The public award notices of a tender, lot by lot (R-SME-04: with the winner's declaration).
pub async fn award_notices(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<(Uuid, AwardNotice)>, AppError> {
    let awards = award::Entity::find()
        .filter(award::Column::TenderId.eq(tender_id))
        .all(conn)
        .await?;
    if awards.is_empty() {
        return Ok(Vec::new());
    }
    let lots: HashMap<Uuid, tender_lot::Model> = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(tender_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut out = Vec::new();
    for a in awards {
        let Some(winner) = opened_bid::Entity::find_by_id(a.opened_bid_id)
            .one(conn)
            .await?
        else {
            continue;
        };
        let declaration: Option<DeclarationSnapshot> = match &winner.declaration {
            Some(json) => Some(from_json(json.as_bytes())?),
            None => None,
        };
        let position = lots.get(&a.lot_id).map_or(i32::MAX, |l| l.position);
        out.push((
            a.lot_id,
            position,
            AwardNotice {
                lot_title: lots
                    .get(&a.lot_id)
                    .map(|l| l.title.clone())
                    .unwrap_or_default(),
                supplier_name: winner.supplier_name,
                price: Money::from_fen(a.price_fen),
                size_class: declaration.as_ref().map(|d| d.size_class),
                declaration: declaration.map(|d| d.declaration),
                decided_at: a.decided_at,
                notice_published_at: a.notice_published_at,
                sign_contract_by: china_day(a.decided_at)
                    + chrono::Duration::days(SIGN_CONTRACT_DAYS),
            },
        ));
    }
    out.sort_by_key(|(_, p, _)| *p);
    Ok(out.into_iter().map(|(id, _, n)| (id, n)).collect())
}

fn challenge_view(
    c: challenge::Model,
    title: &str,
    supplier: &str,
    today: NaiveDate,
) -> ChallengeView {
    ChallengeView {
        id: c.id,
        tender_id: c.tender_id,
        tender_title: title.to_string(),
        supplier_name: supplier.to_string(),
        subject: ChallengeSubject::parse(&c.subject).unwrap_or(ChallengeSubject::Terms),
        body: c.body,
        filed_at: c.filed_at,
        answer_due: c.answer_due,
        overdue: c.answer.is_none() && today > c.answer_due,
        answer: c.answer,
        answered_at: c.answered_at,
    }
}

async fn challenges_where(
    conn: &impl ConnectionTrait,
    filter: sea_orm::Condition,
    today: NaiveDate,
) -> Result<Vec<ChallengeView>, AppError> {
    let rows = challenge::Entity::find()
        .filter(filter)
        .order_by_asc(challenge::Column::AnswerDue)
        .order_by_asc(challenge::Column::FiledAt)
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for c in rows {
        let title = tender::Entity::find_by_id(c.tender_id)
            .one(conn)
            .await?
            .map(|t| t.title)
            .unwrap_or_default();
        let supplier = organisation::Entity::find_by_id(c.organisation_id)
            .one(conn)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        out.push(challenge_view(c, &title, &supplier, today));
    }
    Ok(out)
}

/// R-CHAL-01: the last day to challenge the terms (7 working days after the tender or its
/// latest clarification was published).
async fn terms_challenge_until(
    state: &AppState,
    t: &tender::Model,
) -> Result<Option<NaiveDate>, AppError> {
    let Some(published) = t.published_at else {
        return Ok(None);
    };
    let latest = crate::services::tenders::clarifications_of(&state.db, t.id)
        .await?
        .iter()
        .map(|c| c.published_at)
        .fold(published, DateTime::max);
    Ok(Some(working_days_after(
        state,
        china_day(latest),
        CHALLENGE_WORKING_DAYS,
    )))
}

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
    let records = profile::capabilities(conn, organisation, now)
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
        .collect();
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
    let row = own_bid(conn, organisation, tender_id).await?;
    let key = state.sealing.bidder_key(organisation, tender_id);
    let mut submissions = Vec::new();
    let mut form = BidForm {
        lots: vec![LotOfferForm::default(); lots.len()],
        ..BidForm::default()
    };
    let mut unsubmitted_changes = false;
    let (mut versions, mut withdrawn) = (0, false);
    let mut documents = Vec::new();
    if let Some(row) = &row {
        documents =
            crate::services::bid_documents::attached(conn, &state.sealing, organisation, tender_id)
                .await?
                .into_iter()
                .map(|d| BidDocumentView {
                    href: own_bid_document_href(tender_id, d.id),
                    document: d,
                })
                .collect();
        versions = row.submitted_versions;
        withdrawn = row.withdrawn_at.is_some();
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
            form = form_of(&content, lots.len());
        }
        submissions = subs
            .into_iter()
            .map(|s| SubmissionView {
                counts: s.version == versions && !withdrawn,
                version: s.version,
                submitted_at: s.submitted_at,
                digest: s.digest,
                receipt: s.receipt,
            })
            .collect();
        if let Some(draft) = &row.draft {
            let plain = state.sealing.open(&key, row.id, draft).map_err(unsealed)?;
            form = from_json(&plain)?;
            form.lots.resize(lots.len(), LotOfferForm::default());
            unsubmitted_changes = true;
        }
    }
    // After the opening: the record of the lots this supplier bid on.
    let opening = match bid_opening::Entity::find_by_id(tender_id).one(conn).await? {
        Some(o) => {
            let mine = opened_bid::Entity::find()
                .filter(opened_bid::Column::TenderId.eq(tender_id))
                .filter(opened_bid::Column::OrganisationId.eq(organisation))
                .all(conn)
                .await?;
            let lot_ids: Vec<Uuid> = mine.iter().map(|m| m.lot_id).collect();
            if lot_ids.is_empty() {
                None
            } else {
                Some(OpeningRecord {
                    opened_at: o.opened_at,
                    lots: opening_lots(conn, &t, Some(&lot_ids)).await?,
                })
            }
        }
        None => None,
    };
    // After an award: this supplier's own line of each awarded lot's evaluation.
    let mut results = Vec::new();
    for a in award::Entity::find()
        .filter(award::Column::TenderId.eq(tender_id))
        .all(conn)
        .await?
    {
        let lines: Vec<(Uuid, Uuid, ScoreLine)> = from_json(a.evaluation.as_bytes())?;
        if let Some((_, _, line)) = lines.into_iter().find(|(_, org, _)| *org == organisation) {
            let title = tender_lot::Entity::find_by_id(a.lot_id)
                .one(conn)
                .await?
                .map(|l| l.title)
                .unwrap_or_default();
            results.push((title, line));
        }
    }
    let awards = award_notices(conn, tender_id).await?;
    let challenge_award_until = awards
        .iter()
        .map(|(_, a)| a.notice_published_at)
        .max()
        .filter(|_| opening.is_some())
        .map(|at| working_days_after(state, china_day(at), CHALLENGE_WORKING_DAYS));
    let challenges = challenges_where(
        conn,
        sea_orm::Condition::all()
            .add(challenge::Column::TenderId.eq(tender_id))
            .add(challenge::Column::OrganisationId.eq(organisation)),
        china_day(now),
    )
    .await?;
    Ok(BidDesk {
        open: check_open(&t, now).is_ok(),
        cancelled: t.status == TenderStatus::Cancelled.as_str(),
        challenge_terms_until: terms_challenge_until(state, &t).await?,
        tender: detail.summary,
        lots,
        records,
        size_class,
        form,
        unsubmitted_changes,
        documents,
        submitted_versions: versions,
        withdrawn,
        submissions,
        opening,
        results,
        awards: awards.into_iter().map(|(_, a)| a).collect(),
        challenges,
        challenge_award_until,
    })
}

/// Lot rows of a tender in order.
async fn lot_rows(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<tender_lot::Model>, AppError> {
    Ok(tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(tender_id))
        .order_by_asc(tender_lot::Column::Position)
        .all(conn)
        .await?)
}

fn size_of(row: &opened_bid::Model) -> Option<SizeClass> {
    row.size_class.as_deref().and_then(SizeClass::parse)
}

fn lot_reserved(t: &tender::Model, lot: &tender_lot::Model) -> bool {
    lot.reserved_for_sme || t.reserved_whole == Some(true)
}

/// How a lot stands after the opening (R-BID-04, R-SME-05), or awarded.
fn lot_state(
    t: &tender::Model,
    lot: &tender_lot::Model,
    bids: &[opened_bid::Model],
    awarded: bool,
) -> LotState {
    use crate::domain::evaluation::{lot_outcome_at_opening, LotOpening};
    if awarded {
        return LotState::Awarded;
    }
    let sme = bids
        .iter()
        .filter(|b| size_of(b).is_some_and(SizeClass::is_sme))
        .count();
    match lot_outcome_at_opening(bids.len(), sme, lot_reserved(t, lot)) {
        LotOpening::Proceeds => LotState::Evaluating,
        LotOpening::Failed => LotState::Failed,
        LotOpening::Suspended => LotState::Suspended,
    }
}

/// The opening record: every lot (or only `only`), its state and its bids by price.
async fn opening_lots(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    only: Option<&[Uuid]>,
) -> Result<Vec<OpeningLot>, AppError> {
    let all = opened_bid::Entity::find()
        .filter(opened_bid::Column::TenderId.eq(t.id))
        .order_by_asc(opened_bid::Column::PriceFen)
        .order_by_asc(opened_bid::Column::SubmittedAt)
        .all(conn)
        .await?;
    let awarded: Vec<Uuid> = award::Entity::find()
        .filter(award::Column::TenderId.eq(t.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.lot_id)
        .collect();
    Ok(lot_rows(conn, t.id)
        .await?
        .into_iter()
        .filter(|l| only.is_none_or(|o| o.contains(&l.id)))
        .map(|l| {
            let bids: Vec<opened_bid::Model> =
                all.iter().filter(|b| b.lot_id == l.id).cloned().collect();
            OpeningLot {
                title: l.title.clone(),
                state: lot_state(t, &l, &bids, awarded.contains(&l.id)),
                lines: bids
                    .iter()
                    .map(|b| OpeningLine {
                        supplier_name: b.supplier_name.clone(),
                        price: Money::from_fen(b.price_fen),
                        size_class: size_of(b),
                    })
                    .collect(),
            }
        })
        .collect())
}

/// One of the caller's agency's public tenders.
pub(super) async fn agency_tender(
    conn: &impl ConnectionTrait,
    session: &Session,
    tender_id: Uuid,
    now: DateTime<Utc>,
) -> Result<tender::Model, AppError> {
    let t = public_tender(conn, tender_id, now).await?;
    if Some(t.agency_id) != session.organisation_id {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

fn officer(session: &Session) -> audit::Actor {
    audit::Actor {
        person: Some(session.person_id),
        organisation: session.organisation_id,
    }
}

/// Opens the bids once the deadline has passed: each counted bid's latest version is
/// unsealed with the tender's key and its lots recorded.
pub async fn open(state: &AppState, session: &Session, tender_id: Uuid) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let t = agency_tender(&txn, session, tender_id, now).await?;
    if t.status == TenderStatus::Cancelled.as_str() {
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
        opened_by: Set(session.person_id),
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
    let mut opened = 0;
    for b in bids {
        let Some(sub) = bid_submission::Entity::find()
            .filter(bid_submission::Column::BidId.eq(b.id))
            .filter(bid_submission::Column::Version.eq(b.submitted_versions))
            .one(&txn)
            .await?
        else {
            continue;
        };
        let plain = state
            .sealing
            .open(&key, b.id, &sub.sealed)
            .map_err(unsealed)?;
        let content: BidContent = from_json(&plain)?;
        for offer in &content.lots {
            let Some(lot) = lots.get(offer.lot) else {
                continue;
            };
            let size = content.sme_declaration.as_ref().map(|d| d.size_class);
            let deduction =
                deduction_for(&t, lot_reserved(&t, lot), size, content.subcontract_share);
            opened_bid::ActiveModel {
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
                subcontract_share_bp: Set(content
                    .subcontract_share
                    .map(crate::domain::draft::percent_to_bp)),
                deduction_bp: Set(crate::domain::draft::percent_to_bp(deduction)),
                content: Set(String::from_utf8(to_json(&LotPart {
                    answers: offer.answers.clone(),
                    proposal: content.proposal.clone(),
                    documents: content.documents.clone(),
                })?)
                .unwrap_or_default()),
            }
            .insert(&txn)
            .await?;
        }
        opened += 1;
    }
    audit::record(
        &txn,
        now,
        officer(session),
        "tender.open_bids",
        "tender",
        t.id,
        &opened,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The lot's part of an opened bid.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct LotPart {
    answers: Vec<Option<Uuid>>,
    proposal: String,
    /// The documents of the counted version (read by the evaluators after the opening).
    #[serde(default)]
    documents: Vec<BidDocumentRef>,
}

/// The documents an opened bid's counted version listed.
pub(super) fn opened_documents(
    opened: &opened_bid::Model,
) -> Result<Vec<BidDocumentRef>, AppError> {
    Ok(from_json::<LotPart>(opened.content.as_bytes())?.documents)
}

/// A lot's criteria with their ids, in order.
async fn criteria_of(
    conn: &impl ConnectionTrait,
    lot: Uuid,
) -> Result<Vec<tender_criterion::Model>, AppError> {
    Ok(tender_criterion::Entity::find()
        .filter(tender_criterion::Column::LotId.eq(lot))
        .order_by_asc(tender_criterion::Column::Position)
        .all(conn)
        .await?)
}

fn criterion_view(c: &tender_criterion::Model) -> crate::model::tenders::CriterionView {
    crate::model::tenders::CriterionView {
        kind: crate::domain::publication::CriterionKind::parse(&c.kind)
            .unwrap_or(crate::domain::publication::CriterionKind::TechnicalApproach),
        requirement: c.requirement.clone(),
        weight: c.weight_bp.map(crate::domain::draft::bp_to_percent),
    }
}

/// Everything evaluation needs about one lot: its bids with their marks, scored.
struct ScoredLot {
    lot: tender_lot::Model,
    criteria: Vec<tender_criterion::Model>,
    bids: Vec<opened_bid::Model>,
    lines: Vec<ScoreLine>,
    incomplete: Vec<Text>,
}

async fn scored_lot(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    lot: tender_lot::Model,
) -> Result<ScoredLot, AppError> {
    let criteria = criteria_of(conn, lot.id).await?;
    let bids = opened_bid::Entity::find()
        .filter(opened_bid::Column::LotId.eq(lot.id))
        .order_by_asc(opened_bid::Column::SubmittedAt)
        .order_by_asc(opened_bid::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = bids.iter().map(|b| b.id).collect();
    let marks = if ids.is_empty() {
        Vec::new()
    } else {
        bid_mark::Entity::find()
            .filter(bid_mark::Column::OpenedBidId.is_in(ids))
            .all(conn)
            .await?
    };
    let (lines, incomplete) =
        score_lot(t, Money::from_fen(lot.budget_fen), &criteria, &bids, &marks);
    Ok(ScoredLot {
        lot,
        criteria,
        bids,
        lines,
        incomplete,
    })
}

/// The agency's page: sealed, ready to open, or opened with every lot's evaluation.
pub async fn evaluation_page(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
) -> Result<EvaluationPage, AppError> {
    use crate::domain::auth::{permits, Action};
    let now = state.clock.now();
    let conn = &state.db;
    let t = agency_tender(conn, session, tender_id, now).await?;
    let detail = crate::services::tenders::find_public(
        conn,
        &state.lots,
        crate::domain::TenderId(t.id),
        now,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let stage = if t.status == TenderStatus::Cancelled.as_str() {
        EvaluationStage::Cancelled
    } else if now < t.bid_deadline {
        // R-BID-01: not a count, not a hint.
        EvaluationStage::Sealed {
            until: t.bid_deadline,
        }
    } else {
        match bid_opening::Entity::find_by_id(t.id).one(conn).await? {
            None => EvaluationStage::ReadyToOpen,
            Some(o) => {
                let notices = award_notices(conn, t.id).await?;
                let mut lots = Vec::new();
                for lot in lot_rows(conn, t.id).await? {
                    let s = scored_lot(conn, &t, lot).await?;
                    let award = notices
                        .iter()
                        .find(|(id, _)| *id == s.lot.id)
                        .map(|(_, n)| n.clone());
                    let mut records = HashMap::new();
                    for b in &s.bids {
                        let part: LotPart = from_json(b.content.as_bytes())?;
                        for id in part.answers.iter().flatten() {
                            if let std::collections::hash_map::Entry::Vacant(e) = records.entry(*id)
                            {
                                let label =
                                    crate::infra::entities::capability_record::Entity::find_by_id(
                                        *id,
                                    )
                                    .one(conn)
                                    .await?
                                    .map(|r| match r.number {
                                        Some(n) => format!("{} ({n})", r.title),
                                        None => r.title,
                                    });
                                e.insert(label);
                            }
                        }
                    }
                    let bids = s
                        .bids
                        .iter()
                        .zip(s.lines.iter())
                        .map(|(b, line)| {
                            let part: LotPart = from_json(b.content.as_bytes())?;
                            Ok(EvaluationBid {
                                opened_bid_id: b.id,
                                submitted_at: b.submitted_at,
                                size_class: size_of(b),
                                subcontract_share: b
                                    .subcontract_share_bp
                                    .map(crate::domain::draft::bp_to_percent),
                                answers: part
                                    .answers
                                    .iter()
                                    .map(|a| a.and_then(|id| records.get(&id).cloned().flatten()))
                                    .collect(),
                                proposal: part.proposal,
                                documents: part
                                    .documents
                                    .into_iter()
                                    .map(|d| BidDocumentView {
                                        href: opened_bid_document_href(t.id, b.id, d.id),
                                        document: d,
                                    })
                                    .collect(),
                                score: line.clone(),
                            })
                        })
                        .collect::<Result<Vec<_>, AppError>>()?;
                    lots.push(EvaluationLot {
                        state: lot_state(&t, &s.lot, &s.bids, award.is_some()),
                        lot_id: s.lot.id,
                        title: s.lot.title.clone(),
                        ceiling: Money::from_fen(s.lot.budget_fen),
                        reserved: lot_reserved(&t, &s.lot),
                        criteria: s
                            .criteria
                            .iter()
                            .map(|c| CriterionRef {
                                id: c.id,
                                view: criterion_view(c),
                            })
                            .collect(),
                        bids,
                        incomplete: s.incomplete,
                        award,
                    });
                }
                EvaluationStage::Opened {
                    opened_at: o.opened_at,
                    lots,
                }
            }
        }
    };
    let challenges = challenges_where(
        conn,
        sea_orm::Condition::all().add(challenge::Column::TenderId.eq(t.id)),
        china_day(now),
    )
    .await?;
    Ok(EvaluationPage {
        tender: detail.summary,
        price_weight: detail.price_weight,
        stage,
        can_award: permits(session.role, Action::CreateTender),
        challenges,
    })
}

/// Records the marks for one opened bid: every criterion of its lot, each with a reason.
pub async fn save_marks(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
    opened_bid_id: Uuid,
    marks: &[MarkForm],
) -> Result<(), AppError> {
    use crate::error::FieldError;
    use std::str::FromStr;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let t = agency_tender(&txn, session, tender_id, now).await?;
    let b = opened_bid::Entity::find_by_id(opened_bid_id)
        .filter(opened_bid::Column::TenderId.eq(t.id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if award::Entity::find_by_id(b.lot_id)
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            message: Text::new(
                "该包已确定中标人，评审结果不能再修改。",
                "This lot is awarded: its evaluation can no longer change.",
            ),
        });
    }
    let criteria = criteria_of(&txn, b.lot_id).await?;
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        let Some(c) = m
            .criterion
            .trim()
            .parse::<Uuid>()
            .ok()
            .and_then(|id| criteria.iter().find(|c| c.id == id))
        else {
            errors.push(FieldError::new(
                format!("marks[{i}].criterion"),
                Text::new(
                    "该包没有这项评审因素。",
                    "This lot has no such requirement.",
                ),
            ));
            continue;
        };
        let reason = m.reason.trim().to_string();
        if reason.chars().count() > 2000 {
            errors.push(FieldError::new(
                format!("marks[{i}].reason"),
                Text::new("理由最多 2000 个字符。", "At most 2000 characters."),
            ));
        }
        let (passed, score_bp) = match c.weight_bp {
            None => match m.passed.trim() {
                "pass" => (Some(true), None),
                "fail" => (Some(false), None),
                "" => (None, None),
                _ => {
                    errors.push(FieldError::new(
                        format!("marks[{i}].passed"),
                        Text::new("请选择“通过”或“不通过”。", "Choose pass or fail."),
                    ));
                    continue;
                }
            },
            Some(weight_bp) => {
                let s = m.score.trim();
                if s.is_empty() {
                    (None, None)
                } else {
                    match Decimal::from_str(s) {
                        Ok(d)
                            if d >= Decimal::ZERO
                                && d.normalize().scale() <= 2
                                && crate::domain::draft::percent_to_bp(d) <= weight_bp =>
                        {
                            (None, Some(crate::domain::draft::percent_to_bp(d)))
                        }
                        _ => {
                            let max = crate::domain::draft::bp_to_percent(weight_bp);
                            errors.push(FieldError::new(
                                format!("marks[{i}].score"),
                                Text::new(
                                    format!("请填写 0 到 {max} 之间的分数，最多两位小数。"),
                                    format!(
                                        "Enter a score from 0 to {max}, with at most two decimals."
                                    ),
                                ),
                            ));
                            continue;
                        }
                    }
                }
            }
        };
        // A score or a failure needs its reason.
        if (score_bp.is_some() || passed == Some(false)) && reason.is_empty() {
            errors.push(FieldError::new(
                format!("marks[{i}].reason"),
                Text::new("请写明评审理由。", "Give the reason for this mark."),
            ));
            continue;
        }
        rows.push((c.id, passed, score_bp, reason));
    }
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }
    for (criterion, passed, score_bp, reason) in rows {
        bid_mark::Entity::delete_many()
            .filter(bid_mark::Column::OpenedBidId.eq(b.id))
            .filter(bid_mark::Column::CriterionId.eq(criterion))
            .exec(&txn)
            .await?;
        if passed.is_none() && score_bp.is_none() {
            continue;
        }
        bid_mark::ActiveModel {
            opened_bid_id: Set(b.id),
            criterion_id: Set(criterion),
            passed: Set(passed),
            score_bp: Set(score_bp),
            reason: Set(reason.clone()),
            marked_by: Set(session.person_id),
            marked_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            now,
            officer(session),
            "bid.mark",
            "opened_bid",
            b.id,
            &(criterion, passed, score_bp, &reason),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Confirms the lot's first-ranked bid as the winner and publishes the award notice
/// (R-AWARD-01: published with the decision itself, so never late).
pub async fn award(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
    lot_id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let t = agency_tender(&txn, session, tender_id, now).await?;
    let lot = tender_lot::Entity::find_by_id(lot_id)
        .filter(tender_lot::Column::TenderId.eq(t.id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if bid_opening::Entity::find_by_id(t.id)
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(AppError::Conflict {
            message: Text::new("请先开标。", "Open the bids first."),
        });
    }
    if award::Entity::find_by_id(lot.id).one(&txn).await?.is_some() {
        return Err(AppError::Conflict {
            message: Text::new("该包已确定中标人。", "This lot is already awarded."),
        });
    }
    let s = scored_lot(&txn, &t, lot).await?;
    match lot_state(&t, &s.lot, &s.bids, false) {
        LotState::Evaluating => {}
        LotState::Failed => {
            return Err(AppError::Conflict {
                message: Text::new(
                    "有效投标不足 3 家，本包流标，应重新采购（R-BID-04）。",
                    "Fewer than 3 valid bids: this lot failed and is to be re-tendered (R-BID-04).",
                ),
            })
        }
        LotState::Suspended | LotState::Awarded => {
            return Err(AppError::Conflict {
                message: Text::new(
                    "专门面向中小企业的包中小企业投标不足 3 家，应暂停并改为非预留重新采购（R-SME-05）。",
                    "Fewer than 3 SME bids on a reserved lot: it is suspended and re-tendered as non-reserved (R-SME-05).",
                ),
            })
        }
    }
    if !s.incomplete.is_empty() {
        return Err(AppError::Conflict {
            message: Text::new(
                format!(
                    "评审尚未完成：{}",
                    s.incomplete
                        .iter()
                        .map(|t| t.zh.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                format!(
                    "The evaluation is not complete: {}",
                    s.incomplete
                        .iter()
                        .map(|t| t.en.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            ),
        });
    }
    let Some((winner, _)) = s
        .bids
        .iter()
        .zip(s.lines.iter())
        .find(|(_, line)| line.rank == Some(1))
    else {
        return Err(AppError::Conflict {
            message: Text::new(
                "没有通过全部资格性审查的投标，本包不能授标。",
                "No bid passed every pass/fail requirement: this lot cannot be awarded.",
            ),
        });
    };
    let snapshot: Vec<(Uuid, Uuid, ScoreLine)> = s
        .bids
        .iter()
        .zip(s.lines.iter())
        .map(|(b, l)| (b.id, b.organisation_id, l.clone()))
        .collect();
    award::ActiveModel {
        lot_id: Set(s.lot.id),
        tender_id: Set(t.id),
        opened_bid_id: Set(winner.id),
        organisation_id: Set(winner.organisation_id),
        // R-SME-03: the contract is at the bid price, not the evaluated price.
        price_fen: Set(winner.price_fen),
        decided_at: Set(now),
        decided_by: Set(session.person_id),
        notice_published_at: Set(now),
        evaluation: Set(String::from_utf8(to_json(&snapshot)?).unwrap_or_default()),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        officer(session),
        "lot.award",
        "tender_lot",
        s.lot.id,
        &(winner.id, winner.price_fen),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// R-CHAL-01: a supplier challenges the terms (within 7 working days of their publication) or
/// an award it bid for (within 7 working days of the notice).
pub async fn file_challenge(
    state: &AppState,
    person: Uuid,
    organisation: Uuid,
    tender_id: Uuid,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let subject_parsed = ChallengeSubject::parse(subject);
    if subject_parsed.is_none() {
        errors.push(crate::error::FieldError::new(
            "subject",
            Text::new("请选择质疑事项。", "Choose what you challenge."),
        ));
    }
    let body = crate::domain::text_field(body, "body", 5000, true, &mut errors);
    let (Some(subject), Some(body), true) = (subject_parsed, body, errors.is_empty()) else {
        return Err(AppError::Fields { errors });
    };
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let t = public_tender(&txn, tender_id, now).await?;
    let late = |until: NaiveDate| AppError::Conflict {
        message: Text::new(
            format!("质疑期限已于 {until} 届满（7 个工作日，R-CHAL-01）。"),
            format!("The time to challenge ended on {until} (7 working days, R-CHAL-01)."),
        ),
    };
    match subject {
        ChallengeSubject::Terms => {
            if let Some(until) = terms_challenge_until(state, &t).await? {
                if today > until {
                    return Err(late(until));
                }
            }
        }
        ChallengeSubject::Award => {
            let bid_on = opened_bid::Entity::find()
                .filter(opened_bid::Column::TenderId.eq(t.id))
                .filter(opened_bid::Column::OrganisationId.eq(organisation))
                .one(&txn)
                .await?
                .is_some();
            let latest = award_notices(&txn, t.id)
                .await?
                .into_iter()
                .map(|(_, a)| a.notice_published_at)
                .max();
            let Some(latest) = latest.filter(|_| bid_on) else {
                return Err(AppError::invalid(
                    "subject",
                    Text::new(
                        "只有参加了投标的供应商才能对中标结果提出质疑，且须在结果公告之后。",
                        "Only a bidder can challenge an award, once the award is published.",
                    ),
                ));
            };
            let until = working_days_after(state, china_day(latest), CHALLENGE_WORKING_DAYS);
            if today > until {
                return Err(late(until));
            }
        }
    }
    let id = Uuid::now_v7();
    challenge::ActiveModel {
        id: Set(id),
        tender_id: Set(t.id),
        agency_id: Set(t.agency_id),
        organisation_id: Set(organisation),
        filed_by: Set(person),
        subject: Set(subject.as_str().to_string()),
        body: Set(body.clone()),
        filed_at: Set(now),
        // R-CHAL-01: the agency answers within 7 working days.
        answer_due: Set(working_days_after(state, today, CHALLENGE_WORKING_DAYS)),
        answer: Set(None),
        answered_at: Set(None),
        answered_by: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        audit::Actor {
            person: Some(person),
            organisation: Some(organisation),
        },
        "challenge.file",
        "challenge",
        id,
        &body,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn answer_challenge(
    state: &AppState,
    session: &Session,
    challenge_id: Uuid,
    answer: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let Some(answer) = crate::domain::text_field(answer, "answer", 5000, true, &mut errors) else {
        return Err(AppError::Fields { errors });
    };
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let c = challenge::Entity::find_by_id(challenge_id)
        .filter(challenge::Column::AgencyId.eq(session.organisation_id.unwrap_or_default()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.answer.is_some() {
        return Err(AppError::Conflict {
            message: Text::new("该质疑已经答复。", "This challenge is already answered."),
        });
    }
    challenge::Entity::update_many()
        .col_expr(challenge::Column::Answer, Expr::value(Some(answer.clone())))
        .col_expr(challenge::Column::AnsweredAt, Expr::value(Some(now)))
        .col_expr(
            challenge::Column::AnsweredBy,
            Expr::value(Some(session.person_id)),
        )
        .filter(challenge::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        officer(session),
        "challenge.answer",
        "challenge",
        c.id,
        &answer,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The agency's unanswered challenges, earliest due first (overdue ones flagged).
pub async fn open_challenges(
    state: &AppState,
    session: &Session,
) -> Result<Vec<ChallengeView>, AppError> {
    let now = state.clock.now();
    challenges_where(
        &state.db,
        sea_orm::Condition::all()
            .add(challenge::Column::AgencyId.eq(session.organisation_id.unwrap_or_default()))
            .add(challenge::Column::Answer.is_null()),
        china_day(now),
    )
    .await
}

/// R-SME-03: the deduction a bid gets on a lot, as the tender fixed it.
fn deduction_for(
    t: &tender::Model,
    reserved: bool,
    size: Option<SizeClass>,
    subcontract_share: Option<Decimal>,
) -> Decimal {
    use crate::domain::evaluation::{DeductionTerms, PriceDeduction};
    let terms = DeductionTerms {
        price_deduction: t
            .sme_price_deduction_bp
            .map(crate::domain::draft::bp_to_percent),
        consortium_deduction: t
            .sme_consortium_deduction_bp
            .map(crate::domain::draft::bp_to_percent),
        reserved,
    };
    PriceDeduction::decide(&Policy::CHINA, &terms, size, subcontract_share).pct
}

/// The tender's evaluation method as published.
fn method_of(t: &tender::Model) -> crate::domain::publication::EvaluationMethod {
    use crate::domain::publication::EvaluationMethod;
    match (t.evaluation_method.as_str(), t.price_weight_bp) {
        ("comprehensive_scoring", Some(bp)) => EvaluationMethod::ComprehensiveScoring {
            price_weight: crate::domain::draft::bp_to_percent(bp),
        },
        _ => EvaluationMethod::LowestEvaluatedPrice,
    }
}

/// Scores a lot's opened bids from their marks (R-SME-03, R-EVAL-01/02): a line per bid in
/// the order given, and what keeps the evaluation from being final (every problem at once).
/// While marks are missing, each line shows what is known (evaluated price, points so far)
/// and no rank.
fn score_lot(
    t: &tender::Model,
    ceiling: Money,
    criteria: &[tender_criterion::Model],
    bids: &[opened_bid::Model],
    marks: &[bid_mark::Model],
) -> (Vec<ScoreLine>, Vec<Text>) {
    use crate::domain::evaluation::{evaluate_lot, evaluated_price, BidToEvaluate, CriterionMark};
    use crate::domain::publication::{Criterion, Scoring};
    let plan: Vec<Criterion> = criteria
        .iter()
        .map(|c| Criterion {
            kind: criterion_view(c).kind,
            requirement: c.requirement.clone(),
            scoring: match c.weight_bp {
                Some(bp) => Scoring::Scored {
                    weight: crate::domain::draft::bp_to_percent(bp),
                },
                None => Scoring::PassFail,
            },
        })
        .collect();
    let mark_of = |b: &opened_bid::Model, c: &tender_criterion::Model| {
        marks
            .iter()
            .find(|m| m.opened_bid_id == b.id && m.criterion_id == c.id)
    };
    let inputs: Vec<BidToEvaluate> = bids
        .iter()
        .map(|b| BidToEvaluate {
            id: b.id,
            price: Money::from_fen(b.price_fen),
            deduction_pct: crate::domain::draft::bp_to_percent(b.deduction_bp),
            submitted_at: b.submitted_at,
            marks: criteria
                .iter()
                .map(|c| match mark_of(b, c) {
                    Some(m) => CriterionMark {
                        passed: m.passed,
                        score: m.score_bp.map(crate::domain::draft::bp_to_percent),
                    },
                    None => CriterionMark::default(),
                })
                .collect(),
        })
        .collect();
    let mark_lines = |b: &opened_bid::Model| -> Vec<MarkLine> {
        criteria
            .iter()
            .map(|c| {
                let m = mark_of(b, c);
                MarkLine {
                    requirement: c.requirement.clone(),
                    passed: m.and_then(|m| m.passed),
                    score: m
                        .and_then(|m| m.score_bp)
                        .map(crate::domain::draft::bp_to_percent),
                    weight: c.weight_bp.map(crate::domain::draft::bp_to_percent),
                    reason: m.map(|m| m.reason.clone()).unwrap_or_default(),
                }
            })
            .collect()
    };
    match evaluate_lot(method_of(t), &plan, ceiling, &inputs) {
        Ok(result) => {
            let lines = bids
                .iter()
                .map(|b| {
                    let r = result.bid(b.id);
                    ScoreLine {
                        supplier_name: b.supplier_name.clone(),
                        price: Money::from_fen(b.price_fen),
                        deduction: crate::domain::draft::bp_to_percent(b.deduction_bp),
                        evaluated_price: r
                            .map_or(Money::from_fen(b.price_fen), |r| r.evaluated_price),
                        technical_score: r.map_or(Decimal::ZERO, |r| r.technical_score),
                        price_score: r.and_then(|r| r.price_score),
                        total: r.and_then(|r| r.total),
                        qualified: r.is_some_and(|r| r.qualified),
                        rank: r.and_then(|r| r.rank).and_then(|n| u32::try_from(n).ok()),
                        marks: mark_lines(b),
                    }
                })
                .collect();
            (lines, Vec::new())
        }
        Err(problems) => {
            let lines = bids
                .iter()
                .zip(inputs.iter())
                .map(|(b, i)| ScoreLine {
                    supplier_name: b.supplier_name.clone(),
                    price: i.price,
                    deduction: i.deduction_pct,
                    evaluated_price: evaluated_price(i.price, i.deduction_pct),
                    technical_score: i.marks.iter().filter_map(|m| m.score).sum(),
                    price_score: None,
                    total: None,
                    qualified: !i.marks.iter().any(|m| m.passed == Some(false)),
                    rank: None,
                    marks: mark_lines(b),
                })
                .collect();
            // Name bidders, not internal ids.
            let names: HashMap<String, &str> = bids
                .iter()
                .map(|b| (b.id.to_string(), b.supplier_name.as_str()))
                .collect();
            let texts = problems
                .into_iter()
                .map(|p| {
                    let mut m = p.message;
                    for (id, name) in &names {
                        m.zh = m.zh.replace(id, &format!("「{name}」"));
                        m.en = m.en.replace(id, &format!("\"{name}\""));
                    }
                    m
                })
                .collect();
            (lines, texts)
        }
    }
}
