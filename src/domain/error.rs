use serde::{Deserialize, Serialize};
use std::fmt;

/// A request field a validation error names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Email,
    Username,
    Password,
    Role,
    Division,
    ExpiresAt,
    Status,
    Page,
    PerPage,
    Code,
    Slug,
    Name,
    Since,
    Until,
    /// The search text (`q`).
    Query,
    /// An uploaded file (bulk CSV).
    File,
    Note,
    /// Audit filters.
    Action,
    Actor,
    /// Settings: the expiry ceilings.
    MaxExpiryDays,
    /// A division's quota of Active codes.
    MaxActiveCodes,
    /// An API token's scopes.
    Scopes,
    /// A webhook endpoint's address, events and description.
    Url,
    Events,
    Description,
}

impl Field {
    pub const ALL: [Field; 25] = [
        Field::Email,
        Field::Username,
        Field::Password,
        Field::Role,
        Field::Division,
        Field::ExpiresAt,
        Field::Status,
        Field::Page,
        Field::PerPage,
        Field::Code,
        Field::Slug,
        Field::Name,
        Field::Since,
        Field::Until,
        Field::Query,
        Field::File,
        Field::Note,
        Field::Action,
        Field::Actor,
        Field::MaxExpiryDays,
        Field::MaxActiveCodes,
        Field::Scopes,
        Field::Url,
        Field::Events,
        Field::Description,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Username => "username",
            Field::Password => "password",
            Field::Role => "role",
            Field::Division => "division",
            Field::ExpiresAt => "expires_at",
            Field::Status => "status",
            Field::Page => "page",
            Field::PerPage => "per_page",
            Field::Code => "code",
            Field::Slug => "slug",
            Field::Name => "name",
            Field::Since => "since",
            Field::Until => "until",
            Field::Query => "q",
            Field::File => "file",
            Field::Note => "note",
            Field::Action => "action",
            Field::Actor => "actor",
            Field::MaxExpiryDays => "max_expiry_days",
            Field::MaxActiveCodes => "max_active_codes",
            Field::Scopes => "scopes",
            Field::Url => "url",
            Field::Events => "events",
            Field::Description => "description",
        }
    }
}

