//! `#[server]` functions the pages load their data with. Thin: each resolves the request's actor
//! from context, calls one service function and maps its error. Errors are `DomainError`
//! itself, sent as JSON with the error's HTTP status, so the page gets the same code, field and
//! retry time the REST API would answer with. Each has a fixed URL, `/sf/<name>`: Leptos's
//! default appends a number derived from the directory the crate is built in, so two checkouts
//! of one commit built different WASM (README, 2026-12-07 evening).

#[cfg(feature = "ssr")]
use crate::domain::query_string::{decode, refs};
use crate::domain::{
    AuditPage, CodePreview, Division, DomainError, Invitation, InvitationPage, ListQuery,
    OutboxMessage, OutboxPage, UserRow, Viewer,
};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::auth::Actor;
    use crate::domain::DomainError;
    use crate::services::{ClientMeta, Core};
    use leptos::prelude::*;

    /// The per-request context the router handlers provide.
    #[derive(Clone)]
    pub struct RequestCtx {
        pub core: Core,
        pub actor: Option<Actor>,
        pub meta: ClientMeta,
    }

    /// Present when the request is a server-function call from the browser (not a page render
    /// that runs the same function in-process): only then does an error set the status.
    #[derive(Clone, Copy)]
    pub struct ServerFnCall;

    pub fn ctx() -> Result<RequestCtx, DomainError> {
        use_context::<RequestCtx>().ok_or_else(|| {
            tracing::error!("request context missing");
            DomainError::Internal
        })
    }

    pub fn authed(ctx: &RequestCtx) -> Result<Actor, DomainError> {
        ctx.actor
            .clone()
            .ok_or_else(|| fail(DomainError::Unauthenticated))
    }

    /// Answers a server-function call with the error's own status (404, 403, 409, 422, 429 with
    /// `Retry-After`, ...); the error itself travels as JSON and keeps its code, field and wait.
    pub fn fail(e: DomainError) -> DomainError {
        if use_context::<ServerFnCall>().is_some() {
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(
                    axum::http::StatusCode::from_u16(e.status())
                        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
                );
                if let DomainError::RateLimited(secs) = &e {
                    if let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string()) {
                        res.insert_header(axum::http::header::RETRY_AFTER, v);
                    }
                }
            }
        }
        e
    }
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "get_viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, DomainError> {
    let ctx = ssr::ctx()?;
    Ok(ctx.actor.map(|a| Viewer {
        user: a.user(),
        division_id: a.division_id,
        division_name: a.division_name.clone(),
    }))
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "list_invitations")]
pub async fn list_invitations(query: ListQuery) -> Result<InvitationPage, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::invitations::list(&ctx.core, &actor, &query)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "get_invitation")]
pub async fn get_invitation(id: i64) -> Result<Invitation, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::invitations::get(&ctx.core, &actor, id)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", endpoint = "record_copy")]
pub async fn record_copy(id: i64) -> Result<(), DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::invitations::copy(&ctx.core, &actor, id, &ctx.meta)
        .await
        .map(|_| ())
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "preview_code")]
pub async fn preview_code(code: String) -> Result<CodePreview, DomainError> {
    let ctx = ssr::ctx()?;
    crate::services::redeem::preview(&ctx.core, &code, &ctx.meta)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "get_settings")]
pub async fn get_settings() -> Result<crate::domain::settings::Settings, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::settings::get(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)
}

/// The viewer's API tokens (an admin: everyone's).
#[server(prefix = "/sf", input = GetUrl, endpoint = "my_tokens")]
pub async fn my_tokens() -> Result<Vec<crate::domain::TokenInfo>, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::tokens::list(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)
}

/// The expiry ceilings and the own division's quota, for the create dialog.
#[server(prefix = "/sf", input = GetUrl, endpoint = "create_limits")]
pub async fn create_limits() -> Result<crate::domain::settings::CreateLimits, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::settings::create_limits(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)
}

