//! `fuzz`: the cargo-fuzz targets in fuzz/, each for a while under libFuzzer, with
//! cargo-fuzz itself installed when missing.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::{
    util::{output_of, run_cmd, show, step, which},
    Result, Workspace, USAGE,
};

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
pub(crate) fn fuzz(ws: &Workspace, flags: &[String]) -> Result {
    let (seconds, chosen) = fuzz_flags(flags)?;
    let cargo_fuzz = step("cargo-fuzz", || cargo_fuzz(ws))?;
    let nightly = fuzz_toolchain();
    let mut results = Vec::new();
    for &(target, options) in FUZZ_TARGETS.iter().filter(|(t, _)| chosen.contains(t)) {
        let run = step(&format!("fuzzing {target} for {seconds}s"), || {
            let mut cmd = fuzz_command(ws, &cargo_fuzz, nightly, target, options, seconds)?;
            fuzz_one(target, options, &mut cmd)
        })?;
        results.push(run);
    }
    fuzz_summary(&results, seconds)
}

/// `fuzz`'s flags: the seconds per target and the targets chosen (all when none is named).
fn fuzz_flags(flags: &[String]) -> Result<(u64, Vec<&'static str>)> {
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
    Ok((seconds, chosen))
}

/// The `cargo fuzz run` of one target for `seconds`, on nightly if rustup has it.
fn fuzz_command(
    ws: &Workspace,
    cargo_fuzz: &Path,
    nightly: bool,
    target: &str,
    options: &[&str],
    seconds: u64,
) -> Result<Command> {
    let fuzz_dir = ws.root.join("fuzz");
    // The corpus libFuzzer grows is kept between runs under fuzz/target; the seeds in
    // fuzz/corpus/<target> are only read, so a run leaves the repository as it was.
    let grown = fuzz_dir.join("target").join("corpus").join(target);
    fs::create_dir_all(&grown).map_err(|e| format!("{}: {e}", grown.display()))?;
    let mut cmd = Command::new(cargo_fuzz);
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
    Ok(cmd)
}

/// Prints how each target's run ended; an error naming the targets that crashed or failed.
fn fuzz_summary(results: &[FuzzRun], seconds: u64) -> Result {
    println!("\n==> fuzzing summary ({seconds}s per target)");
    let mut crashed = Vec::new();
    for run in results {
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