/// Typed refusals. Each variant maps one-to-one to an API error code and status, so handlers
/// and server functions only translate, never decide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DomainError {
    #[error("{1}")]
    Invalid(Field, String),
    #[error("You must be logged in.")]
    Unauthenticated,
    #[error("Invalid username or password.")]
    BadCredentials,
    #[error("You are not allowed to do this.")]
    Forbidden,
    #[error("Managers can only invite staff; contact your system administrator for other roles.")]
    RoleNotAllowed,
    #[error("Not found.")]
    NotFound,
    #[error("This invitation code does not exist.")]
    CodeNotFound,
    #[error("This invitation code has expired.")]
    CodeExpired,
    #[error("This invitation code has already been used.")]
    CodeUsed,
    #[error("This invitation code has been revoked.")]
    CodeRevoked,
    #[error(
        "This invitation code is suspended and cannot be used now; ask the person who invited you."
    )]
    CodeSuspended,
    #[error("The email does not match the address this invitation was sent to.")]
    EmailMismatch,
    #[error("That username is already taken.")]
    UsernameTaken,
    #[error("password_confirm: the two passwords differ.")]
    PasswordMismatch,
    #[error("{0}")]
    Conflict(String),
    #[error("This invitation can no longer be changed: {0}.")]
    NotActive(String),
    #[error("Too many attempts; try again in {0} seconds.")]
    RateLimited(u64),
    /// The division's quota of Active codes is used up: (in use, quota).
    #[error("The division's quota is used up: {0} of {1} active codes in use.")]
    QuotaExceeded(i64, i64),
    /// The expiry is past the ceiling for the invitation's role: (role, days).
    #[error("expires_at: {0} invitations may expire at most {1} days ahead.")]
    ExpiryTooFar(super::Role, i64),
    #[error("This division still has people or invitations; move or remove them first.")]
    DivisionNotEmpty,
    #[error("This API token's scopes do not allow this.")]
    InsufficientScope,
    /// Signing in through the identity provider did not work (a stale or foreign link, a
    /// cancelled sign-in, a token that does not verify).
    #[error("Signing in with the identity provider did not work. Please try again.")]
    OidcFailed,
    #[error("No account here belongs to this identity. New staff join with an invitation code.")]
    OidcNoAccount,
    #[error("The identity provider has not verified this email address.")]
    OidcEmailUnverified,
    #[error("Managers and admins sign in with the organisation's identity provider.")]
    OidcRequired,
    #[error("This account is disabled.")]
    AccountDisabled,
    #[error("This identity already signs in to another account here.")]
    OidcIdentityTaken,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl DomainError {
    pub fn invalid(field: Field, message: impl Into<String>) -> Self {
        DomainError::Invalid(field, message.into())
    }

    /// The same refusal with `prefix` before its message (e.g. "row 3: " for a batch).
    pub fn prefixed(self, prefix: &str) -> Self {
        match self {
            DomainError::Invalid(f, m) => DomainError::Invalid(f, format!("{prefix}{m}")),
            DomainError::Conflict(m) => DomainError::Conflict(format!("{prefix}{m}")),
            other => other,
        }
    }

    /// The stable, machine-readable error code of the API.
    pub fn code(&self) -> String {
        match self {
            DomainError::Invalid(Field::Username, _) => "invalid_username".into(),
            DomainError::Invalid(Field::Password, _) => "weak_password".into(),
            DomainError::Invalid(f, _) => format!("invalid_{}", f.as_str()),
            DomainError::Unauthenticated => "unauthenticated".into(),
            DomainError::BadCredentials => "invalid_credentials".into(),
            DomainError::Forbidden => "forbidden".into(),
            DomainError::RoleNotAllowed => "role_not_allowed".into(),
            DomainError::NotFound => "not_found".into(),
            DomainError::CodeNotFound => "code_not_found".into(),
            DomainError::CodeExpired => "code_expired".into(),
            DomainError::CodeUsed => "code_used".into(),
            DomainError::CodeRevoked => "code_revoked".into(),
            DomainError::CodeSuspended => "code_suspended".into(),
            DomainError::EmailMismatch => "email_mismatch".into(),
            DomainError::UsernameTaken => "username_taken".into(),
            DomainError::PasswordMismatch => "password_mismatch".into(),
            DomainError::Conflict(_) => "conflict".into(),
            DomainError::NotActive(_) => "invitation_not_active".into(),
            DomainError::RateLimited(_) => "rate_limited".into(),
            DomainError::QuotaExceeded(..) => "quota_exceeded".into(),
            DomainError::ExpiryTooFar(..) => "expiry_too_far".into(),
            DomainError::DivisionNotEmpty => "division_not_empty".into(),
            DomainError::InsufficientScope => "insufficient_scope".into(),
            DomainError::OidcFailed => "oidc_failed".into(),
            DomainError::OidcNoAccount => "oidc_no_account".into(),
            DomainError::OidcEmailUnverified => "oidc_email_unverified".into(),
            DomainError::OidcRequired => "oidc_required".into(),
            DomainError::AccountDisabled => "account_disabled".into(),
            DomainError::OidcIdentityTaken => "oidc_identity_taken".into(),
            DomainError::Internal => "internal_error".into(),
        }
    }

    /// The HTTP status the API answers with.
    pub fn status(&self) -> u16 {
        match self {
            DomainError::Invalid(..)
            | DomainError::EmailMismatch
            | DomainError::PasswordMismatch
            | DomainError::ExpiryTooFar(..) => 422,
            DomainError::Unauthenticated | DomainError::BadCredentials => 401,
            DomainError::Forbidden
            | DomainError::RoleNotAllowed
            | DomainError::InsufficientScope
            | DomainError::OidcNoAccount
            | DomainError::OidcEmailUnverified
            | DomainError::OidcRequired
            | DomainError::AccountDisabled => 403,
            DomainError::OidcFailed => 400,
            DomainError::NotFound | DomainError::CodeNotFound => 404,
            DomainError::CodeExpired
            | DomainError::CodeUsed
            | DomainError::CodeRevoked
            | DomainError::CodeSuspended => 410,
            DomainError::UsernameTaken
            | DomainError::Conflict(_)
            | DomainError::NotActive(_)
            | DomainError::QuotaExceeded(..)
            | DomainError::DivisionNotEmpty
            | DomainError::OidcIdentityTaken => 409,
            DomainError::RateLimited(_) => 429,
            DomainError::Internal => 500,
        }
    }

    /// The field a validation error is about, for showing it next to that field.
    pub fn field(&self) -> Option<Field> {
        match self {
            DomainError::Invalid(f, _) => Some(*f),
            DomainError::EmailMismatch => Some(Field::Email),
            DomainError::UsernameTaken => Some(Field::Username),
            DomainError::PasswordMismatch => Some(Field::Password),
            DomainError::ExpiryTooFar(..) => Some(Field::ExpiresAt),
            DomainError::CodeNotFound
            | DomainError::CodeExpired
            | DomainError::CodeUsed
            | DomainError::CodeRevoked
            | DomainError::CodeSuspended => Some(Field::Code),
            _ => None,
        }
    }

    /// Parses the code back (used by the UI to rebuild an error carried in a URL).
    pub fn from_code(code: &str, message: &str) -> Self {
        let m = message.to_string();
        match code {
            "invalid_username" => DomainError::Invalid(Field::Username, m),
            "weak_password" => DomainError::Invalid(Field::Password, m),
            c if c.starts_with("invalid_") && c != "invalid_credentials" => {
                match Field::ALL.iter().find(|f| format!("invalid_{f}") == c) {
                    Some(f) => DomainError::Invalid(*f, m),
                    None => DomainError::Conflict(m),
                }
            }
            "unauthenticated" => DomainError::Unauthenticated,
            "invalid_credentials" => DomainError::BadCredentials,
            "forbidden" => DomainError::Forbidden,
            "role_not_allowed" => DomainError::RoleNotAllowed,
            "not_found" => DomainError::NotFound,
            "code_not_found" => DomainError::CodeNotFound,
            "code_expired" => DomainError::CodeExpired,
            "code_used" => DomainError::CodeUsed,
            "code_revoked" => DomainError::CodeRevoked,
            "code_suspended" => DomainError::CodeSuspended,
            "email_mismatch" => DomainError::EmailMismatch,
            "username_taken" => DomainError::UsernameTaken,
            "password_mismatch" => DomainError::PasswordMismatch,
            "invitation_not_active" => DomainError::NotActive(m),
            "quota_exceeded" => DomainError::QuotaExceeded(0, 0),
            "expiry_too_far" => DomainError::ExpiryTooFar(super::Role::Staff, 0),
            "division_not_empty" => DomainError::DivisionNotEmpty,
            "insufficient_scope" => DomainError::InsufficientScope,
            "oidc_failed" => DomainError::OidcFailed,
            "oidc_no_account" => DomainError::OidcNoAccount,
            "oidc_email_unverified" => DomainError::OidcEmailUnverified,
            "oidc_required" => DomainError::OidcRequired,
            "account_disabled" => DomainError::AccountDisabled,
            "oidc_identity_taken" => DomainError::OidcIdentityTaken,
            "internal_error" => DomainError::Internal,
            "rate_limited" => DomainError::RateLimited(message.parse().unwrap_or(60)),
            _ => DomainError::Conflict(m),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Server functions return `DomainError` itself: it travels as JSON, so the browser gets the
/// code, field and retry time, never a `code|message` string. A failure of the call itself
/// (network, decoding) is an internal error to the person.
impl leptos::server_fn::error::FromServerFnError for DomainError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(_: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        DomainError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_codes_and_statuses_match_the_contract() {
        let table: Vec<(DomainError, u16, &str)> = vec![
            (DomainError::CodeNotFound, 404, "code_not_found"),
            (DomainError::CodeExpired, 410, "code_expired"),
            (DomainError::CodeUsed, 410, "code_used"),
            (DomainError::CodeRevoked, 410, "code_revoked"),
            (DomainError::CodeSuspended, 410, "code_suspended"),
            (DomainError::EmailMismatch, 422, "email_mismatch"),
            (
                DomainError::invalid(Field::Username, "x"),
                422,
                "invalid_username",
            ),
            (
                DomainError::invalid(Field::Password, "x"),
                422,
                "weak_password",
            ),
            (
                DomainError::invalid(Field::Email, "x"),
                422,
                "invalid_email",
            ),
            (DomainError::UsernameTaken, 409, "username_taken"),
            (DomainError::RateLimited(3), 429, "rate_limited"),
            (DomainError::RoleNotAllowed, 403, "role_not_allowed"),
            (DomainError::Forbidden, 403, "forbidden"),
            (DomainError::Unauthenticated, 401, "unauthenticated"),
            (DomainError::QuotaExceeded(3, 3), 409, "quota_exceeded"),
            (
                DomainError::ExpiryTooFar(crate::domain::Role::Staff, 30),
                422,
                "expiry_too_far",
            ),
            (DomainError::DivisionNotEmpty, 409, "division_not_empty"),
            (DomainError::InsufficientScope, 403, "insufficient_scope"),
            (DomainError::OidcFailed, 400, "oidc_failed"),
            (DomainError::OidcRequired, 403, "oidc_required"),
        ];
        for (e, status, code) in table {
            assert_eq!(e.status(), status, "{e:?}");
            assert_eq!(e.code(), code, "{e:?}");
        }
    }
}
