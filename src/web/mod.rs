//! The HTTP edge (ssr): application state, the API error body, extractors (actor, client
//! address, language) and cookies. `guard`: the middleware every request passes (same-origin
//! check, time limit, security headers); `forms`: the plain HTML form handlers that make every
//! page work without WASM.

pub mod forms;
mod guard;

pub use guard::{
    content_security_policy, loggable_path, request_timeout, same_origin, security_headers,
};

use crate::auth::{session_actor, token_actor, Actor, SESSION_COOKIE};
use crate::domain::DomainError;
use crate::services::{ClientMeta, Core};
use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;

/// What every handler shares. axum clones the state for each request (once per route and
/// middleware layer), so it is one `Arc` rather than the Leptos options' strings and
/// handles copied and freed on every request.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

pub struct AppStateInner {
    pub leptos_options: LeptosOptions,
    pub core: Core,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, core: Core) -> Self {
        AppState(Arc::new(AppStateInner {
            leptos_options,
            core,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

impl FromRef<AppState> for Core {
    fn from_ref(s: &AppState) -> Self {
        s.core.clone()
    }
}

/// An error as the API shows it: `{"error":{"code","message"}}` with a fitting status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: code.into(),
            message: message.into(),
            retry_after: None,
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let retry_after = match e {
            DomainError::RateLimited(s) => Some(s),
            _ => None,
        };
        ApiError {
            retry_after,
            ..ApiError::new(e.status(), &e.code(), e.to_string())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        let mut res = (self.status, Json(body)).into_response();
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Resolves the request's actor from a Bearer token or the session cookie.
pub async fn resolve_actor(core: &Core, headers: &HeaderMap) -> Result<Option<Actor>, DomainError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string());
    if let Some(token) = bearer {
        return token_actor(&core.db, &token, core.now())
            .await
            .map_err(crate::services::internal);
    }
    match cookie_value(headers, SESSION_COOKIE) {
        Some(token) if !token.is_empty() => {
            session_actor(&core.db, &token, core.now(), core.session_policy())
                .await
                .map_err(crate::services::internal)
        }
        _ => Ok(None),
    }
}

/// The request's actor, if any.
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(a) = parts.extensions.get::<Option<Actor>>() {
            return Ok(MaybeActor(a.clone()));
        }
        let actor = resolve_actor(&state.core, &parts.headers).await?;
        parts.extensions.insert(actor.clone());
        Ok(MaybeActor(actor))
    }
}

/// A logged-in actor, or 401.
pub struct Authed(pub Actor);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match MaybeActor::from_request_parts(parts, state).await?.0 {
            Some(a) => Ok(Authed(a)),
            None => Err(DomainError::Unauthenticated.into()),
        }
    }
}

/// The client's address. Without trusted proxies it is the peer. Behind trusted proxies
/// (`ONBOARD_TRUSTED_PROXIES`) it is the rightmost `X-Forwarded-For` entry that is not itself a
/// trusted proxy: each proxy appends the address it saw on the right, so everything to the left
/// of that entry was written by the client and proves nothing. With `*` only the peer is
/// trusted, so the entry the peer appended (the rightmost) is the client.
pub fn client_meta(core: &Core, parts_headers: &HeaderMap, peer: Option<SocketAddr>) -> ClientMeta {
    let peer_ip = peer.map(|p| p.ip());
    ClientMeta {
        addr: client_addr(
            core.config.trusted_proxies.as_deref(),
            parts_headers,
            peer_ip,
        )
        .map(|ip| ip.to_string()),
        lang: request_lang(parts_headers),
    }
}

