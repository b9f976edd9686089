//! Writing: [`begin_write`] and its [`WriteTxn`]. On SQLite the writers of this process queue
//! for their turn on the one writer connection, and a write that ends while others wait shares
//! its commit with them (group commit, issue #8, the deadline rush); on PostgreSQL each write is
//! a transaction of its own.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use super::Db;

/// How long a writer waits for its turn (this process's other writers, then SQLite's lock held
/// by another process) before giving up with "database is locked".
pub(super) const WRITE_WAIT: Duration = Duration::from_secs(10);

/// How the error of a writer that waited [`WRITE_WAIT`] in vain begins.
pub(super) const NO_TURN: &str = "database is locked: no turn to write";

/// How the error begins of a write undone because another write committed with it broke their
/// shared transaction (a retry goes in a new one).
pub(super) const GROUP_UNDONE: &str =
    "database is locked: undone with the writes committed together";

/// At most this many writes share one commit ([`begin_write`]).
const GROUP_WRITES: u32 = 64;

/// A group of writes takes no more writers once it has been open this long: the first of them
/// waits at most about this much longer for its commit than it would alone.
const GROUP_AGE: Duration = Duration::from_millis(10);

/// A write that handed the turn on with its group open commits the group itself after this
/// long, should no later writer have done so (the writer it counted on may have gone away).
const GROUP_LINGER: Duration = Duration::from_millis(20);

/// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: it takes the write
/// lock up front, so two transactions that read and then write cannot deadlock into "database
/// is locked". Keep such transactions short: on SQLite, other writers wait for them.
///
/// SQLite has one writer at a time, and a connection that finds the lock taken sleeps in its
/// busy handler (1, 2, 5, ... 100 ms) rather than being woken when the lock is free: with dozens
/// of writers at once (a deadline rush), most of the lock's time went to nobody while the
/// waiters slept, and each waiter held a pooled connection that readers needed. So the writers
/// of one process first queue here, in arrival order, for their turn on that database file;
/// the busy timeout still covers other processes (a second server on the same file).
///
/// Group commit (SQLite): a write that ends while others wait for the turn does not commit
/// alone. It leaves its changes in the open transaction and hands the turn on; the next writer
/// goes on in the same transaction behind a savepoint (so that undoing it undoes only its own
/// changes), and the transaction is committed once nobody waits, [`GROUP_WRITES`] have joined
/// or it has been open [`GROUP_AGE`]. [`WriteTxn::commit`] returns only when that commit has
/// been made: an acknowledged write is on disk, and a failed commit fails every write in it.
/// Each write saves a `BEGIN`, a `COMMIT` and a return of the connection to its pool, and an
/// `fsync` is shared by the group (issue #8, the deadline rush).
pub async fn begin_write(db: &Db) -> Result<WriteTxn, DbErr> {
    let (Some(writers), Some(writer)) = (sqlite_writers(db), db.writer.as_ref()) else {
        let txn = db.pool.begin().await?;
        return Ok(WriteTxn {
            inner: Some(Inner::Alone(txn)),
        });
    };
    let mut turn = {
        let _queued = Queued::join(&writers.waiting);
        tokio::time::timeout(WRITE_WAIT, writers.turn.clone().lock_owned())
            .await
            .map_err(|_| DbErr::Custom(format!("{NO_TURN} within {} s", WRITE_WAIT.as_secs())))?
    };
    let joins = match turn.as_ref() {
        Some(group) if group.db == db.id => true,
        Some(_) => {
            // Another pool's writer on the same file left its group open: commit it first.
            let _ = close(&mut turn).await;
            false
        }
        None => false,
    };
    if joins {
        if let Err(e) = group_txn(&turn)
            .execute_unprepared("SAVEPOINT member")
            .await
        {
            fail(&mut turn, &e).await;
            return Err(e);
        }
    } else {
        let txn = writer
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        static GROUPS: AtomicU64 = AtomicU64::new(0);
        *turn = Some(Group {
            txn,
            writer: writer.clone(),
            db: db.id,
            id: GROUPS.fetch_add(1, Ordering::Relaxed),
            opened: Instant::now(),
            writes: 0,
            outcome: tokio::sync::watch::channel(None).0,
        });
    }
    Ok(WriteTxn {
        inner: Some(Inner::Grouped {
            turn,
            writers,
            savepoint: joins,
        }),
    })
}

