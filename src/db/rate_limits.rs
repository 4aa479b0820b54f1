//! Rate-limit counters: fixed windows and lock-outs, kept in the database so every instance
//! sees the same limits. Each counting function is one statement, or a locked read and a write,
//! inside the caller's transaction.

use super::{col, Backend, Conn, Result};
use chrono::{DateTime, Utc};

/// Counts one hit and, when that makes more than `limit` in the current window, answers
/// `Err(seconds until the window ends)`. One statement, so it costs one write.
pub async fn hit_within(
    conn: &mut Conn,
    bucket: &str,
    limit: i64,
    window_secs: i64,
    now: DateTime<Utc>,
) -> Result<std::result::Result<(), u64>> {
    let (count, start) = upsert(conn, bucket, window_secs, now).await?;
    if count > limit {
        return Ok(Err(secs_until(
            start + window_secs * 1000,
            now.timestamp_millis(),
        )));
    }
    Ok(Ok(()))
}

/// How many hits `bucket` holds in its current window, without counting one: `Err(seconds
/// until the window ends)` once that is `limit` or more. A read, so it takes no write lock.
pub async fn over_within(
    conn: &mut Conn,
    bucket: &str,
    limit: i64,
    window_secs: i64,
    now: DateTime<Utc>,
) -> Result<std::result::Result<(), u64>> {
    let now_ms = now.timestamp_millis();
    let row = sqlx::query(
        "SELECT count, window_start FROM rate_limits WHERE bucket = $1 AND window_start > $2",
    )
    .bind(bucket)
    .bind(window_floor(window_secs, now_ms))
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(Ok(())) };
    let (count, start): (i64, i64) = (col(&row, "count")?, col(&row, "window_start")?);
    Ok(over(count, start, limit, window_secs, now_ms))
}

/// The instant (ms) a window must have started after to be current at `now_ms`: what
/// every read and count of a bucket compares `window_start` with.
pub fn window_floor(window_secs: i64, now_ms: i64) -> i64 {
    now_ms - window_secs * 1000
}

/// [`over_within`]'s verdict on a window read: `count` hits since `start` (ms).
pub fn over(
    count: i64,
    start: i64,
    limit: i64,
    window_secs: i64,
    now_ms: i64,
) -> std::result::Result<(), u64> {
    if count >= limit {
        return Err(secs_until(start + window_secs * 1000, now_ms));
    }
    Ok(())
}

async fn upsert(
    conn: &mut Conn,
    bucket: &str,
    window_secs: i64,
    now: DateTime<Utc>,
) -> Result<(i64, i64)> {
    let now_ms = now.timestamp_millis();
    let row = sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket) DO UPDATE SET \
           count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END, \
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END \
         RETURNING count, window_start",
    )
    .bind(bucket)
    .bind(now_ms)
    .bind(window_floor(window_secs, now_ms))
    .fetch_one(conn)
    .await?;
    Ok((col(&row, "count")?, col(&row, "window_start")?))
}

/// The longest a lock-out grows to.
const MAX_LOCK_SECS: i64 = 24 * 3600;

/// A lock-out counter: counts one attempt and refuses it when it is past `limit` in the
/// window. Passing the limit locks the bucket for the window, and each further lock-out
/// doubles that (up to a day), until [`clear`] resets it (a successful login). Taken before
/// the expensive check, with the row locked, so a burst cannot slip past the limit.
pub async fn lockout(
    conn: &mut Conn,
    backend: Backend,
    bucket: &str,
    limit: i64,
    window_secs: i64,
    now: DateTime<Utc>,
) -> Result<std::result::Result<(), u64>> {
    let now_ms = now.timestamp_millis();
    sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 0) \
         ON CONFLICT (bucket) DO NOTHING",
    )
    .bind(bucket)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT window_start, count, strikes, locked_until FROM rate_limits \
         WHERE bucket = $1{lock}"
    )))
    .bind(bucket)
    .fetch_one(&mut *conn)
    .await?;
    let locked_until: i64 = col(&row, "locked_until")?;
    if locked_until > now_ms {
        return Ok(Err(secs_until(locked_until, now_ms)));
    }
    let mut start: i64 = col(&row, "window_start")?;
    let mut count: i64 = col(&row, "count")?;
    let mut strikes: i64 = col(&row, "strikes")?;
    if start + window_secs * 1000 <= now_ms {
        start = now_ms;
        count = 0;
    }
    count += 1;
    let mut verdict = Ok(());
    let mut locked = 0;
    if count > limit {
        strikes += 1;
        let secs = (window_secs << (strikes - 1).min(20)).min(MAX_LOCK_SECS);
        locked = now_ms + secs * 1000;
        verdict = Err(secs_until(locked, now_ms));
        start = now_ms;
        count = 0;
    }
    sqlx::query(
        "UPDATE rate_limits SET window_start = $1, count = $2, strikes = $3, \
         locked_until = $4 WHERE bucket = $5",
    )
    .bind(start)
    .bind(count)
    .bind(strikes)
    .bind(locked)
    .bind(bucket)
    .execute(&mut *conn)
    .await?;
    Ok(verdict)
}

fn secs_until(end_ms: i64, now_ms: i64) -> u64 {
    ((end_ms - now_ms).max(0) as u64).div_ceil(1000).max(1)
}

/// Gives back one hit taken before a check that then succeeded (the limit counts failures).
pub async fn refund(conn: &mut Conn, bucket: &str) -> Result<()> {
    sqlx::query("UPDATE rate_limits SET count = count - 1 WHERE bucket = $1 AND count > 0")
        .bind(bucket)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes counters quiet since `older_than` (run on a schedule, with a day's margin): a
/// row matters while its window or its lock-out lasts, and strikes are forgiven after a
/// quiet day.
pub async fn purge(c: &mut Conn, older_than: DateTime<Utc>) -> Result<u64> {
    let cutoff = older_than.timestamp_millis();
    let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1 AND locked_until < $1")
        .bind(cutoff)
        .execute(c)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes every bucket whose name starts with `prefix` (lifting an account's lock-outs).
pub async fn clear_prefix(conn: &mut Conn, prefix: &str) -> Result<u64> {
    // A plain prefix comparison rather than LIKE, so `_` and `%` match only themselves.
    let done =
        sqlx::query("DELETE FROM rate_limits WHERE SUBSTR(bucket, 1, CAST($2 AS INTEGER)) = $1")
            .bind(prefix)
            .bind(prefix.chars().count() as i64)
            .execute(conn)
            .await?;
    Ok(done.rows_affected())
}

pub async fn clear(conn: &mut Conn, bucket: &str) -> Result<()> {
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .execute(conn)
        .await?;
    Ok(())
}
