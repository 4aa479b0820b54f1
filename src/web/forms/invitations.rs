//! Creating invitations and acting on one (copy, revoke, delete, resend, edit) from the
//! dashboard and the detail page, and downloading the audit trail.

use super::{enc, error_params, safe_next, SignedIn};
use crate::domain::DomainError;
use crate::services::{self, invitations};
use crate::web::{AppState, Meta};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CreateForm {
    email: Option<String>,
    role: Option<String>,
    division: Option<String>,
    expires_at: Option<String>,
    note: Option<String>,
    /// Minutes east of UTC of the browser (set by script; empty without JS = UTC).
    tz_offset: Option<String>,
    back: Option<String>,
}

pub async fn create_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Form(f): Form<CreateForm>,
) -> Response {
    let offset = f
        .tz_offset
        .as_deref()
        .and_then(|o| o.trim().parse().ok())
        .unwrap_or(0);
    let input = invitations::CreateInvitation {
        email: f.email.clone(),
        role: f.role.clone(),
        division: f.division.clone(),
        expires_at: f.expires_at.clone(),
        note: f.note.clone(),
    };
    let back = safe_next(f.back.as_deref(), "/invitations");
    let sep = if back.contains('?') { '&' } else { '?' };
    match invitations::create(&s.core, &actor, &input, offset, &meta).await {
        Ok(inv) => Redirect::to(&format!("{back}{sep}created={}", inv.id)).into_response(),
        Err(e) => Redirect::to(&format!(
            "{back}{sep}create=1&{}&email={}&role={}&division={}&expires_at={}&note={}",
            error_params(&e),
            enc(f.email.as_deref().unwrap_or("")),
            enc(f.role.as_deref().unwrap_or("")),
            enc(f.division.as_deref().unwrap_or("")),
            enc(f.expires_at.as_deref().unwrap_or("")),
            enc(f.note.as_deref().unwrap_or("")),
        ))
        .into_response(),
    }
}

#[derive(Deserialize)]
pub struct ActionForm {
    back: Option<String>,
    /// Edit only: the new email ("" removes the binding) and expiry (UTC).
    email: Option<String>,
    expires_at: Option<String>,
    /// Edit only: the note ("" removes it); absent: unchanged.
    note: Option<String>,
}

/// What a form on an invitation asks for: the last segment of `/invitations/{id}/{action}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormAction {
    Copy,
    Revoke,
    Delete,
    Resend,
    Edit,
    Reinstate,
}

impl FormAction {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "copy" => FormAction::Copy,
            "revoke" => FormAction::Revoke,
            "delete" => FormAction::Delete,
            "resend" => FormAction::Resend,
            "edit" => FormAction::Edit,
            "reinstate" => FormAction::Reinstate,
            _ => return None,
        })
    }

    /// The query parameter the page shows its confirmation for.
    fn done(self) -> &'static str {
        match self {
            FormAction::Copy => "copied",
            FormAction::Revoke => "revoked",
            FormAction::Delete => "deleted",
            FormAction::Resend => "resent",
            FormAction::Edit => "updated",
            FormAction::Reinstate => "reinstated",
        }
    }
}

/// Copy/revoke/delete/resend (and edit, from the detail page) without JavaScript.
pub async fn invitation_action(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> Response {
    let action = FormAction::parse(&action);
    let default_back = if action == Some(FormAction::Edit) {
        format!("/invitations/{id}")
    } else {
        "/invitations".into()
    };
    let back = safe_next(f.back.as_deref(), &default_back);
    let sep = if back.contains('?') { '&' } else { '?' };
    let (Ok(id), Some(action)) = (id.parse::<i64>(), action) else {
        return Redirect::to(&format!(
            "{back}{sep}{}",
            error_params(&DomainError::NotFound)
        ))
        .into_response();
    };
    let (core, meta) = (&s.core, &meta);
    let result = match action {
        FormAction::Copy => invitations::copy(core, &actor, id, meta).await.map(drop),
        FormAction::Revoke => invitations::revoke(core, &actor, id, meta).await.map(drop),
        FormAction::Delete => invitations::delete(core, &actor, id, meta).await,
        FormAction::Reinstate => invitations::reinstate(core, &actor, id, meta)
            .await
            .map(drop),
        FormAction::Resend => services::outbox::resend(core, &actor, id, meta)
            .await
            .map(drop),
        FormAction::Edit => {
            let input = invitations::UpdateInvitation {
                email: Some(f.email.clone()),
                expires_at: f.expires_at.clone().filter(|e| !e.trim().is_empty()),
                note: f.note.clone().map(Some),
            };
            invitations::update(core, &actor, id, &input, meta)
                .await
                .map(drop)
        }
    }
    .map(|()| action.done());
    match result {
        Ok(done) => Redirect::to(&format!("{back}{sep}{done}={id}")).into_response(),
        Err(e) => Redirect::to(&format!("{back}{sep}{}", error_params(&e))).into_response(),
    }
}

/// `GET /audit/export.csv?...`: the audit page's download button (cookie-authenticated).
pub async fn audit_csv(
    State(s): State<AppState>,
    SignedIn(actor): SignedIn,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let pairs = crate::domain::query_string::decode(raw.as_deref().unwrap_or_default());
    let result = async {
        let q = services::audit_log::AuditQuery::parse(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )?;
        services::audit_log::export_csv(&s.core, &actor, &q).await
    }
    .await;
    match result {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"onboard-audit.csv\"",
                ),
            ],
            axum::body::Body::from_stream(rows),
        )
            .into_response(),
        Err(e) => crate::web::ApiError::from(e).into_response(),
    }
}

/// `GET /invitations/export.csv?<the dashboard's query>`: exactly the view on screen (status,
/// search, division), every page of it, streamed and recorded in the trail. The query is read
/// as leniently as the dashboard reads it, so the file always matches what the person sees.
pub async fn invitations_csv(
    State(s): State<AppState>,
    SignedIn(actor): SignedIn,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let pairs = crate::domain::query_string::decode(raw.as_deref().unwrap_or_default());
    let q = crate::domain::ListQuery::parse_lenient(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        crate::domain::list_query::DASHBOARD_PER_PAGE,
    );
    match invitations::export_csv(&s.core, &actor, &q).await {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"onboard-invitations.csv\"",
                ),
            ],
            axum::body::Body::from_stream(rows),
        )
            .into_response(),
        Err(e) => crate::web::ApiError::from(e).into_response(),
    }
}
