//! Things shown once to one person on their next page (issue #35: new recovery codes, made by
//! a form post whose answer is a redirect). Kept in this server's memory only, for a few
//! minutes, and removed when shown; never written anywhere.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// How long a flash waits for its page.
const KEPT_MINUTES: i64 = 10;

/// Each person's new codes and when they were made.
type Waiting = HashMap<Uuid, (Vec<String>, DateTime<Utc>)>;

#[derive(Default)]
pub struct RecoveryFlash {
    codes: Mutex<Waiting>,
}

impl RecoveryFlash {
    pub fn put(&self, person: Uuid, codes: Vec<String>, now: DateTime<Utc>) {
        if let Ok(mut map) = self.codes.lock() {
            map.retain(|_, (_, at)| now - *at < Duration::minutes(KEPT_MINUTES));
            map.insert(person, (codes, now));
        }
    }

    /// The codes waiting for `person`, removed: a second look finds none.
    pub fn take(&self, person: Uuid, now: DateTime<Utc>) -> Vec<String> {
        self.codes
            .lock()
            .ok()
            .and_then(|mut map| map.remove(&person))
            .filter(|(_, at)| now - *at < Duration::minutes(KEPT_MINUTES))
            .map(|(codes, _)| codes)
            .unwrap_or_default()
    }
}
