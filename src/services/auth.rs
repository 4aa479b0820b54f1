//! Logging in and out.

use super::{internal, rate_limit, ClientMeta, Core, Outcome};
use crate::audit::{append, append_alone, NewEvent};
use crate::auth::{create_session, delete_session, Actor};
use crate::db::col;
use crate::db::queries::{map_user, USER_COLUMNS, USER_FROM};
use crate::domain::{DomainError, User};
use serde_json::json;

pub struct LoggedIn {
    pub user: User,
    pub token: String,
}

#[tracing::instrument(skip(core, password, meta), fields(addr = ?meta.addr))]
pub async fn login(
    core: &Core,
    username: &str,
    password: &str,
    meta: &ClientMeta,
) -> Outcome<LoggedIn> {
    let now = core.now();
    let cfg = &core.config;
    let username = username.trim().to_lowercase();
    let acct_bucket = format!("login:acct:{username}");
    let addr_bucket = format!("login:addr:{}", meta.addr.as_deref().unwrap_or("-"));
    for (bucket, limit) in [
        (&acct_bucket, cfg.login_max_failures_per_account),
        (&addr_bucket, cfg.login_max_failures_per_address),
    ] {
        if let Err(secs) = rate_limit::check(&core.db, bucket, limit, cfg.login_window_secs, now)
            .await
            .map_err(internal)?
        {
            return Err(DomainError::RateLimited(secs));
        }
    }

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

    let mut tx = core.db.begin_write().await.map_err(internal)?;
    match (&row, verified && !disabled) {
        (Some(row), true) => {
            let user = map_user(row).map_err(internal)?;
            let user_id: i64 = col(row, "id").map_err(internal)?;
            let token = create_session(tx.conn(), user_id, now, core.session_policy())
                .await
                .map_err(internal)?;
            rate_limit::clear(tx.conn(), &acct_bucket)
                .await
                .map_err(internal)?;
            append(
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
            rate_limit::hit(tx.conn(), &acct_bucket, cfg.login_window_secs, now)
                .await
                .map_err(internal)?;
            rate_limit::hit(tx.conn(), &addr_bucket, cfg.login_window_secs, now)
                .await
                .map_err(internal)?;
            let reason = if row.is_none() {
                "unknown_user"
            } else if disabled {
                "disabled"
            } else {
                "wrong_password"
            };
            append(
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
