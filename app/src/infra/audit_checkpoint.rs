//! Signed checkpoints of the audit chain (issue #35, R-REC-01). The chain alone is unkeyed:
//! whoever can write the database can delete its last entries, or rewrite an entry and hash
//! every later one again, and the chain still verifies. A checkpoint is the chain's head (the
//! number of entries and the last one's hash) at a time, signed with an Ed25519 key derived
//! from `FAIRTENDER_AUDIT_KEY`, which is not in the database. Checkpoints are stored and
//! published (`/api/v1/audit/checkpoints`), so outsiders keep copies; [`verify_all`] checks the
//! chain against every checkpoint (the stored ones and copies kept elsewhere) and the business
//! tables against the log.
//!
//! When: a checkpoint is made when the published list is read, or every few minutes by the
//! server ([`make_if_moved`]), if the chain has grown since the last one and the last one is at
//! least [`min_interval`] old (by the injected clock).

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use ring::hkdf;
use ring::signature::{self, Ed25519KeyPair, KeyPair};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::audit::{end_query, verify_chain, VerifyError};
use super::db::{begin_write_at, Db};
use super::entities::{audit_checkpoint, audit_log, award, bid_submission, payment};
use crate::domain::audit::{checkpoint_message, digest_of};
use crate::domain::clock::Clock;

/// At most one checkpoint a minute is made on demand.
pub fn min_interval() -> chrono::Duration {
    chrono::Duration::minutes(1)
}

/// Signs checkpoints. Its public half is published with them.
pub struct AuditSigner {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for AuditSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditSigner { .. }")
    }
}

impl AuditSigner {
    /// From the configured secret (at least 32 bytes of entropy in production).
    pub fn new(secret: &[u8]) -> AuditSigner {
        let prk =
            hkdf::Salt::new(hkdf::HKDF_SHA256, b"fairtender audit checkpoints v1").extract(secret);
        let mut seed = [0u8; 32];
        super::sealing::expand(&prk, &[b"checkpoint-signing"], &mut seed);
        // A 32-byte seed is always a valid Ed25519 private key.
        let pair = Ed25519KeyPair::from_seed_unchecked(&seed)
            .unwrap_or_else(|_| unreachable!("32-byte seed"));
        AuditSigner { pair }
    }

    /// The public half, base64url: what checkpoints are checked with.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.pair.public_key().as_ref())
    }

    fn sign(&self, message: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.pair.sign(message).as_ref())
    }
}

/// A checkpoint as published and as kept by outsiders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The entries it covers: entries 1 to `entry_count`.
    pub entry_count: i64,
    /// The hash of entry `entry_count`.
    pub head_hash: String,
    pub made_at: DateTime<Utc>,
    /// Ed25519 over [`checkpoint_message`], base64url.
    pub signature: String,
}

impl From<audit_checkpoint::Model> for Checkpoint {
    fn from(m: audit_checkpoint::Model) -> Self {
        Checkpoint {
            entry_count: m.entry_count,
            head_hash: m.head_hash,
            made_at: m.made_at,
            signature: m.signature,
        }
    }
}

impl Checkpoint {
    /// Whether `public_key` (base64url) signed it.
    pub fn signed_by(&self, public_key: &str) -> bool {
        let (Ok(key), Ok(sig)) = (
            URL_SAFE_NO_PAD.decode(public_key),
            URL_SAFE_NO_PAD.decode(&self.signature),
        ) else {
            return false;
        };
        let message = checkpoint_message(self.entry_count, &self.head_hash, self.made_at);
        signature::UnparsedPublicKey::new(&signature::ED25519, key)
            .verify(message.as_bytes(), &sig)
            .is_ok()
    }
}

/// Signs and stores a checkpoint of the chain's head, unless the chain has not grown since the
/// last one or the last one is younger than [`min_interval`]. Returns the new checkpoint.
pub async fn make_if_moved(
    db: &Db,
    clock: &dyn Clock,
    signer: &AuditSigner,
) -> Result<Option<Checkpoint>, DbErr> {
    let (txn, now) = begin_write_at(db, clock).await?;
    let Some(head) = end_query().one(&txn).await? else {
        return Ok(None);
    };
    let last = audit_checkpoint::Entity::find()
        .order_by_desc(audit_checkpoint::Column::EntryCount)
        .limit(1)
        .one(&txn)
        .await?;
    if last
        .as_ref()
        .is_some_and(|l| l.entry_count >= head.seq || now - l.made_at < min_interval())
    {
        return Ok(None);
    }
    // Stored at microsecond precision on both backends: sign what will be read back.
    let made_at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    let signature = signer.sign(checkpoint_message(head.seq, &head.hash, made_at).as_bytes());
    audit_checkpoint::Entity::insert(audit_checkpoint::ActiveModel {
        entry_count: Set(head.seq),
        head_hash: Set(head.hash.clone()),
        made_at: Set(made_at),
        public_key: Set(signer.public_key()),
        signature: Set(signature.clone()),
    })
    // Two readers at once: one checkpoint.
    .on_conflict(
        OnConflict::column(audit_checkpoint::Column::EntryCount)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(Checkpoint {
        entry_count: head.seq,
        head_hash: head.hash,
        made_at,
        signature,
    }))
}

