//! Listing, creating, copying and (for admins) changing invitations.

use super::{internal, ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::Actor;
use crate::db::queries::{
    like_pattern, map_invitation, status_predicate, InvitationRow, Params, INVITATION_COLUMNS,
    INVITATION_FROM, LOST_AUTHORITY,
};
use crate::db::{col, Backend};
use crate::domain::{
    authorize, Action, Counts, DomainError, Email, Expiry, Field, Invitation, InvitationCode,
    InvitationPage, ListQuery, Role, Status, StatusFilter,
};
use rand::TryRngCore;
use serde::Deserialize;
use serde_json::json;

/// A division looked up by slug.
#[derive(Clone, Debug)]
pub struct DivisionRef {
    pub id: i64,
    pub slug: String,
}

pub async fn division_by_slug(core: &Core, slug: &str) -> Outcome<Option<DivisionRef>> {
    // No division has a slug like that (and PostgreSQL could not even compare it).
    if crate::domain::text::bounded(Field::Division, slug, 64).is_err() {
        return Ok(None);
    }
    let row = sqlx::query("SELECT id, slug FROM divisions WHERE slug = $1")
        .bind(slug.trim().to_lowercase())
        .fetch_optional(&core.db.pool)
        .await
        .map_err(internal)?;
    row.map(|r| {
        Ok(DivisionRef {
            id: col(&r, "id").map_err(internal)?,
            slug: col(&r, "slug").map_err(internal)?,
        })
    })
    .transpose()
}

/// The division a list or audit query is about: the requested one, or the manager's own.
pub async fn list_target(core: &Core, actor: &Actor, slug: Option<&str>) -> Outcome<Option<i64>> {
    match slug {
        Some(slug) => match division_by_slug(core, slug).await? {
            Some(d) => Ok(Some(d.id)),
            None if actor.role == Role::Admin => Err(DomainError::invalid(
                Field::Division,
                format!("division: there is no division {slug:?}"),
            )),
            None => Err(DomainError::NotFound),
        },
        None if actor.role == Role::Admin => Ok(None),
        None => Ok(actor.division_id),
    }
}

/// Whether a search can be narrowed by the FTS5 trigram index (SQLite, migration 0003):
/// trigrams need three characters; shorter searches and PostgreSQL use the LIKE predicates alone.
fn use_search_index(core: &Core, code_q: &str, text_q: &str) -> bool {
    let long_enough = |s: &str| s.chars().count() >= 3;
    core.db.backend == Backend::Sqlite && long_enough(code_q) && long_enough(text_q)
}

/// `SUM(...) AS used, ...` for each status, then `COUNT(*) AS total`.
fn status_sums(now_ph: &str, statuses: &[Status]) -> String {
    let mut cols: Vec<String> = statuses
        .iter()
        .map(|s| {
            format!(
                "SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS {}",
                status_predicate(*s, now_ph),
                s.as_str()
            )
        })
        .collect();
    cols.push("COUNT(*) AS total".into());
    cols.join(", ")
}

/// Counts per status without a search: one pass over the covering index
/// `(division_id, created_by, used_at, revoked_at, expires_at)`, grouped by inviter, so the
/// inviter (needed for Suspended) is looked up once per inviter instead of once per row.
async fn counts_by_creator(
    core: &Core,
    p: &Params,
    now_ph: &str,
    base_where: &str,
) -> Outcome<(Counts, i64)> {
    let sql = format!(
        "SELECT i.used, i.revoked, i.expired, i.total, \
           CASE WHEN {LOST_AUTHORITY} THEN 1 ELSE 0 END AS lost \
         FROM (SELECT i.division_id, i.created_by, {sums} \
               FROM invitations i WHERE {base_where} \
               GROUP BY i.division_id, i.created_by) i \
         JOIN users c ON c.id = i.created_by",
        sums = status_sums(now_ph, &[Status::Used, Status::Revoked, Status::Expired]),
    );
    let rows = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(&core.db.pool)
        .await
        .map_err(internal)?;
    let mut counts = Counts::default();
    let mut total = 0;
    for row in &rows {
        let n = |name: &str| col::<Option<i64>>(row, name).map(|v| v.unwrap_or(0));
        let (used, revoked, expired, all) = (
            n("used").map_err(internal)?,
            n("revoked").map_err(internal)?,
            n("expired").map_err(internal)?,
            n("total").map_err(internal)?,
        );
        let open = all - used - revoked - expired;
        counts.used += used;
        counts.revoked += revoked;
        counts.expired += expired;
        if n("lost").map_err(internal)? == 1 {
            counts.suspended += open;
        } else {
            counts.active += open;
        }
        total += all;
    }
    Ok((counts, total))
}

/// Counts per status for a search: over the matching rows, which also need the redeemer.
async fn counts_with_search(
    core: &Core,
    p: &Params,
    now_ph: &str,
    base_where: &str,
) -> Outcome<(Counts, i64)> {
    let sql = format!(
        "SELECT {sums} FROM invitations i JOIN users c ON c.id = i.created_by \
           LEFT JOIN users u ON u.id = i.used_by WHERE {base_where}",
        sums = status_sums(
            now_ph,
            &[
                Status::Used,
                Status::Revoked,
                Status::Expired,
                Status::Suspended
            ]
        ),
    );
    let row = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_one(&core.db.pool)
        .await
        .map_err(internal)?;
    let n = |name: &str| -> Outcome<i64> {
        Ok(col::<Option<i64>>(&row, name)
            .map_err(internal)?
            .unwrap_or(0))
    };
    let total = n("total")?;
    let mut counts = Counts {
        used: n("used")?,
        revoked: n("revoked")?,
        expired: n("expired")?,
        suspended: n("suspended")?,
        active: 0,
    };
    counts.active = total - counts.used - counts.revoked - counts.expired - counts.suspended;
    Ok((counts, total))
}

#[tracing::instrument(skip(core, actor), fields(actor = %actor.username))]
pub async fn list(core: &Core, actor: &Actor, query: &ListQuery) -> Outcome<InvitationPage> {
    let target = list_target(core, actor, query.division.as_deref()).await?;
    authorize(Some(actor.policy()), Action::ListInvitations, target)?;
    let now = core.now();

    let mut p = Params::default();
    let now_ph = p.int(now.timestamp_millis());
    let mut filters: Vec<String> = Vec::new();
    if let Some(div) = target {
        filters.push(format!("i.division_id = {}", p.int(div)));
    }
    let q = query.q.trim();
    if !q.is_empty() {
        let code_q: String = q
            .chars()
            .filter(|c| *c != '-' && !c.is_whitespace())
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        let text_q = q.to_lowercase();
        if use_search_index(core, &code_q, &text_q) {
            // The index's LIKE takes no ESCAPE, so the raw text goes in: a `%` or `_` typed
            // by the user widens the candidates, and the exact predicates below decide.
            let a = p.text(format!("%{code_q}%"));
            let b = p.text(format!("%{text_q}%"));
            filters.push(format!(
                "i.id IN (SELECT rowid FROM invitation_search WHERE doc LIKE {a} \
                 UNION SELECT rowid FROM invitation_search WHERE doc LIKE {b})"
            ));
        }
        let code_ph = p.text(like_pattern(&code_q));
        let text_ph = p.text(like_pattern(&text_q));
        filters.push(format!(
            "(i.code LIKE {code_ph} ESCAPE '\\' OR i.email LIKE {text_ph} ESCAPE '\\' \
             OR u.username LIKE {text_ph} ESCAPE '\\')"
        ));
    }
    let base_where = if filters.is_empty() {
        "1 = 1".to_string()
    } else {
        filters.join(" AND ")
    };

    let (counts, total_all) = if q.is_empty() {
        counts_by_creator(core, &p, &now_ph, &base_where).await?
    } else {
        counts_with_search(core, &p, &now_ph, &base_where).await?
    };

    let mut where_sql = base_where;
    if let StatusFilter::Only(s) = query.status {
        where_sql = format!("{where_sql} AND {}", status_predicate(s, &now_ph));
    }
    let total = match query.status {
        StatusFilter::All => total_all,
        StatusFilter::Only(s) => counts.get(s),
    };
    let limit_ph = p.int(query.per_page as i64);
    let offset_ph = p.int(query.offset());
    let items_sql = format!(
        "SELECT {INVITATION_COLUMNS} {INVITATION_FROM} WHERE {where_sql} \
         ORDER BY i.created_at DESC, i.id DESC LIMIT {limit_ph} OFFSET {offset_ph}"
    );
    let rows = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(items_sql.as_str())))
        .fetch_all(&core.db.pool)
        .await
        .map_err(internal)?;
    let items = rows
        .iter()
        .map(|r| map_invitation(r, now).map(|x| x.invitation))
        .collect::<Result<Vec<_>, _>>()
        .map_err(internal)?;
    Ok(InvitationPage {
        items,
        total,
        page: query.page,
        per_page: query.per_page,
        counts,
    })
}

