//! The load side: the server under test as a child process, the baseline route, the workloads,
//! and wrk (Debian's package) driving them over loopback.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use uuid::Uuid;

use crate::Result;

#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub connections: u32,
    pub seconds: u32,
}

/// The fairtender server, started from its binary on a free port.
pub struct Server {
    child: Child,
    pub url: String,
    pub ready_after: Duration,
    /// The session-signing key it was given, so the rush can mint its bidders' sessions.
    pub jwt_key: String,
}

impl Server {
    pub async fn start(
        bin: &Path,
        site_root: &Path,
        database_url: &str,
        dir: &Path,
    ) -> Result<Server> {
        let port = free_port()?;
        let url = format!("http://127.0.0.1:{port}");
        let log = std::fs::File::create(dir.join(format!("server-{port}.log")))
            .map_err(|e| e.to_string())?;
        let jwt_key = Uuid::new_v4().simple().to_string().repeat(2);
        let started = Instant::now();
        let child = Command::new(bin)
            .arg("serve")
            .env("FAIRTENDER_MODE", "production")
            .env("FAIRTENDER_BIND", format!("127.0.0.1:{port}"))
            .env("FAIRTENDER_DATABASE_URL", database_url)
            .env("FAIRTENDER_SITE_ROOT", site_root)
            .env("FAIRTENDER_PUBLIC_BASE_URL", &url)
            .env("FAIRTENDER_OCID_PREFIX", "ocds-bench0")
            .env("FAIRTENDER_STORAGE_PATH", dir.join("documents"))
            .env("FAIRTENDER_JWT_KEY", &jwt_key)
            .env(
                "FAIRTENDER_BID_KEY",
                Uuid::new_v4().simple().to_string().repeat(2),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut server = Server {
            child,
            url,
            ready_after: Duration::ZERO,
            jwt_key,
        };
        let client = reqwest::Client::new();
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = std::fs::read_to_string(dir.join(format!("server-{port}.log")))
                    .unwrap_or_default();
                return Err(format!(
                    "the server stopped before it was ready ({status}):\n{log}"
                ));
            }
            let ready = client
                .get(format!("{}/readyz", server.url))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                server.ready_after = started.elapsed();
                return Ok(server);
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err("the server was not ready within 120 s".into());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The server's peak resident memory (VmHWM), in KB.
    pub fn peak_rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }

    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// The baseline: a trivial axum route returning a fixed small body, the ceiling for this stack
/// on this machine. It runs in this process, on the same kind of runtime as the server.
pub struct Baseline {
    pub url: String,
}

impl Baseline {
    pub async fn start() -> Result<Baseline> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let router = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Baseline {
            url: format!("http://127.0.0.1:{port}"),
        })
    }
}

/// One workload: requests cycling through `paths` (GET, or POST with a form body).
pub struct Workload {
    pub name: &'static str,
    pub base: String,
    pub requests: Vec<Request>,
}

pub struct Request {
    pub path: String,
    pub form: Option<String>,
}

fn get(path: String) -> Request {
    Request { path, form: None }
}

/// Queries a visitor would type: Chinese terms of two to five characters, some with filters.
const SEARCHES: &[&str] = &[
    "q=运维",
    "q=信息化运维&category=services",
    "q=道路养护",
    "q=食堂&sme=1",
    "q=古籍数字化",
    "q=LED",
    "q=空调&province=330000",
    "q=图书馆&status=all",
    "q=安保服务&sort=deadline",
    "q=医院 维修",
    "category=goods&budget_min=100000&budget_max=2000000",
    "province=440000&sme=1&sort=budget",
    "closes_within=7",
    "method=request_for_quotation&status=all",
];

