//! Invitation email: the outbox and its delivery worker.
//!
//! A message is written to `outbox` in the same transaction as the invitation (or the resend's
//! audit row), so it exists exactly when the invitation does, and no request waits on SMTP. The
//! worker claims due rows with a lease (`claimed_until`; on PostgreSQL with `FOR UPDATE SKIP
//! LOCKED`, on SQLite under the single write lock), so several instances never send the same row
//! at once; it retries transient failures with exponential back-off and gives up after
//! `MAX_ATTEMPTS` or on a permanent SMTP refusal, keeping the reason.

use super::access::invitation_for;
use super::mail::render;
use super::{ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::Actor;
use crate::db::outbox::{self as rows, NewMessage};
use crate::db::Conn;
use crate::domain::list_query::{parse_page, parse_per_page, DEFAULT_PER_PAGE};
use crate::domain::mail::InvitationMail;
use crate::domain::{
    authorize, Action, DomainError, Invitation, Lang, MailStatus, OutboxMessage, OutboxPage, Status,
};
use chrono::Duration;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::json;

/// Attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed message is reserved for the worker that claimed it.
const LEASE: Duration = Duration::seconds(120);
const BATCH: i64 = 20;

/// Wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... capped at one hour.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 8) - 1;
    Duration::seconds((30i64 << exp).min(3600))
}

/// Queues the invitation email for an email-bound invitation (inside the caller's transaction).
pub async fn enqueue(
    core: &Core,
    conn: &mut Conn,
    invitation: &Invitation,
    division_id: Option<i64>,
    lang: Lang,
    created_by: i64,
) -> Outcome<Option<OutboxMessage>> {
    let Some(recipient) = invitation.email.clone() else {
        return Ok(None);
    };
    let division_name = match division_id {
        Some(id) => crate::db::divisions::name(&mut *conn, id).await?,
        None => None,
    };
    let mut link = core.config.public_url.clone();
    link.set_path("/join");
    link.query_pairs_mut()
        .clear()
        .append_pair("code", &invitation.code);
    let mail = render(&InvitationMail {
        code: &invitation.code,
        link: link.as_str(),
        division: division_name.as_deref(),
        role: invitation.role,
        expires_at: invitation.expires_at,
        lang,
    });
    let message = rows::insert(
        conn,
        &NewMessage {
            invitation_id: invitation.id,
            recipient: &recipient,
            subject: &mail.subject,
            body: &mail.body,
            lang,
            created_by,
            now: core.now(),
        },
    )
    .await?;
    core.outbox_wake.notify_one();
    Ok(Some(message))
}

/// Queued messages of an invitation that is revoked or deleted are not sent.
pub async fn cancel_for(conn: &mut Conn, invitation_id: i64, reason: &str) -> Outcome<()> {
    Ok(rows::cancel_for(conn, invitation_id, reason).await?)
}

/// The emails of one invitation, newest first (anyone who may view the invitation).
pub async fn for_invitation(core: &Core, actor: &Actor, id: i64) -> Outcome<Vec<OutboxMessage>> {
    let mut c = core.db.conn().await?;
    invitation_for(core, &mut c, actor, id, Action::ViewInvitation).await?;
    Ok(rows::for_invitation(&mut c, id).await?)
}

/// Sends the invitation's email again: admins, and the manager who created it, while it is
/// Active. Audited as `invitation.email_resent`.
pub async fn resend(
    core: &Core,
    actor: &Actor,
    id: i64,
    meta: &ClientMeta,
) -> Outcome<OutboxMessage> {
    let mut tx = core.db.begin_write().await?;
    let row = crate::db::invitations::get(tx.conn(), id, core.now())
        .await?
        .ok_or(DomainError::NotFound)?;
    let own = row.invitation.created_by == actor.username;
    authorize(
        Some(actor.policy()),
        Action::ResendEmail(own),
        row.division_id,
    )?;
    if row.invitation.status != Status::Active {
        return Err(DomainError::NotActive(
            row.invitation.status.as_str().into(),
        ));
    }
    if row.invitation.email.is_none() {
        return Err(DomainError::Conflict(
            "this invitation is not bound to an email address".into(),
        ));
    }
    let message = enqueue(
        core,
        tx.conn(),
        &row.invitation,
        row.division_id,
        meta.lang,
        actor.user_id,
    )
    .await?
    .ok_or(DomainError::Internal)?;
    append(
        &core.db,
        tx.conn(),
        core.now(),
        NewEvent::new("invitation.email_resent")
            .actor(actor.username.clone())
            .division(row.invitation.division.clone())
            .invitation(id)
            .addr(meta.addr.clone())
            .details(json!({ "message_id": message.id, "recipient": message.recipient })),
    )
    .await?;
    tx.commit().await?;
    Ok(message)
}

