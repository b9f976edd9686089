//! Publication: every rule checked against the saved draft (less the barrier findings the
//! platform administrator let through, issue #34), then the lots and criteria written once
//! (R-REC-01).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use super::{actor, not_a_draft, own_tender};
use crate::domain::barrier::Context;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::draft::TenderDraft;
use crate::domain::policy::Policy;
use crate::domain::publication::{
    barrier_problems, check_publication_reviewed, reservation, Criterion, EvaluationMethod,
    LotPlan, Problem, Scoring, SmeOutcome, TenderPlan,
};
use crate::domain::tender::TenderStatus;
use crate::domain::{Money, Percent};
use crate::error::{AppError, FieldError};
use crate::i18n::Text;
use crate::infra::entities::{tender, tender_criterion, tender_lot};
use crate::infra::{audit, db::begin_write_at};

/// Checks every rule against the saved draft and its documents' text and, if none is broken,
/// publishes it: the lots and criteria are written once and never change after (R-REC-01).
pub async fn publish(
    db: &crate::infra::db::Db,
    documents: &crate::infra::storage::DocumentStore,
    calendar: &WorkingCalendar,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<(), AppError> {
    // Documents attached before their text was read on upload are read now, outside the write
    // transaction (issue #34).
    super::documents::own_draft(db, agency, id).await?;
    super::documents::read_missing_texts(db, documents, id).await?;
    let (txn, now) = begin_write_at(db, clock).await?;
    let t = own_tender(&txn, agency, id).await?;
    if t.status != TenderStatus::Draft.as_str() {
        return Err(not_a_draft());
    }
    let mut draft = super::draft::stored_form(&t)?
        // The rules are checked as of now: a deadline that was far enough when saved may not be.
        .parse(now)
        .map_err(|errors| AppError::Fields { errors })?;
    // R-SME-05: only the stored link of a re-tender lifts R-SME-01's reservation, never the
    // form (`domain::retender`).
    draft.plan.retender = super::retender::link_of(&txn, &t).await?;
    let plan = &draft.plan;
    // Issue #34: the barrier findings the platform administrator approved, in the form or in
    // the documents' text, are let through, exactly those (rule and quote); anything else is
    // refused as ever.
    let approvals = super::review::approved_findings(&txn, t.id).await?;
    let approved: Vec<_> = approvals.iter().flat_map(|(_, f)| f.clone()).collect();
    let (outcome, mut problems) =
        match check_publication_reviewed(plan, now, calendar, &Policy::CHINA, &approved) {
            Ok(checked) => (Some(checked), Vec::new()),
            Err(problems) => (None, problems),
        };
    // The documents' findings go through the same approvals as the form's.
    let (documents_left, documents_used) = crate::domain::review::waive(
        document_problems(&txn, id, plan.imported_goods).await?,
        &approved,
    );
    problems.extend(documents_left);
    let Some((outcome, mut used)) = outcome.filter(|_| problems.is_empty()) else {
        // Nothing is written: the transaction is dropped, the tender stays a draft.
        return Err(AppError::Fields {
            errors: problems.into_iter().map(problem_field).collect(),
        });
    };
    for f in documents_used {
        if !used.iter().any(|u| u.rule == f.rule && u.quote == f.quote) {
            used.push(f);
        }
    }
    // R-SME-01, R-SME-02, R-SME-05: the tender and each lot reserved or not, as checked.
    let reservation = reservation(plan, &Policy::CHINA);
    let reserved_whole = reservation.whole;
    debug_assert_eq!(reserved_whole, outcome == SmeOutcome::ReservedWhole);
    let lot_ids = insert_lots(&txn, t.id, plan, &reservation.lots).await?;
    let taken_up: Vec<_> = plan
        .lots
        .iter()
        .zip(&lot_ids)
        .zip(&reservation.lifted)
        .map(|((l, id), lifted)| (l.retender_of, *id, *lifted))
        .collect();
    super::retender::record_publication(&txn, t.id, &taken_up).await?;
    let published = mark_published(&txn, t, &draft, reserved_whole, now).await?;
    crate::infra::search::index_tender(
        &txn,
        published.id,
        &published.title,
        &published.description,
    )
    .await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "publish_tender",
        "tender",
        published.id,
        &(plan, &draft.region, reserved_whole),
    )
    .await?;
    super::review::mark_applied(&txn, approvals, &used, actor(person, agency), now).await?;
    txn.commit().await?;
    Ok(())
}

/// R-BAR-01..03, R-SME-04: the documents published with the tender are checked like its form;
/// one problem per forbidden clause, on `documents[<file name>]`, quoting it (issue #34).
pub(super) async fn document_problems(
    txn: &impl ConnectionTrait,
    id: Uuid,
    imported_goods: bool,
) -> Result<Vec<Problem>, AppError> {
    let mut problems = Vec::new();
    for (name, text) in super::documents::document_texts(txn, id).await? {
        problems.extend(barrier_problems(
            &format!("documents[{name}]"),
            &text,
            Context::Prose,
            imported_goods,
        ));
    }
    Ok(problems)
}

/// A broken rule as the form shows it: the rule's number first, except for plain input errors.
pub(super) fn problem_field(p: Problem) -> FieldError {
    let message = if p.rule == "input" {
        p.message
    } else {
        Text::new(
            format!("[{}] {}", p.rule, p.message.zh),
            format!("[{}] {}", p.rule, p.message.en),
        )
    };
    FieldError::new(p.field, message)
}