pub fn workloads(server: &str, baseline: &str, ids: &[Uuid]) -> Vec<Workload> {
    let encoded = |q: &str| -> String {
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => format!("{k}={}", encode(v)),
                None => pair.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    vec![
        Workload {
            name: "baseline (axum, fixed body)",
            base: baseline.to_string(),
            requests: vec![get("/".into())],
        },
        Workload {
            name: "tender list (SSR)",
            base: server.to_string(),
            requests: (1..=20).map(|p| get(format!("/?page={p}"))).collect(),
        },
        Workload {
            name: "search + filters (SSR)",
            base: server.to_string(),
            requests: SEARCHES
                .iter()
                .map(|q| get(format!("/?{}", encoded(q))))
                .collect(),
        },
        Workload {
            name: "search (server fn, JSON)",
            base: server.to_string(),
            requests: SEARCHES
                .iter()
                .map(|q| Request {
                    path: "/api/tenders/search".into(),
                    form: Some(
                        q.split('&')
                            .map(|pair| match pair.split_once('=') {
                                Some((k, v)) => format!("query%5B{k}%5D={}", encode(v)),
                                None => pair.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join("&"),
                    ),
                })
                .collect(),
        },
        Workload {
            name: "tender page (SSR)",
            base: server.to_string(),
            requests: ids
                .iter()
                .take(200)
                .map(|id| get(format!("/tenders/{id}")))
                .collect(),
        },
    ]
}

fn encode(s: &str) -> String {
    app::api::escape_query(s)
}

/// Before any timing: the pages and the search answer, and answer with what was generated.
pub async fn check_answers(server: &str, ids: &[Uuid]) -> Result {
    let client = reqwest::Client::new();
    let fail = |what: &str, why: String| format!("check failed: {what}: {why}");
    let page = client
        .get(format!("{server}/?q={}", encode("运维")))
        .send()
        .await
        .map_err(|e| fail("search page", e.to_string()))?;
    let status = page.status();
    let body = page.text().await.unwrap_or_default();
    if !status.is_success() || !body.contains("data-testid=\"tender-list\"") {
        return Err(fail("search page", format!("{status}, no result list")));
    }
    let json: serde_json::Value = client
        .post(format!("{server}/api/tenders/search"))
        .header("origin", server)
        .form(&[("query[q]", "运维"), ("query[status]", "all")])
        .send()
        .await
        .map_err(|e| fail("search function", e.to_string()))?
        .json()
        .await
        .map_err(|e| fail("search function", e.to_string()))?;
    let total = json["total"].as_u64().unwrap_or(0);
    let every_hit_matches = json["items"].as_array().is_some_and(|items| {
        !items.is_empty()
            && items
                .iter()
                .all(|t| t["title"].as_str().is_some_and(|s| s.contains("运维")))
    });
    if total == 0 || !every_hit_matches {
        return Err(fail(
            "search function",
            format!("unexpected answer: {json}"),
        ));
    }
    let id = ids
        .first()
        .ok_or_else(|| fail("tender page", "no published tender".into()))?;
    let page = client
        .get(format!("{server}/tenders/{id}"))
        .send()
        .await
        .map_err(|e| fail("tender page", e.to_string()))?;
    if !page.status().is_success()
        || !page
            .text()
            .await
            .unwrap_or_default()
            .contains("data-testid=\"lot\"")
    {
        return Err(fail("tender page", "no lots on the page".into()));
    }
    Ok(())
}

#[derive(Debug, Serialize)]
pub struct Measured {
    pub name: &'static str,
    pub connections: u32,
    pub seconds: u32,
    pub requests: u64,
    /// Non-2xx/3xx responses plus socket errors.
    pub errors: u64,
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Throughput as a share of the baseline's (1.0 for the baseline itself).
    pub ratio_to_baseline: f64,
}

/// Runs wrk on one workload (a Lua script cycles through its requests) and reads its report.
pub fn measure(
    wrk: &Path,
    w: &Workload,
    load: Load,
    baseline_rps: Option<f64>,
    dir: &Path,
) -> Result<Measured> {
    let script = lua_script(w, &w.base);
    let script_path: PathBuf = dir.join("workload.lua");
    std::fs::write(&script_path, script).map_err(|e| e.to_string())?;
    let output = Command::new(wrk)
        .args([
            "-t2",
            &format!("-c{}", load.connections),
            &format!("-d{}s", load.seconds),
            "--latency",
            "--timeout",
            "10s",
            "-s",
        ])
        .arg(&script_path)
        .arg(&w.base)
        .output()
        .map_err(|e| format!("cannot run {}: {e} (install Debian's wrk)", wrk.display()))?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    if !output.status.success() {
        return Err(format!(
            "wrk failed on {}: {}\n{text}",
            w.name,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut m = parse_wrk(&text).ok_or_else(|| format!("cannot read wrk's report:\n{text}"))?;
    m.name = w.name;
    m.connections = load.connections;
    m.seconds = load.seconds;
    m.ratio_to_baseline = baseline_rps.map_or(1.0, |b| m.requests_per_second / b);
    Ok(m)
}

fn lua_script(w: &Workload, origin: &str) -> String {
    let mut s = String::from("local requests = {\n");
    for r in &w.requests {
        match &r.form {
            None => s.push_str(&format!("  wrk.format(\"GET\", {:?}),\n", r.path)),
            // wrk adds no Host header when given headers: the server's same-origin check needs it.
            Some(body) => s.push_str(&format!(
                "  wrk.format(\"POST\", {:?}, {{[\"Host\"] = {:?}, [\"Content-Type\"] = \"application/x-www-form-urlencoded\", [\"Origin\"] = {:?}}}, {:?}),\n",
                r.path,
                origin.split_once("://").map_or(origin, |(_, host)| host),
                origin,
                body
            )),
        }
    }
    s.push_str("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return requests[(i % #requests) + 1]\nend\n");
    s
}

fn parse_wrk(text: &str) -> Option<Measured> {
    let mut m = Measured {
        name: "",
        connections: 0,
        seconds: 0,
        requests: 0,
        errors: 0,
        requests_per_second: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        ratio_to_baseline: 0.0,
    };
    let mut seen_rps = false;
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => m.p50_ms = millis(v)?,
            ["99%", v] => m.p99_ms = millis(v)?,
            [n, "requests", "in", ..] => m.requests = n.parse().ok()?,
            ["Requests/sec:", v] => {
                m.requests_per_second = v.parse().ok()?;
                seen_rps = true;
            }
            ["Non-2xx", "or", "3xx", "responses:", n] => m.errors += n.parse::<u64>().ok()?,
            ["Socket", "errors:", rest @ ..] => {
                // "connect 0, read 0, write 0, timeout 0"
                for n in rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                {
                    m.errors += n;
                }
            }
            _ => {}
        }
    }
    seen_rps.then_some(m)
}

/// wrk's durations: `812.00us`, `1.52ms`, `2.01s`.
fn millis(v: &str) -> Option<f64> {
    if let Some(n) = v.strip_suffix("us") {
        n.parse::<f64>().ok().map(|x| x / 1000.0)
    } else if let Some(n) = v.strip_suffix("ms") {
        n.parse().ok()
    } else if let Some(n) = v.strip_suffix('s') {
        n.parse::<f64>().ok().map(|x| x * 1000.0)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrks_report() {
        let report = "Running 2s test @ http://127.0.0.1:1\n  2 threads and 8 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency   812.00us  100.00us   2.00ms   90.00%\n  Latency Distribution\n     50%  756.00us\n     75%    1.00ms\n     90%    1.20ms\n     99%    2.52ms\n  21000 requests in 2.00s, 3.00MB read\n  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 4\nRequests/sec:  10500.25\nTransfer/sec:      1.50MB\n";
        let m = parse_wrk(report).unwrap();
        assert_eq!(m.requests, 21000);
        assert_eq!(m.errors, 7);
        assert!((m.p50_ms - 0.756).abs() < 1e-9);
        assert!((m.p99_ms - 2.52).abs() < 1e-9);
        assert!((m.requests_per_second - 10500.25).abs() < 1e-9);
    }

    #[test]
    fn a_report_without_throughput_is_not_read() {
        assert!(parse_wrk("unable to connect").is_none());
    }
}
