//! Redemption: a new hire turns a code into an account, exactly once.

use super::{internal, ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::create_session;
use crate::db::invitations::{self as rows, InvitationRow};
use crate::db::rate_limits;
use crate::db::users::{self, NewUser};
use crate::domain::password::check_new_password;
use crate::domain::{
    text, CodeCheck, CodePreview, DomainError, Email, Field, InvitationCode, Role, Status,
    SuspendedReason, User, Username,
};
use serde::Deserialize;
use serde_json::json;

/// The invitation behind a code, its status as of now.
async fn find(core: &Core, code: &InvitationCode) -> Outcome<Option<InvitationRow>> {
    Ok(rows::by_code(&mut *core.db.conn().await?, code, core.now()).await?)
}

fn status_refusal(s: Status) -> Option<DomainError> {
    match s {
        Status::Active => None,
        Status::Used => Some(DomainError::CodeUsed),
        Status::Expired => Some(DomainError::CodeExpired),
        Status::Revoked => Some(DomainError::CodeRevoked),
        Status::Suspended => Some(DomainError::CodeSuspended),
    }
}

fn addr_bucket(kind: &str, meta: &ClientMeta) -> String {
    format!("redeem:{kind}:{}", meta.addr.as_deref().unwrap_or("-"))
}

/// `GET /redeem/{code}` and the `/join` preview. Rate-limited per client address.
pub async fn preview(core: &Core, input: &str, meta: &ClientMeta) -> Outcome<CodePreview> {
    let now = core.now();
    let max = core.config.redeem_check_max;
    let addr = meta.addr.as_deref().unwrap_or("-");
    // First this instance's own limit, in memory; then the failures every instance shares,
    // read with the code (one statement) but decided first, so that a refusal says nothing
    // about the code asked for.
    core.check_limiter
        .check(addr)
        .map_err(DomainError::RateLimited)?;
    let failures = addr_bucket("checkfail", meta);
    let code = text::bounded(Field::Code, input, text::MAX_CODE_INPUT)
        .ok()
        .and_then(InvitationCode::parse);
    let mut c = core.db.conn().await?;
    let answer = match code {
        // The failures and the code in one statement (a round trip is most of a check).
        Some(code) => {
            let row = rows::by_code_within_limit(&mut c, &code, &failures, max, 60, now)
                .await?
                .map_err(DomainError::RateLimited)?;
            preview_of(&code, row)
        }
        None => {
            rate_limits::over_within(&mut c, &failures, max, 60, now)
                .await?
                .map_err(DomainError::RateLimited)?;
            CodePreview::invalid("code_not_found")
        }
    };
    drop(c);
    if !answer.check.valid {
        let mut tx = core.db.begin_write().await?;
        // Only counted here: the verdict was the read above. Refusing now would answer 429
        // to failures alone, which would tell a guesser that a 200 means a real code.
        let _counted = rate_limits::hit_within(tx.conn(), &failures, max, 60, now).await?;
        tx.commit().await?;
    }
    Ok(answer)
}

/// What a code check answers for a code and its row (`None`: no such code), as of the read.
fn preview_of(code: &InvitationCode, row: Option<InvitationRow>) -> CodePreview {
    let Some(row) = row else {
        return CodePreview::invalid("code_not_found");
    };
    let inv = row.invitation;
    let problem = status_refusal(inv.status).map(|e| e.code());
    CodePreview {
        check: CodeCheck {
            valid: problem.is_none(),
            email_bound: inv.email.is_some(),
            role: Some(inv.role),
            division: inv.division.clone(),
        },
        code: Some(code.grouped()),
        division_name: row.division_name,
        inviter_role: row.creator_role,
        expires_at: Some(inv.expires_at),
        problem,
    }
}

/// "This invitation isn't for me": the recipient of an open code reports it, and it stays
/// Suspended until an admin reinstates or revokes it; its queued emails are not sent.
/// Rate-limited per client address like the preview. Reporting twice is no error.
#[tracing::instrument(skip_all, fields(addr = ?meta.addr))]
pub async fn report(core: &Core, input: &str, meta: &ClientMeta) -> Outcome<()> {
    let now = core.now();
    let bucket = addr_bucket("report", meta);
    let mut tx = core.db.begin_write().await?;
    let allowed =
        rate_limits::hit_within(tx.conn(), &bucket, core.config.redeem_check_max, 60, now).await?;
    tx.commit().await?;
    if let Err(secs) = allowed {
        return Err(DomainError::RateLimited(secs));
    }
    let code = text::bounded(Field::Code, input, text::MAX_CODE_INPUT)
        .ok()
        .and_then(InvitationCode::parse)
        .ok_or(DomainError::CodeNotFound)?;
    let row = find(core, &code).await?.ok_or(DomainError::CodeNotFound)?;
    match row.invitation.status {
        _ if row.invitation.suspended_reason == Some(SuspendedReason::ReportedByRecipient) => {
            return Ok(())
        }
        Status::Active | Status::Suspended => {}
        s => return Err(status_refusal(s).unwrap_or(DomainError::Internal)),
    }
    let mut tx = core.db.begin_write().await?;
    if !rows::report_if_open(tx.conn(), row.invitation.id, now).await? {
        drop(tx);
        let now = find(core, &code).await?.ok_or(DomainError::CodeNotFound)?;
        return Err(status_refusal(now.invitation.status).unwrap_or(DomainError::Internal));
    }
    super::outbox::cancel_for(tx.conn(), row.invitation.id, "reported by recipient").await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("invitation.reported")
            .division(row.invitation.division.clone())
            .invitation(row.invitation.id)
            .addr(meta.addr.clone())
            .details(json!({
                "before": { "status": row.invitation.status },
                "after": { "status": "suspended", "suspended_reason": "reported_by_recipient" },
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    pub code: String,
    pub username: String,
    pub password: String,
    pub email: Option<String>,
    /// Set by the OpenID Connect sign-in only (never read from a request body): the account
    /// gets no usable password and is linked to this provider identity, and `email` is the
    /// address the provider verified.
    #[serde(skip)]
    pub oidc_subject: Option<String>,
}

pub struct Redeemed {
    pub user: User,
    pub token: String,
}

/// Shows the account, never the session token.
impl std::fmt::Debug for Redeemed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redeemed")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Records a failed attempt in the audit trail and returns the refusal. (The attempt was
/// already counted against the address before it was checked.)
async fn failed(
    core: &Core,
    meta: &ClientMeta,
    err: DomainError,
    invitation: Option<&InvitationRow>,
) -> DomainError {
    let mut ev = NewEvent::new("invitation.redeem_failed")
        .addr(meta.addr.clone())
        .details(json!({ "reason": err.code() }));
    if let Some(inv) = invitation {
        ev = ev
            .invitation(inv.invitation.id)
            .division(inv.invitation.division.clone());
    }
    if let Err(e) = crate::audit::append_alone(&core.db, core.now(), ev).await {
        return internal(e);
    }
    err
}

#[tracing::instrument(skip_all, fields(addr = ?meta.addr))]
pub async fn redeem(core: &Core, req: &RedeemRequest, meta: &ClientMeta) -> Outcome<Redeemed> {
    let cfg = &core.config;
    // Bounded before anything is counted, hashed or looked up.
    let code_input = text::bounded(Field::Code, &req.code, text::MAX_CODE_INPUT)?;
    let via_oidc = req.oidc_subject.is_some();
    if !via_oidc {
        text::password(&req.password)?;
    }
    if let Some(e) = &req.email {
        text::bounded(Field::Email, e, 254)?;
    }
    // The attempt is counted before it is checked (and given back if it succeeds), so a burst
    // of parallel attempts cannot all pass a limit that each of them read as not yet reached.
    let fail_bucket = addr_bucket("fail", meta);
    {
        let mut tx = core.db.begin_write().await?;
        let allowed = rate_limits::hit_within(
            tx.conn(),
            &fail_bucket,
            cfg.redeem_max_failures,
            cfg.redeem_window_secs,
            core.now(),
        )
        .await?;
        tx.commit().await?;
        if let Err(secs) = allowed {
            return Err(DomainError::RateLimited(secs));
        }
    }
    let Some(code) = InvitationCode::parse(code_input) else {
        return Err(failed(core, meta, DomainError::CodeNotFound, None).await);
    };
    let Some(row) = find(core, &code).await? else {
        return Err(failed(core, meta, DomainError::CodeNotFound, None).await);
    };
    if let Some(e) = status_refusal(row.invitation.status) {
        return Err(failed(core, meta, e, Some(&row)).await);
    }
    // Every refusal of an attempt on a live code is audited against that code, once.
    let checked = async {
        let username = Username::parse(&req.username)?;
        let given = req
            .email
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let email = match (&row.invitation.email, given) {
            (Some(bound), Some(given)) => {
                let given = Email::parse(given)?;
                if !given.as_str().eq_ignore_ascii_case(bound) {
                    return Err(DomainError::EmailMismatch);
                }
                Some(given)
            }
            // The code is bound: leaving the address out is the same refusal as a wrong address.
            (Some(_), None) => return Err(DomainError::EmailMismatch),
            (None, Some(given)) => Some(Email::parse(given)?),
            (None, None) => None,
        };
        if !via_oidc {
            let required = super::settings::oidc_required(&mut *core.db.conn().await?).await?;
            if super::oidc::required_for(core, required, row.invitation.role) {
                return Err(DomainError::OidcRequired);
            }
            check_new_password(&req.password, &username)?;
        }
        if users::exists(&mut *core.db.conn().await?, username.as_str()).await? {
            return Err(DomainError::UsernameTaken);
        }
        if let Some(subject) = &req.oidc_subject {
            if crate::db::oidc::account_for(&mut *core.db.conn().await?, subject, None)
                .await?
                .is_some()
            {
                return Err(DomainError::Conflict(
                    "This identity already has an account here; sign in with it instead.".into(),
                ));
            }
        }
        Ok((username, email))
    };
    let (username, email) = match checked.await {
        Ok(checked) => checked,
        Err(DomainError::Internal) => return Err(DomainError::Internal),
        Err(e) => return Err(failed(core, meta, e, Some(&row)).await),
    };
    let password = match via_oidc {
        true => super::oidc::no_password(),
        false => req.password.clone(),
    };
    let hash = core.hasher.hash(password).await.map_err(internal)?;

    // One transaction: claim, create the user, link, audit, log in.
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    // The claim restates every condition checked above, the bound address included, so an
    // admin's change made meanwhile (revoked, re-bound, shortened) wins over this attempt.
    let bound = row.invitation.email.as_deref();
    if !rows::claim(tx.conn(), row.invitation.id, bound, now).await? {
        drop(tx);
        let err = match find(core, &code).await? {
            None => DomainError::CodeNotFound,
            Some(now) => match status_refusal(now.invitation.status) {
                Some(e) => e,
                // Still claimable, so the condition that failed is the address.
                None => DomainError::EmailMismatch,
            },
        };
        return Err(failed(core, meta, err, Some(&row)).await);
    }
    // The inviter's authority is re-checked inside the claim's transaction.
    if !rows::inviter_has_authority(tx.conn(), row.invitation.id).await? {
        drop(tx);
        return Err(failed(core, meta, DomainError::CodeSuspended, Some(&row)).await);
    }
    let Some(user_id) = users::insert(
        tx.conn(),
        &NewUser {
            username: username.as_str(),
            email: email.as_ref().map(|e| e.as_str()),
            password_hash: &hash,
            role: row.invitation.role,
            division_id: row.division_id,
            created_at: now,
            // Bound codes carry the address an inviter chose; the provider verified its own.
            email_trusted: email.is_some() && (bound.is_some() || via_oidc),
        },
    )
    .await?
    else {
        // Taken since the check above, by a redemption racing this one.
        drop(tx);
        return Err(failed(core, meta, DomainError::UsernameTaken, Some(&row)).await);
    };
    if let Some(subject) = &req.oidc_subject {
        if !crate::db::oidc::link(tx.conn(), user_id, subject).await? {
            return Err(DomainError::Internal);
        }
    }
    rows::set_used_by(tx.conn(), row.invitation.id, user_id).await?;
    super::outbox::cancel_for(tx.conn(), row.invitation.id, "invitation already used").await?;
    let division = row.invitation.division.clone();
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("invitation.redeemed")
            .actor(username.as_str())
            .division(division.clone())
            .invitation(row.invitation.id)
            .addr(meta.addr.clone())
            .details(json!({ "role": row.invitation.role })),
    )
    .await?;
    let via = if via_oidc {
        "invitation+oidc"
    } else {
        "invitation"
    };
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("user.created")
            .actor(username.as_str())
            .division(division.clone())
            .invitation(row.invitation.id)
            .addr(meta.addr.clone())
            .details(
                json!({ "username": username.as_str(), "role": row.invitation.role, "via": via }),
            ),
    )
    .await?;
    let token = create_session(tx.conn(), user_id, now, core.session_policy()).await?;
    rate_limits::refund(tx.conn(), &fail_bucket).await?;
    tx.commit().await?;
    Ok(Redeemed {
        user: User {
            username: username.as_str().to_string(),
            email: email.map(|e| e.into_inner()),
            role: row.invitation.role,
            division,
            created_at: now,
        },
        token,
    })
}

/// Creates a user directly (CLI `admin create`, demo seed).
pub async fn create_user_direct(
    core: &Core,
    username: &Username,
    password: &str,
    role: Role,
    division_id: Option<i64>,
    email: Option<&Email>,
) -> anyhow::Result<i64> {
    let hash = core.hasher.hash(password.to_string()).await?;
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let id = users::insert(
        tx.conn(),
        &NewUser {
            username: username.as_str(),
            email: email.map(|e| e.as_str()),
            password_hash: &hash,
            role,
            division_id,
            created_at: now,
            email_trusted: email.is_some(),
        },
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("the username {} is already taken", username.as_str()))?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("user.created")
            .actor("cli")
            .details(json!({ "username": username.as_str(), "role": role, "via": "cli" })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
