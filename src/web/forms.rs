//! Plain HTML form posts (work without JavaScript). Each handler calls the same service as the
//! REST API and answers with a 303 redirect: to the next page on success, or back to the form
//! with the error and the user's input in the URL so nothing typed is lost.

use super::{session_cookie, AppState, MaybeActor, Meta};
use crate::domain::DomainError;
use crate::services::{self, invitations, redeem};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

fn enc(s: &str) -> String {
    urlencoding::encode(s).into_owned()
}

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
fn error_params(e: &DomainError) -> String {
    let field = e.field().map(|f| f.as_str()).unwrap_or("");
    let retry = match e {
        DomainError::RateLimited(secs) => format!("&retry={secs}"),
        _ => String::new(),
    };
    format!("error={}&field={field}{retry}", enc(&e.code()))
}

fn with_cookie(mut res: Response, v: HeaderValue) -> Response {
    res.headers_mut().append(header::SET_COOKIE, v);
    res
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Form(f): Form<LoginForm>,
) -> Response {
    match services::auth::login(&s.core, &f.username, &f.password, &meta).await {
        Ok(done) => with_cookie(
            Redirect::to(&safe_next(f.next.as_deref(), "/invitations")).into_response(),
            session_cookie(&s.core, Some(&done.token)),
        ),
        Err(e) => {
            let next = f
                .next
                .map(|n| format!("&next={}", enc(&n)))
                .unwrap_or_default();
            Redirect::to(&format!(
                "/login?{}&username={}{next}",
                error_params(&e),
                enc(&f.username)
            ))
            .into_response()
        }
    }
}

pub async fn logout(
    State(s): State<AppState>,
    Meta(meta): Meta,
    MaybeActor(actor): MaybeActor,
) -> Response {
    if let Some(actor) = actor {
        if let Err(e) = services::auth::logout(&s.core, &actor, &meta).await {
            tracing::warn!(error = %e, "logout failed");
        }
    }
    with_cookie(
        Redirect::to("/login?logged_out=1").into_response(),
        session_cookie(&s.core, None),
    )
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: Option<String>,
    next: Option<String>,
}

/// The language switcher: remembers the choice for a year and goes back to the page, which
/// the server then renders in that language. Anyone may switch, signed in or not.
pub async fn set_language(State(s): State<AppState>, Form(f): Form<LanguageForm>) -> Response {
    let Some(lang) = f.lang.as_deref().and_then(crate::domain::Lang::parse) else {
        return (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Unknown language: choose en (English) or id (Bahasa Indonesia).",
        )
            .into_response();
    };
    with_cookie(
        Redirect::to(&safe_next(f.next.as_deref(), "/")).into_response(),
        super::lang_cookie(&s.core, lang),
    )
}

#[derive(Deserialize)]
pub struct CreateForm {
    email: Option<String>,
    role: Option<String>,
    division: Option<String>,
    expires_at: Option<String>,
    /// Minutes east of UTC of the browser (set by script; empty without JS = UTC).
    tz_offset: Option<String>,
    back: Option<String>,
}

pub async fn create_invitation(
    State(s): State<AppState>,
    Meta(meta): Meta,
    MaybeActor(actor): MaybeActor,
    Form(f): Form<CreateForm>,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/invitations").into_response();
    };
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
    };
    let back = safe_next(f.back.as_deref(), "/invitations");
    let sep = if back.contains('?') { '&' } else { '?' };
    match invitations::create(&s.core, &actor, &input, offset, &meta).await {
        Ok(inv) => Redirect::to(&format!("{back}{sep}created={}", inv.id)).into_response(),
        Err(e) => Redirect::to(&format!(
            "{back}{sep}create=1&{}&email={}&role={}&division={}&expires_at={}",
            error_params(&e),
            enc(f.email.as_deref().unwrap_or("")),
            enc(f.role.as_deref().unwrap_or("")),
            enc(f.division.as_deref().unwrap_or("")),
            enc(f.expires_at.as_deref().unwrap_or("")),
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
}

/// Copy/revoke/delete (and edit, from the detail page) without JavaScript.
pub async fn invitation_action(
    State(s): State<AppState>,
    Meta(meta): Meta,
    MaybeActor(actor): MaybeActor,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/invitations").into_response();
    };
    let default_back = if action == "edit" {
        format!("/invitations/{id}")
    } else {
        "/invitations".into()
    };
    let back = safe_next(f.back.as_deref(), &default_back);
    let sep = if back.contains('?') { '&' } else { '?' };
    let Ok(id) = id.parse::<i64>() else {
        return Redirect::to(&format!(
            "{back}{sep}{}",
            error_params(&DomainError::NotFound)
        ))
        .into_response();
    };
    let result = match action.as_str() {
        "copy" => invitations::copy(&s.core, &actor, id, &meta)
            .await
            .map(|_| "copied"),
        "revoke" => invitations::revoke(&s.core, &actor, id, &meta)
            .await
            .map(|_| "revoked"),
        "delete" => invitations::delete(&s.core, &actor, id, &meta)
            .await
            .map(|_| "deleted"),
        "resend" => crate::services::outbox::resend(&s.core, &actor, id, &meta)
            .await
            .map(|_| "resent"),
        "edit" => {
            let input = invitations::UpdateInvitation {
                email: Some(f.email.clone()),
                expires_at: f.expires_at.clone().filter(|e| !e.trim().is_empty()),
            };
            invitations::update(&s.core, &actor, id, &input, &meta)
                .await
                .map(|_| "updated")
        }
        _ => Err(DomainError::NotFound),
    };
    match result {
        Ok(done) => Redirect::to(&format!("{back}{sep}{done}={id}")).into_response(),
        Err(e) => Redirect::to(&format!("{back}{sep}{}", error_params(&e))).into_response(),
    }
}

#[derive(Deserialize)]
pub struct JoinForm {
    code: String,
    username: String,
    password: String,
    password_confirm: Option<String>,
    email: Option<String>,
}

pub async fn join(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Form(f): Form<JoinForm>,
) -> Response {
    let keep = format!(
        "code={}&username={}&email={}",
        enc(&f.code),
        enc(&f.username),
        enc(f.email.as_deref().unwrap_or(""))
    );
    if f.password_confirm
        .as_deref()
        .is_some_and(|c| c != f.password)
    {
        let e = DomainError::PasswordMismatch;
        return Redirect::to(&format!("/join?{keep}&{}", error_params(&e))).into_response();
    }
    let req = redeem::RedeemRequest {
        code: f.code.clone(),
        username: f.username.clone(),
        password: f.password.clone(),
        email: f.email.clone(),
    };
    match redeem::redeem(&s.core, &req, &meta).await {
        Ok(done) => with_cookie(
            Redirect::to("/profile?welcome=1").into_response(),
            session_cookie(&s.core, Some(&done.token)),
        ),
        Err(e) => Redirect::to(&format!("/join?{keep}&{}", error_params(&e))).into_response(),
    }
}

/// `GET /audit/export.csv?...`: the audit page's download button (cookie-authenticated).
pub async fn audit_csv(
    State(s): State<AppState>,
    MaybeActor(actor): MaybeActor,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/audit").into_response();
    };
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
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
        Err(e) => super::ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct DivisionForm {
    slug: String,
    name: String,
}

pub async fn create_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    MaybeActor(actor): MaybeActor,
    Form(f): Form<DivisionForm>,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/admin/divisions").into_response();
    };
    let input = services::admin::NewDivision {
        slug: f.slug.clone(),
        name: f.name.clone(),
    };
    match services::admin::create_division(&s.core, Some(&actor), &input, &meta).await {
        Ok(d) => {
            Redirect::to(&format!("/admin/divisions?created={}", enc(&d.slug))).into_response()
        }
        Err(e) => Redirect::to(&format!(
            "/admin/divisions?{}&slug={}&name={}",
            error_params(&e),
            enc(&f.slug),
            enc(&f.name)
        ))
        .into_response(),
    }
}

