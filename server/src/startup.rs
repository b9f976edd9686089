//! Building and running the web application.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use app::domain::Clock;
use app::infra::db::{self, ConnectError};
use app::infra::storage::{DocumentError, DocumentStore};
use app::paths;
use app::services::AppState;
use app::ui::{shell, App};
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::Router;
use http::{header, HeaderValue, Request, StatusCode};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::{ConfigError, Mode, Settings};
use crate::middleware::{check_bodies, reject_cross_site, retry_hint, server_fn_error_status};
use crate::page_cache::{page_cache, PageCache};
use crate::routes::documents;
use app::infra::auth::AuthKeys;
use secrecy::{ExposeSecret, SecretString};

/// How many published tenders' lots and criteria are kept in memory (a few KB each).
const PUBLISHED_LOTS_KEPT: usize = 2_000;

/// Why the server did not start. Each message is one line naming the setting to change.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Database(#[from] ConnectError),
    #[error("could not migrate the database: {0}")]
    Migrate(sea_orm::DbErr),
    #[error("document storage at {path}: {source} (set FAIRTENDER_STORAGE_PATH)")]
    Storage { path: String, source: DocumentError },
    #[error("dev bid sealing key at {path}: {source} (set FAIRTENDER_BID_KEY or FAIRTENDER_DEV_BID_KEY_FILE)")]
    DevBidKey {
        path: String,
        source: std::io::Error,
    },
    #[error("dev audit checkpoint key at {path}: {source} (set FAIRTENDER_AUDIT_KEY or FAIRTENDER_STORAGE_PATH)")]
    DevAuditKey {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} (set FAIRTENDER_CALENDAR_DIR)")]
    Calendar(#[from] app::infra::calendar::CalendarLoadError),
    #[error("cannot listen on {addr}: {source} (set FAIRTENDER_BIND to a free address)")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    port: u16,
    state: AppState,
}

