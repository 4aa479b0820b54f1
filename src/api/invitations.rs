//! Invitations: list, create, read, copy, change, emails, bulk; the outbox.

use super::extract::{from_object, id_param, pairs, permitted, says_json, Body};
use super::openapi;
use crate::domain::{Action, DomainError, ListQuery, Role};
use crate::services::{self, bulk, invitations, outbox};
use crate::web::{ApiError, AppState, Authed, Meta};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[utoipa::path(get, path = "/api/v1/invitations",
    params(("status" = Option<openapi::StatusParam>, Query),
           ("q" = Option<String>, Query, description = "Substring of code, email or used-by username"),
           ("division" = Option<String>, Query, description = "Division slug (admins; managers: only their own)"),
           ("page" = Option<u32>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<u32>, Query, minimum = 1, maximum = 200)),
    responses((status = 200, body = crate::domain::InvitationPage,
               description = "With `Accept: text/csv`: the whole filtered view as CSV (pages do not apply)"),
              (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn list_invitations(
    State(s): State<AppState>,
    Authed(actor): Authed,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let p = pairs(&raw);
    let q = ListQuery::parse(
        crate::domain::query_string::refs(&p),
        crate::domain::list_query::DEFAULT_PER_PAGE,
    )?;
    let wants_csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if wants_csv {
        let rows = invitations::export_csv(&s.core, &actor, &q).await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"invitations.csv\"",
                ),
            ],
            axum::body::Body::from_stream(rows),
        )
            .into_response());
    }
    Ok(Json(invitations::list(&s.core, &actor, &q).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/invitations", request_body = invitations::CreateInvitation,
    responses((status = 201, body = crate::domain::Invitation), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody),
              (status = 409, body = openapi::ErrorBody, description = "quota_exceeded: the division's quota of Active codes is used up"),
              (status = 422, body = openapi::ErrorBody, description = "Validation, or expiry_too_far past the role's ceiling")))]
pub async fn create_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    b: Result<Body<invitations::CreateInvitation>, ApiError>,
) -> Result<Response, ApiError> {
    let b = permitted(&actor, Action::CreateInvitation(Role::Staff), b)?;
    let inv = invitations::create(&s.core, &actor, &b, 0, &meta).await?;
    Ok((StatusCode::CREATED, Json(inv)).into_response())
}

#[utoipa::path(get, path = "/api/v1/invitations/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = crate::domain::Invitation), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody)))]
pub async fn get_invitation(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<crate::domain::Invitation>, ApiError> {
    Ok(Json(
        invitations::get(&s.core, &actor, id_param(&id)?).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/invitations/{id}/copy", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody)))]
pub async fn copy_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    invitations::copy(&s.core, &actor, id_param(&id)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/invitations/{id}/emails", params(("id" = i64, Path)),
    responses((status = 200, body = openapi::EmailList), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody)))]
pub async fn invitation_emails(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<openapi::EmailList>, ApiError> {
    let items = outbox::for_invitation(&s.core, &actor, id_param(&id)?).await?;
    Ok(Json(openapi::EmailList { items }))
}

#[utoipa::path(post, path = "/api/v1/invitations/{id}/resend", params(("id" = i64, Path)),
    responses((status = 202, body = crate::domain::OutboxMessage), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody),
              (status = 409, body = openapi::ErrorBody)))]
pub async fn resend_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<crate::domain::OutboxMessage>), ApiError> {
    let m = outbox::resend(&s.core, &actor, id_param(&id)?, &meta).await?;
    Ok((StatusCode::ACCEPTED, Json(m)))
}

