//! `/join`: a new hire enters (or follows a link with) a code, sees what it grants, and signs up.

use super::widgets::{form_error, query_param, FieldError, FormAlert, LocalTime};
use super::PublicLayout;
use crate::domain::password::strength;
use crate::domain::Lang;
use crate::i18n::{domain_error_text, role_label, use_lang};
use crate::server_fns::preview_code;
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;

fn problem_text(lang: Lang, code: &str) -> String {
    match code {
        "code_expired" => t!(lang, "join-problem-expired"),
        "code_used" => t!(lang, "error-code_used"),
        "code_revoked" => t!(lang, "error-code_revoked"),
        "code_suspended" => t!(lang, "error-code_suspended"),
        _ => t!(lang, "join-problem-not-found"),
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let code = query_param("code");
    let reported = query_param("reported");
    let preview = crate::app::data::data(
        move || code.get().filter(|c| !c.trim().is_empty()),
        |c| async move {
            match c {
                Some(c) => Some(preview_code(c).await),
                None => None,
            }
        },
    );
    // Created here, outside the Suspense, so hydration finds its serialised value.
    let provider = crate::app::data::data(|| (), |_| crate::server_fns::sign_in_provider());
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "join-page-title")/>
        <PublicLayout>
            <div class="card narrow">
                <h1>{t!(lang, "join-title")}</h1>
                {move || reported.get().map(|_| view! {
                    <div class="alert alert-success" role="status">{t!(lang, "join-reported")}</div>
                })}
                <Suspense fallback=move || view! { <p class="muted">{t!(lang, "join-checking")}</p> }>
                    {move || Suspend::new(async move {
                        let provider = provider.await.ok().flatten();
                        match preview.await {
                            None => view! { <CodeForm problem=None/> }.into_any(),
                            Some(Err(e)) => view! {
                                <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div>
                                <CodeForm problem=None/>
                            }.into_any(),
                            Some(Ok(p)) if !p.check.valid => view! {
                                <CodeForm problem=Some(problem_text(lang, p.problem.as_deref().unwrap_or("")))/>
                            }.into_any(),
                            Some(Ok(p)) => view! { <SignUp preview=p provider=provider/> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </PublicLayout>
    }
}

#[component]
fn CodeForm(problem: Option<String>) -> impl IntoView {
    let code = query_param("code");
    let lang = use_lang();
    let has_problem = problem.is_some();
    view! {
        <p class="muted">{t!(lang, "join-enter-code")}</p>
        <form method="get" action="/join" class="stack">
            <div class="field">
                <label for="code">{t!(lang, "join-code-label")}</label>
                <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters"
                    spellcheck="false" required class="code-input"
                    value=move || code.get().unwrap_or_default()
                    aria-invalid=has_problem.then_some("true") aria-describedby=has_problem.then_some("code-error")/>
                {problem.map(|p| view! { <p class="field-error" id="code-error" role="alert">{p}</p> })}
            </div>
            <button type="submit" class="btn btn-primary btn-block">{t!(lang, "action-continue")}</button>
        </form>
        <p class="muted small">{t!(lang, "join-have-account")}" " <a href="/login">{t!(lang, "action-log-in")}</a></p>
    }
}

#[component]
fn SignUp(preview: crate::domain::CodePreview, provider: Option<String>) -> impl IntoView {
    let error = form_error();
    let username = query_param("username");
    let email = query_param("email");
    let password = RwSignal::new(String::new());
    let lang = use_lang();
    let meter = move || {
        let p = password.get();
        let s = strength(&p);
        let (label, class) = match s {
            0 if p.is_empty() => (t!(lang, "meter-empty"), "meter meter-empty"),
            0 => (t!(lang, "meter-short"), "meter meter-0"),
            1 => (t!(lang, "meter-weak"), "meter meter-1"),
            2 => (t!(lang, "meter-fair"), "meter meter-2"),
            3 => (t!(lang, "meter-good"), "meter meter-3"),
            _ => (t!(lang, "meter-strong"), "meter meter-4"),
        };
        view! { <p class=class id="password-hint" aria-live="polite">{label}</p> }
    };
    let bound = preview.check.email_bound;
    let invalid = move |f: &'static str| super::widgets::aria_invalid(error, f);
    let code = preview.code.clone().unwrap_or_default();
    let division_label = preview
        .division_name
        .clone()
        .or(preview.check.division.clone())
        .unwrap_or_default();
    let inviter = match preview.inviter_role {
        Some(crate::domain::Role::Manager) => {
            t!(lang, "join-inviter-manager", division = division_label)
        }
        Some(crate::domain::Role::Admin) => t!(lang, "join-inviter-admin"),
        _ => t!(lang, "join-inviter-someone"),
    };
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title" class="sr-only">{t!(lang, "join-your-invitation")}</h2>
            <dl class="details">
                <dt>{t!(lang, "col-code")}</dt><dd><code class="code">{code.clone()}</code></dd>
                <dt>{t!(lang, "field-division")}</dt><dd>{preview.division_name.clone().or(preview.check.division.clone()).unwrap_or_else(|| t!(lang, "all-divisions"))}</dd>
                <dt>{t!(lang, "field-role")}</dt><dd>{role_label(lang, preview.check.role.unwrap_or(crate::domain::Role::Staff))}</dd>
                <dt>{t!(lang, "join-invited-by")}</dt><dd>{inviter}</dd>
                <dt>{t!(lang, "field-expires")}</dt><dd>{preview.expires_at.map(|t| view! { <LocalTime at=t/> })}</dd>
                <dt>{t!(lang, "field-email")}</dt><dd>{if bound { t!(lang, "join-email-required") } else { t!(lang, "join-email-optional") }}</dd>
            </dl>
        </section>
        <FormAlert error=error fields=&["username", "password", "email"]/>
        <form method="post" action="/join" class="stack">
            <input type="hidden" name="code" value=code.clone()/>
            <div class="field">
                <label for="username">{t!(lang, "field-username")}</label>
                <input id="username" name="username" type="text" autocomplete="username" required
                    autocapitalize="none" spellcheck="false" minlength="3" maxlength="32"
                    value=move || username.get().unwrap_or_default()
                    aria-invalid=invalid("username") aria-describedby="username-hint username-error"/>
                <p class="hint" id="username-hint">{t!(lang, "join-username-hint")}</p>
                <FieldError error=error field="username"/>
            </div>
            <div class="field">
                <label for="join-email">{if bound { t!(lang, "field-email") } else { t!(lang, "join-email-label-optional") }}</label>
                <input id="join-email" name="email" type="email" autocomplete="email" required=bound
                    value=move || email.get().unwrap_or_default()
                    aria-invalid=invalid("email") aria-describedby="email-error"/>
                <FieldError error=error field="email"/>
            </div>
            <div class="field">
                <label for="password">{t!(lang, "field-password")}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required
                    minlength="12" maxlength="128" aria-invalid=invalid("password")
                    aria-describedby="password-hint password-error"
                    on:input=move |ev| password.set(event_target_value(&ev))/>
                {meter}
                <FieldError error=error field="password"/>
            </div>
            <div class="field">
                <label for="password_confirm">{t!(lang, "join-confirm-password")}</label>
                <input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required/>
            </div>
            <button type="submit" class="btn btn-primary btn-block">{t!(lang, "join-create-account")}</button>
            {provider.map(|name| view! {
                <p class="divider muted small"><span>{t!(lang, "login-or")}</span></p>
                <button type="submit" class="btn btn-block" formaction="/join/oidc" formnovalidate=true
                    aria-describedby="join-oidc-hint">{t!(lang, "join-with-provider", name = name.clone())}</button>
                <p class="hint" id="join-oidc-hint">{t!(lang, "join-with-provider-hint", name = name)}</p>
            })}
        </form>
        <form method="post" action="/join/report" class="not-me">
            <input type="hidden" name="code" value=code.clone()/>
            <p class="muted small">{t!(lang, "join-not-me-question")}" "
                <button type="submit" class="btn-link">{t!(lang, "join-not-me")}</button></p>
        </form>
    }
}
