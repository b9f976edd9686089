//! Sign-in throttling that cannot be turned against an account's owner (issue #35).
//!
//! Every attempt is counted against a *subject* before its password is checked: an account
//! from one client address, an account from one of its owner's known devices, the account as a
//! whole (unknown devices only), or an address registering. A subject allows `free` attempts,
//! then each further one waits a delay that doubles up to a ceiling; a quiet day forgets it.
//! Nothing here ever refuses the right password for good: a known device counts only its own
//! mistakes, and the owner always has a recovery code.

use chrono::{DateTime, Duration, Utc};

/// How one kind of subject is throttled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Attempts allowed without any wait.
    pub free: i32,
    /// The wait after the first attempt beyond `free`; each later one doubles it.
    pub first_delay_secs: i64,
    /// The longest wait.
    pub max_delay_secs: i64,
    /// After this long without an attempt the subject starts again from nothing.
    pub forget_after_secs: i64,
}

const DAY: i64 = 24 * 3600;

/// An account from one client address (a device not known to be the owner's).
pub const PER_ADDRESS: Schedule = Schedule {
    free: 5,
    first_delay_secs: 30,
    max_delay_secs: 15 * 60,
    forget_after_secs: DAY,
};

/// An account from one of its owner's known devices: only that device's own mistakes count.
pub const PER_KNOWN_DEVICE: Schedule = PER_ADDRESS;

/// An account as a whole, for devices that are not known: bounds guessing spread over many
/// addresses. The owner's known devices and recovery codes do not count against it.
pub const PER_ACCOUNT: Schedule = Schedule {
    free: 20,
    first_delay_secs: 30,
    max_delay_secs: 15 * 60,
    forget_after_secs: DAY,
};

/// Registrations from one client address (each costs a password hash): `free` a day, then
/// growing waits up to an hour.
pub fn registrations(free: u32) -> Schedule {
    Schedule {
        free: i32::try_from(free).unwrap_or(i32::MAX),
        first_delay_secs: 60,
        max_delay_secs: 3600,
        forget_after_secs: DAY,
    }
}

impl Schedule {
    /// The wait before the next attempt once `counted` attempts have been counted.
    pub fn delay_after(&self, counted: i32) -> Duration {
        if counted < self.free {
            return Duration::zero();
        }
        let doublings = (counted - self.free).min(30) as u32;
        let secs = self
            .first_delay_secs
            .saturating_mul(1_i64 << doublings)
            .min(self.max_delay_secs);
        Duration::seconds(secs)
    }
}

/// A subject's counter as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counter {
    pub counted: i32,
    pub not_before: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
}

/// Whether an attempt may be evaluated now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Count it: the counter goes from `from` (as stored, for the compare-and-set) to `to`.
    Count { from: Option<i32>, to: Counter },
    /// Refused unevaluated until then.
    Wait { until: DateTime<Utc> },
}

/// Decides an attempt at `now` against the stored counter (none: never counted).
pub fn decide(schedule: &Schedule, stored: Option<Counter>, now: DateTime<Utc>) -> Decision {
    let fresh = |from: Option<i32>, counted: i32| Decision::Count {
        from,
        to: Counter {
            counted: counted + 1,
            not_before: now + schedule.delay_after(counted + 1),
            last_at: now,
        },
    };
    match stored {
        None => fresh(None, 0),
        Some(c) if now - c.last_at >= Duration::seconds(schedule.forget_after_secs) => {
            fresh(Some(c.counted), 0)
        }
        // Within the free attempts nothing waits, whatever `not_before` says: an attempt that
        // read the clock just before another was counted must not be told to wait for it.
        Some(c) if c.counted >= schedule.free && c.not_before > now => Decision::Wait {
            until: c.not_before,
        },
        Some(c) => fresh(Some(c.counted), c.counted),
    }
}