#[utoipa::path(get, path = "/api/v1/outbox",
    params(("status" = Option<String>, Query, description = "queued, sent, failed or all"),
           ("page" = Option<u32>, Query, minimum = 1, maximum = 100000),
           ("per_page" = Option<u32>, Query, minimum = 1, maximum = 200)),
    responses((status = 200, body = crate::domain::OutboxPage), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn outbox_list(
    State(s): State<AppState>,
    Authed(actor): Authed,
    RawQuery(raw): RawQuery,
) -> Result<Json<crate::domain::OutboxPage>, ApiError> {
    let p = pairs(&raw);
    let q = outbox::OutboxQuery::parse(p.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    Ok(Json(outbox::list(&s.core, &actor, &q).await?))
}

#[utoipa::path(patch, path = "/api/v1/invitations/{id}", params(("id" = i64, Path)), request_body = invitations::UpdateInvitation,
    responses((status = 200, body = crate::domain::Invitation), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody),
              (status = 409, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn update_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
    b: Result<Body<invitations::UpdateInvitation>, ApiError>,
) -> Result<Json<crate::domain::Invitation>, ApiError> {
    let id = id_param(&id)?;
    // Who may not change this code (a manager, another division's) hears that first,
    // whatever the body holds.
    let b = match b {
        Ok(Body(b)) => b,
        Err(e) => {
            invitations::may_update(&s.core, &actor, id).await?;
            return Err(e);
        }
    };
    Ok(Json(
        invitations::update(&s.core, &actor, id, &b, &meta).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/invitations/{id}/reinstate", params(("id" = i64, Path)),
    responses((status = 200, body = crate::domain::Invitation), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody)))]
pub async fn reinstate_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<crate::domain::Invitation>, ApiError> {
    Ok(Json(
        invitations::reinstate(&s.core, &actor, id_param(&id)?, &meta).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/invitations/{id}/revoke", params(("id" = i64, Path)),
    responses((status = 200, body = crate::domain::Invitation), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody)))]
pub async fn revoke_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<Json<crate::domain::Invitation>, ApiError> {
    Ok(Json(
        invitations::revoke(&s.core, &actor, id_param(&id)?, &meta).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/invitations/{id}", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody),
              (status = 404, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody)))]
pub async fn delete_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    invitations::delete(&s.core, &actor, id_param(&id)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/invitations/bulk", request_body = Vec<invitations::CreateInvitation>,
    responses((status = 201, body = openapi::BulkCreated), (status = 200, description = "Dry run (`?dry_run=true`): a verdict per row"), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 409, body = openapi::ErrorBody, description = "quota_exceeded, naming the row"),
              (status = 422, body = openapi::ErrorBody), (status = 415, body = openapi::ErrorBody)))]
pub async fn bulk_create(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    crate::domain::authorize(
        Some(actor.policy()),
        crate::domain::Action::BulkCreate,
        None,
    )
    .map_err(DomainError::from)?;
    let dry_run = pairs(&raw)
        .iter()
        .any(|(k, v)| k == "dry_run" && (v == "1" || v == "true"));
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let rows: Vec<invitations::CreateInvitation> = if ctype.starts_with("text/csv") {
        services::bulk::parse_csv(&body)
            .map_err(|e| ApiError::new(422, "invalid_body", e.to_string()))?
    } else if says_json(&headers) {
        let list: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|_| ApiError::new(400, "malformed_body", "The body is not valid JSON."))?;
        let serde_json::Value::Array(list) = list else {
            return Err(ApiError::new(
                422,
                "invalid_body",
                "The body must be a JSON list of invitations.",
            ));
        };
        // Each row on its own, so a bad one is named as the CSV's are (1-based).
        list.into_iter()
            .enumerate()
            .map(|(i, row)| {
                from_object(row).map_err(|mut e| {
                    e.message = format!("row {}: {}", i + 1, e.message);
                    e
                })
            })
            .collect::<Result<_, ApiError>>()?
    } else {
        return Err(ApiError::new(
            415,
            "unsupported_media_type",
            "Send application/json or text/csv.",
        ));
    };
    if rows.is_empty() {
        return Err(ApiError::new(422, "invalid_body", "The batch has no rows."));
    }
    if dry_run {
        let (_, verdicts) = bulk::check(&s.core, &actor, &rows).await?;
        let valid = verdicts.iter().all(|v| v.ok);
        return Ok(
            Json(json!({ "dry_run": true, "valid": valid, "rows": verdicts })).into_response(),
        );
    }
    match bulk::create(&s.core, &actor, &rows, &meta).await {
        Ok(created) => {
            Ok((StatusCode::CREATED, Json(json!({ "created": created }))).into_response())
        }
        Err((0, e)) => Err(e.into()),
        Err((row, e)) => {
            // A row past the division's quota keeps its 409; any other bad row is a 422.
            let quota = matches!(e, DomainError::QuotaExceeded(..));
            let mut err = ApiError::from(e);
            err.message = format!("row {row}: {}", err.message);
            if !quota {
                err.status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(err)
        }
    }
}
