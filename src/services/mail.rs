//! Writing the invitation email in the invitee's language, from the message catalogue.

use crate::domain::mail::{format_expiry, InvitationMail, Rendered};
use crate::i18n::role_label;
use crate::t;

/// Subject and plain-text body: paragraphs from `mail-*` messages, a blank line between them.
pub fn render(m: &InvitationMail) -> Rendered {
    let lang = m.lang;
    let division = m
        .division
        .map(str::to_string)
        .unwrap_or_else(|| t!(lang, "mail-whole-organisation"));
    let role = role_label(lang, m.role);
    let paragraphs = [
        t!(lang, "mail-greeting"),
        t!(
            lang,
            "mail-invited",
            division = division.clone(),
            role = role
        ),
        format!(
            "{}\n{}",
            t!(lang, "mail-code", code = m.code.to_string()),
            t!(lang, "mail-link", link = m.link.to_string())
        ),
        format!(
            "{}\n{}",
            t!(
                lang,
                "mail-expiry",
                expires = format_expiry(m.expires_at, lang)
            ),
            t!(lang, "mail-use-address")
        ),
        t!(lang, "mail-ignore"),
        t!(lang, "mail-signature"),
    ];
    Rendered {
        subject: t!(lang, "mail-subject", division = division),
        body: paragraphs.join("\n\n") + "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Lang, Role};
    use chrono::TimeZone;
    use chrono::Utc;

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
