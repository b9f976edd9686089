//! After publication (issue #4): clarifications and amendments, published to everyone, and
//! cancellation with a public reason. Nothing is deleted (R-REC-01).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TenderClarification::Table)
                    .if_not_exists()
                    .col(uuid(TenderClarification::Id).primary_key())
                    .col(uuid(TenderClarification::TenderId))
                    .col(text(TenderClarification::Body))
                    // Whether it can affect bids (R-TIME-02 may then move the deadline).
                    .col(boolean(TenderClarification::AffectsBids))
                    .col(timestamp_with_time_zone(
                        TenderClarification::DeadlineBefore,
                    ))
                    .col(timestamp_with_time_zone(TenderClarification::DeadlineAfter))
                    .col(uuid(TenderClarification::PublishedBy))
                    .col(timestamp_with_time_zone(TenderClarification::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tender_clarification_tender")
                            .from(TenderClarification::Table, TenderClarification::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_clarification_tender")
                    .table(TenderClarification::Table)
                    .col(TenderClarification::TenderId)
                    .col(TenderClarification::PublishedAt)
                    .to_owned(),
            )
            .await?;
        for mut column in [
            text_null(Tender::CancelReason).to_owned(),
            timestamp_with_time_zone_null(Tender::CancelledAt).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tender::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TenderClarification::Table).to_owned())
            .await?;
        for column in [Tender::CancelReason, Tender::CancelledAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tender::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
    CancelReason,
    CancelledAt,
}

#[derive(DeriveIden)]
enum TenderClarification {
    Table,
    Id,
    TenderId,
    Body,
    AffectsBids,
    DeadlineBefore,
    DeadlineAfter,
    PublishedBy,
    PublishedAt,
}
