//! R-PAY-06 receivable confirmation, and R-AWARD-01 publication of the signed contract.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::china_day;
use crate::domain::payment::receivable_confirmation_due;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{contract, milestone};
use crate::model::accounts::Session;
use crate::services::AppState;

use super::{actor, conflict, milestone_view, notify, payments_of, scoped_milestone};

/// R-PAY-06: the supplier asks the agency to confirm a receivable it is owed.
pub async fn request_confirmation(
    state: &AppState,
    session: &Session,
    supplier: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, supplier, false, id).await?;
    let view = milestone_view(&c, &m, &payments_of(&txn, m.id).await?, today);
    if !view.can_request_confirmation {
        return Err(conflict(
            "只有已到付款阶段、尚未付清且未申请过确认的节点可以申请确认应收款。",
            "Only a milestone that is payable, not fully paid and not yet asked about can have its receivable confirmed.",
        ));
    }
    let updated = milestone::Entity::update_many()
        .col_expr(
            milestone::Column::ReceivableRequestedOn,
            Expr::value(Some(today)),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::ReceivableRequestedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(conflict(
            "已经申请过确认。",
            "A confirmation was already requested.",
        ));
    }
    let by = receivable_confirmation_due(today);
    let body = Text::new(
        format!(
            "供应商申请确认付款节点「{}」的应收款 {}，请于 {by} 前确认（R-PAY-06）。",
            m.deliverable,
            view.outstanding.format_cny()
        ),
        format!(
            "The supplier asks you to confirm the receivable of {} for milestone \"{}\" by {by} (R-PAY-06).",
            view.outstanding.format_cny(),
            m.deliverable
        ),
    );
    notify(
        &txn,
        c.agency_id,
        "payment.confirmation_requested",
        &c,
        &body,
        now,
        None,
    )
    .await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "receivable.request",
        "milestone",
        m.id,
        &today,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// R-PAY-06: the agency confirms the receivable the supplier asked about.
pub async fn confirm_receivable(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    let updated = milestone::Entity::update_many()
        .col_expr(
            milestone::Column::ReceivableConfirmedOn,
            Expr::value(Some(today)),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::ReceivableRequestedOn.is_not_null())
        .filter(milestone::Column::ReceivableConfirmedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(conflict(
            "该应收款没有待确认的申请。",
            "No confirmation of this receivable is waiting.",
        ));
    }
    let body = Text::new(
        format!(
            "采购人已确认付款节点「{}」的应收款（R-PAY-06）。",
            m.deliverable
        ),
        format!(
            "The buyer confirmed the receivable for milestone \"{}\" (R-PAY-06).",
            m.deliverable
        ),
    );
    notify(
        &txn,
        c.supplier_id,
        "payment.confirmed",
        &c,
        &body,
        now,
        None,
    )
    .await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "receivable.confirm",
        "milestone",
        m.id,
        &today,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// R-AWARD-01: the procurement officer publishes the signed contract (once).
pub async fn publish(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let updated = contract::Entity::update_many()
        .col_expr(contract::Column::PublishedAt, Expr::value(Some(now)))
        .filter(contract::Column::Id.eq(id))
        .filter(contract::Column::AgencyId.eq(agency))
        .filter(contract::Column::PublishedAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        contract::Entity::find_by_id(id)
            .filter(contract::Column::AgencyId.eq(agency))
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(conflict(
            "合同已经公开。",
            "The contract is already published.",
        ));
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "contract.publish",
        "contract",
        id,
        &(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
