//! Amending a signed contract's milestones (issue #7).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::error::{AppError, FieldError};
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{contract, contract_amendment, milestone};
use crate::model::accounts::Session;
use crate::model::contracts::*;
use crate::services::AppState;

use super::{actor, conflict, notify};

/// What one amendment changed in one milestone, kept as data (`contract_amendment.milestones`)
/// so the contract can be published as signed and as each amendment left it (issue #7).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AmendedMilestone {
    pub id: Uuid,
    pub deliverable_before: String,
    pub deliverable_after: String,
    pub planned_before: NaiveDate,
    pub planned_after: NaiveDate,
}

/// The procurement officer amends a contract: new deliverables or planned dates for milestones
/// not yet delivered, with a written reason. Each amendment is a version of its own, recorded
/// with what changed from what to what; the supplier is told. Amounts stay as signed.
pub async fn amend(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    form: &AmendmentForm,
) -> Result<i32, AppError> {
    let mut errors = Vec::new();
    let reason = crate::domain::text_field(&form.reason, "reason", 2000, true, &mut errors);
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let c = contract::Entity::find_by_id(id)
        .filter(contract::Column::AgencyId.eq(agency))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::ContractId.eq(c.id))
        .order_by_asc(milestone::Column::Position)
        .all(&txn)
        .await?;
    let mut changes = Vec::new();
    let mut amended = Vec::new();
    for (i, row) in form.milestones.iter().enumerate() {
        let Some(m) = milestones
            .iter()
            .find(|m| Some(m.id) == row.id.trim().parse().ok())
        else {
            continue;
        };
        if let Some(a) = amended_row(i, row, m, &mut errors) {
            changes.extend(change_texts(m.position + 1, &a));
            amended.push(a);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }
    let Some(reason) = reason else {
        return Err(AppError::Fields { errors });
    };
    if changes.is_empty() {
        return Err(AppError::invalid(
            "milestones",
            Text::new("没有任何修改。", "Nothing was changed."),
        ));
    }
    let version = c.version + 1;
    bump_version(&txn, &c, version).await?;
    for a in &amended {
        milestone::Entity::update_many()
            .col_expr(
                milestone::Column::Deliverable,
                Expr::value(a.deliverable_after.clone()),
            )
            .col_expr(milestone::Column::PlannedOn, Expr::value(a.planned_after))
            .filter(milestone::Column::Id.eq(a.id))
            .exec(&txn)
            .await?;
    }
    let amendment = Amendment {
        version,
        reason,
        changes,
        amended,
    };
    record_amendment(&txn, &c, session, now, &amendment).await?;
    txn.commit().await?;
    Ok(version)
}

/// What row `i` of the form changes in milestone `m` (an empty field keeps what it was);
/// `None` when nothing, or when the change is refused (the message is in `errors`).
fn amended_row(
    i: usize,
    row: &MilestoneAmendment,
    m: &milestone::Model,
    errors: &mut Vec<FieldError>,
) -> Option<AmendedMilestone> {
    let number = m.position + 1;
    let deliverable = row.deliverable.trim();
    let deliverable = if deliverable.is_empty() {
        m.deliverable.as_str()
    } else {
        deliverable
    };
    let planned = match row.planned_date.trim() {
        "" => m.planned_on,
        s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                errors.push(FieldError::new(
                    format!("milestones[{i}].planned_date"),
                    Text::new(
                        "请填写计划日期，例如 2027-03-31。",
                        "Enter the planned date, e.g. 2027-03-31.",
                    ),
                ));
                return None;
            }
        },
    };
    if deliverable == m.deliverable && planned == m.planned_on {
        return None;
    }
    if m.delivered_at.is_some() || m.accepted_on.is_some() || m.advance {
        errors.push(FieldError::new(
            format!("milestones[{i}].deliverable"),
            Text::new(
                format!("付款节点 {number} 已交付、已验收或为预付款，不能再修改。"),
                format!("Milestone {number} is delivered, accepted or an advance payment: it can no longer be amended."),
            ),
        ));
        return None;
    }
    if deliverable.chars().count() > crate::domain::payment::MAX_DELIVERABLE_CHARS {
        errors.push(FieldError::new(
            format!("milestones[{i}].deliverable"),
            Text::new("交付内容过长。", "The deliverable is too long."),
        ));
        return None;
    }
    // R-PAY-09, R-PAY-03: an amendment may not bring in what signing refuses (issue #33).
    let forbidden = crate::domain::payment_terms::field_errors(
        &format!("milestones[{i}].deliverable"),
        deliverable,
    );
    if !forbidden.is_empty() {
        errors.extend(forbidden);
        return None;
    }
    Some(AmendedMilestone {
        id: m.id,
        deliverable_before: m.deliverable.clone(),
        deliverable_after: deliverable.to_string(),
        planned_before: m.planned_on,
        planned_after: planned,
    })
}

