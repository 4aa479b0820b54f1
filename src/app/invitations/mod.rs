//! `/invitations`: the dashboard. Every view state (status, search, division, page, page size,
//! the open create dialog) lives in the URL; the page is fully server-rendered and its forms
//! post without JavaScript, then hydration adds instant filtering, the modal dialog and the
//! clipboard.

//!
//! Here: the view state (URL ↔ [`ListQuery`]), the page and its filters; `table`: the counts,
//! the rows and their actions; `create_dialog`: the create button and dialog.

mod create_dialog;
mod table;

use crate::app::widgets::query_param;
use crate::app::{Layout, ManagersOnly};
use crate::domain::list_query::{DASHBOARD_PER_PAGE, PAGE_SIZES};
use crate::domain::settings::CreateLimits;
use crate::domain::{Action, Invitation, ListQuery, Status, StatusFilter, Viewer};
use crate::i18n::{domain_error_text, status_label, use_lang};
use crate::server_fns::{create_limits, division_choices, get_invitation, list_invitations};
use crate::t;
#[cfg(feature = "hydrate")]
pub use create_dialog::prepare as prepare_dialog;
use create_dialog::{CreateButton, CreateDialogSlot, DialogArgs, Drawn};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use table::{CreatedPanel, Flash, Results};

const KEYS: [&str; 5] = ["status", "q", "division", "page", "per_page"];

pub(super) fn href(q: &ListQuery) -> String {
    let qs = q.to_query_string(DASHBOARD_PER_PAGE);
    if qs.is_empty() {
        "/invitations".into()
    } else {
        format!("/invitations?{qs}")
    }
}

/// The CSV of exactly the view on screen: every page of it, not only the one shown.
fn export_href(q: &ListQuery) -> String {
    let mut view = q.clone();
    view.page = 1;
    let qs = view.to_query_string(DASHBOARD_PER_PAGE);
    if qs.is_empty() {
        "/invitations/export.csv".into()
    } else {
        format!("/invitations/export.csv?{qs}")
    }
}

/// `/` focuses the search box, unless the person is typing in a field already.
fn focus_search_on_slash() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::keydown, |ev| {
            if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let typing = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || el.has_attribute("contenteditable")
                });
            // Not while a modal dialog is open: the page behind it is inert.
            let modal = document()
                .query_selector("dialog[open]")
                .ok()
                .flatten()
                .is_some();
            if typing || modal {
                return;
            }
            if let Some(input) = document()
                .get_element_by_id("q")
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                ev.prevent_default();
                let _ = input.focus();
                input.select();
            }
        });
        on_cleanup(move || handle.remove());
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
            ListQuery::parse_lenient(
                pairs.iter().map(|(k, v)| (*k, v.as_str())),
                DASHBOARD_PER_PAGE,
            )
        })
    })
}

/// The page's data. Resources are created here, outside any `Suspend`, so the server and the
/// browser create them in the same order and hydration finds the serialised values.
#[derive(Clone, Copy)]
struct PageData {
    lq: Memo<ListQuery>,
    list: crate::app::data::Data<Result<crate::domain::InvitationPage, crate::domain::DomainError>>,
    created: crate::app::data::Data<Option<Invitation>>,
}

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let lq = list_query();
    let list = crate::app::data::data(move || lq.get(), list_invitations);
    // Managers get an empty list here (the server refuses them the division list).
    let divisions = crate::app::data::data(
        || (),
        |_| async move {
            (
                division_choices().await.unwrap_or_default(),
                create_limits().await.ok(),
            )
        },
    );
    let created_id = query_param("created");
    let created = crate::app::data::data(
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
                            let (divisions, limits) = divisions.await;
                            view! { <Dashboard viewer=viewer.get_value() data=data divisions=divisions limits=limits/> }
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
    limits: Option<CreateLimits>,
) -> impl IntoView {
    let everywhere = viewer.may_everywhere(Action::ListInvitations);
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
        q.per_page = event_target_value(&ev)
            .parse()
            .unwrap_or(DASHBOARD_PER_PAGE);
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

    focus_search_on_slash();
    let dialog = Drawn::new();
    let current = lq.get_untracked();
    let viewer_results = StoredValue::new(viewer.clone());
    let status_options: Vec<StatusFilter> = {
        let mut v = vec![
            StatusFilter::All,
            StatusFilter::Only(Status::Active),
            StatusFilter::Only(Status::Used),
            StatusFilter::Only(Status::Expired),
        ];
        if everywhere {
            v.push(StatusFilter::Only(Status::Revoked));
            v.push(StatusFilter::Only(Status::Suspended));
        } else if !v.contains(&current.status) {
            // A manager who followed the Revoked or Suspended chip keeps that filter, so the
            // select does not claim "All" and Apply does not drop it.
            v.push(current.status);
        }
        v
    };
    let scope = if everywhere {
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
            <div class="head-actions">
                <a class="btn" href=move || export_href(&lq.get()) download="onboard-invitations.csv">{t!(lang, "export-csv")}</a>
                <CreateButton lq=lq drawn=dialog/>
            </div>
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
                <label for="q">{t!(lang, "filter-search")} <kbd class="shortcut" aria-hidden="true" title=t!(lang, "shortcut-search")>"/"</kbd></label>
                <input id="q" name="q" type="search" placeholder=t!(lang, "filter-search-placeholder") aria-keyshortcuts="/"
                    value=current.q.clone() on:input=on_search autocomplete="off"/>
            </div>
            {everywhere.then(|| view! {
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
                    Err(e) => {
                        crate::app::not_found_status(&e);
                        view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any()
                    }
                    Ok(page) => view! { <Results page=page q=q viewer=viewer_results.get_value()/> }.into_any(),
                }
            })}
        </Transition>
        <CreateDialogSlot drawn=dialog args=DialogArgs { viewer: viewer.clone(), lq, divisions: divisions.clone(), limits }/>
    }
}
