//! Accounts: supplier registration, sign-in and out, passwords, agencies and their officers.
//! Every function decides on the server who may call it (`server_fns::session::require`).

#[cfg(feature = "ssr")]
use crate::domain::auth::Role;
#[cfg(feature = "ssr")]
use crate::domain::auth::{email_unavailable, parse_email};
#[cfg(feature = "ssr")]
use crate::domain::required;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldError;
#[cfg(feature = "ssr")]
use crate::i18n::Text;
use crate::model::accounts::*;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use uuid::Uuid;

#[server(endpoint = "session")]
pub async fn get_session() -> Result<Option<Session>, AppError> {
    respond(crate::server_fns::session::current_session()).await
}

/// A supplier registers itself and its owner, and is signed in.
#[server(endpoint = "register")]
pub async fn register_supplier(form: RegisterForm) -> Result<Session, AppError> {
    respond(async move {
        use crate::domain::auth::{check_password, OrgKind};
        use crate::domain::credit_code::CreditCode;
        use crate::infra::{audit, db::begin_write_at};
        use crate::server_fns::session::sign_in;
        use crate::services::accounts::{insert_organisation, insert_person};

        let mut errors = Vec::new();
        let name = required(
            &form.organisation_name,
            "organisation_name",
            200,
            &mut errors,
        );
        let contact = required(&form.contact_name, "contact_name", 100, &mut errors);
        let code = CreditCode::parse(&form.credit_code)
            .map_err(|e| errors.push(FieldError::new("credit_code", e.text())))
            .ok();
        let email = parse_email(&form.email)
            .map_err(|m| errors.push(FieldError::new("email", m)))
            .ok();
        if let Err(m) = check_password(&form.password, &form.email) {
            errors.push(FieldError::new("password", m));
        }
        let (Some(name), Some(contact), Some(code), Some(email), true) =
            (name, contact, code, email, errors.is_empty())
        else {
            return Err(AppError::Fields { errors });
        };

        let state = state()?;
        // Issue #35: the cheap checks first (the fields above, then the credit code and e-mail
        // already taken), then the registration is counted for the client's address, and only
        // then is the password hashed, off the async workers.
        registration_taken(&state.db, &code, &email).await?;
        crate::services::sign_in::claim_registration(
            &state,
            &crate::server_fns::session::client_address(),
        )
        .await?;
        let password_hash =
            crate::infra::auth::hash_password_off_runtime(form.password.clone()).await?;
        let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
        // Again inside the write: another registration may have taken them meanwhile.
        registration_taken(&txn, &code, &email).await?;
        let org = insert_organisation(&txn, OrgKind::Supplier, &name, Some(&code), now).await?;
        let owner = insert_person(
            &txn,
            Some(org.id),
            &email,
            &contact,
            Role::SupplierOwner,
            &password_hash,
            now,
        )
        .await?;
        let actor = audit::Actor {
            person: Some(owner.id),
            organisation: Some(org.id),
        };
        audit::record(
            &txn,
            now,
            actor,
            "register_supplier",
            "organisation",
            org.id,
            &(&org.name, &org.credit_code),
        )
        .await?;
        audit::record(
            &txn,
            now,
            actor,
            "create_person",
            "person",
            owner.id,
            &(&owner.email, &owner.role),
        )
        .await?;
        // Issue #35: the owner's recovery codes, shown once on the account page it lands on.
        let codes = crate::services::sign_in::new_recovery_codes(&txn, owner.id, now).await?;
        txn.commit().await?;
        state.recovery_flash.put(owner.id, codes, now);
        let session = sign_in(&state, &owner)?;
        crate::server_fns::session::set_cookie(&crate::services::sign_in::device_cookie(
            &state, owner.id, None,
        ))?;
        crate::server_fns::respond::on_success_go_to("/account");
        Ok(session)
    })
    .await
}

/// Refuses a registration whose credit code or e-mail is already registered.
#[cfg(feature = "ssr")]
async fn registration_taken(
    conn: &impl sea_orm::ConnectionTrait,
    code: &crate::domain::credit_code::CreditCode,
    email: &str,
) -> Result<(), AppError> {
    use crate::services::accounts::{email_taken, organisation_by_code};
    if organisation_by_code(conn, code).await?.is_some() {
        return Err(AppError::invalid(
            "credit_code",
            Text::new(
                "该统一社会信用代码已注册。请由贵单位负责人登录后邀请您加入。",
                "An organisation with this credit code is already registered. Ask its owner to invite you.",
            ),
        ));
    }
    if email_taken(conn, email).await? {
        return Err(email_unavailable());
    }
    Ok(())
}

