//! The audit log's hash chain (R-REC-01): every state change is recorded with a digest of the new
//! state and the hash of the previous entry, so a changed, removed or reordered row breaks the
//! chain at a point `verify` can name.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash the first entry points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<Uuid>,
    pub organisation: Option<Uuid>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// SHA-256 of the canonical JSON of the entity's new state.
    pub state_digest: String,
    pub prev_hash: String,
    pub hash: String,
}

/// SHA-256 (hex) of a value's JSON: the digest of a new state.
pub fn digest_of<T: Serialize>(state: &T) -> String {
    let json = serde_json::to_vec(state).unwrap_or_default();
    hex::encode(Sha256::digest(json))
}

/// The hash of an entry: SHA-256 over the previous hash and every other field, in a fixed order.
/// Timestamps are hashed at microsecond precision, the precision both databases keep.
pub fn entry_hash(e: &AuditEntry) -> String {
    let canonical = serde_json::json!([
        e.prev_hash,
        e.seq,
        e.at.timestamp_micros(),
        e.actor,
        e.organisation,
        e.action,
        e.entity,
        e.entity_id,
        e.state_digest,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// What a checkpoint's signature covers (issue #35): the number of entries, the hash of the
/// last of them and when the checkpoint was made (microseconds since 1970, UTC).
pub fn checkpoint_message(entry_count: i64, head_hash: &str, made_at: DateTime<Utc>) -> String {
    format!(
        "fairtender audit checkpoint v1\n{entry_count}\n{head_hash}\n{}",
        made_at.timestamp_micros()
    )
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("audit chain broken at entry {seq}: {reason}")]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: &'static str,
}

/// Walks entries in `seq` order from the start; returns how many were checked, or the first
/// broken link.
pub fn verify(entries: impl IntoIterator<Item = AuditEntry>) -> Result<u64, BrokenLink> {
    verify_from(1, GENESIS, entries)
}

/// Verifies a run of entries that continues a chain whose next entry is `first_seq` and whose
/// last hash is `prev_hash` (for checking a long log page by page).
pub fn verify_from(
    first_seq: i64,
    prev_hash: &str,
    entries: impl IntoIterator<Item = AuditEntry>,
) -> Result<u64, BrokenLink> {
    let mut expected_prev = prev_hash.to_string();
    let mut count = 0;
    for (expected_seq, e) in (first_seq..).zip(entries) {
        let broken = |reason| Err(BrokenLink { seq: e.seq, reason });
        if e.seq != expected_seq {
            return broken("an entry is missing or out of order");
        }
        if e.prev_hash != expected_prev {
            return broken("it does not point to the previous entry");
        }
        if entry_hash(&e) != e.hash {
            return broken("its content was changed after it was written");
        }
        expected_prev = e.hash;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap(),
                    actor: None,
                    organisation: None,
                    action: "register".into(),
                    entity: "organisation".into(),
                    entity_id: format!("org-{seq}"),
                    state_digest: digest_of(&seq),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = entry_hash(&e);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn r_rec_01_an_intact_chain_verifies() {
        assert_eq!(verify(chain(5)), Ok(5));
        assert_eq!(verify(Vec::new()), Ok(0));
    }

    #[test]
    fn r_rec_01_a_changed_entry_is_found() {
        let mut c = chain(5);
        c[2].entity_id = "someone-else".into();
        assert_eq!(verify(c).unwrap_err().seq, 3);
    }

    #[test]
    fn r_rec_01_a_removed_or_reordered_entry_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(c.clone()).unwrap_err().seq, 3);
        c.swap(0, 1);
        assert_eq!(verify(c).unwrap_err().seq, 3);
    }

    #[test]
    fn r_rec_01_a_rehashed_forgery_still_breaks_the_next_link() {
        let mut c = chain(4);
        c[1].entity_id = "forged".into();
        c[1].hash = entry_hash(&c[1]);
        let err = verify(c).unwrap_err();
        assert_eq!(err.seq, 3);
        assert_eq!(err.reason, "it does not point to the previous entry");
    }
}
