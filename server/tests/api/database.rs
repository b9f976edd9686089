//! The database as configured for a web server, on both backends.

use crate::helpers::{
    fresh_database, spawn_app, spawn_app_with, test_settings, Backend, SUPPLIER_PASSWORD,
};
use crate::on_both_backends;
use app::domain::{Money, OrganisationId, TenderId};
use app::infra::entities::{organisation, tender};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, Statement};
use std::sync::Arc;

on_both_backends!(
    money_is_stored_exactly_at_the_limits,
    migrations_are_idempotent_and_survive_concurrent_starts,
    demo_seed_is_idempotent,
    documents_are_recorded_with_their_digest,
);

async fn money_is_stored_exactly_at_the_limits(backend: Backend) {
    let app = spawn_app(backend).await;
    let now = crate::helpers::test_start();
    let agency = OrganisationId::new();
    organisation::ActiveModel {
        id: Set(agency.0),
        kind: Set("agency".into()),
        name: Set("测试采购人".into()),
        credit_code: Set(None),
        created_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap();
    for fen in [1, 10, 123_456_789, Money::MAX_FEN] {
        let id = TenderId::new();
        let budget = Money::from_fen(fen);
        tender::ActiveModel {
            id: Set(id.0),
            agency_id: Set(agency.0),
            title: Set("t".into()),
            description: Set("d".into()),
            category: Set("goods".into()),
            method: Set("open_tender".into()),
            region: Set("r".into()),
            budget_fen: Set(budget.to_fen()),
            status: Set("draft".into()),
            bid_deadline: Set(now),
            published_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        let back = tender::Entity::find_by_id(id.0)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            Money::from_fen(back.budget_fen),
            budget,
            "{backend:?} {fen}"
        );
    }
}

async fn migrations_are_idempotent_and_survive_concurrent_starts(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(backend, dir.path()).await;
    let url = database.url.clone();
    // Two servers start at once against one empty database.
    let (a, b) = (
        test_settings(url.clone(), dir.path()),
        test_settings(url.clone(), dir.path()),
    );
    let clock = Arc::new(app::domain::SystemClock);
    let (first, second) = tokio::join!(
        server::Application::build(&a, clock.clone()),
        server::Application::build(&b, clock.clone())
    );
    let first = first.expect("first server starts");
    second.expect("second server starts");
    // A restart finds nothing to do.
    server::Application::build(&a, clock)
        .await
        .expect("restart");
    let applied = first
        .state()
        .db
        .query_one_raw(Statement::from_string(
            first.state().db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    use migrations::MigratorTrait;
    assert_eq!(applied as usize, migrations::Migrator::migrations().len());
}

async fn demo_seed_is_idempotent(backend: Backend) {
    let app = spawn_app(backend).await;
    let now = crate::helpers::test_start();
    use app::services::seed::{seed_demo, SeedOutcome};
    assert_eq!(
        seed_demo(&app.db, now).await.unwrap(),
        SeedOutcome::Seeded { tenders: 3 }
    );
    assert_eq!(
        seed_demo(&app.db, now).await.unwrap(),
        SeedOutcome::AlreadyPresent
    );
    assert_eq!(tender::Entity::find().all(&app.db).await.unwrap().len(), 4);
}

#[tokio::test]
async fn sqlite_is_set_up_for_a_web_server() {
    let app = spawn_app(Backend::Sqlite).await;
    let backend = app.db.get_database_backend();
    let pragma = |name: &str| {
        let db = app.db.clone();
        let sql = format!("PRAGMA {name}");
        async move {
            let row = db
                .query_one_raw(Statement::from_string(backend, sql))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .unwrap()
        }
    };
    assert_eq!(pragma("journal_mode").await, "wal");
    assert_eq!(pragma("foreign_keys").await, "1");
    assert_eq!(pragma("busy_timeout").await, "10000");
    // Foreign keys are enforced: a tender must belong to an existing agency.
    let now = crate::helpers::test_start();
    let orphan = tender::ActiveModel {
        id: Set(TenderId::new().0),
        agency_id: Set(OrganisationId::new().0),
        title: Set("t".into()),
        description: Set("d".into()),
        category: Set("goods".into()),
        method: Set("open_tender".into()),
        region: Set("r".into()),
        budget_fen: Set(1),
        status: Set("draft".into()),
        bid_deadline: Set(now),
        published_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    assert!(orphan.insert(&app.db).await.is_err());
}

/// `PRAGMA synchronous` on the reading pool and on the writer: 1 is NORMAL, 2 is FULL.
async fn synchronous(app: &crate::helpers::TestApp) -> (i64, i64) {
    let sql = || Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA synchronous");
    let read = app.db.query_one_raw(sql()).await.unwrap().unwrap();
    let txn = app::infra::db::begin_write(&app.db).await.unwrap();
    let write = txn.query_one_raw(sql()).await.unwrap().unwrap();
    txn.commit().await.unwrap();
    (
        read.try_get_by_index::<i64>(0).unwrap(),
        write.try_get_by_index::<i64>(0).unwrap(),
    )
}

#[tokio::test]
async fn sqlite_commits_are_made_durable_against_a_power_cut_when_the_operator_asks() {
    // By default a commit survives the process being killed (bench crash), not a power cut.
    let app = spawn_app(Backend::Sqlite).await;
    assert_eq!(synchronous(&app).await, (1, 1));
    // `sqlite_durable`: every connection syncs at each commit, the writer above all.
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, |s| s.sqlite_durable = true).await;
    assert_eq!(synchronous(&app).await, (2, 2));
    let client = app.new_client();
    app.register_supplier(&client, "落盘公司", "91330106MA2B00081")
        .await;
}

async fn documents_are_recorded_with_their_digest(backend: Backend) {
    use app::infra::entities::document;
    use app::infra::storage::{save_document, DocumentStore};
    let app = spawn_app(backend).await;
    let store = DocumentStore::in_memory(1024);
    let now = crate::helpers::test_start();
    let pdf = bytes::Bytes::from_static(b"%PDF-1.7\n%%EOF\n");
    let (id, stored) = save_document(&app.db, &store, pdf.clone(), "../../投标文件.pdf", now)
        .await
        .unwrap();
    let row = document::Entity::find_by_id(id.0)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.sha256, stored.sha256);
    assert_eq!(row.size_bytes, pdf.len() as i64);
    assert_eq!(row.content_type, "application/pdf");
    assert_eq!(row.original_name, "投标文件.pdf");
    assert_eq!(store.get(&row.storage_key).await.unwrap(), pdf);

    // A refused file is neither stored nor recorded.
    let exe =
        bytes::Bytes::from_static(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00");
    let err = save_document(&app.db, &store, exe, "setup.pdf", now)
        .await
        .unwrap_err();
    assert_eq!(err.status(), 422);
    assert_eq!(
        document::Entity::find().all(&app.db).await.unwrap().len(),
        1
    );
}

/// Issue #9: `server backup` copies the SQLite database while the server goes on writing; the
/// copy restores as a working database holding everything committed before it began, nothing
/// half-written, and an audit chain that verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_made_while_firms_register_restores_whole_with_its_audit_chain() {
    use app::infra::entities::person;
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    let app = Arc::new(spawn_app(Backend::Sqlite).await);
    let before: Vec<String> = {
        let mut emails = Vec::new();
        for i in 0..3 {
            emails.push(
                app.register_supplier(
                    &app.new_client(),
                    &format!("备份前{i}号"),
                    &format!("91330106MA2B0000{i}"),
                )
                .await,
            );
        }
        emails
    };
    let entries_before = app::infra::audit::verify_chain(&app.db).await.unwrap();

    // Firms keep registering while the copy is written.
    let writers = (0..8)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                app.register_supplier(
                    &app.new_client(),
                    &format!("备份中{i}号"),
                    &format!("91330106MA2B0001{i}"),
                )
                .await
            })
        })
        .collect::<Vec<_>>();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    let backup = app::infra::backup::sqlite(&app.db, &copy)
        .await
        .expect("the backup is written and checked");
    for w in writers {
        w.await
            .expect("every registration during the backup succeeds");
    }
    assert!(backup.bytes > 0);
    assert!(
        backup.audit_entries >= entries_before,
        "the copy holds every entry committed before it: {} < {entries_before}",
        backup.audit_entries
    );

    // Restore: a server started on the copy.
    let restored_url = format!("sqlite://{}", copy.display());
    let restored = spawn_app_with(Backend::Sqlite, |s| s.database_url = restored_url).await;
    assert_eq!(
        app::infra::audit::verify_chain(&restored.db).await.unwrap(),
        backup.audit_entries
    );
    for email in &before {
        // Signing in works on the restored server (asserts a 200 inside).
        restored.sign_in(email, SUPPLIER_PASSWORD).await;
    }
    // Nothing half-written: every supplier firm in the copy came with its owner.
    let firms = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("supplier"))
        .count(&restored.db)
        .await
        .unwrap();
    let owners = person::Entity::find()
        .filter(person::Column::Role.eq("supplier_owner"))
        .count(&restored.db)
        .await
        .unwrap();
    assert!(firms >= 3, "{firms}");
    assert_eq!(firms, owners);

    // A second backup to the same file is refused, and the first is left as it was.
    let refused = app::infra::backup::sqlite(&app.db, &copy).await;
    assert!(matches!(
        refused,
        Err(app::infra::backup::BackupError::Exists(_))
    ));
}

