//! Redemption: every error code of the contract, normalised input, exactly-once under
//! concurrency, rate limiting, and the audit trail it leaves.
mod common;

use chrono::{Duration, Utc};
use common::{session_token, spawn_app, spawn_app_with};
use serde_json::{json, Value};

fn redeem_body(code: &str, username: &str) -> Value {
    json!({"code": code, "username": username, "password": "a long and unusual pass"})
}

#[tokio::test]
async fn a_new_hire_redeems_a_code_and_is_logged_in_with_its_role_and_division() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let inv = app.create(&maya, json!({})).await;
    let code = inv["code"].as_str().unwrap();
    let check = app.get(&format!("/api/v1/redeem/{code}"), None).await;
    assert_eq!(check.status, 200);
    assert_eq!(
        check.body,
        json!({"valid": true, "email_bound": false, "role": "staff", "division": "sales"})
    );
    let r = app
        .post("/api/v1/redeem", None, redeem_body(code, "Dewi.Lestari"))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["user"]["username"], "dewi.lestari");
    assert_eq!(r.body["user"]["role"], "staff");
    assert_eq!(r.body["user"]["division"], "sales");
    let token = session_token(&r.headers).unwrap();
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.body["user"]["username"],
        "dewi.lestari"
    );
    let listed = app
        .get(&format!("/api/v1/invitations/{}", inv["id"]), Some(&maya))
        .await;
    assert_eq!(listed.body["status"], "used");
    assert_eq!(listed.body["used_by"], "dewi.lestari");
    let r = app.get("/api/v1/invitations?q=dewi", Some(&maya)).await;
    assert_eq!(r.body["total"], 1, "search by used-by username");
    assert_eq!(app.audit_count("invitation.redeemed").await, 1);
    assert_eq!(
        app.audit_count("user.created").await,
        5,
        "four seeded users and one redeemed"
    );
    // The new account logs in normally.
    let r = app
        .post(
            "/api/v1/session",
            None,
            json!({"username": "dewi.lestari", "password": "a long and unusual pass"}),
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn codes_are_normalised_as_people_type_them() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let code = app.create(&maya, json!({})).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let typed = format!(
        " {} ",
        code.to_lowercase()
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l")
    );
    let r = app
        .post("/api/v1/redeem", None, redeem_body(&typed, "joko"))
        .await;
    assert_eq!(r.status, 201, "{typed}: {}", r.text);
}

