//! Invitations: codes, their state (used, revoked, expiry) and the list with its counts.
//!
//! A code's status is derived, never stored: Used, Revoked and Expired from its own columns,
//! Suspended from its inviter's current role and division (see [`LOST_AUTHORITY`]).

mod list;
pub mod search;
pub mod tally;

pub use list::{export_page, list, list_by_scan, ExportCursor, ListFilter, ListPage};

use super::divisions::DivisionRef;
use super::sql::{insert_rows, INSERT_CHUNK};
use super::{col, rate_limits, Conn, Result};
use crate::clock::from_ms;
use crate::domain::code::group;
use crate::domain::status::StatusFacts;
use crate::domain::{Invitation, InvitationCode, Role, Status, SuspendedReason};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

/// The inviter no longer has authority over the invitation: disabled, or not (any more) an
/// admin or the manager of that division. Used for the Suspended status.
pub const LOST_AUTHORITY: &str = "(c.disabled_at IS NOT NULL OR (c.role <> 'admin' AND \
     (c.role <> 'manager' OR c.division_id IS NULL OR c.division_id <> COALESCE(i.division_id, -1))))";

pub(super) const COLUMNS: &str = "i.id, i.code, i.email, i.role, d.slug AS division, \
     i.expires_at, i.created_at, c.username AS created_by, u.username AS used_by, i.used_at, \
     i.revoked_at, i.note, i.reported_at, i.division_id, d.name AS division_name, \
     c.role AS creator_role, \
     CASE WHEN (c.disabled_at IS NOT NULL OR (c.role <> 'admin' AND (c.role <> 'manager' OR \
     c.division_id IS NULL OR c.division_id <> COALESCE(i.division_id, -1)))) THEN 1 ELSE 0 END AS lost";

/// What a row of [`COLUMNS`] joins to its invitation `i` besides its inviter `c`.
macro_rules! division_and_redeemer {
    () => {
        "LEFT JOIN divisions d ON d.id = i.division_id LEFT JOIN users u ON u.id = i.used_by"
    };
}

pub(super) const FROM: &str = concat!(
    "FROM invitations i JOIN users c ON c.id = i.created_by ",
    division_and_redeemer!()
);
/// A division's open codes read through their own index (SQLite, migration 0012), joined to
/// their inviter only: the status test reads nothing else, so a page is found without reading
/// a table row.
pub(super) const OPEN_CODES: &str =
    "invitations i INDEXED BY invitations_division_open JOIN users c ON c.id = i.created_by";
/// [`FROM`]'s joins after the inviter's, for a query that joins the inviter its own way.
pub(super) const DIVISION_AND_REDEEMER: &str = division_and_redeemer!();

/// The SQL predicate for one status, given the placeholder holding `now`.
pub fn status_predicate(status: Status, now: &str) -> String {
    match status {
        Status::Used => "i.used_at IS NOT NULL".into(),
        Status::Revoked => "(i.used_at IS NULL AND i.revoked_at IS NOT NULL)".into(),
        Status::Expired => {
            format!("(i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= {now})")
        }
        Status::Suspended => format!(
            "(i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > {now} \
             AND (i.reported_at IS NOT NULL OR {LOST_AUTHORITY}))"
        ),
        Status::Active => format!(
            "(i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > {now} \
             AND i.reported_at IS NULL AND NOT {LOST_AUTHORITY})"
        ),
    }
}

/// An invitation plus what policy and the join page need besides.
#[derive(Clone, Debug)]
pub struct InvitationRow {
    pub invitation: Invitation,
    pub division_id: Option<i64>,
    pub division_name: Option<String>,
    pub creator_role: Option<Role>,
}

