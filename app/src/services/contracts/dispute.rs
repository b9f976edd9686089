//! R-PAY-10: the disputed part of a milestone accepted in part, and the ways it ends:
//! - the supplier delivers it again and the agency accepts it (or lets the re-delivery's
//!   acceptance period pass, R-PAY-02) or rejects it again with an allowed reason (R-PAY-03);
//! - the agency proposes a reduction and the supplier confirms it (both on record);
//! - the supplier records the outcome of mediation, arbitration or a court.
//!
//! When it ends, what is owed of it falls due a payment term after that day (R-PAY-01) and
//! bears interest from then (R-PAY-05); the view derives all of it (`views::milestone_view`).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::payment::{
    check_decision, check_reduction, check_rejection, dispute_status, DisputeEnd, DisputeFacts,
    DisputeStatus,
};
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::{begin_write_at, WriteTxn};
use crate::infra::entities::{contract, milestone};
use crate::model::accounts::Session;
use crate::services::AppState;

use super::views::dispute_facts;
use super::{actor, conflict, notify, scoped_milestone};

/// A milestone with a dispute, in a write transaction, with where the dispute stands today.
struct Disputed {
    txn: WriteTxn,
    now: DateTime<Utc>,
    contract: contract::Model,
    milestone: milestone::Model,
    facts: DisputeFacts,
    status: DisputeStatus,
}

async fn disputed(
    state: &AppState,
    organisation: Uuid,
    as_agency: bool,
    id: Uuid,
) -> Result<Disputed, AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let (contract, milestone) = scoped_milestone(&txn, organisation, as_agency, id).await?;
    let Some(facts) = dispute_facts(&milestone) else {
        return Err(conflict(
            "该节点没有争议部分。",
            "This milestone has no disputed part.",
        ));
    };
    let status = dispute_status(
        &facts,
        contract.acceptance_days.max(0) as u32,
        china_day(now),
    );
    if let DisputeStatus::Ended { on, .. } = status {
        return Err(AppError::Conflict {
            message: Text::new(
                format!("争议已于 {on} 结束，应付部分已开始计算付款期限（R-PAY-10）。"),
                format!(
                    "The dispute ended on {on}; what is owed of it is already falling due (R-PAY-10)."
                ),
            ),
        });
    }
    Ok(Disputed {
        txn,
        now,
        contract,
        milestone,
        facts,
        status,
    })
}

impl Disputed {
    /// Writes `changes` to the milestone, only if no other change reached it since it was read
    /// (the dispute's state columns still hold what was read), then notifies `to`, records the
    /// audit entry and commits.
    async fn write(
        self,
        session: &Session,
        changes: Vec<(milestone::Column, SimpleExpr)>,
        action: &str,
        to: Uuid,
        body: Text,
        audit_state: &impl serde::Serialize,
    ) -> Result<(), AppError> {
        let m = &self.milestone;
        let mut update = milestone::Entity::update_many();
        for (column, value) in changes {
            update = update.col_expr(column, value);
        }
        let same = |column: milestone::Column, value: Option<String>| match value {
            Some(v) => column.eq(v),
            None => column.is_null(),
        };
        let updated = update
            .filter(milestone::Column::Id.eq(m.id))
            .filter(same(milestone::Column::DisputeEnd, m.dispute_end.clone()))
            .filter(match m.redelivered_at {
                Some(at) => milestone::Column::RedeliveredAt.eq(at),
                None => milestone::Column::RedeliveredAt.is_null(),
            })
            .filter(match m.reduction_fen {
                Some(r) => milestone::Column::ReductionFen.eq(r),
                None => milestone::Column::ReductionFen.is_null(),
            })
            .exec(&self.txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(conflict(
                "争议刚刚已有变化，请刷新页面后再试。",
                "The dispute just changed: reload the page and try again.",
            ));
        }
        notify(
            &self.txn,
            to,
            "payment.dispute",
            &self.contract,
            &body,
            self.now,
            None,
        )
        .await?;
        audit::record(
            &self.txn,
            self.now,
            actor(session),
            action,
            "milestone",
            m.id,
            audit_state,
        )
        .await?;
        self.txn.commit().await?;
        Ok(())
    }
}

fn ended(how: DisputeEnd, on: NaiveDate, owed: Money) -> Vec<(milestone::Column, SimpleExpr)> {
    vec![
        (
            milestone::Column::DisputeEnd,
            Expr::value(Some(how.code().to_string())),
        ),
        (milestone::Column::DisputeEndedOn, Expr::value(Some(on))),
        (
            milestone::Column::DisputeOwedFen,
            Expr::value(Some(owed.to_fen())),
        ),
        // A proposal still open lapses: the dispute ended another way.
        (
            milestone::Column::ReductionFen,
            Expr::value(Option::<i64>::None),
        ),
    ]
}

