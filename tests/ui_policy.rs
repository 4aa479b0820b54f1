//! The pages offer exactly what the policy allows: for each role, every menu entry and every
//! action on a code is shown if and only if `domain::policy` would let the viewer do it (so a
//! button never leads to a refusal, and nothing allowed is hidden).

mod common;

use common::spawn_app;
use onboard::domain::policy::{authorize, NO_DIVISION};
use onboard::domain::{Action, ActorRef, Role};
use serde_json::json;

struct Viewer {
    name: &'static str,
    role: Role,
    division: Option<&'static str>,
}

const VIEWERS: [Viewer; 4] = [
    Viewer {
        name: "admin",
        role: Role::Admin,
        division: None,
    },
    Viewer {
        name: "maya",
        role: Role::Manager,
        division: Some("sales"),
    },
    Viewer {
        name: "budi",
        role: Role::Manager,
        division: Some("eng"),
    },
    Viewer {
        name: "sam",
        role: Role::Staff,
        division: Some("sales"),
    },
];

#[tokio::test]
async fn every_page_shows_the_actions_the_policy_table_allows_and_no_others() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let maya = app.login("maya").await;
    // One code per kind of row a viewer can meet: created by a manager, and by an admin with
    // an email (so resending is possible), both in Sales.
    let by_manager = app.create(&maya, json!({})).await["id"].as_i64().unwrap();
    let by_admin = app
        .create(
            &admin,
            json!({"division": "sales", "email": "new@example.com"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let division_id = |slug: &'static str| common::division_id(&app.core, slug);
    let sales = division_id("sales").await.unwrap();

    for v in VIEWERS {
        let actor = ActorRef {
            role: v.role,
            division: match v.division {
                Some(d) => division_id(d).await,
                None => None,
            },
            scopes: None,
        };
        let may =
            |action: Action, target: Option<i64>| authorize(Some(actor), action, target).is_ok();
        let own = |action: Action| may(action, actor.division);
        let cookie = app.login(v.name).await;

        let page = app.get("/invitations", Some(&cookie)).await.text;
        for (href, action) in [
            ("/admin/users", Action::ManageUsers),
            ("/admin/divisions", Action::ManageDivisions),
            ("/admin/bulk", Action::BulkCreate),
            ("/admin/outbox", Action::ViewOutbox),
            ("/audit", Action::ReadAudit),
        ] {
            assert_eq!(
                page.contains(&format!("href=\"{href}\"")),
                own(action),
                "{}: menu entry {href}",
                v.name
            );
        }
        // The create button for whoever may create; the dialog itself is drawn when the URL
        // asks for it (where the button leads without JavaScript).
        assert_eq!(
            page.contains("name=\"create\" value=\"1\""),
            own(Action::CreateInvitation(Role::Staff)),
            "{}: create button",
            v.name
        );
        assert!(!page.contains("id=\"create-dialog\""), "{}", v.name);
        let with_dialog = app.get("/invitations?create=1", Some(&cookie)).await.text;
        assert_eq!(
            with_dialog.contains("id=\"create-dialog\""),
            own(Action::CreateInvitation(Role::Staff)),
            "{}: create dialog",
            v.name
        );
        assert_eq!(
            with_dialog.contains("<select id=\"role\""),
            own(Action::CreateInvitation(Role::Manager)),
            "{}: role picker",
            v.name
        );
        assert_eq!(
            page.contains("id=\"division\""),
            may(Action::ListInvitations, None),
            "{}: division filter",
            v.name
        );

        for id in [by_manager, by_admin] {
            let row_actions = [
                ("copy", Action::CopyCode),
                ("revoke", Action::RevokeInvitation),
                ("delete", Action::DeleteInvitation),
            ];
            for (verb, action) in row_actions {
                // Copy is a form; revoke and delete first link to their confirmation (the
                // dialog's form appears only once it is opened).
                let control = if verb == "copy" {
                    format!("action=\"/invitations/{id}/{verb}\"")
                } else {
                    format!("href=\"/invitations/{id}/confirm?action={verb}&amp;")
                };
                assert_eq!(
                    page.contains(&control),
                    may(action, Some(sales)),
                    "{}: {verb} on the dashboard, code {id}",
                    v.name
                );
            }

            let detail = app.get(&format!("/invitations/{id}"), Some(&cookie)).await;
            let visible = may(Action::ViewInvitation, Some(sales));
            assert_eq!(
                detail.status,
                if visible {
                    200
                } else if v.role == Role::Staff {
                    403
                } else {
                    404
                },
                "{}: detail of code {id}",
                v.name
            );
            let own_code = (id == by_manager) == (v.name == "maya");
            for (verb, action) in [
                ("copy", Action::CopyCode),
                ("edit", Action::UpdateInvitation),
                ("revoke", Action::RevokeInvitation),
                ("delete", Action::DeleteInvitation),
                ("resend", Action::ResendEmail(own_code)),
            ] {
                // Only the admin's code is bound to an email, so only it can be resent.
                let applicable = verb != "resend" || id == by_admin;
                let confirmed = matches!(verb, "revoke" | "delete");
                let control = if confirmed {
                    format!("href=\"/invitations/{id}/confirm?action={verb}&amp;")
                } else {
                    format!("action=\"/invitations/{id}/{verb}\"")
                };
                let allowed = visible && applicable && may(action, Some(sales));
                assert_eq!(
                    detail.text.contains(&control),
                    allowed,
                    "{}: {verb} on the detail page of code {id}",
                    v.name
                );
                if confirmed {
                    // The confirmation page holds the real form only for those allowed.
                    let page = app
                        .get(
                            &format!("/invitations/{id}/confirm?action={verb}&back=/invitations"),
                            Some(&cookie),
                        )
                        .await;
                    assert_eq!(
                        page.text
                            .contains(&format!("action=\"/invitations/{id}/{verb}\"")),
                        allowed,
                        "{}: {verb} confirmation page of code {id} ({})",
                        v.name,
                        page.status
                    );
                    if !allowed {
                        assert!(
                            [403, 404].contains(&page.status),
                            "{}: {verb} confirmation of code {id} answered {}",
                            v.name,
                            page.status
                        );
                    }
                }
            }
        }
    }
    // Nothing a viewer could reach is about a division that does not exist.
    assert!(authorize(
        Some(ActorRef {
            role: Role::Manager,
            division: Some(sales),
            scopes: None,
        }),
        Action::ListInvitations,
        Some(NO_DIVISION)
    )
    .is_err());
}
