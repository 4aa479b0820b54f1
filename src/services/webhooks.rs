//! Webhooks: admins register endpoints; events are queued for them in the transaction that
//! makes the event (`db::webhooks::fan_out`, called by the audit append), and a worker signs
//! and sends them (Standard Webhooks), retrying with back-off, at least once, in order per
//! invitation. A scheduled sweep announces `invitation.expired` once, whatever the number of
//! instances. Deliveries reach public addresses only, unless `ONBOARD_WEBHOOK_ALLOW_PRIVATE=1`.

use super::{ClientMeta, Core, Outcome};
use crate::audit::{append, NewEvent};
use crate::auth::Actor;
use crate::db::webhooks::{self as rows, Attempt, Changes, Claimed};
use crate::domain::list_query::{parse_page, parse_per_page, DEFAULT_PER_PAGE};
use crate::domain::webhook::{
    backoff, check_events, check_url, failing_limit, is_public, Delivery, EndpointState, Webhook,
    MAX_ATTEMPTS, MAX_DESCRIPTION, PING,
};
use crate::domain::{authorize, Action, DomainError, Field};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::Duration;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;
use std::sync::Arc;

/// How long a claimed batch is reserved for its worker: more than the batch's requests can
/// take one after another, and a delivery is not started once too little of it is left.
const LEASE: Duration = Duration::seconds(300);
const BATCH: i64 = 10;
/// The whole request, connection to last byte of the answer's head.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// `POST /webhooks`.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    pub url: Option<String>,
    /// Event names; see `domain::webhook::EVENTS`.
    pub events: Option<Vec<String>>,
    pub description: Option<String>,
}

/// `PATCH /webhooks/{id}`: any of the fields; `active: false` pauses, `true` resumes (also
/// an endpoint disabled after failures).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhook {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    #[serde(default, deserialize_with = "super::invitations::double_option")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub description: Option<Option<String>>,
    pub active: Option<bool>,
}

/// An endpoint as registered: the secret is in here once and shown nowhere else.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookCreated {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `whsec_` and the base64 of 32 random bytes; verify signatures with it.
    pub secret: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryPage {
    pub items: Vec<Delivery>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

fn description(input: Option<&str>) -> Outcome<Option<String>> {
    let d = input
        .map(|d| crate::domain::text::bounded(Field::Description, d, MAX_DESCRIPTION))
        .transpose()?;
    Ok(d.filter(|d| !d.is_empty()).map(str::to_string))
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    format!("whsec_{}", B64.encode(bytes))
}

pub async fn create(
    core: &Core,
    actor: &Actor,
    input: &NewWebhook,
    meta: &ClientMeta,
) -> Outcome<WebhookCreated> {
    authorize(Some(actor.policy()), Action::ManageWebhooks, None)?;
    let url = check_url(
        input.url.as_deref().unwrap_or(""),
        core.config.webhook_allow_private,
    )?;
    let events = check_events(input.events.as_deref().unwrap_or(&[]))?;
    let description = description(input.description.as_deref())?;
    let secret = new_secret();
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let id = rows::insert(
        tx.conn(),
        &rows::NewWebhook {
            url: url.as_str(),
            events: &events,
            description: description.as_deref(),
            secret: &secret,
            created_by: actor.user_id,
            now,
        },
    )
    .await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("webhook.created")
            .actor(actor.username.clone())
            .addr(meta.addr.clone())
            .details(json!({ "webhook_id": id, "url": url.as_str(), "events": events })),
    )
    .await?;
    let webhook = rows::get(tx.conn(), id)
        .await?
        .ok_or(DomainError::Internal)?;
    tx.commit().await?;
    Ok(WebhookCreated { webhook, secret })
}

pub async fn list(core: &Core, actor: &Actor) -> Outcome<Vec<Webhook>> {
    authorize(Some(actor.policy()), Action::ManageWebhooks, None)?;
    Ok(rows::list(&mut *core.db.conn().await?).await?)
}

pub async fn get(core: &Core, actor: &Actor, id: i64) -> Outcome<Webhook> {
    authorize(Some(actor.policy()), Action::ManageWebhooks, None)?;
    rows::get(&mut *core.db.conn().await?, id)
        .await?
        .ok_or(DomainError::NotFound)
}

