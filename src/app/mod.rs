//! The Leptos UI: the HTML shell, the router and the layout every signed-in page shares.
//! Components use `domain` types and call server functions. The server is the only gate; every
//! control a page shows is asked of the same policy table (`Viewer::may*`), so what is offered
//! is exactly what would be allowed.

pub mod admin;
pub mod audit;
pub mod audit_words;
pub mod confirm;
pub mod controls;
pub mod data;
pub mod detail;
pub mod invitations;
pub mod join;
pub mod login;
pub mod webhooks;
pub mod widgets;

use crate::domain::{Action, Lang, Viewer};
use crate::i18n::{request_lang, role_label, use_lang};
use crate::server_fns::get_viewer;
use crate::t;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{lazy_route, path, Lazy, LazyRoute};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="leptos" href=stylesheet_href(&options)/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The stylesheet's URL: content-hashed when the site was built so (`hash.txt`), else plain.
/// Read once; the page shell is rendered on the server only.
fn stylesheet_href(options: &LeptosOptions) -> String {
    #[cfg(feature = "ssr")]
    {
        static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        HREF.get_or_init(|| {
            let pkg = &options.site_pkg_dir;
            let hash = options
                .hash_files
                .then(|| std::fs::read_to_string(options.hash_file.as_ref()).ok())
                .flatten()
                .and_then(|text| crate::domain::asset::hash_of(&text, "css"));
            match hash {
                Some(h) => format!("/{pkg}/onboard.{h}.css"),
                None => format!("/{pkg}/onboard.css"),
            }
        })
        .clone()
    }
    #[cfg(not(feature = "ssr"))]
    {
        format!("/{}/onboard.css", options.site_pkg_dir)
    }
}

pub type ViewerResource = data::Data<Result<Option<Viewer>, crate::domain::DomainError>>;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);
    widgets::provide_clock();
    let viewer: ViewerResource = crate::app::data::data(|| (), |_| get_viewer());
    provide_context(viewer);
    view! {
        <Title formatter=|t: String| if t.is_empty() { "onboard".to_string() } else { format!("{t} · onboard") }/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                // The manager's dashboard is in the main WASM; every other page is a lazily
                // loaded chunk, fetched on first visit (see `lazy_pages!` below).
                <Route path=path!("/invitations") view=invitations::InvitationsPage/>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                <Route path=path!("/logout") view={Lazy::<LogoutRoute>::new()}/>
                <Route path=path!("/join") view={Lazy::<JoinRoute>::new()}/>
                <Route path=path!("/reset/:token") view={Lazy::<ResetRoute>::new()}/>
                <Route path=path!("/invitations/:id") view={Lazy::<DetailRoute>::new()}/>
                <Route path=path!("/invitations/:id/confirm") view={Lazy::<ConfirmInvitationRoute>::new()}/>
                <Route path=path!("/admin/users/:username/confirm") view={Lazy::<ConfirmUserRoute>::new()}/>
                <Route path=path!("/admin/divisions/:slug/confirm") view={Lazy::<ConfirmDivisionRoute>::new()}/>
                <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()}/>
                <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()}/>
                <Route path=path!("/admin/users") view={Lazy::<UsersRoute>::new()}/>
                <Route path=path!("/admin/divisions") view={Lazy::<DivisionsRoute>::new()}/>
                <Route path=path!("/admin/bulk") view={Lazy::<BulkRoute>::new()}/>
                <Route path=path!("/admin/outbox") view={Lazy::<OutboxRoute>::new()}/>
                <Route path=path!("/admin/settings") view={Lazy::<SettingsRoute>::new()}/>
                <Route path=path!("/admin/webhooks") view={Lazy::<WebhooksRoute>::new()}/>
                <Route path=path!("/admin/webhooks/:id") view={Lazy::<WebhookRoute>::new()}/>
                <Route path=path!("/admin/webhooks/:id/confirm") view={Lazy::<ConfirmWebhookRoute>::new()}/>
            </Routes>
        </Router>
    }
}

