//! fairtender's benchmark (issue #8). `cargo xtask bench` builds the release server and runs
//! this; see bench/README.md. Every workload is reported as throughput and latency and as a
//! ratio to a baseline measured in the same run: a trivial axum route on the same machine.

mod browser;
mod crash;
mod export;
mod fuzz;
mod generate;
mod load;
mod pay;
mod rush;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use generate::Volume;

#[derive(Parser)]
#[command(about = "fairtender benchmark: data generator and load driver")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fills a database (migrating it first) with generated data.
    Generate {
        #[arg(long)]
        database_url: String,
        #[arg(long, value_enum, default_value = "quick")]
        preset: Preset,
    },
    /// Generates data, starts the server on it and measures every workload.
    Run(Box<RunArgs>),
    /// Kills the server (SIGKILL) again and again while bids and payments are being written,
    /// then checks that nothing acknowledged was lost and nothing is half-written (issue #9).
    Crash(crash::CrashArgs),
    /// Runs schemathesis against /api/v1's OpenAPI document on a server holding the smoke
    /// preset's data: no 5xx, every answer as documented (issue #9).
    ApiFuzz(fuzz::FuzzArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// The server binary to measure (the release build, for figures that mean anything).
    #[arg(long)]
    server_bin: PathBuf,
    /// The built site (wasm, CSS) the server serves.
    #[arg(long)]
    site_root: PathBuf,
    #[arg(long, value_enum, default_value = "quick")]
    preset: Preset,
    #[arg(long, value_enum, default_value = "sqlite")]
    backend: BackendChoice,
    /// An administrative PostgreSQL URL (a database is created for the run).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pg_url: String,
    /// Where to write the results as JSON.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The wrk binary.
    #[arg(long, default_value = "wrk")]
    wrk: PathBuf,
    /// Chromium, for time to first byte and to hydrated of the tender page (not measured
    /// without it).
    #[arg(long)]
    chromium: Option<PathBuf>,
    /// The end2end folder (its page-timing.js and node_modules drive Chromium).
    #[arg(long, default_value = "end2end")]
    end2end: PathBuf,
    /// Node.js, to run end2end/page-timing.js.
    #[arg(long, default_value = "node")]
    node: PathBuf,
    /// Measures only these (comma-separated) after generating the data, and writes no report:
    /// a quicker way to compare two server builds on one workload.
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Only>,
    /// A SQLite file already filled by `bench generate` (with the same preset), copied for this
    /// run instead of generating anew (minutes at full volume): for comparing builds on the
    /// write workloads. Only with `--only rush` and/or `--only payments`; the file itself is
    /// not changed.
    #[arg(long, requires = "only")]
    data_from: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Only {
    Rush,
    Payments,
    /// The public pages the page cache answers (tender list, search + filters, tender page),
    /// after the baseline, for their ratios to it.
    Pages,
}

/// What `--only pages` measures.
const CACHED_PAGES: [&str; 3] = [
    "tender list (SSR)",
    "search + filters (SSR)",
    "tender page (SSR)",
];

#[derive(Clone, Copy, Debug, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
enum Preset {
    /// A few hundred tenders and two seconds per workload: checks that everything answers
    /// correctly (CI runs it); its timings mean nothing.
    Smoke,
    /// 10,000 tenders, 100,000 bids, 20,000 contracts.
    Quick,
    /// The issue's full volume: 100,000 tenders, 2,000 agencies, 50,000 suppliers, 1,000,000
    /// bids, 200,000 contracts with their milestones and payments.
    Full,
}

impl Preset {
    fn volume(self) -> Volume {
        match self {
            Preset::Smoke => Volume {
                tenders: 400,
                agencies: 20,
                suppliers: 200,
                bids: 2_000,
                contracts: 200,
            },
            Preset::Quick => Volume {
                tenders: 10_000,
                agencies: 200,
                suppliers: 5_000,
                bids: 100_000,
                contracts: 20_000,
            },
            Preset::Full => Volume {
                tenders: 100_000,
                agencies: 2_000,
                suppliers: 50_000,
                bids: 1_000_000,
                contracts: 200_000,
            },
        }
    }

    /// The deadline rush: bidders, concurrent clients, and the time from the first bid to the
    /// deadline.
    fn rush(self) -> (usize, usize, std::time::Duration) {
        match self {
            Preset::Smoke => (150, 8, std::time::Duration::from_secs(8)),
            Preset::Quick => (3_000, 64, std::time::Duration::from_secs(30)),
            Preset::Full => (6_000, 64, std::time::Duration::from_secs(60)),
        }
    }

    /// Payment release: accepted milestones due for payment, and concurrent clients.
    fn pay(self) -> (usize, usize) {
        match self {
            Preset::Smoke => (100, 8),
            Preset::Quick => (3_000, 64),
            Preset::Full => (6_000, 64),
        }
    }

    /// How many times the tender pages are loaded in Chromium, cold and warm.
    fn browser_loads(self) -> usize {
        match self {
            Preset::Smoke => 1,
            Preset::Quick | Preset::Full => 10,
        }
    }

    fn load(self) -> load::Load {
        match self {
            Preset::Smoke => load::Load {
                connections: 8,
                seconds: 2,
            },
            Preset::Quick | Preset::Full => load::Load {
                connections: 64,
                seconds: 15,
            },
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum BackendChoice {
    Sqlite,
    Postgres,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            database_url,
            preset,
        } => generate_only(&database_url, preset).await,
        Command::Run(args) => run(*args).await,
        Command::Crash(args) => crash::run(args).await,
        Command::ApiFuzz(args) => fuzz::run(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = (), E = String> = std::result::Result<T, E>;

/// Why a request of a write workload failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// No answer came (the connection failed or was cut): whether it was done is unknown.
    NoAnswer(String),
    /// An answer the workload does not expect.
    Wrong(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NoAnswer(e) => write!(f, "no answer: {e}"),
            Failure::Wrong(e) => f.write_str(e),
        }
    }
}

impl From<Failure> for String {
    fn from(f: Failure) -> String {
        f.to_string()
    }
}

async fn generate_only(url: &str, preset: Preset) -> Result {
    let db = app::infra::db::connect(url, 4)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let generated = generate::generate(&db, preset.volume(), 2026, chrono::Utc::now())
        .await
        .map_err(|e| format!("generating: {e}"))?;
    // The last connection to close folds SQLite's write-ahead log into the file, which can
    // then be copied alone (`run --data-from`).
    db.close()
        .await
        .map_err(|e| format!("closing {url}: {e}"))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&generated).unwrap_or_default()
    );
    Ok(())
}

#[derive(Serialize)]
struct Report {
    preset: Preset,
    backend: BackendChoice,
    volume: Volume,
    generated: generate::Generated,
    machine: String,
    cold_start_empty_ms: f64,
    start_full_volume_ms: f64,
    peak_rss_mb: f64,
    /// None when the site holds no wasm (a server-only build): not measured.
    wasm_raw_kb: Option<f64>,
    wasm_brotli_kb: Option<f64>,
    workloads: Vec<load::Measured>,
    ocds_export: export::ExportResult,
    rush: rush::RushResult,
    payments: pay::PayResult,
    /// The tender page in Chromium; None when no Chromium was given.
    tender_page_in_chromium: Option<browser::PageTiming>,
}

async fn run(args: RunArgs) -> Result {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let admin = args.pg_url.clone();
    let (url, pg_name) = match args.backend {
        BackendChoice::Sqlite => (
            format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
            None,
        ),
        BackendChoice::Postgres => {
            let (url, name) = create_pg_database(&admin).await?;
            (url, Some(name))
        }
    };
    let result = run_on(args, &dir, url).await;
    // The database the run made goes with it, whatever the outcome (a full preset's is
    // gigabytes, and machines are reused).
    if let Some(name) = pg_name {
        if let Err(e) = drop_pg_database(&admin, &name).await {
            eprintln!("bench: warning: database {name} not dropped: {e}");
        }
    }
    result
}

async fn run_on(args: RunArgs, dir: &tempfile::TempDir, url: String) -> Result {
    let volume = args.preset.volume();

    // Cold start: an empty database, every migration applied, until /readyz answers.
    let empty = format!("sqlite://{}/empty.db?mode=rwc", dir.path().display());
    let server = load::Server::start(&args.server_bin, &args.site_root, &empty, dir.path()).await?;
    let cold_start_empty_ms = server.ready_after.as_secs_f64() * 1000.0;
    server.stop();

    if let Some(file) = &args.data_from {
        if args.backend != BackendChoice::Sqlite || args.only.contains(&Only::Pages) {
            return Err(
                "--data-from takes a SQLite file and serves only --only rush,payments".into(),
            );
        }
        eprintln!("bench: copying {} (generated before)", file.display());
        let mut wal = file.clone().into_os_string();
        wal.push("-wal");
        if std::path::Path::new(&wal).exists() {
            return Err(format!(
                "{} has a write-ahead log beside it (a server or generator still has it open, \
                 or did not close it): open and close it once, or generate it again",
                file.display()
            ));
        }
        std::fs::copy(file, dir.path().join("bench.db"))
            .map_err(|e| format!("cannot copy {}: {e}", file.display()))?;
    } else {
        eprintln!("bench: generating {volume:?} into {}", redact(&url));
    }
    let db = app::infra::db::connect(&url, 4)
        .await
        .map_err(|e| format!("cannot open {}: {e}", redact(&url)))?;
    let generated = match args.data_from {
        Some(_) => generate::Generated::default(),
        None => {
            let generated = generate::generate(&db, volume, 2026, chrono::Utc::now())
                .await
                .map_err(|e| format!("generating: {e}"))?;
            eprintln!(
                "bench: generated {} tenders ({} lots, {} criteria), {} bids, {} awards, {} contracts ({} milestones, {} payments) in {:.1} s",
                generated.tenders,
                generated.lots,
                generated.criteria,
                generated.bids,
                generated.awards,
                generated.contracts,
                generated.milestones,
                generated.payments,
                generated.seconds
            );
            generated
        }
    };
    let rush = rush::prepare(&db, args.preset.rush().0, chrono::Utc::now())
        .await
        .map_err(|e| format!("preparing the rush: {e}"))?;
    let pay = pay::prepare(&db, args.preset.pay().0, chrono::Utc::now())
        .await
        .map_err(|e| format!("preparing the payments: {e}"))?;
    db.close().await.ok();

    let baseline = load::Baseline::start().await?;
    let server = load::Server::start(&args.server_bin, &args.site_root, &url, dir.path()).await?;
    let start_full_volume_ms = server.ready_after.as_secs_f64() * 1000.0;
    let writes = Writes {
        rush: &rush,
        pay: &pay,
        server: &server,
        url: &url,
        preset: args.preset,
    };
    let only_pages = args.only.contains(&Only::Pages);
    if !args.only.is_empty() && !only_pages {
        let (rush, payments) = writes.run(&args.only, None).await;
        server.stop();
        let failed = rush
            .and_then(Result::err)
            .or(payments.and_then(Result::err));
        return failed.map_or(Ok(()), Err);
    }
    load::check_answers(&server.url, &generated.sample_ids).await?;
    let feed_pages = load::check_feed(&server.url).await?;

    let tender_pages = load::check_tender_list(&server.url).await?;

    // Signed-in suppliers that hold contracts: their sessions minted with the server's key (as
    // the rush does: signing in hundreds of times would measure argon2).
    let suppliers = session_cookies(&server.jwt_key, &generated.contract_suppliers)?;
    load::check_signed_in(&server.url, &suppliers).await?;

    let mut workloads = load::workloads(
        &server.url,
        &baseline.url,
        &generated.sample_ids,
        &feed_pages,
        &tender_pages,
        &suppliers,
    );
    if only_pages {
        // The baseline comes first: the others are reported as ratios to it.
        workloads
            .retain(|w| w.base == baseline.url || (!w.uncached && CACHED_PAGES.contains(&w.name)));
    }
    let mut measured = Vec::new();
    let mut baseline_rps = None;
    for w in &workloads {
        if CACHED_PAGES.contains(&w.name) && !w.uncached {
            load::warm_up(w).await?;
        }
        let mut m = load::measure(&args.wrk, w, args.preset.load(), baseline_rps, dir.path())?;
        m.server_peak_rss_mb = server.peak_rss_kb().unwrap_or(0) as f64 / 1024.0;
        eprintln!(
            "bench: {:<28} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  server peak {:>6.1} MB",
            m.name, m.requests_per_second, m.p50_ms, m.p99_ms, m.server_peak_rss_mb
        );
        if baseline_rps.is_none() {
            baseline_rps = Some(m.requests_per_second);
        }
        measured.push(m);
    }
    if only_pages {
        let (rush, payments) = writes.run(&args.only, baseline_rps).await;
        server.stop();
        let failed = measured
            .iter()
            .find(|m| m.errors > 0 || m.requests == 0)
            .map(|m| format!("{}: {} requests, {} errors", m.name, m.requests, m.errors))
            .or(rush.and_then(Result::err))
            .or(payments.and_then(Result::err));
        return failed.map_or(Ok(()), Err);
    }
    // The tender page in Chromium, on the idle server: first byte and hydration, cold and warm.
    let tender_page_in_chromium = match &args.chromium {
        None => {
            eprintln!("bench: no --chromium: time to first byte and to hydrated not measured");
            None
        }
        Some(chromium) => {
            let urls: Vec<String> = generated
                .sample_ids
                .iter()
                .take(3)
                .map(|id| format!("{}/tenders/{id}", server.url))
                .collect();
            let runs = args.preset.browser_loads();
            let t = browser::measure(&args.node, &args.end2end, chromium, runs, &urls)?;
            eprintln!(
                "bench: {:<28} first byte {:.0} ms, hydrated {:.0} ms (cold, median); {:.0} / {:.0} ms warm",
                "tender page in Chromium",
                t.cold.first_byte_ms.median,
                t.cold.hydrated_ms.median,
                t.warm.first_byte_ms.median,
                t.warm.hydrated_ms.median
            );
            Some(t)
        }
    };
    // The bulk export, once, after the load: every public tender (the generated ones that are
    // not drafts, the rush's tender and the payments' tenders), streamed, with the server's
    // memory sampled.
    let expected_records = generated.published + 1 + pay.tenders();
    let export = export::run(&server.url, server.pid(), expected_records).await?;
    eprintln!(
        "bench: {:<28} {:>9.0} records/s, {:.1} MB in {:.2} s, server RSS {:.1} -> {:.1} MB",
        "OCDS bulk export",
        export.records_per_second,
        export.mb,
        export.seconds,
        export.rss_before_mb,
        export.rss_peak_mb
    );
    let (rush, payments) = writes
        .run(&[Only::Rush, Only::Payments], baseline_rps)
        .await;
    let peak_rss_mb = server.peak_rss_kb().unwrap_or(0) as f64 / 1024.0;
    server.stop();
    let rush = rush.ok_or("the rush did not run")??;
    let payments = payments.ok_or("the payments did not run")??;
    // Everything must have answered, and answered right; the figures are kept either way, so a
    // workload that fails at some volume (timeouts) shows how far it got.
    let failed: Vec<String> = measured
        .iter()
        .filter(|m| m.errors > 0 || m.requests == 0)
        .map(|m| {
            format!(
                "{}: {} requests, {} errors (non-2xx, socket errors or timeouts)",
                m.name, m.requests, m.errors
            )
        })
        .collect();
    let (wasm_raw_kb, wasm_brotli_kb) = wasm_sizes(&args.site_root);
    let report = Report {
        preset: args.preset,
        backend: args.backend,
        volume,
        generated,
        machine: machine(),
        cold_start_empty_ms,
        start_full_volume_ms,
        peak_rss_mb,
        wasm_raw_kb,
        wasm_brotli_kb,
        workloads: measured,
        ocds_export: export,
        rush,
        payments,
        tender_page_in_chromium,
    };
    print_table(&report);
    if let Some(out) = &args.out {
        let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
        eprintln!("bench: results written to {}", out.display());
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("the run failed: {}", failed.join("; ")))
    }
}

