//! Integration tests: one binary, every test with its own database. Tests that touch the database
//! run twice, in a `sqlite` and a `postgres` module; the PostgreSQL ones need FT_TEST_PG_URL
//! (`cargo xtask test` sets it, or skips them with `--skip postgres::` and says so).

mod helpers;

mod accounts;
mod amendments;
mod bid_security;
mod bids;
mod calendar;
mod challenge_windows;
mod contracts;
mod database;
mod disputes;
mod document_text;
mod faults;
mod following;
mod idor;
mod input;
mod late_acts;
mod mark_versions;
mod open_data;
mod overdue_contracts;
mod pages;
mod payment_terms;
mod profile;
mod retender;
mod review;
mod roles;
mod server_functions;
mod sign_in;
mod startup;
mod tenders;
mod valid_bids;
