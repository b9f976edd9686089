//! `/audit/checkpoints`: the audit log's signed checkpoints (issue #35), for outsiders to keep.

use std::collections::HashMap;

use app::services::open_data::audit::{self, CheckpointList};
use app::services::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::etag::json_response;
use super::params::{parse_limit, query_params};
use super::{ApiError, ApiErrorBody};

const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1000;

#[utoipa::path(
    get,
    path = "/audit/checkpoints",
    tag = "audit",
    summary = "The audit log's signed checkpoints (Ed25519), oldest first: keep copies to detect a log cut short or rewritten",
    params(
        ("after" = Option<i64>, Query, minimum = 0, description = "Only checkpoints covering more entries than this (the previous page's next_after)"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 1000, description = "1 to 1000, default 100"),
    ),
    responses(
        (status = 200, description = "The checkpoints and the key that signed them", body = CheckpointList),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn checkpoints(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["after", "limit"])?;
    let after = match q.get("after") {
        None => 0,
        // Written plainly, as the document's pattern says (`schema::COUNT_PATTERN`).
        Some(v) => (v.len() <= 18
            && v.bytes().all(|b| b.is_ascii_digit())
            && (v == "0" || !v.starts_with('0')))
        .then(|| v.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| {
            ApiError::bad(
                "after",
                "after 应为非负整数（上一页的 next_after）。",
                "after must be a whole number from 0 (the previous page's next_after).",
            )
        })?,
    };
    let limit = parse_limit(q.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)?;
    let list = audit::checkpoints(&state, after, limit).await?;
    json_response(&headers, &list, 0)
}
