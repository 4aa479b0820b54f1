//! The OpenAPI 3 document, generated from the handlers' annotations, plus the error responses
//! every operation shares (added here once instead of on each handler).

use axum::Json;
use utoipa::openapi::{Content, OpenApi as Doc, RefOr, Required, Response};
use utoipa::{Modify, OpenApi};

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable (`invalid_email`, `code_used`, ...).
    pub code: String,
    /// A sentence for people; names the field for validation errors.
    pub message: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// Status filter values of the invitation list.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusParam {
    All,
    Active,
    Used,
    Expired,
    Revoked,
    Suspended,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EmailList {
    pub items: Vec<crate::domain::OutboxMessage>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DivisionList {
    pub items: Vec<crate::domain::Division>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UserList {
    pub items: Vec<crate::domain::UserRow>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TokenList {
    pub items: Vec<crate::services::tokens::TokenInfo>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct WebhookList {
    pub items: Vec<crate::domain::webhook::Webhook>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BulkCreated {
    pub created: Vec<crate::domain::Invitation>,
}

/// Adds the error responses the edge can give to every operation: 400/413/415/422 where a body
/// is read, 401/403 where a session is needed, 429 on the rate-limited routes.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, doc: &mut Doc) {
        let error = || {
            let mut r = Response::new("Error");
            r.content.insert(
                "application/json".into(),
                RefOr::T(Content::new(Some(RefOr::Ref(
                    utoipa::openapi::Ref::from_schema_name("ErrorBody"),
                )))),
            );
            RefOr::T(r)
        };
        for (path, item) in doc.paths.paths.iter_mut() {
            let public = path == "/api/v1/redeem"
                || path.starts_with("/api/v1/redeem/")
                || path == "/api/v1/openapi.json";
            let ops = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for op in ops.into_iter().flatten() {
                let mut codes: Vec<&str> = Vec::new();
                if op.request_body.is_some() {
                    codes.extend(["400", "413", "415", "422"]);
                }
                if !public && path != "/api/v1/session" {
                    codes.extend(["401", "403"]);
                }
                if op.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
                    codes.extend(["404", "422"]);
                }
                if path.starts_with("/api/v1/redeem") || path == "/api/v1/session" {
                    codes.push("429");
                }
                for c in codes {
                    op.responses
                        .responses
                        .entry(c.to_string())
                        .or_insert_with(error);
                }
                // Creating a token needs no body (the name is optional).
                if path == "/api/v1/tokens" {
                    if let Some(RefOr::T(body)) = op.request_body.as_mut() {
                        body.required = Some(Required::False);
                    }
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "onboard", description = "Invitation-code manager API (v1)"),
    paths(
        super::login, super::logout, super::me, super::create_token, super::list_tokens, super::revoke_token,
        super::list_invitations, super::create_invitation, super::get_invitation,
        super::copy_invitation, super::update_invitation, super::revoke_invitation,
        super::delete_invitation, super::bulk_create, super::redeem_code, super::check_code,
        super::audit, super::list_divisions, super::create_division, super::update_division,
        super::delete_division, super::get_settings, super::put_settings, super::list_users,
        super::disable_user, super::invitation_emails, super::resend_invitation, super::outbox_list,
        super::reinstate_invitation, super::report_code, super::update_user, super::enable_user,
        super::password_reset, super::list_webhooks, super::create_webhook, super::get_webhook,
        super::update_webhook, super::delete_webhook, super::ping_webhook, super::webhook_deliveries,
    ),
    components(schemas(ErrorBody, ErrorDetail, StatusParam, EmailList, DivisionList, UserList, TokenList, WebhookList, BulkCreated)),
    modifiers(&CommonErrors)
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
