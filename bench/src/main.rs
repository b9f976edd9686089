//! fairtender's benchmark (issue #8). `cargo xtask bench` builds the release server and runs
//! this; see bench/README.md. Every workload is reported as throughput and latency and as a
//! ratio to a baseline measured in the same run: a trivial axum route on the same machine.

mod export;
mod generate;
mod load;
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
    Run(RunArgs),
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
}

#[derive(Clone, Copy, Debug, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
enum Preset {
    /// A few hundred tenders and two seconds per workload: checks that everything answers
    /// correctly (CI runs it); its timings mean nothing.
    Smoke,
    /// 10,000 tenders.
    Quick,
    /// The issue's full volume: 100,000 tenders, 2,000 agencies, 50,000 suppliers.
    Full,
}

impl Preset {
    fn volume(self) -> Volume {
        match self {
            Preset::Smoke => Volume {
                tenders: 400,
                agencies: 20,
                suppliers: 200,
            },
            Preset::Quick => Volume {
                tenders: 10_000,
                agencies: 200,
                suppliers: 5_000,
            },
            Preset::Full => Volume {
                tenders: 100_000,
                agencies: 2_000,
                suppliers: 50_000,
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
        Command::Run(args) => run(args).await,
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

async fn generate_only(url: &str, preset: Preset) -> Result {
    let db = app::infra::db::connect(url, 4)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let generated = generate::generate(&db, preset.volume(), 2026, chrono::Utc::now())
        .await
        .map_err(|e| format!("generating: {e}"))?;
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
    wasm_raw_kb: f64,
    wasm_brotli_kb: f64,
    workloads: Vec<load::Measured>,
    ocds_export: export::ExportResult,
    rush: rush::RushResult,
}

async fn run(args: RunArgs) -> Result {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = match args.backend {
        BackendChoice::Sqlite => format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
        BackendChoice::Postgres => create_pg_database(&args.pg_url).await?,
    };
    let volume = args.preset.volume();

    // Cold start: an empty database, every migration applied, until /readyz answers.
    let empty = format!("sqlite://{}/empty.db?mode=rwc", dir.path().display());
    let server = load::Server::start(&args.server_bin, &args.site_root, &empty, dir.path()).await?;
    let cold_start_empty_ms = server.ready_after.as_secs_f64() * 1000.0;
    server.stop();

    eprintln!("bench: generating {volume:?} into {}", redact(&url));
    let db = app::infra::db::connect(&url, 4)
        .await
        .map_err(|e| format!("cannot open {}: {e}", redact(&url)))?;
    let generated = generate::generate(&db, volume, 2026, chrono::Utc::now())
        .await
        .map_err(|e| format!("generating: {e}"))?;
    let (bidders, rush_connections, rush_window) = args.preset.rush();
    let rush = rush::prepare(&db, bidders, chrono::Utc::now())
        .await
        .map_err(|e| format!("preparing the rush: {e}"))?;
    db.close().await.ok();
    eprintln!(
        "bench: generated {} tenders ({} lots, {} criteria) in {:.1} s",
        generated.tenders, generated.lots, generated.criteria, generated.seconds
    );

    let baseline = load::Baseline::start().await?;
    let server = load::Server::start(&args.server_bin, &args.site_root, &url, dir.path()).await?;
    let start_full_volume_ms = server.ready_after.as_secs_f64() * 1000.0;
    load::check_answers(&server.url, &generated.sample_ids).await?;
    let feed_pages = match load::check_feed(&server.url).await {
        Ok(pages) => pages,
        Err(e) => {
            server.stop();
            return Err(e);
        }
    };

    let tender_pages = match load::check_tender_list(&server.url).await {
        Ok(pages) => pages,
        Err(e) => {
            server.stop();
            return Err(e);
        }
    };

    let workloads = load::workloads(
        &server.url,
        &baseline.url,
        &generated.sample_ids,
        &feed_pages,
        &tender_pages,
    );
    let mut measured = Vec::new();
    let mut baseline_rps = None;
    for w in &workloads {
        let m = load::measure(&args.wrk, w, args.preset.load(), baseline_rps, dir.path())?;
        eprintln!(
            "bench: {:<28} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms",
            m.name, m.requests_per_second, m.p50_ms, m.p99_ms
        );
        if baseline_rps.is_none() {
            baseline_rps = Some(m.requests_per_second);
        }
        measured.push(m);
    }
    // The bulk export, once, after the load: every public tender (the generated ones that are
    // not drafts, and the rush's tender), streamed, with the server's memory sampled.
    let export = match export::run(&server.url, server.pid(), generated.published + 1).await {
        Ok(export) => export,
        Err(e) => {
            server.stop();
            return Err(e);
        }
    };
    eprintln!(
        "bench: {:<28} {:>9.0} records/s, {:.1} MB in {:.2} s, server RSS {:.1} -> {:.1} MB",
        "OCDS bulk export",
        export.records_per_second,
        export.mb,
        export.seconds,
        export.rss_before_mb,
        export.rss_peak_mb
    );
    eprintln!(
        "bench: deadline rush: {bidders} bidders, {rush_connections} clients, deadline in {} s",
        rush_window.as_secs()
    );
    let rush = rush::run(
        &rush,
        &server.url,
        &server.jwt_key,
        &url,
        rush_connections,
        rush_window,
        baseline_rps,
    )
    .await;
    let peak_rss_mb = server.peak_rss_kb().unwrap_or(0) as f64 / 1024.0;
    server.stop();
    let rush = rush?;
    eprintln!(
        "bench: {:<28} {:>9.0} bids/s p50 {:>7.2} ms  p99 {:>7.2} ms  ({} accepted, {} cut off by the deadline, {} late tries refused)",
        "deadline rush", rush.accepted_per_second, rush.p50_ms, rush.p99_ms, rush.accepted, rush.refused_deadline, rush.late_tries
    );
    // Everything answered, and answered right.
    for m in &measured {
        if m.errors > 0 || m.requests == 0 {
            return Err(format!(
                "{}: {} requests, {} errors (non-2xx or socket errors)",
                m.name, m.requests, m.errors
            ));
        }
    }
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
    };
    print_table(&report);
    if let Some(out) = &args.out {
        let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
        eprintln!("bench: results written to {}", out.display());
    }
    Ok(())
}

async fn create_pg_database(admin: &str) -> Result<String> {
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
    Ok(format!("{base}/{name}"))
}

fn redact(url: &str) -> String {
    app::infra::db::redact(url)
}

fn wasm_sizes(site_root: &std::path::Path) -> (f64, f64) {
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
    (raw as f64 / 1024.0, br as f64 / 1024.0)
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
        "{:<30} {:>10} {:>9} {:>9} {:>10}",
        "workload", "req/s", "p50 ms", "p99 ms", "× baseline"
    );
    for m in &r.workloads {
        println!(
            "{:<30} {:>10.0} {:>9.2} {:>9.2} {:>10.3}",
            m.name, m.requests_per_second, m.p50_ms, m.p99_ms, m.ratio_to_baseline
        );
    }
    let rush = &r.rush;
    println!(
        "{:<30} {:>10.0} {:>9.2} {:>9.2} {:>10.3}",
        "deadline rush (bids/s)",
        rush.accepted_per_second,
        rush.p50_ms,
        rush.p99_ms,
        rush.ratio_to_baseline
    );
    println!(
        "deadline rush: {} bidders, {} clients: {} accepted in {:.1} s, {} cut off by the deadline, {} late tries refused; {} found in the database, {} receipts verified",
        rush.bidders,
        rush.connections,
        rush.accepted,
        rush.burst_seconds,
        rush.refused_deadline,
        rush.late_tries,
        rush.verified_in_database,
        rush.receipts_verified
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
    println!(
        "cold start (empty database, all migrations): {:.0} ms; start on the generated data: {:.0} ms",
        r.cold_start_empty_ms, r.start_full_volume_ms
    );
    println!(
        "server peak RSS: {:.1} MB; wasm: {:.0} KB raw, {:.0} KB brotli; generation: {:.1} s",
        r.peak_rss_mb, r.wasm_raw_kb, r.wasm_brotli_kb, r.generated.seconds
    );
}