/// Whose password a live reset link sets (the reset page shows the username).
#[server(prefix = "/sf", input = GetUrl, endpoint = "reset_link_user")]
pub async fn reset_link_user(token: String) -> Result<String, DomainError> {
    let ctx = ssr::ctx()?;
    crate::services::people::reset_target(&ctx.core, &token)
        .await
        .map(|u| u.username)
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "division_choices")]
pub async fn division_choices() -> Result<Vec<Division>, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::admin::list_divisions(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "audit_events")]
pub async fn audit_events(query: String) -> Result<AuditPage, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    let pairs = decode(&query);
    let q = crate::services::audit_log::AuditQuery::parse(refs(&pairs)).map_err(ssr::fail)?;
    crate::services::audit_log::list(&ctx.core, &actor, &q)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "user_rows")]
pub async fn user_rows() -> Result<Vec<UserRow>, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::admin::list_users(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl, endpoint = "bulk_preview")]
pub async fn bulk_preview(id: i64) -> Result<crate::domain::BulkPreview, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::bulk::preview(&ctx.core, &actor, id)
        .await
        .map_err(ssr::fail)
}

/// The emails sent (or waiting) for one invitation.
#[server(prefix = "/sf", input = GetUrl, endpoint = "invitation_emails")]
pub async fn invitation_emails(id: i64) -> Result<Vec<OutboxMessage>, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::outbox::for_invitation(&ctx.core, &actor, id)
        .await
        .map_err(ssr::fail)
}

/// `/admin/outbox`: the query string as the page's URL has it.
#[server(prefix = "/sf", input = GetUrl, endpoint = "outbox_messages")]
pub async fn outbox_messages(query: String) -> Result<OutboxPage, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    let pairs = decode(&query);
    let q = crate::services::outbox::OutboxQuery::parse(refs(&pairs)).map_err(ssr::fail)?;
    crate::services::outbox::list(&ctx.core, &actor, &q)
        .await
        .map_err(ssr::fail)
}

/// Every webhook endpoint (admins).
#[server(prefix = "/sf", input = GetUrl, endpoint = "list_webhooks")]
pub async fn list_webhooks() -> Result<Vec<crate::domain::webhook::Webhook>, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::webhooks::list(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)
}

/// One endpoint and a page of its deliveries, newest first (admins).
#[server(prefix = "/sf", input = GetUrl, endpoint = "webhook_deliveries")]
pub async fn webhook_deliveries(
    id: i64,
    page: u32,
) -> Result<
    (
        crate::domain::webhook::Webhook,
        Vec<crate::domain::webhook::Delivery>,
        i64,
    ),
    DomainError,
> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    let core = &ctx.core;
    let webhook = crate::services::webhooks::get(core, &actor, id)
        .await
        .map_err(ssr::fail)?;
    let page = page.max(1).to_string();
    let p = crate::services::webhooks::deliveries(core, &actor, id, [("page", page.as_str())])
        .await
        .map_err(ssr::fail)?;
    Ok((webhook, p.items, p.total))
}

/// The name of the organisation's identity provider when sign-in through it is configured
/// (public: the login and join pages offer it).
#[server(prefix = "/sf", input = GetUrl, endpoint = "sign_in_provider")]
pub async fn sign_in_provider() -> Result<Option<String>, DomainError> {
    let ctx = ssr::ctx()?;
    Ok(ctx.core.oidc.as_ref().map(|p| p.name.clone()))
}

/// The identity provider's name and whether the viewer's account is linked to it (none when
/// no provider is configured).
#[server(prefix = "/sf", input = GetUrl, endpoint = "my_sign_in")]
pub async fn my_sign_in() -> Result<Option<(String, bool)>, DomainError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    let Some(p) = ctx.core.oidc.as_ref() else {
        return Ok(None);
    };
    let linked = crate::services::oidc::is_linked(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)?;
    Ok(Some((p.name.clone(), linked)))
}
