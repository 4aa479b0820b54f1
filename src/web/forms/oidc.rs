//! Sign-in through the organisation's identity provider: `GET /auth/oidc/start` (from the
//! login page), `POST /join/oidc` (from the join page, with the code and the username), and
//! `GET /auth/oidc/callback` (where the provider sends the browser back).

use super::{enc, error_params, safe_next, with_cookie, SignedIn};
use crate::services::oidc::{self, Finished, Purpose};
use crate::web::{cookie_value, session_cookie, AppState, Meta};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

/// The browser that starts a sign-in keeps its state here until the callback (ten minutes,
/// sent only to `/auth/oidc`, and on the provider's top-level redirect back: `SameSite=Lax`).
const STATE_COOKIE: &str = "onboard_oidc";

fn state_cookie(s: &AppState, state: Option<&str>) -> HeaderValue {
    let secure = crate::web::secure_attr(&s.core);
    let v = match state {
        Some(st) => format!(
            "{STATE_COOKIE}={st}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600{secure}"
        ),
        None => {
            format!("{STATE_COOKIE}=; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
        }
    };
    HeaderValue::from_str(&v).expect("the state is URL-safe ASCII")
}

/// Off to the provider, the flow's state kept in the browser.
fn to_provider(s: &AppState, started: &oidc::Started) -> Response {
    with_cookie(
        Redirect::to(&started.url).into_response(),
        state_cookie(s, Some(&started.state)),
    )
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

pub async fn oidc_start(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Query(q): Query<StartQuery>,
) -> Response {
    let next = q.next.map(|n| safe_next(Some(&n), "/invitations"));
    match oidc::start(&s.core, Purpose::Login { next }, &meta).await {
        Ok(started) => to_provider(&s, &started),
        Err(e) => Redirect::to(&format!("/login?{}", error_params(&e))).into_response(),
    }
}

#[derive(Deserialize)]
pub struct JoinOidcForm {
    code: String,
    username: String,
}

pub async fn join_oidc(
    State(s): State<AppState>,
    Meta(meta): Meta,
    Form(f): Form<JoinOidcForm>,
) -> Response {
    let purpose = Purpose::Join {
        code: f.code.clone(),
        username: f.username.trim().to_string(),
    };
    match oidc::start(&s.core, purpose, &meta).await {
        Ok(started) => to_provider(&s, &started),
        Err(e) => Redirect::to(&format!(
            "/join?code={}&username={}&{}",
            enc(&f.code),
            enc(&f.username),
            error_params(&e)
        ))
        .into_response(),
    }
}

/// `POST /profile/oidc`: the signed-in person connects their account to the provider.
pub async fn link_oidc(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
) -> Response {
    let purpose = Purpose::Link {
        user_id: actor.user_id,
    };
    match oidc::start(&s.core, purpose, &meta).await {
        Ok(started) => to_provider(&s, &started),
        Err(e) => Redirect::to(&format!("/profile?oidc_error={}", enc(&e.code()))).into_response(),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
}

pub async fn oidc_callback(
    State(s): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let from_cookie = cookie_value(&headers, STATE_COOKIE);
    let r = oidc::finish(
        &s.core,
        q.state.as_deref().unwrap_or(""),
        from_cookie.as_deref(),
        q.code.as_deref(),
        &meta,
    )
    .await;
    let res = match r {
        Ok(Finished::LoggedIn { token, next, .. }) => with_cookie(
            Redirect::to(&safe_next(next.as_deref(), "/invitations")).into_response(),
            session_cookie(&s.core, Some(&token)),
        ),
        Ok(Finished::Joined { token, .. }) => with_cookie(
            Redirect::to("/profile?welcome=1").into_response(),
            session_cookie(&s.core, Some(&token)),
        ),
        Ok(Finished::Linked) => Redirect::to("/profile?oidc_linked=1").into_response(),
        Err(refused) if refused.linking => Redirect::to(&format!(
            "/profile?oidc_error={}",
            enc(&refused.error.code())
        ))
        .into_response(),
        Err(refused) => match refused.join_code {
            Some(code) => Redirect::to(&format!(
                "/join?code={}&{}",
                enc(&code),
                error_params(&refused.error)
            ))
            .into_response(),
            None => {
                Redirect::to(&format!("/login?{}", error_params(&refused.error))).into_response()
            }
        },
    };
    with_cookie(res, state_cookie(&s, None))
}
