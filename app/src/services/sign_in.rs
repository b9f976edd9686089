//! Signing in so that the throttle cannot be used against an account's owner (issue #35).
//!
//! A password attempt is counted before it is checked (`infra::throttle`), against:
//! - from one of the owner's known devices (a signed cookie set at every successful sign-in):
//!   that device alone, so nobody else's failures ever delay it;
//! - from any other device: the account from that client address, and the account as a whole.
//!
//! The owner who is kept waiting on a new device signs in with a one-time recovery code, which
//! counts against neither. Recovery codes are shown once (at registration, and whenever the
//! owner makes new ones) and stored as digests only.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::AppState;
use crate::domain::sign_in::{
    format_recovery_code, minutes_to_wait, normalise_recovery_code, Schedule, PER_ACCOUNT,
    PER_ADDRESS, PER_KNOWN_DEVICE, RECOVERY_CODES,
};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::{person, recovery_code};
use crate::infra::{audit, auth, db::begin_write, throttle};
use crate::services::accounts::person_by_email;

/// A successful sign-in: who, and the known-device cookie to set (`Set-Cookie` value).
pub struct SignedIn {
    pub person: person::Model,
    pub device_cookie: String,
}

/// What the throttle counts an attempt against, and what a success does to it.
struct Subject {
    key: String,
    schedule: Schedule,
    /// On success: start again from nothing (`true`), or only take this attempt back.
    reset: bool,
}

fn wrong_credentials() -> AppError {
    AppError::Invalid {
        field: None,
        message: Text::new(
            "邮箱或密码不正确。",
            "The e-mail or password is not correct.",
        ),
    }
}

/// Claims one attempt on each subject; the first that must wait refuses the attempt.
async fn claim_all(
    state: &AppState,
    subjects: &[Subject],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for s in subjects {
        if let Some(until) = throttle::claim(&state.db, &s.key, &s.schedule, now).await? {
            return Err(AppError::TooManyAttempts {
                retry_after_minutes: minutes_to_wait(until, now),
            });
        }
    }
    Ok(())
}

async fn settle(
    state: &AppState,
    subjects: &[Subject],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for s in subjects {
        if s.reset {
            throttle::reset(&state.db, &s.key, now).await?;
        } else {
            throttle::release(&state.db, &s.key).await?;
        }
    }
    Ok(())
}

/// The known-device cookie to set after a successful sign-in: the same device again, or a
/// newly known one.
pub fn device_cookie(state: &AppState, person: Uuid, device: Option<Uuid>) -> String {
    let device = device.unwrap_or_else(Uuid::new_v4);
    auth::device_cookie(
        &auth::device_cookie_name(&state.auth, person),
        &auth::device_token(&state.auth, person, device),
        state.secure_cookies,
    )
}

