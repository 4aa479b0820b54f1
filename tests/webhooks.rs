//! Webhooks against a real HTTP receiver on loopback: the API contract and its refusals,
//! signatures that verify with the secret, retries after receiver errors, order per
//! invitation, exactly once under two workers, the expiry sweep once across two instances,
//! and deliveries kept away from private addresses.

mod common;

use axum::http::{HeaderMap, StatusCode};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::Duration;
use common::{spawn_app_with, test_core, TestApp};
use hmac::{Hmac, Mac};
use onboard::services::webhooks::{deliver_due, sweep_expired, Sender};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::{Arc, Mutex};

const PRIVATE_OK: (&str, &str) = ("ONBOARD_WEBHOOK_ALLOW_PRIVATE", "1");

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Hit {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

impl Hit {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// An HTTP server on loopback that records what it receives and answers with the statuses it
/// is told (then 200).
#[derive(Clone)]
struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    answers: Arc<Mutex<Vec<u16>>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let hits: Arc<Mutex<Vec<Hit>>> = Default::default();
        let answers: Arc<Mutex<Vec<u16>>> = Default::default();
        let (h, a) = (hits.clone(), answers.clone());
        let app = axum::Router::new()
            .route(
                "/hook",
                axum::routing::post(move |headers: HeaderMap, body: String| {
                    let (h, a) = (h.clone(), a.clone());
                    async move {
                        let header = |n: &str| {
                            headers
                                .get(n)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_string()
                        };
                        h.lock().unwrap().push(Hit {
                            id: header("webhook-id"),
                            timestamp: header("webhook-timestamp"),
                            signature: header("webhook-signature"),
                            body,
                        });
                        let mut a = a.lock().unwrap();
                        let status = if a.is_empty() { 200 } else { a.remove(0) };
                        let mut res = axum::response::Response::new(axum::body::Body::empty());
                        *res.status_mut() = StatusCode::from_u16(status).unwrap();
                        if status == 302 {
                            res.headers_mut()
                                .insert("location", "/elsewhere".parse().unwrap());
                        }
                        res
                    }
                }),
            )
            .route(
                "/elsewhere",
                axum::routing::post(|| async {
                    panic!("a redirect was followed");
                    #[allow(unreachable_code)]
                    StatusCode::OK
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, hits, answers }
    }

    fn answer(&self, statuses: &[u16]) {
        self.answers.lock().unwrap().extend_from_slice(statuses);
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

/// Verifies a delivery the way a receiver in another language would: HMAC-SHA256 over
/// `id.timestamp.body` under the base64-decoded secret after `whsec_`.
fn verifies(secret: &str, hit: &Hit) -> bool {
    let key = B64.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", hit.id, hit.timestamp, hit.body).as_bytes());
    let expected = format!("v1,{}", B64.encode(mac.finalize().into_bytes()));
    hit.signature.split(' ').any(|s| s == expected)
}

async fn register(app: &TestApp, admin: &str, url: &str, events: &[&str]) -> (i64, String) {
    let r = app
        .post(
            "/api/v1/webhooks",
            Some(admin),
            json!({ "url": url, "events": events, "description": "payroll" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    (
        r.body["id"].as_i64().unwrap(),
        r.body["secret"].as_str().unwrap().to_string(),
    )
}

/// Runs delivery passes until nothing more is sent.
async fn drain(app: &TestApp, sender: &Sender) {
    for _ in 0..20 {
        if deliver_due(&app.core, sender).await.unwrap() == 0 {
            return;
        }
    }
}

#[tokio::test]
async fn admins_manage_endpoints_and_everyone_else_is_refused() {
    let app = spawn_app_with(&[PRIVATE_OK]).await;
    let (admin, maya, sam) = (
        app.login("admin").await,
        app.login("maya").await,
        app.login("sam").await,
    );
    let (id, secret) = register(
        &app,
        &admin,
        "https://hooks.example.com/onboard",
        &["invitation.created"],
    )
    .await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(B64.decode(&secret[6..]).unwrap().len(), 32);

    let listed = app.get("/api/v1/webhooks", Some(&admin)).await;
    assert_eq!(listed.status, 200);
    let item = &listed.body["items"][0];
    assert_eq!(item["id"], id);
    assert_eq!(item["url"], "https://hooks.example.com/onboard");
    assert_eq!(item["events"], json!(["invitation.created"]));
    assert_eq!(item["description"], "payroll");
    assert_eq!(item["active"], true);
    assert!(
        item.get("secret").is_none(),
        "the secret is shown once only"
    );
    assert!(!listed.text.contains(&secret));

    // Pause, change, resume.
    let path = format!("/api/v1/webhooks/{id}");
    let r = app
        .send(
            "PATCH",
            &path,
            Some(&admin),
            Some(json!({"active": false, "events": ["user.disabled", "invitation.redeemed"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["state"], "paused");
    assert_eq!(
        r.body["events"],
        json!(["invitation.redeemed", "user.disabled"])
    );
    let r = app
        .send(
            "PATCH",
            &path,
            Some(&admin),
            Some(json!({"active": true, "description": null})),
        )
        .await;
    assert_eq!(r.body["state"], "active");
    assert_eq!(r.body["description"], Value::Null);

    // Bad input: a clear 422 naming the field, nothing changed.
    for (body, code) in [
        (
            json!({"url": "ftp://x.example/", "events": ["invitation.created"]}),
            "invalid_url",
        ),
        (
            json!({"url": "not a url", "events": ["invitation.created"]}),
            "invalid_url",
        ),
        (json!({"events": ["invitation.created"]}), "invalid_url"),
        (
            json!({"url": "https://x.example/", "events": []}),
            "invalid_events",
        ),
        (
            json!({"url": "https://x.example/", "events": ["invitation.exploded"]}),
            "invalid_events",
        ),
        (
            json!({"url": "https://x.example/", "events": ["invitation.created"], "description": "x".repeat(201)}),
            "invalid_description",
        ),
    ] {
        let r = app
            .post("/api/v1/webhooks", Some(&admin), body.clone())
            .await;
        assert_eq!((r.status, r.code()), (422, code), "{body}: {}", r.text);
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains(code.trim_start_matches("invalid_")));
    }
    let r = app.post("/api/v1/webhooks", Some(&admin), json!({"url": "https://x.example/", "events": ["invitation.created"], "secret": "mine"})).await;
    assert_eq!(r.status, 422, "unknown fields are refused: {}", r.text);
    assert_eq!(
        app.get("/api/v1/webhooks", Some(&admin)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Wrong role, no session, another division's manager: refused on every route.
    let routes = [
        ("GET", "/api/v1/webhooks".to_string()),
        ("POST", "/api/v1/webhooks".to_string()),
        ("GET", path.clone()),
        ("PATCH", path.clone()),
        ("DELETE", path.clone()),
        ("POST", format!("{path}/ping")),
        ("GET", format!("{path}/deliveries")),
    ];
    let body = json!({"url": "https://x.example/", "events": ["invitation.created"]});
    for (method, p) in &routes {
        for (who, cookie, status) in [
            ("manager", Some(&maya), 403),
            ("staff", Some(&sam), 403),
            ("nobody", None, 401),
        ] {
            let b = (*method != "GET" && *method != "DELETE").then(|| body.clone());
            let r = app.send(method, p, cookie.map(|c| c.as_str()), b).await;
            assert_eq!(r.status, status, "{who} {method} {p}: {}", r.text);
        }
        // A cross-site request with the admin's cookie.
        let r = app
            .client
            .request(method.parse().unwrap(), app.url(p))
            .header("cookie", format!("onboard_session={admin}"))
            .header("origin", "https://evil.example")
            .json(&body)
            .send()
            .await
            .unwrap();
        if *method != "GET" {
            assert_eq!(r.status(), 403, "cross-site {method} {p}");
        }
    }
    assert_eq!(
        app.get("/api/v1/webhooks", Some(&admin)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Unknown ids.
    for (method, p) in [
        ("GET", "/api/v1/webhooks/999"),
        ("PATCH", "/api/v1/webhooks/999"),
        ("DELETE", "/api/v1/webhooks/999"),
        ("POST", "/api/v1/webhooks/999/ping"),
        ("GET", "/api/v1/webhooks/abc/deliveries"),
    ] {
        let r = app
            .send(
                method,
                p,
                Some(&admin),
                (method == "PATCH").then(|| json!({"active": false})),
            )
            .await;
        assert_eq!(r.status, 404, "{method} {p}");
    }

    // Delete, and the trail has it all.
    assert_eq!(
        app.send("DELETE", &path, Some(&admin), None).await.status,
        204
    );
    assert_eq!(app.get(&path, Some(&admin)).await.status, 404);
    assert_eq!(app.audit_count("webhook.created").await, 1);
    assert_eq!(app.audit_count("webhook.updated").await, 2);
    assert_eq!(app.audit_count("webhook.deleted").await, 1);
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let app = spawn_app_with(&[]).await;
    let admin = app.login("admin").await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
    ] {
        let r = app
            .post(
                "/api/v1/webhooks",
                Some(&admin),
                json!({"url": url, "events": ["invitation.created"]}),
            )
            .await;
        assert_eq!((r.status, r.code()), (422, "invalid_url"), "{url}");
    }

    // An endpoint stored while private addresses were allowed (or a name that resolves to
    // one) is still not reached by a worker that does not allow them.
    let receiver = Receiver::start().await;
    let allowed = spawn_app_with(&[PRIVATE_OK]).await;
    let admin = allowed.login("admin").await;
    let by_name = receiver.url.replace("127.0.0.1", "localhost");
    register(&allowed, &admin, &receiver.url, &["invitation.created"]).await;
    register(&allowed, &admin, &by_name, &["invitation.created"]).await;
    allowed
        .create(&admin, json!({"role": "staff", "division": "sales"}))
        .await;
    let strict = Sender::new(false).unwrap();
    drain(&allowed, &strict).await;
    assert!(
        receiver.hits().is_empty(),
        "nothing reached the private receiver"
    );
    let mut c = allowed.core.db.conn().await.unwrap();
    let (items, _) = onboard::db::webhooks::deliveries(&mut c, 1, 10, 0)
        .await
        .unwrap();
    assert_eq!(
        items[0].status, "failed",
        "an IP literal fails for good: {items:?}"
    );
    assert!(items[0].last_error.as_deref().unwrap().contains("private"));
    let (items, _) = onboard::db::webhooks::deliveries(&mut c, 2, 10, 0)
        .await
        .unwrap();
    assert_eq!(items[0].status, "pending");
    assert!(
        items[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("no public address"),
        "{items:?}"
    );
}

#[tokio::test]
async fn deliveries_are_signed_ordered_per_invitation_and_carry_the_invitation() {
    let receiver = Receiver::start().await;
    let app = spawn_app_with(&[PRIVATE_OK]).await;
    let admin = app.login("admin").await;
    let (_, secret) = register(
        &app,
        &admin,
        &receiver.url,
        &[
            "invitation.created",
            "invitation.copied",
            "invitation.revoked",
            "invitation.redeemed",
        ],
    )
    .await;
    // Not subscribed: no delivery.
    let (_, other_secret) = register(&app, &admin, &receiver.url, &["user.disabled"]).await;

    let inv = app
        .create(
            &admin,
            json!({"role": "staff", "division": "sales", "email": "ana@example.com"}),
        )
        .await;
    let id = inv["id"].as_i64().unwrap();
    assert_eq!(
        app.post(
            &format!("/api/v1/invitations/{id}/copy"),
            Some(&admin),
            json!({})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/invitations/{id}/revoke"),
            Some(&admin),
            json!({})
        )
        .await
        .status,
        200
    );
    let sender = Sender::new(true).unwrap();
    drain(&app, &sender).await;

    let hits = receiver.hits();
    let types: Vec<String> = hits
        .iter()
        .map(|h| h.json()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        types,
        [
            "invitation.created",
            "invitation.copied",
            "invitation.revoked"
        ]
    );
    for h in &hits {
        assert!(verifies(&secret, h), "signature verifies: {h:?}");
        assert!(
            !verifies(&other_secret, h),
            "and only with its own endpoint's secret"
        );
        assert!(h.id.starts_with("msg_"));
        let ts: i64 = h.timestamp.parse().unwrap();
        assert!((ts - chrono::Utc::now().timestamp()).abs() < 60);
        let body = h.json();
        assert_eq!(body["data"]["invitation"]["id"], id);
        assert!(
            body["data"]["invitation"].get("code").is_none(),
            "the code stays home"
        );
        assert!(!h.body.contains(inv["code"].as_str().unwrap()));
        assert_eq!(body["data"]["actor"], "admin");
    }
    assert_eq!(hits[0].json()["data"]["invitation"]["status"], "active");
    assert_eq!(hits[2].json()["data"]["invitation"]["status"], "revoked");
    // A tampered body does not verify.
    let mut forged = hits[0].clone();
    forged.body = forged.body.replace("staff", "admin");
    assert!(!verifies(&secret, &forged));

    // The deliveries as the API shows them.
    let r = app.get("/api/v1/webhooks/1/deliveries", Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["total"], 3);
    let first = &r.body["items"][0];
    assert_eq!(first["event"], "invitation.revoked");
    assert_eq!(first["status"], "delivered");
    assert_eq!(first["response_status"], 200);
    assert_eq!(first["attempts"], 1);
    assert!(first["duration_ms"].as_i64().is_some());
    assert_eq!(
        app.get("/api/v1/webhooks/2/deliveries", Some(&admin))
            .await
            .body["total"],
        0
    );
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_the_same_id_and_holds_back_later_events() {
    let receiver = Receiver::start().await;
    let app = spawn_app_with(&[PRIVATE_OK]).await;
    let admin = app.login("admin").await;
    let (_, secret) = register(
        &app,
        &admin,
        &receiver.url,
        &["invitation.created", "invitation.copied"],
    )
    .await;
    receiver.answer(&[500, 503]);
    let inv = app
        .create(&admin, json!({"role": "staff", "division": "sales"}))
        .await;
    let id = inv["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/invitations/{id}/copy"),
        Some(&admin),
        json!({}),
    )
    .await;
    let sender = Sender::new(true).unwrap();

    // First attempt: 500. The copy waits behind the creation.
    drain(&app, &sender).await;
    assert_eq!(receiver.hits().len(), 1);
    let r = app.get("/api/v1/webhooks/1/deliveries", Some(&admin)).await;
    let created = &r.body["items"][1];
    assert_eq!(created["status"], "pending");
    assert_eq!(created["response_status"], 500);
    assert_eq!(created["last_error"], "HTTP 500");
    assert!(created["next_attempt_at"].is_string());
    assert_eq!(
        r.body["items"][0]["attempts"], 0,
        "the copy has not been tried"
    );

    // Not due yet: nothing is sent.
    drain(&app, &sender).await;
    assert_eq!(receiver.hits().len(), 1);

    // After the back-off: 503, then (another back-off) 200; then the copy.
    app.core.clock.advance(Duration::seconds(6));
    drain(&app, &sender).await;
    assert_eq!(receiver.hits().len(), 2);
    app.core.clock.advance(Duration::seconds(31));
    drain(&app, &sender).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 4, "{hits:?}");
    assert_eq!(hits[0].id, hits[1].id);
    assert_eq!(hits[1].id, hits[2].id, "a retry keeps its webhook-id");
    assert_ne!(hits[2].id, hits[3].id);
    assert_eq!(hits[3].json()["type"], "invitation.copied");
    assert!(hits.iter().all(|h| verifies(&secret, h)));
    let r = app.get("/api/v1/webhooks/1/deliveries", Some(&admin)).await;
    assert_eq!(r.body["items"][1]["status"], "delivered");
    assert_eq!(r.body["items"][1]["attempts"], 3);
    assert_eq!(r.body["items"][1]["last_error"], Value::Null);
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let receiver = Receiver::start().await;
    let app = spawn_app_with(&[PRIVATE_OK]).await;
    let admin = app.login("admin").await;
    register(&app, &admin, &receiver.url, &["invitation.created"]).await;
    receiver.answer(&[302]);
    app.create(&admin, json!({"role": "staff", "division": "sales"}))
        .await;
    drain(&app, &Sender::new(true).unwrap()).await;
    assert_eq!(receiver.hits().len(), 1);
    let r = app.get("/api/v1/webhooks/1/deliveries", Some(&admin)).await;
    assert_eq!(r.body["items"][0]["status"], "pending");
    assert!(r.body["items"][0]["last_error"]
        .as_str()
        .unwrap()
        .contains("redirects are not followed"));
}

#[tokio::test]
async fn an_endpoint_failing_for_a_day_is_disabled_and_the_admin_is_told() {
    let receiver = Receiver::start().await;
    let app = spawn_app_with(&[PRIVATE_OK]).await;
    let admin = app.login("admin").await;
    register(&app, &admin, &receiver.url, &["invitation.created"]).await;
    receiver.answer(&[500; 40]);
    app.create(&admin, json!({"role": "staff", "division": "sales"}))
        .await;
    let sender = Sender::new(true).unwrap();
    drain(&app, &sender).await;
    let w = app.get("/api/v1/webhooks/1", Some(&admin)).await;
    assert_eq!(w.body["state"], "active");
    assert!(w.body["failing_since"].is_string());
    // Retries over the next day all fail.
    for _ in 0..10 {
        app.core.clock.advance(Duration::hours(3));
        drain(&app, &sender).await;
    }
    // A day later the session is gone; sign in again.
    let admin = app.login("admin").await;
    let w = app.get("/api/v1/webhooks/1", Some(&admin)).await;
    assert_eq!(w.body["state"], "disabled", "{}", w.text);
    assert_eq!(w.body["active"], false);
    assert_eq!(app.audit_count("webhook.disabled").await, 1);
    let tried = receiver.hits().len();
    // Disabled: no more attempts, and no new deliveries.
    app.create(&admin, json!({"role": "staff", "division": "sales"}))
        .await;
    app.core.clock.advance(Duration::hours(5));
    drain(&app, &sender).await;
    assert_eq!(receiver.hits().len(), tried);
    // The admin sees it on the page.
    let page = app
        .client
        .get(app.url("/admin/webhooks"))
        .header("cookie", format!("onboard_session={admin}"))
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert!(
        html.contains("disabled after a day of failed deliveries"),
        "the page says so"
    );
    // Resuming sends what waited.
    receiver.answers.lock().unwrap().clear();
    let r = app
        .send(
            "PATCH",
            "/api/v1/webhooks/1",
            Some(&admin),
            Some(json!({"active": true})),
        )
        .await;
    assert_eq!(r.body["failing_since"], Value::Null);
    app.core.clock.advance(Duration::hours(5));
    drain(&app, &sender).await;
    assert_eq!(receiver.hits().len(), tried + 1);
}

#[tokio::test]
async fn a_ping_reaches_the_endpoint_even_when_paused() {
    let receiver = Receiver::start().await;
    let app = spawn_app_with(&[PRIVATE_OK]).await;
    let admin = app.login("admin").await;
    let (id, secret) = register(&app, &admin, &receiver.url, &["invitation.created"]).await;
    app.send(
        "PATCH",
        &format!("/api/v1/webhooks/{id}"),
        Some(&admin),
        Some(json!({"active": false})),
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/webhooks/{id}/ping"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["event"], "webhook.ping");
    assert_eq!(r.body["status"], "pending");
    // Paused: a new invitation is not queued for it.
    app.create(&admin, json!({"role": "staff", "division": "sales"}))
        .await;
    drain(&app, &Sender::new(true).unwrap()).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].json()["type"], "webhook.ping");
    assert!(verifies(&secret, &hits[0]));
}

#[tokio::test]
async fn each_delivery_goes_out_once_under_two_workers() {
    let receiver = Receiver::start().await;
    let app = spawn_app_with(&[PRIVATE_OK]).await;
    let admin = app.login("admin").await;
    register(&app, &admin, &receiver.url, &["invitation.created"]).await;
    for _ in 0..30 {
        app.create(&admin, json!({"role": "staff", "division": "sales"}))
            .await;
    }
    // A second instance on the same database, with its own worker.
    let other = onboard::cli::open(&app.core.config).await.unwrap();
    let (a, b) = (Sender::new(true).unwrap(), Sender::new(true).unwrap());
    let one = async {
        for _ in 0..20 {
            deliver_due(&app.core, &a).await.unwrap();
        }
    };
    let two = async {
        for _ in 0..20 {
            deliver_due(&other, &b).await.unwrap();
        }
    };
    tokio::join!(one, two);
    let hits = receiver.hits();
    let mut ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(hits.len(), 30, "every delivery once");
    assert_eq!(ids.len(), 30, "no webhook-id twice");
}

#[tokio::test]
async fn an_expiry_is_announced_once_across_two_instances() {
    let receiver = Receiver::start().await;
    let t = test_core(&[PRIVATE_OK]).await;
    let core = t.core.clone();
    let other = onboard::cli::open(&t.config).await.unwrap();
    // The first sweep starts the watermark.
    assert_eq!(sweep_expired(&core).await.unwrap(), 0);
    let admin = onboard::auth::actor_by_username(&core.db, "admin")
        .await
        .unwrap()
        .unwrap();
    let meta = Default::default();
    onboard::services::webhooks::create(
        &core,
        &admin,
        &onboard::services::webhooks::NewWebhook {
            url: Some(receiver.url.clone()),
            events: Some(vec!["invitation.expired".into()]),
            description: None,
        },
        &meta,
    )
    .await
    .unwrap();
    // A staff code in Sales expiring `after` from now.
    let code_expiring = |after: Duration| {
        let (core, admin, meta) = (&core, &admin, &meta);
        async move {
            let input = onboard::services::invitations::CreateInvitation {
                role: Some("staff".into()),
                division: Some("sales".into()),
                expires_at: Some((core.now() + after).to_rfc3339()),
                ..Default::default()
            };
            onboard::services::invitations::create(core, admin, &input, 0, meta)
                .await
                .unwrap()
        }
    };
    let soon = code_expiring(Duration::hours(1)).await;
    let later = code_expiring(Duration::days(3)).await;
    core.clock.advance(Duration::hours(2));
    other.clock.advance(Duration::hours(2));
    // Both instances sweep at once, several times.
    for _ in 0..3 {
        let (a, b) = tokio::join!(sweep_expired(&core), sweep_expired(&other));
        a.unwrap();
        b.unwrap();
    }
    let mut c = core.db.conn().await.unwrap();
    let (items, total) = onboard::db::webhooks::deliveries(&mut c, 1, 10, 0)
        .await
        .unwrap();
    assert_eq!(total, 1, "{items:?}");
    assert_eq!(items[0].event, "invitation.expired");
    assert_eq!(items[0].invitation_id, Some(soon.id));
    drop(c);
    let sender = Sender::new(true).unwrap();
    deliver_due(&core, &sender).await.unwrap();
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].json()["data"]["invitation"]["status"], "expired");
    assert_ne!(soon.id, later.id);
}

#[tokio::test]
async fn the_form_adds_an_endpoint_and_shows_the_secret_once() {
    let app = spawn_app_with(&[PRIVATE_OK]).await;
    let admin = app.login("admin").await;
    let maya = app.login("maya").await;
    let form = [
        ("url", "https://hooks.example.com/x"),
        ("description", "Chat"),
        ("event", "invitation.created"),
        ("event", "user.disabled"),
    ];
    let r = app.form_post("/admin/webhooks", Some(&admin), &form).await;
    assert_eq!(r.status(), 303);
    let to = common::location(&r);
    assert!(to.starts_with("/admin/webhooks?new_secret=whsec_"), "{to}");
    let listed = app.get("/api/v1/webhooks", Some(&admin)).await;
    assert_eq!(
        listed.body["items"][0]["events"],
        json!(["invitation.created", "user.disabled"])
    );
    // No event ticked: back with the field's error, nothing added.
    let r = app
        .form_post(
            "/admin/webhooks",
            Some(&admin),
            &[("url", "https://hooks.example.com/y")],
        )
        .await;
    assert!(common::location(&r).contains("error=invalid_events&field=events"));
    // A manager cannot.
    let r = app.form_post("/admin/webhooks", Some(&maya), &form).await;
    assert!(common::location(&r).contains("error=forbidden"));
    let r = app
        .form_post("/admin/webhooks/1/pause", Some(&admin), &[])
        .await;
    assert_eq!(common::location(&r), "/admin/webhooks?done=paused");
    let r = app
        .form_post("/admin/webhooks/1/delete", Some(&admin), &[])
        .await;
    assert_eq!(common::location(&r), "/admin/webhooks?done=deleted");
    assert_eq!(
        app.get("/api/v1/webhooks", Some(&admin)).await.body["items"],
        json!([])
    );
}

#[tokio::test]
async fn a_create_waiting_for_the_chain_sees_an_endpoint_deleted_meanwhile() {
    let t = test_core(&[PRIVATE_OK]).await;
    let core = t.core.clone();
    let admin = onboard::auth::actor_by_username(&core.db, "admin")
        .await
        .unwrap()
        .unwrap();
    let meta = Default::default();
    let hook = onboard::services::webhooks::create(
        &core,
        &admin,
        &onboard::services::webhooks::NewWebhook {
            url: Some("https://hooks.example.com/x".into()),
            events: Some(vec!["invitation.created".into()]),
            description: None,
        },
        &meta,
    )
    .await
    .unwrap();
    // A deletion holds the audit chain's head: the endpoint is gone, its event appended, and
    // the transaction not committed yet.
    let mut tx = core.db.begin_write().await.unwrap();
    assert!(onboard::db::webhooks::delete(tx.conn(), hook.webhook.id)
        .await
        .unwrap());
    onboard::audit::append(
        &core.db,
        tx.conn(),
        core.now(),
        onboard::audit::NewEvent::new("webhook.deleted"),
    )
    .await
    .unwrap();
    // A create meanwhile waits for the head (PostgreSQL) or the writer (SQLite).
    let creating = tokio::spawn({
        let (core, admin) = (core.clone(), admin.clone());
        async move {
            let input = onboard::services::invitations::CreateInvitation {
                role: Some("staff".into()),
                division: Some("sales".into()),
                ..Default::default()
            };
            onboard::services::invitations::create(&core, &admin, &input, 0, &Default::default())
                .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!creating.is_finished(), "the create waits for the chain");
    tx.commit().await.unwrap();
    // Once it has the head it sees the endpoint gone (nothing to queue for it), and the create
    // succeeds, its event chained after the deletion's.
    let created = creating.await.unwrap();
    assert!(created.is_ok(), "{created:?}");
    assert!(matches!(
        onboard::audit::verify(&core.db).await.unwrap(),
        onboard::audit::Verdict::Intact { .. }
    ));
}
