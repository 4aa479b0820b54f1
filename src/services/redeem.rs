//! Redemption: a new hire turns a code into an account, exactly once.

use super::{internal, rate_limit, ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::create_session;
use crate::db::col;
use crate::db::queries::{map_invitation, InvitationRow, INVITATION_COLUMNS, INVITATION_FROM};
use crate::domain::password::check_new_password;
use crate::domain::{
    text, CodeCheck, CodePreview, DomainError, Email, Field, InvitationCode, Role, Status, User,
    Username,
};
use serde::Deserialize;
use serde_json::json;

/// The invitation behind a code, with its division's name and its creator's role.
async fn find(
    core: &Core,
    conn: Option<&mut sqlx::AnyConnection>,
    code: &InvitationCode,
) -> Outcome<Option<(InvitationRow, Found)>> {
    let sql = format!(
        "SELECT {INVITATION_COLUMNS}, d.name AS division_name, c.role AS creator_role \
         {INVITATION_FROM} WHERE i.code = $1"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(code.as_str());
    let row = match conn {
        Some(c) => q.fetch_optional(c).await,
        None => q.fetch_optional(&core.db.pool).await,
    }
    .map_err(internal)?;
    match row {
        None => Ok(None),
        Some(r) => {
            let inv = map_invitation(&r, core.now()).map_err(internal)?;
            let division_name = col(&r, "division_name").map_err(internal)?;
            let creator_role = col::<String>(&r, "creator_role")
                .map_err(internal)?
                .parse()
                .ok();
            Ok(Some((
                inv,
                Found {
                    division_name,
                    creator_role,
                },
            )))
        }
    }
}

struct Found {
    division_name: Option<String>,
    creator_role: Option<Role>,
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
    let cfg = &core.config;
    let bucket = addr_bucket("check", meta);
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let allowed = rate_limit::hit_within(tx.conn(), &bucket, cfg.redeem_check_max, 60, now)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    if let Err(secs) = allowed {
        return Err(DomainError::RateLimited(secs));
    }
    let invalid = |problem: &str| CodePreview {
        check: CodeCheck {
            valid: false,
            email_bound: false,
            role: None,
            division: None,
        },
        code: None,
        division_name: None,
        inviter_role: None,
        expires_at: None,
        problem: Some(problem.to_string()),
    };
    let Some(code) = text::bounded(Field::Code, input, text::MAX_CODE_INPUT)
        .ok()
        .and_then(InvitationCode::parse)
    else {
        return Ok(invalid("code_not_found"));
    };
    let Some((row, found)) = find(core, None, &code).await? else {
        return Ok(invalid("code_not_found"));
    };
    let inv = row.invitation;
    let problem = status_refusal(inv.status).map(|e| e.code());
    Ok(CodePreview {
        check: CodeCheck {
            valid: problem.is_none(),
            email_bound: inv.email.is_some(),
            role: Some(inv.role),
            division: inv.division.clone(),
        },
        code: Some(code.grouped()),
        division_name: found.division_name,
        inviter_role: found.creator_role,
        expires_at: Some(inv.expires_at),
        problem,
    })
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    pub code: String,
    pub username: String,
    pub password: String,
    pub email: Option<String>,
}

pub struct Redeemed {
    pub user: User,
    pub token: String,
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
    text::password(&req.password)?;
    if let Some(e) = &req.email {
        text::bounded(Field::Email, e, 254)?;
    }
    // The attempt is counted before it is checked (and given back if it succeeds), so a burst
    // of parallel attempts cannot all pass a limit that each of them read as not yet reached.
    let fail_bucket = addr_bucket("fail", meta);
    {
        let mut tx = core.db.begin_write().await.map_err(internal)?;
        let allowed = rate_limit::hit_within(
            tx.conn(),
            &fail_bucket,
            cfg.redeem_max_failures,
            cfg.redeem_window_secs,
            core.now(),
        )
        .await
        .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        if let Err(secs) = allowed {
            return Err(DomainError::RateLimited(secs));
        }
    }
    let Some(code) = InvitationCode::parse(code_input) else {
        return Err(failed(core, meta, DomainError::CodeNotFound, None).await);
    };
    let Some((row, _)) = find(core, None, &code).await? else {
        return Err(failed(core, meta, DomainError::CodeNotFound, None).await);
    };
    if let Some(e) = status_refusal(row.invitation.status) {
        return Err(failed(core, meta, e, Some(&row)).await);
    }
    let username = Username::parse(&req.username)?;
    let email = match (
        &row.invitation.email,
        req.email
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    ) {
        (Some(bound), Some(given)) => {
            let given = Email::parse(given)?;
            if !given.as_str().eq_ignore_ascii_case(bound) {
                return Err(failed(core, meta, DomainError::EmailMismatch, Some(&row)).await);
            }
            Some(given)
        }
        // The code is bound: leaving the address out is the same refusal as a wrong address.
        (Some(_), None) => {
            return Err(failed(core, meta, DomainError::EmailMismatch, Some(&row)).await)
        }
        (None, Some(given)) => Some(Email::parse(given)?),
        (None, None) => None,
    };
    check_new_password(&req.password, &username)?;
    let taken = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(username.as_str())
        .fetch_optional(&core.db.pool)
        .await
        .map_err(internal)?;
    if taken.is_some() {
        return Err(DomainError::UsernameTaken);
    }
    let hash = core
        .hasher
        .hash(req.password.clone())
        .await
        .map_err(internal)?;

    // One transaction: claim, create the user, link, audit, log in.
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    // The claim restates every condition checked above, the bound address included, so an
    // admin's change made meanwhile (revoked, re-bound, shortened) wins over this attempt.
    let claimed = sqlx::query(
        "UPDATE invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $1 AND COALESCE(email, '') = $3",
    )
    .bind(now.timestamp_millis())
    .bind(row.invitation.id)
    .bind(row.invitation.email.clone().unwrap_or_default())
    .execute(tx.conn())
    .await
    .map_err(internal)?;
    if claimed.rows_affected() != 1 {
        drop(tx);
        let now_row = find(core, None, &code).await?.map(|(r, _)| r.invitation);
        let err = match now_row {
            None => DomainError::CodeNotFound,
            Some(inv) => match status_refusal(inv.status) {
                Some(e) => e,
                // Still claimable, so the condition that failed is the address.
                None => DomainError::EmailMismatch,
            },
        };
        return Err(failed(core, meta, err, Some(&row)).await);
    }
    // The inviter's authority is re-checked inside the claim's transaction.
    let fresh = find(core, Some(tx.conn()), &code)
        .await?
        .ok_or(DomainError::Internal)?;
    let inviter_ok = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT 1 AS ok FROM invitations i JOIN users c ON c.id = i.created_by WHERE i.id = $1 AND NOT {}",
        crate::db::queries::LOST_AUTHORITY
    )))
    .bind(row.invitation.id)
    .fetch_optional(tx.conn())
    .await
    .map_err(internal)?
    .is_some();
    if !inviter_ok {
        drop(tx);
        return Err(failed(core, meta, DomainError::CodeSuspended, Some(&fresh.0)).await);
    }
    let division_id = row.division_id;
    let inserted = sqlx::query(
        "INSERT INTO users (username, email, password_hash, role, division_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(username.as_str())
    .bind(email.as_ref().map(|e| e.as_str().to_string()))
    .bind(&hash)
    .bind(row.invitation.role.as_str())
    .bind(division_id)
    .bind(now.timestamp_millis())
    .fetch_one(tx.conn())
    .await;
    let user_row = match inserted {
        Ok(r) => r,
        Err(e)
            if e.as_database_error()
                .is_some_and(|d| d.is_unique_violation()) =>
        {
            return Err(DomainError::UsernameTaken)
        }
        Err(e) => return Err(internal(e)),
    };
    let user_id: i64 = col(&user_row, "id").map_err(internal)?;
    sqlx::query("UPDATE invitations SET used_by = $1 WHERE id = $2")
        .bind(user_id)
        .bind(row.invitation.id)
        .execute(tx.conn())
        .await
        .map_err(internal)?;
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
    .await
    .map_err(internal)?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("user.created")
            .actor(username.as_str())
            .division(division.clone())
            .invitation(row.invitation.id)
            .addr(meta.addr.clone())
            .details(json!({ "username": username.as_str(), "role": row.invitation.role, "via": "invitation" })),
    )
    .await
    .map_err(internal)?;
    let token = create_session(tx.conn(), user_id, now, core.session_policy())
        .await
        .map_err(internal)?;
    rate_limit::refund(tx.conn(), &fail_bucket)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
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
    let row = sqlx::query(
        "INSERT INTO users (username, email, password_hash, role, division_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(username.as_str())
    .bind(email.map(|e| e.as_str().to_string()))
    .bind(hash)
    .bind(role.as_str())
    .bind(division_id)
    .bind(now.timestamp_millis())
    .fetch_one(tx.conn())
    .await?;
    let id: i64 = col(&row, "id")?;
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
