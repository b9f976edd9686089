//! Settings: built-in defaults, then an optional TOML file, then `DATABASE_URL`, then
//! `FAIRTENDER_*` environment variables (each later layer wins). Unknown keys are refused, so a
//! typo never silently falls back to a default.

use std::net::SocketAddr;
use std::path::PathBuf;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The environment-variable prefix for every setting.
pub const ENV_PREFIX: &str = "FAIRTENDER_";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Local development: an ephemeral JWT key is generated when none is set.
    #[default]
    Dev,
    /// Production: every secret must be configured.
    Production,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub mode: Mode,
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub database_url: String,
    /// Connections in the database pool. Four by default: on two cores more served neither the
    /// deadline rush nor the searches faster (issue #8), and each SQLite connection holds its
    /// own page cache and work memory (~15 MB at full volume: 8 connections peaked at 181 MB
    /// RSS, 4 at 118 MB). On SQLite, writes use one more connection of their own (`db::Db`).
    pub database_pool_size: u32,
    /// SQLite only: make every commit durable against a power cut or an operating-system crash
    /// (`synchronous=FULL`, an fsync per commit). Off by default: a killed server loses nothing
    /// either way (`bench crash`), and the fsync costs about 0.9 ms per commit on the reference
    /// machine, more than the whole of a bid's write turn (bench/RESULTS.md). PostgreSQL's
    /// commits are durable by its own default.
    pub sqlite_durable: bool,
    /// Where to listen, e.g. `127.0.0.1:3000`; port 0 picks a free port.
    pub bind: String,
    /// The address people use to reach the site (links, cookie security). Defaults to
    /// `http://<bind>`.
    pub public_base_url: Option<String>,
    /// The key that signs session tokens (and known-device cookies). Required in production.
    #[serde(serialize_with = "never_serialize")]
    pub jwt_key: Option<SecretString>,
    /// The secret that seals bids until their deadline and signs receipts (R-BID-01). Keep it
    /// out of the database and its backups: without it a database copy reveals no open bid.
    /// Required in production; in dev mode one is generated once into `dev_bid_key_file`.
    #[serde(serialize_with = "never_serialize")]
    pub bid_key: Option<SecretString>,
    /// The secret the audit log's checkpoints are signed with (Ed25519, issue #35). Keep it out
    /// of the database and its backups: with it, whoever rewrites the log can sign it anew.
    /// Required in production; in dev mode one is generated once beside the storage folder
    /// (never inside it).
    #[serde(serialize_with = "never_serialize")]
    pub audit_key: Option<SecretString>,
    /// Dev mode without `bid_key`: the file the generated sealing key is kept in. Never inside
    /// `storage_path` (documents are copied and shared; the key must not travel with them).
    pub dev_bid_key_file: PathBuf,
    /// Addresses of the reverse proxies in front of the server (issue #35). Only a request
    /// whose peer is one of them has its client address read from `Forwarded` /
    /// `X-Forwarded-For`; from anyone else those headers are ignored. None by default. A list in
    /// the file (`["10.0.0.2", "10.0.0.3"]`), or comma-separated in the environment.
    #[serde(deserialize_with = "addresses")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Registrations one client address may make a day before each further one waits (a
    /// registration costs a password hash; issue #35).
    pub registrations_per_address: u32,
    /// Dev mode only: the clock can be moved forward with `POST /__test/clock` (browser tests
    /// pass a bid deadline this way). Production refuses to start with it.
    pub test_clock: bool,
    /// The folder with the built wasm, JS, CSS and favicon (`cargo xtask build` fills it).
    pub site_root: PathBuf,
    /// The folder where documents are stored.
    pub storage_path: PathBuf,
    /// The largest document accepted, in bytes.
    pub max_upload_bytes: usize,
    /// A folder of `YYYY.toml` holiday calendars that add to (or replace) the built-in years.
    pub calendar_dir: Option<PathBuf>,
    pub log_format: LogFormat,
    /// The prefix of every OCDS ocid, as registered with the Open Contracting Partnership
    /// (`ocds-` and six characters). Production refuses the dev default.
    pub ocid_prefix: String,
    /// Requests per minute one client address may make to /api/v1 (bursts up to a tenth).
    pub api_requests_per_minute: u32,
    /// How long a public page rendered for a visitor who is not signed in is served again to
    /// others, in milliseconds (`server::page_cache`); 0 turns the cache off.
    pub page_cache_ms: u64,
    /// How long the payment-timeliness figures (R-PAY-07), which read every contract, are
    /// reused, in milliseconds; any change made through this server recomputes them at once
    /// (`app::infra::memo`); 0 computes them for every request.
    pub stats_cache_ms: u64,
}

