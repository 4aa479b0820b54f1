//! Webhook endpoints, their deliveries and the expiry sweep's watermark.
//!
//! A delivery row is written by [`fan_out_to`] inside the transaction of the event it reports, so
//! it exists exactly when the event does. Workers claim due rows with a lease; a delivery waits
//! while an earlier delivery of the same invitation to the same endpoint is still pending, so
//! an endpoint sees one invitation's events in the order they happened.

use super::{col, Backend, Conn, Result};
use crate::clock::from_ms;
use crate::domain::webhook::{Delivery, EndpointState, Webhook, PING};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::any::AnyRow;

const COLUMNS: &str = "w.id, w.url, w.events, w.description, w.state, w.failing_since, \
     w.created_at, u.username AS created_by";
const FROM: &str = "FROM webhooks w LEFT JOIN users u ON u.id = w.created_by";

fn map(row: &AnyRow) -> Result<Webhook> {
    let events: String = col(row, "events")?;
    let state: String = col(row, "state")?;
    let state = EndpointState::parse(&state).unwrap_or(EndpointState::Paused);
    Ok(Webhook {
        id: col(row, "id")?,
        url: col(row, "url")?,
        events: events.split_whitespace().map(str::to_string).collect(),
        description: col(row, "description")?,
        state,
        active: state == EndpointState::Active,
        failing_since: col::<Option<i64>>(row, "failing_since")?.map(from_ms),
        created_by: col(row, "created_by")?,
        created_at: from_ms(col(row, "created_at")?),
    })
}

pub struct NewWebhook<'a> {
    pub url: &'a str,
    pub events: &'a [String],
    pub description: Option<&'a str>,
    pub secret: &'a str,
    pub created_by: i64,
    pub now: DateTime<Utc>,
}

pub async fn insert(c: &mut Conn, w: &NewWebhook<'_>) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO webhooks (url, events, description, secret, state, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 'active', $5, $6) RETURNING id",
    )
    .bind(w.url)
    .bind(w.events.join(" "))
    .bind(w.description)
    .bind(w.secret)
    .bind(w.created_by)
    .bind(w.now.timestamp_millis())
    .fetch_one(c)
    .await?;
    col(&row, "id")
}

pub async fn list(c: &mut Conn) -> Result<Vec<Webhook>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} {FROM} ORDER BY w.id"
    )))
    .fetch_all(c)
    .await?
    .iter()
    .map(map)
    .collect()
}

pub async fn get(c: &mut Conn, id: i64) -> Result<Option<Webhook>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} {FROM} WHERE w.id = $1"
    )))
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| map(&r))
    .transpose()
}

/// What an edit changes (`None`: left as it is).
#[derive(Default)]
pub struct Changes<'a> {
    pub url: Option<&'a str>,
    pub events: Option<&'a [String]>,
    pub description: Option<Option<&'a str>>,
    pub state: Option<EndpointState>,
}

