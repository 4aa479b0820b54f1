//! Admin pages: `/admin/users` and `/admin/divisions`.

use super::widgets::{form_error, query_param, FieldError, FormAlert, LocalTime};
use super::{Layout, NotAllowed, ViewerResource};
use crate::domain::Role;
use crate::server_fns::{division_choices, domain_error, user_rows};
use leptos::prelude::*;
use leptos_meta::Title;

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
    let slug = query_param("slug");
    let name = query_param("name");
    view! {
        <Title text="Divisions"/>
        <Layout>
            <AdminOnly>
                <h1>"Divisions"</h1>
                {move || created.get().map(|s| view! { <div class="alert alert-success" role="status">{format!("Division {s} created.")}</div> })}
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
                                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Slug"</th><th scope="col">"Created"</th></tr></thead>
                                    <tbody>{rows.into_iter().map(|d| view! {
                                        <tr><td>{d.name}</td><td><code>{d.slug}</code></td><td><LocalTime at=d.created_at/></td></tr>
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
