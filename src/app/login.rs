//! `/login` and `/logout`.

use super::widgets::{form_error, query_param};
use super::{set_status, Layout, PublicLayout};
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
    view! {
        <Title text="Log in"/>
        <PublicLayout>
            <div class="card narrow">
                <h1>"Log in to onboard"</h1>
                <p class="muted">"Manage your division's invitation codes."</p>
                {move || logged_out.get().map(|_| view! {
                    <div class="alert alert-success" role="status">"You have been logged out."</div>
                })}
                {move || error.get().map(|e| view! {
                    <div class="alert alert-error" role="alert" id="login-error">{e.message}</div>
                })}
                <form method="post" action="/login" class="stack">
                    <input type="hidden" name="next" value=move || next.get().unwrap_or_default()/>
                    <div class="field">
                        <label for="username">"Username"</label>
                        <input id="username" name="username" type="text" autocomplete="username" required
                            autocapitalize="none" spellcheck="false"
                            value=move || username.get().unwrap_or_default()
                            aria-describedby=move || error.get().map(|_| "login-error")/>
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    </div>
                    <button type="submit" class="btn btn-primary btn-block">"Log in"</button>
                </form>
                <p class="muted small">"New here? Use the invitation link your manager sent you, or "
                    <a href="/join">"enter an invitation code"</a>"."</p>
            </div>
        </PublicLayout>
    }
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    view! {
        <Title text="Log out"/>
        <Layout>
            <div class="card narrow">
                <h1>"Log out"</h1>
                <p>"End your session on this device?"</p>
                <form method="post" action="/logout">
                    <button type="submit" class="btn btn-primary">"Log out"</button>
                </form>
            </div>
        </Layout>
    }
}
