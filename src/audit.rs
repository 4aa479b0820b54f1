//! The append-only, hash-chained audit trail.
//!
//! Each row's hash is an HMAC-SHA256, under the server's audit key, of the previous row's hash
//! and every field of the row, so changing or deleting any row breaks the chain from there on,
//! and without the key nobody can compute a chain that verifies. The head row (count and last
//! hash) carries a seal of its own, so cutting the newest rows and rewinding the head shows
//! too. Appends lock the single `audit_head` row first, which serialises writers across
//! connections and app instances.

use crate::clock::from_ms;
use crate::db::audit::{self as rows, ChainRow};
use crate::db::{AuditKey, AuditKeys, Conn, Db, Result};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
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

/// The fields a row's seal covers, in order.
struct RowFields<'a> {
    prev: &'a str,
    id: i64,
    at: i64,
    actor: Option<&'a str>,
    action: &'a str,
    division: Option<&'a str>,
    invitation_id: Option<i64>,
    client_addr: Option<&'a str>,
    details: &'a str,
}

impl RowFields<'_> {
    /// Feeds the fields length-prefixed, so that no two different rows serialise alike.
    fn feed(&self, update: &mut dyn FnMut(&[u8]), key_id: Option<&str>) {
        let mut field = |s: &str| {
            update(&(s.len() as u64).to_be_bytes());
            update(s.as_bytes());
        };
        field(self.prev);
        field(&self.id.to_string());
        field(&self.at.to_string());
        field(self.actor.unwrap_or("\u{0}"));
        field(self.action);
        field(self.division.unwrap_or("\u{0}"));
        field(
            &self
                .invitation_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
        );
        field(self.client_addr.unwrap_or("\u{0}"));
        field(self.details);
        if let Some(k) = key_id {
            field(k);
        }
    }

    /// The row's hash: an HMAC-SHA256 under `key`, or (rows from before keys existed) a plain
    /// SHA-256 that anyone could recompute.
    fn seal(&self, key: Option<&AuditKey>) -> String {
        match key {
            Some(key) => {
                let mut mac = keyed(key);
                self.feed(&mut |b| mac.update(b), Some(&key.id));
                hex::encode(mac.finalize().into_bytes())
            }
            None => {
                let mut h = Sha256::new();
                self.feed(&mut |b| h.update(b), None);
                hex::encode(h.finalize())
            }
        }
    }
}

fn keyed(key: &AuditKey) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(&key.bytes).expect("HMAC takes a key of any length")
}

/// The head's seal: the row count and the last hash under the key, as `key_id:hex`. Without
/// the key nobody can rewind the head to an earlier row, so a cut tail shows.
fn head_seal(key: &AuditKey, seq: i64, last_hash: &str) -> String {
    let mut mac = keyed(key);
    mac.update(b"onboard audit head\0");
    mac.update(&seq.to_be_bytes());
    mac.update(last_hash.as_bytes());
    format!("{}:{}", key.id, hex::encode(mac.finalize().into_bytes()))
}

/// Appends one event inside the caller's transaction, sealed with the database's current
/// audit key, and re-seals the head. An event webhooks can subscribe to is queued for its
/// endpoints in the same transaction (`db::webhooks::fan_out_to`).
pub async fn append(db: &Db, conn: &mut Conn, at: DateTime<Utc>, ev: NewEvent) -> Result<i64> {
    let mut chain = Chain::new(db);
    let seq = chain.append(&mut *conn, at, ev).await?;
    chain.seal(conn).await?;
    Ok(seq)
}

/// Several appends in one transaction (a group of creates, a bulk import): the first locks and
/// reads the head, the others count on from it in memory, and [`Chain::seal`] writes the head
/// once, after storing the rows in as few statements as it can (each append seals its row in
/// memory; a group of creates is one round trip to the database, not one per code). The
/// active webhooks are read with the head, once per chain. A chain not sealed stores none of
/// its rows, and its transaction must not commit.
pub struct Chain<'d> {
    db: &'d Db,
    head: Option<(i64, String)>,
    /// The active webhooks, read with the head (see [`rows::next_seq`]).
    hooks: Vec<(i64, String)>,
    /// Rows sealed but not yet stored: [`Chain::seal`] stores them with the head.
    rows: Vec<ChainRow>,
}

