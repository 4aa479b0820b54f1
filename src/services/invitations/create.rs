//! Creating an invitation: parse and authorise the request, insert the code, audit it and (when
//! it is bound to an email) queue the invitation email, all in one transaction.

use crate::audit::{Chain, NewEvent};
use crate::auth::Actor;
use crate::db::divisions::DivisionRef;
use crate::db::invitations::{self as rows, NewInvitation};
use crate::db::Conn;
use crate::domain::expiry::parse_instant;
use crate::domain::settings::ExpiryCeilings;
use crate::domain::{
    authorize, Action, DomainError, Email, Expiry, Field, Invitation, InvitationCode, Role, Status,
};
use crate::services::access::{division_for, unknown_division};
use crate::services::{outbox, ClientMeta, Core, Outcome};
use chrono::{DateTime, Utc};
use rand::TryRngCore;
use serde::Deserialize;
use serde_json::json;

/// What a person or script asks for; every field is optional and parsed here.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInvitation {
    pub email: Option<String>,
    pub role: Option<String>,
    pub division: Option<String>,
    /// RFC 3339; defaults to now + 7 days.
    pub expires_at: Option<String>,
    /// At most 200 characters, for the people who manage the code.
    pub note: Option<String>,
}

/// A create request parsed into domain values, ready to insert.
pub struct ValidCreate {
    pub email: Option<Email>,
    pub role: Role,
    pub division: Option<DivisionRef>,
    pub expiry: Expiry,
    pub note: Option<String>,
}

