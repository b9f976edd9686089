//! API fuzzing (issue #9): schemathesis (from PyPI) generates requests from the server's own
//! OpenAPI document (`/api/v1/openapi.json`), valid and invalid, against a server holding the
//! smoke preset's data, and checks that no answer is a 5xx and every answer matches the
//! document (status, content type, headers, body schema) and that invalid requests are refused.

use std::path::PathBuf;
use std::process::Command;

use crate::{generate, load, Preset, Result};

/// What schemathesis checks: all of them (issue #35), `positive_data_acceptance` included: the
/// OpenAPI document describes each parameter exactly (`server::routes::api_v1::schema`), so a
/// request valid by it is accepted and one invalid by it refused.
const CHECKS: &str = "all";

#[derive(clap::Args)]
pub struct FuzzArgs {
    /// The server binary.
    #[arg(long)]
    server_bin: PathBuf,
    /// The built site (wasm, CSS) the server serves.
    #[arg(long)]
    site_root: PathBuf,
    /// schemathesis's command (`pip install schemathesis`).
    #[arg(long, default_value = "st")]
    st: PathBuf,
    /// Requests generated per operation and phase.
    #[arg(long, default_value_t = 100)]
    examples: u32,
    /// The random seed (the same seed generates the same requests).
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

pub async fn run(args: FuzzArgs) -> Result {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}/fuzz.db?mode=rwc", dir.path().display());
    let db = app::infra::db::connect(&url, 2)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    generate::generate(&db, Preset::Smoke.volume(), 2026, chrono::Utc::now())
        .await
        .map_err(|e| format!("generating: {e}"))?;
    db.close().await.ok();
    let server = load::Server::start(&args.server_bin, &args.site_root, &url, dir.path()).await?;
    let document = format!("{}/api/v1/openapi.json", server.url);
    eprintln!(
        "bench: api-fuzz: schemathesis against {document}, {} examples per operation, seed {}",
        args.examples, args.seed
    );
    let status = Command::new(&args.st)
        .args(["run", &document, "--checks", CHECKS, "--max-examples"])
        .arg(args.examples.to_string())
        .arg("--seed")
        .arg(args.seed.to_string())
        .args(["--workers", "2", "--no-color"])
        // Its example database and reports stay in the run's folder: nothing carries over
        // from one run to the next but the seed.
        .current_dir(dir.path())
        .status()
        .map_err(|e| {
            format!(
                "cannot run {} ({e}): install schemathesis with `pip install schemathesis`",
                args.st.display()
            )
        });
    server.stop();
    match status? {
        s if s.success() => Ok(()),
        s => Err(format!(
            "schemathesis found failures ({s}); each is shown above with a curl command to \
             reproduce it"
        )),
    }
}