/// See [`client_meta`]. A malformed entry ends the walk: what lies left of it cannot be read.
pub fn client_addr(
    trusted: Option<&[std::net::IpAddr]>,
    headers: &HeaderMap,
    peer: Option<std::net::IpAddr>,
) -> Option<std::net::IpAddr> {
    let (Some(list), Some(peer_ip)) = (trusted, peer) else {
        return peer;
    };
    let is_trusted = |ip: &std::net::IpAddr| list.contains(ip);
    if !(list.is_empty() || is_trusted(&peer_ip)) {
        return Some(peer_ip);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer_ip;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<std::net::IpAddr>() else {
            break;
        };
        client = ip;
        if list.is_empty() || !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// The person's language: the switcher's cookie, else `Accept-Language`, else English.
pub fn request_lang(headers: &HeaderMap) -> crate::domain::Lang {
    crate::domain::Lang::negotiate(
        cookie_value(headers, crate::domain::lang::LANG_COOKIE).as_deref(),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

pub struct Meta(pub ClientMeta);

impl FromRequestParts<AppState> for Meta {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(Meta(client_meta(&state.core, &parts.headers, peer)))
    }
}

/// Builds the session cookie (or its removal, with `None`).
/// `; Secure` on cookies when the public URL is https.
pub fn secure_attr(core: &Core) -> &'static str {
    if core.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    }
}

pub fn session_cookie(core: &Core, token: Option<&str>) -> HeaderValue {
    let secure = secure_attr(core);
    let v = match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            core.config.session_absolute_hours * 3600
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&v).expect("cookie is ASCII")
}

/// Remembers the interface language (the switcher). Not a secret, but only the server reads it.
pub fn lang_cookie(core: &Core, lang: crate::domain::Lang) -> HeaderValue {
    let secure = secure_attr(core);
    let v = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}",
        crate::domain::lang::LANG_COOKIE,
        lang.tag()
    );
    HeaderValue::from_str(&v).expect("cookie is ASCII")
}

#[cfg(test)]
mod tests {
    use super::{client_addr, loggable_path};

    #[test]
    fn logs_never_show_a_code_in_a_path() {
        for (path, want) in [
            (
                "/api/v1/redeem/ABCD-EFGH-JKMN-PQRS",
                "/api/v1/redeem/{code}",
            ),
            (
                "/api/v1/redeem/abcdefghjkmnpqrs/report",
                "/api/v1/redeem/{code}/report",
            ),
            ("/api/v1/redeem", "/api/v1/redeem"),
            ("/api/v1/invitations/7", "/api/v1/invitations/7"),
        ] {
            assert_eq!(loggable_path(path), want);
        }
    }
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_client_address_is_the_rightmost_hop_no_trusted_proxy_wrote() {
        let lb = ip("10.0.0.1");
        let inner = ip("10.0.0.2");
        let proxies = [lb, inner];
        // (trusted proxies, X-Forwarded-For lines, peer, expected client)
        type Case<'a> = (Option<&'a [IpAddr]>, &'a [&'a str], IpAddr, &'a str);
        let cases: &[Case] = &[
            // Nobody trusted: the header is ignored.
            (None, &["1.2.3.4"], lb, "10.0.0.1"),
            // The peer is not a proxy we trust: the header is ignored.
            (
                Some(&proxies),
                &["1.2.3.4"],
                ip("203.0.113.9"),
                "203.0.113.9",
            ),
            // One proxy: it appended the real client on the right; the left is the client's lie.
            (
                Some(&proxies),
                &["6.6.6.6, 198.51.100.7"],
                lb,
                "198.51.100.7",
            ),
            // Two proxies: skip the inner proxy's own entry.
            (
                Some(&proxies),
                &["6.6.6.6, 198.51.100.7, 10.0.0.2"],
                lb,
                "198.51.100.7",
            ),
            // Several header lines count as one list, in order.
            (
                Some(&proxies),
                &["6.6.6.6", "198.51.100.7"],
                lb,
                "198.51.100.7",
            ),
            // Garbage on the right stops the walk at the last hop we could read.
            (Some(&proxies), &["198.51.100.7, nonsense"], lb, "10.0.0.1"),
            // No header: the proxy itself.
            (Some(&proxies), &[], lb, "10.0.0.1"),
            // `*`: only the peer is trusted, so its entry (the rightmost) is the client.
            (Some(&[]), &["6.6.6.6, 198.51.100.7"], lb, "198.51.100.7"),
        ];
        for (trusted, header, peer, want) in cases {
            assert_eq!(
                client_addr(*trusted, &xff(header), Some(*peer)),
                Some(ip(want)),
                "trusted {trusted:?}, header {header:?}, peer {peer}"
            );
        }
    }
}
