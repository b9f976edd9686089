//! `/tenders`, `/tenders/{id}` and `/tenders/{id}/lots`: published tenders.

use std::collections::HashMap;

use app::services::open_data::{self, LotList, TenderDetail, TenderPage, DEFAULT_LIMIT, MAX_LIMIT};
use app::services::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::etag::json_response;
use super::params::{self, parse_limit, path_id, query_params, TENDER_FILTERS};
use super::{ApiError, ApiErrorBody};

#[utoipa::path(
    get,
    path = "/tenders",
    tag = "tenders",
    summary = "Published tenders, newest first",
    params(
        ("q" = Option<String>, Query, description = "Search text (Chinese by character sequence, other words by prefix)"),
        ("category" = Option<String>, Query, description = "goods, services or works"),
        ("method" = Option<String>, Query, description = "open_tender, competitive_consultation, competitive_negotiation, request_for_quotation"),
        ("province" = Option<String>, Query, description = "Province code (GB/T 2260), e.g. 330000"),
        ("budget_min" = Option<String>, Query, description = "Yuan"),
        ("budget_max" = Option<String>, Query, description = "Yuan"),
        ("sme" = Option<String>, Query, description = "1: reserved (wholly or in part) for SMEs"),
        ("status" = Option<String>, Query, description = "open, closed or all (default all)"),
        ("closes_within" = Option<String>, Query, description = "7 or 30 (days)"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
    ),
    responses(
        (status = 200, description = "A page of tenders", body = TenderPage),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
        (status = 429, description = "Too many requests; see Retry-After", body = ApiErrorBody),
    )
)]
pub async fn list_tenders(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let known: Vec<&str> = TENDER_FILTERS
        .iter()
        .copied()
        .chain(["cursor", "limit"])
        .collect();
    let q = query_params(&raw, &known)?;
    let f = params::tender_filter(&q)?;
    let key = params::cursor(&q)?;
    let limit = parse_limit(q.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)?;
    let data = open_data::tender_page(&state, &f, key, limit).await?;
    let next_cursor = open_data::next_cursor(&data, limit, |t| (t.published_at, t.id));
    json_response(&headers, &TenderPage { data, next_cursor }, 30)
}

#[utoipa::path(
    get,
    path = "/tenders/{id}",
    tag = "tenders",
    summary = "One published tender with its lots and clarifications",
    params(("id" = Uuid, Path, description = "The tender's id")),
    responses(
        (status = 200, description = "The tender", body = TenderDetail),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "The id is not a UUID", body = ApiErrorBody),
        (status = 404, description = "No published tender has this id", body = ApiErrorBody),
    )
)]
pub async fn get_tender(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    let id = path_id(&id, "id")?;
    let detail: TenderDetail = open_data::tender_detail(&state, id).await?;
    json_response(&headers, &detail, 30)
}

#[utoipa::path(
    get,
    path = "/tenders/{id}/lots",
    tag = "tenders",
    summary = "The lots of one published tender, with their criteria",
    params(("id" = Uuid, Path, description = "The tender's id")),
    responses(
        (status = 200, description = "Its lots", body = LotList),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "The id is not a UUID", body = ApiErrorBody),
        (status = 404, description = "No published tender has this id", body = ApiErrorBody),
    )
)]
pub async fn tender_lots(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    let id = path_id(&id, "id")?;
    let lots: LotList = open_data::tender_lots(&state, id).await?;
    json_response(&headers, &lots, 30)
}
