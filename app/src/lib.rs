//! fairtender's shared crate: domain rules, page components and server functions.
//!
//! - `domain`: procurement rules as plain Rust (no HTTP, UI or database).
//! - `ui`, `api`, `i18n`: compiled for both the server (`ssr`) and the browser (`hydrate`).
//! - `infra`: database, document store and state, server only.
// The deepest pages (bid evaluation) nest more view types than the default limit allows.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod error;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod infra;
pub mod ui;
