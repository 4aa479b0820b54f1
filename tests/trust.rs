//! Attacks on the gate itself: bursts against the limits, forged client addresses, redirects
//! off-site, text a link puts on a page, unbounded input, races between an admin and a
//! redeemer, and the headers every answer carries. Each test is written as the attack.
mod common;

use common::{location, spawn_app, spawn_app_with, PASSWORD};
use serde_json::json;

const PROXY: (&str, &str) = ("ONBOARD_TRUSTED_PROXIES", "127.0.0.1");

async fn login_from(app: &common::TestApp, username: &str, password: &str, addr: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/session"))
        .header("x-forwarded-for", addr)
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_gets_no_more_checks_than_the_limit() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for i in 0..80 {
        let client = app.client.clone();
        let url = app.url("/api/v1/session");
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .json(&json!({ "username": "admin", "password": format!("wrong guess {i}") }))
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.headers().contains_key("retry-after"))
        }));
    }
    let mut checked = 0;
    for t in tasks {
        match t.await.unwrap() {
            (401, _) => checked += 1,
            (429, has_retry) => assert!(has_retry, "429 carries Retry-After"),
            (s, _) => panic!("unexpected status {s}"),
        }
    }
    assert!(
        checked <= 10,
        "{checked} passwords were checked; the limit is 10"
    );
    assert_eq!(checked, 10, "the limit itself is reached, not undershot");
}

#[tokio::test]
async fn a_stranger_cannot_lock_the_owner_out_from_elsewhere() {
    let app = spawn_app_with(&[PROXY]).await;
    for _ in 0..15 {
        login_from(&app, "admin", "not the password", "203.0.113.66").await;
    }
    assert_eq!(
        login_from(&app, "admin", "not the password", "203.0.113.66").await,
        429,
        "the stranger's address is locked out"
    );
    assert_eq!(
        login_from(&app, "admin", PASSWORD, "203.0.113.66").await,
        429,
        "even the right password waits at the locked address"
    );
    assert_eq!(
        login_from(&app, "admin", PASSWORD, "198.51.100.20").await,
        200,
        "the owner at their own address still gets in"
    );
}

#[tokio::test]
async fn lock_outs_grow_and_an_admin_can_lift_them() {
    let app = spawn_app_with(&[PROXY, ("ONBOARD_LOGIN_WINDOW_SECS", "100")]).await;
    let retry = |app: &common::TestApp| {
        let client = app.client.clone();
        let url = app.url("/api/v1/session");
        async move {
            let r = client
                .post(url)
                .header("x-forwarded-for", "203.0.113.7")
                .json(&json!({ "username": "maya", "password": "nope nope nope" }))
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok()),
            )
        }
    };
    for _ in 0..10 {
        assert_eq!(retry(&app).await.0, 401);
    }
    let (status, first) = retry(&app).await;
    assert_eq!(status, 429);
    let first = first.expect("Retry-After");
    assert!(
        (90..=100).contains(&first),
        "first lock-out is one window: {first}"
    );
    // Let the lock pass (rewind it in the database), fail ten more times: the next lock doubles.
    sqlx::query("UPDATE rate_limits SET locked_until = 0 WHERE bucket LIKE 'login:fail:maya@%'")
        .execute(&app.core.db.pool)
        .await
        .unwrap();
    for _ in 0..10 {
        assert_eq!(retry(&app).await.0, 401);
    }
    let (status, second) = retry(&app).await;
    assert_eq!(status, 429);
    assert!(
        second.unwrap() > first + 50,
        "the second lock-out is longer: {second:?}"
    );
    let lifted = onboard::services::auth::unlock(&app.core, "maya")
        .await
        .unwrap();
    assert_eq!(lifted, 1);
    assert_eq!(
        login_from(&app, "maya", PASSWORD, "203.0.113.7").await,
        200,
        "after `onboard admin unlock maya` the owner gets in"
    );
}

