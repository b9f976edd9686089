//! Request guards that apply to every route.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, Method, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Refuses a state-changing request (anything but GET, HEAD, OPTIONS) that a browser says comes
/// from another site: `Sec-Fetch-Site` other than same-origin/none, or an `Origin` whose host is
/// not this server's. Server functions accept plain form posts, so without this any site could
/// make a signed-in person's browser act on fairtender (CSRF). Requests without either header are
/// not from a browser that could carry a victim's cookies, and pass.
pub async fn reject_cross_site(request: Request, next: Next) -> Response {
    if is_cross_site(request.method(), request.headers()) {
        tracing::warn!(
            origin = ?request.headers().get(header::ORIGIN),
            sec_fetch_site = ?request.headers().get("sec-fetch-site"),
            "refused a cross-site state-changing request"
        );
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            Body::from(
                "跨站请求已被拒绝：请在 fairtender 网站上操作。\n\
                 Cross-site request refused: submit the form from the fairtender site itself.\n",
            ),
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN) {
        None => false,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let origin_host = origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://"))
                .map(|(_, rest)| rest.trim_end_matches('/'));
            // `Origin: null` (sandboxed frames, some redirects) has no host and is refused.
            origin_host.is_none() || origin_host != host
        }
    }
}

/// The largest form a server function reads: axum's limit for the extractors that read it.
/// Beyond it the framework stops reading and answers "not in the expected form"; the check
/// below says what is wrong instead.
pub const MAX_FORM_BYTES: u64 = 2 * 1024 * 1024;

/// Checks a request's body before a byte of it is read (issue #9): a body declared longer than
/// its route reads (a server function's form: [`MAX_FORM_BYTES`]; anything else, such as an
/// upload: `max_body`) is refused with 413, and a server function's body that is not a form
/// with 415, each with a message in both languages that says what to do. A server function's
/// body sent without a declared length is read here up to its limit (413 beyond); an upload's
/// is cut off where the limit lies, as it is read.
pub async fn check_bodies(
    axum::extract::State(max_body): axum::extract::State<u64>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let server_fn = path.starts_with("/api/") && !path.starts_with("/api/v1/");
    let limit = if server_fn { MAX_FORM_BYTES } else { max_body };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large(server_fn, limit);
    }
    if server_fn && request.method() == Method::POST && declared != Some(0) {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let form = content_type.split(';').next().is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
        // No type and no declared length: a body-less post some clients send as it is.
        let bare = content_type.is_empty() && declared.is_none();
        if !(form || bare) {
            return plain(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "请以表单提交（application/x-www-form-urlencoded），而不是 {content_type:?}。\n\
                     Send a form (application/x-www-form-urlencoded), not {content_type:?}.\n"
                ),
            );
        }
    }
    if server_fn && declared.is_none() {
        // Sent in chunks, its length unknown until read: read it here, up to the limit, so one
        // over it gets the same answer as one declared over it (the framework's reader would
        // stop at the limit and answer "not in the expected form"). Forms are small; the
        // framework would hold the whole form in memory anyway.
        let (parts, body) = request.into_parts();
        return match Limited::new(body, MAX_FORM_BYTES as usize).collect().await {
            Ok(collected) => {
                next.run(Request::from_parts(parts, Body::from(collected.to_bytes())))
                    .await
            }
            Err(e) if e.is::<LengthLimitError>() => too_large(true, MAX_FORM_BYTES),
            Err(e) => {
                tracing::info!(error = %e, "a form's body could not be read");
                plain(
                    StatusCode::BAD_REQUEST,
                    "表单内容未能完整收到，请重新提交。\n\
                     The form did not arrive whole: submit it again.\n"
                        .to_string(),
                )
            }
        };
    }
    next.run(request).await
}

