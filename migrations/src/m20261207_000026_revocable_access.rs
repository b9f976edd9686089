//! Issue #35, "access that can be taken away":
//!
//! - `person.disabled_at` / `person.disabled_by`: a supplier member removed by the owner, or an
//!   agency officer disabled by the agency's administrator. The person is kept (R-REC-01: their
//!   acts stay attributed); a disabled person cannot sign in and every session of theirs ends
//!   (the token version is bumped in the same transaction).
//! - `invitation.revoked_at`: an unused invitation taken back; it can no longer be accepted.
//! - `agency_setting`: one row per agency that changed a setting; `separation_of_duties`
//!   (off when there is no row): the person who accepted a delivery does not release its
//!   payment, and the officer who opened the bids is not the only one who marked them.
//! - `milestone.accepted_by`: who accepted the delivery (NULL before this migration, and when
//!   the acceptance period ran out unanswered).
//!
//! SQLite alters one column per statement, so every column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Person::Table)
                    .add_column(timestamp_with_time_zone_null(Person::DisabledAt).to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Person::Table)
                    .add_column(uuid_null(Person::DisabledBy).to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Invitation::Table)
                    .add_column(timestamp_with_time_zone_null(Invitation::RevokedAt).to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .add_column(uuid_null(Milestone::AcceptedBy).to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgencySetting::Table)
                    .if_not_exists()
                    .col(uuid(AgencySetting::OrganisationId).primary_key())
                    .col(boolean(AgencySetting::SeparationOfDuties).default(false))
                    .col(uuid(AgencySetting::UpdatedBy))
                    .col(timestamp_with_time_zone(AgencySetting::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_agency_setting_organisation")
                            .from(AgencySetting::Table, AgencySetting::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AgencySetting::Table).to_owned())
            .await?;
        for (table, column) in [
            (
                Milestone::Table.into_iden(),
                Milestone::AcceptedBy.into_iden(),
            ),
            (
                Invitation::Table.into_iden(),
                Invitation::RevokedAt.into_iden(),
            ),
            (Person::Table.into_iden(), Person::DisabledBy.into_iden()),
            (Person::Table.into_iden(), Person::DisabledAt.into_iden()),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Person {
    Table,
    DisabledAt,
    DisabledBy,
}

#[derive(DeriveIden)]
enum Invitation {
    Table,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    AcceptedBy,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AgencySetting {
    Table,
    OrganisationId,
    SeparationOfDuties,
    UpdatedBy,
    UpdatedAt,
}
