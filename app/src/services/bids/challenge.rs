//! Challenges (质疑, R-CHAL-01): filed by a supplier, answered by the agency.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::calendar::{CalendarError, Counted, WorkingCalendar};
use crate::domain::china_day;
use crate::domain::deadlines;
use crate::domain::deadlines::ChallengeWindow;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{bid_opening, challenge, opened_bid, organisation, tender};
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

/// R-CHAL-01: a window counted with the calendar in force now, its last day as set at `set_at`
/// (the publication its start depends on): a calendar uploaded since never makes it earlier
/// (issue #34). `None` when `window` has none.
fn counted_window(
    state: &AppState,
    set_at: DateTime<Utc>,
    window: impl Fn(&WorkingCalendar) -> Result<Option<ChallengeWindow>, CalendarError>,
) -> Result<Option<ChallengeWindow>, AppError> {
    let book = state.calendar.book();
    let Some(mut w) = window(&book.current()).map_err(uncounted)? else {
        return Ok(None);
    };
    // The start and the last day each the latest any calendar since `set_at` gives, so the
    // window shown stays whole (both from the calendar that gave the supplier the most time).
    let now = w;
    let start = book
        .as_set_at(set_at, |calendar| {
            window(calendar).map(|w| Counted {
                date: w.map_or(now.runs_from, |w| w.runs_from),
                provisional: false,
            })
        })
        .map_err(uncounted)?;
    w.runs_from = start.date;
    w.until = book
        .as_set_at(set_at, |calendar| {
            window(calendar).map(|w| w.map_or(now.until, |w| w.until))
        })
        .map_err(uncounted)?;
    Ok(Some(w))
}

/// R-CHAL-01 (IR Art. 53): the window `organisation` has to challenge `subject` of tender `t`:
/// the terms from the end of the documents' availability period (or a later clarification); the
/// opening from its record's publication; the evaluation from its results' publication (with
/// the award notice); the award from the end of the award notice period. `None` while what it
/// runs from is not public, and, but for the terms, for a firm whose bid was not opened.
pub(super) async fn challenge_window(
    state: &AppState,
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    organisation: Uuid,
    subject: ChallengeSubject,
) -> Result<Option<ChallengeWindow>, AppError> {
    if subject == ChallengeSubject::Terms {
        let Some(published) = t.published_at else {
            return Ok(None);
        };
        let clarifications = crate::services::tenders::clarifications_of(conn, t.id).await?;
        let times: Vec<_> = clarifications.iter().map(|c| c.published_at).collect();
        // Set by the latest publication: a calendar uploaded since never makes it earlier (#34).
        let set_at = times.iter().copied().fold(published, DateTime::max);
        return counted_window(state, set_at, |calendar| {
            deadlines::terms_challenge_window(calendar, published, times.iter().copied()).map(Some)
        });
    }
    let bid_on = opened_bid::Entity::find()
        .filter(opened_bid::Column::TenderId.eq(t.id))
        .filter(opened_bid::Column::OrganisationId.eq(organisation))
        .one(conn)
        .await?
        .is_some();
    if !bid_on {
        return Ok(None);
    }
    let made_public = match subject {
        ChallengeSubject::Opening => bid_opening::Entity::find_by_id(t.id)
            .one(conn)
            .await?
            .map(|o| o.opened_at),
        // The evaluation's results (each bidder's scores and rank) are published with the
        // award notice; the award's window runs from the end of that notice's period.
        _ => award_notices(conn, t.id)
            .await?
            .iter()
            .map(|(_, a)| a.notice_published_at)
            .max(),
    };
    let Some(at) = made_public else {
        return Ok(None);
    };
    counted_window(state, at, |calendar| match subject {
        ChallengeSubject::Award => deadlines::award_challenge_window(calendar, [at]),
        _ => deadlines::step_challenge_window(calendar, Some(at)),
    })
}

/// R-CHAL-01: every window `organisation` has on tender `t`, as its page shows them.
pub(super) async fn challenge_windows(
    state: &AppState,
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    organisation: Uuid,
    today: NaiveDate,
) -> Result<Vec<ChallengeWindowView>, AppError> {
    let mut out = Vec::new();
    for subject in ChallengeSubject::ALL {
        if let Some(w) = challenge_window(state, conn, t, organisation, subject).await? {
            out.push(ChallengeWindowView {
                subject,
                runs_from: w.runs_from,
                until: w.until.date,
                provisional: w.until.provisional,
                open: w.accepts(today),
            });
        }
    }
    Ok(out)
}

/// R-CHAL-01: a supplier challenges the terms, or, as a bidder, the opening, the evaluation or
/// the award, each within its window ([`challenge_window`]).
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

/// R-CHAL-01: the challenge comes within its window ([`challenge_window`]); one that is not
/// open (nothing public yet to challenge, or a firm that did not bid) is refused on `subject`,
/// one past its last day as too late; both name the rule and say from when the days run.
async fn check_in_time(
    state: &AppState,
    txn: &impl ConnectionTrait,
    t: &tender::Model,
    organisation: Uuid,
    subject: ChallengeSubject,
    today: NaiveDate,
) -> Result<(), AppError> {
    let label = subject.label();
    let Some(window) = challenge_window(state, txn, t, organisation, subject).await? else {
        return Err(AppError::invalid(
            "subject",
            Text::new(
                format!(
                    "现在还不能对{}提出质疑：只有投标人可以，且须在其公布之后（R-CHAL-01）。",
                    label.zh
                ),
                format!(
                    "You cannot challenge {} now: only a bidder can, once it is made public (R-CHAL-01).",
                    label.en
                ),
            ),
        ));
    };
    if window.accepts(today) {
        return Ok(());
    }
    let (until, from, runs) = (window.until.date, window.runs_from, subject.runs_from());
    Err(AppError::Conflict {
        message: Text::new(
            format!(
                "对{}的质疑期限已于 {until} 届满：{}（{from}）7 个工作日内（R-CHAL-01，政府采购法实施条例第五十三条）。",
                label.zh, runs.zh
            ),
            format!(
                "The time to challenge {} ended on {until}: 7 working days {} ({from}) (R-CHAL-01, IR Art. 53).",
                label.en, runs.en
            ),
        ),
    })
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
