//! `onboard demo`: seeds a demo organisation into an empty database, through the same services
//! the app uses, so the audit trail is real and verifiable.

use crate::auth::{actor_by_username, Actor};
use crate::clock::Clock;
use crate::domain::{Email, Role, Username};
use crate::services::admin::{
    create_division, disable_user, update_division, NewDivision, UpdateDivision,
};
use crate::services::invitations::{create, revoke, CreateInvitation};
use crate::services::redeem::{create_user_direct, redeem, RedeemRequest};
use crate::services::{ClientMeta, Core};
use chrono::Duration;

pub const ADMIN: (&str, &str) = ("admin", "onboard-admin-demo");
pub const MANAGER_PASSWORD: &str = "onboard-manager-demo";
pub const STAFF_PASSWORD: &str = "onboard-staff-demo";
/// (username, division slug, division name)
pub const MANAGERS: [(&str, &str, &str); 3] = [
    ("maya", "sales", "Sales"),
    ("budi", "engineering", "Engineering"),
    ("sari", "support", "Customer Support"),
];

fn print_logins() {
    println!("Demo organisation ready. Log in at http://127.0.0.1:3000/login with:");
    println!("  admin    {:<10} password {}", ADMIN.0, ADMIN.1);
    for (u, _, name) in MANAGERS {
        println!("  manager  {u:<10} password {MANAGER_PASSWORD}   ({name})");
    }
    println!("  staff    ana.sales  password {STAFF_PASSWORD}   (Sales)");
}

async fn actor(core: &Core, username: &str) -> anyhow::Result<Actor> {
    actor_by_username(&core.db, username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo user {username} missing"))
}

fn e(err: crate::domain::DomainError) -> anyhow::Error {
    anyhow::anyhow!("{err}")
}

pub async fn seed(core: &Core) -> anyhow::Result<()> {
    if crate::db::users::count(&mut *core.db.conn().await?).await? > 0 {
        println!("The database already has users; leaving it as it is.");
        print_logins();
        return Ok(());
    }
    let meta = ClientMeta {
        addr: Some("127.0.0.1".into()),
        ..Default::default()
    };
    let name = |u: &str| Username::parse(u).expect("demo usernames are valid");
    create_user_direct(core, &name(ADMIN.0), ADMIN.1, Role::Admin, None, None).await?;
    let admin = actor(core, ADMIN.0).await?;

    let mut division_ids = Vec::new();
    for (_, slug, dname) in MANAGERS {
        create_division(
            core,
            Some(&admin),
            &NewDivision {
                slug: slug.into(),
                name: dname.into(),
            },
            &meta,
        )
        .await
        .map_err(e)?;
        let division = crate::db::divisions::by_slug(&mut *core.db.conn().await?, slug)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo division {slug} missing"))?;
        division_ids.push(division.id);
    }
    for ((u, slug, _), div) in MANAGERS.iter().zip(&division_ids) {
        let email = Email::parse(&format!("{u}@{slug}.example.com")).map_err(e)?;
        create_user_direct(
            core,
            &name(u),
            MANAGER_PASSWORD,
            Role::Manager,
            Some(*div),
            Some(&email),
        )
        .await?;
    }
    create_user_direct(
        core,
        &name("rina"),
        MANAGER_PASSWORD,
        Role::Manager,
        Some(division_ids[0]),
        None,
    )
    .await?;

    // Codes created "ten days ago" with short expiries are Expired now.
    let past = Clock::default();
    past.set(core.now() - Duration::days(10));
    let past_core = Core::new(core.db.clone(), core.config.clone(), past);

    let people = ["dewi", "joko", "putri", "agus", "lina", "rudi"];
    let notes = [
        "Barista, starts Monday",
        "Cashier, part-time",
        "Warehouse, night shift",
        "Intern for three months",
    ];
    for (i, (u, slug, _)) in MANAGERS.iter().enumerate() {
        let m = actor(core, u).await?;
        for (j, p) in people.iter().enumerate().take(4) {
            let email = (j % 2 == 0).then(|| format!("{p}.{slug}@example.com"));
            let expires = (core.now() + Duration::days(3 + (i + j) as i64 * 2)).to_rfc3339();
            create(
                core,
                &m,
                &CreateInvitation {
                    email,
                    expires_at: Some(expires),
                    // Notes on some codes, as a manager would leave them.
                    note: (j % 2 == 0 || i == 0).then(|| notes[j].to_string()),
                    ..Default::default()
                },
                0,
                &meta,
            )
            .await
            .map_err(e)?;
        }
        // One expiring within 48 hours.
        let soon = (core.now() + Duration::hours(20)).to_rfc3339();
        create(
            core,
            &m,
            &CreateInvitation {
                expires_at: Some(soon),
                ..Default::default()
            },
            0,
            &meta,
        )
        .await
        .map_err(e)?;
        // Two expired.
        for _ in 0..2 {
            let exp = (past_core.now() + Duration::days(2)).to_rfc3339();
            create(
                &past_core,
                &m,
                &CreateInvitation {
                    expires_at: Some(exp),
                    ..Default::default()
                },
                0,
                &meta,
            )
            .await
            .map_err(e)?;
        }
        // Used: created, then redeemed by a new hire.
        let hire = if i == 0 {
            "ana.sales".to_string()
        } else {
            format!("{}.{slug}", people[4 + i % 2])
        };
        let email = format!("{hire}@example.com");
        let inv = create(
            core,
            &m,
            &CreateInvitation {
                email: Some(email.clone()),
                ..Default::default()
            },
            0,
            &meta,
        )
        .await
        .map_err(e)?;
        redeem(
            core,
            &RedeemRequest {
                code: inv.code,
                username: hire,
                password: STAFF_PASSWORD.into(),
                email: Some(email),
                oidc_subject: None,
            },
            &meta,
        )
        .await
        .map_err(e)?;
        // Revoked by the admin.
        let inv = create(core, &m, &CreateInvitation::default(), 0, &meta)
            .await
            .map_err(e)?;
        revoke(core, &admin, inv.id, &meta).await.map_err(e)?;
        if i == 0 {
            // Reported by its recipient ("not me"): Suspended until an admin acts.
            let inv = create(
                core,
                &m,
                &CreateInvitation {
                    email: Some("b.santoso@example.com".into()),
                    note: Some("Sent to the wrong Budi?".into()),
                    ..Default::default()
                },
                0,
                &meta,
            )
            .await
            .map_err(e)?;
            crate::services::redeem::report(core, &inv.code, &meta)
                .await
                .map_err(e)?;
        }
        if i == 2 {
            // Customer Support works to a quota, with a little room left (the create dialog
            // says how much); sales and engineering have none.
            update_division(
                core,
                &admin,
                slug,
                &UpdateDivision {
                    name: None,
                    max_active_codes: Some(Some(8.into())),
                },
                &meta,
            )
            .await
            .map_err(e)?;
        }
    }
    // Suspended: a former manager's codes stop working once she is disabled.
    let rina = actor(core, "rina").await?;
    for p in ["tono", "wati"] {
        create(
            core,
            &rina,
            &CreateInvitation {
                email: Some(format!("{p}@example.com")),
                ..Default::default()
            },
            0,
            &meta,
        )
        .await
        .map_err(e)?;
    }
    disable_user(core, &admin, "rina", &meta).await.map_err(e)?;
    print_logins();
    Ok(())
}
