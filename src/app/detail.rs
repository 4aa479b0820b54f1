//! `/invitations/{id}`: one invitation, its timeline from the audit trail, and (for admins)
//! the edit, revoke and delete forms.

use super::confirm::{confirm_href, invitation_words, Danger};
use super::widgets::{
    form_error, query_param, ConfirmButton, CopyButton, FieldError, FormAlert, LocalTime,
    StatusBadge,
};
use super::{Layout, ManagersOnly};
use crate::domain::Lang;
use crate::domain::{
    Action, AuditEvent, Invitation, MailStatus, OutboxMessage, Status, SuspendedReason,
};
use crate::i18n::{domain_error_text, error_text, reason_label, role_label, use_lang};
use crate::server_fns::{audit_events, get_invitation, invitation_emails};
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn describe(lang: Lang, e: &AuditEvent) -> String {
    let who = e
        .actor
        .clone()
        .unwrap_or_else(|| t!(lang, "timeline-someone"));
    match e.action.as_str() {
        "invitation.created" => t!(lang, "timeline-created", who = who),
        "invitation.copied" => t!(lang, "timeline-copied", who = who),
        "invitation.updated" => t!(lang, "timeline-updated", who = who),
        "invitation.revoked" => t!(lang, "timeline-revoked", who = who),
        "invitation.deleted" => t!(lang, "timeline-deleted", who = who),
        "invitation.email_resent" => t!(lang, "timeline-email-resent", who = who),
        "invitation.redeemed" => t!(lang, "timeline-redeemed", who = who),
        "invitation.reported" => t!(lang, "timeline-reported"),
        "invitation.reinstated" => t!(lang, "timeline-reinstated", who = who),
        "invitation.redeem_failed" => {
            let code = e.details["reason"].as_str().unwrap_or("unknown");
            let reason = error_text(lang, code, &code.replace('_', " "));
            match e.client_addr.clone() {
                Some(addr) => t!(
                    lang,
                    "timeline-redeem-failed-from",
                    reason = reason,
                    addr = addr
                ),
                None => t!(lang, "timeline-redeem-failed", reason = reason),
            }
        }
        "user.created" => t!(lang, "timeline-user-created", who = who),
        other => t!(
            lang,
            "timeline-other",
            action = other.to_string(),
            who = who
        ),
    }
}

#[component]
pub fn DetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|s| s.parse::<i64>().ok())
    });
    let invitation = crate::app::data::data(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_invitation(id).await,
                None => Err(crate::domain::DomainError::NotFound),
            }
        },
    );
    let timeline = crate::app::data::data(
        move || id.get(),
        |id| async move { audit_events(format!("invitation={}&per_page=200", id.unwrap_or(0))).await },
    );
    let emails = crate::app::data::data(
        move || id.get(),
        |id| async move { invitation_emails(id.unwrap_or(0)).await },
    );
    let lang = use_lang();
    view! {
        <Title text=t!(lang, "invitation-title")/>
        <Layout let:viewer>
            <ManagersOnly viewer=viewer.clone()>
                <Suspense fallback=|| ()>
                    {
                        let v = StoredValue::new(viewer);
                        move || Suspend::new(async move {
                            let v = v.get_value();
                            match invitation.await {
                                Err(e) => {
                                    super::set_status(404);
                                    view! {
                                        <h1>{t!(lang, "invitation-not-found")}</h1>
                                        <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div>
                                        <a class="btn" href="/invitations">{t!(lang, "invitation-back")}</a>
                                    }.into_any()
                                }
                                Ok(inv) => {
                                    let events = timeline.await.map(|p| p.items).unwrap_or_default();
                                    let emails = emails.await.unwrap_or_default();
                                    let div = inv.division.as_deref();
                                    let own = inv.created_by == v.user.username;
                                    let may = Allowed {
                                        copy: v.may_on(Action::CopyCode, div),
                                        edit: v.may_on(Action::UpdateInvitation, div),
                                        revoke: v.may_on(Action::RevokeInvitation, div),
                                        delete: v.may_on(Action::DeleteInvitation, div),
                                        resend: v.may_on(Action::ResendEmail(own), div),
                                    };
                                    view! { <Detail inv=inv events=events emails=emails may=may/> }.into_any()
                                }
                            }
                        })
                    }
                </Suspense>
            </ManagersOnly>
        </Layout>
    }
}

