//! Contracts and milestone payments (issue #6): the procurement officer turns an award into a
//! contract, the supplier marks milestones delivered, the agency accepts (wholly or in part) or
//! rejects with an allowed reason, and the finance officer releases payment. Due dates, lateness
//! and late-payment interest are derived from dates and the clock (R-PAY-01..05), never stored.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Text;
use crate::model::contracts::*;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
fn parse_id(s: &str) -> Result<Uuid, AppError> {
    s.trim().parse().map_err(|_| AppError::NotFound)
}

#[cfg(feature = "ssr")]
async fn session_for(
    action: crate::domain::auth::Action,
) -> Result<
    (
        crate::model::accounts::Session,
        crate::domain::ids::OrganisationId,
    ),
    AppError,
> {
    crate::server_fns::session::require_org(action).await
}

/// The agency's awarded lots and their contracts (procurement and finance officers).
#[server(endpoint = "contracts/awarded")]
pub async fn awarded_lots() -> Result<Vec<AwardedLot>, AppError> {
    respond(async move {
        let (_, agency) = session_for(crate::domain::auth::Action::AcceptDelivery).await?;
        crate::services::contracts::awarded_lots(&state()?, agency.into()).await
    })
    .await
}

/// The procurement officer signs the contract of an awarded lot: value = the awarded price.
#[server(endpoint = "contracts/create")]
pub async fn create_contract(
    lot: String,
    #[server(default)] form: ContractForm,
) -> Result<Uuid, AppError> {
    respond(async move {
        let (session, _) = session_for(crate::domain::auth::Action::CreateTender).await?;
        crate::services::contracts::create(&state()?, &session, parse_id(&lot)?, &form).await
    })
    .await
}

/// One contract, for its agency's officers and its supplier.
#[server(endpoint = "contracts/get")]
pub async fn get_contract(id: String) -> Result<ContractView, AppError> {
    respond(async move {
        let session =
            crate::server_fns::session::require(crate::domain::auth::Action::ManageOwnAccount)
                .await?;
        crate::services::contracts::contract_for(&state()?, &session, parse_id(&id)?).await
    })
    .await
}

/// The supplier's receivables: every milestone of its contracts.
#[server(endpoint = "contracts/receivables")]
pub async fn receivables() -> Result<Vec<ContractView>, AppError> {
    respond(async move {
        let (_, supplier) = session_for(crate::domain::auth::Action::SubmitBid).await?;
        crate::services::contracts::receivables(&state()?, supplier.into()).await
    })
    .await
}

/// The supplier marks a milestone delivered.
#[server(endpoint = "contracts/deliver")]
pub async fn deliver_milestone(
    milestone: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, supplier) = session_for(crate::domain::auth::Action::SubmitBid).await?;
        crate::services::contracts::deliver(
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

/// The agency accepts a delivered milestone; `accepted_amount` empty accepts all of it. Less is
/// a partial rejection with an allowed `reason` and an `explanation` (R-PAY-10, R-PAY-03): the
/// undisputed part is due on time (R-PAY-04), the rest is disputed; 0 is a rejection.
#[server(endpoint = "contracts/accept")]
pub async fn accept_milestone(
    milestone: String,
    #[server(default)] accepted_amount: String,
    #[server(default)] reason: String,
    #[server(default)] explanation: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, agency) = session_for(crate::domain::auth::Action::AcceptDelivery).await?;
        let milestone = parse_id(&milestone)?;
        // Empty: the whole amount of the milestone.
        let accepted = match accepted_amount.trim() {
            "" => None,
            s => Some(
                crate::domain::Money::parse(s)
                    .map_err(|e| AppError::invalid("accepted_amount", e.text()))?,
            ),
        };
        crate::services::contracts::accept(
            &state()?,
            &session,
            agency.into(),
            milestone,
            accepted,
            &reason,
            &explanation,
        )
        .await
    })
    .await
}

/// The agency rejects a delivery with an allowed reason and an explanation (R-PAY-03).
#[server(endpoint = "contracts/reject")]
pub async fn reject_milestone(
    milestone: String,
    #[server(default)] reason: String,
    #[server(default)] explanation: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, agency) = session_for(crate::domain::auth::Action::AcceptDelivery).await?;
        crate::services::contracts::reject(
            &state()?,
            &session,
            agency.into(),
            parse_id(&milestone)?,
            &reason,
            &explanation,
        )
        .await
    })
    .await
}

/// The finance officer releases a payment. `request_key` is the key the form was rendered with:
/// the same key twice records one payment.
#[server(endpoint = "contracts/pay")]
pub async fn release_payment(
    milestone: String,
    request_key: String,
    #[server(default)] amount: String,
    #[server(default)] paid_on: String,
    #[server(default)] bank_reference: String,
    #[server(default)] kind: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, agency) = session_for(crate::domain::auth::Action::ReleasePayment).await?;
        let key = request_key.trim().parse().map_err(|_| {
            AppError::invalid(
                "request_key",
                Text::new(
                    "表单已失效，请刷新页面后重试。",
                    "The form is out of date: reload the page and try again.",
                ),
            )
        })?;
        let kind = PaymentKind::parse(&kind)?;
        let milestone = parse_id(&milestone)?;
        let state = state()?;
        let today = crate::domain::china_day(state.clock.now());
        let entry = payment_entry(kind, &amount, &paid_on, &bank_reference, today)?;
        crate::services::contracts::release(&state, &session, agency.into(), milestone, key, entry)
            .await
    })
    .await
}

