//! Use cases. One function per use case: ask the policy, run the transaction, write the audit
//! row. The statements themselves are the repository's (`crate::db`); a service holds no SQL.
//! Entry points (REST handlers, server functions, form handlers) only translate to and from
//! these. Services import `domain`, `db`, `audit` and `auth`; never `api`, `server_fns`, `web`
//! or `app`, and no service imports a service that imports it.

pub mod access;
pub mod admin;
pub mod audit_log;
pub mod auth;
pub mod bulk;
pub mod invitations;
pub mod mail;
pub mod oidc;
pub mod outbox;
pub mod people;
pub mod redeem;
pub mod settings;
pub mod throttle;
pub mod tokens;
pub mod webhooks;

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
    /// This instance's in-memory limit on public code checks (see [`throttle`]).
    pub check_limiter: throttle::CheckLimiter,
    /// Wakes this instance's webhook worker (a ping to send now).
    pub webhook_wake: tokio::sync::Notify,
    /// The organisation's OpenID Connect provider, when one is configured.
    pub oidc: Option<oidc::Provider>,
    /// This instance's limit on sign-ins through the provider, per address.
    pub oidc_limiter: throttle::CheckLimiter,
    /// Single creates waiting to share a write transaction (group commit).
    pub creates: invitations::group::Group,
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
        let check_limiter = throttle::CheckLimiter::new(config.redeem_check_max);
        // `cli::open` reports a malformed provider setting before a server starts.
        let oidc = oidc::Provider::from_config(&config).unwrap_or_else(|e| {
            tracing::error!(error = %e, "OpenID Connect sign-in is off");
            None
        });
        Core(Arc::new(CoreInner {
            db,
            config,
            clock,
            hasher: Hasher::new(permits),
            outbox_wake: tokio::sync::Notify::new(),
            check_limiter,
            webhook_wake: tokio::sync::Notify::new(),
            oidc,
            oidc_limiter: throttle::CheckLimiter::new(oidc::PER_MINUTE as i64),
            creates: Default::default(),
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
pub async fn purge_expired(core: &Core) -> crate::db::Result<(u64, u64)> {
    let now = core.now();
    let sessions = crate::auth::purge_sessions(&core.db, now, core.session_policy()).await?;
    let counters =
        crate::db::rate_limits::purge(&mut *core.db.conn().await?, now - Duration::days(1)).await?;
    Ok((sessions, counters))
}

/// How often this instance moves newly expired codes in the status tally (reads correct for the
/// codes not moved yet, so this bounds their work, not their accuracy).
pub const TALLY_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Flags the open codes whose expiry passed as counted expired, a bounded batch per write
/// transaction so the writer is never held long, then folds PostgreSQL's tally rows. Safe on
/// any number of instances at once. Returns how many codes it flagged.
pub async fn keep_tally(core: &Core) -> crate::db::Result<u64> {
    const BATCH: i64 = 2000;
    let mut flagged = 0;
    loop {
        let mut tx = core.db.begin_write().await?;
        let n = crate::db::invitations::tally::sweep(tx.conn(), core.now(), BATCH).await?;
        tx.commit().await?;
        flagged += n;
        if (n as i64) < BATCH {
            break;
        }
    }
    // One statement, atomic by itself: no write transaction (on SQLite, no writer lock for
    // what is a no-op there).
    crate::db::invitations::tally::fold(&mut *core.db.conn().await?, core.db.backend).await?;
    Ok(flagged)
}

/// How often this instance indexes the codes created since for search (SQLite; a search finds
/// them meanwhile by reading them, so this bounds that work, not what a search finds).
pub const SEARCH_INDEX_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Puts every code the search index does not hold yet into it, a bounded batch per write
/// transaction so the writer is never held long (see `db::invitations::search`); a no-op
/// without taking the writer when there is none, and on PostgreSQL. Returns how many.
pub async fn index_new_codes(core: &Core) -> crate::db::Result<u64> {
    use crate::db::invitations::search;
    const BATCH: i64 = 2000;
    let backend = core.db.backend;
    if !search::behind(&mut *core.db.conn().await?, backend).await? {
        return Ok(0);
    }
    let mut indexed = 0;
    loop {
        let mut tx = core.db.begin_write().await?;
        let n = search::catch_up(tx.conn(), backend, BATCH).await?;
        tx.commit().await?;
        indexed += n;
        if (n as i64) < BATCH {
            return Ok(indexed);
        }
    }
}

/// Runs [`purge_expired`] now and then every [`HOUSEKEEPING_EVERY`], [`keep_tally`] every
/// [`TALLY_EVERY`], [`index_new_codes`] every [`SEARCH_INDEX_EVERY`] (SQLite), and makes the
/// code-check limiter forget quiet addresses every minute.
pub fn spawn_housekeeping(core: Core) {
    if core.db.backend == crate::db::Backend::Sqlite {
        let search = core.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SEARCH_INDEX_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = index_new_codes(&search).await {
                    tracing::warn!(error = %e, "search indexing failed; retrying later");
                }
            }
        });
    }
    // An address's bucket is full again a minute after its last check, so forgetting every
    // minute keeps only the last minute's clients: a flood from many addresses cannot grow
    // the map for the ten minutes between purges.
    let limiter = core.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.check_limiter.forget_idle();
            limiter.oidc_limiter.forget_idle();
        }
    });
    let tally = core.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TALLY_EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = keep_tally(&tally).await {
                tracing::warn!(error = %e, "status tally upkeep failed; retrying later");
            }
        }
    });
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