impl Application {
    /// Connects, migrates, and binds. Returns only when the server can serve, so a bad setting
    /// never leaves a half-working server behind.
    pub async fn build(
        settings: &Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, StartupError> {
        settings.validate()?;
        let addr = settings.bind_addr()?;
        let db = db::connect_with(
            &settings.database_url,
            settings.database_pool_size,
            db::Durability::from_setting(settings.sqlite_durable),
        )
        .await?;
        db::migrate(&db).await.map_err(StartupError::Migrate)?;
        let documents = DocumentStore::local(&settings.storage_path, settings.max_upload_bytes)
            .map_err(|source| StartupError::Storage {
                path: settings.storage_path.display().to_string(),
                source,
            })?;
        // The built-in years and the operator's folder, then the files uploaded on /admin.
        let calendar = app::infra::calendar::SharedCalendar::load(
            app::infra::calendar::load(settings.calendar_dir.as_deref())?,
            &db,
        )
        .await?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartupError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { addr, source })?;

        let leptos_options = LeptosOptions::builder()
            .output_name("fairtender")
            .site_root(settings.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(local)
            .build();
        let jwt_secret = jwt_key(settings)?;
        let auth = AuthKeys::new(jwt_secret.expose_secret().as_bytes());
        // Issue #35: form errors in addresses are signed with a key derived from this one.
        let error_signer =
            crate::action_errors::ErrorSigner::new(jwt_secret.expose_secret().as_bytes());
        let sealing = Arc::new(app::infra::sealing::Sealing::new(
            bid_key(settings)?.expose_secret().as_bytes(),
        ));
        // Dev mode only (validate refuses it in production): a clock tests can move forward.
        let test_clock = settings
            .test_clock
            .then(|| app::domain::OffsetClock::new(clock.clone()));
        let clock: Arc<dyn Clock> = match &test_clock {
            Some(c) => Arc::new(c.clone()),
            None => clock,
        };
        let changes = app::infra::memo::Changes::new();
        let audit_signer = Arc::new(audit_signer(settings)?);
        let state = AppState {
            auth,
            sealing,
            audit_signer,
            db,
            clock,
            calendar,
            documents,
            leptos_options,
            secure_cookies: settings.secure_cookies(),
            open_data: Arc::new(app::services::ocds::OpenData::new(
                settings.ocid_prefix.clone(),
                settings
                    .public_base_url
                    .as_deref()
                    .map(|u| u.trim_end_matches('/').to_string())
                    .unwrap_or_else(|| format!("http://{local}")),
            )),
            changes: changes.clone(),
            timeliness: Arc::new(app::infra::memo::Memo::new(Duration::from_millis(
                settings.stats_cache_ms,
            ))),
            lots: Arc::new(app::services::tenders::PublishedLots::new(
                PUBLISHED_LOTS_KEPT,
            )),
            recovery_flash: Arc::default(),
            registrations_per_address: settings.registrations_per_address,
        };
        // Issue #35: only a signed-in person's request can change what a cached page shows.
        let pages = {
            let (auth, clock) = (state.auth.clone(), state.clock.clone());
            PageCache::with_session_check(
                Duration::from_millis(settings.page_cache_ms),
                changes,
                Box::new(move |headers: &http::HeaderMap| {
                    app::services::session::session_token(headers)
                        .and_then(|t| app::infra::auth::decode_token(&auth, &t, clock.now()))
                        .is_some()
                }),
            )
        };
        if test_clock.is_some() {
            tracing::warn!("FAIRTENDER_TEST_CLOCK is on: POST /__test/clock moves time forward");
        }
        let router = router(state.clone(), settings, pages, error_signer, test_clock);
        Ok(Application {
            listener,
            router,
            port: local.port(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM or Ctrl-C, then stops accepting and finishes requests in flight.
    /// The signal handlers are installed when this is called, not when the future is first
    /// polled: a SIGTERM sent right after "listening" is printed must not kill the process.
    pub fn run_until_stopped(self) -> impl std::future::Future<Output = std::io::Result<()>> {
        let shutdown = shutdown_signal();
        let state = self.state.clone();
        async move {
            // Issue #34: a calendar file uploaded on another server is used here within a minute
            // (an upload on this server is used at once).
            let reload = tokio::spawn(async move {
                let mut every = tokio::time::interval(CALENDAR_RELOAD);
                every.tick().await;
                loop {
                    every.tick().await;
                    if let Err(e) = state.calendar.reload(&state.db).await {
                        tracing::error!(error = %e, "calendar uploads could not be read again");
                    }
                }
            });
            let _stop_reload = AbortOnDrop(reload);
            // Issue #35: the audit chain's head is signed every few minutes when it has moved
            // (and when the published list is read).
            let state = self.state.clone();
            let checkpoints = tokio::spawn(async move {
                let mut every = tokio::time::interval(AUDIT_CHECKPOINT_EVERY);
                every.tick().await;
                loop {
                    every.tick().await;
                    if let Err(e) = app::infra::audit_checkpoint::make_if_moved(
                        &state.db,
                        &*state.clock,
                        &state.audit_signer,
                    )
                    .await
                    {
                        tracing::error!(error = %e, "no audit checkpoint could be made");
                    }
                }
            });
            let _stop_checkpoints = AbortOnDrop(checkpoints);
            axum::serve(
                self.listener,
                self.router
                    .into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown)
            .await
        }
    }
}

/// How often a server reads the calendar files uploaded on other servers: well within
/// `app::domain::calendar::UPLOAD_PROPAGATION`, the time after an upload during which a
/// deadline is also counted with the calendar before it.
const CALENDAR_RELOAD: Duration = Duration::from_secs(60);

/// How often a serving server signs the audit chain's head if it moved (issue #35).
const AUDIT_CHECKPOINT_EVERY: Duration = Duration::from_secs(600);

/// Stops a background task when its owner ends.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn router(
    state: AppState,
    settings: &Settings,
    pages: Arc<PageCache>,
    error_signer: Arc<crate::action_errors::ErrorSigner>,
    test_clock: Option<app::domain::OffsetClock>,
) -> Router {
    // An upload's file and the multipart envelope around it.
    let max_body = settings.max_upload_bytes + 64 * 1024;
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();

    // Static files (wasm, JS, CSS, favicon), served precompressed when the browser accepts it.
    // Anything else falls through to the app, which renders its "page not found".
    let not_found = {
        let options = options.clone();
        let state = state.clone();
        leptos_axum::render_app_to_stream_with_context(
            move || provide_context(state.clone()),
            move || shell(options.clone()),
        )
    };
    let static_files = ServeDir::new(&*options.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(get(not_found));

    let request_id = http::HeaderName::from_static("x-request-id");
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
        let id = request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
    });

    let mut router = Router::new()
        .route(paths::HEALTHZ, get(healthz))
        .route(paths::READYZ, get(readyz))
        .route(
            paths::CAPABILITY_DOCUMENT,
            get(documents::download_capability_document)
                .post(documents::upload_capability_document)
                // The request body limit below already bounds uploads (and reports them as
                // too large); axum's own 2 MB default for multipart would cut them shorter.
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            paths::TENDER_UPLOAD,
            post(documents::upload_tender_document).layer(DefaultBodyLimit::disable()),
        )
        .route(
            paths::TENDER_DOCUMENT,
            get(documents::download_tender_document),
        )
        .route(
            paths::BID_UPLOAD,
            post(documents::upload_bid_document).layer(DefaultBodyLimit::disable()),
        )
        .route(
            paths::OWN_BID_DOCUMENT,
            get(documents::download_own_bid_document),
        )
        .route(
            paths::EVIDENCE_UPLOAD,
            post(documents::upload_evidence).layer(DefaultBodyLimit::disable()),
        )
        .route(paths::EVIDENCE_DOCUMENT, get(documents::download_evidence))
        .route(
            paths::PAYMENTS_CSV,
            get(crate::routes::payments_csv::payments_csv),
        )
        .nest(paths::api::BASE, crate::routes::api_v1::router(settings))
        .route(
            paths::OPENED_BID_DOCUMENT,
            get(documents::download_opened_bid_document),
        );
    // Dev mode only: the browser tests' clock, behind the same layers as every other route
    // (issue #35: cross-site refusal, body limits, request ids, headers).
    if let Some(c) = test_clock {
        let pages = pages.clone();
        router = router.route(
            "/__test/clock",
            post(move |body: String| {
                let (c, pages) = (c.clone(), pages.clone());
                async move {
                    let answer = advance_test_clock(c, body).await;
                    // Pages rendered before the move may show what time has changed.
                    pages.invalidate();
                    answer
                }
            }),
        );
    }
    let mut router = router
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback_service(static_files)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(trace)
                .layer(PropagateRequestIdLayer::new(request_id))
                // Issue #35: nothing a signed-in person is shown is kept by a cache (outside
                // the panic, timeout and cross-site layers, so their answers say so too).
                .layer(axum::middleware::from_fn(
                    crate::security::no_store_when_signed_in,
                ))
                // Outside the panic and timeout layers, so their answers carry these too.
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                // Pages set their own policy with a per-response nonce (app::ui::shell); this
                // one covers everything else (files, JSON, the cross-site refusal).
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                // Every 503 (the database out of reach, a queue too long, the time limit
                // below) tells the client when to try again.
                .layer(axum::middleware::from_fn(retry_hint))
                .layer(CatchPanicLayer::custom(opaque_panic))
                // A request the server could not answer in time is the server's trouble (503),
                // not the client's slowness in sending it (408).
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    Duration::from_secs(30),
                ))
                .layer(axum::middleware::from_fn(reject_cross_site))
                // Before the page cache: a page is never rendered, nor kept, with an error the
                // server did not sign (issue #35).
                .layer(axum::middleware::from_fn_with_state(
                    error_signer,
                    crate::action_errors::sign_action_errors,
                ))
                .layer(axum::middleware::from_fn_with_state(pages, page_cache))
                .layer(axum::middleware::from_fn(server_fn_error_status)),
        )
        // Innermost, so every layer above sees an ordinary body: bodies over the limit are cut
        // off while being read, never buffered whole.
        .layer(RequestBodyLimitLayer::new(max_body))
        // Outermost: a body declared too long is refused before anything reads it.
        .layer(axum::middleware::from_fn_with_state(
            max_body as u64,
            check_bodies,
        ))
        // Issue #35: the client's address (behind trusted proxies only, the one they forward
        // for), for the throttles and the /api/v1 rate limit.
        .layer(axum::middleware::from_fn_with_state(
            crate::security::TrustedProxies(Arc::new(settings.trusted_proxies.clone())),
            crate::security::client_address,
        ));
    // Issue #35: served over https, browsers are told to come back only over https.
    if settings.secure_cookies() {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(crate::security::HSTS),
        ));
    }
    router.with_state(state)
}

