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
            .env("FAIRTENDER_OCID_PREFIX", OCID_PREFIX)
            // /api/v1 is rate limited per client address; the load tool is one address.
            .env("FAIRTENDER_API_REQUESTS_PER_MINUTE", "1000000000")
            .env("FAIRTENDER_STORAGE_PATH", dir.join("documents"))
            .env("FAIRTENDER_JWT_KEY", &jwt_key)
            // Signs the audit log's checkpoints (issue #35); any key will do here.
            .env("FAIRTENDER_AUDIT_KEY", &jwt_key)
            .env(
                // The key the generator sealed its bids with, so the server can open them.
                "FAIRTENDER_BID_KEY",
                crate::generate::BID_KEY,
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
        proc_status_kb(self.pid(), "VmHWM:")
    }

    /// The CPU time the server process has used so far (all its threads, user and kernel),
    /// in seconds.
    pub fn cpu_seconds(&self) -> Option<f64> {
        proc_cpu_seconds(self.pid())
    }

    /// The server process's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server at once (SIGKILL: no shutdown, nothing flushed), and reaps it.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stops the server: SIGTERM, then SIGKILL if it has not exited within 10 s. Dropping it
    /// does the same, so a run that fails half-way (wrk missing, a wrong answer) leaves no
    /// server behind.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return; // already exited (and reaped): its pid may belong to another process now
        }
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

/// A memory figure (`VmRSS:`, `VmHWM:`) from `/proc/<pid>/status`, in KB.
pub fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// User plus system CPU time of a process (`utime` and `stime` of `/proc/<pid>/stat`), in
/// seconds. Linux counts them in USER_HZ ticks, 100 per second on every architecture it
/// exposes to user space.
pub fn proc_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may hold spaces: count fields after its closing one.
    let mut fields = stat.get(stat.rfind(')')? + 1..)?.split_whitespace();
    // Field 3 (state) comes first; utime and stime are fields 14 and 15.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// The ocid prefix the server is started with.
pub const OCID_PREFIX: &str = "ocds-bench0";

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
    /// Each request made unique by an extra query parameter the pages ignore, so that the
    /// server's page cache never answers: what rendering the page costs.
    pub uncached: bool,
}

#[derive(Clone)]
pub struct Request {
    pub path: String,
    pub form: Option<String>,
    /// A session cookie (`name=value`), for pages of a signed-in user.
    pub cookie: Option<String>,
}

fn get(path: String) -> Request {
    Request {
        path,
        form: None,
        cookie: None,
    }
}

