//! Helpers the commands share: steps and their timing, running programs and reading their
//! output, finding and installing programs (apt, npm), reading directories.

use std::{
    env, fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::{Result, Workspace};

/// Prints `==> what`, runs `f` and prints how long it took.
pub(crate) fn step<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
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

pub(crate) fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        format!("{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60)
    }
}

/// Runs `cmd` with inherited stdio; the error names the command and how it ended.
pub(crate) fn run_cmd(cmd: &mut Command) -> Result {
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
pub(crate) fn show(cmd: &Command) -> String {
    let vars = cmd
        .get_envs()
        .filter_map(|(k, v)| v.map(|v| format!("{}={}", k.to_string_lossy(), v.to_string_lossy())));
    let words = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|w| w.to_string_lossy().into_owned());
    vars.chain(words).collect::<Vec<_>>().join(" ")
}

/// The trimmed stdout of a command that succeeded; `None` if it failed or could not start.
pub(crate) fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// An executable called `program` on PATH.
pub(crate) fn which(program: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| {
            fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

pub(crate) fn is_root() -> bool {
    output_of(Command::new("id").arg("-u")).as_deref() == Some("0")
}

pub(crate) fn can_apt() -> bool {
    is_root() && which("apt-get").is_some()
}

pub(crate) fn deb_installed(package: &str) -> bool {
    output_of(Command::new("dpkg-query").args(["-W", "-f=${Status}", package])).as_deref()
        == Some("install ok installed")
}

pub(crate) fn apt_install(packages: &[&str]) -> Result {
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
pub(crate) fn node_modules(ws: &Workspace) -> Result<bool> {
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

pub(crate) fn read_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    entries
        .map(|e| {
            e.map(|e| e.path())
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))
        })
        .collect()
}
