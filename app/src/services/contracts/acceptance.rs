//! The agency accepts (wholly or in part) or rejects a delivered milestone.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::contract::{acceptance_end, acceptance_open};
use crate::domain::payment::{check_rejection, payment_clock_start, split_acceptance, PaymentTerm};
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{contract, milestone};
use crate::model::accounts::Session;
use crate::services::AppState;

use super::{actor, conflict, notify, scoped_milestone};

/// The agency accepts a delivered milestone, wholly (`accepted_amount` None) or in part
/// (R-PAY-04). Accepting after the
/// acceptance period does not move the payment clock (R-PAY-02).
pub async fn accept(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    accepted_amount: Option<Money>,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    if m.delivered_at.is_none() || m.accepted_on.is_some() {
        return Err(conflict(
            "只能验收已交付、尚未验收的节点。",
            "Only a delivered milestone not yet accepted can be accepted.",
        ));
    }
    let amount = Money::from_fen(m.amount_fen);
    let accepted = accepted_amount.unwrap_or(amount);
    let split = split_acceptance(amount, accepted, today)
        .map_err(|e| AppError::invalid("accepted_amount", e))?;
    let updated = milestone::Entity::update_many()
        .col_expr(milestone::Column::AcceptedOn, Expr::value(Some(today)))
        .col_expr(milestone::Column::AcceptedAt, Expr::value(Some(now)))
        .col_expr(
            milestone::Column::AcceptedFen,
            Expr::value(Some(split.undisputed.to_fen())),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::AcceptedOn.is_null())
        .filter(milestone::Column::DeliveredAt.is_not_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(conflict(
            "该节点刚刚已验收。",
            "This milestone was just accepted.",
        ));
    }
    // Both sides are told: the supplier that it will be paid, and when; the agency's officers
    // that a payment now falls due.
    let body = accepted_notice(&c, &m, split.undisputed, today);
    for org in [c.supplier_id, c.agency_id] {
        notify(&txn, org, "payment.accepted", &c, &body, now, None).await?;
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "milestone.accept",
        "milestone",
        m.id,
        &split.undisputed.to_fen(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The notice of an acceptance on `today`: what is payable, and by when.
fn accepted_notice(
    c: &contract::Model,
    m: &milestone::Model,
    payable: Money,
    today: NaiveDate,
) -> Text {
    let term = PaymentTerm::new(c.payment_term_days.max(0) as u32).unwrap_or_default();
    let clock_start = m
        .delivered_at
        .and_then(|d| {
            payment_clock_start(
                china_day(d),
                c.acceptance_days.max(0) as u32,
                Some(today),
                today,
            )
        })
        .unwrap_or(today);
    let due = term.due_date(clock_start);
    Text::new(
        format!(
            "付款节点「{}」已验收，应付 {}，付款到期日 {due}。",
            m.deliverable,
            payable.format_cny()
        ),
        format!(
            "Milestone \"{}\" was accepted: {} is payable by {due}.",
            m.deliverable,
            payable.format_cny()
        ),
    )
}

/// The agency rejects a delivery within the acceptance period, with an allowed reason and an
/// explanation (R-PAY-03). The supplier may deliver again.
pub async fn reject(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    reason: &str,
    explanation: &str,
) -> Result<(), AppError> {
    let rejection =
        check_rejection(reason, explanation).map_err(|errors| AppError::Fields { errors })?;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    let Some(delivered_at) = m.delivered_at.filter(|_| m.accepted_on.is_none()) else {
        return Err(conflict(
            "只能退回已交付、尚未验收的节点。",
            "Only a delivered milestone not yet accepted can be rejected.",
        ));
    };
    let end = acceptance_end(china_day(delivered_at), c.acceptance_days);
    if !acceptance_open(china_day(delivered_at), c.acceptance_days, china_day(now)) {
        // R-PAY-02: the period ended without a decision; the payment clock has started.
        return Err(AppError::Conflict {
            message: Text::new(
                format!("验收期已于 {end} 结束，付款期限已经开始计算，不能再退回（R-PAY-02）。"),
                format!(
                    "The acceptance period ended on {end}: the payment clock has started and the delivery can no longer be rejected (R-PAY-02)."
                ),
            ),
        });
    }
    milestone::Entity::update_many()
        .col_expr(
            milestone::Column::DeliveredAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(milestone::Column::RejectedAt, Expr::value(Some(now)))
        .col_expr(
            milestone::Column::RejectionReason,
            Expr::value(Some(rejection.reason.code().to_string())),
        )
        .col_expr(
            milestone::Column::RejectionText,
            Expr::value(Some(rejection.explanation.clone())),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "milestone.reject",
        "milestone",
        m.id,
        &(rejection.reason.code(), &rejection.explanation),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
