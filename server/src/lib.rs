//! fairtender's server: configuration, start-up, request guards, the plain axum routes
//! (`routes`: documents, /api/v1, OCDS) and logging. The binary in `main.rs` is a thin command
//! line over this, and the integration tests build the same `Application` with their own
//! database and clock.

pub mod action_errors;
pub mod config;
pub mod middleware;
pub mod page_cache;
pub mod routes;
pub mod security;
pub mod startup;
pub mod telemetry;

pub use startup::{Application, StartupError};
