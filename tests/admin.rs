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
async fn api_tokens_act_as_their_creator_and_only_admins_make_them() {
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
    let maya = app.login("maya").await;
    assert_eq!(
        app.post("/api/v1/tokens", Some(&maya), json!({}))
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
