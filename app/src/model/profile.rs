//! View and form types of profile: shared by the server and the browser; no database, no HTTP.

use crate::domain::capability::{Capability, Validity};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A document attached to a record, as the owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedDocument {
    pub name: String,
    pub size_bytes: i64,
    /// Where the owner downloads it.
    pub href: String,
}

/// A capability record with its validity on the day it was read (China time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilityView {
    pub id: Uuid,
    pub capability: Capability,
    pub validity: Validity,
    pub document: Option<AttachedDocument>,
    pub created_at: DateTime<Utc>,
}

/// Everything the account page shows of the caller's supplier profile, in one call: the latest
/// SME declaration and the current capability records. `None` for anyone who is not a
/// supplier's member (or is signed out): the page asks for it whoever is signed in, so it needs
/// one answer that is never a refusal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierProfile {
    pub sme: Option<crate::model::accounts::SmeDeclarationView>,
    pub capabilities: Vec<CapabilityView>,
}
