//! Logging in and out.

use super::{internal, rate_limit, ClientMeta, Core, Outcome};
use crate::audit::{append, append_alone, NewEvent};
use crate::auth::{create_session, delete_session, Actor};
use crate::db::col;
use crate::db::queries::{map_user, USER_COLUMNS, USER_FROM};
use crate::domain::{text, DomainError, Field, User};
use serde_json::json;

pub struct LoggedIn {
    pub user: User,
    pub token: String,
}

/// The counters one login attempt takes, all before the password is checked.
struct LoginBuckets {
    /// Failures for this account from this address: the lock-out. Per address, so a stranger
    /// elsewhere cannot lock the owner out.
    pair: String,
    /// Failures from this address, over all accounts (guessing many accounts).
    addr_failures: String,
    /// Every attempt from this address, successful ones too.
    addr_attempts: String,
}

impl LoginBuckets {
    fn new(username: &str, addr: Option<&str>) -> Self {
        let addr = addr.unwrap_or("-");
        LoginBuckets {
            pair: format!("login:fail:{username}@{addr}"),
            addr_failures: format!("login:addrfail:{addr}"),
            addr_attempts: format!("login:addr:{addr}"),
        }
    }
}

/// Takes the attempt's counters in one write, before argon2 runs, so of a burst of parallel
/// attempts at most the limit reach the password check.
async fn take_login_counters(core: &Core, b: &LoginBuckets) -> Outcome<()> {
    let cfg = &core.config;
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let pair = rate_limit::lockout(
        tx.conn(),
        core.db.backend,
        &b.pair,
        cfg.login_max_failures_per_account,
        cfg.login_window_secs,
        now,
    )
    .await
    .map_err(internal)?;
    let failures = rate_limit::hit_within(
        tx.conn(),
        &b.addr_failures,
        cfg.login_max_failures_per_address,
        cfg.login_window_secs,
        now,
    )
    .await
    .map_err(internal)?;
    let attempts = rate_limit::hit_within(
        tx.conn(),
        &b.addr_attempts,
        cfg.login_max_attempts_per_address,
        cfg.login_window_secs,
        now,
    )
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    match [pair, failures, attempts]
        .into_iter()
        .filter_map(Result::err)
        .max()
    {
        Some(secs) => Err(DomainError::RateLimited(secs)),
        None => Ok(()),
    }
}

#[tracing::instrument(skip(core, username, password, meta), fields(addr = ?meta.addr))]
pub async fn login(
    core: &Core,
    username: &str,
    password: &str,
    meta: &ClientMeta,
) -> Outcome<LoggedIn> {
    // Bounded before anything is counted, hashed or looked up.
    let username = text::bounded(Field::Username, username, text::MAX_LOGIN_NAME)?.to_lowercase();
    let password = text::password(password)?;
    let buckets = LoginBuckets::new(&username, meta.addr.as_deref());
    take_login_counters(core, &buckets).await?;

    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.username = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&username)
        .fetch_optional(&core.db.pool)
        .await
        .map_err(internal)?;
    let (hash, disabled) = match &row {
        Some(r) => (
            Some(col::<String>(r, "password_hash").map_err(internal)?),
            col::<Option<i64>>(r, "disabled_at")
                .map_err(internal)?
                .is_some(),
        ),
        None => (None, false),
    };
    let verified = core.hasher.verify(password.to_string(), hash).await;

    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    match (&row, verified && !disabled) {
        (Some(row), true) => {
            let user = map_user(row).map_err(internal)?;
            let user_id: i64 = col(row, "id").map_err(internal)?;
            let token = create_session(tx.conn(), user_id, now, core.session_policy())
                .await
                .map_err(internal)?;
            // The attempt was not a failure after all: the lock-out starts over and the
            // address's failure count gets its hit back.
            rate_limit::clear(tx.conn(), &buckets.pair)
                .await
                .map_err(internal)?;
            rate_limit::refund(tx.conn(), &buckets.addr_failures)
                .await
                .map_err(internal)?;
            append(
                &core.db,
                tx.conn(),
                now,
                NewEvent::new("login.succeeded")
                    .actor(user.username.clone())
                    .division(user.division.clone())
                    .addr(meta.addr.clone()),
            )
            .await
            .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
            Ok(LoggedIn { user, token })
        }
        _ => {
            let reason = if row.is_none() {
                "unknown_user"
            } else if disabled {
                "disabled"
            } else {
                "wrong_password"
            };
            append(
                &core.db,
                tx.conn(),
                now,
                NewEvent::new("login.failed")
                    .addr(meta.addr.clone())
                    .details(json!({ "username": username, "reason": reason })),
            )
            .await
            .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
            Err(DomainError::BadCredentials)
        }
    }
}

/// Lifts every lock-out on one account (the CLI's `admin unlock`, for an owner locked out at
/// their usual address).
pub async fn unlock(core: &Core, username: &str) -> Outcome<u64> {
    let username = text::bounded(Field::Username, username, text::MAX_LOGIN_NAME)?.to_lowercase();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let n = rate_limit::clear_prefix(tx.conn(), &format!("login:fail:{username}@"))
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(n)
}

pub async fn logout(core: &Core, actor: &Actor, meta: &ClientMeta) -> Outcome<()> {
    if let Some(session) = &actor.session {
        delete_session(&core.db, session).await.map_err(internal)?;
    }
    append_alone(
        &core.db,
        core.now(),
        NewEvent::new("logout")
            .actor(actor.username.clone())
            .division(actor.division.clone())
            .addr(meta.addr.clone()),
    )
    .await
    .map_err(internal)?;
    Ok(())
}
