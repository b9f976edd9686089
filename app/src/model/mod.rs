//! The view and form types shared by the server and the browser (`*View`, `*Form`, `*Page`):
//! what a server function returns or takes. They depend on `domain` only: no database, no HTTP.

pub mod accounts;
pub mod agency;
pub mod bids;
pub mod calendar;
pub mod contracts;
pub mod profile;
pub mod review;
pub mod supplier;
pub mod tenders;
