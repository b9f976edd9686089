//! R-SME-02 (issue #33): the SME share is reached, not typed.
//!
//! - `tender_lot.small_micro_only`: a reserved lot that only small and micro firms may bid on;
//!   with the consortium or subcontract share it makes the 60% of the reserve.
//! - `opened_bid.partners`: the consortium members and subcontractors the bid declared, with
//!   their SME declarations and shares (JSON), read at the opening; NULL when none. The award
//!   notice and the contract show them as the winner's obligation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TenderLot::Table)
                    .add_column(boolean(TenderLot::SmallMicroOnly).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OpenedBid::Table)
                    .add_column(text_null(OpenedBid::Partners))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OpenedBid::Table)
                    .drop_column(OpenedBid::Partners)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TenderLot::Table)
                    .drop_column(TenderLot::SmallMicroOnly)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum TenderLot {
    Table,
    SmallMicroOnly,
}

#[derive(DeriveIden)]
enum OpenedBid {
    Table,
    Partners,
}