/// `/admin/outbox` and `GET /api/v1/outbox`: `status`, `page`, `per_page`.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxQuery {
    pub status: Option<MailStatus>,
    pub page: u32,
    pub per_page: u32,
}

impl Default for OutboxQuery {
    fn default() -> Self {
        OutboxQuery {
            status: None,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl OutboxQuery {
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Outcome<OutboxQuery> {
        use crate::domain::Field;
        let mut q = OutboxQuery::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k {
                "status" if v.is_empty() || v == "all" => q.status = None,
                "status" => {
                    q.status = Some(MailStatus::parse(v).ok_or_else(|| {
                        DomainError::invalid(
                            Field::Status,
                            "status: must be queued, sent, failed or all",
                        )
                    })?)
                }
                "page" => q.page = parse_page(v)?,
                "per_page" => q.per_page = parse_per_page(v, 200)?,
                _ => {}
            }
        }
        Ok(q)
    }
}

/// Every message, newest first, optionally one status (admins: `/admin/outbox`).
pub async fn list(core: &Core, actor: &Actor, q: &OutboxQuery) -> Outcome<OutboxPage> {
    authorize(Some(actor.policy()), Action::ViewOutbox, None)?;
    let (items, total) = rows::page(
        &mut *core.db.conn().await?,
        q.status,
        q.per_page as i64,
        (q.page as i64 - 1) * q.per_page as i64,
    )
    .await?;
    Ok(OutboxPage {
        items,
        total,
        page: q.page,
        per_page: q.per_page,
    })
}

/// The SMTP side: a transport from `ONBOARD_SMTP_URL` and the From address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| anyhow::anyhow!("ONBOARD_SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| anyhow::anyhow!("ONBOARD_MAIL_FROM: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// `None` when no SMTP server is configured: messages stay queued in the outbox.
    pub fn from_config(core: &Core) -> anyhow::Result<Option<Mailer>> {
        core.config
            .smtp_url
            .as_deref()
            .map(|url| Mailer::new(url, &core.config.mail_from))
            .transpose()
    }

    /// Ok, or the reason and whether retrying could help.
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), (String, bool)> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| (format!("bad recipient: {e}"), false))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| (format!("could not build the message: {e}"), false))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| (e.to_string(), !e.is_permanent()))
    }
}

/// One pass of the worker: sends what is due and records each outcome. Returns how many were
/// delivered.
pub async fn deliver_due(core: &Core, mailer: &Mailer) -> anyhow::Result<usize> {
    let now = core.now();
    let claimed = {
        let mut tx = core.db.begin_write().await?;
        let claimed = rows::claim_due(tx.conn(), core.db.backend, now, now + LEASE, BATCH).await?;
        tx.commit().await?;
        claimed
    };
    let mut sent = 0;
    for m in claimed {
        let result = mailer.send(&m.recipient, &m.subject, &m.body).await;
        let now = core.now();
        let mut tx = core.db.begin_write().await?;
        match result {
            Ok(()) => {
                sent += 1;
                rows::mark_sent(tx.conn(), m.id, now).await?;
            }
            Err((reason, retry)) => {
                let give_up = !retry || m.attempts >= MAX_ATTEMPTS;
                tracing::warn!(message = m.id, attempts = m.attempts, %reason, give_up, "email not delivered");
                rows::mark_failed(tx.conn(), m.id, &reason, give_up, now + backoff(m.attempts))
                    .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Runs the worker until the process ends: a pass whenever a message is queued (same
/// instance) and at least every `ONBOARD_OUTBOX_POLL_MS` (other instances' messages, retries).
pub fn spawn_worker(core: Core, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    let poll = std::time::Duration::from_millis(core.config.outbox_poll_ms.max(50));
    tokio::spawn(async move {
        loop {
            match deliver_due(&core, &mailer).await {
                // A full batch may mean more is waiting.
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox pass failed"),
            }
            let _ = tokio::time::timeout(poll, core.outbox_wake.notified()).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_thirty_seconds_up_to_an_hour() {
        let secs: Vec<i64> = (1..=9).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
