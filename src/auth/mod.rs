//! Passwords (argon2id, OWASP parameters, off the async runtime), opaque tokens and sessions.
//! Only token hashes are stored; the raw token lives in the cookie or the client's script.

use crate::db::{self, Db};
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
        let dummy = with_argon2(|a| {
            a.hash_password(b"onboard dummy password for unknown users")
                .expect("argon2 hashes")
                .to_string()
        });
        Hasher {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            dummy: Arc::new(dummy),
        }
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        tokio::task::spawn_blocking(move || {
            with_argon2(|a| {
                a.hash_password(password.as_bytes())
                    .map(|h| h.to_string())
                    .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
            })
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
            with_argon2(|a| {
                a.verify_password(password.as_bytes(), hash.as_str())
                    .is_ok()
            })
        })
        .await
        .unwrap_or(false);
        ok && known
    }
}

/// Runs one argon2 computation, then hands its 19 MiB of working memory back to the system
/// (see [`crate::memory`]).
fn with_argon2<T>(f: impl FnOnce(&Argon2<'static>) -> T) -> T {
    let out = f(&Argon2::default());
    crate::memory::release();
    out
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

pub use crate::domain::Actor;

#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

pub async fn create_session(
    conn: &mut db::Conn,
    user_id: i64,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> db::Result<String> {
    let token = random_token();
    db::sessions::insert(
        conn,
        &token_hash(&token),
        user_id,
        now,
        now + policy.absolute,
    )
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
) -> db::Result<Option<Actor>> {
    let hash = token_hash(token);
    let mut c = db.conn().await?;
    let Some(s) = db::sessions::find(&mut c, &hash).await? else {
        return Ok(None);
    };
    if s.user_disabled || now >= s.expires_at || now >= s.last_seen_at + policy.idle {
        db::sessions::delete(&mut c, &hash).await?;
        return Ok(None);
    }
    if now - s.last_seen_at > Duration::seconds(60) {
        db::sessions::touch(&mut c, &hash, now).await?;
    }
    Ok(Some(s.actor))
}

/// The person a live API token acts as, with the token's scopes; records the use.
pub async fn token_actor(db: &Db, token: &str, now: DateTime<Utc>) -> db::Result<Option<Actor>> {
    let mut c = db.conn().await?;
    let Some((actor, id)) = db::tokens::actor(&mut c, &token_hash(token), now).await? else {
        return Ok(None);
    };
    // The last use is a convenience; failing to record it does not fail the request.
    if let Err(e) = db::tokens::touch(&mut c, id, now).await {
        tracing::warn!(error = %e, "could not record an API token's last use");
    }
    Ok(Some(actor))
}

pub async fn delete_session(db: &Db, session_hash: &str) -> db::Result<()> {
    db::sessions::delete(&mut *db.conn().await?, session_hash).await
}

/// Loads a user as an actor without a session (CLI and demo seed).
pub async fn actor_by_username(db: &Db, username: &str) -> db::Result<Option<Actor>> {
    db::users::actor_by_username(&mut *db.conn().await?, username).await
}

/// Deletes sessions past their absolute expiry or idle longer than the idle limit.
pub async fn purge_sessions(db: &Db, now: DateTime<Utc>, policy: SessionPolicy) -> db::Result<u64> {
    db::sessions::purge(&mut *db.conn().await?, now, now - policy.idle).await
}
