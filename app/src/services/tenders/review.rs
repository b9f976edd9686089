//! The barrier review (issue #34): a way past a wrong refusal. The officer sends the saved
//! draft's barrier findings (R-BAR-01..03, R-SME-04) to the platform administrator with a
//! reason; the administrator approves or rejects with a note. An approval lets exactly those
//! rules and quotes through at publication (`publish`), and the public tender page shows it.
//! Every request and decision is in the audit log with its quotes (R-REC-01).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    SqlErr,
};
use uuid::Uuid;

use super::{actor, not_a_draft, own_tender, parse_stored};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::policy::Policy;
use crate::domain::publication::check_publication_reviewed;
use crate::domain::review::{self, Decision, ReviewAudit, ReviewStatus, ReviewedFinding};
use crate::domain::tender::TenderStatus;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::{barrier_review, organisation, tender};
use crate::infra::records::barrier_review::FindingsRecord;
use crate::infra::{audit, db::begin_write_at};
use crate::model::review::{PublishedAfterReview, ReviewDesk, ReviewView, WaivedClause};

/// Every approved finding of the tender, with the request that approved it.
pub(super) async fn approved_findings(
    conn: &impl ConnectionTrait,
    tender: Uuid,
) -> Result<Vec<(barrier_review::Model, Vec<ReviewedFinding>)>, AppError> {
    let rows = barrier_review::Entity::find()
        .filter(barrier_review::Column::TenderId.eq(tender))
        .filter(barrier_review::Column::Status.eq(ReviewStatus::Approved.as_str()))
        .order_by_asc(barrier_review::Column::DecidedAt)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|r| FindingsRecord::read(&r.findings).map(|f| (r, f)))
        .collect()
}

/// The saved draft's barrier findings, in the form and in its documents' text, that no
/// approval lets through: what publication would refuse as of `now` and a review may be asked for. A draft whose input does not parse has
/// none yet (its input errors come first, on publication).
async fn open_findings(
    conn: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
    t: &tender::Model,
    now: DateTime<Utc>,
) -> Result<Vec<ReviewedFinding>, AppError> {
    let Ok(draft) = super::draft::stored_form(t)?.parse(now) else {
        return Ok(Vec::new());
    };
    let approved: Vec<ReviewedFinding> = approved_findings(conn, t.id)
        .await?
        .into_iter()
        .flat_map(|(_, f)| f)
        .collect();
    let mut problems =
        match check_publication_reviewed(&draft.plan, now, calendar, &Policy::CHINA, &approved) {
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        };
    // The documents' text is checked at publication like the form, so its findings can be
    // sent for review too.
    let (documents, _) = crate::domain::review::waive(
        super::publish::document_problems(conn, t.id, draft.plan.imported_goods).await?,
        &approved,
    );
    problems.extend(documents);
    Ok(problems.iter().filter_map(ReviewedFinding::of).collect())
}

fn view(
    r: barrier_review::Model,
    tender_title: String,
    agency_name: String,
) -> Result<ReviewView, AppError> {
    Ok(ReviewView {
        id: r.id,
        tender_id: r.tender_id,
        tender_title,
        agency_name,
        findings: FindingsRecord::read(&r.findings)?,
        reason: r.reason,
        requested_at: r.requested_at,
        status: parse_stored("barrier_review.status", &r.status, ReviewStatus::parse)?,
        decision_note: r.decision_note,
        decided_at: r.decided_at,
    })
}

