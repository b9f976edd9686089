//! The barrier review (issue #34): the officer asks the platform administrator to let a clause
//! the barrier check refused through; the administrator decides. The officer acts only on their
//! own agency's drafts (`Action::CreateTender`); only the administrator decides
//! (`Action::ReviewBarrierFindings`), whatever the pages show.

use crate::error::AppError;
use crate::model::review::{ReviewDesk, ReviewView};
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;
use uuid::Uuid;

/// The review part of the officer's draft page: what publication refuses that a review may let
/// through, and the draft's requests with their decisions.
#[server(endpoint = "agency/tenders/review")]
pub async fn get_review_desk(id: String) -> Result<ReviewDesk, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (_, agency) = crate::server_fns::session::require_org(Action::CreateTender).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::tenders::review_desk(
            &state.db,
            &state.calendar.current(),
            agency.into(),
            id,
            state.clock.now(),
        )
        .await
    })
    .await
}

/// Sends the draft's refused clauses to the platform administrator with the officer's reason.
#[server(endpoint = "agency/tenders/review/request")]
pub async fn request_barrier_review(id: String, reason: String) -> Result<Uuid, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (officer, agency) =
            crate::server_fns::session::require_org(Action::CreateTender).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::tenders::request_review(
            &state.db,
            &state.calendar.current(),
            officer.person_id.into(),
            agency.into(),
            id,
            &reason,
            &*state.clock,
        )
        .await
    })
    .await
}

/// The requests waiting for the platform administrator, oldest first.
#[server(endpoint = "admin/reviews")]
pub async fn pending_barrier_reviews() -> Result<Vec<ReviewView>, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        crate::server_fns::session::require(Action::ReviewBarrierFindings).await?;
        let state = state()?;
        crate::services::tenders::pending_reviews(&state.db).await
    })
    .await
}

/// The platform administrator approves (`decision=approve`) or rejects (`reject`) a request,
/// with a note either way.
#[server(endpoint = "admin/reviews/decide")]
pub async fn decide_barrier_review(
    id: String,
    decision: String,
    note: String,
) -> Result<(), AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        use crate::domain::review::Decision;
        use crate::i18n::Text;
        let admin = crate::server_fns::session::require(Action::ReviewBarrierFindings).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let decision = Decision::parse(&decision).ok_or_else(|| {
            AppError::invalid(
                "decision",
                Text::new("请选择同意或不同意。", "Choose approve or reject."),
            )
        })?;
        let state = state()?;
        crate::services::tenders::decide_review(
            &state.db,
            admin.person_id.into(),
            id,
            decision,
            &note,
            &*state.clock,
        )
        .await
    })
    .await
}
