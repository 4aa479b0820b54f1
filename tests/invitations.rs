//! The invitation dashboard's API: policy for every role, bad input, filters, search, counts.
mod common;

use chrono::{Duration, Utc};
use common::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_manager_creates_staff_invitations_in_their_own_division() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let inv = app.create(&maya, json!({"email": "Ana@Example.com"})).await;
    assert_eq!(inv["role"], "staff");
    assert_eq!(inv["division"], "sales");
    assert_eq!(inv["email"], "ana@example.com");
    assert_eq!(inv["status"], "active");
    assert_eq!(inv["created_by"], "maya");
    assert!(inv["used_by"].is_null());
    let code = inv["code"].as_str().unwrap();
    assert!(
        onboard::domain::InvitationCode::parse(code).is_some(),
        "{code}"
    );
    assert_eq!(code.len(), 19, "grouped XXXX-XXXX-XXXX-XXXX");
    let expires: chrono::DateTime<Utc> = inv["expires_at"].as_str().unwrap().parse().unwrap();
    let delta = expires - Utc::now();
    assert!(delta > Duration::days(7) - Duration::minutes(1) && delta <= Duration::days(7));
    assert_eq!(app.audit_count("invitation.created").await, 1);
}

#[tokio::test]
async fn the_times_a_create_answers_with_are_the_ones_read_back() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    // Asked to the microsecond; the default expiry is computed from the server's clock.
    let asked = (Utc::now() + Duration::days(2)).format("%Y-%m-%dT%H:%M:%S%.6fZ");
    for body in [json!({"expires_at": asked.to_string()}), json!({})] {
        let made = app.create(&maya, body).await;
        let id = made["id"].as_i64().unwrap();
        let read = app
            .get(&format!("/api/v1/invitations/{id}"), Some(&maya))
            .await;
        assert_eq!(read.status, 200, "{}", read.text);
        for field in ["created_at", "expires_at"] {
            assert_eq!(made[field], read.body[field], "{field}");
        }
    }
}

#[tokio::test]
async fn a_manager_may_not_invite_managers_or_admins_nor_into_another_division() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    for role in ["manager", "admin"] {
        let r = app
            .post("/api/v1/invitations", Some(&maya), json!({"role": role}))
            .await;
        assert_eq!((r.status, r.code()), (403, "role_not_allowed"), "{role}");
    }
    let r = app
        .post(
            "/api/v1/invitations",
            Some(&maya),
            json!({"division": "eng"}),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .post(
            "/api/v1/invitations",
            Some(&maya),
            json!({"role": "staff", "division": "sales"}),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        app.audit_count("invitation.created").await,
        1,
        "refusals create nothing"
    );
}

#[tokio::test]
async fn staff_and_anonymous_callers_are_refused_everywhere() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let inv = app.create(&admin, json!({"division": "sales"})).await;
    let id = inv["id"].as_i64().unwrap();
    let sam = app.login("sam").await;
    let routes = [
        ("GET", "/api/v1/invitations".to_string(), None),
        ("POST", "/api/v1/invitations".to_string(), Some(json!({}))),
        ("GET", format!("/api/v1/invitations/{id}"), None),
        ("POST", format!("/api/v1/invitations/{id}/copy"), None),
        (
            "PATCH",
            format!("/api/v1/invitations/{id}"),
            Some(json!({"email": "x@example.com"})),
        ),
        ("POST", format!("/api/v1/invitations/{id}/revoke"), None),
        ("DELETE", format!("/api/v1/invitations/{id}"), None),
        (
            "POST",
            "/api/v1/invitations/bulk".to_string(),
            Some(json!([{"division": "sales"}])),
        ),
        ("GET", "/api/v1/audit".to_string(), None),
        ("GET", "/api/v1/divisions".to_string(), None),
        (
            "POST",
            "/api/v1/divisions".to_string(),
            Some(json!({"slug": "x", "name": "X"})),
        ),
        ("GET", "/api/v1/users".to_string(), None),
        ("POST", "/api/v1/users/maya/disable".to_string(), None),
        ("POST", "/api/v1/tokens".to_string(), Some(json!({}))),
    ];
    for (method, path, body) in &routes {
        let r = app.send(method, path, Some(&sam), body.clone()).await;
        assert_eq!(
            (r.status, r.code()),
            (403, "forbidden"),
            "staff {method} {path}"
        );
        let r = app.send(method, path, None, body.clone()).await;
        assert_eq!(
            (r.status, r.code()),
            (401, "unauthenticated"),
            "anonymous {method} {path}"
        );
    }
}

