//! Organisation-wide settings: one JSON value per key.

use super::{col, Conn, Result};
use chrono::{DateTime, Utc};

pub async fn get(c: &mut Conn, key: &str) -> Result<Option<String>> {
    sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(c)
        .await?
        .map(|r| col(&r, "value"))
        .transpose()
}

pub async fn put(c: &mut Conn, key: &str, value: &str, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now.timestamp_millis())
    .execute(c)
    .await?;
    Ok(())
}
