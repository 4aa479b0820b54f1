//! The audit trail in words: a label for each action ("Invitation created") and a sentence for
//! each event ("maya created an invitation for ana@example.com (Staff, expires 2 Dec 2026)"),
//! in the page's language. The raw fields stay in the CSV, the API and the row's details.

use crate::domain::{AuditEvent, Lang, Role};
use crate::i18n::{error_text, format_date, role_label};
use crate::t;
use serde_json::Value;

/// Every action the trail records, in the order the filter offers them.
pub const ACTIONS: [&str; 31] = [
    "invitation.created",
    "invitation.copied",
    "invitation.updated",
    "invitation.revoked",
    "invitation.deleted",
    "invitation.email_resent",
    "invitation.redeemed",
    "invitation.redeem_failed",
    "invitation.reported",
    "invitation.reinstated",
    "invitations.exported",
    "login.succeeded",
    "login.failed",
    "logout",
    "user.created",
    "user.updated",
    "user.disabled",
    "user.enabled",
    "user.password_reset_issued",
    "user.password_reset",
    "user.oidc_linked",
    "division.created",
    "division.updated",
    "division.deleted",
    "token.created",
    "token.revoked",
    "settings.updated",
    "webhook.created",
    "webhook.updated",
    "webhook.deleted",
    "webhook.disabled",
];

/// The action as a person names it; an action this build does not know shows its id.
pub fn action_label(lang: Lang, action: &str) -> String {
    match action {
        "login.succeeded" => t!(lang, "audit-label-login-succeeded"),
        "login.failed" => t!(lang, "audit-label-login-failed"),
        "logout" => t!(lang, "audit-label-logout"),
        "invitation.created" => t!(lang, "audit-label-invitation-created"),
        "invitation.copied" => t!(lang, "audit-label-invitation-copied"),
        "invitation.updated" => t!(lang, "audit-label-invitation-updated"),
        "invitation.revoked" => t!(lang, "audit-label-invitation-revoked"),
        "invitation.deleted" => t!(lang, "audit-label-invitation-deleted"),
        "invitation.email_resent" => t!(lang, "audit-label-invitation-email-resent"),
        "invitation.redeemed" => t!(lang, "audit-label-invitation-redeemed"),
        "invitation.redeem_failed" => t!(lang, "audit-label-invitation-redeem-failed"),
        "invitation.reported" => t!(lang, "audit-label-invitation-reported"),
        "invitation.reinstated" => t!(lang, "audit-label-invitation-reinstated"),
        "invitations.exported" => t!(lang, "audit-label-invitations-exported"),
        "user.created" => t!(lang, "audit-label-user-created"),
        "user.updated" => t!(lang, "audit-label-user-updated"),
        "user.disabled" => t!(lang, "audit-label-user-disabled"),
        "user.enabled" => t!(lang, "audit-label-user-enabled"),
        "user.password_reset_issued" => t!(lang, "audit-label-user-password-reset-issued"),
        "user.password_reset" => t!(lang, "audit-label-user-password-reset"),
        "user.oidc_linked" => t!(lang, "audit-label-user-oidc-linked"),
        "division.created" => t!(lang, "audit-label-division-created"),
        "division.updated" => t!(lang, "audit-label-division-updated"),
        "division.deleted" => t!(lang, "audit-label-division-deleted"),
        "token.created" => t!(lang, "audit-label-token-created"),
        "token.revoked" => t!(lang, "audit-label-token-revoked"),
        "settings.updated" => t!(lang, "audit-label-settings-updated"),
        "webhook.created" => t!(lang, "audit-label-webhook-created"),
        "webhook.updated" => t!(lang, "audit-label-webhook-updated"),
        "webhook.deleted" => t!(lang, "audit-label-webhook-deleted"),
        "webhook.disabled" => t!(lang, "audit-label-webhook-disabled"),
        other => other.to_string(),
    }
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(*k))?.as_str()
}

