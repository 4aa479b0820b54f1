//! Webhooks, the pure part: which events exist, what an endpoint's URL and event list may be,
//! which addresses a delivery may reach, and when a failed delivery is tried again.

#[cfg(feature = "hydrate")]
use super::wire_time;
use super::{DomainError, Field};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The events an endpoint can subscribe to, as they appear in a delivery's `type`.
pub const EVENTS: [&str; 7] = [
    "invitation.created",
    "invitation.copied",
    "invitation.redeemed",
    "invitation.revoked",
    "invitation.expired",
    "invitation.reported",
    "user.disabled",
];

/// The `type` of a test delivery ("send a ping"); sent to one endpoint, whatever it subscribes.
pub const PING: &str = "webhook.ping";

pub const MAX_URL: usize = 2000;
pub const MAX_DESCRIPTION: usize = 200;

/// Attempts before a delivery is marked failed (the schedule below spans more than a day).
pub const MAX_ATTEMPTS: i64 = 15;

/// An endpoint that has failed without a single success for this long is disabled.
pub fn failing_limit() -> Duration {
    Duration::hours(24)
}

/// Wait after failed attempt `attempts` (1-based): 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h,
/// then 4 h.
pub fn backoff(attempts: i64) -> Duration {
    const STEPS: [i64; 8] = [5, 30, 120, 600, 1800, 3600, 7200, 14400];
    let i = (attempts.max(1) - 1).min(STEPS.len() as i64 - 1) as usize;
    Duration::seconds(STEPS[i])
}

/// An endpoint is `active`, `paused` by an admin, or `disabled` after a day of failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndpointState {
    Active,
    Paused,
    Disabled,
}

impl EndpointState {
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointState::Active => "active",
            EndpointState::Paused => "paused",
            EndpointState::Disabled => "disabled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(EndpointState::Active),
            "paused" => Some(EndpointState::Paused),
            "disabled" => Some(EndpointState::Disabled),
            _ => None,
        }
    }
}

/// A registered endpoint as listed (the secret only once, at creation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub description: Option<String>,
    pub state: EndpointState,
    /// `state == active`.
    pub active: bool,
    /// Since when every delivery has failed (none: the last one succeeded).
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub failing_since: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub created_at: DateTime<Utc>,
}

/// One delivery: an event for one endpoint, tried until it is delivered or fails for good.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    /// The `webhook-id` header; the same on every attempt.
    pub message_id: String,
    pub event: String,
    pub invitation_id: Option<i64>,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    /// The HTTP status of the last attempt, if an answer came.
    pub response_status: Option<i64>,
    pub duration_ms: Option<i64>,
    pub last_error: Option<String>,
    #[cfg_attr(feature = "hydrate", serde(deserialize_with = "wire_time::instant"))]
    pub created_at: DateTime<Utc>,
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub delivered_at: Option<DateTime<Utc>>,
    #[cfg_attr(
        feature = "hydrate",
        serde(default, deserialize_with = "wire_time::optional")
    )]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

#[cfg(feature = "ssr")]
/// Checks an endpoint URL: absolute http(s), a host, no credentials, at most [`MAX_URL`]
/// characters, and (unless `allow_private`) not a literal private, loopback or link-local
/// address nor `localhost`. Names are checked again when a delivery resolves them.
pub fn check_url(raw: &str, allow_private: bool) -> Result<url::Url, DomainError> {
    let bad = |why: &str| DomainError::invalid(Field::Url, format!("url: {why}"));
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(bad("enter the endpoint's address"));
    }
    if raw.chars().count() > MAX_URL {
        return Err(bad("at most 2000 characters"));
    }
    let u = url::Url::parse(raw).map_err(|_| bad("not a valid absolute URL"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(bad("only http and https addresses can receive webhooks"));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(bad("credentials in the address are not allowed"));
    }
    let private = match u.host() {
        None => return Err(bad("the address has no host")),
        Some(url::Host::Ipv4(a)) => !is_public(IpAddr::V4(a)),
        Some(url::Host::Ipv6(a)) => !is_public(IpAddr::V6(a)),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
    };
    if private && !allow_private {
        return Err(bad(
            "private, loopback and link-local addresses cannot receive webhooks",
        ));
    }
    Ok(u)
}

/// Checks a subscription list: known event names, at least one, no repeats (kept in the order
/// of [`EVENTS`]).
pub fn check_events(requested: &[String]) -> Result<Vec<String>, DomainError> {
    for name in requested {
        if !EVENTS.contains(&name.trim()) {
            return Err(DomainError::invalid(
                Field::Events,
                format!(
                    "events: {:?} is not one of {}",
                    name.chars().take(40).collect::<String>(),
                    EVENTS.join(", ")
                ),
            ));
        }
    }
    let list: Vec<String> = EVENTS
        .iter()
        .filter(|e| requested.iter().any(|r| r.trim() == **e))
        .map(|e| e.to_string())
        .collect();
    if list.is_empty() {
        return Err(DomainError::invalid(
            Field::Events,
            "events: choose at least one event",
        ));
    }
    Ok(list)
}