/// Signs in with a password (issue #35: throttled per account and address, or per known
/// device; see `services::sign_in`).
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<Session, AppError> {
    respond(async move {
        use crate::server_fns::session::{client_address, request_cookie, set_cookie, sign_in};
        let state = state()?;
        let signed = crate::services::sign_in::with_password(
            &state,
            &email,
            password,
            &client_address(),
            &request_cookie,
        )
        .await?;
        // The session's cookie first, then the known device's.
        let session = sign_in(&state, &signed.person)?;
        set_cookie(&signed.device_cookie)?;
        crate::server_fns::respond::on_success_go_to("/account");
        Ok(session)
    })
    .await
}

/// Signs out on every device: the token version is bumped, so every issued token stops working.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        use crate::infra::auth::session_cookie;
        use crate::server_fns::session::{require, set_cookie};
        let session = require(Action::ManageOwnAccount).await?;
        let state = state()?;
        crate::services::accounts::revoke_tokens(&state, &session, "sign_out").await?;
        set_cookie(&session_cookie(None, state.secure_cookies))
    })
    .await
}

#[server(endpoint = "password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<Session, AppError> {
    respond(async move {
        use crate::domain::auth::{check_password, Action};
        use crate::infra::auth::{hash_password_off_runtime, verify_password_off_runtime};
        use crate::infra::{audit, db::begin_write_at};
        use crate::server_fns::session::require;
        use crate::server_fns::session::sign_in;
        use crate::services::accounts::person_by_id;
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

        let session = require(Action::ManageOwnAccount).await?;
        let state = state()?;
        let person = person_by_id(&state.db, session.person_id.into())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !verify_password_off_runtime(current_password, person.password_hash.clone()).await {
            return Err(AppError::invalid(
                "current_password",
                Text::new("当前密码不正确。", "The current password is not correct."),
            ));
        }
        check_password(&new_password, &person.email)
            .map_err(|m| AppError::invalid("new_password", m))?;
        let hash = hash_password_off_runtime(new_password).await?;
        let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
        let version = person.token_version + 1;
        let mut active = person.into_active_model();
        active.password_hash = Set(Some(hash));
        active.token_version = Set(version);
        let updated = active.update(&txn).await?;
        let actor = audit::Actor {
            person: Some(updated.id),
            organisation: updated.organisation_id,
        };
        audit::record(
            &txn,
            now,
            actor,
            "change_password",
            "person",
            updated.id,
            &version,
        )
        .await?;
        txn.commit().await?;
        // Other devices are signed out; this one gets a fresh token.
        sign_in(&state, &updated)
    })
    .await
}

#[server(endpoint = "admin/agencies/create")]
pub async fn create_agency(name: String, credit_code: String) -> Result<AgencySummary, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let admin = crate::server_fns::session::require(Action::CreateAgency).await?;
        let state = state()?;
        crate::services::accounts::create_agency(
            &state.db,
            Some(admin.person_id.into()),
            &name,
            &credit_code,
            state.clock.now(),
        )
        .await
    })
    .await
}

#[server(endpoint = "admin/agencies")]
pub async fn list_agencies() -> Result<Vec<AgencySummary>, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        crate::server_fns::session::require(Action::CreateAgency).await?;
        let state = state()?;
        Ok(crate::services::accounts::agencies(&state.db).await?)
    })
    .await
}

/// Invites an officer to an agency. Returns the path of the invitation link (shown once to the
/// administrator, who passes it on; only its digest is stored).
#[server(endpoint = "admin/invite")]
pub async fn invite_officer(
    agency_id: String,
    email: String,
    role: String,
) -> Result<String, AppError> {
    respond(async move {
        use crate::domain::auth::{Action, OrgKind};
        use crate::server_fns::session::require;
        use crate::services::accounts::create_invitation;

        let admin = require(Action::InviteAgencyOfficer).await?;
        let mut errors = Vec::new();
        let email = parse_email(&email)
            .map_err(|m| errors.push(FieldError::new("email", m)))
            .ok();
        let role = Role::parse(&role)
            .filter(|r| r.org_kind() == Some(OrgKind::Agency))
            .ok_or_else(|| {
                errors.push(FieldError::new(
                    "role",
                    Text::new("请选择采购人的岗位。", "Choose one of the agency roles."),
                ))
            })
            .ok();
        let agency: Option<Uuid> = agency_id.parse().ok();
        let (Some(email), Some(role), Some(agency)) = (email, role, agency) else {
            if agency_id.parse::<Uuid>().is_err() {
                return Err(AppError::NotFound);
            }
            return Err(AppError::Fields { errors });
        };
        let state = state()?;
        let link = create_invitation(
            &state,
            admin.person_id.into(),
            agency,
            OrgKind::Agency,
            &email,
            role,
        )
        .await?;
        Ok(show_link_once("/admin", link))
    })
    .await
}

