use serde::{Deserialize, Serialize};
use std::fmt;

/// Crockford base32 alphabet (no I, L, O, U).
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const CODE_LEN: usize = 16;

/// An invitation code: 16 Crockford base32 symbols (80 bits). Stored and compared in its
/// canonical, ungrouped form; displayed as `XXXX-XXXX-XXXX-XXXX`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvitationCode(String);

impl InvitationCode {
    /// Normalises what a person typed: case-folded, spaces and dashes dropped, O→0, I/L→1.
    /// Returns `None` when the result is not 16 symbols of the alphabet.
    pub fn parse(input: &str) -> Option<Self> {
        let mut out = String::with_capacity(CODE_LEN);
        for c in input.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return None;
            }
            out.push(c);
            if out.len() > CODE_LEN {
                return None;
            }
        }
        (out.len() == CODE_LEN).then_some(InvitationCode(out))
    }

    /// Builds a code from 80 random bits (the caller supplies them from the OS CSPRNG).
    pub fn from_random(bytes: [u8; 10]) -> Self {
        let mut acc: u128 = 0;
        for b in bytes {
            acc = (acc << 8) | b as u128;
        }
        let mut out = [0u8; CODE_LEN];
        for i in (0..CODE_LEN).rev() {
            out[i] = ALPHABET[(acc & 31) as usize];
            acc >>= 5;
        }
        InvitationCode(String::from_utf8(out.to_vec()).expect("alphabet is ASCII"))
    }

    /// Canonical form, as stored: 16 symbols, no dashes.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped form for people: `XXXX-XXXX-XXXX-XXXX`.
    pub fn grouped(&self) -> String {
        group(&self.0)
    }
}

/// Groups a canonical code for display; leaves anything unexpected as it is.
pub fn group(canonical: &str) -> String {
    if canonical.len() != CODE_LEN || !canonical.is_ascii() {
        return canonical.to_string();
    }
    let b = canonical.as_bytes();
    let parts: Vec<&str> = b
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    parts.join("-")
}

impl fmt::Display for InvitationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_what_people_type() {
        let c = InvitationCode::parse("abcd-efgh-jkmn-pqrs").unwrap();
        assert_eq!(c.as_str(), "ABCDEFGHJKMNPQRS");
        assert_eq!(c.grouped(), "ABCD-EFGH-JKMN-PQRS");
        let c = InvitationCode::parse(" o0il 1234 5678 9ABC ").unwrap();
        assert_eq!(c.as_str(), "0011123456789ABC");
    }

    #[test]
    fn rejects_wrong_length_and_foreign_symbols() {
        assert!(InvitationCode::parse("").is_none());
        assert!(InvitationCode::parse("ABCD-EFGH-JKMN-PQR").is_none());
        assert!(InvitationCode::parse("ABCD-EFGH-JKMN-PQRST").is_none());
        assert!(InvitationCode::parse("ABCD-EFGH-JKMN-PQRU").is_none());
        assert!(InvitationCode::parse("ABCD-EFGH-JKMN-PQR!").is_none());
        assert!(InvitationCode::parse("ABCD-EFGH-JKMN-PQRÄ").is_none());
    }

    proptest! {
        #[test]
        fn random_codes_parse_back_in_any_presentation(bytes in any::<[u8; 10]>(), lower in any::<bool>()) {
            let code = InvitationCode::from_random(bytes);
            prop_assert_eq!(code.as_str().len(), CODE_LEN);
            let shown = if lower { code.grouped().to_lowercase() } else { code.grouped() };
            prop_assert_eq!(InvitationCode::parse(&shown), Some(code.clone()));
            prop_assert_eq!(InvitationCode::parse(&shown.replace('-', " ")), Some(code));
        }

        #[test]
        fn distinct_bits_give_distinct_codes(a in any::<[u8; 10]>(), b in any::<[u8; 10]>()) {
            prop_assume!(a != b);
            prop_assert_ne!(InvitationCode::from_random(a), InvitationCode::from_random(b));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = InvitationCode::parse(&s);
        }
    }
}
