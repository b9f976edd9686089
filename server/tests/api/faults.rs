//! Faults under the server (issue #9): a database that cannot be written to (its disk full, made
//! read-only) and a PostgreSQL whose connections are cut. Requests fail with 503 and a retry
//! hint, in both languages; nothing acknowledged is lost, nothing refused is half-saved, and the
//! server carries on by itself once the database is back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::infra::entities::{organisation, person};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};

use crate::helpers::{spawn_app, spawn_app_with, Backend, TestApp, SUPPLIER_PASSWORD};

/// What a supplier's registration got: status, body, `Retry-After`.
struct Answer {
    status: u16,
    body: String,
    retry_after: Option<String>,
}

async fn register(app: &TestApp, name: &str, code17: &str) -> Answer {
    let code = crate::helpers::credit_code(code17);
    let email = format!("owner@{}.example.cn", code17.to_lowercase());
    let response = app
        .new_client()
        .post(format!("{}/api/register", app.address))
        .header("origin", &app.address)
        .form(&[
            ("form[organisation_name]", name),
            ("form[credit_code]", &code),
            ("form[contact_name]", "陈小溪"),
            ("form[email]", &email),
            ("form[password]", SUPPLIER_PASSWORD),
        ])
        .send()
        .await
        .expect("the server answers");
    Answer {
        status: response.status().as_u16(),
        retry_after: response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string()),
        body: response.text().await.unwrap(),
    }
}

/// Registers firms `公司<first>`, `公司<first + 1>`, ... until one is refused; returns how
/// many firms there are then (the one registered before, `first - 1`, and those accepted here)
/// and the refusal.
async fn register_until_refused(app: &TestApp, first: usize) -> (usize, Answer) {
    let mut next = first;
    loop {
        let answer = register(app, &format!("公司{next}"), &code17(next)).await;
        if answer.status != 200 {
            return (next, answer);
        }
        next += 1;
        assert!(next < 5_000, "the disk never filled");
    }
}

fn code17(i: usize) -> String {
    format!("91110000{i:09}")
}

/// Runs `pragma` on the server's own writing connection (the one every write goes through).
async fn on_the_writer(app: &TestApp, pragma: &str) {
    app.db
        .writer()
        .expect("SQLite has a writer")
        .execute_unprepared(pragma)
        .await
        .unwrap();
}

async fn supplier_firms(app: &TestApp) -> u64 {
    organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("supplier"))
        .count(&app.db)
        .await
        .unwrap()
}

/// A server function's caller (a script, an island) gets 503, the retry hint and the error;
/// the page shows it in the reader's language (`AppError::message`).
fn assert_unavailable(answer: &Answer, what: &str) {
    assert_eq!(answer.status, 503, "{what}: {}", answer.body);
    assert_eq!(answer.retry_after.as_deref(), Some("5"), "{what}");
    assert_eq!(
        serde_json::from_str::<app::error::AppError>(&answer.body).ok(),
        Some(app::error::AppError::Unavailable),
        "{what}: {}",
        answer.body
    );
}

/// A browser without JavaScript registers through the page's form; returns the page it is
/// sent back to, as it then shows.
async fn register_without_javascript(app: &TestApp, code17: &str) -> String {
    let browser = app.new_client();
    let code = crate::helpers::credit_code(code17);
    let email = format!("owner@{}.example.cn", code17.to_lowercase());
    let form = [
        ("form[organisation_name]", "无脚本公司"),
        ("form[credit_code]", code.as_str()),
        ("form[contact_name]", "陈小溪"),
        ("form[email]", email.as_str()),
        ("form[password]", SUPPLIER_PASSWORD),
    ];
    let (status, location) =
        crate::server_functions::plain_form_post(app, &browser, "register", "/register", &form)
            .await;
    assert_eq!(status, 302);
    assert!(location.contains("/register?"), "{location}");
    app.page_as(&browser, &location).await
}

/// The one value SQLite's `pragma` answers, read through the pool.
async fn sqlite_pragma<T: sea_orm::TryGetable>(app: &TestApp, pragma: &str) -> T {
    app.db
        .query_one_raw(Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            format!("PRAGMA {pragma}"),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("PRAGMA {pragma} answers a row"))
        .try_get_by_index::<T>(0)
        .unwrap()
}

