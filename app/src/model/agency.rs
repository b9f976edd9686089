//! View and form types of agency: shared by the server and the browser; no database, no HTTP.

use crate::domain::draft::TenderDraftForm;
use crate::domain::tender::TenderStatus;
use crate::domain::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One of the agency's tenders, in its list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyTender {
    pub id: Uuid,
    pub title: String,
    pub status: TenderStatus,
    pub budget: Money,
    pub bid_deadline: DateTime<Utc>,
}

/// A tender as its officer edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderDraftView {
    pub id: Uuid,
    pub status: TenderStatus,
    pub form: TenderDraftForm,
    pub documents: Vec<crate::model::tenders::TenderDocumentView>,
    /// R-SME-05, R-BID-04: the tender this one re-tenders.
    #[serde(default)]
    pub retender_of: Option<crate::model::tenders::RelatedTender>,
}
