//! The bench binary as its users run it. (Being an integration test also makes
//! `cargo test --no-run` build `target/debug/bench` with the tests' features, which the test
//! command's smoke run uses instead of compiling much of the workspace a second time.)

use std::process::Command;

/// A wrong `--server-bin` is reported by its path, before any data is generated.
#[test]
fn a_missing_server_binary_is_named() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let missing = dir.path().join("no-such-server");
    let out = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["run", "--preset", "smoke", "--only", "rush", "--server-bin"])
        .arg(&missing)
        .arg("--site-root")
        .arg(dir.path())
        .output()
        .expect("bench starts");
    assert!(!out.status.success(), "bench succeeded without a server");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot start {}", missing.display())),
        "the error does not name the binary: {stderr}"
    );
}
