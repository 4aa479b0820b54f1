//! Logging in and out, sessions, and the HTTP edge (errors, same-origin, health).
mod common;

use common::{session_token, spawn_app, spawn_app_with, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn logging_in_returns_the_user_and_an_httponly_samesite_session_cookie() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/session",
            None,
            json!({"username": "maya", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["user"]["username"], "maya");
    assert_eq!(r.body["user"]["role"], "manager");
    assert_eq!(r.body["user"]["division"], "sales");
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
    let token = session_token(&r.headers).unwrap();
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["user"]["username"], "maya");
    assert_eq!(app.audit_count("login.succeeded").await, 1);
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_public_url_is_https() {
    let app = spawn_app_with(&[("ONBOARD_PUBLIC_URL", "https://onboard.example.com")]).await;
    let r = app
        .post(
            "/api/v1/session",
            None,
            json!({"username": "maya", "password": PASSWORD}),
        )
        .await;
    assert!(r
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("Secure"));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app
        .post(
            "/api/v1/session",
            None,
            json!({"username": "maya", "password": "nope nope nope"}),
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/session",
            None,
            json!({"username": "ghost", "password": "nope nope nope"}),
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.body, unknown.body);
    assert!(session_token(&wrong.headers).is_none());
    assert_eq!(app.audit_count("login.failed").await, 2);
}

#[tokio::test]
async fn repeated_failed_logins_are_rate_limited_and_recover_after_the_window() {
    let app = spawn_app_with(&[("ONBOARD_LOGIN_MAX_FAILURES", "3")]).await;
    for _ in 0..3 {
        let r = app
            .post(
                "/api/v1/session",
                None,
                json!({"username": "maya", "password": "wrong wrong wrong"}),
            )
            .await;
        assert_eq!(r.status, 401);
    }
    // Even the right password is refused while the account is limited.
    let r = app
        .post(
            "/api/v1/session",
            None,
            json!({"username": "maya", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(r.code(), "rate_limited");
    let retry: u64 = r
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    // Another account from the same address is not locked by maya's limit.
    assert_eq!(
        app.post(
            "/api/v1/session",
            None,
            json!({"username": "budi", "password": PASSWORD})
        )
        .await
        .status,
        200
    );
    app.core.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(
        app.post(
            "/api/v1/session",
            None,
            json!({"username": "maya", "password": PASSWORD})
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn_app().await;
    let token = app.login("maya").await;
    let r = app
        .send("DELETE", "/api/v1/session", Some(&token), None)
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 401);
    assert_eq!(app.audit_count("logout").await, 1);
    assert_eq!(
        app.send("DELETE", "/api/v1/session", None, None)
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn sessions_expire_when_idle_and_absolutely() {
    let app = spawn_app_with(&[
        ("ONBOARD_SESSION_IDLE_MINUTES", "30"),
        ("ONBOARD_SESSION_ABSOLUTE_HOURS", "2"),
    ])
    .await;
    let token = app.login("maya").await;
    app.core.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 200);
    app.core.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        200,
        "activity keeps it alive"
    );
    app.core.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        401,
        "idle expiry"
    );

    let token = app.login("maya").await;
    for _ in 0..5 {
        app.core.clock.advance(chrono::Duration::minutes(25));
        let _ = app.get("/api/v1/me", Some(&token)).await;
    }
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        401,
        "absolute expiry"
    );
}

#[tokio::test]
async fn you_must_be_logged_in_to_read_me() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/me", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "unauthenticated");
    assert_eq!(
        app.get("/api/v1/me", Some("not-a-real-token")).await.status,
        401
    );
}

#[tokio::test]
async fn a_cross_site_state_change_is_refused() {
    let app = spawn_app().await;
    let token = app.login("maya").await;
    let r = app
        .client
        .post(app.url("/api/v1/invitations"))
        .header("cookie", format!("onboard_session={token}"))
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .post(app.url("/logout"))
        .header("cookie", format!("onboard_session={token}"))
        .header("referer", "https://evil.example/page")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A browser that sends neither header still says where the request came from.
    for site in ["cross-site", "same-site"] {
        let r = app
            .client
            .post(app.url("/api/v1/invitations"))
            .header("cookie", format!("onboard_session={token}"))
            .header("sec-fetch-site", site)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{site}");
    }
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        200,
        "the session survived"
    );
    assert_eq!(app.audit_count("invitation.created").await, 0);
    // The same origin is fine.
    let r = app
        .client
        .post(app.url("/api/v1/invitations"))
        .header("cookie", format!("onboard_session={token}"))
        .header("origin", app.base.clone())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn bad_bodies_get_json_errors_never_a_500() {
    let app = spawn_app().await;
    let post_raw = |ctype: &'static str, body: Vec<u8>| {
        app.client
            .post(app.url("/api/v1/session"))
            .header("content-type", ctype)
            .body(body)
            .send()
    };
    let r = common::into_resp(
        post_raw("application/json", b"{not json".to_vec())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((r.status, r.code()), (400, "malformed_body"));
    let r = common::into_resp(post_raw("text/plain", b"hello".to_vec()).await.unwrap()).await;
    assert_eq!((r.status, r.code()), (415, "unsupported_media_type"));
    let big = format!(
        "{{\"username\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(1_100_000)
    );
    let r = common::into_resp(
        post_raw("application/json", big.into_bytes())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((r.status, r.code()), (413, "body_too_large"));
    let r = common::into_resp(
        post_raw("application/json", b"{\"username\":\"maya\"}".to_vec())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("password"));
    // A struct is never read from an array by position.
    let r = common::into_resp(
        post_raw(
            "application/json",
            br#"["maya", "correct horse battery"]"#.to_vec(),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!((r.status, r.code()), (422, "invalid_body"));
    let r = app.get("/api/v1/no/such/route", None).await;
    assert_eq!((r.status, r.code()), (404, "not_found"));
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz", None).await.status, 200);
    assert_eq!(app.get("/readyz", None).await.status, 200);
}

#[tokio::test]
async fn pages_need_a_session_and_staff_are_told_politely() {
    let app = spawn_app().await;
    let r = app.get("/invitations", None).await;
    assert_eq!(r.status, 303);
    assert!(r
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("/login"));
    let staff = app.login("sam").await;
    let r = app.get("/invitations", Some(&staff)).await;
    assert_eq!(r.status, 403);
    assert!(r.text.contains("Not allowed"));
    assert!(r
        .text
        .contains("Invitation management is not available for your role"));
    assert!(r.text.contains("Skip to main content"));
    let manager = app.login("maya").await;
    // An admin page tells a manager that it is for administrators.
    let r = app.get("/admin/users", Some(&manager)).await;
    assert_eq!(r.status, 403);
    assert!(r.text.contains("Only administrators can use this page"));
    let r = app.get("/invitations", Some(&manager)).await;
    assert_eq!(r.status, 200);
    // Text from the message catalogue is followed by a hydration marker (`<!>`).
    let html = r.text.replace("<!>", "");
    for col in [
        "Code", "Email", "Role", "Status", "Expires", "Used By", "Actions",
    ] {
        assert!(
            html.contains(&format!("<th scope=\"col\">{col}</th>")),
            "column {col}"
        );
    }
}

/// Every signed-in page finishes rendering while many are rendered at once on a multi-threaded
/// runtime, as in production. Leptos 0.8 could leave a server render waiting forever when two
/// `Suspense` boundaries read the same resource; the layout now reads the viewer once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_pages_always_finish_rendering_under_concurrency() {
    let app = std::sync::Arc::new(spawn_app().await);
    let admin = app.login("admin").await;
    let maya = app.login("maya").await;
    let sam = app.login("sam").await;
    let inv = app
        .create(&maya, json!({"email": "ren@example.com", "role": "staff"}))
        .await;
    let detail = format!("/invitations/{}", inv["id"]);
    let mut pages: Vec<(String, String, u16)> = Vec::new();
    for path in [
        "/invitations",
        "/invitations?status=active&q=ren",
        detail.as_str(),
        "/audit",
        "/profile",
        "/admin/users",
        "/admin/divisions",
        "/admin/bulk",
        "/admin/outbox",
    ] {
        pages.push((admin.clone(), path.to_string(), 200));
    }
    for (path, status) in [
        ("/invitations", 200),
        (detail.as_str(), 200),
        ("/audit", 200),
        ("/profile", 200),
        ("/admin/users", 403),
    ] {
        pages.push((maya.clone(), path.to_string(), status));
    }
    for (path, status) in [("/invitations", 403), ("/audit", 403), ("/profile", 200)] {
        pages.push((sam.clone(), path.to_string(), status));
    }
    let pages = std::sync::Arc::new(pages);
    let mut workers = Vec::new();
    for w in 0..6 {
        let (app, pages) = (app.clone(), pages.clone());
        workers.push(tokio::spawn(async move {
            for round in 0..8 {
                for (i, (cookie, path, status)) in pages.iter().enumerate() {
                    // Rotate the order so that different pages overlap in each round.
                    if (i + w + round) % 2 == 1 {
                        continue;
                    }
                    let r = tokio::time::timeout(
                        std::time::Duration::from_secs(20),
                        app.get(path, Some(cookie)),
                    )
                    .await
                    .unwrap_or_else(|_| panic!("{path} never finished rendering"));
                    assert_eq!(r.status, *status, "{path}");
                    assert!(r.text.contains("</html>"), "{path} is incomplete");
                }
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
}

#[tokio::test]
async fn the_login_form_works_without_javascript() {
    let app = spawn_app().await;
    let r = app
        .form_post(
            "/login",
            None,
            &[
                ("username", "maya"),
                ("password", PASSWORD),
                ("next", "/invitations?status=used"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers().get("location").unwrap(),
        "/invitations?status=used"
    );
    assert!(session_token(r.headers()).is_some());
    let r = app
        .form_post(
            "/login",
            None,
            &[("username", "maya"), ("password", "wrong password!")],
        )
        .await;
    let loc = common::location(&r);
    assert!(loc.starts_with("/login?error=invalid_credentials"), "{loc}");
    assert!(
        loc.contains("username=maya"),
        "the username typed is kept: {loc}"
    );
    // An open redirect is not possible.
    let r = app
        .form_post(
            "/login",
            None,
            &[
                ("username", "maya"),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(r.headers().get("location").unwrap(), "/invitations");
}
