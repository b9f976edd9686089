//! The OCDS 1.1 open data under /api/v1/ocds (issue #7): a paged release feed in date order,
//! the releases and record of one process, and a streamed JSON Lines export of every record.
//! The releases are read and built by `app::services::ocds`; this writes the packages around
//! them (their addresses, the publisher, the next page's link).

use std::collections::HashMap;

use app::domain::ocds::{self, RecordPackage, ReleasePackage, EXTENSIONS, OCDS_VERSION};
use app::error::AppError;
use app::services::ocds::{FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT};
use app::services::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Serialize;
use uuid::Uuid;

use super::api_v1::etag::json_with_etag;
use super::api_v1::params::{parse_instant, parse_limit, query_params};
use super::api_v1::{ApiError, ApiErrorBody};

fn to_json(value: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|e| {
        tracing::error!(error = %e, "could not write OCDS JSON");
        ApiError::App(AppError::Internal { request_id: None })
    })
}

/// The tender an ocid of this publisher names. An ocid of the documented shape (`ocds-`, six
/// letters or digits, a UUID: `OCID_PATTERN`) under another publisher's prefix is simply not
/// here (404); anything else is not an ocid (400).
fn tender_of(state: &AppState, ocid: &str) -> Result<Uuid, ApiError> {
    if !is_ocid(ocid) {
        return Err(ApiError::bad(
            "ocid",
            format!(
                "ocid 应以“{}-”开头，后接招标编号。",
                state.open_data.ocid_prefix
            ),
            format!(
                "An ocid is \"{}-\" followed by a tender id.",
                state.open_data.ocid_prefix
            ),
        ));
    }
    ocds::tender_of_ocid(&state.open_data.ocid_prefix, ocid)
        .ok_or(ApiError::App(AppError::NotFound))
}

/// What the OpenAPI document says an ocid is.
pub const OCID_PATTERN: &str =
    r"^ocds-[a-z0-9]{6}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

/// Whether `ocid` has the shape of [`OCID_PATTERN`].
fn is_ocid(ocid: &str) -> bool {
    let b = ocid.as_bytes();
    let lower_alnum = |c: &u8| c.is_ascii_digit() || c.is_ascii_lowercase();
    let hex = |c: &u8| c.is_ascii_digit() || (b'a'..=b'f').contains(c);
    b.len() == 5 + 6 + 1 + 36
        && ocid.starts_with("ocds-")
        && b[5..11].iter().all(lower_alnum)
        && b[11] == b'-'
        && b[12..].iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                hex(c)
            }
        })
}

