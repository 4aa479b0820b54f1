//! Forms of `/admin/webhooks`: add an endpoint, ping, pause, resume and delete it.

use super::{back_with, enc, SignedIn};
use crate::domain::DomainError;
use crate::services::webhooks;
use crate::web::{AppState, Meta};
use axum::extract::{Path, State};
use axum::response::Response;

const PAGE: &str = "/admin/webhooks";

fn back(result: Result<String, DomainError>) -> Response {
    back_with(PAGE, result)
}

/// `POST /admin/webhooks`: a urlencoded form where `event` repeats (checkboxes). The secret
/// is shown once, on the page the form returns to.
pub async fn create_webhook(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    body: axum::body::Bytes,
) -> Response {
    let mut input = webhooks::NewWebhook::default();
    let mut events = Vec::new();
    let text = String::from_utf8_lossy(&body);
    for (k, v) in crate::domain::query_string::decode(&text) {
        match k.as_str() {
            "url" => input.url = Some(v),
            "description" => input.description = Some(v),
            "event" => events.push(v),
            _ => {}
        }
    }
    input.events = Some(events);
    let r = webhooks::create(&s.core, &actor, &input, &meta).await;
    back(r.map(|w| format!("new_secret={}", enc(&w.secret))))
}

/// `POST /admin/webhooks/{id}/{ping|pause|resume|delete}`.
pub async fn webhook_action(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path((id, action)): Path<(String, String)>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return back(Err(DomainError::NotFound));
    };
    let core = &s.core;
    let pause = |active: bool| webhooks::UpdateWebhook {
        active: Some(active),
        ..Default::default()
    };
    let r = match action.as_str() {
        "ping" => webhooks::ping(core, &actor, id).await.map(|_| "ping"),
        "pause" => webhooks::update(core, &actor, id, &pause(false), &meta)
            .await
            .map(|_| "paused"),
        "resume" => webhooks::update(core, &actor, id, &pause(true), &meta)
            .await
            .map(|_| "resumed"),
        "delete" => webhooks::delete(core, &actor, id, &meta)
            .await
            .map(|_| "deleted"),
        _ => Err(DomainError::NotFound),
    };
    back(r.map(|done| format!("done={done}")))
}
