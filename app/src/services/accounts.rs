//! Account queries and mutations. They take `&impl ConnectionTrait` so callers run them inside
//! their write transaction.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::auth::{check_password, OrgKind, Role};
use crate::domain::credit_code::CreditCode;
use crate::domain::{OrganisationId, PersonId};
use crate::error::{AppError, FieldError};
use crate::i18n::Text;
use crate::infra::entities::{invitation, organisation, person};
use crate::infra::{
    audit, auth,
    db::{begin_write, begin_write_at},
};
use crate::model::accounts::{AgencySummary, Session};
use crate::services::AppState;

/// How long an invitation link stays valid.
pub const INVITATION_DAYS: i64 = 7;

pub async fn organisation_by_code(
    conn: &impl ConnectionTrait,
    code: &CreditCode,
) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find()
        .filter(organisation::Column::CreditCode.eq(code.as_str()))
        .one(conn)
        .await
}

pub async fn person_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find()
        .filter(person::Column::Email.eq(email.trim().to_lowercase()))
        .one(conn)
        .await
}

pub async fn person_by_id(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find_by_id(id).one(conn).await
}

pub async fn email_taken(conn: &impl ConnectionTrait, email: &str) -> Result<bool, DbErr> {
    Ok(person::Entity::find()
        .filter(person::Column::Email.eq(email))
        .count(conn)
        .await?
        > 0)
}

pub async fn insert_organisation(
    conn: &impl ConnectionTrait,
    kind: OrgKind,
    name: &str,
    code: Option<&CreditCode>,
    now: DateTime<Utc>,
) -> Result<organisation::Model, DbErr> {
    organisation::ActiveModel {
        id: Set(OrganisationId::new().0),
        kind: Set(kind.as_str().into()),
        name: Set(name.into()),
        credit_code: Set(code.map(|c| c.to_string())),
        created_at: Set(now),
    }
    .insert(conn)
    .await
}

pub async fn insert_person(
    conn: &impl ConnectionTrait,
    organisation: Option<Uuid>,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<person::Model, DbErr> {
    person::ActiveModel {
        id: Set(PersonId::new().0),
        organisation_id: Set(organisation),
        email: Set(email.trim().to_lowercase()),
        display_name: Set(name.into()),
        role: Set(role.as_str().into()),
        password_hash: Set(Some(password_hash.into())),
        token_version: Set(0),
        created_at: Set(now),
        disabled_at: Set(None),
        disabled_by: Set(None),
    }
    .insert(conn)
    .await
}

/// Bumps the token version: every token issued so far stops working.
pub async fn revoke_tokens(
    state: &AppState,
    session: &Session,
    action: &str,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let p = person_by_id(&txn, session.person_id.into())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let version = p.token_version + 1;
    let mut active = p.into_active_model();
    active.token_version = Set(version);
    active.update(&txn).await?;
    let actor = audit::Actor {
        person: Some(session.person_id.into()),
        organisation: session.organisation_id.map(Into::into),
    };
    audit::record(
        &txn,
        now,
        actor,
        action,
        "person",
        session.person_id,
        &version,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn agencies(conn: &impl ConnectionTrait) -> Result<Vec<AgencySummary>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrgKind::Agency.as_str()))
        .order_by_asc(organisation::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|o| AgencySummary {
            id: o.id,
            name: o.name,
            credit_code: o.credit_code,
        })
        .collect())
}

fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates an invitation to `organisation` (which must be of `kind`) and returns its link path.
pub async fn create_invitation(
    state: &AppState,
    invited_by: Uuid,
    organisation: Uuid,
    kind: OrgKind,
    email: &str,
    role: Role,
) -> Result<String, AppError> {
    use rand::RngCore;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let org = organisation::Entity::find_by_id(organisation)
        .one(&txn)
        .await?
        .filter(|o| o.kind == kind.as_str())
        .ok_or(AppError::NotFound)?;
    if email_taken(&txn, email).await? {
        return Err(crate::domain::auth::email_unavailable());
    }
    let mut secret = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut secret);
    let token = hex::encode(secret);
    let id = Uuid::now_v7();
    invitation::ActiveModel {
        id: Set(id),
        token_hash: Set(token_digest(&token)),
        organisation_id: Set(org.id),
        email: Set(email.into()),
        role: Set(role.as_str().into()),
        invited_by: Set(invited_by),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        accepted_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let actor = audit::Actor {
        person: Some(invited_by),
        // A supplier's owner invites into their own organisation; an administrator has none.
        organisation: (kind == OrgKind::Supplier).then_some(org.id),
    };
    audit::record(
        &txn,
        now,
        actor,
        "invite",
        "invitation",
        id,
        &(org.id, email, role.as_str()),
    )
    .await?;
    txn.commit().await?;
    Ok(format!("/invite/{token}"))
}

pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    display_name: &str,
    password: &str,
) -> Result<person::Model, AppError> {
    // Issue #35: the checks and the password hash come before the write transaction, so the
    // hash never holds the writers' turn; the invitation is read again inside it.
    let invite = open_invitation(&state.db, token, state.clock.now()).await?;
    let mut errors = Vec::new();
    let name = display_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new(
            "display_name",
            Text::new(
                "请填写姓名（最多 100 个字符）。",
                "Enter your name (at most 100 characters).",
            ),
        ));
    }
    if let Err(m) = check_password(password, &invite.email) {
        errors.push(FieldError::new("password", m));
    }
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }
    if email_taken(&state.db, &invite.email).await? {
        return Err(crate::domain::auth::email_unavailable());
    }
    let hash = auth::hash_password_off_runtime(password.to_string()).await?;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let invite = open_invitation(&txn, token, now).await?;
    if email_taken(&txn, &invite.email).await? {
        return Err(crate::domain::auth::email_unavailable());
    }
    let role = Role::parse(&invite.role).ok_or(AppError::Internal { request_id: None })?;
    let p = insert_person(
        &txn,
        Some(invite.organisation_id),
        &invite.email,
        name,
        role,
        &hash,
        now,
    )
    .await?;
    let invite_id = invite.id;
    let mut active = invite.into_active_model();
    active.accepted_at = Set(Some(now));
    active.update(&txn).await?;
    let actor = audit::Actor {
        person: Some(p.id),
        organisation: p.organisation_id,
    };
    audit::record(
        &txn,
        now,
        actor,
        "accept_invitation",
        "invitation",
        invite_id,
        &p.id,
    )
    .await?;
    txn.commit().await?;
    Ok(p)
}

/// The open invitation of a link's token, or the refusal to show above the form.
async fn open_invitation(
    conn: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<invitation::Model, AppError> {
    invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_digest(token.trim())))
        .one(conn)
        .await?
        // Issue #35: a revoked invitation is as dead as a used one.
        .filter(|i| i.accepted_at.is_none() && i.revoked_at.is_none() && i.expires_at > now)
        .ok_or_else(|| AppError::Invalid {
            // Not a field the person can edit: shown above the form.
            field: None,
            message: Text::new(
                "邀请链接无效、已使用或已过期，请联系邀请您的人重新邀请。",
                "This invitation link is invalid, used or expired. Ask whoever invited you for a new one.",
            ),
        })
}

/// Creates a platform administrator (command line only: nobody can make themselves one).
pub async fn create_admin(
    db: &crate::infra::db::Db,
    email: &str,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let email =
        crate::domain::auth::parse_email(email).map_err(|m| AppError::invalid("email", m))?;
    check_password(password, &email).map_err(|m| AppError::invalid("password", m))?;
    let hash = auth::hash_password_off_runtime(password.to_string()).await?;
    let txn = begin_write(db).await?;
    if email_taken(&txn, &email).await? {
        return Err(crate::domain::auth::email_unavailable());
    }
    let p = insert_person(&txn, None, &email, name, Role::PlatformAdmin, &hash, now).await?;
    audit::record(
        &txn,
        now,
        audit::Actor::default(),
        "create_admin",
        "person",
        p.id,
        &p.email,
    )
    .await?;
    txn.commit().await?;
    Ok(p.id)
}

/// Creates an agency (from the admin page, or the command line with no actor).
pub async fn create_agency(
    db: &crate::infra::db::Db,
    actor: Option<Uuid>,
    name: &str,
    credit_code: &str,
    now: DateTime<Utc>,
) -> Result<AgencySummary, AppError> {
    let mut errors = Vec::new();
    let name = crate::domain::required(name, "name", 200, &mut errors);
    let code = CreditCode::parse(credit_code)
        .map_err(|e| errors.push(FieldError::new("credit_code", e.text())))
        .ok();
    let (Some(name), Some(code)) = (name, code) else {
        return Err(AppError::Fields { errors });
    };
    let txn = begin_write(db).await?;
    if organisation_by_code(&txn, &code).await?.is_some() {
        return Err(AppError::invalid(
            "credit_code",
            Text::new(
                "该统一社会信用代码已注册。",
                "An organisation with this credit code already exists.",
            ),
        ));
    }
    let org = insert_organisation(&txn, OrgKind::Agency, &name, Some(&code), now).await?;
    let who = audit::Actor {
        person: actor,
        organisation: None,
    };
    audit::record(
        &txn,
        now,
        who,
        "create_agency",
        "organisation",
        org.id,
        &(&org.name, &org.credit_code),
    )
    .await?;
    txn.commit().await?;
    Ok(AgencySummary {
        id: org.id,
        name: org.name,
        credit_code: org.credit_code,
    })
}
