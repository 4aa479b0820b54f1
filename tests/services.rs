//! The use cases called directly, without HTTP or a browser: each rule of DESIGN.md held
//! against a real database file (and PostgreSQL under `make pg`).

mod common;

use chrono::Duration;
use common::{test_core, TestCore};
use onboard::audit::{verify, Verdict};
use onboard::auth::{actor_by_username, Actor};
use onboard::domain::{DomainError, Field, ListQuery, Status, StatusFilter};
use onboard::services::invitations::{self, CreateInvitation, UpdateInvitation};
use onboard::services::redeem::{self, RedeemRequest};
use onboard::services::{admin, bulk, ClientMeta};

async fn actor(t: &TestCore, name: &str) -> Actor {
    actor_by_username(&t.core.db, name).await.unwrap().unwrap()
}

fn meta() -> ClientMeta {
    ClientMeta {
        addr: Some("192.0.2.7".into()),
        ..Default::default()
    }
}

fn create_in(division: Option<&str>, email: Option<&str>) -> CreateInvitation {
    CreateInvitation {
        division: division.map(str::to_string),
        email: email.map(str::to_string),
        ..Default::default()
    }
}

fn all() -> ListQuery {
    ListQuery::new(50)
}

#[tokio::test]
async fn a_manager_invites_into_their_own_division_only_and_sees_only_it() {
    let t = test_core(&[]).await;
    let (maya, budi) = (actor(&t, "maya").await, actor(&t, "budi").await);
    let core = &t.core;
    let own = invitations::create(core, &maya, &create_in(None, None), 0, &meta())
        .await
        .unwrap();
    assert_eq!(own.division.as_deref(), Some("sales"));
    assert_eq!(own.status, Status::Active);

    // Another division, and a division that does not exist, get the same refusal.
    for slug in ["eng", "nowhere"] {
        let e = invitations::create(core, &maya, &create_in(Some(slug), None), 0, &meta())
            .await
            .unwrap_err();
        assert_eq!(e, DomainError::Forbidden, "create in {slug}");
        let mut q = all();
        q.division = Some(slug.into());
        let e = invitations::list(core, &maya, &q).await.unwrap_err();
        assert_eq!(e, DomainError::NotFound, "list {slug}");
    }
    // Only staff: a manager asking for a manager code is told so.
    let e = invitations::create(
        core,
        &maya,
        &CreateInvitation {
            role: Some("manager".into()),
            ..Default::default()
        },
        0,
        &meta(),
    )
    .await
    .unwrap_err();
    assert_eq!(e, DomainError::RoleNotAllowed);

    let page = invitations::list(core, &maya, &all()).await.unwrap();
    assert_eq!(
        page.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        [own.id]
    );
    assert!(invitations::list(core, &budi, &all())
        .await
        .unwrap()
        .items
        .is_empty());
    assert_eq!(
        invitations::get(core, &budi, own.id).await.unwrap_err(),
        DomainError::NotFound
    );
    // An admin naming a missing division has a typo to fix.
    let admin = actor(&t, "admin").await;
    let e = invitations::create(core, &admin, &create_in(Some("nowhere"), None), 0, &meta())
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some(Field::Division));
}

#[tokio::test]
async fn a_code_is_redeemed_once_and_its_inviter_losing_authority_suspends_it() {
    let t = test_core(&[]).await;
    let core = &t.core;
    let (admin, maya) = (actor(&t, "admin").await, actor(&t, "maya").await);
    let a = invitations::create(core, &maya, &create_in(None, None), 0, &meta())
        .await
        .unwrap();
    let b = invitations::create(core, &maya, &create_in(None, None), 0, &meta())
        .await
        .unwrap();
    let req = |code: &str, user: &str| RedeemRequest {
        code: code.into(),
        username: user.into(),
        password: "a long enough passphrase".into(),
        email: None,
        oidc_subject: None,
    };
    let done = redeem::redeem(core, &req(&a.code, "nina"), &meta())
        .await
        .unwrap();
    assert_eq!(done.user.division.as_deref(), Some("sales"));
    assert_eq!(
        redeem::redeem(core, &req(&a.code, "omar"), &meta())
            .await
            .unwrap_err(),
        DomainError::CodeUsed
    );
    // A used code can no longer be changed.
    let e = invitations::update(
        core,
        &admin,
        a.id,
        &UpdateInvitation {
            email: Some(Some("x@example.com".into())),
            expires_at: None,
            note: None,
        },
        &meta(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, DomainError::NotActive(_)), "{e:?}");

    // Disabling the inviter suspends what they handed out and is still open.
    admin::disable_user(core, &admin, "maya", &meta())
        .await
        .unwrap();
    let b_now = invitations::get(core, &admin, b.id).await.unwrap();
    assert_eq!(b_now.status, Status::Suspended);
    assert_eq!(
        redeem::redeem(core, &req(&b.code, "omar"), &meta())
            .await
            .unwrap_err(),
        DomainError::CodeSuspended
    );
    let mut q = all();
    q.status = StatusFilter::Only(Status::Suspended);
    let page = invitations::list(core, &admin, &q).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.counts.used, 1);
    assert_eq!(page.counts.all(), 2);
    assert!(matches!(
        verify(&core.db).await.unwrap(),
        Verdict::Intact { .. }
    ));
}

