//! The plain axum routes of the site (issue #32): handlers that are not Leptos pages or
//! server functions.

pub mod payments_csv;
