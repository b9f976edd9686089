//! R-TIME-02: a structured amendment of a published tender (更正公告). The officer sends the
//! terms as they should now read (the tender's own form) with an explanation; the domain finds
//! what changed (`domain::amendment`) and decides whether it can affect bids, whatever the
//! officer ticked; one that can moves the deadline so that 15 days (5 for consultation) remain.
//! The amended terms are checked by every publication rule again; the terms before and after,
//! and what changed, are kept on the amendment (R-REC-01); a requirement it replaces is marked
//! withdrawn, never deleted.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::clarify::{clarification_notice, clarification_view, may_clarify, own_published};
use super::publish::{insert_criteria, insert_lot, problem_field, set_terms};
use super::{actor, parse_stored};
use crate::domain::amendment::{self, TermChange};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::draft::{beijing_datetime_text, TenderDraft, TenderDraftForm};
use crate::domain::policy::Policy;
use crate::domain::publication::{
    check_publication_reviewed, deadline_after_amendment, SmeOutcome, TenderPlan,
};
use crate::domain::tender::Method;
use crate::error::AppError;
use crate::infra::entities::{tender, tender_clarification, tender_criterion, tender_lot};
use crate::infra::{audit, db::begin_write_at};
use crate::model::tenders::ClarificationView;

/// What the officer sends: the terms as they should read, the public explanation, and whether
/// the officer says it can affect bids (the domain may say so regardless).
pub struct AmendmentRequest<'a> {
    pub form: &'a TenderDraftForm,
    pub body: &'a str,
    pub affects_bids: bool,
}

/// Publishes a structured amendment of the agency's published tender `id`.
pub async fn amend_tender(
    db: &crate::infra::db::Db,
    calendar: &WorkingCalendar,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    request: AmendmentRequest<'_>,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<ClarificationView, AppError> {
    let (txn, now) = begin_write_at(db, clock).await?;
    // Another agency's tender is not found, whatever the form says.
    let t = own_published(&txn, agency, id).await?;
    let mut errors = Vec::new();
    let body = crate::domain::text_field(request.body, "body", 5000, true, &mut errors);
    let parsed = request.form.parse(now);
    let (Some(body), Ok(mut after), true) = (body, parsed.clone(), errors.is_empty()) else {
        errors.extend(parsed.err().unwrap_or_default());
        return Err(AppError::Fields { errors });
    };
    may_clarify(&t, &body, now)?;
    let published_at = t.published_at.ok_or(AppError::NotFound)?;
    let before_form = super::draft::stored_form(&t)?;
    let before = terms_now(&t, &before_form, published_at)?;
    // The deadline field comes filled with the deadline now, to the minute: sent back as it
    // came, it is unchanged (to the millisecond R-TIME-02 may have set it).
    if request.form.bid_deadline.trim() == beijing_datetime_text(t.bid_deadline) {
        after.plan.bid_deadline = t.bid_deadline;
    }
    let changes = amendment::term_changes(&before, &after);
    amendment::check_amendment(&before, &after, &changes)
        .map_err(|errors| AppError::Fields { errors })?;
    let reserved_whole = check_rules(&txn, calendar, &t, &after.plan, published_at).await?;
    // R-TIME-02: decided by what the amendment changes, whatever the officer ticked.
    let affects_bids = amendment::affects_bids(&changes, request.affects_bids);
    let method = parse_stored("tender.method", &t.method, Method::parse)?;
    let deadline = if affects_bids {
        deadline_after_amendment(method, after.plan.bid_deadline, now, &Policy::CHINA)
    } else {
        after.plan.bid_deadline
    };
    let mut stored = request.form.clone();
    stored.bid_deadline = beijing_datetime_text(deadline);
    let (deadline_before, title) = (t.bid_deadline, after.plan.title.clone());
    let text_changed = changes
        .iter()
        .any(|c| matches!(c, TermChange::Title | TermChange::Description));
    write_lots(&txn, t.id, &before.plan, &after.plan, reserved_whole, now).await?;
    let mut row: tender::ActiveModel = t.into();
    row.title = Set(after.plan.title.clone());
    row.description = Set(after.plan.description.clone());
    row.region = Set(after.region.clone());
    row.budget_fen = Set(after.plan.budget.to_fen());
    row.bid_deadline = Set(deadline);
    row.draft_form = Set(Some(json(&stored)?));
    // Also the version the kept lots are read at (`PublishedLots`).
    row.updated_at = Set(Some(now));
    set_terms(&mut row, &after.plan, reserved_whole)?;
    row.update(&txn).await?;
    if text_changed {
        crate::infra::search::reindex_tender(&txn, id, &after.plan.title, &after.plan.description)
            .await?;
    }
    let clarification = tender_clarification::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(id),
        body: Set(body),
        affects_bids: Set(affects_bids),
        deadline_before: Set(deadline_before),
        deadline_after: Set(deadline),
        published_by: Set(person),
        published_at: Set(now),
        changes: Set(Some(json(&changes)?)),
        terms_before: Set(Some(json(&before_form)?)),
        terms_after: Set(Some(json(&stored)?)),
    }
    .insert(&txn)
    .await?;
    let notice = clarification_notice(&title, (deadline != deadline_before).then_some(deadline));
    crate::services::supplier::notify_watchers(&txn, id, "clarification", &notice, now).await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "amend_tender",
        "tender",
        id,
        &(
            &clarification.body,
            &changes,
            affects_bids,
            deadline_before,
            deadline,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(clarification_view(clarification))
}

