//! Invitation email through a real SMTP server on loopback (aiosmtpd, installed by `make`):
//! delivery, retry while the server is down, no duplicates with two workers, resend rules.
//!
//! These need `ONBOARD_TEST_SMTPD_PYTHON` (a Python with aiosmtpd), which `make unit` and
//! `make pg` set; plain `cargo test` skips them as ignored, never silently passes them.

mod common;

use common::{free_port, spawn_app_with, PASSWORD};
use onboard::services::outbox::{deliver_due, spawn_worker, Mailer};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// aiosmtpd writing every message it accepts into a maildir.
struct Smtpd {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Smtpd {
    fn python() -> String {
        std::env::var("ONBOARD_TEST_SMTPD_PYTHON").expect(
            "ONBOARD_TEST_SMTPD_PYTHON must name a Python with aiosmtpd (make unit sets it)",
        )
    }

    async fn start_on(port: u16) -> Smtpd {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("mail");
        let child = Command::new(Smtpd::python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        // Owned from here on, so Drop stops it whatever happens next.
        let smtpd = Smtpd { child, port, dir };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return smtpd;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not listen on {port}");
    }

    async fn start() -> Smtpd {
        Smtpd::start_on(free_port()).await
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, raw.
    fn messages(&self) -> Vec<String> {
        read_maildir(&self.dir.path().join("mail"))
    }

    async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..200 {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} messages, got {}", self.messages().len());
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_maildir(dir: &Path) -> Vec<String> {
    ["new", "cur"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(dir.join(sub)).into_iter().flatten())
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect::<Vec<PathBuf>>()
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|raw| decode(&raw))
        .collect()
}

/// Headers as they are, the body decoded from quoted-printable when it says so.
fn decode(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let Some((head, body)) = raw.split_once("\n\n") else {
        return raw;
    };
    if !head.contains("Content-Transfer-Encoding: quoted-printable") {
        return raw.clone();
    }
    let body = quoted_printable::decode(body, quoted_printable::ParseMode::Robust).unwrap();
    format!("{head}\n\n{}", String::from_utf8(body).unwrap())
}

async fn emails(app: &common::TestApp, cookie: &str, id: &Value) -> Vec<Value> {
    let r = app
        .get(&format!("/api/v1/invitations/{id}/emails"), Some(cookie))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
#[ignore = "needs aiosmtpd: run by make unit / make pg"]
async fn an_email_bound_invitation_is_delivered_with_its_code_and_link() {
    let smtp = Smtpd::start().await;
    let app = spawn_app_with(&[
        ("ONBOARD_SMTP_URL", &smtp.url()),
        ("ONBOARD_PUBLIC_URL", "https://onboard.example"),
        ("ONBOARD_MAIL_FROM", "Onboard <invites@onboard.example>"),
        ("ONBOARD_OUTBOX_POLL_MS", "100"),
    ])
    .await;
    let mailer = Mailer::from_config(&app.core).unwrap().unwrap();
    spawn_worker(app.core.clone(), mailer);
    let maya = app.login("maya").await;
    let inv = app
        .create(&maya, json!({"email": "Dewi.Lestari@Example.com"}))
        .await;
    let unbound = app.create(&maya, json!({})).await;
    let code = inv["code"].as_str().unwrap();

    let messages = smtp.wait_for(1).await;
    let m = &messages[0];
    assert!(m.contains("To: dewi.lestari@example.com"), "{m}");
    assert!(m.contains("From: Onboard <invites@onboard.example>"), "{m}");
    assert!(
        m.contains("Subject: Your invitation to join Sales on onboard"),
        "{m}"
    );
    assert!(m.contains(code), "the code is in the message: {m}");
    assert!(
        m.contains(&format!("https://onboard.example/join?code={code}")),
        "the join link is in the message: {m}"
    );
    assert!(m.contains("as Staff"), "{m}");

    // The invitation shows the message as sent; the one without an email has none.
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = emails(&app, &maya, &inv["id"]).await;
        if sent[0]["status"] == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["status"], "sent");
    assert_eq!(sent[0]["recipient"], "dewi.lestari@example.com");
    assert!(emails(&app, &maya, &unbound["id"]).await.is_empty());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 1, "exactly one message went out");
}

#[tokio::test]
#[ignore = "needs aiosmtpd: run by make unit / make pg"]
async fn the_message_is_written_in_the_inviters_language() {
    let smtp = Smtpd::start().await;
    let app = spawn_app_with(&[("ONBOARD_SMTP_URL", &smtp.url())]).await;
    let mailer = Mailer::from_config(&app.core).unwrap().unwrap();
    let maya = app.login("maya").await;
    let r = app
        .client
        .post(app.url("/api/v1/invitations"))
        .header("cookie", format!("onboard_session={maya}"))
        .header("accept-language", "id-ID,id;q=0.9,en;q=0.5")
        .json(&json!({"email": "ana@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(deliver_due(&app.core, &mailer).await.unwrap(), 1);
    let m = &smtp.wait_for(1).await[0];
    assert!(m.contains("Undangan Anda untuk bergabung"), "{m}");
}

#[tokio::test]
#[ignore = "needs aiosmtpd: run by make unit / make pg"]
async fn a_message_waits_while_the_server_is_down_and_goes_out_once_it_is_up() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("ONBOARD_SMTP_URL", &url)]).await;
    let mailer = Mailer::from_config(&app.core).unwrap().unwrap();
    let admin = app.login("admin").await;
    let inv = app
        .create(
            &admin,
            json!({"email": "late@example.com", "division": "eng"}),
        )
        .await;

    // Nobody listens: the message stays queued with the reason and a retry time.
    assert_eq!(deliver_due(&app.core, &mailer).await.unwrap(), 0);
    let m = &emails(&app, &admin, &inv["id"]).await[0];
    assert_eq!(m["status"], "queued");
    assert_eq!(m["attempts"], 1);
    assert!(m["last_error"].as_str().is_some_and(|e| !e.is_empty()));
    assert!(m["next_attempt_at"].is_string());

    // The server comes up; the retry waits for its back-off, then delivers once.
    let smtp = Smtpd::start_on(port).await;
    assert_eq!(deliver_due(&app.core, &mailer).await.unwrap(), 0);
    app.core.clock.advance(chrono::Duration::seconds(31));
    assert_eq!(deliver_due(&app.core, &mailer).await.unwrap(), 1);
    assert_eq!(deliver_due(&app.core, &mailer).await.unwrap(), 0);
    let got = smtp.wait_for(1).await;
    assert!(got[0].contains("To: late@example.com"));
    let m = &emails(&app, &admin, &inv["id"]).await[0];
    assert_eq!(m["status"], "sent");
    assert_eq!(m["attempts"], 2);
    assert!(m["last_error"].is_null());
}

#[tokio::test]
#[ignore = "needs aiosmtpd: run by make unit / make pg"]
async fn two_workers_on_one_database_never_send_a_message_twice() {
    let smtp = Smtpd::start().await;
    let app = spawn_app_with(&[("ONBOARD_SMTP_URL", &smtp.url())]).await;
    let admin = app.login("admin").await;
    let rows: Vec<Value> = (0..40)
        .map(|i| json!({"email": format!("hire{i}@example.com"), "division": "sales"}))
        .collect();
    let r = app
        .post("/api/v1/invitations/bulk", Some(&admin), json!(rows))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);