/// [`begin_write`], then the time: what a write is checked against and dated with is the moment
/// it may go ahead, not when its request arrived (it may have waited up to [`WRITE_WAIT`] for
/// its turn). Recorded dates thus follow the order in which writes are made and committed,
/// whatever the queue: a write dated before a deadline went in before any write dated after it
/// (opening the bids is one), though its commit, shared with the writes grouped with it, comes
/// a few milliseconds after its date (R-BID-02, R-TIME-01/02, R-CHAL-01, R-PAY-02).
pub async fn begin_write_at(
    db: &Db,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<(WriteTxn, chrono::DateTime<chrono::Utc>), DbErr> {
    let txn = begin_write(db).await?;
    Ok((txn, clock.now()))
}

/// The writers of one SQLite file in this process: their turn, which holds the transaction
/// a group of them shares while it is open, and how many wait for it.
#[derive(Default)]
struct Writers {
    turn: Arc<tokio::sync::Mutex<Option<Group>>>,
    waiting: AtomicUsize,
}

/// One transaction shared by the writes that follow one another in the turn.
struct Group {
    txn: DatabaseTransaction,
    /// The pool `txn` is on (its one connection), to replace after a failed commit.
    writer: DatabaseConnection,
    /// The [`Db`] whose writer connection it is on.
    db: u64,
    id: u64,
    opened: Instant,
    /// Writes kept in it so far.
    writes: u32,
    /// Set once it is committed or undone; the kept writes wait for it.
    outcome: tokio::sync::watch::Sender<Option<Result<(), DbErr>>>,
}

/// A writer counted in [`Writers::waiting`] while it waits for the turn.
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn join(waiting: &'a AtomicUsize) -> Self {
        waiting.fetch_add(1, Ordering::AcqRel);
        Queued(waiting)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

type Turn = tokio::sync::OwnedMutexGuard<Option<Group>>;

fn group_txn(turn: &Turn) -> &DatabaseTransaction {
    match turn.as_ref() {
        Some(group) => &group.txn,
        None => unreachable!("a writer holding the turn has a group open"),
    }
}

/// Commits the open group, if any, and tells the writes kept in it.
async fn close(turn: &mut Turn) -> Result<(), DbErr> {
    let Some(group) = turn.take() else {
        return Ok(());
    };
    let committed = group.txn.commit().await;
    if committed.is_err() {
        discard_writer(&group.writer).await;
    }
    group.outcome.send_replace(Some(committed.clone()));
    committed
}

/// After a failed `COMMIT` (a full disk, an I/O error) SQLite may keep the transaction open,
/// and the driver still counts it: every later write would then nest in it as a savepoint, be
/// acknowledged, and never be committed (seen with the real full-disk test: a registration
/// answered 200 after room was made, readers never saw it). The writer's one connection is
/// closed instead, so the pool opens a fresh one for the next write.
async fn discard_writer(writer: &DatabaseConnection) {
    match writer.get_sqlite_connection_pool().acquire().await {
        Ok(connection) => {
            if let Err(e) = connection.close().await {
                tracing::warn!(error = %e, "closing the writer after a failed commit");
            }
        }
        Err(e) => tracing::warn!(error = %e, "no writer to close after a failed commit"),
    }
}

/// [`close`] in a task of its own, so that a request given up meanwhile cannot stop a commit
/// other writes wait for halfway; the turn passes on when it is done.
fn close_apart(mut turn: Turn) -> tokio::task::JoinHandle<Result<(), DbErr>> {
    tokio::spawn(async move { close(&mut turn).await })
}

/// Waits for [`close_apart`]'s commit.
async fn closed(commit: tokio::task::JoinHandle<Result<(), DbErr>>) -> Result<(), DbErr> {
    commit
        .await
        .unwrap_or_else(|e| Err(DbErr::Custom(format!("committing the writes failed: {e}"))))
}

/// Undoes the whole group after its transaction broke (`cause`): the writes kept in it are told
/// to try again.
async fn fail(turn: &mut Turn, cause: &DbErr) {
    let Some(group) = turn.take() else {
        return;
    };
    let undone = undo_all(group.txn).await.err();
    tracing::warn!(
        error = %cause,
        rollback_error = ?undone,
        writes = group.writes,
        "a group of writes was undone"
    );
    group
        .outcome
        .send_replace(Some(Err(DbErr::Custom(format!("{GROUP_UNDONE}: {cause}")))));
}

/// Rolls `txn` back. Should SQLite have rolled it back already by itself (after some errors: a
/// full disk, an I/O error), a bare `ROLLBACK` would fail and leave the driver counting a
/// transaction that is gone, and every later `BEGIN` on the connection would fail with it: a
/// savepoint first makes sure there is a transaction to roll back.
async fn undo_all(txn: DatabaseTransaction) -> Result<(), DbErr> {
    txn.execute_unprepared("SAVEPOINT undo").await?;
    txn.rollback().await
}

/// Whether the writer holding `turn` should hand it on with the group open rather than commit.
fn hand_on(turn: &Turn, writers: &Writers) -> bool {
    turn.as_ref().is_some_and(|group| {
        writers.waiting.load(Ordering::Acquire) > 0
            && group.writes < GROUP_WRITES
            && group.opened.elapsed() < GROUP_AGE
    })
}

/// Keeps the changes of the writer holding `turn` and waits until they are committed.
async fn keep(mut turn: Turn, writers: Arc<Writers>) -> Result<(), DbErr> {
    let Some(group) = turn.as_mut() else {
        unreachable!("a writer holding the turn has a group open")
    };
    group.writes += 1;
    let id = group.id;
    let mut outcome = group.outcome.subscribe();
    if !hand_on(&turn, &writers) {
        return closed(close_apart(turn)).await;
    }
    drop(turn);
    let closer = async {
        tokio::time::sleep(GROUP_LINGER).await;
        writers.turn.clone().lock_owned().await
    };
    let told = |seen: &Option<Result<(), DbErr>>| {
        seen.clone().unwrap_or_else(|| {
            Err(DbErr::Custom(format!(
                "{GROUP_UNDONE}: its commit was not reported"
            )))
        })
    };
    let turn = tokio::select! {
        seen = outcome.wait_for(Option::is_some) => {
            let seen = seen.ok().and_then(|seen| Option::clone(&seen));
            return told(&seen);
        }
        turn = closer => turn,
    };
    if turn.as_ref().is_some_and(|group| group.id == id) {
        return closed(close_apart(turn)).await;
    }
    // Ended before the turn came back to this write: its outcome was set while it was held.
    drop(turn);
    let seen = outcome.borrow().clone();
    told(&seen)
}

/// Undoes the changes of the writer holding `turn`; the writes kept before it stay in the
/// group, which goes on or is committed.
async fn undo(mut turn: Turn, writers: Arc<Writers>, savepoint: bool) -> Result<(), DbErr> {
    if !savepoint {
        // The first write of its group: nothing else is in it.
        let Some(group) = turn.take() else {
            return Ok(());
        };
        return undo_all(group.txn).await;
    }
    if let Err(e) = group_txn(&turn)
        .execute_unprepared("ROLLBACK TO member")
        .await
    {
        fail(&mut turn, &e).await;
        return Err(e);
    }
    if !hand_on(&turn, &writers) {
        // The writes kept before it are committed without waiting for this one's caller (they
        // are told the outcome).
        drop(close_apart(turn));
    }
    Ok(())
}

/// The queue of this process's writers to the SQLite file behind `db` (None on PostgreSQL,
/// whose writers lock only the rows they change). One per file, however many pools open it.
fn sqlite_writers(db: &DatabaseConnection) -> Option<Arc<Writers>> {
    type Queues = HashMap<PathBuf, Arc<Writers>>;
    static QUEUES: LazyLock<std::sync::Mutex<Queues>> = LazyLock::new(Default::default);
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let mut queues = QUEUES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Some(queues.entry(file).or_default().clone())
}

/// A transaction begun by [`begin_write`]: used like a [`DatabaseTransaction`] (it is a
/// [`ConnectionTrait`]). On SQLite it holds this process's turn to write until it is committed,
/// rolled back or dropped.
pub struct WriteTxn {
    /// Taken out only by `commit`, `rollback` and `drop`, which end the WriteTxn.
    inner: Option<Inner>,
}

enum Inner {
    /// PostgreSQL: a transaction of its own.
    Alone(DatabaseTransaction),
    /// SQLite: the turn, and the group's transaction in it.
    Grouped {
        turn: Turn,
        writers: Arc<Writers>,
        /// Whether it joined a group (behind a savepoint) rather than opened it.
        savepoint: bool,
    },
}

impl WriteTxn {
    pub(super) fn txn(&self) -> &DatabaseTransaction {
        match &self.inner {
            Some(Inner::Alone(txn)) => txn,
            Some(Inner::Grouped { turn, .. }) => group_txn(turn),
            None => unreachable!("a WriteTxn is not used after it ends"),
        }
    }

    fn end(mut self) -> Inner {
        match self.inner.take() {
            Some(inner) => inner,
            None => unreachable!("a WriteTxn ends once"),
        }
    }

    /// Commits: returns once the changes are committed (on SQLite, with those of the writes
    /// grouped with it, see [`begin_write`]).
    pub async fn commit(self) -> Result<(), DbErr> {
        match self.end() {
            Inner::Alone(txn) => txn.commit().await,
            Inner::Grouped { turn, writers, .. } => keep(turn, writers).await,
        }
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        match self.end() {
            Inner::Alone(txn) => txn.rollback().await,
            Inner::Grouped {
                turn,
                writers,
                savepoint,
            } => undo(turn, writers, savepoint).await,
        }
    }
}

impl Drop for WriteTxn {
    /// A write abandoned by an error (`?`) is rolled back before the turn passes on. Dropping
    /// a `DatabaseTransaction` only queues its rollback, which runs when its connection is next
    /// used: the next writer's `BEGIN IMMEDIATE` would find SQLite still locked and sleep in the
    /// busy handler while the whole queue waits behind it (refusals are common in a payment
    /// race); and a write in a group must undo only its own changes.
    fn drop(&mut self) {
        let Some(inner) = self.inner.take() else {
            return;
        };
        match (inner, tokio::runtime::Handle::try_current()) {
            (
                Inner::Grouped {
                    turn,
                    writers,
                    savepoint,
                },
                Ok(runtime),
            ) => {
                runtime.spawn(async move {
                    if let Err(e) = undo(turn, writers, savepoint).await {
                        tracing::warn!(error = %e, "rolling back an abandoned write");
                    }
                });
            }
            // PostgreSQL, or no runtime left: sea-orm's own drop rolls back.
            (inner, _) => drop(inner),
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn().get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn().execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn().execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn().query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn().query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn().support_returning()
    }
}

#[cfg(test)]
mod tests {
    use super::super::connect::connect;
    use super::super::connect::tests::number;
    use super::super::errors::{unavailable, Unavailable};
    use super::*;

    async fn rows(db: &DatabaseConnection) -> i64 {
        number(db, "SELECT COUNT(*) FROM t").await
    }

    /// Writers waiting for SQLite's one write lock wait in this process's queue, holding no
    /// pooled connection: readers are still served, and every queued write goes in once the
    /// writer before it commits.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn queued_writers_leave_the_connections_to_readers() {
        // A pool of two connections (and the writer's).
        let (_dir, db) = table("queue").await;
        let first = writing(&db, 1).await;
        let queued: Vec<_> = (2..=5)
            .map(|n| {
                let db = db.clone();
                tokio::spawn(async move {
                    let txn = begin_write(&db).await?;
                    txn.execute_unprepared(&format!("INSERT INTO t VALUES ({n})"))
                        .await?;
                    txn.commit().await
                })
            })
            .collect();
        // Let the four others arrive and wait.
        tokio::time::sleep(Duration::from_millis(200)).await;

        // Without the queue, one of them would sit on the second connection in SQLite's busy
        // handler and this read would wait for a connection until the first writer finished.
        let read = tokio::time::timeout(Duration::from_secs(5), rows(&db))
            .await
            .expect("a reader was kept waiting by writers queued for the lock");
        assert_eq!(
            read, 0,
            "nothing is visible before the first writer commits"
        );

        first.commit().await.expect("the first writer commits");
        for writer in queued {
            writer
                .await
                .expect("the writer task")
                .expect("each queued write goes in after its turn");
        }
        assert_eq!(rows(&db).await, 5);
    }
    /// Waits until `n` writers wait for the turn on `db`'s file.
    async fn until_waiting(db: &Db, n: usize) {
        let writers = sqlite_writers(db).expect("SQLite");
        tokio::time::timeout(Duration::from_secs(10), async {
            while writers.waiting.load(Ordering::Acquire) < n {
                tokio::task::yield_now().await;
            }
        })
        .await
        .expect("the writers queue up");
    }

    async fn table(name: &str) -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/{name}.db", dir.path().display());
        let db = connect(&url, 2).await.expect("the database opens");
        db.execute_unprepared("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .await
            .expect("the table");
        (dir, db)
    }

    /// Begins a write and inserts `n` in it.
    async fn writing(db: &Db, n: i64) -> WriteTxn {
        let txn = begin_write(db).await.expect("a write begins");
        txn.execute_unprepared(&format!("INSERT INTO t VALUES ({n})"))
            .await
            .expect("an insert");
        txn
    }

    /// Issue #8 (group commit): a write that ends while another waits leaves its changes in the
    /// transaction the next writer goes on with, and its commit returns only once that
    /// transaction is committed: nothing is acknowledged before it is on disk.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_followed_by_another_is_committed_with_it_and_only_then_acknowledged() {
        let (_dir, db) = table("group").await;
        let first = writing(&db, 1).await;
        let (has_turn, turn_taken) = tokio::sync::oneshot::channel();
        let (go, may_commit) = tokio::sync::oneshot::channel::<()>();
        let second = tokio::spawn({
            let db = db.clone();
            async move {
                let txn = begin_write(&db).await?;
                txn.execute_unprepared("INSERT INTO t VALUES (2)").await?;
                let seen = number(&txn, "SELECT COUNT(*) FROM t").await;
                let _ = has_turn.send(seen);
                let _ = may_commit.await;
                txn.commit().await
            }
        });
        until_waiting(&db, 1).await;
        let first_commit = tokio::spawn(first.commit());
        let seen_by_second = turn_taken.await.expect("the second write has its turn");
        assert_eq!(
            seen_by_second, 2,
            "the second write goes on in the first's transaction"
        );
        assert_eq!(rows(&db).await, 0, "nothing is committed yet");
        tokio::time::sleep(GROUP_LINGER * 5).await;
        assert!(
            !first_commit.is_finished(),
            "the first write was acknowledged before it was committed"
        );
        go.send(()).expect("the second write waits");
        second
            .await
            .expect("the second task")
            .expect("the second write commits");
        first_commit
            .await
            .expect("the first task")
            .expect("the first write commits with it");
        assert_eq!(rows(&db).await, 2);
    }

    /// Issue #8 (group commit): of many writes grouped together, those undone (rolled back,
    /// abandoned by an error, or refused by a constraint) leave no trace, and every other is
    /// committed and visible as soon as its commit returns.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_undone_in_a_group_leave_the_others_committed() {
        let (_dir, db) = table("undone").await;
        let holder = writing(&db, 0).await;
        let writers: Vec<_> = (1..=30)
            .map(|n: i64| {
                let db = db.clone();
                tokio::spawn(async move {
                    let txn = writing(&db, n).await;
                    match n % 4 {
                        0 => txn.rollback().await.expect("rolled back"),
                        // Abandoned, as by `?` on an error.
                        1 => drop(txn),
                        2 => {
                            txn.execute_unprepared("INSERT INTO t VALUES (0)")
                                .await
                                .expect_err("the holder's row is already there");
                            drop(txn);
                        }
                        _ => {
                            txn.commit().await.expect("committed");
                            let mine = format!("SELECT COUNT(*) FROM t WHERE n = {n}");
                            let seen = number(&*db, &mine).await;
                            assert_eq!(seen, 1, "write {n} visible once acknowledged");
                            return Some(n);
                        }
                    }
                    None
                })
            })
            .collect();
        until_waiting(&db, 30).await;
        holder.commit().await.expect("the holder commits");
        let mut kept = vec![0];
        for writer in writers {
            kept.extend(writer.await.expect("a writer task"));
        }
        kept.sort();
        let rows_now = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT n FROM t ORDER BY n",
            ))
            .await
            .expect("the rows");
        let found: Vec<i64> = rows_now
            .iter()
            .map(|r| r.try_get_by_index(0).expect("a number"))
            .collect();
        assert_eq!(found, kept);
        assert_eq!(kept.len(), 1 + 7, "the holder and writes 3, 7, ... 27");
    }

    /// A group whose transaction SQLite dropped (as it may after a full disk or an I/O error)
    /// fails every write kept in it with an error that says to try again, and the next write
    /// works: the writer connection is not left counting a transaction that is gone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_broken_group_fails_its_writes_and_the_next_write_works() {
        let (_dir, db) = table("broken").await;
        let first = writing(&db, 1).await;
        let breaker = tokio::spawn({
            let db = db.clone();
            async move {
                let txn = begin_write(&db).await.expect("the second write begins");
                txn.execute_unprepared("ROLLBACK")
                    .await
                    .expect("the group's transaction goes away");
                txn.rollback().await
            }
        });
        until_waiting(&db, 1).await;
        let lost = first
            .commit()
            .await
            .expect_err("the first write went with the group");
        assert_eq!(unavailable(&lost), Some(Unavailable::Busy), "{lost}");
        breaker
            .await
            .expect("the second task")
            .expect_err("its savepoint went with the group");
        assert_eq!(rows(&db).await, 0);

        // The same for a write alone whose transaction went away.
        let alone = begin_write(&db).await.expect("a write begins");
        alone
            .execute_unprepared("ROLLBACK")
            .await
            .expect("its transaction goes away");
        alone.rollback().await.expect("rolled back all the same");

        let next = begin_write(&db).await.expect("the next write begins");
        next.execute_unprepared("INSERT INTO t VALUES (3)")
            .await
            .expect("the next write");
        next.commit().await.expect("it commits");
        assert_eq!(rows(&db).await, 1);
    }
}
