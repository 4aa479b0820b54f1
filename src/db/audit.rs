//! The audit trail's rows and its head, and reading the trail back with filters.
//!
//! The chain's arithmetic (what a row's seal covers, how it is checked) is `crate::audit`'s;
//! this module only stores and reads.

use super::sql::{insert_rows, Params, INSERT_CHUNK};
use super::{col, Backend, Conn, Result};
use crate::clock::from_ms;
use crate::domain::AuditEvent;
use chrono::{DateTime, Utc};
use futures_util::{Stream, TryStreamExt};
use sqlx::any::AnyRow;

/// One audit key: its bytes and a short public id stored with each row it sealed, so a trail
/// sealed across a key rotation can still be verified.
#[derive(Clone)]
pub struct AuditKey {
    pub id: String,
    pub bytes: Vec<u8>,
}

impl AuditKey {
    pub fn new(bytes: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"onboard audit key id\0");
        h.update(bytes);
        AuditKey {
            id: hex::encode(h.finalize())[..16].to_string(),
            bytes: bytes.to_vec(),
        }
    }
}

/// The current audit key (new rows) and retired ones (rows sealed before a rotation).
#[derive(Clone, Default)]
pub struct AuditKeys {
    pub current: Option<AuditKey>,
    pub retired: Vec<AuditKey>,
}

impl AuditKeys {
    pub fn find(&self, id: &str) -> Option<&AuditKey> {
        self.current
            .iter()
            .chain(self.retired.iter())
            .find(|k| k.id == id)
    }
}

/// The chain's head as a transaction's first append takes it, and the webhooks that may hear
/// of its events.
pub struct Head {
    /// The next row number.
    pub seq: i64,
    /// The previous row's hash.
    pub last_hash: String,
    /// The active webhook endpoints, each with the events it subscribes to (space-separated).
    pub hooks: Vec<(i64, String)>,
}

/// Takes the next row number and the previous row's hash, locking the head row until the
/// caller's transaction ends (this is what orders appends across connections and instances),
/// then reads the active webhooks as they are once the lock is held. On SQLite both go in one
/// call (two statements; the transaction holds the writer's lock from its `BEGIN`). On
/// PostgreSQL they stay two statements: a statement reads every table as of its start, so a
/// read joined to the head's update would see the webhooks as they were before it waited for
/// the lock (an endpoint deleted meanwhile would still be fanned out to).
pub async fn next_seq(c: &mut Conn, backend: Backend) -> Result<Head> {
    use super::webhooks::{active, ACTIVE as HOOKS};
    use sqlx::Row;
    const TAKE: &str = "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash";
    let rows = match backend {
        Backend::Sqlite => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{TAKE}; {HOOKS}")))
                .fetch_all(c)
                .await?
        }
        Backend::Postgres => {
            let mut rows = sqlx::query(TAKE).fetch_all(&mut *c).await?;
            rows.extend(sqlx::query(HOOKS).fetch_all(c).await?);
            rows
        }
    };
    // The head's row is the one with its columns (none when the head row is missing).
    let (head, hooks): (Vec<&AnyRow>, Vec<&AnyRow>) =
        rows.iter().partition(|r| r.try_column("seq").is_ok());
    let head = head.first().ok_or(sqlx::Error::RowNotFound)?;
    Ok(Head {
        seq: col(head, "seq")?,
        last_hash: col(head, "last_hash")?,
        hooks: active(hooks)?,
    })
}

/// A row of the chain, as stored.
#[derive(Clone, Debug)]
pub struct ChainRow {
    pub id: i64,
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub division: Option<String>,
    pub invitation_id: Option<i64>,
    pub client_addr: Option<String>,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
    pub key_id: Option<String>,
}

