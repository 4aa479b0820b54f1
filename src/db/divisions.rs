//! Divisions: the parts of the organisation codes and people belong to.

use super::{col, is_unique_violation, Backend, Conn, Result};
use crate::clock::from_ms;
use crate::domain::Division;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

/// A division looked up by slug: its id (for other rows) and its slug (for people).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DivisionRef {
    pub id: i64,
    pub slug: String,
}

fn map_ref(r: &AnyRow) -> Result<DivisionRef> {
    Ok(DivisionRef {
        id: col(r, "id")?,
        slug: col(r, "slug")?,
    })
}

const DIVISION_COLUMNS: &str = "slug, name, created_at, max_active_codes";

fn map_division(r: &AnyRow) -> Result<Division> {
    Ok(Division {
        slug: col(r, "slug")?,
        name: col(r, "name")?,
        created_at: from_ms(col(r, "created_at")?),
        max_active_codes: col(r, "max_active_codes")?,
    })
}

/// `slug` as stored (lower case).
pub async fn by_slug(c: &mut Conn, slug: &str) -> Result<Option<DivisionRef>> {
    sqlx::query("SELECT id, slug FROM divisions WHERE slug = $1")
        .bind(slug)
        .fetch_optional(c)
        .await?
        .map(|r| map_ref(&r))
        .transpose()
}

/// Every division's id and slug (a batch validates against them without a query a row).
pub async fn all_refs(c: &mut Conn) -> Result<Vec<DivisionRef>> {
    sqlx::query("SELECT id, slug FROM divisions")
        .fetch_all(c)
        .await?
        .iter()
        .map(map_ref)
        .collect()
}

/// Every division, by name.
pub async fn all(c: &mut Conn) -> Result<Vec<Division>> {
    let sql = format!("SELECT {DIVISION_COLUMNS} FROM divisions ORDER BY name");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?
        .iter()
        .map(map_division)
        .collect()
}

pub async fn get(c: &mut Conn, slug: &str) -> Result<Option<Division>> {
    let sql = format!("SELECT {DIVISION_COLUMNS} FROM divisions WHERE slug = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(slug)
        .fetch_optional(c)
        .await?
        .map(|r| map_division(&r))
        .transpose()
}

/// The display name of a division by id.
pub async fn name(c: &mut Conn, id: i64) -> Result<Option<String>> {
    sqlx::query("SELECT name FROM divisions WHERE id = $1")
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| col(&r, "name"))
        .transpose()
}

/// Inserts a division; false when the slug is taken.
pub async fn insert(c: &mut Conn, slug: &str, name: &str, now: DateTime<Utc>) -> Result<bool> {
    let res = sqlx::query("INSERT INTO divisions (slug, name, created_at) VALUES ($1, $2, $3)")
        .bind(slug)
        .bind(name)
        .bind(now.timestamp_millis())
        .execute(c)
        .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn rename(c: &mut Conn, slug: &str, name: &str) -> Result<()> {
    sqlx::query("UPDATE divisions SET name = $1 WHERE slug = $2")
        .bind(name)
        .bind(slug)
        .execute(c)
        .await?;
    Ok(())
}

/// Sets or (with `None`) removes a division's quota of Active codes.
pub async fn set_quota(c: &mut Conn, slug: &str, max: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE divisions SET max_active_codes = $1 WHERE slug = $2")
        .bind(max)
        .bind(slug)
        .execute(c)
        .await?;
    Ok(())
}

/// The quotas of those of `ids` that have one, as `(id, max)`. With `lock` (creating, on
/// PostgreSQL) the division rows are locked in id order until the transaction ends, so two
/// concurrent creates in one division count one after the other. SQLite's write transaction
/// already runs alone.
pub async fn quotas(
    c: &mut Conn,
    backend: Backend,
    ids: &[i64],
    lock: bool,
) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut p = super::sql::Params::default();
    let list: Vec<String> = ids.iter().map(|id| p.int(*id)).collect();
    let lock = if lock && backend == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!(
        "SELECT id, max_active_codes FROM divisions WHERE id IN ({}) ORDER BY id{lock}",
        list.join(", ")
    );
    let rows = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(c)
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        if let Some(max) = col::<Option<i64>>(r, "max_active_codes")? {
            out.push((col(r, "id")?, max));
        }
    }
    Ok(out)
}

/// Deletes a division no user and no invitation refers to; false when one does (or when there
/// is no such division: the caller has looked it up first).
pub async fn delete_if_empty(c: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM divisions WHERE id = $1 \
         AND NOT EXISTS (SELECT 1 FROM users WHERE division_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM invitations WHERE division_id = $1)",
    )
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the audit trail names this slug (a division that exists or existed).
pub async fn slug_in_trail(c: &mut Conn, slug: &str) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM audit_events WHERE division = $1 LIMIT 1")
            .bind(slug)
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}