pub async fn disable_user(
    State(s): State<AppState>,
    Meta(meta): Meta,
    MaybeActor(actor): MaybeActor,
    Path(username): Path<String>,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/admin/users").into_response();
    };
    match services::admin::disable_user(&s.core, &actor, &username, &meta).await {
        Ok(u) => {
            Redirect::to(&format!("/admin/users?disabled={}", enc(&u.username))).into_response()
        }
        Err(e) => Redirect::to(&format!("/admin/users?{}", error_params(&e))).into_response(),
    }
}

/// `POST /admin/bulk` (multipart): a CSV file or pasted CSV is staged, then checked row by row.
pub async fn bulk_stage(
    State(s): State<AppState>,
    MaybeActor(actor): MaybeActor,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/admin/bulk").into_response();
    };
    let mut filename = None;
    let mut file = String::new();
    let mut pasted = String::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            filename = field
                .file_name()
                .map(str::to_string)
                .filter(|f| !f.is_empty());
        }
        let Ok(text) = field.text().await else {
            let e = DomainError::invalid(
                crate::domain::Field::File,
                "file: could not read the upload as UTF-8 text",
            );
            return Redirect::to(&format!("/admin/bulk?{}", error_params(&e))).into_response();
        };
        match name.as_str() {
            "file" => file = text,
            "csv" => pasted = text,
            _ => {}
        }
    }
    let csv = if file.trim().is_empty() { pasted } else { file };
    match services::bulk::stage(&s.core, &actor, filename, csv).await {
        Ok(id) => Redirect::to(&format!("/admin/bulk?upload={id}")).into_response(),
        Err(e) => Redirect::to(&format!("/admin/bulk?{}", error_params(&e))).into_response(),
    }
}

pub async fn bulk_commit(
    State(s): State<AppState>,
    Meta(meta): Meta,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<i64>,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/admin/bulk").into_response();
    };
    match services::bulk::commit(&s.core, &actor, id, &meta).await {
        Ok(_) => Redirect::to(&format!("/admin/bulk?upload={id}")).into_response(),
        Err(e) => {
            Redirect::to(&format!("/admin/bulk?upload={id}&{}", error_params(&e))).into_response()
        }
    }
}

/// `GET /admin/bulk/{id}/codes.csv`: the committed batch's codes.
pub async fn bulk_codes(
    State(s): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<i64>,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/admin/bulk").into_response();
    };
    let result = async {
        let p = services::bulk::preview(&s.core, &actor, id).await?;
        services::bulk::codes_csv(&p.created)
    }
    .await;
    match result {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"onboard-codes.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) => super::ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
}

pub async fn rename_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    MaybeActor(actor): MaybeActor,
    Path(slug): Path<String>,
    Form(f): Form<RenameForm>,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to("/login?next=/admin/divisions").into_response();
    };
    let input = services::admin::RenameDivision { name: f.name };
    match services::admin::rename_division(&s.core, &actor, &slug, &input, &meta).await {
        Ok(d) => {
            Redirect::to(&format!("/admin/divisions?renamed={}", enc(&d.slug))).into_response()
        }
        Err(e) => Redirect::to(&format!("/admin/divisions?{}", error_params(&e))).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

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
