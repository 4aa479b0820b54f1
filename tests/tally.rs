//! The status tally (counts kept in the writing transactions, migration 0010) always equals a
//! full recount: after random operations on codes and inviters, sweeps run by clocks ahead of
//! and behind the reader's, and PostgreSQL's folds, for every division and at several times.
//! Runs on a real SQLite file, and on PostgreSQL under `ONBOARD_TEST_PG` (`make pg`).

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{division_id, test_core, user_id};
use onboard::db::divisions::DivisionRef;
use onboard::db::invitations::{self as rows, tally, NewInvitation};
use onboard::domain::{Counts, Role};
use onboard::services::invitations::new_code;
use onboard::services::Core;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// One thing that can happen to the codes, their inviters or the clock. Indices pick among
/// the codes this case created (modulo their number); minutes are relative to the clock.
#[derive(Clone, Debug)]
enum Op {
    Create {
        division: usize,
        inviter: usize,
        expires_in_min: i64,
    },
    Use(usize),
    Revoke(usize),
    Report(usize),
    ClearReport(usize),
    Edit(usize, i64),
    Delete(usize),
    /// A sweep by an instance whose clock is this many minutes off.
    Sweep(i64),
    Fold,
    Tick(i64),
    DisableInviter(usize, bool),
    /// The inviter becomes staff (false) or gets the manager role back (true).
    Demote(usize, bool),
    /// The second manager moves to the first division (true) or back (false).
    Move(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, 0usize..3, -90i64..90).prop_map(|(division, inviter, expires_in_min)| {
            Op::Create { division, inviter, expires_in_min }
        }),
        1 => any::<usize>().prop_map(Op::Use),
        1 => any::<usize>().prop_map(Op::Revoke),
        1 => any::<usize>().prop_map(Op::Report),
        1 => any::<usize>().prop_map(Op::ClearReport),
        1 => (any::<usize>(), -30i64..120).prop_map(|(i, m)| Op::Edit(i, m)),
        1 => any::<usize>().prop_map(Op::Delete),
        2 => (-60i64..60).prop_map(Op::Sweep),
        1 => Just(Op::Fold),
        2 => (0i64..45).prop_map(Op::Tick),
        1 => (0usize..3, any::<bool>()).prop_map(|(u, d)| Op::DisableInviter(u, d)),
        1 => (1usize..3, any::<bool>()).prop_map(|(u, d)| Op::Demote(u, d)),
        1 => any::<bool>().prop_map(Op::Move),
    ]
}

struct World {
    core: Core,
    divisions: [Option<DivisionRef>; 3],
    /// admin, maya (manager of sales), budi (manager of eng).
    inviters: [i64; 3],
}

async fn exec(core: &Core, sql: &str, a: Option<i64>, b: i64) {
    let mut c = core.db.conn().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(a)
        .bind(b)
        .execute(&mut *c)
        .await
        .unwrap();
}

/// Applies one operation, as the services would, each in its own write transaction.
async fn apply(w: &World, codes: &mut Vec<i64>, now: &mut DateTime<Utc>, op: &Op) {
    let pick = |i: usize| (!codes.is_empty()).then(|| codes[i % codes.len()]);
    let mut tx = w.core.db.begin_write().await.unwrap();
    let c = tx.conn();
    match *op {
        Op::Create {
            division,
            inviter,
            expires_in_min,
        } => {
            let code = new_code();
            let id = rows::insert(
                c,
                &[NewInvitation {
                    code: &code,
                    email: None,
                    role: Role::Staff,
                    division: w.divisions[division].as_ref(),
                    created_by: w.inviters[inviter],
                    created_at: *now,
                    expires_at: *now + Duration::minutes(expires_in_min),
                    note: None,
                }],
            )
            .await
            .unwrap()[0];
            codes.push(id);
        }
        Op::Use(i) => {
            if let Some(id) = pick(i) {
                rows::claim(c, id, None, *now).await.unwrap();
            }
        }
        Op::Revoke(i) => {
            if let Some(id) = pick(i) {
                rows::revoke_if_open(c, id, w.inviters[0], *now)
                    .await
                    .unwrap();
            }
        }
        Op::Report(i) => {
            if let Some(id) = pick(i) {
                rows::report_if_open(c, id, *now).await.unwrap();
            }
        }
        Op::ClearReport(i) => {
            if let Some(id) = pick(i) {
                rows::clear_report(c, id).await.unwrap();
            }
        }
        Op::Edit(i, m) => {
            if let Some(id) = pick(i) {
                let at = *now + Duration::minutes(m);
                rows::update_if_open(c, id, None, at, None, *now)
                    .await
                    .unwrap();
            }
        }
        Op::Delete(i) => {
            if let Some(id) = pick(i) {
                if rows::delete_if_unused(c, id).await.unwrap() {
                    codes.retain(|x| *x != id);
                }
            }
        }
        Op::Sweep(off) => {
            tally::sweep(c, *now + Duration::minutes(off), 7)
                .await
                .unwrap();
        }
        Op::Fold => {
            tally::fold(c, w.core.db.backend).await.unwrap();
        }
        Op::Tick(m) => *now += Duration::minutes(m),
        Op::DisableInviter(u, disabled) => {
            let at = disabled.then(|| now.timestamp_millis());
            drop(tx);
            let sql = "UPDATE users SET disabled_at = $1 WHERE id = $2";
            exec(&w.core, sql, at, w.inviters[u]).await;
            return;
        }
        Op::Demote(u, back) => {
            drop(tx);
            let sql = if back {
                "UPDATE users SET role = 'manager' WHERE id = $2 AND $1 IS NULL"
            } else {
                "UPDATE users SET role = 'staff' WHERE id = $2 AND $1 IS NULL"
            };
            exec(&w.core, sql, None, w.inviters[u]).await;
            return;
        }
        Op::Move(to_first) => {
            drop(tx);
            let target = if to_first {
                &w.divisions[1]
            } else {
                &w.divisions[2]
            };
            let sql = "UPDATE users SET division_id = $1 WHERE id = $2";
            exec(&w.core, sql, target.as_ref().map(|d| d.id), w.inviters[2]).await;
            return;
        }
    }
    tx.commit().await.unwrap();
}

