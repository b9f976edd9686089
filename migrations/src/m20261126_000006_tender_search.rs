//! A full-text index of published tenders (issue #4: fast at 100,000 tenders, Chinese included).
//! The application writes the indexed text (`app::domain::search::index_text`): on SQLite into
//! an FTS5 table, on PostgreSQL into a `tsvector` column with a GIN index. Tenders published
//! before this migration are indexed when the server next starts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS tender_fts USING fts5(\
                     tender_id UNINDEXED, body, tokenize = 'unicode61')",
                )
                .await?;
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE tender ADD COLUMN IF NOT EXISTS search_vector tsvector",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX IF NOT EXISTS idx_tender_search ON tender USING GIN (search_vector)",
                )
                .await?;
            }
            other => {
                return Err(DbErr::Migration(format!(
                    "full-text search is not implemented for {other:?}"
                )))
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                db.execute_unprepared("DROP TABLE IF EXISTS tender_fts")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP INDEX IF EXISTS idx_tender_search")
                    .await?;
                db.execute_unprepared("ALTER TABLE tender DROP COLUMN IF EXISTS search_vector")
                    .await?;
            }
        }
        Ok(())
    }
}
