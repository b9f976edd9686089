//! Tender documents, and what a supplier keeps between visits (issue #4): a watch list, saved
//! searches and in-app notifications (a clarification or cancellation of a watched tender).
//! Documents are never deleted from a published tender (R-REC-01); a draft's document can be
//! taken off, which is recorded, not erased.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TenderDocument::Table)
                    .if_not_exists()
                    .col(uuid(TenderDocument::Id).primary_key())
                    .col(uuid(TenderDocument::TenderId))
                    .col(uuid(TenderDocument::DocumentId))
                    .col(uuid(TenderDocument::AddedBy))
                    .col(timestamp_with_time_zone(TenderDocument::AddedAt))
                    .col(timestamp_with_time_zone_null(TenderDocument::RemovedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tender_document_tender")
                            .from(TenderDocument::Table, TenderDocument::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tender_document_document")
                            .from(TenderDocument::Table, TenderDocument::DocumentId)
                            .to(Document::Table, Document::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_document_tender")
                    .table(TenderDocument::Table)
                    .col(TenderDocument::TenderId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TenderWatch::Table)
                    .if_not_exists()
                    .col(uuid(TenderWatch::OrganisationId))
                    .col(uuid(TenderWatch::TenderId))
                    .col(uuid(TenderWatch::PersonId))
                    .col(timestamp_with_time_zone(TenderWatch::CreatedAt))
                    .primary_key(
                        Index::create()
                            .name("pk_tender_watch")
                            .col(TenderWatch::OrganisationId)
                            .col(TenderWatch::TenderId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tender_watch_tender")
                            .from(TenderWatch::Table, TenderWatch::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tender_watch_tender")
                    .table(TenderWatch::Table)
                    .col(TenderWatch::TenderId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .if_not_exists()
                    .col(uuid(Notification::Id).primary_key())
                    .col(uuid(Notification::OrganisationId))
                    .col(string_len(Notification::Kind, 32))
                    .col(uuid_null(Notification::TenderId))
                    .col(text(Notification::BodyZh))
                    .col(text(Notification::BodyEn))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::ReadAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_organisation")
                    .table(Notification::Table)
                    .col(Notification::OrganisationId)
                    .col(Notification::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SavedSearch::Table)
                    .if_not_exists()
                    .col(uuid(SavedSearch::Id).primary_key())
                    .col(uuid(SavedSearch::OrganisationId))
                    .col(uuid(SavedSearch::PersonId))
                    .col(string_len(SavedSearch::Name, 100))
                    .col(text(SavedSearch::Query))
                    .col(timestamp_with_time_zone(SavedSearch::CreatedAt))
                    .col(timestamp_with_time_zone_null(SavedSearch::DeletedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_saved_search_organisation")
                    .table(SavedSearch::Table)
                    .col(SavedSearch::OrganisationId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SavedSearch::Table.into_iden(),
            Notification::Table.into_iden(),
            TenderWatch::Table.into_iden(),
            TenderDocument::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Document {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TenderDocument {
    Table,
    Id,
    TenderId,
    DocumentId,
    AddedBy,
    AddedAt,
    RemovedAt,
}

#[derive(DeriveIden)]
enum TenderWatch {
    Table,
    OrganisationId,
    TenderId,
    PersonId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    OrganisationId,
    Kind,
    TenderId,
    BodyZh,
    BodyEn,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum SavedSearch {
    Table,
    Id,
    OrganisationId,
    PersonId,
    Name,
    Query,
    CreatedAt,
    DeletedAt,
}