/// The write workloads, run after the read ones (they change the data).
struct Writes<'a> {
    rush: &'a rush::Rush,
    pay: &'a pay::Pay,
    server: &'a load::Server,
    url: &'a str,
    preset: Preset,
}

impl Writes<'_> {
    /// Runs those of `which` asked for, in order, printing a line for each.
    async fn run(
        &self,
        which: &[Only],
        baseline_rps: Option<f64>,
    ) -> (
        Option<Result<rush::RushResult>>,
        Option<Result<pay::PayResult>>,
    ) {
        let (mut rush, mut payments) = (None, None);
        if which.contains(&Only::Rush) {
            let (bidders, connections, window) = self.preset.rush();
            eprintln!(
                "bench: deadline rush: {bidders} bidders, {connections} clients, deadline in {} s",
                window.as_secs()
            );
            let cpu_before = self.server.cpu_seconds();
            let mut result = rush::run(
                self.rush,
                &self.server.url,
                &self.server.jwt_key,
                self.url,
                connections,
                window,
                baseline_rps,
            )
            .await;
            if let Ok(r) = &mut result {
                r.server_cpu_ms_per_bid = cpu_ms_per(cpu_before, self.server, r.accepted);
                eprintln!(
                    "bench: {:<28} {:>9.0} bids/s p50 {:>7.2} ms  p99 {:>7.2} ms  ({} accepted, {} cut off by the deadline, {} late tries refused; server CPU {} ms per bid)",
                    "deadline rush", r.accepted_per_second, r.p50_ms, r.p99_ms, r.accepted, r.refused_deadline, r.late_tries, shown(r.server_cpu_ms_per_bid)
                );
            }
            rush = Some(result);
        }
        if which.contains(&Only::Payments) {
            let (milestones, connections) = self.preset.pay();
            eprintln!("bench: payment release: {milestones} milestones, {connections} clients");
            let cpu_before = self.server.cpu_seconds();
            let mut result = pay::run(
                self.pay,
                &self.server.url,
                &self.server.jwt_key,
                self.url,
                connections,
                baseline_rps,
            )
            .await;
            if let Ok(p) = &mut result {
                p.server_cpu_ms_per_payment = cpu_ms_per(cpu_before, self.server, p.payments_found);
                eprintln!(
                    "bench: {:<28} {:>9.0} payments/s p50 {:>7.2} ms  p99 {:>7.2} ms  ({} requests, {} paid, {} repeats absorbed, {} refused as already paid; server CPU {} ms per payment)",
                    "payment release", p.releases_per_second, p.p50_ms, p.p99_ms, p.requests, p.payments_found, p.duplicates_absorbed, p.duplicates_refused, shown(p.server_cpu_ms_per_payment)
                );
            }
            payments = Some(result);
        }
        (rush, payments)
    }
}

