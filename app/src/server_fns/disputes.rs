//! R-PAY-10: the disputed part of a milestone accepted in part: delivered again and decided,
//! reduced by agreement, or settled by a recorded decision. Each is authorised and checked on
//! the server (`services::contracts::dispute`), whatever the page shows.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::auth::Action;

#[cfg(feature = "ssr")]
fn parse_id(s: &str) -> Result<uuid::Uuid, AppError> {
    s.trim().parse().map_err(|_| AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn money(field: &'static str, s: &str) -> Result<crate::domain::Money, AppError> {
    crate::domain::Money::parse(s).map_err(|e| AppError::invalid(field, e.text()))
}

/// The supplier delivers the disputed part again.
#[server(endpoint = "contracts/redeliver-disputed")]
pub async fn redeliver_disputed(
    milestone: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, supplier) =
            crate::server_fns::session::require_org(Action::SubmitBid).await?;
        crate::services::contracts::redeliver_disputed(
            &state()?,
            &session,
            supplier.into(),
            parse_id(&milestone)?,
            &note,
        )
        .await
    })
    .await
}

/// The agency accepts the re-delivered disputed part (`decision` = `accept`) or rejects it
/// again with an allowed reason and an explanation (R-PAY-03).
#[server(endpoint = "contracts/decide-redelivery")]
pub async fn decide_redelivery(
    milestone: String,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
    #[server(default)] explanation: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, agency) =
            crate::server_fns::session::require_org(Action::AcceptDelivery).await?;
        crate::services::contracts::decide_redelivery(
            &state()?,
            &session,
            agency.into(),
            parse_id(&milestone)?,
            decision.trim() == "accept",
            &reason,
            &explanation,
        )
        .await
    })
    .await
}

/// The agency proposes to reduce the disputed part by `reduction`, with an explanation.
#[server(endpoint = "contracts/propose-reduction")]
pub async fn propose_reduction(
    milestone: String,
    #[server(default)] reduction: String,
    #[server(default)] explanation: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, agency) =
            crate::server_fns::session::require_org(Action::AcceptDelivery).await?;
        let reduction = money("reduction", &reduction)?;
        crate::services::contracts::propose_reduction(
            &state()?,
            &session,
            agency.into(),
            parse_id(&milestone)?,
            reduction,
            &explanation,
        )
        .await
    })
    .await
}

/// The supplier confirms (`answer` = `confirm`) or declines the proposed reduction.
#[server(endpoint = "contracts/answer-reduction")]
pub async fn answer_reduction(
    milestone: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, supplier) =
            crate::server_fns::session::require_org(Action::SubmitBid).await?;
        crate::services::contracts::answer_reduction(
            &state()?,
            &session,
            supplier.into(),
            parse_id(&milestone)?,
            answer.trim() == "confirm",
        )
        .await
    })
    .await
}

/// The supplier records the outcome of the dispute: what is owed, the day it was decided and
/// the decision's reference.
#[server(endpoint = "contracts/record-decision")]
pub async fn record_decision(
    milestone: String,
    #[server(default)] owed: String,
    #[server(default)] decided_on: String,
    #[server(default)] reference: String,
) -> Result<(), AppError> {
    respond(async move {
        use crate::error::FieldError;
        use crate::i18n::Text;
        let (session, supplier) =
            crate::server_fns::session::require_org(Action::SubmitBid).await?;
        let mut errors = Vec::new();
        let owed = crate::domain::Money::parse(&owed)
            .map_err(|e| errors.push(FieldError::new("owed", e.text())))
            .ok();
        let decided_on = chrono::NaiveDate::parse_from_str(decided_on.trim(), "%Y-%m-%d")
            .map_err(|_| {
                errors.push(FieldError::new(
                    "decided_on",
                    Text::new(
                        "请填写决定日期，例如 2027-01-15。",
                        "Enter the day of the decision, e.g. 2027-01-15.",
                    ),
                ))
            })
            .ok();
        let (Some(owed), Some(decided_on)) = (owed, decided_on) else {
            return Err(AppError::Fields { errors });
        };
        crate::services::contracts::record_decision(
            &state()?,
            &session,
            supplier.into(),
            parse_id(&milestone)?,
            owed,
            decided_on,
            &reference,
        )
        .await
    })
    .await
}
