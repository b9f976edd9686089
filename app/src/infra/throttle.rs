//! The throttle counters of `domain::sign_in` in the database (issue #35), shared by every
//! server on it. An attempt is *claimed* before it is evaluated: read the subject's counter,
//! decide, and write the next counter only if the stored one is still the one read (a
//! compare-and-set UPDATE, or an INSERT that does nothing when another got there first). Of
//! parallel attempts only those whose write lands are evaluated; the others read again, so no
//! more attempts are evaluated than the schedule allows, on SQLite and PostgreSQL alike. On
//! PostgreSQL the row is also locked (`FOR UPDATE`) while a claim decides, so parallel claims
//! queue instead of retrying.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};
use sha2::{Digest, Sha256};

use super::db::{begin_write, Db};
use super::entities::sign_in_throttle as row;
use crate::domain::sign_in::{decide, Counter, Decision, Schedule};

/// How often a claim that lost a race reads again before it gives up (and is told to wait).
const CLAIM_ROUNDS: usize = 16;

/// The stored key of a subject: its kind and a digest of what identifies it, so that neither
/// e-mail addresses nor client addresses are kept in the clear, and any length fits.
pub fn subject(kind: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    format!("{kind}:{}", hex::encode(h.finalize()))
}

/// Claims one attempt for `subject`: `Ok(None)` if it is counted and may be evaluated,
/// `Ok(Some(until))` if it must wait (it is then not counted).
pub async fn claim(
    db: &Db,
    subject: &str,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    for _ in 0..CLAIM_ROUNDS {
        let txn = begin_write(db).await?;
        // The row exists from here on (a counter of nothing, if new), and on PostgreSQL it is
        // locked until this claim commits, so parallel claims of one subject queue rather than
        // race (SQLite has one writer at a time anyway). The compare-and-set below stays the
        // guarantee either way.
        row::Entity::insert(row::ActiveModel {
            subject: Set(subject.to_string()),
            failures: Set(0),
            not_before: Set(now),
            last_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(row::Column::Subject)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let stored = row::Entity::find_by_id(subject.to_string())
            .lock_exclusive()
            .one(&txn)
            .await?
            .map(|r| Counter {
                counted: r.failures,
                not_before: r.not_before,
                last_at: r.last_at,
            });
        let (from, to) = match decide(schedule, stored, now) {
            Decision::Wait { until } => return Ok(Some(until)),
            Decision::Count { from, to } => (from, to),
        };
        let written = match from {
            None => {
                row::Entity::insert(row::ActiveModel {
                    subject: Set(subject.to_string()),
                    failures: Set(to.counted),
                    not_before: Set(to.not_before),
                    last_at: Set(to.last_at),
                })
                .on_conflict(
                    OnConflict::column(row::Column::Subject)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?
            }
            Some(from) => {
                row::Entity::update_many()
                    .col_expr(row::Column::Failures, Expr::value(to.counted))
                    .col_expr(row::Column::NotBefore, Expr::value(to.not_before))
                    .col_expr(row::Column::LastAt, Expr::value(to.last_at))
                    .filter(row::Column::Subject.eq(subject))
                    .filter(row::Column::Failures.eq(from))
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
        };
        txn.commit().await?;
        if written == 1 {
            return Ok(None);
        }
    }
    // Contended past reason: refuse, unevaluated, for a moment.
    Ok(Some(now + chrono::Duration::seconds(1)))
}

/// The attempt claimed for `subject` succeeded: the subject starts again from nothing.
pub async fn reset(db: &Db, subject: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    let txn = begin_write(db).await?;
    row::Entity::update_many()
        .col_expr(row::Column::Failures, Expr::value(0))
        .col_expr(row::Column::NotBefore, Expr::value(now))
        .filter(row::Column::Subject.eq(subject))
        .exec(&txn)
        .await?;
    txn.commit().await
}

/// The attempt claimed for `subject` succeeded but must not clear what others counted (the
/// account as a whole): only that attempt is taken back.
pub async fn release(db: &Db, subject: &str) -> Result<(), DbErr> {
    let txn = begin_write(db).await?;
    row::Entity::update_many()
        .col_expr(
            row::Column::Failures,
            Expr::col(row::Column::Failures).sub(1),
        )
        .filter(row::Column::Subject.eq(subject))
        .filter(row::Column::Failures.gt(0))
        .exec(&txn)
        .await?;
    txn.commit().await
}