#[tokio::test]
async fn a_forged_leftmost_forwarded_address_dodges_nothing() {
    let app = spawn_app_with(&[PROXY, ("ONBOARD_REDEEM_MAX_FAILURES", "3")]).await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        let r = app
            .client
            .post(app.url("/api/v1/redeem"))
            // The client wrote the left entry; our proxy appended the real address.
            .header("x-forwarded-for", format!("10.9.8.{i}, 198.51.100.99"))
            .json(
                &json!({ "code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "username": "ana", "password": PASSWORD }),
            )
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [404, 404, 404, 429, 429]);
    let addr: Option<String> = sqlx::query_scalar(
        "SELECT client_addr FROM audit_events WHERE action = 'invitation.redeem_failed' \
         ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.core.db.pool)
    .await
    .unwrap();
    assert_eq!(
        addr.as_deref(),
        Some("198.51.100.99"),
        "the audit trail has the real address"
    );
}

#[tokio::test]
async fn redirects_after_login_and_language_switch_stay_on_this_site() {
    let app = spawn_app().await;
    for next in [
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/\n/evil.example",
        "/.//evil.example",
    ] {
        let r = app
            .form_post(
                "/login",
                None,
                &[("username", "maya"), ("password", PASSWORD), ("next", next)],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/invitations", "login next={next:?}");
        let r = app
            .form_post("/lang", None, &[("lang", "id"), ("next", next)])
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/", "language next={next:?}");
    }
    let r = app
        .form_post(
            "/login",
            None,
            &[
                ("username", "maya"),
                ("password", PASSWORD),
                ("next", "/audit?actor=sam"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/audit?actor=sam", "a real path is kept");
}

#[tokio::test]
async fn a_link_cannot_put_its_own_words_on_a_page() {
    let app = spawn_app().await;
    for path in [
        "/login?error=invalid_credentials&message=Your+account+is+suspended%2C+call+0800-SCAM",
        "/login?error=x&message=Your+account+is+suspended%2C+call+0800-SCAM",
        "/join?code=AAAA&error=code_used&field=code&message=Your+account+is+suspended%2C+call+0800-SCAM",
    ] {
        let page = app.get(path, None).await;
        // The language switcher keeps the page's URL in a hidden field; that is not shown.
        let shown: String = page
            .text
            .split("value=\"")
            .enumerate()
            .map(|(i, part)| if i == 0 { part } else { part.split_once('"').map_or("", |p| p.1) })
            .collect();
        assert!(!shown.contains("0800-SCAM"), "{path} shows the URL's text");
    }
    let page = app
        .get("/login?error=invalid_credentials&message=anything", None)
        .await;
    assert!(
        page.text.contains("Invalid username or password."),
        "the catalogue's words"
    );
}

#[tokio::test]
async fn overlong_and_control_character_input_is_refused_before_it_is_stored() {
    let app = spawn_app().await;
    let huge = "a".repeat(100_000);
    let r = app
        .post(
            "/api/v1/session",
            None,
            json!({ "username": huge, "password": "x" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "invalid_username"));
    let r = app
        .post(
            "/api/v1/session",
            None,
            json!({ "username": "ad\u{0}min", "password": "x" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "invalid_username"));
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM rate_limits WHERE LENGTH(bucket) > 200")
            .fetch_one(&app.core.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "no counter keyed by the overlong name");
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            json!({ "code": "A".repeat(5000), "username": "ana", "password": PASSWORD }),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "invalid_code"));
    let admin = app.login("admin").await;
    let r = app.get("/api/v1/invitations?q=%00", Some(&admin)).await;
    assert_eq!((r.status, r.code()), (422, "invalid_q"));
    let r = app
        .get(
            &format!("/api/v1/invitations?q={}", "x".repeat(201)),
            Some(&admin),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "invalid_q"));
    let r = app
        .post(
            "/api/v1/divisions",
            Some(&admin),
            json!({ "slug": "ops", "name": "Ops\u{0}" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "invalid_name"));
    let r = app.get("/api/v1/audit?actor=%00", Some(&admin)).await;
    assert_eq!(r.status, 422, "{}", r.text);
}

#[tokio::test]
async fn a_delete_never_removes_a_code_that_was_just_redeemed() {
    let app = spawn_app_with(&[("ONBOARD_REDEEM_MAX_FAILURES", "1000")]).await;
    let admin = app.login("admin").await;
    let results = race_admin_and_redeemer(
        &app,
        &admin,
        8,
        |id| {
            (
                reqwest::Method::DELETE,
                format!("/api/v1/invitations/{id}"),
                json!({}),
            )
        },
        None,
    )
    .await;
    for (deleted, redeemed) in results {
        assert!(
            !(deleted == 204 && redeemed == 201),
            "the code was both redeemed and deleted"
        );
    }
    let orphans: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u WHERE u.username LIKE 'r%x%' \
         AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.used_by = u.id)",
    )
    .fetch_one(&app.core.db.pool)
    .await
    .unwrap();
    assert_eq!(
        orphans, 0,
        "every account made by a redemption still has its code"
    );
}

#[tokio::test]
async fn revoking_a_used_code_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let inv = app.create(&admin, json!({ "division": "sales" })).await;
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            json!({ "code": inv["code"], "username": "ana", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status, 201);
    let id = inv["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/invitations/{id}/revoke"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409);
    let r = app
        .send(
            "DELETE",
            &format!("/api/v1/invitations/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, 409);
    let r = app
        .get(&format!("/api/v1/invitations/{id}"), Some(&admin))
        .await;
    assert_eq!(r.body["status"], "used");
}

#[tokio::test]
async fn committing_one_bulk_file_twice_at_once_creates_the_batch_once() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let csv =
        "email,role,division,expires_at\nx1@example.com,staff,sales,\nx2@example.com,staff,eng,\n";
    let form = reqwest::multipart::Form::new().text("csv", csv);
    let r = app
        .client
        .post(app.url("/admin/bulk"))
        .header("cookie", format!("onboard_session={admin}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let upload = location(&r);
    let id = upload.rsplit('=').next().unwrap().to_string();
    let audited_before = app.audit_count("invitation.created").await;
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let client = app.client.clone();
        let url = app.url(&format!("/admin/bulk/{id}/commit"));
        let cookie = format!("onboard_session={admin}");
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            location(&r)
        }));
    }
    // Every submit lands on the batch it created: a second click, or one that read the file
    // before the winner committed, shows the batch rather than an error (and creates nothing).
    let expected = format!("/admin/bulk?upload={id}");
    for t in tasks {
        let loc = t.await.unwrap();
        assert_eq!(loc, expected, "a repeated commit shows the batch");
    }
    let page = app.get(&expected, Some(&admin)).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        app.audit_count("invitation.created").await - audited_before,
        2,
        "one batch of two codes, audited once each"
    );
    let created: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations WHERE email IN ('x1@example.com', 'x2@example.com')",
    )
    .fetch_one(&app.core.db.pool)
    .await
    .unwrap();
    assert_eq!(created, 2);
}

#[tokio::test]
async fn pages_carry_a_strict_csp_with_their_nonce_and_nothing_signed_in_is_cached() {
    let app = spawn_app().await;
    let page = app.get("/login", None).await;
    let csp = page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a nonce in script-src");
    assert!(nonce.len() >= 32);
    assert!(!csp.contains("'unsafe-inline'"));
    for script in page.text.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")) || tag.contains("src="),
            "an inline script without the nonce: <script{tag}>"
        );
    }
    let again = app.get("/login", None).await;
    assert_ne!(
        again.headers["content-security-policy"], page.headers["content-security-policy"],
        "a new nonce per response"
    );
    let admin = app.login("admin").await;
    for path in [
        "/invitations",
        "/api/v1/me",
        "/api/v1/invitations",
        "/join?code=AAAA",
    ] {
        let r = app.get(path, Some(&admin)).await;
        assert_eq!(r.headers["cache-control"], "no-store", "{path}");
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert_eq!(r.headers["x-frame-options"], "DENY");
        assert!(r.headers.contains_key("referrer-policy"));
        assert!(
            !r.headers.contains_key("strict-transport-security"),
            "plain http: no HSTS"
        );
    }
    let https = spawn_app_with(&[("ONBOARD_PUBLIC_URL", "https://onboard.example")]).await;
    let r = https.get("/login", None).await;
    assert!(r.headers["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

#[tokio::test]
async fn server_functions_answer_with_the_errors_real_status_and_code() {
    use leptos::server_fn::ServerFn;
    let app = spawn_app().await;
    let budi = app.login("budi").await;
    let maya = app.login("maya").await;
    let sales_code = app.create(&maya, json!({})).await["id"].as_i64().unwrap();
    let call = |path: String, cookie: Option<String>| {
        let client = app.client.clone();
        let url = app.url(&path);
        async move {
            let mut req = client.get(url);
            if let Some(c) = cookie {
                req = req.header("cookie", format!("onboard_session={c}"));
            }
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            let retry = r.headers().get("retry-after").is_some();
            let body: serde_json::Value = r.json().await.unwrap_or_default();
            (status, body, retry)
        }
    };
    let get = onboard::server_fns::GetInvitation::PATH;
    let (status, body, _) = call(format!("{get}?id={sales_code}"), Some(budi.clone())).await;
    assert_eq!(status, 404, "another division's code: {body}");
    assert_eq!(body, json!("NotFound"));
    let (status, _, _) = call(format!("{get}?id={sales_code}"), None).await;
    assert_eq!(status, 401);
    let (status, _, _) = call(format!("{get}?id={sales_code}"), Some(maya.clone())).await;
    assert_eq!(status, 200);
    let list = onboard::server_fns::ListInvitations::PATH;
    let (status, body, _) = call(
        format!("{list}?query%5Bq%5D=%00&query%5Bper_page%5D=100000"),
        Some(maya.clone()),
    )
    .await;
    assert_eq!(status, 200, "pages read the list leniently: {body}");
    assert_eq!(
        body["per_page"], 25,
        "an out-of-range page size falls back: {body}"
    );
    // A rate limit keeps its wait.
    let limited = spawn_app_with(&[("ONBOARD_REDEEM_CHECK_MAX", "1")]).await;
    let preview = onboard::server_fns::PreviewCode::PATH;
    let url = |app: &common::TestApp| app.url(&format!("{preview}?code=AAAA"));
    limited.client.get(url(&limited)).send().await.unwrap();
    let r = limited.client.get(url(&limited)).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["RateLimited"].as_u64().is_some(), "{body}");
}

/// Random text (control characters, NUL, astral planes, huge lengths) in every text input
/// never gets a 500, and a refusal always names its code: on SQLite and, under
/// `ONBOARD_TEST_PG`, on PostgreSQL, which cannot store NUL.
#[tokio::test]
async fn any_text_in_any_text_input_is_answered_without_a_server_error() {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};
    let app = spawn_app_with(&[("ONBOARD_LOGIN_MAX_FAILURES_PER_ADDRESS", "100000")]).await;
    let admin = app.login("admin").await;
    let text = prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\x7f]{1,8}[a-z]{0,8}",
        Just("\u{0}".to_string()),
        (1usize..5000).prop_map(|n| "é".repeat(n)),
    ];
    let mut runner = TestRunner::new(Config::default());
    let samples = proptest::collection::vec(text, 48)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    for s in samples {
        let enc = urlencoding::encode(&s).into_owned();
        let checks = [
            app.post(
                "/api/v1/session",
                None,
                json!({ "username": s, "password": s }),
            )
            .await,
            app.post(
                "/api/v1/redeem",
                None,
                json!({ "code": s, "username": s, "password": s, "email": s }),
            )
            .await,
            app.get(&format!("/api/v1/redeem/{enc}"), None).await,
            app.get(&format!("/api/v1/invitations?q={enc}"), Some(&admin))
                .await,
            app.get(&format!("/api/v1/invitations?division={enc}"), Some(&admin))
                .await,
            app.get(
                &format!("/api/v1/audit?actor={enc}&action={enc}"),
                Some(&admin),
            )
            .await,
            app.post(
                "/api/v1/divisions",
                Some(&admin),
                json!({ "slug": s, "name": s }),
            )
            .await,
            app.post(
                "/api/v1/invitations",
                Some(&admin),
                json!({ "email": s, "division": s, "expires_at": s }),
            )
            .await,
        ];
        for r in checks {
            assert!(r.status < 500, "{s:?}: {} {}", r.status, r.text);
            if r.status >= 400 && r.status != 404 {
                assert!(
                    !r.code().is_empty(),
                    "{s:?}: a refusal names its code: {}",
                    r.text
                );
            }
        }
    }
}