/// The configured JWT key; in dev mode without one, an ephemeral key (sessions then end when
/// the server restarts). Production refuses to start without one.
fn jwt_key(settings: &Settings) -> Result<SecretString, ConfigError> {
    match (&settings.jwt_key, settings.mode) {
        (Some(key), _) => Ok(key.clone()),
        (None, Mode::Production) => Err(ConfigError::MissingJwtKey),
        (None, Mode::Dev) => {
            use rand::RngCore;
            tracing::warn!(
                "no FAIRTENDER_JWT_KEY set: using an ephemeral key; sessions end when the server \
                 restarts (production mode refuses to start without one)"
            );
            let mut bytes = [0u8; 48];
            rand::thread_rng().fill_bytes(&mut bytes);
            Ok(SecretString::from(
                bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            ))
        }
    }
}

/// The sealing secret; in dev mode without one, a random secret kept in `dev_bid_key_file`
/// (never inside the documents folder, issue #35), so bids sealed before a restart still open
/// after it. A key an earlier version kept in `<storage_path>/.dev-bid-key` is moved there
/// first. Production refuses to start without one.
fn bid_key(settings: &Settings) -> Result<SecretString, StartupError> {
    match (&settings.bid_key, settings.mode) {
        (Some(key), _) => Ok(key.clone()),
        (None, Mode::Production) => Err(ConfigError::MissingBidKey.into()),
        (None, Mode::Dev) => {
            let path = settings.dev_bid_key_file.clone();
            let failed = |path: &std::path::Path| {
                let path = path.display().to_string();
                move |source: std::io::Error| StartupError::DevBidKey { path, source }
            };
            let old = settings.storage_path.join(".dev-bid-key");
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(failed(dir))?;
            }
            if old.exists() {
                move_old_key(&old, &path)?;
            }
            if let Ok(key) = std::fs::read_to_string(&path) {
                return Ok(SecretString::from(key.trim().to_string()));
            }
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut bytes);
            let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            write_private(&path, &key).map_err(failed(&path))?;
            tracing::warn!(
                path = %path.display(),
                "no FAIRTENDER_BID_KEY set: generated a dev-only bid sealing key (production \
                 mode refuses to start without one)"
            );
            Ok(SecretString::from(key))
        }
    }
}

