//! Scoped API tokens: made and revoked by the person they act as (admins and managers), each
//! use checked against both the token's scopes and the holder's current role.

use super::{ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::{random_token, token_hash, Actor};
use crate::db::tokens::{self as rows, NewToken as NewRow};
use crate::domain::expiry::parse_instant;
use crate::domain::policy::{Scope, Scopes};
use crate::domain::{authorize, Action, DomainError, Field, Role};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::json;

pub use crate::db::tokens::TokenInfo;

/// `POST /tokens`. Without `scopes` a token gets every scope its holder's role has (what
/// tokens did before scopes existed).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: Option<String>,
    /// `invitations:read`, `invitations:write`, `admin` (admins only).
    pub scopes: Option<Vec<String>>,
    /// RFC 3339; none: the token lives until revoked.
    pub expires_at: Option<String>,
}

/// A token as made: the secret is in here once and nowhere else.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenCreated {
    pub id: i64,
    /// Shown once; only its hash is stored.
    pub token: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The scopes a role can hold.
fn role_scopes(role: Role) -> Vec<Scope> {
    match role {
        Role::Admin => Scope::ALL.to_vec(),
        Role::Manager => vec![Scope::InvitationsRead, Scope::InvitationsWrite],
        Role::Staff => Vec::new(),
    }
}

/// Parses the requested scopes: known names, at least one, none beyond the holder's role.
pub fn parse_scopes(role: Role, requested: Option<&[String]>) -> Outcome<Scopes> {
    let Some(requested) = requested else {
        return Ok(Scopes::of(&role_scopes(role)));
    };
    let mut list = Vec::new();
    for name in requested {
        let Some(s) = Scope::parse(name) else {
            return Err(DomainError::invalid(
                Field::Scopes,
                format!(
                    "scopes: {:?} is not one of invitations:read, invitations:write, admin",
                    name.chars().take(40).collect::<String>()
                ),
            ));
        };
        if !role_scopes(role).contains(&s) {
            return Err(DomainError::Forbidden);
        }
        list.push(s);
    }
    if list.is_empty() {
        return Err(DomainError::invalid(
            Field::Scopes,
            "scopes: choose at least one scope",
        ));
    }
    Ok(Scopes::of(&list))
}

pub async fn create(
    core: &Core,
    actor: &Actor,
    input: &NewToken,
    meta: &ClientMeta,
) -> Outcome<TokenCreated> {
    authorize(Some(actor.policy()), Action::ManageTokens, None)?;
    let name = match input.name.as_deref() {
        None => "api".to_string(),
        Some(n) => crate::domain::text::required(Field::Name, n, 80)?.to_string(),
    };
    let scopes = parse_scopes(actor.role, input.scopes.as_deref())?;
    // A token made with a token cannot outgrow the token it was made with.
    if let Some(mine) = actor.scopes {
        if scopes.list().iter().any(|s| !mine.contains(*s)) {
            return Err(DomainError::InsufficientScope);
        }
    }
    let now = core.now();
    let expires_at = match input.expires_at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => {
            let at = parse_instant(t, 0)?;
            if at <= now || at > now + Duration::days(3650) {
                return Err(DomainError::invalid(
                    Field::ExpiresAt,
                    "expires_at: must be in the future, at most ten years ahead",
                ));
            }
            Some(at)
        }
    };
    let token = random_token();
    let mut tx = core.db.begin_write().await?;
    let id = rows::insert(
        tx.conn(),
        &NewRow {
            token_hash: &token_hash(&token),
            user_id: actor.user_id,
            name: &name,
            scopes,
            expires_at,
            created_at: now,
        },
    )
    .await?;
    let scope_names: Vec<String> = scopes
        .list()
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("token.created")
            .actor(actor.username.clone())
            .division(actor.division.clone())
            .addr(meta.addr.clone())
            .details(json!({ "name": name, "token_id": id, "scopes": scope_names, "expires_at": expires_at })),
    )
    .await?;
    tx.commit().await?;
    Ok(TokenCreated {
        id,
        token,
        name,
        scopes: scope_names,
        created_at: now,
        expires_at,
    })
}

/// The actor's own tokens; an admin sees everyone's.
pub async fn list(core: &Core, actor: &Actor) -> Outcome<Vec<TokenInfo>> {
    authorize(Some(actor.policy()), Action::ManageTokens, None)?;
    let whose = (actor.role != Role::Admin).then_some(actor.user_id);
    Ok(rows::list(&mut *core.db.conn().await?, whose).await?)
}

/// Revokes one of the actor's tokens (an admin: anyone's). Someone else's is not found.
pub async fn revoke(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<()> {
    authorize(Some(actor.policy()), Action::ManageTokens, None)?;
    let whose = (actor.role != Role::Admin).then_some(actor.user_id);
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    if !rows::revoke(tx.conn(), id, whose, now).await? {
        return Err(DomainError::NotFound);
    }
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("token.revoked")
            .actor(actor.username.clone())
            .division(actor.division.clone())
            .addr(meta.addr.clone())
            .details(json!({ "token_id": id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_known_present_and_within_the_role() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_scopes(Role::Manager, Some(&s(&["invitations:read"]))),
            Ok(Scopes::of(&[Scope::InvitationsRead]))
        );
        assert_eq!(
            parse_scopes(Role::Manager, None),
            Ok(Scopes::of(&[
                Scope::InvitationsRead,
                Scope::InvitationsWrite
            ]))
        );
        assert_eq!(parse_scopes(Role::Admin, None), Ok(Scopes::of(&Scope::ALL)));
        assert_eq!(
            parse_scopes(Role::Manager, Some(&s(&["admin"]))),
            Err(DomainError::Forbidden)
        );
        for bad in [s(&[]), s(&["everything"]), s(&["Admin"])] {
            let e = parse_scopes(Role::Admin, Some(&bad)).unwrap_err();
            assert_eq!(e.code(), "invalid_scopes", "{bad:?}");
        }
    }
}
