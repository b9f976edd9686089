//! What a signed-in supplier keeps between visits (issue #4): how its profile fits a tender's
//! lots, a watch list, saved searches, and in-app notifications. Only supplier accounts may use
//! these, each on its own organisation's lists.

use crate::error::AppError;
use crate::model::supplier::*;
use crate::model::tenders::TenderQuery;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;
use uuid::Uuid;

/// The signed-in supplier's fit to a public tender; `None` for anyone who is not a supplier (the
/// tender page asks whoever is signed in, so this is never a refusal).
#[server(endpoint = "supplier/fit")]
pub async fn get_tender_fit(id: String) -> Result<Option<TenderFit>, AppError> {
    respond(async move {
        use crate::domain::auth::{permits, Action};
        let Some(session) = crate::server_fns::session::current_session().await? else {
            return Ok(None);
        };
        let organisation = match session.organisation_id {
            Some(o) if permits(session.role, Action::FollowTenders) => o,
            _ => return Ok(None),
        };
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::supplier::fit(
            &state.db,
            &state.lots,
            organisation.into(),
            id,
            state.clock.now(),
        )
        .await
        .map(Some)
    })
    .await
}

/// Starts (`watch` = `1`) or stops watching a tender. Returns whether it is now watched.
#[server(endpoint = "supplier/watch")]
pub async fn watch_tender(id: String, watch: String) -> Result<bool, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (session, organisation) =
            crate::server_fns::session::require_org(Action::FollowTenders).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let watch = matches!(watch.trim(), "1" | "true" | "on");
        let state = state()?;
        crate::services::supplier::set_watch(
            &state.db,
            &state.lots,
            session.person_id.into(),
            organisation.into(),
            id,
            watch,
            state.clock.now(),
        )
        .await?;
        Ok(watch)
    })
    .await
}

#[server(endpoint = "supplier/desk")]
pub async fn get_supplier_desk() -> Result<SupplierDesk, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (_, organisation) =
            crate::server_fns::session::require_org(Action::FollowTenders).await?;
        let state = state()?;
        // Payment reminders that came due since the last look appear here too.
        crate::services::contracts::sync_reminders(&state, organisation.into()).await?;
        crate::services::supplier::desk(
            &state.db,
            &state.lots,
            organisation.into(),
            state.clock.now(),
        )
        .await
    })
    .await
}

#[server(endpoint = "supplier/notifications/read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (_, organisation) =
            crate::server_fns::session::require_org(Action::FollowTenders).await?;
        let state = state()?;
        crate::services::supplier::mark_read(&state.db, organisation.into(), state.clock.now())
            .await
    })
    .await
}

/// Saves the search in `query` under `name`. The query is checked as the search checks it.
#[server(endpoint = "supplier/searches/save")]
pub async fn save_search(
    name: String,
    #[server(default)] query: TenderQuery,
) -> Result<Uuid, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (session, organisation) =
            crate::server_fns::session::require_org(Action::FollowTenders).await?;
        let state = state()?;
        crate::services::supplier::save_search(
            &state.db,
            session.person_id.into(),
            organisation.into(),
            &name,
            &query,
            state.clock.now(),
        )
        .await
    })
    .await
}

#[server(endpoint = "supplier/searches/delete")]
pub async fn delete_search(id: String) -> Result<(), AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (_, organisation) =
            crate::server_fns::session::require_org(Action::FollowTenders).await?;
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let state = state()?;
        crate::services::supplier::delete_search(
            &state.db,
            organisation.into(),
            id,
            state.clock.now(),
        )
        .await
    })
    .await
}
