use std::sync::Arc;

use app::domain::ManualClock;
use chrono::{TimeZone, Utc};
use sea_orm::ConnectionTrait;
use server::config::Settings;
use server::Application;

/// Runs each named test function (taking a `Backend`) once per database backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name($crate::helpers::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                super::$name($crate::helpers::Backend::Postgres).await
            })*
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub db: app::infra::db::Db,
    pub clock: ManualClock,
    pub settings: Settings,
    /// Follows no redirects, keeps cookies: what a browser form post sees.
    pub client: reqwest::Client,
    // Dropped in this order: the database (PostgreSQL), then the folder.
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

/// The smallest file the document store accepts as a PDF.
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

pub const SUPPLIER_PASSWORD: &str = "green procurement for small firms";
pub const ADMIN_PASSWORD: &str = "oversight of the platform, never bids";

/// 2026-11-26 10:00 Beijing time.
pub fn test_start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap()
}

/// A fresh, empty database for one test: a file in the test's folder on SQLite, a database of
/// its own on PostgreSQL, dropped again when this value is dropped (at the end of the test, or
/// as it unwinds from a failure), so runs leave nothing behind on a reused machine.
pub struct TestDatabase {
    pub url: String,
    /// On PostgreSQL: the server's admin URL and the database's name.
    postgres: Option<(String, String)>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own
        // with a runtime of its own does the work, and the test waits for it. FORCE ends the
        // test server's pooled connections, which are still open.
        let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let conn = sea_orm::Database::connect(&admin)
                    .await
                    .map_err(|e| e.to_string())?;
                let result = conn
                    .execute_unprepared(&statement)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string());
                conn.close().await.ok();
                result
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("warning: test database {name} not dropped: {e}"),
            Err(_) => eprintln!("warning: test database {name} not dropped (the drop panicked)"),
        }
    }
}

/// A fresh, empty database for one test (see [`TestDatabase`]).
pub async fn fresh_database(backend: Backend, dir: &std::path::Path) -> TestDatabase {
    match backend {
        Backend::Sqlite => TestDatabase {
            url: format!("sqlite://{}/fairtender.db", dir.display()),
            postgres: None,
        },
        Backend::Postgres => {
            let admin = std::env::var("FT_TEST_PG_URL").expect(
                "FT_TEST_PG_URL is not set: the PostgreSQL tests need a server \
                 (e.g. postgres://postgres@127.0.0.1:5432/postgres); `cargo xtask test` sets it",
            );
            let name = format!("ft_test_{}", uuid::Uuid::new_v4().simple());
            let conn = sea_orm::Database::connect(&admin)
                .await
                .unwrap_or_else(|e| {
                    panic!("cannot reach PostgreSQL at FT_TEST_PG_URL={admin}: {e}")
                });
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            conn.close().await.ok();
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            TestDatabase {
                url: format!("{base}/{name}"),
                postgres: Some((admin.clone(), name)),
            }
        }
    }
}

pub const TEST_JWT_KEY: &str = "test-only key, long enough for HS256 signing 0123456789";

pub const TEST_BID_KEY: &str = "test-only bid sealing secret, 32+ characters long";

pub const TEST_AUDIT_KEY: &str = "test-only audit checkpoint secret, 32+ characters";

