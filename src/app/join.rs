//! `/join`: a new hire enters (or follows a link with) a code, sees what it grants, and signs up.

use super::widgets::{form_error, query_param, FieldError, FormAlert, LocalTime};
use super::PublicLayout;
use crate::domain::password::strength;
use crate::server_fns::{domain_error, preview_code};
use leptos::prelude::*;
use leptos_meta::Title;

fn problem_text(code: &str) -> &'static str {
    match code {
        "code_expired" => "This invitation code has expired. Ask your manager for a new one.",
        "code_used" => "This invitation code has already been used.",
        "code_revoked" => "This invitation code has been revoked.",
        "code_suspended" => "This invitation code is suspended because its inviter no longer has authority to invite.",
        _ => "We could not find this invitation code. Check it and try again.",
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let code = query_param("code");
    let preview = Resource::new(
        move || code.get().filter(|c| !c.trim().is_empty()),
        |c| async move {
            match c {
                Some(c) => Some(preview_code(c).await),
                None => None,
            }
        },
    );
    view! {
        <Title text="Join"/>
        <PublicLayout>
            <div class="card narrow">
                <h1>"Join your organisation"</h1>
                <Suspense fallback=|| view! { <p class="muted">"Checking your code…"</p> }>
                    {move || Suspend::new(async move {
                        match preview.await {
                            None => view! { <CodeForm problem=None/> }.into_any(),
                            Some(Err(e)) => view! {
                                <div class="alert alert-error" role="alert">{domain_error(&e).to_string()}</div>
                                <CodeForm problem=None/>
                            }.into_any(),
                            Some(Ok(p)) if !p.check.valid => view! {
                                <CodeForm problem=Some(problem_text(p.problem.as_deref().unwrap_or("")))/>
                            }.into_any(),
                            Some(Ok(p)) => view! { <SignUp preview=p/> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </PublicLayout>
    }
}

#[component]
fn CodeForm(problem: Option<&'static str>) -> impl IntoView {
    let code = query_param("code");
    view! {
        <p class="muted">"Enter the invitation code you received. It looks like ABCD-EFGH-JKMN-PQRS."</p>
        <form method="get" action="/join" class="stack">
            <div class="field">
                <label for="code">"Invitation code"</label>
                <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters"
                    spellcheck="false" required class="code-input"
                    value=move || code.get().unwrap_or_default()
                    aria-invalid=problem.map(|_| "true") aria-describedby=problem.map(|_| "code-error")/>
                {problem.map(|p| view! { <p class="field-error" id="code-error" role="alert">{p}</p> })}
            </div>
            <button type="submit" class="btn btn-primary btn-block">"Continue"</button>
        </form>
        <p class="muted small">"Already have an account? " <a href="/login">"Log in"</a></p>
    }
}

#[component]
fn SignUp(preview: crate::domain::CodePreview) -> impl IntoView {
    let error = form_error();
    let username = query_param("username");
    let email = query_param("email");
    let password = RwSignal::new(String::new());
    let meter = move || {
        let p = password.get();
        let s = strength(&p);
        let (label, class) = match s {
            0 if p.is_empty() => ("Use at least 12 characters.", "meter meter-empty"),
            0 => ("Too short: at least 12 characters.", "meter meter-0"),
            1 => ("Weak: add length or variety.", "meter meter-1"),
            2 => ("Fair.", "meter meter-2"),
            3 => ("Good.", "meter meter-3"),
            _ => ("Strong.", "meter meter-4"),
        };
        view! { <p class=class id="password-hint" aria-live="polite">{label}</p> }
    };
    let bound = preview.check.email_bound;
    let invalid = move |f: &'static str| super::widgets::aria_invalid(error, f);
    let code = preview.code.clone().unwrap_or_default();
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title" class="sr-only">"Your invitation"</h2>
            <dl class="details">
                <dt>"Code"</dt><dd><code class="code">{code.clone()}</code></dd>
                <dt>"Division"</dt><dd>{preview.division_name.clone().or(preview.check.division.clone()).unwrap_or_else(|| "All divisions".into())}</dd>
                <dt>"Role"</dt><dd>{preview.check.role.map(|r| r.label()).unwrap_or("Staff")}</dd>
                <dt>"Invited by"</dt><dd>{preview.invited_by.clone().unwrap_or_default()}</dd>
                <dt>"Expires"</dt><dd>{preview.expires_at.map(|t| view! { <LocalTime at=t/> })}</dd>
                <dt>"Email"</dt><dd>{if bound { "Required: the address the invitation was sent to" } else { "Optional" }}</dd>
            </dl>
        </section>
        <FormAlert error=error fields=&["username", "password", "email"]/>
        <form method="post" action="/join" class="stack">
            <input type="hidden" name="code" value=code/>
            <div class="field">
                <label for="username">"Username"</label>
                <input id="username" name="username" type="text" autocomplete="username" required
                    autocapitalize="none" spellcheck="false" minlength="3" maxlength="32"
                    value=move || username.get().unwrap_or_default()
                    aria-invalid=invalid("username") aria-describedby="username-hint username-error"/>
                <p class="hint" id="username-hint">"3–32 characters: a–z, 0–9, dot, underscore or dash, starting with a letter."</p>
                <FieldError error=error field="username"/>
            </div>
            <div class="field">
                <label for="join-email">{if bound { "Email" } else { "Email (optional)" }}</label>
                <input id="join-email" name="email" type="email" autocomplete="email" required=bound
                    value=move || email.get().unwrap_or_default()
                    aria-invalid=invalid("email") aria-describedby="email-error"/>
                <FieldError error=error field="email"/>
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required
                    minlength="12" maxlength="128" aria-invalid=invalid("password")
                    aria-describedby="password-hint password-error"
                    on:input=move |ev| password.set(event_target_value(&ev))/>
                {meter}
                <FieldError error=error field="password"/>
            </div>
            <div class="field">
                <label for="password_confirm">"Confirm password"</label>
                <input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required/>
            </div>
            <button type="submit" class="btn btn-primary btn-block">"Create account"</button>
        </form>
    }
}
