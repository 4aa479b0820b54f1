//! Use cases. One function per use case: check policy, run the transaction, write the audit
//! row. Entry points (REST handlers, server functions, form handlers) only translate to and from
//! these. Services never import `api`, `server_fns` or `app`.

pub mod admin;
pub mod audit_log;
pub mod auth;
pub mod bulk;
pub mod invitations;
pub mod outbox;
pub mod redeem;

use crate::auth::{Hasher, SessionPolicy};
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::domain::DomainError;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// Everything a use case needs: the database, configuration, the clock and the hasher.
#[derive(Clone)]
pub struct Core(Arc<CoreInner>);

pub struct CoreInner {
    pub db: Db,
    pub config: Config,
    pub clock: Clock,
    pub hasher: Hasher,
    /// Wakes this instance's outbox worker when a message is queued.
    pub outbox_wake: tokio::sync::Notify,
}

impl std::ops::Deref for Core {
    type Target = CoreInner;
    fn deref(&self) -> &CoreInner {
        &self.0
    }
}

impl Core {
    pub fn new(db: Db, config: Config, clock: Clock) -> Self {
        // Leave one core to everything else, so a burst of redemptions (argon2 is deliberately
        // slow) cannot starve list and page requests.
        let permits = std::thread::available_parallelism()
            .map(|n| n.get().saturating_sub(1).max(1))
            .unwrap_or(1);
        // The audit key is part of the database's identity: without it nothing verifies.
        // (`cli::open` loads it first to report a failure as an error; tests come here.)
        let db = if db.audit_keys.current.is_some() {
            db
        } else {
            let keys = crate::audit::load_keys(&config).unwrap_or_else(|e| {
                panic!("onboard cannot start without its audit key: {e:#}");
            });
            db.with_audit_keys(keys)
        };
        Core(Arc::new(CoreInner {
            db,
            config,
            clock,
            hasher: Hasher::new(permits),
            outbox_wake: tokio::sync::Notify::new(),
        }))
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn session_policy(&self) -> SessionPolicy {
        SessionPolicy {
            idle: Duration::minutes(self.config.session_idle_minutes),
            absolute: Duration::hours(self.config.session_absolute_hours),
        }
    }
}

/// How often this instance purges expired sessions and stale rate-limit counters.
pub const HOUSEKEEPING_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Deletes sessions past their absolute expiry and rate-limit counters quiet for a day. Safe
/// on any number of instances at once (plain conditional deletes).
pub async fn purge_expired(core: &Core) -> Result<(u64, u64), sqlx::Error> {
    let now = core.now();
    let sessions = crate::auth::purge_sessions(&core.db, now, core.session_policy()).await?;
    let counters = rate_limit::purge(&core.db, now - Duration::days(1)).await?;
    Ok((sessions, counters))
}

/// Runs [`purge_expired`] now and then every [`HOUSEKEEPING_EVERY`].
pub fn spawn_housekeeping(core: Core) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(HOUSEKEEPING_EVERY);
        loop {
            tick.tick().await;
            match purge_expired(&core).await {
                Ok((s, c)) if s + c > 0 => {
                    tracing::info!(sessions = s, counters = c, "purged expired rows")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "housekeeping failed; retrying later"),
            }
        }
    });
}

/// Where a request came from (for rate limits and the audit trail).
#[derive(Clone, Debug, Default)]
pub struct ClientMeta {
    pub addr: Option<String>,
    /// The language the person uses (cookie, else `Accept-Language`), e.g. for the email an
    /// invitation they create sends.
    pub lang: crate::domain::Lang,
}

/// Logs an unexpected failure once, here where it is handled, and hides its details.
pub fn internal<E: std::fmt::Display>(e: E) -> DomainError {
    tracing::error!(error = %e, "unexpected failure");
    DomainError::Internal
}

pub type Outcome<T> = Result<T, DomainError>;

/// Fixed-window counters in the database, so every instance sees the same limits.
pub mod rate_limit {
    use crate::db::{col, Db};
    use chrono::{DateTime, Utc};

    /// `Err(seconds)` when `bucket` already has `limit` hits in the current window.
    pub async fn check(
        db: &Db,
        bucket: &str,
        limit: i64,
        window_secs: i64,
        now: DateTime<Utc>,
    ) -> Result<Result<(), u64>, sqlx::Error> {
        let row = sqlx::query("SELECT window_start, count FROM rate_limits WHERE bucket = $1")
            .bind(bucket)
            .fetch_optional(&db.pool)
            .await?;
        if let Some(row) = row {
            let start: i64 = col(&row, "window_start")?;
            let count: i64 = col(&row, "count")?;
            let end = start + window_secs * 1000;
            if end > now.timestamp_millis() && count >= limit {
                let secs = ((end - now.timestamp_millis()) as u64)
                    .div_ceil(1000)
                    .max(1);
                return Ok(Err(secs));
            }
        }
        Ok(Ok(()))
    }

    /// Counts one hit and, when that makes more than `limit` in the current window, answers
    /// `Err(seconds until the window ends)`. One statement, so it costs one write.
    pub async fn hit_within(
        conn: &mut sqlx::AnyConnection,
        bucket: &str,
        limit: i64,
        window_secs: i64,
        now: DateTime<Utc>,
    ) -> Result<Result<(), u64>, sqlx::Error> {
        let (count, start) = upsert(conn, bucket, window_secs, now).await?;
        if count > limit {
            return Ok(Err(secs_until(
                start + window_secs * 1000,
                now.timestamp_millis(),
            )));
        }
        Ok(Ok(()))
    }

