//! Interface text in English and Bahasa Indonesia.
//!
//! Every string a person reads lives in a Project Fluent file, `src/locales/<lang>/onboard.ftl`.
//! `build.rs` compiles both into plain tables for the server and the WASM bundle, so no Fluent
//! parser or resolver runs in either; `tests/locales.rs` holds every message's output to
//! Fluent's own resolver. Components ask for a message with [`t!`](crate::t) and a literal key,
//! found while compiling; a test checks that both files define the same messages with the same
//! variables.
//!
//! The language is decided once per request on the server (cookie, else `Accept-Language`,
//! else English), written into `<html lang>`, and read back from there when the page hydrates,
//! so the browser never renders a different language from the one the server sent.

use crate::domain::{DomainError, Lang, Role, Status};
use chrono::{DateTime, Datelike, Timelike, Utc};
use leptos::prelude::*;
use std::borrow::Cow;
use std::fmt::Write as _;

/// The catalogues as `build.rs` compiles them: `KEYS`, every message id in byte order, and per
/// language each message's parts in the same order.
mod catalogue {
    /// A piece of a message: text, a variable, or a choice on a variable.
    pub(super) enum Part {
        Text(&'static str),
        Var(&'static str),
        /// Variable, variants in the file's order, the default variant's index.
        Select(&'static str, &'static [(Key, &'static [Part])], usize),
    }

    /// A variant's key: a plural category or other name, or an exact number.
    pub(super) enum Key {
        Name(&'static str),
        Number(i64),
    }

    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}
use catalogue::{Key, Part, KEYS};

/// A message of the catalogues: its number, and its parts in each language. [`t!`](crate::t)
/// finds it while compiling (a key that does not exist fails the build), so neither the ids
/// nor a search ship in the WASM; and as each use carries its own text rather than an index
/// into a whole table, the WASM holds only the messages its code uses, each in the chunk whose
/// page uses it, in both languages (nothing more to fetch before an Indonesian page hydrates).
#[derive(Clone, Copy)]
pub struct Msg {
    id: u16,
    english: &'static [Part],
    /// `None` where the translation lacks the message: English stands in.
    indonesian: Option<&'static [Part]>,
}

impl PartialEq for Msg {
    fn eq(&self, other: &Msg) -> bool {
        self.id == other.id
    }
}

impl Eq for Msg {}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Msg").field(&self.id).finish()
    }
}

impl Msg {
    /// The message `key`, for a key known while compiling; stops the build if it is missing.
    pub const fn named(key: &str) -> Msg {
        match Msg::find(key) {
            Some(m) => m,
            None => panic!("no such message in src/locales/en/onboard.ftl"),
        }
    }

    /// The message `key`, if the catalogues have it.
    pub const fn find(key: &str) -> Option<Msg> {
        let (mut lo, mut hi) = (0, KEYS.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match compare(KEYS[mid].as_bytes(), key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return Some(Msg {
                        id: mid as u16,
                        english: catalogue::EN[mid],
                        indonesian: catalogue::ID[mid],
                    })
                }
            }
        }
        None
    }
}

/// Byte-wise order of two strings, usable while compiling.
const fn compare(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return if a[i] < b[i] {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            };
        }
        i += 1;
    }
    if a.len() < b.len() {
        std::cmp::Ordering::Less
    } else if a.len() > b.len() {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
}

/// A message's variable: text, or a whole number (so plural rules apply).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(Cow::Owned(s))
    }
}

macro_rules! number_args {
    ($($t:ty),+) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )+};
}
number_args!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// A message's parts, and the language whose plural rules apply to them: English stands in
/// for a message a translation lacks (the locale test keeps that from shipping).
fn parts(lang: Lang, msg: Msg) -> (&'static [Part], Lang) {
    match (lang, msg.indonesian) {
        (Lang::Id, Some(parts)) => (parts, Lang::Id),
        _ => (msg.english, Lang::En),
    }
}

/// The plural category of a whole number (CLDR cardinal rules): English has "one" and
/// "other"; Indonesian does not inflect for number.
fn plural(lang: Lang, n: i64) -> &'static str {
    match lang {
        // CLDR's English rule reads the absolute value: -1 is "one" too.
        Lang::En if n.unsigned_abs() == 1 => "one",
        _ => "other",
    }
}

