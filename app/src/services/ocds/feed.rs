//! The release feed: every event of every public process, in date order.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

use super::{load_processes, OpenData};
use crate::domain::ocds::{self, *};
use crate::error::AppError;
use crate::services::open_data::Cursor;
use crate::services::AppState;

/// One event in the feed: when, which kind (the release id's suffix), the row it came from and
/// its process. The feed is ordered by (date, the kind's rank, row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedKey {
    pub date: DateTime<Utc>,
    pub kind: String,
    pub row: Uuid,
    pub tender: Uuid,
}

/// Where the next page starts: the last event of this page (opaque to clients; the codec is
/// `open_data::Cursor`).
pub fn encode_cursor(key: &FeedKey) -> String {
    Cursor {
        at: key.date,
        tail: vec![key.kind.clone(), key.row.simple().to_string()],
    }
    .encode()
}

/// The pattern of a feed cursor (`micros-kind-row`), for the OpenAPI document: every value
/// it allows is read as a cursor.
pub fn cursor_pattern() -> String {
    format!(
        "^[0-9]{{1,16}}-({})-[0-9a-f]{{32}}$",
        KINDS_IN_ORDER.join("|")
    )
}

/// A cursor read back: the event's instant, its kind's rank and its row.
pub fn decode_cursor(cursor: &str) -> Option<(DateTime<Utc>, usize, Uuid)> {
    let Cursor { at, tail } = Cursor::decode(cursor, 2)?;
    let hex = |s: &str| s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !hex(&tail[1]) {
        return None;
    }
    let (kind, row) = (tail[0].as_str(), tail[1].parse().ok()?);
    KINDS_IN_ORDER
        .contains(&kind)
        .then(|| (at, kind_rank(kind), row))
}

