//! Signing in and out, choosing the language, and redeeming a code on `/join`.

use super::{enc, error_params, safe_next, with_cookie};
use crate::domain::DomainError;
use crate::services::{self, redeem};
use crate::web::{session_cookie, AppState, MaybeActor, Meta};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

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
        crate::web::lang_cookie(&s.core, lang),
    )
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
        oidc_subject: None,
    };
    match redeem::redeem(&s.core, &req, &meta).await {
        Ok(done) => with_cookie(
            Redirect::to("/profile?welcome=1").into_response(),
            session_cookie(&s.core, Some(&done.token)),
        ),
        Err(e) => Redirect::to(&format!("/join?{keep}&{}", error_params(&e))).into_response(),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    password: String,
    password_confirm: String,
}

/// `POST /reset/{token}`: sets the new password through a one-time link, then the login page.
pub async fn reset_password(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> Response {
    match crate::services::people::reset_password(
        &s.core,
        &token,
        &f.password,
        &f.password_confirm,
        &meta,
    )
    .await
    {
        Ok(_) => Redirect::to("/login?reset=1").into_response(),
        Err(e) => Redirect::to(&format!(
            "/reset/{}?{}",
            enc(token.trim()),
            error_params(&e)
        ))
        .into_response(),
    }
}

#[derive(Deserialize)]
pub struct ReportForm {
    code: String,
}

/// `POST /join/report`: "This invitation isn't for me", without JavaScript.
pub async fn report_code(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Form(f): Form<ReportForm>,
) -> Response {
    match redeem::report(&s.core, &f.code, &meta).await {
        Ok(()) => Redirect::to("/join?reported=1").into_response(),
        Err(e) => Redirect::to(&format!("/join?code={}&{}", enc(&f.code), error_params(&e)))
            .into_response(),
    }
}