/// The supplier delivers the disputed part again; the agency then decides within the
/// acceptance period, or the re-delivery is accepted at its end (R-PAY-02).
pub async fn redeliver_disputed(
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
    let d = disputed(state, supplier, false, id).await?;
    if d.status != DisputeStatus::Open {
        return Err(conflict(
            "争议部分已重新交付，正在等待验收。",
            "The disputed part was delivered again and awaits the buyer's decision.",
        ));
    }
    let body = Text::new(
        format!(
            "供应商已重新交付付款节点「{}」的争议部分 {}，请在验收期内验收或说明理由退回（R-PAY-02、R-PAY-10）。",
            d.milestone.deliverable,
            d.facts.disputed.format_cny()
        ),
        format!(
            "The supplier delivered the disputed {} of \"{}\" again: accept it, or reject it with a reason, within the acceptance period (R-PAY-02, R-PAY-10).",
            d.facts.disputed.format_cny(),
            d.milestone.deliverable
        ),
    );
    let agency = d.contract.agency_id;
    let now = d.now;
    d.write(
        session,
        vec![
            (milestone::Column::RedeliveredAt, Expr::value(Some(now))),
            (milestone::Column::DeliveryNote, Expr::value(note)),
        ],
        "milestone.redeliver_disputed",
        agency,
        body,
        &(),
    )
    .await
}

/// The agency decides on a re-delivery of the disputed part within its acceptance period:
/// `accept` ends the dispute with all of it owed; otherwise it is rejected again with an
/// allowed reason and an explanation (R-PAY-03) and the dispute stays open.
pub async fn decide_redelivery(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    accept: bool,
    reason: &str,
    explanation: &str,
) -> Result<(), AppError> {
    let rejection = if accept {
        None
    } else {
        Some(check_rejection(reason, explanation).map_err(|errors| AppError::Fields { errors })?)
    };
    let d = disputed(state, agency, true, id).await?;
    if !matches!(d.status, DisputeStatus::Redelivered { .. }) {
        return Err(conflict(
            "争议部分尚未重新交付。",
            "The disputed part has not been delivered again.",
        ));
    }
    let today = china_day(d.now);
    let disputed = d.facts.disputed;
    let supplier = d.contract.supplier_id;
    let name = d.milestone.deliverable.clone();
    match rejection {
        None => {
            let body = Text::new(
                format!(
                    "付款节点「{name}」重新交付的争议部分已验收：{} 自 {today} 起计算付款期限（R-PAY-10）。",
                    disputed.format_cny()
                ),
                format!(
                    "The disputed part of \"{name}\" delivered again was accepted: {} falls due a payment term from {today} (R-PAY-10).",
                    disputed.format_cny()
                ),
            );
            d.write(
                session,
                ended(DisputeEnd::Redelivered, today, disputed),
                "milestone.accept_redelivery",
                supplier,
                body,
                &disputed.to_fen(),
            )
            .await
        }
        Some(rejection) => {
            let body = Text::new(
                format!(
                    "付款节点「{name}」重新交付的争议部分被退回：{}。{}",
                    rejection.reason.label().zh,
                    rejection.explanation
                ),
                format!(
                    "The disputed part of \"{name}\" delivered again was rejected: {}. {}",
                    rejection.reason.label().en,
                    rejection.explanation
                ),
            );
            d.write(
                session,
                vec![
                    (
                        milestone::Column::RedeliveredAt,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    ),
                    (
                        milestone::Column::DisputeReason,
                        Expr::value(Some(rejection.reason.code().to_string())),
                    ),
                    (
                        milestone::Column::DisputeText,
                        Expr::value(Some(rejection.explanation.clone())),
                    ),
                ],
                "milestone.reject_redelivery",
                supplier,
                body,
                &(rejection.reason.code(), &rejection.explanation),
            )
            .await
        }
    }
}

/// The agency proposes to settle the disputed part by reducing it; nothing changes until the
/// supplier confirms.
pub async fn propose_reduction(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    reduction: Money,
    explanation: &str,
) -> Result<(), AppError> {
    let d = disputed(state, agency, true, id).await?;
    let explanation = check_reduction(d.facts.disputed, reduction, explanation)
        .map_err(|errors| AppError::Fields { errors })?;
    let owed = d
        .facts
        .disputed
        .checked_sub(reduction)
        .unwrap_or(Money::ZERO);
    let name = d.milestone.deliverable.clone();
    let body = Text::new(
        format!(
            "采购人提议将付款节点「{name}」的争议部分减少 {}（仍应付 {}），理由：{explanation}。请确认或拒绝（R-PAY-10）。",
            reduction.format_cny(),
            owed.format_cny()
        ),
        format!(
            "The buyer proposes to reduce the disputed part of \"{name}\" by {} ({} still owed): {explanation}. Confirm or decline it (R-PAY-10).",
            reduction.format_cny(),
            owed.format_cny()
        ),
    );
    let supplier = d.contract.supplier_id;
    d.write(
        session,
        vec![
            (
                milestone::Column::ReductionFen,
                Expr::value(Some(reduction.to_fen())),
            ),
            (
                milestone::Column::ReductionText,
                Expr::value(Some(explanation.clone())),
            ),
        ],
        "milestone.propose_reduction",
        supplier,
        body,
        &(reduction.to_fen(), &explanation),
    )
    .await
}