/// Pages loaded on demand. In the browser each page's view is its own WASM chunk (`make site`
/// splits the module at these points), so the manager's first load carries only the shell and
/// the dashboard; on the server a lazy page renders like any other. A page's data is read by
/// the page itself, so `data()` holds nothing.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    LoginRoute => login::LoginPage,
    LogoutRoute => login::LogoutPage,
    JoinRoute => join::JoinPage,
    ResetRoute => login::ResetPage,
    DetailRoute => detail::DetailPage,
    ConfirmInvitationRoute => confirm::ConfirmInvitationPage,
    ConfirmUserRoute => confirm::ConfirmUserPage,
    ConfirmDivisionRoute => confirm::ConfirmDivisionPage,
    ProfileRoute => ProfilePage,
    AuditRoute => audit::AuditPage,
    UsersRoute => admin::UsersPage,
    DivisionsRoute => admin::DivisionsPage,
    BulkRoute => admin::BulkPage,
    OutboxRoute => admin::OutboxPage,
    SettingsRoute => controls::SettingsPage,
    WebhooksRoute => webhooks::WebhooksPage,
    WebhookRoute => webhooks::WebhookPage,
    ConfirmWebhookRoute => webhooks::ConfirmWebhookPage,
}

/// A page whose data is not there for this viewer (another division's list or trail, for a
/// manager) answers 404, as the API does. Nothing in the browser.
pub fn not_found_status(e: &crate::domain::DomainError) {
    #[cfg(feature = "ssr")]
    if *e == crate::domain::DomainError::NotFound {
        set_status(404);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = e;
}

/// Sets the HTTP status of a server-rendered page.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(s) = axum::http::StatusCode::from_u16(code) {
            r.set_status(s);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// The first focusable element of every page. The router handles in-page links itself, so the
/// hydrated page moves focus explicitly (the browser does it without JavaScript).
#[component]
fn SkipLink() -> impl IntoView {
    let on_click = move |_: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(main) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("main"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = main.focus();
            }
        }
    };
    view! { <a class="skip-link" href="#main" on:click=on_click>{t!(use_lang(), "skip-link")}</a> }
}

/// A page for people who are not signed in: a centred card.
#[component]
pub fn PublicLayout(children: Children) -> impl IntoView {
    view! {
        <SkipLink/>
        <div class="public">
            <header class="public-header">
                <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">"ob"</span>"onboard"</a>
                <LanguageSwitch/>
            </header>
            <main id="main" tabindex="-1" class="public-main">{children()}</main>
        </div>
    }
}