/// Applies an edit; resuming an endpoint forgets its failures.
pub async fn update(c: &mut Conn, id: i64, ch: &Changes<'_>) -> Result<bool> {
    let events = ch.events.map(|e| e.join(" "));
    let done = sqlx::query(
        "UPDATE webhooks SET url = COALESCE($1, url), events = COALESCE($2, events), \
         description = CASE WHEN $3 = 1 THEN $4 ELSE description END, \
         state = COALESCE($5, state), \
         failing_since = CASE WHEN $5 = 'active' THEN NULL ELSE failing_since END \
         WHERE id = $6",
    )
    .bind(ch.url)
    .bind(events)
    .bind(ch.description.is_some() as i64)
    .bind(ch.description.flatten())
    .bind(ch.state.map(|s| s.as_str()))
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes an endpoint and, with it, its deliveries.
pub async fn delete(c: &mut Conn, id: i64) -> Result<bool> {
    sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    let done = sqlx::query("DELETE FROM webhooks WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The active webhook endpoints, each with the events it subscribes to (space-separated);
/// read with [`active`].
pub(super) const ACTIVE: &str = "SELECT id, events FROM webhooks WHERE state = 'active'";

/// The rows of [`ACTIVE`] as `(id, events)`.
pub(super) fn active<'r>(rows: impl IntoIterator<Item = &'r AnyRow>) -> Result<Vec<(i64, String)>> {
    rows.into_iter()
        .map(|r| Ok((col(r, "id")?, col(r, "events")?)))
        .collect()
}

/// The active endpoints subscribed to `event`.
pub async fn subscribers(c: &mut Conn, event: &str) -> Result<Vec<i64>> {
    let rows = sqlx::query(ACTIVE).fetch_all(c).await?;
    Ok(subscribed(&active(&rows)?, event))
}

/// The endpoints among `hooks` (the active webhooks, read with the audit chain's head)
/// subscribed to `event`.
pub fn subscribed(hooks: &[(i64, String)], event: &str) -> Vec<i64> {
    hooks
        .iter()
        .filter(|(_, events)| events.split_whitespace().any(|e| e == event))
        .map(|(id, _)| *id)
        .collect()
}

/// A random message id (`webhook-id`), stable over a delivery's retries.
fn message_id() -> String {
    format!("msg_{}", hex::encode(rand::random::<[u8; 16]>()))
}

/// The JSON body of a delivery: Standard Webhooks' `type`, `timestamp` and `data`.
pub fn envelope(event: &str, at: DateTime<Utc>, data: Value) -> String {
    json!({
        "type": event,
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    })
    .to_string()
}

pub async fn insert_delivery(
    c: &mut Conn,
    webhook_id: i64,
    event: &str,
    invitation_id: Option<i64>,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO webhook_deliveries (webhook_id, message_id, event, invitation_id, payload, \
         status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) RETURNING id",
    )
    .bind(webhook_id)
    .bind(message_id())
    .bind(event)
    .bind(invitation_id)
    .bind(payload)
    .bind(now.timestamp_millis())
    .fetch_one(c)
    .await?;
    col(&row, "id")
}

/// An event as the audit trail records it, for [`fan_out_to`].
pub struct Event<'a> {
    pub action: &'a str,
    pub actor: Option<&'a str>,
    pub division: Option<&'a str>,
    pub invitation_id: Option<i64>,
    pub details: &'a Value,
    pub at: DateTime<Utc>,
}

/// Queues a delivery of `ev` for the active endpoints subscribed to it, looked up with
/// [`subscribers`] (once per audit chain, or once for a sweep announcing many events of one
/// kind), inside the caller's transaction. An invitation event carries the invitation as the
/// API shows it after the change, without its code.
pub async fn fan_out_to(c: &mut Conn, ev: &Event<'_>, endpoints: &[i64]) -> Result<usize> {
    if endpoints.is_empty() {
        return Ok(0);
    }
    let mut data = json!({ "actor": ev.actor, "division": ev.division });
    match ev.invitation_id {
        Some(id) => {
            // Everything but the code itself: a redeemable secret does not leave for
            // third parties (and could cross plain http).
            let invitation = super::invitations::get(&mut *c, id, ev.at)
                .await?
                .map(|row| {
                    let mut v = json!(row.invitation);
                    if let Some(o) = v.as_object_mut() {
                        o.remove("code");
                    }
                    v
                });
            data["invitation"] = invitation.unwrap_or(Value::Null);
        }
        None => {
            if let Some(username) = ev.details.get("username") {
                data["user"] = json!({ "username": username });
            }
        }
    }
    let payload = envelope(ev.action, ev.at, data);
    for id in endpoints {
        insert_delivery(&mut *c, *id, ev.action, ev.invitation_id, &payload, ev.at).await?;
    }
    Ok(endpoints.len())
}

/// Whether any delivery may be due (a read through the due index: an idle worker takes no
/// write lock). Leases and endpoint states are left to [`claim_due`].
pub async fn any_due(c: &mut Conn, now: DateTime<Utc>) -> Result<bool> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM webhook_deliveries \
         WHERE status = 'pending' AND next_attempt_at <= $1 LIMIT 1",
    )
    .bind(now.timestamp_millis())
    .fetch_optional(c)
    .await?
    .is_some())
}

/// A delivery reserved for one worker, with what sending it needs.
pub struct Claimed {
    pub id: i64,
    pub webhook_id: i64,
    pub url: String,
    pub secret: String,
    pub message_id: String,
    pub payload: String,
    /// Including this one.
    pub attempts: i64,
    /// The lease this claim holds; results are recorded only while it is still this one.
    pub lease_until: DateTime<Utc>,
}