impl<'d> Chain<'d> {
    pub fn new(db: &'d Db) -> Self {
        Chain {
            db,
            head: None,
            hooks: Vec::new(),
            rows: Vec::new(),
        }
    }

    pub async fn append(
        &mut self,
        conn: &mut Conn,
        at: DateTime<Utc>,
        ev: NewEvent,
    ) -> Result<i64> {
        let (seq, prev) = match self.head.take() {
            Some((seq, last_hash)) => (seq + 1, last_hash),
            None => {
                let head = rows::next_seq(&mut *conn, self.db.backend).await?;
                self.hooks = head.hooks;
                (head.seq, head.last_hash)
            }
        };
        if crate::domain::webhook::EVENTS.contains(&ev.action) {
            let endpoints = crate::db::webhooks::subscribed(&self.hooks, ev.action);
            crate::db::webhooks::fan_out_to(
                &mut *conn,
                &crate::db::webhooks::Event {
                    action: ev.action,
                    actor: ev.actor.as_deref(),
                    division: ev.division.as_deref(),
                    invitation_id: ev.invitation_id,
                    details: &ev.details,
                    at,
                },
                &endpoints,
            )
            .await?;
        }
        let at_ms = at.timestamp_millis();
        let details = ev.details.to_string();
        let key = self.db.audit_keys.current.as_ref();
        let hash = RowFields {
            prev: &prev,
            id: seq,
            at: at_ms,
            actor: ev.actor.as_deref(),
            action: ev.action,
            division: ev.division.as_deref(),
            invitation_id: ev.invitation_id,
            client_addr: ev.client_addr.as_deref(),
            details: &details,
        }
        .seal(key);
        self.rows.push(ChainRow {
            id: seq,
            at: at_ms,
            actor: ev.actor,
            action: ev.action.to_string(),
            division: ev.division,
            invitation_id: ev.invitation_id,
            client_addr: ev.client_addr,
            details,
            prev_hash: prev,
            hash: hash.clone(),
            key_id: key.map(|k| k.id.clone()),
        });
        self.head = Some((seq, hash));
        Ok(seq)
    }

    /// Stores the appended rows (many to a statement) and writes the head (count, last hash
    /// and its seal) after the last of them.
    pub async fn seal(self, conn: &mut Conn) -> Result<()> {
        let Some((seq, hash)) = self.head else {
            return Ok(());
        };
        let key = self.db.audit_keys.current.as_ref();
        let head_mac = key.map(|k| head_seal(k, seq, &hash));
        let backend = self.db.backend;
        rows::store(conn, backend, &self.rows, seq, &hash, head_mac.as_deref()).await
    }
}

/// Appends one event in a transaction of its own (events with no other change, e.g. a failed
/// login).
pub async fn append_alone(db: &Db, at: DateTime<Utc>, ev: NewEvent) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let id = append(db, tx.conn(), at, ev).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact { rows: i64 },
    Broken { row: i64, reason: String },
}

