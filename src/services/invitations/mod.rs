//! Invitation use cases: listing and reading (here), creating (`create`), and the admin's
//! changes (`change`). Batches of creates are `services::bulk`'s.

mod change;
mod create;
pub mod group;
pub mod quota;

pub(crate) use change::double_option;
pub use change::{delete, may_update, reinstate, revoke, update, UpdateInvitation};
pub use create::{
    create, insert, new_code, parse, validate, Batch, CreateInvitation, Creation, DivisionCache,
    PendingCreate, ValidCreate,
};

use super::access::{invitation_for, list_scope};
use super::{internal, ClientMeta, Core, Outcome};
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
        capped: page.capped,
    })
}

/// Rows the CSV export reads at a time.
const EXPORT_BATCH: i64 = 500;

/// `GET /invitations` as CSV: the whole filtered view (division, search and status applied,
/// pages not), newest first, read in batches so a large view streams in constant memory.
pub async fn export_csv(
    core: &Core,
    actor: &Actor,
    query: &ListQuery,
) -> Outcome<impl futures_util::Stream<Item = Result<String, std::io::Error>> + Send + 'static> {
    let scope = list_scope(
        core,
        actor,
        Action::ListInvitations,
        query.division.as_deref(),
    )
    .await?;
    // Every live code of the view leaves in one file: the trail records who took which view.
    crate::audit::append_alone(
        &core.db,
        core.now(),
        NewEvent::new("invitations.exported")
            .actor(actor.username.clone())
            .division(scope.as_ref().map(|d| d.slug.clone()))
            .details(serde_json::json!({
                "q": query.q.trim(),
                "status": query.status.as_str(),
            })),
    )
    .await?;
    let core = core.clone();
    let division_id = scope.map(|d| d.id);
    let q = query.q.trim().to_string();
    let status = query.status;
    // (cursor, header written, finished)
    let start: (Option<rows::ExportCursor>, bool, bool) = (None, false, false);
    Ok(futures_util::stream::unfold(
        start,
        move |(after, headed, done)| {
            let core = core.clone();
            let q = q.clone();
            async move {
                if done {
                    return None;
                }
                let filter = ListFilter {
                    division_id,
                    q: &q,
                    status,
                    limit: EXPORT_BATCH,
                    offset: 0,
                };
                let page = match core.db.conn().await {
                    Ok(mut c) => {
                        rows::export_page(&mut c, core.db.backend, &filter, after, core.now()).await
                    }
                    Err(e) => Err(e),
                };
                let failed = || std::io::Error::other("the export stopped: the database failed");
                match page {
                    Ok(items) => {
                        let last = items
                            .last()
                            .map(|i| (i.created_at.timestamp_millis(), i.id));
                        let finished = (items.len() as i64) < EXPORT_BATCH;
                        match csv_chunk(&items, !headed) {
                            Ok(chunk) => Some((Ok(chunk), (last.or(after), true, finished))),
                            Err(_) => Some((Err(failed()), (after, true, true))),
                        }
                    }
                    Err(_) => Some((Err(failed()), (after, true, true))),
                }
            }
        },
    ))
}

/// A cell a spreadsheet would read as a formula is prefixed with `'` (free text only).
fn spreadsheet_safe(s: Option<&str>) -> String {
    match s {
        Some(t) if t.starts_with(['=', '+', '-', '@']) => format!("'{t}"),
        Some(t) => t.to_string(),
        None => String::new(),
    }
}

/// Invitations as CSV lines, with the header line first when `header`.
pub fn csv_chunk(items: &[Invitation], header: bool) -> Outcome<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record([
            "id",
            "code",
            "email",
            "role",
            "division",
            "status",
            "suspended_reason",
            "expires_at",
            "created_at",
            "created_by",
            "used_by",
            "used_at",
            "note",
        ])
        .map_err(internal)?;
    }
    for i in items {
        w.write_record([
            i.id.to_string(),
            i.code.clone(),
            spreadsheet_safe(i.email.as_deref()),
            i.role.as_str().to_string(),
            i.division.clone().unwrap_or_default(),
            i.status.as_str().to_string(),
            i.suspended_reason
                .map(|r| r.as_str().to_string())
                .unwrap_or_default(),
            i.expires_at.to_rfc3339(),
            i.created_at.to_rfc3339(),
            i.created_by.clone(),
            i.used_by.clone().unwrap_or_default(),
            i.used_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            spreadsheet_safe(i.note.as_deref()),
        ])
        .map_err(internal)?;
    }
    String::from_utf8(w.into_inner().map_err(internal)?).map_err(internal)
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

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused_and_plain_text_is_kept() {
        use super::spreadsheet_safe as safe;
        assert_eq!(safe(Some("=HYPERLINK(\"x\")")), "'=HYPERLINK(\"x\")");
        assert_eq!(safe(Some("+1")), "'+1");
        assert_eq!(safe(Some("barista, starts 1 Dec")), "barista, starts 1 Dec");
        assert_eq!(safe(None), "");
    }
}