    // A second instance: its own pool and core on the same database.
    let other_db = onboard::db::Db::connect(&app.db_url, 4).await.unwrap();
    let other = onboard::services::Core::new(
        other_db,
        app.core.config.clone(),
        onboard::clock::Clock::default(),
    );
    let mailer = Mailer::from_config(&app.core).unwrap().unwrap();
    let run = |core: onboard::services::Core, mailer: Mailer| async move {
        let mut total = 0;
        loop {
            let n = deliver_due(&core, &mailer).await.unwrap();
            if n == 0 {
                return total;
            }
            total += n;
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(run(app.core.clone(), mailer.clone())),
        tokio::spawn(run(other, mailer))
    );
    assert_eq!(a.unwrap() + b.unwrap(), 40);
    let got = smtp.wait_for(40).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 40, "no duplicates");
    for i in 0..40 {
        let to = format!("To: hire{i}@example.com\n");
        let n = got.iter().filter(|m| m.contains(&to)).count();
        assert_eq!(n, 1, "hire{i} got exactly one message");
    }
}

#[tokio::test]
async fn resending_is_for_admins_and_the_inviting_manager_while_active() {
    let app = spawn_app_with(&[]).await;
    // A second manager in Sales, who did not create the invitation.
    let division: i64 = onboard::db::col(
        &sqlx::query("SELECT id FROM divisions WHERE slug = 'sales'")
            .fetch_one(&app.core.db.pool)
            .await
            .unwrap(),
        "id",
    )
    .unwrap();
    onboard::services::redeem::create_user_direct(
        &app.core,
        &onboard::domain::Username::parse("nora").unwrap(),
        PASSWORD,
        onboard::domain::Role::Manager,
        Some(division),
        None,
    )
    .await
    .unwrap();
    let maya = app.login("maya").await;
    let nora = app.login("nora").await;
    let budi = app.login("budi").await;
    let sam = app.login("sam").await;
    let admin = app.login("admin").await;
    let inv = app.create(&maya, json!({"email": "new@example.com"})).await;
    let path = format!("/api/v1/invitations/{}/resend", inv["id"]);

    // No SMTP configured: messages wait in the outbox, which admins can read.
    let r = app.post(&path, Some(&maya), json!({})).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["status"], "queued");
    assert_eq!(r.body["recipient"], "new@example.com");
    assert_eq!(app.audit_count("invitation.email_resent").await, 1);
    assert_eq!(app.post(&path, Some(&admin), json!({})).await.status, 202);
    assert_eq!(emails(&app, &maya, &inv["id"]).await.len(), 3);

