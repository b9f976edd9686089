//! Several statements sent to the database in one go (issue #8). Inside SQLite's write turn
//! every call to the connection is a hand-off to SQLite's own thread and back to the request's
//! task (~50 µs under load, most of it waiting to be scheduled), and the whole queue of writers
//! waits for each one: a bid submission made ten such calls. On SQLite the statements of a
//! batch go in one call, as one SQL text that SQLite runs statement after statement; on
//! PostgreSQL (which takes one statement per call with parameters) one after another, with
//! the same results.

use std::marker::PhantomData;

use sea_orm::sea_query::{Alias, Expr, SelectStatement};
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, QueryResult, QueryTrait,
    Select, Statement, Value,
};

use super::audit;
use super::entities::audit_log;

/// The column that tells, on SQLite, which query of a batch a row answers.
const PART: &str = "batch_part";

/// SELECTs read together: add each, [`Reads::run`] them, then take each answer from
/// [`Found`] with the [`Part`] its query was given.
#[derive(Default)]
pub struct Reads {
    queries: Vec<SelectStatement>,
}

/// The place of one query in its batch, and the row type it is read as.
pub struct Part<M> {
    index: usize,
    rows: PhantomData<fn() -> M>,
}

impl Reads {
    /// The rows of `E` that `select` finds.
    pub fn select<E: EntityTrait>(&mut self, select: Select<E>) -> Part<E::Model> {
        self.select_as(select)
    }

    /// The rows `query` finds, read as `M` (for a query of some columns only).
    pub fn select_as<M: FromQueryResult>(
        &mut self,
        query: impl QueryTrait<QueryStatement = SelectStatement>,
    ) -> Part<M> {
        self.queries.push(query.into_query());
        Part {
            index: self.queries.len() - 1,
            rows: PhantomData,
        }
    }

    pub async fn run(self, conn: &impl ConnectionTrait) -> Result<Found, DbErr> {
        let backend = conn.get_database_backend();
        let mut rows: Vec<Vec<QueryResult>> = self.queries.iter().map(|_| Vec::new()).collect();
        if backend == DbBackend::Sqlite && self.queries.len() > 1 {
            let tagged = self
                .queries
                .into_iter()
                .enumerate()
                .map(|(index, mut query)| {
                    let index = i64::try_from(index).unwrap_or(i64::MAX);
                    query.expr_as(Expr::val(index), Alias::new(PART));
                    backend.build(&query)
                });
            for row in conn.query_all_raw(joined(backend, tagged)).await? {
                let part: i64 = row.try_get("", PART)?;
                match usize::try_from(part).ok().and_then(|i| rows.get_mut(i)) {
                    Some(answer) => answer.push(row),
                    None => return Err(DbErr::Custom(format!("a batch read part {part}"))),
                }
            }
        } else {
            for (query, answer) in self.queries.iter().zip(&mut rows) {
                *answer = conn.query_all_raw(backend.build(query)).await?;
            }
        }
        Ok(Found { rows })
    }
}

/// The answers of a batch of reads.
pub struct Found {
    rows: Vec<Vec<QueryResult>>,
}

impl Found {
    /// Every row `part`'s query found, in its order.
    pub fn all<M: FromQueryResult>(&mut self, part: Part<M>) -> Result<Vec<M>, DbErr> {
        std::mem::take(&mut self.rows[part.index])
            .iter()
            .map(|row| M::from_query_result(row, ""))
            .collect()
    }

    /// The first row `part`'s query found, if any.
    pub fn first<M: FromQueryResult>(&mut self, part: Part<M>) -> Result<Option<M>, DbErr> {
        Ok(self.all(part)?.into_iter().next())
    }
}

/// INSERTs, UPDATEs and DELETEs made together: [`Writes::run`] returns how many rows they
/// changed in all. On SQLite a failing statement stops the batch with the ones before it
/// done: the caller's transaction (rolled back on the error) is what makes it all or nothing.
pub struct Writes {
    backend: DbBackend,
    statements: Vec<Statement>,
    audit: Option<(audit::Draft, Option<audit_log::Model>)>,
}

impl Writes {
    pub fn on(conn: &impl ConnectionTrait) -> Writes {
        Writes {
            backend: conn.get_database_backend(),
            statements: Vec::new(),
            audit: None,
        }
    }

