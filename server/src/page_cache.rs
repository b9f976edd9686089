//! A short-lived cache of the public pages that anonymous visitors read most: the tender list
//! and its searches (`/`), a tender's page, the payment-timeliness statistics and the open-data
//! page (issue #8: rendering them costs 1-6 ms of CPU each, so on two cores the server renders
//! at most a few hundred a second; these pages are the same for every visitor who is not
//! signed in).
//!
//! What keeps it honest:
//! - only GET requests without a session cookie, for those paths; the key is the path, the
//!   query and the page language (the only thing of the request these pages read);
//! - only complete `200 text/html` answers that set no cookie are kept;
//! - an entry lives `ttl` (a second by default), so anything that changes with time alone (a
//!   deadline passing, a payment falling overdue) shows at most that late;
//! - every request that can change something (any method but GET and HEAD) empties the cache
//!   before and after it runs, and a page rendered while such a request ran is not kept (a
//!   generation counter), so whoever changes something, then reads, sees the change;
//! - every page carries a Content-Security-Policy nonce; a page served from the cache gets a
//!   fresh one (in the header and in the page), so no two answers share a nonce.
//!
//! The cache is per process: with several servers on one database, a change made through one
//! shows on the others after at most `ttl`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::i18n::Lang;
use app::infra::memo::Changes;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};

/// Bodies kept at most, in bytes, all entries together (a tender page is ~30 KB).
const MAX_BYTES: usize = 16 * 1024 * 1024;
/// A page larger than this is never kept.
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// Tells tests and operators whether an answer came from the cache.
pub const CACHE_HEADER: &str = "x-page-cache";

pub struct PageCache {
    ttl: Duration,
    /// The generation counter, shared with the other caches of the app's state.
    generation: Arc<Changes>,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    bytes: usize,
}

struct Entry {
    stored: Instant,
    headers: HeaderMap,
    body: Bytes,
    /// The CSP nonce the page was rendered with, replaced on every hit.
    nonce: Option<String>,
}

impl PageCache {
    /// `ttl` zero turns the cache off.
    pub fn new(ttl: Duration, changes: Arc<Changes>) -> Arc<PageCache> {
        Arc::new(PageCache {
            ttl,
            generation: changes,
            entries: Mutex::new(Entries::default()),
        })
    }

    /// The cache key of a request whose answer may be shared, or None.
    fn key(&self, request: &Request) -> Option<String> {
        if self.ttl.is_zero() || request.method() != Method::GET {
            return None;
        }
        let path = request.uri().path();
        let public = match path {
            "/" | "/payments" | "/open-data" => true,
            _ => path
                .strip_prefix("/tenders/")
                .is_some_and(|id| !id.is_empty() && !id.contains('/')),
        };
        if !public {
            return None;
        }
        let cookies = request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("; ");
        if cookies
            .split(';')
            .any(|c| c.trim_start().starts_with(app::infra::auth::SESSION_COOKIE))
        {
            return None;
        }
        let lang = Lang::from_cookie_header(&cookies);
        let target = request
            .uri()
            .path_and_query()
            .map_or(path, |pq| pq.as_str());
        Some(format!("{}|{target}", lang.tag()))
    }

    /// Empties the cache; pages being rendered now will not be kept.
    pub fn invalidate(&self) {
        self.generation.bump();
        let mut entries = self.lock();
        entries.map.clear();
        entries.bytes = 0;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves only a cache behind: keep using it.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn hit(&self, key: &str) -> Option<Response> {
        let (headers, body, nonce) = {
            let entries = self.lock();
            let entry = entries.map.get(key)?;
            if entry.stored.elapsed() >= self.ttl {
                return None;
            }
            (
                entry.headers.clone(),
                entry.body.clone(),
                entry.nonce.clone(),
            )
        };
        let (headers, body) = match nonce {
            Some(old) => renonce(headers, &body, &old)?,
            None => (headers, body),
        };
        let mut response = (StatusCode::OK, Body::from(body)).into_response();
        *response.headers_mut() = headers;
        response
            .headers_mut()
            .insert(CACHE_HEADER, HeaderValue::from_static("hit"));
        Some(response)
    }

    fn store(&self, key: String, generation: u64, headers: HeaderMap, body: Bytes) {
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(csp_nonce)
            .map(str::to_string);
        let mut entries = self.lock();
        // A change began while this page was being rendered: it may show the old state.
        if self.generation.current() != generation {
            return;
        }
        if entries.bytes + body.len() > MAX_BYTES {
            let ttl = self.ttl;
            entries.map.retain(|_, e| e.stored.elapsed() < ttl);
            entries.bytes = entries.map.values().map(|e| e.body.len()).sum();
            if entries.bytes + body.len() > MAX_BYTES {
                return;
            }
        }
        entries.bytes += body.len();
        if let Some(old) = entries.map.insert(
            key,
            Entry {
                stored: Instant::now(),
                headers,
                body,
                nonce,
            },
        ) {
            entries.bytes -= old.body.len();
        }
    }
}

/// The nonce of a `script-src ... 'nonce-XYZ'` policy.
fn csp_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(&policy[start..start + len]).filter(|n| !n.is_empty())
}

