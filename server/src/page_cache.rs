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
//! - an entry is fresh for `ttl` (five seconds by default); the first request after that starts
//!   rendering the page again in the background, and it and the others are served the kept
//!   page meanwhile, for at most another `ttl` (so a page is never more than `2 × ttl` old):
//!   anything that changes with time alone (a deadline passing, a payment falling overdue)
//!   shows at most that late. No visitor waits for a page to be rendered again (at full
//!   volume a list page takes 0.1-0.3 s to render under load; issue #8);
//! - when a page is missing, one request renders it and the others asking for it wait for that
//!   one (at most [`WAIT`]) instead of each rendering it too: at the moment a popular page
//!   expires, 64 visitors used to render it 64 times at once (issue #8, the tender list);
//! - every request that can change something (any method but GET, HEAD and OPTIONS, from
//!   someone signed in: the check given to [`PageCache::with_session_check`]) empties the
//!   cache before and after it runs (issue #35: an anonymous POST or OPTIONS, which changes
//!   nothing a cached page shows, no longer does, so a flood of them cannot keep the cache
//!   empty), and a page rendered while such a request ran is not kept (a
//!   generation counter), so whoever changes something, then reads, sees the change; nothing
//!   rendered before a change is served after it, fresh or stale;
//! - every page carries a Content-Security-Policy nonce; a page served from the cache gets a
//!   fresh one (in the header and in the page), so no two answers share a nonce. The page is
//!   kept cut at its nonce and answered as those pieces around the fresh one, without copying
//!   it (a list page is ~60-100 KB; copying and searching it was much of a hit's cost).
//!
//! The cache is per process: with several servers on one database, a change made through one
//! shows on the others after at most `2 × ttl`.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use app::i18n::Lang;
use app::infra::memo::Changes;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use http_body::{Frame, SizeHint};
use tokio::sync::watch;

/// Bodies kept at most, in bytes, all entries together (a tender page is ~30 KB).
const MAX_BYTES: usize = 16 * 1024 * 1024;
/// A page larger than this is never kept.
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// How long a request waits for another that is rendering the same page before rendering it
/// itself.
const WAIT: Duration = Duration::from_secs(10);
/// The longest a page is rendered again in the background (no client's timeout covers it).
const REFRESH_LIMIT: Duration = Duration::from_secs(30);
/// Tells tests and operators whether an answer came from the cache: `hit`, `stale` (kept
/// past its ttl, served while it is rendered again in the background) or `miss` (rendered
/// for this request and kept).
pub const CACHE_HEADER: &str = "x-page-cache";

/// Whether a request carries a valid session (its signature and expiry; no database read).
pub type SessionCheck = Box<dyn Fn(&HeaderMap) -> bool + Send + Sync>;

pub struct PageCache {
    ttl: Duration,
    /// None: every request that is not a GET, HEAD or OPTIONS may change something.
    signed_in: Option<SessionCheck>,
    /// The generation counter, shared with the other caches of the app's state.
    generation: Arc<Changes>,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    bytes: usize,
    /// The pages one request is rendering now, by key.
    rendering: HashMap<String, Flight>,
    flights: u64,
}

struct Entry {
    stored: Instant,
    generation: u64,
    headers: HeaderMap,
    page: Kept,
}

/// A kept page, cut where its CSP nonce stood (one piece if it has none).
#[derive(Clone)]
struct Kept {
    /// The nonce the page was rendered with, replaced on every hit.
    nonce: Option<String>,
    /// The page between the nonce's places: `pieces[0] nonce pieces[1] nonce ... pieces[n]`.
    pieces: Vec<Bytes>,
    len: usize,
}

/// A page being rendered: the rendering request holds the sender; those waiting for it hold
/// receivers, woken when the sender is dropped (page kept, not kept, or request cancelled).
struct Flight {
    id: u64,
    generation: u64,
    done: watch::Receiver<()>,
}

/// What a request does about a page that may be kept.
enum Lookup {
    /// Serve this (`hit` or `stale`).
    Serve(Response),
    /// Serve this stale page, and render it again in the background while the guard lives.
    Refresh(Response, Rendering),
    /// Render it; others wait while the guard lives (None: render it without others waiting).
    Render(Option<Rendering>),
    /// Another request is rendering it: wait for that one.
    Wait(watch::Receiver<()>),
}

