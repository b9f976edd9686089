//! Documents attached to a bid (issue #5), sealed like the bid itself (R-BID-01).
//!
//! Each file is encrypted with its own random key before it reaches the document store, under a
//! key (`bids/<id>`) that says nothing about it. That file key, with the file's name, type, size
//! and digest, is stored here twice: sealed with the bidder's key (`own_meta`, for the bidder's
//! own requests) and sealed for the tender (`tender_meta`, opened only with the tender key after
//! the deadline). Removing a document from a draft marks it removed; a submitted version that
//! listed it keeps it (R-REC-01).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BidDocument::Table)
                    .if_not_exists()
                    .col(uuid(BidDocument::Id).primary_key())
                    .col(uuid(BidDocument::BidId))
                    .col(text(BidDocument::StorageKey))
                    .col(text(BidDocument::OwnMeta))
                    .col(text(BidDocument::TenderMeta))
                    .col(timestamp_with_time_zone(BidDocument::AddedAt))
                    .col(timestamp_with_time_zone_null(BidDocument::RemovedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_document_bid")
                            .from(BidDocument::Table, BidDocument::BidId)
                            .to(Bid::Table, Bid::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bid_document_bid")
                    .table(BidDocument::Table)
                    .col(BidDocument::BidId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BidDocument::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Bid {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BidDocument {
    Table,
    Id,
    BidId,
    StorageKey,
    OwnMeta,
    TenderMeta,
    AddedAt,
    RemovedAt,
}
