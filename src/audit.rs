//! The append-only, hash-chained audit trail.
//!
//! Each row's hash covers the previous row's hash and every field of the row, so changing or
//! deleting any row breaks the chain from there on. Appends lock the single `audit_head` row
//! first, which serialises writers across connections and app instances.

use crate::clock::from_ms;
use crate::db::{col, Db};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, Default)]
pub struct NewEvent {
    pub actor: Option<String>,
    pub action: &'static str,
    pub division: Option<String>,
    pub invitation_id: Option<i64>,
    pub client_addr: Option<String>,
    pub details: Value,
}

impl NewEvent {
    pub fn new(action: &'static str) -> Self {
        NewEvent {
            action,
            details: Value::Object(Default::default()),
            ..Default::default()
        }
    }
    pub fn actor(mut self, a: impl Into<String>) -> Self {
        self.actor = Some(a.into());
        self
    }
    pub fn actor_opt(mut self, a: Option<String>) -> Self {
        self.actor = a;
        self
    }
    pub fn division(mut self, d: Option<String>) -> Self {
        self.division = d;
        self
    }
    pub fn invitation(mut self, id: i64) -> Self {
        self.invitation_id = Some(id);
        self
    }
    pub fn addr(mut self, a: Option<String>) -> Self {
        self.client_addr = a;
        self
    }
    pub fn details(mut self, d: Value) -> Self {
        self.details = d;
        self
    }
}

#[allow(clippy::too_many_arguments)]
fn row_hash(
    prev: &str,
    id: i64,
    at: i64,
    actor: Option<&str>,
    action: &str,
    division: Option<&str>,
    invitation_id: Option<i64>,
    client_addr: Option<&str>,
    details: &str,
) -> String {
    // Length-prefixed fields so that no two different rows serialise alike.
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(prev);
    field(&id.to_string());
    field(&at.to_string());
    field(actor.unwrap_or("\u{0}"));
    field(action);
    field(division.unwrap_or("\u{0}"));
    field(&invitation_id.map(|i| i.to_string()).unwrap_or_default());
    field(client_addr.unwrap_or("\u{0}"));
    field(details);
    hex::encode(h.finalize())
}

/// Appends one event inside the caller's transaction.
pub async fn append(
    conn: &mut sqlx::AnyConnection,
    at: DateTime<Utc>,
    ev: NewEvent,
) -> Result<i64, sqlx::Error> {
    let head =
        sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash")
            .fetch_one(&mut *conn)
            .await?;
    let seq: i64 = col(&head, "seq")?;
    let prev: String = col(&head, "last_hash")?;
    let at_ms = at.timestamp_millis();
    let details = ev.details.to_string();
    let hash = row_hash(
        &prev,
        seq,
        at_ms,
        ev.actor.as_deref(),
        ev.action,
        ev.division.as_deref(),
        ev.invitation_id,
        ev.client_addr.as_deref(),
        &details,
    );
    sqlx::query(
        "INSERT INTO audit_events (id, at, actor, action, division, invitation_id, client_addr, \
         details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(at_ms)
    .bind(ev.actor)
    .bind(ev.action)
    .bind(ev.division)
    .bind(ev.invitation_id)
    .bind(ev.client_addr)
    .bind(details)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    Ok(seq)
}

/// Appends one event in a transaction of its own (events with no other change, e.g. a failed
/// login).
pub async fn append_alone(db: &Db, at: DateTime<Utc>, ev: NewEvent) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = append(tx.conn(), at, ev).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact { rows: i64 },
    Broken { row: i64, reason: String },
}

/// Walks the whole chain in id order.
pub async fn verify(db: &Db) -> Result<Verdict, sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(
        "SELECT id, at, actor, action, division, invitation_id, client_addr, details, prev_hash, hash \
         FROM audit_events ORDER BY id",
    )
    .fetch(&db.pool);
    let mut expected_id = 1i64;
    let mut prev = GENESIS.to_string();
    while let Some(row) = rows.try_next().await? {
        let id: i64 = col(&row, "id")?;
        if id != expected_id {
            return Ok(Verdict::Broken {
                row: expected_id,
                reason: format!("row {expected_id} is missing (next row is {id})"),
            });
        }
        let stored_prev: String = col(&row, "prev_hash")?;
        let stored: String = col(&row, "hash")?;
        let actor: Option<String> = col(&row, "actor")?;
        let action: String = col(&row, "action")?;
        let division: Option<String> = col(&row, "division")?;
        let invitation_id: Option<i64> = col(&row, "invitation_id")?;
        let client_addr: Option<String> = col(&row, "client_addr")?;
        let details: String = col(&row, "details")?;
        let at: i64 = col(&row, "at")?;
        let computed = row_hash(
            &prev,
            id,
            at,
            actor.as_deref(),
            &action,
            division.as_deref(),
            invitation_id,
            client_addr.as_deref(),
            &details,
        );
        if stored_prev != prev || stored != computed {
            return Ok(Verdict::Broken {
                row: id,
                reason: format!(
                    "row {id} ({action} at {}) does not match its hash",
                    from_ms(at)
                ),
            });
        }
        prev = stored;
        expected_id += 1;
    }
    drop(rows);
    let head = sqlx::query("SELECT seq, last_hash FROM audit_head WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    let seq: i64 = col(&head, "seq")?;
    let last: String = col(&head, "last_hash")?;
    if seq != expected_id - 1 || last != prev {
        return Ok(Verdict::Broken {
            row: expected_id,
            reason: format!(
                "the trail ends at row {} but {seq} rows were written",
                expected_id - 1
            ),
        });
    }
    Ok(Verdict::Intact { rows: seq })
}
