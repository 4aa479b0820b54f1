//! Forms for the controls admins (and, for their own tokens, managers) use without
//! JavaScript: people, division quotas and deletion, expiry ceilings, API tokens.

use super::{back_with, enc, SignedIn};
use crate::domain::settings::{ExpiryCeilings, Settings};
use crate::domain::{DomainError, Field};
use crate::services::{admin, people, settings, tokens};
use crate::web::{AppState, Meta};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct UserForm {
    role: Option<String>,
    division: Option<String>,
}

/// `POST /admin/users/{username}/update`: role and division.
pub async fn update_user(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(username): Path<String>,
    Form(f): Form<UserForm>,
) -> Response {
    let input = people::UpdateUser {
        role: f.role,
        division: f.division,
    };
    let r = people::update(&s.core, &actor, &username, &input, &meta).await;
    back_with(
        "/admin/users",
        r.map(|u| format!("updated={}", enc(&u.username))),
    )
}

pub async fn enable_user(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(username): Path<String>,
) -> Response {
    let r = people::enable(&s.core, &actor, &username, &meta).await;
    back_with(
        "/admin/users",
        r.map(|u| format!("enabled={}", enc(&u.username))),
    )
}

/// The link goes back to the page in the query (never into the request log, which records
/// paths only); it works once and a newer link replaces it.
pub async fn reset_user(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(username): Path<String>,
) -> Response {
    let r = people::password_reset_link(&s.core, &actor, &username, &meta).await;
    back_with(
        "/admin/users",
        r.map(|link| format!("reset_for={}&reset_link={}", enc(&username), enc(&link))),
    )
}

#[derive(Deserialize)]
pub struct QuotaForm {
    /// Empty: no quota.
    max_active_codes: String,
}

pub async fn set_quota(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<QuotaForm>,
) -> Response {
    let text = f.max_active_codes.trim();
    let value = if text.is_empty() {
        serde_json::Value::Null
    } else {
        match text.parse::<i64>() {
            Ok(n) => n.into(),
            Err(_) => serde_json::Value::String(text.to_string()),
        }
    };
    let input = admin::UpdateDivision {
        name: None,
        max_active_codes: Some(Some(value)),
    };
    let r = admin::update_division(&s.core, &actor, &slug, &input, &meta).await;
    back_with(
        "/admin/divisions",
        r.map(|d| format!("quota={}", enc(&d.slug))),
    )
}

pub async fn delete_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(slug): Path<String>,
) -> Response {
    let r = admin::delete_division(&s.core, &actor, &slug, &meta).await;
    back_with(
        "/admin/divisions",
        r.map(|()| format!("deleted={}", enc(&slug))),
    )
}

#[derive(Deserialize)]
pub struct CeilingsForm {
    staff: String,
    manager: String,
    admin: String,
}

#[derive(Deserialize)]
pub struct SignInForm {
    /// A checkbox: present when ticked.
    oidc_required: Option<String>,
}

/// `POST /admin/settings/sign-in`: whether managers and admins must use the identity provider.
pub async fn save_sign_in(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Form(f): Form<SignInForm>,
) -> Response {
    let r = async {
        let current = settings::get(&s.core, &actor).await?;
        let input = Settings {
            oidc_required: Some(f.oidc_required.is_some()),
            ..current
        };
        settings::put(&s.core, &actor, &input, &meta).await
    }
    .await;
    back_with("/admin/settings", r.map(|_| "saved=1".to_string()))
}

pub async fn save_settings(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Form(f): Form<CeilingsForm>,
) -> Response {
    let days = |v: &str, role: &str| {
        v.trim().parse::<i64>().map_err(|_| {
            DomainError::invalid(
                Field::MaxExpiryDays,
                format!("max_expiry_days.{role}: must be a whole number of days"),
            )
        })
    };
    let parsed = (|| {
        Ok::<_, DomainError>(ExpiryCeilings {
            staff: days(&f.staff, "staff")?,
            manager: days(&f.manager, "manager")?,
            admin: days(&f.admin, "admin")?,
        })
    })();
    let r = match parsed {
        Ok(max_expiry_days) => settings::put(
            &s.core,
            &actor,
            &Settings {
                max_expiry_days,
                oidc_required: None,
            },
            &meta,
        )
        .await
        .map(|_| "saved=1".to_string()),
        Err(e) => Err(e),
    };
    back_with("/admin/settings", r)
}

struct TokenForm {
    name: Option<String>,
    /// Checkboxes: `scope=invitations:read&scope=admin`, a repeated field.
    scope: Vec<String>,
    expires_at: Option<String>,
}

/// `POST /profile/tokens`. The secret is shown once, on the page the form returns to.
pub async fn create_token(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    body: axum::body::Bytes,
) -> Response {
    let Some(f) = token_form(&body) else {
        let e = DomainError::invalid(Field::Scopes, "scopes: the form could not be read");
        return back_with("/profile", Err(e));
    };
    let input = tokens::NewToken {
        name: f.name.filter(|n| !n.trim().is_empty()),
        scopes: Some(f.scope),
        expires_at: f.expires_at.filter(|e| !e.trim().is_empty()).map(|e| {
            // A date input sends a day; the token lives to the end of it (UTC).
            if e.len() == 10 {
                format!("{e}T23:59:59Z")
            } else {
                e
            }
        }),
    };
    let r = tokens::create(&s.core, &actor, &input, &meta).await;
    back_with(
        "/profile",
        r.map(|t| format!("new_token={}", enc(&t.token))),
    )
}

/// Reads a urlencoded form where a key may repeat (checkboxes).
fn token_form(body: &[u8]) -> Option<TokenForm> {
    let text = std::str::from_utf8(body).ok()?;
    let mut form = TokenForm {
        name: None,
        scope: Vec::new(),
        expires_at: None,
    };
    for (k, v) in crate::domain::query_string::decode(text) {
        match k.as_str() {
            "name" => form.name = Some(v),
            "scope" => form.scope.push(v),
            "expires_at" => form.expires_at = Some(v),
            _ => {}
        }
    }
    Some(form)
}

pub async fn revoke_token(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let r = match id.parse::<i64>() {
        Ok(id) => tokens::revoke(&s.core, &actor, id, &meta).await,
        Err(_) => Err(DomainError::NotFound),
    };
    back_with("/profile", r.map(|()| "token_revoked=1".to_string()))
}
