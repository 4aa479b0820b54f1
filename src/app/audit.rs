//! `/audit`: the trail with filters in the URL and a CSV download.

use super::audit_words::{action_label, event_code, sentence, ACTIONS};
use super::widgets::{query_string, EmptyState, LocalTime};
use super::{Layout, ManagersOnly};
use crate::i18n::{domain_error_text, use_lang};
use crate::server_fns::{audit_events, division_choices};
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const KEYS: [&str; 6] = ["action", "actor", "division", "since", "until", "page"];

#[component]
pub fn AuditPage() -> impl IntoView {
    let qs = query_string(&KEYS);
    // Created outside the Suspend below so hydration finds its serialised value.
    let data = crate::app::data::data(move || qs.get(), audit_events);
    // Admins filter by division; the server refuses managers the list (their trail is their
    // own division's), so theirs is empty and no filter is drawn.
    let divisions = crate::app::data::data(
        || (),
        |_| async move { division_choices().await.unwrap_or_default() },
    );
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "nav-audit")/>
        <Layout let:viewer>
            <ManagersOnly viewer=viewer>
                <Trail qs=qs data=data divisions=divisions/>
            </ManagersOnly>
        </Layout>
    }
}

#[component]
fn Trail(
    qs: Memo<String>,
    data: crate::app::data::Data<Result<crate::domain::AuditPage, crate::domain::DomainError>>,
    divisions: crate::app::data::Data<Vec<crate::domain::Division>>,
) -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with_untracked(|m| m.get(k)).unwrap_or_default();
    let action = get("action");
    let lang = use_lang();
    view! {
        <div class="page-head">
            <h1>{t!(lang, "nav-audit")}</h1>
            <a class="btn" href=move || format!("/audit/export.csv?{}", qs.get()) download="onboard-audit.csv">{t!(lang, "audit-download")}</a>
        </div>
        <form method="get" action="/audit" class="filters" role="search" aria-label=t!(lang, "audit-filters-label")>
            <div class="field">
                <label for="action">{t!(lang, "audit-action")}</label>
                <select id="action" name="action">
                    <option value="">{t!(lang, "audit-all-actions")}</option>
                    {ACTIONS.into_iter().map(|a| view! { <option value=a selected=action == a>{action_label(lang, a)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field"><label for="actor">{t!(lang, "audit-actor")}</label><input id="actor" name="actor" type="text" value=get("actor")/></div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let divisions = divisions.await;
                    let chosen = get("division");
                    (!divisions.is_empty()).then(|| view! {
                        <div class="field">
                            <label for="division">{t!(lang, "field-division")}</label>
                            <select id="division" name="division">
                                <option value="" selected=chosen.is_empty()>{t!(lang, "all-divisions")}</option>
                                {divisions.into_iter().map(|d| {
                                    let selected = d.slug == chosen;
                                    view! { <option value=d.slug selected=selected>{d.name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    })
                })}
            </Suspense>
            <div class="field"><label for="since">{t!(lang, "audit-since")}</label><input id="since" name="since" type="datetime-local" value=get("since")/></div>
            <div class="field"><label for="until">{t!(lang, "audit-until")}</label><input id="until" name="until" type="datetime-local" value=get("until")/></div>
            <button type="submit" class="btn">{t!(lang, "filter-apply")}</button>
        </form>
        <Transition fallback=move || view! { <p class="muted">{t!(lang, "loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => {
                        crate::app::not_found_status(&e);
                        view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any()
                    }
                    Ok(page) => {
                        let current: u32 = query.with_untracked(|m| m.get("page")).and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
                        let pages = ((page.total.max(0) as u32).div_ceil(crate::domain::list_query::DEFAULT_PER_PAGE)).max(1);
                        let link = move |n: u32| {
                            let rest: Vec<String> = qs.get_untracked().split('&').filter(|p| !p.is_empty() && !p.starts_with("page=")).map(str::to_string).collect();
                            let mut parts = rest;
                            parts.push(format!("page={n}"));
                            format!("/audit?{}", parts.join("&"))
                        };
                        if page.items.is_empty() {
                            return view! { <EmptyState message=t!(lang, "audit-empty") hint=t!(lang, "audit-empty-hint")
                                action=("/audit".to_string(), t!(lang, "empty-clear-filters"))/> }.into_any();
                        }
                        view! {
                        <nav class="pager" aria-label=t!(lang, "pager-label")>
                            {(current > 1).then(|| view! { <a class="btn" rel="prev" href=link(current - 1)>{t!(lang, "pager-previous")}</a> })}
                            <span class="muted">{t!(lang, "audit-pager-summary", page = current.min(pages), pages = pages, total = page.total)}</span>
                            {(current < pages).then(|| view! { <a class="btn" rel="next" href=link(current + 1)>{t!(lang, "pager-next")}</a> })}
                        </nav>
                        <div class="table-wrap">
                            <table class="table table-cards audit-table">
                                <caption class="sr-only">{t!(lang, "audit-caption")}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(lang, "audit-col-time")}</th><th scope="col">{t!(lang, "audit-actor")}</th><th scope="col">{t!(lang, "audit-action")}</th>
                                    <th scope="col">{t!(lang, "field-division")}</th><th scope="col">{t!(lang, "invitation-title")}</th><th scope="col">{t!(lang, "audit-col-address")}</th><th scope="col">{t!(lang, "audit-col-details")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|e| {
                                        let said = sentence(lang, &e);
                                        let code = event_code(&e);
                                        let invitation = match (e.invitation_id, code, e.invitation_code.is_some()) {
                                            (Some(id), Some(code), true) => view! { <a class="code-link" href=format!("/invitations/{id}")><code class="code">{code}</code></a> }.into_any(),
                                            (_, Some(code), false) => view! { <code class="code muted">{code}</code> }.into_any(),
                                            (Some(id), None, _) => view! { <span class="muted">{format!("#{id}")}</span> }.into_any(),
                                            (None, _, _) => view! { "—" }.into_any(),
                                        };
                                        view! {
                                            <tr>
                                                <td data-label=t!(lang, "audit-col-time")><LocalTime at=e.at/></td>
                                                <td data-label=t!(lang, "audit-actor")>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                                <td data-label=t!(lang, "audit-action")>{action_label(lang, &e.action)}</td>
                                                <td data-label=t!(lang, "field-division")>{e.division.unwrap_or_else(|| "—".into())}</td>
                                                <td data-label=t!(lang, "invitation-title")>{invitation}</td>
                                                <td data-label=t!(lang, "audit-col-address")>{e.client_addr.unwrap_or_else(|| "—".into())}</td>
                                                <td class="details-cell" data-label=t!(lang, "audit-col-details")>
                                                    <span class="said">{said}</span>
                                                    <details class="fields">
                                                        <summary>{t!(lang, "audit-fields")}</summary>
                                                        <code class="action-id">{e.action.clone()}</code>
                                                        <code class="raw">{e.details.to_string()}</code>
                                                    </details>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
