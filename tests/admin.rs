//! Admin capabilities: bulk onboarding, tokens, divisions, users and suspension.
mod common;

use common::spawn_app;
use serde_json::json;

async fn post_csv(app: &common::TestApp, path: &str, cookie: &str, csv: &str) -> common::Resp {
    let r = app
        .client
        .post(app.url(path))
        .header("cookie", format!("onboard_session={cookie}"))
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    common::into_resp(r).await
}

#[tokio::test]
async fn bulk_onboarding_is_all_or_nothing_and_names_the_bad_row() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let good = "email,role,division,expires_at\nana@example.com,staff,sales,\nbo@example.com,manager,eng,\n";
    let r = post_csv(&app, "/api/v1/invitations/bulk", &admin, good).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["created"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["created"][1]["role"], "manager");

    let bad =
        "email,role,division,expires_at\ncy@example.com,staff,sales,\nnot-an-email,staff,sales,\n";
    let r = post_csv(&app, "/api/v1/invitations/bulk", &admin, bad).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("row 2"),
        "{}",
        r.text
    );
    let r = app.get("/api/v1/invitations?q=cy@", Some(&admin)).await;
    assert_eq!(r.body["total"], 0, "nothing from the bad batch was created");

    // JSON lists work the same way; unknown divisions and duplicates are row errors.
    let r = app
        .post(
            "/api/v1/invitations/bulk",
            Some(&admin),
            json!([{"division": "sales"}, {"division": "nowhere"}]),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("row 2"));
    let dup =
        "email,role,division,expires_at\nd@example.com,staff,sales,\nD@example.com,staff,eng,\n";
    assert_eq!(
        post_csv(&app, "/api/v1/invitations/bulk", &admin, dup)
            .await
            .status,
        422
    );
    // An email with an Active code already is refused.
    let again = "email,division\nana@example.com,sales\n";
    let r = post_csv(&app, "/api/v1/invitations/bulk", &admin, again).await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("already has an Active invitation"));

    // Dry run: a verdict per row, nothing created.
    let r = post_csv(&app, "/api/v1/invitations/bulk?dry_run=true", &admin, bad).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["valid"], false);
    assert_eq!(r.body["rows"][0]["ok"], true);
    assert_eq!(r.body["rows"][1]["error"]["code"], "invalid_email");

    // Managers may not bulk create.
    let maya = app.login("maya").await;
    assert_eq!(
        post_csv(&app, "/api/v1/invitations/bulk", &maya, good)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn ten_thousand_rows_commit_in_one_batch() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let mut csv = String::from("email,role,division,expires_at\n");
    for i in 0..10_000 {
        csv.push_str(&format!(
            "hire{i}@example.com,staff,{},\n",
            if i % 2 == 0 { "sales" } else { "eng" }
        ));
    }
    let r = post_csv(&app, "/api/v1/invitations/bulk", &admin, &csv).await;
    assert_eq!(r.status, 201, "{}", &r.text[..r.text.len().min(300)]);
    assert_eq!(r.body["created"].as_array().unwrap().len(), 10_000);
    let r = app
        .get(
            "/api/v1/invitations?division=sales&per_page=1",
            Some(&admin),
        )
        .await;
    assert_eq!(r.body["total"], 5000);
}

