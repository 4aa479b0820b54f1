//! A search narrowed by a trigram index (SQLite's FTS5 table, walked newest first while codes
//! were created in id order; PostgreSQL's GIN index on the search document, `make pg`), and a
//! PostgreSQL page read from the newest rows first, must give exactly what the plain path gives (the exact predicates alone, every match read and
//! sorted by creation time): the same rows in the same order, the same counts, totals and cap,
//! for broad and narrow searches, LIKE's wildcards typed literally, every status, deep pages
//! and both scopes; and on SQLite, after a clock steps back, the plain path must take over.

mod common;

use chrono::{Duration, Utc};
use common::{division_id, test_core, user_id};
use onboard::db::divisions::DivisionRef;
use onboard::db::invitations::{self as rows, ListFilter, NewInvitation};
use onboard::db::{Backend, Conn};
use onboard::domain::{Role, Status, StatusFilter};
use onboard::services::invitations::new_code;

async fn page(c: &mut Conn, backend: Backend, indexed: bool, f: &ListFilter<'_>) -> String {
    let now = Utc::now();
    let p = if indexed {
        rows::list(c, backend, f, now).await.unwrap()
    } else {
        rows::list_by_scan(c, backend, f, now).await.unwrap()
    };
    let ids: Vec<i64> = p.items.iter().map(|i| i.id).collect();
    if !p.capped {
        // The page holds what its total says lies from its offset on: an empty page only at
        // or past the end, a full one before the last.
        let expected = (p.total - f.offset).clamp(0, f.limit);
        assert_eq!(
            ids.len() as i64,
            expected,
            "page size against total {}",
            p.total
        );
    }
    if p.capped {
        // Counting stopped at the cap: the counts are those of the rows counted, which
        // rows those are is not specified (the index path counts the newest).
        format!("ids {ids:?} capped")
    } else {
        format!("ids {ids:?} counts {:?} total {}", p.counts, p.total)
    }
}

/// The index path against the plain path.
async fn same_as_plain(c: &mut Conn, backend: Backend, q: &str, division_id: Option<i64>) {
    let statuses = [
        StatusFilter::All,
        StatusFilter::Only(Status::Active),
        StatusFilter::Only(Status::Used),
        StatusFilter::Only(Status::Revoked),
        StatusFilter::Only(Status::Expired),
        StatusFilter::Only(Status::Suspended),
    ];
    for status in statuses {
        // The selection's last page, short, found from the plain path's total: PostgreSQL's
        // newest-first page reads it with its window's size straight away.
        let all = ListFilter {
            division_id,
            q,
            status,
            limit: 50,
            offset: 0,
        };
        let total = rows::list_by_scan(c, backend, &all, Utc::now())
            .await
            .unwrap()
            .total;
        let last = (total - 7).max(0);
        for offset in [0, 50, 1000, 2450, 9990, last] {
            let f = ListFilter {
                division_id,
                q,
                status,
                limit: 50,
                offset,
            };
            let fast = page(c, backend, true, &f).await;
            let plain = page(c, backend, false, &f).await;
            assert_eq!(
                fast, plain,
                "q {q:?} division {division_id:?} {status:?} offset {offset}"
            );
        }
    }
}

/// Indexes the codes not in SQLite's search index yet until it holds `total` of them (all for
/// `None`); how many it holds then, counted in the index itself.
async fn index_up_to(core: &onboard::services::Core, total: Option<i64>) -> i64 {
    use onboard::db::invitations::search;
    let backend = core.db.backend;
    if backend != Backend::Sqlite {
        return 0;
    }
    let held = |r: sqlx::any::AnyRow| onboard::db::col::<i64>(&r, "n").unwrap();
    let count = "SELECT COUNT(*) AS n FROM invitation_search";
    let mut c = core.db.conn().await.unwrap();
    let now = held(sqlx::query(count).fetch_one(&mut *c).await.unwrap());
    drop(c);
    match total {
        Some(t) if t > now => {
            let mut tx = core.db.begin_write().await.unwrap();
            search::catch_up(tx.conn(), backend, t - now).await.unwrap();
            tx.commit().await.unwrap();
        }
        Some(_) => {}
        None => {
            onboard::services::index_new_codes(core).await.unwrap();
        }
    }
    let mut c = core.db.conn().await.unwrap();
    held(sqlx::query(count).fetch_one(&mut *c).await.unwrap())
}

