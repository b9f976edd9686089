//! The OCDS bulk export (issue #7): `GET /api/v1/ocds/records.jsonl` downloaded once, streamed
//! (never held whole), while the server's resident memory is sampled from /proc every 50 ms.
//! The export is written a page of tenders at a time, so the server's memory during it should
//! stay near where it was before, however many tenders there are.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::load::{proc_status_kb, OCID_PREFIX};
use crate::Result;

/// How often the server's VmRSS is read during the download.
const SAMPLE_EVERY: Duration = Duration::from_millis(50);

#[derive(Debug, Serialize)]
pub struct ExportResult {
    /// Lines (records) received.
    pub records: usize,
    /// Public processes in the database: the generated published (and cancelled) tenders and
    /// the rush's tender.
    pub expected_records: usize,
    pub bytes: u64,
    pub mb: f64,
    /// From the request to the last byte.
    pub seconds: f64,
    pub first_byte_ms: f64,
    pub records_per_second: f64,
    pub mb_per_second: f64,
    /// The server's VmRSS just before the request.
    pub rss_before_mb: f64,
    /// The highest VmRSS sampled during the download.
    pub rss_peak_mb: f64,
    /// `rss_peak_mb - rss_before_mb`: what the export cost in memory.
    pub rss_growth_mb: f64,
    pub rss_samples: usize,
}

/// Only the ocid is kept; the rest of each line is parsed (so it must be valid JSON) and
/// dropped.
#[derive(Deserialize)]
struct Line {
    ocid: String,
}

/// Downloads the export once from the server (process `pid`) and checks it: `expected` lines,
/// each a JSON object with a distinct ocid under the run's prefix.
pub async fn run(server: &str, pid: u32, expected: usize) -> Result<ExportResult> {
    let fail = |why: String| format!("OCDS bulk export: {why}");
    let rss_before_kb = proc_status_kb(pid, "VmRSS:")
        .ok_or_else(|| fail(format!("cannot read /proc/{pid}/status")))?;

    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut peak, mut samples) = (0u64, 0usize);
            loop {
                if let Some(kb) = proc_status_kb(pid, "VmRSS:") {
                    peak = peak.max(kb);
                    samples += 1;
                }
                if stop.load(Ordering::Relaxed) {
                    return (peak, samples);
                }
                std::thread::sleep(SAMPLE_EVERY);
            }
        })
    };
    let downloaded = download(server).await;
    stop.store(true, Ordering::Relaxed);
    let (peak_kb, samples) = sampler
        .join()
        .map_err(|_| fail("the memory sampler panicked".into()))?;
    let d = downloaded.map_err(fail)?;
    if d.records != expected {
        return Err(fail(format!(
            "{} records, expected {expected} (one per public tender)",
            d.records
        )));
    }

    let seconds = d.elapsed.as_secs_f64();
    let mb = d.bytes as f64 / 1024.0 / 1024.0;
    let rss_before_mb = rss_before_kb as f64 / 1024.0;
    let rss_peak_mb = peak_kb.max(rss_before_kb) as f64 / 1024.0;
    Ok(ExportResult {
        records: d.records,
        expected_records: expected,
        bytes: d.bytes,
        mb,
        seconds,
        first_byte_ms: d.first_byte.as_secs_f64() * 1000.0,
        records_per_second: d.records as f64 / seconds.max(1e-9),
        mb_per_second: mb / seconds.max(1e-9),
        rss_before_mb,
        rss_peak_mb,
        rss_growth_mb: rss_peak_mb - rss_before_mb,
        rss_samples: samples,
    })
}

struct Downloaded {
    records: usize,
    bytes: u64,
    elapsed: Duration,
    first_byte: Duration,
}

/// The body read chunk by chunk; only the current incomplete line is kept between chunks.
async fn download(server: &str) -> Result<Downloaded> {
    let url = format!("{server}/api/v1/ocds/records.jsonl");
    let started = Instant::now();
    let mut response = reqwest::Client::new()
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("{url}: {status}: {body}"));
    }
    let prefix = format!("{OCID_PREFIX}-");
    let mut seen: HashSet<String> = HashSet::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut bytes = 0u64;
    let mut first_byte = None;
    let mut check = |line: &[u8], n: usize| -> Result {
        let parsed: Line = serde_json::from_slice(line)
            .map_err(|e| format!("line {n} is not a JSON object with an ocid: {e}"))?;
        if !parsed.ocid.starts_with(&prefix) {
            return Err(format!(
                "line {n}: ocid {:?} is not under {OCID_PREFIX}",
                parsed.ocid
            ));
        }
        if !seen.insert(parsed.ocid.clone()) {
            return Err(format!("line {n}: ocid {:?} exported twice", parsed.ocid));
        }
        Ok(())
    };
    let mut records = 0usize;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("{url}: after {bytes} bytes: {e}"))?
    {
        first_byte.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len() as u64;
        pending.extend_from_slice(&chunk);
        let mut start = 0;
        while let Some(end) = pending[start..].iter().position(|&b| b == b'\n') {
            records += 1;
            check(&pending[start..start + end], records)?;
            start += end + 1;
        }
        pending.drain(..start);
    }
    let elapsed = started.elapsed();
    if !pending.iter().all(u8::is_ascii_whitespace) {
        records += 1;
        check(&pending, records)?;
    }
    Ok(Downloaded {
        records,
        bytes,
        elapsed,
        first_byte: first_byte.unwrap_or(elapsed),
    })
}
