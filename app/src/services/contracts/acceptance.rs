//! The agency accepts (wholly or in part) or rejects a delivered milestone.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::contract::{acceptance_end, acceptance_open};
use crate::domain::payment::{
    check_rejection, decide_acceptance, payment_clock_start, AcceptanceDecision, PaymentTerm,
    Rejection,
};
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{contract, milestone};
use crate::model::accounts::Session;
use crate::services::AppState;

use super::{actor, conflict, notify, scoped_milestone};

/// The agency accepts a delivered milestone, wholly (`accepted_amount` None or all of it) or in
/// part. R-PAY-10: less than all of it is a partial rejection (an allowed reason and an
/// explanation, within the acceptance period); the rest is disputed until the dispute ends
/// (`super::dispute`). 0 is a rejection. Accepting all of it after the acceptance period is
/// allowed and does not move the payment clock (R-PAY-02).
#[allow(clippy::too_many_arguments)]
pub async fn accept(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    accepted_amount: Option<Money>,
    reason: &str,
    explanation: &str,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    let Some(delivered_at) = m.delivered_at.filter(|_| m.accepted_on.is_none()) else {
        return Err(conflict(
            "只能验收已交付、尚未验收的节点。",
            "Only a delivered milestone not yet accepted can be accepted.",
        ));
    };
    let amount = Money::from_fen(m.amount_fen);
    let delivered_on = china_day(delivered_at);
    let decision = decide_acceptance(
        amount,
        accepted_amount,
        reason,
        explanation,
        acceptance_open(delivered_on, c.acceptance_days, today),
        acceptance_end(delivered_on, c.acceptance_days),
    )
    .map_err(|errors| AppError::Fields { errors })?;
    let (accepted, disputed, rejection) = match decision {
        AcceptanceDecision::Whole => (amount, None, None),
        AcceptanceDecision::Partial {
            accepted,
            disputed,
            rejection,
        } => (accepted, Some(disputed), Some(rejection)),
        // R-PAY-10: nothing accepted is a rejection, with rejection's rules.
        AcceptanceDecision::Rejected(rejection) => {
            record_rejection(&txn, session, &m, &rejection, now).await?;
            txn.commit().await?;
            return Ok(());
        }
    };
    let updated = milestone::Entity::update_many()
        .col_expr(milestone::Column::AcceptedOn, Expr::value(Some(today)))
        .col_expr(milestone::Column::AcceptedAt, Expr::value(Some(now)))
        // Issue #35: who accepted, for separation of duties at payment.
        .col_expr(
            milestone::Column::AcceptedBy,
            Expr::value(Some(Uuid::from(session.person_id))),
        )
        .col_expr(
            milestone::Column::AcceptedFen,
            Expr::value(Some(accepted.to_fen())),
        )
        .col_expr(
            milestone::Column::DisputedFen,
            Expr::value(disputed.map(Money::to_fen)),
        )
        .col_expr(
            milestone::Column::DisputeReason,
            Expr::value(rejection.as_ref().map(|r| r.reason.code().to_string())),
        )
        .col_expr(
            milestone::Column::DisputeText,
            Expr::value(rejection.as_ref().map(|r| r.explanation.clone())),
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
    let body = accepted_notice(&c, &m, accepted, disputed, today);
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
        &(
            accepted.to_fen(),
            disputed.map(Money::to_fen),
            rejection.as_ref().map(|r| r.reason.code()),
        ),
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
    disputed: Option<Money>,
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
    let (dispute_zh, dispute_en) = match disputed {
        Some(d) => (
            format!("其余 {} 被部分拒收，争议解决后再支付（R-PAY-10）。", d.format_cny()),
            format!(
                " The other {} was rejected in part and falls due when the dispute ends (R-PAY-10).",
                d.format_cny()
            ),
        ),
        None => (String::new(), String::new()),
    };
    Text::new(
        format!(
            "付款节点「{}」已验收，应付 {}，付款到期日 {due}。{dispute_zh}",
            m.deliverable,
            payable.format_cny()
        ),
        format!(
            "Milestone \"{}\" was accepted: {} is payable by {due}.{dispute_en}",
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
    record_rejection(&txn, session, &m, &rejection, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Records a rejection of the delivery (R-PAY-03): the supplier may deliver again.
async fn record_rejection(
    txn: &impl ConnectionTrait,
    session: &Session,
    m: &milestone::Model,
    rejection: &Rejection,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
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
        .exec(txn)
        .await?;
    audit::record(
        txn,
        now,
        actor(session),
        "milestone.reject",
        "milestone",
        m.id,
        &(rejection.reason.code(), &rejection.explanation),
    )
    .await?;
    Ok(())
}
