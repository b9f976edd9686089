//! `build`: the browser bundle (wasm toolchain, wasm-bindgen, wasm-opt), the site around it,
//! precompressed, and the server beside them; and `run`, which serves that build.

use std::{
    env,
    ffi::OsStr,
    fs,
    io::Write,
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::Command,
    thread,
    time::{Duration, Instant},
};

use crate::{
    test::TEST_ARGS,
    util::{
        apt_install, can_apt, deb_installed, fmt_duration, node_modules, output_of, read_dir,
        run_cmd, step,
    },
    Result, Workspace,
};

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

/// How the server binary is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Server {
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
pub(crate) fn build(ws: &Workspace, server: Server) -> Result<PathBuf> {
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

/// `cargo xtask run`: the release build, the demo data seeded, then the server in place of
/// this process.
pub(crate) fn run(ws: &Workspace) -> Result {
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

#[cfg(test)]
mod tests {
    use super::*;

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
