//! The one source of "now". Deadlines, payment terms and interest are computed from an injected
//! clock so that tests move time instead of sleeping.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::sync::{Arc, Mutex};

/// The calendar day in China (UTC+8, no daylight saving) at `now`: expiry dates, deadlines
/// and payment terms count in Beijing days, whatever the server's time zone.
pub fn china_day(now: DateTime<Utc>) -> NaiveDate {
    (now + Duration::hours(8)).date_naive()
}

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// Wall-clock time, used in production.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to. Cloning shares the same time.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn at(start: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.lock() = to;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.lock();
        *now += by;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // A poisoned lock still holds a valid time: keep going rather than panic.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

/// Another clock moved forward by an offset that only grows: the dev-mode test clock
/// (`FAIRTENDER_TEST_CLOCK`), so a browser test can pass a bid deadline without waiting.
#[derive(Clone)]
pub struct OffsetClock {
    inner: Arc<dyn Clock>,
    offset: Arc<Mutex<Duration>>,
}

impl OffsetClock {
    pub fn new(inner: Arc<dyn Clock>) -> Self {
        OffsetClock {
            inner,
            offset: Arc::new(Mutex::new(Duration::zero())),
        }
    }

    /// Moves the clock forward (never back: a negative step is ignored).
    pub fn advance(&self, by: Duration) {
        if by > Duration::zero() {
            *self.offset.lock().unwrap_or_else(|p| p.into_inner()) += by;
        }
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        self.inner.now() + *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_china_day_turns_at_sixteen_utc() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let at = |h| Utc.with_ymd_and_hms(2026, 11, 26, h, 0, 0).unwrap();
        assert_eq!(china_day(at(15)), day(26));
        assert_eq!(china_day(at(16)), day(27));
    }

    #[test]
    fn manual_clock_moves_only_when_told_and_clones_share_time() {
        let start = Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap();
        let clock = ManualClock::at(start);
        let shared = clock.clone();
        assert_eq!(clock.now(), start);
        shared.advance(Duration::days(30));
        assert_eq!(clock.now(), start + Duration::days(30));
        clock.set(start);
        assert_eq!(shared.now(), start);
    }
}