/// Reserves up to `batch` due deliveries until `lease_until`, counting the attempt. A delivery
/// is due when its time has come, its endpoint is active (a ping goes out regardless), and no
/// earlier delivery of the same invitation to the same endpoint is still pending. On
/// PostgreSQL rows another worker is claiming are skipped; SQLite runs this under its one
/// write lock.
pub async fn claim_due(
    c: &mut Conn,
    backend: Backend,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    batch: i64,
) -> Result<Vec<Claimed>> {
    let lock = match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE webhook_deliveries SET claimed_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT d.id FROM webhook_deliveries d \
           WHERE d.status = 'pending' AND d.next_attempt_at <= $2 \
           AND (d.claimed_until IS NULL OR d.claimed_until <= $2) \
           AND (d.event = '{PING}' OR EXISTS (SELECT 1 FROM webhooks w \
                WHERE w.id = d.webhook_id AND w.state = 'active')) \
           AND (d.invitation_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_deliveries e \
                WHERE e.webhook_id = d.webhook_id AND e.invitation_id = d.invitation_id \
                AND e.status = 'pending' AND e.id < d.id)) \
           ORDER BY d.id LIMIT $3 {lock}) \
         RETURNING id, webhook_id, message_id, payload, attempts"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lease_until.timestamp_millis())
        .bind(now.timestamp_millis())
        .bind(batch)
        .fetch_all(&mut *c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    // A batch often holds several deliveries for one endpoint: each endpoint is read once.
    let mut endpoints: std::collections::HashMap<i64, (String, String)> = Default::default();
    for r in &rows {
        let webhook_id: i64 = col(r, "webhook_id")?;
        let (url, secret) = match endpoints.entry(webhook_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let w = sqlx::query("SELECT url, secret FROM webhooks WHERE id = $1")
                    .bind(webhook_id)
                    .fetch_one(&mut *c)
                    .await?;
                slot.insert((col(&w, "url")?, col(&w, "secret")?)).clone()
            }
        };
        out.push(Claimed {
            id: col(r, "id")?,
            webhook_id,
            url,
            secret,
            message_id: col(r, "message_id")?,
            payload: col(r, "payload")?,
            attempts: col(r, "attempts")?,
            lease_until,
        });
    }
    out.sort_by_key(|d| d.id);
    Ok(out)
}

/// How an attempt went.
pub struct Attempt<'a> {
    pub response_status: Option<u16>,
    pub duration_ms: i64,
    pub error: Option<&'a str>,
}

/// Records a delivery; `false` (nothing changed) when the claim's lease was lost meanwhile.
pub async fn mark_delivered(
    c: &mut Conn,
    d: &Claimed,
    a: &Attempt<'_>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $1, \
         claimed_until = NULL, response_status = $2, duration_ms = $3, last_error = NULL \
         WHERE id = $4 AND status = 'pending' AND claimed_until = $5",
    )
    .bind(now.timestamp_millis())
    .bind(a.response_status.map(i64::from))
    .bind(a.duration_ms)
    .bind(d.id)
    .bind(d.lease_until.timestamp_millis())
    .execute(&mut *c)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("UPDATE webhooks SET failing_since = NULL WHERE id = $1")
        .bind(d.webhook_id)
        .execute(c)
        .await?;
    Ok(true)
}