#[tokio::test]
async fn another_divisions_invitation_is_invisible_to_a_manager() {
    let app = spawn_app().await;
    let budi = app.login("budi").await;
    let maya = app.login("maya").await;
    let theirs = app
        .create(&budi, json!({"email": "eng.hire@example.com"}))
        .await;
    let id = theirs["id"].as_i64().unwrap();
    for (method, path, body) in [
        ("GET", format!("/api/v1/invitations/{id}"), None),
        ("POST", format!("/api/v1/invitations/{id}/copy"), None),
        (
            "PATCH",
            format!("/api/v1/invitations/{id}"),
            Some(json!({"email": "x@example.com"})),
        ),
        ("POST", format!("/api/v1/invitations/{id}/revoke"), None),
        ("DELETE", format!("/api/v1/invitations/{id}"), None),
        ("GET", "/api/v1/invitations/999999".to_string(), None),
    ] {
        let r = app.send(method, &path, Some(&maya), body).await;
        assert_eq!(r.status, 404, "{method} {path}: {}", r.text);
    }
    let list = app.get("/api/v1/invitations", Some(&maya)).await;
    assert_eq!(list.body["total"], 0);
    let r = app
        .get("/api/v1/invitations?division=eng", Some(&maya))
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .get("/api/v1/invitations?division=nope", Some(&maya))
        .await;
    assert_eq!(r.status, 404, "unknown and foreign divisions look alike");
    // The pages answer as the API does; the manager's own division is there.
    for page in ["/invitations", "/audit"] {
        for (division, status) in [("eng", 404), ("nope", 404), ("sales", 200)] {
            let r = app
                .get(&format!("{page}?division={division}"), Some(&maya))
                .await;
            assert_eq!(r.status, status, "{page}?division={division}");
        }
    }
    assert_eq!(app.audit_count("invitation.copied").await, 0);
}

#[tokio::test]
async fn a_manager_cannot_change_revoke_or_delete_even_their_own_codes() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let inv = app.create(&maya, json!({})).await;
    let id = inv["id"].as_i64().unwrap();
    for (method, path, body) in [
        (
            "PATCH",
            format!("/api/v1/invitations/{id}"),
            Some(json!({"email": "x@example.com"})),
        ),
        ("POST", format!("/api/v1/invitations/{id}/revoke"), None),
        ("DELETE", format!("/api/v1/invitations/{id}"), None),
    ] {
        let r = app.send(method, &path, Some(&maya), body).await;
        assert_eq!((r.status, r.code()), (403, "forbidden"), "{method} {path}");
    }
    let r = app
        .get(&format!("/api/v1/invitations/{id}"), Some(&maya))
        .await;
    assert_eq!(r.body["status"], "active");
}

#[tokio::test]
async fn copying_records_an_audit_event() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let inv = app.create(&maya, json!({})).await;
    let r = app
        .post(
            &format!("/api/v1/invitations/{}/copy", inv["id"]),
            Some(&maya),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(app.audit_count("invitation.copied").await, 1);
}