/// Walks the whole chain in id order: every row's seal (under the key whose id it names, or
/// plain SHA-256 for rows from before keys), the links between rows, and the head's seal. Once
/// one row is keyed, an unkeyed row after it is tampering, and the head must carry a seal.
pub async fn verify(db: &Db) -> Result<Verdict> {
    use futures_util::TryStreamExt;
    let keys = &db.audit_keys;
    let mut conn = db.conn().await?;
    let mut expected_id = 1i64;
    let mut prev = GENESIS.to_string();
    let mut keyed_seen = false;
    // The rows stream while they are checked; the connection is free again after.
    let mut chain = Box::pin(rows::chain(&mut conn));
    while let Some(row) = chain.try_next().await? {
        let ChainRow {
            id,
            at,
            actor,
            action,
            division,
            invitation_id,
            client_addr,
            details,
            prev_hash: stored_prev,
            hash: stored,
            key_id,
        } = row;
        if id != expected_id {
            return Ok(Verdict::Broken {
                row: expected_id,
                reason: format!("row {expected_id} is missing (next row is {id})"),
            });
        }
        let key = match &key_id {
            Some(kid) => match keys.find(kid) {
                Some(k) => Some(k),
                None => {
                    return Ok(Verdict::Broken {
                        row: id,
                        reason: format!(
                            "row {id} was sealed with key {kid}, which this server does not have \
                             (set ONBOARD_AUDIT_KEY or ONBOARD_AUDIT_RETIRED_KEYS)"
                        ),
                    })
                }
            },
            None if keyed_seen => {
                return Ok(Verdict::Broken {
                    row: id,
                    reason: format!("row {id} is unsealed after sealed rows"),
                })
            }
            None => None,
        };
        keyed_seen |= key.is_some();
        let computed = RowFields {
            prev: &prev,
            id,
            at,
            actor: actor.as_deref(),
            action: &action,
            division: division.as_deref(),
            invitation_id,
            client_addr: client_addr.as_deref(),
            details: &details,
        }
        .seal(key);
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
    drop(chain);
    let (seq, last, head_mac) = rows::head(&mut conn).await?;
    if seq != expected_id - 1 || last != prev {
        return Ok(Verdict::Broken {
            row: expected_id,
            reason: format!(
                "the trail ends at row {} but {seq} rows were written",
                expected_id - 1
            ),
        });
    }
    // Every append seals the head, so with a key configured an unsealed head over rows is a
    // head someone rewound or stripped (or a trail from before keys that has had no event
    // since the upgrade: the next one seals it).
    if keyed_seen || (seq > 0 && keys.current.is_some()) {
        let sealed_ok = head_mac.as_deref().is_some_and(|m| {
            m.split_once(':')
                .and_then(|(kid, _)| keys.find(kid))
                .is_some_and(|k| head_seal(k, seq, &last) == m)
        });
        if !sealed_ok {
            return Ok(Verdict::Broken {
                row: seq,
                reason: format!(
                    "the trail's head (row {seq}) does not carry a valid seal: rows after it \
                     may have been removed"
                ),
            });
        }
    }
    Ok(Verdict::Intact { rows: seq })
}

/// The audit keys from the configuration: `ONBOARD_AUDIT_KEY`, else a key generated on first
/// start and kept in `ONBOARD_AUDIT_KEY_FILE` (readable by its owner only); retired keys
/// from `ONBOARD_AUDIT_RETIRED_KEYS` (comma-separated) still verify the rows they sealed.
pub fn load_keys(config: &crate::config::Config) -> anyhow::Result<AuditKeys> {
    let current = match &config.audit_key {
        Some(k) => k.clone(),
        None => read_or_create_key(&config.audit_key_file)?,
    };
    if current.len() < 32 {
        anyhow::bail!("ONBOARD_AUDIT_KEY must be at least 32 characters");
    }
    Ok(AuditKeys {
        current: Some(AuditKey::new(current.as_bytes())),
        retired: config
            .audit_retired_keys
            .iter()
            .map(|k| AuditKey::new(k.as_bytes()))
            .collect(),
    })
}

fn read_or_create_key(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context;
    match std::fs::read_to_string(path) {
        Ok(k) if !k.trim().is_empty() => Ok(k.trim().to_string()),
        Ok(_) => anyhow::bail!(
            "the audit key file {} is empty; restore it from a backup (rows it sealed verify \
             only with it)",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let k = crate::auth::random_token();
            write_private(path, &k)
                .with_context(|| format!("writing the audit key to {}", path.display()))?;
            tracing::warn!(
                path = %path.display(),
                "generated an audit key; set ONBOARD_AUDIT_KEY (the same on every instance) to keep it elsewhere"
            );
            Ok(k)
        }
        Err(e) => Err(e).with_context(|| format!("reading the audit key from {}", path.display())),
    }
}

fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(contents.as_bytes())?;
    f.write_all(b"\n")
}