/// Held by the request rendering a page: dropping it lets the waiting requests look again.
struct Rendering {
    cache: Arc<PageCache>,
    key: String,
    id: u64,
    _done: watch::Sender<()>,
}

impl Entry {
    fn kept(&self) -> (HeaderMap, Kept) {
        (self.headers.clone(), self.page.clone())
    }
}

impl Kept {
    /// Cuts `body` at every place of `nonce` (slices of the one buffer: nothing copied).
    /// None for a page that is not UTF-8 (not kept: its nonce could not be found safely).
    fn cut(body: Bytes, nonce: Option<String>) -> Option<Kept> {
        let page = std::str::from_utf8(&body).ok()?;
        let places: Vec<usize> = match &nonce {
            Some(n) => page.match_indices(n.as_str()).map(|(i, _)| i).collect(),
            None => Vec::new(),
        };
        let cut_len = nonce.as_ref().map_or(0, String::len);
        let mut pieces = Vec::with_capacity(places.len() + 1);
        let mut from = 0;
        for at in places {
            pieces.push(body.slice(from..at));
            from = at + cut_len;
        }
        pieces.push(body.slice(from..));
        Some(Kept {
            len: pieces.iter().map(Bytes::len).sum(),
            nonce,
            pieces,
        })
    }

    /// The page with `nonce` in the old one's places, as a body of its pieces.
    fn with_nonce(self, nonce: &Bytes) -> Pieces {
        let holes = self.pieces.len() - 1;
        let mut chunks = VecDeque::with_capacity(2 * holes + 1);
        for (i, piece) in self.pieces.into_iter().enumerate() {
            if i > 0 {
                chunks.push_back(nonce.clone());
            }
            if !piece.is_empty() {
                chunks.push_back(piece);
            }
        }
        Pieces {
            chunks,
            remaining: (self.len + holes * nonce.len()) as u64,
        }
    }
}

/// A response body made of pieces of kept pages: its length is known, so it is sent with a
/// Content-Length, and each piece is written as it is.
struct Pieces {
    chunks: VecDeque<Bytes>,
    remaining: u64,
}

