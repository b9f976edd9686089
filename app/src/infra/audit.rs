//! Writing and verifying the audit log (R-REC-01). Every state change calls `record` inside the
//! same transaction as the change, so a change is never saved without its entry, nor the reverse.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use serde::Serialize;
use uuid::Uuid;

use super::entities::audit_log;
use crate::domain::audit::{self, AuditEntry, BrokenLink, GENESIS};

/// Serialises appends on PostgreSQL (SQLite's write transaction already does).
const AUDIT_LOCK_KEY: i64 = 0x6175_6469_745f_6c6f; // "audit_lo"

/// Who did it, for whom.
#[derive(Clone, Copy, Debug, Default)]
pub struct Actor {
    pub person: Option<Uuid>,
    pub organisation: Option<Uuid>,
}

/// Appends one entry. Call it inside the write transaction that made the change.
pub async fn record<S: Serialize>(
    txn: &impl ConnectionTrait,
    at: DateTime<Utc>,
    actor: Actor,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    new_state: &S,
) -> Result<(), DbErr> {
    append(
        txn,
        Draft::new(at, actor, action, entity, entity_id, new_state),
    )
    .await
}

/// Appends `draft` after the chain's end (on PostgreSQL, other appends wait until `txn` ends).
pub(super) async fn append(txn: &impl ConnectionTrait, draft: Draft) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({AUDIT_LOCK_KEY})"))
            .await?;
    }
    let end = end_query().one(txn).await?;
    draft.linked(end).insert(txn).await?;
    Ok(())
}

/// The chain's last entry (none while the log is empty).
pub fn end_query() -> Select<audit_log::Entity> {
    audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Seq)
        .limit(1)
}

/// An entry not yet linked to the chain: what [`record`] appends, for a write that saves it
/// with its other changes in one batch ([`super::batch::Writes::audit`]).
pub struct Draft {
    entry: AuditEntry,
}

impl Draft {
    pub fn new<S: Serialize>(
        at: DateTime<Utc>,
        actor: Actor,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        new_state: &S,
    ) -> Draft {
        Draft {
            entry: AuditEntry {
                seq: 0,
                // Stored at microsecond precision on both backends; hash what will be read back.
                at: DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at),
                actor: actor.person,
                organisation: actor.organisation,
                action: action.into(),
                entity: entity.into(),
                entity_id: entity_id.to_string(),
                state_digest: audit::digest_of(new_state),
                prev_hash: String::new(),
                hash: String::new(),
            },
        }
    }

    /// The row that appends it after `end`, the chain's last entry.
    pub(super) fn linked(self, end: Option<audit_log::Model>) -> audit_log::ActiveModel {
        let mut entry = self.entry;
        (entry.seq, entry.prev_hash) =
            end.map_or((1, GENESIS.to_string()), |l| (l.seq + 1, l.hash));
        entry.hash = audit::entry_hash(&entry);
        audit_log::ActiveModel {
            seq: Set(entry.seq),
            at: Set(entry.at),
            actor_id: Set(entry.actor),
            organisation_id: Set(entry.organisation),
            action: Set(entry.action),
            entity: Set(entry.entity),
            entity_id: Set(entry.entity_id),
            state_digest: Set(entry.state_digest),
            prev_hash: Set(entry.prev_hash),
            hash: Set(entry.hash),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Broken(#[from] BrokenLink),
    #[error("could not read the audit log: {0}")]
    Db(#[from] DbErr),
    /// Issue #35: the chain does not match a signed checkpoint.
    #[error("audit checkpoint: {0}")]
    Checkpoint(String),
    /// Issue #35: a business record without its audit entry.
    #[error("a record is missing from the audit log: {0}")]
    Unlogged(String),
}

/// Walks the whole chain in pages (memory stays flat however long the log is). Returns the number
/// of entries checked, or the first broken link.
pub async fn verify_chain(db: &impl ConnectionTrait) -> Result<u64, VerifyError> {
    const PAGE: u64 = 1000;
    let mut checked = 0;
    let mut after = 0;
    let mut prev = GENESIS.to_string();
    loop {
        let page = audit_log::Entity::find()
            .filter(sea_orm::ColumnTrait::gt(&audit_log::Column::Seq, after))
            .order_by_asc(audit_log::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        let entries = page.into_iter().map(|m| AuditEntry {
            seq: m.seq,
            at: m.at,
            actor: m.actor_id,
            organisation: m.organisation_id,
            action: m.action,
            entity: m.entity,
            entity_id: m.entity_id,
            state_digest: m.state_digest,
            prev_hash: m.prev_hash,
            hash: m.hash,
        });
        // Verify this page as the continuation of the previous one.
        let entries: Vec<AuditEntry> = entries.collect();
        audit::verify_from(checked as i64 + 1, &prev, entries.iter().cloned())?;
        prev = entries.last().map(|e| e.hash.clone()).unwrap_or(prev);
        checked += entries.len() as u64;
    }
    Ok(checked)
}
