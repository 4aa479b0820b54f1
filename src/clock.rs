//! The server's clock. Production reads the system time; tests shift it to cross expiry
//! instants exactly, without sleeping.

use chrono::{DateTime, Duration, SubsecRound, TimeZone, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Default, Debug)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
    fixed_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The time, to the millisecond: what the database stores, so a time the server answers
    /// with is the one it reads back later.
    pub fn now(&self) -> DateTime<Utc> {
        let fixed = self.fixed_ms.load(Ordering::Relaxed);
        let base = if fixed != 0 {
            from_ms(fixed)
        } else {
            Utc::now().trunc_subsecs(3)
        };
        base + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward (tests).
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }

    /// Freezes the clock at an instant (tests).
    pub fn set(&self, at: DateTime<Utc>) {
        self.offset_ms.store(0, Ordering::Relaxed);
        self.fixed_ms
            .store(at.timestamp_millis(), Ordering::Relaxed);
    }
}

pub fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}
