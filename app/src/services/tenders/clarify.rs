//! After publication: clarifications (which may move the deadline) and cancellation.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::{actor, own_tender, parse_stored};
use crate::domain::policy::Policy;
use crate::domain::tender::{Method, TenderStatus};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::tender;
use crate::infra::{audit, db::begin_write_at};

/// The agency's published, not cancelled, tender.
pub(super) async fn own_published(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    id: Uuid,
) -> Result<tender::Model, AppError> {
    let t = own_tender(conn, agency, id).await?;
    if t.status != TenderStatus::Published.as_str() {
        return Err(AppError::Invalid {
            field: None,
            message: Text::new(
                "只有已发布且未终止的项目可以发布澄清或终止。",
                "Only a published tender that is not cancelled can be clarified or cancelled.",
            ),
        });
    }
    Ok(t)
}

pub async fn publish_clarification(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    body: &str,
    affects_bids: bool,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<crate::model::tenders::ClarificationView, AppError> {
    use crate::domain::publication::deadline_after_amendment;
    use crate::infra::entities::tender_clarification;

    let mut errors = Vec::new();
    let Some(body) = crate::domain::text_field(body, "body", 5000, true, &mut errors) else {
        return Err(AppError::Fields { errors });
    };
    let (txn, now) = begin_write_at(db, clock).await?;
    let t = own_published(&txn, agency, id).await?;
    may_clarify(&t, &body, now)?;
    let method = parse_stored("tender.method", &t.method, Method::parse)?;
    let before = t.bid_deadline;
    // R-TIME-02: an amendment that can affect bids leaves at least 15 (5) days.
    let after = if affects_bids {
        deadline_after_amendment(method, before, now, &Policy::CHINA)
    } else {
        before
    };
    let row = tender_clarification::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(t.id),
        body: Set(body),
        affects_bids: Set(affects_bids),
        deadline_before: Set(before),
        deadline_after: Set(after),
        published_by: Set(person),
        published_at: Set(now),
        changes: Set(None),
        terms_before: Set(None),
        terms_after: Set(None),
    }
    .insert(&txn)
    .await?;
    let title = t.title.clone();
    if after != before {
        let mut active: tender::ActiveModel = t.into();
        active.bid_deadline = Set(after);
        active.updated_at = Set(Some(now));
        active.update(&txn).await?;
    }
    // Everyone watching the tender hears of it (issue #4), in the same transaction.
    let notice = clarification_notice(&title, (after != before).then_some(after));
    crate::services::supplier::notify_watchers(&txn, id, "clarification", &notice, now).await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "publish_clarification",
        "tender",
        id,
        &(&row.body, affects_bids, before, after),
    )
    .await?;
    txn.commit().await?;
    Ok(clarification_view(row))
}

/// Whether this text may still amend the tender: before its bid deadline, and bringing in
/// nothing the tender itself could not ask for (R-BAR-01..03).
pub(super) fn may_clarify(
    t: &tender::Model,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if t.bid_deadline <= now {
        return Err(AppError::Invalid {
            field: None,
            message: Text::new(
                "投标已截止，不能再发布澄清或修改。",
                "Bidding has closed: no more clarifications or amendments.",
            ),
        });
    }
    // R-BAR-01..03, R-SME-04: an amendment cannot bring in what the tender could not ask for.
    let problems = crate::domain::publication::barrier_problems(
        "body",
        body,
        crate::domain::barrier::Context::Prose,
        t.imported_goods,
    );
    if !problems.is_empty() {
        return Err(AppError::Fields {
            // The rule's ID first, as on the tender's own form.
            errors: problems
                .into_iter()
                .map(super::publish::problem_field)
                .collect(),
        });
    }
    Ok(())
}

/// What the tender's watchers and bidders are told of a clarification, and of the deadline it
/// moved (`moved`).
pub(super) fn clarification_notice(title: &str, moved: Option<DateTime<Utc>>) -> Text {
    let moved = moved.map(crate::i18n::format_datetime);
    Text::new(
        format!(
            "您关注或投标的项目“{title}”发布了澄清公告。{}",
            moved
                .as_ref()
                .map(|d| format!("投标截止时间延至 {d}。"))
                .unwrap_or_default()
        ),
        format!(
            "A tender you watch or bid on, \"{title}\", published a clarification.{}",
            moved
                .as_ref()
                .map(|d| format!(" The bid deadline moved to {d}."))
                .unwrap_or_default()
        ),
    )
}

pub(super) fn clarification_view(
    c: crate::infra::entities::tender_clarification::Model,
) -> crate::model::tenders::ClarificationView {
    crate::model::tenders::ClarificationView {
        published_at: c.published_at,
        body: c.body,
        affects_bids: c.affects_bids,
        deadline_before: c.deadline_before,
        deadline_after: c.deadline_after,
        // R-TIME-02: what a structured amendment changed (stored as the domain wrote it).
        changes: c
            .changes
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default(),
    }
}

pub async fn cancel(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    reason: &str,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let Some(reason) = crate::domain::text_field(reason, "reason", 2000, true, &mut errors) else {
        return Err(AppError::Fields { errors });
    };
    let (txn, now) = begin_write_at(db, clock).await?;
    let t = own_published(&txn, agency, id).await?;
    let notice = Text::new(
        format!("您关注或投标的项目“{}”已终止。原因：{reason}", t.title),
        format!(
            "A tender you watch or bid on, \"{}\", was cancelled. Reason: {reason}",
            t.title
        ),
    );
    crate::services::supplier::notify_watchers(&txn, id, "cancellation", &notice, now).await?;
    let mut active: tender::ActiveModel = t.into();
    active.status = Set(TenderStatus::Cancelled.as_str().into());
    active.cancel_reason = Set(Some(reason.clone()));
    active.cancelled_at = Set(Some(now));
    active.updated_at = Set(Some(now));
    active.update(&txn).await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "cancel_tender",
        "tender",
        id,
        &reason,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub(crate) async fn clarifications_of(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<crate::model::tenders::ClarificationView>, DbErr> {
    use crate::infra::entities::tender_clarification;
    Ok(tender_clarification::Entity::find()
        .filter(tender_clarification::Column::TenderId.eq(tender_id))
        .order_by_asc(tender_clarification::Column::PublishedAt)
        .order_by_asc(tender_clarification::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(clarification_view)
        .collect())
}
