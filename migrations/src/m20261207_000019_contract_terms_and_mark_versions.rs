//! Issue #33. A contract's other terms (其他约定), free text the server reads for payment
//! terms the decree forbids (R-PAY-09, R-PAY-03). And every evaluation mark kept (R-REC-01):
//! each save of a bid's marks is a version of its own (who, when, what), never overwritten;
//! `bid_mark` stays the latest mark of each criterion, which scoring reads. The marks already
//! recorded become version 1.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Contract::Table)
                    .add_column(text_null(Contract::OtherTerms))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BidMarkVersion::Table)
                    .if_not_exists()
                    .col(uuid(BidMarkVersion::OpenedBidId))
                    // 1 for a bid's first save of marks; each later save adds one.
                    .col(integer(BidMarkVersion::Version))
                    .col(uuid(BidMarkVersion::CriterionId))
                    .col(boolean_null(BidMarkVersion::Passed))
                    .col(integer_null(BidMarkVersion::ScoreBp))
                    .col(text(BidMarkVersion::Reason))
                    .col(uuid(BidMarkVersion::MarkedBy))
                    .col(timestamp_with_time_zone(BidMarkVersion::MarkedAt))
                    .primary_key(
                        Index::create()
                            .name("pk_bid_mark_version")
                            .col(BidMarkVersion::OpenedBidId)
                            .col(BidMarkVersion::Version)
                            .col(BidMarkVersion::CriterionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_mark_version_opened_bid")
                            .from(BidMarkVersion::Table, BidMarkVersion::OpenedBidId)
                            .to(OpenedBid::Table, OpenedBid::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The marks recorded before versions: each bid's as its version 1 (same SQL on SQLite
        // and PostgreSQL).
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO bid_mark_version \
                 (opened_bid_id, version, criterion_id, passed, score_bp, reason, marked_by, marked_at) \
                 SELECT opened_bid_id, 1, criterion_id, passed, score_bp, reason, marked_by, marked_at \
                 FROM bid_mark",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BidMarkVersion::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Contract::Table)
                    .drop_column(Contract::OtherTerms)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Contract {
    Table,
    OtherTerms,
}

#[derive(DeriveIden)]
enum BidMarkVersion {
    Table,
    OpenedBidId,
    Version,
    CriterionId,
    Passed,
    ScoreBp,
    Reason,
    MarkedBy,
    MarkedAt,
}

#[derive(DeriveIden)]
enum OpenedBid {
    Table,
    Id,
}
