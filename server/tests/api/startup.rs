//! The binary refuses to start half-working: one clear line naming the setting to change.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `server <args>` with only the given settings (none inherited from this environment) and
/// returns its exit status and stderr.
fn run_server(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env_clear()
        .current_dir(dir.path())
        .envs(env.iter().copied())
        .output()
        .expect("run server");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_one_line_error(stderr: &str, must_mention: &[&str]) {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "exactly one error line: {stderr}");
    for word in must_mention {
        assert!(
            errors[0].contains(word),
            "{word:?} missing from {:?}",
            errors[0]
        );
    }
}

#[test]
fn malformed_database_url_names_the_setting() {
    let (ok, stderr) = run_server(&["migrate"], &[("FAIRTENDER_DATABASE_URL", "mysql://nope")]);
    assert!(!ok);
    assert_one_line_error(&stderr, &["FAIRTENDER_DATABASE_URL", "sqlite://"]);
}

#[test]
fn unreachable_database_is_a_start_error() {
    let (ok, stderr) = run_server(
        &["serve"],
        &[
            (
                "FAIRTENDER_DATABASE_URL",
                "postgres://nobody:secret@127.0.0.1:1/none",
            ),
            ("FAIRTENDER_BIND", "127.0.0.1:0"),
        ],
    );
    assert!(!ok);
    assert_one_line_error(
        &stderr,
        &["cannot reach the database", "FAIRTENDER_DATABASE_URL"],
    );
    assert!(
        !stderr.contains("secret"),
        "the password is never printed: {stderr}"
    );
}

#[test]
fn unknown_setting_is_refused() {
    let (ok, stderr) = run_server(&["serve"], &[("FAIRTENDER_PORT", "3000")]);
    assert!(!ok);
    assert_one_line_error(&stderr, &["port"]);
}

#[test]
fn production_without_jwt_key_refuses_to_start() {
    let (ok, stderr) = run_server(
        &["serve"],
        &[
            ("FAIRTENDER_MODE", "production"),
            ("FAIRTENDER_BIND", "127.0.0.1:0"),
        ],
    );
    assert!(!ok);
    assert_one_line_error(&stderr, &["FAIRTENDER_JWT_KEY"]);
}

/// Issue #35: dev mode (ephemeral keys, a movable clock, demo data) never listens beyond this
/// machine.
#[test]
fn dev_mode_refuses_to_listen_beyond_this_machine() {
    let (ok, stderr) = run_server(&["serve"], &[("FAIRTENDER_BIND", "0.0.0.0:0")]);
    assert!(!ok);
    assert_one_line_error(&stderr, &["FAIRTENDER_BIND", "loopback"]);
}

#[test]
fn a_broken_holiday_calendar_stops_the_start_naming_the_file() {
    let calendars = tempfile::tempdir().unwrap();
    // A 2027 file with a 2026 date in it: counted working days would be wrong all year.
    std::fs::write(
        calendars.path().join("2027.toml"),
        "source = \"typo\"\nholidays = [\"2026-10-01\"]\n",
    )
    .unwrap();
    let (ok, stderr) = run_server(
        &["serve"],
        &[
            ("FAIRTENDER_BIND", "127.0.0.1:0"),
            (
                "FAIRTENDER_CALENDAR_DIR",
                calendars.path().to_str().unwrap(),
            ),
        ],
    );
    assert!(!ok);
    assert_one_line_error(
        &stderr,
        &["FAIRTENDER_CALENDAR_DIR", "2027.toml", "2026-10-01"],
    );
}

#[test]
fn port_in_use_names_the_bind_setting() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (ok, stderr) = run_server(&["serve"], &[("FAIRTENDER_BIND", &addr)]);
    assert!(!ok);
    assert_one_line_error(&stderr, &["FAIRTENDER_BIND", &addr]);
}

#[test]
fn serves_creates_the_database_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env_clear()
        .current_dir(dir.path())
        .env("FAIRTENDER_BIND", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    assert!(
        line.starts_with("fairtender listening on http://127.0.0.1:"),
        "{line}"
    );
    // The default SQLite database was created, migrations applied.
    assert!(dir.path().join("data/fairtender.db").exists());

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "graceful shutdown exits 0, got {status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn demo_data_is_refused_in_production() {
    let (ok, stderr) = run_server(
        &["seed-demo"],
        &[
            ("FAIRTENDER_MODE", "production"),
            (
                "FAIRTENDER_JWT_KEY",
                "a-production-key-that-is-long-enough-0123456789",
            ),
            (
                "FAIRTENDER_BID_KEY",
                "another-production-key-long-enough-9876543210",
            ),
            (
                "FAIRTENDER_AUDIT_KEY",
                "a-third-production-key-long-enough-5432109876",
            ),
            ("FAIRTENDER_OCID_PREFIX", "ocds-a1b2c3"),
            (
                "FAIRTENDER_PUBLIC_BASE_URL",
                "https://tenders.example.gov.cn",
            ),
        ],
    );
    assert!(!ok);
    assert_one_line_error(&stderr, &["seed-demo", "production"]);
}

/// Issue #9: `server backup --to FILE` writes a copy that the server opens (its audit chain
/// verifies), and refuses to replace a file with one clear line.
#[test]
fn the_backup_command_writes_a_copy_that_opens_and_never_replaces_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = |args: &[&str], db: &str| {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env_clear()
            .current_dir(dir.path())
            .env("FAIRTENDER_DATABASE_URL", format!("sqlite://{db}"))
            .output()
            .expect("run server")
    };
    assert!(server(&["migrate"], "live.db").status.success());
    let made = server(&["backup", "--to", "copy.db"], "live.db");
    let said = String::from_utf8_lossy(&made.stdout);
    assert!(
        made.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(said.contains("backup written to copy.db"), "{said}");
    let restored = server(&["verify-audit"], "copy.db");
    assert!(
        String::from_utf8_lossy(&restored.stdout).contains("audit chain intact"),
        "{restored:?}"
    );

    let again = server(&["backup", "--to", "copy.db"], "live.db");
    assert!(!again.status.success());
    assert_one_line_error(
        &String::from_utf8_lossy(&again.stderr),
        &["copy.db already exists"],
    );
}
