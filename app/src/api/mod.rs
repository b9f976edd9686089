//! Server functions: the only way the browser changes or reads server state. Each one authorises
//! and validates on the server, whatever the UI shows or hides.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::tender::{Category, Method, TenderStatus};
use crate::domain::{Money, TenderId};
use crate::error::AppError;
use crate::i18n::Lang;

pub mod accounts;
pub mod profile;
#[cfg(feature = "ssr")]
use crate::infra::{respond, state};

/// A tender in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenderSummary {
    pub id: TenderId,
    pub title: String,
    pub agency_name: String,
    pub category: Category,
    pub method: Method,
    pub region: String,
    pub budget: Money,
    pub bid_deadline: DateTime<Utc>,
}

/// A tender's public page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenderDetail {
    pub summary: TenderSummary,
    pub description: String,
    pub status: TenderStatus,
    pub published_at: Option<DateTime<Utc>>,
}

/// How many tenders the home page lists (search and paging arrive with issue #4).
pub const HOME_PAGE_TENDERS: u64 = 50;

#[server(endpoint = "tenders/published")]
pub async fn list_published_tenders() -> Result<Vec<TenderSummary>, AppError> {
    respond(async {
        let state = state()?;
        let now = state.clock.now();
        Ok(crate::infra::tenders::list_published(&state.db, now, HOME_PAGE_TENDERS).await?)
    })
    .await
}

#[server(endpoint = "tenders/get")]
pub async fn get_tender(id: String) -> Result<TenderDetail, AppError> {
    respond(async move {
        // An id that does not parse names no tender: the same answer as an unknown one.
        let id: TenderId = id.parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::infra::tenders::find_public(&state.db, id, state.clock.now())
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Remembers the chosen language in a cookie. A form post without JavaScript comes back to the
/// page it was sent from; with JavaScript the page switches language in place.
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
        Ok(chosen)
    })
    .await
}
