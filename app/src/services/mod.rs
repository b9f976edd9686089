//! The use cases (server only): each takes parsed values and the state, checks who may act,
//! applies the domain's rules and reads or writes through `infra`. Server functions and the
//! plain axum routes call these; nothing here knows about forms, pages or HTTP status codes.

pub mod accounts;
pub mod bid_documents;
pub mod bids;
pub mod calendar;
pub mod contracts;
pub mod documents;
pub mod members;
pub mod ocds;
pub mod open_data;
pub mod profile;
pub mod seed;
pub mod session;
pub mod sign_in;
pub mod supplier;
pub mod tenders;

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::Clock;
use crate::infra::{auth, db, memo, sealing, storage};

/// Everything a request handler or server function needs. Built once per server (and once per
/// test: nothing here is global).
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub clock: Arc<dyn Clock>,
    /// Working days, for every rule that counts them: `calendar.current()` for a new count,
    /// `calendar.book().as_set_at(..)` to recount a deadline already set (never shorter after
    /// an upload, issue #34). Uploads on /admin swap it while the server runs.
    pub calendar: crate::infra::calendar::SharedCalendar,
    pub documents: storage::DocumentStore,
    pub leptos_options: LeptosOptions,
    /// Signs and checks session tokens.
    pub auth: Arc<auth::AuthKeys>,
    /// Seals bids until their deadline and signs receipts (R-BID-01).
    pub sealing: Arc<sealing::Sealing>,
    /// Signs the audit log's checkpoints (issue #35); its key is not in the database.
    pub audit_signer: Arc<crate::infra::audit_checkpoint::AuditSigner>,
    /// Cookies carry `Secure` when the public URL is https.
    pub secure_cookies: bool,
    /// How open data is published (ocid prefix, public address).
    pub open_data: Arc<ocds::OpenData>,
    /// Counts the requests that may have changed data (bumped by the server around each).
    pub changes: Arc<memo::Changes>,
    /// The payment-timeliness report by year, shared while nothing changes (R-PAY-07).
    pub timeliness: Arc<
        memo::Memo<(Option<i32>, chrono::NaiveDate), crate::model::contracts::TimelinessReport>,
    >,
    /// The lots and criteria of published tenders, which never change.
    pub lots: Arc<tenders::PublishedLots>,
    /// New recovery codes waiting to be shown once on the account page (issue #35).
    pub recovery_flash: Arc<crate::infra::flash::RecoveryFlash>,
    /// Registrations one client address may make a day before it waits (issue #35).
    pub registrations_per_address: u32,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The one way a status or vocabulary column (`TenderStatus`, `Category`, `Method`,
/// `CriterionKind`) is read: its value type's `FromStr`. A value that names no variant is a
/// fault of ours, never a silent default: a database error naming `column`, which `AppError`
/// logs and answers with an internal error.
pub(crate) fn decode_stored<T>(column: &str, value: &str) -> Result<T, sea_orm::DbErr>
where
    T: std::str::FromStr<Err = crate::domain::tender::UnknownValue>,
{
    value
        .parse()
        .map_err(|e| sea_orm::DbErr::Type(format!("{e} in {column}")))
}
