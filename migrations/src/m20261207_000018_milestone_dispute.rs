//! Issue #33, R-PAY-10: an acceptance of less than the delivered amount is a partial rejection,
//! and the disputed part has a way to end.
//!
//! - `milestone.disputed_fen`, `dispute_reason`, `dispute_text`: the part not accepted, with the
//!   allowed reason (R-PAY-03 codes) and the agency's explanation.
//! - `milestone.redelivered_at`: the disputed part delivered again, awaiting a decision.
//! - `milestone.reduction_fen`, `reduction_text`: a reduction the agency proposed, awaiting the
//!   supplier's confirmation.
//! - `milestone.dispute_end` (`redelivered` | `reduced` | `decided`), `dispute_ended_on`,
//!   `dispute_owed_fen`, `dispute_reference`: how and when the dispute ended and what of it is
//!   owed; the payment term runs from `dispute_ended_on`.
//!
//! SQLite alters one column per statement, so each column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            big_integer_null(Milestone::DisputedFen),
            string_len_null(Milestone::DisputeReason, 32),
            text_null(Milestone::DisputeText),
            timestamp_with_time_zone_null(Milestone::RedeliveredAt),
            big_integer_null(Milestone::ReductionFen),
            text_null(Milestone::ReductionText),
            string_len_null(Milestone::DisputeEnd, 16),
            date_null(Milestone::DisputeEndedOn),
            big_integer_null(Milestone::DisputeOwedFen),
            text_null(Milestone::DisputeReference),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Milestone::Table)
                        .add_column(column.to_owned())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Milestone::DisputedFen,
            Milestone::DisputeReason,
            Milestone::DisputeText,
            Milestone::RedeliveredAt,
            Milestone::ReductionFen,
            Milestone::ReductionText,
            Milestone::DisputeEnd,
            Milestone::DisputeEndedOn,
            Milestone::DisputeOwedFen,
            Milestone::DisputeReference,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Milestone::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    DisputedFen,
    DisputeReason,
    DisputeText,
    RedeliveredAt,
    ReductionFen,
    ReductionText,
    DisputeEnd,
    DisputeEndedOn,
    DisputeOwedFen,
    DisputeReference,
}
