//! The scope of a request: which division it is about, and loading a record the actor may act
//! on. Shared by the invitation, email and audit use cases; the decisions are the policy's.

use super::{Core, Outcome};
use crate::auth::Actor;
use crate::db::divisions::{self, DivisionRef};
use crate::db::invitations::{self as rows, InvitationRow};
use crate::db::Conn;
use crate::domain::policy::{check_scope, NO_DIVISION};
use crate::domain::{authorize, text, Action, DomainError, Field, Role};

/// A division by slug, or `None` when there is no such division (also for text no slug could
/// be).
pub async fn division_by_slug(c: &mut Conn, slug: &str) -> Outcome<Option<DivisionRef>> {
    if text::bounded(Field::Division, slug, text::MAX_FILTER).is_err() {
        return Ok(None);
    }
    Ok(divisions::by_slug(c, &slug.trim().to_lowercase()).await?)
}

/// The division `slug` names, for an actor about to do `action` there. An admin naming no
/// division gets 422; anyone else gets the answer the policy gives for a division that is not
/// theirs, so an unknown division and another division look the same.
pub async fn division_for(
    c: &mut Conn,
    actor: &Actor,
    action: Action,
    slug: &str,
) -> Outcome<DivisionRef> {
    check_scope(actor.policy(), action)?;
    division_by_slug(c, slug)
        .await?
        .ok_or_else(|| unknown_division(actor, action, slug))
}

/// The refusal for a division that does not exist: 422 for an admin (a typo to fix), and for
/// anyone else what the policy answers for a division that is not theirs.
pub fn unknown_division(actor: &Actor, action: Action, slug: &str) -> DomainError {
    if actor.role == Role::Admin {
        return DomainError::invalid(
            Field::Division,
            format!("division: there is no division {slug:?}"),
        );
    }
    match authorize(Some(actor.policy()), action, Some(NO_DIVISION)) {
        Err(refusal) => refusal.into(),
        Ok(()) => DomainError::NotFound,
    }
}

/// The division a list or audit query is about (`None`: all), authorised for `action`: the
/// requested one, else the manager's own.
pub async fn list_scope(
    core: &Core,
    actor: &Actor,
    action: Action,
    slug: Option<&str>,
) -> Outcome<Option<DivisionRef>> {
    let scope = match slug {
        Some(slug) => Some(division_for(&mut *core.db.conn().await?, actor, action, slug).await?),
        None if actor.role == Role::Admin => None,
        None => actor.division_id.map(|id| DivisionRef {
            id,
            slug: actor.division.clone().unwrap_or_default(),
        }),
    };
    authorize(Some(actor.policy()), action, scope.as_ref().map(|d| d.id))?;
    Ok(scope)
}

/// An invitation the actor may `action`; another division's answers `NotFound`.
pub async fn invitation_for(
    core: &Core,
    c: &mut Conn,
    actor: &Actor,
    id: i64,
    action: Action,
) -> Outcome<InvitationRow> {
    check_scope(actor.policy(), action)?;
    let row = rows::get(c, id, core.now())
        .await?
        .ok_or(DomainError::NotFound)?;
    authorize(Some(actor.policy()), action, row.division_id)?;
    Ok(row)
}