pub async fn update(
    core: &Core,
    actor: &Actor,
    id: i64,
    input: &UpdateWebhook,
    meta: &ClientMeta,
) -> Outcome<Webhook> {
    authorize(Some(actor.policy()), Action::ManageWebhooks, None)?;
    let url = input
        .url
        .as_deref()
        .map(|u| check_url(u, core.config.webhook_allow_private))
        .transpose()?;
    let events = input.events.as_deref().map(check_events).transpose()?;
    let description = match &input.description {
        None => None,
        Some(d) => Some(description(d.as_deref())?),
    };
    let state = input.active.map(|a| {
        if a {
            EndpointState::Active
        } else {
            EndpointState::Paused
        }
    });
    let mut tx = core.db.begin_write().await?;
    let changed = rows::update(
        tx.conn(),
        id,
        &Changes {
            url: url.as_ref().map(|u| u.as_str()),
            events: events.as_deref(),
            description: description.as_ref().map(|d| d.as_deref()),
            state,
        },
    )
    .await?;
    if !changed {
        return Err(DomainError::NotFound);
    }
    append(
        &core.db,
        tx.conn(),
        core.now(),
        NewEvent::new("webhook.updated")
            .actor(actor.username.clone())
            .addr(meta.addr.clone())
            .details(json!({
                "webhook_id": id,
                "url": url.as_ref().map(|u| u.as_str()),
                "events": events,
                "state": state.map(|s| s.as_str()),
            })),
    )
    .await?;
    let webhook = rows::get(tx.conn(), id)
        .await?
        .ok_or(DomainError::NotFound)?;
    tx.commit().await?;
    Ok(webhook)
}