/// What an amended milestone (number `number`) changed, from what to what, as the amendment
/// shows it.
fn change_texts(number: i32, a: &AmendedMilestone) -> Vec<Text> {
    let mut changes = Vec::new();
    if a.deliverable_after != a.deliverable_before {
        changes.push(Text::new(
            format!(
                "付款节点 {number} 交付内容：「{}」→「{}」",
                a.deliverable_before, a.deliverable_after
            ),
            format!(
                "Milestone {number} deliverable: \"{}\" → \"{}\"",
                a.deliverable_before, a.deliverable_after
            ),
        ));
    }
    if a.planned_after != a.planned_before {
        changes.push(Text::new(
            format!(
                "付款节点 {number} 计划日期：{} → {}",
                a.planned_before, a.planned_after
            ),
            format!(
                "Milestone {number} planned date: {} → {}",
                a.planned_before, a.planned_after
            ),
        ));
    }
    changes
}

/// Moves the contract to `version`; counts only if nobody amended since the contract was read.
async fn bump_version(
    conn: &impl ConnectionTrait,
    c: &contract::Model,
    version: i32,
) -> Result<(), AppError> {
    let bumped = contract::Entity::update_many()
        .col_expr(contract::Column::Version, Expr::value(version))
        .filter(contract::Column::Id.eq(c.id))
        .filter(contract::Column::Version.eq(c.version))
        .exec(conn)
        .await?;
    if bumped.rows_affected != 1 {
        return Err(conflict(
            "合同刚刚被修改过，请刷新页面后重试。",
            "The contract was just amended: reload the page and try again.",
        ));
    }
    Ok(())
}

/// One amendment, checked.
struct Amendment {
    version: i32,
    reason: String,
    changes: Vec<Text>,
    amended: Vec<AmendedMilestone>,
}

/// Records the amendment, tells the supplier, and audits it.
async fn record_amendment(
    conn: &impl ConnectionTrait,
    c: &contract::Model,
    session: &Session,
    now: DateTime<Utc>,
    a: &Amendment,
) -> Result<(), AppError> {
    let (version, reason) = (a.version, &a.reason);
    contract_amendment::ActiveModel {
        id: Set(Uuid::now_v7()),
        contract_id: Set(c.id),
        version: Set(version),
        reason: Set(reason.clone()),
        changes: Set(serde_json::to_string(&a.changes).unwrap_or_else(|_| "[]".into())),
        milestones: Set(serde_json::to_string(&a.amended).ok()),
        amended_by: Set(session.person_id.into()),
        amended_at: Set(now),
    }
    .insert(conn)
    .await?;
    let body = Text::new(
        format!("合同已修改为第 {version} 版：{reason}"),
        format!("The contract was amended (version {version}): {reason}"),
    );
    notify(conn, c.supplier_id, "payment.amended", c, &body, now, None).await?;
    audit::record(
        conn,
        now,
        actor(session),
        "contract.amend",
        "contract",
        c.id,
        &(version, &a.changes),
    )
    .await?;
    Ok(())
}
