//! `test`: fmt, the build, clippy, cargo test (with the PostgreSQL suite when a server
//! answers), the real full-disk test, the bench, API fuzz and crash smoke runs and the browser
//! tests, each a step of a [`Report`] that ends in a summary.

use std::{
    env,
    net::{TcpStream, ToSocketAddrs},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use crate::{
    bench::{bench_browser_args, chromium, wrk},
    build::{build, Server},
    util::{fmt_duration, is_root, node_modules, output_of, read_dir, run_cmd, which},
    Result, Workspace,
};

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// What `cargo xtask test` runs as `cargo test`; the build step compiles the same set.
pub(crate) const TEST_ARGS: [&str; 4] = ["test", "--workspace", "--exclude", "frontend"];

enum Outcome {
    Pass,
    Fail(String),
    Skipped(String),
}

struct Row {
    name: &'static str,
    took: Duration,
    outcome: Outcome,
}

#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    /// Repeated under the summary: a suite that did not run must not go unnoticed.
    warnings: Vec<String>,
}

impl Report {
    /// Runs one step of the test pipeline and records its outcome; `Err` is a failure.
    fn step(
        &mut self,
        name: &'static str,
        what: &str,
        f: impl FnOnce() -> Result<Outcome>,
    ) -> bool {
        println!("==> {what}");
        let start = Instant::now();
        let outcome = f().unwrap_or_else(Outcome::Fail);
        let took = start.elapsed();
        match &outcome {
            Outcome::Pass => println!("    done in {}", fmt_duration(took)),
            Outcome::Fail(why) => println!("    FAILED after {}: {why}", fmt_duration(took)),
            Outcome::Skipped(why) => println!("    skipped: {why}"),
        }
        let passed = matches!(outcome, Outcome::Pass);
        self.rows.push(Row {
            name,
            took,
            outcome,
        });
        passed
    }

    fn warn(&mut self, line: String) {
        println!("\n!!! {line}\n");
        self.warnings.push(line);
    }

    fn print(&self) {
        println!("==> summary");
        for row in &self.rows {
            let result = match &row.outcome {
                Outcome::Pass => "PASS".to_string(),
                Outcome::Fail(why) => format!("FAIL  {why}"),
                Outcome::Skipped(why) => format!("SKIPPED  {why}"),
            };
            println!(
                "    {:<12} {:>9}  {result}",
                row.name,
                fmt_duration(row.took)
            );
        }
        for line in &self.warnings {
            println!("!!! {line}");
        }
    }

    fn failed(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Fail(_)))
            .count()
    }
}

/// `cargo xtask test`: every step runs (those that need the build are skipped when it failed),
/// then the summary; an error if any step failed.
pub(crate) fn test(ws: &Workspace, with_build: bool, with_browser: bool) -> Result {
    let start = Instant::now();
    let mut report = Report::default();
    check_fmt(&mut report, ws);
    let built = build_step(&mut report, ws, with_build);
    clippy(&mut report, ws);
    let pg_url = env::var("FT_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_PG_URL.into());
    let pg_reachable = postgres(&mut report, &pg_url);
    cargo_test(&mut report, ws, &pg_url, pg_reachable);
    report.step(
        "barriers",
        "the barrier check's corpus: recall and false positives per category",
        || pass(barriers(ws)),
    );
    real_disk(&mut report, ws);
    bench_smoke(&mut report, ws, built);
    api_fuzz(&mut report, ws, built);
    crash_smoke(&mut report, ws, built);
    browser(&mut report, ws, built, with_browser);

    report.print();
    let failed = report.failed();
    println!("    total {}", fmt_duration(start.elapsed()));
    match failed {
        0 => Ok(()),
        n => Err(format!("{n} of {} steps failed", report.rows.len())),
    }
}

/// A command's result as a step's outcome.
fn pass(r: Result) -> Result<Outcome> {
    r.map(|()| Outcome::Pass)
}

fn check_fmt(report: &mut Report, ws: &Workspace) {
    report.step(
        "fmt",
        "checking formatting (cargo fmt --all --check)",
        || pass(run_cmd(ws.cargo().args(["fmt", "--all", "--check"]))),
    );
}

/// Whether the steps that need the build may run: it passed, or `--no-build` skipped it.
fn build_step(report: &mut Report, ws: &Workspace, with_build: bool) -> bool {
    report.step(
        "build",
        "building the wasm bundle and the dev server",
        || {
            if with_build {
                build(ws, Server::WithTests).map(|_| Outcome::Pass)
            } else {
                Ok(Outcome::Skipped("--no-build".into()))
            }
        },
    ) || !with_build
}

fn clippy(report: &mut Report, ws: &Workspace) {
    report.step("clippy", "linting (cargo clippy, warnings denied)", || {
        pass(run_cmd(ws.cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "frontend",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])))
    });
}

