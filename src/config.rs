//! Configuration from the environment (documented in README.md).

use std::net::{IpAddr, SocketAddr};

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    /// Origin used for links, the same-origin check and the cookie's Secure flag.
    pub public_url: url::Url,
    pub log_json: bool,
    /// Peers whose `X-Forwarded-For` is believed. `None` = trust nobody; `Some(empty)` = everyone.
    pub trusted_proxies: Option<Vec<IpAddr>>,
    pub max_expiry_days: i64,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub login_max_failures_per_account: i64,
    pub login_max_failures_per_address: i64,
    /// Every login attempt from one address, successful ones too.
    pub login_max_attempts_per_address: i64,
    pub login_window_secs: i64,
    pub redeem_max_failures: i64,
    pub redeem_window_secs: i64,
    pub redeem_check_max: i64,
    pub db_max_connections: u32,
    /// `smtp://host:port` (plain), `smtp://...?tls=required` (STARTTLS) or `smtps://` (TLS),
    /// with optional `user:password@`. `None`: messages stay in the outbox (`/admin/outbox`).
    pub smtp_url: Option<String>,
    /// The From header of outgoing mail.
    pub mail_from: String,
    /// How often the outbox worker looks for due messages.
    pub outbox_poll_ms: u64,
    /// Lets webhooks reach private, loopback and link-local addresses (tests, closed networks).
    pub webhook_allow_private: bool,
    /// How often the webhook worker looks for due deliveries.
    pub webhook_poll_ms: u64,
    /// How often the expiry sweep announces `invitation.expired`.
    pub webhook_sweep_ms: u64,
    /// Sign-in with an OpenID Connect provider: all three, or none.
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: Option<String>,
    pub oidc_client_secret: Option<String>,
    /// The provider's name on the buttons ("Sign in with ...").
    pub oidc_name: String,
    /// The audit chain's key (`ONBOARD_AUDIT_KEY`, at least 32 characters); when unset, one is
    /// generated on first start and kept in `audit_key_file`.
    pub audit_key: Option<String>,
    pub audit_key_file: std::path::PathBuf,
    /// Keys rotated out, still used to verify the rows they sealed.
    pub audit_retired_keys: Vec<String>,
}

/// Beside an SQLite file (`onboard.db` → `onboard.db.audit-key`), else in the working
/// directory.
fn default_key_file(database_url: &str) -> std::path::PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|p| !p.is_empty() && !p.contains(":memory:"));
    match file {
        Some(p) => format!("{p}.audit-key").into(),
        None => "onboard-audit.key".into(),
    }
}

/// The pool's default size. PostgreSQL: 8. SQLite runs its statements on the server's own
/// cores, one thread a connection, so readers beyond twice the cores only add thread switches:
/// on 2 cores at 1M codes, 4 readers (and the writer) against 8 took the list p99 from
/// 7.05-7.22 to 5.40-5.45 ms and the peak memory from 117-122 to 94-97 MB, medians of two
/// rounds of 8 alternated bench runs; 2 readers were slower (README, "Performance").
fn default_connections(database_url: &str, cores: u32) -> u32 {
    if database_url.starts_with("sqlite:") {
        (2 * cores).max(4)
    } else {
        8
    }
}

fn available_cores() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}

type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

