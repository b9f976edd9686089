//! The procurement officer's tenders: drafts saved as typed, and publication, which checks every
//! rule at once (`domain::publication`). Only `Action::CreateTender` may call these, and only on
//! the officer's own agency's tenders.

use crate::domain::draft::TenderDraftForm;
use crate::error::AppError;
use crate::model::agency::*;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;
use uuid::Uuid;

/// Takes a document off a draft. Published tenders keep theirs (R-REC-01).
#[server(endpoint = "agency/tenders/documents/remove")]
pub async fn remove_tender_document(tender: String, document: String) -> Result<(), AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (officer, agency) =
            crate::server_fns::session::require_org(Action::CreateTender).await?;
        let tender: Uuid = tender.trim().parse().map_err(|_| AppError::NotFound)?;
        let document: Uuid = document.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::tenders::remove_document(
            &state.db,
            officer.person_id.into(),
            agency.into(),
            tender,
            document,
            state.clock.now(),
        )
        .await
    })
    .await
}

/// Saves a new draft (`id` empty) or changes one. Returns the draft's id.
#[server(endpoint = "agency/tenders/save")]
pub async fn save_tender_draft(id: String, form: TenderDraftForm) -> Result<Uuid, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (officer, agency) =
            crate::server_fns::session::require_org(Action::CreateTender).await?;
        let existing = match id.trim() {
            "" => None,
            s => Some(s.parse::<Uuid>().map_err(|_| AppError::NotFound)?),
        };
        let state = state()?;
        let now = state.clock.now();
        let draft = form
            .parse(now)
            .map_err(|errors| AppError::Fields { errors })?;
        let id = crate::services::tenders::save_draft(
            &state.db,
            officer.person_id.into(),
            agency.into(),
            existing,
            &form,
            &draft,
            now,
        )
        .await?;
        if existing.is_none() {
            // Go on editing the new draft at its own address.
            crate::server_fns::respond::on_success_go_to(&format!("/agency/tenders/{id}"));
        }
        Ok(id)
    })
    .await
}

#[server(endpoint = "agency/tenders")]
pub async fn agency_tenders() -> Result<Vec<AgencyTender>, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (_, agency) = crate::server_fns::session::require_org(Action::CreateTender).await?;
        let state = state()?;
        crate::services::tenders::agency_tenders(&state.db, agency.into()).await
    })
    .await
}

#[server(endpoint = "agency/tenders/get")]
pub async fn get_tender_draft(id: String) -> Result<TenderDraftView, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (_, agency) = crate::server_fns::session::require_org(Action::CreateTender).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::tenders::draft_view(&state.db, agency.into(), id).await
    })
    .await
}

/// Publishes a draft: every rule is checked at once; each problem comes back on its field,
/// its message starting with the rule's ID.
#[server(endpoint = "agency/tenders/publish")]
pub async fn publish_tender(id: String) -> Result<Uuid, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (officer, agency) =
            crate::server_fns::session::require_org(Action::CreateTender).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::tenders::publish(
            &state.db,
            &state.documents,
            &state.calendar.current(),
            officer.person_id.into(),
            agency.into(),
            id,
            &*state.clock,
        )
        .await?;
        // The officer sees the tender as the public does.
        crate::server_fns::respond::on_success_go_to(&format!("/tenders/{id}"));
        Ok(id)
    })
    .await
}

/// Publishes a clarification or amendment to everyone. One that can affect bids, issued too
/// close to the deadline, moves the deadline (R-TIME-02). Its text is checked for barriers like
/// the tender's (R-BAR-01..03).
#[server(endpoint = "agency/tenders/clarify")]
pub async fn publish_clarification(
    id: String,
    body: String,
    affects_bids: Option<String>,
) -> Result<crate::model::tenders::ClarificationView, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (officer, agency) =
            crate::server_fns::session::require_org(Action::CreateTender).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::tenders::publish_clarification(
            &state.db,
            officer.person_id.into(),
            agency.into(),
            id,
            &body,
            affects_bids.is_some(),
            &*state.clock,
        )
        .await
        .inspect(|c| {
            let deadline = c.deadline_after.to_rfc3339();
            crate::server_fns::respond::back_with(
                "agency/tenders/clarify",
                &[(crate::paths::query::DEADLINE, &deadline)],
            );
        })
    })
    .await
}

/// R-SME-05, R-BID-04: makes a new draft from the agency's tender whose lots were suspended
/// for too few qualified SME bids or failed for too few valid bids, linked to it (only that
/// link lifts R-SME-01's reservation, for the suspended lots). Refused (409) for a tender
/// without such a lot or already re-tendered. Returns the draft's id; a plain form post goes
/// on to the draft's page.
#[server(endpoint = "agency/tenders/retender")]
pub async fn retender_tender(id: String) -> Result<Uuid, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (officer, agency) =
            crate::server_fns::session::require_org(Action::CreateTender).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        let new_id = crate::services::tenders::retender(
            &state.db,
            officer.person_id.into(),
            agency.into(),
            id,
            &*state.clock,
        )
        .await?;
        crate::server_fns::respond::on_success_go_to(&crate::paths::tender_edit(new_id));
        Ok(new_id)
    })
    .await
}

/// Publishes a structured amendment (更正公告) of a published tender: the terms as they should
/// now read, with a public explanation. What it changes decides whether it can affect bids
/// (R-TIME-02: lots, requirements, quantities, budget, ceilings, evaluation), whatever
/// `affects_bids` says; one that can moves the deadline so that 15 days (5) remain. The amended
/// terms are checked by every publication rule again.
#[server(endpoint = "agency/tenders/amend")]
pub async fn amend_tender(
    id: String,
    form: TenderDraftForm,
    body: String,
    affects_bids: Option<String>,
) -> Result<crate::model::tenders::ClarificationView, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (officer, agency) =
            crate::server_fns::session::require_org(Action::CreateTender).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::tenders::amend_tender(
            &state.db,
            &state.calendar.current(),
            officer.person_id.into(),
            agency.into(),
            id,
            crate::services::tenders::AmendmentRequest {
                form: &form,
                body: &body,
                affects_bids: affects_bids.is_some(),
            },
            &*state.clock,
        )
        .await
        .inspect(|c| {
            let deadline = c.deadline_after.to_rfc3339();
            crate::server_fns::respond::back_with(
                "agency/tenders/amend",
                &[(crate::paths::query::DEADLINE, &deadline)],
            );
        })
    })
    .await
}

/// Cancels a published tender with a public reason. The tender and everything about it stay.
#[server(endpoint = "agency/tenders/cancel")]
pub async fn cancel_tender(id: String, reason: String) -> Result<(), AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (officer, agency) =
            crate::server_fns::session::require_org(Action::CreateTender).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::tenders::cancel(
            &state.db,
            officer.person_id.into(),
            agency.into(),
            id,
            &reason,
            &*state.clock,
        )
        .await?;
        crate::server_fns::respond::on_success_go_to(&format!("/tenders/{id}"));
        Ok(())
    })
    .await
}
