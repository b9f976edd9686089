//! fairtender's shared crate: domain rules, page components and server functions.
//!
//! Layers depend one way: `ui` -> `server_fns` -> `services` -> `infra` -> `domain`, with
//! `model`, `i18n` and `error` beside `domain` (README, "Where things are").
//! - `domain`: procurement rules as plain Rust (no HTTP, UI or database).
//! - `model`: the view and form types server functions exchange with the browser.
//! - `ui`, `server_fns`, `i18n`: compiled for both the server (`ssr`) and the browser (`hydrate`).
//! - `infra`: database, document store and state, server only.
// The deepest pages (bid evaluation) nest more view types than the default limit allows.
#![recursion_limit = "256"]

pub mod domain;
pub mod error;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod infra;
pub mod model;
pub mod paths;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod services;
pub mod ui;
