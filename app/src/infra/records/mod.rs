//! The JSON this application keeps in database columns, as record types of its own: what is
//! stored does not change when a view type (`model::*`) does, and each record says which
//! version of its shape it is. Rows written before records carried a version have none, and
//! read as version 1. The conversions to and from the view types are here and nowhere else.
//!
//! - [`barrier_review`]: the barrier findings of a review request (`barrier_review.findings`).
//! - [`evaluation`]: the evaluation kept with an award (`award.evaluation`).
//! - [`saved_search`]: a supplier's saved search (`saved_search.query`).

pub mod barrier_review;
pub mod evaluation;
pub mod saved_search;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AppError;

/// The version a record without one is (every row written before records were versioned).
fn unversioned() -> u32 {
    1
}

/// `record` as JSON; `what` names it in the log should that fail.
fn encode<T: Serialize>(what: &str, record: &T) -> Result<String, AppError> {
    serde_json::to_string(record).map_err(|e| {
        tracing::error!(error = %e, record = what, "a record did not serialise");
        AppError::Internal { request_id: None }
    })
}

/// A stored record read back; `what` names it in the log should it not parse.
fn decode<T: DeserializeOwned>(what: &str, json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::error!(error = %e, record = what, "a stored record does not parse");
        AppError::Internal { request_id: None }
    })
}

/// A record of a version this build does not know (written by a newer one).
fn unknown_version(what: &str, v: u32) -> AppError {
    tracing::error!(
        record = what,
        version = v,
        "a stored record has an unknown version"
    );
    AppError::Internal { request_id: None }
}
