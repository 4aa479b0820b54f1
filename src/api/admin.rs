//! The audit trail, divisions and users.

use super::extract::{pairs, permitted, Body};
use super::openapi;
use super::session::UserEnvelope;
use crate::domain::Action;
use crate::services::{admin, audit_log, people, settings};
use crate::web::{ApiError, AppState, Authed, Meta};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[utoipa::path(get, path = "/api/v1/audit",
    params(("action" = Option<String>, Query), ("division" = Option<String>, Query), ("actor" = Option<String>, Query),
           ("invitation" = Option<i64>, Query), ("since" = Option<chrono::DateTime<chrono::Utc>>, Query),
           ("until" = Option<chrono::DateTime<chrono::Utc>>, Query), ("page" = Option<u32>, Query, minimum = 1, maximum = 100000),
           ("per_page" = Option<u32>, Query, minimum = 1, maximum = 1000),
           ("cursor" = Option<i64>, Query, description = "next_cursor of the previous page")),
    responses((status = 200, body = crate::domain::AuditPage), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn audit(
    State(s): State<AppState>,
    Authed(actor): Authed,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let p = pairs(&raw);
    let q = audit_log::AuditQuery::parse(p.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let wants_csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if wants_csv {
        // Every matching row, streamed (pages apply to JSON only).
        let rows = audit_log::export_csv(&s.core, &actor, &q).await?;
        return Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            axum::body::Body::from_stream(rows),
        )
            .into_response());
    }
    Ok(Json(audit_log::list(&s.core, &actor, &q).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/divisions",
    responses((status = 200, body = openapi::DivisionList), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody)))]
pub async fn list_divisions(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Response, ApiError> {
    let items = admin::list_divisions(&s.core, &actor).await?;
    Ok(Json(json!({ "items": items })).into_response())
}

#[utoipa::path(post, path = "/api/v1/divisions", request_body = admin::NewDivision,
    responses((status = 201, body = crate::domain::Division), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn create_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    b: Result<Body<admin::NewDivision>, ApiError>,
) -> Result<Response, ApiError> {
    let b = permitted(&actor, Action::ManageDivisions, b)?;
    let d = admin::create_division(&s.core, Some(&actor), &b, &meta).await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

#[utoipa::path(patch, path = "/api/v1/divisions/{slug}", params(("slug" = String, Path)), request_body = admin::UpdateDivision,
    responses((status = 200, body = crate::domain::Division), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn update_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(slug): Path<String>,
    b: Result<Body<admin::UpdateDivision>, ApiError>,
) -> Result<Json<crate::domain::Division>, ApiError> {
    let b = permitted(&actor, Action::ManageDivisions, b)?;
    Ok(Json(
        admin::update_division(&s.core, &actor, &slug, &b, &meta).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/divisions/{slug}", params(("slug" = String, Path)),
    responses((status = 204), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody),
              (status = 404, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody, description = "division_not_empty")))]
pub async fn delete_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    admin::delete_division(&s.core, &actor, &slug, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/settings",
    responses((status = 200, body = crate::domain::settings::Settings), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody)))]
pub async fn get_settings(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Json<crate::domain::settings::Settings>, ApiError> {
    Ok(Json(settings::get(&s.core, &actor).await?))
}

#[utoipa::path(put, path = "/api/v1/settings", request_body = crate::domain::settings::Settings,
    responses((status = 200, body = crate::domain::settings::Settings), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn put_settings(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    b: Result<Body<crate::domain::settings::Settings>, ApiError>,
) -> Result<Json<crate::domain::settings::Settings>, ApiError> {
    let b = permitted(&actor, Action::ManageSettings, b)?;
    Ok(Json(settings::put(&s.core, &actor, &b, &meta).await?))
}

#[utoipa::path(get, path = "/api/v1/users",
    responses((status = 200, body = openapi::UserList), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody)))]
pub async fn list_users(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Response, ApiError> {
    let items = admin::list_users(&s.core, &actor).await?;
    Ok(Json(json!({ "items": items })).into_response())
}

#[utoipa::path(post, path = "/api/v1/users/{username}/disable", params(("username" = String, Path)),
    responses((status = 200, body = UserEnvelope), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody),
              (status = 404, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody)))]
pub async fn disable_user(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(username): Path<String>,
) -> Result<Response, ApiError> {
    let user = admin::disable_user(&s.core, &actor, &username, &meta).await?;
    Ok(Json(json!({ "user": user })).into_response())
}

#[utoipa::path(patch, path = "/api/v1/users/{username}", params(("username" = String, Path)), request_body = people::UpdateUser,
    responses((status = 200, body = UserEnvelope), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody),
              (status = 404, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn update_user(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(username): Path<String>,
    b: Result<Body<people::UpdateUser>, ApiError>,
) -> Result<Response, ApiError> {
    let b = permitted(&actor, Action::ManageUsers, b)?;
    let user = people::update(&s.core, &actor, &username, &b, &meta).await?;
    Ok(Json(json!({ "user": user })).into_response())
}

#[utoipa::path(post, path = "/api/v1/users/{username}/enable", params(("username" = String, Path)),
    responses((status = 200, body = UserEnvelope), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody),
              (status = 404, body = openapi::ErrorBody)))]
pub async fn enable_user(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(username): Path<String>,
) -> Result<Response, ApiError> {
    let user = people::enable(&s.core, &actor, &username, &meta).await?;
    Ok(Json(json!({ "user": user })).into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ResetLink {
    /// One-time link to choose a new password; hand it to the person.
    pub link: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[utoipa::path(post, path = "/api/v1/users/{username}/password-reset", params(("username" = String, Path)),
    responses((status = 201, body = ResetLink), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody),
              (status = 404, body = openapi::ErrorBody)))]
pub async fn password_reset(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(username): Path<String>,
) -> Result<Response, ApiError> {
    let link = people::password_reset_link(&s.core, &actor, &username, &meta).await?;
    let expires_at = s.core.now() + chrono::Duration::hours(people::RESET_HOURS);
    Ok((StatusCode::CREATED, Json(ResetLink { link, expires_at })).into_response())
}