fn role_at(lang: Lang, v: &Value, path: &[&str]) -> String {
    str_at(v, path)
        .and_then(|r| r.parse::<Role>().ok())
        .map(|r| role_label(lang, r))
        .unwrap_or_else(|| "—".into())
}

/// The code an event is about: the invitation's own when it still exists, else the one kept in
/// the deletion's record.
pub fn event_code(e: &AuditEvent) -> Option<String> {
    e.invitation_code
        .clone()
        .or_else(|| str_at(&e.details, &["before", "code"]).map(str::to_string))
}

/// One event as a sentence.
pub fn sentence(lang: Lang, e: &AuditEvent) -> String {
    let who = e.actor.clone().unwrap_or_else(|| t!(lang, "audit-someone"));
    let d = &e.details;
    let user = || {
        str_at(d, &["username"])
            .map(str::to_string)
            .or_else(|| e.actor.clone())
            .unwrap_or_else(|| "—".into())
    };
    let name = || {
        str_at(d, &["name"])
            .or_else(|| str_at(d, &["after", "name"]))
            .or_else(|| str_at(d, &["slug"]))
            .or(e.division.as_deref())
            .unwrap_or("—")
            .to_string()
    };
    let url = || {
        str_at(d, &["url"])
            .map(str::to_string)
            .or_else(|| d.get("webhook_id").map(|i| format!("#{i}")))
            .unwrap_or_else(|| "—".into())
    };
    match e.action.as_str() {
        "login.succeeded" => t!(lang, "audit-says-login-succeeded", who = who),
        "login.failed" => {
            let reason = str_at(d, &["reason"]).unwrap_or("unknown");
            t!(
                lang,
                "audit-says-login-failed",
                user = user(),
                reason = error_text(lang, reason, &reason.replace('_', " "))
            )
        }
        "logout" => t!(lang, "audit-says-logout", who = who),
        "invitation.created" => {
            let role = role_at(lang, d, &["role"]);
            let date = str_at(d, &["expires_at"])
                .and_then(crate::domain::wire_time::parse_utc)
                .map(|t| format_date(lang, t))
                .unwrap_or_else(|| "—".into());
            match e.invitation_email.clone() {
                Some(email) => t!(
                    lang,
                    "audit-says-invitation-created-for",
                    who = who,
                    email = email,
                    role = role,
                    date = date
                ),
                None => t!(
                    lang,
                    "audit-says-invitation-created",
                    who = who,
                    role = role,
                    date = date
                ),
            }
        }
        "invitation.copied" => t!(lang, "audit-says-invitation-copied", who = who),
        "invitation.updated" => t!(lang, "audit-says-invitation-updated", who = who),
        "invitation.revoked" => t!(lang, "audit-says-invitation-revoked", who = who),
        "invitation.deleted" => t!(lang, "audit-says-invitation-deleted", who = who),
        "invitation.email_resent" => t!(
            lang,
            "audit-says-invitation-email-resent",
            who = who,
            email = str_at(d, &["recipient"]).unwrap_or("—").to_string()
        ),
        "invitation.redeemed" => t!(
            lang,
            "audit-says-invitation-redeemed",
            who = who,
            role = role_at(lang, d, &["role"])
        ),
        "invitation.redeem_failed" => {
            let reason = str_at(d, &["reason"]).unwrap_or("unknown");
            t!(
                lang,
                "audit-says-invitation-redeem-failed",
                reason = error_text(lang, reason, &reason.replace('_', " "))
            )
        }
        "invitation.reported" => t!(lang, "audit-says-invitation-reported"),
        "invitation.reinstated" => t!(lang, "audit-says-invitation-reinstated", who = who),
        "invitations.exported" => t!(lang, "audit-says-invitations-exported", who = who),
        "user.created" => t!(
            lang,
            "audit-says-user-created",
            user = user(),
            role = role_at(lang, d, &["role"])
        ),
        "user.updated" => t!(lang, "audit-says-user-updated", who = who, user = user()),
        "user.disabled" => t!(lang, "audit-says-user-disabled", who = who, user = user()),
        "user.enabled" => t!(lang, "audit-says-user-enabled", who = who, user = user()),
        "user.password_reset_issued" => t!(
            lang,
            "audit-says-user-password-reset-issued",
            who = who,
            user = user()
        ),
        "user.password_reset" => t!(lang, "audit-says-user-password-reset", user = user()),
        "user.oidc_linked" => t!(lang, "audit-says-user-oidc-linked", who = who),
        "division.created" => t!(
            lang,
            "audit-says-division-created",
            who = who,
            name = name()
        ),
        "division.updated" => t!(
            lang,
            "audit-says-division-updated",
            who = who,
            name = name()
        ),
        "division.deleted" => t!(
            lang,
            "audit-says-division-deleted",
            who = who,
            name = name()
        ),
        "token.created" => t!(lang, "audit-says-token-created", who = who, name = name()),
        "token.revoked" => t!(lang, "audit-says-token-revoked", who = who),
        "settings.updated" => t!(lang, "audit-says-settings-updated", who = who),
        "webhook.created" => t!(lang, "audit-says-webhook-created", who = who, url = url()),
        "webhook.updated" => t!(lang, "audit-says-webhook-updated", who = who, url = url()),
        "webhook.deleted" => t!(lang, "audit-says-webhook-deleted", who = who, url = url()),
        "webhook.disabled" => t!(lang, "audit-says-webhook-disabled", url = url()),
        other => t!(
            lang,
            "audit-says-other",
            who = who,
            action = other.to_string()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    fn event(action: &str, actor: Option<&str>, details: Value) -> AuditEvent {
        AuditEvent {
            id: 1,
            at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
            actor: actor.map(str::to_string),
            action: action.into(),
            division: Some("sales".into()),
            invitation_id: Some(7),
            client_addr: None,
            details,
            invitation_code: Some("ABCD-EFGH-JKMN-PQRS".into()),
            invitation_email: None,
        }
    }

    #[test]
    fn a_created_invitation_reads_as_a_sentence_in_both_languages() {
        let mut e = event(
            "invitation.created",
            Some("maya"),
            json!({"role": "staff", "email_bound": true, "expires_at": "2026-12-02T18:16:45.389708774Z"}),
        );
        e.invitation_email = Some("ana@example.com".into());
        assert_eq!(
            sentence(Lang::En, &e),
            "maya created an invitation for ana@example.com (Staff, expires 2 Dec 2026)"
        );
        assert_eq!(
            sentence(Lang::Id, &e),
            "maya membuat undangan untuk ana@example.com (Staf, berlaku sampai 2 Des 2026)"
        );
        e.invitation_email = None;
        assert_eq!(
            sentence(Lang::En, &e),
            "maya created an invitation (Staff, expires 2 Dec 2026)"
        );
    }

    #[test]
    fn every_known_action_has_a_label_and_a_sentence_of_its_own() {
        for lang in [Lang::En, Lang::Id] {
            for a in ACTIONS.iter() {
                let e = event(
                    a,
                    Some("maya"),
                    json!({"username": "budi", "role": "staff", "name": "Sales"}),
                );
                assert_ne!(action_label(lang, a), *a, "{a} has no label in {lang:?}");
                let s = sentence(lang, &e);
                assert!(!s.contains(a), "{a} reads as its id in {lang:?}: {s}");
                assert!(!s.contains('{') && !s.contains("audit-says"), "{a}: {s}");
            }
        }
    }

    #[test]
    fn failures_name_the_reason_and_deleted_codes_keep_their_code() {
        let e = event(
            "invitation.redeem_failed",
            None,
            json!({"reason": "code_expired"}),
        );
        assert!(sentence(Lang::En, &e).starts_with("Someone tried to redeem the code: "));
        let mut gone = event(
            "invitation.deleted",
            Some("admin"),
            json!({"before": {"code": "WXYZ-2345-6789-ABCD"}}),
        );
        gone.invitation_code = None;
        assert_eq!(event_code(&gone).as_deref(), Some("WXYZ-2345-6789-ABCD"));
        assert_eq!(sentence(Lang::En, &gone), "admin deleted the invitation");
    }
}