/// A create request parsed and authorised, whose expiry still awaits the ceilings: a single
/// create reads them inside the transaction that writes it, once for its whole group.
pub struct PendingCreate {
    pub email: Option<Email>,
    pub role: Role,
    pub division: Option<DivisionRef>,
    /// The instant asked for (`None`: the default).
    pub requested: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

impl PendingCreate {
    /// Checks the expiry against the ceilings at `now`: in the future and not too far ahead.
    pub fn resolve(&self, now: DateTime<Utc>, ceilings: &ExpiryCeilings) -> Outcome<ValidCreate> {
        let expiry = Expiry::parse(now, self.requested, self.role, ceilings.for_role(self.role))?;
        Ok(ValidCreate {
            email: self.email.clone(),
            role: self.role,
            division: self.division.clone(),
            expiry,
            note: self.note.clone(),
        })
    }
}

/// Divisions by slug, loaded once for a batch.
pub type DivisionCache = std::collections::HashMap<String, DivisionRef>;

/// What a batch loads once instead of once a row: the divisions and the expiry ceilings.
pub struct Batch {
    pub divisions: DivisionCache,
    pub ceilings: ExpiryCeilings,
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parses and authorises one create request of a batch, against the divisions and ceilings
/// the batch loaded once, so rows cost no query each.
pub async fn validate(
    core: &Core,
    actor: &Actor,
    input: &CreateInvitation,
    offset_minutes: i32,
    batch: &Batch,
) -> Outcome<ValidCreate> {
    parse(core, actor, input, offset_minutes, Some(batch))
        .await?
        .resolve(core.now(), &batch.ceilings)
}

/// Parses and authorises one create request, all but the expiry's ceiling (see
/// [`PendingCreate::resolve`]). A division named by slug is looked up in `batch` when given.
pub async fn parse(
    core: &Core,
    actor: &Actor,
    input: &CreateInvitation,
    offset_minutes: i32,
    batch: Option<&Batch>,
) -> Outcome<PendingCreate> {
    let role = match given(&input.role) {
        None => Role::Staff,
        Some(r) => r.parse::<Role>().map_err(|_| {
            DomainError::invalid(Field::Role, "role: must be one of staff, manager, admin")
        })?,
    };
    let action = Action::CreateInvitation(role);
    crate::domain::policy::check_scope(actor.policy(), action)?;
    let division = match given(&input.division) {
        Some(slug) => Some(match batch {
            Some(b) => b
                .divisions
                .get(&slug.to_lowercase())
                .cloned()
                .ok_or_else(|| unknown_division(actor, action, slug))?,
            None => division_for(&mut *core.db.conn().await?, actor, action, slug).await?,
        }),
        None if actor.role == Role::Admin => None,
        None => actor.division_id.map(|id| DivisionRef {
            id,
            slug: actor.division.clone().unwrap_or_default(),
        }),
    };
    authorize(
        Some(actor.policy()),
        action,
        division.as_ref().map(|d| d.id),
    )?;
    let division = if role == Role::Admin { None } else { division };
    if role.needs_division() && division.is_none() {
        return Err(DomainError::invalid(
            Field::Division,
            "division: required for staff and manager invitations",
        ));
    }
    let email = given(&input.email).map(Email::parse).transpose()?;
    let requested = given(&input.expires_at)
        .map(|t| parse_instant(t, offset_minutes))
        .transpose()?;
    // A past instant is refused here, before it queues for a write transaction; the ceiling
    // is checked in that transaction (`PendingCreate::resolve`).
    if let Some(at) = requested {
        Expiry::future(core.now(), at)?;
    }
    let note = crate::domain::text::note(input.note.as_deref())?;
    Ok(PendingCreate {
        email,
        role,
        division,
        requested,
        note,
    })
}

pub fn new_code() -> InvitationCode {
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the OS random number generator is available");
    InvitationCode::from_random(bytes)
}

/// One validated invitation to write, with who asks and from where.
pub struct Creation<'a> {
    pub actor: &'a Actor,
    pub v: &'a ValidCreate,
    pub meta: &'a ClientMeta,
}

/// Inserts validated invitations (many to a statement), their audit rows (on `chain`, which
/// the caller seals) and, for the email-bound, their emails inside `conn`'s transaction, and
/// returns them as created, in the order given.
pub async fn insert(
    core: &Core,
    conn: &mut Conn,
    chain: &mut Chain<'_>,
    items: &[Creation<'_>],
    via: &str,
) -> Outcome<Vec<Invitation>> {
    let made: Vec<(InvitationCode, DateTime<Utc>)> =
        items.iter().map(|_| (new_code(), core.now())).collect();
    let rows: Vec<NewInvitation> = items
        .iter()
        .zip(&made)
        .map(|(item, (code, now))| NewInvitation {
            code,
            email: item.v.email.as_ref().map(|e| e.as_str()),
            role: item.v.role,
            division: item.v.division.as_ref(),
            created_by: item.actor.user_id,
            created_at: *now,
            expires_at: item.v.expiry.at(),
            note: item.v.note.as_deref(),
        })
        .collect();
    let ids = rows::insert(&mut *conn, &rows).await?;
    let mut out = Vec::with_capacity(items.len());
    for ((item, (code, now)), id) in items.iter().zip(&made).zip(ids) {
        let (actor, v, meta) = (item.actor, item.v, item.meta);
        chain
            .append(
                &mut *conn,
                *now,
                NewEvent::new("invitation.created")
                    .actor(actor.username.clone())
                    .division(v.division.as_ref().map(|d| d.slug.clone()))
                    .invitation(id)
                    .addr(meta.addr.clone())
                    .details(json!({
                        "role": v.role,
                        "email_bound": v.email.is_some(),
                        "expires_at": v.expiry.at(),
                        "note": v.note,
                        "via": via,
                    })),
            )
            .await?;
        // The invitation just inserted, without reading it back.
        let invitation = Invitation {
            id,
            code: code.grouped(),
            email: v.email.as_ref().map(|e| e.as_str().to_string()),
            role: v.role,
            division: v.division.as_ref().map(|d| d.slug.clone()),
            status: Status::Active,
            expires_at: v.expiry.at(),
            created_at: *now,
            created_by: actor.username.clone(),
            used_by: None,
            used_at: None,
            note: v.note.clone(),
            suspended_reason: None,
        };
        if v.email.is_some() {
            let division_id = v.division.as_ref().map(|d| d.id);
            outbox::enqueue(
                core,
                conn,
                &invitation,
                division_id,
                meta.lang,
                actor.user_id,
            )
            .await?;
        }
        out.push(invitation);
    }
    Ok(out)
}

#[tracing::instrument(skip(core, actor, input, meta), fields(actor = %actor.username))]
pub async fn create(
    core: &Core,
    actor: &Actor,
    input: &CreateInvitation,
    offset_minutes: i32,
    meta: &ClientMeta,
) -> Outcome<Invitation> {
    let pending = parse(core, actor, input, offset_minutes, None).await?;
    super::group::create(core, actor, pending, meta).await
}