#[tokio::test]
async fn an_admin_can_edit_revoke_and_delete() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let inv = app
        .create(
            &admin,
            json!({"division": "eng", "role": "manager", "email": "lead@example.com"}),
        )
        .await;
    assert_eq!(inv["role"], "manager");
    let id = inv["id"].as_i64().unwrap();
    let later = (Utc::now() + Duration::days(30)).to_rfc3339();
    let r = app
        .send(
            "PATCH",
            &format!("/api/v1/invitations/{id}"),
            Some(&admin),
            Some(json!([null, null])),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "invalid_body"));
    let r = app
        .get(&format!("/api/v1/invitations/{id}"), Some(&admin))
        .await;
    assert_eq!(r.body["email"], "lead@example.com", "nothing changed");
    let r = app
        .send(
            "PATCH",
            &format!("/api/v1/invitations/{id}"),
            Some(&admin),
            Some(json!({"email": "new@example.com", "expires_at": later})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["email"], "new@example.com");
    let found = |q: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let r = app
                .get(&format!("/api/v1/invitations?q={q}"), Some(admin))
                .await;
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["id"].as_i64() == Some(id))
        }
    };
    assert!(found("new@exa").await, "search sees the new email");
    assert!(!found("lead@ex").await, "and no longer the old one");
    let r = app
        .post(
            &format!("/api/v1/invitations/{id}/revoke"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(r.body["status"], "revoked");
    let r = app
        .send(
            "PATCH",
            &format!("/api/v1/invitations/{id}"),
            Some(&admin),
            Some(json!({"email": "x@example.com"})),
        )
        .await;
    assert_eq!(r.status, 409, "only Active codes can be changed");
    let r = app
        .send(
            "DELETE",
            &format!("/api/v1/invitations/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        app.get(&format!("/api/v1/invitations/{id}"), Some(&admin))
            .await
            .status,
        404
    );
    for action in [
        "invitation.updated",
        "invitation.revoked",
        "invitation.deleted",
    ] {
        assert_eq!(app.audit_count(action).await, 1, "{action}");
    }
    let admin_inv = app.create(&admin, json!({"role": "admin"})).await;
    assert!(admin_inv["division"].is_null());
    let r = app
        .post(
            "/api/v1/invitations",
            Some(&admin),
            json!({"role": "staff"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "invalid_division"));
}

#[tokio::test]
async fn bad_input_is_refused_with_the_contracts_codes() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let past = (Utc::now() - Duration::minutes(1)).to_rfc3339();
    let far = (Utc::now() + Duration::days(91)).to_rfc3339();
    for (body, status, code) in [
        (json!({"email": "not-an-email"}), 422, "invalid_email"),
        (json!({"expires_at": past}), 422, "invalid_expires_at"),
        // Past the role's ceiling (90 days unless an admin sets one): API.md, "Additions".
        (json!({"expires_at": far}), 422, "expiry_too_far"),
        (
            json!({"expires_at": "next tuesday"}),
            422,
            "invalid_expires_at",
        ),
        (json!({"role": "owner"}), 422, "invalid_role"),
        (json!({"colour": "blue"}), 422, "invalid_body"),
        (json!({"email": 42}), 422, "invalid_body"),
    ] {
        let r = app
            .post("/api/v1/invitations", Some(&maya), body.clone())
            .await;
        assert_eq!((r.status, r.code()), (status, code), "{body}: {}", r.text);
        assert!(!r.body["error"]["message"].as_str().unwrap().is_empty());
    }
    for (query, code) in [
        ("per_page=201", "invalid_per_page"),
        ("per_page=0", "invalid_per_page"),
        ("status=bogus", "invalid_status"),
        ("page=0", "invalid_page"),
    ] {
        let r = app
            .get(&format!("/api/v1/invitations?{query}"), Some(&maya))
            .await;
        assert_eq!((r.status, r.code()), (422, code), "{query}");
    }
    assert_eq!(
        app.get("/api/v1/invitations?per_page=200", Some(&maya))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/invitations/abc", Some(&maya)).await.status,
        404
    );
}

#[tokio::test]
async fn errors_are_json_name_the_field_or_row_and_the_role_comes_before_the_body() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let is_json_error = |r: &common::Resp, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", r.text);
        assert_eq!(r.code(), code, "{}", r.text);
        assert!(!r.body["error"]["message"].as_str().unwrap().is_empty());
    };
    // Rejections the framework writes before a handler runs.
    for path in ["/api/v1/redeem/%ff", "/api/v1/invitations/%ff"] {
        let r = app.get(path, Some(&admin)).await;
        is_json_error(&r, 400, "malformed_request");
    }
    let big = format!("[{}]", "1".repeat(1024 * 1024 + 1000));
    for path in ["/api/v1/invitations/bulk", "/api/v1/tokens"] {
        let r = app
            .client
            .post(app.url(path))
            .header("cookie", format!("onboard_session={admin}"))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        let r = common::into_resp(r).await;
        is_json_error(&r, 413, "body_too_large");
    }
    // A value of the wrong type is named by its field; a bad row of a JSON batch by its row.
    let r = app
        .post("/api/v1/invitations", Some(&maya), json!({"email": 5}))
        .await;
    is_json_error(&r, 422, "invalid_body");
    assert!(r.text.contains("email: invalid type"), "{}", r.text);
    let rows = json!([{"email": "a@example.com"}, {"email": "b@example.com", "colour": "red"}]);
    let r = app
        .post("/api/v1/invitations/bulk", Some(&admin), rows)
        .await;
    is_json_error(&r, 422, "invalid_body");
    assert!(
        r.text.contains("row 2: unknown field `colour`"),
        "{}",
        r.text
    );
    // A body that is not a JSON object does not hide that the caller may not do this at all.
    let own = app.create(&maya, json!({})).await["id"].as_i64().unwrap();
    let other = app.create(&admin, json!({"division": "eng"})).await["id"]
        .as_i64()
        .unwrap();
    for body in [
        json!({"role": "admin"}),
        json!([1]),
        json!({"expires_at": 5}),
    ] {
        let r = app
            .send(
                "PATCH",
                &format!("/api/v1/invitations/{own}"),
                Some(&maya),
                Some(body.clone()),
            )
            .await;
        is_json_error(&r, 403, "forbidden");
        let r = app
            .send(
                "PATCH",
                &format!("/api/v1/invitations/{other}"),
                Some(&maya),
                Some(body),
            )
            .await;
        is_json_error(&r, 404, "not_found");
    }
    for (method, path) in [
        ("POST", "/api/v1/divisions"),
        ("PATCH", "/api/v1/divisions/sales"),
        ("PUT", "/api/v1/settings"),
        ("PATCH", "/api/v1/users/maya"),
        ("POST", "/api/v1/webhooks"),
        ("PATCH", "/api/v1/webhooks/1"),
    ] {
        let r = app.send(method, path, Some(&maya), Some(json!({}))).await;
        is_json_error(&r, 403, "forbidden");
    }
    // Staff may neither create codes nor hold tokens, whatever they send.
    let sam = app.login("sam").await;
    for path in ["/api/v1/invitations", "/api/v1/tokens"] {
        let r = app.post(path, Some(&sam), json!({"email": 5})).await;
        is_json_error(&r, 403, "forbidden");
    }
    // An admin with the same bodies hears what is wrong with them.
    let r = app
        .send(
            "PATCH",
            &format!("/api/v1/invitations/{own}"),
            Some(&admin),
            Some(json!({"role": "admin"})),
        )
        .await;
    is_json_error(&r, 422, "invalid_body");
    let r = app
        .send("PUT", "/api/v1/settings", Some(&admin), Some(json!({})))
        .await;
    is_json_error(&r, 422, "invalid_body");
    // A token's body, when there is one, is JSON.
    let r = app
        .client
        .post(app.url("/api/v1/tokens"))
        .header("cookie", format!("onboard_session={admin}"))
        .header("content-type", "text/plain")
        .body(r#"{"name":"ci","scopes":["admin"]}"#)
        .send()
        .await
        .unwrap();
    is_json_error(&common::into_resp(r).await, 415, "unsupported_media_type");
    assert_eq!(app.audit_count("invitation.updated").await, 0);
}

#[tokio::test]
async fn status_flips_to_expired_at_the_exact_instant() {
    let app = spawn_app().await;
    let now = Utc::now();
    app.core.clock.set(now);
    let maya = app.login("maya").await;
    let expires = now + Duration::hours(1);
    let inv = app
        .create(&maya, json!({"expires_at": expires.to_rfc3339()}))
        .await;
    let id = inv["id"].as_i64().unwrap();
    app.core.clock.set(expires - Duration::milliseconds(1));
    let r = app
        .get("/api/v1/invitations?status=active", Some(&maya))
        .await;
    assert_eq!(r.body["total"], 1);
    app.core.clock.set(expires);
    let r = app
        .get(&format!("/api/v1/invitations/{id}"), Some(&maya))
        .await;
    assert_eq!(r.body["status"], "expired");
    let r = app
        .get("/api/v1/invitations?status=expired", Some(&maya))
        .await;
    assert_eq!(
        (
            r.body["total"].as_i64(),
            r.body["counts"]["expired"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(r.body["counts"]["active"], 0);
}

#[tokio::test]
async fn search_filter_paging_and_counts_agree() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let admin = app.login("admin").await;
    let mut codes = Vec::new();
    for i in 0..7 {
        let inv = app
            .create(&maya, json!({"email": format!("person{i}@example.com")}))
            .await;
        codes.push(inv["code"].as_str().unwrap().to_string());
    }
    app.create(
        &app.login("budi").await,
        json!({"email": "person0@eng.example.com"}),
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/invitations/{}/revoke", 1),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200);

    let r = app
        .get("/api/v1/invitations?per_page=3&page=2", Some(&maya))
        .await;
    assert_eq!(r.body["total"], 7);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(r.body["page"], 2);
    assert_eq!(r.body["counts"]["active"], 6);
    assert_eq!(r.body["counts"]["revoked"], 1);
    let r = app.get("/api/v1/invitations?q=PERSON3", Some(&maya)).await;
    assert_eq!(r.body["total"], 1, "case-insensitive email search");
    // Code search ignores dashes and case.
    let fragment = codes[4][5..14].to_lowercase();
    let r = app
        .get(&format!("/api/v1/invitations?q={fragment}"), Some(&maya))
        .await;
    assert_eq!(r.body["items"][0]["code"], codes[4].as_str());
    let r = app.get("/api/v1/invitations?q=person0", Some(&admin)).await;
    assert_eq!(r.body["total"], 2, "admins search across divisions");
    let r = app
        .get("/api/v1/invitations?q=person0&division=eng", Some(&admin))
        .await;
    assert_eq!(r.body["total"], 1);
    let r = app.get("/api/v1/invitations?q=%25", Some(&maya)).await;
    assert_eq!(r.body["total"], 0, "LIKE wildcards are literal");
    // Newest first.
    let r = app.get("/api/v1/invitations", Some(&maya)).await;
    assert_eq!(r.body["items"][0]["code"], codes[6].as_str());
}

#[tokio::test]
async fn the_dashboard_renders_the_view_in_the_url_without_javascript() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let inv = app
        .create(&maya, json!({"email": "visible@example.com"}))
        .await;
    app.create(
        &app.login("budi").await,
        json!({"email": "hidden@example.com"}),
    )
    .await;
    let page = app
        .get("/invitations?status=active&q=visible", Some(&maya))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains(inv["code"].as_str().unwrap()));
    assert!(page.text.contains("visible@example.com"));
    assert!(!page.text.contains("hidden@example.com"));
    assert!(page.text.contains("<option value=\"active\" selected"));
    // The create form posts and redirects back with the new code shown.
    let r = app
        .form_post(
            "/invitations/new",
            Some(&maya),
            &[
                ("email", "nojs@example.com"),
                ("expires_at", ""),
                ("back", "/invitations"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let loc = common::location(&r);
    assert!(loc.starts_with("/invitations?created="), "{loc}");
    let page = app.get(&loc, Some(&maya)).await;
    assert!(page.text.contains("Invitation created"));
    // A bad email keeps what was typed and names the field.
    let r = app
        .form_post(
            "/invitations/new",
            Some(&maya),
            &[("email", "nope"), ("back", "/invitations")],
        )
        .await;
    let loc = common::location(&r);
    assert!(
        loc.contains("error=invalid_email")
            && loc.contains("email=nope")
            && loc.contains("create=1"),
        "{loc}"
    );
    let page = app.get(&loc, Some(&maya)).await;
    assert!(page.text.contains("id=\"email-error\""));
    assert!(page.text.contains("value=\"nope\""));
}

#[tokio::test]
async fn the_detail_page_shows_the_timeline_and_lets_only_admins_edit() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let inv = app
        .create(&maya, json!({"email": "timeline@example.com"}))
        .await;
    let id = inv["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/invitations/{id}/copy"),
        Some(&maya),
        json!({}),
    )
    .await;
    let page = app.get(&format!("/invitations/{id}"), Some(&maya)).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Created by maya") && page.text.contains("Copied by maya"));
    assert!(
        !page.text.contains("Edit invitation"),
        "managers get no edit form"
    );
    let budi = app.login("budi").await;
    assert_eq!(
        app.get(&format!("/invitations/{id}"), Some(&budi))
            .await
            .status,
        404
    );

    let admin = app.login("admin").await;
    let page = app.get(&format!("/invitations/{id}"), Some(&admin)).await;
    assert!(page.text.contains("Edit invitation"));
    let later = (Utc::now() + Duration::days(20))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let r = app
        .form_post(
            &format!("/invitations/{id}/edit"),
            Some(&admin),
            &[
                ("email", "changed@example.com"),
                ("expires_at", later.as_str()),
            ],
        )
        .await;
    assert_eq!(
        r.headers().get("location").unwrap().to_str().unwrap(),
        format!("/invitations/{id}?updated={id}")
    );
    let r = app
        .get(&format!("/api/v1/invitations/{id}"), Some(&admin))
        .await;
    assert_eq!(r.body["email"], "changed@example.com");
    // A manager posting the edit form directly is refused by the server.
    let r = app
        .form_post(
            &format!("/invitations/{id}/edit"),
            Some(&maya),
            &[("email", "sneaky@example.com")],
        )
        .await;
    assert!(r
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("error=forbidden"));
    let r = app
        .get(&format!("/api/v1/invitations/{id}"), Some(&admin))
        .await;
    assert_eq!(r.body["email"], "changed@example.com");
}

#[tokio::test]
async fn a_broad_search_stops_counting_at_a_thousand_and_says_so() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let now = Utc::now();
    // 1,005 open codes in Sales that "capx" matches (by code and by email), written at once.
    sqlx::query(
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 1005) \
         INSERT INTO invitations (code, email, role, division_id, created_by, created_at, expires_at) \
         SELECT 'CAPX' || k, 'capx' || k || '@example.com', 'staff', d.id, u.id, $1, $2 \
         FROM n, divisions d, users u WHERE d.slug = 'sales' AND u.username = 'maya'",
    )
    .bind(now.timestamp_millis())
    .bind((now + Duration::days(3)).timestamp_millis())
    .execute(&app.core.db.pool)
    .await
    .unwrap();

    let r = app
        .get("/api/v1/invitations?q=capx&per_page=10", Some(&maya))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["capped"], true, "{}", r.body["counts"]);
    assert_eq!(r.body["total"], 1_000, "counting stops at the cap");
    assert_eq!(r.body["counts"]["active"], 1_000);
    assert_eq!(
        r.body["items"].as_array().unwrap().len(),
        10,
        "the page is whole"
    );

    // A narrow search is counted exactly.
    let r = app
        .get("/api/v1/invitations?q=capx1004@", Some(&maya))
        .await;
    assert_eq!(
        (r.body["total"].clone(), r.body["capped"].clone()),
        (json!(1), json!(false))
    );
    assert_eq!(r.body["items"][0]["email"], "capx1004@example.com");

    // The dashboard says the counts are lower bounds.
    let page = app.get("/invitations?q=capx", Some(&maya)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("or more invitations"),
        "pager names a lower bound"
    );
    assert!(
        page.text.contains("class=\"count-n\">1000+"),
        "the All chip reads 1000+"
    );
}
