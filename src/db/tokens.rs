//! API tokens: stored as hashes, with their scopes, expiry and last use; revoked rather than
//! deleted.

use super::users::{map_actor, USER_COLUMNS, USER_FROM};
use super::{col, Conn, Result};
use crate::clock::from_ms;
use crate::domain::policy::Scopes;
use crate::domain::Actor;
use chrono::{DateTime, Utc};

pub use crate::domain::TokenInfo;

/// A token's stored scopes; `NULL` (a token from before scopes) is every scope.
fn scopes_of(text: Option<String>) -> Scopes {
    match text {
        Some(t) => Scopes::from_text(&t),
        None => Scopes::of(&crate::domain::policy::Scope::ALL),
    }
}

/// The enabled user holding a live token (unrevoked, unexpired at `now`), with the token's
/// scopes, and the token's id.
pub async fn actor(
    c: &mut Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Actor, i64)>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, t.id AS token_id, t.scopes AS token_scopes {USER_FROM} \
         JOIN api_tokens t ON t.user_id = u.id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL \
         AND (t.expires_at IS NULL OR t.expires_at > $2)"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(token_hash)
        .bind(now.timestamp_millis())
        .fetch_optional(c)
        .await?
    else {
        return Ok(None);
    };
    let mut actor = map_actor(&row, None)?;
    actor.scopes = Some(scopes_of(col(&row, "token_scopes")?));
    Ok(Some((actor, col(&row, "token_id")?)))
}

/// Records a use, at most once a minute per token (a read-mostly path stays read-mostly).
pub async fn touch(c: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<()> {
    let now = now.timestamp_millis();
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 \
         AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(now)
    .bind(id)
    .bind(now - 60_000)
    .execute(c)
    .await?;
    Ok(())
}

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub name: &'a str,
    pub scopes: Scopes,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(c: &mut Conn, t: &NewToken<'_>) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO api_tokens (token_hash, user_id, name, created_at, scopes, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(t.token_hash)
    .bind(t.user_id)
    .bind(t.name)
    .bind(t.created_at.timestamp_millis())
    .bind(t.scopes.to_text())
    .bind(t.expires_at.map(|e| e.timestamp_millis()))
    .fetch_one(c)
    .await?;
    col(&row, "id")
}

/// One user's tokens (or, with `None`, everyone's), oldest first.
pub async fn list(c: &mut Conn, user_id: Option<i64>) -> Result<Vec<TokenInfo>> {
    let filter = if user_id.is_some() {
        "WHERE t.user_id = $1"
    } else {
        "WHERE $1 = $1"
    };
    let sql = format!(
        "SELECT t.id, t.name, u.username, t.scopes, t.created_at, t.expires_at, \
         t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         {filter} ORDER BY t.id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id.unwrap_or(0))
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(TokenInfo {
                id: col(r, "id")?,
                name: col(r, "name")?,
                owner: col(r, "username")?,
                scopes: scopes_of(col(r, "scopes")?)
                    .list()
                    .iter()
                    .map(|s| s.as_str().to_string())
                    .collect(),
                created_at: from_ms(col(r, "created_at")?),
                expires_at: col::<Option<i64>>(r, "expires_at")?.map(from_ms),
                last_used_at: col::<Option<i64>>(r, "last_used_at")?.map(from_ms),
                revoked: col::<Option<i64>>(r, "revoked_at")?.is_some(),
            })
        })
        .collect()
}

/// Revokes a live token (one of `user_id`'s, or with `None` anyone's); false when there is no
/// such token.
pub async fn revoke(
    c: &mut Conn,
    id: i64,
    user_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 \
         AND ($3 = 0 OR user_id = $3) AND revoked_at IS NULL",
    )
    .bind(now.timestamp_millis())
    .bind(id)
    .bind(user_id.unwrap_or(0))
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