    pub fn add(&mut self, statement: impl QueryTrait) -> &mut Writes {
        self.statements
            .push(self.backend.build(&statement.into_query()));
        self
    }

    /// Appends `draft` to the audit log after the other statements (its row counts as one
    /// changed). `end` is the chain's last entry ([`audit::end_query`]) as read earlier in this
    /// same write transaction, with no entry appended since. On SQLite, where that
    /// transaction has held the only write lock since, the entry is linked to it and goes in
    /// the batch. On PostgreSQL it is appended as [`audit::record`] does, under the append lock:
    /// taken any earlier, that lock would be held while this write waits for the rows it
    /// changes, and a write holding those rows would wait for the lock (a deadlock).
    pub fn audit(&mut self, draft: audit::Draft, end: Option<audit_log::Model>) -> &mut Writes {
        self.audit = Some((draft, end));
        self
    }

    pub async fn run(mut self, conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
        let mut append = None;
        match self.audit.take() {
            Some((draft, end)) if self.backend == DbBackend::Sqlite => {
                let linked = audit_log::Entity::insert(draft.linked(end));
                self.add(linked);
            }
            Some((draft, _)) => append = Some(draft),
            None => {}
        }
        let mut changed = 0;
        if self.backend == DbBackend::Sqlite && self.statements.len() > 1 {
            changed = conn
                .execute_raw(joined(self.backend, self.statements))
                .await?
                .rows_affected();
        } else {
            for statement in self.statements {
                changed += conn.execute_raw(statement).await?.rows_affected();
            }
        }
        if let Some(draft) = append {
            audit::append(conn, draft).await?;
            changed += 1;
        }
        Ok(changed)
    }
}