/// Writes the plan's lots and their criteria, in order, each `reserved` for SMEs or not
/// (`domain::publication::reservation`). Returns the lots' ids, in order.
async fn insert_lots(
    txn: &impl ConnectionTrait,
    tender_id: Uuid,
    plan: &TenderPlan,
    reserved: &[bool],
) -> Result<Vec<Uuid>, AppError> {
    let mut ids = Vec::with_capacity(plan.lots.len());
    for (i, lot) in plan.lots.iter().enumerate() {
        ids.push(
            insert_lot(
                txn,
                tender_id,
                i,
                lot,
                reserved.get(i).copied().unwrap_or(true),
            )
            .await?,
        );
    }
    Ok(ids)
}

/// Writes lot `i` of a plan and its criteria (also a lot a structured amendment adds),
/// `reserved` for SMEs or not (R-SME-01; R-SME-05: a re-tender's link lifts the reservation of
/// the lots that take up suspended ones). Returns the lot's id.
pub(super) async fn insert_lot(
    txn: &impl ConnectionTrait,
    tender_id: Uuid,
    i: usize,
    lot: &LotPlan,
    reserved: bool,
) -> Result<Uuid, AppError> {
    let lot_id = Uuid::now_v7();
    tender_lot::ActiveModel {
        id: Set(lot_id),
        tender_id: Set(tender_id),
        position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
        title: Set(lot.title.clone()),
        budget_fen: Set(lot.budget.to_fen()),
        reserved_for_sme: Set(reserved),
        // R-SME-02: only a lot still reserved can be for small and micro firms only.
        small_micro_only: Set(reserved && lot.small_micro_only),
    }
    .insert(txn)
    .await?;
    insert_criteria(txn, lot_id, i, &lot.criteria).await?;
    Ok(lot_id)
}

/// Writes the criteria of lot `i` (row `lot_id`), in order.
pub(super) async fn insert_criteria(
    txn: &impl ConnectionTrait,
    lot_id: Uuid,
    i: usize,
    criteria: &[Criterion],
) -> Result<(), AppError> {
    for (j, c) in criteria.iter().enumerate() {
        tender_criterion::ActiveModel {
            id: Set(Uuid::now_v7()),
            lot_id: Set(lot_id),
            position: Set(i32::try_from(j).unwrap_or(i32::MAX)),
            kind: Set(c.kind.as_str().into()),
            requirement: Set(c.requirement.clone()),
            weight_bp: Set(match c.scoring {
                Scoring::PassFail => None,
                Scoring::Scored { weight } => Some(stored_bp(
                    &format!("lots[{i}].criteria[{j}].weight"),
                    weight,
                )?),
            }),
            withdrawn_at: Set(None),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The tender row, published: its status and date, and the plan's evaluation and SME terms.
async fn mark_published(
    txn: &impl ConnectionTrait,
    t: tender::Model,
    draft: &TenderDraft,
    reserved_whole: bool,
    now: DateTime<Utc>,
) -> Result<tender::Model, AppError> {
    let mut row: tender::ActiveModel = t.into();
    row.status = Set(TenderStatus::Published.as_str().into());
    row.published_at = Set(Some(now));
    row.updated_at = Set(Some(now));
    set_terms(&mut row, &draft.plan, reserved_whole)?;
    Ok(row.update(txn).await?)
}

/// The plan's evaluation, security and SME terms on the tender row (at publication, and again
/// at a structured amendment, R-TIME-02).
pub(super) fn set_terms(
    row: &mut tender::ActiveModel,
    plan: &TenderPlan,
    reserved_whole: bool,
) -> Result<(), AppError> {
    row.reserved_whole = Set(Some(reserved_whole));
    row.evaluation_method = Set(plan.evaluation.as_str().into());
    row.price_weight_bp = Set(match plan.evaluation {
        EvaluationMethod::ComprehensiveScoring { price_weight } => {
            Some(stored_bp("price_weight", price_weight)?)
        }
        EvaluationMethod::LowestEvaluatedPrice => None,
    });
    row.bid_security_fen = Set(plan.bid_security.map(Money::to_fen));
    // R-SEC-01: the forms the bid security may take, checked at publication (never cash only).
    row.bid_security_forms = Set(plan
        .bid_security
        .filter(|s| *s > Money::ZERO)
        .map(|_| crate::domain::bid_security::stored_forms(&plan.bid_security_forms)));
    row.imported_goods = Set(plan.imported_goods);
    let sme = &plan.sme;
    row.sme_required_share_bp = Set(stored_bp("sme_required_share", sme.required_sme_share)?);
    row.sme_small_micro_share_bp = Set(stored_bp("sme_small_micro_share", sme.small_micro_share)?);
    row.sme_price_deduction_bp = Set(sme
        .price_deduction
        .map(|p| stored_bp("sme_price_deduction", p))
        .transpose()?);
    row.sme_consortium_deduction_bp = Set(sme
        .consortium_deduction
        .map(|p| stored_bp("sme_consortium_deduction", p))
        .transpose()?);
    Ok(())
}

/// A percentage of the plan as stored, in basis points (`30.5` → `3050`). The form allows 0 to
/// 100 only, so this fails only if that check ever changes; the field then shows the error
/// instead of 0 being stored (issue #32).
fn stored_bp(field: &str, percent: Decimal) -> Result<i32, AppError> {
    Percent::new(percent).to_bp_truncated().map_err(|_| {
        AppError::invalid(
            field,
            Text::new(
                "请输入 0 到 100 之间的数，最多两位小数。",
                "Enter a number from 0 to 100, with at most two decimals.",
            ),
        )
    })
}
