//! REST `/api/v1` (API.md). Handlers only translate: request → domain input → one service call →
//! response. Every error is `{"error":{"code","message"}}`.
//!
//! `extract`: bodies, queries and ids; `session`, `invitations`, `redeem`, `admin`: the handlers
//! by resource; `openapi`: the document generated from their annotations.

mod admin;
mod extract;
mod invitations;
pub mod openapi;
mod redeem;
mod session;
mod webhooks;

pub use admin::*;
pub use extract::Body;
pub use invitations::*;
pub use redeem::*;
pub use session::*;
pub use webhooks::*;

use crate::web::{ApiError, AppState};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).delete(logout))
        .route("/me", get(me))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
        .route(
            "/invitations",
            get(list_invitations).post(create_invitation),
        )
        .route("/invitations/bulk", post(bulk_create))
        .route(
            "/invitations/{id}",
            get(get_invitation)
                .patch(update_invitation)
                .delete(delete_invitation),
        )
        .route("/invitations/{id}/copy", post(copy_invitation))
        .route("/invitations/{id}/revoke", post(revoke_invitation))
        .route("/invitations/{id}/reinstate", post(reinstate_invitation))
        .route("/invitations/{id}/emails", get(invitation_emails))
        .route("/invitations/{id}/resend", post(resend_invitation))
        .route("/outbox", get(outbox_list))
        .route("/redeem", post(redeem_code))
        .route("/redeem/{code}", get(check_code))
        .route("/redeem/{code}/report", post(report_code))
        .route("/audit", get(audit))
        .route("/divisions", get(list_divisions).post(create_division))
        .route(
            "/divisions/{slug}",
            axum::routing::patch(update_division).delete(delete_division),
        )
        .route("/settings", get(get_settings).put(put_settings))
        .route("/users", get(list_users))
        .route("/users/{username}", axum::routing::patch(update_user))
        .route("/users/{username}/disable", post(disable_user))
        .route("/users/{username}/enable", post(enable_user))
        .route("/users/{username}/password-reset", post(password_reset))
        .route("/webhooks", get(list_webhooks).post(create_webhook))
        .route(
            "/webhooks/{id}",
            get(get_webhook)
                .patch(update_webhook)
                .delete(delete_webhook),
        )
        .route("/webhooks/{id}/ping", post(ping_webhook))
        .route("/webhooks/{id}/deliveries", get(webhook_deliveries))
        .route("/openapi.json", get(openapi::serve))
        .fallback(|| async { ApiError::new(404, "not_found", "No such API route.") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                405,
                "method_not_allowed",
                "This route does not accept that method.",
            )
        })
        .layer(axum::middleware::map_response(json_errors))
}

/// Every error the API answers is JSON, also those the framework writes as plain text before
/// a handler runs (a path that is not UTF-8, a raw body over the size limit): those are
/// answered as the status's error in the API's format.
async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (code, message) = match status.as_u16() {
        400 => ("malformed_request", "The request could not be read."),
        401 => ("unauthenticated", "You must be logged in."),
        403 => ("forbidden", "You are not allowed to do this."),
        404 => ("not_found", "Not found."),
        405 => (
            "method_not_allowed",
            "This route does not accept that method.",
        ),
        413 => ("body_too_large", "The body is larger than 1 MiB."),
        415 => (
            "unsupported_media_type",
            "Send the body as application/json.",
        ),
        422 => ("invalid_body", "The body does not fit this request."),
        429 => ("rate_limited", "Too many requests; try again later."),
        503 => (
            "unavailable",
            "The service is busy or starting; try again shortly.",
        ),
        s if s >= 500 => ("internal", "Something went wrong on our side."),
        _ => ("bad_request", "The request was refused."),
    };
    let mut out = ApiError::new(status.as_u16(), code, message).into_response();
    // Headers such as `Retry-After` or `Allow` stay.
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    out
}
