use super::error::{DomainError, Field};
use super::username::Username;

/// A bundled list of common passwords long enough to pass the length rule.
const COMMON: &str = include_str!("common_passwords.txt");

/// Checks a new password: 12–128 characters, not the username, not a common password.
pub fn check_new_password(password: &str, username: &Username) -> Result<(), DomainError> {
    let n = password.chars().count();
    let weak = |m: &str| DomainError::invalid(Field::Password, format!("password: {m}"));
    if n < 12 {
        return Err(weak("must be at least 12 characters long"));
    }
    if n > 128 {
        return Err(weak("must be at most 128 characters long"));
    }
    let lower = password.to_lowercase();
    if lower == username.as_str() || lower.contains(username.as_str()) && n < 16 {
        return Err(weak("must not be (or be built on) your username"));
    }
    if password.chars().all(|c| password.starts_with(c)) {
        return Err(weak("must not repeat a single character"));
    }
    if COMMON.lines().any(|l| l.trim() == lower) {
        return Err(weak("is too common; choose something harder to guess"));
    }
    Ok(())
}

/// A rough strength hint for the sign-up form (0 = weak … 4 = strong).
pub fn strength(password: &str) -> u8 {
    let n = password.chars().count();
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    match (n, classes) {
        (0..=11, _) => 0,
        (12..=15, 0..=2) => 1,
        (12..=15, _) => 2,
        (_, 0..=1) => 2,
        (_, 2 | 3) => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u() -> Username {
        Username::parse("ana").unwrap()
    }

    #[test]
    fn accepts_a_reasonable_password() {
        assert!(check_new_password("correct horse battery", &u()).is_ok());
    }

    #[test]
    fn rejects_weak_passwords_with_weak_password_code() {
        for bad in [
            "short",
            &"x".repeat(129),
            "password1234",
            "aaaaaaaaaaaaaa",
            "ana",
        ] {
            assert_eq!(
                check_new_password(bad, &u()).unwrap_err().code(),
                "weak_password",
                "{bad}"
            );
        }
        let long_name = Username::parse("christopher").unwrap();
        assert!(check_new_password("christopher1", &long_name).is_err());
    }

    #[test]
    fn strength_grows_with_length_and_variety() {
        assert_eq!(strength("abc"), 0);
        assert!(strength("abcdefghijkl") < strength("Abcdefgh1jkl!xyz"));
    }
}
