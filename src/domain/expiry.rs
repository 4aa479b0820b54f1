use super::error::{DomainError, Field};
use super::role::Role;
use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};

pub const DEFAULT_DAYS: i64 = 7;
pub const DEFAULT_MAX_DAYS: i64 = 90;

/// An expiry instant known to be in the future and within the ceiling for its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry(DateTime<Utc>);

impl Expiry {
    /// `None` means the default: now + 7 days, or the ceiling when that is shorter.
    /// `ceiling_days` is how far ahead a `role` invitation may expire.
    pub fn parse(
        now: DateTime<Utc>,
        requested: Option<DateTime<Utc>>,
        role: Role,
        ceiling_days: i64,
    ) -> Result<Self, DomainError> {
        let at = requested.unwrap_or(now + Duration::days(DEFAULT_DAYS.min(ceiling_days)));
        Self::future(now, at)?;
        if at > now + Duration::days(ceiling_days) {
            return Err(DomainError::ExpiryTooFar(role, ceiling_days));
        }
        Ok(Expiry(at))
    }

    /// Refuses an instant that is not after `now` (the first check of `parse`, which needs no
    /// ceiling).
    pub fn future(now: DateTime<Utc>, at: DateTime<Utc>) -> Result<(), DomainError> {
        if at <= now {
            return Err(DomainError::invalid(
                Field::ExpiresAt,
                "expires_at: must be in the future",
            ));
        }
        Ok(())
    }

    /// Parses text: RFC 3339, or the `YYYY-MM-DDTHH:MM` of a datetime-local input, which is
    /// read in the given offset (minutes east of UTC, as the browser reports it).
    pub fn parse_text(
        now: DateTime<Utc>,
        text: &str,
        offset_minutes: i32,
        role: Role,
        ceiling_days: i64,
    ) -> Result<Self, DomainError> {
        let text = text.trim();
        if text.is_empty() {
            return Self::parse(now, None, role, ceiling_days);
        }
        Self::parse(
            now,
            Some(parse_instant(text, offset_minutes)?),
            role,
            ceiling_days,
        )
    }

    pub fn at(self) -> DateTime<Utc> {
        self.0
    }
}

/// Reads an instant from RFC 3339 or a local `YYYY-MM-DDTHH:MM[:SS]` with an offset.
pub fn parse_instant(text: &str, offset_minutes: i32) -> Result<DateTime<Utc>, DomainError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        // To the millisecond, as stored: the instant answered is the one read back.
        return Ok(t.with_timezone(&Utc).trunc_subsecs(3));
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, fmt) {
            return Ok(naive.and_utc() - Duration::minutes(offset_minutes as i64));
        }
    }
    Err(DomainError::invalid(
        Field::ExpiresAt,
        "expires_at: must be a date and time such as 2030-01-31T17:00:00Z",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 1, 1, 12, 0, 0).unwrap()
    }

    const S: Role = Role::Staff;

    #[test]
    fn defaults_to_seven_days_or_the_shorter_ceiling() {
        assert_eq!(
            Expiry::parse(now(), None, S, 90).unwrap().at(),
            now() + Duration::days(7)
        );
        assert_eq!(
            Expiry::parse(now(), None, S, 3).unwrap().at(),
            now() + Duration::days(3)
        );
    }

    #[test]
    fn must_be_future_and_within_the_roles_ceiling() {
        assert!(Expiry::parse(now(), Some(now()), S, 90).is_err());
        assert!(Expiry::parse(now(), Some(now() - Duration::seconds(1)), S, 90).is_err());
        assert!(Expiry::parse(now(), Some(now() + Duration::days(90)), S, 90).is_ok());
        let err = Expiry::parse(now(), Some(now() + Duration::days(91)), S, 90).unwrap_err();
        assert_eq!(err, DomainError::ExpiryTooFar(S, 90));
        assert_eq!((err.status(), err.code().as_str()), (422, "expiry_too_far"));
        let err = Expiry::parse(now(), Some(now() + Duration::days(8)), Role::Manager, 7);
        assert_eq!(err, Err(DomainError::ExpiryTooFar(Role::Manager, 7)));
    }

    #[test]
    fn reads_rfc3339_and_local_inputs() {
        let a = Expiry::parse_text(now(), "2030-01-02T12:00:00Z", 0, S, 90).unwrap();
        assert_eq!(a.at(), now() + Duration::days(1));
        // 19:00 at UTC+7 is 12:00 UTC.
        let b = Expiry::parse_text(now(), "2030-01-02T19:00", 420, S, 90).unwrap();
        assert_eq!(b.at(), now() + Duration::days(1));
        assert!(Expiry::parse_text(now(), "next tuesday", 0, S, 90).is_err());
    }
}
