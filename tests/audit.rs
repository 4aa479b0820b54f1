//! The audit trail: filters, CSV, manager scoping and tamper detection.
mod common;

use common::{spawn_app, spawn_app_with};
use onboard::audit::{verify, Verdict};
use serde_json::json;

#[tokio::test]
async fn managers_read_only_their_divisions_trail_and_csv_works() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let budi = app.login("budi").await;
    app.create(&maya, json!({})).await;
    app.create(&budi, json!({})).await;
    let r = app
        .get("/api/v1/audit?action=invitation.created", Some(&maya))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["division"], "sales");
    assert_eq!(
        app.get("/api/v1/audit?division=eng", Some(&maya))
            .await
            .status,
        404
    );
    let admin = app.login("admin").await;
    let r = app
        .get("/api/v1/audit?action=invitation.created", Some(&admin))
        .await;
    assert_eq!(r.body["total"], 2);
    let r = app.get("/api/v1/audit?actor=budi", Some(&admin)).await;
    assert!(r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor"] == "budi"));
    let csv = app
        .client
        .get(app.url("/api/v1/audit"))
        .header("cookie", format!("onboard_session={admin}"))
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert!(csv
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("id,at,actor,action,division,invitation_id,client_addr,details"));
    assert!(text.contains("invitation.created"));
    // The page shows the trail with its filters kept in the pager links.
    for _ in 0..60 {
        app.post(
            &format!("/api/v1/invitations/{}/copy", 1),
            Some(&admin),
            json!({}),
        )
        .await;
    }
    let page = app
        .get("/audit?action=invitation.copied", Some(&admin))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Page 1 of 2 · 60 events"), "pager shown");
    assert!(page
        .text
        .contains("href=\"/audit?action=invitation.copied&amp;page=2\""));
    // An admin filters the page by division (the form keeps the choice); a manager, whose
    // trail is their own division's, gets no such filter.
    let page = app.get("/audit?division=eng", Some(&admin)).await;
    assert_eq!(page.status, 200);
    assert!(page
        .text
        .contains("<select id=\"division\" name=\"division\">"));
    assert!(
        page.text.contains("<option value=\"eng\" selected"),
        "the chosen division is selected"
    );
    assert!(
        page.text.contains("created an invitation"),
        "budi's create is shown"
    );
    let mine = app.get("/audit", Some(&maya)).await;
    assert_eq!(mine.status, 200);
    assert!(!mine.text.contains("name=\"division\""));
}

#[tokio::test]
async fn the_chain_verifies_and_any_change_or_deletion_is_detected() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    for _ in 0..3 {
        app.create(&maya, json!({})).await;
    }
    let Verdict::Intact { rows } = verify(&app.core.db).await.unwrap() else {
        panic!("intact")
    };
    assert!(rows >= 10);
    // The database refuses updates outright; an attacker with the file drops the trigger first.
    assert!(
        sqlx::query("UPDATE audit_events SET actor = 'mallory' WHERE id = 8")
            .execute(&app.core.db.pool)
            .await
            .is_err()
    );
    app.drop_audit_guards().await;
    sqlx::query("UPDATE audit_events SET actor = 'mallory' WHERE id = 8")
        .execute(&app.core.db.pool)
        .await
        .unwrap();
    match verify(&app.core.db).await.unwrap() {
        Verdict::Broken { row, reason } => {
            assert_eq!(row, 8);
            assert!(reason.contains("row 8"), "{reason}");
        }
        v => panic!("tampering went unnoticed: {v:?}"),
    }
}

#[tokio::test]
async fn deleting_a_row_breaks_the_chain_and_the_cli_says_so() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    app.create(&maya, json!({})).await;
    app.drop_audit_guards().await;
    sqlx::query("DELETE FROM audit_events WHERE id = 3")
        .execute(&app.core.db.pool)
        .await
        .unwrap();
    match verify(&app.core.db).await.unwrap() {
        Verdict::Broken { row, .. } => assert_eq!(row, 3),
        v => panic!("{v:?}"),
    }
    // The CLI exits non-zero and names the row.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onboard"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", &app.db_url)
        .env("ONBOARD_AUDIT_KEY_FILE", &app.key_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("row 3"));
}

