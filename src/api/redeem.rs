//! Public redemption: checking a code and turning it into an account.

use super::extract::Body;
use super::openapi;
use super::session::UserEnvelope;
use crate::services::redeem;
use crate::web::{session_cookie, ApiError, AppState, Meta};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[utoipa::path(post, path = "/api/v1/redeem", request_body = redeem::RedeemRequest,
    responses((status = 201, body = UserEnvelope), (status = 404, body = openapi::ErrorBody), (status = 410, body = openapi::ErrorBody),
              (status = 422, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody), (status = 429, body = openapi::ErrorBody),
              (status = 400, body = openapi::ErrorBody), (status = 415, body = openapi::ErrorBody)))]
pub async fn redeem_code(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Body(b): Body<redeem::RedeemRequest>,
) -> Result<Response, ApiError> {
    let done = redeem::redeem(&s.core, &b, &meta).await?;
    let mut res = (StatusCode::CREATED, Json(json!({ "user": done.user }))).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&s.core, Some(&done.token)),
    );
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/redeem/{code}", params(("code" = String, Path)),
    responses((status = 200, body = crate::domain::CodeCheck), (status = 429, body = openapi::ErrorBody)))]
pub async fn check_code(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Path(code): Path<String>,
) -> Result<Json<crate::domain::CodeCheck>, ApiError> {
    Ok(Json(redeem::preview(&s.core, &code, &meta).await?.check))
}

#[utoipa::path(post, path = "/api/v1/redeem/{code}/report", params(("code" = String, Path)),
    responses((status = 202, description = "The code is Suspended, reason reported_by_recipient"),
              (status = 404, body = openapi::ErrorBody), (status = 410, body = openapi::ErrorBody), (status = 429, body = openapi::ErrorBody)))]
pub async fn report_code(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    redeem::report(&s.core, &code, &meta).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "status": "suspended", "suspended_reason": "reported_by_recipient" })),
    )
        .into_response())
}
