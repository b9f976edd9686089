//! The full-text index of published tenders (see `domain::search` for the rules): FTS5 on
//! SQLite, a `tsvector` column on PostgreSQL. A tender is indexed when it is published; its
//! title and description never change after that.
//!
//! On SQLite each indexed tender has a `search_key`, the rowid of its text in `tender_fts`, so a
//! search reads only the matches' rowids (migration 14 says why).

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryTrait, Statement};
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
        _ => {
            // Writers take turns on SQLite (the publishing transaction holds the write lock),
            // so the next key cannot be taken twice; the unique index would refuse it anyway.
            conn.execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE tender SET search_key = \
                 (SELECT IFNULL(MAX(search_key), 0) + 1 FROM tender) WHERE id = ?",
                [id.into()],
            ))
            .await?;
            Statement::from_sql_and_values(
                backend,
                "INSERT INTO tender_fts (rowid, body) SELECT search_key, ? FROM tender WHERE id = ?",
                [body.into(), id.into()],
            )
        }
    };
    conn.execute_raw(statement).await?;
    Ok(())
}

/// Replaces a published tender's text in the index after an amendment changed its title or
/// description (R-TIME-02): the search then finds it by what it now says, not what it said.
pub async fn reindex_tender(
    conn: &impl ConnectionTrait,
    id: Uuid,
    title: &str,
    description: &str,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    if backend == DbBackend::Postgres {
        return index_tender(conn, id, title, description).await;
    }
    // SQLite: the text under the tender's key is replaced; the key stays.
    conn.execute_raw(Statement::from_sql_and_values(
        backend,
        "DELETE FROM tender_fts WHERE rowid = (SELECT search_key FROM tender WHERE id = ?)",
        [id.into()],
    ))
    .await?;
    conn.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO tender_fts (rowid, body) SELECT search_key, ? FROM tender \
         WHERE id = ? AND search_key IS NOT NULL",
        [index_text(title, description).into(), id.into()],
    ))
    .await?;
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
             WHERE status <> 'draft' AND search_key IS NULL"
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
            "\"tender\".\"search_key\" IN (SELECT rowid FROM tender_fts WHERE tender_fts MATCH ?)",
            [fts5_query(phrases)],
        ),
    }
}

/// The index SQLite reads tenders through when a search text is given.
const SEARCH_KEY_INDEX: &str = "idx_tender_search_key";

/// The statement of a query on `tender` filtered by [`matches`] (and perhaps other filters).
/// On SQLite, when `searching`, the tenders are read through their search key: starting from
/// the text's matches and then filtering them. Without `sqlite_stat1` the planner prefers the
/// status index and checks every published tender against the matches instead (88-118 ms
/// against 19-24 ms at 100,000 tenders); with sampled statistics it gets these searches right
/// but other filters wrong (bench/RESULTS.md). Sea-query cannot write `INDEXED BY`, so it is
/// added to the built statement.
pub fn tender_statement(backend: DbBackend, query: &impl QueryTrait, searching: bool) -> Statement {
    let mut statement = query.build(backend);
    if searching && backend == DbBackend::Sqlite {
        statement.sql = statement.sql.replacen(
            "FROM \"tender\"",
            &format!("FROM \"tender\" INDEXED BY \"{SEARCH_KEY_INDEX}\""),
            1,
        );
    }
    statement
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::search::phrases;
    use crate::infra::entities::tender;
    use sea_orm::{EntityTrait, QueryFilter, QuerySelect};

    #[test]
    fn a_search_on_sqlite_reads_tenders_through_the_search_key() {
        let query = tender::Entity::find()
            .filter(matches(DbBackend::Sqlite, &phrases("运维", 8)))
            .select_only()
            .column(tender::Column::Id);
        let sql = tender_statement(DbBackend::Sqlite, &query, true).sql;
        assert!(
            sql.contains("FROM \"tender\" INDEXED BY \"idx_tender_search_key\" WHERE"),
            "{sql}"
        );
        assert!(sql.contains("\"tender\".\"search_key\" IN (SELECT rowid FROM tender_fts"));
        // Without a search text, and on PostgreSQL, the statement is sea-query's own.
        assert_eq!(
            tender_statement(DbBackend::Sqlite, &query, false).sql,
            query.build(DbBackend::Sqlite).sql
        );
        assert!(!tender_statement(DbBackend::Postgres, &query, true)
            .sql
            .contains("INDEXED BY"));
    }
}