/// One SQL text of `statements`, one after another, with their values in order (SQLite's `?`
/// placeholders are not numbered: each statement binds the values after the previous one's).
fn joined(backend: DbBackend, statements: impl IntoIterator<Item = Statement>) -> Statement {
    let mut sql = String::new();
    let mut values: Vec<Value> = Vec::new();
    for statement in statements {
        sql.push_str(&statement.sql);
        sql.push_str(";\n");
        values.extend(statement.values.map(|v| v.0).unwrap_or_default());
    }
    Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use sea_orm::entity::prelude::*;
    use sea_orm::{
        Database, DatabaseConnection, QueryOrder, QuerySelect, Schema, Set, TransactionTrait,
    };

    use super::*;

    mod note {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "note")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: i32,
            pub kind: String,
            pub body: String,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    #[derive(Debug, PartialEq, FromQueryResult)]
    struct Id {
        id: i32,
    }

    fn row(id: i32, kind: &str, body: &str) -> note::ActiveModel {
        note::ActiveModel {
            id: Set(id),
            kind: Set(kind.into()),
            body: Set(body.into()),
        }
    }

    /// An in-memory SQLite database with the notes 1 (a), 2 (b), 3 (a), and a count of the
    /// calls made to it.
    async fn notes() -> (DatabaseConnection, Arc<AtomicUsize>) {
        let mut db = Database::connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        let schema = Schema::new(DbBackend::Sqlite);
        db.execute(&schema.create_table_from_entity(note::Entity))
            .await
            .expect("the note table");
        note::Entity::insert_many([row(1, "a", "one"), row(2, "b", "two"), row(3, "a", "three")])
            .exec(&db)
            .await
            .expect("three notes");
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        db.set_metric_callback(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        (db, calls)
    }

    /// Issue #8: the queries of a batch are answered in one call on SQLite, each with its own
    /// rows (values bound to the right query, whatever their number and type).
    #[tokio::test]
    async fn reads_answer_each_query_with_its_own_rows_in_one_call() {
        let (db, calls) = notes().await;
        let mut reads = Reads::default();
        let kind_a = reads.select(
            note::Entity::find()
                .filter(note::Column::Kind.eq("a"))
                .order_by_asc(note::Column::Id),
        );
        let none = reads.select(note::Entity::find_by_id(99));
        let ids_of_b = reads.select_as::<Id>(
            note::Entity::find()
                .select_only()
                .column(note::Column::Id)
                .filter(note::Column::Kind.eq("b"))
                .filter(note::Column::Body.ne("")),
        );
        let second = reads.select(note::Entity::find_by_id(2));
        let mut found = reads.run(&db).await.expect("the batch reads");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "one call for four queries");
        let bodies: Vec<String> = found
            .all(kind_a)
            .expect("notes of kind a")
            .into_iter()
            .map(|n| n.body)
            .collect();
        assert_eq!(bodies, ["one", "three"]);
        assert_eq!(found.first(none).expect("no note 99"), None);
        assert_eq!(found.all(ids_of_b).expect("ids"), [Id { id: 2 }]);
        assert_eq!(
            found.first(second).expect("note 2").map(|n| n.body),
            Some("two".to_string())
        );
    }

    /// Issue #8: writes in one call, the rows they changed counted together; one that fails
    /// stops the batch with an error, and the transaction's rollback undoes all of it.
    #[tokio::test]
    async fn writes_go_in_one_call_and_a_failed_one_is_undone_with_its_transaction() {
        let (db, calls) = notes().await;
        let txn = db.begin().await.expect("a transaction");
        let mut writes = Writes::on(&txn);
        writes
            .add(note::Entity::insert(row(4, "b", "four")))
            .add(
                note::Entity::update_many()
                    .col_expr(note::Column::Body, Expr::value("edited"))
                    .filter(note::Column::Kind.eq("a")),
            )
            .add(note::Entity::delete_by_id(2));
        let before = calls.load(Ordering::SeqCst);
        assert_eq!(writes.run(&txn).await.expect("the writes"), 1 + 2 + 1);
        assert_eq!(calls.load(Ordering::SeqCst), before + 1, "one call");
        txn.commit().await.expect("commits");
        let ids: Vec<i32> = note::Entity::find()
            .filter(note::Column::Body.eq("edited"))
            .all(&db)
            .await
            .expect("notes")
            .into_iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(ids, [1, 3]);
        assert_eq!(note::Entity::find().count(&db).await.expect("count"), 3);

        let txn = db.begin().await.expect("a transaction");
        let mut writes = Writes::on(&txn);
        writes
            .add(note::Entity::insert(row(5, "c", "five")))
            // Note 1 exists: the primary key refuses it.
            .add(note::Entity::insert(row(1, "c", "again")));
        assert!(writes.run(&txn).await.is_err(), "the second insert fails");
        txn.rollback().await.expect("rolls back");
        assert_eq!(
            note::Entity::find_by_id(5).one(&db).await.expect("a read"),
            None,
            "the insert before the failed one is undone with the transaction"
        );
    }

    /// R-REC-01 with issue #8's batches: entries appended in a write's batch (linked to the
    /// chain's end read in the same write) and by `audit::record` form one chain that verifies.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn audit_entries_in_batches_extend_one_chain() {
        use crate::infra::db::{begin_write, connect, migrate};
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = connect(&format!("sqlite://{}/audit.db", dir.path().display()), 2)
            .await
            .expect("the database opens");
        migrate(&db).await.expect("the schema");
        let draft = |n: u32| {
            audit::Draft::new(
                chrono::Utc::now(),
                audit::Actor::default(),
                "test.batch",
                "test",
                n,
                &n,
            )
        };
        for n in 0..6 {
            let txn = begin_write(&db).await.expect("a write");
            if n % 3 == 2 {
                audit::record(
                    &txn,
                    chrono::Utc::now(),
                    audit::Actor::default(),
                    "test",
                    "t",
                    n,
                    &n,
                )
                .await
                .expect("an entry recorded alone");
            } else {
                let mut reads = Reads::default();
                let end = reads.select(audit::end_query());
                let before = reads.select(audit_log::Entity::find());
                let mut found = reads.run(&txn).await.expect("the reads");
                assert_eq!(found.all(before).expect("entries").len(), n as usize);
                let mut writes = Writes::on(&txn);
                writes.audit(draft(n), found.first(end).expect("the end"));
                assert_eq!(writes.run(&txn).await.expect("the entry"), 1);
            }
            txn.commit().await.expect("commits");
        }
        assert_eq!(
            audit::verify_chain(&db).await.expect("the chain verifies"),
            6
        );
    }
}
