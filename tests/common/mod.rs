//! `spawn_app()`: the real application on port 0 with a fresh SQLite file, seeded with two
//! divisions, an admin, a manager per division and a staff member.
#![allow(dead_code)]

use onboard::clock::Clock;
use onboard::config::Config;
use onboard::db::Db;
use onboard::domain::{Role, Username};
use onboard::services::Core;
use reqwest::header::{HeaderMap, HeaderValue, COOKIE, SET_COOKIE};
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub core: Core,
    pub client: reqwest::Client,
    pub db_path: std::path::PathBuf,
    pub db_url: String,
    pub key_file: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The use cases alone, without a server: a seeded database (a real SQLite file, or a fresh
/// PostgreSQL database under `ONBOARD_TEST_PG`) behind a `Core`, for testing a rule directly.
pub struct TestCore {
    pub core: Core,
    pub config: Config,
    pub db_path: std::path::PathBuf,
    pub db_url: String,
    pub key_file: std::path::PathBuf,
    pub dir: tempfile::TempDir,
}

pub async fn test_core(overrides: &[(&str, &str)]) -> TestCore {
    // Warnings and errors from the app are captured per test and shown when it fails.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn")
        .try_init();
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("onboard.db");
    let url = match std::env::var("ONBOARD_TEST_PG") {
        Ok(server) if !server.is_empty() => fresh_pg_database(&server).await,
        _ => format!("sqlite://{}", db_path.display()),
    };
    // The audit key file lives with the test's database, never in the working directory.
    let key_file = dir.path().join("audit.key");
    let key_file_str = key_file.display().to_string();
    let mut overrides = overrides.to_vec();
    if !overrides
        .iter()
        .any(|(k, _)| *k == "ONBOARD_AUDIT_KEY_FILE")
    {
        overrides.push(("ONBOARD_AUDIT_KEY_FILE", &key_file_str));
    }
    let config = Config::with(&url, &overrides).unwrap();
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let core = Core::new(db, config.clone(), Clock::default());
    seed(&core).await;
    TestCore {
        core,
        config,
        db_path,
        db_url: url,
        key_file,
        dir,
    }
}

pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let t = test_core(overrides).await;
    let leptos = onboard::cli::leptos_options(&t.config);
    let app = onboard::server::router(t.core.clone(), leptos);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(onboard::server::serve(app, listener));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(90))
        .build()
        .unwrap();
    TestApp {
        base,
        core: t.core,
        client,
        db_path: t.db_path,
        db_url: t.db_url,
        key_file: t.key_file,
        _dir: t.dir,
    }
}

/// One database per test on the shared throw-away server (`.ci/with-postgres`).
async fn fresh_pg_database(server: &str) -> String {
    use sqlx::Connection;
    let name = format!("t_{}", &onboard::auth::random_token()[..16]);
    let mut conn = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    format!("{server}/{name}")
}

/// The id of the division with this slug, if there is one.
pub async fn division_id(core: &Core, slug: &str) -> Option<i64> {
    let mut c = core.db.conn().await.unwrap();
    onboard::db::divisions::by_slug(&mut c, slug)
        .await
        .unwrap()
        .map(|d| d.id)
}

/// A seeded user's id.
pub async fn user_id(core: &Core, name: &str) -> i64 {
    let mut c = core.db.conn().await.unwrap();
    let row = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(name)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    onboard::db::col(&row, "id").unwrap()
}

async fn seed(core: &Core) {
    use onboard::services::admin::{create_division, NewDivision};
    use onboard::services::redeem::create_user_direct;
    let meta = Default::default();
    for (slug, name) in [("sales", "Sales"), ("eng", "Engineering")] {
        create_division(
            core,
            None,
            &NewDivision {
                slug: slug.into(),
                name: name.into(),
            },
            &meta,
        )
        .await
        .unwrap();
    }
    let sales = division_id(core, "sales").await.unwrap();
    let eng = division_id(core, "eng").await.unwrap();
    for (u, role, d) in [
        ("admin", Role::Admin, None),
        ("maya", Role::Manager, Some(sales)),
        ("budi", Role::Manager, Some(eng)),
        ("sam", Role::Staff, Some(sales)),
    ] {
        create_user_direct(core, &Username::parse(u).unwrap(), PASSWORD, role, d, None)
            .await
            .unwrap();
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self.client.request(method.parse().unwrap(), self.url(path));
        if let Some(c) = cookie {
            req = req.header(COOKIE, format!("onboard_session={c}"));
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        into_resp(req.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Resp {
        self.send("GET", path, cookie, None).await
    }

    pub async fn post(&self, path: &str, cookie: Option<&str>, body: Value) -> Resp {
        self.send("POST", path, cookie, Some(body)).await
    }

    /// Posts an HTML form (no JavaScript), optionally with a session.
    pub async fn form_post(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self.client.post(self.url(path)).form(fields);
        if let Some(c) = cookie {
            req = req.header(COOKIE, format!("onboard_session={c}"));
        }
        req.send().await.unwrap()
    }

    /// Logs in and returns the session token from the cookie.
    pub async fn login(&self, username: &str) -> String {
        let r = self
            .post(
                "/api/v1/session",
                None,
                json!({ "username": username, "password": PASSWORD }),
            )
            .await;
        assert_eq!(r.status, 200, "login {username}: {}", r.text);
        session_token(&r.headers).expect("session cookie")
    }

    /// Creates an invitation as `cookie` and returns it.
    pub async fn create(&self, cookie: &str, body: Value) -> Value {
        let r = self.post("/api/v1/invitations", Some(cookie), body).await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body
    }

    pub fn is_postgres(&self) -> bool {
        self.db_url.starts_with("postgres")
    }

    /// What an attacker with the database file would do first: remove the append-only guard.
    pub async fn drop_audit_guards(&self) {
        let sql: &[&str] = if self.is_postgres() {
            &["DROP TRIGGER audit_events_no_change ON audit_events"]
        } else {
            &[
                "DROP TRIGGER audit_events_no_update",
                "DROP TRIGGER audit_events_no_delete",
            ]
        };
        for s in sql {
            sqlx::query(sqlx::AssertSqlSafe(*s))
                .execute(&self.core.db.pool)
                .await
                .unwrap();
        }
    }

    pub async fn audit_count(&self, action: &str) -> i64 {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1")
            .bind(action)
            .fetch_one(&self.core.db.pool)
            .await
            .unwrap();
        onboard::db::col(&row, "n").unwrap()
    }
}

/// Where a redirect points.
pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v: &HeaderValue| v.to_str().ok())
        .find_map(|v| v.strip_prefix("onboard_session="))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .filter(|v| !v.is_empty())
}

pub async fn into_resp(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        body,
        text,
    }
}

/// A loopback port nothing listens on (for servers the tests start themselves).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
