//! Two `onboard serve` processes on one PostgreSQL database behave as one application.
//! Needs a server: run through `.ci/with-postgres` (as `make test` does).

use serde_json::{json, Value};
use std::process::{Child, Command};
use std::time::Duration;

struct Instance {
    base: String,
    child: Child,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn onboard(db: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_onboard"));
    c.env("DATABASE_URL", db)
        .env("ONBOARD_TRUSTED_PROXIES", "127.0.0.1")
        .env("ONBOARD_REDEEM_MAX_FAILURES", "6")
        .env("ONBOARD_REDEEM_CHECK_MAX", "4")
        .env("RUST_LOG", "warn");
    c
}

async fn start(db: &str) -> Instance {
    let port = free_port();
    let mut child = onboard(db)
        .args(["serve"])
        .env("ONBOARD_ADDR", format!("127.0.0.1:{port}"))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await {
            if r.status() == 200 {
                return Instance { base, child };
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("instance on {port} did not become ready");
}

async fn fresh_database(server: &str) -> String {
    use sqlx::Connection;
    let name = format!("two_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .unwrap();
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&mut conn)
    .await;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    format!("{server}/{name}")
}

async fn post(
    client: &reqwest::Client,
    url: String,
    body: Value,
    cookie: Option<&str>,
    from: Option<&str>,
) -> (u16, Value, Option<String>) {
    let mut req = client.post(url).json(&body);
    if let Some(c) = cookie {
        req = req.header("cookie", format!("onboard_session={c}"));
    }
    if let Some(ip) = from {
        req = req.header("x-forwarded-for", ip);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("onboard_session="))
        .map(|v| v.split(';').next().unwrap().to_string());
    (status, r.json().await.unwrap_or(Value::Null), cookie)
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run `make test` (or .ci/with-postgres cargo test -- --ignored)"]
async fn two_instances_on_one_postgres_behave_as_one() {
    let server =
        std::env::var("ONBOARD_TEST_PG").expect("ONBOARD_TEST_PG must name a PostgreSQL server");
    let db = fresh_database(&server).await;
    assert!(onboard(&db).arg("demo").output().unwrap().status.success());
    let a = start(&db).await;
    let b = start(&db).await;
    let client = reqwest::Client::new();

    // A session made on one instance works on the other.
    let (status, _, cookie) = post(
        &client,
        format!("{}/api/v1/session", a.base),
        json!({"username": "maya", "password": "onboard-manager-demo"}),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let cookie = cookie.unwrap();
    let me = client
        .get(format!("{}/api/v1/me", b.base))
        .header("cookie", format!("onboard_session={cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    // The redemption limit counts attempts made on both.
    let bad =
        json!({"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "username": "x.y", "password": "whatever whatever"});
    for i in 0..6 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        let (status, _, _) = post(
            &client,
            format!("{base}/api/v1/redeem"),
            bad.clone(),
            None,
            Some("10.9.9.9"),
        )
        .await;
        assert_eq!(status, 404);
    }
    let (status, body, _) = post(
        &client,
        format!("{}/api/v1/redeem", a.base),
        bad.clone(),
        None,
        Some("10.9.9.9"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("rate_limited"))
    );

    // 100 concurrent redemptions of one code, split across both: exactly one account.
    let (status, inv, _) = post(
        &client,
        format!("{}/api/v1/invitations", a.base),
        json!({}),
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, 201);
    let code = inv["code"].as_str().unwrap().to_string();
    let mut tasks = Vec::new();
    for i in 0..100 {
        let client = client.clone();
        let url = format!(
            "{}/api/v1/redeem",
            if i % 2 == 0 { &a.base } else { &b.base }
        );
        let body = json!({"code": code, "username": format!("racer{i}"), "password": "a long and unusual pass"});
        let ip = format!("10.{}.{}.1", i / 200, i % 200);
        tasks.push(tokio::spawn(async move {
            post(&client, url, body, None, Some(&ip)).await.0
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

    // Concurrent creates on both leave one valid audit chain.
    let mut tasks = Vec::new();
    for i in 0..60 {
        let client = client.clone();
        let url = format!(
            "{}/api/v1/invitations",
            if i % 2 == 0 { &a.base } else { &b.base }
        );
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            post(&client, url, json!({}), Some(&cookie), None).await.0
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    let verify = onboard(&db).args(["audit", "verify"]).output().unwrap();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(String::from_utf8_lossy(&verify.stdout).contains("intact"));

    // Code checks: each instance limits an address in memory (4 a minute here), and failed
    // checks (guesses) are counted in the database for both, so guessing stays at 4 in all.
    let check = |base: &str, code: &str, ip: &str| {
        let req = client
            .get(format!("{base}/api/v1/redeem/{code}"))
            .header("x-forwarded-for", ip.to_string());
        async move {
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, inv, _) = post(
        &client,
        format!("{}/api/v1/invitations", a.base),
        json!({}),
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, 201);
    let good = inv["code"].as_str().unwrap().to_string();
    for (i, base) in [&a.base, &b.base, &a.base, &b.base].into_iter().enumerate() {
        let (status, body) = check(base, "ZZZZ-ZZZZ-ZZZZ-ZZZ1", "10.6.6.6").await;
        assert_eq!(
            (status, body["valid"].clone()),
            (200, json!(false)),
            "guess {i}"
        );
    }
    let (status, body) = check(&a.base, "ZZZZ-ZZZZ-ZZZZ-ZZZ1", "10.6.6.6").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("rate_limited"))
    );
    let (status, _) = check(&b.base, &good, "10.6.6.6").await;
    assert_eq!(
        status, 429,
        "past the shared limit of guesses, a real code is refused too"
    );
    // Valid checks are not written to the database: each instance allows its own 4.
    for base in [&a.base, &b.base] {
        for i in 0..4 {
            let (status, body) = check(base, &good, "10.5.5.5").await;
            assert_eq!(
                (status, body["valid"].clone()),
                (200, json!(true)),
                "check {i}"
            );
        }
    }
    let (status, _) = check(&a.base, &good, "10.5.5.5").await;
    assert_eq!(status, 429, "and no more than that");
}
