//! Sign-in: password hashing (argon2id, off the async workers), session tokens (JWT in an
//! HttpOnly cookie) and the signed cookie of a known device (issue #35). Throttling of
//! guessing: `infra::throttle` and `services::sign_in`. Who is signed in: `services::session`
//! (from headers) and `server_fns::session` (inside a server function).

use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entities::person;
use crate::error::AppError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ft_session";
/// How long a session lasts without signing in again.
pub const SESSION_HOURS: i64 = 8;
/// The names of known-device cookies begin so (one cookie per account a device signed in to).
pub const DEVICE_COOKIE_PREFIX: &str = "ft_device_";
/// How long a device stays known without signing in again.
pub const DEVICE_DAYS: i64 = 365;

/// The signing key, and the one algorithm tokens are accepted with.
pub struct AuthKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Signs known-device cookies; derived from the same secret, for another purpose.
    device: ring::hmac::Key,
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
            device: ring::hmac::Key::new(
                ring::hmac::HMAC_SHA256,
                ring::hmac::sign(
                    &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"fairtender known device v1"),
                    secret,
                )
                .as_ref(),
            ),
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

/// Password hashes run here, not on the async runtime's threads (two on the reference
/// machine): a flood of registrations or sign-ins then waits its turn for a hashing thread
/// instead of stalling every request (issue #35). At most this many hash at once.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    tokio::sync::Semaphore::new((cores / 2).max(1))
});

/// [`hash_password`] on a blocking thread, behind the hashing semaphore.
pub async fn hash_password_off_runtime(password: String) -> Result<String, AppError> {
    let internal = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "password hashing could not run");
        AppError::Internal { request_id: None }
    };
    let _turn = HASHING.acquire().await.map_err(|e| internal(&e))?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| internal(&e))?
}

/// [`verify_password`] on a blocking thread, behind the hashing semaphore.
pub async fn verify_password_off_runtime(password: String, hash: Option<String>) -> bool {
    let Ok(_turn) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify_password(&password, hash.as_deref()))
        .await
        .unwrap_or(false)
}

fn device_mac(keys: &AuthKeys, what: &str) -> String {
    hex::encode(ring::hmac::sign(&keys.device, what.as_bytes()).as_ref())
}

/// The name of the known-device cookie for `person`: it says nothing about who without the key.
pub fn device_cookie_name(keys: &AuthKeys, person: Uuid) -> String {
    let mac = device_mac(keys, &format!("name|{person}"));
    format!("{DEVICE_COOKIE_PREFIX}{}", &mac[..16])
}

/// The value of a known-device cookie: the device's id and a signature binding it to `person`.
pub fn device_token(keys: &AuthKeys, person: Uuid, device: Uuid) -> String {
    format!(
        "{}.{}",
        device.simple(),
        device_mac(keys, &format!("device|{person}|{}", device.simple()))
    )
}

/// The device a cookie value names, if its signature binds it to `person`.
pub fn known_device(keys: &AuthKeys, person: Uuid, value: &str) -> Option<Uuid> {
    let (device, mac) = value.split_once('.')?;
    let device: Uuid = device.parse().ok()?;
    let mac = hex::decode(mac).ok()?;
    let what = format!("device|{person}|{}", device.simple());
    ring::hmac::verify(&keys.device, what.as_bytes(), &mac).ok()?;
    Some(device)
}

/// The `Set-Cookie` value that makes a device known for [`DEVICE_DAYS`]. Sent only to the
/// sign-in endpoints, never readable by scripts.
pub fn device_cookie(name: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{name}={value}; Path=/api/login; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        DEVICE_DAYS * 24 * 3600
    )
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
    fn issue_35_a_known_device_cookie_is_bound_to_its_person_and_key() {
        let keys = AuthKeys::new(b"test key test key test key test key");
        let other = AuthKeys::new(b"another key another key another k");
        let (alice, bob, device) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let token = device_token(&keys, alice, device);
        assert_eq!(known_device(&keys, alice, &token), Some(device));
        assert_eq!(known_device(&keys, bob, &token), None, "another person");
        assert_eq!(known_device(&other, alice, &token), None, "another key");
        let forged = format!(
            "{}.{}",
            Uuid::new_v4().simple(),
            token.split_once('.').unwrap().1
        );
        assert_eq!(
            known_device(&keys, alice, &forged),
            None,
            "another device id"
        );
        assert_ne!(
            device_cookie_name(&keys, alice),
            device_cookie_name(&keys, bob)
        );
        let cookie = device_cookie("n", &token, true);
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/api/login", "Secure"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
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