#[tokio::test]
async fn every_refusal_has_its_status_and_code() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let admin = app.login("admin").await;
    let now = Utc::now();
    app.core.clock.set(now);

    let r = app
        .post(
            "/api/v1/redeem",
            None,
            redeem_body("0000-0000-0000-0000", "ana"),
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "code_not_found"));
    let r = app
        .post("/api/v1/redeem", None, redeem_body("not a code", "ana"))
        .await;
    assert_eq!((r.status, r.code()), (404, "code_not_found"));

    let used = app.create(&maya, json!({})).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.post("/api/v1/redeem", None, redeem_body(&used, "first"))
            .await
            .status,
        201
    );
    let r = app
        .post("/api/v1/redeem", None, redeem_body(&used, "second"))
        .await;
    assert_eq!((r.status, r.code()), (410, "code_used"));

    let revoked = app.create(&maya, json!({})).await;
    app.post(
        &format!("/api/v1/invitations/{}/revoke", revoked["id"]),
        Some(&admin),
        json!({}),
    )
    .await;
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            redeem_body(revoked["code"].as_str().unwrap(), "ana"),
        )
        .await;
    assert_eq!((r.status, r.code()), (410, "code_revoked"));

    let exp_at = now + Duration::hours(2);
    let expiring = app
        .create(&maya, json!({"expires_at": exp_at.to_rfc3339()}))
        .await["code"]
        .as_str()
        .unwrap()
        .to_string();
    app.core.clock.set(exp_at);
    let r = app
        .post("/api/v1/redeem", None, redeem_body(&expiring, "ana"))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (410, "code_expired"),
        "expired at the exact instant"
    );
    app.core.clock.set(now);

    let bound = app.create(&maya, json!({"email": "ana@example.com"})).await;
    let bound_id = bound["id"].as_i64().unwrap();
    let bound = bound["code"].as_str().unwrap().to_string();
    let mut body = redeem_body(&bound, "ana");
    let r = app.post("/api/v1/redeem", None, body.clone()).await;
    assert_eq!(
        (r.status, r.code()),
        (422, "email_mismatch"),
        "a bound code needs its email"
    );
    body["email"] = json!("someone.else@example.com");
    let r = app.post("/api/v1/redeem", None, body.clone()).await;
    assert_eq!((r.status, r.code()), (422, "email_mismatch"));
    body["email"] = json!("not-an-email");
    assert_eq!(
        app.post("/api/v1/redeem", None, body.clone()).await.code(),
        "invalid_email"
    );
    body["email"] = json!("ANA@Example.COM");
    body["username"] = json!("1bad");
    assert_eq!(
        app.post("/api/v1/redeem", None, body.clone()).await.code(),
        "invalid_username"
    );
    body["username"] = json!("maya");
    let r = app.post("/api/v1/redeem", None, body.clone()).await;
    assert_eq!((r.status, r.code()), (409, "username_taken"));
    body["username"] = json!("ana");
    for weak in ["short", "password1234", "ana"] {
        body["password"] = json!(weak);
        let r = app.post("/api/v1/redeem", None, body.clone()).await;
        assert_eq!((r.status, r.code()), (422, "weak_password"), "{weak}");
    }
    body["password"] = json!("a long and unusual pass");
    let r = app.post("/api/v1/redeem", None, body).await;
    assert_eq!(
        r.status, 201,
        "email binding is case-insensitive: {}",
        r.text
    );
    // Every refused attempt on the live code is on the trail against it, once, by reason.
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE action = 'invitation.redeem_failed' \
         AND invitation_id = $1 ORDER BY id",
    )
    .bind(bound_id)
    .fetch_all(&app.core.db.pool)
    .await
    .unwrap();
    let reasons: Vec<String> = reasons
        .iter()
        .map(|d| serde_json::from_str::<serde_json::Value>(d).unwrap()["reason"].to_string())
        .collect();
    assert_eq!(
        reasons,
        [
            "email_mismatch",
            "email_mismatch",
            "invalid_email",
            "invalid_username",
            "username_taken",
            "weak_password",
            "weak_password",
            "weak_password"
        ]
        .map(|r| format!("{r:?}")),
    );

    // Suspended: the inviter was disabled after creating the code.
    let budi = app.login("budi").await;
    let orphan = app.create(&budi, json!({})).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    app.post("/api/v1/users/budi/disable", Some(&admin), json!({}))
        .await;
    let r = app
        .post("/api/v1/redeem", None, redeem_body(&orphan, "eko"))
        .await;
    assert_eq!((r.status, r.code()), (410, "code_suspended"));
    let check = app.get(&format!("/api/v1/redeem/{orphan}"), None).await;
    assert_eq!(check.body["valid"], false);

    let r = app.post("/api/v1/redeem", None, json!({"code": "x"})).await;
    assert_eq!(r.status, 422, "missing fields are named: {}", r.text);
    assert!(app.audit_count("invitation.redeem_failed").await >= 7);
}

#[tokio::test]
async fn fifty_concurrent_redemptions_of_one_code_make_exactly_one_account() {
    // A limit above the burst: this is about the claim, not the address's failure limit.
    let app = spawn_app_with(&[("ONBOARD_REDEEM_MAX_FAILURES", "100")]).await;
    let maya = app.login("maya").await;
    let code = app.create(&maya, json!({})).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let client = app.client.clone();
        let url = app.url("/api/v1/redeem");
        let body = redeem_body(&code, &format!("racer{i}"));
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 410),
        "{statuses:?}"
    );
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE username LIKE 'racer%'")
        .fetch_one(&app.core.db.pool)
        .await
        .unwrap();
    assert_eq!(onboard::db::col::<i64>(&row, "n").unwrap(), 1);
}

