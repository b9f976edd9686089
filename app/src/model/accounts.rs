//! View and form types of accounts: shared by the server and the browser; no database, no HTTP.

use crate::domain::auth::Role;
use crate::domain::ids::{OrganisationId, PersonId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in person, as the UI sees them. The ids are typed but serialise as the bare
/// UUIDs they wrap, so the JSON a server function returns is what it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub person_id: PersonId,
    pub organisation_id: Option<OrganisationId>,
    pub role: Role,
    pub display_name: String,
    pub email: String,
}

/// What a supplier types to register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterForm {
    pub organisation_name: String,
    pub credit_code: String,
    pub contact_name: String,
    pub email: String,
    pub password: String,
}

/// An agency, as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencySummary {
    pub id: Uuid,
    pub name: String,
    pub credit_code: Option<String>,
}

/// A supplier's SME declaration as stored (R-SME-04): versioned, so a bid can keep the version
/// it was made with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmeDeclarationView {
    pub version: i32,
    pub declaration: crate::domain::sme::SmeDeclaration,
    pub size_class: crate::domain::sme::SizeClass,
    pub declared_at: chrono::DateTime<chrono::Utc>,
}

/// A person of the organisation, as its owner or administrator sees them (issue #35).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// When they were removed or disabled; None while they can sign in.
    pub disabled_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether the viewer may remove or disable them (not themselves, not the firm's owner).
    pub removable: bool,
}

/// An invitation not yet used, revoked or expired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitationView {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// The members (or officers) page section: who is in the organisation, the invitations still
/// open, and for an agency whether it separates duties.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersView {
    pub members: Vec<MemberView>,
    pub invitations: Vec<PendingInvitationView>,
    pub separation_of_duties: bool,
}

/// The account page's recovery codes (issue #35): the new ones, shown this once, and how many
/// unused ones the account has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodesView {
    pub new_codes: Vec<String>,
    pub unused: u64,
}
