//! One-time password-reset links: stored as hashes, valid until used or expired; a new link
//! for a user replaces the ones before it.

use super::{col, Conn, Result};
use chrono::{DateTime, Utc};

/// Stores a new link for `user_id`, ending every earlier unused one.
pub async fn insert(
    c: &mut Conn,
    token_hash: &str,
    user_id: i64,
    created_by: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now.timestamp_millis())
        .bind(user_id)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(created_by)
    .bind(now.timestamp_millis())
    .bind(expires_at.timestamp_millis())
    .execute(c)
    .await?;
    Ok(())
}

/// The user a live link (unused, unexpired at `now`) belongs to.
pub async fn user_for(c: &mut Conn, token_hash: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
    sqlx::query(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL \
         AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now.timestamp_millis())
    .fetch_optional(c)
    .await?
    .map(|r| col(&r, "user_id"))
    .transpose()
}

/// Uses a live link up; false when it was used (or expired) meanwhile.
pub async fn use_up(c: &mut Conn, token_hash: &str, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1",
    )
    .bind(now.timestamp_millis())
    .bind(token_hash)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every live link of a user (the account was disabled).
pub async fn end_for(c: &mut Conn, user_id: i64, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now.timestamp_millis())
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}
