//! The per-instance first line of the public code check (`GET /redeem/{code}`, the `/join`
//! preview): an in-memory limit per client address, so an ordinary check costs no database
//! write. Behind it the database keeps the shared counter of *failed* checks (codes that do
//! not exist or cannot be used), so guessing is bounded across every instance while valid
//! checks never queue for the writer. With N instances an address gets at most N times the
//! limit of checks in all, but never more than the limit of failures.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

pub struct CheckLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl CheckLimiter {
    /// `per_minute` checks per address: that many at once, then one every `60 / per_minute`
    /// seconds (a token bucket), which never allows more than a fixed window would.
    pub fn new(per_minute: i64) -> Self {
        let n =
            NonZeroU32::new(per_minute.clamp(1, u32::MAX as i64) as u32).unwrap_or(NonZeroU32::MIN);
        CheckLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(n)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one check from `addr`; `Err(seconds to wait)` past the limit.
    pub fn check(&self, addr: &str) -> Result<(), u64> {
        self.limiter
            .check_key(&addr.to_string())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.clock.now());
                wait.as_millis().div_ceil(1000).max(1) as u64
            })
    }

    /// Forgets addresses whose bucket is full again (run with the other housekeeping), so the
    /// map holds only recent clients.
    pub fn forget_idle(&self) -> usize {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
        self.limiter.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_limit_then_waits_and_others_are_not_affected() {
        let l = CheckLimiter::new(3);
        for _ in 0..3 {
            assert_eq!(l.check("10.0.0.1"), Ok(()));
        }
        let wait = l.check("10.0.0.1").unwrap_err();
        assert!(
            (1..=20).contains(&wait),
            "one check back every 20 s: {wait}"
        );
        assert_eq!(l.check("10.0.0.2"), Ok(()), "limits are per address");
        assert_eq!(l.forget_idle(), 2, "both addresses are still recent");
    }
}
