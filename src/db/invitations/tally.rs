//! Counts per status without visiting the codes: `invitation_tally` (migration 0010) is kept by
//! triggers in every writing transaction, per division and inviter and kind; a read sums it and
//! corrects for time (codes whose expiry passed since the sweep flagged them, or, with a clock
//! behind the sweep's, flagged codes not yet expired here). [`recount`] is the definition the
//! tally must equal, and the property test holds it to that on both backends.

use super::LOST_AUTHORITY;
use crate::db::sql::Params;
use crate::db::{col, Backend, Conn, Result};
use crate::domain::{Counts, Status};
use chrono::{DateTime, Utc};

/// A tally row's kind (the CASE in migration 0010).
const USED: i64 = 0;
const REVOKED: i64 = 1;
const EXPIRED: i64 = 2;
const OPEN: i64 = 3;
const OPEN_REPORTED: i64 = 4;

/// The inviter `c` no longer has authority over the tally row `t`'s division (0: none).
/// [`LOST_AUTHORITY`] for a key instead of a code.
const KEY_LOST_AUTHORITY: &str = "(c.disabled_at IS NOT NULL OR (c.role <> 'admin' AND \
     (c.role <> 'manager' OR c.division_id IS NULL OR c.division_id <> t.division_id)))";

/// The open kind of a code that is not counted as expired.
const OPEN_KIND: &str = "CASE WHEN i.reported_at IS NULL THEN 3 ELSE 4 END";

/// Counts per status of one division's codes (or all codes) at `now`, and their total: a sum
/// over the division's tally rows plus the codes whose flag disagrees with `now`, each found
/// through a partial index that holds only open codes on that side of the flag.
pub async fn counts(
    c: &mut Conn,
    division_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Counts, i64)> {
    let mut p = Params::default();
    let now_ph = p.int(now.timestamp_millis());
    let (tally_where, code_where) = match division_id {
        // `+ 0` keeps the planner on the partial expiry index: the division's own index
        // would visit every one of its codes.
        Some(d) => {
            let d = p.int(d);
            (
                format!("division_id = {d}"),
                format!("AND i.division_id + 0 = {d}"),
            )
        }
        None => ("1 = 1".to_string(), String::new()),
    };
    let open = "i.used_at IS NULL AND i.revoked_at IS NULL";
    // Not flagged yet but expired at `now`: from open to expired.
    let late = format!("FROM invitations i WHERE i.expiry_counted = 0 AND {open} AND i.expires_at <= {now_ph} {code_where}");
    // Flagged but not expired at `now` (a clock behind the sweep's): back to open.
    let early = format!("FROM invitations i WHERE i.expiry_counted = 1 AND {open} AND i.expires_at > {now_ph} {code_where}");
    let key = "COALESCE(i.division_id, 0) AS division_id, i.created_by";
    let sql = format!(
        "SELECT t.kind, t.n, CASE WHEN {KEY_LOST_AUTHORITY} THEN 1 ELSE 0 END AS lost \
         FROM (SELECT division_id, created_by, kind, CAST(SUM(n) AS BIGINT) AS n FROM ( \
                 SELECT division_id, created_by, kind, n FROM invitation_tally WHERE {tally_where} \
                 UNION ALL SELECT {key}, {EXPIRED} AS kind, 1 AS n {late} \
                 UNION ALL SELECT {key}, {OPEN_KIND} AS kind, -1 AS n {late} \
                 UNION ALL SELECT {key}, {EXPIRED} AS kind, -1 AS n {early} \
                 UNION ALL SELECT {key}, {OPEN_KIND} AS kind, 1 AS n {early} \
               ) u GROUP BY division_id, created_by, kind) t \
         JOIN users c ON c.id = t.created_by"
    );
    let rows = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(c)
        .await?;
    let mut counts = Counts::default();
    for row in &rows {
        let n: i64 = col(row, "n")?;
        let kind: i64 = col::<i64>(row, "kind")?;
        let lost: i64 = col::<i64>(row, "lost")?;
        match kind {
            USED => counts.used += n,
            REVOKED => counts.revoked += n,
            EXPIRED => counts.expired += n,
            OPEN_REPORTED => counts.suspended += n,
            OPEN if lost == 1 => counts.suspended += n,
            _ => counts.active += n,
        }
    }
    let total = counts.all();
    Ok((counts, total))
}