fn get_signed_in(path: &str, cookie: &str) -> Request {
    Request {
        path: path.to_string(),
        form: None,
        cookie: Some(cookie.to_string()),
    }
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

/// `feed_pages`: later pages of the release feed (paths with their cursor), from
/// [`check_feed`]; `tender_pages`: later pages of `/api/v1/tenders`, from
/// [`check_tender_list`]; `suppliers`: session cookies of people of supplier firms that hold
/// contracts, checked by [`check_signed_in`].
pub fn workloads(
    server: &str,
    baseline: &str,
    ids: &[Uuid],
    feed_pages: &[String],
    tender_pages: &[String],
    suppliers: &[String],
) -> Vec<Workload> {
    let encoded = |q: &str| -> String {
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => format!("{k}={}", encode(v)),
                None => pair.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let mut list = vec![
        Workload {
            name: "baseline (axum, fixed body)",
            base: baseline.to_string(),
            uncached: false,
            requests: vec![get("/".into())],
        },
        Workload {
            name: "tender list (SSR)",
            base: server.to_string(),
            uncached: false,
            requests: (1..=20).map(|p| get(format!("/?page={p}"))).collect(),
        },
        Workload {
            name: "search + filters (SSR)",
            base: server.to_string(),
            uncached: false,
            requests: SEARCHES
                .iter()
                .map(|q| get(format!("/?{}", encoded(q))))
                .collect(),
        },
        Workload {
            name: "search (server fn, JSON)",
            base: server.to_string(),
            uncached: false,
            requests: SEARCHES
                .iter()
                .map(|q| Request {
                    path: "/api/tenders/search".into(),
                    cookie: None,
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
            uncached: false,
            requests: ids
                .iter()
                .take(200)
                .map(|id| get(format!("/tenders/{id}")))
                .collect(),
        },
        Workload {
            name: "supplier dashboard (/account)",
            base: server.to_string(),
            uncached: false,
            requests: suppliers
                .iter()
                .map(|c| get_signed_in("/account", c))
                .collect(),
        },
        Workload {
            name: "receivables (/receivables)",
            base: server.to_string(),
            uncached: false,
            requests: suppliers
                .iter()
                .map(|c| get_signed_in("/receivables", c))
                .collect(),
        },
        Workload {
            name: "OCDS release feed (/api/v1)",
            base: server.to_string(),
            uncached: false,
            requests: feed_requests(chrono::Utc::now())
                .into_iter()
                .chain(feed_pages.iter().cloned())
                .map(get)
                .collect(),
        },
        Workload {
            name: "tender list (/api/v1, JSON)",
            base: server.to_string(),
            uncached: false,
            requests: TENDER_LIST
                .iter()
                .map(|(path, _)| path.to_string())
                .chain(tender_pages.iter().cloned())
                .map(get)
                .collect(),
        },
    ];
    // The public pages again, past the page cache (server::page_cache).
    let uncached: Vec<Workload> = list
        .iter()
        .filter_map(|w| {
            let name = match w.name {
                "tender list (SSR)" => "tender list (SSR, uncached)",
                "search + filters (SSR)" => "search + filters (SSR, uncached)",
                "tender page (SSR)" => "tender page (SSR, uncached)",
                _ => return None,
            };
            Some(Workload {
                name,
                base: w.base.clone(),
                requests: w.requests.clone(),
                uncached: true,
            })
        })
        .collect();
    list.extend(uncached);
    list
}

/// What a reuser asks `/api/v1/tenders` for (newest first, 50 a page unless `limit` says
/// otherwise), each with what every tender in the answer must satisfy: the list, a short page,
/// the open tenders, one category, and a Chinese search term from the generated titles.
type TenderCheck = fn(&serde_json::Value) -> bool;
const TENDER_LIST: &[(&str, TenderCheck)] = &[
    ("/api/v1/tenders", |_| true),
    ("/api/v1/tenders?limit=50", |_| true),
    ("/api/v1/tenders?status=open", |t| t["status"] == "open"),
    ("/api/v1/tenders?category=services", |t| {
        t["category"] == "services"
    }),
    // 运维, percent-encoded (UTF-8).
    ("/api/v1/tenders?q=%E8%BF%90%E7%BB%B4", |t| {
        t["title"].as_str().is_some_and(|s| s.contains("运维"))
    }),
];

/// Before any timing: every request of the `/api/v1/tenders` workload answers 200 with a
/// non-empty `data` whose tenders match the filter, and the unfiltered list has a
/// `next_cursor`, whose page answers too (other tenders). Returns that page's path for the
/// workload.
pub async fn check_tender_list(server: &str) -> Result<Vec<String>> {
    let client = reqwest::Client::new();
    let fail = |why: String| format!("check failed: /api/v1/tenders: {why}");
    let fetch = |path: String| {
        let client = &client;
        async move { get_json(client, server, &path).await.map_err(fail) }
    };
    let data = |json: &serde_json::Value| -> Vec<serde_json::Value> {
        json["data"].as_array().cloned().unwrap_or_default()
    };
    let mut first_page = None;
    for (path, matches) in TENDER_LIST {
        let json = fetch(path.to_string()).await?;
        let tenders = data(&json);
        if tenders.is_empty() {
            return Err(fail(format!("{path}: no tenders in data: {json}")));
        }
        if let Some(t) = tenders.iter().find(|t| !matches(t)) {
            return Err(fail(format!("{path}: a tender that does not match: {t}")));
        }
        if first_page.is_none() {
            first_page = Some(json);
        }
    }
    let first_page = first_page.unwrap_or_default();
    let first_ids: Vec<&serde_json::Value> = first_page["data"]
        .as_array()
        .map(|d| d.iter().map(|t| &t["id"]).collect())
        .unwrap_or_default();
    if first_ids.len() != 50 {
        return Err(fail(format!(
            "/api/v1/tenders: expected 50 tenders (the default page), got {}",
            first_ids.len()
        )));
    }
    let cursor = first_page["next_cursor"]
        .as_str()
        .ok_or_else(|| fail("/api/v1/tenders: a full page without next_cursor".into()))?;
    let next = format!("/api/v1/tenders?cursor={}", encode(cursor));
    let tenders = data(&fetch(next.clone()).await?);
    let repeated = tenders
        .iter()
        .filter(|t| first_ids.contains(&&t["id"]))
        .count();
    if tenders.is_empty() || repeated > 0 {
        return Err(fail(format!(
            "{next}: expected the next tenders, got {} ({repeated} from the first page)",
            tenders.len()
        )));
    }
    Ok(vec![next])
}

/// Pages of the release feed a reuser would ask for: the first page, and the events since a
/// month, a week and a day ago (dates as the API takes them), a hundred releases each.
fn feed_requests(now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    let day = |days: i64| (now - chrono::Duration::days(days)).format("%Y-%m-%d");
    vec![
        "/api/v1/ocds/releases?limit=100".into(),
        format!("/api/v1/ocds/releases?limit=100&since={}", day(30)),
        format!("/api/v1/ocds/releases?limit=100&since={}", day(7)),
        format!("/api/v1/ocds/releases?limit=100&since={}", day(1)),
        format!(
            "/api/v1/ocds/releases?limit=100&since={}&until={}",
            day(60),
            day(30)
        ),
    ]
}

/// Before any timing: the release feed answers 200 with a full page of releases under the
/// run's ocid prefix and a `links.next`, for its first pages. Returns the next two pages' paths
/// (with their cursors) for the feed workload.
pub async fn check_feed(server: &str) -> Result<Vec<String>> {
    let client = reqwest::Client::new();
    let fail = |why: String| format!("check failed: OCDS release feed: {why}");
    let mut path = "/api/v1/ocds/releases?limit=100".to_string();
    let mut later = Vec::new();
    while later.len() < 2 {
        let json = get_json(&client, server, &path).await.map_err(fail)?;
        let releases = json["releases"].as_array().map_or(&[][..], Vec::as_slice);
        let prefix = format!("{OCID_PREFIX}-");
        if releases.len() != 100
            || !releases
                .iter()
                .all(|r| r["ocid"].as_str().is_some_and(|o| o.starts_with(&prefix)))
        {
            return Err(fail(format!(
                "{path}: expected 100 releases with ocids under {OCID_PREFIX}, got {}",
                releases.len()
            )));
        }
        let next = json["links"]["next"]
            .as_str()
            .ok_or_else(|| fail(format!("{path}: a full page without links.next")))?;
        path = next
            .strip_prefix(server)
            .ok_or_else(|| fail(format!("links.next {next:?} is not under {server}")))?
            .to_string();
        later.push(path.clone());
    }
    Ok(later)
}

/// GET `server` + `path` as JSON; any failure or non-2xx answer says which path and why.
async fn get_json(client: &reqwest::Client, server: &str, path: &str) -> Result<serde_json::Value> {
    let response = client
        .get(format!("{server}{path}"))
        .send()
        .await
        .map_err(|e| format!("{path}: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("{path}: {status}: {body}"));
    }
    response
        .json::<serde_json::Value>()
        .await
        .map_err(|e| format!("{path}: {e}"))
}

fn encode(s: &str) -> String {
    app::paths::escape_query(s)
}

/// Before any timing: each supplier's dashboard says who is signed in, and its receivables page
/// lists contracts (the generated firms all hold some), so the signed-in workloads measure real
/// pages, not a sign-in redirect or an empty state.
pub async fn check_signed_in(server: &str, suppliers: &[String]) -> Result {
    if suppliers.is_empty() {
        return Err("check failed: no supplier with contracts to sign in as".into());
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    for cookie in suppliers {
        for (path, marker) in [
            ("/account", "data-testid=\"signed-in\""),
            ("/receivables", "href=\"/contracts/"),
        ] {
            let page = client
                .get(format!("{server}{path}"))
                .header("cookie", cookie)
                .send()
                .await
                .map_err(|e| format!("check failed: {path}: {e}"))?;
            let status = page.status();
            let body = page.text().await.unwrap_or_default();
            if status != reqwest::StatusCode::OK || !body.contains(marker) {
                return Err(format!(
                    "check failed: {path} for a signed-in supplier: {status}, no {marker}"
                ));
            }
        }
    }
    Ok(())
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
    /// The server's peak RSS (VmHWM) once this workload has run: where the peak was reached.
    pub server_peak_rss_mb: f64,
}

/// Requests each of a workload's (GET) pages once, so that the timed run measures the steady
/// state of the server's page cache (pages rendered again in the background as they expire),
/// not the first rendering of all of them at once: that is what the uncached workloads measure.
/// Any answer but 200 fails the run.
pub async fn warm_up(w: &Workload) -> Result<()> {
    let client = reqwest::Client::new();
    for r in &w.requests {
        let url = format!("{}{}", w.base, r.path);
        let status = client
            .get(&url)
            .send()
            .await
            .map_err(|e| format!("warm-up of {}: {url}: {e}", w.name))?
            .status();
        if status != reqwest::StatusCode::OK {
            return Err(format!("warm-up of {}: {url} answered {status}", w.name));
        }
    }
    Ok(())
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
    if w.uncached {
        return uncached_lua_script(w);
    }
    let mut s = String::from("local requests = {\n");
    for r in &w.requests {
        match (&r.form, &r.cookie) {
            (None, None) => s.push_str(&format!("  wrk.format(\"GET\", {:?}),\n", r.path)),
            (None, Some(cookie)) => s.push_str(&format!(
                "  wrk.format(\"GET\", {:?}, {{[\"Host\"] = {:?}, [\"Cookie\"] = {:?}}}),\n",
                r.path,
                origin.split_once("://").map_or(origin, |(_, host)| host),
                cookie
            )),
            // wrk adds no Host header when given headers: the server's same-origin check needs it.
            (Some(body), _) => s.push_str(&format!(
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

/// GETs of the workload's paths, each with `uncached=<per-thread salt>-<counter>` appended (wrk
/// runs one Lua state per thread; a table's address differs between them).
fn uncached_lua_script(w: &Workload) -> String {
    let mut s = String::from("local paths = {\n");
    for r in &w.requests {
        s.push_str(&format!("  {:?},\n", r.path));
    }
    s.push_str(
        "}\nlocal salt = tostring({}):match(\"0x(%x+)\") or \"0\"\nlocal i = 0\nrequest = function()\n  i = i + 1\n  local p = paths[(i % #paths) + 1]\n  local sep = p:find(\"?\", 1, true) and \"&\" or \"?\"\n  return wrk.format(\"GET\", p .. sep .. \"uncached=\" .. salt .. \"-\" .. i)\nend\n",
    );
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
        server_peak_rss_mb: 0.0,
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
