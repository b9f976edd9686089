//! View types of the barrier review (issue #34): the officer's request, the administrator's
//! list, and what the public tender page says of a tender published after review.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::review::{ReviewStatus, ReviewedFinding};

/// One review request, as the officer and the administrator see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: Uuid,
    pub tender_id: Uuid,
    pub tender_title: String,
    pub agency_name: String,
    /// The findings as refused when the review was asked for.
    pub findings: Vec<ReviewedFinding>,
    /// The officer's reason.
    pub reason: String,
    pub requested_at: DateTime<Utc>,
    pub status: ReviewStatus,
    /// The administrator's note, once decided.
    pub decision_note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The review part of the officer's draft page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDesk {
    /// The saved draft's barrier findings that no approval lets through: what publication
    /// refuses now and a review may be asked for.
    pub findings: Vec<ReviewedFinding>,
    /// The draft's requests, newest first.
    pub requests: Vec<ReviewView>,
}

impl ReviewDesk {
    /// Whether a request waits for the administrator (then no other may be sent).
    pub fn pending(&self) -> bool {
        self.requests
            .iter()
            .any(|r| r.status == ReviewStatus::Pending)
    }
}

/// A clause published after the platform's review let it through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaivedClause {
    pub rule: String,
    pub quote: String,
}

/// On the public tender page: an approval the tender was published with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedAfterReview {
    /// The administrator's note.
    pub note: String,
    pub decided_at: DateTime<Utc>,
    /// The clauses it let through.
    pub clauses: Vec<WaivedClause>,
}
