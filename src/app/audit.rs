//! `/audit`: the trail with filters in the URL and a CSV download.

use super::widgets::{query_string, LocalTime};
use super::{Layout, NotAllowed, ViewerResource};
use crate::domain::Role;
use crate::server_fns::{audit_events, domain_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const ACTIONS: [&str; 15] = [
    "login.succeeded",
    "login.failed",
    "logout",
    "invitation.created",
    "invitation.copied",
    "invitation.updated",
    "invitation.revoked",
    "invitation.deleted",
    "invitation.email_resent",
    "invitation.redeemed",
    "invitation.redeem_failed",
    "user.created",
    "user.disabled",
    "division.created",
    "token.created",
];
const KEYS: [&str; 6] = ["action", "actor", "division", "since", "until", "page"];

#[component]
pub fn AuditPage() -> impl IntoView {
    let viewer = expect_context::<ViewerResource>();
    let qs = query_string(&KEYS);
    // Created outside the Suspend below so hydration finds its serialised value.
    let data = Resource::new(move || qs.get(), audit_events);
    view! {
        <Title text="Audit log"/>
        <Layout>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match viewer.await.ok().flatten() {
                        Some(v) if v.user.role >= Role::Manager => view! { <Trail qs=qs data=data/> }.into_any(),
                        _ => view! { <NotAllowed/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Trail(
    qs: Memo<String>,
    data: Resource<Result<crate::domain::AuditPage, ServerFnError>>,
) -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with_untracked(|m| m.get(k)).unwrap_or_default();
    let action = get("action");
    view! {
        <div class="page-head">
            <h1>"Audit log"</h1>
            <a class="btn" href=move || format!("/audit/export.csv?{}", qs.get()) download="onboard-audit.csv">"Download CSV"</a>
        </div>
        <form method="get" action="/audit" class="filters" role="search" aria-label="Filter the audit log">
            <div class="field">
                <label for="action">"Action"</label>
                <select id="action" name="action">
                    <option value="">"All actions"</option>
                    {ACTIONS.into_iter().map(|a| view! { <option value=a selected=action == a>{a}</option> }).collect_view()}
                </select>
            </div>
            <div class="field"><label for="actor">"Actor"</label><input id="actor" name="actor" type="text" value=get("actor")/></div>
            <div class="field"><label for="since">"Since"</label><input id="since" name="since" type="datetime-local" value=get("since")/></div>
            <div class="field"><label for="until">"Until"</label><input id="until" name="until" type="datetime-local" value=get("until")/></div>
            <button type="submit" class="btn">"Apply"</button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error(&e).to_string()}</div> }.into_any(),
                    Ok(page) => {
                        let current: u32 = query.with_untracked(|m| m.get("page")).and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
                        let pages = ((page.total.max(0) as u32).div_ceil(50)).max(1);
                        let link = move |n: u32| {
                            let rest: Vec<String> = qs.get_untracked().split('&').filter(|p| !p.is_empty() && !p.starts_with("page=")).map(str::to_string).collect();
                            let mut parts = rest;
                            parts.push(format!("page={n}"));
                            format!("/audit?{}", parts.join("&"))
                        };
                        view! {
                        <nav class="pager" aria-label="Pagination">
                            {(current > 1).then(|| view! { <a class="btn" rel="prev" href=link(current - 1)>"Previous"</a> })}
                            <span class="muted">{format!("Page {} of {} · {} events", current.min(pages), pages, page.total)}</span>
                            {(current < pages).then(|| view! { <a class="btn" rel="next" href=link(current + 1)>"Next"</a> })}
                        </nav>
                        <div class="table-wrap">
                            <table class="table">
                                <caption class="sr-only">"Audit events"</caption>
                                <thead><tr>
                                    <th scope="col">"Time"</th><th scope="col">"Actor"</th><th scope="col">"Action"</th>
                                    <th scope="col">"Division"</th><th scope="col">"Invitation"</th><th scope="col">"Address"</th><th scope="col">"Details"</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|e| view! {
                                        <tr>
                                            <td><LocalTime at=e.at/></td>
                                            <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                            <td><code>{e.action}</code></td>
                                            <td>{e.division.unwrap_or_else(|| "—".into())}</td>
                                            <td>{e.invitation_id.map(|i| i.to_string()).unwrap_or_else(|| "—".into())}</td>
                                            <td>{e.client_addr.unwrap_or_else(|| "—".into())}</td>
                                            <td class="details-cell"><code>{e.details.to_string()}</code></td>
                                        </tr>
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