/// Nothing half-written: every firm came with its owner, the file is sound and the audit chain
/// verifies.
async fn assert_whole(app: &TestApp) {
    let owners = person::Entity::find()
        .filter(person::Column::Role.eq("supplier_owner"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(supplier_firms(app).await, owners);
    if app.db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        assert_eq!(sqlite_pragma::<String>(app, "integrity_check").await, "ok");
    }
    app::infra::audit::verify_chain(&app.db)
        .await
        .expect("the audit chain verifies");
}

#[tokio::test]
async fn a_full_disk_refuses_writes_clearly_and_keeps_what_was_saved() {
    let app = spawn_app(Backend::Sqlite).await;
    assert_eq!(register(&app, "满盘之前", &code17(0)).await.status, 200);
    // The file may not grow by a page more: what SQLite answers when the disk is full
    // (SQLITE_FULL), at the moment a write first needs a new page.
    let pages: i64 = sqlite_pragma(&app, "page_count").await;
    on_the_writer(&app, &format!("PRAGMA max_page_count = {pages}")).await;
    let (accepted, refused) = register_until_refused(&app, 1).await;
    assert_unavailable(&refused, "a registration on a full disk");
    let page = register_without_javascript(&app, &code17(accepted)).await;
    assert!(
        page.contains("服务暂时不可用，请稍后重试。"),
        "the form's page says what happened: {}",
        page.split("<main").nth(1).unwrap_or(&page)
    );
    // Every registration that was acknowledged is there; the refused one is not, not even in part.
    assert_eq!(supplier_firms(&app).await, accepted as u64);
    assert_whole(&app).await;
    // Reading goes on while writing cannot.
    assert_eq!(app.get("/api/v1/tenders").await.status(), 200);
    assert_eq!(app.get("/").await.status(), 200);

    // Space is freed: the same registration now goes through, and nothing else had changed.
    on_the_writer(&app, "PRAGMA max_page_count = 1073741823").await;
    let again = register(&app, &format!("公司{accepted}"), &code17(accepted)).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(supplier_firms(&app).await, accepted as u64 + 1);
    assert_whole(&app).await;
}

#[tokio::test]
async fn a_read_only_database_refuses_writes_clearly_and_serves_reads() {
    let app = spawn_app(Backend::Sqlite).await;
    assert_eq!(register(&app, "只读之前", &code17(0)).await.status, 200);
    // What SQLite answers on a file system remounted read-only (SQLITE_READONLY).
    on_the_writer(&app, "PRAGMA query_only = ON").await;
    let refused = register(&app, "只读之时", &code17(1)).await;
    assert_unavailable(&refused, "a registration on a read-only database");
    // Signing in reads, and writes a little (its audit entry): it is either done or the same
    // clear 503, never a 500.
    let response = app
        .new_client()
        .post(format!("{}/api/login", app.address))
        .header("origin", &app.address)
        .form(&[
            ("email", format!("owner@{}.example.cn", code17(0))),
            ("password", SUPPLIER_PASSWORD.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        matches!(response.status().as_u16(), 200 | 503),
        "{}",
        response.status()
    );
    assert_eq!(app.get("/api/v1/tenders").await.status(), 200);
    assert_eq!(supplier_firms(&app).await, 1);

    on_the_writer(&app, "PRAGMA query_only = OFF").await;
    assert_eq!(register(&app, "只读之后", &code17(1)).await.status, 200);
    assert_eq!(supplier_firms(&app).await, 2);
    assert_whole(&app).await;
}

/// A TCP relay between the server and PostgreSQL that can cut every connection and refuse new
/// ones, as a database restart or a network fault does.
struct Relay {
    port: u16,
    cut: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Relay {
    async fn to(upstream: String) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(AtomicBool::new(false));
        let links: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (c, l) = (cut.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if c.load(Ordering::SeqCst) {
                    // Refused: closed at once, as a server that is down.
                    drop(inbound);
                    continue;
                }
                let upstream = upstream.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                l.lock().unwrap().push(link.abort_handle());
            }
        });
        Relay { port, cut, links }
    }

    /// Every open connection is dropped and new ones are refused.
    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

/// `host:port` of a PostgreSQL URL.
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

mod postgres {
    use super::*;

    #[tokio::test]
    async fn losing_the_database_answers_503_with_a_retry_hint_and_recovers_by_itself() {
        let admin = std::env::var("FT_TEST_PG_URL").expect("FT_TEST_PG_URL");
        let upstream = authority(&admin).to_string();
        let relay = Relay::to(upstream.clone()).await;
        let app = spawn_app_with(Backend::Postgres, |s| {
            s.database_url = s
                .database_url
                .replace(&upstream, &format!("127.0.0.1:{}", relay.port));
        })
        .await;
        assert!(app.settings.database_url.contains(&relay.port.to_string()));
        assert_eq!(register(&app, "断线之前", &code17(0)).await.status, 200);

        relay.cut();
        // Each kind of request, at once: a write (server function), the open API, a page and
        // readiness. None hangs past the server's limit, none is a 500.
        let api = async {
            let r = app.get("/api/v1/tenders").await;
            (
                r.status().as_u16(),
                r.headers().get("retry-after").cloned(),
                r.text().await.unwrap(),
            )
        };
        let page = async { app.get("/").await.status().as_u16() };
        let ready = async { app.get("/readyz").await.status().as_u16() };
        let second = code17(1);
        let (write, api, page, ready) = tokio::time::timeout(Duration::from_secs(28), async {
            tokio::join!(register(&app, "断线之时", &second), api, page, ready)
        })
        .await
        .expect("answered while the database is away");
        assert_unavailable(&write, "a registration without the database");
        assert_eq!(api.0, 503, "{}", api.2);
        assert_eq!(api.1.unwrap(), "5");
        assert!(api.2.contains("\"unavailable\""), "{}", api.2);
        assert_eq!(page, 503);
        assert_eq!(ready, 503);

        // The database is back: the server finds it again by itself.
        relay.restore();
        let mut waited = Duration::ZERO;
        while app.get("/readyz").await.status() != 200 {
            assert!(waited < Duration::from_secs(30), "never ready again");
            tokio::time::sleep(Duration::from_millis(200)).await;
            waited += Duration::from_millis(200);
        }
        let again = register(&app, "断线之后", &code17(1)).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(app.get("/api/v1/tenders").await.status(), 200);
        assert_eq!(supplier_firms(&app).await, 2);
        assert_whole(&app).await;
    }
}

/// A folder on a file system of `mb` MB of its own (tmpfs), unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(mb: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "mounting a tmpfs needs root");
        SmallDisk { dir }
    }

    fn grow(&self, mb: u32) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,size={mb}m")])
            .arg(self.dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily: the test's server may still hold its files open.
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// The same as the full-disk test above, on a real file system that fills up (documents and
/// database on a 3 MB tmpfs). Needs root, so it is not part of the test command:
/// `cargo test -p server --test api -- --ignored a_real_disk` (bench/RESULTS.md).
#[tokio::test]
#[ignore = "mounts a tmpfs: needs root"]
async fn a_real_disk_that_fills_up_refuses_writes_clearly_and_keeps_what_was_saved() {
    let disk = SmallDisk::mount(3);
    let root = disk.dir.path().to_path_buf();
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.database_url = format!("sqlite://{}/fairtender.db", root.display());
        s.storage_path = root.join("documents");
    })
    .await;
    let owner = app.new_client();
    app.register_supplier(&owner, "真满盘公司", &code17(0))
        .await;
    let (status, record) = app
        .call_with(
            &owner,
            "profile/capabilities/add",
            &[("form[kind]", "equipment"), ("form[title]", "服务器 4 台")],
        )
        .await;
    assert_eq!(status, 200, "{record}");
    let path = format!(
        "/profile/capabilities/{}/document",
        record["id"].as_str().unwrap()
    );
    // Scanned certificates of 400 KB, each its own (the store keeps one copy of equal files),
    // until the disk is full.
    let scan = |i: usize| {
        let mut pdf = crate::helpers::PDF.to_vec();
        pdf.extend(format!("% scan {i}\n").bytes());
        pdf.resize(400 * 1024, b' ');
        pdf
    };
    let mut stored = 0;
    let refused = loop {
        let response = app
            .upload(&owner, &path, "证书.pdf", &scan(stored), "application/json")
            .await;
        if !response.status().is_success() {
            break response;
        }
        stored += 1;
        assert!(stored < 20, "a 3 MB disk took 20 files of 400 KB");
    };
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "5");
    // Then the database's own growth: registrations until one is refused.
    let (accepted, refused) = register_until_refused(&app, 1).await;
    assert_unavailable(&refused, "a registration on a full disk");
    assert_eq!(supplier_firms(&app).await, accepted as u64);
    assert_eq!(app.get("/api/v1/tenders").await.status(), 200);

    // Room is made: both kinds of write go through again, nothing was lost or half-written.
    disk.grow(32);
    let again = register(&app, &format!("公司{accepted}"), &code17(accepted)).await;
    assert_eq!(again.status, 200, "{}", again.body);
    let response = app
        .upload(&owner, &path, "证书.pdf", &scan(stored), "application/json")
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(supplier_firms(&app).await, accepted as u64 + 1);
    assert_whole(&app).await;
    eprintln!(
        "real disk: {stored} documents stored before the disk was full, {accepted} firms \
         registered, every refusal 503 with Retry-After, nothing lost"
    );
    app.db.clone().close().await.ok();
}
