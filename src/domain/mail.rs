//! The invitation email's facts and its date format. Its words are the message catalogue's
//! (`mail-*` in `src/locales`), put together by `services::mail`.

use super::lang::Lang;
use super::role::Role;
use chrono::{DateTime, Utc};

pub struct InvitationMail<'a> {
    pub code: &'a str,
    /// Absolute `/join?code=` link on the public origin.
    pub link: &'a str,
    pub division: Option<&'a str>,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    pub lang: Lang,
}

pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// The expiry as a reader of `lang` writes dates; in UTC because the invitee's zone is unknown.
pub fn format_expiry(at: DateTime<Utc>, lang: Lang) -> String {
    match lang {
        Lang::En => at
            .format_localized("%-d %B %Y, %H:%M UTC", chrono::Locale::en_GB)
            .to_string(),
        Lang::Id => at
            .format_localized("%-d %B %Y pukul %H.%M UTC", chrono::Locale::id_ID)
            .to_string(),
    }
}
