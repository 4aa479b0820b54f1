//! Small shared components: local times, status badges, the copy button, alerts.

use crate::domain::{Lang, Status};
use crate::i18n::{catalogue_error, format_utc, status_label, use_lang};
use crate::t;
use chrono::{DateTime, SecondsFormat, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// An instant: the exact time in `datetime`, shown in the viewer's time zone once hydrated
/// (UTC before that, and without JavaScript).
#[component]
pub fn LocalTime(at: DateTime<Utc>) -> impl IntoView {
    let lang = use_lang();
    let iso = at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let text = RwSignal::new(format_utc(lang, at));
    let ms = at.timestamp_millis() as f64;
    Effect::new(move |_| {
        if let Some(s) = local_string(ms, lang) {
            text.set(s);
        }
    });
    view! { <time datetime=iso.clone() title=iso>{move || text.get()}</time> }
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

/// Copies a code: the clipboard when the browser allows it, else selects the code on the page so
/// the user can press Ctrl+C. Without JavaScript the form posts and the server records the copy.
#[component]
pub fn CopyButton(id: i64, code: String, back: String) -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(0u8); // 0 idle, 1 copied, 2 selected for manual copy
    let code_for_click = code.clone();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let ok = copy_text(&code_for_click, &format!("code-{id}"));
        state.set(if ok { 1 } else { 2 });
        set_timeout(move || state.set(0), std::time::Duration::from_secs(3));
        leptos::task::spawn_local(async move {
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
        </form>
    }
}

#[cfg(feature = "hydrate")]
fn copy_text(text: &str, element_id: &str) -> bool {
    let Some(win) = web_sys::window() else {
        return false;
    };
    let nav = win.navigator();
    let has_clipboard = js_sys::Reflect::get(&nav, &"clipboard".into())
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false);
    if has_clipboard {
        let _ = nav.clipboard().write_text(text);
        return true;
    }
    // Fallback: select the code so the user can copy it by hand.
    if let (Some(doc), Ok(Some(sel))) = (win.document(), win.get_selection()) {
        if let Some(el) = doc.get_element_by_id(element_id) {
            let _ = sel.select_all_children(&el);
        }
    }
    false
}

#[cfg(not(feature = "hydrate"))]
fn copy_text(_text: &str, _element_id: &str) -> bool {
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
