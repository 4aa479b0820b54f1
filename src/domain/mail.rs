//! The invitation email, in the invitation's language. Pure: the caller supplies every value.

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

fn role_name(role: Role, lang: Lang) -> &'static str {
    match (lang, role) {
        (Lang::En, Role::Staff) => "Staff",
        (Lang::En, Role::Manager) => "Manager",
        (Lang::En, Role::Admin) => "Admin",
        (Lang::Id, Role::Staff) => "Staf",
        (Lang::Id, Role::Manager) => "Manajer",
        (Lang::Id, Role::Admin) => "Admin",
    }
}

pub fn render(m: &InvitationMail) -> Rendered {
    let expires = format_expiry(m.expires_at, m.lang);
    let role = role_name(m.role, m.lang);
    let (code, link) = (m.code, m.link);
    match m.lang {
        Lang::En => {
            let division = m.division.unwrap_or("the whole organisation");
            Rendered {
                subject: format!("Your invitation to join {division} on onboard"),
                body: format!(
                    "Hello,\n\n\
                     You have been invited to join {division} as {role}.\n\n\
                     Your invitation code: {code}\n\
                     Create your account here: {link}\n\n\
                     The code works once and expires on {expires}.\n\
                     Use this email address when you sign up.\n\n\
                     If you did not expect this message, you can ignore it.\n\n\
                     — onboard\n"
                ),
            }
        }
        Lang::Id => {
            let division = m.division.unwrap_or("seluruh organisasi");
            Rendered {
                subject: format!("Undangan Anda untuk bergabung dengan {division} di onboard"),
                body: format!(
                    "Halo,\n\n\
                     Anda diundang untuk bergabung dengan {division} sebagai {role}.\n\n\
                     Kode undangan Anda: {code}\n\
                     Buat akun Anda di sini: {link}\n\n\
                     Kode ini hanya berlaku sekali dan kedaluwarsa pada {expires}.\n\
                     Gunakan alamat email ini saat mendaftar.\n\n\
                     Jika Anda tidak mengharapkan pesan ini, abaikan saja.\n\n\
                     — onboard\n"
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn mail(lang: Lang) -> Rendered {
        render(&InvitationMail {
            code: "ABCD-EFGH-JKMN-PQRS",
            link: "https://onboard.example/join?code=ABCD-EFGH-JKMN-PQRS",
            division: Some("Sales"),
            role: Role::Staff,
            expires_at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 5, 0).unwrap(),
            lang,
        })
    }

    #[test]
    fn the_message_carries_code_link_division_role_and_expiry_in_its_language() {
        let en = mail(Lang::En);
        assert_eq!(en.subject, "Your invitation to join Sales on onboard");
        for part in [
            "ABCD-EFGH-JKMN-PQRS",
            "https://onboard.example/join?code=ABCD-EFGH-JKMN-PQRS",
            "join Sales as Staff",
            "1 December 2026, 09:05 UTC",
        ] {
            assert!(en.body.contains(part), "{part} in {}", en.body);
        }
        let id = mail(Lang::Id);
        assert!(id.subject.starts_with("Undangan Anda"));
        for part in [
            "ABCD-EFGH-JKMN-PQRS",
            "sebagai Staf",
            "1 Desember 2026 pukul 09.05 UTC",
        ] {
            assert!(id.body.contains(part), "{part} in {}", id.body);
        }
    }
}
