//! Issue #34: the text of each tender document, read once when it is attached, so that
//! publication can check it for forbidden conditions (R-BAR-01..03, R-SME-04) and the pages can
//! say which documents could not be checked, without reading the files again.
//!
//! - `tender_document.text_status`: `checked` (its text was read and is in
//!   `tender_document_text`) or `unreadable` (no text could be read: a scan without a text
//!   layer, a picture, an encrypted or damaged file); NULL for documents attached before this
//!   migration, whose text publication reads then.
//! - `tender_document.text_note`: why a document could not be read, for the log and support.
//! - `tender_document_text`: the text read, one row per `checked` document. A table of its own
//!   so that listing a tender's documents on every page view does not load megabytes of text.
//!
//! SQLite alters one column per statement, so each column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string_len_null(TenderDocument::TextStatus, 16),
            string_len_null(TenderDocument::TextNote, 200),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TenderDocument::Table)
                        .add_column(column.to_owned())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(TenderDocumentText::Table)
                    .if_not_exists()
                    .col(uuid(TenderDocumentText::TenderDocumentId).primary_key())
                    .col(text(TenderDocumentText::Text))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tender_document_text_document")
                            .from(
                                TenderDocumentText::Table,
                                TenderDocumentText::TenderDocumentId,
                            )
                            .to(TenderDocument::Table, TenderDocument::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TenderDocumentText::Table).to_owned())
            .await?;
        for column in [TenderDocument::TextNote, TenderDocument::TextStatus] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TenderDocument::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TenderDocument {
    Table,
    Id,
    TextStatus,
    TextNote,
}

#[derive(DeriveIden)]
enum TenderDocumentText {
    Table,
    TenderDocumentId,
    Text,
}
