//! Creating an invitation from the dashboard: the button and the dialog (a real form, so it
//! works without JavaScript).
//!
//! The dialog is drawn only when it is wanted: when the URL asks for it (`?create=1`, where
//! the button leads without JavaScript), and in the browser on the button's first click. In
//! the browser its code and text are a WASM chunk of their own, fetched when the pointer or
//! focus reaches the button, so the dashboard's first load does not carry them.

use super::href;
use crate::app::widgets::{form_error, FieldError, FormAlert};
use crate::domain::{Action, ListQuery, Role, StatusFilter, Viewer};
use crate::i18n::{role_label, use_lang};
use crate::t;
use chrono::{Duration, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub(super) fn CreateButton(lq: Memo<ListQuery>, drawn: Drawn) -> impl IntoView {
    let open = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if drawn.0.get_untracked().is_some() {
            open_dialog();
        } else {
            // `CreateDialogSlot` draws it once its code is here, and it opens itself.
            draw(drawn);
        }
    };
    let q = lq.get_untracked();
    let lang = use_lang();
    view! {
        <form method="get" action="/invitations" class="inline">
            {(q.status != StatusFilter::All).then(|| view! { <input type="hidden" name="status" value=q.status.as_str()/> })}
            {(!q.q.is_empty()).then(|| view! { <input type="hidden" name="q" value=q.q.clone()/> })}
            {q.division.clone().map(|d| view! { <input type="hidden" name="division" value=d/> })}
            <input type="hidden" name="create" value="1"/>
            <button type="submit" class="btn btn-primary" aria-haspopup="dialog" on:click=open
                on:pointerenter=|_| prefetch() on:focus=|_| prefetch()>{t!(lang, "create-invitation")}</button>
        </form>
    }
}

/// What the dialog is drawn from, handed across the split point as one value.
#[derive(Clone)]
pub(super) struct DialogArgs {
    pub viewer: Viewer,
    pub lq: Memo<ListQuery>,
    pub divisions: Vec<crate::domain::Division>,
    pub limits: Option<crate::domain::settings::CreateLimits>,
}

type Render = fn(DialogArgs) -> AnyView;

/// The dialog's code once it is drawn (`None`: not wanted yet).
#[derive(Clone, Copy)]
pub(super) struct Drawn(RwSignal<Option<Render>>);

impl Drawn {
    /// Drawn from the start when the URL asks for the dialog (`?create=1`): on the server, and
    /// in the browser with the chunk `prepare` fetched before hydrating. In the browser a
    /// link to `?create=1` followed later (an empty list's "Create Invitation") draws or
    /// opens it too.
    pub(super) fn new() -> Drawn {
        let query = use_query_map();
        let wanted = query.with_untracked(|m| m.get("create").is_some());
        #[cfg(feature = "ssr")]
        if wanted {
            // Names the chunk in the page's head, so the browser can fetch it early.
            leptos::prefetch_lazy_fn_on_server("create_dialog");
        }
        let drawn = Drawn(RwSignal::new(wanted.then(loaded).flatten()));
        #[cfg(feature = "hydrate")]
        Effect::new(move |before: Option<bool>| {
            let wanted = query.with(|m| m.get("create").is_some());
            if wanted && before != Some(true) {
                match drawn.0.get_untracked() {
                    // Drawn already: opened by its own effect on the first run, here after.
                    Some(_) if before.is_some() => open_dialog(),
                    Some(_) => {}
                    None => draw(drawn),
                }
            }
            wanted
        });
        drawn
    }
}

fn render(args: DialogArgs) -> AnyView {
    let DialogArgs {
        viewer,
        lq,
        divisions,
        limits,
    } = args;
    view! { <CreateDialog viewer=viewer lq=lq divisions=divisions limits=limits/> }.into_any()
}

/// The renderer, if its code is here: always on the server.
fn loaded() -> Option<Render> {
    #[cfg(feature = "hydrate")]
    {
        LOADED.get().copied()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Some(render as Render)
    }
}

#[cfg(feature = "hydrate")]
static LOADED: std::sync::OnceLock<Render> = std::sync::OnceLock::new();

/// Split point: in the browser the dialog's code, and its text in both languages, are a WASM
/// chunk of their own. A load that fails is an error, not a panic (which would end the whole
/// module).
#[cfg(feature = "hydrate")]
#[leptos::wasm_split::wasm_split(create_dialog, wasm_split_path = ::leptos::wasm_split, fallible)]
fn dialog_renderer() -> Result<Render, leptos::wasm_split::SplitLoaderError> {
    Ok(render)
}

/// Fetches the dialog's code; `None` if it could not be loaded.
#[cfg(feature = "hydrate")]
async fn fetch() -> Option<Render> {
    if let Some(r) = LOADED.get() {
        return Some(*r);
    }
    match dialog_renderer().await {
        Ok(r) => Some(*LOADED.get_or_init(|| r)),
        Err(_) => {
            leptos::logging::warn!("onboard: the create dialog could not be loaded");
            None
        }
    }
}

/// Before hydrating a page the server drew the dialog on: fetches its code, so the page
/// hydrates what the server drew. `false` if it cannot be loaded: the page is then left as
/// the server sent it (not hydrated), where the dialog's form posts without JavaScript.
#[cfg(feature = "hydrate")]
pub async fn prepare() -> bool {
    let drawn = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("create-dialog"))
        .is_some();
    !drawn || fetch().await.is_some()
}

/// Starts fetching the dialog's code (once loaded, later calls cost nothing).
fn prefetch() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async {
        fetch().await;
    });
}

