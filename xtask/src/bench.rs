//! `bench`: the release build measured with bench/ (wrk for the load, Chromium for the page
//! timings); `wrk` and `chromium` also serve `test`'s bench smoke run and browser tests.

use std::{env, fs, path::PathBuf, process::Command};

use crate::{
    build::{build, Server},
    util::{apt_install, can_apt, node_modules, run_cmd, step, which},
    Result, Workspace, USAGE,
};

const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// wrk (Debian's package), installed when possible.
pub(crate) fn wrk() -> Result<Option<PathBuf>> {
    if which("wrk").is_none() && can_apt() {
        if let Err(e) = apt_install(&["wrk"]) {
            println!("    could not install wrk: {e}");
        }
    }
    Ok(which("wrk"))
}

/// `cargo xtask bench`: the release build, measured with bench/ at the chosen volume. Results go
/// to bench/results/<preset>-<backend>.json (bench/RESULTS.md says what they mean).
pub(crate) fn bench(ws: &Workspace, flags: &[String]) -> Result {
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
pub(crate) fn bench_browser_args(ws: &Workspace, cmd: &mut Command) -> Result {
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
pub(crate) fn chromium() -> Result<Option<PathBuf>> {
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