/// The supplier confirms the proposed reduction (the dispute ends today with the rest owed) or
/// declines it (the proposal lapses; the dispute stays open).
pub async fn answer_reduction(
    state: &AppState,
    session: &Session,
    supplier: Uuid,
    id: Uuid,
    confirm: bool,
) -> Result<(), AppError> {
    let d = disputed(state, supplier, false, id).await?;
    let Some(reduction) = d.facts.proposed_reduction else {
        return Err(conflict(
            "采购人没有提出减价。",
            "The buyer has proposed no reduction.",
        ));
    };
    let today = china_day(d.now);
    let owed = d
        .facts
        .disputed
        .checked_sub(reduction)
        .unwrap_or(Money::ZERO);
    let agency = d.contract.agency_id;
    let name = d.milestone.deliverable.clone();
    if confirm {
        let body = Text::new(
            format!(
                "供应商已确认付款节点「{name}」减价 {}：{} 自 {today} 起计算付款期限（R-PAY-10）。",
                reduction.format_cny(),
                owed.format_cny()
            ),
            format!(
                "The supplier confirmed the reduction of {} on \"{name}\": {} falls due a payment term from {today} (R-PAY-10).",
                reduction.format_cny(),
                owed.format_cny()
            ),
        );
        let mut changes = ended(DisputeEnd::Reduced, today, owed);
        // The confirmed reduction stays on record beside its explanation.
        changes.retain(|(c, _)| !matches!(c, milestone::Column::ReductionFen));
        d.write(
            session,
            changes,
            "milestone.confirm_reduction",
            agency,
            body,
            &reduction.to_fen(),
        )
        .await
    } else {
        let body = Text::new(
            format!(
                "供应商不同意付款节点「{name}」减价 {}。",
                reduction.format_cny()
            ),
            format!(
                "The supplier declined the reduction of {} on \"{name}\".",
                reduction.format_cny()
            ),
        );
        d.write(
            session,
            vec![(
                milestone::Column::ReductionFen,
                Expr::value(Option::<i64>::None),
            )],
            "milestone.decline_reduction",
            agency,
            body,
            &reduction.to_fen(),
        )
        .await
    }
}

/// The supplier records the outcome of the dispute (mediation, arbitration or a court): what of
/// the disputed part is owed, the day it was decided and the decision's reference. What is owed
/// falls due a payment term after that day.
///
/// Only the supplier records it: the agency owes the money and cannot close a dispute on its
/// own word (it proposes a reduction instead, which the supplier confirms). A decision in the
/// agency's favour leaves nothing more to pay, so an unrecorded one costs the agency nothing.
pub async fn record_decision(
    state: &AppState,
    session: &Session,
    supplier: Uuid,
    id: Uuid,
    owed: Money,
    decided_on: NaiveDate,
    reference: &str,
) -> Result<(), AppError> {
    let d = disputed(state, supplier, false, id).await?;
    let since = d.milestone.accepted_on.unwrap_or(china_day(d.now));
    let reference = check_decision(
        d.facts.disputed,
        owed,
        decided_on,
        since,
        reference,
        china_day(d.now),
    )
    .map_err(|errors| AppError::Fields { errors })?;
    let name = d.milestone.deliverable.clone();
    let body = Text::new(
        format!(
            "供应商登记了付款节点「{name}」的争议处理结果（{reference}，{decided_on}）：应付 {}，自该日起计算付款期限（R-PAY-10）。",
            owed.format_cny()
        ),
        format!(
            "The supplier recorded the outcome of the dispute on \"{name}\" ({reference}, {decided_on}): {} is owed and falls due a payment term from that day (R-PAY-10).",
            owed.format_cny()
        ),
    );
    let agency = d.contract.agency_id;
    let mut changes = ended(DisputeEnd::Decided, decided_on, owed);
    changes.push((
        milestone::Column::DisputeReference,
        Expr::value(Some(reference.clone())),
    ));
    changes.push((
        milestone::Column::RedeliveredAt,
        Expr::value(Option::<DateTime<Utc>>::None),
    ));
    d.write(
        session,
        changes,
        "milestone.record_decision",
        agency,
        body,
        &(owed.to_fen(), decided_on, &reference),
    )
    .await
}
