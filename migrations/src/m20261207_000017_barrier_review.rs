//! A way past a wrong refusal by the barrier check (issue #34): the officer sends a refused
//! draft's findings to the platform administrator with a reason; the administrator approves or
//! rejects with a note. An approval lets exactly those clauses through at publication, and the
//! tender page shows it. Requests are kept for good, decided or not (R-REC-01).

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BarrierReview::Table)
                    .if_not_exists()
                    .col(uuid(BarrierReview::Id).primary_key())
                    .col(uuid(BarrierReview::TenderId))
                    .col(uuid(BarrierReview::AgencyId))
                    // The findings as refused when asked (rule, field, quote, why), JSON.
                    .col(text(BarrierReview::Findings))
                    .col(text(BarrierReview::Reason))
                    .col(uuid(BarrierReview::RequestedBy))
                    .col(timestamp_with_time_zone(BarrierReview::RequestedAt))
                    // pending | approved | rejected
                    .col(string_len(BarrierReview::Status, 16))
                    .col(text_null(BarrierReview::DecisionNote))
                    .col(uuid_null(BarrierReview::DecidedBy))
                    .col(timestamp_with_time_zone_null(BarrierReview::DecidedAt))
                    // The approved findings the tender was published with, JSON.
                    .col(text_null(BarrierReview::Applied))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_barrier_review_tender")
                            .from(BarrierReview::Table, BarrierReview::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_barrier_review_tender")
                    .table(BarrierReview::Table)
                    .col(BarrierReview::TenderId)
                    .col(BarrierReview::RequestedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_barrier_review_status")
                    .table(BarrierReview::Table)
                    .col(BarrierReview::Status)
                    .col(BarrierReview::RequestedAt)
                    .to_owned(),
            )
            .await?;
        // One pending request per tender, even when two officers ask at once (same SQL on
        // SQLite and PostgreSQL).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS idx_barrier_review_one_pending \
                 ON barrier_review (tender_id) WHERE status = 'pending'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BarrierReview::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BarrierReview {
    Table,
    Id,
    TenderId,
    AgencyId,
    Findings,
    Reason,
    RequestedBy,
    RequestedAt,
    Status,
    DecisionNote,
    DecidedBy,
    DecidedAt,
    Applied,
}
