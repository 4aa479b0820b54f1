//! `/login` and `/logout`.

use super::widgets::{form_error, query_param};
use super::{set_status, Layout, PublicLayout};
use crate::i18n::use_lang;
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let error = form_error();
    let username = query_param("username");
    let next = query_param("next");
    let logged_out = query_param("logged_out");
    if error.get_untracked().is_some() {
        set_status(401);
    }
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "action-log-in")/>
        <PublicLayout>
            <div class="card narrow">
                <h1>{t!(lang, "login-title")}</h1>
                <p class="muted">{t!(lang, "login-subtitle")}</p>
                {move || logged_out.get().map(|_| view! {
                    <div class="alert alert-success" role="status">{t!(lang, "login-logged-out")}</div>
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