/// Writes `parts` as Fluent resolves them: a variable missing from `args` shows as
/// `{$name}`, and a choice takes the first variant whose key equals the number, names its
/// plural category, or equals the text, else the default.
fn write_parts(out: &mut String, lang: Lang, parts: &[Part], args: &[(&str, Arg<'_>)]) {
    let arg = |name: &str| args.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Var(name) => match arg(name) {
                Some(Arg::Text(text)) => out.push_str(text),
                Some(Arg::Number(n)) => {
                    let _ = write!(out, "{n}");
                }
                None => {
                    let _ = write!(out, "{{${name}}}");
                }
            },
            Part::Select(name, variants, default) => {
                let value = arg(name);
                let chosen = variants.iter().find(|(key, _)| match (key, value) {
                    (Key::Number(k), Some(Arg::Number(n))) => k == n,
                    (Key::Name(k), Some(Arg::Number(n))) => *k == plural(lang, *n),
                    (Key::Name(k), Some(Arg::Text(text))) => k == text,
                    _ => false,
                });
                let (_, parts) = chosen.unwrap_or(&variants[*default]);
                write_parts(out, lang, parts, args);
            }
        }
    }
}

/// The message `key` in `lang` with its variables, for a key only known at run time (the
/// locale tests); a missing key shows itself rather than an empty string.
pub fn text_with(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    match Msg::find(key) {
        Some(msg) => message_with(lang, msg, args),
        None => key.to_string(),
    }
}

/// A message in `lang`.
pub fn message(lang: Lang, msg: Msg) -> String {
    message_with(lang, msg, &[])
}

