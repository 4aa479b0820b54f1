//! Staged bulk uploads: a CSV kept between its dry run and its commit, claimed once.

use super::{col, Conn, Result};
use chrono::{DateTime, Utc};

pub async fn insert(
    c: &mut Conn,
    user_id: i64,
    filename: Option<&str>,
    csv: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO bulk_uploads (user_id, filename, csv, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(filename)
    .bind(csv)
    .bind(now.timestamp_millis())
    .fetch_one(c)
    .await?;
    col(&row, "id")
}

pub struct Staged {
    pub filename: Option<String>,
    pub csv: String,
    /// The codes its commit created, once committed.
    pub created_ids: Option<Vec<i64>>,
}

/// One of `user_id`'s uploads.
pub async fn get(c: &mut Conn, id: i64, user_id: i64) -> Result<Option<Staged>> {
    let Some(row) = sqlx::query(
        "SELECT filename, csv, created_ids FROM bulk_uploads WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(c)
    .await?
    else {
        return Ok(None);
    };
    let ids: Option<String> = col(&row, "created_ids")?;
    Ok(Some(Staged {
        filename: col(&row, "filename")?,
        csv: col(&row, "csv")?,
        created_ids: ids.and_then(|s| serde_json::from_str(&s).ok()),
    }))
}

/// Marks the upload committed; false when it already was (a second click, another tab).
pub async fn claim(c: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE bulk_uploads SET committed_at = $1 WHERE id = $2 AND committed_at IS NULL",
    )
    .bind(now.timestamp_millis())
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_created(c: &mut Conn, id: i64, ids: &[i64]) -> Result<()> {
    sqlx::query("UPDATE bulk_uploads SET created_ids = $1 WHERE id = $2")
        .bind(serde_json::to_string(ids).expect("ids serialise"))
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}