/// Records a failed attempt (pending again from `retry_at`, or failed for good) and notes the
/// endpoint as failing. Answers whether the endpoint has now failed for `limit` without a
/// success, and so was disabled by this call.
#[allow(clippy::too_many_arguments)]
pub async fn mark_failed(
    c: &mut Conn,
    d: &Claimed,
    a: &Attempt<'_>,
    give_up: bool,
    retry_at: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: chrono::Duration,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, last_error = $2, claimed_until = NULL, \
         next_attempt_at = $3, response_status = $4, duration_ms = $5 \
         WHERE id = $6 AND status = 'pending' AND claimed_until = $7",
    )
    .bind(if give_up { "failed" } else { "pending" })
    .bind(a.error)
    .bind(retry_at.timestamp_millis())
    .bind(a.response_status.map(i64::from))
    .bind(a.duration_ms)
    .bind(d.id)
    .bind(d.lease_until.timestamp_millis())
    .execute(&mut *c)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let now_ms = now.timestamp_millis();
    sqlx::query("UPDATE webhooks SET failing_since = COALESCE(failing_since, $1) WHERE id = $2")
        .bind(now_ms)
        .bind(d.webhook_id)
        .execute(&mut *c)
        .await?;
    let done = sqlx::query(
        "UPDATE webhooks SET state = 'disabled' \
         WHERE id = $1 AND state = 'active' AND failing_since <= $2",
    )
    .bind(d.webhook_id)
    .bind(now_ms - limit.num_milliseconds())
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

const DELIVERY_COLUMNS: &str = "id, message_id, event, invitation_id, status, attempts, \
     response_status, duration_ms, last_error, created_at, delivered_at, next_attempt_at";

fn map_delivery(r: &AnyRow) -> Result<Delivery> {
    let status: String = col(r, "status")?;
    let next: i64 = col(r, "next_attempt_at")?;
    Ok(Delivery {
        id: col(r, "id")?,
        message_id: col(r, "message_id")?,
        event: col(r, "event")?,
        invitation_id: col(r, "invitation_id")?,
        next_attempt_at: (status == "pending").then(|| from_ms(next)),
        status,
        attempts: col(r, "attempts")?,
        response_status: col(r, "response_status")?,
        duration_ms: col(r, "duration_ms")?,
        last_error: col(r, "last_error")?,
        created_at: from_ms(col(r, "created_at")?),
        delivered_at: col::<Option<i64>>(r, "delivered_at")?.map(from_ms),
    })
}

pub async fn delivery(c: &mut Conn, id: i64) -> Result<Option<Delivery>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| map_delivery(&r))
    .transpose()
}

/// One endpoint's deliveries, newest first, and how many there are.
pub async fn deliveries(
    c: &mut Conn,
    webhook_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Delivery>, i64)> {
    let total: i64 = col(
        &sqlx::query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = $1")
            .bind(webhook_id)
            .fetch_one(&mut *c)
            .await?,
        "n",
    )?;
    let items = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 \
         ORDER BY id DESC LIMIT $2 OFFSET $3"
    )))
    .bind(webhook_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await?
    .iter()
    .map(map_delivery)
    .collect::<Result<_>>()?;
    Ok((items, total))
}

/// Takes the sweep's watermark for this transaction (the row stays locked until commit, so
/// two instances never sweep the same span). `None` on the first sweep, which starts the
/// watermark at `now`: codes that expired before webhooks existed are not announced.
pub async fn lock_sweep(c: &mut Conn, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let row = sqlx::query(
        "UPDATE webhook_sweep SET swept_until = swept_until WHERE id = 1 RETURNING swept_until",
    )
    .fetch_optional(&mut *c)
    .await?;
    match row {
        Some(r) => Ok(Some(from_ms(col(&r, "swept_until")?))),
        None => {
            sqlx::query(
                "INSERT INTO webhook_sweep (id, swept_until) VALUES (1, $1) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(now.timestamp_millis())
            .execute(c)
            .await?;
            Ok(None)
        }
    }
}

pub async fn set_sweep(c: &mut Conn, until: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE webhook_sweep SET swept_until = $1 WHERE id = 1")
        .bind(until.timestamp_millis())
        .execute(c)
        .await?;
    Ok(())
}

/// Codes whose expiry passed in `(after, until]` and that were still unused and unrevoked,
/// in expiry order.
pub async fn expired_between(
    c: &mut Conn,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(i64, Option<String>)>> {
    sqlx::query(
        "SELECT i.id, d.slug FROM invitations i LEFT JOIN divisions d ON d.id = i.division_id \
         WHERE i.expires_at > $1 AND i.expires_at <= $2 \
         AND i.used_at IS NULL AND i.revoked_at IS NULL ORDER BY i.expires_at, i.id",
    )
    .bind(after.timestamp_millis())
    .bind(until.timestamp_millis())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((col(r, "id")?, col(r, "slug")?)))
    .collect()
}
