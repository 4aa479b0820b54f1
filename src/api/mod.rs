//! REST `/api/v1` (API.md). Handlers only translate: request → domain input → one service call →
//! response. Every error is `{"error":{"code","message"}}`.

pub mod openapi;

use crate::domain::{DomainError, ListQuery, User};
use crate::services::{self, admin, audit_log, invitations, outbox, redeem};
use crate::web::{session_cookie, ApiError, AppState, Authed, Meta};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::json;

/// JSON object body extractor whose rejections speak the API's error format. Only an object
/// is accepted: serde would otherwise read a struct from an array (`[null, null]`) by position.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let value = match Json::<serde_json::Value>::from_request(req, state).await {
            Ok(Json(v)) => v,
            Err(rej) => return Err(json_rejection(rej)),
        };
        from_object(value).map(Body)
    }
}

/// Reads `T` from a JSON object; an array, scalar or mismatched object is 422 `invalid_body`.
fn from_object<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(ApiError::new(
            422,
            "invalid_body",
            "The body must be a JSON object.",
        ));
    }
    serde_json::from_value(value).map_err(|e| ApiError::new(422, "invalid_body", e.to_string()))
}

fn json_rejection(rej: JsonRejection) -> ApiError {
    match rej {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            415,
            "unsupported_media_type",
            "Send the body as application/json.",
        ),
        JsonRejection::JsonDataError(e) => ApiError::new(422, "invalid_body", e.body_text()),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::new(400, "malformed_body", "The body is not valid JSON.")
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(413, "body_too_large", "The body is larger than 1 MiB.")
        }
        other => ApiError::new(400, "malformed_body", other.body_text()),
    }
}

fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    raw.as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn id_param(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| DomainError::NotFound.into())
}

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
        .route("/invitations/{id}/emails", get(invitation_emails))
        .route("/invitations/{id}/resend", post(resend_invitation))
        .route("/outbox", get(outbox_list))
        .route("/redeem", post(redeem_code))
        .route("/redeem/{code}", get(check_code))
        .route("/audit", get(audit))
        .route("/divisions", get(list_divisions).post(create_division))
        .route("/divisions/{slug}", axum::routing::patch(rename_division))
        .route("/users", get(list_users))
        .route("/users/{username}/disable", post(disable_user))
        .route("/openapi.json", get(openapi::serve))
        .fallback(|| async { ApiError::new(404, "not_found", "No such API route.") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                405,
                "method_not_allowed",
                "This route does not accept that method.",
            )
        })
}

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

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TokenCreated {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub id: i64,
}

#[utoipa::path(post, path = "/api/v1/tokens", request_body = admin::NewToken,
    responses((status = 201, body = TokenCreated), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody)))]
pub async fn create_token(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let input: admin::NewToken = if body.iter().all(|b| b.is_ascii_whitespace()) {
        admin::NewToken::default()
    } else {
        let value: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|_| ApiError::new(400, "malformed_body", "The body is not valid JSON."))?;
        from_object(value)?
    };
    let (id, token) = admin::create_token(&s.core, &actor, &input, &meta).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "token": token, "id": id })),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/tokens",
    responses((status = 200, body = openapi::TokenList), (status = 401, body = openapi::ErrorBody), (status = 403, body = openapi::ErrorBody)))]
pub async fn list_tokens(
    State(s): State<AppState>,
    Authed(actor): Authed,
) -> Result<Response, ApiError> {
    let items = admin::list_tokens(&s.core, &actor).await?;
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
    admin::revoke_token(&s.core, &actor, id_param(&id)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/invitations",
    params(("status" = Option<openapi::StatusParam>, Query),
           ("q" = Option<String>, Query, description = "Substring of code, email or used-by username"),
           ("division" = Option<String>, Query, description = "Division slug (admins; managers: only their own)"),
           ("page" = Option<u32>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<u32>, Query, minimum = 1, maximum = 200)),
    responses((status = 200, body = crate::domain::InvitationPage), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn list_invitations(
    State(s): State<AppState>,
    Authed(actor): Authed,
    RawQuery(raw): RawQuery,
) -> Result<Json<crate::domain::InvitationPage>, ApiError> {
    let p = pairs(&raw);
    let q = ListQuery::parse(p.iter().map(|(k, v)| (k.as_str(), v.as_str())), 50)?;
    Ok(Json(invitations::list(&s.core, &actor, &q).await?))
}

#[utoipa::path(post, path = "/api/v1/invitations", request_body = invitations::CreateInvitation,
    responses((status = 201, body = crate::domain::Invitation), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn create_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Body(b): Body<invitations::CreateInvitation>,
) -> Result<Response, ApiError> {
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
    Body(b): Body<invitations::UpdateInvitation>,
) -> Result<Json<crate::domain::Invitation>, ApiError> {
    Ok(Json(
        invitations::update(&s.core, &actor, id_param(&id)?, &b, &meta).await?,
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
              (status = 403, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody), (status = 415, body = openapi::ErrorBody)))]
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
    } else if ctype.starts_with("application/json") {
        serde_json::from_slice(&body).map_err(|e| {
            if e.is_data() {
                ApiError::new(422, "invalid_body", e.to_string())
            } else {
                ApiError::new(400, "malformed_body", "The body is not valid JSON.")
            }
        })?
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
        let (_, verdicts) = invitations::bulk_check(&s.core, &actor, &rows).await?;
        let valid = verdicts.iter().all(|v| v.ok);
        return Ok(
            Json(json!({ "dry_run": true, "valid": valid, "rows": verdicts })).into_response(),
        );
    }
    match invitations::bulk_create(&s.core, &actor, &rows, &meta).await {
        Ok(created) => {
            Ok((StatusCode::CREATED, Json(json!({ "created": created }))).into_response())
        }
        Err((0, e)) => Err(e.into()),
        Err((row, e)) => {
            let mut err = ApiError::from(e);
            err.message = format!("row {row}: {}", err.message);
            err.status = StatusCode::UNPROCESSABLE_ENTITY;
            Err(err)
        }
    }
}

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
    Body(b): Body<admin::NewDivision>,
) -> Result<Response, ApiError> {
    let d = admin::create_division(&s.core, Some(&actor), &b, &meta).await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

#[utoipa::path(patch, path = "/api/v1/divisions/{slug}", params(("slug" = String, Path)), request_body = admin::RenameDivision,
    responses((status = 200, body = crate::domain::Division), (status = 401, body = openapi::ErrorBody),
              (status = 403, body = openapi::ErrorBody), (status = 404, body = openapi::ErrorBody), (status = 422, body = openapi::ErrorBody)))]
pub async fn rename_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Authed(actor): Authed,
    Path(slug): Path<String>,
    Body(b): Body<admin::RenameDivision>,
) -> Result<Json<crate::domain::Division>, ApiError> {
    Ok(Json(
        admin::rename_division(&s.core, &actor, &slug, &b, &meta).await?,
    ))
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
