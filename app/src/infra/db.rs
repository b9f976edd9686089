//! Connecting to the database (SQLite embedded, PostgreSQL in production) and migrating it.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Why the database could not be used. Each message names the setting to change.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "the database URL {0:?} is not understood: it must start with sqlite:// or postgres:// \
         (set FAIRTENDER_DATABASE_URL or DATABASE_URL)"
    )]
    Malformed(String),
    #[error("could not create the folder {path} for the SQLite database: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "cannot reach the database at {url}: {source} (check FAIRTENDER_DATABASE_URL or DATABASE_URL, \
         and that the database server is running)"
    )]
    Unreachable { url: String, source: DbErr },
}

/// Which kind of database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Option<Backend> {
        let scheme = url.split_once("://")?.0;
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }
}

/// The URL with any password hidden, for logs and error messages.
pub fn redact(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(at)) if at > scheme.len() + 3 => {
            let creds = &rest[..at - scheme.len() - 3];
            let user = creds.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{}", &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Opens a connection pool.
///
/// SQLite is set up for a web server: WAL (readers are served while one writer writes), a busy
/// timeout instead of immediate "database is locked", foreign keys on, and a pool of several
/// connections. The file (and its folder) is created on first start.
pub async fn connect(url: &str, pool_size: u32) -> Result<DatabaseConnection, ConnectError> {
    let backend = Backend::of(url).ok_or_else(|| ConnectError::Malformed(redact(url)))?;
    let mut url = url.to_string();
    let mut options;
    match backend {
        Backend::Sqlite => {
            let path = url["sqlite://".len()..].split('?').next().unwrap_or("");
            if path.is_empty() || path == ":memory:" {
                // Each pooled connection would get its own empty in-memory database.
                return Err(ConnectError::Malformed(url));
            }
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|source| ConnectError::Folder {
                        path: parent.display().to_string(),
                        source,
                    })?;
                }
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') {
                    "&mode=rwc"
                } else {
                    "?mode=rwc"
                });
            }
            options = ConnectOptions::new(url.clone());
            options.map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
        }
        Backend::Postgres => {
            options = ConnectOptions::new(url.clone());
        }
    }
    options
        .max_connections(pool_size.max(2))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    // Two servers opening one new SQLite file at once both switch it to WAL, which needs a lock
    // that SQLite refuses at once ("database is locked") rather than waiting the busy timeout:
    // the loser waits a moment and tries again.
    let mut attempts = 0;
    loop {
        let result = match Database::connect(options.clone()).await {
            // Connecting is lazy for some drivers: make sure the database actually answers.
            Ok(db) => db.ping().await.map(|()| db),
            Err(e) => Err(e),
        };
        match result {
            Ok(db) => return Ok(db),
            Err(e) if is_locked(&e) && attempts < 40 => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(source) => {
                return Err(ConnectError::Unreachable {
                    url: redact(&url),
                    source,
                })
            }
        }
    }
}

fn is_locked(e: &DbErr) -> bool {
    e.to_string().contains("database is locked")
}

/// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: it takes the write
/// lock up front (waiting up to the busy timeout), so two transactions that read and then write
/// cannot deadlock into "database is locked". Keep such transactions short.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// A fixed key for the PostgreSQL advisory lock that serialises migrations.
const MIGRATION_LOCK_KEY: i64 = 0x6661_6972_7465_6e64; // "fairtend"

/// Applies pending migrations in one transaction. Safe when several servers start at once: on
/// PostgreSQL they queue on an advisory lock, on SQLite on the write lock, and the later ones
/// find nothing left to do.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = begin_write(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
        ))
        .await?;
    }
    Migrator::up(&txn, None).await?;
    let indexed = super::search::index_missing(&txn).await?;
    if indexed > 0 {
        tracing::info!(indexed, "published tenders added to the search index");
    }
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(
            redact("postgres://app:s3cret@db.internal:5432/ft"),
            "postgres://app:***@db.internal:5432/ft"
        );
        assert_eq!(redact("sqlite://data/ft.db"), "sqlite://data/ft.db");
    }

    #[test]
    fn the_scheme_chooses_the_backend() {
        assert_eq!(Backend::of("sqlite://x.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of("postgresql://h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of("mysql://h/db"), None);
        assert_eq!(Backend::of("data.db"), None);
    }
}
