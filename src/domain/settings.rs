//! Organisation-wide settings an admin changes: how far ahead an invitation may expire, by the
//! role it carries.

use super::error::{DomainError, Field};
use super::role::Role;
use serde::{Deserialize, Serialize};

/// The longest ceiling an admin may set (ten years).
pub const MAX_CEILING_DAYS: i64 = 3650;

/// The furthest expiry, in days from creation, for each role an invitation can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpiryCeilings {
    pub staff: i64,
    pub manager: i64,
    pub admin: i64,
}

impl ExpiryCeilings {
    /// The same ceiling for every role (the configured default before an admin sets any).
    pub fn uniform(days: i64) -> Self {
        ExpiryCeilings {
            staff: days,
            manager: days,
            admin: days,
        }
    }

    pub fn for_role(&self, role: Role) -> i64 {
        match role {
            Role::Staff => self.staff,
            Role::Manager => self.manager,
            Role::Admin => self.admin,
        }
    }

    /// Every ceiling is a whole number of days from 1 to [`MAX_CEILING_DAYS`].
    pub fn check(self) -> Result<Self, DomainError> {
        for role in [Role::Staff, Role::Manager, Role::Admin] {
            let d = self.for_role(role);
            if !(1..=MAX_CEILING_DAYS).contains(&d) {
                return Err(DomainError::invalid(
                    Field::MaxExpiryDays,
                    format!("max_expiry_days.{role}: must be from 1 to {MAX_CEILING_DAYS} days"),
                ));
            }
        }
        Ok(self)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub max_expiry_days: ExpiryCeilings,
    /// Managers and admins must sign in through the identity provider (only while one is
    /// configured). Left out of a `PUT`: unchanged. Shown only when on, so the document stays
    /// the contract's `{"max_expiry_days": ...}` for everyone not using it.
    #[serde(default, skip_serializing_if = "is_off")]
    pub oidc_required: Option<bool>,
}

fn is_off(v: &Option<bool>) -> bool {
    *v != Some(true)
}

/// What the create dialog tells its user before they try: how far ahead each role may expire
/// and, for someone inviting into their own division, what is left of its quota.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateLimits {
    pub max_expiry_days: ExpiryCeilings,
    pub quota: Option<QuotaUse>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaUse {
    /// The division's name.
    pub division: String,
    pub used: i64,
    pub max: i64,
}

impl QuotaUse {
    pub fn left(&self) -> i64 {
        (self.max - self.used).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_are_per_role_and_bounded() {
        let c = ExpiryCeilings {
            staff: 30,
            manager: 7,
            admin: 90,
        };
        assert_eq!(c.for_role(Role::Staff), 30);
        assert_eq!(c.for_role(Role::Manager), 7);
        assert_eq!(c.check(), Ok(c));
        for bad in [0, -1, MAX_CEILING_DAYS + 1] {
            let e = ExpiryCeilings { manager: bad, ..c }.check().unwrap_err();
            assert_eq!(e.code(), "invalid_max_expiry_days");
            assert!(e.to_string().contains("manager"), "{e}");
        }
    }
}
