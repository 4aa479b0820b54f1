//! Users: accounts, their roles and divisions, password hashes and disabling.

use super::{col, is_unique_violation, Conn, Result};
use crate::clock::from_ms;
use crate::domain::{Actor, Role, User, UserRow};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

pub(super) const USER_COLUMNS: &str =
    "u.id, u.username, u.email, u.role, u.division_id, d.slug AS division, d.name AS division_name, \
     u.created_at, u.disabled_at, u.password_hash";
pub(super) const USER_FROM: &str = "FROM users u LEFT JOIN divisions d ON d.id = u.division_id";

fn map_user(row: &AnyRow) -> Result<User> {
    let role: String = col(row, "role")?;
    Ok(User {
        username: col(row, "username")?,
        email: col(row, "email")?,
        role: role.parse().unwrap_or(Role::Staff),
        division: col(row, "division")?,
        created_at: from_ms(col(row, "created_at")?),
    })
}

/// A row selected with [`USER_COLUMNS`] as the person acting (`session`: the session's hash).
pub(super) fn map_actor(row: &AnyRow, session: Option<String>) -> Result<Actor> {
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
        scopes: None,
    })
}

/// An account as the login and admin use cases see it.
pub struct Account {
    pub id: i64,
    pub user: User,
    pub password_hash: String,
    pub disabled: bool,
}

fn map_account(row: &AnyRow) -> Result<Account> {
    Ok(Account {
        id: col(row, "id")?,
        user: map_user(row)?,
        password_hash: col(row, "password_hash")?,
        disabled: col::<Option<i64>>(row, "disabled_at")?.is_some(),
    })
}

pub async fn by_username(c: &mut Conn, username: &str) -> Result<Option<Account>> {
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.username = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(username)
        .fetch_optional(c)
        .await?
        .map(|r| map_account(&r))
        .transpose()
}

/// A user as an actor without a session (the CLI and the demo seed act as someone).
pub async fn actor_by_username(c: &mut Conn, username: &str) -> Result<Option<Actor>> {
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.username = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(username)
        .fetch_optional(c)
        .await?
        .map(|r| map_actor(&r, None))
        .transpose()
}

pub async fn exists(c: &mut Conn, username: &str) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}

pub async fn count(c: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(c)
        .await?;
    col(&row, "n")
}

/// Every user, by username.
pub async fn list(c: &mut Conn) -> Result<Vec<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} ORDER BY u.username");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(UserRow {
                user: map_user(r)?,
                disabled: col::<Option<i64>>(r, "disabled_at")?.is_some(),
            })
        })
        .collect()
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub role: Role,
    pub division_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// The email was given by someone other than the holder (see the `email_trusted` column).
    pub email_trusted: bool,
}

/// Inserts a user; `None` when the username is taken.
pub async fn insert(c: &mut Conn, u: &NewUser<'_>) -> Result<Option<i64>> {
    let inserted = sqlx::query(
        "INSERT INTO users (username, email, password_hash, role, division_id, created_at, \
         email_trusted) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(u.username)
    .bind(u.email)
    .bind(u.password_hash)
    .bind(u.role.as_str())
    .bind(u.division_id)
    .bind(u.created_at.timestamp_millis())
    .bind(u.email_trusted as i64)
    .fetch_one(c)
    .await;
    match inserted {
        Ok(row) => Ok(Some(col(&row, "id")?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Marks the account disabled (keeping the first time it was).
pub async fn disable(c: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE users SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2")
        .bind(now.timestamp_millis())
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// Re-enables a disabled account.
pub async fn enable(c: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE users SET disabled_at = NULL WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// Sets a user's role and division.
pub async fn set_role(c: &mut Conn, id: i64, role: Role, division_id: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE users SET role = $1, division_id = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(division_id)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_password_hash(c: &mut Conn, id: i64, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn by_id(c: &mut Conn, id: i64) -> Result<Option<Account>> {
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| map_account(&r))
        .transpose()
}
