//! Who is signed in, from a request's headers: the session cookie's token checked against the
//! person's current token version and role. Used by the plain axum routes directly and by
//! `server_fns::session` inside server functions.

use sea_orm::EntityTrait;

use super::AppState;
use crate::domain::auth::{permits, Action, Role};
use crate::domain::ids::OrganisationId;
use crate::error::AppError;
use crate::infra::auth::{decode_token, SESSION_COOKIE};
use crate::infra::entities::person;
use crate::model::accounts::Session;

/// The client's address as the server worked it out (the peer, or what a trusted proxy says:
/// `server::client_address`), put in each request's extensions; read for throttling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

pub(crate) fn cookie_from_headers(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

/// The session cookie's token, if the request carries one (not yet checked).
pub fn session_token(headers: &http::HeaderMap) -> Option<String> {
    cookie_from_headers(headers, SESSION_COOKIE)
}

/// The guard for plain axum handlers (document upload and download), which have no Leptos
/// context: the same checks as [`require`], from the request's headers.
pub async fn require_from_headers(
    state: &AppState,
    headers: &http::HeaderMap,
    action: Action,
) -> Result<Session, AppError> {
    let token = cookie_from_headers(headers, SESSION_COOKIE).ok_or(AppError::Unauthenticated)?;
    let session = session_from_token(state, &token)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    permitted(session, action)
}

/// The organisation the signed-in person acts for; a person of none (an administrator) is
/// refused with 403 Forbidden. The one check of
/// `server_fns::session::require_org` and of the document services the plain routes call.
pub fn organisation_of(session: &Session) -> Result<OrganisationId, AppError> {
    session.organisation_id.ok_or(AppError::Forbidden)
}

/// The signed-in person of a plain axum handler's request, if any.
pub async fn session_from_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<Session>, AppError> {
    match cookie_from_headers(headers, SESSION_COOKIE) {
        Some(token) => session_from_token(state, &token).await,
        None => Ok(None),
    }
}

pub(crate) async fn session_from_token(
    state: &AppState,
    token: &str,
) -> Result<Option<Session>, AppError> {
    let Some(claims) = decode_token(&state.auth, token, state.clock.now()) else {
        return Ok(None);
    };
    let Some(p) = person::Entity::find_by_id(claims.sub)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    // Logout, password change, "sign out everywhere" and removal (issue #35) bump the version;
    // a removed or disabled person has no session whatever their token says. This is the
    // person read every request makes anyway: revocation costs no extra query.
    if p.token_version != claims.ver || p.role != claims.role || p.disabled_at.is_some() {
        return Ok(None);
    }
    let Some(role) = Role::parse(&p.role) else {
        return Ok(None);
    };
    Ok(Some(Session {
        person_id: p.id.into(),
        organisation_id: p.organisation_id.map(Into::into),
        role,
        display_name: p.display_name,
        email: p.email,
    }))
}

pub(crate) fn permitted(session: Session, action: Action) -> Result<Session, AppError> {
    if !permits(session.role, action) {
        tracing::warn!(person = %session.person_id, role = ?session.role, ?action, "refused by role");
        return Err(AppError::Forbidden);
    }
    Ok(session)
}
