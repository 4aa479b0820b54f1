//! `#[server]` functions the pages load their data with. Thin: each resolves the request's actor
//! from context, calls one service function and maps its error.

use crate::domain::{
    AuditPage, CodePreview, Division, DomainError, Invitation, InvitationPage, OutboxMessage,
    OutboxPage, UserRow, Viewer,
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

    pub fn ctx() -> Result<RequestCtx, ServerFnError> {
        use_context::<RequestCtx>().ok_or_else(|| ServerFnError::new("request context missing"))
    }

    pub fn authed(ctx: &RequestCtx) -> Result<Actor, ServerFnError> {
        ctx.actor
            .clone()
            .ok_or_else(|| fail(DomainError::Unauthenticated))
    }

    /// A page's query string (`a=1&b=2`) as decoded pairs, for the services' query parsers.
    pub fn query_pairs(query: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    /// Carries a domain error to the browser as `code|message`.
    pub fn fail(e: DomainError) -> ServerFnError {
        ServerFnError::new(format!("{}|{}", e.code(), e))
    }
}

/// Splits an error produced by `ssr::fail` back into a domain error.
pub fn domain_error(e: &ServerFnError) -> DomainError {
    let text = match e {
        ServerFnError::ServerError(s) => s.clone(),
        other => other.to_string(),
    };
    match text.split_once('|') {
        Some((code, msg)) => DomainError::from_code(code, msg),
        None => DomainError::Internal,
    }
}

#[server(prefix = "/sf", input = GetUrl)]
pub async fn get_viewer() -> Result<Option<Viewer>, ServerFnError> {
    let ctx = ssr::ctx()?;
    Ok(ctx.actor.map(|a| Viewer {
        user: a.user(),
        division_id: a.division_id,
        division_name: a.division_name.clone(),
    }))
}

#[server(prefix = "/sf", input = GetUrl)]
pub async fn list_invitations(query: String) -> Result<InvitationPage, ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    let pairs = ssr::query_pairs(&query);
    let q = crate::domain::ListQuery::parse_lenient(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        25,
    );
    crate::services::invitations::list(&ctx.core, &actor, &q)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl)]
pub async fn get_invitation(id: i64) -> Result<Invitation, ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::invitations::get(&ctx.core, &actor, id)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf")]
pub async fn record_copy(id: i64) -> Result<(), ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::invitations::copy(&ctx.core, &actor, id, &ctx.meta)
        .await
        .map(|_| ())
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl)]
pub async fn preview_code(code: String) -> Result<CodePreview, ServerFnError> {
    let ctx = ssr::ctx()?;
    crate::services::redeem::preview(&ctx.core, &code, &ctx.meta)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl)]
pub async fn division_choices() -> Result<Vec<Division>, ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::admin::list_divisions(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl)]
pub async fn audit_events(query: String) -> Result<AuditPage, ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    let pairs = ssr::query_pairs(&query);
    let q = crate::services::audit_log::AuditQuery::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )
    .map_err(ssr::fail)?;
    crate::services::audit_log::list(&ctx.core, &actor, &q)
        .await
        .map_err(ssr::fail)
}

#[server(prefix = "/sf", input = GetUrl)]
pub async fn user_rows() -> Result<Vec<UserRow>, ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::admin::list_users(&ctx.core, &actor)
        .await
        .map_err(ssr::fail)
}

/// Keeps `DomainError` referenced for the browser build (used by pages through `domain_error`).
pub type PageError = DomainError;

#[server(prefix = "/sf", input = GetUrl)]
pub async fn bulk_preview(id: i64) -> Result<crate::domain::BulkPreview, ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::bulk::preview(&ctx.core, &actor, id)
        .await
        .map_err(ssr::fail)
}

/// The emails sent (or waiting) for one invitation.
#[server(prefix = "/sf", input = GetUrl)]
pub async fn invitation_emails(id: i64) -> Result<Vec<OutboxMessage>, ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    crate::services::outbox::for_invitation(&ctx.core, &actor, id)
        .await
        .map_err(ssr::fail)
}

/// `/admin/outbox`: the query string as the page's URL has it.
#[server(prefix = "/sf", input = GetUrl)]
pub async fn outbox_messages(query: String) -> Result<OutboxPage, ServerFnError> {
    let ctx = ssr::ctx()?;
    let actor = ssr::authed(&ctx)?;
    let pairs = ssr::query_pairs(&query);
    let q = crate::services::outbox::OutboxQuery::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )
    .map_err(ssr::fail)?;
    crate::services::outbox::list(&ctx.core, &actor, &q)
        .await
        .map_err(ssr::fail)
}
