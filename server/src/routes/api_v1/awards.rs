//! `/awards`: decided awards, newest first.

use std::collections::HashMap;

use app::services::open_data::{self, AwardPage, DEFAULT_LIMIT, MAX_LIMIT};
use app::services::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::etag::json_response;
use super::params::{self, parse_limit, query_params};
use super::{ApiError, ApiErrorBody};

#[utoipa::path(
    get,
    path = "/awards",
    tag = "awards",
    summary = "Decided awards, newest first",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
    ),
    responses(
        (status = 200, description = "A page of awards", body = AwardPage),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn list_awards(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["cursor", "limit"])?;
    let key = params::cursor(&q)?;
    let limit = parse_limit(q.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)?;
    let data = open_data::award_page(&state, key, limit).await?;
    let next_cursor = open_data::next_cursor(&data, limit, |a| (a.decided_at, a.lot_id));
    json_response(&headers, &AwardPage { data, next_cursor }, 30)
}
