//! fairtender's build and test driver, run as `cargo xtask <command>` (alias in
//! .cargo/config.toml):
//!
//! - `build [--dev]`: the browser bundle and assets in `<target>/site`, then the server
//!   (release unless `--dev`);
//! - `run`: `build`, seed the demo data, then serve on http://127.0.0.1:3000;
//! - `test [--no-build] [--no-browser]`: fmt, `build --dev`, clippy, cargo test (with the
//!   PostgreSQL suite when a server answers) and the browser tests, then a summary;
//! - `fuzz [--seconds N] [target...]`: the cargo-fuzz targets in fuzz/, N seconds each (not
//!   part of `test`: see bench/README.md, "Fuzzing the parsers").
//!
//! Only std plus brotli/flate2, so it compiles in seconds on a fresh machine. `<target>` is
//! `$CARGO_TARGET_DIR` or `<repo>/target`.

use std::{
    env,
    ffi::OsStr,
    fs,
    io::Write,
    net::{TcpStream, ToSocketAddrs},
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Command, ExitCode, Stdio},
    thread,
    time::{Duration, Instant},
};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask build [--dev] | run | test [--no-build] [--no-browser] \
                     | bench [--preset smoke|quick|full] [--backend sqlite|postgres] \
                     | fuzz [--seconds N] [target...]";

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";
/// Name of the bundle files in `<target>/site/pkg` (`output-name` in the root Cargo.toml).
const OUTPUT_NAME: &str = "fairtender";

/// Debian's way to build for wasm32 without the rustup target (see
/// shared/notes/wasm-build.md): a newer rustc with its std sources, plus wasm-ld.
const DEBIAN_WASM_PACKAGES: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-19"];
const DEBIAN_CARGO: &str = "/usr/bin/cargo";
const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
const DEBIAN_WASM_LD: &str = "/usr/lib/llvm-19/bin/wasm-ld";

/// The features rustc's default wasm32 CPU emits (LLVM's "generic" model, Rust >= 1.87).
/// wasm-opt validates its input against them and uses nothing else in its output; without
/// reference-types it would mangle wasm-bindgen's externref table.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

/// Extensions of the files under `<target>/site` that get `.br` and `.gz` siblings.
const COMPRESSIBLE: &[&str] = &["js", "wasm", "css", "svg", "ico", "html", "json"];

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
/// What `cargo xtask test` runs as `cargo test`; the build step compiles the same set.
const TEST_ARGS: [&str; 4] = ["test", "--workspace", "--exclude", "frontend"];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let Some((command, flags)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let ws = Workspace::locate();
    let result = match command.as_str() {
        "build" => {
            let server = if has(flags, "--dev") {
                Server::Dev
            } else {
                Server::Release
            };
            check_flags(flags, &["--dev"]).and_then(|()| build(&ws, server).map(drop))
        }
        "run" => check_flags(flags, &[]).and_then(|()| run(&ws)),
        "test" => check_flags(flags, &["--no-build", "--no-browser"])
            .and_then(|()| test(&ws, !has(flags, "--no-build"), !has(flags, "--no-browser"))),
        "bench" => bench(&ws, flags),
        "fuzz" => fuzz(&ws, flags),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check_flags(flags: &[String], allowed: &[&str]) -> Result {
    match flags.iter().find(|f| !allowed.contains(&f.as_str())) {
        Some(f) => Err(format!("unknown option `{f}`\n{USAGE}")),
        None => Ok(()),
    }
}

fn has(flags: &[String], flag: &str) -> bool {
    flags.iter().any(|f| f == flag)
}

/// Where things are.
struct Workspace {
    root: PathBuf,
    target: PathBuf,
}

impl Workspace {
    fn locate() -> Self {
        // `cargo run` sets CARGO_MANIFEST_DIR to xtask/ at run time too; the compile-time
        // value is the fallback for running the binary directly.
        let xtask = env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = xtask.parent().expect("xtask/ has a parent").to_path_buf();
        let target = match env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
            Some(dir) => {
                // Cargo reads a relative CARGO_TARGET_DIR from its working directory; the
                // cargo runs below start in the repo root, so hand them the absolute path.
                let dir = env::current_dir().expect("working directory").join(dir);
                env::set_var("CARGO_TARGET_DIR", &dir);
                dir
            }
            None => root.join("target"),
        };
        Workspace { root, target }
    }

    fn site(&self) -> PathBuf {
        self.target.join("site")
    }

    fn pkg(&self) -> PathBuf {
        self.site().join("pkg")
    }

    fn end2end(&self) -> PathBuf {
        self.root.join("end2end")
    }

    fn server_bin(&self, dev: bool) -> PathBuf {
        self.target
            .join(if dev { "debug" } else { "release" })
            .join("server")
    }

    /// The cargo that runs xtask (rustup's), started in the repo root.
    fn cargo(&self) -> Command {
        let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(&self.root);
        cmd
    }
}

// ---------------------------------------------------------------------------------------
// build

/// How the server binary is built.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Server {
    Release,
    Dev,
    /// The dev binary, compiled by `cargo test --no-run` together with the tests: a plain
    /// `cargo build` resolves other dependency features (dev-dependencies), so the tests
    /// would compile the whole server a second time and double target/'s size.
    WithTests,
}

