//! Upload and download of documents: those attached to capability records, tender documents,
//! bid documents (sealed, see `app::services::bid_documents`) and milestones' delivery evidence.
//! Who may do what, and the storing and reading, are `app::services::documents`'s.
//!
//! Uploads are plain HTML forms (`multipart/form-data`) posted to an axum handler, so they work
//! the same with and without JavaScript: a browser's form post is answered with a redirect back
//! to the page it came from (the error, if any, carried in the URL the way Leptos carries server
//! function errors, so the page shows it next to the right form); other clients get JSON and a
//! status. The cross-site check of `crate::middleware` applies to these routes like any other.

use app::domain::auth::Action;
use app::error::AppError;
use app::i18n::Text;
use app::infra::storage::DocumentError;
use app::model::accounts::Session;
use app::services::documents::{self as docs, DocumentFile};
use app::services::session::{require_from_headers, session_from_headers};
use app::services::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use server_fn::error::ServerFnUrlError;
use uuid::Uuid;

use app::paths;

/// `POST /profile/capabilities/{id}/document`, field `file`.
pub async fn upload_capability_document(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let result = async {
        let session = require_from_headers(&state, &headers, Action::EditSupplierProfile).await?;
        // Refuse a stranger's record before reading a byte of the file.
        let organisation = docs::check_capability_upload(&state, &session, id).await?;
        let (name, bytes) = read_file(&state, multipart).await?;
        docs::store_capability_document(&state, &session, organisation, id, &name, bytes).await
    }
    .await;
    upload_response(
        &headers,
        result,
        paths::ACCOUNT,
        &paths::capability_document(id),
        &format!("cap-{id}"),
    )
}

/// `POST /agency/tenders/{id}/documents`, field `file`: a document of the officer's own draft.
pub async fn upload_tender_document(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let result = async {
        let session = require_from_headers(&state, &headers, Action::CreateTender).await?;
        // Another agency's tender, or one no longer a draft, is refused before reading the file.
        let agency = docs::check_tender_upload(&state, &session, id).await?;
        let (name, bytes) = read_file(&state, multipart).await?;
        docs::store_tender_document(&state, &session, agency, id, &name, bytes).await
    }
    .await;
    upload_response(
        &headers,
        result,
        &paths::tender_edit(id),
        &paths::tender_upload(id),
        "documents",
    )
}

/// `POST /tenders/{id}/bid/documents`, field `file`: a document for the supplier's own bid,
/// sealed before it is stored (R-BID-01).
pub async fn upload_bid_document(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let result = async {
        let session = require_from_headers(&state, &headers, Action::SubmitBid).await?;
        let organisation = docs::check_bid_upload(&session)?;
        let (name, bytes) = read_file(&state, multipart).await?;
        docs::store_bid_document(&state, &session, organisation, id, &name, bytes).await
    }
    .await;
    upload_response(
        &headers,
        result,
        &paths::tender_bid(id),
        &paths::bid_upload(id),
        "documents",
    )
}

/// `POST /contracts/milestones/{id}/evidence`, field `file`: delivery evidence for the
/// supplier's own milestone, before it is marked delivered.
pub async fn upload_evidence(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let mut page = String::from(paths::RECEIVABLES);
    let result = async {
        let session = require_from_headers(&state, &headers, Action::SubmitBid).await?;
        let (supplier, contract) = docs::evidence_contract(&state, &session, id).await?;
        page = paths::contract(contract);
        // Refused before a byte of the file is read.
        docs::check_evidence_upload(&state, supplier, id).await?;
        let (name, bytes) = read_file(&state, multipart).await?;
        docs::store_evidence(&state, &session, supplier, id, &name, bytes).await
    }
    .await;
    upload_response(
        &headers,
        result,
        &page,
        &paths::evidence_upload(id),
        "milestones",
    )
}

