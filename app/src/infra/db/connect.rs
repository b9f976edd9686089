//! Opening the database: the URL checked, SQLite's settings for a web server (WAL, a busy
//! timeout, page caches, the one writer connection), PostgreSQL's pool.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use super::errors::is_locked;
use super::group_commit::WRITE_WAIT;
use super::Db;

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

/// Each SQLite connection's own page cache, in KiB (SQLite's default is 2,000). Pages it does
/// not keep are read again from the operating system's file cache, which holds the database
/// anyway. Measured at full volume (issue #8, bench/RESULTS.md): 64 clients searching past the
/// page cache, pool of four, peak RSS 101-106 MB with the default, 92 MB at 1,000, 86-88 MB at
/// 512, at the same searches per second.
pub const SQLITE_CACHE_KIB: u32 = 512;

/// The writer's page cache, in KiB. It is one connection, and the only one of this process
/// that writes, so its cache stays valid from one write to the next (a connection's cache is
/// dropped whenever another connection has written): the pages every write walks (the indexes'
/// upper levels, the audit chain's end) are found in memory instead of read again (issue #8,
/// the deadline rush).
pub const SQLITE_WRITER_CACHE_KIB: u32 = 8 * 1024;

/// Opens the database.
///
/// SQLite is set up for a web server: WAL (readers are served while one writer writes), a busy
/// timeout instead of immediate "database is locked", foreign keys on, a pool of several
/// connections that read, and one connection that writes. The file (and its folder) is created
/// on first start.
pub async fn connect(url: &str, pool_size: u32) -> Result<Db, ConnectError> {
    connect_with(url, pool_size, Durability::Process).await
}

/// What a commit on SQLite survives once it is acknowledged (PostgreSQL's commits survive a
/// power cut by its own default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// The server process being killed (`synchronous=NORMAL` in WAL mode): a power cut or an
    /// operating-system crash may lose the last commits, never corrupt the file.
    Process,
    /// A power cut too (`synchronous=FULL`): an fsync at every commit.
    PowerCut,
}

impl Durability {
    /// The `sqlite_durable` setting.
    pub fn from_setting(durable: bool) -> Durability {
        if durable {
            Durability::PowerCut
        } else {
            Durability::Process
        }
    }
}

/// [`connect`], choosing what a SQLite commit survives.
pub async fn connect_with(
    url: &str,
    pool_size: u32,
    durability: Durability,
) -> Result<Db, ConnectError> {
    match Backend::of(url).ok_or_else(|| ConnectError::Malformed(redact(url)))? {
        Backend::Sqlite => {
            let url = sqlite_file(url)?;
            // The writer first: on a new file it switches the journal to WAL alone.
            let writer = open(
                sqlite_options(&url, 1, SQLITE_WRITER_CACHE_KIB, durability, Role::Writer),
                &url,
            )
            .await?;
            let pool = open(
                sqlite_options(
                    &url,
                    pool_size.max(2),
                    SQLITE_CACHE_KIB,
                    durability,
                    Role::Readers,
                ),
                &url,
            )
            .await?;
            Ok(Db {
                pool,
                writer: Some(writer),
                id: next_db_id(),
            })
        }
        Backend::Postgres => {
            let mut options = ConnectOptions::new(url.to_string());
            options.max_connections(pool_size.max(2)).min_connections(1);
            Ok(Db {
                pool: open(options, url).await?,
                writer: None,
                id: next_db_id(),
            })
        }
    }
}

fn next_db_id() -> u64 {
    static DBS: AtomicU64 = AtomicU64::new(0);
    DBS.fetch_add(1, Ordering::Relaxed)
}

/// The SQLite URL, checked, its folder created, opening the file read-write-create.
fn sqlite_file(url: &str) -> Result<String, ConnectError> {
    let mut url = url.to_string();
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
    Ok(url)
}

/// What a pool of SQLite connections is for.
#[derive(Clone, Copy)]
enum Role {
    Readers,
    /// The one connection every write goes through ([`begin_write`](super::begin_write)).
    Writer,
}

