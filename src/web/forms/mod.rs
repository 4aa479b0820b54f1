//! Plain HTML form posts (work without JavaScript). Each handler calls the same service as the
//! REST API and answers with a 303 redirect: to the next page on success, or back to the form
//! with the error and the user's input in the URL so nothing typed is lost.
//!
//! `session`: signing in and out, the language, redeeming a code; `invitations`: creating and
//! acting on codes, the audit download; `admin`: divisions, users, bulk onboarding;
//! `controls`: people, quotas, expiry ceilings and API tokens; `webhooks`: webhook endpoints.

mod admin;
mod controls;
mod invitations;
mod oidc;
mod session;
mod webhooks;

pub use admin::{
    bulk_codes, bulk_commit, bulk_stage, create_division, disable_user, rename_division,
};
pub use controls::{
    create_token, delete_division, enable_user, reset_user, revoke_token, save_settings,
    save_sign_in, set_quota, update_user,
};
pub use invitations::{audit_csv, create_invitation, invitation_action, invitations_csv};
pub use oidc::{join_oidc, link_oidc, oidc_callback, oidc_start};
pub use session::{join, login, logout, report_code, reset_password, set_language};
pub use webhooks::{create_webhook, webhook_action};

use super::{AppState, MaybeActor};
use crate::domain::DomainError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};

pub(super) use crate::domain::query_string::escape as enc;

/// A redirect target from the request (`next`, `back`): a path on this origin only, or the
/// default. Parsed as a URL against a placeholder origin, so whatever a browser would read as
/// another host (`//evil`, `/\\evil`, `/<TAB>/evil`, `https:evil`) is refused rather than
/// patched: browsers drop tabs and newlines and read backslashes as slashes, so any control
/// character, whitespace or backslash rejects the whole target.
pub fn safe_next(next: Option<&str>, default: &str) -> String {
    const BASE: &str = "http://onboard.invalid";
    let Some(n) = next else {
        return default.to_string();
    };
    let plain = n.starts_with('/')
        && !n.starts_with("//")
        && n.len() <= 2048
        && !n
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !plain {
        return default.to_string();
    }
    let Ok(base) = url::Url::parse(BASE) else {
        return default.to_string();
    };
    match base.join(n) {
        Ok(u) if u.origin() == base.origin() => {
            let mut out = u.path().to_string();
            if let Some(q) = u.query() {
                out.push('?');
                out.push_str(q);
            }
            if let Some(f) = u.fragment() {
                out.push('#');
                out.push_str(f);
            }
            // A path that the parser normalised into `//host` would be scheme-relative again.
            if out.starts_with("//") {
                default.to_string()
            } else {
                out
            }
        }
        _ => default.to_string(),
    }
}

/// The error as a form redirect carries it: its code, the field it is about and, for a rate
/// limit, the wait. The page words it from the message catalogue; no free text travels in the
/// URL, so a crafted link cannot make a page say anything.
pub(super) fn error_params(e: &DomainError) -> String {
    let field = e.field().map(|f| f.as_str()).unwrap_or("");
    let retry = match e {
        DomainError::RateLimited(secs) => format!("&retry={secs}"),
        _ => String::new(),
    };
    format!("error={}&field={field}{retry}", enc(&e.code()))
}

/// Back to a form's page: with what was done (`done`, e.g. `saved=1`), or with the error.
pub(super) fn back_with(page: &str, result: Result<String, DomainError>) -> Response {
    match result {
        Ok(done) => Redirect::to(&format!("{page}?{done}")).into_response(),
        Err(e) => Redirect::to(&format!("{page}?{}", error_params(&e))).into_response(),
    }
}

pub(super) fn with_cookie(mut res: Response, v: HeaderValue) -> Response {
    res.headers_mut().append(header::SET_COOKIE, v);
    res
}

/// The signed-in person behind a form post. Without a session the post is answered with the
/// login page, which comes back to the page the form belongs to.
pub struct SignedIn(pub crate::auth::Actor);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match MaybeActor::from_request_parts(parts, state).await {
            Ok(MaybeActor(Some(actor))) => Ok(SignedIn(actor)),
            Ok(MaybeActor(None)) => Err(Redirect::to(&format!(
                "/login?next={}",
                enc(&page_of(parts.uri.path()))
            ))
            .into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The page a form path belongs to: `/admin/bulk/7/commit` is on `/admin/bulk`,
/// `/invitations/3/revoke` on `/invitations`.
fn page_of(path: &str) -> String {
    let mut segments = path.trim_start_matches('/').split('/');
    match (segments.next(), segments.next()) {
        (Some("admin"), Some(section)) => format!("/admin/{section}"),
        (Some(first), _) if !first.is_empty() => format!("/{first}"),
        _ => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{page_of, safe_next};

    #[test]
    fn a_form_path_comes_back_to_its_page_after_login() {
        for (path, page) in [
            ("/invitations/new", "/invitations"),
            ("/invitations/12/revoke", "/invitations"),
            ("/audit/export.csv", "/audit"),
            ("/admin/bulk/4/commit", "/admin/bulk"),
            ("/admin/users/ana/disable", "/admin/users"),
            ("/", "/"),
        ] {
            assert_eq!(page_of(path), page, "{path}");
        }
    }

    #[test]
    fn redirect_targets_stay_on_this_origin() {
        let table: &[(&str, &str)] = &[
            ("/invitations?status=active", "/invitations?status=active"),
            ("/audit#top", "/audit#top"),
            ("/a/../b", "/b"),
            ("//evil.example", "/d"),
            ("/\\evil.example", "/d"),
            ("\\\\evil.example", "/d"),
            ("/\t/evil.example", "/d"),
            ("/\n/evil.example", "/d"),
            ("/\r//evil.example", "/d"),
            ("/ /evil.example", "/d"),
            ("/\u{0}x", "/d"),
            ("https://evil.example/", "/d"),
            ("http:evil.example", "/d"),
            ("javascript:alert(1)", "/d"),
            ("evil.example", "/d"),
            ("", "/d"),
            ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),
            ("/.//evil.example", "/d"),
            ("/\u{3000}/evil.example", "/d"),
        ];
        for (input, want) in table {
            assert_eq!(safe_next(Some(input), "/d"), *want, "input {input:?}");
        }
        assert_eq!(safe_next(None, "/d"), "/d");
    }
}