#[tokio::test]
async fn the_bulk_page_stages_checks_and_commits_without_javascript() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let form = reqwest::multipart::Form::new()
        .text("csv", "email,role,division,expires_at\nform1@example.com,staff,sales,\nform2@example.com,staff,eng,\n");
    let r = app
        .client
        .post(app.url("/admin/bulk"))
        .header("cookie", format!("onboard_session={admin}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let loc = common::location(&r);
    assert!(loc.starts_with("/admin/bulk?upload="), "{loc}");
    let page = app.get(&loc, Some(&admin)).await;
    assert!(page.text.contains("All 2 rows are valid."));
    let id = loc.rsplit('=').next().unwrap();
    let r = app
        .client
        .post(app.url(&format!("/admin/bulk/{id}/commit")))
        .header("cookie", format!("onboard_session={admin}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = app.get(&loc, Some(&admin)).await;
    assert!(page.text.contains("2 invitations created."));
    let csv = app
        .get(&format!("/admin/bulk/{id}/codes.csv"), Some(&admin))
        .await;
    assert!(csv.text.starts_with("code,email,role,division,expires_at"));
    assert!(csv.text.contains("form2@example.com"));
    // Committing again creates nothing more.
    app.client
        .post(app.url(&format!("/admin/bulk/{id}/commit")))
        .header("cookie", format!("onboard_session={admin}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.get("/api/v1/invitations?q=form", Some(&admin))
            .await
            .body["total"],
        2
    );
}

#[tokio::test]
async fn api_tokens_act_as_their_creator_and_staff_cannot_make_them() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let r = app
        .post("/api/v1/tokens", Some(&admin), json!({"name": "ci"}))
        .await;
    assert_eq!(r.status, 201);
    let token = r.body["token"].as_str().unwrap().to_string();
    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let stored = sqlx::query("SELECT token_hash FROM api_tokens")
        .fetch_one(&app.core.db.pool)
        .await
        .unwrap();
    assert_ne!(
        onboard::db::col::<String>(&stored, "token_hash").unwrap(),
        token,
        "stored hashed"
    );
    let bad = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    // Managers hold tokens of their own (see the scoped-token test); staff have no API rights.
    let sam = app.login("sam").await;
    assert_eq!(
        app.post("/api/v1/tokens", Some(&sam), json!({}))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn admins_manage_divisions_and_disabling_a_manager_suspends_their_codes() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let r = app
        .post(
            "/api/v1/divisions",
            Some(&admin),
            json!({"slug": "ops", "name": "Operations"}),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        app.post(
            "/api/v1/divisions",
            Some(&admin),
            json!({"slug": "ops", "name": "Again"})
        )
        .await
        .status,
        409
    );
    assert_eq!(
        app.post(
            "/api/v1/divisions",
            Some(&admin),
            json!({"slug": "Bad Slug!", "name": "x"})
        )
        .await
        .code(),
        "invalid_slug"
    );
    let list = app.get("/api/v1/divisions", Some(&admin)).await;
    assert!(list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["slug"] == "ops"));

    let maya = app.login("maya").await;
    let inv = app.create(&maya, json!({})).await;
    let r = app
        .post("/api/v1/users/maya/disable", Some(&admin), json!({}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        app.get("/api/v1/me", Some(&maya)).await.status,
        401,
        "sessions end"
    );
    let r = app
        .get(&format!("/api/v1/invitations/{}", inv["id"]), Some(&admin))
        .await;
    assert_eq!(r.body["status"], "suspended");
    let r = app
        .get("/api/v1/invitations?status=suspended", Some(&admin))
        .await;
    assert_eq!(r.body["total"], 1);
    let r = app
        .get("/api/v1/invitations?division=sales", Some(&admin))
        .await;
    assert_eq!(r.body["counts"]["suspended"], 1, "{}", r.text);
    assert_eq!(r.body["counts"]["active"], 0, "{}", r.text);
    let users = app.get("/api/v1/users", Some(&admin)).await;
    let maya_row = users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "maya")
        .unwrap()
        .clone();
    assert_eq!(maya_row["disabled"], true);
    assert_eq!(
        app.post("/api/v1/users/nobody/disable", Some(&admin), json!({}))
            .await
            .status,
        404
    );
    assert_eq!(app.audit_count("user.disabled").await, 1);
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, 200);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = r.body["paths"].as_object().unwrap();
    for p in [
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/invitations",
        "/api/v1/invitations/{id}",
        "/api/v1/invitations/{id}/copy",
        "/api/v1/invitations/{id}/revoke",
        "/api/v1/invitations/bulk",
        "/api/v1/redeem",
        "/api/v1/redeem/{code}",
        "/api/v1/audit",
        "/api/v1/divisions",
        "/api/v1/users",
        "/api/v1/users/{username}/disable",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
    }
}

#[tokio::test]
async fn divisions_can_be_renamed_and_tokens_revoked() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let r = app
        .send(
            "PATCH",
            "/api/v1/divisions/sales",
            Some(&admin),
            Some(json!({"name": "Sales & Partnerships"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Sales & Partnerships");
    assert_eq!(r.body["slug"], "sales");
    assert_eq!(
        app.send(
            "PATCH",
            "/api/v1/divisions/nope",
            Some(&admin),
            Some(json!({"name": "x"}))
        )
        .await
        .status,
        404
    );
    let maya = app.login("maya").await;
    assert_eq!(
        app.send(
            "PATCH",
            "/api/v1/divisions/sales",
            Some(&maya),
            Some(json!({"name": "x"}))
        )
        .await
        .status,
        403
    );

    let created = app
        .post("/api/v1/tokens", Some(&admin), json!({"name": "ci"}))
        .await;
    let (id, token) = (
        created.body["id"].as_i64().unwrap(),
        created.body["token"].as_str().unwrap().to_string(),
    );
    let listed = app.get("/api/v1/tokens", Some(&admin)).await;
    assert_eq!(listed.body["items"][0]["name"], "ci");
    assert!(
        !listed.text.contains(&token),
        "the token is shown once only"
    );
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            Some(&admin),
            None
        )
        .await
        .status,
        204
    );
    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401, "a revoked token no longer works");
    assert_eq!(app.audit_count("token.revoked").await, 1);
}

fn days_ahead(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

#[tokio::test]
async fn a_note_is_set_by_its_creator_searchable_and_changed_only_by_admins() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let inv = app
        .create(&maya, json!({ "note": "  Barista, starts 1 Dec " }))
        .await;
    assert_eq!(inv["note"], "Barista, starts 1 Dec");
    assert!(
        inv.get("suspended_reason").is_none(),
        "only while Suspended"
    );
    let id = inv["id"].as_i64().unwrap();
    // Search matches the note, whatever the case.
    for q in ["barista", "STARTS%201"] {
        let r = app
            .get(&format!("/api/v1/invitations?q={q}"), Some(&maya))
            .await;
        assert_eq!(r.body["total"], 1, "{q}: {}", r.text);
        assert_eq!(r.body["items"][0]["id"], id);
    }
    let r = app
        .post(
            "/api/v1/invitations",
            Some(&maya),
            json!({ "note": "n".repeat(201) }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (422, Some("invalid_note"))
    );
    let r = app
        .post(
            "/api/v1/invitations",
            Some(&maya),
            json!({ "note": "a\u{0}b" }),
        )
        .await;
    assert_eq!(r.status, 422);
    // Managers cannot change it after creation; admins can, and clear it.
    let path = format!("/api/v1/invitations/{id}");
    let r = app
        .send("PATCH", &path, Some(&maya), Some(json!({ "note": "x" })))
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .send(
            "PATCH",
            &path,
            Some(&admin),
            Some(json!({ "note": "Cook" })),
        )
        .await;
    assert_eq!((r.status, r.body["note"].as_str()), (200, Some("Cook")));
    let r = app
        .send("PATCH", &path, Some(&admin), Some(json!({ "note": null })))
        .await;
    assert_eq!((r.status, r.body["note"].clone()), (200, json!(null)));
    // The trail keeps what the note said.
    let r = app
        .get("/api/v1/audit?action=invitation.updated", Some(&admin))
        .await;
    let details = &r.body["items"][0]["details"];
    assert_eq!(details["before"]["note"], "Cook", "{}", r.text);
    let r = app
        .get("/api/v1/audit?action=invitation.created", Some(&admin))
        .await;
    assert!(r.text.contains("Barista, starts 1 Dec"), "{}", r.text);
}

#[tokio::test]
async fn not_me_suspends_a_code_until_an_admin_reinstates_it() {
    let app = spawn_app().await;
    let (admin, maya, budi) = (
        app.login("admin").await,
        app.login("maya").await,
        app.login("budi").await,
    );
    let inv = app.create(&maya, json!({})).await;
    let (id, code) = (inv["id"].as_i64().unwrap(), inv["code"].as_str().unwrap());
    let report = format!("/api/v1/redeem/{code}/report");
    let r = app.post(&report, None, json!({})).await;
    assert_eq!(r.status, 202, "{}", r.text);
    // Reporting again is no error and changes nothing.
    assert_eq!(app.post(&report, None, json!({})).await.status, 202);
    let r = app
        .get(&format!("/api/v1/invitations/{id}"), Some(&maya))
        .await;
    assert_eq!(r.body["status"], "suspended");
    assert_eq!(r.body["suspended_reason"], "reported_by_recipient");
    let r = app.get("/api/v1/invitations", Some(&maya)).await;
    assert_eq!(r.body["counts"]["suspended"], 1, "{}", r.text);
    assert_eq!(r.body["counts"]["active"], 0);
    let r = app
        .get("/api/v1/invitations?status=suspended", Some(&maya))
        .await;
    assert_eq!(r.body["total"], 1);
    // The code cannot be redeemed meanwhile.
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            json!({ "code": code, "username": "newbie", "password": "correct horse battery staple" }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (410, Some("code_suspended"))
    );
    assert_eq!(app.audit_count("invitation.reported").await, 1);

    // Only admins reinstate: the manager (own division) is refused, another division sees 404.
    let reinstate = format!("/api/v1/invitations/{id}/reinstate");
    assert_eq!(
        app.post(&reinstate, Some(&maya), json!({})).await.status,
        403
    );
    assert_eq!(
        app.post(&reinstate, Some(&budi), json!({})).await.status,
        404
    );
    assert_eq!(app.post(&reinstate, None, json!({})).await.status, 401);
    let r = app.post(&reinstate, Some(&admin), json!({})).await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (200, Some("active")),
        "{}",
        r.text
    );
    assert!(r.body.get("suspended_reason").is_none());
    let r = app.post(&reinstate, Some(&admin), json!({})).await;
    assert_eq!(r.status, 409, "nothing to reinstate");

    // Codes that are over cannot be reported; unknown ones are not found.
    let used = app.create(&maya, json!({})).await;
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            json!({ "code": used["code"], "username": "newbie", "password": "correct horse battery staple" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/redeem/{}/report", used["code"].as_str().unwrap()),
            None,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (410, Some("code_used"))
    );
    let r = app
        .post("/api/v1/redeem/ZZZZ-ZZZZ-ZZZZ-ZZZZ/report", None, json!({}))
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (404, Some("code_not_found"))
    );
}

#[tokio::test]
async fn a_division_quota_caps_active_codes_and_frees_up_when_one_ends() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let patch = |body| app.send("PATCH", "/api/v1/divisions/sales", Some(&admin), Some(body));
    let r = patch(json!({ "max_active_codes": 2 })).await;
    assert_eq!(
        (r.status, r.body["max_active_codes"].as_i64()),
        (200, Some(2)),
        "{}",
        r.text
    );
    assert_eq!(r.body["name"], "Sales", "the name is kept");
    for bad in [json!(-1), json!("many"), json!(1.5)] {
        let r = patch(json!({ "max_active_codes": bad })).await;
        assert_eq!(r.status, 422, "{bad}");
        assert_eq!(r.body["error"]["code"], "invalid_max_active_codes");
    }
    let r = app
        .send(
            "PATCH",
            "/api/v1/divisions/sales",
            Some(&maya),
            Some(json!({ "max_active_codes": 99 })),
        )
        .await;
    assert_eq!(r.status, 403);

    let first = app.create(&maya, json!({})).await;
    app.create(&admin, json!({ "division": "sales" })).await;
    let r = app
        .post("/api/v1/invitations", Some(&maya), json!({}))
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (409, Some("quota_exceeded"))
    );
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2 of 2"),
        "{}",
        r.text
    );
    // Another division is not limited by it.
    app.create(&admin, json!({ "division": "eng" })).await;
    // A bulk dry run counts against the quota too, and the commit refuses.
    let r = app
        .post(
            "/api/v1/invitations/bulk?dry_run=true",
            Some(&admin),
            json!([{ "division": "eng" }, { "division": "sales" }]),
        )
        .await;
    assert_eq!(r.body["rows"][0]["ok"], true, "{}", r.text);
    assert_eq!(r.body["rows"][1]["error"]["code"], "quota_exceeded");
    let r = app
        .post(
            "/api/v1/invitations/bulk",
            Some(&admin),
            json!([{ "division": "eng" }, { "division": "sales" }]),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("row 2"));
    // Revoking one frees a place.
    let r = app
        .post(
            &format!("/api/v1/invitations/{}/revoke", first["id"]),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200);
    app.create(&maya, json!({})).await;
    // `null` removes the quota.
    let r = patch(json!({ "max_active_codes": null })).await;
    assert_eq!(r.body["max_active_codes"], json!(null));
    app.create(&maya, json!({})).await;
    let r = app.get("/api/v1/divisions", Some(&admin)).await;
    assert!(r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d.get("max_active_codes").is_some()));
}

