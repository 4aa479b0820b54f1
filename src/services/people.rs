//! People: an admin changes a user's role and division, re-enables an account, and hands out a
//! one-time password-reset link. Codes a user created follow the Suspended rule on their own:
//! a demoted or moved inviter's open codes are Suspended at once (status is derived).

use super::{internal, ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::{random_token, token_hash, Actor};
use crate::db::users::Account;
use crate::db::{divisions, password_resets, sessions, tokens, users, Conn};
use crate::domain::password::check_new_password;
use crate::domain::{authorize, text, Action, DomainError, Field, Role, User, Username};
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

/// How long a reset link stays usable.
pub const RESET_HOURS: i64 = 24;

/// `PATCH /users/{username}`: a new role, a new division, or both.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    pub role: Option<String>,
    /// A division slug; admins have none (it is cleared when the role becomes admin).
    pub division: Option<String>,
}

async fn account(c: &mut Conn, username: &str) -> Outcome<Account> {
    let username = text::bounded(Field::Username, username, 64)
        .map_err(|_| DomainError::NotFound)?
        .to_lowercase();
    users::by_username(c, &username)
        .await?
        .ok_or(DomainError::NotFound)
}

pub async fn update(
    core: &Core,
    actor: &Actor,
    username: &str,
    input: &UpdateUser,
    meta: &ClientMeta,
) -> Outcome<User> {
    authorize(Some(actor.policy()), Action::ManageUsers, None)?;
    let role = input
        .role
        .as_deref()
        .map(|r| {
            r.parse::<Role>().map_err(|_| {
                DomainError::invalid(Field::Role, "role: must be one of staff, manager, admin")
            })
        })
        .transpose()?;
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let before = account(tx.conn(), username).await?;
    if before.id == actor.user_id && role.is_some_and(|r| r != before.user.role) {
        return Err(DomainError::Conflict(
            "You cannot change your own role; ask another admin.".into(),
        ));
    }
    let role = role.unwrap_or(before.user.role);
    let named = input
        .division
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if role == Role::Admin && named.is_some() {
        return Err(DomainError::invalid(
            Field::Division,
            "division: admins belong to no division",
        ));
    }
    let division = match input.division.as_deref().map(str::trim) {
        _ if role == Role::Admin => None,
        Some(slug) if !slug.is_empty() => Some(
            divisions::by_slug(tx.conn(), &slug.to_lowercase())
                .await?
                .ok_or_else(|| {
                    DomainError::invalid(Field::Division, "division: no division has that slug")
                })?,
        ),
        _ => match &before.user.division {
            Some(slug) => divisions::by_slug(tx.conn(), slug).await?,
            None => None,
        },
    };
    if role.needs_division() && division.is_none() {
        return Err(DomainError::invalid(
            Field::Division,
            "division: required for staff and managers",
        ));
    }
    users::set_role(tx.conn(), before.id, role, division.as_ref().map(|d| d.id)).await?;
    let after = User {
        role,
        division: division.map(|d| d.slug),
        ..before.user.clone()
    };
    if after != before.user {
        append(
            &core.db,
            tx.conn(),
            now,
            NewEvent::new("user.updated")
                .actor(actor.username.clone())
                .division(after.division.clone().or(before.user.division.clone()))
                .addr(meta.addr.clone())
                .details(json!({
                    "username": after.username,
                    "before": { "role": before.user.role, "division": before.user.division },
                    "after": { "role": after.role, "division": after.division },
                })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// Re-enables a disabled account (its sessions and tokens stay ended; it logs in afresh).
pub async fn enable(
    core: &Core,
    actor: &Actor,
    username: &str,
    meta: &ClientMeta,
) -> Outcome<User> {
    authorize(Some(actor.policy()), Action::ManageUsers, None)?;
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let a = account(tx.conn(), username).await?;
    if a.disabled {
        users::enable(tx.conn(), a.id).await?;
        append(
            &core.db,
            tx.conn(),
            now,
            NewEvent::new("user.enabled")
                .actor(actor.username.clone())
                .division(a.user.division.clone())
                .addr(meta.addr.clone())
                .details(json!({ "username": a.user.username })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(a.user)
}

/// A one-time link that lets the user choose a new password, valid for [`RESET_HOURS`]. Only
/// the link's hash is stored; the admin hands the link over.
pub async fn password_reset_link(
    core: &Core,
    actor: &Actor,
    username: &str,
    meta: &ClientMeta,
) -> Outcome<String> {
    authorize(Some(actor.policy()), Action::ManageUsers, None)?;
    let now = core.now();
    let token = random_token();
    let mut tx = core.db.begin_write().await?;
    let a = account(tx.conn(), username).await?;
    password_resets::insert(
        tx.conn(),
        &token_hash(&token),
        a.id,
        actor.user_id,
        now,
        now + Duration::hours(RESET_HOURS),
    )
    .await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("user.password_reset_issued")
            .actor(actor.username.clone())
            .division(a.user.division.clone())
            .addr(meta.addr.clone())
            .details(json!({ "username": a.user.username, "valid_hours": RESET_HOURS })),
    )
    .await?;
    tx.commit().await?;
    Ok(format!("{}/reset/{token}", core.config.public_origin()))
}

/// Whose live link this is (for the reset page), or Not Found.
pub async fn reset_target(core: &Core, token: &str) -> Outcome<User> {
    let token = text::bounded(Field::Code, token, 128).map_err(|_| DomainError::NotFound)?;
    let mut c = core.db.conn().await?;
    let id = password_resets::user_for(&mut c, &token_hash(token), core.now())
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(users::by_id(&mut c, id)
        .await?
        .ok_or(DomainError::NotFound)?
        .user)
}

/// Sets the new password through a live link, uses the link up and ends every session of the
/// user (whoever had the old password is out).
pub async fn reset_password(
    core: &Core,
    token: &str,
    password: &str,
    confirm: &str,
    meta: &ClientMeta,
) -> Outcome<User> {
    let user = reset_target(core, token).await?;
    text::password(password)?;
    if password != confirm {
        return Err(DomainError::PasswordMismatch);
    }
    let username = Username::parse(&user.username)?;
    check_new_password(password, &username)?;
    let hash = core
        .hasher
        .hash(password.to_string())
        .await
        .map_err(internal)?;
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    if !password_resets::use_up(tx.conn(), &token_hash(token.trim()), now).await? {
        return Err(DomainError::NotFound);
    }
    let a = account(tx.conn(), &user.username).await?;
    users::set_password_hash(tx.conn(), a.id, &hash).await?;
    // Whoever had the old password is out: sessions end and API tokens are revoked.
    sessions::delete_for_user(tx.conn(), a.id).await?;
    tokens::revoke_all_for(tx.conn(), a.id, now).await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("user.password_reset")
            .actor(user.username.clone())
            .division(user.division.clone())
            .addr(meta.addr.clone())
            .details(json!({ "username": user.username })),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}