pub(crate) async fn load(
    core: &Core,
    conn: Option<&mut sqlx::AnyConnection>,
    id: i64,
) -> Outcome<Option<InvitationRow>> {
    let sql = format!("SELECT {INVITATION_COLUMNS} {INVITATION_FROM} WHERE i.id = $1");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(id);
    let row = match conn {
        Some(c) => q.fetch_optional(c).await,
        None => q.fetch_optional(&core.db.pool).await,
    }
    .map_err(internal)?;
    row.map(|r| map_invitation(&r, core.now()).map_err(internal))
        .transpose()
}

/// Loads an invitation the actor may act on; another division's answers `NotFound`.
async fn load_for(
    core: &Core,
    conn: Option<&mut sqlx::AnyConnection>,
    actor: &Actor,
    id: i64,
    action: Action,
) -> Outcome<InvitationRow> {
    let row = load(core, conn, id).await?.ok_or(DomainError::NotFound)?;
    authorize(Some(actor.policy()), action, row.division_id)?;
    Ok(row)
}

pub async fn get(core: &Core, actor: &Actor, id: i64) -> Outcome<Invitation> {
    Ok(load_for(core, None, actor, id, Action::ViewInvitation)
        .await?
        .invitation)
}

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
}

/// A create request parsed into domain values, ready to insert.
pub struct ValidCreate {
    pub email: Option<Email>,
    pub role: Role,
    pub division: Option<DivisionRef>,
    pub expiry: Expiry,
}

