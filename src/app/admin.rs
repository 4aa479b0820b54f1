//! Admin pages: `/admin/users`, `/admin/divisions`, `/admin/bulk` and `/admin/outbox`.

use super::widgets::{
    form_error, query_param, query_string, EmptyState, FieldError, FormAlert, LocalTime,
};
use super::{AdminOnly, Layout};
use crate::domain::Action;
use crate::i18n::{domain_error_text, role_label, use_lang};
use crate::server_fns::{division_choices, outbox_messages, user_rows};
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UsersPage() -> impl IntoView {
    let users = crate::app::data::data(
        || (),
        |_| async move {
            (
                user_rows().await,
                division_choices().await.unwrap_or_default(),
            )
        },
    );
    let error = form_error();
    let disabled = query_param("disabled");
    let updated = query_param("updated");
    let enabled = query_param("enabled");
    let reset_for = query_param("reset_for");
    let reset_link = query_param("reset_link");
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "nav-users")/>
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ManageUsers>
                <h1>{t!(lang, "nav-users")}</h1>
                {move || disabled.get().map(|u| view! {
                    <div class="alert alert-success alert-undo" role="status">
                        <span>{t!(lang, "flash-user-disabled", user = u.clone())}</span>
                        <form method="post" action=format!("/admin/users/{u}/enable") class="inline">
                            <button type="submit" class="btn btn-small">{t!(lang, "action-undo")}<span class="sr-only">{t!(lang, "undo-disable-sr", user = u.clone())}</span></button>
                        </form>
                    </div>
                })}
                {move || updated.get().map(|u| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-user-updated", user = u)}</div> })}
                {move || enabled.get().map(|u| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-user-enabled", user = u)}</div> })}
                {move || reset_link.get().map(|link| view! {
                    <div class="alert alert-success" role="status">
                        <p>{t!(lang, "flash-reset-link", user = reset_for.get().unwrap_or_default())}</p>
                        <label class="sr-only" for="reset-link">{t!(lang, "reset-link-label")}</label>
                        <input id="reset-link" class="secret" type="text" readonly value=link/>
                    </div>
                })}
                <FormAlert error=error/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let (users, divisions) = users.await;
                        match users {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any(),
                            Ok(rows) if rows.is_empty() => view! {
                                <EmptyState message=t!(lang, "users-empty") hint=t!(lang, "users-empty-hint")
                                    action=("/invitations?create=1".to_string(), t!(lang, "create-invitation"))/>
                            }.into_any(),
                            Ok(rows) => view! {
                                <div class="table-wrap"><table class="table">
                                    <caption class="sr-only">{t!(lang, "nav-users")}</caption>
                                    <thead><tr><th scope="col">{t!(lang, "field-username")}</th><th scope="col">{t!(lang, "col-email")}</th><th scope="col">{t!(lang, "col-role")}</th><th scope="col">{t!(lang, "field-division")}</th><th scope="col">{t!(lang, "col-status")}</th><th scope="col">{t!(lang, "detail-created")}</th><th scope="col">{t!(lang, "col-actions")}</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| {
                                            let u = r.user;
                                            let divisions = divisions.clone();
                                            view! {
                                                <tr>
                                                    <td>{u.username.clone()}</td>
                                                    <td class="wrap">{u.email.clone().unwrap_or_else(|| "—".into())}</td>
                                                    <td>{role_label(lang, u.role)}</td>
                                                    <td>{u.division.clone().unwrap_or_else(|| "—".into())}</td>
                                                    <td>{if r.disabled { view! { <span class="badge badge-revoked">{t!(lang, "user-disabled")}</span> } } else { view! { <span class="badge badge-active">{t!(lang, "user-active")}</span> } }}</td>
                                                    <td><LocalTime at=u.created_at/></td>
                                                    <td class="actions">
                                                        <super::controls::UserActions user=u.clone() disabled=r.disabled divisions=divisions/>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </AdminOnly>
        </Layout>
    }
}

#[component]
pub fn DivisionsPage() -> impl IntoView {
    let divisions = crate::app::data::data(|| (), |_| division_choices());
    let error = form_error();
    let created = query_param("created");
    let renamed = query_param("renamed");
    let quota = query_param("quota");
    let deleted = query_param("deleted");
    let slug = query_param("slug");
    let name = query_param("name");
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "nav-divisions")/>
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ManageDivisions>
                <h1>{t!(lang, "nav-divisions")}</h1>
                {move || created.get().map(|s| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-division-created", division = s)}</div> })}
                {move || renamed.get().map(|s| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-division-renamed", division = s)}</div> })}
                {move || quota.get().map(|s| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-division-quota", division = s)}</div> })}
                {move || deleted.get().map(|s| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-division-deleted", division = s)}</div> })}
                <FormAlert error=error fields=&["slug", "name"]/>
                <form method="post" action="/admin/divisions/new" class="filters" aria-label=t!(lang, "division-create-label")>
                    <div class="field"><label for="slug">{t!(lang, "division-slug")}</label>
                        <input id="slug" name="slug" type="text" required value=move || slug.get().unwrap_or_default() aria-describedby="slug-error"/>
                        <FieldError error=error field="slug"/></div>
                    <div class="field grow"><label for="name">{t!(lang, "division-name")}</label>
                        <input id="name" name="name" type="text" required value=move || name.get().unwrap_or_default() aria-describedby="name-error"/>
                        <FieldError error=error field="name"/></div>
                    <button type="submit" class="btn btn-primary">{t!(lang, "division-create")}</button>
                </form>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match divisions.await {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any(),
                            Ok(rows) if rows.is_empty() => view! {
                                <EmptyState message=t!(lang, "divisions-empty") hint=t!(lang, "divisions-empty-hint")/>
                            }.into_any(),
                            Ok(rows) => view! {
                                <div class="table-wrap"><table class="table">
                                    <caption class="sr-only">{t!(lang, "nav-divisions")}</caption>
                                    <thead><tr><th scope="col">{t!(lang, "division-name")}</th><th scope="col">{t!(lang, "division-slug")}</th><th scope="col">{t!(lang, "detail-created")}</th><th scope="col">{t!(lang, "division-rename")}</th><th scope="col">{t!(lang, "division-quota")}</th></tr></thead>
                                    <tbody>{rows.into_iter().map(|d| {
                                        let input_id = format!("rename-{}", d.slug);
                                        view! {
                                            <tr>
                                                <td>{d.name.clone()}</td>
                                                <td><code>{d.slug.clone()}</code></td>
                                                <td><LocalTime at=d.created_at/></td>
                                                <td>
                                                    <form method="post" action=format!("/admin/divisions/{}/rename", d.slug) class="inline">
                                                        <label class="sr-only" for=input_id.clone()>{t!(lang, "division-new-name", division = d.name.clone())}</label>
                                                        <input id=input_id name="name" type="text" required value=d.name.clone()/>
                                                        " "
                                                        <button type="submit" class="btn btn-small">{t!(lang, "division-rename")}</button>
                                                    </form>
                                                </td>
                                                <td class="actions"><super::controls::DivisionControls division=d.clone()/></td>
                                            </tr>
                                        }
                                    }).collect_view()}</tbody>
                                </table></div>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </AdminOnly>
        </Layout>
    }
}

#[component]
pub fn BulkPage() -> impl IntoView {
    let upload = query_param("upload");
    let error = form_error();
    let preview = crate::app::data::data(
        move || upload.get().and_then(|u| u.parse::<i64>().ok()),
        |id| async move {
            match id {
                Some(id) => Some(crate::server_fns::bulk_preview(id).await),
                None => None,
            }
        },
    );
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "nav-bulk")/>
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::BulkCreate>
                <h1>{t!(lang, "nav-bulk")}</h1>
                <p class="muted">{t!(lang, "bulk-intro-header")}" "<code>"email,role,division,expires_at"</code>
                   ". "{t!(lang, "bulk-intro-rule")}</p>
                <FormAlert error=error/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match preview.await {
                            None => view! { <UploadForm/> }.into_any(),
                            Some(Err(e)) => view! {
                                <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div>
                                <UploadForm/>
                            }.into_any(),
                            Some(Ok(p)) if p.committed => view! { <Committed p=p/> }.into_any(),
                            Some(Ok(p)) => view! { <DryRun p=p/> }.into_any(),
                        }
                    })}
                </Transition>
            </AdminOnly>
        </Layout>
    }
}

/// While a long form post is under way: a progress bar and what is happening, announced. The
/// button beside it is disabled, so a second click cannot send the form again (and the server
/// commits a staged file only once in any case).
#[component]
fn Busy(busy: RwSignal<bool>, id: &'static str, text: String) -> impl IntoView {
    view! {
        <span id=id class="busy" role="status" aria-live="polite">
            <Show when=move || busy.get()>
                <progress class="busy-bar" aria-label=text.clone()></progress>
                <span>{text.clone()}</span>
            </Show>
        </span>
    }
}

#[component]
fn UploadForm() -> impl IntoView {
    let lang = use_lang();
    let busy = RwSignal::new(false);
    view! {
        <form method="post" action="/admin/bulk" enctype="multipart/form-data" class="card stack" aria-label=t!(lang, "bulk-upload-label")
            on:submit=move |_| busy.set(true)>
            <div class="field">
                <label for="bulk-file">{t!(lang, "bulk-file")}</label>
                <input id="bulk-file" name="file" type="file" accept=".csv,text/csv"/>
            </div>
            <div class="field">
                <label for="bulk-csv">{t!(lang, "bulk-paste")}</label>
                <textarea id="bulk-csv" name="csv" rows="6" placeholder="email,role,division,expires_at&#10;ana@example.com,staff,sales,"></textarea>
            </div>
            <div class="busy-row">
                <button type="submit" class="btn btn-primary" disabled=move || busy.get() aria-describedby="bulk-check-busy">{t!(lang, "bulk-check")}</button>
                <Busy busy=busy id="bulk-check-busy" text=t!(lang, "bulk-checking")/>
            </div>
        </form>
    }
}

#[component]
fn DryRun(p: crate::domain::BulkPreview) -> impl IntoView {
    let bad = p.rows.iter().filter(|r| !r.ok).count();
    let total = p.rows.len();
    let id = p.id;
    let lang = use_lang();
    let busy = RwSignal::new(false);
    let source = p
        .filename
        .clone()
        .unwrap_or_else(|| t!(lang, "bulk-pasted"));
    view! {
        <section aria-labelledby="dry-run-title">
            <h2 id="dry-run-title">{t!(lang, "bulk-dry-run-title", source = source)}</h2>
            {if bad == 0 {
                view! {
                    <div class="alert alert-success" role="status">{t!(lang, "bulk-all-valid", total = total)}</div>
                    <form method="post" action=format!("/admin/bulk/{id}/commit") class="inline busy-row" on:submit=move |_| busy.set(true)>
                        <button type="submit" class="btn btn-primary" disabled=move || busy.get() aria-describedby="bulk-create-busy">{t!(lang, "bulk-create", total = total)}</button>
                        <Busy busy=busy id="bulk-create-busy" text=t!(lang, "bulk-creating", total = total)/>
                    </form>
                    " "
                    <a class="btn" href="/admin/bulk">{t!(lang, "bulk-start-over")}</a>
                }.into_any()
            } else {
                view! {
                    <div class="alert alert-error" role="alert">{t!(lang, "bulk-some-bad", bad = bad, total = total)}</div>
                    <a class="btn" href="/admin/bulk">{t!(lang, "bulk-upload-corrected")}</a>
                }.into_any()
            }}
            <div class="table-wrap"><table class="table">
                <caption class="sr-only">{t!(lang, "bulk-rows-caption")}</caption>
                <thead><tr><th scope="col">{t!(lang, "bulk-col-row")}</th><th scope="col">{t!(lang, "col-email")}</th><th scope="col">{t!(lang, "col-role")}</th><th scope="col">{t!(lang, "field-division")}</th><th scope="col">{t!(lang, "col-expires")}</th><th scope="col">{t!(lang, "bulk-col-verdict")}</th></tr></thead>
                <tbody>{p.rows.into_iter().map(|r| view! {
                    <tr class=if r.ok { "" } else { "row-bad" }>
                        <td>{r.row}</td>
                        <td>{r.email.unwrap_or_else(|| "—".into())}</td>
                        <td>{r.role.unwrap_or_else(|| "staff".into())}</td>
                        <td>{r.division.unwrap_or_else(|| "—".into())}</td>
                        <td>{r.expires_at.unwrap_or_else(|| t!(lang, "bulk-default-expiry"))}</td>
                        <td>{if r.ok { view! { <span class="badge badge-active">{t!(lang, "bulk-ok")}</span> }.into_any() } else { view! { <span class="field-error">{r.problem.unwrap_or_default()}</span> }.into_any() }}</td>
                    </tr>
                }.into_any()).collect_view()}</tbody>
            </table></div>
        </section>
    }
}

#[component]
fn Committed(p: crate::domain::BulkPreview) -> impl IntoView {
    let id = p.id;
    let n = p.created.len();
    let lang = use_lang();
    view! {
        <div class="alert alert-success" role="status">{t!(lang, "bulk-created", total = n)}</div>
        <p>
            <a class="btn btn-primary" href=format!("/admin/bulk/{id}/codes.csv") download="onboard-codes.csv">{t!(lang, "bulk-download")}</a>
            " "
            <a class="btn" href="/admin/bulk">{t!(lang, "bulk-upload-another")}</a>
        </p>
        <div class="table-wrap"><table class="table">
            <caption class="sr-only">{t!(lang, "bulk-created-caption")}</caption>
            <thead><tr><th scope="col">{t!(lang, "col-code")}</th><th scope="col">{t!(lang, "col-email")}</th><th scope="col">{t!(lang, "col-role")}</th><th scope="col">{t!(lang, "field-division")}</th><th scope="col">{t!(lang, "col-expires")}</th></tr></thead>
            <tbody>{p.created.into_iter().map(|i| view! {
                <tr>
                    <td><code class="code">{i.code}</code></td>
                    <td>{i.email.unwrap_or_else(|| "—".into())}</td>
                    <td>{role_label(lang, i.role)}</td>
                    <td>{i.division.unwrap_or_else(|| "—".into())}</td>
                    <td><LocalTime at=i.expires_at/></td>
                </tr>
            }.into_any()).collect_view()}</tbody>
        </table></div>
    }
}

/// `/admin/outbox`: every invitation email, queued, sent or failed, with its text.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = use_query_map();
    let qs = query_string(&["status", "page"]);
    // Created outside the Suspend below so hydration finds its serialised value.
    let data = crate::app::data::data(move || qs.get(), outbox_messages);
    let status = move || query.with(|m| m.get("status")).unwrap_or_default();
    let lang = use_lang();
    let options = move || {
        [
            ("", t!(lang, "status-all")),
            ("queued", t!(lang, "mail-queued")),
            ("sent", t!(lang, "mail-sent")),
            ("failed", t!(lang, "mail-failed")),
        ]
    };
    view! {
        <Title text=t!(lang, "nav-outbox")/>
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ViewOutbox>
                <h1>{t!(lang, "nav-outbox")}</h1>
                <p class="muted">{t!(lang, "outbox-intro")}</p>
                <form method="get" action="/admin/outbox" class="filters" role="search" aria-label=t!(lang, "outbox-filters-label")>
                    <div class="field">
                        <label for="outbox-status">{t!(lang, "col-status")}</label>
                        <select id="outbox-status" name="status">
                            {options().into_iter().map(|(v, l)| {
                                view! { <option value=v selected=move || status() == v>{l}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="btn">{t!(lang, "filter-apply")}</button>
                </form>
                <Transition fallback=move || view! { <p class="muted">{t!(lang, "loading")}</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any(),
                            Ok(page) => {
                                let pages = ((page.total.max(0) as u32).div_ceil(page.per_page.max(1))).max(1);
                                let current = page.page;
                                let link = move |n: u32| {
                                    let s = status();
                                    if s.is_empty() { format!("/admin/outbox?page={n}") } else { format!("/admin/outbox?status={s}&page={n}") }
                                };
                                view! {
                                    <nav class="pager" aria-label=t!(lang, "pager-label")>
                                        {(current > 1).then(|| view! { <a class="btn" rel="prev" href=link(current - 1)>{t!(lang, "pager-previous")}</a> })}
                                        <span class="muted">{t!(lang, "outbox-pager-summary", page = current.min(pages), pages = pages, total = page.total)}</span>
                                        {(current < pages).then(|| view! { <a class="btn" rel="next" href=link(current + 1)>{t!(lang, "pager-next")}</a> })}
                                    </nav>
                                    {if page.items.is_empty() {
                                        view! { <EmptyState message=t!(lang, "outbox-empty") hint=t!(lang, "outbox-empty-hint")/> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="emails card">
                                                {page.items.into_iter().map(|m| {
                                                    let inv = m.invitation_id;
                                                    let subject = m.subject.clone();
                                                    let body = m.body.clone();
                                                    view! {
                                                        <li>
                                                            <super::detail::EmailLine m=m/>
                                                            <details>
                                                                <summary>{subject}</summary>
                                                                <pre class="mail-body">{body}</pre>
                                                            </details>
                                                            {inv.map(|i| view! { <a href=format!("/invitations/{i}")>{t!(lang, "outbox-view-invitation")}</a> })}
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
            </AdminOnly>
        </Layout>
    }
}
