//! View and form types of supplier: shared by the server and the browser; no database, no HTTP.

use crate::domain::eligibility::LotMatch;
use crate::domain::tender::TenderStatus;
use crate::i18n::Text;
use crate::model::tenders::TenderSummary;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How the profile fits one lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotFit {
    pub title: String,
    pub fit: LotMatch,
}

/// A signed-in supplier's view of one tender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderFit {
    pub watching: bool,
    pub lots: Vec<LotFit>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WatchedTender {
    pub summary: TenderSummary,
    pub status: TenderStatus,
    pub lots: Vec<LotFit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: Uuid,
    pub tender_id: Option<Uuid>,
    /// Payment notifications link to their contract.
    pub contract_id: Option<Uuid>,
    pub body: Text,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearchView {
    pub id: Uuid,
    pub name: String,
    /// The search page with this search filled in.
    pub href: String,
    /// Open tenders it finds now.
    pub open_matches: u64,
}

/// Everything on the supplier's "watched tenders" page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplierDesk {
    pub watched: Vec<WatchedTender>,
    pub notifications: Vec<NotificationView>,
    pub searches: Vec<SavedSearchView>,
}

/// How many saved searches an organisation may keep.
pub const MAX_SAVED_SEARCHES: u64 = 20;
