//! SQL shared by the services, written once for both backends (`$n` placeholders, integer
//! millisecond timestamps, no backend-specific functions).

use super::col;
use crate::clock::from_ms;
use crate::domain::code::group;
use crate::domain::status::StatusFacts;
use crate::domain::{Invitation, Role, Status, User};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

/// A bind parameter for dynamically built queries.
#[derive(Clone, Debug)]
pub enum Param {
    Int(i64),
    Text(String),
}

/// Collects `$n` placeholders and their values while a query is assembled.
#[derive(Clone, Default)]
pub struct Params(pub Vec<Param>);

impl Params {
    pub fn push(&mut self, p: Param) -> String {
        self.0.push(p);
        format!("${}", self.0.len())
    }
    pub fn int(&mut self, v: i64) -> String {
        self.push(Param::Int(v))
    }
    pub fn text(&mut self, v: impl Into<String>) -> String {
        self.push(Param::Text(v.into()))
    }
    pub fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        for p in &self.0 {
            q = match p {
                Param::Int(v) => q.bind(*v),
                Param::Text(v) => q.bind(v.as_str()),
            };
        }
        q
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn like_pattern(s: &str) -> String {
    let mut out = String::from("%");
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The inviter no longer has authority over the invitation: disabled, or not (any more) an
/// admin or the manager of that division. Used for the Suspended status.
pub const LOST_AUTHORITY: &str = "(c.disabled_at IS NOT NULL OR (c.role <> 'admin' AND \
     (c.role <> 'manager' OR c.division_id IS NULL OR c.division_id <> COALESCE(i.division_id, -1))))";

pub const INVITATION_COLUMNS: &str = "i.id, i.code, i.email, i.role, d.slug AS division, \
     i.expires_at, i.created_at, c.username AS created_by, u.username AS used_by, i.used_at, \
     i.revoked_at, i.division_id, \
     CASE WHEN (c.disabled_at IS NOT NULL OR (c.role <> 'admin' AND (c.role <> 'manager' OR \
     c.division_id IS NULL OR c.division_id <> COALESCE(i.division_id, -1)))) THEN 1 ELSE 0 END AS lost";

pub const INVITATION_FROM: &str = "FROM invitations i \
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

/// An invitation row plus the ids the services need for policy.
pub struct InvitationRow {
    pub invitation: Invitation,
    pub division_id: Option<i64>,
}

pub fn map_invitation(row: &AnyRow, now: DateTime<Utc>) -> Result<InvitationRow, sqlx::Error> {
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
    })
}

pub const USER_COLUMNS: &str =
    "u.id, u.username, u.email, u.role, u.division_id, d.slug AS division, d.name AS division_name, \
     u.created_at, u.disabled_at, u.password_hash";
pub const USER_FROM: &str = "FROM users u LEFT JOIN divisions d ON d.id = u.division_id";

pub fn map_user(row: &AnyRow) -> Result<User, sqlx::Error> {
    let role: String = col(row, "role")?;
    Ok(User {
        username: col(row, "username")?,
        email: col(row, "email")?,
        role: role.parse().unwrap_or(Role::Staff),
        division: col(row, "division")?,
        created_at: from_ms(col(row, "created_at")?),
    })
}
