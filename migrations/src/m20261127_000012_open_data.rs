//! Issue #7: open data (OCDS releases derived from what happened, in date order).
//!
//! - `milestone.accepted_at`: the instant of acceptance. `accepted_on` is the day that starts the
//!   payment term; the release saying "milestone met" needs the instant, so it sorts after the
//!   delivery and the contract's signing. Rows accepted before this migration take the delivery
//!   instant (acceptance cannot precede delivery).
//! - `contract_amendment.milestones`: what each amendment changed, as data (JSON: milestone id,
//!   deliverable and planned date before and after), so the contract as signed and as amended
//!   can each be published as it was. Older rows have only the human-readable `changes`.
//! - Indexes on each event's instant, which the release feed reads in date order.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .add_column(timestamp_with_time_zone_null(Milestone::AcceptedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ContractAmendment::Table)
                    .add_column(text_null(ContractAmendment::Milestones))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Milestone::Table)
                    .value(Milestone::AcceptedAt, Expr::col(Milestone::DeliveredAt))
                    .and_where(Expr::col(Milestone::AcceptedOn).is_not_null())
                    .to_owned(),
            )
            .await?;
        for (name, table, column) in indexes() {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in indexes() {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(ContractAmendment::Table)
                    .drop_column(ContractAmendment::Milestones)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .drop_column(Milestone::AcceptedAt)
                    .to_owned(),
            )
            .await
    }
}

fn indexes() -> [(&'static str, DynIden, DynIden); 7] {
    [
        (
            "ix_tender_published_at",
            Tender::Table.into_iden(),
            Tender::PublishedAt.into_iden(),
        ),
        (
            "ix_tender_cancelled_at",
            Tender::Table.into_iden(),
            Tender::CancelledAt.into_iden(),
        ),
        (
            "ix_clarification_published_at",
            TenderClarification::Table.into_iden(),
            TenderClarification::PublishedAt.into_iden(),
        ),
        (
            "ix_award_decided_at",
            Award::Table.into_iden(),
            Award::DecidedAt.into_iden(),
        ),
        (
            "ix_contract_signed_at",
            Contract::Table.into_iden(),
            Contract::SignedAt.into_iden(),
        ),
        (
            "ix_milestone_accepted_at",
            Milestone::Table.into_iden(),
            Milestone::AcceptedAt.into_iden(),
        ),
        (
            "ix_payment_recorded_at",
            Payment::Table.into_iden(),
            Payment::RecordedAt.into_iden(),
        ),
    ]
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    AcceptedAt,
    AcceptedOn,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum ContractAmendment {
    Table,
    Milestones,
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    PublishedAt,
    CancelledAt,
}

#[derive(DeriveIden)]
enum TenderClarification {
    Table,
    PublishedAt,
}

#[derive(DeriveIden)]
enum Award {
    Table,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Contract {
    Table,
    SignedAt,
}

#[derive(DeriveIden)]
enum Payment {
    Table,
    RecordedAt,
}
