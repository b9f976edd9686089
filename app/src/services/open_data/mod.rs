//! The public open data of /api/v1 (issue #7), read from the database: pages of tenders, lots,
//! awards and contracts, and the payment-timeliness figures, built into the response types of
//! [`types`]. The HTTP side (query parameters, ETags, CSV streaming, the OpenAPI document) is
//! the server's (`server::routes::api_v1`); these take parsed values only.
//!
//! Everything here is public. R-BID-01: nothing reads a bid; awards name the winner and the
//! price only once decided.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::error::AppError;
use crate::infra::entities::organisation;

pub mod audit;
mod contracts;
pub mod cursor;
mod statistics;
mod tenders;
pub mod types;

pub use contracts::{award_page, contract_page};
pub use cursor::Cursor;
pub use statistics::{payment_timeliness, payment_timeliness_csv};
pub use tenders::{tender_detail, tender_lots, tender_page};
pub use types::*;

/// Items per page: default and largest.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;
/// Rows fetched per step while streaming a CSV export.
pub const CSV_PAGE: u64 = 500;

// ---------------------------------------------------------------------------------------------
// Cursors: (instant, id) of the last item (`cursor`)
// ---------------------------------------------------------------------------------------------

/// Where a list stands: the instant and id of the last item of the page before.
pub type Key = (DateTime<Utc>, Uuid);

pub fn encode_cursor((at, id): Key) -> String {
    Cursor {
        at,
        tail: vec![id.simple().to_string()],
    }
    .encode()
}

/// A cursor read back; `None` when it is not one this API wrote.
pub fn decode_cursor(raw: &str) -> Option<Key> {
    let c = Cursor::decode(raw, 1)?;
    let id = &c.tail[0];
    // 32 hex digits, as `cursor::API_PATTERN` documents (not another spelling of a UUID).
    (id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| id.parse().ok())
        .flatten()
        .map(|id| (c.at, id))
}

/// The cursor of the next page: there may be one when this page is as long as asked for.
pub fn next_cursor<T>(items: &[T], limit: u64, key: impl Fn(&T) -> Key) -> Option<String> {
    (items.len() as u64 == limit)
        .then(|| items.last().map(|i| encode_cursor(key(i))))
        .flatten()
}

/// Newest first: after `key` means older than it (ties by id, descending).
fn before(at: impl ColumnTrait, id: impl ColumnTrait, key: Option<Key>) -> Condition {
    match key {
        None => Condition::all(),
        Some((t, k)) => Condition::any()
            .add(at.lt(t))
            .add(Condition::all().add(at.eq(t)).add(id.lt(k))),
    }
}

async fn org_names(
    conn: &impl ConnectionTrait,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort();
    ids.dedup();
    Ok(organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .filter(organisation::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

fn org_ref(names: &HashMap<Uuid, String>, id: Uuid) -> OrganisationRef {
    OrganisationRef {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    }
}

/// One CSV line (CRLF-terminated) of these cells, each quoted as needed and guarded against
/// spreadsheet formulas.
pub fn csv_line(cells: &[String]) -> String {
    let mut line = cells
        .iter()
        .map(|c| crate::services::contracts::csv_field(c))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}