#[tokio::test]
async fn concurrent_creates_cannot_overshoot_a_quota() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let r = app
        .send(
            "PATCH",
            "/api/v1/divisions/sales",
            Some(&admin),
            Some(json!({ "max_active_codes": 5 })),
        )
        .await;
    assert_eq!(r.status, 200);
    let maya = app.login("maya").await;
    let burst = (0..24).map(|_| app.post("/api/v1/invitations", Some(&maya), json!({})));
    let results = futures_util::future::join_all(burst).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    let refused = results
        .iter()
        .filter(|r| r.status == 409 && r.body["error"]["code"] == "quota_exceeded")
        .count();
    assert_eq!((created, refused), (5, 19));
    let r = app
        .get("/api/v1/invitations?status=active", Some(&maya))
        .await;
    assert_eq!(r.body["total"], 5);
}

#[tokio::test]
async fn only_an_empty_division_can_be_deleted() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let r = app
        .send("DELETE", "/api/v1/divisions/sales", Some(&admin), None)
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (409, Some("division_not_empty"))
    );
    let r = app
        .post(
            "/api/v1/divisions",
            Some(&admin),
            json!({ "slug": "ops", "name": "Operations" }),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        app.send("DELETE", "/api/v1/divisions/ops", Some(&maya), None)
            .await
            .status,
        403
    );
    assert_eq!(
        app.send("DELETE", "/api/v1/divisions/ops", None, None)
            .await
            .status,
        401
    );
    assert_eq!(
        app.send("DELETE", "/api/v1/divisions/ops", Some(&admin), None)
            .await
            .status,
        204
    );
    assert_eq!(
        app.send("DELETE", "/api/v1/divisions/ops", Some(&admin), None)
            .await
            .status,
        404
    );
    let r = app.get("/api/v1/divisions", Some(&admin)).await;
    assert!(!r.text.contains("\"ops\""));
    assert_eq!(app.audit_count("division.deleted").await, 1);
    // A deleted division's slug is not given out again (the trail names divisions by slug).
    let r = app
        .post(
            "/api/v1/divisions",
            Some(&admin),
            json!({ "slug": "ops", "name": "Operations" }),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    // A division with only a code in it is not empty either.
    let r = app
        .post(
            "/api/v1/divisions",
            Some(&admin),
            json!({ "slug": "ops2", "name": "Operations 2" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    app.create(&admin, json!({ "division": "ops2" })).await;
    let r = app
        .send("DELETE", "/api/v1/divisions/ops2", Some(&admin), None)
        .await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn expiry_ceilings_are_set_per_role_and_name_the_limit() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let r = app.get("/api/v1/settings", Some(&admin)).await;
    assert_eq!(
        r.body,
        json!({ "max_expiry_days": { "staff": 90, "manager": 90, "admin": 90 } })
    );
    assert_eq!(app.get("/api/v1/settings", Some(&maya)).await.status, 403);
    assert_eq!(app.get("/api/v1/settings", None).await.status, 401);
    let ceilings = json!({ "max_expiry_days": { "staff": 30, "manager": 7, "admin": 90 } });
    let r = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&maya),
            Some(ceilings.clone()),
        )
        .await;
    assert_eq!(r.status, 403);
    for bad in [
        json!({ "max_expiry_days": { "staff": 0, "manager": 7, "admin": 90 } }),
        json!({ "max_expiry_days": { "staff": 30, "manager": 7 } }),
        json!({ "max_expiry_days": { "staff": 30, "manager": 7, "admin": 99999 } }),
    ] {
        let r = app
            .send("PUT", "/api/v1/settings", Some(&admin), Some(bad.clone()))
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    let r = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&admin),
            Some(ceilings.clone()),
        )
        .await;
    assert_eq!((r.status, &r.body), (200, &ceilings));
    assert_eq!(
        app.get("/api/v1/settings", Some(&admin)).await.body,
        ceilings
    );

    let r = app
        .post(
            "/api/v1/invitations",
            Some(&admin),
            json!({ "role": "manager", "division": "sales", "expires_at": days_ahead(8) }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (422, Some("expiry_too_far"))
    );
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("7 days"),
        "{}",
        r.text
    );
    app.create(
        &admin,
        json!({ "role": "manager", "division": "sales", "expires_at": days_ahead(6) }),
    )
    .await;
    let r = app
        .post(
            "/api/v1/invitations",
            Some(&maya),
            json!({ "expires_at": days_ahead(31) }),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("30 days"));
    let staff = app
        .create(&maya, json!({ "expires_at": days_ahead(29) }))
        .await;
    // Moving an expiry later obeys the ceiling of the code's role.
    let r = app
        .send(
            "PATCH",
            &format!("/api/v1/invitations/{}", staff["id"]),
            Some(&admin),
            Some(json!({ "expires_at": days_ahead(45) })),
        )
        .await;
    assert_eq!(r.body["error"]["code"], "expiry_too_far");
    // A manager code's default (7 days) still fits a 7-day ceiling; a shorter ceiling shortens it.
    app.send(
        "PUT",
        "/api/v1/settings",
        Some(&admin),
        Some(json!({ "max_expiry_days": { "staff": 3, "manager": 7, "admin": 90 } })),
    )
    .await;
    let inv = app.create(&maya, json!({})).await;
    let expires: chrono::DateTime<chrono::Utc> =
        inv["expires_at"].as_str().unwrap().parse().unwrap();
    assert!(expires <= chrono::Utc::now() + chrono::Duration::days(3));
    assert_eq!(app.audit_count("settings.updated").await, 2);
}

