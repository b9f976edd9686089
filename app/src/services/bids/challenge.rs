//! Challenges (质疑, R-CHAL-01): filed by a supplier, answered by the agency.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::calendar::{Counted, WorkingCalendar};
use crate::domain::china_day;
use crate::domain::deadlines;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{challenge, opened_bid, organisation, tender};
use crate::model::accounts::Session;
use crate::model::bids::*;
use crate::services::AppState;

use super::award::award_notices;
use super::common::{officer, public_tender, uncounted};

pub(super) fn challenge_view(
    calendar: &WorkingCalendar,
    c: challenge::Model,
    title: &str,
    supplier: &str,
    today: NaiveDate,
) -> ChallengeView {
    // Issue #34: the stored day is provisional while its count, recounted now, still runs
    // into a year whose holiday notice is not loaded.
    let answer_due_provisional = deadlines::challenge_answer_due(calendar, china_day(c.filed_at))
        .is_ok_and(|counted| counted.provisional);
    ChallengeView {
        id: c.id,
        tender_id: c.tender_id,
        tender_title: title.to_string(),
        supplier_name: supplier.to_string(),
        subject: ChallengeSubject::parse(&c.subject).unwrap_or(ChallengeSubject::Terms),
        body: c.body,
        filed_at: c.filed_at,
        answer_due: c.answer_due,
        answer_due_provisional,
        overdue: c.answer.is_none() && today > c.answer_due,
        answer: c.answer,
        answered_at: c.answered_at,
    }
}

pub(super) async fn challenges_where(
    calendar: &WorkingCalendar,
    conn: &impl ConnectionTrait,
    filter: sea_orm::Condition,
    today: NaiveDate,
) -> Result<Vec<ChallengeView>, AppError> {
    let rows = challenge::Entity::find()
        .filter(filter)
        .order_by_asc(challenge::Column::AnswerDue)
        .order_by_asc(challenge::Column::FiledAt)
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for c in rows {
        let title = tender::Entity::find_by_id(c.tender_id)
            .one(conn)
            .await?
            .map(|t| t.title)
            .unwrap_or_default();
        let supplier = organisation::Entity::find_by_id(c.organisation_id)
            .one(conn)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        out.push(challenge_view(calendar, c, &title, &supplier, today));
    }
    Ok(out)
}

/// R-CHAL-01: the last day to challenge the terms (7 working days after the tender or its
/// latest clarification was published).
pub(super) async fn terms_challenge_until(
    state: &AppState,
    t: &tender::Model,
) -> Result<Option<Counted>, AppError> {
    let Some(published) = t.published_at else {
        return Ok(None);
    };
    let clarifications = crate::services::tenders::clarifications_of(&state.db, t.id).await?;
    let times: Vec<_> = clarifications.iter().map(|c| c.published_at).collect();
    // Set by the latest publication: a calendar uploaded since never makes it earlier (#34).
    let set_at = times.iter().copied().fold(published, chrono::DateTime::max);
    let until = state
        .calendar
        .book()
        .as_set_at(set_at, |calendar| {
            deadlines::terms_challenge_until(calendar, published, times.iter().copied())
        })
        .map_err(uncounted)?;
    Ok(Some(until))
}

/// R-CHAL-01: the last day to challenge the award whose latest notice is among `notices`,
/// counted as set at that notice (a calendar uploaded since never makes it earlier, #34).
pub(super) fn award_until(
    state: &AppState,
    notices: impl IntoIterator<Item = chrono::DateTime<chrono::Utc>>,
) -> Result<Option<Counted>, AppError> {
    let Some(latest) = notices.into_iter().max() else {
        return Ok(None);
    };
    state
        .calendar
        .book()
        .as_set_at(latest, |calendar| {
            deadlines::working_days_after(
                calendar,
                china_day(latest),
                deadlines::CHALLENGE_WORKING_DAYS,
            )
        })
        .map(Some)
        .map_err(uncounted)
}

