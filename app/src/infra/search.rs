//! The full-text index of published tenders (see `domain::search` for the rules): FTS5 on
//! SQLite, a `tsvector` column on PostgreSQL. A tender is indexed when it is published; its
//! title and description never change after that.

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use uuid::Uuid;

use crate::domain::search::{fts5_query, index_text, tsquery, Phrase};

/// Adds one tender to the index (call it in the transaction that publishes it).
pub async fn index_tender(
    conn: &impl ConnectionTrait,
    id: Uuid,
    title: &str,
    description: &str,
) -> Result<(), DbErr> {
    let body = index_text(title, description);
    let backend = conn.get_database_backend();
    let statement = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            "UPDATE tender SET search_vector = to_tsvector('simple', $1) WHERE id = $2",
            [body.into(), id.into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "INSERT INTO tender_fts (tender_id, body) VALUES (?, ?)",
            [id.into(), body.into()],
        ),
    };
    conn.execute_raw(statement).await?;
    Ok(())
}

/// Indexes every published tender the index lacks (those published before the index existed,
/// or written straight into the database). Returns how many it indexed.
pub async fn index_missing(conn: &impl ConnectionTrait) -> Result<usize, DbErr> {
    let backend = conn.get_database_backend();
    let missing = match backend {
        DbBackend::Postgres => {
            "SELECT id, title, description FROM tender \
             WHERE status <> 'draft' AND search_vector IS NULL"
        }
        _ => {
            "SELECT id, title, description FROM tender \
             WHERE status <> 'draft' AND id NOT IN (SELECT tender_id FROM tender_fts)"
        }
    };
    let rows = conn
        .query_all_raw(Statement::from_string(backend, missing))
        .await?;
    for row in &rows {
        let id: Uuid = row.try_get("", "id")?;
        let title: String = row.try_get("", "title")?;
        let description: String = row.try_get("", "description")?;
        index_tender(conn, id, &title, &description).await?;
    }
    Ok(rows.len())
}

/// The condition "the tender matches every phrase", for the tender query.
pub fn matches(backend: DbBackend, phrases: &[Phrase]) -> SimpleExpr {
    match backend {
        DbBackend::Postgres => Expr::cust_with_values(
            "\"tender\".\"search_vector\" @@ to_tsquery('simple', $1)",
            [tsquery(phrases)],
        ),
        _ => Expr::cust_with_values(
            "\"tender\".\"id\" IN (SELECT tender_id FROM tender_fts WHERE tender_fts MATCH ?)",
            [fts5_query(phrases)],
        ),
    }
}