#[tokio::test]
async fn expiry_revocation_and_a_bound_address_each_refuse_with_their_own_code() {
    let t = test_core(&[]).await;
    let core = &t.core;
    let admin = actor(&t, "admin").await;
    let bound = invitations::create(
        core,
        &admin,
        &create_in(Some("eng"), Some("lee@example.com")),
        0,
        &meta(),
    )
    .await
    .unwrap();
    let revoked = invitations::create(core, &admin, &create_in(Some("eng"), None), 0, &meta())
        .await
        .unwrap();
    invitations::revoke(core, &admin, revoked.id, &meta())
        .await
        .unwrap();
    let req = |code: &str, email: Option<&str>| RedeemRequest {
        code: code.into(),
        username: "lee".into(),
        password: "a long enough passphrase".into(),
        email: email.map(str::to_string),
        oidc_subject: None,
    };
    let refused = |r: RedeemRequest| async move { redeem::redeem(core, &r, &meta()).await };
    assert_eq!(
        refused(req(&bound.code, Some("someone@example.com")))
            .await
            .unwrap_err(),
        DomainError::EmailMismatch
    );
    assert_eq!(
        refused(req(&bound.code, None)).await.unwrap_err(),
        DomainError::EmailMismatch
    );
    assert_eq!(
        refused(req(&revoked.code, None)).await.unwrap_err(),
        DomainError::CodeRevoked
    );
    core.clock.advance(Duration::days(8));
    assert_eq!(
        refused(req(&bound.code, Some("lee@example.com")))
            .await
            .unwrap_err(),
        DomainError::CodeExpired
    );
    assert_eq!(
        refused(req("ABCD-EFGH-JKMN-PQRS", None)).await.unwrap_err(),
        DomainError::CodeNotFound
    );
}

#[tokio::test]
async fn a_batch_with_one_bad_row_creates_nothing_and_names_the_row() {
    let t = test_core(&[]).await;
    let core = &t.core;
    let admin = actor(&t, "admin").await;
    let rows = vec![
        create_in(Some("sales"), Some("a@example.com")),
        create_in(Some("sales"), Some("not an address")),
        create_in(Some("eng"), None),
    ];
    let (row, e) = bulk::create(core, &admin, &rows, &meta())
        .await
        .unwrap_err();
    assert_eq!(row, 2);
    assert_eq!(e.field(), Some(Field::Email));
    assert_eq!(
        invitations::list(core, &admin, &all()).await.unwrap().total,
        0,
        "all or nothing"
    );
    let twice = vec![
        create_in(Some("sales"), Some("a@example.com")),
        create_in(Some("eng"), Some("A@example.com")),
    ];
    let (row, _) = bulk::create(core, &admin, &twice, &meta())
        .await
        .unwrap_err();
    assert_eq!(row, 2, "the same address twice in one file");
    let created = bulk::create(core, &admin, &rows[..1], &meta())
        .await
        .unwrap();
    assert_eq!(created.len(), 1);
    // Managers do not bulk-create.
    let maya = actor(&t, "maya").await;
    let (_, e) = bulk::create(core, &maya, &rows[..1], &meta())
        .await
        .unwrap_err();
    assert_eq!(e, DomainError::Forbidden);
}

/// Fails unless a commit on `c` returns only once it is on disk.
async fn assert_durable(backend: onboard::db::Backend, c: &mut sqlx::AnyConnection) {
    if backend == onboard::db::Backend::Sqlite {
        let row = sqlx::query("PRAGMA synchronous")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        let level: i64 = onboard::db::col(&row, "synchronous").unwrap();
        assert_eq!(level, 2, "synchronous = FULL");
    } else {
        let row = sqlx::query("SELECT current_setting('synchronous_commit') AS s")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        let s: String = onboard::db::col(&row, "s").unwrap();
        assert_eq!(s, "on");
    }
}

