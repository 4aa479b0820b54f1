//! Webhook endpoints and their deliveries (admins).

use super::extract::{id_param, pairs, permitted, Body};
use super::openapi;
use crate::domain::Action;
use crate::services::webhooks;
use crate::web::{ApiError, AppState, Authed, Meta};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[utoipa::path(get, path = "/api/v1/webhooks",
    responses((status = 200, body = openapi::WebhookList), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody)))]
pub async fn list_webhooks(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Response, ApiError> {
    let items = webhooks::list(&s.core, &actor).await?;
    Ok(Json(json!({ "items": items })).into_response())
}

#[utoipa::path(post, path = "/api/v1/webhooks", request_body = webhooks::NewWebhook,
    responses((status = 201, body = webhooks::WebhookCreated), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn create_webhook(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    b: Result<Body<webhooks::NewWebhook>, ApiError>,
) -> Result<Response, ApiError> {
    let b = permitted(&actor, Action::ManageWebhooks, b)?;
    let w = webhooks::create(&s.core, &actor, &b, &meta).await?;
    Ok((StatusCode::CREATED, Json(w)).into_response())
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = crate::domain::webhook::Webhook), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody)))]
pub async fn get_webhook(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let w = webhooks::get(&s.core, &actor, id_param(&id)?).await?;
    Ok(Json(w).into_response())
}

#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", params(("id" = i64, Path)), request_body = webhooks::UpdateWebhook,
    responses((status = 200, body = crate::domain::webhook::Webhook), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn update_webhook(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
    b: Result<Body<webhooks::UpdateWebhook>, ApiError>,
) -> Result<Response, ApiError> {
    let b = permitted(&actor, Action::ManageWebhooks, b)?;
    let w = webhooks::update(&s.core, &actor, id_param(&id)?, &b, &meta).await?;
    Ok(Json(w).into_response())
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody)))]
pub async fn delete_webhook(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    webhooks::delete(&s.core, &actor, id_param(&id)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/ping", params(("id" = i64, Path)),
    responses((status = 202, body = crate::domain::webhook::Delivery), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody)))]
pub async fn ping_webhook(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let d = webhooks::ping(&s.core, &actor, id_param(&id)?).await?;
    Ok((StatusCode::ACCEPTED, Json(d)).into_response())
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries",
    params(("id" = i64, Path), ("page" = Option<u32>, Query, minimum = 1), ("per_page" = Option<u32>, Query, minimum = 1, maximum = 200)),
    responses((status = 200, body = webhooks::DeliveryPage), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn webhook_deliveries(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = pairs(&raw);
    let page = webhooks::deliveries(
        &s.core,
        &actor,
        id_param(&id)?,
        p.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )
    .await?;
    Ok(Json(page).into_response())
}
