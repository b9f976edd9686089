//! What every server function shares: the state from the Leptos context, the request id, and
//! the answer to a plain HTML form post (a redirect back to its page) or to a script (a status).

use std::future::Future;

use leptos::prelude::*;

use crate::error::AppError;
pub use crate::services::AppState;

/// The state, inside a server function or a server-rendered component.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal { request_id: None }
    })
}

/// The id of the request being served (set by the server's request-id layer).
pub fn request_id() -> Option<String> {
    use_context::<http::request::Parts>()?
        .headers
        .get("x-request-id")?
        .to_str()
        .ok()
        .map(str::to_string)
}

/// A browser submitting an HTML form without JavaScript (it accepts HTML in return).
pub(crate) fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.method == http::Method::POST
            && p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
    })
}

/// Runs a server function's body and turns its error into the right HTTP status. Internal errors
/// get the request id, so the user can quote it and an operator can find the logged cause.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await.map_err(|e| match e {
        AppError::Internal { request_id: None } => AppError::Internal {
            request_id: request_id(),
        },
        other => other,
    });
    // A form posted from a page is answered with a redirect back to it: the error carried in the
    // URL for the page to show, or on success `done=<endpoint>` (unless the action chose where to
    // go). Only other callers (scripts, the islands' server-function client) get the error's
    // status.
    match (&result, is_plain_form_post()) {
        (Err(e), false) => {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(e.status());
            }
        }
        (Ok(_), true) if !redirect_chosen() => {
            let endpoint = use_context::<http::request::Parts>()
                .map(|p| p.uri.path().trim_start_matches("/api/").to_string());
            if let Some(endpoint) = endpoint {
                back_with_done(&endpoint);
            }
        }
        _ => {}
    }
    result
}

/// After a successful plain form post, sends the browser to `path` instead of back to the form's
/// page (a new draft to its own page, a sign-in to the account). Other callers get the result in
/// the body, as before.
pub(crate) fn on_success_go_to(path: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

/// After a successful plain form post, back to the page the form was on with `done=<what>`: for
/// an action with more than one outcome (a bid form's Save draft and Submit).
pub(crate) fn back_with_done(what: &str) {
    back_with(what, &[]);
}

/// After a successful plain form post, back to the page as it was, with no `done`: for an action
/// the page shows by itself (the language switch renders the page in the other language).
pub(crate) fn back_unmarked() {
    back_with("", &[]);
}

/// [`back_with_done`], and `extra` parameters: a result the page shows.
pub(crate) fn back_with(what: &str, extra: &[(&str, &str)]) {
    if !is_plain_form_post() {
        return;
    }
    let referer = use_context::<http::request::Parts>().and_then(|p| {
        p.headers
            .get(http::header::REFERER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    });
    if let Some(referer) = referer {
        leptos_axum::redirect(&with_done(&referer, what, extra));
    }
}

fn redirect_chosen() -> bool {
    use_context::<leptos_axum::ResponseOptions>().is_some_and(|r| {
        r.0.read()
            .map(|parts| parts.headers.contains_key(http::header::LOCATION))
            .unwrap_or(false)
    })
}

/// `url` with `done=<what>` (and `extra`) in place of earlier ones and of a previous error the
/// framework put there (`__err`, `__path`...): a success clears the last failure's message.
fn with_done(url: &str, what: &str, extra: &[(&str, &str)]) -> String {
    use crate::paths::query::DONE as DONE_QUERY;
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or_default();
            key != DONE_QUERY && !key.starts_with("__") && !extra.iter().any(|(k, _)| *k == key)
        })
        .map(str::to_string)
        .collect();
    let done = [(DONE_QUERY, what)];
    let done = done.iter().filter(|(_, what)| !what.is_empty());
    for (key, value) in done.chain(extra) {
        params.push(format!(
            "{key}={}",
            utf8_percent_encode(value, NON_ALPHANUMERIC)
        ));
    }
    if params.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", params.join("&"))
    }
}

#[cfg(test)]
mod form_redirect_tests {
    use super::with_done;

    #[test]
    fn a_success_replaces_the_last_error_and_done_and_keeps_the_rest() {
        let back = with_done(
            "http://h/agency/tenders/1?tab=2&__path=%2Fapi%2Fx&__err=e30&done=old",
            "agency/tenders/save",
            &[],
        );
        assert_eq!(
            back,
            "http://h/agency/tenders/1?tab=2&done=agency%2Ftenders%2Fsave"
        );
    }

    #[test]
    fn extras_replace_their_earlier_values_and_no_done_leaves_no_query() {
        let back = with_done(
            "http://h/t?deadline=old",
            "clarify",
            &[("deadline", "2027-01-01T09:00:00+00:00")],
        );
        assert_eq!(
            back,
            "http://h/t?done=clarify&deadline=2027%2D01%2D01T09%3A00%3A00%2B00%3A00"
        );
        assert_eq!(with_done("http://h/?__err=e30", "", &[]), "http://h/");
    }
}