/// The tender's terms as they stand: its stored form, with the deadline as it is now (a
/// clarification may have moved it since the form was typed).
fn terms_now(
    t: &tender::Model,
    form: &TenderDraftForm,
    published_at: DateTime<Utc>,
) -> Result<TenderDraft, AppError> {
    // Parsed as of its publication: its deadline was in the future then.
    let mut draft = form.parse(published_at).map_err(|errors| {
        tracing::error!(id = %t.id, ?errors, "a published tender's form does not parse");
        AppError::Internal { request_id: None }
    })?;
    draft.plan.bid_deadline = t.bid_deadline;
    Ok(draft)
}

/// Every publication rule on the amended terms, as of the tender's publication (R-TIME-01 held
/// then and the deadline only moves later), less the barrier findings the administrator let
/// through; every problem at once, on its field. Returns R-SME-01's outcome (reserved whole).
async fn check_rules(
    txn: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
    t: &tender::Model,
    plan: &TenderPlan,
    published_at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let approvals = super::review::approved_findings(txn, t.id).await?;
    let approved: Vec<_> = approvals.into_iter().flat_map(|(_, f)| f).collect();
    match check_publication_reviewed(plan, published_at, calendar, &Policy::CHINA, &approved) {
        Ok((outcome, _)) => Ok(outcome == SmeOutcome::ReservedWhole),
        Err(problems) => Err(AppError::Fields {
            errors: problems.into_iter().map(problem_field).collect(),
        }),
    }
}

/// The lots as amended: each published lot updated in place (its id stays, bids and awards name
/// it), its requirements replaced only when they changed (the old ones marked withdrawn, kept
/// on record); an added lot written new.
async fn write_lots(
    txn: &impl ConnectionTrait,
    tender_id: Uuid,
    before: &TenderPlan,
    after: &TenderPlan,
    reserved_whole: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let rows = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(tender_id))
        .order_by_asc(tender_lot::Column::Position)
        .all(txn)
        .await?;
    for (i, lot) in after.lots.iter().enumerate() {
        let Some(row) = rows.get(i) else {
            insert_lot(
                txn,
                tender_id,
                i,
                lot,
                reserved_whole || lot.reserved_for_sme,
            )
            .await?;
            continue;
        };
        let reserved = reserved_whole || lot.reserved_for_sme;
        let small_micro_only = reserved && lot.small_micro_only;
        if row.title != lot.title
            || row.budget_fen != lot.budget.to_fen()
            || row.reserved_for_sme != reserved
            || row.small_micro_only != small_micro_only
        {
            let mut active: tender_lot::ActiveModel = row.clone().into();
            active.title = Set(lot.title.clone());
            active.budget_fen = Set(lot.budget.to_fen());
            active.reserved_for_sme = Set(reserved);
            active.small_micro_only = Set(small_micro_only);
            active.update(txn).await?;
        }
        if before.lots.get(i).map(|b| &b.criteria) != Some(&lot.criteria) {
            tender_criterion::Entity::update_many()
                .col_expr(
                    tender_criterion::Column::WithdrawnAt,
                    Expr::value(Some(now)),
                )
                .filter(tender_criterion::Column::LotId.eq(row.id))
                .filter(tender_criterion::Column::WithdrawnAt.is_null())
                .exec(txn)
                .await?;
            insert_criteria(txn, row.id, i, &lot.criteria).await?;
        }
    }
    Ok(())
}

/// JSON for the amendment's record columns.
fn json(value: &impl serde::Serialize) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| {
        tracing::error!(error = %e, "an amendment record did not serialise");
        AppError::Internal { request_id: None }
    })
}
