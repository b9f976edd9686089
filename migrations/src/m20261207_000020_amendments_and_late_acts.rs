//! Issue #33, deadlines.
//! - R-TIME-02: a structured amendment of a published tender keeps what it changed (`changes`,
//!   JSON) and the terms before and after it (the draft form, JSON), so the public record shows
//!   the tender as published and as each amendment left it (R-REC-01). A requirement an
//!   amendment replaces is kept, marked `withdrawn_at`, never deleted.
//! - R-AWARD-01: the contract's publication is an event of the OCDS feed, read in date order:
//!   an index on `contract.published_at`, as on every other event's instant (migration 000012).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in [
            text_null(TenderClarification::Changes).to_owned(),
            text_null(TenderClarification::TermsBefore).to_owned(),
            text_null(TenderClarification::TermsAfter).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TenderClarification::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(TenderCriterion::Table)
                    .add_column(timestamp_with_time_zone_null(TenderCriterion::WithdrawnAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_contract_published_at")
                    .table(Contract::Table)
                    .if_not_exists()
                    .col(Contract::PublishedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_contract_published_at")
                    .table(Contract::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TenderCriterion::Table)
                    .drop_column(TenderCriterion::WithdrawnAt)
                    .to_owned(),
            )
            .await?;
        for column in [
            TenderClarification::Changes,
            TenderClarification::TermsBefore,
            TenderClarification::TermsAfter,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TenderClarification::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TenderClarification {
    Table,
    Changes,
    TermsBefore,
    TermsAfter,
}

#[derive(DeriveIden)]
enum TenderCriterion {
    Table,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum Contract {
    Table,
    PublishedAt,
}
