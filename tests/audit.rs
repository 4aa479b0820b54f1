//! The audit trail: filters, CSV, manager scoping and tamper detection.
mod common;

use common::spawn_app;
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
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("row 3"));
}
