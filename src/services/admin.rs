//! Admin use cases: divisions, users, API tokens.

use super::{internal, ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::{random_token, token_hash, Actor};
use crate::clock::from_ms;
use crate::db::col;
use crate::db::queries::{map_user, USER_COLUMNS, USER_FROM};
use crate::domain::{authorize, Action, Division, DomainError, Field, User, UserRow};
use serde::Deserialize;
use serde_json::json;

pub async fn list_divisions(core: &Core, actor: &Actor) -> Outcome<Vec<Division>> {
    authorize(Some(actor.policy()), Action::ManageDivisions, None)?;
    all_divisions(core).await
}

/// Every division (no policy: used for pickers an admin sees, and the demo seed).
pub async fn all_divisions(core: &Core) -> Outcome<Vec<Division>> {
    let rows = sqlx::query("SELECT slug, name, created_at FROM divisions ORDER BY name")
        .fetch_all(&core.db.pool)
        .await
        .map_err(internal)?;
    rows.iter()
        .map(|r| {
            Ok(Division {
                slug: col(r, "slug")?,
                name: col(r, "name")?,
                created_at: from_ms(col(r, "created_at")?),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(internal)
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
    let name = crate::domain::text::bounded(Field::Name, &input.name, 80)?;
    if name.is_empty() {
        return Err(DomainError::invalid(
            Field::Name,
            "name: 1 to 80 characters",
        ));
    }
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let res = sqlx::query("INSERT INTO divisions (slug, name, created_at) VALUES ($1, $2, $3)")
        .bind(&slug)
        .bind(name)
        .bind(now.timestamp_millis())
        .execute(tx.conn())
        .await;
    match res {
        Err(e)
            if e.as_database_error()
                .is_some_and(|d| d.is_unique_violation()) =>
        {
            return Err(DomainError::Conflict(format!(
                "A division with slug {slug:?} already exists."
            )))
        }
        Err(e) => return Err(internal(e)),
        Ok(_) => {}
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
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(Division {
        slug,
        name: name.to_string(),
        created_at: now,
    })
}

pub async fn list_users(core: &Core, actor: &Actor) -> Outcome<Vec<UserRow>> {
    authorize(Some(actor.policy()), Action::ManageUsers, None)?;
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} ORDER BY u.username");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(&core.db.pool)
        .await
        .map_err(internal)?;
    rows.iter()
        .map(|r| {
            Ok(UserRow {
                user: map_user(r)?,
                disabled: col::<Option<i64>>(r, "disabled_at")?.is_some(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(internal)
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
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.username = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&username)
        .fetch_optional(tx.conn())
        .await
        .map_err(internal)?
        .ok_or(DomainError::NotFound)?;
    let user = map_user(&row).map_err(internal)?;
    let id: i64 = col(&row, "id").map_err(internal)?;
    sqlx::query("UPDATE users SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2")
        .bind(now.timestamp_millis())
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(internal)?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(internal)?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now.timestamp_millis())
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(internal)?;
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
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(user)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: Option<String>,
}

/// Creates an API token for the admin; the raw token is returned once and stored hashed.
pub async fn create_token(
    core: &Core,
    actor: &Actor,
    input: &NewToken,
    meta: &ClientMeta,
) -> Outcome<(i64, String)> {
    authorize(Some(actor.policy()), Action::ManageTokens, None)?;
    let name = input.name.clone().unwrap_or_else(|| "api".into());
    let token = random_token();
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let row = sqlx::query(
        "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(token_hash(&token))
    .bind(actor.user_id)
    .bind(&name)
    .bind(now.timestamp_millis())
    .fetch_one(tx.conn())
    .await
    .map_err(internal)?;
    let id: i64 = col(&row, "id").map_err(internal)?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("token.created")
            .actor(actor.username.clone())
            .addr(meta.addr.clone())
            .details(json!({ "name": name, "token_id": id })),
    )
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok((id, token))
}

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RenameDivision {
    pub name: String,
}

pub async fn rename_division(
    core: &Core,
    actor: &Actor,
    slug: &str,
    input: &RenameDivision,
    meta: &ClientMeta,
) -> Outcome<Division> {
    authorize(Some(actor.policy()), Action::ManageDivisions, None)?;
    let name = crate::domain::text::bounded(Field::Name, &input.name, 80)?;
    if name.is_empty() {
        return Err(DomainError::invalid(
            Field::Name,
            "name: 1 to 80 characters",
        ));
    }
    let slug = crate::domain::text::bounded(Field::Slug, slug, 64)
        .map_err(|_| DomainError::NotFound)?
        .to_lowercase();
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let row = sqlx::query("SELECT name, created_at FROM divisions WHERE slug = $1")
        .bind(&slug)
        .fetch_optional(tx.conn())
        .await
        .map_err(internal)?
        .ok_or(DomainError::NotFound)?;
    let before: String = col(&row, "name").map_err(internal)?;
    let created_at = from_ms(col(&row, "created_at").map_err(internal)?);
    sqlx::query("UPDATE divisions SET name = $1 WHERE slug = $2")
        .bind(name)
        .bind(&slug)
        .execute(tx.conn())
        .await
        .map_err(internal)?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("division.renamed")
            .actor(actor.username.clone())
            .division(Some(slug.clone()))
            .addr(meta.addr.clone())
            .details(json!({ "before": { "name": before }, "after": { "name": name } })),
    )
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(Division {
        slug,
        name: name.to_string(),
        created_at,
    })
}

/// An API token as listed (never the token itself).
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked: bool,
}

/// The admin's own tokens.
pub async fn list_tokens(core: &Core, actor: &Actor) -> Outcome<Vec<TokenInfo>> {
    authorize(Some(actor.policy()), Action::ManageTokens, None)?;
    let rows = sqlx::query(
        "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
    )
    .bind(actor.user_id)
    .fetch_all(&core.db.pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            Ok(TokenInfo {
                id: col(r, "id")?,
                name: col(r, "name")?,
                created_at: from_ms(col(r, "created_at")?),
                revoked: col::<Option<i64>>(r, "revoked_at")?.is_some(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(internal)
}

pub async fn revoke_token(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<()> {
    authorize(Some(actor.policy()), Action::ManageTokens, None)?;
    let now = core.now();
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now.timestamp_millis())
    .bind(id)
    .bind(actor.user_id)
    .execute(tx.conn())
    .await
    .map_err(internal)?;
    if done.rows_affected() == 0 {
        return Err(DomainError::NotFound);
    }
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("token.revoked")
            .actor(actor.username.clone())
            .addr(meta.addr.clone())
            .details(json!({ "token_id": id })),
    )
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(())
}
