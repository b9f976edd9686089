//! JSON responses with a strong ETag, answered `304 Not Modified` when the client has them.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::ApiError;
use app::error::AppError;

/// A JSON response with a strong ETag of its bytes; `304 Not Modified` when the client already
/// has them (If-None-Match).
pub fn json_with_etag(headers: &HeaderMap, body: Vec<u8>, cache_seconds: u32) -> Response {
    use sha2::Digest;
    let etag = format!("\"{}\"", hex::encode(&sha2::Sha256::digest(&body)[..16]));
    let cache = format!("public, max-age={cache_seconds}");
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response()
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&cache) {
        h.insert(header::CACHE_CONTROL, v);
    }
    response
}

/// `value` as JSON with its ETag, kept by caches for `cache_seconds`.
pub fn json_response(
    headers: &HeaderMap,
    value: &impl Serialize,
    cache_seconds: u32,
) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(|e| {
        tracing::error!(error = %e, "could not write API JSON");
        ApiError::App(AppError::Internal { request_id: None })
    })?;
    Ok(json_with_etag(headers, body, cache_seconds))
}