/// A message in `lang` with its variables.
pub fn message_with(lang: Lang, msg: Msg, args: &[(&str, Arg<'_>)]) -> String {
    match parts(lang, msg) {
        ([Part::Text(text)], _) => (*text).to_string(),
        (parts, rules) => {
            let mut out = String::new();
            write_parts(&mut out, rules, parts, args);
            out
        }
    }
}

/// A message argument: text as text, numbers as numbers (so plural rules apply).
pub fn arg<'a, V: Into<Arg<'a>>>(v: V) -> Arg<'a> {
    v.into()
}

/// `t!(lang, "key")` or `t!(lang, "key", name = value, ...)`: a message in a language. The
/// key is looked up while compiling; one that does not exist fails the build.
#[macro_export]
macro_rules! t {
    ($lang:expr, $key:literal) => {
        $crate::i18n::message($lang, const { $crate::i18n::Msg::named($key) })
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message_with(
            $lang,
            const { $crate::i18n::Msg::named($key) },
            &[$((stringify!($name), $crate::i18n::arg($value))),+],
        )
    };
}

/// The language of the page being rendered.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The language for this render: on the server the request's (cookie, `Accept-Language`),
/// in the browser the one the server wrote into `<html lang>`.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|p| crate::web::request_lang(&p.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Lang::parse(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

pub fn status_label(lang: Lang, s: Status) -> String {
    match s {
        Status::Active => t!(lang, "status-active"),
        Status::Used => t!(lang, "status-used"),
        Status::Expired => t!(lang, "status-expired"),
        Status::Revoked => t!(lang, "status-revoked"),
        Status::Suspended => t!(lang, "status-suspended"),
    }
}

/// Why a code is Suspended, as a person reads it.
pub fn reason_label(lang: Lang, r: crate::domain::SuspendedReason) -> String {
    match r {
        crate::domain::SuspendedReason::InviterLostAuthority => {
            t!(lang, "reason-inviter-lost-authority")
        }
        crate::domain::SuspendedReason::ReportedByRecipient => {
            t!(lang, "reason-reported-by-recipient")
        }
    }
}

pub fn role_label(lang: Lang, r: Role) -> String {
    match r {
        Role::Admin => t!(lang, "role-admin"),
        Role::Manager => t!(lang, "role-manager"),
        Role::Staff => t!(lang, "role-staff"),
    }
}

/// The catalogue message for an error code (a generic sentence for a code without its own).
fn error_key(code: &str) -> Msg {
    macro_rules! m {
        ($key:literal) => {
            const { Msg::named($key) }
        };
    }
    match code {
        "invalid_username" => m!("error-invalid_username"),
        "weak_password" => m!("error-weak_password"),
        "password_mismatch" => m!("error-password_mismatch"),
        "invalid_email" => m!("error-invalid_email"),
        "invalid_role" => m!("error-invalid_role"),
        "invalid_division" => m!("error-invalid_division"),
        "invalid_expires_at" => m!("error-invalid_expires_at"),
        "invalid_code" => m!("error-invalid_code"),
        "invalid_slug" => m!("error-invalid_slug"),
        "invalid_name" => m!("error-invalid_name"),
        "invalid_status" => m!("error-invalid_status"),
        "invalid_q" => m!("error-invalid_q"),
        "invalid_file" => m!("error-invalid_file"),
        "invalid_note" => m!("error-invalid_note"),
        "invalid_page" | "invalid_per_page" | "invalid_since" | "invalid_until"
        | "invalid_action" | "invalid_actor" => m!("error-invalid_query"),
        "unauthenticated" => m!("error-unauthenticated"),
        "invalid_credentials" => m!("error-invalid_credentials"),
        "forbidden" => m!("error-forbidden"),
        "role_not_allowed" => m!("error-role_not_allowed"),
        "not_found" => m!("error-not_found"),
        "code_not_found" => m!("error-code_not_found"),
        "code_expired" => m!("error-code_expired"),
        "code_used" => m!("error-code_used"),
        "code_revoked" => m!("error-code_revoked"),
        "code_suspended" => m!("error-code_suspended"),
        "email_mismatch" => m!("error-email_mismatch"),
        "username_taken" => m!("error-username_taken"),
        "invitation_not_active" => m!("error-invitation_not_active"),
        "conflict" => m!("error-conflict"),
        "rate_limited" => m!("error-rate_limited"),
        "internal_error" => m!("error-internal_error"),
        "invalid_max_expiry_days" => m!("error-invalid_max_expiry_days"),
        "invalid_max_active_codes" => m!("error-invalid_max_active_codes"),
        "invalid_scopes" => m!("error-invalid_scopes"),
        "invalid_url" => m!("error-invalid_url"),
        "invalid_events" => m!("error-invalid_events"),
        "invalid_description" => m!("error-invalid_description"),
        "quota_exceeded" => m!("error-quota_exceeded"),
        "expiry_too_far" => m!("error-expiry_too_far"),
        "division_not_empty" => m!("error-division_not_empty"),
        "insufficient_scope" => m!("error-insufficient_scope"),
        "oidc_failed" => m!("error-oidc_failed"),
        "oidc_no_account" => m!("error-oidc_no_account"),
        "oidc_email_unverified" => m!("error-oidc_email_unverified"),
        "oidc_required" => m!("error-oidc_required"),
        "account_disabled" => m!("error-account_disabled"),
        "oidc_identity_taken" => m!("error-oidc_identity_taken"),
        _ => m!("error-generic"),
    }
}

/// An error as a person reads it. English keeps the server's precise sentence; other
/// languages use the translation for the error's code, or the English sentence for a code
/// without one (a conflict's free text, say). Only for messages the server produced: text
/// that arrived in a URL goes through [`catalogue_error`].
pub fn error_text(lang: Lang, code: &str, sentence: &str) -> String {
    let msg = error_key(code);
    if lang == Lang::En
        || msg == const { Msg::named("error-generic") }
        || msg == const { Msg::named("error-conflict") }
    {
        return sentence.to_string();
    }
    message(lang, msg)
}

/// An error named only by its code (a form redirect's `?error=`), in the page's language from
/// the message catalogue. The URL never supplies the words, so a link cannot put its own text
/// on an onboard page; a rate limit's wait is the one number it may carry.
pub fn catalogue_error(lang: Lang, code: &str, retry_secs: Option<u64>) -> String {
    match (code, retry_secs) {
        ("rate_limited", Some(secs)) => t!(lang, "error-rate_limited_secs", secs = secs),
        _ => message(lang, error_key(code)),
    }
}

/// A domain error in the page's language.
pub fn domain_error_text(lang: Lang, e: &DomainError) -> String {
    match e {
        DomainError::RateLimited(secs) => catalogue_error(lang, "rate_limited", Some(*secs)),
        DomainError::QuotaExceeded(used, max) => {
            t!(lang, "error-quota_exceeded_n", used = *used, max = *max)
        }
        DomainError::ExpiryTooFar(role, days) => t!(
            lang,
            "error-expiry_too_far_days",
            role = role_label(lang, *role),
            days = *days
        ),
        _ => error_text(lang, &e.code(), &e.to_string()),
    }
}

/// A moment as an `<input type="datetime-local">` holds it: `2026-11-24T05:57`. Written out
/// rather than with chrono's `format`, whose pattern interpreter would ship in the WASM.
pub fn datetime_local(at: DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// A moment as the server renders it (UTC, before the browser shows local time):
/// "24 Nov 2026, 05:57 UTC" / "24 Nov 2026 05.57 UTC".
pub fn format_utc(lang: Lang, at: DateTime<Utc>) -> String {
    let month = month_short(lang, at.month());
    match lang {
        Lang::En => format!(
            "{} {month} {}, {:02}:{:02} UTC",
            at.day(),
            at.year(),
            at.hour(),
            at.minute()
        ),
        Lang::Id => format!(
            "{} {month} {} {:02}.{:02} UTC",
            at.day(),
            at.year(),
            at.hour(),
            at.minute()
        ),
    }
}

/// A date without the time: "2 Dec 2026" / "2 Des 2026".
pub fn format_date(lang: Lang, at: DateTime<Utc>) -> String {
    format!(
        "{} {} {}",
        at.day(),
        month_short(lang, at.month()),
        at.year()
    )
}

fn month_short(lang: Lang, month: u32) -> String {
    match month {
        1 => t!(lang, "month-1"),
        2 => t!(lang, "month-2"),
        3 => t!(lang, "month-3"),
        4 => t!(lang, "month-4"),
        5 => t!(lang, "month-5"),
        6 => t!(lang, "month-6"),
        7 => t!(lang, "month-7"),
        8 => t!(lang, "month-8"),
        9 => t!(lang, "month-9"),
        10 => t!(lang, "month-10"),
        11 => t!(lang, "month-11"),
        _ => t!(lang, "month-12"),
    }
}

/// The BCP 47 locale the browser formats local times with.
/// How far `at` is from `now`, as people say it: "in 2 days", "3 hours ago", "just now".
/// Rounded to the nearest unit; a unit gives way to the next one a little before it is full
/// (45 minutes read as "in 1 hour"), as people round.
pub fn relative_time(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (at - now).num_seconds();
    let future = secs > 0;
    let a = secs.unsigned_abs() as f64;
    let round = |unit: f64| ((a / unit).round() as i64).max(1);
    const MIN: f64 = 60.0;
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86_400.0;
    macro_rules! pick {
        ($fut:literal, $past:literal, $n:expr) => {
            if future {
                t!(lang, $fut, n = $n)
            } else {
                t!(lang, $past, n = $n)
            }
        };
    }
    if a < 45.0 {
        t!(lang, "rel-now")
    } else if a < 45.0 * MIN {
        pick!("rel-minutes-future", "rel-minutes-past", round(MIN))
    } else if a < 22.0 * HOUR {
        pick!("rel-hours-future", "rel-hours-past", round(HOUR))
    } else if a < 26.0 * DAY {
        pick!("rel-days-future", "rel-days-past", round(DAY))
    } else if a < 320.0 * DAY {
        pick!("rel-months-future", "rel-months-past", round(30.44 * DAY))
    } else {
        pick!("rel-years-future", "rel-years-past", round(365.25 * DAY))
    }
}

pub fn browser_locale(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en-GB",
        Lang::Id => "id-ID",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn relative_times_read_as_people_say_them_in_both_languages() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
        let cases: [(i64, &str, &str); 12] = [
            (0, "just now", "baru saja"),
            (-30, "just now", "baru saja"),
            (60, "in 1 minute", "dalam 1 menit"),
            (-5 * 60, "5 minutes ago", "5 menit yang lalu"),
            (50 * 60, "in 1 hour", "dalam 1 jam"),
            (-3 * 3600, "3 hours ago", "3 jam yang lalu"),
            (24 * 3600, "tomorrow", "besok"),
            (-24 * 3600, "yesterday", "kemarin"),
            (2 * 86_400 + 3600, "in 2 days", "dalam 2 hari"),
            (-10 * 86_400, "10 days ago", "10 hari yang lalu"),
            (60 * 86_400, "in 2 months", "dalam 2 bulan"),
            (-800 * 86_400, "2 years ago", "2 tahun yang lalu"),
        ];
        for (secs, en, id) in cases {
            let at = now + chrono::Duration::seconds(secs);
            assert_eq!(relative_time(Lang::En, at, now), en, "{secs} s");
            assert_eq!(relative_time(Lang::Id, at, now), id, "{secs} s");
        }
    }

    #[test]
    fn messages_render_in_both_languages_with_their_arguments() {
        assert_eq!(t!(Lang::En, "skip-link"), "Skip to main content");
        assert_eq!(t!(Lang::Id, "skip-link"), "Lewati ke konten utama");
        assert_eq!(status_label(Lang::Id, Status::Active), "Aktif");
        assert_eq!(
            t!(Lang::En, "pager-summary", page = 2, pages = 3, total = 1),
            "Page 2 of 3 · 1 invitation"
        );
        assert_eq!(
            t!(Lang::En, "pager-summary", page = 1, pages = 1, total = 40),
            "Page 1 of 1 · 40 invitations"
        );
        assert_eq!(
            t!(Lang::Id, "pager-summary", page = 2, pages = 3, total = 40),
            "Halaman 2 dari 3 · 40 undangan"
        );
    }

    #[test]
    fn errors_keep_english_detail_and_translate_by_code() {
        let e = DomainError::CodeExpired;
        assert_eq!(domain_error_text(Lang::En, &e), e.to_string());
        assert_ne!(domain_error_text(Lang::Id, &e), e.to_string());
        // A code without a translation keeps its sentence rather than showing a key.
        assert_eq!(
            error_text(Lang::Id, "conflict", "Slug taken."),
            "Slug taken."
        );
    }

    /// Every error the domain can produce: its code survives the trip through a URL or a
    /// server function, and both languages word it from the catalogue (only a free-text
    /// conflict falls back to the generic sentence).
    #[test]
    fn every_error_code_round_trips_and_reads_in_both_languages() {
        use crate::domain::Field;
        // Fails to compile when a field is added without joining `Field::ALL`.
        let _exhaustive = |f: Field| match f {
            Field::Email
            | Field::Username
            | Field::Password
            | Field::Role
            | Field::Division
            | Field::ExpiresAt
            | Field::Status
            | Field::Page
            | Field::PerPage
            | Field::Code
            | Field::Slug
            | Field::Name
            | Field::Since
            | Field::Until
            | Field::Query
            | Field::File
            | Field::Note
            | Field::Action
            | Field::Actor
            | Field::MaxExpiryDays
            | Field::MaxActiveCodes
            | Field::Scopes
            | Field::Url
            | Field::Events
            | Field::Description => (),
        };
        let fields = Field::ALL;
        let mut errors: Vec<DomainError> = fields
            .iter()
            .map(|f| DomainError::invalid(*f, "x"))
            .collect();
        errors.extend([
            DomainError::Unauthenticated,
            DomainError::BadCredentials,
            DomainError::Forbidden,
            DomainError::RoleNotAllowed,
            DomainError::NotFound,
            DomainError::CodeNotFound,
            DomainError::CodeExpired,
            DomainError::CodeUsed,
            DomainError::CodeRevoked,
            DomainError::CodeSuspended,
            DomainError::EmailMismatch,
            DomainError::UsernameTaken,
            DomainError::PasswordMismatch,
            DomainError::NotActive("used".into()),
            DomainError::RateLimited(7),
            DomainError::QuotaExceeded(5, 5),
            DomainError::ExpiryTooFar(crate::domain::Role::Manager, 7),
            DomainError::DivisionNotEmpty,
            DomainError::InsufficientScope,
            DomainError::OidcFailed,
            DomainError::OidcNoAccount,
            DomainError::OidcEmailUnverified,
            DomainError::OidcRequired,
            DomainError::AccountDisabled,
            DomainError::OidcIdentityTaken,
            DomainError::Internal,
        ]);
        let generic = [t!(Lang::En, "error-generic"), t!(Lang::Id, "error-generic")];
        for e in &errors {
            let json = serde_json::to_string(e).unwrap();
            let back: DomainError = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, e, "as a server function sends it");
            let code = e.code();
            if !matches!(e, DomainError::Invalid(..)) || e.field() == Some(Field::Username) {
                assert_eq!(
                    DomainError::from_code(&code, "").code(),
                    code,
                    "{code} from a URL"
                );
            }
            for lang in [Lang::En, Lang::Id] {
                let words = catalogue_error(lang, &code, None);
                assert!(!generic.contains(&words), "{code} has no {lang:?} message");
                assert!(!words.starts_with("error-"), "{code}: missing key {words}");
            }
        }
        assert!(catalogue_error(Lang::Id, "rate_limited", Some(9)).contains('9'));
    }

    #[test]
    fn datetime_local_values_match_chronos_pattern() {
        use chrono::TimeZone;
        for at in [
            Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 59).unwrap(),
            Utc.with_ymd_and_hms(2030, 12, 31, 23, 59, 0).unwrap(),
            Utc.with_ymd_and_hms(999, 7, 9, 0, 0, 0).unwrap(),
        ] {
            assert_eq!(datetime_local(at), at.format("%Y-%m-%dT%H:%M").to_string());
        }
    }

    #[test]
    fn dates_follow_the_language() {
        let at = Utc.with_ymd_and_hms(2026, 8, 17, 9, 5, 0).unwrap();
        assert_eq!(format_utc(Lang::En, at), "17 Aug 2026, 09:05 UTC");
        assert_eq!(format_utc(Lang::Id, at), "17 Agu 2026 09.05 UTC");
    }
}
