//! fairtender's build and test driver, run as `cargo xtask <command>` (alias in
//! .cargo/config.toml):
//!
//! - `build [--dev]`: the browser bundle and assets in `<target>/site`, then the server
//!   (release unless `--dev`);
//! - `run`: `build`, seed the demo data, then serve on http://127.0.0.1:3000;
//! - `test [--no-build] [--no-browser]`: fmt, `build --dev`, clippy, cargo test (with the
//!   PostgreSQL suite when a server answers) and the browser tests, then a summary;
//! - `barriers`: the barrier check's labelled corpus: recall and false positives per category
//!   (app/src/domain/barrier/corpus.tsv, and payment_corpus.tsv for contract terms; fails below
//!   the targets; also a step of `test`);
//! - `fuzz [--seconds N] [target...]`: the cargo-fuzz targets in fuzz/, N seconds each (not
//!   part of `test`: see bench/README.md, "Fuzzing the parsers").
//!
//! Only std plus brotli/flate2, so it compiles in seconds on a fresh machine. `<target>` is
//! `$CARGO_TARGET_DIR` or `<repo>/target`.
//!
//! The commands live in their own modules: [`build`] (also `run`), [`test`], [`bench`] and
//! [`fuzz`]; [`util`] holds the helpers they share (steps, running and installing programs).

mod bench;
mod build;
mod fuzz;
#[cfg(test)]
mod layers;
mod test;
mod util;

use std::{
    env,
    path::PathBuf,
    process::{Command, ExitCode},
};

use build::Server;

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask build [--dev] | run | test [--no-build] [--no-browser] \
                     | bench [--preset smoke|quick|full] [--backend sqlite|postgres] \
                     | barriers | fuzz [--seconds N] [target...]";

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
            check_flags(flags, &["--dev"]).and_then(|()| build::build(&ws, server).map(drop))
        }
        "run" => check_flags(flags, &[]).and_then(|()| build::run(&ws)),
        "test" => check_flags(flags, &["--no-build", "--no-browser"])
            .and_then(|()| test::test(&ws, !has(flags, "--no-build"), !has(flags, "--no-browser"))),
        "bench" => bench::bench(&ws, flags),
        "fuzz" => fuzz::fuzz(&ws, flags),
        "barriers" => check_flags(flags, &[]).and_then(|()| test::barriers(&ws)),
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