    for (who, status) in [(&nora, 403), (&budi, 404), (&sam, 403)] {
        let r = app.post(&path, Some(who), json!({})).await;
        assert_eq!(r.status, status, "{}", r.text);
    }
    assert_eq!(app.post(&path, None, json!({})).await.status, 401);
    let cross = app
        .client
        .post(app.url(&path))
        .header("cookie", format!("onboard_session={maya}"))
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert_eq!(app.audit_count("invitation.email_resent").await, 2);

    let outbox = app.get("/api/v1/outbox?status=queued", Some(&admin)).await;
    assert_eq!(outbox.status, 200);
    assert_eq!(outbox.body["total"], 3);
    assert_eq!(app.get("/api/v1/outbox", Some(&maya)).await.status, 403);
    assert_eq!(app.get("/api/v1/outbox", None).await.status, 401);
    let bad = app.get("/api/v1/outbox?status=lost", Some(&admin)).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["error"]["code"], "invalid_status");

    // Revoking stops what is queued; a revoked or unbound code cannot be resent.
    let r = app
        .post(
            &format!("/api/v1/invitations/{}/revoke", inv["id"]),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200);
    let all = emails(&app, &admin, &inv["id"]).await;
    assert!(all
        .iter()
        .all(|m| m["status"] == "failed" && m["last_error"] == "invitation revoked"));
    let r = app.post(&path, Some(&admin), json!({})).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["error"]["code"], "invitation_not_active");
    // A redeemed code's queued email is not sent any more.
    let used = app
        .create(&maya, json!({"email": "fast@example.com"}))
        .await;
    let r = app
        .post(
            "/api/v1/redeem",
            None,
            json!({"code": used["code"], "username": "fast.hire",
                   "password": "a long enough passphrase", "email": "fast@example.com"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let m = &emails(&app, &maya, &used["id"]).await[0];
    assert_eq!(m["status"], "failed");
    assert_eq!(m["last_error"], "invitation already used");

    let unbound = app.create(&maya, json!({})).await;
    let r = app
        .post(
            &format!("/api/v1/invitations/{}/resend", unbound["id"]),
            Some(&maya),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409);
}