/// The tally equals the recount for every division (and all) at `now` and around it.
async fn check(w: &World, now: DateTime<Utc>) -> Result<(), TestCaseError> {
    let mut c = w.core.db.conn().await.unwrap();
    // The first slot (codes without a division) stands for all divisions here.
    for scope in w.divisions.iter().map(|d| d.as_ref().map(|d| d.id)) {
        for offset in [-61, 0, 1, 59, 150] {
            let at = now + Duration::minutes(offset);
            let kept: (Counts, i64) = tally::counts(&mut c, scope, at).await.unwrap();
            let counted = tally::recount(&mut c, scope, at).await.unwrap();
            prop_assert_eq!(kept, counted, "division {:?} at now{:+} min", scope, offset);
        }
    }
    Ok(())
}

#[test]
fn the_tally_equals_a_recount_after_any_operations_at_any_clock() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let t = rt.block_on(test_core(&[]));
    let core = t.core.clone();
    let w = rt.block_on(async {
        let sales = division_id(&core, "sales").await.unwrap();
        let eng = division_id(&core, "eng").await.unwrap();
        World {
            divisions: [
                None,
                Some(DivisionRef {
                    id: sales,
                    slug: "sales".into(),
                }),
                Some(DivisionRef {
                    id: eng,
                    slug: "eng".into(),
                }),
            ],
            inviters: [
                user_id(&core, "admin").await,
                user_id(&core, "maya").await,
                user_id(&core, "budi").await,
            ],
            core: core.clone(),
        }
    });
    let cases = if w.core.db.backend == onboard::db::Backend::Postgres {
        24
    } else {
        64
    };
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let start = Utc::now();
    runner
        .run(&proptest::collection::vec(op(), 1..40), |ops| {
            rt.block_on(async {
                let mut codes = Vec::new();
                let mut now = start;
                for op in &ops {
                    apply(&w, &mut codes, &mut now, op).await;
                    check(&w, now).await?;
                }
                // Leave the inviters as seeded for the next case.
                for (u, role) in [(1, "manager"), (2, "manager")] {
                    let sql =
                        format!("UPDATE users SET role = '{role}', disabled_at = $1 WHERE id = $2");
                    exec(&w.core, &sql, None, w.inviters[u]).await;
                }
                exec(
                    &w.core,
                    "UPDATE users SET disabled_at = $1 WHERE id = $2",
                    None,
                    w.inviters[0],
                )
                .await;
                let eng = w.divisions[2].as_ref().map(|d| d.id);
                exec(
                    &w.core,
                    "UPDATE users SET division_id = $1 WHERE id = $2",
                    eng,
                    w.inviters[2],
                )
                .await;
                Ok(())
            })
        })
        .unwrap();
}

/// Writers on many connections at once (creates, uses, reports, revokes), with sweeps and
/// folds running alongside, leave a tally equal to the recount: on PostgreSQL this is where
/// appended rows and a concurrent fold could lose or double a count.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_sweeps_and_folds_keep_the_tally_exact() {
    let t = test_core(&[]).await;
    let core = t.core.clone();
    let sales = division_id(&core, "sales").await.unwrap();
    let maya = user_id(&core, "maya").await;
    let start = Utc::now();
    let mut tasks = Vec::new();
    for worker in 0..6i64 {
        let core = core.clone();
        tasks.push(tokio::spawn(async move {
            let division = DivisionRef {
                id: sales,
                slug: "sales".into(),
            };
            for k in 0..40i64 {
                let now = start + Duration::seconds(k);
                let mut tx = core.db.begin_write().await.unwrap();
                let code = new_code();
                let id = rows::insert(
                    tx.conn(),
                    &[NewInvitation {
                        code: &code,
                        email: None,
                        role: Role::Staff,
                        division: Some(&division),
                        created_by: maya,
                        created_at: now,
                        // Some expire within the run, so sweeps have work.
                        expires_at: now + Duration::seconds((k * 7 + worker) % 50 - 10),
                        note: None,
                    }],
                )
                .await
                .unwrap()[0];
                match (k + worker) % 4 {
                    0 => drop(rows::claim(tx.conn(), id, None, now).await.unwrap()),
                    1 => drop(rows::report_if_open(tx.conn(), id, now).await.unwrap()),
                    2 => drop(
                        rows::revoke_if_open(tx.conn(), id, maya, now)
                            .await
                            .unwrap(),
                    ),
                    _ => {}
                }
                tx.commit().await.unwrap();
            }
        }));
    }
    for k in 0..20i64 {
        let core = core.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = core.db.begin_write().await.unwrap();
            let at = start + Duration::seconds(k * 2);
            tally::sweep(tx.conn(), at, 5).await.unwrap();
            tally::fold(tx.conn(), core.db.backend).await.unwrap();
            tx.commit().await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut c = core.db.conn().await.unwrap();
    for offset in [0, 20, 45, 90] {
        let at = start + Duration::seconds(offset);
        for scope in [Some(sales), None] {
            let kept = tally::counts(&mut c, scope, at).await.unwrap();
            let counted = tally::recount(&mut c, scope, at).await.unwrap();
            assert_eq!(kept, counted, "division {scope:?} at start+{offset}s");
        }
    }
    assert_eq!(
        tally::recount(&mut c, Some(sales), start).await.unwrap().1,
        240
    );
}