#[tokio::test]
async fn the_invitation_list_downloads_as_csv_with_its_filters() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    for i in 0..3 {
        app.create(
            &maya,
            json!({ "email": format!("p{i}@example.com"), "note": "=HYPERLINK(\"x\")" }),
        )
        .await;
    }
    app.create(&admin, json!({ "division": "eng" })).await;
    let csv = |cookie: String, path: &'static str| {
        let req = app
            .client
            .get(app.url(path))
            .header("cookie", format!("onboard_session={cookie}"))
            .header("accept", "text/csv");
        async move { req.send().await.unwrap() }
    };
    let r = csv(maya.clone(), "/api/v1/invitations").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = r.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert!(
        lines[0].starts_with("id,code,email,role,division,status"),
        "{body}"
    );
    assert_eq!(lines.len(), 4, "the manager's own division only: {body}");
    assert!(body.contains("'=HYPERLINK"), "formulas are defused: {body}");
    let r = csv(admin.clone(), "/api/v1/invitations?division=eng").await;
    assert_eq!(r.text().await.unwrap().lines().count(), 2);
    let r = csv(admin.clone(), "/api/v1/invitations?q=p1@").await;
    assert_eq!(r.text().await.unwrap().lines().count(), 2);
    let r = csv(maya.clone(), "/api/v1/invitations?division=eng").await;
    assert_eq!(r.status(), 404);
    let r = csv(String::new(), "/api/v1/invitations").await;
    assert_eq!(r.status(), 401);
    assert_eq!(
        app.audit_count("invitations.exported").await,
        3,
        "each download is in the trail"
    );
}