/// Builds everything and returns the server binary's path.
///
/// The server (and, for `test`, the tests) compile beside the wasm: the wasm's last stages
/// (fat LTO in one codegen unit, wasm-opt, brotli) keep one core busy and leave the other
/// idle, and the two builds use separate folders of the target directory. The server build's
/// output goes to `<target>/server-build.log`, shown in full if it fails.
fn build(ws: &Workspace, server: Server) -> Result<PathBuf> {
    let dev = server != Server::Release;
    let what = match server {
        Server::Release => "building the server (release)",
        Server::Dev => "building the server (dev)",
        Server::WithTests => "building the server (dev) and the tests",
    };
    fs::create_dir_all(&ws.target)
        .map_err(|e| format!("cannot create {}: {e}", ws.target.display()))?;
    let log = ws.target.join("server-build.log");
    let (site, host) = thread::scope(|scope| {
        println!("==> {what}, beside the wasm (output in {})", log.display());
        let host = scope.spawn(|| {
            let start = Instant::now();
            let result = build_server(ws, server, &log);
            (result, start.elapsed())
        });
        let site = build_site(ws);
        let host = host
            .join()
            .unwrap_or_else(|_| (Err("the server build panicked".into()), Duration::ZERO));
        (site, host)
    });
    let (host, took) = host;
    println!("==> {what} (beside the wasm)");
    match &host {
        Ok(()) => println!("    done in {}", fmt_duration(took)),
        Err(e) => {
            println!("{}", fs::read_to_string(&log).unwrap_or_default());
            println!("    failed after {}: {e}", fmt_duration(took));
        }
    }
    let site = site?;
    host?;
    let server = ws.server_bin(dev);
    if !server.is_file() {
        return Err(format!("cargo built no {}", server.display()));
    }

    let served = ws.pkg().join(format!("{OUTPUT_NAME}_bg.wasm"));
    let kb = |path: &Path| fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1024.0);
    println!(
        "wasm: {:.1} KB raw, {:.1} KB gzip, {:.1} KB brotli ({})",
        kb(&served),
        kb(&with_suffix(&served, ".gz")),
        kb(&with_suffix(&served, ".br")),
        served.display()
    );
    println!("site: {}", site.display());
    println!("server: {}", server.display());
    Ok(server)
}

/// The server build of [`build`], its output written to `log`.
fn build_server(ws: &Workspace, server: Server, log: &Path) -> Result {
    let mut cmd = ws.cargo();
    match server {
        Server::Release => cmd.args(["build", "-p", "server", "--release"]),
        Server::Dev => cmd.args(["build", "-p", "server"]),
        Server::WithTests => cmd.args(TEST_ARGS).arg("--no-run"),
    };
    let out = fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    cmd.stdout(out).stderr(err);
    run_cmd(&mut cmd)
}