async fn agency_name(conn: &impl ConnectionTrait, agency: Uuid) -> Result<String, AppError> {
    Ok(organisation::Entity::find_by_id(agency)
        .one(conn)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

/// The review part of the officer's draft page: what publication refuses now that a review may
/// let through, and the draft's requests, newest first. Another agency's tender is not found.
pub async fn review_desk(
    conn: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
    agency: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<ReviewDesk, AppError> {
    let t = own_tender(conn, agency, id).await?;
    let findings = if t.status == TenderStatus::Draft.as_str() {
        open_findings(conn, calendar, &t, now).await?
    } else {
        Vec::new()
    };
    let name = agency_name(conn, agency).await?;
    let requests = barrier_review::Entity::find()
        .filter(barrier_review::Column::TenderId.eq(t.id))
        .order_by_desc(barrier_review::Column::RequestedAt)
        .order_by_desc(barrier_review::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| view(r, t.title.clone(), name.clone()))
        .collect::<Result<_, _>>()?;
    Ok(ReviewDesk { findings, requests })
}

fn already_pending() -> AppError {
    AppError::Conflict {
        message: Text::new(
            "该草稿已有一项审核申请在等待平台管理员处理，请等待其决定。",
            "A review request for this draft is already waiting for the platform administrator: please wait for the decision.",
        ),
    }
}

/// The officer asks the platform administrator to let the saved draft's barrier findings
/// through, with a reason. Only for the officer's own agency's draft (another's is not found),
/// only when publication refuses a clause, one pending request per tender.
pub async fn request_review(
    db: &crate::infra::db::Db,
    calendar: &WorkingCalendar,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    reason: &str,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<Uuid, AppError> {
    let (txn, now) = begin_write_at(db, clock).await?;
    let t = own_tender(&txn, agency, id).await?;
    if t.status != TenderStatus::Draft.as_str() {
        return Err(not_a_draft());
    }
    let reason = review::parse_note(reason, review::reason_name())
        .map_err(|message| AppError::invalid("reason", message))?;
    let pending = barrier_review::Entity::find()
        .filter(barrier_review::Column::TenderId.eq(t.id))
        .filter(barrier_review::Column::Status.eq(ReviewStatus::Pending.as_str()))
        .one(&txn)
        .await?;
    if pending.is_some() {
        return Err(already_pending());
    }
    // A draft whose input does not parse has its input errors to fix first.
    super::draft::stored_form(&t)?
        .parse(now)
        .map_err(|errors| AppError::Fields { errors })?;
    let findings = open_findings(&txn, calendar, &t, now).await?;
    if findings.is_empty() {
        return Err(AppError::Conflict {
            message: Text::new(
                "发布检查没有拒绝该草稿的任何条款（R-BAR-01..03、R-SME-04），无需审核。",
                "Publication refuses no clause of this draft (R-BAR-01..03, R-SME-04): there is nothing to review.",
            ),
        });
    }
    let review_id = Uuid::now_v7();
    let inserted = barrier_review::ActiveModel {
        id: Set(review_id),
        tender_id: Set(t.id),
        agency_id: Set(agency),
        findings: Set(FindingsRecord::of(&findings).to_json()?),
        reason: Set(reason.clone()),
        requested_by: Set(person),
        requested_at: Set(now),
        status: Set(ReviewStatus::Pending.as_str().into()),
        decision_note: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        applied: Set(None),
    }
    .insert(&txn)
    .await;
    match inserted {
        // Another officer's request for the same draft got in first.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(already_pending())
        }
        other => other?,
    };
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "request_barrier_review",
        "barrier_review",
        review_id,
        &ReviewAudit::new(t.id, &findings, ReviewStatus::Pending, &reason, None),
    )
    .await?;
    txn.commit().await?;
    Ok(review_id)
}

/// The requests waiting for the platform administrator, oldest first.
pub async fn pending_reviews(conn: &impl ConnectionTrait) -> Result<Vec<ReviewView>, AppError> {
    let rows = barrier_review::Entity::find()
        .filter(barrier_review::Column::Status.eq(ReviewStatus::Pending.as_str()))
        .order_by_asc(barrier_review::Column::RequestedAt)
        .order_by_asc(barrier_review::Column::Id)
        .all(conn)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for r in rows {
        let title = tender::Entity::find_by_id(r.tender_id)
            .one(conn)
            .await?
            .map(|t| t.title)
            .unwrap_or_default();
        let name = agency_name(conn, r.agency_id).await?;
        views.push(view(r, title, name)?);
    }
    Ok(views)
}

/// The platform administrator approves or rejects a pending request, with a note (required
/// either way). The caller has been checked to be the administrator.
pub async fn decide_review(
    db: &crate::infra::db::Db,
    admin: Uuid,
    id: Uuid,
    decision: Decision,
    note: &str,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<(), AppError> {
    let note = review::parse_note(note, review::note_name())
        .map_err(|message| AppError::invalid("note", message))?;
    let (txn, now) = begin_write_at(db, clock).await?;
    let r = barrier_review::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.status != ReviewStatus::Pending.as_str() {
        return Err(AppError::Conflict {
            message: Text::new(
                "该审核申请已经处理过。",
                "This review request has already been decided.",
            ),
        });
    }
    let findings = FindingsRecord::read(&r.findings)?;
    let status = decision.status();
    let (tender_id, reason) = (r.tender_id, r.reason.clone());
    let mut row: barrier_review::ActiveModel = r.into();
    row.status = Set(status.as_str().into());
    row.decision_note = Set(Some(note.clone()));
    row.decided_by = Set(Some(admin));
    row.decided_at = Set(Some(now));
    row.update(&txn).await?;
    let action = match decision {
        Decision::Approve => "approve_barrier_review",
        Decision::Reject => "reject_barrier_review",
    };
    audit::record(
        &txn,
        now,
        audit::Actor {
            person: Some(admin),
            organisation: None,
        },
        action,
        "barrier_review",
        id,
        &ReviewAudit::new(tender_id, &findings, status, &reason, Some(&note)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// At publication: keeps, on each approval, the findings the tender was published with (what
/// the tender page shows), and records it in the audit log.
pub(super) async fn mark_applied(
    txn: &impl ConnectionTrait,
    approvals: Vec<(barrier_review::Model, Vec<ReviewedFinding>)>,
    used: &[ReviewedFinding],
    actor: audit::Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for (r, findings) in approvals {
        let applied: Vec<ReviewedFinding> = findings
            .into_iter()
            .filter(|f| used.iter().any(|u| u.rule == f.rule && u.quote == f.quote))
            .collect();
        if applied.is_empty() {
            continue;
        }
        let id = r.id;
        let mut row: barrier_review::ActiveModel = r.into();
        row.applied = Set(Some(FindingsRecord::of(&applied).to_json()?));
        row.update(txn).await?;
        let quotes: Vec<(&str, &str)> = applied
            .iter()
            .map(|f| (f.rule.as_str(), f.quote.as_str()))
            .collect();
        audit::record(
            txn,
            now,
            actor,
            "publish_after_review",
            "barrier_review",
            id,
            &quotes,
        )
        .await?;
    }
    Ok(())
}

/// For the public tender page: each approval the tender was published with, its note and the
/// clauses it let through.
pub(crate) async fn published_after_review(
    conn: &impl ConnectionTrait,
    tender: Uuid,
) -> Result<Vec<PublishedAfterReview>, AppError> {
    let rows = barrier_review::Entity::find()
        .filter(barrier_review::Column::TenderId.eq(tender))
        .filter(barrier_review::Column::Applied.is_not_null())
        .order_by_asc(barrier_review::Column::DecidedAt)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|r| {
            let clauses = FindingsRecord::read(r.applied.as_deref().unwrap_or_default())?
                .into_iter()
                .map(|f| WaivedClause {
                    rule: f.rule,
                    quote: f.quote,
                })
                .collect();
            Ok(PublishedAfterReview {
                note: r.decision_note.unwrap_or_default(),
                decided_at: r.decided_at.unwrap_or(r.requested_at),
                clauses,
            })
        })
        .collect()
}
