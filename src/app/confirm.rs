//! Confirmations for destructive actions: the words (shared by the dialog and the page) and the
//! pages a browser without JavaScript is sent to, `/invitations/{id}/confirm?action=…`,
//! `/admin/users/{username}/confirm` and `/admin/divisions/{slug}/confirm`.

use super::widgets::ConfirmCard;
use super::{AdminOnly, Layout, ManagersOnly};
use crate::domain::{Action, Lang, Status};
use crate::i18n::{domain_error_text, use_lang};
use crate::server_fns::get_invitation;
use crate::t;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The question, the consequence and the confirming button for a destructive action.
pub struct Words {
    pub title: String,
    pub body: String,
    pub confirm: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Danger {
    Revoke,
    Delete,
}

impl Danger {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "revoke" => Some(Self::Revoke),
            "delete" => Some(Self::Delete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Revoke => "revoke",
            Self::Delete => "delete",
        }
    }
}

pub fn invitation_words(lang: Lang, what: Danger, code: &str) -> Words {
    let code = code.to_string();
    match what {
        Danger::Revoke => Words {
            title: t!(lang, "confirm-revoke-title", code = code.clone()),
            body: t!(lang, "confirm-revoke-body"),
            confirm: t!(lang, "confirm-revoke-action"),
        },
        Danger::Delete => Words {
            title: t!(lang, "confirm-delete-title", code = code.clone()),
            body: t!(lang, "confirm-delete-body"),
            confirm: t!(lang, "confirm-delete-action"),
        },
    }
}

pub fn disable_words(lang: Lang, user: &str) -> Words {
    Words {
        title: t!(lang, "confirm-disable-title", user = user.to_string()),
        body: t!(lang, "confirm-disable-body", user = user.to_string()),
        confirm: t!(lang, "confirm-disable-action"),
    }
}

pub fn division_words(lang: Lang, division: &str) -> Words {
    Words {
        title: t!(
            lang,
            "confirm-division-delete-title",
            division = division.to_string()
        ),
        body: t!(lang, "confirm-division-delete-body"),
        confirm: t!(lang, "confirm-division-delete-action"),
    }
}

/// The no-JavaScript confirmation page of a destructive action on an invitation.
pub fn confirm_href(id: i64, what: Danger, back: &str) -> String {
    format!(
        "/invitations/{id}/confirm?action={}&back={}",
        what.as_str(),
        urlencoding::encode(back)
    )
}

/// The `back` of a confirmation page: a path on this site, else `default` (the server checks
/// it again when the form posts).
fn back_param(default: &str) -> String {
    let q = use_query_map();
    q.with_untracked(|m| m.get("back"))
        .filter(|b| {
            b.starts_with('/')
                && !b.starts_with("//")
                && b.len() <= 2048
                && !b
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        })
        .unwrap_or_else(|| default.to_string())
}

#[component]
pub fn ConfirmInvitationPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = params
        .with_untracked(|p| p.get("id"))
        .and_then(|s| s.parse::<i64>().ok());
    let what = query
        .with_untracked(|m| m.get("action"))
        .and_then(|a| Danger::parse(&a));
    let back = StoredValue::new(back_param("/invitations"));
    let inv = crate::app::data::data(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_invitation(id).await,
                None => Err(crate::domain::DomainError::NotFound),
            }
        },
    );
    view! {
        <Layout let:viewer>
            <ManagersOnly viewer=viewer.clone()>
                <Suspense fallback=|| ()>
                    {
                        let viewer = StoredValue::new(viewer.clone());
                        move || {
                            let (back, viewer) = (back.get_value(), viewer.get_value());
                            Suspend::new(async move {
                                let inv = match (inv.await, what) {
                                    (Ok(inv), Some(what)) => (inv, what),
                                    (Err(e), _) => {
                                        super::set_status(e.status());
                                        return view! { <div class="alert alert-error" role="alert">{domain_error_text(lang, &e)}</div> }.into_any();
                                    }
                                    (Ok(_), None) => {
                                        super::set_status(404);
                                        return view! { <div class="alert alert-error" role="alert">{t!(lang, "not-found-body")}</div> }.into_any();
                                    }
                                };
                                let (inv, what) = inv;
                                let div = inv.division.as_deref();
                                let allowed = match what {
                                    Danger::Revoke => viewer.may_on(Action::RevokeInvitation, div)
                                        && matches!(inv.status, Status::Active | Status::Suspended),
                                    Danger::Delete => viewer.may_on(Action::DeleteInvitation, div)
                                        && inv.status != Status::Used,
                                };
                                if !allowed {
                                    return view! { <super::NotAllowed/> }.into_any();
                                }
                                let w = invitation_words(lang, what, &inv.code);
                                view! {
                                    <ConfirmCard action=format!("/invitations/{}/{}", inv.id, what.as_str()) back=back
                                        title=w.title body=w.body confirm_label=w.confirm/>
                                }.into_any()
                            })
                        }
                    }
                </Suspense>
            </ManagersOnly>
        </Layout>
    }
}

#[component]
pub fn ConfirmUserPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let user = StoredValue::new(
        params
            .with_untracked(|p| p.get("username"))
            .unwrap_or_default(),
    );
    let back = StoredValue::new(back_param("/admin/users"));
    view! {
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ManageUsers>
                {
                    let user = user.get_value();
                    let w = disable_words(lang, &user);
                    view! {
                        <ConfirmCard action=format!("/admin/users/{}/disable", urlencoding::encode(&user)) back=back.get_value()
                            title=w.title body=w.body confirm_label=w.confirm/>
                    }
                }
            </AdminOnly>
        </Layout>
    }
}

#[component]
pub fn ConfirmDivisionPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let slug = StoredValue::new(params.with_untracked(|p| p.get("slug")).unwrap_or_default());
    let back = StoredValue::new(back_param("/admin/divisions"));
    view! {
        <Layout let:viewer>
            <AdminOnly viewer=viewer action=Action::ManageDivisions>
                {
                    let slug = slug.get_value();
                    let w = division_words(lang, &slug);
                    view! {
                        <ConfirmCard action=format!("/admin/divisions/{}/delete", urlencoding::encode(&slug)) back=back.get_value()
                            title=w.title body=w.body confirm_label=w.confirm/>
                    }
                }
            </AdminOnly>
        </Layout>
    }
}