/// The server's CPU time since `before`, in milliseconds per item.
fn cpu_ms_per(before: Option<f64>, server: &load::Server, items: usize) -> Option<f64> {
    let used = server.cpu_seconds()? - before?;
    (items > 0).then(|| used * 1000.0 / items as f64)
}

/// A figure that may be unknown (off Linux), for the printed lines.
fn shown(ms: Option<f64>) -> String {
    ms.map_or_else(|| "unknown".into(), |ms| format!("{ms:.2}"))
}

/// `ft_session=<token>` for each person, signed with the server's key.
/// Session cookies for `people`, minted with the key the server was started with (signing in
/// hundreds of times would measure argon2).
pub(crate) fn session_cookies(
    jwt_key: &str,
    people: &[app::infra::entities::person::Model],
) -> Result<Vec<String>> {
    use app::infra::auth::{issue_token, AuthKeys, SESSION_COOKIE};
    let keys = AuthKeys::new(jwt_key.as_bytes());
    let now = chrono::Utc::now();
    people
        .iter()
        .map(|p| {
            issue_token(&keys, p, now)
                .map(|t| format!("{SESSION_COOKIE}={t}"))
                .map_err(|e| format!("minting a session: {e:?}"))
        })
        .collect()
}

/// A new database on the PostgreSQL server at `admin`: its URL and name.
async fn create_pg_database(admin: &str) -> Result<(String, String)> {
    use sea_orm::ConnectionTrait;
    let name = format!("ft_bench_{}", uuid::Uuid::new_v4().simple());
    let conn = sea_orm::Database::connect(admin)
        .await
        .map_err(|e| format!("cannot reach PostgreSQL at {admin}: {e}"))?;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .map_err(|e| e.to_string())?;
    conn.close().await.ok();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    Ok((format!("{base}/{name}"), name))
}

