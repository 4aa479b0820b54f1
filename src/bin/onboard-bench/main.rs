//! onboard-bench: fills a database at scale (batched inserts) and measures the release server
//! under load. Prints a table, then one JSON object as its last line.
//!
//! `onboard-bench --codes 1000000` (make bench), `--codes 100000` (make bench-quick).
//! `BENCH_DATABASE_URL=postgres://…/db` benchmarks PostgreSQL (the database is emptied first).

mod load;
mod seed;

use clap::Parser;
use load::*;
use onboard::clock::Clock;
use onboard::config::Config;
use onboard::db::Db;
use onboard::services::Core;
use seed::*;
use serde_json::json;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// Measure a PostgreSQL database an earlier run filled (with the same `--codes`) instead
    /// of emptying and filling it: seeding a million rows there takes minutes. Copy the
    /// filled database first (`CREATE DATABASE run TEMPLATE filled`) so runs start alike.
    #[arg(long, requires = "database_url")]
    seeded: bool,
    /// The built site (for WASM sizes and the server).
    #[arg(long, default_value = "target/site")]
    site: PathBuf,
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
    if !args.seeded {
        reset(&url).await?;
    }
    let t = Instant::now();
    {
        let config = Config::with(&url, &[])?;
        let db = Db::connect(&url, 4).await?;
        db.migrate().await?;
        let core = Core::new(db, config, Clock::default());
        if !args.seeded {
            seed(&core, args.codes).await?;
        }
        core.db.close().await;
    }
    // A `--seeded` run filled nothing.
    let seed_s = if args.seeded {
        0.0
    } else {
        let s = t.elapsed().as_secs_f64();
        eprintln!("seeded {} invitations in {s:.1} s", args.codes);
        s
    };

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

    // Redemptions (argon2 on the hasher's bounded, niced threads) while managers keep listing.
    let redeem_n = (codes.len()).min(120 / scale.min(4));
    // New names on every run: a `--seeded` database keeps the redeemers of the runs before.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs()
        % 1_000_000;
    let (c, b, cs) = (client.clone(), base.clone(), codes.clone());
    let redeem_task = tokio::spawn(load(redeem_n, 4, move |i| {
        let (c, url, code) = (c.clone(), format!("{b}/api/v1/redeem"), cs[i].clone());
        async move {
            c.post(url)
                .json(&json!({"code": code, "username": format!("bench{run}-{i}"), "password": "a long and unusual pass"}))
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
    // `onboard.wasm`, or its content-hashed name in a release site (`hash.txt`).
    let hashes = std::fs::read_to_string(args.site.join("hash.txt")).unwrap_or_default();
    let file = |ext: &str| match onboard::domain::asset::hash_of(&hashes, ext) {
        Some(h) => pkg.join(format!("onboard.{h}.{ext}")),
        None => pkg.join(format!("onboard.{ext}")),
    };
    let wasm = std::fs::read(file("wasm")).unwrap_or_default();
    let js = std::fs::read(file("js")).unwrap_or_default();
    let wasm_bytes = wasm.len() + js.len();
    let wasm_brotli_kb = ((brotli_size(&wasm) + brotli_size(&js)) as f64 / 1024.0).round();
    let first_load = served_bytes(&client, &server.base, &manager).await?;

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
        "wasm_served_kb": (first_load.scripts as f64 / 1024.0).round(),
        "first_load_served_kb": (first_load.total as f64 / 1024.0).round(),
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