impl http_body::Body for Pieces {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        Poll::Ready(this.chunks.pop_front().map(|chunk| {
            this.remaining -= chunk.len() as u64;
            Ok(Frame::data(chunk))
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        let mut entries = self.cache.lock();
        if entries
            .rendering
            .get(&self.key)
            .is_some_and(|f| f.id == self.id)
        {
            entries.rendering.remove(&self.key);
        }
        // `_done` is dropped after this: the waiting requests wake and find the page kept.
    }
}

impl PageCache {
    /// `ttl` zero turns the cache off.
    pub fn new(ttl: Duration, changes: Arc<Changes>) -> Arc<PageCache> {
        Arc::new(PageCache {
            ttl,
            signed_in: None,
            generation: changes,
            entries: Mutex::new(Entries::default()),
        })
    }

    /// As [`PageCache::new`], and only requests for which `signed_in` holds can change
    /// something: the others (anonymous registration, sign-in, the language switch) change
    /// nothing a cached page shows.
    pub fn with_session_check(
        ttl: Duration,
        changes: Arc<Changes>,
        signed_in: SessionCheck,
    ) -> Arc<PageCache> {
        Arc::new(PageCache {
            ttl,
            signed_in: Some(signed_in),
            generation: changes,
            entries: Mutex::new(Entries::default()),
        })
    }

    /// Whether `request` may change what a page shows, so the cache is emptied around it.
    fn may_change(&self, request: &Request) -> bool {
        if matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS
        ) {
            return false;
        }
        self.signed_in
            .as_ref()
            .is_none_or(|check| check(request.headers()))
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
        // Read as the page reads it (issue #35), whatever the number of Cookie headers.
        let lang = Lang::from_headers(request.headers());
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

    /// Serve the kept page, render it, or wait for the request rendering it. `may_wait` is
    /// false for a request that has waited once already: it renders rather than waits again.
    fn look_up(self: &Arc<Self>, key: &str, may_wait: bool) -> Lookup {
        let generation = self.generation.current();
        let kept = {
            let mut entries = self.lock();
            let rendering = entries
                .rendering
                .get(key)
                .filter(|f| f.generation == generation)
                .map(|f| f.done.clone());
            let kept = entries
                .map
                .get(key)
                .filter(|e| e.generation == generation)
                .map(|e| (e.stored.elapsed(), e));
            match (kept, rendering) {
                (Some((age, e)), _) if age < self.ttl => (e.kept(), "hit", None),
                // Being rendered again already.
                (Some((age, e)), Some(_)) if age < 2 * self.ttl => (e.kept(), "stale", None),
                // The first request since it expired: it starts the new rendering.
                (Some((age, e)), None) if age < 2 * self.ttl => {
                    let kept = e.kept();
                    let refresh = self.start_flight(&mut entries, key, generation);
                    (kept, "stale", Some(refresh))
                }
                (_, Some(done)) if may_wait => return Lookup::Wait(done),
                _ => {
                    let rendering = self.start_flight(&mut entries, key, generation);
                    return Lookup::Render(Some(rendering));
                }
            }
        };
        let ((headers, page), state, refresh) = kept;
        match (serve(headers, page, state), refresh) {
            (Some(response), None) => Lookup::Serve(response),
            (Some(response), Some(refresh)) => Lookup::Refresh(response, refresh),
            // Not expected (the page was kept with this nonce): render it instead.
            (None, refresh) => Lookup::Render(refresh),
        }
    }

    /// Notes that `key` is being rendered: requests for it wait (or are served stale) until
    /// the returned guard is dropped.
    fn start_flight(
        self: &Arc<Self>,
        entries: &mut Entries,
        key: &str,
        generation: u64,
    ) -> Rendering {
        entries.flights += 1;
        let id = entries.flights;
        let (tx, rx) = watch::channel(());
        let flight = Flight {
            id,
            generation,
            done: rx,
        };
        entries.rendering.insert(key.to_string(), flight);
        Rendering {
            cache: self.clone(),
            key: key.to_string(),
            id,
            _done: tx,
        }
    }

    fn store(&self, key: String, generation: u64, mut headers: HeaderMap, body: Bytes) {
        // A hit's length is its own (its nonce may differ in length): hyper sets it from the body.
        headers.remove(header::CONTENT_LENGTH);
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(csp_nonce)
            .map(str::to_string);
        // Cut once per rendering (a scan of the page), outside the lock.
        let Some(page) = Kept::cut(body, nonce) else {
            return;
        };
        let mut entries = self.lock();
        // A change began while this page was being rendered: it may show the old state.
        if self.generation.current() != generation {
            return;
        }
        if entries.bytes + page.len > MAX_BYTES {
            let keep = 2 * self.ttl;
            entries.map.retain(|_, e| e.stored.elapsed() < keep);
            entries.bytes = entries.map.values().map(|e| e.page.len).sum();
            if entries.bytes + page.len > MAX_BYTES {
                return;
            }
        }
        entries.bytes += page.len;
        if let Some(old) = entries.map.insert(
            key,
            Entry {
                stored: Instant::now(),
                generation,
                headers,
                page,
            },
        ) {
            entries.bytes -= old.page.len;
        }
    }
}

/// A kept page as an answer, with a fresh nonce and the cache header.
fn serve(headers: HeaderMap, page: Kept, state: &'static str) -> Option<Response> {
    let (headers, body) = match &page.nonce {
        Some(old) => {
            let (headers, fresh) = renonce(headers, old)?;
            (headers, Body::new(page.with_nonce(&fresh)))
        }
        None => (headers, Body::new(page.with_nonce(&Bytes::new()))),
    };
    let mut response = (StatusCode::OK, body).into_response();
    *response.headers_mut() = headers;
    response
        .headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static(state));
    Some(response)
}

/// The nonce of a `script-src ... 'nonce-XYZ'` policy.
fn csp_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(&policy[start..start + len]).filter(|n| !n.is_empty())
}

/// The policy with `old` nonce replaced by a fresh random one, and that fresh nonce.
fn renonce(mut headers: HeaderMap, old: &str) -> Option<(HeaderMap, Bytes)> {
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
    Some((headers, Bytes::from(fresh)))
}