/// Flags up to `limit` open codes whose expiry passed by `now` as counted expired (their tally
/// moves with the flag); how many it flagged. The conditions are repeated outside the
/// subquery so a row changed meanwhile (on PostgreSQL) is checked again as it is updated.
pub async fn sweep(c: &mut Conn, now: DateTime<Utc>, limit: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE invitations SET expiry_counted = 1 WHERE id IN (SELECT i.id FROM invitations i \
           WHERE i.expiry_counted = 0 AND i.used_at IS NULL AND i.revoked_at IS NULL \
           AND i.expires_at <= $1 ORDER BY i.expires_at LIMIT $2) \
         AND expiry_counted = 0 AND used_at IS NULL AND revoked_at IS NULL AND expires_at <= $1",
    )
    .bind(now.timestamp_millis())
    .bind(limit)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}

/// Folds PostgreSQL's appended +1/-1 rows into one row per key (SQLite's triggers keep one row
/// per key already); only keys with more than one row are rewritten. The fold deletes only the
/// rows it sees and writes back their sums, so rows appended meanwhile, or folded by another
/// instance first, are neither lost nor doubled.
pub async fn fold(c: &mut Conn, backend: Backend) -> Result<u64> {
    if backend != Backend::Postgres {
        return Ok(0);
    }
    let done = sqlx::query(
        "WITH keys AS (SELECT division_id, created_by, kind FROM invitation_tally \
                       GROUP BY division_id, created_by, kind HAVING COUNT(*) > 1), \
              gone AS (DELETE FROM invitation_tally t USING keys k \
                       WHERE t.division_id = k.division_id AND t.created_by = k.created_by \
                         AND t.kind = k.kind \
                       RETURNING t.division_id, t.created_by, t.kind, t.n) \
         INSERT INTO invitation_tally (division_id, created_by, kind, n) \
         SELECT division_id, created_by, kind, SUM(n) FROM gone \
         GROUP BY division_id, created_by, kind HAVING SUM(n) <> 0",
    )
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}

/// Counts per status by visiting every code of the division (or all): what the tally must
/// equal (the property test's reference, and what the list ran per request before the tally).
/// Grouped by inviter, so the inviter (needed for Suspended) is looked up once per inviter.
pub async fn recount(
    c: &mut Conn,
    division_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Counts, i64)> {
    let mut p = Params::default();
    let now_ph = p.int(now.timestamp_millis());
    let base_where = match division_id {
        Some(d) => format!("i.division_id = {}", p.int(d)),
        None => "1 = 1".to_string(),
    };
    let sums = super::list::status_sums(&now_ph, &[Status::Used, Status::Revoked, Status::Expired]);
    let sql = format!(
        "SELECT i.used, i.revoked, i.expired, i.reported, i.total, \
           CASE WHEN {LOST_AUTHORITY} THEN 1 ELSE 0 END AS lost \
         FROM (SELECT i.division_id, i.created_by, {sums}, \
                 SUM(CASE WHEN i.used_at IS NULL AND i.revoked_at IS NULL \
                   AND i.expires_at > {now_ph} AND i.reported_at IS NOT NULL THEN 1 ELSE 0 END) \
                   AS reported \
               FROM invitations i WHERE {base_where} \
               GROUP BY i.division_id, i.created_by) i \
         JOIN users c ON c.id = i.created_by"
    );
    let rows = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(c)
        .await?;
    let mut counts = Counts::default();
    let mut total = 0;
    for row in &rows {
        let n = |name: &str| col::<Option<i64>>(row, name).map(|v| v.unwrap_or(0));
        let (used, revoked, expired, all) = (n("used")?, n("revoked")?, n("expired")?, n("total")?);
        // Open codes a recipient reported are Suspended whoever the inviter is.
        let reported = n("reported")?;
        let open = all - used - revoked - expired - reported;
        counts.used += used;
        counts.revoked += revoked;
        counts.expired += expired;
        counts.suspended += reported;
        if n("lost")? == 1 {
            counts.suspended += open;
        } else {
            counts.active += open;
        }
        total += all;
    }
    Ok((counts, total))
}
