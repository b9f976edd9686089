//! The database: connecting to it (SQLite embedded, PostgreSQL in production), writing to it,
//! and migrating it.
//!
//! - `connect.rs`: opening the pool (and, on SQLite, the one writer connection), checking the URL
//!   ([`connect()`]).
//! - `group_commit.rs`: [`begin_write`] and its [`WriteTxn`]. On SQLite this process's writers
//!   queue for their turn on the one writer connection, and writes that follow one another
//!   share a commit (group commit, issue #8); on PostgreSQL each write is a transaction of its own.
//! - `errors.rs`: which database errors a retry can cure ([`unavailable`]).
//!
//! This file holds [`Db`] itself and [`migrate`].

mod connect;
mod errors;
mod group_commit;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, Statement,
};

pub use connect::{
    connect, connect_with, redact, Backend, ConnectError, Durability, SQLITE_CACHE_KIB,
    SQLITE_WRITER_CACHE_KIB,
};
pub use errors::{unavailable, Unavailable};
pub use group_commit::{begin_write, begin_write_at, WriteTxn};

/// The database: a pool of connections, and on SQLite one more connection that every write of
/// this process goes through ([`begin_write`]). Used like the pool (it dereferences to it and
/// is a [`ConnectionTrait`] that reads through it).
#[derive(Clone, Debug)]
pub struct Db {
    pool: DatabaseConnection,
    /// SQLite only: a pool of one connection, used only inside the writers' queue.
    writer: Option<DatabaseConnection>,
    /// Tells this database's writer from another pool's on the same file (their writes are
    /// never grouped in one transaction).
    id: u64,
}

impl Db {
    /// SQLite: the one connection every write of this process goes through, outside the
    /// writers' queue (for a setting of that connection alone, as the fault tests make; writes
    /// go through [`begin_write`]). None on PostgreSQL.
    pub fn writer(&self) -> Option<&DatabaseConnection> {
        self.writer.as_ref()
    }

    /// Closes every connection.
    pub async fn close(self) -> Result<(), DbErr> {
        if let Some(writer) = self.writer {
            writer.close().await?;
        }
        self.pool.close().await
    }
}

impl std::ops::Deref for Db {
    type Target = DatabaseConnection;

    fn deref(&self) -> &DatabaseConnection {
        &self.pool
    }
}
/// Reads go through the pool.
#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.pool.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.pool.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.pool.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.pool.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.pool.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.pool.support_returning()
    }
}

/// A fixed key for the PostgreSQL advisory lock that serialises migrations.
const MIGRATION_LOCK_KEY: i64 = 0x6661_6972_7465_6e64; // "fairtend"

/// Applies pending migrations in one transaction. Safe when several servers start at once: on
/// PostgreSQL they queue on an advisory lock, on SQLite on the write lock, and the later ones
/// find nothing left to do.
pub async fn migrate(db: &Db) -> Result<(), DbErr> {
    let txn = begin_write(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
        ))
        .await?;
    }
    Migrator::up(txn.txn(), None).await?;
    let indexed = crate::infra::search::index_missing(&txn).await?;
    if indexed > 0 {
        tracing::info!(indexed, "published tenders added to the search index");
    }
    txn.commit().await
}
