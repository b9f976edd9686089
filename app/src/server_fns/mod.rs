//! Server functions: the only way the browser changes or reads server state. Each one authorises
//! and validates on the server, whatever the UI shows or hides.

#[cfg(feature = "ssr")]
use crate::domain::TenderId;
use crate::error::AppError;
use crate::i18n::Lang;
use leptos::prelude::*;
pub mod accounts;
pub mod agency;
pub mod bid_security;
pub mod bids;
pub mod contracts;
pub mod disputes;
pub mod members;
pub mod profile;
pub mod recovery;
#[cfg(feature = "ssr")]
pub mod respond;
pub mod review;
#[cfg(feature = "ssr")]
pub mod session;
pub mod supplier;

use crate::model::tenders::*;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};

/// The public search: every filter in the query, all optional. Bad values are refused on their
/// field, so a mistyped URL says what is wrong instead of silently showing everything.
#[server(endpoint = "tenders/search")]
pub async fn search_tenders(
    #[server(default)] query: TenderQuery,
) -> Result<TenderResults, AppError> {
    respond(async move {
        let filter = crate::services::tenders::SearchFilter::parse(&query)
            .map_err(|errors| AppError::Fields { errors })?;
        let state = state()?;
        let now = state.clock.now();
        let mut results =
            crate::services::tenders::search_published(&state.db, now, &filter).await?;
        // A signed-in supplier also learns which results it can bid on.
        if let Some(session) = crate::server_fns::session::current_session().await? {
            use crate::domain::auth::{permits, Action};
            if let Some(org) = session
                .organisation_id
                .filter(|_| permits(session.role, Action::FollowTenders))
            {
                results.fits = crate::services::supplier::list_fits(
                    &state.db,
                    &state.lots,
                    org.into(),
                    &results.items,
                    now,
                )
                .await?;
            }
        }
        Ok(results)
    })
    .await
}

#[server(endpoint = "tenders/get")]
pub async fn get_tender(id: String) -> Result<TenderDetail, AppError> {
    respond(async move {
        // An id that does not parse names no tender: the same answer as an unknown one.
        let id: TenderId = id.parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        let mut detail =
            crate::services::tenders::find_public(&state.db, &state.lots, id, state.clock.now())
                .await?
                .ok_or(AppError::NotFound)?;
        // R-TIME-03; a day counted on a year without its notice is shown as provisional, and a
        // calendar uploaded since the publication never makes it earlier (#34).
        let book = state.calendar.book();
        let until = detail.published_at.and_then(|at| {
            book.as_set_at(at, |calendar| {
                crate::domain::publication::documents_available_until_marked(
                    at,
                    calendar,
                    &crate::domain::policy::Policy::CHINA,
                )
            })
            .ok()
        });
        detail.documents_available_until = until.map(|c| c.date);
        detail.documents_available_until_provisional = until.is_some_and(|c| c.provisional);
        Ok(detail)
    })
    .await
}

/// Remembers the chosen language in a cookie. The form post comes back to the page it was sent
/// from, which renders in the chosen language.
#[server(endpoint = "language")]
pub async fn set_language(lang: String) -> Result<Lang, AppError> {
    respond(async move {
        use crate::i18n::{Text, LANG_COOKIE};
        let chosen = Lang::from_tag(&lang).ok_or_else(|| {
            AppError::invalid(
                "lang",
                Text::new("只支持 zh-CN 或 en。", "Choose zh-CN or en."),
            )
        })?;
        let secure = if state()?.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
            chosen.tag()
        );
        let value = http::HeaderValue::from_str(&cookie)
            .map_err(|_| AppError::Internal { request_id: None })?;
        use_context::<leptos_axum::ResponseOptions>()
            .ok_or(AppError::Internal { request_id: None })?
            .append_header(http::header::SET_COOKIE, value);
        crate::server_fns::respond::back_unmarked();
        Ok(chosen)
    })
    .await
}
