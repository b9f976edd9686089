//! `/statistics/payment-timeliness` and its CSV: how promptly agencies pay (R-PAY-07).

use std::collections::HashMap;

use app::services::open_data::{self, Timeliness};
use app::services::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use super::etag::json_response;
use super::params::{self, query_params};
use super::{ApiError, ApiErrorBody};

#[utoipa::path(
    get,
    path = "/statistics/payment-timeliness",
    tag = "statistics",
    summary = "How promptly agencies pay (R-PAY-07), overall and per agency",
    params(("year" = Option<String>, Query, pattern = r"^\s*((20[0-9]{2})|2100)?\s*$", description = "Only payables due in this year (2000 to 2100); empty or left out: every year")),
    responses(
        (status = 200, description = "The figures", body = Timeliness),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn payment_timeliness(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["year"])?;
    let year = params::year(&q)?;
    let figures: Timeliness = open_data::payment_timeliness(&state, year).await?;
    json_response(&headers, &figures, 30)
}

#[utoipa::path(
    get,
    path = "/statistics/payment-timeliness.csv",
    tag = "statistics",
    summary = "The payment-timeliness figures as CSV (UTF-8 with BOM)",
    params(("year" = Option<String>, Query, pattern = r"^\s*((20[0-9]{2})|2100)?\s*$", description = "Only payables due in this year (2000 to 2100); empty or left out: every year")),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn payment_timeliness_csv(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["year"])?;
    let year = params::year(&q)?;
    let csv = open_data::payment_timeliness_csv(&state, year).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"payment-timeliness.csv\"",
            ),
        ],
        format!("\u{feff}{csv}"),
    )
        .into_response())
}