/// Runs an admin's change and a redemption of the same fresh code at once, `rounds` times,
/// and returns (admin status, redeem status) per round.
async fn race_admin_and_redeemer(
    app: &common::TestApp,
    admin: &str,
    rounds: usize,
    admin_call: impl Fn(i64) -> (reqwest::Method, String, serde_json::Value),
    email: Option<&str>,
) -> Vec<(u16, u16)> {
    let mut out = Vec::new();
    for round in 0..rounds {
        let inv = app
            .create(admin, json!({ "division": "sales", "email": email }))
            .await;
        let id = inv["id"].as_i64().unwrap();
        let body = json!({
            "code": inv["code"], "username": format!("r{round}x{id}"),
            "password": PASSWORD, "email": email,
        });
        let redeem = {
            let client = app.client.clone();
            let url = app.url("/api/v1/redeem");
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        };
        let (method, path, payload) = admin_call(id);
        let change = {
            let req = app
                .client
                .request(method, app.url(&path))
                .header("cookie", format!("onboard_session={admin}"))
                .json(&payload);
            tokio::spawn(async move { req.send().await.unwrap().status().as_u16() })
        };
        out.push((change.await.unwrap(), redeem.await.unwrap()));
    }
    out
}

#[tokio::test]
async fn a_revoke_and_a_redemption_racing_never_both_win() {
    let app = spawn_app_with(&[("ONBOARD_REDEEM_MAX_FAILURES", "1000")]).await;
    let admin = app.login("admin").await;
    let results = race_admin_and_redeemer(
        &app,
        &admin,
        8,
        |id| {
            (
                reqwest::Method::POST,
                format!("/api/v1/invitations/{id}/revoke"),
                json!({}),
            )
        },
        None,
    )
    .await;
    for (revoked, redeemed) in results {
        assert!(
            !(revoked == 200 && redeemed == 201),
            "both won: {revoked} {redeemed}"
        );
        assert!(
            revoked == 200 || redeemed == 201,
            "one of them wins: {revoked} {redeemed}"
        );
    }
}

