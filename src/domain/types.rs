//! Shapes shared by the server (API responses, server functions) and the browser (rendering).

use super::role::Role;
use super::status::{Status, SuspendedReason};
#[cfg(feature = "hydrate")]
use super::wire_time;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct User {
    pub username: String,
    pub email: Option<String>,
    pub role: Role,
    /// Division slug; `null` for admins.
    pub division: Option<String>,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: i64,
    /// Grouped for display: `XXXX-XXXX-XXXX-XXXX`.
    pub code: String,
    pub email: Option<String>,
    pub role: Role,
    pub division: Option<String>,
    pub status: Status,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub expires_at: DateTime<Utc>,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub used_by: Option<String>,
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub used_at: Option<DateTime<Utc>>,
    /// A short note for the people who manage the code ("barista, starts 1 Dec").
    #[serde(default)]
    pub note: Option<String>,
    /// Present only while the code is Suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_reason: Option<SuspendedReason>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Counts {
    pub active: i64,
    pub used: i64,
    pub expired: i64,
    pub revoked: i64,
    pub suspended: i64,
}

impl Counts {
    pub fn get(&self, s: Status) -> i64 {
        match s {
            Status::Active => self.active,
            Status::Used => self.used,
            Status::Expired => self.expired,
            Status::Revoked => self.revoked,
            Status::Suspended => self.suspended,
        }
    }

    pub fn get_mut(&mut self, s: Status) -> &mut i64 {
        match s {
            Status::Active => &mut self.active,
            Status::Used => &mut self.used,
            Status::Expired => &mut self.expired,
            Status::Revoked => &mut self.revoked,
            Status::Suspended => &mut self.suspended,
        }
    }

    pub fn all(&self) -> i64 {
        self.active + self.used + self.expired + self.revoked + self.suspended
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvitationPage {
    pub items: Vec<Invitation>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    pub counts: Counts,
    /// A search matched [`SEARCH_COUNT_CAP`] codes or more: counting stopped there, so
    /// `total` and `counts` are lower bounds ("1000+").
    #[serde(default)]
    pub capped: bool,
}

/// How many codes a search counts before it stops: a broad search ("a") would otherwise visit
/// every match, with its inviter, for counts nobody reads past "1000+". (It was 10,000 until
/// 2026-12-03: at a million codes, counting that far cost a broad search about 100 ms.)
pub const SEARCH_COUNT_CAP: i64 = 1_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Division {
    pub slug: String,
    pub name: String,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub created_at: DateTime<Utc>,
    /// At most this many Active codes at once; `null`: no quota.
    #[serde(default)]
    pub max_active_codes: Option<i64>,
}

/// What a redemption preview tells the new hire before they sign up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CodeCheck {
    pub valid: bool,
    pub email_bound: bool,
    pub role: Option<Role>,
    pub division: Option<String>,
}

/// One audit trail row as shown to people and integrations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: i64,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub division: Option<String>,
    pub invitation_id: Option<i64>,
    pub client_addr: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub details: serde_json::Value,
    /// The invitation's code and email as they are now, when it still exists, so a reader sees
    /// which code an event was about (the event itself stores only the id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    pub total: i64,
    /// Pass as `cursor` for the next (older) page: paging by cursor stays exact while new
    /// events arrive, and costs the same on the last page as on the first.
    #[serde(default)]
    pub next_cursor: Option<i64>,
}

/// The logged-in viewer, as the UI shell needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: User,
    pub division_id: Option<i64>,
    pub division_name: Option<String>,
}

/// What the UI may offer, asked of the same policy table the server enforces, so a button is
/// shown exactly when pressing it would be allowed.
impl Viewer {
    pub fn policy(&self) -> super::ActorRef {
        super::ActorRef {
            role: self.user.role,
            division: self.division_id,
            scopes: None,
        }
    }

    /// May the viewer do `action` in their own division (or, for admins, anywhere)?
    pub fn may(&self, action: super::Action) -> bool {
        super::policy::may(Some(self.policy()), action)
    }

    /// May the viewer do `action` across every division (an unfiltered list, for instance)?
    pub fn may_everywhere(&self, action: super::Action) -> bool {
        super::authorize(Some(self.policy()), action, None).is_ok()
    }

    /// May the viewer do `action` to a record of the division with this slug?
    pub fn may_on(&self, action: super::Action, division: Option<&str>) -> bool {
        let own = self.division_id.is_some() && division == self.user.division.as_deref();
        let target = if own {
            self.division_id
        } else {
            Some(super::policy::NO_DIVISION)
        };
        super::authorize(Some(self.policy()), action, target).is_ok()
    }
}

/// The preview a new hire sees on `/join` before signing up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodePreview {
    pub check: CodeCheck,
    pub code: Option<String>,
    pub division_name: Option<String>,
    /// The inviter's role, never their login name: the page says "a manager of Sales".
    pub inviter_role: Option<Role>,
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// Why the code cannot be used, as an API error code.
    pub problem: Option<String>,
}

impl CodePreview {
    /// A check's answer for a code that cannot be used and says nothing about it beyond
    /// `problem` (an API error code).
    pub fn invalid(problem: &str) -> Self {
        CodePreview {
            check: CodeCheck {
                valid: false,
                email_bound: false,
                role: None,
                division: None,
            },
            code: None,
            division_name: None,
            inviter_role: None,
            expires_at: None,
            problem: Some(problem.to_string()),
        }
    }
}

/// A user as the admin console lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserRow {
    #[serde(flatten)]
    pub user: User,
    pub disabled: bool,
}

/// One row of a staged bulk upload, with its verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkRow {
    pub row: usize,
    pub email: Option<String>,
    pub role: Option<String>,
    pub division: Option<String>,
    pub expires_at: Option<String>,
    pub ok: bool,
    pub problem: Option<String>,
}

/// A staged bulk upload: its rows' verdicts before commit, the created codes after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkPreview {
    pub id: i64,
    pub filename: Option<String>,
    pub rows: Vec<BulkRow>,
    pub committed: bool,
    pub created: Vec<Invitation>,
}

/// Where an outgoing email stands: waiting (and maybe retrying), delivered, or given up on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MailStatus {
    Queued,
    Sent,
    Failed,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MailStatus> {
        match s {
            "queued" => Some(MailStatus::Queued),
            "sent" => Some(MailStatus::Sent),
            "failed" => Some(MailStatus::Failed),
            _ => None,
        }
    }
}

/// One outgoing email (the outbox), as admins and the invitation's page show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub id: i64,
    pub invitation_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub lang: super::lang::Lang,
    pub status: MailStatus,
    pub attempts: i64,
    /// Why the last attempt failed (kept while retrying, and when given up).
    pub last_error: Option<String>,
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub next_attempt_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub created_at: DateTime<Utc>,
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OutboxPage {
    pub items: Vec<OutboxMessage>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

/// An API token as listed (never the token itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    /// The username of the person the token acts as.
    pub owner: String,
    /// `invitations:read`, `invitations:write`, `admin`.
    pub scopes: Vec<String>,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub created_at: DateTime<Utc>,
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub expires_at: Option<DateTime<Utc>>,
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}