/// The browser bundle, optimised, and the site around it, precompressed; returns the site.
fn build_site(ws: &Workspace) -> Result<PathBuf> {
    let toolchain = step("checking the wasm32 toolchain", wasm_toolchain)?;
    let bindgen = step("checking the wasm-bindgen CLI", || wasm_bindgen_cli(ws))?;
    let wasm = step(
        &format!("building the frontend wasm ({toolchain:?} toolchain, profile {WASM_PROFILE})"),
        || build_wasm(ws, toolchain),
    )?;

    // wasm-bindgen's output, optimised, is kept in <target>/wasm-bundle: wasm-opt takes
    // half a minute, and many builds (server-only edits, test reruns) leave the wasm as it was.
    let bundle_dir = ws.target.join("wasm-bundle");
    let bundle = bundle_dir.join(format!("{OUTPUT_NAME}_bg.wasm"));
    if is_newer(&bundle, &wasm) {
        println!(
            "==> the wasm bundle is up to date ({})",
            bundle_dir.display()
        );
    } else {
        let made = step("generating the JS bindings (wasm-bindgen)", || {
            remove_dir(&bundle_dir)?;
            run_cmd(
                Command::new(&bindgen)
                    .args([
                        "--target",
                        "web",
                        "--no-typescript",
                        "--remove-name-section",
                    ])
                    .args(["--out-name", OUTPUT_NAME, "--out-dir"])
                    .arg(&bundle_dir)
                    .arg(&wasm),
            )
        })
        .and_then(|()| {
            step("optimising the wasm (wasm-opt -Oz)", || {
                wasm_opt(ws, &bundle)
            })
        });
        if let Err(e) = made {
            // Never leave a half-made bundle that looks up to date.
            let _ = fs::remove_dir_all(&bundle_dir);
            return Err(e);
        }
    }

    let site = ws.site();
    step(
        "assembling the site (bundle, public/, style/main.css)",
        || assemble_site(ws, &bundle_dir),
    )?;
    step("precompressing the site (brotli 11, gzip best)", || {
        precompress(&site)
    })?;
    Ok(site)
}

#[derive(Debug, Clone, Copy)]
enum Toolchain {
    Rustup,
    Debian,
}

/// Prefers rustup's wasm32 target; otherwise Debian's packages, installed if we may.
fn wasm_toolchain() -> Result<Toolchain> {
    let rustup_has_target =
        output_of(Command::new("rustup").args(["target", "list", "--installed"]))
            .is_some_and(|out| out.lines().any(|l| l.trim() == WASM_TARGET));
    if rustup_has_target {
        return Ok(Toolchain::Rustup);
    }
    let missing: Vec<&str> = DEBIAN_WASM_PACKAGES
        .iter()
        .copied()
        .filter(|p| !deb_installed(p))
        .collect();
    if !missing.is_empty() {
        if !can_apt() {
            return Err(format!(
                "no wasm32 toolchain: run `rustup target add {WASM_TARGET}`, or install the \
                 Debian packages: apt-get install -y {}",
                DEBIAN_WASM_PACKAGES.join(" ")
            ));
        }
        println!(
            "    no rustup {WASM_TARGET} target: installing {}",
            missing.join(" ")
        );
        apt_install(&missing)?;
    }
    for tool in [DEBIAN_CARGO, DEBIAN_RUSTC, DEBIAN_WASM_LD] {
        if !Path::new(tool).is_file() {
            return Err(format!(
                "{tool} is missing although {} are installed",
                DEBIAN_WASM_PACKAGES.join(" ")
            ));
        }
    }
    Ok(Toolchain::Debian)
}

fn build_wasm(ws: &Workspace, toolchain: Toolchain) -> Result<PathBuf> {
    let build_args = [
        "build",
        "-p",
        "frontend",
        "--lib",
        "--profile",
        WASM_PROFILE,
        "--target",
        WASM_TARGET,
    ];
    let mut cmd = match toolchain {
        Toolchain::Rustup => ws.cargo(),
        Toolchain::Debian => {
            // rustup's proxy comes first on PATH, so Debian's cargo is told which rustc to
            // use; RUSTC_BOOTSTRAP allows -Zbuild-std, which compiles std for wasm32 from
            // rust-web-src (panic_abort because the profile sets panic = "abort").
            let mut cmd = Command::new(DEBIAN_CARGO);
            cmd.current_dir(&ws.root)
                .env("RUSTC", DEBIAN_RUSTC)
                .env("RUSTC_BOOTSTRAP", "1")
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", DEBIAN_WASM_LD);
            cmd
        }
    };
    cmd.args(build_args);
    if let Toolchain::Debian = toolchain {
        cmd.arg("-Zbuild-std=std,panic_abort");
    }
    run_cmd(&mut cmd)?;
    let wasm = ws
        .target
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join("frontend.wasm");
    if wasm.is_file() {
        Ok(wasm)
    } else {
        Err(format!("cargo built no {}", wasm.display()))
    }
}