/// R-CHAL-01: a supplier challenges the terms (within 7 working days of their publication) or
/// an award it bid for (within 7 working days of the notice).
pub async fn file_challenge(
    state: &AppState,
    person: Uuid,
    organisation: Uuid,
    tender_id: Uuid,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    let (subject, body) = challenge_form(subject, body)?;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let t = public_tender(&txn, tender_id, now).await?;
    check_in_time(state, &txn, &t, organisation, subject, today).await?;
    let id = Uuid::now_v7();
    challenge::ActiveModel {
        id: Set(id),
        tender_id: Set(t.id),
        agency_id: Set(t.agency_id),
        organisation_id: Set(organisation),
        filed_by: Set(person),
        subject: Set(subject.as_str().to_string()),
        body: Set(body.clone()),
        filed_at: Set(now),
        // R-CHAL-01: the agency answers within 7 working days.
        // A new count: the calendar in force now; stored, so a later upload never moves it.
        answer_due: Set(
            deadlines::challenge_answer_due(&state.calendar.current(), today)
                .map_err(uncounted)?
                .date,
        ),
        answer: Set(None),
        answered_at: Set(None),
        answered_by: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        audit::Actor {
            person: Some(person),
            organisation: Some(organisation),
        },
        "challenge.file",
        "challenge",
        id,
        &body,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The challenge form: what is challenged, and the text (every problem at once).
fn challenge_form(subject: &str, body: &str) -> Result<(ChallengeSubject, String), AppError> {
    let mut errors = Vec::new();
    let subject_parsed = ChallengeSubject::parse(subject);
    if subject_parsed.is_none() {
        errors.push(crate::error::FieldError::new(
            "subject",
            Text::new("请选择质疑事项。", "Choose what you challenge."),
        ));
    }
    let body = crate::domain::text_field(body, "body", 5000, true, &mut errors);
    let (Some(subject), Some(body), true) = (subject_parsed, body, errors.is_empty()) else {
        return Err(AppError::Fields { errors });
    };
    Ok((subject, body))
}

/// R-CHAL-01: the challenge comes within 7 working days: of the terms' (or latest
/// clarification's) publication, or of the award notice for a firm that bid.
async fn check_in_time(
    state: &AppState,
    txn: &impl ConnectionTrait,
    t: &tender::Model,
    organisation: Uuid,
    subject: ChallengeSubject,
    today: NaiveDate,
) -> Result<(), AppError> {
    let late = |until: NaiveDate| AppError::Conflict {
        message: Text::new(
            format!("质疑期限已于 {until} 届满（7 个工作日，R-CHAL-01）。"),
            format!("The time to challenge ended on {until} (7 working days, R-CHAL-01)."),
        ),
    };
    let until = match subject {
        ChallengeSubject::Terms => terms_challenge_until(state, t).await?.map(|c| c.date),
        ChallengeSubject::Award => Some(award_challenge_until(state, txn, t, organisation).await?),
    };
    match until {
        Some(until) if today > until => Err(late(until)),
        _ => Ok(()),
    }
}

/// R-CHAL-01: the last day for `organisation` to challenge the tender's award; refused when it
/// did not bid or no award is published.
async fn award_challenge_until(
    state: &AppState,
    txn: &impl ConnectionTrait,
    t: &tender::Model,
    organisation: Uuid,
) -> Result<NaiveDate, AppError> {
    let bid_on = opened_bid::Entity::find()
        .filter(opened_bid::Column::TenderId.eq(t.id))
        .filter(opened_bid::Column::OrganisationId.eq(organisation))
        .one(txn)
        .await?
        .is_some();
    let notices = award_notices(txn, t.id).await?;
    let until = if bid_on {
        award_until(state, notices.iter().map(|(_, a)| a.notice_published_at))?
    } else {
        None
    };
    let Some(until) = until else {
        return Err(AppError::invalid(
            "subject",
            Text::new(
                "只有参加了投标的供应商才能对中标结果提出质疑，且须在结果公告之后。",
                "Only a bidder can challenge an award, once the award is published.",
            ),
        ));
    };
    Ok(until.date)
}

pub async fn answer_challenge(
    state: &AppState,
    session: &Session,
    challenge_id: Uuid,
    answer: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let Some(answer) = crate::domain::text_field(answer, "answer", 5000, true, &mut errors) else {
        return Err(AppError::Fields { errors });
    };
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let c = challenge::Entity::find_by_id(challenge_id)
        .filter(
            challenge::Column::AgencyId.eq(session.organisation_id.map_or(Uuid::nil(), Uuid::from)),
        )
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.answer.is_some() {
        return Err(AppError::Conflict {
            message: Text::new("该质疑已经答复。", "This challenge is already answered."),
        });
    }
    challenge::Entity::update_many()
        .col_expr(challenge::Column::Answer, Expr::value(Some(answer.clone())))
        .col_expr(challenge::Column::AnsweredAt, Expr::value(Some(now)))
        .col_expr(
            challenge::Column::AnsweredBy,
            Expr::value(Some(Uuid::from(session.person_id))),
        )
        .filter(challenge::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        officer(session),
        "challenge.answer",
        "challenge",
        c.id,
        &answer,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The agency's unanswered challenges, earliest due first (overdue ones flagged).
pub async fn open_challenges(
    state: &AppState,
    session: &Session,
) -> Result<Vec<ChallengeView>, AppError> {
    let now = state.clock.now();
    challenges_where(
        &state.calendar.current(),
        &state.db,
        sea_orm::Condition::all()
            .add(
                challenge::Column::AgencyId
                    .eq(session.organisation_id.map_or(Uuid::nil(), Uuid::from)),
            )
            .add(challenge::Column::Answer.is_null()),
        china_day(now),
    )
    .await
}
