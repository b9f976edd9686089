//! CSV exports: every matching row, streamed a page at a time (UTF-8 with a byte-order mark, so
//! spreadsheets read the Chinese right).

use std::collections::HashMap;
use std::future::Future;

use app::error::AppError;
use app::services::open_data::{self, csv_line, Key, CSV_PAGE};
use app::services::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::params::{self, query_params, TENDER_FILTERS};
use super::{ApiError, ApiErrorBody};

/// A CSV response that asks `next(key)` for rows and the key to continue after (`None` once a
/// page came back short) until there are no more. Memory holds one page whatever the total.
fn csv_stream<F, Fut>(filename: &str, header_row: &'static str, next: F) -> Response
where
    F: Fn(Option<Key>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(Vec<String>, Option<Key>), AppError>> + Send,
{
    let first = Bytes::from(format!("\u{feff}{header_row}\r\n"));
    let rows = futures_util::stream::unfold((next, Some(None::<Key>)), |(next, key)| async move {
        let key = key?;
        match next(key).await {
            Ok((lines, last)) => {
                // `last` is None after a short page: nothing more to ask for.
                let chunk = Bytes::from(lines.concat());
                Some((Ok::<Bytes, std::io::Error>(chunk), (next, last.map(Some))))
            }
            Err(e) => {
                tracing::error!(error = %e, "CSV export stopped");
                Some((
                    Err(std::io::Error::other("CSV export stopped")),
                    (next, None),
                ))
            }
        }
    });
    let stream = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(first) }),
        rows,
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// A page as long as asked for (never empty): there may be more after it.
fn full<T>(page: &[T]) -> bool {
    page.len() as u64 == CSV_PAGE
}

#[utoipa::path(
    get,
    path = "/tenders.csv",
    tag = "tenders",
    summary = "Every tender matching the filters, as CSV (UTF-8 with BOM)",
    params(
        ("q" = Option<String>, Query, description = "As for /tenders"),
        ("category" = Option<String>, Query, description = "As for /tenders"),
        ("method" = Option<String>, Query, description = "As for /tenders"),
        ("province" = Option<String>, Query, description = "As for /tenders"),
        ("budget_min" = Option<String>, Query, description = "As for /tenders"),
        ("budget_max" = Option<String>, Query, description = "As for /tenders"),
        ("sme" = Option<String>, Query, description = "As for /tenders"),
        ("status" = Option<String>, Query, description = "As for /tenders"),
        ("closes_within" = Option<String>, Query, description = "As for /tenders"),
    ),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter is wrong; the body names it", body = ApiErrorBody),
    )
)]
pub async fn tenders_csv(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = query_params(&raw, TENDER_FILTERS)?;
    let f = params::tender_filter(&q)?;
    Ok(csv_stream(
        "fairtender-tenders.csv",
        "id,ocid,title,agency,category,method,region,budget_cny,published_at,bid_deadline,status,sme_reserved",
        move |key| {
            let (state, f) = (state.clone(), f.clone());
            async move {
                let page = open_data::tender_page(&state, &f, key, CSV_PAGE).await?;
                let last = full(&page).then(|| (page[page.len() - 1].published_at, page[page.len() - 1].id));
                let lines = page
                    .into_iter()
                    .map(|t| {
                        csv_line(&[
                            t.id.to_string(),
                            t.ocid,
                            t.title,
                            t.agency.name,
                            t.category,
                            t.method,
                            t.region,
                            t.budget.amount,
                            t.published_at.to_rfc3339(),
                            t.bid_deadline.to_rfc3339(),
                            t.status,
                            t.sme_reserved.to_string(),
                        ])
                    })
                    .collect();
                Ok((lines, last))
            }
        },
    ))
}

#[utoipa::path(
    get,
    path = "/awards.csv",
    tag = "awards",
    summary = "Every decided award, as CSV (UTF-8 with BOM)",
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String))
)]
pub async fn awards_csv(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    Ok(csv_stream(
        "fairtender-awards.csv",
        "lot_id,tender_id,ocid,lot_title,supplier,supplier_scale,price_cny,decided_at",
        move |key| {
            let state = state.clone();
            async move {
                let page = open_data::award_page(&state, key, CSV_PAGE).await?;
                let last = full(&page)
                    .then(|| (page[page.len() - 1].decided_at, page[page.len() - 1].lot_id));
                let lines = page
                    .into_iter()
                    .map(|a| {
                        csv_line(&[
                            a.lot_id.to_string(),
                            a.tender_id.to_string(),
                            a.ocid,
                            a.lot_title,
                            a.supplier.name,
                            a.supplier_scale.unwrap_or_default(),
                            a.price.amount,
                            a.decided_at.to_rfc3339(),
                        ])
                    })
                    .collect();
                Ok((lines, last))
            }
        },
    ))
}

#[utoipa::path(
    get,
    path = "/contracts.csv",
    tag = "contracts",
    summary = "Every signed contract, one row per milestone, as CSV (UTF-8 with BOM)",
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String))
)]
pub async fn contracts_csv(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    query_params(&raw, &[])?;
    Ok(csv_stream(
        "fairtender-contracts.csv",
        "contract_id,ocid,agency,supplier,value_cny,signed_at,payment_term_days,milestone,deliverable,amount_cny,planned_on,accepted_on,paid_cny",
        move |key| {
            let state = state.clone();
            async move {
                let page = open_data::contract_page(&state, key, CSV_PAGE).await?;
                let last = full(&page).then(|| (page[page.len() - 1].signed_at, page[page.len() - 1].id));
                let mut lines = Vec::new();
                for c in page {
                    for (i, m) in c.milestones.iter().enumerate() {
                        lines.push(csv_line(&[
                            c.id.to_string(),
                            c.ocid.clone(),
                            c.agency.name.clone(),
                            c.supplier.name.clone(),
                            c.value.amount.clone(),
                            c.signed_at.to_rfc3339(),
                            c.payment_term_days.to_string(),
                            (i + 1).to_string(),
                            m.deliverable.clone(),
                            m.amount.amount.clone(),
                            m.planned_on.to_string(),
                            m.accepted_on.map(|d| d.to_string()).unwrap_or_default(),
                            m.paid.amount.clone(),
                        ]));
                    }
                }
                Ok((lines, last))
            }
        },
    ))
}