/// The wasm-bindgen CLI of exactly the version in Cargo.lock (the two must match), kept in
/// `<target>/tools` and installed there when absent or of another version.
fn wasm_bindgen_cli(ws: &Workspace) -> Result<PathBuf> {
    let lock_path = ws.root.join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let version = locked_version(&lock, "wasm-bindgen")?;
    let tools = ws.target.join("tools");
    let bin = tools.join("bin").join("wasm-bindgen");
    let installed = || {
        output_of(Command::new(&bin).arg("--version"))
            .is_some_and(|out| out.split_whitespace().nth(1) == Some(version.as_str()))
    };
    if installed() {
        println!("    wasm-bindgen {version}: {}", bin.display());
        return Ok(bin);
    }
    // Not --locked: the CLI's own lockfile pins a webpki-roots version the registry here
    // does not serve. No shared CARGO_TARGET_DIR: the CLI builds in a temporary folder.
    run_cmd(
        ws.cargo()
            .args(["install", "wasm-bindgen-cli", "--force", "--version"])
            .arg(format!("={version}"))
            .arg("--root")
            .arg(&tools)
            .env_remove("CARGO_TARGET_DIR"),
    )?;
    if installed() {
        Ok(bin)
    } else {
        Err(format!(
            "{} is not wasm-bindgen {version} after installing it",
            bin.display()
        ))
    }
}

/// The version of `package` in the Cargo.lock text `lock`; an error unless there is exactly one.
fn locked_version(lock: &str, package: &str) -> Result<String> {
    let name_line = format!("name = \"{package}\"");
    let versions: Vec<&str> = lock
        .split("[[package]]")
        .filter(|entry| entry.lines().any(|l| l.trim() == name_line))
        .filter_map(|entry| {
            entry
                .lines()
                .find_map(|l| l.trim().strip_prefix("version = "))
        })
        .map(|v| v.trim_matches('"'))
        .collect();
    match versions.as_slice() {
        [version] => Ok(version.to_string()),
        [] => Err(format!("Cargo.lock has no {package} package")),
        _ => Err(format!(
            "Cargo.lock has several {package} versions ({}): pin one",
            versions.join(", ")
        )),
    }
}

/// Shrinks the bundle in place with npm's binaryen (a devDependency of end2end/). Debian's
/// binaryen is too old: it breaks the externref table. Skipped when there is no Node.js.
fn wasm_opt(ws: &Workspace, wasm: &Path) -> Result {
    if !node_modules(ws)? {
        println!("    note: no node/npm on PATH, so wasm-opt is skipped (the bundle still works)");
        return Ok(());
    }
    let wasm_opt = ws.end2end().join("node_modules/.bin/wasm-opt");
    run_cmd(
        Command::new(&wasm_opt)
            .arg("-Oz")
            .args(WASM_OPT_FEATURES)
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )
}

/// Lays out `<target>/site` afresh, so that no stale file (or stale .br/.gz) is served.
fn assemble_site(ws: &Workspace, bundle_dir: &Path) -> Result {
    remove_dir(&ws.site())?;
    copy_dir(bundle_dir, &ws.pkg())?;
    let public = ws.root.join("public");
    if public.is_dir() {
        copy_dir(&public, &ws.site())?;
    }
    let css = ws.root.join("style/main.css");
    if !css.is_file() {
        return Err(format!("{} is missing", css.display()));
    }
    let to = ws.pkg().join(format!("{OUTPUT_NAME}.css"));
    fs::copy(&css, &to)
        .map_err(|e| format!("cannot copy {} to {}: {e}", css.display(), to.display()))?;
    Ok(())
}

fn remove_dir(dir: &Path) -> Result {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Whether `path` exists and was modified after `than`.
fn is_newer(path: &Path, than: &Path) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(path), modified(than)), (Some(a), Some(b)) if a > b)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in read_dir(from)? {
        let dest = to.join(entry.file_name().expect("directory entries have names"));
        if entry.is_dir() {
            copy_dir(&entry, &dest)?;
        } else {
            fs::copy(&entry, &dest).map_err(|e| {
                format!("cannot copy {} to {}: {e}", entry.display(), dest.display())
            })?;
        }
    }
    Ok(())
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    entries
        .map(|e| {
            e.map(|e| e.path())
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))
        })
        .collect()
}

