//! Who is signed in, inside a server function: the session cookie of the request in the Leptos
//! context, and the guard every server function that acts for someone calls first.

use leptos::prelude::*;

use super::respond::state;
use crate::domain::auth::Action;
use crate::domain::ids::OrganisationId;
use crate::error::AppError;
use crate::infra::auth::SESSION_COOKIE;
use crate::model::accounts::Session;
use crate::services::session::{
    cookie_from_headers, organisation_of, permitted, session_from_token,
};

pub fn set_cookie(value: &str) -> Result<(), AppError> {
    let header =
        http::HeaderValue::from_str(value).map_err(|_| AppError::Internal { request_id: None })?;
    use_context::<leptos_axum::ResponseOptions>()
        .ok_or(AppError::Internal { request_id: None })?
        .append_header(http::header::SET_COOKIE, header);
    Ok(())
}

fn cookie_from_request(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie_from_headers(&parts.headers, name)
}

/// The signed-in person, if the request carries a valid, unrevoked session.
pub async fn current_session() -> Result<Option<Session>, AppError> {
    let Some(token) = cookie_from_request(SESSION_COOKIE) else {
        return Ok(None);
    };
    session_from_token(&state()?, &token).await
}

/// The guard: the caller must be signed in and their role must permit `action`.
pub async fn require(action: Action) -> Result<Session, AppError> {
    let session = current_session().await?.ok_or(AppError::Unauthenticated)?;
    permitted(session, action)
}

/// The guard for an action done for an organisation (an agency's or a supplier's): as
/// [`require`], and the person must belong to an organisation (403 Forbidden if not, as for a
/// role that may not act). Returns the session and the organisation.
pub async fn require_org(action: Action) -> Result<(Session, OrganisationId), AppError> {
    let session = require(action).await?;
    let organisation = organisation_of(&session)?;
    Ok((session, organisation))
}

/// The caller's address (for throttling): the one the server worked out from the peer and the
/// trusted proxies' headers (`crate::services::session::ClientAddress`), else the peer's.
pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<crate::services::session::ClientAddress>()
                .map(|c| c.0.to_string())
                .or_else(|| {
                    p.extensions
                        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                        .map(|c| c.0.ip().to_string())
                })
        })
        .unwrap_or_else(|| "unknown".into())
}

/// One of the request's cookies, by name.
pub fn request_cookie(name: &str) -> Option<String> {
    cookie_from_request(name)
}

/// Issues a session token for `p` and sets the cookie.
pub fn sign_in(
    state: &crate::services::AppState,
    p: &crate::infra::entities::person::Model,
) -> Result<Session, AppError> {
    let role =
        crate::domain::auth::Role::parse(&p.role).ok_or(AppError::Internal { request_id: None })?;
    let token = crate::infra::auth::issue_token(&state.auth, p, state.clock.now())?;
    set_cookie(&crate::infra::auth::session_cookie(
        Some(&token),
        state.secure_cookies,
    ))?;
    Ok(Session {
        person_id: p.id.into(),
        organisation_id: p.organisation_id.map(Into::into),
        role,
        display_name: p.display_name.clone(),
        email: p.email.clone(),
    })
}