/// The audit checkpoints' signer (issue #35): from `FAIRTENDER_AUDIT_KEY`; in dev mode without
/// one, a random secret kept in `.dev-audit-key` beside the storage folder (never inside it, so
/// a copy of the documents does not carry it). Production refuses to start without one. Also
/// used by `server verify-audit`.
pub fn audit_signer(
    settings: &Settings,
) -> Result<app::infra::audit_checkpoint::AuditSigner, StartupError> {
    use app::infra::audit_checkpoint::AuditSigner;
    match (&settings.audit_key, settings.mode) {
        (Some(key), _) => Ok(AuditSigner::new(key.expose_secret().as_bytes())),
        (None, Mode::Production) => Err(ConfigError::MissingAuditKey.into()),
        (None, Mode::Dev) => {
            let folder = settings
                .storage_path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let path = folder.join(".dev-audit-key");
            let fail = |source: std::io::Error| StartupError::DevAuditKey {
                path: path.display().to_string(),
                source,
            };
            if let Ok(key) = std::fs::read_to_string(&path) {
                return Ok(AuditSigner::new(key.trim().as_bytes()));
            }
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut bytes);
            let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            std::fs::create_dir_all(folder).map_err(fail)?;
            std::fs::write(&path, &key).map_err(fail)?;
            tracing::warn!(
                path = %path.display(),
                "no FAIRTENDER_AUDIT_KEY set: generated a dev-only audit checkpoint key \
                 (production mode refuses to start without one)"
            );
            Ok(AuditSigner::new(key.as_bytes()))
        }
    }
}