/// The events of public processes, at or after `since`, before `until`, after `after`, at most
/// `limit`, in feed order.
pub async fn feed_keys(
    conn: &impl ConnectionTrait,
    since: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    after: Option<&(DateTime<Utc>, usize, Uuid)>,
    limit: u64,
) -> Result<Vec<FeedKey>, AppError> {
    let backend = conn.get_database_backend();
    let mut values: Vec<sea_orm::Value> = Vec::new();
    let mut param = |v: sea_orm::Value| {
        values.push(v);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_string(),
        }
    };
    // Every public event (a tender counts from its publication), with its kind's rank `n`.
    let rank = |kind: &str| format!("CAST({} AS BIGINT)", kind_rank(kind));
    let events = format!(
        "SELECT published_at AS d, {} AS n, id AS r, id AS t FROM tender \
           WHERE published_at IS NOT NULL \
         UNION ALL SELECT c.published_at, {}, c.id, c.tender_id FROM tender_clarification c \
         UNION ALL SELECT cancelled_at, {}, id, id FROM tender \
           WHERE cancelled_at IS NOT NULL AND published_at IS NOT NULL \
         UNION ALL SELECT opened_at, {}, tender_id, tender_id FROM bid_opening \
         UNION ALL SELECT decided_at, {}, lot_id, tender_id FROM award \
         UNION ALL SELECT signed_at, {}, id, tender_id FROM contract \
         UNION ALL SELECT published_at, {}, id, tender_id FROM contract \
           WHERE published_at IS NOT NULL \
         UNION ALL SELECT a.amended_at, {}, a.id, c.tender_id \
           FROM contract_amendment a JOIN contract c ON c.id = a.contract_id \
         UNION ALL SELECT m.accepted_at, {}, m.id, c.tender_id \
           FROM milestone m JOIN contract c ON c.id = m.contract_id \
           WHERE m.accepted_at IS NOT NULL \
         UNION ALL SELECT p.recorded_at, {}, p.id, c.tender_id \
           FROM payment p JOIN milestone m ON m.id = p.milestone_id \
           JOIN contract c ON c.id = m.contract_id",
        rank(release_kind::TENDER),
        rank(release_kind::CLARIFICATION),
        rank(release_kind::CANCELLATION),
        rank(release_kind::OPENING),
        rank(release_kind::AWARD),
        rank(release_kind::CONTRACT),
        rank(release_kind::PUBLICATION),
        rank(release_kind::AMENDMENT),
        rank(release_kind::MILESTONE),
        rank(release_kind::PAYMENT),
    );
    let mut conditions = vec![format!("e.d <= {}", param(until.into()))];
    if let Some(since) = since {
        conditions.push(format!("e.d >= {}", param(since.into())));
    }
    if let Some((date, n, row)) = after {
        let n = *n as i64;
        let (d0, d1, d2, r) = (
            param((*date).into()),
            param((*date).into()),
            param((*date).into()),
            param((*row).into()),
        );
        // `e.d >= d0` says nothing new, but lets the database read the date indexes from the
        // cursor on instead of sorting every later event for each page.
        conditions.push(format!(
            "e.d >= {d0} AND (e.d > {d1} OR (e.d = {d2} AND (e.n > {n} OR (e.n = {n} AND e.r > {r}))))"
        ));
    }
    let sql = format!(
        "SELECT e.d, e.n, e.r, e.t FROM ({events}) e WHERE {} ORDER BY e.d, e.n, e.r LIMIT {limit}",
        conditions.join(" AND ")
    );
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    rows.iter()
        .map(|row| {
            let n: i64 = row.try_get("", "n")?;
            Ok(FeedKey {
                date: row.try_get("", "d")?,
                kind: KINDS_IN_ORDER
                    .get(n as usize)
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                row: row.try_get("", "r")?,
                tender: row.try_get("", "t")?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// The row part of a release id of this kind (none for the once-per-process events).
fn release_row(key: &FeedKey) -> Option<Uuid> {
    match key.kind.as_str() {
        release_kind::TENDER | release_kind::CANCELLATION | release_kind::OPENING => None,
        _ => Some(key.row),
    }
}

/// The releases the feed keys name, in the keys' order.
pub async fn releases_for(
    conn: &impl ConnectionTrait,
    calendars: &crate::domain::calendar::CalendarBook,
    open: &OpenData,
    keys: &[FeedKey],
    now: DateTime<Utc>,
) -> Result<Vec<Release>, AppError> {
    let mut tenders: Vec<Uuid> = keys.iter().map(|k| k.tender).collect();
    tenders.sort();
    tenders.dedup();
    let wanted: HashSet<(Uuid, &str, Option<Uuid>)> = keys
        .iter()
        .map(|k| (k.tender, k.kind.as_str(), release_row(k)))
        .collect();
    let mut by_id: HashMap<String, Release> = HashMap::new();
    for p in load_processes(conn, calendars, &tenders, now).await? {
        let of_process = |kind: &str, row: Option<Uuid>| wanted.contains(&(p.id, kind, row));
        for r in ocds::releases_where(&p, &open.ocid_prefix, &of_process) {
            if let Some(id) = r.id.clone() {
                by_id.insert(id, r);
            }
        }
    }
    Ok(keys
        .iter()
        .filter_map(|k| {
            let ocid = ocds::ocid(&open.ocid_prefix, k.tender);
            by_id.remove(&release_id(&ocid, &k.kind, release_row(k)))
        })
        .collect())
}

/// A page of the feed: the events at or after `since`, before `until`, after `after`, at most
/// `limit`, and their releases in the same order.
pub async fn feed(
    state: &AppState,
    since: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    after: Option<&(DateTime<Utc>, usize, Uuid)>,
    limit: u64,
) -> Result<(Vec<FeedKey>, Vec<Release>), AppError> {
    let keys = feed_keys(&state.db, since, until, after, limit).await?;
    let releases = releases_for(
        &state.db,
        &state.calendar.book(),
        &state.open_data,
        &keys,
        state.clock.now(),
    )
    .await?;
    Ok((keys, releases))
}
