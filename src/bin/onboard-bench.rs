//! onboard-bench: fills a database at scale (batched inserts) and measures the release server
//! under load. Prints a table, then one JSON object as its last line.
//!
//! `onboard-bench --codes 1000000` (make bench), `--codes 100000` (make bench-quick).
//! `BENCH_DATABASE_URL=postgres://…/db` benchmarks PostgreSQL (the database is emptied first).

use clap::Parser;
use onboard::clock::Clock;
use onboard::config::Config;
use onboard::db::Db;
use onboard::services::invitations::new_code;
use onboard::services::Core;
use serde_json::json;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const DIVISIONS: i64 = 200;
const PASSWORD: &str = "bench-password-1234";

#[derive(Parser)]
struct Args {
    /// Invitations to seed.
    #[arg(long, default_value_t = 100_000)]
    codes: i64,
    /// Database to fill; a temp SQLite file by default.
    #[arg(long, env = "BENCH_DATABASE_URL")]
    database_url: Option<String>,
    /// Fewer requests per measurement (the smoke test in `make test`).
    #[arg(long)]
    smoke: bool,
    /// The built site (for WASM sizes and the server).
    #[arg(long, default_value = "target/site")]
    site: PathBuf,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

async fn reset(url: &str) -> anyhow::Result<()> {
    if url.starts_with("postgres") {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(url).await?;
        sqlx::query("DROP SCHEMA public CASCADE")
            .execute(&pool)
            .await?;
        sqlx::query("CREATE SCHEMA public").execute(&pool).await?;
    }
    Ok(())
}

/// Divisions, users (one password hash reused) and `n` invitations with a realistic status mix.
async fn seed(core: &Core, n: i64) -> anyhow::Result<()> {
    let db = &core.db;
    let now = core.now().timestamp_millis();
    let hash = core.hasher.hash(PASSWORD.into()).await?;
    let mut tx = db.begin_write().await?;
    for d in 1..=DIVISIONS {
        sqlx::query("INSERT INTO divisions (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(d)
            .bind(format!("d{d}"))
            .bind(format!("Division {d}"))
            .bind(now)
            .execute(tx.conn())
            .await?;
    }
    // ids: 1 admin; per division d: manager 1+d, staff 1+D+d, former manager 1+2D+d (disabled).
    let users = |id: i64, name: String, role: &str, div: Option<i64>, disabled: Option<i64>| {
        (id, name, role.to_string(), div, disabled)
    };
    let mut rows = vec![users(1, "admin".into(), "admin", None, None)];
    for d in 1..=DIVISIONS {
        rows.push(users(1 + d, format!("m{d}"), "manager", Some(d), None));
        rows.push(users(
            1 + DIVISIONS + d,
            format!("s{d}"),
            "staff",
            Some(d),
            None,
        ));
        rows.push(users(
            1 + 2 * DIVISIONS + d,
            format!("former{d}"),
            "manager",
            Some(d),
            Some(now),
        ));
    }
    for (id, name, role, div, disabled) in rows {
        sqlx::query(
            "INSERT INTO users (id, username, password_hash, role, division_id, disabled_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(name)
        .bind(&hash)
        .bind(role)
        .bind(div)
        .bind(disabled)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await?;
    if db.backend == onboard::db::Backend::Postgres {
        for t in ["divisions", "users"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))"
            )))
            .execute(&db.pool)
            .await?;
        }
    }

    const BATCH: i64 = 1000;
    let day = 86_400_000i64;
    let mut i = 0i64;
    while i < n {
        let end = (i + BATCH).min(n);
        let mut sql = String::from(
            "INSERT INTO invitations (code, email, role, division_id, created_by, created_at, expires_at, \
             used_by, used_at, revoked_by, revoked_at) VALUES ",
        );
        let mut p = onboard::db::sql::Params::default();
        for k in i..end {
            let d = k % DIVISIONS + 1;
            let created = now - (n - k) * 1000;
            let (creator, expires, used_by, used_at, revoked_by, revoked_at) = match k % 20 {
                0..=11 => (1 + d, now + (1 + k % 30) * day, None, None, None, None),
                12..=15 => (
                    1 + d,
                    now + 7 * day,
                    Some(1 + DIVISIONS + d),
                    Some(created + 3_600_000),
                    None,
                    None,
                ),
                16 | 17 => (1 + d, now - day, None, None, None, None),
                18 => (
                    1 + d,
                    now + 7 * day,
                    None,
                    None,
                    Some(1),
                    Some(created + 60_000),
                ),
                _ => (1 + 2 * DIVISIONS + d, now + 7 * day, None, None, None, None),
            };
            let email = (k % 3 == 0).then(|| format!("person{k}@example.com"));
            if k > i {
                sql.push(',');
            }
            let ph = [
                p.text(new_code().as_str()),
                match email {
                    Some(e) => p.text(e),
                    None => "NULL".into(),
                },
                p.text("staff"),
                p.int(d),
                p.int(creator),
                p.int(created),
                p.int(expires),
                used_by.map(|v| p.int(v)).unwrap_or_else(|| "NULL".into()),
                used_at.map(|v| p.int(v)).unwrap_or_else(|| "NULL".into()),
                revoked_by
                    .map(|v| p.int(v))
                    .unwrap_or_else(|| "NULL".into()),
                revoked_at
                    .map(|v| p.int(v))
                    .unwrap_or_else(|| "NULL".into()),
            ];
            sql.push('(');
            sql.push_str(&ph.join(", "));
            sql.push(')');
        }
        let mut tx = db.begin_write().await?;
        p.bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        i = end;
    }
    // Some audit history (hash-chained, so appended one by one in one transaction).
    let mut tx = db.begin_write().await?;
    for k in 0..(n / 20).min(50_000) {
        onboard::audit::append(
            db,
            tx.conn(),
            core.now(),
            onboard::audit::NewEvent::new("invitation.created")
                .actor(format!("m{}", k % DIVISIONS + 1))
                .division(Some(format!("d{}", k % DIVISIONS + 1)))
                .invitation(k + 1),
        )
        .await?;
    }
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(&db.pool).await?;
    Ok(())
}

fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| (kb / 1024.0 * 10.0).round() / 10.0)
        .unwrap_or(0.0)
}

struct Server {
    child: std::process::Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_server(db_url: &str, site: &std::path::Path) -> anyhow::Result<Server> {
    let exe = std::env::current_exe()?.with_file_name("onboard");
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut child = std::process::Command::new(exe)
        .arg("serve")
        .env("DATABASE_URL", db_url)
        .env("ONBOARD_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site)
        .env("ONBOARD_REDEEM_CHECK_MAX", "1000000000")
        .env("ONBOARD_REDEEM_MAX_FAILURES", "1000000000")
        .env("RUST_LOG", "error")
        .spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await {
            if r.status().is_success() {
                return Ok(Server { child, base });
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    anyhow::bail!("the server did not become ready")
}

async fn login(client: &reqwest::Client, base: &str, user: &str) -> anyhow::Result<String> {
    let r = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await?;
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("login of {user} failed: {}", r.status()))?
        .to_string();
    Ok(cookie)
}

/// Runs `n` requests on `conc` workers; returns sorted latencies and the wall time.
async fn load<F, Fut>(n: usize, conc: usize, f: F) -> (Vec<Duration>, Duration)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let f = Arc::new(f);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conc {
        let (f, next) = (f.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let t = Instant::now();
                let ok = f(i).await;
                assert!(ok, "request {i} failed");
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::with_capacity(n);
    for t in tasks {
        all.extend(t.await.expect("worker"));
    }
    let wall = start.elapsed();
    all.sort();
    (all, wall)
}

/// A manager's list page: status filter and counts, cycling through 20 pages.
fn list_url(base: &str, i: usize) -> String {
    format!(
        "{base}/api/v1/invitations?status=active&per_page=50&page={}",
        i % 20 + 1
    )
}

fn brotli_size(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params);
    out.len()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let scale = if args.smoke { 10 } else { 1 };
    let dir = tempfile_dir()?;
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.display()));
    let backend = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    reset(&url).await?;
    let t = Instant::now();
    {
        let config = Config::with(&url, &[])?;
        let db = Db::connect(&url, 4).await?;
        db.migrate().await?;
        let core = Core::new(db, config, Clock::default());
        seed(&core, args.codes).await?;
        core.db.pool.close().await;
    }
    let seed_s = t.elapsed().as_secs_f64();
    eprintln!("seeded {} invitations in {seed_s:.1} s", args.codes);

    let server = start_server(&url, &args.site).await?;
    let pid = server.child.id();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let manager = login(&client, &server.base, "m1").await?;
    let admin = login(&client, &server.base, "admin").await?;
    let rss_idle = rss_mb(pid);
    let peak = Arc::new(AtomicU64::new(0));
    let sampling = Arc::new(AtomicBool::new(true));
    {
        let (peak, sampling) = (peak.clone(), sampling.clone());
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                peak.fetch_max((rss_mb(pid) * 10.0) as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
    }
    let base = Arc::new(server.base.clone());

    let get = |client: reqwest::Client, url: String, cookie: String| async move {
        client
            .get(url)
            .header("cookie", cookie)
            .send()
            .await
            .map(|r| r.status().is_success())
            .unwrap_or(false)
    };

    // Manager's list: status filter + counts, concurrency 8.
    let (c, b, m) = (client.clone(), base.clone(), manager.clone());
    let (list, _) = load(2000 / scale, 8, move |i| {
        get(c.clone(), list_url(&b, i), m.clone())
    })
    .await;

    // Admin search across all divisions.
    let (c, b, a) = (client.clone(), base.clone(), admin.clone());
    let (search, _) = load(200 / scale, 1, move |i| {
        let q = ["person12", "7@example", "person99", "rson4"][i % 4];
        get(
            c.clone(),
            format!("{b}/api/v1/invitations?q={q}&per_page=50"),
            a.clone(),
        )
    })
    .await;

    // Server-rendered dashboard with 50 rows.
    let (c, b, m) = (client.clone(), base.clone(), manager.clone());
    let (ssr, _) = load(300 / scale, 1, move |_| {
        get(c.clone(), format!("{b}/invitations?per_page=50"), m.clone())
    })
    .await;

    // Creates (each with its audit row, committed).
    let post = |client: reqwest::Client, url: String, cookie: String| async move {
        client
            .post(url)
            .header("cookie", cookie)
            .json(&json!({}))
            .send()
            .await
            .map(|r| r.status().as_u16() == 201)
            .unwrap_or(false)
    };
    let (c, b, m) = (client.clone(), base.clone(), manager.clone());
    let (_, create_wall) = load(1000 / scale, 1, move |_| {
        post(c.clone(), format!("{b}/api/v1/invitations"), m.clone())
    })
    .await;
    let creates = 1000 / scale;
    let (c, b, m) = (client.clone(), base.clone(), manager.clone());
    let (_, create8_wall) = load(2000 / scale, 8, move |_| {
        post(c.clone(), format!("{b}/api/v1/invitations"), m.clone())
    })
    .await;
    let creates8 = 2000 / scale;

    // Code validity checks (public, rate limit raised).
    let codes: Vec<String> = {
        let r: serde_json::Value = client
            .get(format!(
                "{}/api/v1/invitations?per_page=200&status=active",
                server.base
            ))
            .header("cookie", &manager)
            .send()
            .await?
            .json()
            .await?;
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_string())
            .collect()
    };
    let codes = Arc::new(codes);
    let (c, b, cs) = (client.clone(), base.clone(), codes.clone());
    let checks = 10_000 / scale;
    let (_, validity_wall) = load(checks, 8, move |i| {
        get(
            c.clone(),
            format!("{b}/api/v1/redeem/{}", cs[i % cs.len()]),
            String::new(),
        )
    })
    .await;

    // Redemptions (argon2 on the bounded blocking pool) while managers keep listing.
    let redeem_n = (codes.len()).min(120 / scale.min(4));
    let (c, b, cs) = (client.clone(), base.clone(), codes.clone());
    let redeem_task = tokio::spawn(load(redeem_n, 4, move |i| {
        let (c, url, code) = (c.clone(), format!("{b}/api/v1/redeem"), cs[i].clone());
        async move {
            c.post(url)
                .json(&json!({"code": code, "username": format!("bench{i}"), "password": "a long and unusual pass"}))
                .send()
                .await
                .map(|r| r.status().as_u16() == 201)
                .unwrap_or(false)
        }
    }));
    let (c, b, m) = (client.clone(), base.clone(), manager.clone());
    let (during, _) = load(600 / scale, 8, move |i| {
        get(c.clone(), list_url(&b, i), m.clone())
    })
    .await;
    let (_, redeem_wall) = redeem_task.await?;
    sampling.store(false, Ordering::Relaxed);
    let rss_load = peak.load(Ordering::Relaxed) as f64 / 10.0;

    let pkg = args.site.join("pkg");
    let wasm = std::fs::read(pkg.join("onboard.wasm")).unwrap_or_default();
    let js = std::fs::read(pkg.join("onboard.js")).unwrap_or_default();
    let wasm_bytes = wasm.len() + js.len();
    let wasm_brotli_kb = ((brotli_size(&wasm) + brotli_size(&js)) as f64 / 1024.0).round();

    let per_s = |n: usize, d: Duration| (n as f64 / d.as_secs_f64()).round();
    let result = json!({
        "backend": backend,
        "codes": args.codes,
        "seed_s": (seed_s * 10.0).round() / 10.0,
        "list_p50_ms": ms(pct(&list, 0.50)),
        "list_p99_ms": ms(pct(&list, 0.99)),
        "admin_search_p99_ms": ms(pct(&search, 0.99)),
        "ssr_p50_ms": ms(pct(&ssr, 0.50)),
        "create_per_s": per_s(creates, create_wall),
        "create_c8_per_s": per_s(creates8, create8_wall),
        "validity_per_s": per_s(checks, validity_wall),
        "redeem_per_s": per_s(redeem_n, redeem_wall),
        "list_p99_during_redeem_ms": ms(pct(&during, 0.99)),
        "wasm_bytes": wasm_bytes,
        "wasm_brotli_kb": wasm_brotli_kb,
        "rss_idle_mb": rss_idle,
        "rss_load_mb": rss_load,
    });
    println!(
        "onboard benchmark — {backend}, {} codes over {DIVISIONS} divisions",
        args.codes
    );
    println!("{:<28} {:>12}", "metric", "value");
    for (k, v) in result.as_object().unwrap() {
        println!("{k:<28} {v:>12}");
    }
    println!("{result}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("onboard-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
