//! Payment reminders and the payment notices of an organisation.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::domain::contract::{reminder_stage, ReminderStage};
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::{contract, notification};
use crate::services::AppState;

use super::{contracts_with_milestones, milestone_view, notify};

/// Writes the payment reminders `organisation` has reached since it last looked: for each
/// unpaid milestone, the latest of "due in 7 days", "due tomorrow" and "overdue" that applies,
/// once (the dedupe key names the stage, the milestone, its due date and the organisation).
/// Reminders come from dates and the clock, so they appear without any job running.
pub async fn sync_reminders(state: &AppState, organisation: Uuid) -> Result<(), AppError> {
    use sea_orm::Condition;
    let now = state.clock.now();
    let today = china_day(now);
    let contracts = contracts_with_milestones(
        &state.db,
        Some(
            Condition::any()
                .add(contract::Column::AgencyId.eq(organisation))
                .add(contract::Column::SupplierId.eq(organisation)),
        ),
    )
    .await?;
    let mut reminders = Vec::new();
    for (c, milestones) in contracts {
        for (m, payments) in milestones {
            let view = milestone_view(&c, &m, &payments, today);
            let (Some(stage), Some(due)) = (reminder_stage(view.status), view.due_date) else {
                continue;
            };
            if view.outstanding == Money::ZERO {
                continue;
            }
            let body = reminder_text(stage, &m.deliverable, view.outstanding, due);
            let stage = stage.code();
            let key = format!(
                "pay-{stage}-{}-{due}-{}",
                m.id.simple(),
                organisation.simple()
            );
            reminders.push((format!("payment.{stage}"), c.clone(), body, key));
        }
    }
    if reminders.is_empty() {
        return Ok(());
    }
    // Through the writers' queue like every write (on SQLite, a write straight on the pool
    // would take the file's lock beside the queue); one written twice, by two requests or two
    // servers at once, is kept once (its dedupe key).
    let txn = crate::infra::db::begin_write(&state.db).await?;
    for (kind, c, body, key) in reminders {
        notify(&txn, organisation, &kind, &c, &body, now, Some(key)).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The reminder's message: `amount` of milestone `deliverable` due on `due`, at `stage`.
fn reminder_text(stage: ReminderStage, deliverable: &str, amount: Money, due: NaiveDate) -> Text {
    let amount = amount.format_cny();
    match stage {
        ReminderStage::Overdue => Text::new(
            format!(
                "付款节点「{deliverable}」的 {amount} 已于 {due} 到期，现已逾期，逾期利息按日计算（R-PAY-05）。"
            ),
            format!(
                "{amount} for milestone \"{deliverable}\" was due on {due} and is overdue: late interest accrues daily (R-PAY-05)."
            ),
        ),
        ReminderStage::DueTomorrow => Text::new(
            format!("付款节点「{deliverable}」的 {amount} 将于 {due} 到期（明天或今天）。"),
            format!(
                "{amount} for milestone \"{deliverable}\" falls due on {due} (tomorrow or today)."
            ),
        ),
        ReminderStage::DueWithin7Days => Text::new(
            format!("付款节点「{deliverable}」的 {amount} 将于 {due} 到期（7 天内）。"),
            format!("{amount} for milestone \"{deliverable}\" falls due on {due}, within 7 days."),
        ),
    }
}

/// The organisation's payment notifications, newest first.
pub async fn payment_notices(
    state: &AppState,
    organisation: Uuid,
) -> Result<Vec<crate::model::supplier::NotificationView>, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::OrganisationId.eq(organisation))
        .filter(notification::Column::Kind.starts_with("payment."))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(20)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|n| crate::model::supplier::NotificationView {
            id: n.id,
            tender_id: n.tender_id,
            contract_id: n.contract_id,
            body: Text::new(n.body_zh, n.body_en),
            created_at: n.created_at,
            read: n.read_at.is_some(),
        })
        .collect())
}
