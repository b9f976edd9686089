//! Capability-based tenders (issue #4): evaluation, security and SME settings on the tender,
//! its lots, and each lot's criteria. Percentages are stored as integer hundredths of a percent
//! (`*_bp`), exact on both backends like money in fen.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            string_len(Tender::EvaluationMethod, 32)
                .default("comprehensive_scoring")
                .to_owned(),
            integer_null(Tender::PriceWeightBp).to_owned(),
            big_integer_null(Tender::BidSecurityFen).to_owned(),
            boolean(Tender::ImportedGoods).default(false).to_owned(),
            integer(Tender::SmeRequiredShareBp).default(0).to_owned(),
            integer(Tender::SmeSmallMicroShareBp).default(0).to_owned(),
            integer_null(Tender::SmePriceDeductionBp).to_owned(),
            integer_null(Tender::SmeConsortiumDeductionBp).to_owned(),
            // Decided at publication (R-SME-01): the whole tender is reserved for SMEs.
            boolean_null(Tender::ReservedWhole).to_owned(),
            uuid_null(Tender::CreatedBy).to_owned(),
            timestamp_with_time_zone_null(Tender::UpdatedAt).to_owned(),
            // While a draft: the officer's form as typed (JSON). Lots and criteria are written
            // to their tables at publication and never change after (R-REC-01).
            text_null(Tender::DraftForm).to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tender::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TenderLot::Table)
                    .if_not_exists()
                    .col(uuid(TenderLot::Id).primary_key())
                    .col(uuid(TenderLot::TenderId))
                    .col(integer(TenderLot::Position))
                    .col(string_len(TenderLot::Title, 200))
                    .col(big_integer(TenderLot::BudgetFen))
                    .col(boolean(TenderLot::ReservedForSme))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tender_lot_tender")
                            .from(TenderLot::Table, TenderLot::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_lot_tender")
                    .table(TenderLot::Table)
                    .col(TenderLot::TenderId)
                    .col(TenderLot::Position)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TenderCriterion::Table)
                    .if_not_exists()
                    .col(uuid(TenderCriterion::Id).primary_key())
                    .col(uuid(TenderCriterion::LotId))
                    .col(integer(TenderCriterion::Position))
                    .col(string_len(TenderCriterion::Kind, 32))
                    .col(text(TenderCriterion::Requirement))
                    // Null: pass/fail; otherwise points in hundredths.
                    .col(integer_null(TenderCriterion::WeightBp))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tender_criterion_lot")
                            .from(TenderCriterion::Table, TenderCriterion::LotId)
                            .to(TenderLot::Table, TenderLot::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_criterion_lot")
                    .table(TenderCriterion::Table)
                    .col(TenderCriterion::LotId)
                    .col(TenderCriterion::Position)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TenderCriterion::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TenderLot::Table).to_owned())
            .await?;
        for column in [
            Tender::EvaluationMethod,
            Tender::PriceWeightBp,
            Tender::BidSecurityFen,
            Tender::ImportedGoods,
            Tender::SmeRequiredShareBp,
            Tender::SmeSmallMicroShareBp,
            Tender::SmePriceDeductionBp,
            Tender::SmeConsortiumDeductionBp,
            Tender::ReservedWhole,
            Tender::CreatedBy,
            Tender::UpdatedAt,
            Tender::DraftForm,
        ] {
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
    EvaluationMethod,
    PriceWeightBp,
    BidSecurityFen,
    ImportedGoods,
    SmeRequiredShareBp,
    SmeSmallMicroShareBp,
    SmePriceDeductionBp,
    SmeConsortiumDeductionBp,
    ReservedWhole,
    CreatedBy,
    UpdatedAt,
    DraftForm,
}

#[derive(DeriveIden)]
enum TenderLot {
    Table,
    Id,
    TenderId,
    Position,
    Title,
    BudgetFen,
    ReservedForSme,
}

#[derive(DeriveIden)]
enum TenderCriterion {
    Table,
    Id,
    LotId,
    Position,
    Kind,
    Requirement,
    WeightBp,
}
