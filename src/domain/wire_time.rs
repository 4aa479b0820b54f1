//! Instants as the browser reads them from the server.
//!
//! The server writes every instant the way chrono serialises a UTC time
//! (`2026-12-07T05:38:00.123456Z`: RFC 3339, `Z`, no fraction or 3, 6 or 9 digits). The
//! browser reads only what the server wrote, so in the WASM the domain types' instants are
//! read by [`parse_utc`] below instead of chrono's general date parser, which is about 14 KB of
//! the module (RFC 2822, offsets, week days and month names it never needs). The server keeps
//! chrono's parser for everything a client sends. Fields opt in with
//! `#[cfg_attr(feature = "hydrate", serde(deserialize_with = "…"))]`; the audit page's
//! sentences read the instants in an event's details with [`parse_utc`] too.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

use chrono::{DateTime, NaiveDate, Utc};
use serde::{de::Error, Deserialize, Deserializer};

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` or `+00:00`.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 || [b[4], b[7], b[10], b[13], b[16]] != *b"--T::" {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    let mut rest = &b[19..];
    let mut nanos = 0;
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        let fraction = number(20, 20 + digits)?;
        nanos = fraction * 10u32.pow(9 - digits as u32);
        rest = &tail[digits..];
    }
    if rest != b"Z" && rest != b"+00:00" {
        return None;
    }
    // chrono writes a leap second as second 60, and holds it as second 59 and a fraction of
    // one second or more.
    let (second, nanos) = match second {
        60 => (59, nanos + 1_000_000_000),
        s => (s, nanos),
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    Some(
        date.and_hms_nano_opt(hour, minute, second, nanos)?
            .and_utc(),
    )
}

fn read<'de, D: Deserializer<'de>>(text: &str) -> Result<DateTime<Utc>, D::Error> {
    parse_utc(text).ok_or_else(|| {
        D::Error::custom("expected an RFC 3339 UTC time such as 2030-01-31T17:00:00Z")
    })
}

/// `deserialize_with` for a `DateTime<Utc>` field.
pub fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    read::<D>(&String::deserialize(d)?)
}

/// `deserialize_with` for an `Option<DateTime<Utc>>` field (with `default`, so a missing
/// field is `None` as before).
pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|text| read::<D>(&text))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;
    use serde::Serialize;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Row {
        #[serde(deserialize_with = "instant")]
        at: DateTime<Utc>,
        #[serde(default, deserialize_with = "optional")]
        until: Option<DateTime<Utc>>,
    }

    proptest! {
        /// Whatever instant from year 1 to 9999 the server serialises, the browser reads back
        /// the same instant (years outside those four digits are refused: nothing the server
        /// stores reaches them, expiry being capped at ten years).
        #[test]
        fn reads_back_what_chrono_writes(secs in -62_135_596_800i64..253_402_300_799, nanos in 0u32..2_000_000_000, keep in 0u32..4) {
            // Whole seconds, milliseconds, microseconds and nanoseconds, and leap seconds.
            let nanos = [0, nanos / 1_000_000 * 1_000_000, nanos / 1_000 * 1_000, nanos][keep as usize];
            let Some(at) = DateTime::from_timestamp(secs, nanos) else { return Ok(()) };
            let row = Row { at, until: Some(at + Duration::seconds(1)) };
            let json = serde_json::to_string(&row).unwrap();
            prop_assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
            prop_assert_eq!(parse_utc(&at.to_rfc3339()), Some(at));
        }
    }

    #[test]
    fn a_missing_or_null_optional_instant_is_none() {
        let at = Utc.with_ymd_and_hms(2030, 1, 31, 17, 0, 0).unwrap();
        for json in [
            r#"{"at":"2030-01-31T17:00:00Z"}"#,
            r#"{"at":"2030-01-31T17:00:00Z","until":null}"#,
        ] {
            assert_eq!(
                serde_json::from_str::<Row>(json).unwrap(),
                Row { at, until: None }
            );
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "2030-01-31",
            "2030-01-31T17:00:00",
            "2030-01-31T17:00:00+07:00",
            "2030-01-31 17:00:00Z",
            "2030-01-31T17:00:00.Z",
            "2030-01-31T17:00:00.1234567890Z",
            "2030-02-30T17:00:00Z",
            "2030-01-31T24:00:00Z",
            "2030-01-31T17:00:00ZZ",
            "+030-01-31T17:00:00Z",
            "2030-01-31T17:0a:00Z",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
            let json = format!(r#"{{"at":"{bad}"}}"#);
            assert!(serde_json::from_str::<Row>(&json).is_err(), "{bad}");
        }
    }
}