/// Moves a dev key from inside the documents folder (where earlier versions kept it) to `to`.
/// If `to` already holds a different key, neither is chosen silently: the start stops.
fn move_old_key(old: &std::path::Path, to: &std::path::Path) -> Result<(), StartupError> {
    let failed = |path: &std::path::Path, source: std::io::Error| StartupError::DevBidKey {
        path: path.display().to_string(),
        source,
    };
    let key = std::fs::read_to_string(old).map_err(|e| failed(old, e))?;
    match std::fs::read_to_string(to) {
        Ok(existing) if existing.trim() != key.trim() => {
            return Err(failed(
                old,
                std::io::Error::other(format!(
                    "differs from the dev key at {}; keep the one that sealed your bids and \
                     delete the other",
                    to.display()
                )),
            ))
        }
        Ok(_) => {}
        Err(_) => write_private(to, key.trim()).map_err(|e| failed(to, e))?,
    }
    std::fs::remove_file(old).map_err(|e| failed(old, e))?;
    tracing::warn!(
        from = %old.display(),
        to = %to.display(),
        "moved the dev bid sealing key out of the documents folder"
    );
    Ok(())
}

/// Writes a key file readable by its owner only (on Unix).
fn write_private(path: &std::path::Path, key: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, key.as_bytes())
}

/// `POST /__test/clock` with a number of seconds: moves the dev-mode test clock forward.
async fn advance_test_clock(clock: app::domain::OffsetClock, body: String) -> (StatusCode, String) {
    match body.trim().parse::<i64>() {
        Ok(secs) if secs > 0 => {
            clock.advance(chrono::Duration::seconds(secs));
            (StatusCode::OK, format!("{}\n", clock.now().to_rfc3339()))
        }
        _ => (
            StatusCode::BAD_REQUEST,
            "send a positive number of seconds\n".to_string(),
        ),
    }
}

/// A panic is a bug: log it, tell the client nothing about it.
fn opaque_panic(
    panic: Box<dyn std::any::Any + Send + 'static>,
) -> http::Response<axum::body::Body> {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "handler panicked");
    http::Response::builder()
        .status(StatusCode::INTERNAL_SERVER_ERROR)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(axum::body::Body::from("服务器内部错误 / Internal error\n"))
        .unwrap_or_default()
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok\n"
}

/// The process can serve: the database answers.
async fn readyz(
    State(state): State<AppState>,
) -> (
    StatusCode,
    [(header::HeaderName, &'static str); 1],
    &'static str,
) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, [(header::RETRY_AFTER, "0")], "ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "database unavailable\n",
            )
        }
    }
}

/// Installs the handlers now and returns the future that resolves on SIGTERM or Ctrl-C.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{signal, SignalKind};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(term), Ok(int)) => Some((term, int)),
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM or SIGINT");
                None
            }
        }
    };
    async move {
        #[cfg(unix)]
        match handlers {
            Some((mut term, mut int)) => {
                tokio::select! {
                    _ = term.recv() => {},
                    _ = int.recv() => {},
                }
            }
            None => std::future::pending::<()>().await,
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
