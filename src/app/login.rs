//! `/login` and `/logout`.

use super::widgets::{form_error, query_param, FieldError, FormAlert};
use super::{set_status, Layout, PublicLayout};
use crate::i18n::use_lang;
use crate::server_fns::{reset_link_user, sign_in_provider};
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let error = form_error();
    let username = query_param("username");
    let next = query_param("next");
    let logged_out = query_param("logged_out");
    let reset = query_param("reset");
    if error.get_untracked().is_some() {
        set_status(401);
    }
    let lang = use_lang();
    let provider = crate::app::data::data(|| (), |_| sign_in_provider());
    let start = move || match next.get() {
        Some(n) => format!("/auth/oidc/start?next={}", urlencoding::encode(&n)),
        None => "/auth/oidc/start".to_string(),
    };
    view! {
        <Title text=t!(lang, "action-log-in")/>
        <PublicLayout>
            <div class="card narrow">
                <h1>{t!(lang, "login-title")}</h1>
                <p class="muted">{t!(lang, "login-subtitle")}</p>
                {move || logged_out.get().map(|_| view! {
                    <div class="alert alert-success" role="status">{t!(lang, "login-logged-out")}</div>
                })}
                {move || reset.get().map(|_| view! {
                    <div class="alert alert-success" role="status">{t!(lang, "login-password-reset")}</div>
                })}
                {move || error.get().map(|e| view! {
                    <div class="alert alert-error" role="alert" id="login-error">{e.message}</div>
                })}
                <form method="post" action="/login" class="stack">
                    <input type="hidden" name="next" value=move || next.get().unwrap_or_default()/>
                    <div class="field">
                        <label for="username">{t!(lang, "field-username")}</label>
                        <input id="username" name="username" type="text" autocomplete="username" required
                            autocapitalize="none" spellcheck="false"
                            value=move || username.get().unwrap_or_default()
                            aria-describedby=move || error.get().map(|_| "login-error")/>
                    </div>
                    <div class="field">
                        <label for="password">{t!(lang, "field-password")}</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    </div>
                    <button type="submit" class="btn btn-primary btn-block">{t!(lang, "action-log-in")}</button>
                </form>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        provider.await.ok().flatten().map(|name| view! {
                            <p class="divider muted small"><span>{t!(lang, "login-or")}</span></p>
                            <a class="btn btn-block" rel="external" href=start>{t!(lang, "login-with-provider", name = name)}</a>
                        })
                    })}
                </Transition>
                <p class="muted small">{t!(lang, "login-new-here")}" "
                    <a href="/join">{t!(lang, "login-enter-code")}</a>"."</p>
            </div>
        </PublicLayout>
    }
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "action-log-out")/>
        <Layout let:_viewer>
            <div class="card narrow">
                <h1>{t!(lang, "action-log-out")}</h1>
                <p>{t!(lang, "logout-question")}</p>
                <form method="post" action="/logout">
                    <button type="submit" class="btn btn-primary">{t!(lang, "action-log-out")}</button>
                </form>
            </div>
        </Layout>
    }
}

/// `/reset/{token}`: the one-time link an admin handed out; the person chooses a new password.
#[component]
pub fn ResetPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token").unwrap_or_default()));
    let user = crate::app::data::data(move || token.get(), reset_link_user);
    let error = form_error();
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "reset-title")/>
        <PublicLayout>
            <div class="card narrow">
                <h1>{t!(lang, "reset-title")}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Err(_) => {
                                set_status(404);
                                view! {
                                    <div class="alert alert-error" role="alert">{t!(lang, "reset-invalid")}</div>
                                    <p class="muted">{t!(lang, "reset-ask-admin")}</p>
                                    <a class="btn" href="/login">{t!(lang, "action-log-in")}</a>
                                }.into_any()
                            }
                            Ok(username) => view! {
                                <p class="muted">{t!(lang, "reset-for", username = username.clone())}</p>
                                <FormAlert error=error fields=&["password"]/>
                                <form method="post" action=move || format!("/reset/{}", token.get()) class="stack">
                                    <input type="text" name="username" autocomplete="username" value=username hidden/>
                                    <div class="field">
                                        <label for="password">{t!(lang, "field-new-password")}</label>
                                        <input id="password" name="password" type="password" autocomplete="new-password"
                                            required minlength="12"
                                            aria-describedby="password-help password-error"/>
                                        <p class="help" id="password-help">{t!(lang, "reset-password-help")}</p>
                                        <FieldError error=error field="password"/>
                                    </div>
                                    <div class="field">
                                        <label for="password_confirm">{t!(lang, "join-confirm-password")}</label>
                                        <input id="password_confirm" name="password_confirm" type="password"
                                            autocomplete="new-password" required/>
                                    </div>
                                    <button type="submit" class="btn btn-primary btn-block">{t!(lang, "reset-submit")}</button>
                                </form>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </PublicLayout>
    }
}
