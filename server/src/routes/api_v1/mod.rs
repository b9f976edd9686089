//! The public JSON API under /api/v1 (issue #7): tenders, lots, awards, contracts and the
//! payment-timeliness statistics, with cursor pagination, ETags, CSV exports, the OCDS open data
//! (`super::ocds`), and an OpenAPI 3.1 document generated from the handlers' annotations
//! (`utoipa`) at /api/v1/openapi.json. The data comes from `app::services::open_data`.
//!
//! Everything here is public. R-BID-01: no route reads a bid; awards name the winner and the
//! price only once decided.

use app::error::AppError;
use app::paths::api;
use app::services::AppState;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;

use crate::config::Settings;
use crate::routes::ocds;

pub mod audit;
pub mod awards;
pub mod contracts;
pub mod csv;
mod error;
pub mod etag;
pub mod params;
pub mod schema;
pub mod statistics;
pub mod tenders;

pub use error::{ApiError, ApiErrorBody, ApiErrorDetail};

/// The public, read-only API: lists, statistics, CSV exports and OCDS open data. Each client
/// address is held to `api_requests_per_minute` (429 with Retry-After beyond it).
pub fn router(settings: &Settings) -> Router<AppState> {
    Router::new()
        .route(api::OPENAPI_JSON, get(openapi_json))
        .route(api::TENDERS, get(tenders::list_tenders))
        .route(api::TENDERS_CSV, get(csv::tenders_csv))
        .route(api::TENDER, get(tenders::get_tender))
        .route(api::TENDER_LOTS, get(tenders::tender_lots))
        .route(api::AWARDS, get(awards::list_awards))
        .route(api::AWARDS_CSV, get(csv::awards_csv))
        .route(api::CONTRACTS, get(contracts::list_contracts))
        .route(api::CONTRACTS_CSV, get(csv::contracts_csv))
        .route(api::TIMELINESS, get(statistics::payment_timeliness))
        .route(api::TIMELINESS_CSV, get(statistics::payment_timeliness_csv))
        .route(api::AUDIT_CHECKPOINTS, get(audit::checkpoints))
        .route(api::OCDS_RELEASES, get(ocds::release_feed))
        .route(api::OCDS_PROCESS_RELEASES, get(ocds::process_releases))
        .route(api::OCDS_RECORD, get(ocds::process_record))
        .route(api::OCDS_RECORDS_JSONL, get(ocds::bulk_records))
        .layer(axum::middleware::from_fn_with_state(
            crate::middleware::RateLimit::per_minute(settings.api_requests_per_minute),
            crate::middleware::rate_limit,
        ))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "fairtender open data API / 公平招标开放数据接口",
        version = "1",
        description = "Public, read-only data: tenders, lots, awards, contracts, payment timeliness \
                       (R-PAY-07) and OCDS 1.1 releases and records. Lists are newest first with \
                       cursor pagination (next_cursor); responses carry an ETag; each client \
                       address is rate limited (429 with Retry-After). A wrong parameter gets 400 \
                       with a JSON body naming it. Amounts are strings of yuan with two decimals."
    ),
    servers((url = "/api/v1")),
    paths(
        tenders::list_tenders,
        tenders::get_tender,
        tenders::tender_lots,
        csv::tenders_csv,
        awards::list_awards,
        csv::awards_csv,
        contracts::list_contracts,
        csv::contracts_csv,
        statistics::payment_timeliness,
        statistics::payment_timeliness_csv,
        ocds::release_feed,
        ocds::process_releases,
        ocds::process_record,
        ocds::bulk_records,
        audit::checkpoints,
        openapi_json,
    ),
    components(schemas(ApiErrorBody))
)]
pub struct ApiDoc;

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    operation_id = "openapi_document",
    summary = "This document",
    responses((status = 200, description = "OpenAPI 3.1", body = Object))
)]
pub async fn openapi_json(headers: HeaderMap) -> Response {
    match schema::refine(ApiDoc::openapi()).to_json() {
        Ok(json) => etag::json_with_etag(&headers, json.into_bytes(), 3600),
        Err(e) => {
            tracing::error!(error = %e, "could not write the OpenAPI document");
            ApiError::App(AppError::Internal { request_id: None }).into_response()
        }
    }
}
