//! Middleware every request passes: the same-origin check for state-changing requests, a time
//! limit, and the security headers (CSP, HSTS, framing, caching).

use super::{ApiError, AppState};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn origin_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

/// Refuses state-changing requests whose `Origin` (or, lacking it, `Referer`) is another site,
/// or that send neither while the browser's `Sec-Fetch-Site` says another site made them.
/// Non-browser clients that send none of these are let through: they cannot be a victim's
/// browser.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_string())
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let refused = || ApiError::new(403, "forbidden", "Cross-site request refused.").into_response();
    // Only a browser sends `Sec-Fetch-Site`, and it cannot be forged by a page's script.
    let fetched_from = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    if claimed.is_none() && matches!(fetched_from.as_deref(), Some("cross-site" | "same-site")) {
        tracing::warn!(site = ?fetched_from, "cross-site request refused");
        return refused();
    }
    if let Some(claimed) = claimed {
        let public = state.core.config.public_origin();
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let same_host = host
            .is_some_and(|h| claimed == format!("http://{h}") || claimed == format!("https://{h}"));
        if claimed != public && !same_host {
            tracing::warn!(origin = %claimed, "cross-site request refused");
            return refused();
        }
    }
    next.run(req).await
}

/// How long one request may take before it is answered with 503 `timeout`. Generous: the
/// slowest legitimate request (a 10,000-row bulk commit) takes a few seconds.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Bounds every request: a stuck dependency answers 503 (and is logged) instead of holding a
/// client and a connection for ever.
pub async fn request_timeout(req: Request, next: Next) -> Response {
    let path = loggable_path(req.uri().path()).into_owned();
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::error!(%path, "request timed out");
            ApiError::new(
                503,
                "timeout",
                "The server took too long to answer; try again.",
            )
            .into_response()
        }
    }
}

/// A request path as logs may show it: an invitation code in the path (the public check and
/// report endpoints) is replaced by `{code}`, so a log reader never learns an active code.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    // Paths that carry a secret in their next segment: a code, a password-reset token.
    for (prefix, name) in [("/api/v1/redeem/", "{code}"), ("/reset/", "{token}")] {
        if let Some(rest) = path.strip_prefix(prefix).filter(|r| !r.is_empty()) {
            let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            return format!("{prefix}{name}{tail}").into();
        }
    }
    path.into()
}

/// Build output and files from `public/`: the only answers a shared cache may keep.
fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || [".ico", ".png", ".svg", ".webmanifest", ".txt", ".woff2"]
            .iter()
            .any(|ext| path.ends_with(ext))
}

/// The Content-Security-Policy of every page: scripts only from this origin or carrying this
/// response's nonce (the hydration bootstrap), WebAssembly allowed to compile, no plugins, no
/// framing, forms posting only here. `provider`: the identity provider's origin, which a form
/// may end up at (browsers apply `form-action` to the redirect after a post too, and "Join
/// with ..." posts here, then goes there).
pub fn content_security_policy(nonce: &str, provider: Option<&str>) -> String {
    let form_action = match provider {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_string(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action {form_action}; frame-ancestors 'none'"
    )
}

/// Adds security headers to every response: no sniffing, no framing, a strict referrer
/// policy, HSTS when the public URL is https, and `Cache-Control: no-store` on everything but
/// static assets (pages and API answers carry codes and personal data). Pages get their CSP
/// where they are rendered, since it names the response's nonce.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "referrer-policy",
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        // API answers, redirects and files: nothing in them may run or be framed.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    if state.core.config.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if !is_static_asset(&path) && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
