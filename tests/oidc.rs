//! Sign-in through an OpenID Connect provider, against a real one on loopback
//! (`oidc-provider-mock` from PyPI, installed by `make`): sign-in by a verified email and then
//! by the linked identity, no account created by a sign-in, an unverified email, a disabled
//! account, a forged or missing state, a replayed callback, a code issued to another client,
//! redemption of an invitation through the provider, and the admin's "managers and admins use
//! the provider" setting.
//!
//! These need `ONBOARD_TEST_OIDC_MOCK` (the mock's executable), which `make unit` and `make pg`
//! set; plain `cargo test` lists them as ignored, never silently passes them.

mod common;

use common::{free_port, spawn_app_with, TestApp, PASSWORD};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Provider {
    child: Child,
    port: u16,
    http: reqwest::Client,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    async fn start() -> Provider {
        let bin = std::env::var("ONBOARD_TEST_OIDC_MOCK")
            .expect("ONBOARD_TEST_OIDC_MOCK must name oidc-provider-mock (make unit sets it)");
        let port = free_port();
        let child = Command::new(bin)
            .args(["--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("oidc-provider-mock starts");
        let p = Provider {
            child,
            port,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        };
        for _ in 0..200 {
            if let Ok(r) = p
                .http
                .get(format!("{}/.well-known/openid-configuration", p.issuer()))
                .send()
                .await
            {
                if r.status().is_success() {
                    return p;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("oidc-provider-mock did not answer on {port}");
    }

    fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The claims the provider gives this subject.
    async fn person(&self, sub: &str, email: &str, verified: bool) {
        let r = self
            .http
            .put(format!("{}/users/{sub}", self.issuer()))
            .json(&json!({ "email": email, "email_verified": verified, "name": sub }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }

    /// The person at the provider's form: signs in as `sub` and is sent back. Answers the
    /// callback URL (path and query) the provider redirects to.
    async fn authorize(&self, authorize_url: &str, sub: &str) -> String {
        let r = self
            .http
            .post(authorize_url)
            .form(&[("sub", sub)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302, "{}", r.text().await.unwrap());
        let to = url::Url::parse(r.headers()[LOCATION].to_str().unwrap()).unwrap();
        assert_eq!(to.path(), "/auth/oidc/callback");
        format!("{}?{}", to.path(), to.query().unwrap())
    }
}

async fn app(p: &Provider) -> TestApp {
    spawn_app_with(&[
        ("ONBOARD_OIDC_ISSUER", &p.issuer()),
        ("ONBOARD_OIDC_CLIENT_ID", "onboard"),
        ("ONBOARD_OIDC_CLIENT_SECRET", "onboard-secret"),
        ("ONBOARD_OIDC_NAME", "Acme ID"),
    ])
    .await
}

fn cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn location(r: &reqwest::Response) -> String {
    r.headers()[LOCATION].to_str().unwrap().to_string()
}

/// A browser's round: the start request, the provider, the callback. Answers the callback's
/// response and what the browser held (state cookie, callback URL) for replays.
struct Round {
    response: reqwest::Response,
    state_cookie: String,
    callback: String,
}

async fn round(app: &TestApp, p: &Provider, start: reqwest::Response, sub: &str) -> Round {
    assert!(start.status().is_redirection(), "{}", start.status());
    let state_cookie = cookie(&start, "onboard_oidc").expect("the state cookie");
    let to = location(&start);
    assert!(to.starts_with(&p.issuer()), "{to}");
    assert!(to.contains("code_challenge_method=S256"), "PKCE: {to}");
    assert!(to.contains("nonce="), "{to}");
    let callback = p.authorize(&to, sub).await;
    let response = callback_with(app, &callback, Some(&state_cookie)).await;
    Round {
        response,
        state_cookie,
        callback,
    }
}

async fn callback_with(app: &TestApp, callback: &str, state: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url(callback));
    if let Some(s) = state {
        req = req.header(COOKIE, format!("onboard_oidc={s}"));
    }
    req.send().await.unwrap()
}

/// A browser starting a sign-in (the login page's link).
async fn start(app: &TestApp) -> reqwest::Response {
    app.client
        .get(app.url("/auth/oidc/start"))
        .send()
        .await
        .unwrap()
}

/// A signed-in person pressing "Connect" on the profile page.
async fn connect(app: &TestApp, session: &str) -> reqwest::Response {
    app.client
        .post(app.url("/profile/oidc"))
        .header(COOKIE, format!("onboard_session={session}"))
        .send()
        .await
        .unwrap()
}

async fn sign_in(app: &TestApp, p: &Provider, sub: &str) -> Round {
    let start = app
        .client
        .get(app.url("/auth/oidc/start?next=/audit"))
        .send()
        .await
        .unwrap();
    round(app, p, start, sub).await
}

async fn me(app: &TestApp, r: &reqwest::Response) -> Value {
    let session = cookie(r, "onboard_session").expect("a session");
    app.get("/api/v1/me", Some(&session)).await.body
}

/// An address an admin gave the account (trusted for linking, unlike one its holder typed).
async fn set_email(app: &TestApp, username: &str, email: &str) {
    sqlx::query("UPDATE users SET email = $1, email_trusted = 1 WHERE username = $2")
        .bind(email)
        .bind(username)
        .execute(&app.core.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn an_identity_signs_in_to_the_account_with_its_verified_email_then_by_its_link() {
    let p = Provider::start().await;
    let app = app(&p).await;
    set_email(&app, "maya", "maya@example.com").await;
    p.person("sub-maya", "Maya@Example.com", true).await;

    // The login page offers it.
    let page = app
        .client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Sign in with Acme ID"));

    let r = sign_in(&app, &p, "sub-maya").await;
    assert_eq!(r.response.status(), 303);
    assert_eq!(
        location(&r.response),
        "/audit",
        "back to the page asked for"
    );
    let body = me(&app, &r.response).await;
    assert_eq!(
        body["user"]["username"]
            .as_str()
            .or(body["username"].as_str()),
        Some("maya"),
        "{body}"
    );
    assert!(
        cookie(&r.response, "onboard_oidc").is_some_and(|v| v.is_empty()),
        "the state cookie is cleared"
    );

    // Linked now: a new address at the provider still signs in to the same account.
    p.person("sub-maya", "maya.new@example.com", true).await;
    let r = sign_in(&app, &p, "sub-maya").await;
    assert_eq!(location(&r.response), "/audit");
    assert_eq!(app.audit_count("login.succeeded").await, 2);
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn a_sign_in_never_creates_an_account_and_needs_a_verified_address() {
    let p = Provider::start().await;
    let app = app(&p).await;
    let users_before = app
        .get("/api/v1/users", Some(&app.login("admin").await))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len();
    p.person("sub-stranger", "stranger@example.com", true).await;
    let r = sign_in(&app, &p, "sub-stranger").await;
    assert_eq!(location(&r.response), "/login?error=oidc_no_account&field=");
    assert!(cookie(&r.response, "onboard_session").is_none());
    let users_after = app
        .get("/api/v1/users", Some(&app.login("admin").await))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(users_before, users_after);

    // The address matches an account, but the provider has not verified it.
    set_email(&app, "maya", "maya@example.com").await;
    p.person("sub-unverified", "maya@example.com", false).await;
    let r = sign_in(&app, &p, "sub-unverified").await;
    assert_eq!(
        location(&r.response),
        "/login?error=oidc_email_unverified&field="
    );
    assert!(cookie(&r.response, "onboard_session").is_none());
    let page = app
        .client
        .get(app.url("/login?error=oidc_email_unverified&field="))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("has not verified your email address"),
        "the page says why"
    );
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn an_address_its_holder_typed_does_not_link_an_identity() {
    let p = Provider::start().await;
    let app = app(&p).await;
    let admin = app.login("admin").await;
    // Someone redeems an unbound code and gives the victim's address as theirs.
    let code = app
        .create(&admin, json!({"role": "staff", "division": "sales"}))
        .await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            json!({"code": code, "username": "squatter", "password": "a-long-enough-passphrase-42", "email": "boss@example.com"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    // The real owner of the address signs in: not into the squatter's account.
    p.person("sub-boss", "boss@example.com", true).await;
    let r = sign_in(&app, &p, "sub-boss").await;
    assert_eq!(location(&r.response), "/login?error=oidc_no_account&field=");
    assert!(cookie(&r.response, "onboard_session").is_none());
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn a_disabled_account_cannot_sign_in_through_the_provider() {
    let p = Provider::start().await;
    let app = app(&p).await;
    set_email(&app, "sam", "sam@example.com").await;
    p.person("sub-sam", "sam@example.com", true).await;
    let admin = app.login("admin").await;
    assert_eq!(
        app.post("/api/v1/users/sam/disable", Some(&admin), json!({}))
            .await
            .status,
        200
    );
    let r = sign_in(&app, &p, "sub-sam").await;
    assert_eq!(
        location(&r.response),
        "/login?error=account_disabled&field="
    );
    assert!(cookie(&r.response, "onboard_session").is_none());
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn a_forged_state_a_planted_link_and_a_replayed_callback_are_refused() {
    let p = Provider::start().await;
    let app = app(&p).await;
    set_email(&app, "maya", "maya@example.com").await;
    p.person("sub-maya", "maya@example.com", true).await;

    // The state in the URL is not the browser's.
    let start = start(&app).await;
    let state = cookie(&start, "onboard_oidc").unwrap();
    let callback = p.authorize(&location(&start), "sub-maya").await;
    let forged = callback.replace(&state, "forged-state");
    assert_ne!(forged, callback);
    let r = callback_with(&app, &forged, Some(&state)).await;
    assert_eq!(location(&r), "/login?error=oidc_failed&field=");

    // A callback link opened in a browser that did not start the sign-in (no state cookie,
    // e.g. an attacker's link planted in a victim's browser): refused, nobody signed in.
    let r = callback_with(&app, &callback, None).await;
    assert_eq!(location(&r), "/login?error=oidc_failed&field=");
    assert!(cookie(&r, "onboard_session").is_none());
    // The browser that started it finishes it, once.
    let r = callback_with(&app, &callback, Some(&state)).await;
    assert!(cookie(&r, "onboard_session").is_some());
    let r = callback_with(&app, &callback, Some(&state)).await;
    assert_eq!(
        location(&r),
        "/login?error=oidc_failed&field=",
        "a spent flow stays spent"
    );

    // A good sign-in, then the same callback again.
    let ok = sign_in(&app, &p, "sub-maya").await;
    assert!(cookie(&ok.response, "onboard_session").is_some());
    let again = callback_with(&app, &ok.callback, Some(&ok.state_cookie)).await;
    assert_eq!(location(&again), "/login?error=oidc_failed&field=");
    assert!(cookie(&again, "onboard_session").is_none());
    assert!(app.audit_count("login.failed").await >= 2);
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn a_code_issued_to_another_client_is_refused() {
    let p = Provider::start().await;
    let app = app(&p).await;
    set_email(&app, "maya", "maya@example.com").await;
    p.person("sub-maya", "maya@example.com", true).await;
    let start = start(&app).await;
    let state = cookie(&start, "onboard_oidc").unwrap();
    // The same request, but for another application registered with the provider: its code
    // (and an ID token for it) is for another audience.
    let foreign = location(&start).replace("client_id=onboard", "client_id=another-app");
    assert_ne!(foreign, location(&start));
    let callback = p.authorize(&foreign, "sub-maya").await;
    let r = callback_with(&app, &callback, Some(&state)).await;
    assert_eq!(location(&r), "/login?error=oidc_failed&field=");
    assert!(cookie(&r, "onboard_session").is_none());
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn a_new_hire_redeems_a_code_by_signing_in_with_the_provider() {
    let p = Provider::start().await;
    let app = app(&p).await;
    let admin = app.login("admin").await;
    let inv = app
        .create(
            &admin,
            json!({"role": "staff", "division": "sales", "email": "ana@example.com"}),
        )
        .await;
    let code = inv["code"].as_str().unwrap().to_string();

    // The join page offers it.
    let page = app
        .client
        .get(app.url(&format!("/join?code={code}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Join with Acme ID"));

    // Another person's verified address does not fit a code bound to ana's.
    p.person("sub-other", "other@example.com", true).await;
    let start = app
        .form_post("/join/oidc", None, &[("code", &code), ("username", "ana")])
        .await;
    let r = round(&app, &p, start, "sub-other").await;
    assert!(
        location(&r.response).starts_with(&format!(
            "/join?code={}&error=email_mismatch",
            onboard::domain::query_string::escape(&code)
        )),
        "{}",
        location(&r.response)
    );

    // Ana's own, verified.
    p.person("sub-ana", "ana@example.com", true).await;
    let start = app
        .form_post("/join/oidc", None, &[("code", &code), ("username", "ana")])
        .await;
    let r = round(&app, &p, start, "sub-ana").await;
    assert_eq!(location(&r.response), "/profile?welcome=1");
    let body = me(&app, &r.response).await;
    assert!(body.to_string().contains("\"ana\""), "{body}");
    let inv = app
        .get(&format!("/api/v1/invitations/{}", inv["id"]), Some(&admin))
        .await;
    assert_eq!(inv.body["status"], "used");

    // Her account has no password anyone knows; she signs in with the provider.
    let r = app
        .post(
            "/api/v1/session",
            None,
            json!({"username": "ana", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 401);
    let r = sign_in(&app, &p, "sub-ana").await;
    assert_eq!(location(&r.response), "/audit");

    // Checked before leaving for the provider: a taken username, a used code.
    let r = app
        .form_post("/join/oidc", None, &[("code", &code), ("username", "maya")])
        .await;
    assert!(location(&r).contains("error=code_used"), "{}", location(&r));
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn admins_can_require_the_provider_for_managers_and_admins() {
    let p = Provider::start().await;
    let app = app(&p).await;
    let admin = app.login("admin").await;
    let r = app.get("/api/v1/settings", Some(&admin)).await;
    assert!(
        r.body.get("oidc_required").is_none(),
        "off: the contract's document as is"
    );
    let ceilings = r.body["max_expiry_days"].clone();
    // An admin who has never signed in through the provider would lock themself out.
    let r = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&admin),
            Some(json!({"max_expiry_days": ceilings, "oidc_required": true})),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "conflict"), "{}", r.text);
    set_email(&app, "admin", "admin@example.com").await;
    p.person("sub-admin", "admin@example.com", true).await;
    assert!(cookie(
        &sign_in(&app, &p, "sub-admin").await.response,
        "onboard_session"
    )
    .is_some());
    let r = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&admin),
            Some(json!({"max_expiry_days": ceilings, "oidc_required": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["oidc_required"], true);
    // A PUT without the field leaves it as it is.
    let r = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&admin),
            Some(json!({"max_expiry_days": ceilings})),
        )
        .await;
    assert_eq!(r.body["oidc_required"], true);

    for (user, status, code) in [
        ("admin", 403, "oidc_required"),
        ("maya", 403, "oidc_required"),
        ("sam", 200, ""),
    ] {
        let r = app
            .post(
                "/api/v1/session",
                None,
                json!({"username": user, "password": PASSWORD}),
            )
            .await;
        assert_eq!((r.status, r.code()), (status, code), "{user}: {}", r.text);
    }
    // A wrong password is still just a wrong password (the rule says nothing about accounts).
    let r = app
        .post(
            "/api/v1/session",
            None,
            json!({"username": "admin", "password": "not the password"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (401, "invalid_credentials"));

    // A manager's code cannot be redeemed with a password either.
    let code = app
        .create(&admin, json!({"role": "manager", "division": "eng"}))
        .await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            json!({"code": code, "username": "newboss", "password": "a-long-enough-passphrase-42"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, "oidc_required"), "{}", r.text);

    // The manager signs in through the provider instead.
    set_email(&app, "maya", "maya@example.com").await;
    p.person("sub-maya", "maya@example.com", true).await;
    let r = sign_in(&app, &p, "sub-maya").await;
    assert_eq!(location(&r.response), "/audit");
}

#[tokio::test]
async fn without_a_provider_there_is_nothing_to_require_or_start() {
    let app = spawn_app_with(&[]).await;
    let admin = app.login("admin").await;
    let ceilings = app.get("/api/v1/settings", Some(&admin)).await.body["max_expiry_days"].clone();
    let r = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&admin),
            Some(json!({"max_expiry_days": ceilings, "oidc_required": true})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = start(&app).await;
    assert_eq!(location(&r), "/login?error=not_found&field=");
    let page = app
        .client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Sign in with"));
}

#[tokio::test]
#[ignore = "needs ONBOARD_TEST_OIDC_MOCK (make unit)"]
async fn a_signed_in_person_connects_their_account_from_the_profile() {
    let p = Provider::start().await;
    let app = app(&p).await;
    // sam has no email on file, so no identity could find the account by address.
    p.person("sub-sam", "sam.personal@example.com", true).await;
    let r = sign_in(&app, &p, "sub-sam").await;
    assert_eq!(location(&r.response), "/login?error=oidc_no_account&field=");

    // Signed in with the password, sam connects the account.
    let sam = app.login("sam").await;
    let start = connect(&app, &sam).await;
    let r = round(&app, &p, start, "sub-sam").await;
    assert_eq!(location(&r.response), "/profile?oidc_linked=1");
    assert_eq!(app.audit_count("user.oidc_linked").await, 1);
    let r = sign_in(&app, &p, "sub-sam").await;
    assert_eq!(location(&r.response), "/audit");
    assert!(me(&app, &r.response).await.to_string().contains("\"sam\""));

    // Another account cannot take the same identity.
    let maya = app.login("maya").await;
    let start = connect(&app, &maya).await;
    let r = round(&app, &p, start, "sub-sam").await;
    assert_eq!(
        location(&r.response),
        "/profile?oidc_error=oidc_identity_taken"
    );
    let page = app
        .client
        .get(app.url("/profile?oidc_error=oidc_identity_taken"))
        .header(COOKIE, format!("onboard_session={maya}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("already signs in to another account"),
        "the page says why"
    );

    // Without a session there is nothing to connect.
    let r = app
        .client
        .post(app.url("/profile/oidc"))
        .send()
        .await
        .unwrap();
    assert!(location(&r).starts_with("/login"), "{}", location(&r));
}
