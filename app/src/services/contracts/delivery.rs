//! The supplier delivers a milestone; the acceptance period it opens (R-PAY-02).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::AppError;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::milestone;
use crate::model::accounts::Session;
use crate::services::AppState;

use super::{actor, conflict, scoped_milestone};

/// The supplier marks a milestone delivered (again, after a rejection).
pub async fn deliver(
    state: &AppState,
    session: &Session,
    supplier: Uuid,
    id: Uuid,
    note: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let note = crate::domain::text_field(note, "note", 2000, false, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let (_, m) = scoped_milestone(&txn, supplier, false, id).await?;
    if m.advance {
        return Err(conflict(
            "预付款节点无需交付，签订后即应支付。",
            "An advance payment needs no delivery: it is payable from signing.",
        ));
    }
    let updated = milestone::Entity::update_many()
        .col_expr(milestone::Column::DeliveredAt, Expr::value(Some(now)))
        .col_expr(milestone::Column::DeliveryNote, Expr::value(note))
        .col_expr(
            milestone::Column::RejectedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            milestone::Column::RejectionReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            milestone::Column::RejectionText,
            Expr::value(Option::<String>::None),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::DeliveredAt.is_null())
        .filter(milestone::Column::AcceptedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(conflict(
            "该节点已标记交付，正在等待验收。",
            "This milestone is already marked delivered and awaits acceptance.",
        ));
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "milestone.deliver",
        "milestone",
        m.id,
        &(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