/// `connections` SQLite connections to `url`, each with a page cache of `cache_kib`.
fn sqlite_options(
    url: &str,
    connections: u32,
    cache_kib: u32,
    durability: Durability,
    role: Role,
) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_string());
    let synchronous = match durability {
        Durability::Process => SqliteSynchronous::Normal,
        Durability::PowerCut => SqliteSynchronous::Full,
    };
    options.map_sqlx_sqlite_opts(move |o| {
        let o = o
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .busy_timeout(WRITE_WAIT)
            .foreign_keys(true)
            .pragma("cache_size", format!("-{cache_kib}"));
        match role {
            Role::Readers => o,
            // The savepoints of grouped writes (see `begin_write`) keep the pages they change
            // in a sub-journal, which SQLite otherwise spills to a temporary file past 64 KiB:
            // a file created, written and deleted per group (issue #8). In memory it is a few
            // MB at most (64 writes of a few dozen pages), freed at each commit.
            Role::Writer => o.pragma("temp_store", "memory"),
        }
    });
    // The pool would ping each connection before lending it: a round trip to the
    // connection's worker thread on every request (issue #8: the deadline rush is bound
    // by such hand-offs), to detect a dropped network link that an embedded database
    // does not have. Connections are still checked when they are given back.
    options.test_before_acquire(false);
    options.max_connections(connections).min_connections(1);
    options
}

/// Opens a pool with `options`, waiting out another server switching the same new file to WAL.
async fn open(mut options: ConnectOptions, url: &str) -> Result<DatabaseConnection, ConnectError> {
    options
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
                    url: redact(url),
                    source,
                })
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

    use super::*;
    use crate::infra::db::begin_write;

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

    /// Issue #8 (peak RSS): every pooled SQLite connection keeps a small page cache, not
    /// SQLite's default 2 MB.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_sqlite_connection_keeps_a_small_page_cache() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/cache.db", dir.path().display());
        let db = connect(&url, 3).await.expect("the database opens");
        // Three transactions at once hold three different connections of the pool.
        let mut held = Vec::new();
        for _ in 0..3 {
            let txn = db.begin().await.expect("a connection of the pool");
            assert_eq!(
                number(&txn, "PRAGMA cache_size").await,
                -i64::from(SQLITE_CACHE_KIB),
                "cache_size in KiB (negative)"
            );
            held.push(txn);
        }
    }

    /// Issue #8 (the deadline rush): every write of the process goes through one connection,
    /// whose larger page cache therefore stays valid from one write to the next; reads use
    /// the pool.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_write_goes_through_the_one_writer_connection() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/writer.db", dir.path().display());
        let db = connect(&url, 3).await.expect("the database opens");
        let first = begin_write(&db).await.expect("a write begins");
        assert_eq!(
            number(&first, "PRAGMA cache_size").await,
            -i64::from(SQLITE_WRITER_CACHE_KIB),
            "the writer's cache_size in KiB (negative)"
        );
        assert_eq!(
            number(&first, "PRAGMA temp_store").await,
            2,
            "the grouped writes' savepoints are kept in memory"
        );
        // A TEMP table is seen only by the connection that made it.
        first
            .execute_unprepared("CREATE TEMP TABLE mine (n INTEGER)")
            .await
            .expect("a temporary table");
        first.commit().await.expect("the first write commits");
        for _ in 0..5 {
            let next = begin_write(&db).await.expect("another write begins");
            next.execute_unprepared("INSERT INTO mine VALUES (1)")
                .await
                .expect("the next write is on the same connection");
            next.commit().await.expect("it commits");
        }
        assert!(
            db.execute_unprepared("INSERT INTO mine VALUES (1)")
                .await
                .is_err(),
            "reads and unqueued statements use the pool, not the writer"
        );
    }

    /// The one number a statement answers (SQLite).
    pub(in crate::infra::db) async fn number(c: &impl ConnectionTrait, sql: &str) -> i64 {
        let row = c
            .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .unwrap_or_else(|e| panic!("{sql} runs: {e}"))
            .unwrap_or_else(|| panic!("{sql} answers a row"));
        row.try_get_by_index(0)
            .unwrap_or_else(|e| panic!("{sql} answers a number: {e}"))
    }
}
