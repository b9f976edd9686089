//! Issue #35, sealing and the audit log that shows tampering:
//!
//! - `bid_seal_fault`: a counted version that, at the opening, did not open as its own bid,
//!   version and tender, or whose content does not match its digest (a swapped or altered
//!   ciphertext). It is reported to the officers and not counted; kept for good (R-REC-01).
//! - `audit_checkpoint`: the audit chain's head (entry count and hash) at a time, signed with
//!   the audit key (Ed25519), which is not in the database. Published at
//!   `/api/v1/audit/checkpoints`; `server verify-audit` checks the chain against them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BidSealFault::Table)
                    .if_not_exists()
                    .col(uuid(BidSealFault::Id).primary_key())
                    .col(uuid(BidSealFault::TenderId))
                    .col(uuid(BidSealFault::BidId))
                    .col(integer(BidSealFault::Version))
                    // does_not_open | digest_mismatch | other_bid
                    .col(string_len(BidSealFault::Reason, 32))
                    .col(timestamp_with_time_zone(BidSealFault::FoundAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bid_seal_fault_tender")
                    .table(BidSealFault::Table)
                    .col(BidSealFault::TenderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditCheckpoint::Table)
                    .if_not_exists()
                    // The number of entries covered: the chain's last `seq` then.
                    .col(big_integer(AuditCheckpoint::EntryCount).primary_key())
                    .col(string_len(AuditCheckpoint::HeadHash, 64))
                    .col(timestamp_with_time_zone(AuditCheckpoint::MadeAt))
                    // Ed25519 public key and signature, base64url.
                    .col(string_len(AuditCheckpoint::PublicKey, 64))
                    .col(string_len(AuditCheckpoint::Signature, 128))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditCheckpoint::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(BidSealFault::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BidSealFault {
    Table,
    Id,
    TenderId,
    BidId,
    Version,
    Reason,
    FoundAt,
}

#[derive(DeriveIden)]
enum AuditCheckpoint {
    Table,
    EntryCount,
    HeadHash,
    MadeAt,
    PublicKey,
    Signature,
}
