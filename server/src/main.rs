//! `server [--config FILE] [serve|migrate|seed-demo|create-admin|create-agency|verify-audit|backup]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use app::domain::{Clock, SystemClock};
use app::infra::db;
use app::services::seed::{seed_demo, SeedOutcome};
use clap::{Parser, Subcommand};
use server::config::Settings;
use server::{telemetry, Application};

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "fairtender: public procurement that small firms can win"
)]
struct Cli {
    /// A TOML settings file (default: ./fairtender.toml if present). FAIRTENDER_* environment
    /// variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default). Applies pending migrations first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Add demo data (an agency, its officers, two SME suppliers, a few tenders) unless present.
    SeedDemo,
    /// Create a platform administrator. The password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Create an agency (an administrator then invites its officers from the admin page).
    CreateAgency {
        #[arg(long)]
        name: String,
        #[arg(long)]
        credit_code: String,
    },
    /// Walk the audit log's hash chain, check it against the signed checkpoints (stored, and
    /// copies kept elsewhere) and check that every submitted bid, award and payment has its
    /// entry; report the first problem (exit 1 if any).
    VerifyAudit {
        /// A copy of `/api/v1/audit/checkpoints` kept outside the database (repeatable).
        #[arg(long)]
        checkpoints: Vec<PathBuf>,
    },
    /// Copy the SQLite database to a new file while the server may be running, then check the
    /// copy (it opens, its audit chain verifies). PostgreSQL: use pg_dump (README).
    Backup {
        /// The new file (never an existing one).
        #[arg(long)]
        to: PathBuf,
    },
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// glibc's malloc gives each thread that allocates its own arena, up to eight per core, and
/// keeps what each arena once held: with the tokio workers, the database connections' threads
/// and the blocking pool, the server's peak RSS grew with every busy workload (issue #8: 181 MB
/// after the uncached searches at full volume with the default, 131 MB with two arenas, at the
/// same throughput; bench/RESULTS.md). Must run before any other thread starts: the limit is
/// read when the second arena is made.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets a malloc parameter; it is called before any other thread
        // exists, and an unknown or refused setting returns 0 and changes nothing.
        let _ = unsafe { libc::mallopt(libc::M_ARENA_MAX, 2) };
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let settings = Settings::load(cli.config).map_err(|e| e.to_string())?;
    telemetry::init(settings.log_format);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(&settings, clock)
                .await
                .map_err(|e| e.to_string())?;
            let url = format!("http://127.0.0.1:{}", app.port());
            tracing::info!(%url, database = %db::redact(&settings.database_url), "fairtender is ready");
            // Signal handlers first, then the line that scripts and tests wait for.
            let serving = app.run_until_stopped();
            println!("fairtender listening on {url}");
            serving.await.map_err(|e| format!("server stopped: {e}"))
        }
        Command::Migrate => {
            connect_migrated(&settings).await?;
            println!(
                "migrations applied to {}",
                db::redact(&settings.database_url)
            );
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .map_err(|e| format!("could not read the password from standard input: {e}"))?;
            let conn = connect_migrated(&settings).await?;
            let id = app::services::accounts::create_admin(
                &conn,
                &email,
                &name,
                password.trim_end_matches(['\n', '\r']),
                clock.now(),
            )
            .await
            .map_err(|e| e.message(app::i18n::Lang::En))?;
            println!("administrator {email} created ({id})");
            Ok(())
        }
        Command::CreateAgency { name, credit_code } => {
            let conn = connect_migrated(&settings).await?;
            let agency = app::services::accounts::create_agency(
                &conn,
                None,
                &name,
                &credit_code,
                clock.now(),
            )
            .await
            .map_err(|e| e.message(app::i18n::Lang::En))?;
            println!("agency {} created ({})", agency.name, agency.id);
            Ok(())
        }
        Command::VerifyAudit { checkpoints } => {
            let signer = server::startup::audit_signer(&settings).map_err(|e| e.to_string())?;
            let mut kept = Vec::new();
            for path in checkpoints {
                kept.extend(read_checkpoints(&path)?);
            }
            let conn = connect_migrated(&settings).await?;
            let v = app::infra::audit_checkpoint::verify_all(&conn, &signer.public_key(), &kept)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "audit chain intact: {} entries verified; {} signed checkpoints match it; \
                 {} submitted bid versions, awards and payments have their entries",
                v.entries, v.checkpoints, v.records
            );
            Ok(())
        }
        Command::Backup { to } => {
            // Not migrated: a backup copies the database as it is.
            let conn = db::connect(&settings.database_url, 2)
                .await
                .map_err(|e| e.to_string())?;
            let backup = app::infra::backup::sqlite(&conn, &to)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "backup written to {} ({} bytes); it opens and its audit chain verifies ({} entries)",
                to.display(),
                backup.bytes,
                backup.audit_entries
            );
            Ok(())
        }
        Command::SeedDemo => {
            if settings.mode == server::config::Mode::Production {
                return Err(
                    "seed-demo adds accounts whose password is published in the README; it does \
                     not run in production mode (FAIRTENDER_MODE=production)"
                        .into(),
                );
            }
            let conn = connect_migrated(&settings).await?;
            match seed_demo(&conn, clock.now())
                .await
                .map_err(|e| format!("could not add demo data: {e}"))?
            {
                SeedOutcome::Seeded { tenders } => {
                    println!("demo data added ({tenders} published tenders)")
                }
                SeedOutcome::AlreadyPresent => {
                    println!("demo data already present; nothing changed")
                }
            }
            Ok(())
        }
    }
}

/// The checkpoints of a copy of `/api/v1/audit/checkpoints` (its `data`).
fn read_checkpoints(
    path: &std::path::Path,
) -> Result<Vec<app::infra::audit_checkpoint::Checkpoint>, String> {
    #[derive(serde::Deserialize)]
    struct Copy {
        data: Vec<app::infra::audit_checkpoint::Checkpoint>,
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read checkpoints from {}: {e}", path.display()))?;
    serde_json::from_str::<Copy>(&text)
        .map(|c| c.data)
        .map_err(|e| {
            format!(
                "{} is not a copy of /api/v1/audit/checkpoints: {e}",
                path.display()
            )
        })
}

async fn connect_migrated(settings: &Settings) -> Result<app::infra::db::Db, String> {
    let conn = db::connect(&settings.database_url, 2)
        .await
        .map_err(|e| e.to_string())?;
    db::migrate(&conn)
        .await
        .map_err(|e| format!("could not migrate the database: {e}"))?;
    Ok(conn)
}
