//! Re-tendering after R-SME-05 / R-BID-04 (issue #33): a re-tender is a new tender linked to the
//! tender whose lots failed; only that link lifts R-SME-01's reservation, for the lots suspended
//! for too few qualified SME bids (D46).
//!
//! - `tender.retender_of`: the failed tender a tender re-tenders; NULL for any other tender.
//!   At most one re-tender of a tender that is not cancelled, even when two officers ask at
//!   once (a partial unique index, the same SQL on SQLite and PostgreSQL).
//! - `retender_lot`: the lots of the failed tender a re-tender takes up, as they stood when it
//!   was made: why each failed (`suspended`, R-SME-05, or `failed`, R-BID-04) and its count;
//!   at publication, the re-tender's lot that took it up and whether its reservation was
//!   lifted. Kept for good (R-REC-01).

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
                    .table(Tender::Table)
                    .add_column(uuid_null(Tender::RetenderOf).to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS idx_tender_one_retender \
                 ON tender (retender_of) \
                 WHERE retender_of IS NOT NULL AND status <> 'cancelled'",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RetenderLot::Table)
                    .if_not_exists()
                    .col(uuid(RetenderLot::Id).primary_key())
                    // The re-tender.
                    .col(uuid(RetenderLot::TenderId))
                    .col(uuid(RetenderLot::FailedLotId))
                    .col(integer(RetenderLot::Position))
                    .col(string_len(RetenderLot::Title, 200))
                    // suspended | failed
                    .col(string_len(RetenderLot::Outcome, 16))
                    .col(integer(RetenderLot::ValidBids))
                    .col(integer(RetenderLot::QualifiedSmeBids))
                    // Set at the re-tender's publication.
                    .col(uuid_null(RetenderLot::LotId))
                    .col(boolean(RetenderLot::Lifted).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_retender_lot_tender")
                            .from(RetenderLot::Table, RetenderLot::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_retender_lot_failed_lot")
                            .from(RetenderLot::Table, RetenderLot::FailedLotId)
                            .to(TenderLot::Table, TenderLot::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_retender_lot_tender")
                    .table(RetenderLot::Table)
                    .col(RetenderLot::TenderId)
                    .col(RetenderLot::Position)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RetenderLot::Table).to_owned())
            .await?;
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX IF EXISTS idx_tender_one_retender")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Tender::Table)
                    .drop_column(Tender::RetenderOf)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
    RetenderOf,
}

#[derive(DeriveIden)]
enum TenderLot {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RetenderLot {
    Table,
    Id,
    TenderId,
    FailedLotId,
    Position,
    Title,
    Outcome,
    ValidBids,
    QualifiedSmeBids,
    LotId,
    Lifted,
}
