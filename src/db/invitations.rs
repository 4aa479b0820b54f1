//! Invitations: codes, their state (used, revoked, expiry) and the list with its counts.
//!
//! A code's status is derived, never stored: Used, Revoked and Expired from its own columns,
//! Suspended from its inviter's current role and division (see [`LOST_AUTHORITY`]).

use super::divisions::DivisionRef;
use super::sql::{like_pattern, Params};
use super::{col, Backend, Conn, Result};
use crate::clock::from_ms;
use crate::domain::code::group;
use crate::domain::status::StatusFacts;
use crate::domain::{Counts, Invitation, InvitationCode, Role, Status, StatusFilter};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

/// The inviter no longer has authority over the invitation: disabled, or not (any more) an
/// admin or the manager of that division. Used for the Suspended status.
pub const LOST_AUTHORITY: &str = "(c.disabled_at IS NOT NULL OR (c.role <> 'admin' AND \
     (c.role <> 'manager' OR c.division_id IS NULL OR c.division_id <> COALESCE(i.division_id, -1))))";

const COLUMNS: &str = "i.id, i.code, i.email, i.role, d.slug AS division, \
     i.expires_at, i.created_at, c.username AS created_by, u.username AS used_by, i.used_at, \
     i.revoked_at, i.division_id, d.name AS division_name, c.role AS creator_role, \
     CASE WHEN (c.disabled_at IS NOT NULL OR (c.role <> 'admin' AND (c.role <> 'manager' OR \
     c.division_id IS NULL OR c.division_id <> COALESCE(i.division_id, -1)))) THEN 1 ELSE 0 END AS lost";

const FROM: &str = "FROM invitations i \
     JOIN users c ON c.id = i.created_by \
     LEFT JOIN divisions d ON d.id = i.division_id \
     LEFT JOIN users u ON u.id = i.used_by";

/// The SQL predicate for one status, given the placeholder holding `now`.
pub fn status_predicate(status: Status, now: &str) -> String {
    match status {
        Status::Used => "i.used_at IS NOT NULL".into(),
        Status::Revoked => "(i.used_at IS NULL AND i.revoked_at IS NOT NULL)".into(),
        Status::Expired => {
            format!("(i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= {now})")
        }
        Status::Suspended => format!(
            "(i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > {now} AND {LOST_AUTHORITY})"
        ),
        Status::Active => format!(
            "(i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > {now} AND NOT {LOST_AUTHORITY})"
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
    let status = Status::derive(
        StatusFacts {
            used: used_at.is_some(),
            revoked: revoked_at.is_some(),
            inviter_lost_authority: lost != 0,
            expires_at,
        },
        now,
    );
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

/// A code to insert, already validated and authorised.
pub struct NewInvitation<'a> {
    pub code: &'a InvitationCode,
    pub email: Option<&'a str>,
    pub role: Role,
    pub division: Option<&'a DivisionRef>,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(c: &mut Conn, n: &NewInvitation<'_>) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO invitations (code, email, role, division_id, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(n.code.as_str())
    .bind(n.email)
    .bind(n.role.as_str())
    .bind(n.division.map(|d| d.id))
    .bind(n.created_by)
    .bind(n.created_at.timestamp_millis())
    .bind(n.expires_at.timestamp_millis())
    .fetch_one(c)
    .await?;
    col(&row, "id")
}

/// Changes the bound email and expiry if the code is still unused, unrevoked and unexpired at
/// `now`; false when it is not (any more).
pub async fn update_if_open(
    c: &mut Conn,
    id: i64,
    email: Option<&str>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET email = $1, expires_at = $2 WHERE id = $3 \
         AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $4",
    )
    .bind(email)
    .bind(expires_at.timestamp_millis())
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
         AND revoked_at IS NULL AND expires_at > $1 AND COALESCE(email, '') = $3",
    )
    .bind(now.timestamp_millis())
    .bind(id)
    .bind(email.unwrap_or_default())
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

/// What a list shows: one division or all, a search, a status, a window.
pub struct ListFilter<'a> {
    pub division_id: Option<i64>,
    /// The search as typed (trimmed); empty for none.
    pub q: &'a str,
    pub status: StatusFilter,
    pub limit: i64,
    pub offset: i64,
}

/// One page of a list, the counts per status over the whole selection (search and division
/// applied, status not), and the size of the selection with the status applied.
pub struct ListPage {
    pub items: Vec<Invitation>,
    pub counts: Counts,
    pub total: i64,
}

