//! Admin pages: `/admin/users`, `/admin/divisions`, `/admin/bulk` and `/admin/outbox`.

use super::widgets::{form_error, query_param, query_string, FieldError, FormAlert, LocalTime};
use super::{Layout, NotAllowed, ViewerResource};
use crate::domain::Role;
use crate::server_fns::{division_choices, domain_error, outbox_messages, user_rows};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let viewer = expect_context::<ViewerResource>();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match viewer.await.ok().flatten() {
                    Some(v) if v.user.role == Role::Admin => children.with_value(|c| c()).into_any(),
                    _ => view! { <NotAllowed/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| user_rows());
    let error = form_error();
    let disabled = query_param("disabled");
    view! {
        <Title text="Users"/>
        <Layout>
            <AdminOnly>
                <h1>"Users"</h1>
                {move || disabled.get().map(|u| view! { <div class="alert alert-success" role="status">{format!("{u} was disabled; their sessions ended and their open codes are suspended.")}</div> })}
                <FormAlert error=error/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match users.await {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error(&e).to_string()}</div> }.into_any(),
                            Ok(rows) => view! {
                                <div class="table-wrap"><table class="table">
                                    <caption class="sr-only">"Users"</caption>
                                    <thead><tr><th scope="col">"Username"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Division"</th><th scope="col">"Status"</th><th scope="col">"Created"</th><th scope="col">"Actions"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| {
                                            let u = r.user;
                                            let name = u.username.clone();
                                            view! {
                                                <tr>
                                                    <td>{u.username.clone()}</td>
                                                    <td>{u.email.clone().unwrap_or_else(|| "—".into())}</td>
                                                    <td>{u.role.label()}</td>
                                                    <td>{u.division.clone().unwrap_or_else(|| "—".into())}</td>
                                                    <td>{if r.disabled { view! { <span class="badge badge-revoked">"Disabled"</span> } } else { view! { <span class="badge badge-active">"Active"</span> } }}</td>
                                                    <td><LocalTime at=u.created_at/></td>
                                                    <td class="actions">{(!r.disabled).then(|| view! {
                                                        <form method="post" action=format!("/admin/users/{name}/disable") class="inline">
                                                            <button type="submit" class="btn btn-small btn-danger">"Disable"<span class="sr-only">" " {name.clone()}</span></button>
                                                        </form>
                                                    })}</td>
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
    let divisions = Resource::new(|| (), |_| division_choices());
    let error = form_error();
    let created = query_param("created");
    let renamed = query_param("renamed");
    let slug = query_param("slug");
    let name = query_param("name");
    view! {
        <Title text="Divisions"/>
        <Layout>
            <AdminOnly>
                <h1>"Divisions"</h1>
                {move || created.get().map(|s| view! { <div class="alert alert-success" role="status">{format!("Division {s} created.")}</div> })}
                {move || renamed.get().map(|s| view! { <div class="alert alert-success" role="status">{format!("Division {s} renamed.")}</div> })}
                <FormAlert error=error fields=&["slug", "name"]/>
                <form method="post" action="/admin/divisions/new" class="filters" aria-label="Create a division">
                    <div class="field"><label for="slug">"Slug"</label>
                        <input id="slug" name="slug" type="text" required value=move || slug.get().unwrap_or_default() aria-describedby="slug-error"/>
                        <FieldError error=error field="slug"/></div>
                    <div class="field grow"><label for="name">"Name"</label>
                        <input id="name" name="name" type="text" required value=move || name.get().unwrap_or_default() aria-describedby="name-error"/>
                        <FieldError error=error field="name"/></div>
                    <button type="submit" class="btn btn-primary">"Create division"</button>
                </form>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match divisions.await {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error(&e).to_string()}</div> }.into_any(),
                            Ok(rows) => view! {
                                <div class="table-wrap"><table class="table">
                                    <caption class="sr-only">"Divisions"</caption>
                                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Slug"</th><th scope="col">"Created"</th><th scope="col">"Rename"</th></tr></thead>
                                    <tbody>{rows.into_iter().map(|d| {
                                        let input_id = format!("rename-{}", d.slug);
                                        view! {
                                            <tr>
                                                <td>{d.name.clone()}</td>
                                                <td><code>{d.slug.clone()}</code></td>
                                                <td><LocalTime at=d.created_at/></td>
                                                <td>
                                                    <form method="post" action=format!("/admin/divisions/{}/rename", d.slug) class="inline">
                                                        <label class="sr-only" for=input_id.clone()>{format!("New name for {}", d.name)}</label>
                                                        <input id=input_id name="name" type="text" required value=d.name.clone()/>
                                                        " "
                                                        <button type="submit" class="btn btn-small">"Rename"</button>
                                                    </form>
                                                </td>
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
    let preview = Resource::new(
        move || upload.get().and_then(|u| u.parse::<i64>().ok()),
        |id| async move {
            match id {
                Some(id) => Some(crate::server_fns::bulk_preview(id).await),
                None => None,
            }
        },
    );
    view! {
        <Title text="Bulk onboarding"/>
        <Layout>
            <AdminOnly>
                <h1>"Bulk onboarding"</h1>
                <p class="muted">"Upload a CSV with the header "<code>"email,role,division,expires_at"</code>
                   ". Every row is checked first; creating is all-or-nothing."</p>
                <FormAlert error=error/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match preview.await {
                            None => view! { <UploadForm/> }.into_any(),
                            Some(Err(e)) => view! {
                                <div class="alert alert-error" role="alert">{domain_error(&e).to_string()}</div>
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

#[component]
fn UploadForm() -> impl IntoView {
    view! {
        <form method="post" action="/admin/bulk" enctype="multipart/form-data" class="card stack" aria-label="Upload a CSV">
            <div class="field">
                <label for="bulk-file">"CSV file"</label>
                <input id="bulk-file" name="file" type="file" accept=".csv,text/csv"/>
            </div>
            <div class="field">
                <label for="bulk-csv">"Or paste CSV"</label>
                <textarea id="bulk-csv" name="csv" rows="6" placeholder="email,role,division,expires_at&#10;ana@example.com,staff,sales,"></textarea>
            </div>
            <div><button type="submit" class="btn btn-primary">"Check rows (dry run)"</button></div>
        </form>
    }
}

#[component]
fn DryRun(p: crate::domain::BulkPreview) -> impl IntoView {
    let bad = p.rows.iter().filter(|r| !r.ok).count();
    let total = p.rows.len();
    let id = p.id;
    view! {
        <section aria-labelledby="dry-run-title">
            <h2 id="dry-run-title">{format!("Dry run: {}", p.filename.clone().unwrap_or_else(|| "pasted CSV".into()))}</h2>
            {if bad == 0 {
                view! {
                    <div class="alert alert-success" role="status">{format!("All {total} rows are valid.")}</div>
                    <form method="post" action=format!("/admin/bulk/{id}/commit") class="inline">
                        <button type="submit" class="btn btn-primary">{format!("Create {total} invitations")}</button>
                    </form>
                    " "
                    <a class="btn" href="/admin/bulk">"Start over"</a>
                }.into_any()
            } else {
                view! {
                    <div class="alert alert-error" role="alert">{format!("{bad} of {total} rows have problems. Nothing was created; fix them and upload again.")}</div>
                    <a class="btn" href="/admin/bulk">"Upload a corrected file"</a>
                }.into_any()
            }}
            <div class="table-wrap"><table class="table">
                <caption class="sr-only">"Rows and their verdicts"</caption>
                <thead><tr><th scope="col">"Row"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Division"</th><th scope="col">"Expires"</th><th scope="col">"Verdict"</th></tr></thead>
                <tbody>{p.rows.into_iter().map(|r| view! {
                    <tr class=if r.ok { "" } else { "row-bad" }>
                        <td>{r.row}</td>
                        <td>{r.email.unwrap_or_else(|| "—".into())}</td>
                        <td>{r.role.unwrap_or_else(|| "staff".into())}</td>
                        <td>{r.division.unwrap_or_else(|| "—".into())}</td>
                        <td>{r.expires_at.unwrap_or_else(|| "default (7 days)".into())}</td>
                        <td>{if r.ok { view! { <span class="badge badge-active">"OK"</span> }.into_any() } else { view! { <span class="field-error">{r.problem.unwrap_or_default()}</span> }.into_any() }}</td>
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
    view! {
        <div class="alert alert-success" role="status">{format!("{n} invitations created.")}</div>
        <p>
            <a class="btn btn-primary" href=format!("/admin/bulk/{id}/codes.csv") download="onboard-codes.csv">"Download codes (CSV)"</a>
            " "
            <a class="btn" href="/admin/bulk">"Upload another file"</a>
        </p>
        <div class="table-wrap"><table class="table">
            <caption class="sr-only">"Created invitations"</caption>
            <thead><tr><th scope="col">"Code"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Division"</th><th scope="col">"Expires"</th></tr></thead>
            <tbody>{p.created.into_iter().map(|i| view! {
                <tr>
                    <td><code class="code">{i.code}</code></td>
                    <td>{i.email.unwrap_or_else(|| "—".into())}</td>
                    <td>{i.role.label()}</td>
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
    let data = Resource::new(move || qs.get(), outbox_messages);
    let status = move || query.with(|m| m.get("status")).unwrap_or_default();
    view! {
        <Title text="Outbox"/>
        <Layout>
            <AdminOnly>
                <h1>"Outbox"</h1>
                <p class="muted">"Invitation emails, newest first. Without an SMTP server configured they stay queued here."</p>
                <form method="get" action="/admin/outbox" class="filters" role="search" aria-label="Filter the outbox">
                    <div class="field">
                        <label for="outbox-status">"Status"</label>
                        <select id="outbox-status" name="status">
                            {[("", "All"), ("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed")].into_iter().map(|(v, l)| {
                                view! { <option value=v selected=move || status() == v>{l}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="btn">"Apply"</button>
                </form>
                <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error(&e).to_string()}</div> }.into_any(),
                            Ok(page) => {
                                let pages = ((page.total.max(0) as u32).div_ceil(page.per_page.max(1))).max(1);
                                let current = page.page;
                                let link = move |n: u32| {
                                    let s = status();
                                    if s.is_empty() { format!("/admin/outbox?page={n}") } else { format!("/admin/outbox?status={s}&page={n}") }
                                };
                                view! {
                                    <nav class="pager" aria-label="Pagination">
                                        {(current > 1).then(|| view! { <a class="btn" rel="prev" href=link(current - 1)>"Previous"</a> })}
                                        <span class="muted">{format!("Page {} of {} · {} messages", current.min(pages), pages, page.total)}</span>
                                        {(current < pages).then(|| view! { <a class="btn" rel="next" href=link(current + 1)>"Next"</a> })}
                                    </nav>
                                    {if page.items.is_empty() {
                                        view! { <p class="empty">"No messages."</p> }.into_any()
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
                                                            {inv.map(|i| view! { <a href=format!("/invitations/{i}")>"View invitation"</a> })}
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