/// Writes `<file>.br` and `<file>.gz` beside every compressible file under `dir`, one
/// thread per file (brotli 11 on the wasm is the slow one).
fn precompress(dir: &Path) -> Result {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for path in read_dir(&dir)? {
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .and_then(OsStr::to_str)
                .is_some_and(|ext| COMPRESSIBLE.contains(&ext))
            {
                files.push(path);
            }
        }
    }
    thread::scope(|scope| {
        let jobs: Vec<_> = files
            .iter()
            .map(|file| scope.spawn(|| compress_file(file)))
            .collect();
        jobs.into_iter()
            .try_for_each(|job| job.join().expect("compression thread panicked"))
    })?;
    println!("    {} files", files.len());
    Ok(())
}

fn compress_file(file: &Path) -> Result {
    let fail = |e: std::io::Error| format!("cannot compress {}: {e}", file.display());
    let data = fs::read(file).map_err(fail)?;

    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut data.as_slice(), &mut br, &params).map_err(fail)?;
    fs::write(with_suffix(file, ".br"), br).map_err(fail)?;

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&data).map_err(fail)?;
    fs::write(with_suffix(file, ".gz"), gz.finish().map_err(fail)?).map_err(fail)?;
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

// ---------------------------------------------------------------------------------------
// run

fn run(ws: &Workspace) -> Result {
    let server = build(ws, Server::Release)?;
    let site_root = env::var_os("FAIRTENDER_SITE_ROOT").unwrap_or_else(|| ws.site().into());
    let server_cmd = |subcommand: &str| {
        let mut cmd = Command::new(&server);
        cmd.arg(subcommand)
            .current_dir(&ws.root)
            .env("FAIRTENDER_SITE_ROOT", &site_root);
        cmd
    };
    step(
        "migrating and seeding the demo data (server seed-demo)",
        || run_cmd(&mut server_cmd("seed-demo")),
    )?;
    let bind = env::var("FAIRTENDER_BIND").unwrap_or_else(|_| "127.0.0.1:3000".into());
    println!("==> serving fairtender on http://{bind}/ (Ctrl-C stops it)");
    let err = server_cmd("serve").exec();
    Err(format!("cannot start {}: {err}", server.display()))
}

// ---------------------------------------------------------------------------------------
// test

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

