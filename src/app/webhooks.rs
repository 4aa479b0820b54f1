//! `/admin/webhooks`: endpoints registered with their events, the secret shown once, pause,
//! resume, ping and delete; `/admin/webhooks/:id`: one endpoint's deliveries.

use super::widgets::{
    form_error, query_param, ConfirmCard, EmptyState, FieldError, FormAlert, LocalTime,
};
use super::{AdminOnly, Layout};
use crate::domain::webhook::{EndpointState, Webhook, EVENTS};
use crate::domain::{Action, Lang};
use crate::i18n::{domain_error_text, use_lang};
use crate::server_fns::{list_webhooks, webhook_deliveries};
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn state_badge(lang: Lang, s: EndpointState) -> impl IntoView {
    let (class, label) = match s {
        EndpointState::Active => ("badge badge-active", t!(lang, "webhook-state-active")),
        EndpointState::Paused => ("badge badge-suspended", t!(lang, "webhook-state-paused")),
        EndpointState::Disabled => ("badge badge-revoked", t!(lang, "webhook-state-disabled")),
    };
    view! { <span class=class>{label}</span> }
}

fn delete_words(lang: Lang, url: &str) -> super::confirm::Words {
    super::confirm::Words {
        title: t!(lang, "confirm-webhook-delete-title", url = url.to_string()),
        body: t!(lang, "confirm-webhook-delete-body"),
        confirm: t!(lang, "confirm-webhook-delete-action"),
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let lang = use_lang();
    let hooks = crate::app::data::data(|| (), |_| list_webhooks());
    let error = form_error();
    let secret = query_param("new_secret");
    let done = query_param("done");
    view! {
        <Title text=t!(lang, "nav-webhooks")/>
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ManageWebhooks>
                <h1>{t!(lang, "nav-webhooks")}</h1>
                <p class="muted">{t!(lang, "webhooks-intro")}</p>
                {move || secret.get().map(|s| view! {
                    <div class="alert alert-success" role="status">
                        <p>{t!(lang, "webhooks-created")}</p>
                        <label class="sr-only" for="new-secret">{t!(lang, "webhooks-secret")}</label>
                        <input id="new-secret" class="secret" type="text" readonly value=s/>
                    </div>
                })}
                {move || done.get().map(|d| {
                    let text = match d.as_str() {
                        "ping" => t!(lang, "webhooks-pinged"),
                        "paused" => t!(lang, "webhooks-paused"),
                        "resumed" => t!(lang, "webhooks-resumed"),
                        _ => t!(lang, "webhooks-deleted"),
                    };
                    view! { <div class="alert alert-success" role="status">{text}</div> }
                })}
                <FormAlert error=error fields=&["url", "events", "description"]/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match hooks.await {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any(),
                            Ok(list) => {
                                let disabled = list.iter().filter(|w| w.state == EndpointState::Disabled).count();
                                view! {
                                    {(disabled > 0).then(|| view! {
                                        <div class="alert alert-error" role="alert">{t!(lang, "webhooks-disabled-alert", count = disabled)}</div>
                                    })}
                                    <WebhookTable list=list/>
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
                <section class="card" aria-labelledby="webhook-new-title">
                    <h2 id="webhook-new-title">{t!(lang, "webhooks-new")}</h2>
                    <form method="post" action="/admin/webhooks" class="stack">
                        <div class="field">
                            <label for="webhook-url">{t!(lang, "webhooks-url")}</label>
                            <input id="webhook-url" name="url" type="url" required maxlength="2000"
                                aria-describedby="webhook-url-hint url-error"/>
                            <p class="hint" id="webhook-url-hint">{t!(lang, "webhooks-url-hint")}</p>
                            <FieldError error=error field="url"/>
                        </div>
                        <div class="field">
                            <label for="webhook-description">{t!(lang, "webhooks-description")}</label>
                            <input id="webhook-description" name="description" type="text" maxlength="200" aria-describedby="description-error"/>
                            <FieldError error=error field="description"/>
                        </div>
                        <fieldset class="field" aria-describedby="events-error">
                            <legend>{t!(lang, "webhooks-events")}</legend>
                            <div class="check-grid">
                            {EVENTS.into_iter().map(|e| {
                                let id = format!("event-{}", e.replace('.', "-"));
                                let for_id = id.clone();
                                view! {
                                    <label class="check" for=for_id>
                                        <input id=id type="checkbox" name="event" value=e checked=true/>
                                        " " <code>{e}</code>
                                    </label>
                                }
                            }).collect_view()}
                            </div>
                            <FieldError error=error field="events"/>
                        </fieldset>
                        <div><button type="submit" class="btn btn-primary">{t!(lang, "webhooks-add")}</button></div>
                    </form>
                </section>
            </AdminOnly>
        </Layout>
    }
}

#[component]
fn WebhookTable(list: Vec<Webhook>) -> impl IntoView {
    let lang = use_lang();
    if list.is_empty() {
        return view! { <EmptyState message=t!(lang, "webhooks-none") hint=t!(lang, "webhooks-none-hint")/> }.into_any();
    }
    view! {
        <div class="table-wrap"><table class="table table-cards">
            <caption class="sr-only">{t!(lang, "nav-webhooks")}</caption>
            <thead><tr>
                <th scope="col">{t!(lang, "webhooks-endpoint")}</th>
                <th scope="col">{t!(lang, "webhooks-events")}</th>
                <th scope="col">{t!(lang, "col-status")}</th>
                <th scope="col">{t!(lang, "col-actions")}</th>
            </tr></thead>
            <tbody>{list.into_iter().map(|w| {
                let id = w.id;
                let url = w.url.clone();
                let w_words = delete_words(lang, &url);
                let toggle = if w.state == EndpointState::Active { ("pause", t!(lang, "action-pause")) } else { ("resume", t!(lang, "action-resume")) };
                view! {
                    <tr>
                        <td data-label=t!(lang, "webhooks-endpoint")>
                            <a href=format!("/admin/webhooks/{id}")><code class="url">{w.url.clone()}</code></a>
                            {w.description.clone().map(|d| view! { <div class="muted">{d}</div> })}
                        </td>
                        <td data-label=t!(lang, "webhooks-events")>{w.events.join(", ")}</td>
                        <td data-label=t!(lang, "col-status")>
                            {state_badge(lang, w.state)}
                            {w.failing_since.map(|at| view! { <div class="muted">{t!(lang, "webhooks-failing-since")} " " <LocalTime at=at/></div> })}
                        </td>
                        <td class="actions" data-label=t!(lang, "col-actions")>
                            <form method="post" action=format!("/admin/webhooks/{id}/ping") class="inline">
                                <button type="submit" class="btn btn-small">{t!(lang, "action-ping")}<span class="sr-only">" " {url.clone()}</span></button>
                            </form>
                            <form method="post" action=format!("/admin/webhooks/{id}/{}", toggle.0) class="inline">
                                <button type="submit" class="btn btn-small">{toggle.1}<span class="sr-only">" " {url.clone()}</span></button>
                            </form>
                            <super::widgets::ConfirmButton action=format!("/admin/webhooks/{id}/delete") back="/admin/webhooks".to_string()
                                confirm_href=format!("/admin/webhooks/{id}/confirm")
                                label=t!(lang, "action-delete") sr=format!(" {url}")
                                title=w_words.title body=w_words.body confirm_label=w_words.confirm class="btn btn-small btn-ghost"/>
                        </td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
    }.into_any()
}

/// `/admin/webhooks/:id`: the endpoint and its deliveries, newest first.
#[component]
pub fn WebhookPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params
            .with(|p| p.get("id"))
            .and_then(|i| i.parse::<i64>().ok())
            .unwrap_or(0);
        let page = query
            .with(|q| q.get("page"))
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1);
        (id, page)
    };
    let data = crate::app::data::data(key, |(id, page)| webhook_deliveries(id, page));
    view! {
        <Title text=t!(lang, "nav-webhooks")/>
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ManageWebhooks>
                <p><a href="/admin/webhooks">{t!(lang, "webhooks-back")}</a></p>
                <Transition fallback=move || view! { <p class="muted">{t!(lang, "loading")}</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(e) => view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any(),
                            Ok((w, items, total)) => {
                                let (id, current) = key();
                                let pages = ((total.max(0) as u32).div_ceil(50)).max(1);
                                view! {
                                    <h1><code class="url">{w.url.clone()}</code></h1>
                                    <p>{state_badge(lang, w.state)} " " <span class="muted">{w.events.join(", ")}</span></p>
                                    <h2>{t!(lang, "webhooks-deliveries")}</h2>
                                    {if items.is_empty() {
                                        view! { <EmptyState message=t!(lang, "webhooks-no-deliveries") hint=t!(lang, "webhooks-no-deliveries-hint")/> }.into_any()
                                    } else {
                                        view! {
                                            <div class="table-wrap"><table class="table table-cards">
                                                <caption class="sr-only">{t!(lang, "webhooks-deliveries")}</caption>
                                                <thead><tr>
                                                    <th scope="col">{t!(lang, "webhooks-event")}</th>
                                                    <th scope="col">{t!(lang, "col-status")}</th>
                                                    <th scope="col">{t!(lang, "webhooks-response")}</th>
                                                    <th scope="col">{t!(lang, "webhooks-attempts")}</th>
                                                    <th scope="col">{t!(lang, "webhooks-when")}</th>
                                                </tr></thead>
                                                <tbody>{items.into_iter().map(|d| {
                                                    let (class, label) = match d.status.as_str() {
                                                        "delivered" => ("badge badge-active", t!(lang, "delivery-delivered")),
                                                        "failed" => ("badge badge-revoked", t!(lang, "delivery-failed")),
                                                        _ => ("badge badge-suspended", t!(lang, "delivery-pending")),
                                                    };
                                                    let response = match (d.response_status, d.duration_ms) {
                                                        (Some(s), Some(ms)) => format!("HTTP {s} · {ms} ms"),
                                                        (Some(s), None) => format!("HTTP {s}"),
                                                        (None, Some(ms)) => format!("— · {ms} ms"),
                                                        (None, None) => "—".to_string(),
                                                    };
                                                    view! {
                                                        <tr>
                                                            <td data-label=t!(lang, "webhooks-event")>
                                                                <code>{d.event.clone()}</code>
                                                                {d.invitation_id.map(|i| view! { " " <a href=format!("/invitations/{i}")>{format!("#{i}")}</a> })}
                                                                <div class="muted small"><code>{d.message_id.clone()}</code></div>
                                                            </td>
                                                            <td data-label=t!(lang, "col-status")>
                                                                <span class=class>{label}</span>
                                                                {d.last_error.clone().map(|e| view! { <div class="muted">{e}</div> })}
                                                            </td>
                                                            <td data-label=t!(lang, "webhooks-response")>{response}</td>
                                                            <td data-label=t!(lang, "webhooks-attempts")>{d.attempts}</td>
                                                            <td data-label=t!(lang, "webhooks-when")>
                                                                <LocalTime at=d.created_at/>
                                                                {d.next_attempt_at.filter(|_| d.attempts > 0).map(|at| view! { <div class="muted">{t!(lang, "webhooks-next-attempt")} " " <LocalTime at=at/></div> })}
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}</tbody>
                                            </table></div>
                                            <nav class="pager" aria-label=t!(lang, "pager-label")>
                                                {(current > 1).then(|| view! { <a class="btn" rel="prev" href=format!("/admin/webhooks/{id}?page={}", current - 1)>{t!(lang, "pager-previous")}</a> })}
                                                <span class="muted">{t!(lang, "outbox-pager-summary", page = current.min(pages), pages = pages, total = total)}</span>
                                                {(current < pages).then(|| view! { <a class="btn" rel="next" href=format!("/admin/webhooks/{id}?page={}", current + 1)>{t!(lang, "pager-next")}</a> })}
                                            </nav>
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

/// The no-JavaScript confirmation of deleting an endpoint.
#[component]
pub fn ConfirmWebhookPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = StoredValue::new(params.with_untracked(|p| p.get("id")).unwrap_or_default());
    let hooks = crate::app::data::data(|| (), |_| list_webhooks());
    view! {
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ManageWebhooks>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let id = id.get_value();
                        let url = hooks.await.ok()
                            .and_then(|l| l.into_iter().find(|w| w.id.to_string() == id))
                            .map(|w| w.url)
                            .unwrap_or_default();
                        let w = delete_words(lang, &url);
                        view! {
                            <ConfirmCard action=format!("/admin/webhooks/{id}/delete") back="/admin/webhooks".to_string()
                                title=w.title body=w.body confirm_label=w.confirm/>
                        }
                    })}
                </Transition>
            </AdminOnly>
        </Layout>
    }
}
