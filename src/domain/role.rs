use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's role. The order is meaningful and stated: `Staff < Manager < Admin`, each role
/// being able to do at least what the one before it can (within its division).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Staff,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Staff, Role::Manager, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Role::Staff => "Staff",
            Role::Manager => "Manager",
            Role::Admin => "Admin",
        }
    }

    /// Admins are global; every other role belongs to exactly one division.
    pub fn needs_division(self) -> bool {
        self != Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_ascii_lowercase().as_str() {
            "staff" => Ok(Role::Staff),
            "manager" => Ok(Role::Manager),
            "admin" => Ok(Role::Admin),
            _ => Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_authority() {
        assert!(Role::Staff < Role::Manager);
        assert!(Role::Manager < Role::Admin);
    }

    #[test]
    fn roles_round_trip_through_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert_eq!(" Manager ".parse::<Role>(), Ok(Role::Manager));
        assert!("owner".parse::<Role>().is_err());
    }
}