/// (`cargo xtask test` skips the tests under a `postgres` path when no PostgreSQL answers.)
mod backup_on_postgres {
    use crate::helpers::{spawn_app, Backend};

    /// PostgreSQL is backed up with pg_dump: the command says so instead of copying nothing.
    #[tokio::test]
    async fn the_backup_command_sends_postgresql_to_pg_dump() {
        let app = spawn_app(Backend::Postgres).await;
        let dir = tempfile::tempdir().unwrap();
        let refused = app::infra::backup::sqlite(&app.db, &dir.path().join("pg.db")).await;
        let message = refused.expect_err("refused").to_string();
        assert!(message.contains("pg_dump"), "{message}");
        assert!(!dir.path().join("pg.db").exists());
    }
}

/// Two servers on one PostgreSQL database (issue #9), as a scaled-out deployment runs.
mod two_servers_on_postgres {
    use std::sync::Arc;

    use crate::helpers::{credit_code, fresh_database, test_settings, Backend, SUPPLIER_PASSWORD};

    /// Both start at once (their migrations queue on one lock); firms registering through both
    /// at the same moment are all kept, each can sign in through the other server, and the
    /// audit entries both wrote form one unbroken chain.
    #[tokio::test]
    async fn firms_registering_through_both_at_once_are_kept_on_one_audit_chain() {
        let dir = tempfile::tempdir().unwrap();
        let database = fresh_database(Backend::Postgres, dir.path()).await;
        let clock = Arc::new(app::domain::SystemClock);
        let settings = test_settings(database.url.clone(), dir.path());
        let (a, b) = tokio::join!(
            server::Application::build(&settings, clock.clone()),
            server::Application::build(&settings, clock.clone())
        );
        let (a, b) = (a.expect("first server"), b.expect("second server"));
        let db = a.state().db.clone();
        let servers = [
            format!("http://127.0.0.1:{}", a.port()),
            format!("http://127.0.0.1:{}", b.port()),
        ];
        tokio::spawn(a.run_until_stopped());
        tokio::spawn(b.run_until_stopped());

        let client = reqwest::Client::new();
        let register = |i: usize| {
            let (client, server) = (client.clone(), servers[i % 2].clone());
            async move {
                let code = credit_code(&format!("91330106MA2B{i:05}"));
                let response = client
                    .post(format!("{server}/api/register"))
                    .header("origin", &server)
                    .form(&[
                        ("form[organisation_name]", format!("双服务器{i}号公司")),
                        ("form[credit_code]", code),
                        ("form[contact_name]", "陈小溪".to_string()),
                        ("form[email]", format!("owner{i}@two.example.cn")),
                        ("form[password]", SUPPLIER_PASSWORD.to_string()),
                    ])
                    .send()
                    .await
                    .unwrap();
                (i, response.status())
            }
        };
        let firms = 16;
        let mut registering = tokio::task::JoinSet::new();
        for i in 0..firms {
            registering.spawn(register(i));
        }
        while let Some(done) = registering.join_next().await {
            let (i, status) = done.expect("a registration ran");
            assert_eq!(status, 200, "firm {i}");
        }
        // Each firm signs in through the server it did not register with.
        for i in 0..firms {
            let server = &servers[(i + 1) % 2];
            let response = client
                .post(format!("{server}/api/login"))
                .header("origin", server)
                .form(&[
                    ("email", format!("owner{i}@two.example.cn")),
                    ("password", SUPPLIER_PASSWORD.to_string()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "firm {i} through the other server");
        }
        let checked = app::infra::audit::verify_chain(&db)
            .await
            .expect("one unbroken chain");
        assert!(
            checked >= firms as u64,
            "every registration audited: {checked} entries"
        );
    }
}
