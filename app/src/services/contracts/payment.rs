//! The finance officer records a payment of principal or late interest.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::payment::check_payment;
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{milestone, payment};
use crate::model::accounts::Session;
use crate::model::contracts::*;
use crate::services::AppState;

use super::{actor, conflict, milestone_view, scoped_milestone};

/// A payment as the finance officer entered it, parsed (`server_fns::contracts`): the amount,
/// the day paid and the bank reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentEntry {
    pub kind: PaymentKind,
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
}

/// The finance officer records a payment. Idempotent on `request_key`; two releases racing for
/// the same outstanding amount pay once (the second sees the first's and is refused).
pub async fn release(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    request_key: Uuid,
    entry: PaymentEntry,
) -> Result<(), AppError> {
    let PaymentEntry {
        kind,
        amount,
        paid_on,
        bank_reference: reference,
    } = entry;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    if already_recorded(&txn, request_key, m.id, kind).await? {
        return Ok(());
    }
    // Issue #35: where the agency separates duties, whoever accepted the delivery does not
    // release its payment.
    let separation = crate::services::members::separation_of_duties(&txn, agency).await?;
    crate::domain::duties::check_release(separation, m.accepted_by, session.person_id.into())
        .map_err(|message| AppError::Conflict { message })?;
    let payments = payments_of(&txn, m.id).await?;
    let view = milestone_view(&c, &m, &payments, today);
    if view.due_date.is_none() {
        return Err(conflict(
            "该节点尚未验收且验收期未满，还不能付款。",
            "This milestone is not yet payable: it is neither accepted nor past its acceptance period.",
        ));
    }
    // R-PAY-05: interest is a payable of its own, paid up to what has accrued by today.
    let (outstanding, column, before) = match kind {
        PaymentKind::Principal => (view.outstanding, milestone::Column::PaidFen, m.paid_fen),
        PaymentKind::Interest => (
            view.interest_outstanding,
            milestone::Column::InterestPaidFen,
            m.interest_paid_fen,
        ),
    };
    if kind == PaymentKind::Interest && outstanding == Money::ZERO {
        return Err(conflict(
            "该节点没有未付的逾期利息。",
            "This milestone has no late interest outstanding.",
        ));
    }
    check_payment(amount, outstanding, paid_on, today)
        .map_err(|errors| AppError::Fields { errors })?;
    // Counts only if nobody paid since the outstanding amount was read.
    let updated = milestone::Entity::update_many()
        .col_expr(column, Expr::value(before + amount.to_fen()))
        .filter(milestone::Column::Id.eq(m.id))
        .filter(column.eq(before))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return lost_race(&txn, request_key).await;
    }
    let row = payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        milestone_id: Set(m.id),
        amount_fen: Set(amount.to_fen()),
        paid_on: Set(paid_on),
        bank_reference: Set(reference),
        request_key: Set(request_key),
        recorded_by: Set(session.person_id.into()),
        recorded_at: Set(now),
        kind: Set(kind.code().to_string()),
    };
    row.insert(&txn).await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "milestone.pay",
        "milestone",
        m.id,
        &(amount.to_fen(), paid_on, kind.code()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether the release of `request_key` is already recorded on this milestone, as this kind
/// (a retried or double-clicked release); a conflict when the key went to another.
async fn already_recorded(
    conn: &impl ConnectionTrait,
    request_key: Uuid,
    milestone_id: Uuid,
    kind: PaymentKind,
) -> Result<bool, AppError> {
    let Some(done) = payment::Entity::find()
        .filter(payment::Column::RequestKey.eq(request_key))
        .one(conn)
        .await?
    else {
        return Ok(false);
    };
    // A retried or double-clicked release: already recorded.
    if done.milestone_id == milestone_id && done.kind == kind.code() {
        Ok(true)
    } else {
        Err(conflict(
            "表单已失效，请刷新页面后重试。",
            "The form is out of date: reload the page and try again.",
        ))
    }
}

/// Someone paid this milestone since its outstanding amount was read: done if it was this very
/// release (same `request_key`), a conflict otherwise.
async fn lost_race(conn: &impl ConnectionTrait, request_key: Uuid) -> Result<(), AppError> {
    let same = payment::Entity::find()
        .filter(payment::Column::RequestKey.eq(request_key))
        .one(conn)
        .await?;
    match same {
        Some(_) => Ok(()),
        None => Err(conflict(
            "刚刚有另一笔付款登记到该节点，请刷新页面查看未付金额。",
            "Another payment was just recorded on this milestone: reload the page to see what is outstanding.",
        )),
    }
}

pub(super) async fn payments_of(
    conn: &impl ConnectionTrait,
    milestone_id: Uuid,
) -> Result<Vec<payment::Model>, AppError> {
    Ok(payment::Entity::find()
        .filter(payment::Column::MilestoneId.eq(milestone_id))
        .order_by_asc(payment::Column::PaidOn)
        .order_by_asc(payment::Column::RecordedAt)
        .all(conn)
        .await?)
}
