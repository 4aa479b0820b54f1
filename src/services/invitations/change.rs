//! An admin's changes to an invitation: re-binding its email or moving its expiry, revoking
//! it, deleting it. Each restates its precondition in its write, so a redemption that commits
//! meanwhile wins and the change is refused rather than applied to a used code.

use crate::audit::{append, NewEvent};
use crate::auth::Actor;
use crate::db::invitations as rows;
use crate::db::WriteTx;
use crate::domain::{Action, DomainError, Email, Expiry, Invitation, Status, SuspendedReason};
use crate::services::access::invitation_for;
use crate::services::{outbox, settings, ClientMeta, Core, Outcome};
use serde::Deserialize;
use serde_json::json;

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateInvitation {
    /// A new bound email; `null` or `""` removes the binding.
    #[serde(default, deserialize_with = "double_option")]
    pub email: Option<Option<String>>,
    pub expires_at: Option<String>,
    /// A new note; `null` or `""` removes it.
    #[serde(default, deserialize_with = "double_option")]
    pub note: Option<Option<String>>,
}

pub(crate) fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

fn not_active(status: Status) -> DomainError {
    match status {
        Status::Used => DomainError::NotActive("it has been used".into()),
        s => DomainError::NotActive(s.as_str().into()),
    }
}

/// The refusal when a conditional change found its row changed since it was read: the
/// invitation's status now (Used, Revoked, Expired), or Not Found when it is gone.
async fn changed_meanwhile(core: &Core, tx: WriteTx, id: i64) -> DomainError {
    drop(tx);
    let now = match core.db.conn().await {
        Ok(mut c) => rows::get(&mut c, id, core.now()).await,
        Err(e) => Err(e),
    };
    match now {
        Ok(Some(row)) => not_active(row.invitation.status),
        Ok(None) => DomainError::NotFound,
        Err(e) => e.into(),
    }
}

/// Whether `actor` may change invitation `id` at all: the refusal [`update`] gives before it
/// reads its input, for a request whose input could not be read.
pub async fn may_update(core: &Core, actor: &Actor, id: i64) -> Outcome<()> {
    let mut c = core.db.conn().await?;
    invitation_for(core, &mut c, actor, id, Action::UpdateInvitation).await?;
    Ok(())
}

pub async fn update(
    core: &Core,
    actor: &Actor,
    id: i64,
    input: &UpdateInvitation,
    meta: &ClientMeta,
) -> Outcome<Invitation> {
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let before = invitation_for(core, tx.conn(), actor, id, Action::UpdateInvitation).await?;
    if before.invitation.status != Status::Active {
        return Err(not_active(before.invitation.status));
    }
    let email = match &input.email {
        None => before.invitation.email.clone(),
        Some(None) => None,
        Some(Some(e)) if e.trim().is_empty() => None,
        Some(Some(e)) => Some(Email::parse(e)?.into_inner()),
    };
    let role = before.invitation.role;
    let expires_at = match &input.expires_at {
        None => before.invitation.expires_at,
        Some(t) => {
            let ceiling = settings::ceilings(core, tx.conn()).await?.for_role(role);
            Expiry::parse_text(now, t, 0, role, ceiling)?.at()
        }
    };
    let note = match &input.note {
        None => before.invitation.note.clone(),
        Some(n) => crate::domain::text::note(n.as_deref())?,
    };
    if !rows::update_if_open(
        tx.conn(),
        id,
        email.as_deref(),
        expires_at,
        note.as_deref(),
        now,
    )
    .await?
    {
        return Err(changed_meanwhile(core, tx, id).await);
    }
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("invitation.updated")
            .actor(actor.username.clone())
            .division(before.invitation.division.clone())
            .invitation(id)
            .addr(meta.addr.clone())
            .details(json!({
                "before": {
                    "email": before.invitation.email,
                    "expires_at": before.invitation.expires_at,
                    "note": before.invitation.note,
                },
                "after": { "email": email, "expires_at": expires_at, "note": note },
            })),
    )
    .await?;
    let after = rows::get(tx.conn(), id, now)
        .await?
        .ok_or(DomainError::Internal)?;
    // A new address gets the invitation; nothing more goes to the old one.
    if after.invitation.email != before.invitation.email {
        outbox::cancel_for(tx.conn(), id, "email address changed").await?;
        outbox::enqueue(
            core,
            tx.conn(),
            &after.invitation,
            after.division_id,
            meta.lang,
            actor.user_id,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after.invitation)
}