    /// Counts one hit; returns the count in the current window.
    pub async fn hit(
        conn: &mut sqlx::AnyConnection,
        bucket: &str,
        window_secs: i64,
        now: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        Ok(upsert(conn, bucket, window_secs, now).await?.0)
    }

    async fn upsert(
        conn: &mut sqlx::AnyConnection,
        bucket: &str,
        window_secs: i64,
        now: DateTime<Utc>,
    ) -> Result<(i64, i64), sqlx::Error> {
        let now_ms = now.timestamp_millis();
        let row = sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
               count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END, \
               window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END \
             RETURNING count, window_start",
        )
        .bind(bucket)
        .bind(now_ms)
        .bind(now_ms - window_secs * 1000)
        .fetch_one(conn)
        .await?;
        Ok((col(&row, "count")?, col(&row, "window_start")?))
    }

    /// The longest a lock-out grows to.
    const MAX_LOCK_SECS: i64 = 24 * 3600;

    /// A lock-out counter: counts one attempt and refuses it when it is past `limit` in the
    /// window. Passing the limit locks the bucket for the window, and each further lock-out
    /// doubles that (up to a day), until [`clear`] resets it (a successful login). Taken before
    /// the expensive check, with the row locked, so a burst cannot slip past the limit.
    pub async fn lockout(
        conn: &mut sqlx::AnyConnection,
        backend: crate::db::Backend,
        bucket: &str,
        limit: i64,
        window_secs: i64,
        now: DateTime<Utc>,
    ) -> Result<Result<(), u64>, sqlx::Error> {
        let now_ms = now.timestamp_millis();
        sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 0) \
             ON CONFLICT (bucket) DO NOTHING",
        )
        .bind(bucket)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
        let lock = match backend {
            crate::db::Backend::Postgres => " FOR UPDATE",
            crate::db::Backend::Sqlite => "",
        };
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT window_start, count, strikes, locked_until FROM rate_limits \
             WHERE bucket = $1{lock}"
        )))
        .bind(bucket)
        .fetch_one(&mut *conn)
        .await?;
        let locked_until: i64 = col(&row, "locked_until")?;
        if locked_until > now_ms {
            return Ok(Err(secs_until(locked_until, now_ms)));
        }
        let mut start: i64 = col(&row, "window_start")?;
        let mut count: i64 = col(&row, "count")?;
        let mut strikes: i64 = col(&row, "strikes")?;
        if start + window_secs * 1000 <= now_ms {
            start = now_ms;
            count = 0;
        }
        count += 1;
        let mut verdict = Ok(());
        let mut locked = 0;
        if count > limit {
            strikes += 1;
            let secs = (window_secs << (strikes - 1).min(20)).min(MAX_LOCK_SECS);
            locked = now_ms + secs * 1000;
            verdict = Err(secs_until(locked, now_ms));
            start = now_ms;
            count = 0;
        }
        sqlx::query(
            "UPDATE rate_limits SET window_start = $1, count = $2, strikes = $3, \
             locked_until = $4 WHERE bucket = $5",
        )
        .bind(start)
        .bind(count)
        .bind(strikes)
        .bind(locked)
        .bind(bucket)
        .execute(&mut *conn)
        .await?;
        Ok(verdict)
    }

    fn secs_until(end_ms: i64, now_ms: i64) -> u64 {
        ((end_ms - now_ms).max(0) as u64).div_ceil(1000).max(1)
    }

    /// Gives back one hit taken before a check that then succeeded (the limit counts failures).
    pub async fn refund(conn: &mut sqlx::AnyConnection, bucket: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE rate_limits SET count = count - 1 WHERE bucket = $1 AND count > 0")
            .bind(bucket)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Deletes counters quiet since `older_than` (run on a schedule, with a day's margin): a
    /// row matters while its window or its lock-out lasts, and strikes are forgiven after a
    /// quiet day.
    pub async fn purge(db: &Db, older_than: DateTime<Utc>) -> Result<u64, sqlx::Error> {
        let cutoff = older_than.timestamp_millis();
        let done =
            sqlx::query("DELETE FROM rate_limits WHERE window_start < $1 AND locked_until < $1")
                .bind(cutoff)
                .execute(&db.pool)
                .await?;
        Ok(done.rows_affected())
    }

    /// Deletes every bucket whose name starts with `prefix` (lifting an account's lock-outs).
    pub async fn clear_prefix(
        conn: &mut sqlx::AnyConnection,
        prefix: &str,
    ) -> Result<u64, sqlx::Error> {
        // A plain prefix comparison rather than LIKE, so `_` and `%` match only themselves.
        let done = sqlx::query(
            "DELETE FROM rate_limits WHERE SUBSTR(bucket, 1, CAST($2 AS INTEGER)) = $1",
        )
        .bind(prefix)
        .bind(prefix.chars().count() as i64)
        .execute(conn)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn clear(conn: &mut sqlx::AnyConnection, bucket: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM rate_limits WHERE bucket = $1")
            .bind(bucket)
            .execute(conn)
            .await?;
        Ok(())
    }
}
