//! API tokens: stored as hashes, listed by name, revoked rather than deleted.

use super::users::{map_actor, USER_COLUMNS, USER_FROM};
use super::{col, Conn, Result};
use crate::clock::from_ms;
use crate::domain::Actor;
use chrono::{DateTime, Utc};

/// An API token as listed (never the token itself).
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
}

/// The enabled user holding an unrevoked token.
pub async fn actor(c: &mut Conn, token_hash: &str) -> Result<Option<Actor>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} {USER_FROM} JOIN api_tokens t ON t.user_id = u.id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(token_hash)
        .fetch_optional(c)
        .await?
        .map(|r| map_actor(&r, None))
        .transpose()
}

pub async fn insert(
    c: &mut Conn,
    token_hash: &str,
    user_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO api_tokens (token_hash, user_id, name, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(name)
    .bind(now.timestamp_millis())
    .fetch_one(c)
    .await?;
    col(&row, "id")
}

/// One user's tokens, oldest first.
pub async fn list_for(c: &mut Conn, user_id: i64) -> Result<Vec<TokenInfo>> {
    sqlx::query(
        "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(TokenInfo {
            id: col(r, "id")?,
            name: col(r, "name")?,
            created_at: from_ms(col(r, "created_at")?),
            revoked: col::<Option<i64>>(r, "revoked_at")?.is_some(),
        })
    })
    .collect()
}

/// Revokes one of `user_id`'s live tokens; false when there is no such token.
pub async fn revoke(c: &mut Conn, id: i64, user_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 \
         AND revoked_at IS NULL",
    )
    .bind(now.timestamp_millis())
    .bind(id)
    .bind(user_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every live token of a user (the account was disabled).
pub async fn revoke_all_for(c: &mut Conn, user_id: i64, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now.timestamp_millis())
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}