/// The ocid prefix used until an operator sets the registered one.
pub const DEV_OCID_PREFIX: &str = "ocds-ftdev0";

/// A list of IP addresses, as a list or one comma-separated string (environment variables).
fn addresses<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<std::net::IpAddr>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        List(Vec<String>),
        One(String),
    }
    let items = match Given::deserialize(d)? {
        Given::List(l) => l,
        Given::One(s) => s.split(',').map(str::to_string).collect(),
    };
    items
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse().map_err(|_| {
                serde::de::Error::custom(format!(
                    "trusted_proxies: {a:?} is not an IP address (set FAIRTENDER_TRUSTED_PROXIES)"
                ))
            })
        })
        .collect()
}

fn never_serialize<S: serde::Serializer>(
    _: &Option<SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_none()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Dev,
            database_url: "sqlite://data/fairtender.db".into(),
            database_pool_size: 4,
            sqlite_durable: false,
            bind: "127.0.0.1:3000".into(),
            public_base_url: None,
            jwt_key: None,
            bid_key: None,
            audit_key: None,
            dev_bid_key_file: "data/dev-keys/bid-key".into(),
            trusted_proxies: Vec::new(),
            registrations_per_address: 20,
            test_clock: false,
            site_root: "target/site".into(),
            storage_path: "data/documents".into(),
            max_upload_bytes: 20 * 1024 * 1024,
            calendar_dir: None,
            log_format: LogFormat::Pretty,
            ocid_prefix: DEV_OCID_PREFIX.into(),
            api_requests_per_minute: 600,
            page_cache_ms: 5000,
            stats_cache_ms: 60_000,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Figment(String),
    #[error("configuration: the config file {0} does not exist (check --config)")]
    MissingFile(PathBuf),
    #[error("configuration: bind address {0:?} is not an address like 127.0.0.1:3000 (set FAIRTENDER_BIND)")]
    Bind(String),
    #[error(
        "configuration: FAIRTENDER_JWT_KEY is required in production mode and must be at least 32 \
         characters (generate one with `openssl rand -base64 48`)"
    )]
    MissingJwtKey,
    #[error(
        "configuration: FAIRTENDER_BID_KEY is required in production mode and must be at least 32 \
         characters (generate one with `openssl rand -base64 48`; keep it apart from database backups)"
    )]
    MissingBidKey,
    #[error(
        "configuration: FAIRTENDER_AUDIT_KEY is required in production mode and must be at least 32 \
         characters (generate one with `openssl rand -base64 48`; keep it apart from database backups \
         and from FAIRTENDER_BID_KEY)"
    )]
    MissingAuditKey,
    #[error("configuration: FAIRTENDER_TEST_CLOCK moves the server's clock and is refused in production mode")]
    TestClockInProduction,
    #[error("configuration: FAIRTENDER_OCID_PREFIX {0:?} must be `ocds-` and six lower-case letters or digits (the prefix registered with the Open Contracting Partnership); production refuses the dev default")]
    OcidPrefix(String),
    #[error("configuration: FAIRTENDER_API_REQUESTS_PER_MINUTE must be at least 1")]
    ApiRate,
    #[error("configuration: public base URL {0:?} must start with http:// or https:// (set FAIRTENDER_PUBLIC_BASE_URL)")]
    PublicBaseUrl(String),
    #[error("configuration: production mode requires the address people use to reach the site (set FAIRTENDER_PUBLIC_BASE_URL, e.g. https://tenders.example.gov.cn)")]
    MissingPublicBaseUrl,
    #[error("configuration: dev mode serves only this machine, and {0} is not a loopback address (set FAIRTENDER_BIND to 127.0.0.1:PORT, or FAIRTENDER_MODE=production with its keys)")]
    DevBindNotLoopback(String),
    #[error("configuration: the dev bid key file {0} is inside the documents folder (set FAIRTENDER_DEV_BID_KEY_FILE outside FAIRTENDER_STORAGE_PATH)")]
    DevKeyInStorage(String),
}

