//! Access that can be taken away (issue #35): a supplier's owner lists, removes members and
//! revokes invitations (`profile/...`); an agency's administrator does the same for its
//! officers and sets separation of duties (`agency/...`). Each decides on the server who may
//! call it, and every service call is scoped to the caller's own organisation.

use crate::error::AppError;
use crate::model::accounts::MembersView;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::auth::Action;

#[cfg(feature = "ssr")]
fn parse_id(s: &str) -> Result<uuid::Uuid, AppError> {
    s.trim().parse().map_err(|_| AppError::NotFound)
}

/// The firm's members and open invitations, for its owner.
#[server(endpoint = "profile/members")]
pub async fn supplier_members() -> Result<MembersView, AppError> {
    respond(async move {
        let (session, org) =
            crate::server_fns::session::require_org(Action::InviteSupplierMember).await?;
        crate::services::members::members(&state()?, &session, org.into()).await
    })
    .await
}

/// The owner removes a member: their sessions end at once and they cannot sign in again.
#[server(endpoint = "profile/members/remove")]
pub async fn remove_member(id: String) -> Result<(), AppError> {
    respond(async move {
        let (session, org) =
            crate::server_fns::session::require_org(Action::InviteSupplierMember).await?;
        crate::services::members::disable(&state()?, &session, org.into(), parse_id(&id)?).await
    })
    .await
}

/// The owner takes back an invitation nobody has used yet.
#[server(endpoint = "profile/invitations/revoke")]
pub async fn revoke_member_invitation(id: String) -> Result<(), AppError> {
    respond(async move {
        let (session, org) =
            crate::server_fns::session::require_org(Action::InviteSupplierMember).await?;
        crate::services::members::revoke_invitation(&state()?, &session, org.into(), parse_id(&id)?)
            .await
    })
    .await
}

/// The agency's officers, its open invitations and its separation-of-duties setting.
#[server(endpoint = "agency/officers")]
pub async fn agency_officers() -> Result<MembersView, AppError> {
    respond(async move {
        let (session, org) =
            crate::server_fns::session::require_org(Action::ManageAgencyOfficers).await?;
        crate::services::members::members(&state()?, &session, org.into()).await
    })
    .await
}

/// The agency's administrator disables an officer (one who leaves): sessions end at once, and
/// a finance officer can no longer release payments.
#[server(endpoint = "agency/officers/disable")]
pub async fn disable_officer(id: String) -> Result<(), AppError> {
    respond(async move {
        let (session, org) =
            crate::server_fns::session::require_org(Action::ManageAgencyOfficers).await?;
        crate::services::members::disable(&state()?, &session, org.into(), parse_id(&id)?).await
    })
    .await
}

/// The agency's administrator takes back an officer's invitation nobody has used yet.
#[server(endpoint = "agency/invitations/revoke")]
pub async fn revoke_officer_invitation(id: String) -> Result<(), AppError> {
    respond(async move {
        let (session, org) =
            crate::server_fns::session::require_org(Action::ManageAgencyOfficers).await?;
        crate::services::members::revoke_invitation(&state()?, &session, org.into(), parse_id(&id)?)
            .await
    })
    .await
}

/// The agency's administrator turns separation of duties on (`on` = "true") or off.
#[server(endpoint = "agency/settings/duties")]
pub async fn set_separation_of_duties(#[server(default)] on: String) -> Result<(), AppError> {
    respond(async move {
        let (session, org) =
            crate::server_fns::session::require_org(Action::ManageAgencyOfficers).await?;
        let on = match on.trim() {
            "true" | "on" => true,
            "false" | "off" | "" => false,
            _ => {
                return Err(AppError::invalid(
                    "on",
                    crate::i18n::Text::new("请选择开启或关闭。", "Choose on or off."),
                ))
            }
        };
        crate::services::members::set_separation_of_duties(&state()?, &session, org.into(), on)
            .await
    })
    .await
}