/// `GET /profile/capabilities/{id}/document`: only the record's own organisation may read it.
pub async fn download_capability_document(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Response {
    let found = async {
        let session = require_from_headers(&state, &headers, Action::EditSupplierProfile).await?;
        docs::capability_file(&state, &session, id).await
    }
    .await;
    send(&headers, found, "private, no-store")
}

/// `GET /tenders/{tender}/documents/{id}`: anyone once the tender is published; before that only
/// its own agency's officers.
pub async fn download_tender_document(
    State(state): State<AppState>,
    Path((tender, id)): Path<(Uuid, Uuid)>,
    headers: HeaderMap,
) -> Response {
    let found = async {
        let session: Option<Session> = session_from_headers(&state, &headers).await?;
        docs::tender_file(&state, session.as_ref(), tender, id).await
    }
    .await;
    // A published tender's documents never change and anyone may read them; a draft's must
    // not be kept by any shared cache.
    let cache = match &found {
        Ok((_, true)) => "public, max-age=300",
        _ => "private, no-store",
    };
    send(&headers, found.map(|(file, _)| file), cache)
}

/// `GET /tenders/{tender}/bid/documents/{id}`: the bidder's own document, to the bidder only.
pub async fn download_own_bid_document(
    State(state): State<AppState>,
    Path((tender, id)): Path<(Uuid, Uuid)>,
    headers: HeaderMap,
) -> Response {
    let found = async {
        let session = require_from_headers(&state, &headers, Action::SubmitBid).await?;
        docs::own_bid_file(&state, &session, tender, id).await
    }
    .await;
    send(&headers, found, "private, no-store")
}

/// `GET /agency/tenders/{tender}/bids/{opened}/documents/{id}`: a document of an opened bid, to
/// the tender's own agency, after the opening.
pub async fn download_opened_bid_document(
    State(state): State<AppState>,
    Path((tender, opened, id)): Path<(Uuid, Uuid, Uuid)>,
    headers: HeaderMap,
) -> Response {
    let found = async {
        let session = require_from_headers(&state, &headers, Action::EvaluateBids).await?;
        docs::opened_bid_file(&state, &session, tender, opened, id).await
    }
    .await;
    send(&headers, found, "private, no-store")
}

/// `GET /contracts/milestones/{milestone}/evidence/{id}`: for the contract's two parties.
pub async fn download_evidence(
    State(state): State<AppState>,
    Path((milestone, id)): Path<(Uuid, Uuid)>,
    headers: HeaderMap,
) -> Response {
    let found = async {
        let session = require_from_headers(&state, &headers, Action::ManageOwnAccount).await?;
        docs::evidence_file(&state, &session, milestone, id).await
    }
    .await;
    send(&headers, found, "private, no-store")
}

/// The file, or the error as a status and JSON.
fn send(
    headers: &HeaderMap,
    found: Result<DocumentFile, AppError>,
    cache: &'static str,
) -> Response {
    match found.map_err(internal_with_id(headers)) {
        Ok(file) => file_response(file.bytes, &file.content_type, &file.name, cache),
        Err(e) => error_response(e),
    }
}

fn file_response(bytes: Bytes, content_type: &str, name: &str, cache: &'static str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// Browsers come back to `page` (at `#anchor`), with the error in the URL if there is one;
/// other clients get a status and JSON.
fn upload_response(
    headers: &HeaderMap,
    result: Result<(), AppError>,
    page: &str,
    path: &str,
    anchor: &str,
) -> Response {
    let result = result.map_err(internal_with_id(headers));
    if wants_html(headers) {
        return match result {
            Ok(()) => see_other(&format!("{page}#{anchor}")),
            Err(AppError::Unauthenticated) => see_other(paths::LOGIN),
            Err(e) => see_other(&with_error(page, path, e, anchor)),
        };
    }
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => error_response(e),
    }
}

/// The form's `file` field, read whole (the body limit stops an oversized one early).
async fn read_file(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<(String, Bytes), AppError> {
    let mut file: Option<(String, Bytes)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(body_error(e.status(), state.documents.max_bytes())),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("document").to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| body_error(e.status(), state.documents.max_bytes()))?;
        file = Some((name, bytes));
    }
    let Some((name, bytes)) = file else {
        return Err(AppError::invalid(
            "file",
            Text::new("请选择要上传的文件。", "Choose a file to upload."),
        ));
    };
    Ok((name, bytes))
}

/// A body cut off by the size limit says so; anything else is a malformed upload.
fn body_error(status: StatusCode, max: usize) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        DocumentError::TooLarge { max }.into()
    } else {
        AppError::invalid(
            "file",
            Text::new(
                "上传没有完成，请重新选择文件再试。",
                "The upload did not complete. Choose the file and try again.",
            ),
        )
    }
}

/// `attachment; filename*=UTF-8''…` (RFC 6266), so Chinese file names survive.
fn content_disposition(name: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, NON_ALPHANUMERIC)
    )
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::SEE_OTHER.into_response(),
    }
}

/// `page` with the error in its query, as `ServerActionError` reads it back on the page.
fn with_error(page: &str, path: &str, error: AppError, anchor: &str) -> String {
    match ServerFnUrlError::new(path, error).to_url(&format!("http://localhost{page}")) {
        Ok(url) => format!(
            "{}?{}#{anchor}",
            url.path(),
            url.query().unwrap_or_default()
        ),
        Err(_) => page.to_string(),
    }
}

fn error_response(error: AppError) -> Response {
    (error.status(), axum::Json(error)).into_response()
}

/// Internal errors carry the request id, as server functions' do.
fn internal_with_id(headers: &HeaderMap) -> impl Fn(AppError) -> AppError + '_ {
    move |e| match e {
        AppError::Internal { request_id: None } => AppError::Internal {
            request_id: headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_keep_chinese_names_and_offer_an_ascii_fallback() {
        assert_eq!(
            content_disposition("资质 证书.pdf"),
            "attachment; filename=\"_____.pdf\"; filename*=UTF-8''%E8%B5%84%E8%B4%A8%20%E8%AF%81%E4%B9%A6%2Epdf"
        );
    }

    #[test]
    fn a_refused_upload_returns_to_the_account_page_with_its_error() {
        let id = Uuid::nil();
        let url = with_error(
            paths::ACCOUNT,
            &paths::capability_document(id),
            AppError::NotFound,
            &format!("cap-{id}"),
        );
        assert!(url.starts_with("/account?__path=%2Fprofile%2Fcapabilities%2F"));
        assert!(url.contains("&__err="));
        assert!(url.ends_with(&format!("#cap-{id}")));
    }
}
