//! Time to first byte and to hydrated of the tender page in Chromium: end2end/page-timing.js
//! (playwright-core driving Debian's Chromium) loads each page cold and warm and prints medians.

use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::Result;

/// Median and slowest of one measure over the loads, in milliseconds (KB for transfers).
#[derive(Debug, Deserialize, Serialize)]
pub struct Spread {
    pub median: f64,
    pub max: f64,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Loads {
    pub loads: usize,
    pub first_byte_ms: Spread,
    pub dom_content_loaded_ms: Spread,
    pub load_ms: Spread,
    pub hydrated_ms: Spread,
    pub transferred_kb: Spread,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct PageTiming {
    pub browser: String,
    pub urls: usize,
    /// A fresh browser context per load: nothing cached.
    pub cold: Loads,
    /// One context: the wasm, script and CSS come from the HTTP cache.
    pub warm: Loads,
}

/// Loads each URL `runs` times cold and `runs` times warm. Any error (a page not 200, a console
/// error, no hydration within 30 s) fails the run.
pub fn measure(
    node: &Path,
    end2end: &Path,
    chromium: &Path,
    runs: usize,
    urls: &[String],
) -> Result<PageTiming> {
    // Absolute: the script runs from inside end2end (for its node_modules).
    let end2end = std::fs::canonicalize(end2end)
        .map_err(|e| format!("end2end folder {}: {e}", end2end.display()))?;
    let output = Command::new(node)
        .arg(end2end.join("page-timing.js"))
        .arg(runs.to_string())
        .args(urls)
        .current_dir(&end2end)
        .env("CHROMIUM_PATH", chromium)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", node.display()))?;
    if !output.status.success() {
        return Err(format!(
            "page timing in Chromium failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "page timing printed something unexpected ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_scripts_report() {
        let spread = r#"{"median":1.5,"max":3}"#;
        let loads = format!(
            r#"{{"loads":4,"first_byte_ms":{spread},"dom_content_loaded_ms":{spread},"load_ms":{spread},"hydrated_ms":{{"median":120.2,"max":180}},"transferred_kb":{spread}}}"#
        );
        let json = format!(r#"{{"browser":"156.0","urls":2,"cold":{loads},"warm":{loads}}}"#);
        let timing: PageTiming = serde_json::from_str(&json).unwrap();
        assert_eq!(timing.cold.loads, 4);
        assert_eq!(timing.warm.hydrated_ms.median, 120.2);
        assert_eq!(timing.cold.first_byte_ms.max, 3.0);
    }
}