/// An answered write is on disk (not only in the operating system's cache), on every pooled
/// connection and on the one write transactions use; on SQLite the library is the one built
/// with `.cargo/config.toml`'s options, whose planner never looks at bound values (so `LIMIT ?`
/// and the current time do not make every execution parse and plan its statement again).
#[tokio::test]
async fn every_connection_commits_durably_with_the_configured_database() {
    let t = test_core(&[]).await;
    let db = &t.core.db;
    // Every connection of the pool, not only the first one handed out.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(db.conn().await.unwrap());
    }
    for c in &mut held {
        assert_durable(db.backend, c).await;
    }
    if db.backend == onboard::db::Backend::Sqlite {
        let options: Vec<String> = sqlx::query("PRAGMA compile_options")
            .fetch_all(&mut *held[0])
            .await
            .unwrap()
            .iter()
            .map(|r| onboard::db::col::<String>(r, "compile_options").unwrap())
            .collect();
        for wanted in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"] {
            assert!(
                options.iter().any(|o| o == wanted),
                "{wanted} in {options:?}"
            );
        }
    }
    // And the connection write transactions run on (on SQLite, one of its own; on
    // PostgreSQL one of the pool's, so the others go back first).
    drop(held);
    let mut tx = db.begin_write().await.unwrap();
    assert_durable(db.backend, tx.conn()).await;
    tx.commit().await.unwrap();
}

/// A write transaction dropped before its commit (an error on the way, a cancelled request)
/// changes nothing, and the next write transaction gets the writer and commits; a read
/// connection comes back for the next request. On SQLite the writer and readers are held by
/// the server (no pool), so this is their hand-back; on PostgreSQL the pool's.
#[tokio::test]
async fn a_dropped_write_is_rolled_back_and_connections_come_back() {
    let t = test_core(&[]).await;
    let db = &t.core.db;
    let count = |db: onboard::db::Db| async move {
        let mut c = db.conn().await.unwrap();
        sqlx::query("SELECT COUNT(*) AS n FROM divisions")
            .fetch_one(&mut *c)
            .await
            .map(|r| sqlx::Row::get::<i64, _>(&r, "n"))
            .unwrap()
    };
    // A write transaction that adds the division `slug`, uncommitted.
    async fn adding(db: &onboard::db::Db, slug: &str) -> onboard::db::WriteTx {
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("INSERT INTO divisions (slug, name, created_at) VALUES ($1, $1, 0)")
            .bind(slug)
            .execute(tx.conn())
            .await
            .unwrap();
        tx
    }
    let before = count(db.clone()).await;
    // Dropped uncommitted.
    drop(adding(db, "dropped").await);
    // A transaction cancelled mid-way (its future dropped) too.
    let cancelled = async {
        let _tx = adding(db, "cancelled").await;
        std::future::pending::<()>().await;
    };
    let _ = tokio::time::timeout(std::time::Duration::from_millis(50), cancelled).await;
    // And one cancelled while its BEGIN or COMMIT is on its way (polled once, then dropped):
    // SQLite's held writer is replaced and the next transaction runs. (On PostgreSQL a
    // cancelled commit may still land later, on a connection the pool is checking.)
    let rounds = if db.backend == onboard::db::Backend::Sqlite {
        3
    } else {
        0
    };
    for _ in 0..rounds {
        let _ = tokio::time::timeout(std::time::Duration::ZERO, db.begin_write()).await;
        let tx = adding(db, "late").await;
        let _ = tokio::time::timeout(std::time::Duration::ZERO, tx.commit()).await;
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("DELETE FROM divisions WHERE slug = 'late'")
            .execute(tx.conn())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    adding(db, "kept").await.commit().await.unwrap();
    assert_eq!(count(db.clone()).await, before + 1);
    let slugs: Vec<String> = {
        let mut c = db.conn().await.unwrap();
        sqlx::query("SELECT slug FROM divisions WHERE slug IN ('dropped', 'cancelled', 'kept')")
            .fetch_all(&mut *c)
            .await
            .unwrap()
            .iter()
            .map(|r| sqlx::Row::get(r, "slug"))
            .collect()
    };
    assert_eq!(slugs, ["kept"]);
    // Far more reads than connections, at once: each waits for one to come back.
    let reads = (0..64).map(|_| count(db.clone()));
    for n in futures_util::future::join_all(reads).await {
        assert_eq!(n, before + 1);
    }
    assert!(db.ping().await);
    // A connection that sat unused past the ping interval (5 s) is pinged as it is handed
    // out, and serves.
    tokio::time::sleep(std::time::Duration::from_millis(5200)).await;
    assert_eq!(count(db.clone()).await, before + 1);
    // Closed, it writes and reads no more.
    db.close().await;
    assert!(db.begin_write().await.is_err());
    assert!(db.conn().await.is_err());
}
