use super::error::{DomainError, Field};
use serde::{Deserialize, Serialize};
use std::fmt;

/// 3–32 characters of `a-z 0-9 . _ -`, starting with a letter. Input is lower-cased first, so
/// usernames are unique case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = input.trim().to_lowercase();
        let n = s.chars().count();
        if !(3..=32).contains(&n) {
            return Err(DomainError::invalid(
                Field::Username,
                "username: must be 3 to 32 characters long",
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(DomainError::invalid(
                Field::Username,
                "username: must start with a letter",
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        {
            return Err(DomainError::invalid(
                Field::Username,
                "username: may only contain letters a-z, digits and . _ -",
            ));
        }
        Ok(Username(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_lowercases() {
        assert_eq!(
            Username::parse("Ana.Maria_2").unwrap().as_str(),
            "ana.maria_2"
        );
    }

    #[test]
    fn rejects_bad_usernames() {
        for bad in [
            "ab",
            "1ana",
            "_ana",
            "ana maria",
            "ana@x",
            &"a".repeat(33),
            "ánä",
        ] {
            assert_eq!(
                Username::parse(bad).unwrap_err().code(),
                "invalid_username",
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn valid_shapes_are_accepted(s in "[a-z][a-z0-9._-]{2,31}") {
            let parsed = Username::parse(&s).unwrap();
            prop_assert_eq!(parsed.as_str(), s.as_str());
        }
    }
}
