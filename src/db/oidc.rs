//! Sign-ins through the organisation's OpenID Connect provider: flows in progress, and the
//! provider identity linked to an account.

use super::{col, Conn, Result};
use chrono::{DateTime, Utc};

/// A sign-in in progress, from the redirect to the provider until its callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// `login` or `join`.
    pub purpose: String,
    pub next: Option<String>,
    pub join_code: Option<String>,
    pub join_username: Option<String>,
    /// `link`: the signed-in account the identity is to be linked to.
    pub link_user_id: Option<i64>,
}

pub async fn insert_flow(
    c: &mut Conn,
    f: &Flow,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO oidc_flows (state, nonce, pkce_verifier, purpose, next, join_code, \
         join_username, link_user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&f.state)
    .bind(&f.nonce)
    .bind(&f.pkce_verifier)
    .bind(&f.purpose)
    .bind(f.next.as_deref())
    .bind(f.join_code.as_deref())
    .bind(f.join_username.as_deref())
    .bind(f.link_user_id)
    .bind(now.timestamp_millis())
    .bind(expires_at.timestamp_millis())
    .execute(c)
    .await?;
    Ok(())
}

/// Takes the flow with this state, if it exists and has not expired: it is deleted in the same
/// statement, so a state (and the code that came with it) is used at most once.
pub async fn take_flow(c: &mut Conn, state: &str, now: DateTime<Utc>) -> Result<Option<Flow>> {
    let row = sqlx::query(
        "DELETE FROM oidc_flows WHERE state = $1 \
         RETURNING state, nonce, pkce_verifier, purpose, next, join_code, join_username, \
         link_user_id, expires_at",
    )
    .bind(state)
    .fetch_optional(c)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let expires_at: i64 = col(&r, "expires_at")?;
    if expires_at <= now.timestamp_millis() {
        return Ok(None);
    }
    Ok(Some(Flow {
        state: col(&r, "state")?,
        nonce: col(&r, "nonce")?,
        pkce_verifier: col(&r, "pkce_verifier")?,
        purpose: col(&r, "purpose")?,
        next: col(&r, "next")?,
        join_code: col(&r, "join_code")?,
        join_username: col(&r, "join_username")?,
        link_user_id: col(&r, "link_user_id")?,
    }))
}

/// Forgets flows nobody came back from.
pub async fn purge_flows(c: &mut Conn, now: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM oidc_flows WHERE expires_at <= $1")
        .bind(now.timestamp_millis())
        .execute(c)
        .await?
        .rows_affected())
}

/// The account a provider identity signs in to: the one it was linked to, else (when the
/// provider vouches for the address) the one account with that email, if the address was not
/// typed by the account's holder themself (`email_trusted`); it is then linked to it.
/// Answers the user's id and whether the account is disabled.
pub async fn account_for(
    c: &mut Conn,
    subject: &str,
    verified_email: Option<&str>,
) -> Result<Option<(i64, bool)>> {
    let linked = sqlx::query("SELECT id, disabled_at FROM users WHERE oidc_subject = $1")
        .bind(subject)
        .fetch_optional(&mut *c)
        .await?;
    if let Some(r) = linked {
        return Ok(Some((
            col(&r, "id")?,
            col::<Option<i64>>(&r, "disabled_at")?.is_some(),
        )));
    }
    let Some(email) = verified_email else {
        return Ok(None);
    };
    // Only an account not yet linked to another identity; two accounts with one address are
    // ambiguous and sign in to neither.
    // Stored addresses are lower-case ASCII (`Email::parse`), and so is `email` here.
    let rows = sqlx::query(
        "SELECT id, disabled_at FROM users \
         WHERE email = $1 AND email_trusted = 1 AND oidc_subject IS NULL",
    )
    .bind(email)
    .fetch_all(&mut *c)
    .await?;
    if rows.len() != 1 {
        return Ok(None);
    }
    let r = &rows[0];
    Ok(Some((
        col(r, "id")?,
        col::<Option<i64>>(r, "disabled_at")?.is_some(),
    )))
}

/// Links a provider identity to an account not linked to another one; `false` when another
/// identity got there first (two sign-ins at once).
pub async fn link(c: &mut Conn, user_id: i64, subject: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET oidc_subject = $1 WHERE id = $2 \
         AND (oidc_subject IS NULL OR oidc_subject = $1)",
    )
    .bind(subject)
    .bind(user_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The account a provider identity is linked to, if any.
pub async fn linked_account(c: &mut Conn, subject: &str) -> Result<Option<i64>> {
    sqlx::query("SELECT id FROM users WHERE oidc_subject = $1")
        .bind(subject)
        .fetch_optional(c)
        .await?
        .map(|r| col(&r, "id"))
        .transpose()
}

/// Links (or re-links) a signed-in account to a provider identity no other account holds;
/// `false` when another account holds it.
pub async fn relink(c: &mut Conn, user_id: i64, subject: &str) -> Result<bool> {
    if linked_account(&mut *c, subject)
        .await?
        .is_some_and(|id| id != user_id)
    {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET oidc_subject = $1 WHERE id = $2")
        .bind(subject)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(true)
}

/// Whether the account has a provider identity linked.
pub async fn is_linked(c: &mut Conn, user_id: i64) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM users WHERE id = $1 AND oidc_subject IS NOT NULL")
            .bind(user_id)
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}
