//! The bulk export: every public process's record, one JSON object per line, read a page of
//! processes at a time from one snapshot, so memory stays flat however many there are.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::Stream;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use super::{load_processes, PAGE};
use crate::domain::ocds;
use crate::error::AppError;
use crate::infra::entities::tender;
use crate::services::AppState;

/// The ids of public tenders after `after`, in id order, a page at a time. The primary key
/// serves this walk without a sort, however many tenders there are (ordering by publication
/// date made the database sort the remaining rows for every page: 66 s for 100,000 tenders).
async fn tender_page(
    conn: &impl ConnectionTrait,
    after: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, AppError> {
    let mut q = tender::Entity::find()
        .select_only()
        .column(tender::Column::Id)
        .filter(tender::Column::PublishedAt.lte(now));
    if let Some(id) = after {
        q = q.filter(tender::Column::Id.gt(id));
    }
    Ok(q.order_by_asc(tender::Column::Id)
        .limit(PAGE)
        .into_tuple()
        .all(conn)
        .await?)
}

/// One page of the export: the records of the next `PAGE` public tenders after `after`, one
/// JSON object per line, and the id to continue after (`None` after the last page).
async fn export_page(
    conn: &impl ConnectionTrait,
    calendars: &crate::domain::calendar::CalendarBook,
    prefix: &str,
    after: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(Bytes, Option<Uuid>), AppError> {
    let page = tender_page(conn, after, now).await?;
    let processes = load_processes(conn, calendars, &page, now).await?;
    let mut chunk = Vec::with_capacity(processes.len() * 4096);
    for p in &processes {
        let record = ocds::record(p, prefix);
        serde_json::to_writer(&mut chunk, &record).map_err(|e| {
            tracing::error!(error = %e, "could not write an OCDS record");
            AppError::Internal { request_id: None }
        })?;
        chunk.push(b'\n');
    }
    let next = (page.len() as u64 == PAGE)
        .then(|| page.last().copied())
        .flatten();
    Ok((Bytes::from(chunk), next))
}

/// Every public process's record as chunks of JSON Lines, a page of processes per chunk. The
/// stream ends after the last page, or after the first error (which it yields).
pub async fn records_export(
    state: &AppState,
) -> Result<impl Stream<Item = Result<Bytes, AppError>> + Send + 'static, AppError> {
    let now = state.clock.now();
    // One read transaction for the whole export: every record from the same snapshot, and one
    // connection (one worker thread, one page cache) however long it runs. Taking each query
    // from the pool made the export open up to the pool's size of connections, each keeping
    // its own memory (bench/RESULTS.md).
    let txn = state.db.begin().await?;
    let prefix = state.open_data.ocid_prefix.clone();
    let calendars = state.calendar.book();
    Ok(futures_util::stream::unfold(
        Some((txn, None::<Uuid>)),
        move |cursor| {
            let prefix = prefix.clone();
            let calendars = calendars.clone();
            async move {
                let (txn, after) = cursor?;
                match export_page(&txn, &calendars, &prefix, after, now).await {
                    Ok((chunk, next)) => {
                        let rest = match next {
                            Some(last) => Some((txn, Some(last))),
                            None => {
                                // Read only: committing just ends the snapshot.
                                if let Err(e) = txn.commit().await {
                                    tracing::warn!(error = %e, "bulk export: ending the read");
                                }
                                None
                            }
                        };
                        if chunk.is_empty() {
                            return None;
                        }
                        Some((Ok(chunk), rest))
                    }
                    Err(e) => Some((Err(e), None)),
                }
            }
        },
    ))
}
