//! Small shared components: local times, status badges, the copy button, alerts.

use crate::domain::{Lang, Status};
use crate::i18n::{catalogue_error, format_utc, status_label, use_lang};
use crate::t;
use chrono::{DateTime, SecondsFormat, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The current time for relative times. The browser ticks it every 30 seconds, so "in 5
/// minutes" stays true while the page is open; the server renders with its own clock.
#[derive(Clone, Copy)]
pub struct Clock(RwSignal<DateTime<Utc>>);

/// Starts the clock (once, in `App`).
pub fn provide_clock() {
    let now = RwSignal::new(Utc::now());
    #[cfg(feature = "hydrate")]
    set_interval(
        move || now.set(Utc::now()),
        std::time::Duration::from_secs(30),
    );
    provide_context(Clock(now));
}

fn use_now() -> Signal<DateTime<Utc>> {
    match use_context::<Clock>() {
        Some(Clock(now)) => now.into(),
        None => Signal::stored(Utc::now()),
    }
}

/// An instant: the exact time (in the viewer's time zone once hydrated, UTC before that and
/// without JavaScript) and next to it how far away it is ("in 2 days", "3 hours ago"). The
/// machine-readable time is in `datetime` and, for hover, in `title`; `plain` leaves out the
/// relative part.
#[component]
pub fn LocalTime(at: DateTime<Utc>, #[prop(optional)] plain: bool) -> impl IntoView {
    let lang = use_lang();
    let iso = at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let text = RwSignal::new(format_utc(lang, at));
    let ms = at.timestamp_millis() as f64;
    Effect::new(move |_| {
        if let Some(s) = local_string(ms, lang) {
            text.set(s);
        }
    });
    let now = use_now();
    let rel = (!plain).then(|| {
        view! { <span class="rel">{move || crate::i18n::relative_time(lang, at, now.get())}</span> }
    });
    view! { <time class="when" datetime=iso.clone() title=iso><span class="abs">{move || text.get()}</span>{rel}</time> }
}

#[cfg(feature = "hydrate")]
fn local_string(ms: f64, lang: Lang) -> Option<String> {
    use wasm_bindgen::JsValue;
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"dateStyle".into(), &"medium".into()).ok()?;
    js_sys::Reflect::set(&opts, &"timeStyle".into(), &"short".into()).ok()?;
    Some(String::from(
        date.to_locale_string(crate::i18n::browser_locale(lang), &opts),
    ))
}

#[cfg(not(feature = "hydrate"))]
fn local_string(_ms: f64, _lang: Lang) -> Option<String> {
    None
}

/// The browser's offset from UTC in minutes east (0 before hydration).
pub fn browser_offset_minutes() -> i32 {
    #[cfg(feature = "hydrate")]
    {
        -(js_sys::Date::new_0().get_timezone_offset() as i32)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let class = format!("badge badge-{}", status.as_str());
    view! { <span class=class>{status_label(use_lang(), status)}</span> }
}

/// Copies a code. With JavaScript: the clipboard, and only "Copied" once the browser has
/// actually taken the text; when it refuses (no permission, no secure context, no clipboard)
/// the code is selected on the page and the button says to press Ctrl+C. Either way the copy
/// is recorded. Without JavaScript the form posts and the server records the copy.
#[component]
pub fn CopyButton(id: i64, code: String, back: String) -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(0u8); // 0 idle, 1 copied, 2 selected for manual copy
    let code_for_click = code.clone();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let text = code_for_click.clone();
        leptos::task::spawn_local(async move {
            let ok = copy_text(&text, &format!("code-{id}")).await;
            state.set(if ok { 1 } else { 2 });
            set_timeout(move || state.set(0), std::time::Duration::from_secs(4));
            let _ = crate::server_fns::record_copy(id).await;
        });
    };
    view! {
        <form method="post" action=format!("/invitations/{id}/copy") class="inline">
            <input type="hidden" name="back" value=back/>
            <button type="submit" class="btn btn-small" on:click=on_click>
                {move || match state.get() {
                    1 => t!(lang, "copy-done"),
                    2 => t!(lang, "copy-manual"),
                    _ => t!(lang, "copy-action"),
                }}
                <span class="sr-only">{t!(lang, "sr-code", code = code.clone())}</span>
            </button>
            <span class="sr-only" role="status">{move || match state.get() {
                1 => t!(lang, "copy-done-status"),
                2 => t!(lang, "copy-failed-status"),
                _ => String::new(),
            }}</span>
        </form>
    }
}

