//! Admin use cases: divisions, users, API tokens.

use super::{ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::Actor;
use crate::db::{divisions, sessions, tokens, users};
use crate::domain::{authorize, Action, Division, DomainError, Field, User, UserRow};

use serde::Deserialize;
use serde_json::json;

pub async fn list_divisions(core: &Core, actor: &Actor) -> Outcome<Vec<Division>> {
    authorize(Some(actor.policy()), Action::ManageDivisions, None)?;
    all_divisions(core).await
}

/// Every division (no policy: used for pickers an admin sees, and the demo seed).
pub async fn all_divisions(core: &Core) -> Outcome<Vec<Division>> {
    Ok(divisions::all(&mut *core.db.conn().await?).await?)
}

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDivision {
    pub slug: String,
    pub name: String,
}

pub async fn create_division(
    core: &Core,
    actor: Option<&Actor>,
    input: &NewDivision,
    meta: &ClientMeta,
) -> Outcome<Division> {
    if let Some(actor) = actor {
        authorize(Some(actor.policy()), Action::ManageDivisions, None)?;
    }
    let slug = input.slug.trim().to_lowercase();
    if slug.is_empty()
        || slug.len() > 40
        || !slug.starts_with(|c: char| c.is_ascii_lowercase())
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(DomainError::invalid(
            Field::Slug,
            "slug: 1 to 40 characters of a-z, 0-9 and -, starting with a letter",
        ));
    }
    let name = crate::domain::text::required(Field::Name, &input.name, 80)?;
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    // The audit trail names divisions by slug: a deleted division's slug is never given to a
    // new one, whose manager would otherwise read the old division's trail.
    if divisions::slug_in_trail(tx.conn(), &slug).await?
        && divisions::by_slug(tx.conn(), &slug).await?.is_none()
    {
        return Err(DomainError::Conflict(format!(
            "The slug {slug:?} belonged to a deleted division; choose another."
        )));
    }
    if !divisions::insert(tx.conn(), &slug, name, now).await? {
        return Err(DomainError::Conflict(format!(
            "A division with slug {slug:?} already exists."
        )));
    }
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("division.created")
            .actor_opt(actor.map(|a| a.username.clone()).or(Some("cli".into())))
            .division(Some(slug.clone()))
            .addr(meta.addr.clone())
            .details(json!({ "slug": slug, "name": name })),
    )
    .await?;
    tx.commit().await?;
    Ok(Division {
        slug,
        name: name.to_string(),
        created_at: now,
        max_active_codes: None,
    })
}

pub async fn list_users(core: &Core, actor: &Actor) -> Outcome<Vec<UserRow>> {
    authorize(Some(actor.policy()), Action::ManageUsers, None)?;
    Ok(users::list(&mut *core.db.conn().await?).await?)
}

/// Disables an account and ends its sessions; its unredeemed codes become Suspended.
pub async fn disable_user(
    core: &Core,
    actor: &Actor,
    username: &str,
    meta: &ClientMeta,
) -> Outcome<User> {
    authorize(Some(actor.policy()), Action::ManageUsers, None)?;
    let username = crate::domain::text::bounded(Field::Username, username, 64)
        .map_err(|_| DomainError::NotFound)?
        .to_lowercase();
    if username == actor.username {
        return Err(DomainError::Conflict(
            "You cannot disable your own account.".into(),
        ));
    }
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let account = users::by_username(tx.conn(), &username)
        .await?
        .ok_or(DomainError::NotFound)?;
    let user = account.user;
    users::disable(tx.conn(), account.id, now).await?;
    sessions::delete_for_user(tx.conn(), account.id).await?;
    tokens::revoke_all_for(tx.conn(), account.id, now).await?;
    crate::db::password_resets::end_for(tx.conn(), account.id, now).await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("user.disabled")
            .actor(actor.username.clone())
            .division(user.division.clone())
            .addr(meta.addr.clone())
            .details(json!({ "username": username })),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// `PATCH /divisions/{slug}`: a new name, a quota of Active codes (`null` removes it), or both.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateDivision {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "some_value")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>, minimum = 0))]
    pub max_active_codes: Option<Option<serde_json::Value>>,
}

/// `Some(value)` whenever the key is present, `null` included.
fn some_value<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<serde_json::Value>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

/// The longest quota accepted (far beyond any real division).
const MAX_QUOTA: i64 = 1_000_000_000;

fn parse_quota(v: &Option<serde_json::Value>) -> Outcome<Option<i64>> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => match v.as_i64() {
            Some(n) if (0..=MAX_QUOTA).contains(&n) => Ok(Some(n)),
            _ => Err(DomainError::invalid(
                Field::MaxActiveCodes,
                "max_active_codes: must be a whole number from 0, or null for no quota",
            )),
        },
    }
}

fn division_slug(slug: &str) -> Outcome<String> {
    Ok(crate::domain::text::bounded(Field::Slug, slug, 64)
        .map_err(|_| DomainError::NotFound)?
        .to_lowercase())
}

pub async fn update_division(
    core: &Core,
    actor: &Actor,
    slug: &str,
    input: &UpdateDivision,
    meta: &ClientMeta,
) -> Outcome<Division> {
    authorize(Some(actor.policy()), Action::ManageDivisions, None)?;
    let name = match &input.name {
        None => None,
        Some(n) => Some(crate::domain::text::required(Field::Name, n, 80)?.to_string()),
    };
    let quota = input
        .max_active_codes
        .as_ref()
        .map(parse_quota)
        .transpose()?;
    let slug = division_slug(slug)?;
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let before = divisions::get(tx.conn(), &slug)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut after = before.clone();
    if let Some(name) = &name {
        divisions::rename(tx.conn(), &slug, name).await?;
        after.name = name.clone();
    }
    if let Some(quota) = quota {
        divisions::set_quota(tx.conn(), &slug, quota).await?;
        after.max_active_codes = quota;
    }
    if after != before {
        append(
            &core.db,
            tx.conn(),
            now,
            NewEvent::new("division.updated")
                .actor(actor.username.clone())
                .division(Some(slug.clone()))
                .addr(meta.addr.clone())
                .details(json!({
                    "before": { "name": before.name, "max_active_codes": before.max_active_codes },
                    "after": { "name": after.name, "max_active_codes": after.max_active_codes },
                })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// Deletes a division nobody and no code belongs to.
pub async fn delete_division(
    core: &Core,
    actor: &Actor,
    slug: &str,
    meta: &ClientMeta,
) -> Outcome<()> {
    authorize(Some(actor.policy()), Action::ManageDivisions, None)?;
    let slug = division_slug(slug)?;
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let division = divisions::by_slug(tx.conn(), &slug)
        .await?
        .ok_or(DomainError::NotFound)?;
    if !divisions::delete_if_empty(tx.conn(), division.id).await? {
        return Err(DomainError::DivisionNotEmpty);
    }
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("division.deleted")
            .actor(actor.username.clone())
            .division(Some(slug.clone()))
            .addr(meta.addr.clone())
            .details(json!({ "slug": slug })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