/// The stored checkpoints covering more than `after` entries, oldest first, at most `limit`.
pub async fn list(
    conn: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<Checkpoint>, DbErr> {
    Ok(audit_checkpoint::Entity::find()
        .filter(audit_checkpoint::Column::EntryCount.gt(after))
        .order_by_asc(audit_checkpoint::Column::EntryCount)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(Checkpoint::from)
        .collect())
}

/// The stored checkpoint covering the most entries.
pub async fn latest(conn: &impl ConnectionTrait) -> Result<Option<Checkpoint>, DbErr> {
    Ok(audit_checkpoint::Entity::find()
        .order_by_desc(audit_checkpoint::Column::EntryCount)
        .limit(1)
        .one(conn)
        .await?
        .map(Checkpoint::from))
}

/// What [`verify_all`] checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub entries: u64,
    pub checkpoints: usize,
    /// Submitted bid versions, awards and payments found with their entries.
    pub records: usize,
}

/// Checks the chain link by link, then against every checkpoint (those stored and `kept`,
/// copies taken from the published list), each signed by `public_key`, then that every
/// submitted bid version, award and payment has its entry in the log.
pub async fn verify_all(
    db: &impl ConnectionTrait,
    public_key: &str,
    kept: &[Checkpoint],
) -> Result<Verified, VerifyError> {
    let entries = verify_chain(db).await?;
    let mut checkpoints: Vec<Checkpoint> = audit_checkpoint::Entity::find()
        .order_by_asc(audit_checkpoint::Column::EntryCount)
        .all(db)
        .await?
        .into_iter()
        .map(Checkpoint::from)
        .collect();
    checkpoints.extend(kept.iter().cloned());
    for c in &checkpoints {
        check_checkpoint(db, public_key, entries, c).await?;
    }
    let records = check_records(db).await?;
    Ok(Verified {
        entries,
        checkpoints: checkpoints.len(),
        records,
    })
}

async fn check_checkpoint(
    db: &impl ConnectionTrait,
    public_key: &str,
    entries: u64,
    c: &Checkpoint,
) -> Result<(), VerifyError> {
    let (n, at) = (c.entry_count, c.made_at.to_rfc3339());
    if !c.signed_by(public_key) {
        return Err(VerifyError::Checkpoint(format!(
            "the checkpoint of {n} entries made at {at} is not signed by the audit key: it was \
             forged or altered (or the key changed)"
        )));
    }
    if n > entries as i64 {
        return Err(VerifyError::Checkpoint(format!(
            "the log has {entries} entries, but the checkpoint made at {at} covered {n}: \
             entries were deleted from its end"
        )));
    }
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Seq.eq(n))
        .one(db)
        .await?;
    if entry.is_none_or(|e| e.hash != c.head_hash) {
        return Err(VerifyError::Checkpoint(format!(
            "entry {n} is not the one the checkpoint made at {at} signed: the log was \
             rewritten and hashed again"
        )));
    }
    Ok(())
}

/// Every submitted bid version (`bid.submit`), award (`lot.award`) and payment
/// (`milestone.pay`) has an entry with the state it was written with; each entry vouches for
/// one row.
async fn check_records(db: &impl ConnectionTrait) -> Result<usize, VerifyError> {
    let logged: Vec<(String, String, String)> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Action)
        .column(audit_log::Column::EntityId)
        .column(audit_log::Column::StateDigest)
        .filter(audit_log::Column::Action.is_in(["bid.submit", "lot.award", "milestone.pay"]))
        .into_tuple()
        .all(db)
        .await?;
    let mut unclaimed: HashMap<(String, String, String), usize> = HashMap::new();
    for key in logged {
        *unclaimed.entry(key).or_default() += 1;
    }
    let mut claim = |action: &str, entity_id: String, digest: String, what: String| match unclaimed
        .get_mut(&(action.to_string(), entity_id, digest))
    {
        Some(n) if *n > 0 => {
            *n -= 1;
            Ok(())
        }
        _ => Err(VerifyError::Unlogged(what)),
    };
    let mut records = 0;
    for s in bid_submission::Entity::find().all(db).await? {
        claim(
            "bid.submit",
            s.bid_id.to_string(),
            digest_of(&(&s.digest, s.version)),
            format!(
                "version {} of bid {} has no audit entry with its digest",
                s.version, s.bid_id
            ),
        )?;
        records += 1;
    }
    for a in award::Entity::find().all(db).await? {
        claim(
            "lot.award",
            a.lot_id.to_string(),
            digest_of(&(a.opened_bid_id, a.price_fen)),
            format!("the award of lot {} has no audit entry", a.lot_id),
        )?;
        records += 1;
    }
    for p in payment::Entity::find().all(db).await? {
        claim(
            "milestone.pay",
            p.milestone_id.to_string(),
            digest_of(&(p.amount_fen, p.paid_on, &p.kind)),
            format!("payment {} has no audit entry", p.id),
        )?;
        records += 1;
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_35_a_checkpoint_verifies_with_its_key_only_and_unchanged() {
        let signer = AuditSigner::new(b"0123456789abcdef0123456789abcdef");
        let made_at = Utc::now();
        let head = "ab".repeat(32);
        let mut c = Checkpoint {
            entry_count: 7,
            head_hash: head.clone(),
            made_at,
            signature: signer.sign(checkpoint_message(7, &head, made_at).as_bytes()),
        };
        assert!(c.signed_by(&signer.public_key()));
        let other = AuditSigner::new(b"another secret, also 32 bytes long!");
        assert!(!c.signed_by(&other.public_key()));
        assert!(!c.signed_by("not a key"));
        c.entry_count = 6;
        assert!(!c.signed_by(&signer.public_key()));
    }
}
