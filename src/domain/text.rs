//! The character policy for free text a person or client sends: a maximum length and no
//! control characters (NUL included, which PostgreSQL cannot store). Every parser that takes
//! text from outside calls [`bounded`] first, before any counter, hash or query sees it.

use super::error::{DomainError, Field};

/// Longest login name accepted at the login form (real usernames are at most 32 characters;
/// the slack lets an over-long one be a plain failed login, not a different answer).
pub const MAX_LOGIN_NAME: usize = 64;
/// Longest password accepted anywhere (argon2 would take any length; nobody types more).
pub const MAX_PASSWORD: usize = 1024;
/// Longest invitation code as typed (16 symbols plus generous spacing and dashes).
pub const MAX_CODE_INPUT: usize = 64;
/// Longest search text.
pub const MAX_QUERY: usize = 200;
/// Longest filter value (a slug, a username, an action name).
pub const MAX_FILTER: usize = 64;

/// Longest note on an invitation.
pub const MAX_NOTE: usize = 200;

/// A note as given: trimmed, bounded, and `None` when empty.
pub fn note(input: Option<&str>) -> Result<Option<String>, DomainError> {
    match input
        .map(|n| bounded(Field::Note, n, MAX_NOTE))
        .transpose()?
    {
        Some(n) if !n.is_empty() => Ok(Some(n.to_string())),
        _ => Ok(None),
    }
}

/// A name that must be given: [`bounded`], and not empty.
pub fn required(field: Field, input: &str, max_chars: usize) -> Result<&str, DomainError> {
    let s = bounded(field, input, max_chars)?;
    if s.is_empty() {
        return Err(DomainError::invalid(
            field,
            format!("{field}: 1 to {max_chars} characters"),
        ));
    }
    Ok(s)
}

/// `input` trimmed, when it has at most `max_chars` characters and no control characters;
/// otherwise a validation error naming `field`.
pub fn bounded(field: Field, input: &str, max_chars: usize) -> Result<&str, DomainError> {
    let s = input.trim();
    if s.chars().count() > max_chars {
        return Err(DomainError::invalid(
            field,
            format!("{field}: must be at most {max_chars} characters long"),
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            format!("{field}: must not contain control characters"),
        ));
    }
    Ok(s)
}

/// A password as given (not trimmed: spaces are part of it), bounded the same way.
pub fn password(input: &str) -> Result<&str, DomainError> {
    if input.chars().count() > MAX_PASSWORD || input.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            Field::Password,
            format!(
                "password: must be at most {MAX_PASSWORD} characters, without control characters"
            ),
        ));
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_is_bounded_and_free_of_control_characters() {
        assert_eq!(bounded(Field::Name, "  Sales ", 10), Ok("Sales"));
        assert!(bounded(Field::Name, &"x".repeat(11), 10).is_err());
        assert_eq!(bounded(Field::Name, &"é".repeat(10), 10), Ok("éééééééééé"));
        for bad in ["a\u{0}b", "a\tb", "a\u{7f}", "a\u{85}b", "line\nbreak"] {
            let e = bounded(Field::Name, bad, 100).unwrap_err();
            assert_eq!(e.field(), Some(Field::Name), "{bad:?}");
            assert_eq!(e.status(), 422);
        }
        assert_eq!(required(Field::Name, " Ops ", 80), Ok("Ops"));
        assert_eq!(
            required(Field::Name, "  ", 80).unwrap_err().code(),
            "invalid_name"
        );
        assert!(password("  spaced password  ").is_ok());
        assert!(password("nul\u{0}").is_err());
        assert!(password(&"p".repeat(MAX_PASSWORD + 1)).is_err());
        assert_eq!(
            note(Some("  barista, starts 1 Dec ")),
            Ok(Some("barista, starts 1 Dec".into()))
        );
        assert_eq!(note(Some("   ")), Ok(None));
        assert_eq!(note(None), Ok(None));
        assert!(note(Some(&"n".repeat(MAX_NOTE))).is_ok());
        let e = note(Some(&"n".repeat(MAX_NOTE + 1))).unwrap_err();
        assert_eq!(e.code(), "invalid_note");
    }

    proptest! {
        #[test]
        fn accepted_text_never_carries_a_control_character_or_exceeds_the_bound(
            s in any::<String>(), max in 0usize..50
        ) {
            match bounded(Field::Query, &s, max) {
                Ok(t) => {
                    prop_assert!(t.chars().count() <= max);
                    prop_assert!(!t.chars().any(char::is_control));
                }
                Err(e) => prop_assert_eq!(e.field(), Some(Field::Query)),
            }
        }
    }
}