impl Settings {
    /// Reads the layers. `file` is the `--config` argument; without one, `fairtender.toml` in the
    /// working directory is read if it exists.
    pub fn load(file: Option<PathBuf>) -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path)),
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file("fairtender.toml")),
        }
        let settings: Settings = figment
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .merge(Env::prefixed(ENV_PREFIX))
            .extract()
            .map_err(|e| ConfigError::Figment(one_line(e)))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what serde cannot: addresses, and the secrets production needs.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bind = self.bind_addr()?;
        if let Some(url) = &self.public_base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::PublicBaseUrl(url.clone()));
            }
        }
        // Issue #35: production is explicit. Dev mode (ephemeral keys, a movable clock, demo
        // data) never listens beyond this machine.
        if self.mode == Mode::Dev && !bind.ip().is_loopback() {
            return Err(ConfigError::DevBindNotLoopback(self.bind.clone()));
        }
        if inside(&self.dev_bid_key_file, &self.storage_path) {
            return Err(ConfigError::DevKeyInStorage(
                self.dev_bid_key_file.display().to_string(),
            ));
        }
        if self.mode == Mode::Production
            && self
                .jwt_key
                .as_ref()
                .is_none_or(|k| k.expose_secret().len() < 32)
        {
            return Err(ConfigError::MissingJwtKey);
        }
        if self.mode == Mode::Production {
            if self
                .bid_key
                .as_ref()
                .is_none_or(|k| k.expose_secret().len() < 32)
            {
                return Err(ConfigError::MissingBidKey);
            }
            if self
                .audit_key
                .as_ref()
                .is_none_or(|k| k.expose_secret().len() < 32)
            {
                return Err(ConfigError::MissingAuditKey);
            }
            if self.test_clock {
                return Err(ConfigError::TestClockInProduction);
            }
        }
        let prefix_ok = self.ocid_prefix.strip_prefix("ocds-").is_some_and(|rest| {
            rest.len() == 6
                && rest
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
        if !prefix_ok || (self.mode == Mode::Production && self.ocid_prefix == DEV_OCID_PREFIX) {
            return Err(ConfigError::OcidPrefix(self.ocid_prefix.clone()));
        }
        if self.mode == Mode::Production && self.public_base_url.is_none() {
            return Err(ConfigError::MissingPublicBaseUrl);
        }
        if self.api_requests_per_minute == 0 {
            return Err(ConfigError::ApiRate);
        }
        Ok(())
    }

    pub fn bind_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.bind
            .parse()
            .map_err(|_| ConfigError::Bind(self.bind.clone()))
    }

    /// Whether the site is reached over https: cookies are `Secure` and responses carry HSTS.
    pub fn secure_cookies(&self) -> bool {
        self.public_base_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// Whether `path` lies inside `folder`, compared as absolute paths without `.` or `..` (the
/// files need not exist yet).
pub fn inside(path: &std::path::Path, folder: &std::path::Path) -> bool {
    let absolute = |p: &std::path::Path| {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    };
    absolute(path).starts_with(absolute(folder))
}

/// Figment reports every error of a layered extraction; show them on one line.
fn one_line(e: figment::Error) -> String {
    e.into_iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
// figment's Jail closures return its (large) error type by design.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn environment_overrides_file_and_database_url_switches_backend() {
        Jail::expect_with(|jail| {
            jail.create_file("fairtender.toml", "bind = \"127.0.0.1:4000\"\n")?;
            jail.set_env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test");
            let s = Settings::load(None).expect("loads");
            assert_eq!(s.bind, "127.0.0.1:4000");
            assert_eq!(s.database_url, "postgres://postgres@127.0.0.1:5432/test");
            jail.set_env("FAIRTENDER_BIND", "127.0.0.1:5000");
            jail.set_env("FAIRTENDER_DATABASE_URL", "sqlite://other.db");
            let s = Settings::load(None).expect("loads");
            assert_eq!(s.bind, "127.0.0.1:5000");
            assert_eq!(s.database_url, "sqlite://other.db");
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_refused_naming_the_key() {
        Jail::expect_with(|jail| {
            jail.set_env("FAIRTENDER_DATABSE_URL", "sqlite://typo.db");
            let e = Settings::load(None).unwrap_err().to_string();
            assert!(e.contains("databse_url"), "{e}");
            assert!(!e.contains('\n'), "one line: {e}");
            Ok(())
        });
        Jail::expect_with(|jail| {
            jail.create_file("ft.toml", "colour = \"blue\"\n")?;
            let e = Settings::load(Some("ft.toml".into()))
                .unwrap_err()
                .to_string();
            assert!(e.contains("colour"), "{e}");
            Ok(())
        });
    }

    #[test]
    fn production_requires_a_real_jwt_key() {
        Jail::expect_with(|jail| {
            jail.set_env("FAIRTENDER_MODE", "production");
            let e = Settings::load(None).unwrap_err();
            assert!(matches!(e, ConfigError::MissingJwtKey));
            assert!(e.to_string().contains("FAIRTENDER_JWT_KEY"));
            jail.set_env("FAIRTENDER_JWT_KEY", "short");
            assert!(matches!(
                Settings::load(None),
                Err(ConfigError::MissingJwtKey)
            ));
            jail.set_env(
                "FAIRTENDER_JWT_KEY",
                "a-production-key-that-is-long-enough-0123456789",
            );
            // R-BID-01: the sealing secret too, and no movable clock.
            assert!(matches!(
                Settings::load(None),
                Err(ConfigError::MissingBidKey)
            ));
            jail.set_env(
                "FAIRTENDER_BID_KEY",
                "another-production-key-long-enough-9876543210",
            );
            // Issue #35: the key that signs the audit log's checkpoints too.
            assert!(matches!(
                Settings::load(None),
                Err(ConfigError::MissingAuditKey)
            ));
            jail.set_env(
                "FAIRTENDER_AUDIT_KEY",
                "a-third-production-key-long-enough-5432109876",
            );
            // Open data needs the registered ocid prefix, not the dev one.
            assert!(matches!(
                Settings::load(None),
                Err(ConfigError::OcidPrefix(_))
            ));
            jail.set_env("FAIRTENDER_OCID_PREFIX", "ocds-Bad!");
            assert!(Settings::load(None)
                .unwrap_err()
                .to_string()
                .contains("FAIRTENDER_OCID_PREFIX"));
            jail.set_env("FAIRTENDER_OCID_PREFIX", "ocds-a1b2c3");
            // Issue #35: and the public address (cookies, HSTS and links depend on it).
            assert!(matches!(
                Settings::load(None),
                Err(ConfigError::MissingPublicBaseUrl)
            ));
            jail.set_env(
                "FAIRTENDER_PUBLIC_BASE_URL",
                "https://tenders.example.gov.cn",
            );
            assert!(Settings::load(None).is_ok());
            jail.set_env("FAIRTENDER_TEST_CLOCK", "true");
            assert!(matches!(
                Settings::load(None),
                Err(ConfigError::TestClockInProduction)
            ));
            Ok(())
        });
    }

    #[test]
    fn issue_35_dev_mode_binds_loopback_only_and_keeps_its_key_out_of_the_documents() {
        Jail::expect_with(|jail| {
            jail.set_env("FAIRTENDER_BIND", "0.0.0.0:3000");
            let e = Settings::load(None).unwrap_err();
            assert!(matches!(e, ConfigError::DevBindNotLoopback(_)), "{e}");
            assert!(e.to_string().contains("FAIRTENDER_BIND"));
            jail.set_env("FAIRTENDER_BIND", "[::1]:3000");
            assert!(Settings::load(None).is_ok());
            jail.set_env(
                "FAIRTENDER_DEV_BID_KEY_FILE",
                "data/documents/../documents/k",
            );
            let e = Settings::load(None).unwrap_err();
            assert!(matches!(e, ConfigError::DevKeyInStorage(_)), "{e}");
            Ok(())
        });
    }

    #[test]
    fn issue_35_trusted_proxies_come_as_a_list_or_comma_separated() {
        Jail::expect_with(|jail| {
            jail.create_file("fairtender.toml", "trusted_proxies = [\"10.0.0.2\"]\n")?;
            let s = Settings::load(None).expect("loads");
            assert_eq!(
                s.trusted_proxies,
                ["10.0.0.2".parse::<std::net::IpAddr>().unwrap()]
            );
            jail.set_env("FAIRTENDER_TRUSTED_PROXIES", "10.0.0.3, ::1");
            let s = Settings::load(None).expect("loads");
            assert_eq!(s.trusted_proxies.len(), 2);
            jail.set_env("FAIRTENDER_TRUSTED_PROXIES", "proxy.local");
            assert!(Settings::load(None)
                .unwrap_err()
                .to_string()
                .contains("trusted_proxies"));
            Ok(())
        });
        assert!(
            Settings::default().trusted_proxies.is_empty(),
            "none by default"
        );
    }

    #[test]
    fn bad_bind_address_and_missing_file_name_the_setting() {
        Jail::expect_with(|jail| {
            jail.set_env("FAIRTENDER_BIND", "localhost");
            assert!(Settings::load(None)
                .unwrap_err()
                .to_string()
                .contains("FAIRTENDER_BIND"));
            Ok(())
        });
        let e = Settings::load(Some("/nonexistent/ft.toml".into())).unwrap_err();
        assert!(e.to_string().contains("--config"));
    }
}
