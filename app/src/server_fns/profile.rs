//! The supplier profile's capability records: entered once, reused by every bid. Any member of
//! the supplier may edit them (`Action::EditSupplierProfile`); every query is scoped to the
//! caller's own organisation, so one supplier never sees or changes another's records.

use crate::domain::capability::CapabilityForm;
use crate::error::AppError;
use crate::model::profile::*;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use uuid::Uuid;

#[server(endpoint = "profile/capabilities/add")]
pub async fn add_capability(form: CapabilityForm) -> Result<CapabilityView, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (session, organisation) =
            crate::server_fns::session::require_org(Action::EditSupplierProfile).await?;
        let capability = form.parse().map_err(|errors| AppError::Fields { errors })?;
        let state = state()?;
        crate::services::profile::add_capability(
            &state.db,
            session.person_id.into(),
            organisation.into(),
            &capability,
            state.clock.now(),
        )
        .await
    })
    .await
}

/// Archives a record: it leaves the profile but is kept, with its history (R-REC-01).
#[server(endpoint = "profile/capabilities/archive")]
pub async fn archive_capability(id: String) -> Result<(), AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (session, organisation) =
            crate::server_fns::session::require_org(Action::EditSupplierProfile).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::profile::archive_capability(
            &state.db,
            session.person_id.into(),
            organisation.into(),
            id,
            state.clock.now(),
        )
        .await
    })
    .await
}

#[server(endpoint = "profile/overview")]
pub async fn profile_overview() -> Result<Option<SupplierProfile>, AppError> {
    respond(async move {
        use crate::domain::auth::{permits, Action};
        let Some(session) = crate::server_fns::session::current_session().await? else {
            return Ok(None);
        };
        let organisation = match session.organisation_id {
            Some(o) if permits(session.role, Action::EditSupplierProfile) => o,
            _ => return Ok(None),
        };
        let state = state()?;
        let sme = crate::services::profile::latest_sme_declaration(&state.db, organisation.into())
            .await?;
        let capabilities = crate::services::profile::capabilities(
            &state.db,
            organisation.into(),
            state.clock.now(),
        )
        .await?;
        Ok(Some(SupplierProfile { sme, capabilities }))
    })
    .await
}
