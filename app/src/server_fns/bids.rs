//! Bids (issue #5): the supplier prepares, submits, replaces or withdraws a sealed bid and
//! keeps a signed receipt; after the deadline the agency opens, evaluates and awards; bidders
//! see the opening record, their own scores, and may challenge.
//!
//! Sealing (R-BID-01): nothing here tells anyone but the bidder that a bid exists before the
//! deadline. The agency's evaluation page says only "sealed until ..." until then.

use crate::domain::bid::BidForm;
use crate::error::AppError;
use crate::model::bids::*;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use uuid::Uuid;

#[cfg(feature = "ssr")]
fn parse_id(s: &str) -> Result<Uuid, AppError> {
    s.trim().parse().map_err(|_| AppError::NotFound)
}

#[cfg(feature = "ssr")]
async fn supplier_session() -> Result<
    (
        crate::model::accounts::Session,
        crate::domain::ids::OrganisationId,
    ),
    AppError,
> {
    crate::server_fns::session::require_org(crate::domain::auth::Action::SubmitBid).await
}

/// The signed-in agency officer: `officer_only` for opening, awarding and answering
/// challenges (procurement officers); otherwise evaluators too.
#[cfg(feature = "ssr")]
async fn agency_session(officer_only: bool) -> Result<crate::model::accounts::Session, AppError> {
    use crate::domain::auth::Action;
    let action = if officer_only {
        Action::CreateTender
    } else {
        Action::EvaluateBids
    };
    let (session, _) = crate::server_fns::session::require_org(action).await?;
    Ok(session)
}

/// The signed-in supplier's bid page for a published tender.
#[server(endpoint = "bids/desk")]
pub async fn get_bid_desk(tender: String) -> Result<BidDesk, AppError> {
    respond(async move {
        let (_, organisation) = supplier_session().await?;
        let tender = parse_id(&tender)?;
        let state = state()?;
        crate::services::bids::desk(&state, organisation.into(), tender).await
    })
    .await
}

#[server(endpoint = "bids/save")]
pub async fn save_bid_draft(
    tender: String,
    #[server(default)] form: BidForm,
) -> Result<(), AppError> {
    respond(async move {
        let (session, organisation) = supplier_session().await?;
        let tender = parse_id(&tender)?;
        let state = state()?;
        crate::services::bids::save_draft(
            &state,
            session.person_id.into(),
            organisation.into(),
            tender,
            &form,
        )
        .await
    })
    .await
}

/// The bid form's one endpoint, so it works without JavaScript: `intent` = `save` keeps the
/// draft (returns `None`), anything else submits the form (checked in full) as the next version.
/// `seen_versions` is the number of versions the page showed: a second submit of the same page
/// is refused, not counted twice.
#[server(endpoint = "bids/submit")]
pub async fn submit_bid(
    tender: String,
    #[server(default)] intent: String,
    #[server(default)] seen_versions: String,
    #[server(default)] form: BidForm,
) -> Result<Option<SubmissionView>, AppError> {
    respond(async move {
        let (session, organisation) = supplier_session().await?;
        let tender = parse_id(&tender)?;
        let state = state()?;
        if intent.trim() == "save" {
            crate::services::bids::save_draft(
                &state,
                session.person_id.into(),
                organisation.into(),
                tender,
                &form,
            )
            .await?;
            // The page tells a saved draft from a submission by this.
            crate::server_fns::respond::back_with_done(crate::paths::done::SAVED_DRAFT);
            return Ok(None);
        }
        let seen: i32 = seen_versions.trim().parse().unwrap_or(-1);
        crate::services::bids::submit(
            &state,
            session.person_id.into(),
            organisation.into(),
            tender,
            seen,
            &form,
        )
        .await
        .map(Some)
    })
    .await
}

/// Withdraws the submitted bid (before the deadline). It can be submitted again.
/// Takes a document off the supplier's bid before the deadline (it goes with no later
/// submission; a version already submitted keeps it).
#[server(endpoint = "bids/documents/remove")]
pub async fn remove_bid_document(tender: String, document: String) -> Result<(), AppError> {
    respond(async move {
        let (_, organisation) = supplier_session().await?;
        let (tender, document) = (parse_id(&tender)?, parse_id(&document)?);
        let state = state()?;
        crate::services::bid_documents::remove(&state, organisation.into(), tender, document).await
    })
    .await
}

#[server(endpoint = "bids/withdraw")]
pub async fn withdraw_bid(tender: String) -> Result<(), AppError> {
    respond(async move {
        let (_, organisation) = supplier_session().await?;
        let tender = parse_id(&tender)?;
        let state = state()?;
        crate::services::bids::withdraw(&state, organisation.into(), tender).await
    })
    .await
}