/// The payment form: the amount, the day paid (empty: `today`, the day the officer sent the
/// form) and the bank reference; every problem at once.
#[cfg(feature = "ssr")]
fn payment_entry(
    kind: PaymentKind,
    amount: &str,
    paid_on: &str,
    bank_reference: &str,
    today: chrono::NaiveDate,
) -> Result<crate::services::contracts::PaymentEntry, AppError> {
    use crate::error::FieldError;
    let mut errors = Vec::new();
    let amount = crate::domain::Money::parse(amount)
        .map_err(|e| errors.push(FieldError::new("amount", e.text())))
        .ok();
    let paid_on = match paid_on.trim() {
        // Left empty: paid the day the officer sent the form.
        "" => Some(today),
        s => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| {
                errors.push(FieldError::new(
                    "paid_on",
                    Text::new(
                        "请填写付款日期，例如 2027-01-15。",
                        "Enter the payment date, e.g. 2027-01-15.",
                    ),
                ))
            })
            .ok(),
    };
    let reference =
        crate::domain::text_field(bank_reference, "bank_reference", 64, true, &mut errors);
    match (amount, paid_on, reference) {
        (Some(amount), Some(paid_on), Some(bank_reference)) if errors.is_empty() => {
            Ok(crate::services::contracts::PaymentEntry {
                kind,
                amount,
                paid_on,
                bank_reference,
            })
        }
        _ => Err(AppError::Fields { errors }),
    }
}

/// The finance officer's view: every milestone of the agency's contracts that is due in the
/// next 14 days or overdue, most overdue first.
#[server(endpoint = "contracts/finance")]
pub async fn finance_dashboard() -> Result<Vec<(ContractView, MilestoneView)>, AppError> {
    respond(async move {
        let (_, agency) = session_for(crate::domain::auth::Action::AcceptDelivery).await?;
        crate::services::contracts::finance_dashboard(&state()?, agency.into()).await
    })
    .await
}

/// The supplier asks the agency to confirm a receivable (R-PAY-06).
#[server(endpoint = "contracts/request_confirmation")]
pub async fn request_confirmation(milestone: String) -> Result<(), AppError> {
    respond(async move {
        let (session, supplier) = session_for(crate::domain::auth::Action::SubmitBid).await?;
        crate::services::contracts::request_confirmation(
            &state()?,
            &session,
            supplier.into(),
            parse_id(&milestone)?,
        )
        .await
    })
    .await
}

/// The agency confirms a receivable the supplier asked about (R-PAY-06).
#[server(endpoint = "contracts/confirm_receivable")]
pub async fn confirm_receivable(milestone: String) -> Result<(), AppError> {
    respond(async move {
        let (session, agency) = session_for(crate::domain::auth::Action::AcceptDelivery).await?;
        crate::services::contracts::confirm_receivable(
            &state()?,
            &session,
            agency.into(),
            parse_id(&milestone)?,
        )
        .await
    })
    .await
}

/// The procurement officer publishes the signed contract (R-AWARD-01).
#[server(endpoint = "contracts/publish")]
pub async fn publish_contract(id: String) -> Result<(), AppError> {
    respond(async move {
        let (session, agency) = session_for(crate::domain::auth::Action::CreateTender).await?;
        crate::services::contracts::publish(&state()?, &session, agency.into(), parse_id(&id)?)
            .await
    })
    .await
}

/// The signed-in organisation's payment notifications: milestones accepted, due in 7 days, due
/// tomorrow, overdue, and receivable confirmations. Reminders that came due since the last look
/// are written first (once each), so no job has to run.
#[server(endpoint = "contracts/notices")]
pub async fn payment_notices() -> Result<Vec<crate::model::supplier::NotificationView>, AppError> {
    respond(async move {
        let session =
            crate::server_fns::session::require(crate::domain::auth::Action::ManageOwnAccount)
                .await?;
        // A platform administrator belongs to no organisation: no contracts, no notices.
        let Some(organisation) = session.organisation_id else {
            return Ok(Vec::new());
        };
        let state = state()?;
        crate::services::contracts::sync_reminders(&state, organisation.into()).await?;
        crate::services::contracts::payment_notices(&state, organisation.into()).await
    })
    .await
}

/// R-PAY-07: public, for everyone: how timely each agency pays.
/// One page of agencies ([`TIMELINESS_PAGE`]); a page past the last shows none.
#[server(endpoint = "payments/timeliness")]
pub async fn timeliness(
    #[server(default)] year: String,
    #[server(default)] page: String,
) -> Result<TimelinessReport, AppError> {
    respond(async move {
        let year = parse_year(&year)?;
        let page = parse_page(&page)?;
        let report = crate::services::contracts::timeliness_report(&state()?, year).await?;
        let offset = (page - 1).saturating_mul(TIMELINESS_PAGE);
        Ok(TimelinessReport {
            as_of: report.as_of,
            year: report.year,
            years: report.years.clone(),
            overall: report.overall.clone(),
            overall_late_acts: report.overall_late_acts,
            overall_bid_security: report.overall_bid_security.clone(),
            agencies: report
                .agencies
                .iter()
                .skip(offset)
                .take(TIMELINESS_PAGE)
                .cloned()
                .collect(),
            agency_total: report.agencies.len(),
            agency_offset: offset,
        })
    })
    .await
}

/// The procurement officer amends the contract: a new version, with its reason and changes.
#[server(endpoint = "contracts/amend")]
pub async fn amend_contract(
    id: String,
    #[server(default)] form: AmendmentForm,
) -> Result<i32, AppError> {
    respond(async move {
        let (session, agency) = session_for(crate::domain::auth::Action::CreateTender).await?;
        crate::services::contracts::amend(&state()?, &session, agency.into(), parse_id(&id)?, &form)
            .await
    })
    .await
}