fn env_or(env: Lookup, key: &str, default: &str) -> String {
    env(key)
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn env_num<T: std::str::FromStr>(env: Lookup, key: &str, default: T) -> anyhow::Result<T> {
    match env(key) {
        Some(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{key} must be a number, got {v:?}")),
        _ => Ok(default),
    }
}

/// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` (unset: off).
fn env_flag(env: Lookup, key: &str) -> anyhow::Result<bool> {
    match env(key).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(false),
        Some(v) => match v.as_str() {
            "" | "0" | "false" | "no" | "off" => Ok(false),
            "1" | "true" | "yes" | "on" => Ok(true),
            _ => anyhow::bail!("{key} must be 1 or 0, got {v:?}"),
        },
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(&|k| std::env::var(k).ok())
    }

    /// The defaults, with a database URL and overrides given as `(NAME, value)` pairs (tests).
    pub fn with(database_url: &str, overrides: &[(&str, &str)]) -> anyhow::Result<Self> {
        let db = database_url.to_string();
        let pairs: Vec<(String, String)> = overrides
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self::from_lookup(&move |k| {
            if k == "DATABASE_URL" {
                return Some(db.clone());
            }
            pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone())
        })
    }

    fn from_lookup(env: Lookup) -> anyhow::Result<Self> {
        let addr: SocketAddr = env_or(env, "ONBOARD_ADDR", "127.0.0.1:3000")
            .parse()
            .map_err(|e| anyhow::anyhow!("ONBOARD_ADDR must be host:port: {e}"))?;
        let public_url = env_or(env, "ONBOARD_PUBLIC_URL", &format!("http://{addr}"));
        let public_url = url::Url::parse(&public_url)
            .map_err(|e| anyhow::anyhow!("ONBOARD_PUBLIC_URL must be a URL: {e}"))?;
        let trusted_proxies = match env("ONBOARD_TRUSTED_PROXIES") {
            Some(v) if v.trim() == "*" => Some(Vec::new()),
            Some(v) if !v.trim().is_empty() => Some(
                v.split(',')
                    .map(|s| s.trim().parse::<IpAddr>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| anyhow::anyhow!("ONBOARD_TRUSTED_PROXIES: {e}"))?,
            ),
            _ => None,
        };
        let database_url = env_or(env, "DATABASE_URL", "sqlite://onboard.db");
        Ok(Config {
            addr,
            log_json: env_or(env, "ONBOARD_LOG_FORMAT", "text").eq_ignore_ascii_case("json"),
            trusted_proxies,
            max_expiry_days: env_num(env, "ONBOARD_MAX_EXPIRY_DAYS", 90)?,
            session_idle_minutes: env_num(env, "ONBOARD_SESSION_IDLE_MINUTES", 12 * 60)?,
            session_absolute_hours: env_num(env, "ONBOARD_SESSION_ABSOLUTE_HOURS", 7 * 24)?,
            login_max_failures_per_account: env_num(env, "ONBOARD_LOGIN_MAX_FAILURES", 10)?,
            login_max_failures_per_address: env_num(
                env,
                "ONBOARD_LOGIN_MAX_FAILURES_PER_ADDRESS",
                50,
            )?,
            login_max_attempts_per_address: env_num(
                env,
                "ONBOARD_LOGIN_MAX_ATTEMPTS_PER_ADDRESS",
                1000,
            )?,
            login_window_secs: env_num(env, "ONBOARD_LOGIN_WINDOW_SECS", 15 * 60)?,
            redeem_max_failures: env_num(env, "ONBOARD_REDEEM_MAX_FAILURES", 30)?,
            redeem_window_secs: env_num(env, "ONBOARD_REDEEM_WINDOW_SECS", 10 * 60)?,
            redeem_check_max: env_num(env, "ONBOARD_REDEEM_CHECK_MAX", 120)?,
            db_max_connections: env_num(
                env,
                "ONBOARD_DB_MAX_CONNECTIONS",
                default_connections(&database_url, available_cores()),
            )?,
            smtp_url: env("ONBOARD_SMTP_URL").filter(|v| !v.trim().is_empty()),
            mail_from: env_or(
                env,
                "ONBOARD_MAIL_FROM",
                &format!(
                    "onboard <no-reply@{}>",
                    public_url.host_str().unwrap_or("localhost")
                ),
            ),
            outbox_poll_ms: env_num(env, "ONBOARD_OUTBOX_POLL_MS", 2000)?,
            webhook_allow_private: env_flag(env, "ONBOARD_WEBHOOK_ALLOW_PRIVATE")?,
            webhook_poll_ms: env_num(env, "ONBOARD_WEBHOOK_POLL_MS", 1000)?,
            webhook_sweep_ms: env_num(env, "ONBOARD_WEBHOOK_SWEEP_MS", 30_000)?,
            oidc_issuer: env("ONBOARD_OIDC_ISSUER").filter(|v| !v.trim().is_empty()),
            oidc_client_id: env("ONBOARD_OIDC_CLIENT_ID").filter(|v| !v.trim().is_empty()),
            oidc_client_secret: env("ONBOARD_OIDC_CLIENT_SECRET").filter(|v| !v.trim().is_empty()),
            oidc_name: env_or(env, "ONBOARD_OIDC_NAME", "your organisation's account"),
            audit_key: env("ONBOARD_AUDIT_KEY").filter(|v| !v.trim().is_empty()),
            audit_key_file: env("ONBOARD_AUDIT_KEY_FILE")
                .filter(|v| !v.trim().is_empty())
                .map(Into::into)
                .unwrap_or_else(|| default_key_file(&database_url)),
            audit_retired_keys: env("ONBOARD_AUDIT_RETIRED_KEYS")
                .map(|v| {
                    v.split(',')
                        .map(|k| k.trim().to_string())
                        .filter(|k| !k.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            database_url,
            public_url,
        })
    }

    /// The cookie gets `Secure` whenever the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }
}

#[cfg(test)]
mod tests {
    use super::default_connections;

    #[test]
    fn sqlite_reads_with_twice_the_cores_and_postgresql_with_eight() {
        assert_eq!(default_connections("sqlite://onboard.db", 1), 4);
        assert_eq!(default_connections("sqlite://onboard.db", 2), 4);
        assert_eq!(default_connections("sqlite:/data/onboard.db", 8), 16);
        assert_eq!(default_connections("postgres://db/onboard", 2), 8);
        assert_eq!(default_connections("postgresql://db/onboard", 16), 8);
    }
}
