//! Sessions: one row per signed-in browser, keyed by the hash of its cookie's token.

use super::users::{map_actor, USER_COLUMNS, USER_FROM};
use super::{col, Conn, Result};
use crate::clock::from_ms;
use crate::domain::Actor;
use chrono::{DateTime, Utc};

pub async fn insert(
    c: &mut Conn,
    token_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now.timestamp_millis())
    .bind(expires_at.timestamp_millis())
    .execute(c)
    .await?;
    Ok(())
}

/// A session and the person it belongs to, for the caller to judge its age.
pub struct SessionRow {
    pub actor: Actor,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_disabled: bool,
}

pub async fn find(c: &mut Conn, token_hash: &str) -> Result<Option<SessionRow>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.last_seen_at, s.expires_at AS session_expires \
         {USER_FROM} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(token_hash)
        .fetch_optional(c)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(SessionRow {
        actor: map_actor(&row, Some(token_hash.to_string()))?,
        last_seen_at: from_ms(col(&row, "last_seen_at")?),
        expires_at: from_ms(col(&row, "session_expires")?),
        user_disabled: col::<Option<i64>>(&row, "disabled_at")?.is_some(),
    }))
}

pub async fn touch(c: &mut Conn, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now.timestamp_millis())
        .bind(token_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(c)
        .await?;
    Ok(())
}

/// Ends every session of one user (the account was disabled).
pub async fn delete_for_user(c: &mut Conn, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Deletes sessions past their absolute expiry or not seen since `idle_cutoff`.
pub async fn purge(c: &mut Conn, now: DateTime<Utc>, idle_cutoff: DateTime<Utc>) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now.timestamp_millis())
        .bind(idle_cutoff.timestamp_millis())
        .execute(c)
        .await?;
    Ok(done.rows_affected())
}
