//! `server [--config FILE] [serve|migrate|seed-demo]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use app::domain::{Clock, SystemClock};
use app::infra::db;
use app::infra::seed::{seed_demo, SeedOutcome};
use clap::{Parser, Subcommand};
use secrecy::SecretString;
use server::config::{Mode, Settings};
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
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let mut settings = Settings::load(cli.config).map_err(|e| e.to_string())?;
    telemetry::init(settings.log_format);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            if settings.mode == Mode::Dev && settings.jwt_key.is_none() {
                tracing::warn!(
                    "no FAIRTENDER_JWT_KEY set: using an ephemeral key; sessions end when the server \
                     restarts (production mode refuses to start without one)"
                );
                settings.jwt_key = Some(ephemeral_key());
            }
            let app = Application::build(&settings, clock)
                .await
                .map_err(|e| e.to_string())?;
            let url = format!("http://127.0.0.1:{}", app.port());
            tracing::info!(%url, database = %db::redact(&settings.database_url), "fairtender is ready");
            // A plain line on stdout that scripts and tests wait for.
            println!("fairtender listening on {url}");
            app.run_until_stopped()
                .await
                .map_err(|e| format!("server stopped: {e}"))
        }
        Command::Migrate => {
            let conn = db::connect(&settings.database_url, 2)
                .await
                .map_err(|e| e.to_string())?;
            db::migrate(&conn)
                .await
                .map_err(|e| format!("could not migrate the database: {e}"))?;
            println!(
                "migrations applied to {}",
                db::redact(&settings.database_url)
            );
            Ok(())
        }
        Command::SeedDemo => {
            let conn = db::connect(&settings.database_url, 2)
                .await
                .map_err(|e| e.to_string())?;
            db::migrate(&conn)
                .await
                .map_err(|e| format!("could not migrate the database: {e}"))?;
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

fn ephemeral_key() -> SecretString {
    use rand::RngCore;
    let mut bytes = [0u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    SecretString::from(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}
