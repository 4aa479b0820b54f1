use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An invitation's status. Derived from its facts and `now`, never stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Used,
    Expired,
    Revoked,
    Suspended,
}

/// The facts status is derived from.
#[derive(Clone, Copy, Debug)]
pub struct StatusFacts {
    pub used: bool,
    pub revoked: bool,
    /// The inviter is disabled or no longer has authority over the invitation's division.
    pub inviter_lost_authority: bool,
    /// The recipient reported the code as not meant for them, and no admin has reinstated it.
    pub reported: bool,
    pub expires_at: DateTime<Utc>,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Active,
        Status::Used,
        Status::Expired,
        Status::Revoked,
        Status::Suspended,
    ];

    /// Precedence: Used, then Revoked, then Expired, then Suspended, else Active.
    pub fn derive(f: StatusFacts, now: DateTime<Utc>) -> Status {
        if f.used {
            Status::Used
        } else if f.revoked {
            Status::Revoked
        } else if f.expires_at <= now {
            Status::Expired
        } else if f.reported || f.inviter_lost_authority {
            Status::Suspended
        } else {
            Status::Active
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Used => "used",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
            Status::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Why a code is Suspended. A report by its recipient is named first: it is the one an admin
/// has to act on, and it stays after the inviter regains authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SuspendedReason {
    InviterLostAuthority,
    ReportedByRecipient,
}

impl SuspendedReason {
    /// The reason for a code with these facts, if it is Suspended at `now`.
    pub fn of(f: StatusFacts, now: DateTime<Utc>) -> Option<SuspendedReason> {
        match Status::derive(f, now) {
            Status::Suspended if f.reported => Some(SuspendedReason::ReportedByRecipient),
            Status::Suspended => Some(SuspendedReason::InviterLostAuthority),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SuspendedReason::InviterLostAuthority => "inviter_lost_authority",
            SuspendedReason::ReportedByRecipient => "reported_by_recipient",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts(used: bool, revoked: bool, lost: bool, exp: i64) -> StatusFacts {
        StatusFacts {
            used,
            revoked,
            inviter_lost_authority: lost,
            reported: false,
            expires_at: Utc.timestamp_opt(exp, 0).unwrap(),
        }
    }

    #[test]
    fn expiry_is_inclusive_at_the_exact_instant() {
        let now = Utc.timestamp_opt(1000, 0).unwrap();
        assert_eq!(
            Status::derive(facts(false, false, false, 1001), now),
            Status::Active
        );
        assert_eq!(
            Status::derive(facts(false, false, false, 1000), now),
            Status::Expired
        );
        assert_eq!(
            Status::derive(facts(false, false, false, 999), now),
            Status::Expired
        );
    }

    #[test]
    fn precedence_is_used_revoked_expired_suspended() {
        let now = Utc.timestamp_opt(1000, 0).unwrap();
        assert_eq!(
            Status::derive(facts(true, true, true, 0), now),
            Status::Used
        );
        assert_eq!(
            Status::derive(facts(false, true, true, 0), now),
            Status::Revoked
        );
        assert_eq!(
            Status::derive(facts(false, false, true, 0), now),
            Status::Expired
        );
        assert_eq!(
            Status::derive(facts(false, false, true, 2000), now),
            Status::Suspended
        );
    }

    #[test]
    fn a_report_suspends_an_open_code_and_is_the_reason_named() {
        let now = Utc.timestamp_opt(1000, 0).unwrap();
        let reported = |lost, exp| StatusFacts {
            reported: true,
            ..facts(false, false, lost, exp)
        };
        for (f, status, reason) in [
            (
                reported(false, 2000),
                Status::Suspended,
                Some(SuspendedReason::ReportedByRecipient),
            ),
            (
                reported(true, 2000),
                Status::Suspended,
                Some(SuspendedReason::ReportedByRecipient),
            ),
            (
                facts(false, false, true, 2000),
                Status::Suspended,
                Some(SuspendedReason::InviterLostAuthority),
            ),
            // A report does not outrank the facts that end a code.
            (reported(false, 0), Status::Expired, None),
            (
                StatusFacts {
                    used: true,
                    ..reported(false, 2000)
                },
                Status::Used,
                None,
            ),
            (
                StatusFacts {
                    revoked: true,
                    ..reported(false, 2000)
                },
                Status::Revoked,
                None,
            ),
            (facts(false, false, false, 2000), Status::Active, None),
        ] {
            assert_eq!(Status::derive(f, now), status, "{f:?}");
            assert_eq!(SuspendedReason::of(f, now), reason, "{f:?}");
        }
    }
}