/// What the policy lets the viewer do to this invitation (its status decides the rest).
#[derive(Clone, Copy)]
struct Allowed {
    copy: bool,
    edit: bool,
    revoke: bool,
    delete: bool,
    resend: bool,
}

#[component]
fn Detail(
    inv: Invitation,
    events: Vec<AuditEvent>,
    emails: Vec<OutboxMessage>,
    may: Allowed,
) -> impl IntoView {
    let id = inv.id;
    let lang = use_lang();
    let back = format!("/invitations/{id}");
    let error = form_error();
    let updated = query_param("updated");
    let resent = query_param("resent");
    let reinstated = query_param("reinstated");
    let reported = inv.suspended_reason == Some(SuspendedReason::ReportedByRecipient);
    let can_reinstate = may.edit && reported;
    let editable = may.edit && inv.status == Status::Active;
    let can_revoke = may.revoke && matches!(inv.status, Status::Active | Status::Suspended);
    let can_delete = may.delete && inv.status != Status::Used;
    let may_resend = may.resend && inv.status == Status::Active && inv.email.is_some();
    let expires_value = crate::i18n::datetime_local(inv.expires_at);
    view! {
        <div class="page-head">
            <div>
                <p class="muted"><a href="/invitations">{t!(lang, "nav-invitations")}</a>" / "{inv.code.clone()}</p>
                <h1><code id=format!("code-{id}") class="code">{inv.code.clone()}</code></h1>
            </div>
            {(may.copy && inv.status == Status::Active).then(|| view! { <CopyButton id=id code=inv.code.clone() back=back.clone()/> })}
        </div>
        {move || updated.get().map(|_| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-updated")}</div> })}
        {move || resent.get().map(|_| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-resent")}</div> })}
        {move || reinstated.get().map(|_| view! { <div class="alert alert-success" role="status">{t!(lang, "flash-reinstated")}</div> })}
        {reported.then(|| view! {
            <div class="alert alert-warning" role="status">
                <p>{t!(lang, "reported-explained")}</p>
                {can_reinstate.then(|| view! {
                    <form method="post" action=format!("/invitations/{id}/reinstate") class="inline">
                        <input type="hidden" name="back" value=back.clone()/>
                        <button type="submit" class="btn">{t!(lang, "action-reinstate")}</button>
                    </form>
                })}
            </div>
        })}
        <FormAlert error=error fields=&["email", "expires_at", "note"]/>
        <dl class="card details">
            <dt>{t!(lang, "col-status")}</dt><dd><StatusBadge status=inv.status/>
                {inv.suspended_reason.map(|r| view! { " " <span class="muted">{reason_label(lang, r)}</span> })}</dd>
            <dt>{t!(lang, "field-note")}</dt><dd class="wrap">{inv.note.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!(lang, "field-email")}</dt><dd>{inv.email.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!(lang, "field-role")}</dt><dd>{role_label(lang, inv.role)}</dd>
            <dt>{t!(lang, "field-division")}</dt><dd>{inv.division.clone().unwrap_or_else(|| t!(lang, "all-divisions"))}</dd>
            <dt>{t!(lang, "detail-created")}</dt><dd><LocalTime at=inv.created_at/>{t!(lang, "detail-created-by", who = inv.created_by.clone())}</dd>
            <dt>{t!(lang, "field-expires")}</dt><dd><LocalTime at=inv.expires_at/></dd>
            <dt>{t!(lang, "col-used-by")}</dt><dd>{inv.used_by.clone().unwrap_or_else(|| "—".into())}</dd>
        </dl>
        {editable.then(|| view! {
            <section class="card" aria-labelledby="edit-title">
                <h2 id="edit-title">{t!(lang, "edit-title")}</h2>
                <form method="post" action=format!("/invitations/{id}/edit") class="stack" novalidate>
                    <input type="hidden" name="tz_offset" value="0"/>
                    <div class="field">
                        <label for="edit-email">{t!(lang, "field-email")}</label>
                        <input id="edit-email" name="email" type="email" value=inv.email.clone().unwrap_or_default() aria-describedby="email-error"/>
                        <FieldError error=error field="email"/>
                    </div>
                    <div class="field">
                        <label for="edit-expires">{t!(lang, "edit-expires-utc")}</label>
                        <input id="edit-expires" name="expires_at" type="datetime-local" value=expires_value aria-describedby="expires_at-error"/>
                        <FieldError error=error field="expires_at"/>
                    </div>
                    <div class="field">
                        <label for="edit-note">{t!(lang, "field-note")}</label>
                        <input id="edit-note" name="note" type="text" maxlength="200" value=inv.note.clone().unwrap_or_default() aria-describedby="note-help note-error"/>
                        <p class="help" id="note-help">{t!(lang, "note-help")}</p>
                        <FieldError error=error field="note"/>
                    </div>
                    <div><button type="submit" class="btn btn-primary">{t!(lang, "action-save")}</button></div>
                </form>
            </section>
        })}
        {(can_revoke || can_delete).then(|| view! {
            <div class="danger-zone">
                {can_revoke.then(|| {
                    let w = invitation_words(lang, Danger::Revoke, &inv.code);
                    view! {
                        <ConfirmButton action=format!("/invitations/{id}/revoke") back=back.clone()
                            confirm_href=confirm_href(id, Danger::Revoke, &back)
                            label=t!(lang, "action-revoke") title=w.title body=w.body confirm_label=w.confirm class="btn btn-danger"/>
                    }
                })}
                {can_delete.then(|| {
                    let w = invitation_words(lang, Danger::Delete, &inv.code);
                    view! {
                        <ConfirmButton action=format!("/invitations/{id}/delete") back="/invitations".to_string()
                            confirm_href=confirm_href(id, Danger::Delete, "/invitations")
                            label=t!(lang, "action-delete") title=w.title body=w.body confirm_label=w.confirm class="btn btn-ghost"/>
                    }
                })}
            </div>
        })}
        {(inv.email.is_some() || !emails.is_empty()).then(|| view! {
            <Emails emails=emails may_resend=may_resend id=id back=back.clone()/>
        })}
        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t!(lang, "timeline-title")}</h2>
            <ol class="timeline">
                {events.into_iter().rev().map(|e| view! {
                    <li><LocalTime at=e.at/>" — "{describe(lang, &e)}</li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// What became of the invitation's emails, with Resend where allowed.
#[component]
fn Emails(emails: Vec<OutboxMessage>, may_resend: bool, id: i64, back: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-labelledby="emails-title">
            <div class="section-head">
                <h2 id="emails-title">{t!(lang, "emails-title")}</h2>
                {may_resend.then(|| view! {
                    <form method="post" action=format!("/invitations/{id}/resend") class="inline">
                        <input type="hidden" name="back" value=back.clone()/>
                        <button type="submit" class="btn">{t!(lang, "action-resend")}</button>
                    </form>
                })}
            </div>
            {if emails.is_empty() {
                view! { <p class="muted">{t!(lang, "emails-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="emails">
                        {emails.into_iter().map(|m| view! { <li><EmailLine m=m/></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn EmailLine(m: OutboxMessage) -> impl IntoView {
    let lang = use_lang();
    let (class, label) = match m.status {
        MailStatus::Queued => ("badge badge-expired", t!(lang, "mail-queued")),
        MailStatus::Sent => ("badge badge-active", t!(lang, "mail-sent")),
        MailStatus::Failed => ("badge badge-revoked", t!(lang, "mail-failed")),
    };
    let when = m.sent_at.unwrap_or(m.created_at);
    view! {
        <span class=class>{label}</span>" "
        <span>{m.recipient.clone()}</span>" · "
        <LocalTime at=when/>
        {(m.attempts > 0).then(|| view! {
            <span class="muted">" · "{t!(lang, "mail-attempts", count = m.attempts)}</span>
        })}
        {m.last_error.clone().map(|e| view! { <div class="muted small">{t!(lang, "mail-last-error", error = e)}</div> })}
    }
}
