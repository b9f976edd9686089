//! Server-only infrastructure: the database (pool, group commit, batches, entities), the records
//! of the JSON kept in its columns, the document store, sealing, the audit chain, sign-in keys
//! and memos. Never in the wasm; knows no use case.

pub mod audit;
pub mod audit_checkpoint;
pub mod auth;
pub mod backup;
pub mod batch;
pub mod calendar;
pub mod db;
pub mod document_text;
pub mod entities;
pub mod flash;
pub mod memo;
pub mod records;
pub mod sealing;
pub mod search;
pub mod storage;
pub mod throttle;

use sea_orm::DbErr;

use crate::error::AppError;

impl From<DbErr> for AppError {
    /// Database errors are logged here, with the request's span, and never shown to the client.
    /// One that retrying later can cure (the database out of reach, its disk full, made
    /// read-only, or busy past the wait) is `Unavailable`: 503 with a retry hint, not a fault of
    /// ours to quote a reference for (issue #9).
    fn from(e: DbErr) -> Self {
        if let DbErr::RecordNotFound(_) = e {
            return AppError::NotFound;
        }
        match db::unavailable(&e) {
            Some(db::Unavailable::Unreachable | db::Unavailable::Busy) => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            // An operator must act: say so loudly.
            Some(db::Unavailable::Full | db::Unavailable::ReadOnly) => {
                tracing::error!(error = %e, "database cannot be written to");
                AppError::Unavailable
            }
            None => {
                tracing::error!(error = %e, "database error");
                AppError::Internal { request_id: None }
            }
        }
    }
}
