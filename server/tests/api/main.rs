//! Integration tests: one binary, every test with its own database. Tests that touch the database
//! run twice, in a `sqlite` and a `postgres` module; the PostgreSQL ones need FT_TEST_PG_URL
//! (`cargo xtask test` sets it, or skips them with `--skip postgres::` and says so).

mod helpers;

mod access;
mod accounts;
mod addresses;
mod amendments;
mod api_schema;
mod audit_checkpoints;
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
mod sealing;
mod server_functions;
mod sign_in;
mod sme_share;
mod startup;
mod tenders;
mod valid_bids;
