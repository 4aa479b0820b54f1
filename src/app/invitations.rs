//! `/invitations`: the dashboard. Every view state (status, search, division, page, page size,
//! the open create dialog) lives in the URL; the page is fully server-rendered and its forms
//! post without JavaScript, then hydration adds instant filtering, the modal dialog and the
//! clipboard.

use super::widgets::{
    form_error, query_param, CopyButton, FieldError, FormAlert, LocalTime, StatusBadge,
};
use super::{Layout, ManagersOnly};
use crate::domain::list_query::PAGE_SIZES;
use crate::domain::{Invitation, ListQuery, Role, Status, StatusFilter, Viewer};
use crate::i18n::{domain_error_text, role_label, status_label, use_lang};
use crate::server_fns::{division_choices, get_invitation, list_invitations};
use crate::t;
use chrono::{Duration, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

const PER_PAGE: u32 = 25;
const KEYS: [&str; 5] = ["status", "q", "division", "page", "per_page"];

fn href(q: &ListQuery) -> String {
    let qs = q.to_query_string(PER_PAGE);
    if qs.is_empty() {
        "/invitations".into()
    } else {
        format!("/invitations?{qs}")
    }
}

/// The view state of the dashboard, parsed from the URL.
fn list_query() -> Memo<ListQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|m| {
            let pairs: Vec<(&str, String)> = KEYS
                .iter()
                .filter_map(|k| m.get(k).map(|v| (*k, v)))
                .collect();
            ListQuery::parse_lenient(pairs.iter().map(|(k, v)| (*k, v.as_str())), PER_PAGE)
        })
    })
}

/// The page's data. Resources are created here, outside any `Suspend`, so the server and the
/// browser create them in the same order and hydration finds the serialised values.
#[derive(Clone, Copy)]
struct PageData {
    lq: Memo<ListQuery>,
    list: Resource<Result<crate::domain::InvitationPage, crate::domain::DomainError>>,
    created: Resource<Option<Invitation>>,
}

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let lq = list_query();
    let list = Resource::new(move || lq.get().to_query_string(PER_PAGE), list_invitations);
    // Managers get an empty list here (the server refuses them the division list).
    let divisions = Resource::new(
        || (),
        |_| async move { division_choices().await.unwrap_or_default() },
    );
    let created_id = query_param("created");
    let created = Resource::new(
        move || created_id.get(),
        |id| async move {
            match id.and_then(|s| s.parse::<i64>().ok()) {
                Some(id) => get_invitation(id).await.ok(),
                None => None,
            }
        },
    );
    let data = PageData { lq, list, created };
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "nav-invitations")/>
        <Layout let:viewer>
            <ManagersOnly viewer=viewer.clone()>
                // The division list is read in this one place and handed down: the filter and the
                // create dialog both use it (see `Layout` on reading a resource only once).
                <Suspense fallback=|| ()>
                    {
                        let viewer = StoredValue::new(viewer);
                        move || Suspend::new(async move {
                            let divisions = divisions.await;
                            view! { <Dashboard viewer=viewer.get_value() data=data divisions=divisions/> }
                        })
                    }
                </Suspense>
            </ManagersOnly>
        </Layout>
    }
}

