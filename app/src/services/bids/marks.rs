//! The evaluators' marks (R-REC-01, issue #33): every save of a bid's marks is a version of its
//! own, kept for good with who and when (`bid_mark_version`); `bid_mark` holds the latest mark
//! of each criterion, which scoring reads. Nothing is deleted: a mark taken back is a version
//! without a mark. The history is shown where the marks are (the agency's evaluation page, to
//! the roles that may evaluate), never to bidders.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    SqlErr,
};
use uuid::Uuid;

use crate::domain::Percent;
use crate::error::{AppError, FieldError};
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{
    award, bid_mark, bid_mark_version, opened_bid, person, tender_criterion,
};
use crate::model::accounts::Session;
use crate::model::bids::*;
use crate::services::AppState;

use super::common::{agency_tender, officer};
use super::evaluation::criteria_of;

/// Records the marks for one opened bid: every criterion of its lot, each with a reason. A save
/// that changes a mark is a new version of the bid's marks (R-REC-01): the earlier versions
/// stay as they were; one that changes nothing (a form sent twice) records nothing.
pub async fn save_marks(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
    opened_bid_id: Uuid,
    marks: &[MarkForm],
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let t = agency_tender(&txn, session, tender_id, now).await?;
    let b = opened_bid::Entity::find_by_id(opened_bid_id)
        .filter(opened_bid::Column::TenderId.eq(t.id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if award::Entity::find_by_id(b.lot_id)
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            message: Text::new(
                "该包已确定中标人，评审结果不能再修改。",
                "This lot is awarded: its evaluation can no longer change.",
            ),
        });
    }
    let criteria = criteria_of(&txn, b.lot_id).await?;
    let mut errors = Vec::new();
    let mut rows: Vec<CheckedMark> = marks
        .iter()
        .enumerate()
        .filter_map(|(i, m)| checked_mark(&criteria, i, m, &mut errors))
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }
    // One row per criterion (the last one sent counts), in one order: two saves at once then
    // meet on the same first row, and one of them is told, never a deadlock.
    rows.reverse();
    let mut seen = Vec::new();
    rows.retain(|(criterion, ..)| {
        let first = !seen.contains(criterion);
        seen.push(*criterion);
        first
    });
    rows.sort_by_key(|(criterion, ..)| *criterion);
    let current = bid_mark::Entity::find()
        .filter(bid_mark::Column::OpenedBidId.eq(b.id))
        .all(&txn)
        .await?;
    let in_force = |criterion: &Uuid| current.iter().find(|m| m.criterion_id == *criterion);
    // What this save records: each criterion whose mark changes, or which it marks again; a
    // criterion never marked and left blank is not part of it.
    let rows: Vec<CheckedMark> = rows
        .into_iter()
        .filter(|(criterion, passed, score_bp, _)| {
            in_force(criterion).is_some() || passed.is_some() || score_bp.is_some()
        })
        .collect();
    let changes = rows.iter().any(|(criterion, passed, score_bp, reason)| {
        in_force(criterion).is_none_or(|m| {
            (m.passed, m.score_bp, m.reason.as_str()) != (*passed, *score_bp, reason.as_str())
        })
    });
    if !changes {
        return Ok(());
    }
    let version = latest_version(&txn, b.id).await? + 1;
    for (criterion, passed, score_bp, reason) in rows {
        // R-REC-01: the save is kept as a version of its own; earlier versions are not touched.
        let kept = bid_mark_version::ActiveModel {
            opened_bid_id: Set(b.id),
            version: Set(version),
            criterion_id: Set(criterion),
            passed: Set(passed),
            score_bp: Set(score_bp),
            reason: Set(reason.clone()),
            marked_by: Set(session.person_id.into()),
            marked_at: Set(now),
        }
        .insert(&txn)
        .await;
        match kept {
            // Another evaluator saved this bid's marks at the same moment.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                return Err(AppError::Conflict {
                    message: Text::new(
                        "另一位评审人员刚刚保存了该投标的评分，请刷新页面后重试。",
                        "Another evaluator just saved this bid's marks: reload the page and try again.",
                    ),
                });
            }
            other => other?,
        };
        // The mark in force, which scoring reads: replaced in place, never deleted (a mark
        // taken back is one without pass/fail or points).
        let latest = bid_mark::ActiveModel {
            opened_bid_id: Set(b.id),
            criterion_id: Set(criterion),
            passed: Set(passed),
            score_bp: Set(score_bp),
            reason: Set(reason.clone()),
            marked_by: Set(session.person_id.into()),
            marked_at: Set(now),
        };
        if in_force(&criterion).is_some() {
            latest.update(&txn).await?;
        } else {
            latest.insert(&txn).await?;
        }
        audit::record(
            &txn,
            now,
            officer(session),
            "bid.mark",
            "opened_bid",
            b.id,
            &(criterion, passed, score_bp, &reason, version),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The bid's latest version of marks; 0 before its first save.
async fn latest_version(conn: &impl ConnectionTrait, bid: Uuid) -> Result<i32, AppError> {
    let latest: Option<Option<i32>> = bid_mark_version::Entity::find()
        .select_only()
        .column_as(bid_mark_version::Column::Version.max(), "latest")
        .filter(bid_mark_version::Column::OpenedBidId.eq(bid))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(latest.flatten().unwrap_or(0))
}

/// R-REC-01: every version of the marks of `bids`, per bid, oldest first; each mark names its
/// criterion's requirement.
pub(super) async fn mark_versions(
    conn: &impl ConnectionTrait,
    bids: &[opened_bid::Model],
    criteria: &[tender_criterion::Model],
) -> Result<HashMap<Uuid, Vec<MarkVersion>>, AppError> {
    let ids: Vec<Uuid> = bids.iter().map(|b| b.id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut rows = bid_mark_version::Entity::find()
        .filter(bid_mark_version::Column::OpenedBidId.is_in(ids))
        .all(conn)
        .await?;
    // Per bid, oldest version first; each version's marks in the lot's order of criteria.
    let position = |id: Uuid| criteria.iter().position(|c| c.id == id);
    rows.sort_by_key(|r| (r.opened_bid_id, r.version, position(r.criterion_id)));
    let mut names: HashMap<Uuid, String> = HashMap::new();
    for id in rows.iter().map(|r| r.marked_by) {
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id) {
            let name = person::Entity::find_by_id(id)
                .one(conn)
                .await?
                .map(|p| p.display_name)
                .unwrap_or_default();
            e.insert(name);
        }
    }
    let mut out: HashMap<Uuid, Vec<MarkVersion>> = HashMap::new();
    for r in rows {
        let versions = out.entry(r.opened_bid_id).or_default();
        if versions.last().is_none_or(|v| v.version != r.version) {
            versions.push(MarkVersion {
                version: r.version,
                marked_by: names.get(&r.marked_by).cloned().unwrap_or_default(),
                marked_at: r.marked_at,
                marks: Vec::new(),
            });
        }
        let c = position(r.criterion_id).map(|i| &criteria[i]);
        if let Some(v) = versions.last_mut() {
            v.marks.push(version_line(c, &r));
        }
    }
    Ok(out)
}

fn version_line(c: Option<&tender_criterion::Model>, r: &bid_mark_version::Model) -> MarkLine {
    MarkLine {
        requirement: c.map(|c| c.requirement.clone()).unwrap_or_default(),
        passed: r.passed,
        score: r.score_bp.map(|bp| Percent::from_bp(bp).value()),
        weight: c
            .and_then(|c| c.weight_bp)
            .map(|bp| Percent::from_bp(bp).value()),
        reason: r.reason.clone(),
    }
}

/// A mark as stored: the criterion, pass/fail, the score (basis points) and the reason.
type CheckedMark = (Uuid, Option<bool>, Option<i32>, String);

/// The `i`th mark of the form checked against the lot's criteria; its problems go to `errors`.
fn checked_mark(
    criteria: &[tender_criterion::Model],
    i: usize,
    m: &MarkForm,
    errors: &mut Vec<FieldError>,
) -> Option<CheckedMark> {
    let Some(c) = m
        .criterion
        .trim()
        .parse::<Uuid>()
        .ok()
        .and_then(|id| criteria.iter().find(|c| c.id == id))
    else {
        errors.push(FieldError::new(
            format!("marks[{i}].criterion"),
            Text::new(
                "该包没有这项评审因素。",
                "This lot has no such requirement.",
            ),
        ));
        return None;
    };
    let reason = m.reason.trim().to_string();
    if reason.chars().count() > 2000 {
        errors.push(FieldError::new(
            format!("marks[{i}].reason"),
            Text::new("理由最多 2000 个字符。", "At most 2000 characters."),
        ));
    }
    let (passed, score_bp) = match c.weight_bp {
        None => pass_fail(i, m, errors)?,
        Some(weight_bp) => (None, score(i, m, weight_bp, errors)?),
    };
    // A score or a failure needs its reason.
    if (score_bp.is_some() || passed == Some(false)) && reason.is_empty() {
        errors.push(FieldError::new(
            format!("marks[{i}].reason"),
            Text::new("请写明评审理由。", "Give the reason for this mark."),
        ));
        return None;
    }
    Some((c.id, passed, score_bp, reason))
}

/// A pass/fail criterion's mark: pass, fail or not yet marked (`(None, None)`).
fn pass_fail(
    i: usize,
    m: &MarkForm,
    errors: &mut Vec<FieldError>,
) -> Option<(Option<bool>, Option<i32>)> {
    match m.passed.trim() {
        "pass" => Some((Some(true), None)),
        "fail" => Some((Some(false), None)),
        "" => Some((None, None)),
        _ => {
            errors.push(FieldError::new(
                format!("marks[{i}].passed"),
                Text::new("请选择“通过”或“不通过”。", "Choose pass or fail."),
            ));
            None
        }
    }
}

/// A scored criterion's points (basis points), from 0 to its weight with at most two decimals;
/// `Some(None)` when not yet marked.
fn score(
    i: usize,
    m: &MarkForm,
    weight_bp: i32,
    errors: &mut Vec<FieldError>,
) -> Option<Option<i32>> {
    let s = m.score.trim();
    if s.is_empty() {
        return Some(None);
    }
    // A score too large for basis points is out of range like any other, not 0 (issue #32).
    let bp = Decimal::from_str(s)
        .ok()
        .filter(|d| *d >= Decimal::ZERO && d.normalize().scale() <= 2)
        .and_then(|d| Percent::new(d).to_bp_truncated().ok());
    match bp {
        Some(bp) if bp <= weight_bp => Some(Some(bp)),
        _ => {
            let max = Percent::from_bp(weight_bp).value();
            errors.push(FieldError::new(
                format!("marks[{i}].score"),
                Text::new(
                    format!("请填写 0 到 {max} 之间的分数，最多两位小数。"),
                    format!("Enter a score from 0 to {max}, with at most two decimals."),
                ),
            ));
            None
        }
    }
}