/// Draws the dialog once its code is here. If it cannot be loaded, the browser does what the
/// button does without JavaScript: it asks the server for this page with the dialog open
/// (`?create=1`), whose form posts as usual.
fn draw(drawn: Drawn) {
    #[cfg(feature = "hydrate")]
    {
        // Decided now: the person may have moved on by the time the load fails.
        let fallback = window().location().href().ok().map(|href| {
            if href.contains("create=") {
                href
            } else {
                format!(
                    "{href}{}create=1",
                    if href.contains('?') { '&' } else { '?' }
                )
            }
        });
        leptos::task::spawn_local(async move {
            match fetch().await {
                // Once, and only while the page that asked is still there.
                Some(r) => {
                    let _ = drawn.0.try_update(|d| {
                        if d.is_none() {
                            *d = Some(r);
                        }
                    });
                }
                None if !drawn.0.is_disposed() => {
                    if let Some(url) = fallback {
                        let _ = window().location().set_href(&url);
                    }
                }
                None => {}
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = drawn;
}

/// Where the dialog is drawn.
#[component]
pub(super) fn CreateDialogSlot(drawn: Drawn, args: DialogArgs) -> impl IntoView {
    let args = StoredValue::new(args);
    move || drawn.0.get().map(|render| render(args.get_value()))
}

pub(super) fn open_dialog() {
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

pub(super) fn close_dialog() {
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
pub(super) fn CreateDialog(
    viewer: Viewer,
    lq: Memo<ListQuery>,
    divisions: Vec<crate::domain::Division>,
    limits: Option<crate::domain::settings::CreateLimits>,
) -> impl IntoView {
    // The role and division pickers appear for whoever the policy lets choose.
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| viewer.may(Action::CreateInvitation(*r)))
        .collect();
    let choose = roles.len() > 1 || viewer.may_everywhere(Action::CreateInvitation(Role::Staff));
    let lang = use_lang();
    let error = form_error();
    let q = use_query_map();
    let param = move |k: &'static str| q.with_untracked(|m| m.get(k)).unwrap_or_default();
    // The server marks a dialog the URL asks for as open, for browsers without JavaScript;
    // in the browser the effect below opens it as a modal whenever it is drawn.
    let create_open = q.with_untracked(|m| m.get("create").is_some());
    let default_expiry = crate::i18n::datetime_local(Utc::now() + Duration::days(7));
    let given_expiry = param("expires_at");
    let expiry = RwSignal::new(if given_expiry.is_empty() {
        default_expiry
    } else {
        given_expiry.clone()
    });
    let tz = RwSignal::new("0".to_string());
    Effect::new(move |_| {
        let offset = crate::app::widgets::browser_offset_minutes();
        tz.set(offset.to_string());
        if given_expiry.is_empty() {
            let local = Utc::now() + Duration::days(7) + Duration::minutes(offset as i64);
            expiry.set(crate::i18n::datetime_local(local));
        }
        // On the next frame: a dialog drawn after a click is in the document only once the
        // slot has placed it.
        request_animation_frame(open_dialog);
    });
    let role_given = param("role");
    let division_given = param("division");
    let email_given = param("email");
    let note_given = param("note");
    let ceilings = limits
        .as_ref()
        .map(|l| l.max_expiry_days)
        .unwrap_or(crate::domain::settings::ExpiryCeilings::uniform(90));
    let expires_hint = if choose {
        t!(
            lang,
            "create-expires-hint-roles",
            staff = ceilings.staff,
            manager = ceilings.manager,
            admin = ceilings.admin
        )
    } else {
        t!(lang, "create-expires-hint-days", days = ceilings.staff)
    };
    let quota = limits.and_then(|l| l.quota);
    let back = href(&lq.get_untracked());
    let close = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        close_dialog();
    };
    let invalid = move |f: &'static str| crate::app::widgets::aria_invalid(error, f);
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
                {move || create_open.then(|| view! { <FormAlert error=error fields=&["email", "role", "division", "expires_at", "note"]/> })}
                <input type="hidden" name="back" value=back.clone()/>
                <input type="hidden" name="tz_offset" value=move || tz.get()/>
                {quota.map(|q| {
                    let class = if q.left() == 0 { "alert alert-warning" } else { "quota muted" };
                    view! {
                        <p class=class role="status">{t!(lang, "create-quota-left", left = q.left(), max = q.max, division = q.division.clone())}</p>
                    }
                })}
                <div class="field">
                    <label for="email">{t!(lang, "field-email")}</label>
                    <input id="email" name="email" type="email" autocomplete="off" value=email_given
                        placeholder="new.hire@example.com"
                        aria-invalid=invalid("email") aria-describedby=described("email", "email-hint")/>
                    <p class="hint" id="email-hint">{t!(lang, "create-email-hint")}</p>
                    <FieldError error=error field="email"/>
                </div>
                {if choose {
                    let role_given = role_given.clone();
                    view! {
                        <div class="field">
                            <label for="role">{t!(lang, "field-role")}</label>
                            <select id="role" name="role" aria-invalid=invalid("role") aria-describedby=described("role", "role-hint")>
                                {roles.clone().into_iter().map(|r| view! {
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
                    <p class="hint" id="expires-hint">{expires_hint}</p>
                    <FieldError error=error field="expires_at"/>
                </div>
                <div class="field">
                    <label for="note">{t!(lang, "field-note")}</label>
                    <input id="note" name="note" type="text" maxlength="200" autocomplete="off" value=note_given
                        aria-invalid=invalid("note") aria-describedby=described("note", "note-hint")/>
                    <p class="hint" id="note-hint">{t!(lang, "note-help")}</p>
                    <FieldError error=error field="note"/>
                </div>
                <div class="dialog-actions">
                    <a class="btn" href=back.clone() on:click=close>{t!(lang, "action-cancel")}</a>
                    <button type="submit" class="btn btn-primary">{t!(lang, "action-create")}</button>
                </div>
            </form>
        </dialog>
    }
}
