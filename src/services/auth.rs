//! Logging in and out.

use super::{ClientMeta, Core, Outcome};
use crate::audit::{append, append_alone, NewEvent};
use crate::auth::{create_session, delete_session, Actor};
use crate::db::{rate_limits, users};
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
    let mut tx = core.db.begin_write().await?;
    let pair = rate_limits::lockout(
        tx.conn(),
        core.db.backend,
        &b.pair,
        cfg.login_max_failures_per_account,
        cfg.login_window_secs,
        now,
    )
    .await?;
    let failures = rate_limits::hit_within(
        tx.conn(),
        &b.addr_failures,
        cfg.login_max_failures_per_address,
        cfg.login_window_secs,
        now,
    )
    .await?;
    let attempts = rate_limits::hit_within(
        tx.conn(),
        &b.addr_attempts,
        cfg.login_max_attempts_per_address,
        cfg.login_window_secs,
        now,
    )
    .await?;
    tx.commit().await?;
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

    let account = users::by_username(&mut *core.db.conn().await?, &username).await?;
    let (hash, disabled) = match &account {
        Some(a) => (Some(a.password_hash.clone()), a.disabled),
        None => (None, false),
    };
    let verified = core.hasher.verify(password.to_string(), hash).await;

    // The right password is not enough for a role that must use the identity provider.
    let provider_only = match &account {
        Some(a) if verified && !disabled => {
            let required = super::settings::oidc_required(&mut *core.db.conn().await?).await?;
            super::oidc::required_for(core, required, a.user.role)
        }
        _ => false,
    };
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    if provider_only {
        append(
            &core.db,
            tx.conn(),
            now,
            NewEvent::new("login.failed")
                .addr(meta.addr.clone())
                .details(json!({ "username": username, "reason": "oidc_required" })),
        )
        .await?;
        // Not a wrong password: the attempt is given back.
        rate_limits::clear(tx.conn(), &buckets.pair).await?;
        rate_limits::refund(tx.conn(), &buckets.addr_failures).await?;
        tx.commit().await?;
        return Err(DomainError::OidcRequired);
    }
    match (account, verified && !disabled) {
        (Some(account), true) => {
            let user = account.user;
            let token = create_session(tx.conn(), account.id, now, core.session_policy()).await?;
            // The attempt was not a failure after all: the lock-out starts over and the
            // address's failure count gets its hit back.
            rate_limits::clear(tx.conn(), &buckets.pair).await?;
            rate_limits::refund(tx.conn(), &buckets.addr_failures).await?;
            append(
                &core.db,
                tx.conn(),
                now,
                NewEvent::new("login.succeeded")
                    .actor(user.username.clone())
                    .division(user.division.clone())
                    .addr(meta.addr.clone()),
            )
            .await?;
            tx.commit().await?;
            Ok(LoggedIn { user, token })
        }
        (account, _) => {
            let reason = if account.is_none() {
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
            .await?;
            tx.commit().await?;
            Err(DomainError::BadCredentials)
        }
    }
}

/// Lifts every lock-out on one account (the CLI's `admin unlock`, for an owner locked out at
/// their usual address).
pub async fn unlock(core: &Core, username: &str) -> Outcome<u64> {
    let username = text::bounded(Field::Username, username, text::MAX_LOGIN_NAME)?.to_lowercase();
    let mut tx = core.db.begin_write().await?;
    let n = rate_limits::clear_prefix(tx.conn(), &format!("login:fail:{username}@")).await?;
    tx.commit().await?;
    Ok(n)
}

pub async fn logout(core: &Core, actor: &Actor, meta: &ClientMeta) -> Outcome<()> {
    if let Some(session) = &actor.session {
        delete_session(&core.db, session).await?;
    }
    append_alone(
        &core.db,
        core.now(),
        NewEvent::new("logout")
            .actor(actor.username.clone())
            .division(actor.division.clone())
            .addr(meta.addr.clone()),
    )
    .await?;
    Ok(())
}
