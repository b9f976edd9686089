//! `GET /payments.csv`: the public payment timeliness figures (R-PAY-07) as a spreadsheet file.
//! The report and its CSV text come from `app::services::contracts`; this is only the route.

use std::collections::HashMap;

use app::error::AppError;
use app::model::contracts::parse_year;
use app::services::{contracts, AppState};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// `GET /payments.csv?year=2026`: the public timeliness figures as a spreadsheet file.
pub async fn payments_csv(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let year = match parse_year(query.get("year").map(String::as_str).unwrap_or("")) {
        Ok(y) => y,
        Err(e) => {
            let message = match &e {
                AppError::Invalid { message, .. } => message.en.clone(),
                _ => String::from("Bad request"),
            };
            return (StatusCode::BAD_REQUEST, message).into_response();
        }
    };
    match contracts::timeliness_report(&state, year).await {
        Ok(report) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"payment-timeliness.csv\"",
                ),
                (header::CACHE_CONTROL, "public, max-age=60"),
            ],
            // A byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
            format!("\u{feff}{}", contracts::timeliness_csv_text(&report)),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "timeliness CSV failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}