#[tokio::test]
async fn rebinding_the_email_while_a_redemption_is_in_flight_never_lets_the_old_address_in() {
    let app = spawn_app_with(&[("ONBOARD_REDEEM_MAX_FAILURES", "1000")]).await;
    let admin = app.login("admin").await;
    let results = race_admin_and_redeemer(
        &app,
        &admin,
        8,
        |id| {
            (
                reqwest::Method::PATCH,
                format!("/api/v1/invitations/{id}"),
                json!({ "email": "someone.else@example.com" }),
            )
        },
        Some("first@example.com"),
    )
    .await;
    for (rebound, redeemed) in results {
        assert!(
            !(rebound == 200 && redeemed == 201),
            "both won: {rebound} {redeemed}"
        );
    }
}

#[tokio::test]
async fn expired_sessions_and_quiet_counters_are_purged() {
    let app = spawn_app().await;
    let fresh = app.login("maya").await;
    // One session long past its expiry, one counter quiet for two days.
    let old = chrono::Utc::now() - chrono::Duration::days(30);
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         SELECT 'stale', id, $1, $1, $1 FROM users WHERE username = 'sam'",
    )
    .bind(old.timestamp_millis())
    .execute(&app.core.db.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO rate_limits (bucket, window_start, count) VALUES ('old', $1, 3)")
        .bind((chrono::Utc::now() - chrono::Duration::days(2)).timestamp_millis())
        .execute(&app.core.db.pool)
        .await
        .unwrap();
    let (sessions, counters) = onboard::services::purge_expired(&app.core).await.unwrap();
    assert_eq!((sessions, counters), (1, 1));
    let r = app.get("/api/v1/me", Some(&fresh)).await;
    assert_eq!(r.status, 200, "a live session survives");
}
