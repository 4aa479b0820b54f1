//! The controls pages and sections: `/admin/settings` (expiry ceilings), the API tokens on the
//! profile page, and the per-row forms of the people and divisions tables.

use super::widgets::{form_error, query_param, FieldError, FormAlert, LocalTime};
use super::{AdminOnly, Layout};
use crate::domain::policy::Scope;
use crate::domain::{Action, Division, Role, User, Viewer};
use crate::i18n::{domain_error_text, role_label, use_lang};
use crate::server_fns::{get_settings, my_tokens};
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = crate::app::data::data(|| (), |_| get_settings());
    // Created outside the Suspend below so hydration finds its serialised value.
    let provider = crate::app::data::data(|| (), |_| crate::server_fns::sign_in_provider());
    let error = form_error();
    let saved = query_param("saved");
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "nav-settings")/>
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ManageSettings>
                <h1>{t!(lang, "nav-settings")}</h1>
                {move || saved.get().map(|_| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-settings-saved")}</div> })}
                <FormAlert error=error fields=&["max_expiry_days"]/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let provider = provider.await.ok().flatten();
                        match settings.await {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any(),
                            Ok(s) => {
                                let c = s.max_expiry_days;
                                view! {
                                    <section class="card" aria-labelledby="ceilings-title">
                                        <h2 id="ceilings-title">{t!(lang, "settings-ceilings-title")}</h2>
                                        <p class="muted">{t!(lang, "settings-ceilings-help")}</p>
                                        <form method="post" action="/admin/settings" class="filters">
                                            {[(Role::Staff, c.staff), (Role::Manager, c.manager), (Role::Admin, c.admin)].into_iter().map(|(role, days)| {
                                                let id = format!("ceiling-{}", role.as_str());
                                                view! {
                                                    <div class="field">
                                                        <label for=id.clone()>{t!(lang, "settings-ceiling-for", role = role_label(lang, role))}</label>
                                                        <input id=id name=role.as_str() type="number" min="1" max="3650" step="1" required value=days.to_string()
                                                            aria-describedby="max_expiry_days-error"/>
                                                    </div>
                                                }
                                            }).collect_view()}
                                            <button type="submit" class="btn btn-primary">{t!(lang, "action-save")}</button>
                                        </form>
                                        <FieldError error=error field="max_expiry_days"/>
                                    </section>
                                    <SignInSection required=s.oidc_required.unwrap_or(false) provider=provider/>
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
            </AdminOnly>
        </Layout>
    }
}

/// Whether managers and admins must sign in through the identity provider.
#[component]
fn SignInSection(required: bool, provider: Option<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-labelledby="signin-title">
            <h2 id="signin-title">{t!(lang, "settings-signin-title")}</h2>
            {match provider {
                None => view! { <p class="muted">{t!(lang, "settings-oidc-off")}</p> }.into_any(),
                Some(name) => view! {
                    <form method="post" action="/admin/settings/sign-in" class="stack">
                        <div class="field">
                            <label class="check" for="oidc-required">
                                <input id="oidc-required" type="checkbox" name="oidc_required" value="on" checked=required
                                    aria-describedby="oidc-required-hint"/>
                                " " {t!(lang, "settings-oidc-required", name = name)}
                            </label>
                            <p class="hint" id="oidc-required-hint">{t!(lang, "settings-oidc-required-hint")}</p>
                        </div>
                        <div><button type="submit" class="btn btn-primary">{t!(lang, "settings-signin-save")}</button></div>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// The profile page's API tokens: made with scopes and an optional expiry, the secret shown
/// once, listed with their last use, revoked.
#[component]
pub fn TokensSection(viewer: Viewer) -> impl IntoView {
    let lang = use_lang();
    let may = viewer.may(Action::ManageTokens);
    let tokens = crate::app::data::data(|| (), |_| my_tokens());
    let error = form_error();
    let new_token = query_param("new_token");
    let revoked = query_param("token_revoked");
    let scopes: Vec<Scope> = Scope::ALL
        .into_iter()
        .filter(|s| *s != Scope::Admin || viewer.user.role == Role::Admin)
        .collect();
    let everyone = viewer.user.role == Role::Admin;
    may.then(|| view! {
        <section class="card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{t!(lang, "tokens-title")}</h2>
            <p class="muted">{t!(lang, "tokens-help")}</p>
            {move || new_token.get().map(|t| view! {
                <div class="alert alert-success" role="status">
                    <p>{t!(lang, "tokens-created")}</p>
                    <label class="sr-only" for="new-token">{t!(lang, "tokens-secret")}</label>
                    <input id="new-token" class="secret" type="text" readonly value=t/>
                </div>
            })}
            {move || revoked.get().map(|_| view! { <div class="alert alert-success" role="status">{t!(lang, "tokens-revoked")}</div> })}
            <FormAlert error=error fields=&["scopes", "name", "expires_at"]/>
            <form method="post" action="/profile/tokens" class="stack">
                <div class="field">
                    <label for="token-name">{t!(lang, "tokens-name")}</label>
                    <input id="token-name" name="name" type="text" maxlength="80" aria-describedby="name-error"/>
                    <FieldError error=error field="name"/>
                </div>
                <fieldset class="field" aria-describedby="scopes-error">
                    <legend>{t!(lang, "tokens-scopes")}</legend>
                    {scopes.into_iter().map(|s| {
                        let id = format!("scope-{}", s.as_str().replace(':', "-"));
                        let for_id = id.clone();
                        view! {
                            <label class="check" for=for_id>
                                <input id=id type="checkbox" name="scope" value=s.as_str() checked=s == Scope::InvitationsRead/>
                                " " <code>{s.as_str()}</code> " — " {scope_label(s)}
                            </label>
                        }
                    }).collect_view()}
                    <FieldError error=error field="scopes"/>
                </fieldset>
                <div class="field">
                    <label for="token-expires">{t!(lang, "tokens-expires")}</label>
                    <input id="token-expires" name="expires_at" type="date" aria-describedby="token-expires-hint expires_at-error"/>
                    <p class="hint" id="token-expires-hint">{t!(lang, "tokens-expires-hint")}</p>
                    <FieldError error=error field="expires_at"/>
                </div>
                <div><button type="submit" class="btn btn-primary">{t!(lang, "tokens-create")}</button></div>
            </form>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <super::widgets::EmptyState message=t!(lang, "tokens-none") hint=t!(lang, "tokens-none-hint")/> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap"><table class="table table-cards">
                                <caption class="sr-only">{t!(lang, "tokens-title")}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(lang, "tokens-name")}</th>
                                    {everyone.then(|| view! { <th scope="col">{t!(lang, "tokens-owner")}</th> })}
                                    <th scope="col">{t!(lang, "tokens-scopes")}</th>
                                    <th scope="col">{t!(lang, "tokens-expires")}</th>
                                    <th scope="col">{t!(lang, "tokens-last-used")}</th>
                                    <th scope="col">{t!(lang, "col-actions")}</th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(|t| view! {
                                    <tr>
                                        <td data-label=t!(lang, "tokens-name")>{t.name.clone()}</td>
                                        {everyone.then(|| view! { <td data-label=t!(lang, "tokens-owner")>{t.owner.clone()}</td> })}
                                        <td data-label=t!(lang, "tokens-scopes")>{t.scopes.join(", ")}</td>
                                        <td data-label=t!(lang, "tokens-expires")>{match t.expires_at { Some(at) => view! { <LocalTime at=at/> }.into_any(), None => t!(lang, "tokens-never").into_any() }}</td>
                                        <td data-label=t!(lang, "tokens-last-used")>{match t.last_used_at { Some(at) => view! { <LocalTime at=at/> }.into_any(), None => "—".into_any() }}</td>
                                        <td class="actions" data-label=t!(lang, "col-actions")>{if t.revoked {
                                            view! { <span class="badge badge-revoked">{t!(lang, "status-revoked")}</span> }.into_any()
                                        } else {
                                            view! {
                                                <form method="post" action=format!("/profile/tokens/{}/revoke", t.id) class="inline">
                                                    <button type="submit" class="btn btn-small btn-danger">{t!(lang, "action-revoke")}<span class="sr-only">" " {t.name.clone()}</span></button>
                                                </form>
                                            }.into_any()
                                        }}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table></div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    })
}

fn scope_label(s: Scope) -> String {
    let lang = use_lang();
    match s {
        Scope::InvitationsRead => t!(lang, "scope-read"),
        Scope::InvitationsWrite => t!(lang, "scope-write"),
        Scope::Admin => t!(lang, "scope-admin"),
    }
}

/// A person's row actions on `/admin/users`: role and division, enable or disable, reset link.
#[component]
pub fn UserActions(user: User, disabled: bool, divisions: Vec<Division>) -> impl IntoView {
    let lang = use_lang();
    let name = user.username.clone();
    let role_id = format!("role-{name}");
    let div_id = format!("division-{name}");
    view! {
        <form method="post" action=format!("/admin/users/{name}/update") class="inline user-role">
            <label class="sr-only" for=role_id.clone()>{t!(lang, "user-role-for", user = name.clone())}</label>
            <select id=role_id name="role">
                {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == user.role>{role_label(lang, r)}</option> }).collect_view()}
            </select>
            <label class="sr-only" for=div_id.clone()>{t!(lang, "user-division-for", user = name.clone())}</label>
            <select id=div_id name="division">
                <option value="" selected=user.division.is_none()>"—"</option>
                {divisions.into_iter().map(|d| {
                    let sel = user.division.as_deref() == Some(d.slug.as_str());
                    view! { <option value=d.slug.clone() selected=sel>{d.name.clone()}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="btn btn-small">{t!(lang, "action-save")}<span class="sr-only">" " {name.clone()}</span></button>
        </form>
        <form method="post" action=format!("/admin/users/{name}/reset") class="inline">
            <button type="submit" class="btn btn-small">{t!(lang, "action-reset-password")}<span class="sr-only">" " {name.clone()}</span></button>
        </form>
        {if disabled {
            view! {
                <form method="post" action=format!("/admin/users/{name}/enable") class="inline">
                    <button type="submit" class="btn btn-small">{t!(lang, "action-enable")}<span class="sr-only">" " {name.clone()}</span></button>
                </form>
            }.into_any()
        } else {
            let w = super::confirm::disable_words(lang, &name);
            view! {
                <super::widgets::ConfirmButton action=format!("/admin/users/{name}/disable") back="/admin/users".to_string()
                    confirm_href=format!("/admin/users/{name}/confirm")
                    label=t!(lang, "action-disable") sr=format!(" {name}")
                    title=w.title body=w.body confirm_label=w.confirm/>
            }.into_any()
        }}
    }
}

/// A division's quota form and its delete button on `/admin/divisions`.
#[component]
pub fn DivisionControls(division: Division) -> impl IntoView {
    let lang = use_lang();
    let slug = division.slug.clone();
    let id = format!("quota-{slug}");
    view! {
        <form method="post" action=format!("/admin/divisions/{slug}/quota") class="inline">
            <label class="sr-only" for=id.clone()>{t!(lang, "division-quota-for", division = division.name.clone())}</label>
            <input id=id name="max_active_codes" type="number" min="0" step="1" class="input-narrow"
                placeholder=t!(lang, "division-no-quota")
                value=division.max_active_codes.map(|n| n.to_string()).unwrap_or_default()/>
            " "
            <button type="submit" class="btn btn-small">{t!(lang, "division-set-quota")}</button>
        </form>
        " "
        {
            let w = super::confirm::division_words(lang, &division.name);
            view! {
                <super::widgets::ConfirmButton action=format!("/admin/divisions/{slug}/delete") back="/admin/divisions".to_string()
                    confirm_href=format!("/admin/divisions/{slug}/confirm")
                    label=t!(lang, "action-delete") sr=format!(" {}", division.name)
                    title=w.title body=w.body confirm_label=w.confirm class="btn btn-small btn-ghost"/>
            }
        }
    }
}
