//! Issue #34: the working-day calendar files administrators upload on /admin, one row per
//! upload (a year uploaded again keeps its earlier rows: the calendar in force at each instant
//! is what keeps deadlines already set from getting shorter, `domain::calendar::CalendarBook`).
//! Every server loads them at start over the built-in years.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarUpload::Table)
                    .if_not_exists()
                    .col(uuid(CalendarUpload::Id).primary_key())
                    .col(integer(CalendarUpload::Year))
                    .col(text(CalendarUpload::Toml))
                    .col(string_len(CalendarUpload::Sha256, 64))
                    .col(uuid_null(CalendarUpload::UploadedBy))
                    .col(timestamp_with_time_zone(CalendarUpload::UploadedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_calendar_upload_at")
                    .table(CalendarUpload::Table)
                    .col(CalendarUpload::UploadedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarUpload::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CalendarUpload {
    Table,
    Id,
    Year,
    Toml,
    Sha256,
    UploadedBy,
    UploadedAt,
}
