//! Invitation use cases: listing and reading (here), creating (`create`), and the admin's
//! changes (`change`). Batches of creates are `services::bulk`'s.

mod change;
mod create;

pub use change::{delete, revoke, update, UpdateInvitation};
pub use create::{
    create, insert, new_code, validate, CreateInvitation, DivisionCache, ValidCreate,
};

use super::access::{invitation_for, list_scope};
use super::{ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::Actor;
use crate::db::invitations::{self as rows, ListFilter};
use crate::domain::{Action, Invitation, InvitationPage, ListQuery};

#[tracing::instrument(skip(core, actor), fields(actor = %actor.username))]
pub async fn list(core: &Core, actor: &Actor, query: &ListQuery) -> Outcome<InvitationPage> {
    let scope = list_scope(
        core,
        actor,
        Action::ListInvitations,
        query.division.as_deref(),
    )
    .await?;
    let page = rows::list(
        &mut *core.db.conn().await?,
        core.db.backend,
        &ListFilter {
            division_id: scope.map(|d| d.id),
            q: query.q.trim(),
            status: query.status,
            limit: query.per_page as i64,
            offset: query.offset(),
        },
        core.now(),
    )
    .await?;
    Ok(InvitationPage {
        items: page.items,
        total: page.total,
        page: query.page,
        per_page: query.per_page,
        counts: page.counts,
    })
}

pub async fn get(core: &Core, actor: &Actor, id: i64) -> Outcome<Invitation> {
    let mut c = core.db.conn().await?;
    Ok(
        invitation_for(core, &mut c, actor, id, Action::ViewInvitation)
            .await?
            .invitation,
    )
}

/// Records that the actor copied the code (the audit trail shows who handed out what).
pub async fn copy(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<Invitation> {
    let mut tx = core.db.begin_write().await?;
    let row = invitation_for(core, tx.conn(), actor, id, Action::CopyCode).await?;
    append(
        &core.db,
        tx.conn(),
        core.now(),
        NewEvent::new("invitation.copied")
            .actor(actor.username.clone())
            .division(row.invitation.division.clone())
            .invitation(id)
            .addr(meta.addr.clone()),
    )
    .await?;
    tx.commit().await?;
    Ok(row.invitation)
}