/// 413 for a body over `limit`, saying what to do: a form (`server_fn`) or a file.
fn too_large(server_fn: bool, limit: u64) -> Response {
    let mb = limit / (1024 * 1024);
    let message = if server_fn {
        format!(
            "表单内容过长（超过 {mb} MB），请缩短文字；文件请作为文件上传。\n\
             The form is too long (over {mb} MB): shorten the text, and upload files as \
             documents.\n"
        )
    } else {
        format!(
            "文件过大（超过 {mb} MB），请压缩或拆分后再上传。\n\
             The file is too large (over {mb} MB): compress or split it, then upload it \
             again.\n"
        )
    };
    plain(StatusCode::PAYLOAD_TOO_LARGE, message)
}

/// Seconds a client is told to wait before retrying a request answered 503.
pub const RETRY_AFTER_SECONDS: &str = "5";

/// Adds `Retry-After` to a 503 that has none.
pub async fn retry_hint(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert(http::HeaderValue::from_static(RETRY_AFTER_SECONDS));
    }
    response
}

fn plain(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Body::from(message),
    )
        .into_response()
}

/// Gives server-function errors their real status. A server function's own errors get theirs
/// through `app::server_fns::respond::respond`, but one whose arguments could not even be read (missing or
/// malformed form fields) fails before its body runs, and the framework answers 500. That is a
/// client error: answer with the status of the `AppError` the body carries.
pub async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_site_and_non_browser_requests_pass() {
        let same = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(!is_cross_site(&Method::POST, &same));
        assert!(!is_cross_site(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!is_cross_site(&Method::POST, &headers(&[("host", "a")])));
    }

    #[test]
    fn other_sites_are_refused() {
        let evil = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://evil.example"),
        ]);
        assert!(is_cross_site(&Method::POST, &evil));
        assert!(is_cross_site(
            &Method::DELETE,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[("host", "a"), ("origin", "null")])
        ));
        // Reading is never refused: nothing changes over GET.
        assert!(!is_cross_site(&Method::GET, &evil));
    }
}

/// Per-client rate limiting (GCRA via `governor`), keyed by the client's address: a client may
/// send `n` requests at once, then one more every `60/n` seconds. Beyond that: 429 with
/// `Retry-After` and a JSON body. Behind a reverse proxy listed in `trusted_proxies` the address
/// is the one the proxy forwarded for; behind any other, every client shares the proxy's.
#[derive(Clone)]
pub struct RateLimit {
    limiter: std::sync::Arc<governor::DefaultKeyedRateLimiter<std::net::IpAddr>>,
}

impl RateLimit {
    pub fn per_minute(n: u32) -> RateLimit {
        let quota = governor::Quota::per_minute(
            std::num::NonZeroU32::new(n).unwrap_or(std::num::NonZeroU32::MIN),
        );
        RateLimit {
            limiter: std::sync::Arc::new(governor::RateLimiter::keyed(quota)),
        }
    }
}

/// The middleware: `axum::middleware::from_fn_with_state(RateLimit::per_minute(n), rate_limit)`.
pub async fn rate_limit(
    axum::extract::State(limit): axum::extract::State<RateLimit>,
    axum::extract::ConnectInfo(addr): axum::extract::ConnectInfo<std::net::SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    use governor::clock::{Clock, DefaultClock};
    // The client as `crate::security::client_address` worked it out (behind a trusted proxy:
    // the address it forwarded for), else the peer.
    let client = request
        .extensions()
        .get::<app::services::session::ClientAddress>()
        .map_or(addr.ip(), |c| c.0);
    match limit.limiter.check_key(&client) {
        Ok(()) => {
            // Forget addresses that have been quiet long enough to be back at a full burst.
            if limit.limiter.len() > 10_000 {
                limit.limiter.retain_recent();
            }
            next.run(request).await
        }
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let body = serde_json::json!({
                "error": {
                    "code": "rate_limited",
                    "message": format!("Too many requests: retry in {seconds} s."),
                    "message_zh": format!("请求过于频繁，请 {seconds} 秒后重试。"),
                }
            });
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, seconds.max(1).to_string())],
                axum::Json(body),
            )
                .into_response()
        }
    }
}
