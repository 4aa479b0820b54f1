//! onboard: an invitation-code manager for organisations split into divisions.
//!
//! `domain` is pure and shared with the browser; `app` is the Leptos UI; `server_fns` are the
//! UI's server functions. Everything else is server-only (`ssr`).

#![recursion_limit = "512"]

pub mod app;
pub mod domain;
pub mod i18n;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod memory;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod web;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Hydration is asynchronous: a page whose view is a lazily loaded chunk (see `app`'s
    // `lazy_pages!`) is hydrated once its chunk has arrived.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        else {
            return;
        };
        // A dashboard that opens with its create dialog hydrates the dialog the server drew;
        // without that dialog's code the page stays as sent, working as it does without
        // JavaScript.
        if !app::invitations::prepare_dialog().await {
            return;
        }
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // A marker for people and tests: the page is interactive now.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