#[tokio::test]
async fn an_index_search_walked_newest_first_equals_the_sorted_one() {
    let t = test_core(&[]).await;
    let core = &t.core;
    let backend = core.db.backend;
    let sales = division_id(core, "sales").await.unwrap();
    let sales_ref = DivisionRef {
        id: sales,
        slug: "sales".into(),
    };
    let mut c = core.db.conn().await.unwrap();
    let maya = user_id(core, "maya").await;
    // eng's manager: the sales codes budi created are Suspended (no authority there).
    let budi = user_id(core, "budi").await;
    // 10,400 codes: enough for three growing chunks of candidates and past the count's cap; every email holds "ex.com", and "p1" / "p12" / "p123" narrow it step by step;
    // "solo" is also a code form ("S010"), so its search looks up both forms.
    let start = Utc::now() - Duration::days(2);
    let mut tx = core.db.begin_write().await.unwrap();
    for k in 0..10_400i64 {
        let code = new_code();
        let email = format!("p{}@ex.com", k % 1500);
        let note = match k % 4 {
            0 => Some(format!("Batch {}", k % 13)),
            1 => Some(format!("Solo {}", k % 11)),
            _ => None,
        };
        let id = rows::insert(
            tx.conn(),
            &[NewInvitation {
                code: &code,
                email: Some(&email),
                role: Role::Staff,
                division: (k % 3 != 0).then_some(&sales_ref),
                created_by: if k % 7 == 3 { budi } else { maya },
                // Two codes a second: ties in creation time are ordered by id.
                created_at: start + Duration::seconds(k / 2),
                expires_at: start + Duration::days(1 + k % 3),
                note: note.as_deref(),
            }],
        )
        .await
        .unwrap()[0];
        let at = start + Duration::seconds(k + 1);
        match k % 10 {
            0 => {
                assert!(rows::claim(tx.conn(), id, Some(&email), at).await.unwrap());
                // A redeemer is searchable by name once set (PostgreSQL's document follows).
                if k % 20 == 0 {
                    rows::set_used_by(tx.conn(), id, maya).await.unwrap();
                }
            }
            1 => assert!(rows::revoke_if_open(tx.conn(), id, maya, at).await.unwrap()),
            _ => {}
        }
    }
    tx.commit().await.unwrap();

    let in_order = || async {
        let mut c = core.db.conn().await.unwrap();
        let r = sqlx::query("SELECT in_order FROM invitation_order")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        onboard::db::col::<i64>(&r, "in_order").unwrap()
    };
    if backend == Backend::Sqlite {
        assert_eq!(in_order().await, 1, "codes were created in order");
    }
    // A piece of a code as a person might type it: lower case, a dash in the middle.
    let newest = rows::list(
        &mut c,
        backend,
        &ListFilter {
            division_id: None,
            q: "",
            status: StatusFilter::All,
            limit: 1,
            offset: 0,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let piece = newest.items[0].code[..6].to_lowercase();
    // On SQLite the codes reach the FTS5 index after their creates commit (migration 0014):
    // a search must give the same answer with none of them indexed yet, with all but the
    // newest 300 (fewer than the walk's first chunk), and with all of them.
    let states: &[Option<i64>] = if backend == Backend::Sqlite {
        &[Some(0), Some(10_400 - 300), None]
    } else {
        &[None]
    };
    for &state in states {
        let indexed = index_up_to(core, state).await;
        // No search at all: PostgreSQL reads a page from the newest rows first there too.
        for q in [
            "",
            "ex.com",
            "p1",
            "p12",
            "p123@",
            "batch 1",
            "solo",
            "maya",
            "MAYA",
            "p1_",
            "p_2",
            "%@ex",
            "ex\\com",
            piece.as_str(),
            "nothing-like-this",
        ] {
            for division in [None, Some(sales)] {
                same_as_plain(&mut c, backend, q, division).await;
            }
        }
        if backend == Backend::Sqlite {
            let wanted = state.unwrap_or(10_400);
            assert_eq!(indexed, wanted, "codes in the index");
        }
    }
    // The broad search reached the cap, through the index as through the plain path.
    let f = ListFilter {
        division_id: None,
        q: "ex.com",
        status: StatusFilter::All,
        limit: 50,
        offset: 0,
    };
    let broad = rows::list(&mut c, backend, &f, Utc::now()).await.unwrap();
    assert!(broad.capped);
    assert_eq!(broad.total, onboard::domain::SEARCH_COUNT_CAP);

    if backend != Backend::Sqlite {
        return;
    }
    // A clock that steps back: the order no longer holds, and the plain path answers.
    let code = new_code();
    let mut tx = core.db.begin_write().await.unwrap();
    rows::insert(
        tx.conn(),
        &[NewInvitation {
            code: &code,
            email: Some("p12@ex.com"),
            role: Role::Staff,
            division: Some(&sales_ref),
            created_by: maya,
            created_at: start - Duration::hours(1),
            expires_at: start + Duration::days(9),
            note: None,
        }],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        in_order().await,
        0,
        "a code created earlier than the last one"
    );
    same_as_plain(&mut c, backend, "p12", Some(sales)).await;
    let last = rows::list(
        &mut c,
        Backend::Sqlite,
        &ListFilter {
            division_id: Some(sales),
            q: "p12",
            status: StatusFilter::All,
            limit: 5000,
            offset: 0,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(
        last.items.last().map(|i| i.code.replace('-', "")),
        Some(code.as_str().to_string()),
        "the oldest code is listed last"
    );
}