/// The signed-in shell: skip link, header (user, role, division, log out), sidebar.
///
/// The viewer is read here, in this one `Suspense`, and handed to the page (`<Layout let:viewer>`).
/// Pages must not await the viewer resource again in a nested `Suspense`: Leptos 0.8 can leave
/// a server render waiting forever when two `Suspense` boundaries read the same resource
/// (leptos-rs/leptos#4851), which showed up here as pages that never finished under load.
#[component]
pub fn Layout<F, IV>(children: F) -> impl IntoView
where
    F: Fn(Viewer) -> IV + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let viewer = expect_context::<ViewerResource>();
    let children = StoredValue::new(children);
    let lang = use_lang();
    view! {
        <SkipLink/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let v = viewer.await.ok().flatten();
                match v {
                    None => view! {
                        <PublicLayout>
                            <div class="card narrow">
                                <h1>{t!(lang, "session-ended-title")}</h1>
                                <p>{t!(lang, "session-ended-body")}</p>
                                <a class="btn btn-primary" href="/login">{t!(lang, "action-log-in")}</a>
                            </div>
                        </PublicLayout>
                    }.into_any(),
                    Some(v) => view! {
                        <div class="app">
                            <Header viewer=v.clone()/>
                            <div class="app-body">
                                <Sidebar viewer=v.clone()/>
                                <main id="main" tabindex="-1" class="content">
                                    {children.with_value(|c| c(v).into_any())}
                                </main>
                            </div>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An admin page, shown to whoever the policy lets do `action`; anyone else gets the polite
/// refusal.
#[component]
pub fn AdminOnly(viewer: Viewer, action: Action, children: Children) -> impl IntoView {
    if viewer.may(action) {
        children()
    } else {
        view! { <NotAllowed admin_page=true/> }.into_any()
    }
}

/// A page for those who manage invitations (the policy's `ListInvitations`: managers and
/// admins); staff get the polite refusal.
#[component]
pub fn ManagersOnly(viewer: Viewer, children: Children) -> impl IntoView {
    if viewer.may(Action::ListInvitations) {
        children()
    } else {
        view! { <NotAllowed/> }.into_any()
    }
}

#[component]
fn Header(viewer: Viewer) -> impl IntoView {
    let lang = use_lang();
    let u = viewer.user;
    let place = viewer
        .division_name
        .unwrap_or_else(|| t!(lang, "all-divisions"));
    let initial: String = u
        .username
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    // One set of controls: on a desk they sit in the bar (the summary is hidden and the
    // details' content always shown); on a phone they fold into an account menu. A
    // `<details>`, so the menu opens without JavaScript too.
    view! {
        <header class="topbar">
            <a class="brand" href="/invitations"><span class="brand-mark" aria-hidden="true">"ob"</span>"onboard"</a>
            <details class="account-menu">
                <summary aria-label=t!(lang, "account-menu", user = u.username.clone())>
                    <span class="avatar" aria-hidden="true">{initial}</span>
                </summary>
                <div class="whoami">
                    <a href="/profile" class="whoami-name">{u.username.clone()}</a>
                    <span class="pill">{role_label(lang, u.role)}</span>
                    <span class="muted">{place}</span>
                    <LanguageSwitch/>
                    <form method="post" action="/logout" class="inline">
                        <button type="submit" class="btn btn-ghost">{t!(lang, "action-log-out")}</button>
                    </form>
                </div>
            </details>
        </header>
    }
}

#[component]
fn Sidebar(viewer: Viewer) -> impl IntoView {
    let may = |a: Action| viewer.may(a);
    let lang = use_lang();
    view! {
        <nav class="sidebar" aria-label=t!(lang, "nav-label")>
            <p class="nav-heading" id="nav-users">{t!(lang, "nav-heading")}</p>
            <ul aria-labelledby="nav-users">
                <li><A href="/invitations">{t!(lang, "nav-invitations")}</A></li>
                {may(Action::ManageUsers).then(|| view! { <li><A href="/admin/users">{t!(lang, "nav-users")}</A></li> })}
                {may(Action::ManageDivisions).then(|| view! { <li><A href="/admin/divisions">{t!(lang, "nav-divisions")}</A></li> })}
                {may(Action::BulkCreate).then(|| view! { <li><A href="/admin/bulk">{t!(lang, "nav-bulk")}</A></li> })}
                {may(Action::ViewOutbox).then(|| view! { <li><A href="/admin/outbox">{t!(lang, "nav-outbox")}</A></li> })}
                {may(Action::ManageWebhooks).then(|| view! { <li><A href="/admin/webhooks">{t!(lang, "nav-webhooks")}</A></li> })}
                {may(Action::ManageSettings).then(|| view! { <li><A href="/admin/settings">{t!(lang, "nav-settings")}</A></li> })}
                {may(Action::ReadAudit).then(|| view! { <li><A href="/audit">{t!(lang, "nav-audit")}</A></li> })}
                <li><A href="/profile">{t!(lang, "nav-profile")}</A></li>
            </ul>
        </nav>
    }
}

/// What staff (or anyone without the right role) sees instead of a management page. Admin
/// pages say that they are for administrators; the others speak of invitation management.
#[component]
pub fn NotAllowed(#[prop(optional)] admin_page: bool) -> impl IntoView {
    set_status(403);
    let lang = use_lang();
    let body = if admin_page {
        t!(lang, "not-allowed-admin-body")
    } else {
        t!(lang, "not-allowed-body")
    };
    view! {
        <Title text=t!(lang, "not-allowed-title")/>
        <div class="card narrow">
            <h1>{t!(lang, "not-allowed-title")}</h1>
            <p>{body}</p>
            <a class="btn" href="/profile">{t!(lang, "not-allowed-action")}</a>
        </div>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let lang = use_lang();
    view! {
        <PublicLayout>
            <Title text=t!(lang, "not-found-title")/>
            <div class="card narrow">
                <h1>{t!(lang, "not-found-title")}</h1>
                <p>{t!(lang, "not-found-body")}</p>
                <a class="btn btn-primary" href="/">{t!(lang, "not-found-action")}</a>
            </div>
        </PublicLayout>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let welcome = move || query.with(|q| q.get("welcome").is_some());
    let linked_now = move || query.with(|q| q.get("oidc_linked").is_some());
    let lang = use_lang();
    // Created outside the layout's Suspend so hydration finds its serialised value.
    let sign_in = crate::app::data::data(|| (), |_| crate::server_fns::my_sign_in());
    // A refused connection comes back as `oidc_error=<code>` (the token form owns `error`).
    let link_error = move || query.with(|q| q.get("oidc_error"));
    view! {
        <Title text=t!(lang, "nav-profile")/>
        <Layout let:viewer>
            <h1>{t!(lang, "profile-title")}</h1>
            <Show when=welcome>
                <div class="alert alert-success" role="status">{t!(lang, "profile-welcome")}</div>
            </Show>
            <Show when=linked_now>
                <div class="alert alert-success" role="status">{t!(lang, "profile-oidc-linked")}</div>
            </Show>
            {move || link_error().map(|code| view! {
                <div class="alert alert-error" role="alert">{crate::i18n::catalogue_error(lang, &code, None)}</div>
            })}
            {
                let tokens_for = viewer.clone();
                let u = viewer.user;
                view! {
                    <dl class="card details">
                        <dt>{t!(lang, "field-username")}</dt><dd>{u.username}</dd>
                        <dt>{t!(lang, "field-email")}</dt><dd>{u.email.unwrap_or_else(|| "—".into())}</dd>
                        <dt>{t!(lang, "field-role")}</dt><dd>{role_label(lang, u.role)}</dd>
                        <dt>{t!(lang, "field-division")}</dt><dd>{viewer.division_name.unwrap_or_else(|| t!(lang, "all-divisions"))}</dd>
                        <dt>{t!(lang, "profile-member-since")}</dt><dd><widgets::LocalTime at=u.created_at/></dd>
                    </dl>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            sign_in.await.ok().flatten().map(|(name, linked)| view! {
                                <section class="card" aria-labelledby="oidc-title">
                                    <h2 id="oidc-title">{t!(lang, "profile-oidc-title", name = name.clone())}</h2>
                                    <p class="muted">{if linked {
                                        t!(lang, "profile-oidc-on", name = name.clone())
                                    } else {
                                        t!(lang, "profile-oidc-off", name = name.clone())
                                    }}</p>
                                    <form method="post" action="/profile/oidc">
                                        <button type="submit" class="btn">{if linked {
                                            t!(lang, "profile-oidc-relink", name = name)
                                        } else {
                                            t!(lang, "profile-oidc-link", name = name)
                                        }}</button>
                                    </form>
                                </section>
                            })
                        })}
                    </Transition>
                    <controls::TokensSection viewer=tokens_for/>
                }
            }
        </Layout>
    }
}

/// Switches the interface language: a one-button form naming the other language in its own
/// words. It posts to `/lang`, which remembers the choice in a cookie and sends the browser
/// back to this page, rendered by the server in the new language (with or without JavaScript).
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = leptos_router::hooks::use_location();
    let here = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let other = match lang {
        Lang::En => Lang::Id,
        Lang::Id => Lang::En,
    };
    view! {
        <form method="post" action="/lang" class="inline lang-switch">
            <input type="hidden" name="lang" value=other.tag()/>
            <input type="hidden" name="next" value=here/>
            <button type="submit" class="btn btn-ghost" lang=other.tag() title=t!(lang, "language-switch-title")>
                {other.native_name()}
            </button>
        </form>
    }
}
