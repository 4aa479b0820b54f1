//! The dashboard's results: status counts, the table of codes with the actions the viewer may
//! take, the pager; and the notices above them.

use super::href;
use crate::app::confirm::{confirm_href, invitation_words, Danger};
use crate::app::widgets::{
    form_error, query_param, ConfirmButton, CopyButton, EmptyState, FormAlert, LocalTime,
    StatusBadge,
};
use crate::domain::{Action, Invitation, ListQuery, Status, StatusFilter, SuspendedReason, Viewer};
use crate::i18n::{reason_label, role_label, status_label, use_lang};
use crate::t;
use chrono::{Duration, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub(super) fn Flash() -> impl IntoView {
    let q = use_query_map();
    let error = form_error();
    let create_open = query_param("create");
    let lang = use_lang();
    let msg = move || {
        q.with(|m| {
            if m.get("copied").is_some() {
                Some(t!(lang, "flash-copied"))
            } else if m.get("revoked").is_some() {
                Some(t!(lang, "flash-revoked"))
            } else if m.get("deleted").is_some() {
                Some(t!(lang, "flash-deleted"))
            } else if m.get("reinstated").is_some() {
                Some(t!(lang, "flash-reinstated"))
            } else {
                None
            }
        })
    };
    view! {
        {move || msg().map(|m| view! { <div class="alert alert-success" role="status">{m}</div> })}
        // Errors of the create form are shown inside the dialog.
        {move || (create_open.get().is_none()).then(|| view! { <FormAlert error=error/> })}
    }
}

#[component]
pub(super) fn CreatedPanel(inv: Invitation, back: String) -> impl IntoView {
    let lang = use_lang();
    let share = match inv.email.clone() {
        Some(email) => t!(lang, "created-share-with", email = email),
        None => t!(lang, "created-share"),
    };
    view! {
        <section class="created card" aria-labelledby="created-title">
            <h2 id="created-title">{t!(lang, "created-title")}</h2>
            <p>{share} " " <LocalTime at=inv.expires_at/> "."</p>
            <div class="created-code">
                <code id=format!("code-{}", inv.id) class="code code-large">{inv.code.clone()}</code>
                <CopyButton id=inv.id code=inv.code.clone() back=back/>
            </div>
        </section>
    }
}

#[component]
pub(super) fn Results(
    page: crate::domain::InvitationPage,
    q: ListQuery,
    viewer: Viewer,
) -> impl IntoView {
    let lang = use_lang();
    let counts = page.counts;
    let capped = page.capped;
    let mut tabs = vec![(StatusFilter::All, t!(lang, "status-all"), counts.all())];
    // Every status gets a chip, so the chips add up to All for managers too (their Revoked and
    // Suspended rows are their own division's). The Filter Status select keeps the seed's list.
    for s in Status::ALL {
        tabs.push((StatusFilter::Only(s), status_label(lang, s), counts.get(s)));
    }
    let pages = ((page.total.max(0) as u32).div_ceil(q.per_page.max(1))).max(1);
    let back = href(&q);
    let now = Utc::now();
    let highlight = query_param("copied");
    let items = page.items;
    let empty = items.is_empty();
    let counts_nav = view! {
        <nav class="counts" aria-label=t!(lang, "counts-label")>
            {tabs.into_iter().map(|(f, label, n)| {
                let mut tq = q.clone();
                tq.status = f;
                tq.page = 1;
                let current = (q.status == f).then_some("page");
                // A broad search stops counting at the cap: its counts are lower bounds.
                let n = if capped { format!("{n}+") } else { n.to_string() };
                view! { <a href=href(&tq) class="count" aria-current=current>{label} " " <span class="count-n">{n}</span></a> }
            }).collect_view()}
        </nav>
    }
    .into_any();
    let table = view! {
        <div class="table-wrap">
            <table class="table table-cards">
                <caption class="sr-only">{t!(lang, "table-caption-invitations")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(lang, "col-code")}</th>
                        <th scope="col">{t!(lang, "col-email")}</th>
                        <th scope="col">{t!(lang, "col-role")}</th>
                        <th scope="col">{t!(lang, "col-status")}</th>
                        <th scope="col">{t!(lang, "col-expires")}</th>
                        <th scope="col">{t!(lang, "col-used-by")}</th>
                        <th scope="col">{t!(lang, "col-actions")}</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|inv| {
                        let soon = inv.status == Status::Active && inv.expires_at - now <= Duration::hours(48);
                        let hl = highlight.get_untracked().and_then(|h| h.parse::<i64>().ok()) == Some(inv.id);
                        let reported = inv.suspended_reason == Some(SuspendedReason::ReportedByRecipient);
                        let class = match (soon, hl, reported) { (_, true, _) => "row-highlight", (_, _, true) => "row-reported", (true, _, _) => "row-soon", _ => "" };
                        let id = inv.id;
                        let div = inv.division.as_deref();
                        // Copy only where the code can still be redeemed.
                        let can_copy = viewer.may_on(Action::CopyCode, div) && inv.status == Status::Active;
                        let can_revoke = viewer.may_on(Action::RevokeInvitation, div) && matches!(inv.status, Status::Active | Status::Suspended);
                        let can_edit = viewer.may_on(Action::UpdateInvitation, div);
                        let can_delete = viewer.may_on(Action::DeleteInvitation, div) && inv.status != Status::Used;
                        let back = back.clone();
                        view! {
                            <tr class=class>
                                <td data-label=t!(lang, "col-code")><a class="code-link" href=format!("/invitations/{id}")><code id=format!("code-{id}") class="code">{inv.code.clone()}</code></a>
                                    {inv.note.clone().map(|n| view! { <span class="note">{n}</span> })}</td>
                                <td class="wrap" data-label=t!(lang, "col-email")>{inv.email.clone().unwrap_or_else(|| "—".into())}</td>
                                <td data-label=t!(lang, "col-role")>{role_label(lang, inv.role)}</td>
                                <td data-label=t!(lang, "col-status")><StatusBadge status=inv.status/>
                                    {inv.suspended_reason.map(|r| view! { <span class=if reported { "reason reason-reported" } else { "reason" }>{reason_label(lang, r)}</span> })}</td>
                                <td class=if soon { "expires soon" } else { "expires" } data-label=t!(lang, "col-expires")>
                                    <LocalTime at=inv.expires_at/>
                                    {soon.then(|| view! { <span class="soon-tag">{t!(lang, "expires-soon")}</span> })}
                                </td>
                                <td class="wrap" data-label=t!(lang, "col-used-by")>{inv.used_by.clone().unwrap_or_else(|| "—".into())}</td>
                                <td class="actions" data-label=t!(lang, "col-actions")>
                                    {can_copy.then(|| view! { <CopyButton id=id code=inv.code.clone() back=back.clone()/> })}
                                    {(reported && can_edit).then(|| view! {
                                        <form method="post" action=format!("/invitations/{id}/reinstate") class="inline">
                                            <input type="hidden" name="back" value=back.clone()/>
                                            <button type="submit" class="btn btn-small">{t!(lang, "action-reinstate")}<span class="sr-only">{t!(lang, "sr-code", code = inv.code.clone())}</span></button>
                                        </form>
                                    })}
                                    {can_revoke.then(|| {
                                        let w = invitation_words(lang, Danger::Revoke, &inv.code);
                                        view! {
                                            <ConfirmButton action=format!("/invitations/{id}/revoke") back=back.clone()
                                                confirm_href=confirm_href(id, Danger::Revoke, &back)
                                                label=t!(lang, "action-revoke") sr=t!(lang, "sr-code", code = inv.code.clone())
                                                title=w.title body=w.body confirm_label=w.confirm/>
                                        }
                                    })}
                                    {can_edit.then(|| view! {
                                        <a class="btn btn-small" href=format!("/invitations/{id}")>{t!(lang, "action-edit")}<span class="sr-only">{t!(lang, "sr-code", code = inv.code.clone())}</span></a>
                                    })}
                                    {can_delete.then(|| {
                                        let w = invitation_words(lang, Danger::Delete, &inv.code);
                                        view! {
                                            <ConfirmButton action=format!("/invitations/{id}/delete") back=back.clone()
                                                confirm_href=confirm_href(id, Danger::Delete, &back)
                                                label=t!(lang, "action-delete") sr=t!(lang, "sr-code", code = inv.code.clone())
                                                title=w.title body=w.body confirm_label=w.confirm class="btn btn-small btn-ghost"/>
                                        }
                                    })}
                                </td>
                            </tr>
                        }
                        .into_any()
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| {
                let filtered = q.status != StatusFilter::All || !q.q.is_empty() || q.division.is_some();
                if filtered {
                    view! { <EmptyState message=t!(lang, "empty-invitations") hint=t!(lang, "empty-invitations-hint")
                        action=("/invitations".to_string(), t!(lang, "empty-clear-filters"))/> }.into_any()
                } else if viewer.may(Action::CreateInvitation(crate::domain::Role::Staff)) {
                    view! { <EmptyState message=t!(lang, "empty-invitations-none") hint=t!(lang, "empty-invitations-none-hint")
                        action=("/invitations?create=1".to_string(), t!(lang, "create-invitation"))/> }.into_any()
                } else {
                    view! { <EmptyState message=t!(lang, "empty-invitations-none")/> }.into_any()
                }
            })}
        </div>
    }
    .into_any();
    let shown = q.page.min(pages).max(1);
    let pager = view! {
        <nav class="pager" aria-label=t!(lang, "pager-label")>
            {(q.page > 1).then(|| view! { <a class="btn" href=href(&q.with_page(q.page - 1)) rel="prev">{t!(lang, "pager-previous")}</a> })}
            <span class="muted">{if capped {
                t!(lang, "pager-summary-capped", page = shown, pages = pages, total = page.total)
            } else {
                t!(lang, "pager-summary", page = shown, pages = pages, total = page.total)
            }}</span>
            {(q.page < pages).then(|| view! { <a class="btn" href=href(&q.with_page(q.page + 1)) rel="next">{t!(lang, "pager-next")}</a> })}
        </nav>
    }
    .into_any();
    view! { {counts_nav} {table} {pager} }
}