/// An address a delivery may connect to: not loopback, private (RFC 1918, unique local),
/// link-local, shared (CGNAT), unspecified, multicast, broadcast, documentation, benchmarking
/// or reserved; IPv4 inside IPv6 (mapped, NAT64) is judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => public_v4(a),
        IpAddr::V6(a) => public_v6(a),
    }
}

fn public_v4(a: Ipv4Addr) -> bool {
    let [b0, b1, b2, _] = a.octets();
    !(b0 == 0
        || b0 == 10
        || b0 == 127
        || (b0 == 100 && (64..128).contains(&b1))
        || (b0 == 169 && b1 == 254)
        || (b0 == 172 && (16..32).contains(&b1))
        || (b0 == 192 && b1 == 168)
        || (b0 == 192 && b1 == 0 && b2 == 0)
        || (b0 == 192 && b1 == 0 && b2 == 2)
        || (b0 == 198 && (18..20).contains(&b1))
        || (b0 == 198 && b1 == 51 && b2 == 100)
        || (b0 == 203 && b1 == 0 && b2 == 113)
        || b0 >= 224)
}

fn public_v6(a: Ipv6Addr) -> bool {
    if let Some(v4) = a.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let s = a.segments();
    let v4_at =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    // Prefixes that carry an IPv4 address: NAT64 (64:ff9b::/96 and the local-use
    // 64:ff9b:1::/48), IPv4-translated (::ffff:0:0:0/96) and 6to4 (2002::/16).
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6].iter().all(|x| *x == 0) {
        return public_v4(v4_at(s[6], s[7]));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1 {
        return false;
    }
    if s[..4].iter().all(|x| *x == 0) && s[4] == 0xffff && s[5] == 0 {
        return public_v4(v4_at(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return public_v4(v4_at(s[1], s[2]));
    }
    !(a.is_unspecified()
        || a.is_loopback()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[..6].iter().all(|x| *x == 0)) // IPv4-compatible (deprecated) and the like
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_a_delivery_may_reach() {
        for (ip, public) in [
            ("93.184.216.34", true),
            ("8.8.8.8", true),
            ("127.0.0.1", false),
            ("10.1.2.3", false),
            ("172.16.0.1", false),
            ("172.31.255.255", false),
            ("172.32.0.1", true),
            ("192.168.1.1", false),
            ("169.254.169.254", false),
            ("100.64.0.1", false),
            ("0.0.0.0", false),
            ("255.255.255.255", false),
            ("224.0.0.1", false),
            ("198.18.0.1", false),
            ("::1", false),
            ("::", false),
            ("fe80::1", false),
            ("fd00::1", false),
            ("ff02::1", false),
            ("::ffff:127.0.0.1", false),
            ("::ffff:8.8.8.8", true),
            ("64:ff9b::a00:1", false),
            ("2001:db8::1", false),
            ("64:ff9b:1::a00:1", false),
            ("::ffff:0:a00:1", false),
            ("fec0::1", false),
            ("2002:a00:1::1", false),
            ("2002:808:808::1", true),
            ("2606:4700:4700::1111", true),
        ] {
            assert_eq!(is_public(ip.parse().unwrap()), public, "{ip}");
        }
    }

    #[test]
    fn endpoint_urls() {
        for (raw, allow_private, ok) in [
            ("https://hooks.example.com/onboard", false, true),
            ("http://hooks.example.com:8080/x?y=1", false, true),
            ("ftp://hooks.example.com/", false, false),
            ("javascript:alert(1)", false, false),
            ("/relative", false, false),
            ("", false, false),
            ("https://user:pw@hooks.example.com/", false, false),
            ("http://127.0.0.1:9000/", false, false),
            ("http://127.0.0.1:9000/", true, true),
            ("http://[::1]/", false, false),
            ("http://169.254.169.254/latest/meta-data", false, false),
            ("http://localhost/", false, false),
            ("http://api.localhost./", false, false),
            ("http://localhost/", true, true),
            ("http://2130706433/", false, false), // 127.0.0.1 written as a number
        ] {
            let r = check_url(raw, allow_private);
            assert_eq!(r.is_ok(), ok, "{raw} {allow_private}: {r:?}");
            if let Err(e) = r {
                assert_eq!(e.field(), Some(Field::Url));
            }
        }
        assert!(check_url(&format!("https://e.com/{}", "a".repeat(2000)), false).is_err());
    }

    #[test]
    fn event_lists() {
        let ok = check_events(&["user.disabled".into(), "invitation.created".into()]).unwrap();
        assert_eq!(ok, ["invitation.created", "user.disabled"]);
        let dup = check_events(&["invitation.created".into(), "invitation.created".into()]);
        assert_eq!(dup.unwrap(), ["invitation.created"]);
        assert!(check_events(&[]).is_err());
        assert!(check_events(&["invitation.deleted".into()]).is_err());
        assert!(check_events(&[PING.into()]).is_err());
    }

    #[test]
    fn retries_back_off_over_more_than_a_day() {
        let secs: Vec<i64> = (1..=9).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(secs, [5, 30, 120, 600, 1800, 3600, 7200, 14400, 14400]);
        let total: i64 = (1..MAX_ATTEMPTS).map(|a| backoff(a).num_seconds()).sum();
        assert!(total > failing_limit().num_seconds(), "{total}");
    }
}
