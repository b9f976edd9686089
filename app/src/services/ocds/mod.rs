//! Open data (issue #7): OCDS releases and records read from the database, a paged release feed
//! in date order, and a streamed JSON Lines export of every record in bounded memory. The HTTP
//! side (parameters, ETags, packages' addresses) is the server's (`server::routes::ocds`).
//!
//! The releases themselves are built by `domain::ocds` from facts loaded here, a page of
//! processes at a time with a fixed number of queries per page.

use std::sync::Arc;

use crate::domain::ocds::Publisher;
use crate::error::AppError;

mod export;
mod feed;
mod load;

pub use export::records_export;
pub use feed::{
    cursor_pattern, decode_cursor, encode_cursor, feed, feed_keys, releases_for, FeedKey,
};
pub use load::{load_processes, process};

/// What the open data is published as: the ocid prefix and the site's public address.
#[derive(Clone, Debug)]
pub struct OpenData {
    pub ocid_prefix: String,
    /// Without a trailing slash, e.g. `https://fairtender.example.cn`.
    pub base_url: String,
    /// How many release or record packages are built at once ([`OpenData::permits_for`]).
    pub permits: Arc<tokio::sync::Semaphore>,
}

/// Packages built at once. Each page of the feed holds the facts and releases of up to 100
/// processes (a few MB) and is CPU work throughout: more at once than there are cores only
/// multiplies the memory held and every client's wait (issue #8: 64 concurrent feed requests
/// took the heap from 43 to 308 MB and each took 64 times as long). The others queue, in order.
pub const CONCURRENT_PACKAGES: usize = 2;

/// How long a package request waits for its turn ([`CONCURRENT_PACKAGES`]) before it is told to
/// come back later.
pub const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

impl OpenData {
    pub fn new(ocid_prefix: String, base_url: String) -> OpenData {
        OpenData {
            ocid_prefix,
            base_url,
            permits: Arc::new(tokio::sync::Semaphore::new(CONCURRENT_PACKAGES)),
        }
    }

    /// Waits for a turn to build a package: they queue, in order, for up to [`QUEUE_WAIT`];
    /// past it the request is answered 503 with a retry hint rather than left to the server's
    /// 30-second limit (issue #9).
    pub async fn turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, AppError> {
        match tokio::time::timeout(QUEUE_WAIT, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => {
                tracing::error!("the open-data permits were closed");
                Err(AppError::Internal { request_id: None })
            }
            Err(_) => {
                tracing::warn!("open-data request waited {QUEUE_WAIT:?} for a turn; refused");
                Err(AppError::Unavailable)
            }
        }
    }

    /// Who publishes the packages: this site.
    pub fn publisher(&self) -> Publisher {
        Publisher {
            name: "fairtender 公平招标".into(),
            uri: Some(self.base_url.clone()),
        }
    }
}

/// Tenders per page of the export and of record loading.
pub const PAGE: u64 = 200;
/// The release feed's page size: default and largest.
pub const FEED_DEFAULT_LIMIT: u64 = 100;
pub const FEED_MAX_LIMIT: u64 = 500;