/// Writes `text` to the clipboard and waits for the browser's answer; on refusal selects the
/// element so the user can copy by hand.
#[cfg(feature = "hydrate")]
async fn copy_text(text: &str, element_id: &str) -> bool {
    let Some(win) = web_sys::window() else {
        return false;
    };
    let nav = win.navigator();
    let has_clipboard = js_sys::Reflect::get(&nav, &"clipboard".into())
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false);
    if has_clipboard
        && wasm_bindgen_futures::JsFuture::from(nav.clipboard().write_text(text))
            .await
            .is_ok()
    {
        return true;
    }
    if let (Some(doc), Ok(Some(sel))) = (win.document(), win.get_selection()) {
        if let Some(el) = doc.get_element_by_id(element_id) {
            let _ = sel.select_all_children(&el);
        }
    }
    false
}

#[cfg(not(feature = "hydrate"))]
async fn copy_text(_text: &str, _element_id: &str) -> bool {
    false
}

/// Reads one query parameter of the current URL.
pub fn query_param(key: &'static str) -> Memo<Option<String>> {
    let q = use_query_map();
    Memo::new(move |_| q.with(|m| m.get(key)))
}

/// The non-empty URL parameters among `keys`, as a query string (a list page's data key).
pub fn query_string(keys: &'static [&'static str]) -> Memo<String> {
    let q = use_query_map();
    Memo::new(move |_| {
        q.with(|m| {
            keys.iter()
                .filter_map(|k| {
                    m.get(k)
                        .filter(|v| !v.is_empty())
                        .map(|v| format!("{k}={}", urlencoding::encode(&v)))
                })
                .collect::<Vec<_>>()
                .join("&")
        })
    })
}

/// The error a form handler put in the URL (`error`, `field`, `retry`), in the catalogue's
/// words: the URL names the error, it never supplies the text.
#[derive(Clone, Debug, PartialEq)]
pub struct FormError {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

pub fn form_error() -> Memo<Option<FormError>> {
    let q = use_query_map();
    let lang = use_lang();
    Memo::new(move |_| {
        q.with(|m| {
            m.get("error").map(|code| FormError {
                message: catalogue_error(lang, &code, m.get("retry").and_then(|r| r.parse().ok())),
                field: m.get("field").filter(|f| !f.is_empty()),
                code,
            })
        })
    })
}

/// `aria-invalid` for a field: "true" while the URL's error is about it.
pub fn aria_invalid(
    error: Memo<Option<FormError>>,
    field: &'static str,
) -> impl Fn() -> Option<&'static str> + Clone + Send + Sync + 'static {
    move || {
        error
            .get()
            .is_some_and(|e| e.field.as_deref() == Some(field))
            .then_some("true")
    }
}

/// An error shown next to a field (and announced), when the URL's error is about that field.
#[component]
pub fn FieldError(error: Memo<Option<FormError>>, field: &'static str) -> impl IntoView {
    let id = format!("{field}-error");
    move || {
        error
            .get()
            .filter(|e| e.field.as_deref() == Some(field))
            .map(|e| {
                view! { <p class="field-error" id=id.clone() role="alert">{e.message}</p> }
            })
    }
}

/// A page-level error (one not about a particular field).
#[component]
pub fn FormAlert(
    error: Memo<Option<FormError>>,
    #[prop(optional)] fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field.as_deref().is_none_or(|f| !fields.contains(&f)))
            .map(|e| view! { <div class="alert alert-error" role="alert">{e.message}</div> })
    }
}