#[tokio::test]
async fn the_new_admin_endpoints_refuse_cross_site_requests() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    for (method, path) in [
        ("PUT", "/api/v1/settings"),
        ("PATCH", "/api/v1/divisions/sales"),
        ("DELETE", "/api/v1/divisions/sales"),
        ("POST", "/api/v1/invitations/1/reinstate"),
    ] {
        let r = app
            .client
            .request(method.parse().unwrap(), app.url(path))
            .header("cookie", format!("onboard_session={admin}"))
            .header("origin", "https://evil.example")
            .json(&json!({ "max_expiry_days": { "staff": 1, "manager": 1, "admin": 1 } }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{method} {path}");
    }
    assert_eq!(
        app.get("/api/v1/settings", Some(&admin)).await.body["max_expiry_days"]["staff"],
        90
    );
}

async fn bearer(
    app: &common::TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> common::Resp {
    let mut req = app
        .client
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    common::into_resp(req.send().await.unwrap()).await
}

#[tokio::test]
async fn a_token_is_held_to_its_scopes_and_to_its_holders_current_role() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let make = |cookie: String, body: serde_json::Value| {
        let app = &app;
        async move { app.post("/api/v1/tokens", Some(&cookie), body).await }
    };
    // A manager's read-only token.
    let r = make(
        maya.clone(),
        json!({ "name": "report", "scopes": ["invitations:read"] }),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["scopes"], json!(["invitations:read"]));
    let read = r.body["token"].as_str().unwrap().to_string();
    assert_eq!(
        bearer(&app, "GET", "/api/v1/invitations", &read, None)
            .await
            .status,
        200
    );
    let r = bearer(&app, "POST", "/api/v1/invitations", &read, Some(json!({}))).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (403, Some("insufficient_scope"))
    );
    // Its holder's division still bounds it.
    let r = bearer(&app, "GET", "/api/v1/invitations?division=eng", &read, None).await;
    assert_eq!(r.status, 404);
    // Outside its scopes a token learns nothing: the same answer for a code that exists (in
    // another division, too) and one that does not.
    let elsewhere = app.create(&admin, json!({ "division": "eng" })).await;
    for id in [elsewhere["id"].as_i64().unwrap(), 999_999] {
        let r = bearer(
            &app,
            "POST",
            &format!("/api/v1/invitations/{id}/revoke"),
            &read,
            Some(json!({})),
        )
        .await;
        assert_eq!(r.body["error"]["code"], "insufficient_scope", "{id}");
    }
    // A manager cannot get what their role does not have, or a bad scope.
    let r = make(maya.clone(), json!({ "scopes": ["admin"] })).await;
    assert_eq!(r.status, 403);
    for bad in [json!([]), json!(["everything"]), json!("admin")] {
        let r = make(maya.clone(), json!({ "scopes": bad })).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    let r = make(
        maya.clone(),
        json!({ "scopes": ["invitations:write"], "expires_at": "2001-01-01T00:00:00Z" }),
    )
    .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (422, Some("invalid_expires_at"))
    );

    // A write token creates but does not read; an admin-scoped token manages, nothing else.
    let write = make(maya.clone(), json!({ "scopes": ["invitations:write"] }))
        .await
        .body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = bearer(
        &app,
        "POST",
        "/api/v1/invitations",
        &write,
        Some(json!({ "note": "via api" })),
    )
    .await;
    assert_eq!(
        (r.status, r.body["created_by"].as_str()),
        (201, Some("maya")),
        "{}",
        r.text
    );
    assert_eq!(
        bearer(&app, "GET", "/api/v1/invitations", &write, None)
            .await
            .status,
        403
    );
    let ops = make(admin.clone(), json!({ "scopes": ["admin"] }))
        .await
        .body["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        bearer(&app, "GET", "/api/v1/users", &ops, None)
            .await
            .status,
        200
    );
    assert_eq!(
        bearer(&app, "GET", "/api/v1/settings", &ops, None)
            .await
            .status,
        200
    );
    let r = bearer(&app, "GET", "/api/v1/invitations", &ops, None).await;
    assert_eq!(r.body["error"]["code"], "insufficient_scope");
    // Any token reads its own profile.
    assert_eq!(
        bearer(&app, "GET", "/api/v1/me", &read, None).await.status,
        200
    );

    // Listing: own tokens for a manager, everyone's for an admin, never the secret; last use shown.
    let r = app.get("/api/v1/tokens", Some(&maya)).await;
    let mine = r.body["items"].as_array().unwrap();
    assert_eq!(mine.len(), 2, "{}", r.text);
    assert!(mine
        .iter()
        .all(|t| t["owner"] == "maya" && t.get("token").is_none()));
    assert!(mine.iter().any(|t| !t["last_used_at"].is_null()));
    let all = app.get("/api/v1/tokens", Some(&admin)).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 3);

    // Revoking: a manager cannot revoke someone else's; the token stops working at once.
    let ops_id = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["owner"] == "admin")
        .unwrap()["id"]
        .clone();
    let r = app
        .send(
            "DELETE",
            &format!("/api/v1/tokens/{ops_id}"),
            Some(&maya),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let read_id = mine.iter().find(|t| t["name"] == "report").unwrap()["id"].clone();
    let r = app
        .send(
            "DELETE",
            &format!("/api/v1/tokens/{read_id}"),
            Some(&maya),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        bearer(&app, "GET", "/api/v1/invitations", &read, None)
            .await
            .status,
        401
    );

    // Disabling the holder ends the token; so does demoting them (checked on every use).
    let r = app
        .post("/api/v1/users/maya/disable", Some(&admin), json!({}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        bearer(&app, "POST", "/api/v1/invitations", &write, Some(json!({})))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn admins_change_roles_and_divisions_and_the_inviters_codes_follow() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let code = app.create(&maya, json!({})).await;
    let path = format!("/api/v1/invitations/{}", code["id"]);
    let patch = |user: &'static str, body: serde_json::Value, cookie: String| {
        let app = &app;
        async move {
            app.send(
                "PATCH",
                &format!("/api/v1/users/{user}"),
                Some(&cookie),
                Some(body),
            )
            .await
        }
    };
    // Wrong role and bad input first.
    assert_eq!(
        patch("sam", json!({ "role": "manager" }), maya.clone())
            .await
            .status,
        403
    );
    assert_eq!(
        app.send("PATCH", "/api/v1/users/sam", None, Some(json!({})))
            .await
            .status,
        401
    );
    assert_eq!(
        patch("nobody", json!({ "role": "staff" }), admin.clone())
            .await
            .status,
        404
    );
    let r = patch("sam", json!({ "role": "owner" }), admin.clone()).await;
    assert_eq!(r.body["error"]["code"], "invalid_role");
    let r = patch("sam", json!({ "division": "nowhere" }), admin.clone()).await;
    assert_eq!(r.body["error"]["code"], "invalid_division");
    let r = patch(
        "admin",
        json!({ "role": "staff", "division": "sales" }),
        admin.clone(),
    )
    .await;
    assert_eq!(r.status, 409, "an admin cannot demote themself");

    // Moving the manager to another division suspends the codes they made in the old one.
    let r = patch("maya", json!({ "division": "eng" }), admin.clone()).await;
    assert_eq!(
        (r.status, r.body["user"]["division"].as_str()),
        (200, Some("eng")),
        "{}",
        r.text
    );
    assert_eq!(r.body["user"]["role"], "manager");
    let r = app.get(&path, Some(&admin)).await;
    assert_eq!(r.body["status"], "suspended");
    assert_eq!(r.body["suspended_reason"], "inviter_lost_authority");
    // Her session now sees her new division, not the old one.
    let r = app
        .get("/api/v1/invitations?division=sales", Some(&maya))
        .await;
    assert_eq!(r.status, 404);
    // Back again: the code is Active again. Demotion to staff suspends it too.
    patch("maya", json!({ "division": "sales" }), admin.clone()).await;
    assert_eq!(app.get(&path, Some(&admin)).await.body["status"], "active");
    let r = patch("maya", json!({ "role": "staff" }), admin.clone()).await;
    assert_eq!(
        (r.status, r.body["user"]["division"].as_str()),
        (200, Some("sales"))
    );
    assert_eq!(
        app.get(&path, Some(&admin)).await.body["status"],
        "suspended"
    );
    assert_eq!(
        app.post("/api/v1/invitations", Some(&maya), json!({}))
            .await
            .status,
        403
    );
    // Promoting to admin clears the division.
    let r = patch("sam", json!({ "role": "admin" }), admin.clone()).await;
    assert_eq!(r.body["user"]["division"], json!(null));
    let r = patch("sam", json!({ "role": "staff" }), admin.clone()).await;
    assert_eq!(
        r.body["error"]["code"], "invalid_division",
        "staff need a division"
    );
    assert_eq!(app.audit_count("user.updated").await, 4);
}

#[tokio::test]
async fn a_disabled_user_is_enabled_again_and_a_reset_link_works_once() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    app.post("/api/v1/users/sam/disable", Some(&admin), json!({}))
        .await;
    let login = |password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/session",
                None,
                json!({ "username": "sam", "password": password }),
            )
            .await
            .status
        }
    };
    assert_eq!(login(common::PASSWORD).await, 401);
    let maya = app.login("maya").await;
    assert_eq!(
        app.post("/api/v1/users/sam/enable", Some(&maya), json!({}))
            .await
            .status,
        403
    );
    let r = app
        .post("/api/v1/users/sam/enable", Some(&admin), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(login(common::PASSWORD).await, 200);
    assert_eq!(app.audit_count("user.enabled").await, 1);

    // The reset link: admins only, shown once, works once, and ends the old sessions.
    let old_session = app.login("sam").await;
    let reset = "/api/v1/users/sam/password-reset";
    assert_eq!(app.post(reset, Some(&maya), json!({})).await.status, 403);
    assert_eq!(
        app.post(
            "/api/v1/users/nobody/password-reset",
            Some(&admin),
            json!({})
        )
        .await
        .status,
        404
    );
    let first = app.post(reset, Some(&admin), json!({})).await;
    assert_eq!(first.status, 201);
    let r = app.post(reset, Some(&admin), json!({})).await;
    let link = r.body["link"].as_str().unwrap().to_string();
    let path = link
        .split_once("/reset/")
        .map(|(_, t)| format!("/reset/{t}"))
        .unwrap();
    // A newer link replaces the first.
    let old_path = first.body["link"]
        .as_str()
        .unwrap()
        .split_once("/reset/")
        .map(|(_, t)| format!("/reset/{t}"))
        .unwrap();
    assert_eq!(app.get(&old_path, None).await.status, 404);
    let page = app.get(&path, None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("sam"),
        "the page says whose password it sets"
    );
    let r = app
        .form_post(
            &path,
            None,
            &[("password", "short"), ("password_confirm", "short")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        common::location(&r).contains("error=weak_password"),
        "{}",
        common::location(&r)
    );
    let new_password = "a brand new passphrase";
    let r = app
        .form_post(
            &path,
            None,
            &[
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(
        (r.status().as_u16(), common::location(&r)),
        (303, "/login?reset=1".to_string())
    );
    assert_eq!(login(new_password).await, 200);
    assert_eq!(login(common::PASSWORD).await, 401);
    assert_eq!(app.get("/api/v1/me", Some(&old_session)).await.status, 401);
    let r = app.get("/api/v1/users", Some(&admin)).await;
    assert!(r.text.contains("\"sam\""));
    // Used up.
    let r = app
        .form_post(
            &path,
            None,
            &[
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert!(
        common::location(&r).contains("error=not_found"),
        "{}",
        common::location(&r)
    );
    assert_eq!(app.audit_count("user.password_reset").await, 1);
}

#[tokio::test]
async fn reinstating_a_reported_code_respects_the_quota() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let reported = app.create(&maya, json!({})).await;
    let code = reported["code"].as_str().unwrap();
    assert_eq!(
        app.post(&format!("/api/v1/redeem/{code}/report"), None, json!({}))
            .await
            .status,
        202
    );
    // The reported code is Suspended, so the quota of one still has room for another.
    app.send(
        "PATCH",
        "/api/v1/divisions/sales",
        Some(&admin),
        Some(json!({ "max_active_codes": 1 })),
    )
    .await;
    app.create(&maya, json!({})).await;
    let r = app
        .post(
            &format!("/api/v1/invitations/{}/reinstate", reported["id"]),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (409, Some("quota_exceeded")),
        "{}",
        r.text
    );
    let r = app
        .get(
            &format!("/api/v1/invitations/{}", reported["id"]),
            Some(&admin),
        )
        .await;
    assert_eq!(
        r.body["suspended_reason"], "reported_by_recipient",
        "nothing changed"
    );
}

#[tokio::test]
async fn the_dashboard_exports_exactly_its_view_for_managers_too() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let kept = app
        .create(&maya, json!({ "email": "keep@example.com" }))
        .await;
    let gone = app
        .create(&maya, json!({ "email": "gone@example.com" }))
        .await;
    app.create(&admin, json!({ "division": "eng" })).await;
    let r = app
        .client
        .post(app.url(&format!("/api/v1/invitations/{}/revoke", gone["id"])))
        .header("cookie", format!("onboard_session={admin}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let rows = |r: &common::Resp| {
        r.text
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // The dashboard's own query string, as its Export CSV link carries it.
    let r = app
        .get("/invitations/export.csv?status=active", Some(&maya))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let active = rows(&r);
    assert!(active.iter().any(|l| l.contains("keep@example.com")));
    assert!(
        !active.iter().any(|l| l.contains("gone@example.com")),
        "revoked codes are not Active"
    );
    assert!(
        active.iter().all(|l| l.contains(",sales,")),
        "own division only: {active:?}"
    );
    let listed = app
        .get("/api/v1/invitations?status=active", Some(&maya))
        .await;
    assert_eq!(
        active.len() as i64,
        listed.body["total"].as_i64().unwrap(),
        "every page of the view"
    );

    let r = app
        .get("/invitations/export.csv?q=gone@", Some(&maya))
        .await;
    assert_eq!(
        rows(&r).len(),
        1,
        "the search narrows the file as it narrows the list"
    );
    assert!(kept["code"].is_string());

    // Another division's view, staff, and no session are refused.
    let r = app
        .get("/invitations/export.csv?division=eng", Some(&maya))
        .await;
    assert_eq!(r.status, 404);
    let staff = app.login("sam").await;
    assert_eq!(
        app.get("/invitations/export.csv", Some(&staff))
            .await
            .status,
        403
    );
    let r = app
        .client
        .get(app.url("/invitations/export.csv"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection());
    assert!(common::location(&r).starts_with("/login"));
    assert_eq!(
        app.audit_count("invitations.exported").await,
        2,
        "each download is in the trail"
    );
}