#[component]
fn Dashboard(
    viewer: Viewer,
    data: PageData,
    divisions: Vec<crate::domain::Division>,
) -> impl IntoView {
    let is_admin = viewer.user.role == Role::Admin;
    let lang = use_lang();
    let PageData {
        lq,
        list: data,
        created: created_inv,
    } = data;
    let navigate = use_navigate();
    let go = move |q: ListQuery| navigate(&href(&q), Default::default());

    let go_status = go.clone();
    let on_status = move |ev: leptos::ev::Event| {
        let mut q = lq.get_untracked();
        q.status = StatusFilter::parse(&event_target_value(&ev)).unwrap_or_default();
        q.page = 1;
        go_status(q);
    };
    let go_per = go.clone();
    let on_per_page = move |ev: leptos::ev::Event| {
        let mut q = lq.get_untracked();
        q.per_page = event_target_value(&ev).parse().unwrap_or(PER_PAGE);
        q.page = 1;
        go_per(q);
    };
    let go_div = go.clone();
    let on_division = move |ev: leptos::ev::Event| {
        let mut q = lq.get_untracked();
        let v = event_target_value(&ev);
        q.division = (!v.is_empty()).then_some(v);
        q.page = 1;
        go_div(q);
    };
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let go_search = go.clone();
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        let go = go_search.clone();
        let handle = set_timeout_with_handle(
            move || {
                let mut q = lq.get_untracked();
                q.q = text.trim().to_string();
                q.page = 1;
                go(q);
            },
            std::time::Duration::from_millis(300),
        )
        .ok();
        timer.set_value(handle);
    };

    let current = lq.get_untracked();
    let status_options: Vec<StatusFilter> = {
        let mut v = vec![
            StatusFilter::All,
            StatusFilter::Only(Status::Active),
            StatusFilter::Only(Status::Used),
            StatusFilter::Only(Status::Expired),
        ];
        if is_admin {
            v.push(StatusFilter::Only(Status::Revoked));
            v.push(StatusFilter::Only(Status::Suspended));
        }
        v
    };
    let scope = if is_admin {
        t!(lang, "scope-every-division")
    } else {
        viewer.division_name.clone().unwrap_or_default()
    };

    view! {
        <div class="page-head">
            <div>
                <h1>{t!(lang, "nav-invitations")}</h1>
                <p class="muted">{scope}</p>
            </div>
            <CreateButton lq=lq/>
        </div>
        <Flash/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                created_inv.await.map(|inv| view! { <CreatedPanel inv=inv back=href(&lq.get_untracked())/> })
            })}
        </Suspense>
        <form method="get" action="/invitations" class="filters" role="search" aria-label=t!(lang, "filters-label")>
            <div class="field">
                <label for="status">{t!(lang, "filter-status")}</label>
                <select id="status" name="status" on:change=on_status>
                    {status_options.into_iter().map(|s| {
                        let label = match s { StatusFilter::All => t!(lang, "status-all"), StatusFilter::Only(st) => status_label(lang, st) };
                        view! { <option value=s.as_str() selected=move || lq.get().status == s>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field grow">
                <label for="q">{t!(lang, "filter-search")}</label>
                <input id="q" name="q" type="search" placeholder=t!(lang, "filter-search-placeholder")
                    value=current.q.clone() on:input=on_search autocomplete="off"/>
            </div>
            {is_admin.then(|| view! {
                <div class="field">
                    <label for="division">{t!(lang, "field-division")}</label>
                    <select id="division" name="division" on:change=on_division>
                        <option value="" selected=move || lq.get().division.is_none()>{t!(lang, "all-divisions")}</option>
                        {divisions.iter().map(|d| {
                            let slug = d.slug.clone();
                            view! { <option value=d.slug.clone() selected=move || lq.get().division.as_deref() == Some(slug.as_str())>{d.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="per_page">{t!(lang, "filter-per-page")}</label>
                <select id="per_page" name="per_page" on:change=on_per_page>
                    {PAGE_SIZES.into_iter().map(|n| view! {
                        <option value=n.to_string() selected=move || lq.get().per_page == n>{n.to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="btn">{t!(lang, "filter-apply")}</button>
        </form>
        <Transition fallback=move || view! { <p class="muted">{t!(lang, "loading-invitations")}</p> }>
            {move || Suspend::new(async move {
                let page = data.await;
                let q = lq.get_untracked();
                match page {
                    Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any(),
                    Ok(page) => view! { <Results page=page q=q is_admin=is_admin/> }.into_any(),
                }
            })}
        </Transition>
        <CreateDialog viewer=viewer.clone() lq=lq divisions=divisions.clone()/>
    }
}

#[component]
fn CreateButton(lq: Memo<ListQuery>) -> impl IntoView {
    let open = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        open_dialog();
    };
    let q = lq.get_untracked();
    let lang = use_lang();
    view! {
        <form method="get" action="/invitations" class="inline">
            {(q.status != StatusFilter::All).then(|| view! { <input type="hidden" name="status" value=q.status.as_str()/> })}
            {(!q.q.is_empty()).then(|| view! { <input type="hidden" name="q" value=q.q.clone()/> })}
            {q.division.clone().map(|d| view! { <input type="hidden" name="division" value=d/> })}
            <input type="hidden" name="create" value="1"/>
            <button type="submit" class="btn btn-primary" aria-haspopup="dialog" on:click=open>{t!(lang, "create-invitation")}</button>
        </form>
    }
}

fn open_dialog() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(d) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("create-dialog"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok())
        {
            if d.open() {
                d.close();
            }
            let _ = d.show_modal();
            if let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("email"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = input.focus();
            }
        }
    }
}

fn close_dialog() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(d) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("create-dialog"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok())
        {
            d.close();
        }
    }
}

#[component]
fn Flash() -> impl IntoView {
    let q = use_query_map();
    let error = form_error();
    let create_open = query_param("create");
    let lang = use_lang();
    let msg = move || {
        q.with(|m| {
            if m.get("copied").is_some() {
                Some(t!(lang, "flash-copied"))
            } else if m.get("revoked").is_some() {
                Some(t!(lang, "flash-revoked"))
            } else if m.get("deleted").is_some() {
                Some(t!(lang, "flash-deleted"))
            } else {
                None
            }
        })
    };
    view! {
        {move || msg().map(|m| view! { <div class="alert alert-success" role="status">{m}</div> })}
        // Errors of the create form are shown inside the dialog.
        {move || (create_open.get().is_none()).then(|| view! { <FormAlert error=error/> })}
    }
}

#[component]
fn CreatedPanel(inv: Invitation, back: String) -> impl IntoView {
    let lang = use_lang();
    let share = match inv.email.clone() {
        Some(email) => t!(lang, "created-share-with", email = email),
        None => t!(lang, "created-share"),
    };
    view! {
        <section class="created card" aria-labelledby="created-title">
            <h2 id="created-title">{t!(lang, "created-title")}</h2>
            <p>{share} " " <LocalTime at=inv.expires_at/> "."</p>
            <div class="created-code">
                <code id=format!("code-{}", inv.id) class="code code-large">{inv.code.clone()}</code>
                <CopyButton id=inv.id code=inv.code.clone() back=back/>
            </div>
        </section>
    }
}

#[component]
fn Results(page: crate::domain::InvitationPage, q: ListQuery, is_admin: bool) -> impl IntoView {
    let lang = use_lang();
    let counts = page.counts;
    let mut tabs = vec![(StatusFilter::All, t!(lang, "status-all"), counts.all())];
    let mut statuses = vec![Status::Active, Status::Used, Status::Expired];
    if is_admin {
        statuses.extend([Status::Revoked, Status::Suspended]);
    }
    for s in statuses {
        tabs.push((StatusFilter::Only(s), status_label(lang, s), counts.get(s)));
    }
    let pages = ((page.total.max(0) as u32).div_ceil(q.per_page.max(1))).max(1);
    let back = href(&q);
    let now = Utc::now();
    let highlight = query_param("copied");
    let items = page.items;
    let empty = items.is_empty();
    let counts_nav = view! {
        <nav class="counts" aria-label=t!(lang, "counts-label")>
            {tabs.into_iter().map(|(f, label, n)| {
                let mut tq = q.clone();
                tq.status = f;
                tq.page = 1;
                let current = (q.status == f).then_some("page");
                view! { <a href=href(&tq) class="count" aria-current=current>{label} " " <span class="count-n">{n}</span></a> }
            }).collect_view()}
        </nav>
    }
    .into_any();
    let table = view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="sr-only">{t!(lang, "table-caption-invitations")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(lang, "col-code")}</th>
                        <th scope="col">{t!(lang, "col-email")}</th>
                        <th scope="col">{t!(lang, "col-role")}</th>
                        <th scope="col">{t!(lang, "col-status")}</th>
                        <th scope="col">{t!(lang, "col-expires")}</th>
                        <th scope="col">{t!(lang, "col-used-by")}</th>
                        <th scope="col">{t!(lang, "col-actions")}</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|inv| {
                        let soon = inv.status == Status::Active && inv.expires_at - now <= Duration::hours(48);
                        let hl = highlight.get_untracked().and_then(|h| h.parse::<i64>().ok()) == Some(inv.id);
                        let class = match (soon, hl) { (_, true) => "row-highlight", (true, _) => "row-soon", _ => "" };
                        let id = inv.id;
                        let can_revoke = is_admin && matches!(inv.status, Status::Active | Status::Suspended);
                        let can_delete = is_admin && inv.status != Status::Used;
                        let back = back.clone();
                        view! {
                            <tr class=class>
                                <td><a class="code-link" href=format!("/invitations/{id}")><code id=format!("code-{id}") class="code">{inv.code.clone()}</code></a></td>
                                <td class="wrap">{inv.email.clone().unwrap_or_else(|| "—".into())}</td>
                                <td>{role_label(lang, inv.role)}</td>
                                <td><StatusBadge status=inv.status/></td>
                                <td class=if soon { "expires soon" } else { "expires" }>
                                    <LocalTime at=inv.expires_at/>
                                    {soon.then(|| view! { <span class="soon-tag">{t!(lang, "expires-soon")}</span> })}
                                </td>
                                <td class="wrap">{inv.used_by.clone().unwrap_or_else(|| "—".into())}</td>
                                <td class="actions">
                                    <CopyButton id=id code=inv.code.clone() back=back.clone()/>
                                    {can_revoke.then(|| view! {
                                        <form method="post" action=format!("/invitations/{id}/revoke") class="inline">
                                            <input type="hidden" name="back" value=back.clone()/>
                                            <button type="submit" class="btn btn-small btn-danger">{t!(lang, "action-revoke")}<span class="sr-only">{t!(lang, "sr-code", code = inv.code.clone())}</span></button>
                                        </form>
                                    })}
                                    {is_admin.then(|| view! {
                                        <a class="btn btn-small" href=format!("/invitations/{id}")>{t!(lang, "action-edit")}<span class="sr-only">{t!(lang, "sr-code", code = inv.code.clone())}</span></a>
                                    })}
                                    {can_delete.then(|| view! {
                                        <form method="post" action=format!("/invitations/{id}/delete") class="inline">
                                            <input type="hidden" name="back" value=back.clone()/>
                                            <button type="submit" class="btn btn-small btn-ghost">{t!(lang, "action-delete")}<span class="sr-only">{t!(lang, "sr-code", code = inv.code.clone())}</span></button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                        .into_any()
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! { <p class="empty">{t!(lang, "empty-invitations")}</p> })}
        </div>
    }
    .into_any();
    let pager = view! {
        <nav class="pager" aria-label=t!(lang, "pager-label")>
            {(q.page > 1).then(|| view! { <a class="btn" href=href(&q.with_page(q.page - 1)) rel="prev">{t!(lang, "pager-previous")}</a> })}
            <span class="muted">{t!(lang, "pager-summary", page = q.page.min(pages).max(1), pages = pages, total = page.total)}</span>
            {(q.page < pages).then(|| view! { <a class="btn" href=href(&q.with_page(q.page + 1)) rel="next">{t!(lang, "pager-next")}</a> })}
        </nav>
    }
    .into_any();
    view! { {counts_nav} {table} {pager} }
}

#[component]
fn CreateDialog(
    viewer: Viewer,
    lq: Memo<ListQuery>,
    divisions: Vec<crate::domain::Division>,
) -> impl IntoView {
    let is_admin = viewer.user.role == Role::Admin;
    let lang = use_lang();
    let error = form_error();
    let q = use_query_map();
    let param = move |k: &'static str| q.with_untracked(|m| m.get(k)).unwrap_or_default();
    let create_open = q.with_untracked(|m| m.get("create").is_some());
    let default_expiry = (Utc::now() + Duration::days(7))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let given_expiry = param("expires_at");
    let expiry = RwSignal::new(if given_expiry.is_empty() {
        default_expiry
    } else {
        given_expiry.clone()
    });
    let tz = RwSignal::new("0".to_string());
    Effect::new(move |_| {
        let offset = super::widgets::browser_offset_minutes();
        tz.set(offset.to_string());
        if given_expiry.is_empty() {
            let local = Utc::now() + Duration::days(7) + Duration::minutes(offset as i64);
            expiry.set(local.format("%Y-%m-%dT%H:%M").to_string());
        }
        if create_open {
            open_dialog();
        }
    });
    let role_given = param("role");
    let division_given = param("division");
    let email_given = param("email");
    let back = href(&lq.get_untracked());
    let close = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        close_dialog();
    };
    let invalid = move |f: &'static str| super::widgets::aria_invalid(error, f);
    let described = move |f: &'static str, hint: &'static str| {
        move || {
            if error.get().is_some_and(|e| e.field.as_deref() == Some(f)) {
                format!("{hint} {f}-error")
            } else {
                hint.to_string()
            }
        }
    };
    view! {
        <dialog id="create-dialog" class="dialog" aria-labelledby="create-title" open=create_open>
            <form method="post" action="/invitations/new" class="stack" novalidate>
                <h2 id="create-title">{t!(lang, "create-invitation")}</h2>
                {move || create_open.then(|| view! { <FormAlert error=error fields=&["email", "role", "division", "expires_at"]/> })}
                <input type="hidden" name="back" value=back.clone()/>
                <input type="hidden" name="tz_offset" value=move || tz.get()/>
                <div class="field">
                    <label for="email">{t!(lang, "field-email")}</label>
                    <input id="email" name="email" type="email" autocomplete="off" value=email_given
                        placeholder="new.hire@example.com"
                        aria-invalid=invalid("email") aria-describedby=described("email", "email-hint")/>
                    <p class="hint" id="email-hint">{t!(lang, "create-email-hint")}</p>
                    <FieldError error=error field="email"/>
                </div>
                {if is_admin {
                    let role_given = role_given.clone();
                    view! {
                        <div class="field">
                            <label for="role">{t!(lang, "field-role")}</label>
                            <select id="role" name="role" aria-invalid=invalid("role") aria-describedby=described("role", "role-hint")>
                                {Role::ALL.into_iter().map(|r| view! {
                                    <option value=r.as_str() selected=role_given == r.as_str()>{role_label(lang, r)}</option>
                                }).collect_view()}
                            </select>
                            <p class="hint" id="role-hint">{t!(lang, "create-role-hint")}</p>
                            <FieldError error=error field="role"/>
                        </div>
                        <div class="field">
                            <label for="create-division">{t!(lang, "field-division")}</label>
                            <select id="create-division" name="division" aria-invalid=invalid("division") aria-describedby=described("division", "division-hint")>
                                {divisions.iter().map(|d| {
                                    let sel = d.slug == division_given;
                                    view! { <option value=d.slug.clone() selected=sel>{d.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                            <p class="hint" id="division-hint">{t!(lang, "create-division-hint")}</p>
                            <FieldError error=error field="division"/>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <div class="field">
                            <label for="role">{t!(lang, "field-role")}</label>
                            <input id="role" type="text" value=role_label(lang, Role::Staff) readonly aria-describedby="role-note"/>
                            <p class="hint" id="role-note">{t!(lang, "create-role-note")}</p>
                            <FieldError error=error field="role"/>
                        </div>
                    }.into_any()
                }}
                <div class="field">
                    <label for="expires_at">{t!(lang, "field-expires")}</label>
                    <input id="expires_at" name="expires_at" type="datetime-local" value=move || expiry.get()
                        aria-invalid=invalid("expires_at") aria-describedby=described("expires_at", "expires-hint")/>
                    <p class="hint" id="expires-hint">{t!(lang, "create-expires-hint")}</p>
                    <FieldError error=error field="expires_at"/>
                </div>
                <div class="dialog-actions">
                    <a class="btn" href=back.clone() on:click=close>{t!(lang, "action-cancel")}</a>
                    <button type="submit" class="btn btn-primary">{t!(lang, "action-create")}</button>
                </div>
            </form>
        </dialog>
    }
}