pub fn test_settings(database_url: String, dir: &std::path::Path) -> Settings {
    Settings {
        database_url,
        bind: "127.0.0.1:0".into(),
        site_root: dir.join("site"),
        storage_path: dir.join("documents"),
        jwt_key: Some(secrecy::SecretString::from(TEST_JWT_KEY)),
        bid_key: Some(secrecy::SecretString::from(TEST_BID_KEY)),
        audit_key: Some(secrecy::SecretString::from(TEST_AUDIT_KEY)),
        // Tests move their clock and write rows directly, neither of which empties the page
        // cache: the tests of the cache turn it on (tests/api/pages.rs).
        page_cache_ms: 0,
        ..Settings::default()
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// A test server whose settings `adjust` changes first (a smaller upload limit, say).
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = fresh_database(backend, dir.path()).await;
    let mut settings = test_settings(database.url.clone(), dir.path());
    adjust(&mut settings);
    std::fs::create_dir_all(&settings.site_root).unwrap();
    std::fs::write(settings.site_root.join("favicon.ico"), b"\0\0\x01\0").unwrap();
    let clock = ManualClock::at(test_start());
    let app = Application::build(&settings, Arc::new(clock.clone()))
        .await
        .expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.state().db.clone();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    TestApp {
        address,
        db,
        clock,
        settings,
        client,
        _database: database,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_text(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    /// The HTML of the page at `path` as `browser` (its cookies) sees it.
    pub async fn page_as(&self, browser: &reqwest::Client, path: &str) -> String {
        let response = browser
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request");
        response.text().await.unwrap()
    }

    /// Calls a server function as a browser's fetch would (same-origin), returning the status
    /// and the JSON body.
    pub async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.call_with(&self.client, endpoint, form).await
    }

    pub async fn call_with(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let response = client
            .post(format!("{}/api/{endpoint}", self.address))
            .header("origin", &self.address)
            .form(form)
            .send()
            .await
            .expect("request");
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// A new browser: its own cookie jar.
    pub fn new_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap()
    }

    /// Registers a supplier through the public form and returns its owner's e-mail.
    pub async fn register_supplier(
        &self,
        client: &reqwest::Client,
        name: &str,
        code17: &str,
    ) -> String {
        let code = app::domain::credit_code::CreditCode::complete(code17)
            .unwrap()
            .to_string();
        let email = format!("owner@{}.example.cn", code17.to_lowercase());
        let (status, body) = self
            .call_with(
                client,
                "register",
                &[
                    ("form[organisation_name]", name),
                    ("form[credit_code]", &code),
                    ("form[contact_name]", "陈小溪"),
                    ("form[email]", &email),
                    ("form[password]", SUPPLIER_PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        email
    }

    /// Creates a platform administrator and signs `client` in as them.
    pub async fn admin_client(&self) -> reqwest::Client {
        let email = "admin@fairtender.example.cn";
        app::services::accounts::create_admin(
            &self.db,
            email,
            "管理员",
            ADMIN_PASSWORD,
            app::domain::Clock::now(&self.clock),
        )
        .await
        .expect("admin");
        self.sign_in(email, ADMIN_PASSWORD).await
    }

    /// A new browser, signed in.
    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.new_client();
        let (status, body) = self
            .call_with(
                &client,
                "login",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        client
    }

    /// Posts one file as the `file` field of a multipart form to `path`, as a browser's form
    /// (`accept` containing `text/html`) or a script would.
    pub async fn upload(
        &self,
        client: &reqwest::Client,
        path: &str,
        name: &str,
        bytes: &[u8],
        accept: &str,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
        client
            .post(format!("{}{path}", self.address))
            .header("origin", &self.address)
            .header("accept", accept)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
    }

    /// The administrator `admin` creates an agency; returns it as the server function does.
    pub async fn create_agency(
        &self,
        admin: &reqwest::Client,
        name: &str,
        code17: &str,
    ) -> serde_json::Value {
        let (status, agency) = self
            .call_with(
                admin,
                "admin/agencies/create",
                &[("name", name), ("credit_code", &credit_code(code17))],
            )
            .await;
        assert_eq!(status, 200, "{agency}");
        agency
    }

    /// Follows an invitation link (as `admin/invite` and `profile/invite` return it): chooses
    /// a name and password, and signs `client` in.
    pub async fn accept_invitation(
        &self,
        client: &reqwest::Client,
        link: &serde_json::Value,
        name: &str,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let token = link
            .as_str()
            .unwrap_or_default()
            .trim_start_matches("/invite/");
        self.call_with(
            client,
            "invite/accept",
            &[
                ("token", token),
                ("display_name", name),
                ("password", SUPPLIER_PASSWORD),
            ],
        )
        .await
    }

    /// Adds the demo data, at the test clock's time.
    pub async fn seed_demo(&self) {
        app::services::seed::seed_demo(&self.db, app::domain::Clock::now(&self.clock))
            .await
            .expect("seed");
    }
}

/// A valid unified social credit code from its first 17 characters.
pub fn credit_code(first17: &str) -> String {
    app::domain::credit_code::CreditCode::complete(first17)
        .unwrap()
        .to_string()
}

/// The fields named by a refused request's `Fields` error, in order.
pub fn error_fields(body: &serde_json::Value) -> Vec<&str> {
    body["Fields"]["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("not a Fields error: {body}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}
