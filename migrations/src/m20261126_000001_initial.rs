//! Organisations, people, tenders and stored documents: what the walking skeleton shows and seeds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .if_not_exists()
                    .col(uuid(Organisation::Id).primary_key())
                    // "agency" or "supplier"
                    .col(string_len(Organisation::Kind, 16))
                    .col(string_len(Organisation::Name, 200))
                    // 统一社会信用代码, validated by the application (issue #3).
                    .col(string_len_null(Organisation::CreditCode, 18).unique_key())
                    .col(timestamp_with_time_zone(Organisation::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Person::Table)
                    .if_not_exists()
                    .col(uuid(Person::Id).primary_key())
                    .col(uuid_null(Person::OrganisationId))
                    .col(string_len(Person::Email, 254).unique_key())
                    .col(string_len(Person::DisplayName, 100))
                    .col(string_len(Person::Role, 32))
                    .col(text_null(Person::PasswordHash))
                    .col(integer(Person::TokenVersion).default(0))
                    .col(timestamp_with_time_zone(Person::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_person_organisation")
                            .from(Person::Table, Person::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tender::Table)
                    .if_not_exists()
                    .col(uuid(Tender::Id).primary_key())
                    .col(uuid(Tender::AgencyId))
                    .col(string_len(Tender::Title, 300))
                    .col(text(Tender::Description))
                    .col(string_len(Tender::Category, 16))
                    .col(string_len(Tender::Method, 32))
                    .col(string_len(Tender::Region, 100))
                    .col(big_integer(Tender::BudgetFen))
                    .col(string_len(Tender::Status, 16))
                    .col(timestamp_with_time_zone(Tender::BidDeadline))
                    .col(timestamp_with_time_zone_null(Tender::PublishedAt))
                    .col(timestamp_with_time_zone(Tender::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tender_agency")
                            .from(Tender::Table, Tender::AgencyId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_status_published_at")
                    .table(Tender::Table)
                    .col(Tender::Status)
                    .col(Tender::PublishedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Document::Table)
                    .if_not_exists()
                    .col(uuid(Document::Id).primary_key())
                    // Where the bytes are in the document store (content-addressed).
                    .col(string_len(Document::StorageKey, 200))
                    .col(string_len(Document::Sha256, 64))
                    .col(big_integer(Document::SizeBytes))
                    .col(string_len(Document::ContentType, 100))
                    .col(string_len(Document::OriginalName, 255))
                    .col(timestamp_with_time_zone(Document::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Document::Table.into_iden(),
            Tender::Table.into_iden(),
            Person::Table.into_iden(),
            Organisation::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Kind,
    Name,
    CreditCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    OrganisationId,
    Email,
    DisplayName,
    Role,
    PasswordHash,
    TokenVersion,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
    AgencyId,
    Title,
    Description,
    Category,
    Method,
    Region,
    BudgetFen,
    Status,
    BidDeadline,
    PublishedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Document {
    Table,
    Id,
    StorageKey,
    Sha256,
    SizeBytes,
    ContentType,
    OriginalName,
    CreatedAt,
}