fn map(row: &AnyRow, now: DateTime<Utc>) -> Result<InvitationRow> {
    let role: String = col(row, "role")?;
    let role = role.parse::<Role>().unwrap_or(Role::Staff);
    let used_at: Option<i64> = col(row, "used_at")?;
    let revoked_at: Option<i64> = col(row, "revoked_at")?;
    let expires_at = from_ms(col(row, "expires_at")?);
    let lost: i64 = col(row, "lost")?;
    let facts = StatusFacts {
        used: used_at.is_some(),
        revoked: revoked_at.is_some(),
        inviter_lost_authority: lost != 0,
        reported: col::<Option<i64>>(row, "reported_at")?.is_some(),
        expires_at,
    };
    let status = Status::derive(facts, now);
    let code: String = col(row, "code")?;
    Ok(InvitationRow {
        invitation: Invitation {
            id: col(row, "id")?,
            code: group(&code),
            email: col(row, "email")?,
            role,
            division: col(row, "division")?,
            status,
            expires_at,
            created_at: from_ms(col(row, "created_at")?),
            created_by: col(row, "created_by")?,
            used_by: col(row, "used_by")?,
            used_at: used_at.map(from_ms),
            note: col(row, "note")?,
            suspended_reason: SuspendedReason::of(facts, now),
        },
        division_id: col(row, "division_id")?,
        division_name: col(row, "division_name")?,
        creator_role: col::<String>(row, "creator_role")?.parse().ok(),
    })
}

/// One invitation by id, its status as of `now`.
pub async fn get(c: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<Option<InvitationRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE i.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| map(&r, now))
        .transpose()
}

/// One invitation by its code, its status as of `now`.
pub async fn by_code(
    c: &mut Conn,
    code: &InvitationCode,
    now: DateTime<Utc>,
) -> Result<Option<InvitationRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE i.code = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(code.as_str())
        .fetch_optional(c)
        .await?
        .map(|r| map(&r, now))
        .transpose()
}

/// A public code check's two reads in one statement, so one round trip: the failures `bucket`
/// holds in its window (read as [`rate_limits::over_within`] reads them) and the code's row.
/// `Err(seconds until the window ends)` when the failures are at `limit`, whatever the code:
/// the answer then says nothing about it.
pub async fn by_code_within_limit(
    c: &mut Conn,
    code: &InvitationCode,
    bucket: &str,
    limit: i64,
    window_secs: i64,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Option<InvitationRow>, u64>> {
    // The same text on every check: composed once, not per request.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT f.count AS failures, f.window_start AS failures_start, r.* \
             FROM (SELECT 1 AS one) o \
             LEFT JOIN rate_limits f ON f.bucket = $2 AND f.window_start > $3 \
             LEFT JOIN (SELECT {COLUMNS} {FROM} WHERE i.code = $1) r ON 1 = 1"
        )
    });
    let now_ms = now.timestamp_millis();
    let row = sqlx::query(sqlx::AssertSqlSafe(SQL.as_str()))
        .bind(code.as_str())
        .bind(bucket)
        .bind(rate_limits::window_floor(window_secs, now_ms))
        .fetch_one(c)
        .await?;
    let failures: Option<i64> = col(&row, "failures")?;
    if let Some(count) = failures {
        let start: i64 = col(&row, "failures_start")?;
        if let Err(secs) = rate_limits::over(count, start, limit, window_secs, now_ms) {
            return Ok(Err(secs));
        }
    }
    if col::<Option<i64>>(&row, "id")?.is_none() {
        return Ok(Ok(None));
    }
    map(&row, now).map(|r| Ok(Some(r)))
}

/// A code to insert, already validated and authorised.
pub struct NewInvitation<'a> {
    pub code: &'a InvitationCode,
    pub email: Option<&'a str>,
    pub role: Role,
    pub division: Option<&'a DivisionRef>,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub note: Option<&'a str>,
}

