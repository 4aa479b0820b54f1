//! Assembles the application: routes (pages, forms, REST, server functions, static files),
//! middleware, and the server with graceful shutdown.

use crate::app::{shell, App};
use crate::server_fns::ssr::RequestCtx;
use crate::services::Core;
use crate::web::{self, client_meta, resolve_actor, AppState};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use std::net::SocketAddr;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Copies what is needed out of the request first: a borrowed body is not `Sync`, so the
/// request itself must not be held across an await.
fn request_parts(req: &Request) -> (axum::http::HeaderMap, Option<SocketAddr>) {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    (req.headers().clone(), peer)
}

async fn request_ctx(
    core: &Core,
    (headers, peer): (axum::http::HeaderMap, Option<SocketAddr>),
) -> RequestCtx {
    let meta = client_meta(core, &headers, peer);
    let actor = resolve_actor(core, &headers).await.unwrap_or(None);
    RequestCtx {
        core: core.clone(),
        actor,
        meta,
    }
}

async fn server_fn_handler(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    let ctx = request_ctx(&state.core, request_parts(&req)).await;
    handle_server_fns_with_context(
        move || {
            provide_context(ctx.clone());
            provide_context(crate::server_fns::ssr::ServerFnCall);
        },
        req,
    )
    .await
}

async fn page_handler(State(state): State<AppState>, req: Request<Body>) -> Response {
    let ctx = request_ctx(&state.core, request_parts(&req)).await;
    let path = req.uri().path().to_string();
    let protected = ["/invitations", "/audit", "/admin", "/profile"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if protected && ctx.actor.is_none() {
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| path.clone());
        return Redirect::to(&format!("/login?next={}", urlencoding::encode(&next)))
            .into_response();
    }
    let options = state.leptos_options.clone();
    // A fresh nonce per page: Leptos puts it on the hydration scripts it writes, and the CSP
    // lets only scripts carrying it (or served from here) run.
    let nonce = crate::auth::random_token();
    let provider = state.core.oidc.as_ref().map(|p| p.origin());
    let csp = web::content_security_policy(&nonce, provider.as_deref());
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(ctx.clone());
            provide_context(leptos::nonce::Nonce::from_value(nonce.clone()));
        },
        move || shell(options.clone()),
    );
    let mut res = handler(req).await.into_response();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    // The same URL renders differently per session and per language.
    res.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("cookie, accept-language"),
    );
    res
}

async fn root(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Redirect {
    match resolve_actor(&state.core, &headers).await {
        Ok(Some(_)) => Redirect::to("/invitations"),
        _ => Redirect::to("/login"),
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    if state.core.db.ping().await {
        "ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

/// A release build names its output by content (`/pkg/onboard.<hash>.wasm`, see `make site`),
/// so a browser keeps each file for good and an upgrade is a new URL. A development build's
/// fixed names may be cached but are revalidated (a cheap 304 via `Last-Modified`), so nobody
/// hydrates with old WASM.
async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_pkg = path.starts_with("/pkg/");
    let hashed = crate::domain::asset::is_content_hashed(path);
    let mut res = next.run(req).await;
    if is_pkg && (res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED) {
        // A content-hashed name never serves other bytes: keep it for a year, never revalidate.
        // Anything else under /pkg (a development build) is checked each time.
        let policy = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "public, no-cache"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

pub fn router(core: Core, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let state = AppState::new(leptos_options.clone(), core);
    let page = get(page_handler);
    Router::new()
        .route("/", get(root))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/login", post(web::forms::login))
        .route("/logout", post(web::forms::logout))
        .route("/lang", post(web::forms::set_language))
        .route("/join", post(web::forms::join))
        .route("/join/report", post(web::forms::report_code))
        .route("/reset/{token}", post(web::forms::reset_password))
        .route("/invitations/new", post(web::forms::create_invitation))
        .route("/invitations/{id}/{action}", post(web::forms::invitation_action))
        .route("/audit/export.csv", get(web::forms::audit_csv))
        .route("/invitations/export.csv", get(web::forms::invitations_csv))
        .route("/admin/divisions/new", post(web::forms::create_division))
        .route("/admin/divisions/{slug}/rename", post(web::forms::rename_division))
        .route("/admin/bulk", post(web::forms::bulk_stage))
        .route("/admin/bulk/{id}/commit", post(web::forms::bulk_commit))
        .route("/admin/bulk/{id}/codes.csv", get(web::forms::bulk_codes))
        .route("/admin/users/{username}/disable", post(web::forms::disable_user))
        .route("/admin/users/{username}/update", post(web::forms::update_user))
        .route("/admin/users/{username}/enable", post(web::forms::enable_user))
        .route("/admin/users/{username}/reset", post(web::forms::reset_user))
        .route("/admin/divisions/{slug}/quota", post(web::forms::set_quota))
        .route("/admin/divisions/{slug}/delete", post(web::forms::delete_division))
        .route("/admin/settings", post(web::forms::save_settings))
        .route("/admin/settings/sign-in", post(web::forms::save_sign_in))
        .route("/auth/oidc/start", get(web::forms::oidc_start))
        .route("/auth/oidc/callback", get(web::forms::oidc_callback))
        .route("/join/oidc", post(web::forms::join_oidc))
        .route("/profile/oidc", post(web::forms::link_oidc))
        .route("/admin/webhooks", post(web::forms::create_webhook))
        .route("/admin/webhooks/{id}/{action}", post(web::forms::webhook_action))
        .route("/profile/tokens", post(web::forms::create_token))
        .route("/profile/tokens/{id}/revoke", post(web::forms::revoke_token))
        .route("/sf/{*fn_name}", get(server_fn_handler).post(server_fn_handler))
        .nest("/api/v1", crate::api::router())
        .leptos_routes_with_handler(routes, page)
        .fallback_service(
            tower_http::services::ServeDir::new(&*leptos_options.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(axum::handler::Handler::with_state(page_handler, state.clone())),
        )
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(middleware::from_fn_with_state(state.clone(), web::same_origin))
        .layer(middleware::from_fn_with_state(state.clone(), web::security_headers))
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn(web::request_timeout))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %web::loggable_path(req.uri().path()), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish.
pub async fn serve(app: Router, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down; finishing in-flight requests");
}
