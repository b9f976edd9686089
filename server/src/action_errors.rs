//! Form errors carried in the address (issue #35). Without JavaScript a refused form post is
//! answered with a redirect back to its page carrying the error (`__path` = the action,
//! `__err` = the error, as Leptos and the plain routes put them), and the page shows its
//! message. Unchecked, anyone could send a link whose `__err` makes the platform's own page
//! show their text ("your account is locked, call 400-..."). So:
//!
//! - every response that redirects with an error gets `__sig`, an HMAC-SHA256 (key derived
//!   from the session-signing key) over the action and the error, and keeps only the newest
//!   error (a page refused twice carried both before);
//! - a GET or HEAD whose `__err` / `__path` lack a valid `__sig` is sent (303) to the same
//!   address without them: the page never reads text the server did not write.
//!
//! What this does not do: a genuine error link (one the server signed) can be passed on and
//! shows the same genuine message to whoever opens it; it does not expire.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use hmac::{Hmac, Mac};
use http::{header, HeaderValue, Method};
use sha2::Sha256;
use std::sync::Arc;

const PATH: &str = "__path";
const ERR: &str = "__err";
const SIG: &str = "__sig";
/// A base for parsing a relative address (`/account?...`); never written out.
const RELATIVE: &str = "http://relative.invalid";

/// Signs and checks the form errors carried in addresses.
pub struct ErrorSigner {
    key: [u8; 32],
}

impl ErrorSigner {
    /// A signer whose key is derived from `secret` (the session-signing key), for this use only.
    pub fn new(secret: &[u8]) -> Arc<ErrorSigner> {
        let key = match <Hmac<Sha256> as Mac>::new_from_slice(secret) {
            Ok(mut mac) => {
                mac.update(b"fairtender: form errors in addresses, v1");
                mac.finalize().into_bytes().into()
            }
            // Not reachable (HMAC takes a key of any length); a random key signs for this
            // process alone.
            Err(_) => rand::random(),
        };
        Arc::new(ErrorSigner { key })
    }

    /// None only if HMAC refused the key, which it never does (it takes any length).
    fn mac(&self, path: &str, err: &str) -> Option<Hmac<Sha256>> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).ok()?;
        mac.update(path.as_bytes());
        mac.update(&[0]);
        mac.update(err.as_bytes());
        Some(mac)
    }

    fn sign(&self, path: &str, err: &str) -> Option<String> {
        Some(hex::encode(self.mac(path, err)?.finalize().into_bytes()))
    }

    fn verify(&self, path: &str, err: &str, sig: &str) -> bool {
        match (hex::decode(sig), self.mac(path, err)) {
            (Ok(sig), Some(mac)) => mac.verify_slice(&sig).is_ok(),
            _ => false,
        }
    }

    /// `location` with only its newest error, signed; None when it carries no error.
    fn signed_location(&self, location: &str) -> Option<String> {
        let (mut url, relative) = parse(location)?;
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let last = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v);
        let err = last(ERR)?.clone();
        let path = last(PATH).cloned().unwrap_or_default();
        let sig = self.sign(&path, &err)?;
        {
            let mut query = url.query_pairs_mut();
            query.clear();
            for (k, v) in pairs.iter().filter(|(k, _)| !is_error_key(k)) {
                query.append_pair(k, v);
            }
            query.append_pair(PATH, &path);
            query.append_pair(ERR, &err);
            query.append_pair(SIG, &sig);
        }
        Some(unparse(&url, relative))
    }

    /// For a request target carrying an error that this server did not sign: the same target
    /// without it. None when it carries none, or a genuine one.
    fn unsigned_target(&self, target: &str) -> Option<String> {
        let (mut url, relative) = parse(target)?;
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        if !pairs.iter().any(|(k, _)| is_error_key(k)) {
            return None;
        }
        let all = |key: &str| -> Vec<&String> {
            pairs
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v)
                .collect()
        };
        let (paths, errs, sigs) = (all(PATH), all(ERR), all(SIG));
        let genuine = match (paths.as_slice(), errs.as_slice(), sigs.as_slice()) {
            ([path], [err], [sig]) => self.verify(path, err, sig),
            _ => false,
        };
        if genuine {
            return None;
        }
        let kept: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| !is_error_key(k)).collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            let mut query = url.query_pairs_mut();
            query.clear();
            for (k, v) in kept {
                query.append_pair(k, v);
            }
        }
        Some(unparse(&url, relative))
    }
}

fn is_error_key(k: &str) -> bool {
    k == PATH || k == ERR || k == SIG
}

fn parse(address: &str) -> Option<(url::Url, bool)> {
    match url::Url::parse(address) {
        Ok(u) => Some((u, false)),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let base = url::Url::parse(RELATIVE).ok()?;
            base.join(address).ok().map(|u| (u, true))
        }
        Err(_) => None,
    }
}

fn unparse(url: &url::Url, relative: bool) -> String {
    if relative {
        url[url::Position::BeforePath..].to_string()
    } else {
        url.to_string()
    }
}

/// The middleware: strips an unsigned error from a page's address, signs the error of every
/// redirect the server answers.
pub async fn sign_action_errors(
    State(signer): State<Arc<ErrorSigner>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) && request.uri().query().is_some() {
        let target = request.uri().to_string();
        if let Some(clean) = signer.unsigned_target(&target) {
            return Redirect::to(&clean).into_response();
        }
    }
    let mut response = next.run(request).await;
    let signed = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| l.contains(ERR))
        .and_then(|l| signer.signed_location(l))
        .and_then(|l| HeaderValue::from_str(&l).ok());
    if let Some(location) = signed {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_35_a_signed_error_passes_and_any_other_is_stripped() {
        let signer = ErrorSigner::new(b"a session key of some length");
        let signed = signer
            .signed_location("http://h/account?tab=1&__path=%2Fapi%2Fold&__err=b2xk&__path=%2Fapi%2Flogin&__err=bmV3")
            .unwrap();
        assert!(
            signed.starts_with("http://h/account?tab=1&__path=%2Fapi%2Flogin&__err=bmV3&__sig=")
        );
        let target = &signed["http://h".len()..];
        assert_eq!(
            signer.unsigned_target(target),
            None,
            "the server's own error is shown"
        );
        // Another error under the same signature, or no signature at all: stripped.
        let forged = target.replace("__err=bmV3", "__err=ZXZpbA");
        assert_eq!(
            signer.unsigned_target(&forged).as_deref(),
            Some("/account?tab=1")
        );
        assert_eq!(
            signer
                .unsigned_target("/login?__path=%2Fapi%2Flogin&__err=ZXZpbA")
                .as_deref(),
            Some("/login")
        );
        // Another key (another server's) does not sign for this one.
        let other = ErrorSigner::new(b"another key");
        assert!(other.unsigned_target(target).is_some());
        assert_eq!(signer.unsigned_target("/tenders?q=x"), None);
        assert_eq!(signer.signed_location("/account?done=x"), None);
    }
}