#[utoipa::path(
    get,
    path = "/ocds/releases",
    tag = "ocds",
    operation_id = "ocds_release_feed",
    summary = "OCDS 1.1 release package: every public event, oldest first",
    params(
        ("since" = Option<String>, Query, description = "A date (2027-03-01, China time) or RFC 3339 date-time"),
        ("until" = Option<String>, Query, description = "A date or RFC 3339 date-time"),
        ("cursor" = Option<String>, Query, description = "From links.next of the previous page"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 500, description = "1 to 500, default 100"),
    ),
    responses(
        (status = 200, description = "An OCDS release package with links.next", body = Object),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
// `GET /api/v1/ocds/releases?since=&until=&cursor=&limit=`: a release package of the events
// in date order, `links.next` (and a `Link` header) pointing at the next page.
pub async fn release_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, &["since", "until", "cursor", "limit"])?;
    let now = state.clock.now();
    let since = q
        .get("since")
        .map(|v| parse_instant("since", v))
        .transpose()?;
    let until = match q.get("until") {
        Some(v) => parse_instant("until", v)?.min(now),
        None => now,
    };
    let limit = parse_limit(q.get("limit"), FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT)?;
    let after = match q.get("cursor") {
        None => None,
        Some(c) => Some(app::services::ocds::decode_cursor(c).ok_or_else(|| {
            ApiError::bad(
                "cursor",
                "cursor 无效：请使用上一页 links.next 中的值。",
                "The cursor is not valid: use the value from the previous page's links.next.",
            )
        })?),
    };
    let _turn = state.open_data.turn().await?;
    let (keys, releases) =
        app::services::ocds::feed(&state, since, until, after.as_ref(), limit).await?;
    let next = (keys.len() as u64 == limit)
        .then(|| keys.last())
        .flatten()
        .map(|last| {
            let mut url = format!(
                "{}{}?cursor={}&limit={limit}",
                state.open_data.base_url,
                app::paths::api::OCDS_RELEASES_HREF,
                app::services::ocds::encode_cursor(last)
            );
            for name in ["since", "until"] {
                if let Some(v) = q.get(name) {
                    url.push_str(&format!(
                        "&{name}={}",
                        percent_encoding::utf8_percent_encode(
                            v,
                            percent_encoding::NON_ALPHANUMERIC
                        )
                    ));
                }
            }
            url
        });
    #[derive(Serialize)]
    struct Links {
        #[serde(skip_serializing_if = "Option::is_none")]
        next: Option<String>,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        package: ReleasePackage<'a>,
        links: Links,
    }
    let package = ReleasePackage {
        uri: format!(
            "{}{}",
            state.open_data.base_url,
            app::paths::api::OCDS_RELEASES_HREF
        ),
        version: OCDS_VERSION,
        extensions: EXTENSIONS,
        published_date: releases.iter().filter_map(|r| r.date).max().unwrap_or(now),
        publisher: state.open_data.publisher(),
        audit_checkpoint: app::services::open_data::audit::latest_for_ocds(&state).await?,
        releases: &releases,
    };
    let body = to_json(&Page {
        package,
        links: Links { next: next.clone() },
    })?;
    let mut response = json_with_etag(&headers, body, 60);
    if let Some(next) =
        next.and_then(|n| HeaderValue::from_str(&format!("<{n}>; rel=\"next\"")).ok())
    {
        response.headers_mut().insert(header::LINK, next);
    }
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/ocds/releases/{ocid}",
    tag = "ocds",
    operation_id = "ocds_process_releases",
    summary = "OCDS 1.1 release package of one contracting process",
    params(("ocid" = String, Path, pattern = r"^ocds-[a-z0-9]{6}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The process's ocid (the registered prefix, then the tender id)")),
    responses(
        (status = 200, description = "An OCDS release package", body = Object),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "Not an ocid of this publisher", body = ApiErrorBody),
        (status = 404, description = "No such process", body = ApiErrorBody),
    )
)]
pub async fn process_releases(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(ocid): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    let _turn = state.open_data.turn().await?;
    let p = app::services::ocds::process(&state, tender_of(&state, &ocid)?).await?;
    let releases = ocds::releases(&p, &state.open_data.ocid_prefix);
    let package = ReleasePackage {
        uri: format!(
            "{}{}",
            state.open_data.base_url,
            app::paths::api::ocds_process_releases(&ocid)
        ),
        version: OCDS_VERSION,
        extensions: EXTENSIONS,
        published_date: releases
            .iter()
            .filter_map(|r| r.date)
            .max()
            .unwrap_or(p.published_at),
        publisher: state.open_data.publisher(),
        audit_checkpoint: app::services::open_data::audit::latest_for_ocds(&state).await?,
        releases: &releases,
    };
    Ok(json_with_etag(&headers, to_json(&package)?, 60))
}

#[utoipa::path(
    get,
    path = "/ocds/records/{ocid}",
    tag = "ocds",
    operation_id = "ocds_process_record",
    summary = "OCDS 1.1 record package: the process's releases and its compiled release",
    params(("ocid" = String, Path, pattern = r"^ocds-[a-z0-9]{6}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The process's ocid (the registered prefix, then the tender id)")),
    responses(
        (status = 200, description = "An OCDS record package", body = Object),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "Not an ocid of this publisher", body = ApiErrorBody),
        (status = 404, description = "No such process", body = ApiErrorBody),
    )
)]
pub async fn process_record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(ocid): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    let _turn = state.open_data.turn().await?;
    let p = app::services::ocds::process(&state, tender_of(&state, &ocid)?).await?;
    let record = ocds::record(&p, &state.open_data.ocid_prefix);
    let package = RecordPackage {
        uri: format!(
            "{}{}",
            state.open_data.base_url,
            app::paths::api::ocds_record(&ocid)
        ),
        version: OCDS_VERSION,
        extensions: EXTENSIONS,
        published_date: record.compiled_release.date.unwrap_or(p.published_at),
        publisher: state.open_data.publisher(),
        audit_checkpoint: app::services::open_data::audit::latest_for_ocds(&state).await?,
        records: std::slice::from_ref(&record),
    };
    Ok(json_with_etag(&headers, to_json(&package)?, 60))
}

#[utoipa::path(
    get,
    path = "/ocds/records.jsonl",
    tag = "ocds",
    operation_id = "ocds_bulk_records",
    summary = "Bulk download: every process's OCDS record, one per line (JSON Lines), streamed",
    responses((status = 200, description = "JSON Lines", content_type = "application/x-ndjson", body = String))
)]
pub async fn bulk_records(State(state): State<AppState>) -> Response {
    let chunks = match app::services::ocds::records_export(&state).await {
        Ok(chunks) => chunks,
        Err(e) => return ApiError::App(e).into_response(),
    };
    let stream = chunks.map(|chunk| {
        chunk.map_err(|e| {
            tracing::error!(error = %e, "bulk export stopped");
            std::io::Error::other("bulk export stopped")
        })
    });
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"fairtender-ocds-records.jsonl\"",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
