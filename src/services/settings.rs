//! Organisation-wide settings: the expiry ceiling for each role an invitation can carry.

use super::{internal, ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::Actor;
use crate::db::{settings as rows, Conn};
use crate::domain::settings::{CreateLimits, ExpiryCeilings, QuotaUse, Settings};
use crate::domain::{authorize, Action};
use serde_json::json;

const CEILINGS: &str = "max_expiry_days";

/// The ceilings in force, read through `c`: the admin's, or the configured maximum for every
/// role. (A create reads them while validating, before its transaction: a ceiling changed in
/// that instant applies from the next create.)
pub async fn ceilings(core: &Core, c: &mut Conn) -> Outcome<ExpiryCeilings> {
    Ok(match rows::get(c, CEILINGS).await? {
        Some(json) => serde_json::from_str(&json).map_err(internal)?,
        None => ExpiryCeilings::uniform(core.config.max_expiry_days),
    })
}

pub async fn get(core: &Core, actor: &Actor) -> Outcome<Settings> {
    authorize(Some(actor.policy()), Action::ManageSettings, None)?;
    Ok(Settings {
        max_expiry_days: ceilings(core, &mut *core.db.conn().await?).await?,
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
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let before = ceilings(core, tx.conn()).await?;
    let value = serde_json::to_string(&after).map_err(internal)?;
    rows::put(tx.conn(), CEILINGS, &value, now).await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("settings.updated")
            .actor(actor.username.clone())
            .addr(meta.addr.clone())
            .details(json!({
                "before": { "max_expiry_days": before },
                "after": { "max_expiry_days": after },
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(Settings {
        max_expiry_days: after,
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