/// A search for codes: typed with or without dashes, with the easily confused letters read as
/// the digits codes use.
fn code_search(q: &str) -> String {
    q.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

pub async fn list(
    c: &mut Conn,
    backend: Backend,
    f: &ListFilter<'_>,
    now: DateTime<Utc>,
) -> Result<ListPage> {
    let mut p = Params::default();
    let now_ph = p.int(now.timestamp_millis());
    let mut filters: Vec<String> = Vec::new();
    if let Some(div) = f.division_id {
        filters.push(format!("i.division_id = {}", p.int(div)));
    }
    if !f.q.is_empty() {
        let code_q = code_search(f.q);
        let text_q = f.q.to_lowercase();
        // SQLite narrows a search by its FTS5 trigram index (migration 0003) when both forms
        // have the three characters a trigram needs; shorter searches and PostgreSQL use the
        // LIKE predicates alone.
        let long_enough = |s: &str| s.chars().count() >= 3;
        if backend == Backend::Sqlite && long_enough(&code_q) && long_enough(&text_q) {
            // The index's LIKE takes no ESCAPE, so the raw text goes in: a `%` or `_` typed
            // by the user widens the candidates, and the exact predicates below decide.
            let a = p.text(format!("%{code_q}%"));
            let b = p.text(format!("%{text_q}%"));
            filters.push(format!(
                "i.id IN (SELECT rowid FROM invitation_search WHERE doc LIKE {a} \
                 UNION SELECT rowid FROM invitation_search WHERE doc LIKE {b})"
            ));
        }
        let code_ph = p.text(like_pattern(&code_q));
        let text_ph = p.text(like_pattern(&text_q));
        filters.push(format!(
            "(i.code LIKE {code_ph} ESCAPE '\\' OR i.email LIKE {text_ph} ESCAPE '\\' \
             OR u.username LIKE {text_ph} ESCAPE '\\')"
        ));
    }
    let base_where = if filters.is_empty() {
        "1 = 1".to_string()
    } else {
        filters.join(" AND ")
    };
    let (counts, total_all) = if f.q.is_empty() {
        counts_by_creator(&mut *c, &p, &now_ph, &base_where).await?
    } else {
        counts_with_search(&mut *c, &p, &now_ph, &base_where).await?
    };
    let mut where_sql = base_where;
    if let StatusFilter::Only(s) = f.status {
        where_sql = format!("{where_sql} AND {}", status_predicate(s, &now_ph));
    }
    let total = match f.status {
        StatusFilter::All => total_all,
        StatusFilter::Only(s) => counts.get(s),
    };
    let limit_ph = p.int(f.limit);
    let offset_ph = p.int(f.offset);
    let items_sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE {where_sql} \
         ORDER BY i.created_at DESC, i.id DESC LIMIT {limit_ph} OFFSET {offset_ph}"
    );
    let items = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(items_sql.as_str())))
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| map(r, now).map(|x| x.invitation))
        .collect::<Result<Vec<_>>>()?;
    Ok(ListPage {
        items,
        counts,
        total,
    })
}

/// `SUM(...) AS used, ...` for each status, then `COUNT(*) AS total`.
fn status_sums(now_ph: &str, statuses: &[Status]) -> String {
    let mut cols: Vec<String> = statuses
        .iter()
        .map(|s| {
            format!(
                "SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS {}",
                status_predicate(*s, now_ph),
                s.as_str()
            )
        })
        .collect();
    cols.push("COUNT(*) AS total".into());
    cols.join(", ")
}

/// Counts per status without a search: one pass over the covering index
/// `(division_id, created_by, used_at, revoked_at, expires_at)`, grouped by inviter, so the
/// inviter (needed for Suspended) is looked up once per inviter instead of once per row.
async fn counts_by_creator(
    c: &mut Conn,
    p: &Params,
    now_ph: &str,
    base_where: &str,
) -> Result<(Counts, i64)> {
    let sql = format!(
        "SELECT i.used, i.revoked, i.expired, i.total, \
           CASE WHEN {LOST_AUTHORITY} THEN 1 ELSE 0 END AS lost \
         FROM (SELECT i.division_id, i.created_by, {sums} \
               FROM invitations i WHERE {base_where} \
               GROUP BY i.division_id, i.created_by) i \
         JOIN users c ON c.id = i.created_by",
        sums = status_sums(now_ph, &[Status::Used, Status::Revoked, Status::Expired]),
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
        let open = all - used - revoked - expired;
        counts.used += used;
        counts.revoked += revoked;
        counts.expired += expired;
        if n("lost")? == 1 {
            counts.suspended += open;
        } else {
            counts.active += open;
        }
        total += all;
    }
    Ok((counts, total))
}

/// Counts per status for a search: over the matching rows, which also need the redeemer.
async fn counts_with_search(
    c: &mut Conn,
    p: &Params,
    now_ph: &str,
    base_where: &str,
) -> Result<(Counts, i64)> {
    let sql = format!(
        "SELECT {sums} FROM invitations i JOIN users c ON c.id = i.created_by \
           LEFT JOIN users u ON u.id = i.used_by WHERE {base_where}",
        sums = status_sums(
            now_ph,
            &[
                Status::Used,
                Status::Revoked,
                Status::Expired,
                Status::Suspended
            ]
        ),
    );
    let row = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_one(c)
        .await?;
    let n = |name: &str| col::<Option<i64>>(&row, name).map(|v| v.unwrap_or(0));
    let total = n("total")?;
    let mut counts = Counts {
        used: n("used")?,
        revoked: n("revoked")?,
        expired: n("expired")?,
        suspended: n("suspended")?,
        active: 0,
    };
    counts.active = total - counts.used - counts.revoked - counts.expired - counts.suspended;
    Ok((counts, total))
}