#[tokio::test]
async fn failed_redemptions_are_rate_limited_per_address_and_recover() {
    let app = spawn_app_with(&[
        ("ONBOARD_REDEEM_MAX_FAILURES", "5"),
        ("ONBOARD_REDEEM_WINDOW_SECS", "600"),
    ])
    .await;
    for _ in 0..5 {
        let r = app
            .post(
                "/api/v1/redeem",
                None,
                redeem_body("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "ana"),
            )
            .await;
        assert_eq!(r.status, 404);
    }
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            redeem_body("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "ana"),
        )
        .await;
    assert_eq!((r.status, r.code()), (429, "rate_limited"));
    assert!(r.headers.get("retry-after").is_some());
    app.core.clock.advance(Duration::minutes(11));
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            redeem_body("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "ana"),
        )
        .await;
    assert_eq!(r.status, 404);
    let row = sqlx::query(
        "SELECT client_addr FROM audit_events WHERE action = 'invitation.redeem_failed' LIMIT 1",
    )
    .fetch_one(&app.core.db.pool)
    .await
    .unwrap();
    assert_eq!(
        onboard::db::col::<Option<String>>(&row, "client_addr")
            .unwrap()
            .as_deref(),
        Some("127.0.0.1")
    );
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let untrusted = spawn_app_with(&[("ONBOARD_REDEEM_MAX_FAILURES", "2")]).await;
    for i in 0..3 {
        let r = untrusted
            .client
            .post(untrusted.url("/api/v1/redeem"))
            .header("x-forwarded-for", format!("10.0.0.{i}"))
            .json(&redeem_body("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "ana"))
            .send()
            .await
            .unwrap();
        if i == 2 {
            assert_eq!(r.status(), 429, "spoofed headers do not dodge the limit");
        }
    }
    let trusted = spawn_app_with(&[
        ("ONBOARD_REDEEM_MAX_FAILURES", "2"),
        ("ONBOARD_TRUSTED_PROXIES", "127.0.0.1"),
    ])
    .await;
    for i in 0..3 {
        let r = trusted
            .client
            .post(trusted.url("/api/v1/redeem"))
            .header("x-forwarded-for", format!("10.0.0.{i}"))
            .json(&redeem_body("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "ana"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            404,
            "each client behind the proxy has its own limit"
        );
    }
}

#[tokio::test]
async fn the_join_form_works_without_javascript() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let code = app.create(&maya, json!({})).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let page = app.get(&format!("/join?code={code}"), None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("A manager of Sales"),
        "preview shows division and the inviter's role"
    );
    assert!(
        !page.text.contains("maya"),
        "the public preview never shows the inviter's login name"
    );
    let r = app
        .form_post(
            "/join",
            None,
            &[
                ("code", code.as_str()),
                ("username", "putri"),
                ("password", "a long and unusual pass"),
                ("password_confirm", "different pass here"),
            ],
        )
        .await;
    let loc = common::location(&r);
    assert!(
        loc.contains("error=password_mismatch") && loc.contains("username=putri"),
        "{loc}"
    );
    let r = app
        .form_post(
            "/join",
            None,
            &[
                ("code", code.as_str()),
                ("username", "putri"),
                ("password", "a long and unusual pass"),
                ("password_confirm", "a long and unusual pass"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers().get("location").unwrap(), "/profile?welcome=1");
    let token = session_token(r.headers()).unwrap();
    let profile = app.get("/profile?welcome=1", Some(&token)).await;
    assert!(profile.text.contains("putri") && profile.text.contains("Welcome aboard"));
}

#[tokio::test]
async fn code_checks_are_limited_per_address_and_only_guesses_are_written_down() {
    let app = spawn_app_with(&[("ONBOARD_REDEEM_CHECK_MAX", "3")]).await;
    let maya = app.login("maya").await;
    let code = app.create(&maya, json!({})).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let counters = || async {
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM rate_limits WHERE bucket LIKE 'redeem:check%'",
        )
        .fetch_one(&app.core.db.pool)
        .await
        .unwrap();
        n
    };
    for _ in 0..2 {
        let r = app.get(&format!("/api/v1/redeem/{code}"), None).await;
        assert_eq!((r.status, r.body["valid"].clone()), (200, json!(true)));
    }
    assert_eq!(counters().await, 0, "a valid check writes nothing");
    let r = app.get("/api/v1/redeem/ZZZZ-ZZZZ-ZZZZ-ZZZZ", None).await;
    assert_eq!((r.status, r.body["valid"].clone()), (200, json!(false)));
    assert_eq!(counters().await, 1, "a guess is counted for every instance");
    let r = app.get(&format!("/api/v1/redeem/{code}"), None).await;
    assert_eq!((r.status, r.code()), (429, "rate_limited"), "{}", r.text);
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
}
