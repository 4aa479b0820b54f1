//! Organisation-wide settings: the expiry ceiling for each role an invitation can carry.

use super::{internal, ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::Actor;
use crate::db::{settings as rows, Conn};
use crate::domain::settings::{CreateLimits, ExpiryCeilings, QuotaUse, Settings};
use crate::domain::{authorize, Action, DomainError};
use serde_json::json;

const CEILINGS: &str = "max_expiry_days";
const OIDC_REQUIRED: &str = "oidc_required";

/// Whether managers and admins must sign in through the identity provider (the setting; see
/// `oidc::required_for` for when it applies).
pub async fn oidc_required(c: &mut Conn) -> Outcome<bool> {
    Ok(rows::get(c, OIDC_REQUIRED).await?.as_deref() == Some("true"))
}

/// The ceilings in force, read through `c`: the admin's, or the configured maximum for every
/// role. A single create reads them inside the transaction that writes it (once per group); a
/// bulk import reads them once before its transaction. A ceiling changed in that instant
/// applies from the next create.
pub async fn ceilings(core: &Core, c: &mut Conn) -> Outcome<ExpiryCeilings> {
    Ok(match rows::get(c, CEILINGS).await? {
        Some(json) => serde_json::from_str(&json).map_err(internal)?,
        None => ExpiryCeilings::uniform(core.config.max_expiry_days),
    })
}

pub async fn get(core: &Core, actor: &Actor) -> Outcome<Settings> {
    authorize(Some(actor.policy()), Action::ManageSettings, None)?;
    let mut c = core.db.conn().await?;
    Ok(Settings {
        max_expiry_days: ceilings(core, &mut c).await?,
        oidc_required: Some(oidc_required(&mut c).await?),
    })
}

/// Replaces the settings. Codes already created keep their expiry.
pub async fn put(
    core: &Core,
    actor: &Actor,
    input: &Settings,
    meta: &ClientMeta,
) -> Outcome<Settings> {
    authorize(Some(actor.policy()), Action::ManageSettings, None)?;
    let after = input.max_expiry_days.check()?;
    if input.oidc_required == Some(true) && core.oidc.is_none() {
        return Err(DomainError::Conflict(
            "oidc_required: no identity provider is configured (ONBOARD_OIDC_ISSUER)".into(),
        ));
    }
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let required_before_check = oidc_required(tx.conn()).await?;
    if input.oidc_required == Some(true)
        && !required_before_check
        && !crate::db::oidc::is_linked(tx.conn(), actor.user_id).await?
    {
        return Err(DomainError::Conflict(
            "oidc_required: sign in with the identity provider once yourself first, so that \
             you are not locked out"
                .into(),
        ));
    }
    let before = ceilings(core, tx.conn()).await?;
    let required_before = oidc_required(tx.conn()).await?;
    let required = input.oidc_required.unwrap_or(required_before);
    let value = serde_json::to_string(&after).map_err(internal)?;
    rows::put(tx.conn(), CEILINGS, &value, now).await?;
    rows::put(
        tx.conn(),
        OIDC_REQUIRED,
        if required { "true" } else { "false" },
        now,
    )
    .await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("settings.updated")
            .actor(actor.username.clone())
            .addr(meta.addr.clone())
            .details(json!({
                "before": { "max_expiry_days": before, "oidc_required": required_before },
                "after": { "max_expiry_days": after, "oidc_required": required },
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(Settings {
        max_expiry_days: after,
        oidc_required: Some(required),
    })
}

/// The ceilings, and the quota of the actor's own division when it has one (see
/// [`CreateLimits`]). For anyone who may create codes.
pub async fn create_limits(core: &Core, actor: &Actor) -> Outcome<CreateLimits> {
    authorize(
        Some(actor.policy()),
        Action::CreateInvitation(crate::domain::Role::Staff),
        actor.division_id,
    )?;
    let mut c = core.db.conn().await?;
    let max_expiry_days = ceilings(core, &mut c).await?;
    let quota = match actor.division_id {
        Some(id) => {
            let usage =
                crate::services::invitations::quota::usage(core, &mut c, &[id], false).await?;
            usage.get(&id).map(|&(used, max)| QuotaUse {
                division: actor.division_name.clone().unwrap_or_default(),
                used,
                max,
            })
        }
        None => None,
    };
    Ok(CreateLimits {
        max_expiry_days,
        quota,
    })
}
