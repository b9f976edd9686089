//! Issue #6, continued: late interest as a payable of its own, receivable confirmations, the
//! contract's publication, and payment reminders that are written once.
//!
//! - `payment.kind`: `principal` (pays the milestone) or `interest` (pays its late-payment
//!   interest, R-PAY-05). `milestone.interest_paid_fen` is updated like `paid_fen`: only where it
//!   still holds the value the release read.
//! - `milestone.receivable_requested_on` / `receivable_confirmed_on`: the supplier's request that
//!   the agency confirm the receivable, and the confirmation (R-PAY-06).
//! - `contract.published_at`: when the agency published the signed contract (R-AWARD-01).
//! - `contract.security_forms`: the forms in which the performance security may be provided,
//!   comma-separated codes; never cash only (R-PAY-08).
//! - `notification.dedupe_key` (unique): reminders derived from dates ("due in 7 days",
//!   "overdue") are written when someone first looks after they apply; the key makes that
//!   happen once however many pages ask at once. `notification.contract_id` links to the contract.
//!
//! - `milestone_document`: the evidence documents a supplier attaches to a delivery (the files
//!   themselves are rows of `document`, as for tenders). Nothing is deleted (R-REC-01).
//!
//! - `contract.version` and `contract_amendment`: each amendment (its reason, what changed from
//!   what to what) is a numbered version of its own; `(contract_id, version)` is unique, so two
//!   officers amending at once cannot both make version 2.
//!
//! SQLite alters one column per statement, so each column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add = |table: DynIden, column: ColumnDef| {
            Table::alter()
                .table(table)
                .add_column(column.to_owned())
                .to_owned()
        };
        for statement in [
            add(
                Milestone::Table.into_iden(),
                big_integer(Milestone::InterestPaidFen)
                    .default(0)
                    .to_owned(),
            ),
            add(
                Milestone::Table.into_iden(),
                date_null(Milestone::ReceivableRequestedOn).to_owned(),
            ),
            add(
                Milestone::Table.into_iden(),
                date_null(Milestone::ReceivableConfirmedOn).to_owned(),
            ),
            add(
                Payment::Table.into_iden(),
                string_len(Payment::Kind, 16)
                    .default("principal")
                    .to_owned(),
            ),
            add(
                Contract::Table.into_iden(),
                timestamp_with_time_zone_null(Contract::PublishedAt).to_owned(),
            ),
            add(
                Contract::Table.into_iden(),
                string_len_null(Contract::SecurityForms, 128).to_owned(),
            ),
            add(
                Contract::Table.into_iden(),
                integer(Contract::Version).default(1).to_owned(),
            ),
            add(
                Notification::Table.into_iden(),
                string_len_null(Notification::DedupeKey, 128).to_owned(),
            ),
            add(
                Notification::Table.into_iden(),
                uuid_null(Notification::ContractId).to_owned(),
            ),
        ] {
            manager.alter_table(statement).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("uq_notification_dedupe_key")
                    .table(Notification::Table)
                    .col(Notification::DedupeKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MilestoneDocument::Table)
                    .if_not_exists()
                    .col(uuid(MilestoneDocument::Id).primary_key())
                    .col(uuid(MilestoneDocument::MilestoneId))
                    .col(uuid(MilestoneDocument::DocumentId))
                    .col(uuid(MilestoneDocument::AddedBy))
                    .col(timestamp_with_time_zone(MilestoneDocument::AddedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_milestone_document_milestone")
                            .from(MilestoneDocument::Table, MilestoneDocument::MilestoneId)
                            .to(Milestone::Table, Milestone::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_milestone_document_document")
                            .from(MilestoneDocument::Table, MilestoneDocument::DocumentId)
                            .to(Document::Table, Document::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_milestone_document_milestone")
                    .table(MilestoneDocument::Table)
                    .col(MilestoneDocument::MilestoneId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContractAmendment::Table)
                    .if_not_exists()
                    .col(uuid(ContractAmendment::Id).primary_key())
                    .col(uuid(ContractAmendment::ContractId))
                    .col(integer(ContractAmendment::Version))
                    .col(text(ContractAmendment::Reason))
                    .col(text(ContractAmendment::Changes))
                    .col(uuid(ContractAmendment::AmendedBy))
                    .col(timestamp_with_time_zone(ContractAmendment::AmendedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contract_amendment_contract")
                            .from(ContractAmendment::Table, ContractAmendment::ContractId)
                            .to(Contract::Table, Contract::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_contract_amendment_version")
                    .table(ContractAmendment::Table)
                    .col(ContractAmendment::ContractId)
                    .col(ContractAmendment::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ContractAmendment::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MilestoneDocument::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("uq_notification_dedupe_key")
                    .table(Notification::Table)
                    .to_owned(),
            )
            .await?;
        let drop = |table: DynIden, column: DynIden| {
            Table::alter().table(table).drop_column(column).to_owned()
        };
        for statement in [
            drop(
                Notification::Table.into_iden(),
                Notification::ContractId.into_iden(),
            ),
            drop(
                Notification::Table.into_iden(),
                Notification::DedupeKey.into_iden(),
            ),
            drop(Contract::Table.into_iden(), Contract::Version.into_iden()),
            drop(
                Contract::Table.into_iden(),
                Contract::SecurityForms.into_iden(),
            ),
            drop(
                Contract::Table.into_iden(),
                Contract::PublishedAt.into_iden(),
            ),
            drop(Payment::Table.into_iden(), Payment::Kind.into_iden()),
            drop(
                Milestone::Table.into_iden(),
                Milestone::ReceivableConfirmedOn.into_iden(),
            ),
            drop(
                Milestone::Table.into_iden(),
                Milestone::ReceivableRequestedOn.into_iden(),
            ),
            drop(
                Milestone::Table.into_iden(),
                Milestone::InterestPaidFen.into_iden(),
            ),
        ] {
            manager.alter_table(statement).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MilestoneDocument {
    Table,
    Id,
    MilestoneId,
    DocumentId,
    AddedBy,
    AddedAt,
}

#[derive(DeriveIden)]
enum Document {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    Id,
    InterestPaidFen,
    ReceivableRequestedOn,
    ReceivableConfirmedOn,
}

#[derive(DeriveIden)]
enum Payment {
    Table,
    Kind,
}

#[derive(DeriveIden)]
enum Contract {
    Table,
    Id,
    PublishedAt,
    SecurityForms,
    Version,
}

#[derive(DeriveIden)]
enum ContractAmendment {
    Table,
    Id,
    ContractId,
    Version,
    Reason,
    Changes,
    AmendedBy,
    AmendedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    DedupeKey,
    ContractId,
}
