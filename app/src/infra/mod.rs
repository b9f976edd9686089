//! Server-only infrastructure: database, document store, application state. Never in the wasm.

pub mod accounts;
pub mod api_v1;
pub mod audit;
pub mod auth;
pub mod bid_documents;
pub mod bids;
pub mod calendar;
pub mod contracts;
pub mod db;
pub mod documents;
pub mod entities;
pub mod memo;
pub mod ocds;
pub mod profile;
pub mod sealing;
pub mod search;
pub mod seed;
pub mod storage;
pub mod supplier;
pub mod tenders;

use std::future::Future;
use std::sync::Arc;

use leptos::prelude::*;
use sea_orm::{DatabaseConnection, DbErr};

use crate::domain::Clock;
use crate::error::AppError;

/// Everything a request handler or server function needs. Built once per server (and once per
/// test: nothing here is global).
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    /// Working days, for every rule that counts them.
    pub calendar: Arc<crate::domain::calendar::WorkingCalendar>,
    pub documents: storage::DocumentStore,
    pub leptos_options: LeptosOptions,
    /// Signs and checks session tokens.
    pub auth: Arc<auth::AuthKeys>,
    /// Seals bids until their deadline and signs receipts (R-BID-01).
    pub sealing: Arc<sealing::Sealing>,
    /// Cookies carry `Secure` when the public URL is https.
    pub secure_cookies: bool,
    /// How open data is published (ocid prefix, public address).
    pub open_data: Arc<ocds::OpenData>,
    /// Counts the requests that may have changed data (bumped by the server around each).
    pub changes: Arc<memo::Changes>,
    /// The payment-timeliness report by year, shared while nothing changes (R-PAY-07).
    pub timeliness:
        Arc<memo::Memo<(Option<i32>, chrono::NaiveDate), crate::api::contracts::TimelinessReport>>,
    /// The lots and criteria of published tenders, which never change.
    pub lots: Arc<tenders::PublishedLots>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, inside a server function or a server-rendered component.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal { request_id: None }
    })
}

/// The id of the request being served (set by the server's request-id layer).
pub fn request_id() -> Option<String> {
    use_context::<http::request::Parts>()?
        .headers
        .get("x-request-id")?
        .to_str()
        .ok()
        .map(str::to_string)
}

/// A browser submitting an HTML form without JavaScript (it accepts HTML in return).
pub(crate) fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.method == http::Method::POST
            && p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
    })
}

/// Runs a server function's body and turns its error into the right HTTP status. Internal errors
/// get the request id, so the user can quote it and an operator can find the logged cause.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await.map_err(|e| match e {
        AppError::Internal { request_id: None } => AppError::Internal {
            request_id: request_id(),
        },
        other => other,
    });
    // A form posted without JavaScript is answered with a redirect back to its page, the error
    // carried in the URL for the page to show; only other callers get the error's status.
    if let (Err(e), false) = (&result, is_plain_form_post()) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(e.status());
        }
    }
    result
}

impl From<DbErr> for AppError {
    /// Database errors are logged here, with the request's span, and never shown to the client.
    fn from(e: DbErr) -> Self {
        match e {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            DbErr::RecordNotFound(_) => AppError::NotFound,
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal { request_id: None }
            }
        }
    }
}