/// The middleware: serves a kept page, keeps a fresh one, and empties the cache around every
/// request that can change something.
pub async fn page_cache(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    if cache.may_change(&request) {
        cache.invalidate();
        let response = next.run(request).await;
        cache.invalidate();
        return response;
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let Some(key) = cache.key(&request) else {
        return next.run(request).await;
    };
    let mut may_wait = true;
    let _rendering = loop {
        match cache.look_up(&key, may_wait) {
            Lookup::Serve(kept) => return kept,
            Lookup::Refresh(stale, rendering) => {
                // The page is rendered again for a copy of this request (the same path, query
                // and cookies: what the page reads), on a task of its own.
                let (parts, _) = request.into_parts();
                let copy = Request::from_parts(parts, Body::empty());
                let cache = cache.clone();
                tokio::spawn(async move {
                    let _rendering = rendering;
                    let generation = cache.generation.current();
                    let rendered = render(&cache, key, generation, next, copy);
                    if tokio::time::timeout(REFRESH_LIMIT, rendered).await.is_err() {
                        tracing::warn!("a public page took over 30 s to render again");
                    }
                });
                return stale;
            }
            Lookup::Render(rendering) => break rendering,
            Lookup::Wait(mut done) => {
                // Woken when the other request is done with the page (kept or not), or after
                // WAIT; then this one looks again, and renders rather than waits a second time.
                let _ = tokio::time::timeout(WAIT, done.changed()).await;
                may_wait = false;
            }
        }
    };
    let generation = cache.generation.current();
    render(&cache, key, generation, next, request).await
}

/// Renders the page and keeps it if it may be shared; answers it as rendered.
async fn render(
    cache: &PageCache,
    key: String,
    generation: u64,
    next: Next,
    request: Request,
) -> Response {
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

    #[tokio::test]
    async fn a_kept_page_gets_a_fresh_nonce_everywhere_and_its_exact_length() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'nonce-OLD1'"),
        );
        // At the start, twice in the middle and at the end: every place is replaced.
        let body =
            Bytes::from_static(b"OLD1<script nonce=\"OLD1\">a</script><p nonce=\"OLD1\">OLD1");
        let page = Kept::cut(body, Some("OLD1".into())).unwrap();
        let mut answers = Vec::new();
        for _ in 0..2 {
            let r = serve(headers.clone(), page.clone(), "hit").unwrap();
            let policy = r.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap();
            let fresh = csp_nonce(policy).unwrap().to_string();
            assert_ne!(fresh, "OLD1");
            let want =
                format!("{fresh}<script nonce=\"{fresh}\">a</script><p nonce=\"{fresh}\">{fresh}");
            // Sent with a Content-Length: the body's size is known before it is read.
            assert_eq!(
                http_body::Body::size_hint(r.body()).exact(),
                Some(want.len() as u64)
            );
            let got = axum::body::to_bytes(r.into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(std::str::from_utf8(&got).unwrap(), want);
            answers.push(fresh);
        }
        assert_ne!(answers[0], answers[1], "no two answers share a nonce");
        assert!(
            Kept::cut(Bytes::from_static(b"\xff\xfe"), Some("OLD1".into())).is_none(),
            "a page that is not UTF-8 is not kept"
        );
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

    /// A page whose every rendering waits for the test to open a gate, and says which
    /// rendering it is ("page 1", "page 2", ...).
    struct Gated {
        app: axum::Router,
        cache: Arc<PageCache>,
        rendered: Arc<std::sync::atomic::AtomicUsize>,
        entered: tokio::sync::mpsc::UnboundedReceiver<()>,
        gate: Arc<tokio::sync::Semaphore>,
    }

    fn gated(ttl: Duration) -> Gated {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let cache = PageCache::new(ttl, Changes::new());
        let rendered = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(tokio::sync::Semaphore::new(0));
        let (tx, entered) = tokio::sync::mpsc::unbounded_channel();
        let (n, g) = (rendered.clone(), gate.clone());
        let app = axum::Router::new()
            .route(
                "/",
                axum::routing::get(move || {
                    let (n, g, tx) = (n.clone(), g.clone(), tx.clone());
                    async move {
                        let page = format!("page {}", n.fetch_add(1, Ordering::SeqCst) + 1);
                        let _ = tx.send(());
                        g.acquire().await.unwrap().forget();
                        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page)
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                cache.clone(),
                page_cache,
            ));
        Gated {
            app,
            cache,
            rendered,
            entered,
            gate,
        }
    }

    impl Gated {
        fn request(&self) -> tokio::task::JoinHandle<(Option<String>, String)> {
            use tower::ServiceExt;
            let app = self.app.clone();
            tokio::spawn(async move {
                let r = app.oneshot(get("/", None)).await.unwrap();
                assert_eq!(r.status(), StatusCode::OK);
                let cache = r
                    .headers()
                    .get(CACHE_HEADER)
                    .map(|v| v.to_str().unwrap().to_string());
                let body = axum::body::to_bytes(r.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (cache, String::from_utf8(body.to_vec()).unwrap())
            })
        }

        /// Lets one rendering (waiting or to come) finish.
        fn open(&self) {
            self.gate.add_permits(1);
        }

        fn renderings(&self) -> usize {
            self.rendered.load(std::sync::atomic::Ordering::SeqCst)
        }
    }

    fn said(answer: &(Option<String>, String)) -> (&str, &str) {
        (answer.0.as_deref().unwrap_or("none"), answer.1.as_str())
    }

    #[tokio::test]
    async fn visitors_asking_for_a_missing_page_at_once_wait_for_one_rendering() {
        let mut g = gated(Duration::from_secs(60));
        let first = g.request();
        g.entered.recv().await.unwrap();
        let others: Vec<_> = (0..7).map(|_| g.request()).collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(g.renderings(), 1, "the others wait instead of rendering");
        g.open();
        assert_eq!(said(&first.await.unwrap()), ("miss", "page 1"));
        for other in others {
            assert_eq!(said(&other.await.unwrap()), ("hit", "page 1"));
        }
        assert_eq!(g.renderings(), 1);
    }

    #[tokio::test]
    async fn an_expired_page_is_served_at_once_while_it_is_rendered_again_in_the_background() {
        let ttl = Duration::from_secs(1);
        let mut g = gated(ttl);
        g.open();
        assert_eq!(said(&g.request().await.unwrap()), ("miss", "page 1"));
        g.entered.recv().await.unwrap();
        tokio::time::sleep(ttl + Duration::from_millis(50)).await;

        // Within 2 × ttl of its rendering: the kept page, at once, said to be stale, to the
        // request that starts the new rendering as well as to those after it.
        for _ in 0..3 {
            let stale = tokio::time::timeout(Duration::from_secs(5), g.request())
                .await
                .expect("served at once, not after the rendering");
            assert_eq!(said(&stale.unwrap()), ("stale", "page 1"));
        }
        g.entered.recv().await.unwrap();
        assert_eq!(g.renderings(), 2, "rendered again once, in the background");
        g.open();
        let mut answer = g.request().await.unwrap();
        for _ in 0..100 {
            if answer.0.as_deref() == Some("hit") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
            answer = g.request().await.unwrap();
        }
        assert_eq!(said(&answer), ("hit", "page 2"));
        assert_eq!(g.renderings(), 2);
    }

    #[tokio::test]
    async fn a_page_older_than_twice_its_ttl_or_than_a_change_is_never_served() {
        let ttl = Duration::from_millis(100);
        let mut g = gated(ttl);
        g.open();
        assert_eq!(said(&g.request().await.unwrap()), ("miss", "page 1"));
        g.entered.recv().await.unwrap();
        tokio::time::sleep(2 * ttl + Duration::from_millis(50)).await;

        let renderer = g.request();
        g.entered.recv().await.unwrap();
        let waiting = g.request();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            !waiting.is_finished(),
            "too old to serve: it waits for the new one"
        );
        assert_eq!(g.renderings(), 2);
        g.open();
        assert_eq!(said(&renderer.await.unwrap()), ("miss", "page 2"));
        assert_eq!(said(&waiting.await.unwrap()), ("hit", "page 2"));

        // Expired but young enough to be served stale, yet something changed: rendered anew.
        tokio::time::sleep(ttl + Duration::from_millis(10)).await;
        g.cache.invalidate();
        let renderer = g.request();
        g.entered.recv().await.unwrap();
        let waiting = g.request();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            !waiting.is_finished(),
            "nothing from before the change is served"
        );
        g.open();
        assert_eq!(said(&renderer.await.unwrap()), ("miss", "page 3"));
        assert_eq!(said(&waiting.await.unwrap()), ("hit", "page 3"));
    }
}