/// What an attacker with write access to the database tries once plain edits show.
async fn tampered(app: &common::TestApp) -> (i64, String) {
    match verify(&app.core.db).await.unwrap() {
        Verdict::Broken { row, reason } => (row, reason),
        v => panic!("tampering went unnoticed: {v:?}"),
    }
}

async fn exec(app: &common::TestApp, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&app.core.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn cutting_the_newest_rows_and_rewinding_the_head_is_detected() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    for _ in 0..3 {
        app.create(&maya, json!({})).await;
    }
    let Verdict::Intact { rows } = verify(&app.core.db).await.unwrap() else {
        panic!("intact")
    };
    app.drop_audit_guards().await;
    let keep = rows - 2;
    exec(&app, &format!("DELETE FROM audit_events WHERE id > {keep}")).await;
    exec(
        &app,
        &format!(
            "UPDATE audit_head SET seq = {keep}, \
             last_hash = (SELECT hash FROM audit_events WHERE id = {keep}) WHERE id = 1"
        ),
    )
    .await;
    let (row, reason) = tampered(&app).await;
    assert_eq!(row, keep);
    assert!(reason.contains("seal"), "{reason}");
}

#[tokio::test]
async fn a_chain_recomputed_without_the_key_does_not_verify() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    app.create(&maya, json!({})).await;
    app.drop_audit_guards().await;
    // The attacker edits row 2 and recomputes every hash after it the way anyone can: plain
    // SHA-256, no key (the scheme before keys), and the head to match.
    exec(
        &app,
        "UPDATE audit_events SET actor = 'mallory', key_id = NULL WHERE id = 2",
    )
    .await;
    use sha2::{Digest, Sha256};
    type Row = (
        i64,
        i64,
        Option<String>,
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, at, actor, action, division, invitation_id, client_addr, details \
             FROM audit_events ORDER BY id",
    )
    .fetch_all(&app.core.db.pool)
    .await
    .unwrap();
    let mut prev = onboard::audit::GENESIS.to_string();
    for (id, at, actor, action, division, inv, addr, details) in rows {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        };
        field(&prev);
        field(&id.to_string());
        field(&at.to_string());
        field(actor.as_deref().unwrap_or("\u{0}"));
        field(&action);
        field(division.as_deref().unwrap_or("\u{0}"));
        field(&inv.map(|i| i.to_string()).unwrap_or_default());
        field(addr.as_deref().unwrap_or("\u{0}"));
        field(&details);
        let hash = hex::encode(h.finalize());
        sqlx::query(
            "UPDATE audit_events SET prev_hash = $1, hash = $2, key_id = NULL WHERE id = $3",
        )
        .bind(&prev)
        .bind(&hash)
        .bind(id)
        .execute(&app.core.db.pool)
        .await
        .unwrap();
        prev = hash;
    }
    sqlx::query("UPDATE audit_head SET last_hash = $1, head_mac = NULL WHERE id = 1")
        .bind(&prev)
        .execute(&app.core.db.pool)
        .await
        .unwrap();
    let (_, reason) = tampered(&app).await;
    assert!(reason.contains("seal"), "{reason}");
}

#[tokio::test]
async fn a_rotated_key_still_verifies_what_it_sealed() {
    let old_key = "an old audit key that is long enough to use";
    let app = spawn_app_with(&[("ONBOARD_AUDIT_KEY", old_key)]).await;
    let maya = app.login("maya").await;
    app.create(&maya, json!({})).await;
    // Restart with a new key and the old one retired: old rows verify, new rows use the new key.
    let new_key = "the new audit key, also long enough to use";
    let rotated = |retired: &str| {
        onboard::config::Config::with(
            &app.db_url,
            &[
                ("ONBOARD_AUDIT_KEY", new_key),
                ("ONBOARD_AUDIT_RETIRED_KEYS", retired),
            ],
        )
        .unwrap()
    };
    // A restart: the database opened again with the keys the new configuration names.
    let restart = |config: onboard::config::Config| {
        let db = app
            .core
            .db
            .clone()
            .with_audit_keys(onboard::audit::load_keys(&config).unwrap());
        onboard::services::Core::new(db, config, onboard::clock::Clock::default())
    };
    let core = restart(rotated(old_key));
    onboard::audit::append_alone(
        &core.db,
        core.now(),
        onboard::audit::NewEvent::new("logout"),
    )
    .await
    .unwrap();
    assert!(matches!(
        verify(&core.db).await.unwrap(),
        Verdict::Intact { .. }
    ));
    // Without the retired key the old rows cannot be checked, and verify says which key is missing.
    let forgetful = restart(rotated(""));
    match verify(&forgetful.db).await.unwrap() {
        Verdict::Broken { reason, .. } => assert!(reason.contains("key"), "{reason}"),
        v => panic!("{v:?}"),
    }
}

