//! Schema migrations, run by `server migrate` and on every server start.
//!
//! Rules for migrations here: money is stored as integer fen (`BIGINT`), exact on SQLite and
//! PostgreSQL; ids are UUIDs; nothing is ever dropped from tables that hold procurement records
//! (R-REC-01).

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_initial;
mod m20261126_000002_accounts;
mod m20261126_000003_tender_details;
mod m20261126_000004_clarifications;
mod m20261126_000005_supplier_tools;
mod m20261126_000006_tender_search;
mod m20261126_000007_tender_list_index;
mod m20261126_000008_bids;
mod m20261127_000009_bid_documents;
mod m20261127_000010_contracts;
mod m20261127_000011_payment_followups;
mod m20261127_000012_open_data;
mod m20261127_000013_contract_tender_index;
mod m20261127_000014_search_key;
mod m20261207_000015_calendar_upload;
mod m20261207_000016_tender_document_text;
mod m20261207_000017_barrier_review;
mod m20261207_000018_milestone_dispute;
mod m20261207_000019_contract_terms_and_mark_versions;
mod m20261207_000020_amendments_and_late_acts;
mod m20261207_000021_bid_security;
mod m20261207_000022_retender;
mod m20261207_000023_sme_partners;
mod m20261207_000024_sign_in_throttle;
mod m20261207_000025_seal_faults_and_audit_checkpoints;
mod m20261207_000026_revocable_access;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_initial::Migration),
            Box::new(m20261126_000002_accounts::Migration),
            Box::new(m20261126_000003_tender_details::Migration),
            Box::new(m20261126_000004_clarifications::Migration),
            Box::new(m20261126_000005_supplier_tools::Migration),
            Box::new(m20261126_000006_tender_search::Migration),
            Box::new(m20261126_000007_tender_list_index::Migration),
            Box::new(m20261126_000008_bids::Migration),
            Box::new(m20261127_000009_bid_documents::Migration),
            Box::new(m20261127_000010_contracts::Migration),
            Box::new(m20261127_000011_payment_followups::Migration),
            Box::new(m20261127_000012_open_data::Migration),
            Box::new(m20261127_000013_contract_tender_index::Migration),
            Box::new(m20261127_000014_search_key::Migration),
            Box::new(m20261207_000015_calendar_upload::Migration),
            Box::new(m20261207_000016_tender_document_text::Migration),
            Box::new(m20261207_000017_barrier_review::Migration),
            Box::new(m20261207_000018_milestone_dispute::Migration),
            Box::new(m20261207_000019_contract_terms_and_mark_versions::Migration),
            Box::new(m20261207_000022_retender::Migration),
            Box::new(m20261207_000020_amendments_and_late_acts::Migration),
            Box::new(m20261207_000021_bid_security::Migration),
            Box::new(m20261207_000023_sme_partners::Migration),
            Box::new(m20261207_000026_revocable_access::Migration),
            Box::new(m20261207_000025_seal_faults_and_audit_checkpoints::Migration),
            Box::new(m20261207_000024_sign_in_throttle::Migration),
        ]
    }
}