pub async fn delete(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<()> {
    authorize(Some(actor.policy()), Action::ManageWebhooks, None)?;
    let mut tx = core.db.begin_write().await?;
    let Some(w) = rows::get(tx.conn(), id).await? else {
        return Err(DomainError::NotFound);
    };
    rows::delete(tx.conn(), id).await?;
    append(
        &core.db,
        tx.conn(),
        core.now(),
        NewEvent::new("webhook.deleted")
            .actor(actor.username.clone())
            .addr(meta.addr.clone())
            .details(json!({ "webhook_id": id, "url": w.url })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues a `webhook.ping` for one endpoint (sent even while it is paused or disabled, so an
/// admin can test it before resuming).
pub async fn ping(core: &Core, actor: &Actor, id: i64) -> Outcome<Delivery> {
    authorize(Some(actor.policy()), Action::ManageWebhooks, None)?;
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    if rows::get(tx.conn(), id).await?.is_none() {
        return Err(DomainError::NotFound);
    }
    let payload = rows::envelope(
        PING,
        now,
        json!({ "webhook_id": id, "actor": actor.username }),
    );
    let delivery_id = rows::insert_delivery(tx.conn(), id, PING, None, &payload, now).await?;
    let delivery = rows::delivery(tx.conn(), delivery_id)
        .await?
        .ok_or(DomainError::Internal)?;
    tx.commit().await?;
    core.webhook_wake.notify_one();
    Ok(delivery)
}

/// `page`, `per_page` of one endpoint's deliveries, newest first.
pub async fn deliveries<'a>(
    core: &Core,
    actor: &Actor,
    id: i64,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Outcome<DeliveryPage> {
    authorize(Some(actor.policy()), Action::ManageWebhooks, None)?;
    let (mut page, mut per_page) = (1u32, DEFAULT_PER_PAGE);
    for (k, v) in pairs {
        match k {
            "page" => page = parse_page(v.trim())?,
            "per_page" => per_page = parse_per_page(v.trim(), 200)?,
            _ => {}
        }
    }
    let mut c = core.db.conn().await?;
    if rows::get(&mut c, id).await?.is_none() {
        return Err(DomainError::NotFound);
    }
    let (items, total) = rows::deliveries(
        &mut c,
        id,
        per_page as i64,
        (page as i64 - 1) * per_page as i64,
    )
    .await?;
    Ok(DeliveryPage {
        items,
        total,
        page,
        per_page,
    })
}

/// The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256, under the secret's bytes
/// (the base64 after `whsec_`), of `id.timestamp.body`.
pub fn sign(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = B64
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).ok()?;
    mac.update(format!("{message_id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Some(format!("v1,{}", B64.encode(mac.finalize().into_bytes())))
}

/// Resolves names for deliveries, keeping only addresses a webhook may reach; a name that
/// resolves only to private addresses fails, so a DNS answer cannot point a delivery inside.
struct PublicOnly {
    allow_private: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let addrs: Vec<std::net::SocketAddr> = found
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{} has no public address", name.as_str()).into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The HTTP side of deliveries: no redirects, bounded time, public addresses only.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

/// An attempt's result: the answer's status (if one came), and why it failed, with whether
/// trying again could help.
struct Sent {
    status: Option<u16>,
    failure: Option<(String, bool)>,
}

impl Sender {
    pub fn new(allow_private: bool) -> anyhow::Result<Sender> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(std::time::Duration::from_secs(5))
            .dns_resolver(Arc::new(PublicOnly { allow_private }))
            // A proxy from the environment would resolve names itself, past the check above.
            .no_proxy()
            .user_agent(concat!("onboard-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Sender {
            client,
            allow_private,
        })
    }

    async fn send(&self, d: &Claimed, timestamp: i64) -> Sent {
        let fail = |why: String, retry: bool| Sent {
            status: None,
            failure: Some((why, retry)),
        };
        // Addresses written as IP literals never reach the resolver: judged here.
        match url::Url::parse(&d.url) {
            Ok(u) => {
                let ip = match u.host() {
                    Some(url::Host::Ipv4(a)) => Some(std::net::IpAddr::V4(a)),
                    Some(url::Host::Ipv6(a)) => Some(std::net::IpAddr::V6(a)),
                    _ => None,
                };
                if ip.is_some_and(|ip| !self.allow_private && !is_public(ip)) {
                    return fail("the address is private".into(), false);
                }
            }
            Err(_) => return fail("the address is not a valid URL".into(), false),
        }
        let Some(signature) = sign(&d.secret, &d.message_id, timestamp, &d.payload) else {
            return fail("the endpoint's secret is unusable".into(), false);
        };
        let sent = self
            .client
            .post(&d.url)
            .header("content-type", "application/json")
            .header("webhook-id", &d.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(d.payload.clone())
            .send()
            .await;
        match sent {
            // The answer's body is never read: only its status counts.
            Ok(r) if r.status().is_success() => Sent {
                status: Some(r.status().as_u16()),
                failure: None,
            },
            Ok(r) => {
                let s = r.status();
                let why = if s.is_redirection() {
                    format!("HTTP {} (redirects are not followed)", s.as_u16())
                } else {
                    format!("HTTP {}", s.as_u16())
                };
                Sent {
                    status: Some(s.as_u16()),
                    failure: Some((why, true)),
                }
            }
            Err(e) => {
                let why = if e.is_timeout() {
                    "timed out".to_string()
                } else if e.is_connect() {
                    format!("could not connect: {}", root_cause(&e))
                } else {
                    root_cause(&e)
                };
                fail(why, true)
            }
        }
    }
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string().chars().take(200).collect()
}

/// One pass of the worker: sends what is due and records each outcome. Returns how many were
/// delivered.
pub async fn deliver_due(core: &Core, sender: &Sender) -> anyhow::Result<usize> {
    let now = core.now();
    // Most passes find nothing: they read, and leave SQLite's one writer to the requests.
    if !rows::any_due(&mut *core.db.conn().await?, now).await? {
        return Ok(0);
    }
    let claimed = {
        let mut tx = core.db.begin_write().await?;
        let claimed = rows::claim_due(tx.conn(), core.db.backend, now, now + LEASE, BATCH).await?;
        tx.commit().await?;
        claimed
    };
    let mut delivered = 0;
    let timeout = Duration::from_std(TIMEOUT).unwrap_or(Duration::seconds(10));
    for d in claimed {
        // Too little of the lease left for one more request: the rest goes back to the pool
        // when the lease ends, rather than risking a second worker sending it too.
        if core.now() + timeout + Duration::seconds(5) >= d.lease_until {
            break;
        }
        let started = std::time::Instant::now();
        let result = sender.send(&d, core.now().timestamp()).await;
        let attempt = Attempt {
            response_status: result.status,
            duration_ms: started.elapsed().as_millis() as i64,
            error: result.failure.as_ref().map(|(why, _)| why.as_str()),
        };
        let now = core.now();
        let mut tx = core.db.begin_write().await?;
        match &result.failure {
            None => {
                if rows::mark_delivered(tx.conn(), &d, &attempt, now).await? {
                    delivered += 1;
                }
            }
            Some((why, retry)) => {
                let give_up = !retry || d.attempts >= MAX_ATTEMPTS;
                tracing::warn!(delivery = d.id, attempts = d.attempts, reason = %why, give_up, "webhook not delivered");
                let disabled = rows::mark_failed(
                    tx.conn(),
                    &d,
                    &attempt,
                    give_up,
                    now + backoff(d.attempts),
                    now,
                    failing_limit(),
                )
                .await?;
                if disabled {
                    tracing::warn!(
                        webhook = d.webhook_id,
                        "webhook endpoint disabled after a day of failures"
                    );
                    append(
                        &core.db,
                        tx.conn(),
                        now,
                        NewEvent::new("webhook.disabled").details(json!({
                            "webhook_id": d.webhook_id,
                            "url": d.url,
                            "reason": "failing for a day",
                        })),
                    )
                    .await?;
                }
            }
        }
        tx.commit().await?;
    }
    Ok(delivered)
}

/// Announces `invitation.expired` for the codes whose expiry passed since the last sweep, by
/// whichever instance gets the watermark first; the next one finds the span already swept.
/// Returns how many codes were announced.
pub async fn sweep_expired(core: &Core) -> crate::db::Result<usize> {
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let Some(from) = rows::lock_sweep(tx.conn(), now).await? else {
        tx.commit().await?;
        return Ok(0);
    };
    if from >= now {
        return Ok(0);
    }
    let mut announced = 0;
    // Looked up once for the whole span (no subscriber: the sweep only moves on).
    let endpoints = rows::subscribers(tx.conn(), "invitation.expired").await?;
    if !endpoints.is_empty() {
        let details = json!({});
        for (id, division) in rows::expired_between(tx.conn(), from, now).await? {
            let ev = rows::Event {
                action: "invitation.expired",
                actor: None,
                division: division.as_deref(),
                invitation_id: Some(id),
                details: &details,
                at: now,
            };
            rows::fan_out_to(tx.conn(), &ev, &endpoints).await?;
            announced += 1;
        }
    }
    rows::set_sweep(tx.conn(), now).await?;
    tx.commit().await?;
    Ok(announced)
}

/// Runs deliveries and the expiry sweep until the process ends: a delivery pass at least every
/// `ONBOARD_WEBHOOK_POLL_MS` (sooner after a ping on this instance), a sweep every
/// `ONBOARD_WEBHOOK_SWEEP_MS`.
pub fn spawn_worker(core: Core) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let sender = Sender::new(core.config.webhook_allow_private)?;
    let poll = std::time::Duration::from_millis(core.config.webhook_poll_ms.max(20));
    let sweep_every = std::time::Duration::from_millis(core.config.webhook_sweep_ms.max(20));
    Ok(tokio::spawn(async move {
        let mut last_sweep: Option<std::time::Instant> = None;
        loop {
            if last_sweep.is_none_or(|t| t.elapsed() >= sweep_every) {
                last_sweep = Some(std::time::Instant::now());
                if let Err(e) = sweep_expired(&core).await {
                    tracing::error!(error = %e, "webhook expiry sweep failed");
                }
            }
            match deliver_due(&core, &sender).await {
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "webhook pass failed"),
            }
            let _ = tokio::time::timeout(poll, core.webhook_wake.notified()).await;
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example from the Standard Webhooks specification.
    #[test]
    fn signatures_match_the_standard_webhooks_example() {
        assert_eq!(
            sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                r#"{"test": 2432232314}"#
            )
            .as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn a_secret_is_32_random_bytes_after_its_prefix() {
        let a = new_secret();
        let b = new_secret();
        assert_ne!(a, b);
        let bytes = B64.decode(a.strip_prefix("whsec_").unwrap()).unwrap();
        assert_eq!(bytes.len(), 32);
    }
}
