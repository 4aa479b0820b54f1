//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::OpenApi;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "onboard", description = "Invitation-code manager API (v1)"),
    paths(
        super::login,
        super::logout,
        super::me,
        super::create_token,
        super::list_invitations,
        super::create_invitation,
        super::get_invitation,
        super::copy_invitation,
        super::update_invitation,
        super::revoke_invitation,
        super::delete_invitation,
        super::bulk_create,
        super::redeem_code,
        super::check_code,
        super::audit,
        super::list_divisions,
        super::create_division,
        super::list_users,
        super::disable_user,
    ),
    components(schemas(ErrorBody, ErrorDetail))
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
