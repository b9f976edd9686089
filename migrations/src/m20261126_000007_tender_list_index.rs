//! A covering index for the public tender list and its filters (issue #4: fast at 100,000
//! tenders). Counting the matches of a search then reads only this index, never the tender rows
//! with their long descriptions: at 100,000 tenders the count went from about 150 ms to under
//! 5 ms on SQLite (bench/RESULTS.md).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_list")
                    .table(Tender::Table)
                    .if_not_exists()
                    // Equality first, then the range every public list has (open: deadline
                    // after now), then what the filters test.
                    .col(Tender::Status)
                    .col(Tender::BidDeadline)
                    .col(Tender::PublishedAt)
                    .col(Tender::Category)
                    .col(Tender::Method)
                    .col(Tender::BudgetFen)
                    .col(Tender::ReservedWhole)
                    .col(Tender::Region)
                    .col(Tender::Id)
                    .to_owned(),
            )
            .await?;
        // Newest first (the default list): walked in order, stopping after the page.
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_newest")
                    .table(Tender::Table)
                    .if_not_exists()
                    .col(Tender::Status)
                    .col(Tender::PublishedAt)
                    .col(Tender::Id)
                    .col(Tender::BidDeadline)
                    .to_owned(),
            )
            .await?;
        // "Reserved for SMEs" asks which tenders have a reserved lot: answered from this index.
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_lot_reserved")
                    .table(TenderLot::Table)
                    .if_not_exists()
                    .col(TenderLot::ReservedForSme)
                    .col(TenderLot::TenderId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_tender_lot_reserved")
                    .table(TenderLot::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_tender_newest")
                    .table(Tender::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_tender_list")
                    .table(Tender::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
    Status,
    BidDeadline,
    PublishedAt,
    Category,
    Method,
    BudgetFen,
    ReservedWhole,
    Region,
}

#[derive(DeriveIden)]
enum TenderLot {
    Table,
    TenderId,
    ReservedForSme,
}
