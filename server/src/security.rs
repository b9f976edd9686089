//! Request layers of issue #35: the client's address behind trusted proxies, no caching of
//! anything a signed-in person is shown, and HSTS when the site is served over https.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::services::session::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderMap, HeaderValue};

/// The proxies whose forwarding headers are believed (`trusted_proxies`).
#[derive(Clone, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpAddr>>);

/// Puts the client's address in the request's extensions ([`ClientAddress`]), for the sign-in
/// and registration throttles and the /api/v1 rate limit.
pub async fn client_address(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(peer) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    {
        let client = resolve(peer, request.headers(), &proxies.0);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

/// The client of a request from `peer`: the peer itself unless it is a trusted proxy; then the
/// nearest address in the forwarding chain that is not a trusted proxy (`Forwarded` if sent,
/// else `X-Forwarded-For`), read from the right, since everything left of the last trusted hop
/// could have been written by the client. A chain that cannot be read leaves the peer.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let chain = forwarded_for(headers).or_else(|| x_forwarded_for(headers));
    let Some(chain) = chain else {
        return peer;
    };
    let mut client = peer;
    for hop in chain.iter().rev() {
        match hop {
            Some(ip) => {
                client = *ip;
                if !trusted.contains(ip) {
                    break;
                }
            }
            // An obfuscated or unknown hop: nothing further left can be believed.
            None => break,
        }
    }
    client
}

fn values<'a>(headers: &'a HeaderMap, name: &http::HeaderName) -> Vec<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}

/// `Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"` (RFC 7239).
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let lines = values(headers, &header::FORWARDED);
    if lines.is_empty() {
        return None;
    }
    Some(
        lines
            .iter()
            .flat_map(|l| l.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.trim().split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| parse_node(v.trim().trim_matches('"')))
                })
            })
            .collect(),
    )
}

fn x_forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let lines = values(headers, &http::HeaderName::from_static("x-forwarded-for"));
    if lines.is_empty() {
        return None;
    }
    Some(
        lines
            .iter()
            .flat_map(|l| l.split(','))
            .map(|a| parse_node(a.trim()))
            .collect(),
    )
}

/// An address with or without a port: `192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]:80`, `::1`.
fn parse_node(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Ok(sock) = s.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    s.strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .and_then(|(ip, _)| ip.parse().ok())
}

/// `Cache-Control: private, no-store` on every answer to a request that carries a session
/// cookie (whatever the page: a bid page shows decrypted prices), and on every answer that
/// sets one, so no shared cache or browser history keeps what a signed-in person saw.
pub async fn no_store_when_signed_in(request: Request, next: Next) -> Response {
    let signed_in = carries_session(request.headers());
    let mut response = next.run(request).await;
    let sets_session = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with(app::infra::auth::SESSION_COOKIE));
    if signed_in || sets_session {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

fn carries_session(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| name == app::infra::auth::SESSION_COOKIE && !value.is_empty())
}

/// The HSTS value sent when the public address is https: a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn issue_35_forwarding_headers_count_only_from_a_trusted_proxy() {
        let spoof = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=203.0.113.8"),
        ]);
        // Not trusted: the headers are ignored.
        assert_eq!(resolve(ip("198.51.100.7"), &spoof, &[]), ip("198.51.100.7"));
        assert_eq!(
            resolve(ip("198.51.100.7"), &spoof, &[ip("10.0.0.2")]),
            ip("198.51.100.7")
        );
        // Trusted: `Forwarded` wins over X-Forwarded-For.
        assert_eq!(
            resolve(ip("10.0.0.2"), &spoof, &[ip("10.0.0.2")]),
            ip("203.0.113.8")
        );
        // The client may write its own entries on the left: the rightmost untrusted one counts.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.3")]);
        let trusted = [ip("10.0.0.2"), ip("10.0.0.3")];
        assert_eq!(resolve(ip("10.0.0.2"), &chain, &trusted), ip("203.0.113.9"));
        let v6 = headers(&[("forwarded", "for=\"[2001:db8::1]:4711\";proto=https")]);
        assert_eq!(resolve(ip("10.0.0.2"), &v6, &trusted), ip("2001:db8::1"));
        // Nothing readable: the proxy's own address.
        let junk = headers(&[("x-forwarded-for", "unknown")]);
        assert_eq!(resolve(ip("10.0.0.2"), &junk, &trusted), ip("10.0.0.2"));
        assert_eq!(
            resolve(ip("10.0.0.2"), &HeaderMap::new(), &trusted),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn issue_35_a_session_cookie_marks_a_request_signed_in() {
        assert!(carries_session(&headers(&[(
            "cookie",
            "lang=en; ft_session=abc"
        )])));
        assert!(!carries_session(&headers(&[(
            "cookie",
            "ft_session=; lang=en"
        )])));
        assert!(!carries_session(&headers(&[("cookie", "ft_sessionx=abc")])));
    }
}