pub async fn revoke(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<Invitation> {
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let before = invitation_for(core, tx.conn(), actor, id, Action::RevokeInvitation).await?;
    if !matches!(before.invitation.status, Status::Active | Status::Suspended) {
        return Err(not_active(before.invitation.status));
    }
    if !rows::revoke_if_open(tx.conn(), id, actor.user_id, now).await? {
        return Err(changed_meanwhile(core, tx, id).await);
    }
    outbox::cancel_for(tx.conn(), id, "invitation revoked").await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("invitation.revoked")
            .actor(actor.username.clone())
            .division(before.invitation.division.clone())
            .invitation(id)
            .addr(meta.addr.clone())
            .details(json!({ "before": { "status": before.invitation.status }, "after": { "status": "revoked" } })),
    )
    .await?;
    let after = rows::get(tx.conn(), id, now)
        .await?
        .ok_or(DomainError::Internal)?;
    tx.commit().await?;
    Ok(after.invitation)
}

/// Lifts a recipient's report ("not me"): the code is Active again, or Suspended still when its
/// inviter has lost authority meanwhile.
pub async fn reinstate(
    core: &Core,
    actor: &Actor,
    id: i64,
    meta: &ClientMeta,
) -> Outcome<Invitation> {
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let before = invitation_for(core, tx.conn(), actor, id, Action::UpdateInvitation).await?;
    if before.invitation.suspended_reason != Some(SuspendedReason::ReportedByRecipient) {
        return Err(match before.invitation.status {
            Status::Active | Status::Suspended => {
                DomainError::Conflict("This invitation has not been reported.".into())
            }
            s => not_active(s),
        });
    }
    if !rows::clear_report(tx.conn(), id).await? {
        return Err(changed_meanwhile(core, tx, id).await);
    }
    let after = rows::get(tx.conn(), id, now)
        .await?
        .ok_or(DomainError::Internal)?;
    // Active again, it counts against the division's quota like a new code.
    if let (Status::Active, Some(d)) = (after.invitation.status, after.division_id) {
        let usage = super::quota::usage(core, tx.conn(), &[d], true).await?;
        if let Some(&(used, max)) = usage.get(&d) {
            if used > max {
                return Err(DomainError::QuotaExceeded(used - 1, max));
            }
        }
    }
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("invitation.reinstated")
            .actor(actor.username.clone())
            .division(before.invitation.division.clone())
            .invitation(id)
            .addr(meta.addr.clone())
            .details(json!({
                "before": { "status": before.invitation.status, "suspended_reason": before.invitation.suspended_reason },
                "after": { "status": after.invitation.status, "suspended_reason": after.invitation.suspended_reason },
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(after.invitation)
}

pub async fn delete(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<()> {
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let before = invitation_for(core, tx.conn(), actor, id, Action::DeleteInvitation).await?;
    if before.invitation.status == Status::Used {
        return Err(not_active(Status::Used));
    }
    // Cancelled first (the rows refer to the invitation); undone with the transaction when the
    // delete finds the code used meanwhile.
    outbox::cancel_for(tx.conn(), id, "invitation deleted").await?;
    if !rows::delete_if_unused(tx.conn(), id).await? {
        return Err(changed_meanwhile(core, tx, id).await);
    }
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("invitation.deleted")
            .actor(actor.username.clone())
            .division(before.invitation.division.clone())
            .invitation(id)
            .addr(meta.addr.clone())
            .details(json!({ "before": before.invitation })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