/// A destructive action behind a confirmation that names what will happen. Without JavaScript
/// the button is a link to a confirmation page (`confirm_href`) holding the real form; with
/// JavaScript the same words open in a modal dialog, Cancel first and focused. The action itself
/// is always a plain POST form, so the server's checks are the same either way.
#[component]
pub fn ConfirmButton(
    /// Where the confirmed form posts.
    action: String,
    /// The confirmation page for browsers without JavaScript.
    confirm_href: String,
    /// Where the server sends the browser afterwards.
    back: String,
    /// The button's visible text ("Revoke").
    label: String,
    /// Screen-reader text naming the target (" code ABCD-…").
    #[prop(optional)]
    sr: String,
    /// The question ("Revoke ABCD-…?").
    title: String,
    /// What follows from it.
    body: String,
    /// The confirming button's text ("Revoke code").
    confirm_label: String,
    /// The trigger's classes.
    #[prop(default = "btn btn-small btn-danger")]
    class: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(d) = dialog.get() {
                if !d.open() {
                    let _ = d.show_modal();
                }
            }
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        open.set(true);
    };
    // The trigger is a link (it must work without JavaScript) acting as a button, so Space
    // opens it as it would a button; Enter already follows the link's click.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == " " {
            ev.prevent_default();
            open.set(true);
        }
    };
    let close = move |_| {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
        open.set(false);
    };
    let title_id = format!("confirm-{}", action.replace(['/', '{', '}'], "-"));
    let data = StoredValue::new((action, back, title, body, confirm_label, title_id));
    view! {
        <a class=class href=confirm_href role="button" aria-haspopup="dialog" on:click=on_click on:keydown=on_key>
            {label}<span class="sr-only">{sr}</span>
        </a>
        <Show when=move || open.get()>
            {move || {
                let (action, back, title, body, confirm_label, title_id) = data.get_value();
                let labelled_by = title_id.clone();
                let body_id = format!("{title_id}-what");
                let described_by = body_id.clone();
                view! {
                    <dialog class="dialog confirm-dialog" node_ref=dialog aria-labelledby=labelled_by
                        aria-describedby=described_by on:close=move |_| open.set(false)>
                        <h2 id=title_id>{title}</h2>
                        <p id=body_id>{body}</p>
                        <form method="post" action=action class="dialog-actions">
                            <input type="hidden" name="back" value=back/>
                            <button type="button" class="btn" autofocus on:click=close>{t!(lang, "confirm-cancel")}</button>
                            <button type="submit" class="btn btn-danger-solid">{confirm_label}</button>
                        </form>
                    </dialog>
                }
            }}
        </Show>
    }
}

/// The confirmation page behind a [`ConfirmButton`] for browsers without JavaScript.
#[component]
pub fn ConfirmCard(
    action: String,
    back: String,
    title: String,
    body: String,
    confirm_label: String,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <leptos_meta::Title text=title.clone()/>
        <section class="card narrow confirm-card" aria-labelledby="confirm-title">
            <h1 id="confirm-title">{title}</h1>
            <p>{body}</p>
            <form method="post" action=action class="dialog-actions">
                <input type="hidden" name="back" value=back.clone()/>
                <a class="btn" href=back>{t!(lang, "confirm-cancel")}</a>
                <button type="submit" class="btn btn-danger-solid">{confirm_label}</button>
            </form>
        </section>
    }
}

/// What an empty table says instead of nothing: why it is empty and the next step.
#[component]
pub fn EmptyState(
    message: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] action: Option<(String, String)>,
) -> impl IntoView {
    view! {
        <div class="empty-state" role="status">
            <p class="empty-title">{message}</p>
            {hint.map(|h| view! { <p class="muted">{h}</p> })}
            {action.map(|(href, label)| view! { <a class="btn" href=href>{label}</a> })}
        </div>
    }
}