/// The page and its policy with `old` nonce replaced by a fresh random one everywhere.
fn renonce(mut headers: HeaderMap, body: &Bytes, old: &str) -> Option<(HeaderMap, Bytes)> {
    let fresh = format!("{:032x}", rand::random::<u128>());
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?
        .replace(old, &fresh);
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&policy).ok()?,
    );
    let page = std::str::from_utf8(body).ok()?.replace(old, &fresh);
    Some((headers, Bytes::from(page)))
}

/// The middleware: serves a kept page, keeps a fresh one, and empties the cache around every
/// request that can change something.
pub async fn page_cache(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        cache.invalidate();
        let response = next.run(request).await;
        cache.invalidate();
        return response;
    }
    let Some(key) = cache.key(&request) else {
        return next.run(request).await;
    };
    if let Some(hit) = cache.hit(&key) {
        return hit;
    }
    let generation = cache.generation.current();
    let response = next.run(request).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    if !keep {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Read the page up to the size worth keeping; a larger one (or one whose stream fails) is
    // passed on as it comes, what was read first and then the rest, and not kept.
    let mut stream = body.into_data_stream();
    let mut read = Vec::new();
    let mut len = 0;
    while len <= MAX_PAGE_BYTES {
        match stream.next().await {
            Some(Ok(chunk)) => {
                len += chunk.len();
                read.push(Ok(chunk));
            }
            Some(Err(e)) => {
                read.push(Err(e));
                break;
            }
            None => {
                let mut page = Vec::with_capacity(len);
                for chunk in read.into_iter().flatten() {
                    page.extend_from_slice(&chunk);
                }
                let body = Bytes::from(page);
                cache.store(key, generation, parts.headers.clone(), body.clone());
                parts
                    .headers
                    .insert(CACHE_HEADER, HeaderValue::from_static("miss"));
                return Response::from_parts(parts, Body::from(body));
            }
        }
    }
    Response::from_parts(
        parts,
        Body::from_stream(futures_util::stream::iter(read).chain(stream)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_nonce_of_a_policy() {
        let policy = "default-src 'self'; script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'";
        assert_eq!(csp_nonce(policy), Some("abc123"));
        assert_eq!(csp_nonce("default-src 'none'"), None);
    }

    #[test]
    fn a_kept_page_gets_a_fresh_nonce_everywhere() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'nonce-OLD1'"),
        );
        let body = Bytes::from_static(b"<script nonce=\"OLD1\">a</script><script nonce=\"OLD1\">");
        let (headers, page) = renonce(headers, &body, "OLD1").unwrap();
        let page = std::str::from_utf8(&page).unwrap();
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        let fresh = csp_nonce(policy).unwrap();
        assert_ne!(fresh, "OLD1");
        assert!(!page.contains("OLD1"));
        assert_eq!(page.matches(&format!("nonce=\"{fresh}\"")).count(), 2);
    }

    fn get(uri: &str, cookie: Option<&str>) -> Request {
        let mut b = http::Request::builder().uri(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn keeps_only_public_pages_of_visitors_who_are_not_signed_in() {
        let cache = PageCache::new(Duration::from_secs(1), Changes::new());
        assert!(cache.key(&get("/", None)).is_some());
        assert!(cache.key(&get("/?q=%E8%BF%90", None)).is_some());
        assert!(cache.key(&get("/tenders/0190", None)).is_some());
        assert!(cache.key(&get("/payments", Some("lang=en"))).is_some());
        assert!(cache.key(&get("/tenders/0190/bid", None)).is_none());
        assert!(cache.key(&get("/account", None)).is_none());
        assert!(cache.key(&get("/api/v1/tenders", None)).is_none());
        assert!(cache
            .key(&get("/", Some("lang=en; ft_session=abc")))
            .is_none());
        assert_ne!(
            cache.key(&get("/", Some("lang=en"))),
            cache.key(&get("/", None)),
            "the language is part of the key"
        );
        assert!(PageCache::new(Duration::ZERO, Changes::new())
            .key(&get("/", None))
            .is_none());
    }

    fn app(cache: Arc<PageCache>, page: String) -> axum::Router {
        axum::Router::new()
            .route(
                "/",
                axum::routing::get(move || {
                    let page = page.clone();
                    async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page) }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(cache, page_cache))
    }

    async fn answer(app: &axum::Router) -> (Option<String>, usize) {
        use tower::ServiceExt;
        let r = app.clone().oneshot(get("/", None)).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let cache = r
            .headers()
            .get(CACHE_HEADER)
            .map(|v| v.to_str().unwrap().to_string());
        let body = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        (cache, body.len())
    }

    #[tokio::test]
    async fn a_small_page_is_kept_and_a_page_too_large_to_keep_is_passed_on_whole() {
        let small = app(
            PageCache::new(Duration::from_secs(60), Changes::new()),
            "<p>hi</p>".into(),
        );
        assert_eq!(answer(&small).await, (Some("miss".into()), 9));
        assert_eq!(answer(&small).await, (Some("hit".into()), 9));

        let size = MAX_PAGE_BYTES + 10;
        let large = app(
            PageCache::new(Duration::from_secs(60), Changes::new()),
            "x".repeat(size),
        );
        assert_eq!(answer(&large).await, (None, size));
        assert_eq!(answer(&large).await, (None, size), "never kept");
    }
}
