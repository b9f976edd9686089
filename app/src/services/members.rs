//! Access that can be taken away (issue #35): a supplier's owner removes members, an agency's
//! administrator disables officers, either revokes an invitation not yet used, and the
//! agency's administrator turns separation of duties on or off.
//!
//! Removing or disabling someone keeps the person (R-REC-01: their acts stay theirs), marks
//! them disabled and bumps their token version in one transaction: every session of theirs
//! stops at its next request (`services::session` compares the version on every request) and
//! they cannot sign in again. Everything is scoped to the caller's organisation: a person or
//! invitation of another is "not found".

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::domain::auth::{OrgKind, Role};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{agency_setting, invitation, organisation, person};
use crate::model::accounts::{MemberView, MembersView, PendingInvitationView, Session};
use crate::services::AppState;

fn actor(session: &Session) -> audit::Actor {
    audit::Actor {
        person: Some(session.person_id.into()),
        organisation: session.organisation_id.map(Into::into),
    }
}

/// Whether `agency` separates duties (issue #35; off unless its administrator turned it on).
pub async fn separation_of_duties(
    conn: &impl ConnectionTrait,
    agency: Uuid,
) -> Result<bool, DbErr> {
    Ok(agency_setting::Entity::find_by_id(agency)
        .one(conn)
        .await?
        .is_some_and(|s| s.separation_of_duties))
}

/// Who may be removed by the caller: a supplier's owner removes members (never an owner), an
/// agency's administrator disables any officer of the agency but themselves.
fn removable(caller: &Session, target: &person::Model) -> bool {
    let Some(role) = Role::parse(&target.role) else {
        return false;
    };
    target.id != Uuid::from(caller.person_id)
        && match caller.role {
            Role::SupplierOwner => role == Role::SupplierMember,
            Role::AgencyAdmin => role.org_kind() == Some(OrgKind::Agency),
            _ => false,
        }
}

/// The organisation's people and open invitations, for its owner or administrator.
pub async fn members(
    state: &AppState,
    session: &Session,
    organisation: Uuid,
) -> Result<MembersView, AppError> {
    let conn = &state.db;
    let now = state.clock.now();
    let people = person::Entity::find()
        .filter(person::Column::OrganisationId.eq(organisation))
        .order_by_asc(person::Column::CreatedAt)
        .order_by_asc(person::Column::Id)
        .all(conn)
        .await?;
    let members = people
        .into_iter()
        .filter_map(|p| {
            let role = Role::parse(&p.role)?;
            Some(MemberView {
                removable: p.disabled_at.is_none() && removable(session, &p),
                id: p.id,
                display_name: p.display_name,
                email: p.email,
                role,
                disabled_at: p.disabled_at,
            })
        })
        .collect();
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::OrganisationId.eq(organisation))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .order_by_asc(invitation::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|i| {
            Some(PendingInvitationView {
                id: i.id,
                email: i.email,
                role: Role::parse(&i.role)?,
                expires_at: i.expires_at,
            })
        })
        .collect();
    let is_agency = session.role.org_kind() == Some(OrgKind::Agency);
    Ok(MembersView {
        members,
        invitations,
        separation_of_duties: is_agency && separation_of_duties(conn, organisation).await?,
    })
}

/// Removes (a supplier's member) or disables (an agency's officer) `target`: marked disabled,
/// every session ended at once. Refused for oneself, an owner, or someone already disabled.
pub async fn disable(
    state: &AppState,
    session: &Session,
    organisation: Uuid,
    target: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let p = person::Entity::find_by_id(target)
        .filter(person::Column::OrganisationId.eq(organisation))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !removable(session, &p) {
        return Err(AppError::Conflict {
            message: Text::new(
                "不能移除自己或单位负责人。",
                "You cannot remove yourself or the organisation's owner.",
            ),
        });
    }
    if p.disabled_at.is_some() {
        return Err(AppError::Conflict {
            message: Text::new("该人员已被移除。", "This person was already removed."),
        });
    }
    let version = p.token_version + 1;
    // Only if nobody changed the person since it was read (two administrators at once).
    let updated = person::Entity::update_many()
        .col_expr(person::Column::DisabledAt, Expr::value(Some(now)))
        .col_expr(
            person::Column::DisabledBy,
            Expr::value(Some(Uuid::from(session.person_id))),
        )
        .col_expr(person::Column::TokenVersion, Expr::value(version))
        .filter(person::Column::Id.eq(p.id))
        .filter(person::Column::DisabledAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict {
            message: Text::new("该人员已被移除。", "This person was already removed."),
        });
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "person.disable",
        "person",
        p.id,
        &(&p.email, &p.role),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes back an invitation of the organisation that nobody has used yet.
pub async fn revoke_invitation(
    state: &AppState,
    session: &Session,
    organisation: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let i = invitation::Entity::find_by_id(id)
        .filter(invitation::Column::OrganisationId.eq(organisation))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if i.accepted_at.is_some() || i.revoked_at.is_some() {
        return Err(AppError::Conflict {
            message: Text::new(
                "该邀请已被使用或已撤销。",
                "This invitation was already used or revoked.",
            ),
        });
    }
    let updated = invitation::Entity::update_many()
        .col_expr(invitation::Column::RevokedAt, Expr::value(Some(now)))
        .filter(invitation::Column::Id.eq(i.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict {
            message: Text::new(
                "该邀请已被使用或已撤销。",
                "This invitation was already used or revoked.",
            ),
        });
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "invitation.revoke",
        "invitation",
        i.id,
        &i.email,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The agency's administrator turns separation of duties on or off.
pub async fn set_separation_of_duties(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    on: bool,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    organisation::Entity::find_by_id(agency)
        .filter(organisation::Column::Kind.eq(OrgKind::Agency.as_str()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = agency_setting::ActiveModel {
        organisation_id: Set(agency),
        separation_of_duties: Set(on),
        updated_by: Set(session.person_id.into()),
        updated_at: Set(now),
    };
    if agency_setting::Entity::find_by_id(agency)
        .one(&txn)
        .await?
        .is_some()
    {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "agency.separation_of_duties",
        "organisation",
        agency,
        &on,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
