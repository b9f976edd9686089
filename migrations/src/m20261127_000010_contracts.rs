//! Contracts and milestone payments (issue #6).
//!
//! An award becomes one contract per lot (`contract.lot_id` is unique). Its milestones carry
//! their delivery, acceptance or rejection; each payment is a row of its own, with the key the
//! finance officer's form was rendered with (`request_key`, unique), so a double click or a
//! retried request records one payment. `milestone.paid_fen` is updated only where it still
//! holds the value the release read, so two officers paying at once cannot both pay the same
//! outstanding amount. Timeliness (due dates, lateness, interest) is derived from these dates
//! and the clock: no job has to run. `lpr_rate` is the operators' table of the 1-year LPR
//! (R-PAY-05). Nothing is deleted (R-REC-01).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LprRate::Table)
                    .if_not_exists()
                    .col(date(LprRate::EffectiveOn).primary_key())
                    .col(integer(LprRate::RateBp))
                    .to_owned(),
            )
            .await?;
        // The 1-year LPR announced on 2025-05-20 (3.0%), in force since; operators add rows.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(LprRate::Table)
                    .columns([LprRate::EffectiveOn, LprRate::RateBp])
                    .values_panic([
                        sea_orm_migration::sea_orm::prelude::Date::from_ymd_opt(2025, 5, 20)
                            .unwrap_or_default()
                            .into(),
                        300.into(),
                    ])
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Contract::Table)
                    .if_not_exists()
                    .col(uuid(Contract::Id).primary_key())
                    .col(uuid(Contract::LotId))
                    .col(uuid(Contract::TenderId))
                    .col(uuid(Contract::AgencyId))
                    .col(uuid(Contract::SupplierId))
                    .col(big_integer(Contract::ValueFen))
                    // R-PAY-01: at most 60.
                    .col(integer(Contract::PaymentTermDays))
                    // R-PAY-02: the acceptance period after each delivery.
                    .col(integer(Contract::AcceptanceDays))
                    // R-PAY-05: the agreed annual rate, or none (0.05% per day applies).
                    .col(integer_null(Contract::InterestAnnualBp))
                    .col(integer(Contract::LprBp))
                    // R-SEC-01: the performance security, at most 10% of the value.
                    .col(big_integer_null(Contract::PerformanceSecurityFen))
                    .col(date(Contract::AwardedOn))
                    .col(timestamp_with_time_zone(Contract::SignedAt))
                    .col(uuid(Contract::SignedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contract_award")
                            .from(Contract::Table, Contract::LotId)
                            .to(Award::Table, Award::LotId),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("uq_contract_lot", Contract::LotId),
            ("idx_contract_agency", Contract::AgencyId),
            ("idx_contract_supplier", Contract::SupplierId),
        ] {
            let mut index = Index::create();
            index.name(name).table(Contract::Table).col(col);
            if name.starts_with("uq_") {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Milestone::Table)
                    .if_not_exists()
                    .col(uuid(Milestone::Id).primary_key())
                    .col(uuid(Milestone::ContractId))
                    .col(integer(Milestone::Position))
                    .col(text(Milestone::Deliverable))
                    .col(big_integer(Milestone::AmountFen))
                    .col(date(Milestone::PlannedOn))
                    .col(boolean(Milestone::Advance).default(false))
                    .col(timestamp_with_time_zone_null(Milestone::DeliveredAt))
                    .col(text_null(Milestone::DeliveryNote))
                    .col(date_null(Milestone::AcceptedOn))
                    // R-PAY-04: the undisputed part, when less than the amount.
                    .col(big_integer_null(Milestone::AcceptedFen))
                    .col(timestamp_with_time_zone_null(Milestone::RejectedAt))
                    .col(string_len_null(Milestone::RejectionReason, 32))
                    .col(text_null(Milestone::RejectionText))
                    .col(big_integer(Milestone::PaidFen).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_milestone_contract")
                            .from(Milestone::Table, Milestone::ContractId)
                            .to(Contract::Table, Contract::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_milestone_contract")
                    .table(Milestone::Table)
                    .col(Milestone::ContractId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Payment::Table)
                    .if_not_exists()
                    .col(uuid(Payment::Id).primary_key())
                    .col(uuid(Payment::MilestoneId))
                    .col(big_integer(Payment::AmountFen))
                    .col(date(Payment::PaidOn))
                    .col(string_len(Payment::BankReference, 64))
                    .col(uuid(Payment::RequestKey))
                    .col(uuid(Payment::RecordedBy))
                    .col(timestamp_with_time_zone(Payment::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payment_milestone")
                            .from(Payment::Table, Payment::MilestoneId)
                            .to(Milestone::Table, Milestone::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_payment_request_key")
                    .table(Payment::Table)
                    .col(Payment::RequestKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payment_milestone")
                    .table(Payment::Table)
                    .col(Payment::MilestoneId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Payment::Table.into_iden(),
            Milestone::Table.into_iden(),
            Contract::Table.into_iden(),
            LprRate::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Award {
    Table,
    LotId,
}

#[derive(DeriveIden)]
enum LprRate {
    Table,
    EffectiveOn,
    RateBp,
}

#[derive(DeriveIden)]
enum Contract {
    Table,
    Id,
    LotId,
    TenderId,
    AgencyId,
    SupplierId,
    ValueFen,
    PaymentTermDays,
    AcceptanceDays,
    InterestAnnualBp,
    LprBp,
    PerformanceSecurityFen,
    AwardedOn,
    SignedAt,
    SignedBy,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    Id,
    ContractId,
    Position,
    Deliverable,
    AmountFen,
    PlannedOn,
    Advance,
    DeliveredAt,
    DeliveryNote,
    AcceptedOn,
    AcceptedFen,
    RejectedAt,
    RejectionReason,
    RejectionText,
    PaidFen,
}

#[derive(DeriveIden)]
enum Payment {
    Table,
    Id,
    MilestoneId,
    AmountFen,
    PaidOn,
    BankReference,
    RequestKey,
    RecordedBy,
    RecordedAt,
}