/// Whether PostgreSQL answers at `pg_url`; a warning under the summary when it does not.
fn postgres(report: &mut Report, pg_url: &str) -> bool {
    let mut pg_reachable = false;
    report.step(
        "postgres",
        &format!("looking for PostgreSQL at {pg_url}"),
        || {
            pg_reachable = ensure_postgres(pg_url)?;
            if pg_reachable {
                drop_leftover_databases(pg_url);
            }
            Ok(if pg_reachable {
                Outcome::Pass
            } else {
                Outcome::Skipped(format!("no server at {pg_url}"))
            })
        },
    );
    if !pg_reachable {
        report.warn(format!(
            "SKIPPED: PostgreSQL suite (no server at {pg_url}); set FT_TEST_PG_URL to run it"
        ));
    }
    pg_reachable
}

/// Databases the tests and benches made (`ft_test_*`, `ft_bench_*`) and a killed run left
/// behind: each test drops its own, so these are only a crashed run's. One still in use (a run
/// going on beside this one) refuses the plain DROP and stays.
fn drop_leftover_databases(pg_url: &str) {
    if which("psql").is_none() {
        return;
    }
    let list = output_of(Command::new("psql").args([
        "-X",
        "-w",
        "-q",
        "-A",
        "-t",
        "-d",
        pg_url,
        "-c",
        r"select datname from pg_database where datname like 'ft\_test\_%' or datname like 'ft\_bench\_%'",
    ]));
    let names: Vec<String> = list
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect();
    let dropped = names
        .iter()
        .filter(|name| {
            Command::new("psql")
                .args(["-X", "-w", "-q", "-d", pg_url, "-c"])
                .arg(format!("DROP DATABASE IF EXISTS {name}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .count();
    if !names.is_empty() {
        println!(
            "    dropped {dropped} of {} databases an earlier run left behind",
            names.len()
        );
    }
}

fn cargo_test(report: &mut Report, ws: &Workspace, pg_url: &str, pg_reachable: bool) {
    report.step("cargo test", "running the Rust tests (cargo test)", || {
        let mut cmd = ws.cargo();
        // Every test binary runs even when one fails, so one failure does not hide the rest.
        cmd.args(TEST_ARGS).arg("--no-fail-fast");
        if pg_reachable {
            cmd.env("FT_TEST_PG_URL", pg_url);
        } else {
            cmd.env_remove("FT_TEST_PG_URL")
                .args(["--", "--skip", "postgres::"]);
        }
        pass(run_cmd(&mut cmd))
    });
}

/// `cargo xtask barriers`: the corpus tests of `domain::barrier` (the tender corpus, and the
/// contract payment-term corpus of issue #33), printing their tables (recall >= 95% and false
/// positives <= 2% or it fails). Built like `cargo test`, so nothing rebuilds.
pub(crate) fn barriers(ws: &Workspace) -> Result {
    run_cmd(ws.cargo().args(TEST_ARGS).args([
        "--lib",
        "--",
        "--exact",
        "domain::barrier::corpus::r_bar_corpus_recall_and_false_positives_meet_the_targets",
        "domain::barrier::payment_corpus::r_pay_09_r_pay_03_payment_corpus_recall_and_false_positives_meet_the_targets",
        "--nocapture",
    ]))
}

fn real_disk(report: &mut Report, ws: &Workspace) {
    // The real full disk (server/tests/api/faults.rs) mounts a tmpfs, which only root may.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    report.step(
        "real disk",
        "a real full disk (the ignored test that mounts a 3 MB tmpfs)",
        || {
            if !root {
                return Ok(Outcome::Skipped("mounting a tmpfs needs root".into()));
            }
            pass(run_cmd(ws.cargo().args(TEST_ARGS).args([
                "--",
                "--ignored",
                "a_real_disk_that_fills_up",
            ])))
        },
    );
    if !root {
        report.warn("SKIPPED: the real full-disk test (mounting a tmpfs needs root)".into());
    }
}

fn bench_smoke(report: &mut Report, ws: &Workspace, built: bool) {
    let mut bench_skipped = None;
    report.step(
        "bench smoke",
        "benchmark smoke run (bench/, smallest preset: correctness only, not speed)",
        || {
            if !built {
                return Ok(Outcome::Skipped("the build failed".into()));
            }
            let Some(wrk) = wrk()? else {
                let why = "no wrk: install the Debian package wrk".to_string();
                if env::var("CI").as_deref() == Ok("true") {
                    return Err(format!("{why} (CI=true requires the bench smoke run)"));
                }
                bench_skipped = Some(why.clone());
                return Ok(Outcome::Skipped(why));
            };
            // The bench binary is built with the tests (bench/tests needs it): a plain
            // `cargo build -p bench` would resolve other features and recompile most of the
            // workspace. This is a no-op when the build step made it.
            run_cmd(ws.cargo().args(TEST_ARGS).arg("--no-run"))?;
            let mut cmd = Command::new(ws.target.join("debug").join("bench"));
            cmd.args(["run", "--preset", "smoke", "--server-bin"])
                .arg(ws.server_bin(true))
                .arg("--site-root")
                .arg(ws.site())
                .arg("--wrk")
                .arg(wrk);
            bench_browser_args(ws, &mut cmd)?;
            run_cmd(&mut cmd).map(|()| Outcome::Pass)
        },
    );
    if let Some(why) = bench_skipped {
        report.warn(format!("SKIPPED: bench smoke run ({why})"));
    }
}

fn api_fuzz(report: &mut Report, ws: &Workspace, built: bool) {
    report.step(
        "api fuzz",
        "API fuzzing (bench api-fuzz: schemathesis against /api/v1's OpenAPI document)",
        || {
            if !built {
                return Ok(Outcome::Skipped("the build failed".into()));
            }
            let Some(st) = schemathesis() else {
                let why = format!("no schemathesis: pip install {SCHEMATHESIS}");
                if env::var("CI").as_deref() == Ok("true") {
                    return Err(format!("{why} (CI=true requires the API fuzz run)"));
                }
                return Ok(Outcome::Skipped(why));
            };
            run_cmd(ws.cargo().args(TEST_ARGS).arg("--no-run"))?;
            let mut cmd = Command::new(ws.target.join("debug").join("bench"));
            cmd.args(["api-fuzz", "--examples", "30", "--st"])
                .arg(st)
                .arg("--server-bin")
                .arg(ws.server_bin(true))
                .arg("--site-root")
                .arg(ws.site());
            run_cmd(&mut cmd).map(|()| Outcome::Pass)
        },
    );
}

fn crash_smoke(report: &mut Report, ws: &Workspace, built: bool) {
    report.step(
        "crash smoke",
        "crash safety (bench crash: the server killed twice while bids and payments are written)",
        || {
            if !built {
                return Ok(Outcome::Skipped("the build failed".into()));
            }
            run_cmd(ws.cargo().args(TEST_ARGS).arg("--no-run"))?;
            let mut cmd = Command::new(ws.target.join("debug").join("bench"));
            cmd.args([
                "crash",
                "--kills",
                "2",
                "--bidders",
                "150",
                "--milestones",
                "60",
            ])
            .arg("--server-bin")
            .arg(ws.server_bin(true))
            .arg("--site-root")
            .arg(ws.site());
            run_cmd(&mut cmd).map(|()| Outcome::Pass)
        },
    );
}

fn browser(report: &mut Report, ws: &Workspace, built: bool, with_browser: bool) {
    if with_browser {
        let mut skipped = None;
        report.step(
            "browser",
            "running the browser tests (end2end, Chromium)",
            || {
                if !built {
                    return Ok(Outcome::Skipped("the build failed".into()));
                }
                let outcome = browser_tests(ws)?;
                if let Outcome::Skipped(why) = &outcome {
                    skipped = Some(why.clone());
                }
                Ok(outcome)
            },
        );
        if let Some(why) = skipped {
            report.warn(format!("SKIPPED: browser tests ({why})"));
        }
    } else {
        report.step("browser", "browser tests", || {
            Ok(Outcome::Skipped("--no-browser".into()))
        });
    }
}

/// Whether PostgreSQL answers at `url`, after trying to start the local cluster (as root)
/// unless FT_REQUIRE_POSTGRES=1, which turns "no server" into an error.
fn ensure_postgres(url: &str) -> Result<bool> {
    if postgres_answers(url) {
        return Ok(true);
    }
    if env::var("FT_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        return Err(format!(
            "no PostgreSQL at {url} (FT_REQUIRE_POSTGRES=1 requires the suite)"
        ));
    }
    if !(is_root() && which("pg_ctlcluster").is_some()) {
        return Ok(false);
    }
    // Debian clusters live in /etc/postgresql/<version>/<name>; start each version's `main`.
    // One that fails to start (already running, broken) is reported by pg_ctlcluster itself.
    let mut started = false;
    for version in read_dir(Path::new("/etc/postgresql")).unwrap_or_default() {
        if version.join("main").is_dir() {
            let version = version.file_name().expect("directory entries have names");
            started |= run_cmd(
                Command::new("pg_ctlcluster")
                    .arg("--skip-systemctl-redirect")
                    .arg(version)
                    .args(["main", "start"]),
            )
            .is_ok();
        }
    }
    if !started {
        return Ok(false);
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if postgres_answers(url) {
            return Ok(true);
        }
        thread::sleep(Duration::from_millis(500));
    }
    Ok(false)
}

/// A TCP connection to the URL's host and port, then `select 1` through psql if it exists.
fn postgres_answers(url: &str) -> bool {
    let tcp = postgres_address(url)
        .to_socket_addrs()
        .into_iter()
        .flatten()
        .any(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok());
    if !tcp || which("psql").is_none() {
        return tcp;
    }
    Command::new("psql")
        .args(["-X", "-w", "-q", "-c", "select 1", "-d", url])
        .env("PGCONNECT_TIMEOUT", "5")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `host:port` of a `postgres://user:pw@host:port/db?opts` URL (port 5432 by default).
fn postgres_address(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let host_port = if host_port.is_empty() {
        "localhost"
    } else {
        host_port
    };
    // An IPv6 host is bracketed: "[::1]" has no port, "[::1]:5433" has one.
    if host_port.ends_with(']') || !host_port.contains(':') {
        format!("{host_port}:5432")
    } else {
        host_port.to_string()
    }
}

/// Runs end2end's `npm test` against the dev server and the built site. A missing browser or
/// Node.js skips the suite, except in CI (CI=true) where it fails.
fn browser_tests(ws: &Workspace) -> Result<Outcome> {
    let in_ci = env::var("CI").as_deref() == Ok("true");
    let skip = |why: String| {
        if in_ci {
            Err(format!("{why} (CI=true requires the browser tests)"))
        } else {
            Ok(Outcome::Skipped(why))
        }
    };
    let Some(chromium) = chromium()? else {
        return skip(
            "no Chromium: install the Debian package chromium or set CHROMIUM_PATH".into(),
        );
    };
    if !node_modules(ws)? {
        return skip("no node/npm on PATH".into());
    }
    let server = ws.server_bin(true);
    let site = ws.site();
    for needed in [&server, &site] {
        if !needed.exists() {
            return Err(format!(
                "{} is missing: run `cargo xtask build --dev` first",
                needed.display()
            ));
        }
    }
    run_cmd(
        Command::new("npm")
            .arg("test")
            .current_dir(ws.end2end())
            .env("FT_SERVER_BIN", &server)
            .env("FAIRTENDER_SITE_ROOT", &site)
            .env("CHROMIUM_PATH", &chromium),
    )
    .map(|()| Outcome::Pass)
}

/// The schemathesis version the API fuzz step installs (PyPI) when `st` is missing.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// schemathesis's `st` beside this machine's `python3`, installed with pip when missing.
fn schemathesis() -> Option<PathBuf> {
    let scripts = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('scripts'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let st = PathBuf::from(String::from_utf8_lossy(&scripts.stdout).trim()).join("st");
    if !st.exists() {
        println!("    installing {SCHEMATHESIS} (pip)");
        let installed = Command::new("python3")
            .args(["-m", "pip", "install", "-q", SCHEMATHESIS])
            .status();
        if !installed.is_ok_and(|s| s.success()) {
            println!("    could not install {SCHEMATHESIS}");
        }
    }
    st.exists().then_some(st)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_address_defaults_the_port_and_drops_credentials() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1:5432/postgres",
                "127.0.0.1:5432",
            ),
            (
                "postgresql://u:p@db.example:6543/x?sslmode=disable",
                "db.example:6543",
            ),
            ("postgres://u@localhost/db", "localhost:5432"),
            ("postgres://[::1]/db", "[::1]:5432"),
            ("postgres://u@[::1]:5433", "[::1]:5433"),
            ("postgres:///db", "localhost:5432"),
        ];
        for (url, address) in cases {
            assert_eq!(postgres_address(url), address, "{url}");
        }
    }
}