/// A supplier's owner invites a colleague, who joins as a supplier member. Returns the path of
/// the invitation link, as for agency officers.
#[server(endpoint = "profile/invite")]
pub async fn invite_member(email: String) -> Result<String, AppError> {
    respond(async move {
        use crate::domain::auth::{Action, OrgKind};
        let (owner, organisation) =
            crate::server_fns::session::require_org(Action::InviteSupplierMember).await?;
        let email = parse_email(&email).map_err(|m| AppError::invalid("email", m))?;
        let state = state()?;
        let link = crate::services::accounts::create_invitation(
            &state,
            owner.person_id.into(),
            organisation.into(),
            OrgKind::Supplier,
            &email,
            Role::SupplierMember,
        )
        .await?;
        Ok(show_link_once("/account", link))
    })
    .await
}

/// Without JavaScript a form post is answered with a redirect to its page, which would lose the
/// link: send the browser to `page` with the link in the query instead, for the page to show.
#[cfg(feature = "ssr")]
fn show_link_once(page: &str, link: String) -> String {
    if crate::server_fns::respond::is_plain_form_post() {
        leptos_axum::redirect(&format!(
            "{page}?{}={link}",
            crate::paths::query::INVITATION
        ));
    }
    link
}

/// The invited person chooses a name and password, and is signed in.
#[server(endpoint = "invite/accept")]
pub async fn accept_invitation(
    token: String,
    display_name: String,
    password: String,
) -> Result<Session, AppError> {
    respond(async move {
        let state = state()?;
        let person =
            crate::services::accounts::accept_invitation(&state, &token, &display_name, &password)
                .await?;
        let session = crate::server_fns::session::sign_in(&state, &person)?;
        crate::server_fns::session::set_cookie(&crate::services::sign_in::device_cookie(
            &state, person.id, None,
        ))?;
        crate::server_fns::respond::on_success_go_to("/account");
        Ok(session)
    })
    .await
}

/// R-SME-04: the supplier's owner declares industry, headcount, revenue and assets; the size
/// class is computed, never chosen. Each declaration is a new version; old ones are kept.
#[server(endpoint = "profile/sme")]
pub async fn declare_sme(
    form: crate::domain::sme::SmeDeclarationForm,
) -> Result<SmeDeclarationView, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let (session, organisation) =
            crate::server_fns::session::require_org(Action::DeclareSme).await?;
        let declaration = form.parse().map_err(|errors| AppError::Fields { errors })?;
        let state = state()?;
        crate::services::profile::declare_sme(
            &state.db,
            session.person_id.into(),
            organisation.into(),
            &declaration,
            state.clock.now(),
        )
        .await
    })
    .await
}

/// The working-day calendar's years and where each comes from (issue #34), for the
/// administrator.
#[server(endpoint = "admin/calendar")]
pub async fn calendar_years() -> Result<Vec<crate::model::calendar::CalendarYearView>, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        crate::server_fns::session::require(Action::UploadCalendar).await?;
        let state = state()?;
        crate::services::calendar::years(&state).await
    })
    .await
}

/// The administrator uploads a year's working-day calendar file (its TOML text): checked,
/// stored, audited and used by every new count at once (issue #34).
#[server(endpoint = "admin/calendar/upload")]
pub async fn upload_calendar(
    year: String,
    file: String,
) -> Result<crate::model::calendar::CalendarYearView, AppError> {
    respond(async move {
        use crate::domain::auth::Action;
        let admin = crate::server_fns::session::require(Action::UploadCalendar).await?;
        let state = state()?;
        crate::services::calendar::upload_year(&state, admin.person_id.into(), &year, &file).await
    })
    .await
}