/// Parses and authorises one create request (also used per row by bulk onboarding).
pub async fn validate_create(
    core: &Core,
    actor: &Actor,
    input: &CreateInvitation,
    offset_minutes: i32,
) -> Outcome<ValidCreate> {
    validate_create_with(core, actor, input, offset_minutes, None).await
}

/// Divisions by slug, loaded once for a batch.
pub type DivisionCache = std::collections::HashMap<String, DivisionRef>;

async fn validate_create_with(
    core: &Core,
    actor: &Actor,
    input: &CreateInvitation,
    offset_minutes: i32,
    cache: Option<&DivisionCache>,
) -> Outcome<ValidCreate> {
    let now = core.now();
    let role = match input
        .role
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Role::Staff,
        Some(r) => r.parse::<Role>().map_err(|_| {
            DomainError::invalid(Field::Role, "role: must be one of staff, manager, admin")
        })?,
    };
    let division = match input
        .division
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(slug) => match match cache {
            Some(c) => c.get(&slug.to_lowercase()).cloned(),
            None => division_by_slug(core, slug).await?,
        } {
            Some(d) => Some(d),
            None if actor.role == Role::Admin => {
                return Err(DomainError::invalid(
                    Field::Division,
                    format!("division: there is no division {slug:?}"),
                ))
            }
            None => return Err(DomainError::Forbidden),
        },
        None if actor.role == Role::Admin => None,
        None => actor.division_id.map(|id| DivisionRef {
            id,
            slug: actor.division.clone().unwrap_or_default(),
        }),
    };
    authorize(
        Some(actor.policy()),
        Action::CreateInvitation(role),
        division.as_ref().map(|d| d.id),
    )?;
    let division = if role == Role::Admin { None } else { division };
    if role.needs_division() && division.is_none() {
        return Err(DomainError::invalid(
            Field::Division,
            "division: required for staff and manager invitations",
        ));
    }
    let email = match input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(e) => Some(Email::parse(e)?),
        None => None,
    };
    let expiry = Expiry::parse_text(
        now,
        input.expires_at.as_deref().unwrap_or(""),
        offset_minutes,
        core.config.max_expiry_days,
    )?;
    Ok(ValidCreate {
        email,
        role,
        division,
        expiry,
    })
}

pub fn new_code() -> InvitationCode {
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the OS random number generator is available");
    InvitationCode::from_random(bytes)
}