/// Checks a receipt: the server's signature, and that the version it names was received.
/// Anyone may check; only the receipt's holder learns anything from it.
/// A form posted without JavaScript comes back to the receipt page with the result signed
/// in the address, never the receipt (issue #35: addresses land in proxy logs).
#[server(endpoint = "receipts/verify")]
pub async fn verify_receipt(receipt: String) -> Result<ReceiptCheck, AppError> {
    respond(async move {
        let state = state()?;
        let check = crate::services::bids::verify_receipt(&state, &receipt).await?;
        let token = crate::services::bids::sign_receipt_check(&state.sealing, &check)?;
        crate::server_fns::respond::on_success_go_to(&crate::paths::receipt_checked(&token));
        Ok(check)
    })
    .await
}

/// The result the receipt page was sent back with, if this server signed it.
#[server(endpoint = "receipts/result")]
pub async fn receipt_check_result(check: String) -> Result<Option<ReceiptCheck>, AppError> {
    respond(async move {
        let state = state()?;
        Ok(crate::services::bids::read_receipt_check(
            &state.sealing,
            &check,
        ))
    })
    .await
}

/// The agency's view of a tender's bids: sealed, ready to open, or opened with evaluation.
#[server(endpoint = "agency/evaluation")]
pub async fn get_evaluation(tender: String) -> Result<EvaluationPage, AppError> {
    respond(async move {
        let session = agency_session(false).await?;
        let tender = parse_id(&tender)?;
        let state = state()?;
        crate::services::bids::evaluation_page(&state, &session, tender).await
    })
    .await
}

/// Opens the bids, once the deadline has passed (R-BID-01, R-BID-04, R-SME-05).
#[server(endpoint = "agency/open")]
pub async fn open_bids(tender: String) -> Result<(), AppError> {
    respond(async move {
        let session = agency_session(true).await?;
        let tender = parse_id(&tender)?;
        let state = state()?;
        crate::services::bids::open(&state, &session, tender).await
    })
    .await
}

/// Records an evaluator's marks for one opened bid, every criterion of its lot at once.
#[server(endpoint = "agency/marks")]
pub async fn save_marks(
    tender: String,
    opened_bid: String,
    #[server(default)] marks: Vec<MarkForm>,
) -> Result<(), AppError> {
    respond(async move {
        let session = agency_session(false).await?;
        let tender = parse_id(&tender)?;
        let opened_bid = parse_id(&opened_bid)?;
        let state = state()?;
        crate::services::bids::save_marks(&state, &session, tender, opened_bid, &marks).await
    })
    .await
}

/// Confirms the first-ranked bid of a lot as its winner and publishes the award notice.
#[server(endpoint = "agency/award")]
pub async fn award_lot(tender: String, lot: String) -> Result<(), AppError> {
    respond(async move {
        let session = agency_session(true).await?;
        let tender = parse_id(&tender)?;
        let lot = parse_id(&lot)?;
        let state = state()?;
        crate::services::bids::award(&state, &session, tender, lot).await
    })
    .await
}

/// R-CHAL-01: a supplier challenges the tender's terms or an award.
#[server(endpoint = "bids/challenge")]
pub async fn file_challenge(tender: String, subject: String, body: String) -> Result<(), AppError> {
    respond(async move {
        let (session, organisation) = supplier_session().await?;
        let tender = parse_id(&tender)?;
        let state = state()?;
        crate::services::bids::file_challenge(
            &state,
            session.person_id.into(),
            organisation.into(),
            tender,
            &subject,
            &body,
        )
        .await
    })
    .await
}

/// R-CHAL-01: the agency answers a challenge.
#[server(endpoint = "agency/challenges/answer")]
pub async fn answer_challenge(challenge: String, answer: String) -> Result<(), AppError> {
    respond(async move {
        let session = agency_session(true).await?;
        let challenge = parse_id(&challenge)?;
        let state = state()?;
        crate::services::bids::answer_challenge(&state, &session, challenge, &answer).await
    })
    .await
}

/// The agency's unanswered challenges, overdue first (for the tenders dashboard).
#[server(endpoint = "agency/challenges")]
pub async fn get_agency_challenges() -> Result<Vec<ChallengeView>, AppError> {
    respond(async move {
        let session = agency_session(false).await?;
        let state = state()?;
        crate::services::bids::open_challenges(&state, &session).await
    })
    .await
}