/// Inserts codes, many to a statement (one round trip per 200); their ids, in the order given.
pub async fn insert(c: &mut Conn, rows: &[NewInvitation<'_>]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut q = insert_rows(
            "INSERT INTO invitations (code, email, role, division_id, created_by, created_at, \
             expires_at, note)",
            chunk.len(),
            8,
            " RETURNING id, code",
        );
        for n in chunk {
            q = q
                .bind(n.code.as_str())
                .bind(n.email)
                .bind(n.role.as_str())
                .bind(n.division.map(|d| d.id))
                .bind(n.created_by)
                .bind(n.created_at.timestamp_millis())
                .bind(n.expires_at.timestamp_millis())
                .bind(n.note);
        }
        // `RETURNING` promises no order: match the rows back by their (unique) code.
        let mut back = std::collections::HashMap::with_capacity(chunk.len());
        for row in q.fetch_all(&mut *c).await? {
            back.insert(col::<String>(&row, "code")?, col::<i64>(&row, "id")?);
        }
        for n in chunk {
            ids.push(
                back.get(n.code.as_str())
                    .copied()
                    .ok_or(sqlx::Error::RowNotFound)?,
            );
        }
    }
    Ok(ids)
}

/// Changes the bound email, expiry and note if the code is still unused, unrevoked and
/// unexpired at `now`; false when it is not (any more).
pub async fn update_if_open(
    c: &mut Conn,
    id: i64,
    email: Option<&str>,
    expires_at: DateTime<Utc>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET email = $1, expires_at = $2, note = $3, expiry_counted = 0 WHERE id = $4 \
         AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $5",
    )
    .bind(email)
    .bind(expires_at.timestamp_millis())
    .bind(note)
    .bind(id)
    .bind(now.timestamp_millis())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes the code if it is neither used nor revoked; false otherwise.
pub async fn revoke_if_open(c: &mut Conn, id: i64, by: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = $1, revoked_by = $2 WHERE id = $3 \
         AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now.timestamp_millis())
    .bind(by)
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the code if it has not been used; false otherwise.
pub async fn delete_if_unused(c: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM invitations WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the code used if it is still claimable at `now` and still bound to `email` (or to
/// none, for `None`): the redemption's single decisive write. False when any of that changed.
pub async fn claim(c: &mut Conn, id: i64, email: Option<&str>, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL \
         AND revoked_at IS NULL AND reported_at IS NULL AND expires_at > $1 \
         AND COALESCE(email, '') = $3",
    )
    .bind(now.timestamp_millis())
    .bind(id)
    .bind(email.unwrap_or_default())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an open code reported by its recipient (kept when it already was); false when the
/// code is used or revoked.
pub async fn report_if_open(c: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET reported_at = COALESCE(reported_at, $1) WHERE id = $2 \
         AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now.timestamp_millis())
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lifts a recipient's report from a code still open; false when there was none to lift.
pub async fn clear_report(c: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET reported_at = NULL WHERE id = $1 AND reported_at IS NOT NULL \
         AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records who redeemed the code.
pub async fn set_used_by(c: &mut Conn, id: i64, user_id: i64) -> Result<()> {
    sqlx::query("UPDATE invitations SET used_by = $1 WHERE id = $2")
        .bind(user_id)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// Whether the code's inviter still has authority over it (read inside the caller's
/// transaction, so a demotion committed meanwhile is seen).
pub async fn inviter_has_authority(c: &mut Conn, id: i64) -> Result<bool> {
    let sql = format!(
        "SELECT 1 AS ok FROM invitations i JOIN users c ON c.id = i.created_by \
         WHERE i.id = $1 AND NOT {LOST_AUTHORITY}"
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?
        .is_some())
}

/// Every email bound to a code that could still be redeemed at `now`.
pub async fn open_emails(
    c: &mut Conn,
    now: DateTime<Utc>,
) -> Result<std::collections::HashSet<String>> {
    let rows = sqlx::query(
        "SELECT i.email FROM invitations i WHERE i.email IS NOT NULL AND i.used_at IS NULL \
         AND i.revoked_at IS NULL AND i.expires_at > $1",
    )
    .bind(now.timestamp_millis())
    .fetch_all(c)
    .await?;
    rows.iter()
        .filter_map(|r| col::<Option<String>>(r, "email").transpose())
        .collect()
}

/// How many of a division's codes are Active at `now` (what its quota counts), from the tally.
pub async fn count_active_in(c: &mut Conn, division_id: i64, now: DateTime<Utc>) -> Result<i64> {
    Ok(tally::counts(c, Some(division_id), now).await?.0.active)
}