fn test(ws: &Workspace, with_build: bool, with_browser: bool) -> Result {
    let start = Instant::now();
    let mut report = Report::default();
    let pass = |r: Result| r.map(|()| Outcome::Pass);

    report.step(
        "fmt",
        "checking formatting (cargo fmt --all --check)",
        || pass(run_cmd(ws.cargo().args(["fmt", "--all", "--check"]))),
    );

    let built = report.step(
        "build",
        "building the wasm bundle and the dev server",
        || {
            if with_build {
                build(ws, Server::WithTests).map(|_| Outcome::Pass)
            } else {
                Ok(Outcome::Skipped("--no-build".into()))
            }
        },
    ) || !with_build;

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

    let pg_url = env::var("FT_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_PG_URL.into());
    let mut pg_reachable = false;
    report.step(
        "postgres",
        &format!("looking for PostgreSQL at {pg_url}"),
        || {
            pg_reachable = ensure_postgres(&pg_url)?;
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

    report.step("cargo test", "running the Rust tests (cargo test)", || {
        let mut cmd = ws.cargo();
        cmd.args(TEST_ARGS);
        if pg_reachable {
            cmd.env("FT_TEST_PG_URL", &pg_url);
        } else {
            cmd.env_remove("FT_TEST_PG_URL")
                .args(["--", "--skip", "postgres::"]);
        }
        pass(run_cmd(&mut cmd))
    });

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

    report.print();
    let failed = report.failed();
    println!("    total {}", fmt_duration(start.elapsed()));
    match failed {
        0 => Ok(()),
        n => Err(format!("{n} of {} steps failed", report.rows.len())),
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

/// wrk (Debian's package), installed when possible.
fn wrk() -> Result<Option<PathBuf>> {
    if which("wrk").is_none() && can_apt() {
        if let Err(e) = apt_install(&["wrk"]) {
            println!("    could not install wrk: {e}");
        }
    }
    Ok(which("wrk"))
}

/// `cargo xtask bench`: the release build, measured with bench/ at the chosen volume. Results go
/// to bench/results/<preset>-<backend>.json (bench/RESULTS.md says what they mean).
fn bench(ws: &Workspace, flags: &[String]) -> Result {
    let mut preset = "quick".to_string();
    let mut backend = "sqlite".to_string();
    let mut args = flags.iter();
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--preset" => &mut preset,
            "--backend" => &mut backend,
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        };
        *slot = args
            .next()
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value"))?;
    }
    let wrk = wrk()?.ok_or("no wrk: install the Debian package wrk")?;
    build(ws, Server::Release)?;
    step("building bench (release)", || {
        run_cmd(ws.cargo().args(["build", "--release", "-p", "bench"]))
    })?;
    let out = ws
        .root
        .join("bench")
        .join("results")
        .join(format!("{preset}-{backend}.json"));
    fs::create_dir_all(out.parent().unwrap_or(&ws.root)).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(ws.target.join("release").join("bench"));
    cmd.args([
        "run",
        "--preset",
        &preset,
        "--backend",
        &backend,
        "--server-bin",
    ])
    .arg(ws.server_bin(false))
    .arg("--site-root")
    .arg(ws.site())
    .arg("--wrk")
    .arg(wrk)
    .arg("--out")
    .arg(&out);
    if let Ok(url) = env::var("FT_TEST_PG_URL") {
        cmd.args(["--pg-url", &url]);
    }
    bench_browser_args(ws, &mut cmd)?;
    run_cmd(&mut cmd)
}

/// Gives `bench run` Chromium and end2end (for the tender page's time to first byte and to
/// hydrated) when both can be had; without them the run says it did not measure those.
fn bench_browser_args(ws: &Workspace, cmd: &mut Command) -> Result {
    match chromium()? {
        Some(chromium) if node_modules(ws)? => {
            cmd.arg("--chromium")
                .arg(chromium)
                .arg("--end2end")
                .arg(ws.end2end());
        }
        _ => println!(
            "    note: no Chromium or Node.js: the bench skips the page timing in Chromium"
        ),
    }
    Ok(())
}

/// `$CHROMIUM_PATH` or /usr/bin/chromium; the latter is installed from Debian when possible.
fn chromium() -> Result<Option<PathBuf>> {
    if let Some(path) = env::var_os("CHROMIUM_PATH").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(Some(path))
        } else {
            Err(format!("CHROMIUM_PATH={} does not exist", path.display()))
        };
    }
    let path = PathBuf::from(DEFAULT_CHROMIUM);
    if !path.is_file() && can_apt() {
        if let Err(e) = apt_install(&["chromium"]) {
            println!("    could not install chromium: {e}");
        }
    }
    Ok(path.is_file().then_some(path))
}

// ---------------------------------------------------------------------------------------
// fuzz

/// The cargo-fuzz release `fuzz` installs when `cargo fuzz --version` is another one.
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// fuzz/'s targets, with the `cargo fuzz` options each needs: only the receipt target needs
/// `app::infra`, so only it pays for building the server's dependencies.
const FUZZ_TARGETS: &[(&str, &[&str])] = &[
    ("credit_code", &[]),
    ("money", &[]),
    ("search", &[]),
    ("receipt", &["--features", "ssr"]),
];
const FUZZ_SECONDS: u64 = 60;

/// How one target's run ended.
struct FuzzRun {
    target: &'static str,
    options: &'static [&'static str],
    runs: Option<u64>,
    crash: Option<Result<String>>,
}

