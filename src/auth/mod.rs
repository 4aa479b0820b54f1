//! Passwords (argon2id, OWASP parameters, off the async runtime), opaque tokens and sessions.
//! Only token hashes are stored; the raw token lives in the cookie or the client's script.

use crate::clock::from_ms;
use crate::db::queries::{USER_COLUMNS, USER_FROM};
use crate::db::{col, Db};
use crate::domain::{ActorRef, Role};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::Semaphore;

pub const SESSION_COOKIE: &str = "onboard_session";

/// Hashes and verifies passwords on the blocking pool, at most `permits` at a time, so the
/// deliberate cost of argon2 can never starve request handling.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy: Arc<String>,
}

impl Hasher {
    pub fn new(permits: usize) -> Self {
        let dummy = Argon2::default()
            .hash_password(b"onboard dummy password for unknown users")
            .expect("argon2 hashes")
            .to_string();
        Hasher {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            dummy: Arc::new(dummy),
        }
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
        })
        .await?
    }

    /// Verifies `password` against `hash`; with no hash (unknown user) it verifies against a
    /// dummy so the answer takes as long as for a real account.
    pub async fn verify(&self, password: String, hash: Option<String>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| (*self.dummy).clone());
        let ok = tokio::task::spawn_blocking(move || {
            Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .unwrap_or(false);
        ok && known
    }
}

/// 256 random bits from the OS CSPRNG, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the OS random number generator is available");
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The authenticated user behind a request.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub email: Option<String>,
    pub role: Role,
    pub division_id: Option<i64>,
    pub division: Option<String>,
    pub division_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Set when authenticated by a session cookie (not by an API token).
    pub session: Option<String>,
}

impl Actor {
    pub fn policy(&self) -> ActorRef {
        ActorRef {
            role: self.role,
            division: self.division_id,
        }
    }

    pub fn user(&self) -> crate::domain::User {
        crate::domain::User {
            username: self.username.clone(),
            email: self.email.clone(),
            role: self.role,
            division: self.division.clone(),
            created_at: self.created_at,
        }
    }

    fn from_row(row: &sqlx::any::AnyRow, session: Option<String>) -> Result<Self, sqlx::Error> {
        let role: String = col(row, "role")?;
        Ok(Actor {
            user_id: col(row, "id")?,
            username: col(row, "username")?,
            email: col(row, "email")?,
            role: role.parse().unwrap_or(Role::Staff),
            division_id: col(row, "division_id")?,
            division: col(row, "division")?,
            division_name: col(row, "division_name")?,
            created_at: from_ms(col(row, "created_at")?),
            session,
        })
    }
}

#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

pub async fn create_session(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(now.timestamp_millis())
    .bind((now + policy.absolute).timestamp_millis())
    .execute(conn)
    .await?;
    Ok(token)
}

/// Resolves a session token to its user, enforcing idle and absolute expiry and refusing
/// disabled accounts. Touches `last_seen_at` at most once a minute.
pub async fn session_actor(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<Option<Actor>, sqlx::Error> {
    let hash = token_hash(token);
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.last_seen_at, s.expires_at AS session_expires \
         {USER_FROM} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&hash)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let last_seen = from_ms(col(&row, "last_seen_at")?);
    let expires = from_ms(col(&row, "session_expires")?);
    let disabled: Option<i64> = col(&row, "disabled_at")?;
    if disabled.is_some() || now >= expires || now >= last_seen + policy.idle {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&db.pool)
            .await?;
        return Ok(None);
    }
    if now - last_seen > Duration::seconds(60) {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now.timestamp_millis())
            .bind(&hash)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(Actor::from_row(&row, Some(hash))?))
}

pub async fn token_actor(db: &Db, token: &str) -> Result<Option<Actor>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS} {USER_FROM} JOIN api_tokens t ON t.user_id = u.id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
    );
    match sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(token_hash(token))
        .fetch_optional(&db.pool)
        .await?
    {
        Some(row) => Ok(Some(Actor::from_row(&row, None)?)),
        None => Ok(None),
    }
}

pub async fn delete_session(db: &Db, session_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(session_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Loads a user as an actor without a session (CLI and demo seed).
pub async fn actor_by_username(db: &Db, username: &str) -> Result<Option<Actor>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.username = $1");
    match sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(username)
        .fetch_optional(&db.pool)
        .await?
    {
        Some(row) => Ok(Some(Actor::from_row(&row, None)?)),
        None => Ok(None),
    }
}

/// Deletes sessions past their absolute expiry or idle longer than the idle limit.
pub async fn purge_sessions(
    db: &Db,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now.timestamp_millis())
        .bind((now - policy.idle).timestamp_millis())
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