/// Drops a database [`create_pg_database`] made; FORCE ends connections a stopped server left.
async fn drop_pg_database(admin: &str, name: &str) -> Result {
    use sea_orm::ConnectionTrait;
    let conn = sea_orm::Database::connect(admin)
        .await
        .map_err(|e| format!("cannot reach PostgreSQL at {admin}: {e}"))?;
    let dropped = conn
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .map(|_| ())
        .map_err(|e| e.to_string());
    conn.close().await.ok();
    dropped
}

fn redact(url: &str) -> String {
    app::infra::db::redact(url)
}

fn wasm_sizes(site_root: &std::path::Path) -> (Option<f64>, Option<f64>) {
    let pkg = site_root.join("pkg");
    let mut raw = 0u64;
    let mut br = 0u64;
    if let Ok(entries) = std::fs::read_dir(&pkg) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
            if name.ends_with(".wasm") {
                raw += len;
            } else if name.ends_with(".wasm.br") {
                br += len;
            }
        }
    }
    let kb = |bytes: u64| (bytes > 0).then_some(bytes as f64 / 1024.0);
    (kb(raw), kb(br))
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    format!("{cpus} CPUs ({model}), {mem_gb:.0} GiB RAM")
}

fn print_table(r: &Report) {
    println!();
    println!(
        "fairtender bench · preset {:?} · {:?} · {} tenders · {}",
        r.preset, r.backend, r.generated.tenders, r.machine
    );
    println!(
        "{:<34} {:>10} {:>9} {:>9} {:>10} {:>7} {:>12}",
        "workload", "req/s", "p50 ms", "p99 ms", "× baseline", "errors", "peak RSS MB"
    );
    for m in &r.workloads {
        println!(
            "{:<34} {:>10.0} {:>9.2} {:>9.2} {:>10.3} {:>7} {:>12.1}",
            m.name,
            m.requests_per_second,
            m.p50_ms,
            m.p99_ms,
            m.ratio_to_baseline,
            m.errors,
            m.server_peak_rss_mb
        );
    }
    let rush = &r.rush;
    println!(
        "{:<34} {:>10.0} {:>9.2} {:>9.2} {:>10.3}",
        "deadline rush (bids/s)",
        rush.accepted_per_second,
        rush.p50_ms,
        rush.p99_ms,
        rush.ratio_to_baseline
    );
    println!(
        "deadline rush: {} bidders, {} clients: {} accepted in {:.1} s, {} cut off by the deadline, {} late tries refused; {} found in the database, {} receipts verified; server CPU {} ms per bid",
        rush.bidders,
        rush.connections,
        rush.accepted,
        rush.burst_seconds,
        rush.refused_deadline,
        rush.late_tries,
        rush.verified_in_database,
        rush.receipts_verified,
        shown(rush.server_cpu_ms_per_bid)
    );
    let p = &r.payments;
    println!(
        "{:<34} {:>10.0} {:>9.2} {:>9.2} {:>10.3}",
        "payment release (payments/s)",
        p.releases_per_second,
        p.p50_ms,
        p.p99_ms,
        p.ratio_to_baseline
    );
    println!(
        "payment release: {} milestones ({} late, with interest) on {} contracts, {} officers, {} clients: {} requests for {} payables ({} contested) in {:.1} s; {} acknowledged, {} repeats absorbed, {} refused as already paid, {} won by the second officer; {} payments found in the database, exactly once each ({} principal, {} interest)",
        p.milestones,
        p.late_milestones,
        p.contracts,
        p.officers,
        p.connections,
        p.requests,
        p.payables,
        p.contested_payables,
        p.burst_seconds,
        p.acknowledged,
        p.duplicates_absorbed,
        p.duplicates_refused,
        p.second_officer_won,
        p.payments_found,
        app::domain::Money::from_fen(p.paid_fen).format_cny(),
        app::domain::Money::from_fen(p.interest_paid_fen).format_cny()
    );
    let e = &r.ocds_export;
    println!(
        "OCDS bulk export (records.jsonl): {} records, {:.1} MB in {:.2} s ({:.0} records/s, {:.1} MB/s, first byte {:.0} ms); server RSS {:.1} MB before, {:.1} MB peak during ({:+.1} MB, {} samples)",
        e.records,
        e.mb,
        e.seconds,
        e.records_per_second,
        e.mb_per_second,
        e.first_byte_ms,
        e.rss_before_mb,
        e.rss_peak_mb,
        e.rss_growth_mb,
        e.rss_samples
    );
    match &r.tender_page_in_chromium {
        Some(t) => println!(
            "tender page in Chromium ({}, {} pages x {} loads): first byte {:.1} ms, DOMContentLoaded {:.0} ms, hydrated {:.0} ms (cold, median; {:.0} KB transferred); warm: {:.1} / {:.0} / {:.0} ms",
            t.browser,
            t.urls,
            t.cold.loads / t.urls.max(1),
            t.cold.first_byte_ms.median,
            t.cold.dom_content_loaded_ms.median,
            t.cold.hydrated_ms.median,
            t.cold.transferred_kb.median,
            t.warm.first_byte_ms.median,
            t.warm.dom_content_loaded_ms.median,
            t.warm.hydrated_ms.median
        ),
        None => println!("tender page in Chromium: not measured (no --chromium)"),
    }
    println!(
        "cold start (empty database, all migrations): {:.0} ms; start on the generated data: {:.0} ms",
        r.cold_start_empty_ms, r.start_full_volume_ms
    );
    let kb = |size: Option<f64>| {
        size.map_or("not measured (no wasm in the site)".into(), |kb| {
            format!("{kb:.0} KB")
        })
    };
    println!(
        "server peak RSS: {:.1} MB; wasm: {} raw, {} brotli; generation: {:.1} s",
        r.peak_rss_mb,
        kb(r.wasm_raw_kb),
        kb(r.wasm_brotli_kb),
        r.generated.seconds
    );
    let g = &r.generated;
    println!(
        "generated: {} tenders ({} published, {} lots), {} bids ({} submissions, {} opened on {} openings, {} marks), {} awards, {} contracts, {} milestones ({} overdue, {} paid late), {} payments ({} of interest)",
        g.tenders,
        g.published,
        g.lots,
        g.bids,
        g.bid_submissions,
        g.opened_bids,
        g.openings,
        g.bid_marks,
        g.awards,
        g.contracts,
        g.milestones,
        g.overdue_milestones,
        g.paid_late_milestones,
        g.payments,
        g.interest_payments
    );
}