/// Runs each fuzz target (all of them unless some are named) for `--seconds` under libFuzzer,
/// one after another, and fails if any of them found an input that breaks it.
fn fuzz(ws: &Workspace, flags: &[String]) -> Result {
    let mut seconds = FUZZ_SECONDS;
    let mut chosen: Vec<&'static str> = Vec::new();
    let mut args = flags.iter();
    while let Some(flag) = args.next() {
        if flag == "--seconds" {
            seconds = args
                .next()
                .and_then(|n| n.parse().ok())
                .filter(|&n| n > 0)
                .ok_or("--seconds needs a whole number of seconds")?;
        } else if let Some(&(name, _)) = FUZZ_TARGETS.iter().find(|(name, _)| name == flag) {
            chosen.push(name);
        } else {
            let names: Vec<&str> = FUZZ_TARGETS.iter().map(|(name, _)| *name).collect();
            return Err(format!(
                "unknown fuzz target or option `{flag}` (targets: {})\n{USAGE}",
                names.join(", ")
            ));
        }
    }
    if chosen.is_empty() {
        chosen = FUZZ_TARGETS.iter().map(|(name, _)| *name).collect();
    }
    let cargo_fuzz = step("cargo-fuzz", || cargo_fuzz(ws))?;
    let nightly = fuzz_toolchain();
    let fuzz_dir = ws.root.join("fuzz");
    let mut results = Vec::new();
    for &(target, options) in FUZZ_TARGETS.iter().filter(|(t, _)| chosen.contains(t)) {
        let run = step(&format!("fuzzing {target} for {seconds}s"), || {
            // The corpus libFuzzer grows is kept between runs under fuzz/target; the seeds in
            // fuzz/corpus/<target> are only read, so a run leaves the repository as it was.
            let grown = fuzz_dir.join("target").join("corpus").join(target);
            fs::create_dir_all(&grown).map_err(|e| format!("{}: {e}", grown.display()))?;
            let mut cmd = Command::new(&cargo_fuzz);
            cmd.current_dir(&ws.root)
                .arg("fuzz")
                .args(["run", "--fuzz-dir"])
                .arg(&fuzz_dir)
                // Release code with overflow checks and debug assertions on: an overflow in a
                // parser is a crash, as it would be in the debug server.
                .args(["--release", "--debug-assertions"])
                .args(options)
                .arg(target)
                .arg(&grown)
                .arg(fuzz_dir.join("corpus").join(target))
                .arg("--")
                .arg(format!("-max_total_time={seconds}"))
                .arg("-print_final_stats=1")
                // Its own build folder (fuzz/target), whatever the shell's is: the
                // instrumented build must not overwrite the workspace's artifacts.
                .env_remove("CARGO_TARGET_DIR")
                // `cargo xtask` runs with the stable toolchain's cargo in CARGO; cargo-fuzz
                // must reach rustup's `cargo` for the toolchain chosen below.
                .env_remove("CARGO")
                .env_remove("RUSTC");
            if nightly {
                cmd.env("RUSTUP_TOOLCHAIN", "nightly");
            } else {
                cmd.env("RUSTC_BOOTSTRAP", "1");
            }
            fuzz_one(target, options, &mut cmd)
        })?;
        results.push(run);
    }
    println!("\n==> fuzzing summary ({seconds}s per target)");
    let mut crashed = Vec::new();
    for run in &results {
        let runs = run.runs.map_or("?".to_string(), |n| n.to_string());
        match &run.crash {
            None => println!("    {:<12} {runs:>12} executions  no crash", run.target),
            Some(Ok(reproducer)) => {
                println!(
                    "    {:<12} {runs:>12} executions  CRASH, reproducer {reproducer}\n    \
                     {:<12} replay: cargo +nightly fuzz run --fuzz-dir fuzz -O -a {} {} \
                     {reproducer}",
                    run.target,
                    "",
                    run.options.join(" "),
                    run.target
                );
                crashed.push(run.target);
            }
            Some(Err(why)) => {
                println!(
                    "    {:<12} {runs:>12} executions  FAILED: {why}",
                    run.target
                );
                crashed.push(run.target);
            }
        }
    }
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzzing failed: {}", crashed.join(", ")))
    }
}

