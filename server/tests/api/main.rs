//! Integration tests: one binary, every test with its own database. Tests that touch the database
//! run twice, in a `sqlite` and a `postgres` module; the PostgreSQL ones need FT_TEST_PG_URL
//! (`cargo xtask test` sets it, or skips them with `--skip postgres::` and says so).

mod helpers;

mod accounts;
mod bids;
mod calendar;
mod contracts;
mod database;
mod document_text;
mod faults;
mod following;
mod idor;
mod input;
mod open_data;
mod overdue_contracts;
mod pages;
mod profile;
mod review;
mod roles;
mod server_functions;
mod startup;
mod tenders;
mod valid_bids;