/// Whole minutes to tell someone told to wait until `until` (at least one).
pub fn minutes_to_wait(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let secs = (until - now).num_seconds();
    ((secs + 59) / 60).max(1)
}

/// Recovery codes: how many are made at once, and their shape (16 characters of a 32-letter
/// alphabet without look-alikes, 80 random bits, shown in groups of four).
pub const RECOVERY_CODES: usize = 10;
pub const RECOVERY_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A recovery code as typed, in the one form it is digested in: upper case, without spaces or
/// dashes; `None` if it cannot be one.
pub fn normalise_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == 16 && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(code)
}

/// 16 characters from 10 random bytes (80 bits), grouped `XXXX-XXXX-XXXX-XXXX`.
pub fn format_recovery_code(random: &[u8; 10]) -> String {
    let mut bits: u128 = 0;
    for b in random {
        bits = bits << 8 | u128::from(*b);
    }
    let chars: Vec<char> = (0..16)
        .map(|i| RECOVERY_ALPHABET[((bits >> (75 - 5 * i)) & 31) as usize] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap()
    }

    #[test]
    fn issue_35_delays_start_after_the_free_attempts_and_double_up_to_a_ceiling() {
        let s = PER_ADDRESS;
        assert_eq!(s.delay_after(4), Duration::zero());
        assert_eq!(s.delay_after(5), Duration::seconds(30));
        assert_eq!(s.delay_after(6), Duration::seconds(60));
        assert_eq!(s.delay_after(9), Duration::seconds(480));
        assert_eq!(s.delay_after(10), Duration::minutes(15));
        assert_eq!(s.delay_after(1000), Duration::minutes(15));
    }

    #[test]
    fn issue_35_an_attempt_is_counted_before_it_is_evaluated_and_waits_are_never_forever() {
        let s = PER_ADDRESS;
        let mut stored = None;
        let mut now = t0();
        for n in 1..=5 {
            match decide(&s, stored, now) {
                Decision::Count { to, .. } => {
                    assert_eq!(to.counted, n);
                    stored = Some(to);
                }
                other => panic!("attempt {n}: {other:?}"),
            }
        }
        // The sixth waits 30 s, then is counted and the next waits a minute.
        assert_eq!(
            decide(&s, stored, now),
            Decision::Wait {
                until: now + Duration::seconds(30)
            }
        );
        now += Duration::seconds(30);
        let Decision::Count { from, to } = decide(&s, stored, now) else {
            panic!("after the wait")
        };
        assert_eq!((from, to.counted), (Some(5), 6));
        assert_eq!(to.not_before, now + Duration::minutes(1));
        // A quiet day forgets the subject.
        let later = now + Duration::days(1);
        let Decision::Count { from, to } = decide(&s, Some(to), later) else {
            panic!("forgotten")
        };
        assert_eq!((from, to.counted), (Some(6), 1));
        assert_eq!(minutes_to_wait(now + Duration::seconds(30), now), 1);
        // An attempt whose clock reading came a moment before the last count's is not held up
        // while attempts are free.
        let just_counted = Counter {
            counted: 2,
            not_before: now,
            last_at: now,
        };
        assert!(matches!(
            decide(&s, Some(just_counted), now - Duration::milliseconds(3)),
            Decision::Count { .. }
        ));
        assert_eq!(minutes_to_wait(now + Duration::seconds(61), now), 2);
    }

    #[test]
    fn issue_35_recovery_codes_are_80_bits_in_groups_and_read_back_however_typed() {
        let code = format_recovery_code(&[0xff; 10]);
        assert_eq!(code, "9999-9999-9999-9999");
        let code = format_recovery_code(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(code.len(), 19);
        let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
        assert_eq!(normalise_recovery_code(&typed), Some(code.replace('-', "")));
        assert_eq!(
            normalise_recovery_code("ABCD-EFGH-IJKL-MNOP"),
            None,
            "I and O"
        );
        assert_eq!(normalise_recovery_code("ABCD"), None);
    }
}