/// Appends `n` copy events for one Sales code in one transaction (quicker than `n` requests).
async fn many_events(app: &common::TestApp, n: usize) {
    let mut tx = app.core.db.begin_write().await.unwrap();
    for _ in 0..n {
        onboard::audit::append(
            &app.core.db,
            tx.conn(),
            app.core.now(),
            onboard::audit::NewEvent::new("invitation.copied")
                .actor("maya")
                .division(Some("sales".into())),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_csv_export_streams_every_matching_row_past_ten_thousand() {
    let app = spawn_app().await;
    many_events(&app, 10_500).await;
    let admin = app.login("admin").await;
    for path in [
        "/api/v1/audit?action=invitation.copied",
        "/audit/export.csv?action=invitation.copied",
    ] {
        let r = app
            .client
            .get(app.url(path))
            .header("cookie", format!("onboard_session={admin}"))
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.unwrap();
        let lines: Vec<&str> = body.lines().collect();
        assert!(
            lines[0].starts_with("id,at,actor,action"),
            "{path}: header first"
        );
        assert_eq!(
            lines.len(),
            10_501,
            "{path}: every row once, plus the header"
        );
        let ids: std::collections::HashSet<&str> = lines[1..]
            .iter()
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(ids.len(), 10_500, "{path}: no row twice across batches");
    }
    // A manager's export is still only their division's.
    let budi = app.login("budi").await;
    let r = app
        .client
        .get(app.url("/api/v1/audit?action=invitation.copied"))
        .header("cookie", format!("onboard_session={budi}"))
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.text().await.unwrap().lines().count(),
        1,
        "Engineering sees none"
    );
}

#[tokio::test]
async fn json_pages_follow_a_cursor_to_the_end_without_gaps_or_repeats() {
    let app = spawn_app().await;
    many_events(&app, 2_345).await;
    let admin = app.login("admin").await;
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<i64> = None;
    let mut pages = 0;
    loop {
        let path = match cursor {
            Some(c) => format!("/api/v1/audit?action=invitation.copied&per_page=1000&cursor={c}"),
            None => "/api/v1/audit?action=invitation.copied&per_page=1000".to_string(),
        };
        let r = app.get(&path, Some(&admin)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["total"], 2_345);
        for e in r.body["items"].as_array().unwrap() {
            assert!(seen.insert(e["id"].as_i64().unwrap()), "repeated {e}");
        }
        pages += 1;
        match r.body["next_cursor"].as_i64() {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 2_345);
    assert_eq!(pages, 3);
    let r = app.get("/api/v1/audit?cursor=abc", Some(&admin)).await;
    assert_eq!(r.status, 422);
}

/// Concurrent creates share write transactions (group commit) and one chain append per group:
/// each request is answered with the code it asked for, every code is listed, the chain holds
/// one intact row per create in the order the codes were inserted, and a subscribed webhook
/// endpoint gets one delivery per create. A request in the burst whose expiry is beyond the
/// ceiling is refused alone: it writes nothing and the others in its group are created.
#[tokio::test]
async fn a_burst_of_creates_each_gets_its_own_code_and_an_intact_chain() {
    let app = spawn_app().await;
    let (admin, maya) = (app.login("admin").await, app.login("maya").await);
    let hook = app
        .post(
            "/api/v1/webhooks",
            Some(&admin),
            json!({ "url": "https://hooks.example.com/onboard", "events": ["invitation.created"] }),
        )
        .await;
    assert_eq!(hook.status, 201, "{}", hook.text);
    let too_far = (chrono::Utc::now() + chrono::Duration::days(200)).to_rfc3339();
    let burst = (0..40).map(|k| {
        let (who, mut body) = if k % 2 == 0 {
            (&maya, json!({ "note": format!("burst {k}") }))
        } else {
            (
                &admin,
                json!({ "note": format!("burst {k}"), "division": "eng" }),
            )
        };
        if k % 10 == 9 {
            body["expires_at"] = json!(too_far);
        }
        app.post("/api/v1/invitations", Some(who), body)
    });
    let results = futures_util::future::join_all(burst).await;
    let mut codes = std::collections::BTreeSet::new();
    for (k, r) in results.iter().enumerate() {
        if k % 10 == 9 {
            assert_eq!(r.status, 422, "{k}: {:?}", r.body);
            assert_eq!(r.body["error"]["code"], "expiry_too_far");
            continue;
        }
        assert_eq!(r.status, 201, "{k}: {:?}", r.body);
        assert_eq!(r.body["note"], format!("burst {k}"));
        let division = if k % 2 == 0 { "sales" } else { "eng" };
        assert_eq!(r.body["division"], division);
        assert!(codes.insert(r.body["code"].as_str().unwrap().to_string()));
    }
    let listed = app
        .get("/api/v1/invitations?q=burst&per_page=100", Some(&admin))
        .await;
    assert_eq!(listed.body["total"], 36);
    // A bulk import appends its rows on one chain too, stored 200 rows to a statement: 450
    // rows cross two chunk boundaries, and each code keeps its own row's note, in order.
    let rows: Vec<_> = (0..450)
        .map(|k| json!({ "division": "sales", "note": format!("bulk {k}") }))
        .collect();
    let bulk = app
        .post("/api/v1/invitations/bulk", Some(&admin), json!(rows))
        .await;
    assert_eq!(bulk.status, 201, "{}", bulk.text);
    let created = bulk.body["created"].as_array().unwrap();
    assert_eq!(created.len(), 450);
    for (k, inv) in created.iter().enumerate() {
        assert_eq!(inv["note"], format!("bulk {k}"));
    }
    assert!(created
        .windows(2)
        .all(|w| w[0]["id"].as_i64() < w[1]["id"].as_i64()));
    let mut c = app.core.db.conn().await.unwrap();
    // Each id answered (codes of a group and of a bulk import are inserted many to a
    // statement) is the row holding that request's own code and note.
    let stored: std::collections::HashMap<i64, (String, String)> =
        sqlx::query("SELECT id, code, note FROM invitations WHERE note IS NOT NULL")
            .fetch_all(&mut *c)
            .await
            .unwrap()
            .iter()
            .map(|r| {
                let id: i64 = onboard::db::col(r, "id").unwrap();
                let code: String = onboard::db::col(r, "code").unwrap();
                (id, (code, onboard::db::col(r, "note").unwrap()))
            })
            .collect();
    let answered = results.iter().filter(|r| r.status == 201).map(|r| &r.body);
    for inv in answered.chain(created) {
        let (code, note) = &stored[&inv["id"].as_i64().unwrap()];
        assert_eq!(note, inv["note"].as_str().unwrap());
        assert_eq!(
            code.replace('-', ""),
            inv["code"].as_str().unwrap().replace('-', "")
        );
    }
    let ids = invitation_ids(
        &mut c,
        "SELECT invitation_id FROM audit_events WHERE action = 'invitation.created' ORDER BY id",
    )
    .await;
    assert_eq!(ids.len(), 36 + 450);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let all: i64 = onboard::db::col(
        &sqlx::query("SELECT COUNT(*) AS n FROM audit_events")
            .fetch_one(&mut *c)
            .await
            .unwrap(),
        "n",
    )
    .unwrap();
    assert_eq!(
        verify(&app.core.db).await.unwrap(),
        Verdict::Intact { rows: all }
    );
    let deliveries = invitation_ids(
        &mut c,
        "SELECT invitation_id FROM webhook_deliveries WHERE event = 'invitation.created' \
         ORDER BY invitation_id",
    )
    .await;
    assert_eq!(deliveries, ids);
}

/// The `invitation_id` column of every row `sql` selects, in its order.
async fn invitation_ids(c: &mut onboard::db::Conn, sql: &'static str) -> Vec<i64> {
    sqlx::query(sql)
        .fetch_all(c)
        .await
        .unwrap()
        .iter()
        .map(|r| onboard::db::col(r, "invitation_id").unwrap())
        .collect()
}