/// Stores rows of the chain, many to a statement (one round trip per 200 rows), and moves the
/// head to row `seq` (taken by [`next_seq`] and, for a group, counted on from there) in the
/// last round trip: in the same call after the last rows on SQLite, in the same statement on
/// PostgreSQL.
pub async fn store(
    c: &mut Conn,
    backend: Backend,
    rows: &[ChainRow],
    seq: i64,
    last_hash: &str,
    head_mac: Option<&str>,
) -> Result<()> {
    const COLS: usize = 11;
    const INSERT: &str = "INSERT INTO audit_events (id, at, actor, action, division, \
         invitation_id, client_addr, details, prev_hash, hash, key_id)";
    let last_chunk = rows.len().saturating_sub(1) / INSERT_CHUNK;
    for (k, chunk) in rows.chunks(INSERT_CHUNK).enumerate() {
        let last = k == last_chunk;
        let mut q = if last {
            // The head's placeholders are numbered on from the last rows'.
            let n = chunk.len() * COLS;
            let set_head = format!(
                "UPDATE audit_head SET seq = ${}, last_hash = ${}, head_mac = ${} WHERE id = 1",
                n + 1,
                n + 2,
                n + 3
            );
            match backend {
                Backend::Sqlite => insert_rows(INSERT, chunk.len(), COLS, &format!("; {set_head}")),
                Backend::Postgres => insert_rows(
                    &format!("WITH stored AS ({INSERT}"),
                    chunk.len(),
                    COLS,
                    &format!(") {set_head}"),
                ),
            }
        } else {
            insert_rows(INSERT, chunk.len(), COLS, "")
        };
        for r in chunk {
            q = q
                .bind(r.id)
                .bind(r.at)
                .bind(r.actor.as_deref())
                .bind(r.action.as_str())
                .bind(r.division.as_deref())
                .bind(r.invitation_id)
                .bind(r.client_addr.as_deref())
                .bind(r.details.as_str())
                .bind(r.prev_hash.as_str())
                .bind(r.hash.as_str())
                .bind(r.key_id.as_deref());
        }
        if last {
            q = q.bind(seq).bind(last_hash).bind(head_mac);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

fn map_chain(row: &AnyRow) -> Result<ChainRow> {
    Ok(ChainRow {
        id: col(row, "id")?,
        at: col(row, "at")?,
        actor: col(row, "actor")?,
        action: col(row, "action")?,
        division: col(row, "division")?,
        invitation_id: col(row, "invitation_id")?,
        client_addr: col(row, "client_addr")?,
        details: col(row, "details")?,
        prev_hash: col(row, "prev_hash")?,
        hash: col(row, "hash")?,
        key_id: col(row, "key_id")?,
    })
}

/// Every row in id order, read as it is consumed (the trail can be long).
pub fn chain(c: &mut Conn) -> impl Stream<Item = Result<ChainRow>> + '_ {
    sqlx::query(
        "SELECT id, at, actor, action, division, invitation_id, client_addr, details, prev_hash, \
         hash, key_id FROM audit_events ORDER BY id",
    )
    .fetch(c)
    .and_then(|row| async move { map_chain(&row) })
}

/// The head: how many rows were written, the last one's hash and the head's seal.
pub async fn head(c: &mut Conn) -> Result<(i64, String, Option<String>)> {
    let head = sqlx::query("SELECT seq, last_hash, head_mac FROM audit_head WHERE id = 1")
        .fetch_one(c)
        .await?;
    Ok((
        col(&head, "seq")?,
        col(&head, "last_hash")?,
        col(&head, "head_mac")?,
    ))
}

/// Which events a reader asked for; every part optional.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub division: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
    pub invitation: Option<i64>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl Filter {
    fn where_sql(&self, p: &mut Params) -> String {
        let mut filters = vec!["1 = 1".to_string()];
        if let Some(d) = &self.division {
            filters.push(format!("division = {}", p.text(d.clone())));
        }
        if let Some(a) = &self.action {
            filters.push(format!("action = {}", p.text(a.clone())));
        }
        if let Some(a) = &self.actor {
            filters.push(format!("actor = {}", p.text(a.clone())));
        }
        if let Some(i) = self.invitation {
            filters.push(format!("invitation_id = {}", p.int(i)));
        }
        if let Some(t) = self.since {
            filters.push(format!("at >= {}", p.int(t.timestamp_millis())));
        }
        if let Some(t) = self.until {
            filters.push(format!("at < {}", p.int(t.timestamp_millis())));
        }
        filters.join(" AND ")
    }
}

/// How many events the filter selects.
pub async fn count(c: &mut Conn, f: &Filter) -> Result<i64> {
    let mut p = Params::default();
    let sql = format!(
        "SELECT COUNT(*) AS n FROM audit_events WHERE {}",
        f.where_sql(&mut p)
    );
    let row = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_one(c)
        .await?;
    col(&row, "n")
}

/// Up to `limit` selected events, newest first: older than `before` when given, else after
/// skipping `offset`.
pub async fn page(
    c: &mut Conn,
    f: &Filter,
    before: Option<i64>,
    offset: i64,
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let mut p = Params::default();
    let mut where_sql = f.where_sql(&mut p);
    if let Some(before) = before {
        where_sql.push_str(&format!(" AND id < {}", p.int(before)));
    }
    // The page is chosen first, then joined to the (at most `limit`) invitations it names.
    let sql = format!(
        "SELECT e.id, e.at, e.actor, e.action, e.division, e.invitation_id, e.client_addr, \
         e.details, i.code AS invitation_code, i.email AS invitation_email FROM \
         (SELECT id, at, actor, action, division, invitation_id, client_addr, details \
          FROM audit_events WHERE {where_sql} ORDER BY id DESC LIMIT {} OFFSET {}) e \
         LEFT JOIN invitations i ON i.id = e.invitation_id ORDER BY e.id DESC",
        p.int(limit),
        p.int(offset)
    );
    p.bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            let details: String = col(r, "details")?;
            Ok(AuditEvent {
                id: col(r, "id")?,
                at: from_ms(col(r, "at")?),
                actor: col(r, "actor")?,
                action: col(r, "action")?,
                division: col(r, "division")?,
                invitation_id: col(r, "invitation_id")?,
                client_addr: col(r, "client_addr")?,
                details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
                invitation_code: col::<Option<String>>(r, "invitation_code")?
                    .map(|c| crate::domain::code::group(&c)),
                invitation_email: col(r, "invitation_email")?,
            })
        })
        .collect()
}
