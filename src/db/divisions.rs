//! Divisions: the parts of the organisation codes and people belong to.

use super::{col, is_unique_violation, Conn, Result};
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

fn map_division(r: &AnyRow) -> Result<Division> {
    Ok(Division {
        slug: col(r, "slug")?,
        name: col(r, "name")?,
        created_at: from_ms(col(r, "created_at")?),
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
    sqlx::query("SELECT slug, name, created_at FROM divisions ORDER BY name")
        .fetch_all(c)
        .await?
        .iter()
        .map(map_division)
        .collect()
}

pub async fn get(c: &mut Conn, slug: &str) -> Result<Option<Division>> {
    sqlx::query("SELECT slug, name, created_at FROM divisions WHERE slug = $1")
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
