//! Measuring the running server: latency percentiles, memory, bytes on the wire.

use crate::seed::PASSWORD;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

pub(crate) fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

pub(crate) fn rss_mb(pid: u32) -> f64 {
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

pub(crate) struct Server {
    pub(crate) child: std::process::Child,
    pub(crate) base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn start_server(db_url: &str, site: &std::path::Path) -> anyhow::Result<Server> {
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

pub(crate) async fn login(
    client: &reqwest::Client,
    base: &str,
    user: &str,
) -> anyhow::Result<String> {
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
pub(crate) async fn load<F, Fut>(n: usize, conc: usize, f: F) -> (Vec<Duration>, Duration)
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
pub(crate) fn list_url(base: &str, i: usize) -> String {
    format!(
        "{base}/api/v1/invitations?status=active&per_page=50&page={}",
        i % 20 + 1
    )
}

pub(crate) fn brotli_size(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params);
    out.len()
}

/// Bytes on the wire for a manager's first dashboard load, as a browser accepting brotli gets
/// them: the page, its stylesheet, its script, the modules the script imports (the lazy pages'
/// loader), every WASM the page preloads (the main module, and the chunks of a lazy page)
/// (`scripts`: all but the page and the stylesheet).
pub(crate) struct FirstLoad {
    pub(crate) total: usize,
    pub(crate) scripts: usize,
}

/// The `/pkg/...` URLs a page's HTML names (stylesheet, module preload, WASM preload).
fn asset_paths(html: &str) -> Vec<String> {
    html.split('"')
        .filter(|s| s.starts_with("/pkg/") && !s.contains(char::is_whitespace))
        .map(str::to_string)
        .collect()
}

/// The relative modules a script imports up front (`from "./x.js"`, or `from"./x.js"` as the
/// minified script writes it), each once.
fn static_imports(js: &str) -> Vec<String> {
    let mut out: Vec<String> = js
        .split("from")
        .skip(1)
        .filter_map(|rest| rest.trim_start().strip_prefix("\"./"))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

pub(crate) async fn served_bytes(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
) -> anyhow::Result<FirstLoad> {
    // `br`: bytes as a browser accepting brotli gets them; `identity`: the text itself.
    let get = |path: String, encoding: &'static str| async move {
        let r = client
            .get(format!("{base}{path}"))
            .header("cookie", cookie)
            .header("accept-encoding", encoding)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
        Ok::<Vec<u8>, anyhow::Error>(r.bytes().await?.to_vec())
    };
    let fetch = |path: String| get(path, "br, gzip");
    // The page names its files (content-hashed in a release build).
    let page = fetch("/invitations".into()).await?;
    let paths = asset_paths(&String::from_utf8_lossy(&page));
    let asset = |ext: &str| {
        paths
            .iter()
            .find(|p| p.ends_with(ext))
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the page names no {ext} file"))
    };
    let css = fetch(asset(".css")?).await?.len();
    let script_path = asset(".js")?;
    let mut scripts = fetch(script_path.clone()).await?.len();
    // What the script imports, read from it uncompressed.
    let plain = get(script_path.clone(), "identity").await?;
    let dir = &script_path[..script_path.rfind('/').unwrap_or(0)];
    let imports = static_imports(&String::from_utf8_lossy(&plain));
    anyhow::ensure!(
        !imports.is_empty(),
        "{script_path} imports no module (the lazy pages' loader is missing)"
    );
    for import in imports {
        scripts += fetch(format!("{dir}/{import}")).await?.len();
    }
    let mut wasm: Vec<&String> = paths.iter().filter(|p| p.ends_with(".wasm")).collect();
    wasm.sort();
    wasm.dedup();
    anyhow::ensure!(!wasm.is_empty(), "the page names no .wasm file");
    for path in wasm {
        scripts += fetch(path.clone()).await?.len();
    }
    let page = page.len();
    Ok(FirstLoad {
        total: page + css + scripts,
        scripts,
    })
}

#[cfg(test)]
mod tests {
    use super::static_imports;

    #[test]
    fn finds_the_modules_a_script_imports_minified_or_not() {
        let generated = r#"import * as a from "./__wasm_split.1.js";
import { b } from "./__wasm_split.1.js";
const from_here = 1; import("./lazy.js");"#;
        assert_eq!(static_imports(generated), ["__wasm_split.1.js"]);
        let minified =
            r#"import*as n from"./__wasm_split.2.js";import{x}from"./other.js";let fromage=1;"#;
        assert_eq!(static_imports(minified), ["__wasm_split.2.js", "other.js"]);
    }
}