/// Signs in with a password. `address` is the client's address (`server_fns::session::
/// client_address`); `cookie` reads one of the request's cookies by name. The same work and the
/// same answer whether or not the account exists.
pub async fn with_password(
    state: &AppState,
    email: &str,
    password: String,
    address: &str,
    cookie: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<SignedIn, AppError> {
    let now = state.clock.now();
    let email = email.trim().to_lowercase();
    let person = person_by_email(&state.db, &email).await?;
    let device = person.as_ref().and_then(|p| {
        cookie(&auth::device_cookie_name(&state.auth, p.id))
            .and_then(|v| auth::known_device(&state.auth, p.id, &v))
    });
    let subjects = match (&person, device) {
        (Some(p), Some(d)) => vec![Subject {
            key: throttle::subject("device", &[&p.id.to_string(), &d.to_string()]),
            schedule: PER_KNOWN_DEVICE,
            reset: true,
        }],
        _ => vec![
            Subject {
                key: throttle::subject("address", &[&email, address]),
                schedule: PER_ADDRESS,
                reset: true,
            },
            Subject {
                key: throttle::subject("account", &[&email]),
                schedule: PER_ACCOUNT,
                reset: false,
            },
        ],
    };
    claim_all(state, &subjects, now).await?;
    let hash = person.as_ref().and_then(|p| p.password_hash.clone());
    let ok = auth::verify_password_off_runtime(password, hash).await;
    match person {
        // Issue #35: a removed member or disabled officer cannot sign in (the same answer).
        Some(p) if ok && p.disabled_at.is_none() => {
            settle(state, &subjects, now).await?;
            let device_cookie = device_cookie(state, p.id, device);
            Ok(SignedIn {
                person: p,
                device_cookie,
            })
        }
        _ => Err(wrong_credentials()),
    }
}

fn code_digest(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

/// Signs in with a one-time recovery code (used up by this sign-in, even by two at once).
/// Counted per account and address on a subject of its own, so password guesses by others do
/// not delay it.
pub async fn with_recovery_code(
    state: &AppState,
    email: &str,
    code: &str,
    address: &str,
) -> Result<SignedIn, AppError> {
    let now = state.clock.now();
    let email = email.trim().to_lowercase();
    let subjects = [Subject {
        key: throttle::subject("recovery", &[&email, address]),
        schedule: PER_ADDRESS,
        reset: true,
    }];
    claim_all(state, &subjects, now).await?;
    let refused = || AppError::Invalid {
        field: None,
        message: Text::new(
            "邮箱或恢复码不正确，或该恢复码已用过。",
            "The e-mail or recovery code is not correct, or the code has been used.",
        ),
    };
    let (Some(p), Some(code)) = (
        person_by_email(&state.db, &email).await?,
        normalise_recovery_code(code),
    ) else {
        return Err(refused());
    };
    // Issue #35: a removed member or disabled officer has no way back in, recovery codes neither.
    if p.disabled_at.is_some() {
        return Err(refused());
    }
    let txn = begin_write(&state.db).await?;
    // Used once: the UPDATE that marks it used is the check.
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(recovery_code::Column::PersonId.eq(p.id))
        .filter(recovery_code::Column::CodeHash.eq(code_digest(&code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if used != 1 {
        return Err(refused());
    }
    let actor = audit::Actor {
        person: Some(p.id),
        organisation: p.organisation_id,
    };
    audit::record(
        &txn,
        now,
        actor,
        "sign_in_recovery_code",
        "person",
        p.id,
        &(),
    )
    .await?;
    txn.commit().await?;
    settle(state, &subjects, now).await?;
    let device_cookie = device_cookie(state, p.id, None);
    Ok(SignedIn {
        person: p,
        device_cookie,
    })
}

/// Makes a new set of recovery codes for `person` inside `txn` (the earlier unused ones stop
/// working) and returns them, to be shown once.
pub async fn new_recovery_codes(
    txn: &impl ConnectionTrait,
    person: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(recovery_code::Column::PersonId.eq(person))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut random = [0u8; 10];
        rand::thread_rng().fill_bytes(&mut random);
        let code = format_recovery_code(&random);
        recovery_code::ActiveModel {
            id: Set(Uuid::now_v7()),
            person_id: Set(person),
            code_hash: Set(code_digest(&code.replace('-', ""))),
            created_at: Set(now),
            used_at: Set(None),
        }
        .insert(txn)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// The owner makes new recovery codes (the current password confirms it is them).
pub async fn replace_recovery_codes(
    state: &AppState,
    person: Uuid,
    current_password: String,
) -> Result<Vec<String>, AppError> {
    let p = crate::services::accounts::person_by_id(&state.db, person)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !auth::verify_password_off_runtime(current_password, p.password_hash.clone()).await {
        return Err(AppError::invalid(
            "recovery_password",
            Text::new("当前密码不正确。", "The current password is not correct."),
        ));
    }
    let txn = begin_write(&state.db).await?;
    let now = state.clock.now();
    let codes = new_recovery_codes(&txn, p.id, now).await?;
    let actor = audit::Actor {
        person: Some(p.id),
        organisation: p.organisation_id,
    };
    audit::record(
        &txn,
        now,
        actor,
        "new_recovery_codes",
        "person",
        p.id,
        &codes.len(),
    )
    .await?;
    txn.commit().await?;
    state.recovery_flash.put(p.id, codes.clone(), now);
    Ok(codes)
}

/// How many unused recovery codes `person` has.
pub async fn unused_recovery_codes(
    conn: &impl ConnectionTrait,
    person: Uuid,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    recovery_code::Entity::find()
        .filter(recovery_code::Column::PersonId.eq(person))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(conn)
        .await
}

/// Claims one registration for `address` (issue #35: each costs a password hash), counted after
/// the cheap checks and before the hash; `free` a day, then growing waits.
pub async fn claim_registration(state: &AppState, address: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let schedule = crate::domain::sign_in::registrations(state.registrations_per_address);
    match throttle::claim(
        &state.db,
        &throttle::subject("register", &[address]),
        &schedule,
        now,
    )
    .await?
    {
        None => Ok(()),
        Some(until) => Err(AppError::TooManyAttempts {
            retry_after_minutes: minutes_to_wait(until, now),
        }),
    }
}
