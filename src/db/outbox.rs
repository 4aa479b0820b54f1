//! The email outbox: messages written with the change that causes them, claimed by a worker
//! with a lease, and marked sent or failed.

use super::sql::Params;
use super::{col, Backend, Conn, Result};
use crate::clock::from_ms;
use crate::domain::{Lang, MailStatus, OutboxMessage};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, invitation_id, recipient, subject, body, lang, status, \
     attempts, last_error, next_attempt_at, created_at, sent_at";

fn map(row: &AnyRow) -> Result<OutboxMessage> {
    let status: String = col(row, "status")?;
    let status = MailStatus::parse(&status).unwrap_or(MailStatus::Queued);
    let lang: String = col(row, "lang")?;
    let next: i64 = col(row, "next_attempt_at")?;
    Ok(OutboxMessage {
        id: col(row, "id")?,
        invitation_id: col(row, "invitation_id")?,
        recipient: col(row, "recipient")?,
        subject: col(row, "subject")?,
        body: col(row, "body")?,
        lang: Lang::parse(&lang).unwrap_or_default(),
        status,
        attempts: col(row, "attempts")?,
        last_error: col(row, "last_error")?,
        next_attempt_at: (status == MailStatus::Queued).then(|| from_ms(next)),
        created_at: from_ms(col(row, "created_at")?),
        sent_at: col::<Option<i64>>(row, "sent_at")?.map(from_ms),
    })
}

pub struct NewMessage<'a> {
    pub invitation_id: i64,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub lang: Lang,
    pub created_by: i64,
    pub now: DateTime<Utc>,
}

/// Queues a message, due at once.
pub async fn insert(c: &mut Conn, m: &NewMessage<'_>) -> Result<OutboxMessage> {
    let now = m.now.timestamp_millis();
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO outbox (invitation_id, recipient, subject, body, lang, status, attempts, \
         next_attempt_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $7, $8) RETURNING {COLUMNS}"
    )))
    .bind(m.invitation_id)
    .bind(m.recipient)
    .bind(m.subject)
    .bind(m.body)
    .bind(m.lang.tag())
    .bind(now)
    .bind(m.created_by)
    .bind(now)
    .fetch_one(c)
    .await?;
    map(&row)
}

/// Fails the still-queued messages of one invitation with `reason`.
pub async fn cancel_for(c: &mut Conn, invitation_id: i64, reason: &str) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'failed', last_error = $1, claimed_until = NULL \
         WHERE invitation_id = $2 AND status = 'queued'",
    )
    .bind(reason)
    .bind(invitation_id)
    .execute(c)
    .await?;
    Ok(())
}

/// The messages of one invitation, newest first.
pub async fn for_invitation(c: &mut Conn, invitation_id: i64) -> Result<Vec<OutboxMessage>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM outbox WHERE invitation_id = $1 ORDER BY id DESC"
    )))
    .bind(invitation_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(map)
    .collect()
}

/// One page of every message (or one status), newest first, and how many there are.
pub async fn page(
    c: &mut Conn,
    status: Option<MailStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OutboxMessage>, i64)> {
    let mut p = Params::default();
    let filter = match status {
        Some(s) => format!("WHERE status = {}", p.text(s.as_str())),
        None => String::new(),
    };
    let total: i64 = col(
        &p.bind(sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM outbox {filter}"
        ))))
        .fetch_one(&mut *c)
        .await?,
        "n",
    )?;
    let sql = format!(
        "SELECT {COLUMNS} FROM outbox {filter} ORDER BY id DESC LIMIT {} OFFSET {}",
        p.int(limit),
        p.int(offset)
    );
    let items = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(c)
        .await?
        .iter()
        .map(map)
        .collect::<Result<_>>()?;
    Ok((items, total))
}

/// A message reserved for one worker.
pub struct Claimed {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Including this one.
    pub attempts: i64,
}

/// Reserves up to `batch` due messages until `lease_until`, counting the attempt. On
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
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $2 \
           AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3 {lock}) \
         RETURNING id, recipient, subject, body, attempts"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lease_until.timestamp_millis())
        .bind(now.timestamp_millis())
        .bind(batch)
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(Claimed {
                id: col(r, "id")?,
                recipient: col(r, "recipient")?,
                subject: col(r, "subject")?,
                body: col(r, "body")?,
                attempts: col(r, "attempts")?,
            })
        })
        .collect()
}

pub async fn mark_sent(c: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, claimed_until = NULL, \
         last_error = NULL WHERE id = $2",
    )
    .bind(now.timestamp_millis())
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Records a failed attempt: queued again from `retry_at`, or failed for good.
pub async fn mark_failed(
    c: &mut Conn,
    id: i64,
    reason: &str,
    give_up: bool,
    retry_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = $1, last_error = $2, claimed_until = NULL, \
         next_attempt_at = $3 WHERE id = $4",
    )
    .bind(if give_up { "failed" } else { "queued" })
    .bind(reason)
    .bind(retry_at.timestamp_millis())
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}