/// Runs one `cargo fuzz run`, passing its output through, and reads from it how many inputs
/// libFuzzer tried and where it wrote the input that crashed (if any).
fn fuzz_one(
    target: &'static str,
    options: &'static [&'static str],
    cmd: &mut Command,
) -> Result<FuzzRun> {
    println!("    $ {}", show(cmd));
    let mut child = cmd
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start cargo-fuzz: {e}"))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (mut runs, mut reproducer) = (None, None);
    for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
        let line = line.map_err(|e| e.to_string())?;
        eprintln!("{line}");
        if let Some(n) = line.strip_prefix("stat::number_of_executed_units:") {
            runs = n.trim().parse().ok();
        } else if let Some((_, path)) = line.split_once("Test unit written to ") {
            reproducer = Some(path.trim().to_string());
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let crash = match (status.success(), reproducer) {
        (true, _) => None,
        (false, Some(path)) => Some(Ok(path)),
        (false, None) => Some(Err(format!("cargo fuzz ended with {status}"))),
    };
    Ok(FuzzRun {
        target,
        options,
        runs,
        crash,
    })
}

/// cargo-fuzz's binary: the one on PATH if it is [`CARGO_FUZZ_VERSION`], else that version
/// installed (locked) into `<target>/tools`.
fn cargo_fuzz(ws: &Workspace) -> Result<PathBuf> {
    let right = |bin: &Path| {
        output_of(Command::new(bin).args(["fuzz", "--version"]))
            .is_some_and(|out| out.split_whitespace().nth(1) == Some(CARGO_FUZZ_VERSION))
    };
    let tools = ws.target.join("tools");
    let local = tools.join("bin").join("cargo-fuzz");
    for bin in which("cargo-fuzz").into_iter().chain([local.clone()]) {
        if right(&bin) {
            println!("    cargo-fuzz {CARGO_FUZZ_VERSION}: {}", bin.display());
            return Ok(bin);
        }
    }
    run_cmd(
        ws.cargo()
            .args(["install", "cargo-fuzz", "--locked", "--force", "--version"])
            .arg(format!("={CARGO_FUZZ_VERSION}"))
            .arg("--root")
            .arg(&tools)
            .env_remove("CARGO_TARGET_DIR"),
    )?;
    if right(&local) {
        Ok(local)
    } else {
        Err(format!(
            "{} is not cargo-fuzz {CARGO_FUZZ_VERSION} after installing it",
            local.display()
        ))
    }
}

/// Whether rustup has a nightly toolchain; without one, the stable compiler is told to accept
/// the nightly-only flags (`-Zsanitizer`) with RUSTC_BOOTSTRAP=1.
fn fuzz_toolchain() -> bool {
    let nightly = output_of(Command::new("rustup").args(["run", "nightly", "rustc", "--version"]));
    match &nightly {
        Some(version) => println!("    toolchain: {version}"),
        None => println!(
            "    note: no nightly toolchain in rustup: stable with RUSTC_BOOTSTRAP=1 \
             (`rustup toolchain install nightly` to use nightly)"
        ),
    }
    nightly.is_some()
}

// ---------------------------------------------------------------------------------------
// helpers

/// Prints `==> what`, runs `f` and prints how long it took.
fn step<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("==> {what}");
    let start = Instant::now();
    let result = f();
    let took = fmt_duration(start.elapsed());
    match &result {
        Ok(_) => println!("    done in {took}"),
        Err(_) => println!("    failed after {took}"),
    }
    result
}

fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        format!("{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60)
    }
}

/// Runs `cmd` with inherited stdio; the error names the command and how it ended.
fn run_cmd(cmd: &mut Command) -> Result {
    let shown = show(cmd);
    println!("    $ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The command line as a shell would take it, with the variables set for it.
fn show(cmd: &Command) -> String {
    let vars = cmd
        .get_envs()
        .filter_map(|(k, v)| v.map(|v| format!("{}={}", k.to_string_lossy(), v.to_string_lossy())));
    let words = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|w| w.to_string_lossy().into_owned());
    vars.chain(words).collect::<Vec<_>>().join(" ")
}

/// The trimmed stdout of a command that succeeded; `None` if it failed or could not start.
fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// An executable called `program` on PATH.
fn which(program: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| {
            fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

fn is_root() -> bool {
    output_of(Command::new("id").arg("-u")).as_deref() == Some("0")
}

fn can_apt() -> bool {
    is_root() && which("apt-get").is_some()
}

fn deb_installed(package: &str) -> bool {
    output_of(Command::new("dpkg-query").args(["-W", "-f=${Status}", package])).as_deref()
        == Some("install ok installed")
}

fn apt_install(packages: &[&str]) -> Result {
    let apt = || {
        let mut cmd = Command::new("apt-get");
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run_cmd(apt().arg("update"))?;
    run_cmd(apt().args(["install", "-y"]).args(packages))
}

/// Makes sure end2end/node_modules matches package-lock.json (`npm ci` when missing or
/// older). `Ok(false)`: no Node.js here.
fn node_modules(ws: &Workspace) -> Result<bool> {
    if which("node").is_none() || which("npm").is_none() {
        return Ok(false);
    }
    let dir = ws.end2end();
    let modified = |p: PathBuf| fs::metadata(p).and_then(|m| m.modified()).ok();
    // npm rewrites node_modules/.package-lock.json on every install.
    let installed = modified(dir.join("node_modules/.package-lock.json"));
    let locked = modified(dir.join("package-lock.json"));
    if installed.is_none() || locked > installed {
        run_cmd(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
        )?;
    }
    Ok(true)
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

    #[test]
    fn locked_version_finds_exactly_one_package() {
        let lock = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"

[[package]]
name = "wasm-bindgen-shared"
version = "0.2.130"
"#;
        assert_eq!(locked_version(lock, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(locked_version(lock, "leptos").is_err());
        let twice = format!("{lock}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert!(locked_version(&twice, "wasm-bindgen").is_err());
    }
}
