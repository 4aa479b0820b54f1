//! Signing in and out, the caller themself, and API tokens.

use super::extract::{from_object, id_param, permitted, says_json, Body};
use super::openapi;
use crate::domain::{Action, User};
use crate::services::{self, tokens};
use crate::web::{session_cookie, ApiError, AppState, Authed, Meta};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UserEnvelope {
    pub user: User,
}

#[utoipa::path(post, path = "/api/v1/session", request_body = LoginBody,
    responses((status = 200, body = UserEnvelope), (status = 401, body = openapi::ErrorBody),
              (status = 429, body = openapi::ErrorBody), (status = 400, body = openapi::ErrorBody),
              (status = 422, body = openapi::ErrorBody), (status = 415, body = openapi::ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Body(b): Body<LoginBody>,
) -> Result<Response, ApiError> {
    let done = services::auth::login(&s.core, &b.username, &b.password, &meta).await?;
    let mut res = Json(json!({ "user": done.user })).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&s.core, Some(&done.token)),
    );
    Ok(res)
}

#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204), (status = 401, body = openapi::ErrorBody)))]
pub async fn logout(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
) -> Result<Response, ApiError> {
    services::auth::logout(&s.core, &actor, &meta).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&s.core, None));
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = UserEnvelope), (status = 401, body = openapi::ErrorBody)))]
pub async fn me(Authed(actor): Authed) -> Json<serde_json::Value> {
    Json(json!({ "user": actor.user() }))
}

#[utoipa::path(post, path = "/api/v1/tokens", request_body = tokens::NewToken,
    responses((status = 201, body = tokens::TokenCreated), (status = 400, body = openapi::ErrorBody), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 415, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn create_token(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    // No body at all asks for the defaults (the first contract's `POST /tokens`); a body must
    // be JSON. Who may not hold tokens hears that before anything about the body.
    let input = if body.iter().all(|b| b.is_ascii_whitespace()) {
        Ok(tokens::NewToken::default())
    } else if !says_json(&headers) {
        Err(ApiError::new(
            415,
            "unsupported_media_type",
            "Send the body as application/json.",
        ))
    } else {
        serde_json::from_slice(&body)
            .map_err(|_| ApiError::new(400, "malformed_body", "The body is not valid JSON."))
            .and_then(from_object)
    };
    let input: tokens::NewToken = permitted(&actor, Action::ManageTokens, input.map(Body))?;
    let created = tokens::create(&s.core, &actor, &input, &meta).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[utoipa::path(get, path = "/api/v1/tokens",
    responses((status = 200, body = openapi::TokenList), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody)))]
pub async fn list_tokens(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Response, ApiError> {
    let items = tokens::list(&s.core, &actor).await?;
    Ok(Json(json!({ "items": items })).into_response())
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody)))]
pub async fn revoke_token(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    tokens::revoke(&s.core, &actor, id_param(&id)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
