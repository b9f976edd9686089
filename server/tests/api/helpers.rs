use std::sync::Arc;

use app::domain::ManualClock;
use chrono::{TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
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
    pub db: DatabaseConnection,
    pub clock: ManualClock,
    pub settings: Settings,
    /// Follows no redirects, keeps cookies: what a browser form post sees.
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// 2026-11-26 10:00 Beijing time.
pub fn test_start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap()
}

/// A fresh, empty database URL for one test.
pub async fn fresh_database(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}/fairtender.db", dir.display()),
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
            format!("{base}/{name}")
        }
    }
}

pub fn test_settings(database_url: String, dir: &std::path::Path) -> Settings {
    Settings {
        database_url,
        bind: "127.0.0.1:0".into(),
        site_root: dir.join("site"),
        storage_path: dir.join("documents"),
        ..Settings::default()
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(backend, dir.path()).await;
    let settings = test_settings(url, dir.path());
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

    /// Adds the demo data, at the test clock's time.
    pub async fn seed_demo(&self) {
        app::infra::seed::seed_demo(&self.db, app::domain::Clock::now(&self.clock))
            .await
            .expect("seed");
    }
}