/// Inserts one validated invitation, its audit row and (email-bound) its email inside `conn`'s
/// transaction, and returns it as created.
pub async fn insert(
    core: &Core,
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    v: &ValidCreate,
    meta: &ClientMeta,
    via: &str,
) -> Outcome<Invitation> {
    let now = core.now();
    let code = new_code();
    let row = sqlx::query(
        "INSERT INTO invitations (code, email, role, division_id, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(code.as_str())
    .bind(v.email.as_ref().map(|e| e.as_str().to_string()))
    .bind(v.role.as_str())
    .bind(v.division.as_ref().map(|d| d.id))
    .bind(actor.user_id)
    .bind(now.timestamp_millis())
    .bind(v.expiry.at().timestamp_millis())
    .fetch_one(&mut *conn)
    .await
    .map_err(internal)?;
    let id: i64 = col(&row, "id").map_err(internal)?;
    append(
        &core.db,
        conn,
        now,
        NewEvent::new("invitation.created")
            .actor(actor.username.clone())
            .division(v.division.as_ref().map(|d| d.slug.clone()))
            .invitation(id)
            .addr(meta.addr.clone())
            .details(json!({
                "role": v.role,
                "email_bound": v.email.is_some(),
                "expires_at": v.expiry.at(),
                "via": via,
            })),
    )
    .await
    .map_err(internal)?;
    let invitation = fresh(actor, v, id, &code, now);
    if v.email.is_some() {
        let division_id = v.division.as_ref().map(|d| d.id);
        super::outbox::enqueue(
            core,
            conn,
            &invitation,
            division_id,
            meta.lang,
            actor.user_id,
        )
        .await?;
    }
    Ok(invitation)
}

#[tracing::instrument(skip(core, actor, input, meta), fields(actor = %actor.username))]
pub async fn create(
    core: &Core,
    actor: &Actor,
    input: &CreateInvitation,
    offset_minutes: i32,
    meta: &ClientMeta,
) -> Outcome<Invitation> {
    let v = validate_create(core, actor, input, offset_minutes).await?;
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let invitation = insert(core, tx.conn(), actor, &v, meta, "single").await?;
    tx.commit().await.map_err(internal)?;
    Ok(invitation)
}

/// The invitation just inserted, without reading it back.
fn fresh(
    actor: &Actor,
    v: &ValidCreate,
    id: i64,
    code: &InvitationCode,
    now: chrono::DateTime<chrono::Utc>,
) -> Invitation {
    Invitation {
        id,
        code: code.grouped(),
        email: v.email.as_ref().map(|e| e.as_str().to_string()),
        role: v.role,
        division: v.division.as_ref().map(|d| d.slug.clone()),
        status: Status::Active,
        expires_at: v.expiry.at(),
        created_at: now,
        created_by: actor.username.clone(),
        used_by: None,
        used_at: None,
    }
}

pub async fn copy(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<Invitation> {
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let row = load_for(core, Some(tx.conn()), actor, id, Action::CopyCode).await?;
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
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(row.invitation)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateInvitation {
    /// A new bound email; `null` or `""` removes the binding.
    #[serde(default, deserialize_with = "double_option")]
    pub email: Option<Option<String>>,
    pub expires_at: Option<String>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

pub async fn update(
    core: &Core,
    actor: &Actor,
    id: i64,
    input: &UpdateInvitation,
    meta: &ClientMeta,
) -> Outcome<Invitation> {
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let before = load_for(core, Some(tx.conn()), actor, id, Action::UpdateInvitation).await?;
    if before.invitation.status != Status::Active {
        return Err(DomainError::NotActive(
            before.invitation.status.as_str().into(),
        ));
    }
    let email = match &input.email {
        None => before.invitation.email.clone(),
        Some(None) => None,
        Some(Some(e)) if e.trim().is_empty() => None,
        Some(Some(e)) => Some(Email::parse(e)?.into_inner()),
    };
    let expires_at = match &input.expires_at {
        None => before.invitation.expires_at,
        Some(t) => Expiry::parse_text(now, t, 0, core.config.max_expiry_days)?.at(),
    };
    // The statement restates "still Active", so a redemption that committed after our read
    // (PostgreSQL reads without a lock) makes this change refuse instead of rewriting a used
    // code.
    let changed = sqlx::query(
        "UPDATE invitations SET email = $1, expires_at = $2 WHERE id = $3 \
         AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $4",
    )
    .bind(email.clone())
    .bind(expires_at.timestamp_millis())
    .bind(id)
    .bind(now.timestamp_millis())
    .execute(tx.conn())
    .await
    .map_err(internal)?;
    if changed.rows_affected() != 1 {
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
                "before": { "email": before.invitation.email, "expires_at": before.invitation.expires_at },
                "after": { "email": email, "expires_at": expires_at },
            })),
    )
    .await
    .map_err(internal)?;
    let after = load(core, Some(tx.conn()), id)
        .await?
        .ok_or(DomainError::Internal)?;
    // A new address gets the invitation; nothing more goes to the old one.
    if after.invitation.email != before.invitation.email {
        super::outbox::cancel_for(tx.conn(), id, "email address changed").await?;
        super::outbox::enqueue(
            core,
            tx.conn(),
            &after.invitation,
            after.division_id,
            meta.lang,
            actor.user_id,
        )
        .await?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(after.invitation)
}

/// The refusal when a conditional change found its row changed since it was read: the
/// invitation's status now (Used, Revoked, Expired), or Not Found when it is gone.
async fn changed_meanwhile(core: &Core, tx: crate::db::WriteTx, id: i64) -> DomainError {
    drop(tx);
    match load(core, None, id).await {
        Ok(Some(now)) if now.invitation.status == Status::Used => {
            DomainError::NotActive("it has been used".into())
        }
        Ok(Some(now)) => DomainError::NotActive(now.invitation.status.as_str().into()),
        Ok(None) => DomainError::NotFound,
        Err(e) => e,
    }
}

pub async fn revoke(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<Invitation> {
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let before = load_for(core, Some(tx.conn()), actor, id, Action::RevokeInvitation).await?;
    if !matches!(before.invitation.status, Status::Active | Status::Suspended) {
        return Err(DomainError::NotActive(
            before.invitation.status.as_str().into(),
        ));
    }
    let changed = sqlx::query(
        "UPDATE invitations SET revoked_at = $1, revoked_by = $2 WHERE id = $3 \
         AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now.timestamp_millis())
    .bind(actor.user_id)
    .bind(id)
    .execute(tx.conn())
    .await
    .map_err(internal)?;
    if changed.rows_affected() != 1 {
        return Err(changed_meanwhile(core, tx, id).await);
    }
    super::outbox::cancel_for(tx.conn(), id, "invitation revoked").await?;
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
    .await
    .map_err(internal)?;
    let after = load(core, Some(tx.conn()), id)
        .await?
        .ok_or(DomainError::Internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(after.invitation)
}

pub async fn delete(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<()> {
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let before = load_for(core, Some(tx.conn()), actor, id, Action::DeleteInvitation).await?;
    if before.invitation.status == Status::Used {
        return Err(DomainError::NotActive("it has been used".into()));
    }
    // Cancelled first (the rows refer to the invitation); undone with the transaction when the
    // delete finds the code used meanwhile.
    super::outbox::cancel_for(tx.conn(), id, "invitation deleted").await?;
    let deleted = sqlx::query("DELETE FROM invitations WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(internal)?;
    if deleted.rows_affected() != 1 {
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
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(())
}

/// One row's verdict in a bulk dry run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RowVerdict {
    /// 1-based row number (data rows; a CSV header is not counted).
    pub row: usize,
    pub ok: bool,
    pub error: Option<RowError>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct RowError {
    pub code: String,
    pub message: String,
}

/// Validates every row on its own (role, division, email, expiry), then across the batch
/// (an email twice in the file) and against the database (an email that already has an
/// Active code). Returns the parsed rows and a verdict per row.
pub async fn bulk_check(
    core: &Core,
    actor: &Actor,
    rows: &[CreateInvitation],
) -> Outcome<(Vec<Option<ValidCreate>>, Vec<RowVerdict>)> {
    authorize(Some(actor.policy()), Action::BulkCreate, None)?;
    let cache: DivisionCache = sqlx::query("SELECT id, slug FROM divisions")
        .fetch_all(&core.db.pool)
        .await
        .map_err(internal)?
        .iter()
        .map(|r| {
            let d = DivisionRef {
                id: col(r, "id")?,
                slug: col(r, "slug")?,
            };
            Ok((d.slug.clone(), d))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(internal)?;
    let active_emails: std::collections::HashSet<String> = {
        let now_ms = core.now().timestamp_millis();
        let rows = sqlx::query(
            "SELECT i.email FROM invitations i WHERE i.email IS NOT NULL AND i.used_at IS NULL \
             AND i.revoked_at IS NULL AND i.expires_at > $1",
        )
        .bind(now_ms)
        .fetch_all(&core.db.pool)
        .await
        .map_err(internal)?;
        rows.iter()
            .filter_map(|r| col::<Option<String>>(r, "email").ok().flatten())
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    let mut valid = Vec::with_capacity(rows.len());
    let mut verdicts = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let result = match validate_create_with(core, actor, row, 0, Some(&cache)).await {
            Err(e) => Err(e),
            Ok(v) => match v.email.as_ref().map(|e| e.as_str().to_string()) {
                Some(e) if !seen.insert(e.clone()) => Err(DomainError::invalid(
                    Field::Email,
                    format!("email: {e} appears more than once in the file"),
                )),
                Some(e) if active_emails.contains(&e) => Err(DomainError::invalid(
                    Field::Email,
                    format!("email: {e} already has an Active invitation"),
                )),
                _ => Ok(v),
            },
        };
        verdicts.push(RowVerdict {
            row: i + 1,
            ok: result.is_ok(),
            error: result.as_ref().err().map(|e| RowError {
                code: e.code(),
                message: e.to_string(),
            }),
        });
        valid.push(result.ok());
    }
    Ok((valid, verdicts))
}

/// Bulk onboarding: all rows are created or none. `Err((row, error))` names the first bad row
/// (row 0 when the refusal is not about a row).
pub async fn bulk_create(
    core: &Core,
    actor: &Actor,
    rows: &[CreateInvitation],
    meta: &ClientMeta,
) -> Result<Vec<Invitation>, (usize, DomainError)> {
    bulk_create_once(core, actor, rows, meta, None).await
}

/// [`bulk_create`], optionally claiming a staged upload in the same transaction: of two
/// commits of one file (a double click, two tabs) exactly one creates the batch.
pub async fn bulk_create_once(
    core: &Core,
    actor: &Actor,
    rows: &[CreateInvitation],
    meta: &ClientMeta,
    upload: Option<i64>,
) -> Result<Vec<Invitation>, (usize, DomainError)> {
    let (valid, verdicts) = bulk_check(core, actor, rows).await.map_err(|e| (0, e))?;
    if let Some(bad) = verdicts.iter().find(|v| !v.ok) {
        let e = valid_error(&verdicts, bad.row);
        return Err((bad.row, e));
    }
    let fail = |e: sqlx::Error| (0, internal(e));
    let mut tx = core.db.begin_write().await.map_err(fail)?;
    if let Some(upload) = upload {
        let claimed = sqlx::query(
            "UPDATE bulk_uploads SET committed_at = $1 WHERE id = $2 AND committed_at IS NULL",
        )
        .bind(core.now().timestamp_millis())
        .bind(upload)
        .execute(tx.conn())
        .await
        .map_err(fail)?;
        if claimed.rows_affected() != 1 {
            return Err((
                0,
                DomainError::Conflict("This file has already been committed.".into()),
            ));
        }
    }
    let mut out = Vec::with_capacity(valid.len());
    for v in valid.into_iter().flatten() {
        out.push(
            insert(core, tx.conn(), actor, &v, meta, "bulk")
                .await
                .map_err(|e| (0, e))?,
        );
    }
    if let Some(upload) = upload {
        let ids: Vec<i64> = out.iter().map(|i| i.id).collect();
        sqlx::query("UPDATE bulk_uploads SET created_ids = $1 WHERE id = $2")
            .bind(serde_json::to_string(&ids).map_err(|e| (0, internal(e)))?)
            .bind(upload)
            .execute(tx.conn())
            .await
            .map_err(fail)?;
    }
    tx.commit().await.map_err(fail)?;
    Ok(out)
}

fn valid_error(verdicts: &[RowVerdict], row: usize) -> DomainError {
    let v = &verdicts[row - 1];
    let e = v.error.clone().unwrap_or(RowError {
        code: "invalid_body".into(),
        message: String::new(),
    });
    DomainError::from_code(&e.code, &e.message)
}
