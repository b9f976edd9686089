//! Sign-in: password hashing (argon2id), session tokens (JWT in an HttpOnly cookie) and
//! throttling of password guessing. Who is signed in: `services::session` (from headers) and
//! `server_fns::session` (inside a server function).

use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entities::{login_attempt, person};
use crate::error::AppError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ft_session";
/// How long a session lasts without signing in again.
pub const SESSION_HOURS: i64 = 8;
/// Failed sign-ins allowed per account, and per address, within the window.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// The signing key, and the one algorithm tokens are accepted with.
pub struct AuthKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl AuthKeys {
    pub fn new(secret: &[u8]) -> Arc<AuthKeys> {
        // HS256 only: a token claiming any other algorithm (or `none`) is refused. Expiry is
        // checked against the injected clock below, not the library's wall clock.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        Arc::new(AuthKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        })
    }
}

/// What a session token says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub org: Option<Uuid>,
    pub role: String,
    /// The person's token version when the token was issued; bumping it revokes the token.
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
}

pub fn issue_token(
    keys: &AuthKeys,
    p: &person::Model,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let claims = Claims {
        sub: p.id,
        org: p.organisation_id,
        role: p.role.clone(),
        ver: p.token_version,
        iat: now.timestamp(),
        exp: (now + Duration::hours(SESSION_HOURS)).timestamp(),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding).map_err(|e| {
        tracing::error!(error = %e, "could not sign a session token");
        AppError::Internal { request_id: None }
    })
}

/// Checks signature, algorithm and expiry. Returns `None` for any token that is not valid now.
pub fn decode_token(keys: &AuthKeys, token: &str, now: DateTime<Utc>) -> Option<Claims> {
    let claims = jsonwebtoken::decode::<Claims>(token, &keys.decoding, &keys.validation)
        .ok()?
        .claims;
    (claims.exp > now.timestamp() && claims.iat <= now.timestamp() + 60).then_some(claims)
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal { request_id: None }
        })
}

/// A hash of no one's password, verified when the account does not exist so that a wrong e-mail
/// takes as long as a wrong password (no user enumeration by timing).
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_password("no account has this password, it only burns time").unwrap_or_default()
});

pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let stored = hash.unwrap_or(DUMMY_HASH.as_str());
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && hash.is_some()
}

/// The `Set-Cookie` value for a session (or, with `None`, one that removes it).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_HOURS * 3600
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

fn subjects(email: &str, address: &str) -> [(String, u64); 2] {
    [
        (
            format!("account:{}", email.to_lowercase()),
            MAX_FAILURES_PER_ACCOUNT,
        ),
        (format!("ip:{address}"), MAX_FAILURES_PER_ADDRESS),
    ]
}

/// Refuses a sign-in while the account or the address has too many recent failures, saying
/// how many minutes to wait.
pub async fn check_throttle(
    db: &impl ConnectionTrait,
    email: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let since = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
    for (subject, max) in subjects(email, address) {
        let recent = login_attempt::Entity::find()
            .filter(login_attempt::Column::Subject.eq(&subject))
            .filter(login_attempt::Column::At.gt(since));
        if recent.clone().count(db).await? >= max {
            let oldest = recent
                .order_by_asc(login_attempt::Column::At)
                .one(db)
                .await?
                .map_or(now, |a| a.at);
            // Whole minutes, rounded up: "try again in 15 minutes" right after the last failure.
            let wait = (oldest + Duration::minutes(THROTTLE_WINDOW_MINUTES) - now).num_seconds();
            return Err(AppError::TooManyAttempts {
                retry_after_minutes: ((wait + 59) / 60).max(1),
            });
        }
    }
    Ok(())
}

pub async fn record_failure(
    db: &impl ConnectionTrait,
    email: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for (subject, _) in subjects(email, address) {
        login_attempt::ActiveModel {
            subject: Set(subject),
            at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> person::Model {
        person::Model {
            id: Uuid::nil(),
            organisation_id: None,
            email: "a@b.cn".into(),
            display_name: "A".into(),
            role: "supplier_owner".into(),
            password_hash: None,
            token_version: 3,
            created_at: Utc::now(),
            disabled_at: None,
            disabled_by: None,
        }
    }

    #[test]
    fn tokens_round_trip_and_expire_by_the_injected_clock() {
        let keys = AuthKeys::new(b"test key test key test key test key");
        let now = Utc::now();
        let token = issue_token(&keys, &person(), now).unwrap();
        let claims = decode_token(&keys, &token, now).unwrap();
        assert_eq!((claims.ver, claims.role.as_str()), (3, "supplier_owner"));
        assert!(decode_token(&keys, &token, now + Duration::hours(SESSION_HOURS)).is_none());
    }

    #[test]
    fn tokens_from_another_key_or_algorithm_or_none_are_refused() {
        let keys = AuthKeys::new(b"test key test key test key test key");
        let other = AuthKeys::new(b"another key another key another k");
        let now = Utc::now();
        let token = issue_token(&other, &person(), now).unwrap();
        assert!(decode_token(&keys, &token, now).is_none());

        let claims = Claims {
            sub: Uuid::nil(),
            org: None,
            role: "platform_admin".into(),
            ver: 0,
            iat: now.timestamp(),
            exp: now.timestamp() + 60,
        };
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(b"test key test key test key test key"),
        )
        .unwrap();
        assert!(decode_token(&keys, &hs512, now).is_none());

        // alg "none": header and claims, no signature.
        let b64 = |s: &str| base64_url(s.as_bytes());
        let unsigned = format!(
            "{}.{}.",
            b64(r#"{"alg":"none","typ":"JWT"}"#),
            b64(&serde_json::to_string(&claims).unwrap())
        );
        assert!(decode_token(&keys, &unsigned, now).is_none());
    }

    fn base64_url(bytes: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("wrong horse battery", Some(&hash)));
        assert!(!verify_password("correct horse battery", None));
    }

    #[test]
    fn session_cookie_has_the_right_flags() {
        let c = session_cookie(Some("t"), true);
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"] {
            assert!(c.contains(flag), "{c}");
        }
        assert!(!session_cookie(Some("t"), false).contains("Secure"));
        assert!(session_cookie(None, false).contains("Max-Age=0"));
    }
}
