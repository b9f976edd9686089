//! The audit log's signed checkpoints as published (issue #35): whoever keeps copies can later
//! show that the log was cut short or rewritten (`server verify-audit --checkpoints FILE`).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::infra::audit_checkpoint::{self, Checkpoint};
use crate::services::AppState;

/// One signed checkpoint.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CheckpointItem {
    /// The log's entries 1 to this number are covered.
    #[schema(minimum = 1)]
    pub entry_count: i64,
    /// SHA-256 (hex) of entry `entry_count`, which chains back to the first.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub head_hash: String,
    pub made_at: DateTime<Utc>,
    /// Ed25519 (base64url, no padding) over the lines `fairtender audit checkpoint v1`,
    /// `entry_count`, `head_hash` and `made_at` in microseconds since 1970 UTC, joined by `\n`.
    pub signature: String,
}

/// The checkpoints after `after`, oldest first.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CheckpointList {
    /// `Ed25519`.
    pub algorithm: String,
    /// The audit key's public half (base64url, no padding): the one key every checkpoint here
    /// is signed with.
    pub public_key: String,
    pub data: Vec<CheckpointItem>,
    /// Pass as `after` for the next page; none on the last.
    pub next_after: Option<i64>,
}

/// Signs the log's head first if it moved (at most once a minute), then lists. A checkpoint
/// that cannot be written (the database full or read-only) does not stop the list.
pub async fn checkpoints(
    state: &AppState,
    after: i64,
    limit: u64,
) -> Result<CheckpointList, AppError> {
    if let Err(e) =
        audit_checkpoint::make_if_moved(&state.db, &*state.clock, &state.audit_signer).await
    {
        tracing::warn!(error = %e, "no audit checkpoint could be made; listing the stored ones");
    }
    let page = audit_checkpoint::list(&state.db, after, limit).await?;
    let next_after = (page.len() as u64 == limit)
        .then(|| page.last().map(|c| c.entry_count))
        .flatten();
    Ok(CheckpointList {
        algorithm: "Ed25519".into(),
        public_key: state.audit_signer.public_key(),
        data: page
            .into_iter()
            .map(|c: Checkpoint| CheckpointItem {
                entry_count: c.entry_count,
                head_hash: c.head_hash,
                made_at: c.made_at,
                signature: c.signature,
            })
            .collect(),
        next_after,
    })
}

/// The latest stored checkpoint for the OCDS package metadata (none before the first).
pub async fn latest_for_ocds(
    state: &AppState,
) -> Result<Option<crate::domain::ocds::AuditCheckpointRef>, AppError> {
    let latest = audit_checkpoint::latest(&state.db).await?;
    Ok(latest.map(|c| crate::domain::ocds::AuditCheckpointRef {
        uri: format!(
            "{}{}",
            state.open_data.base_url,
            crate::paths::api::AUDIT_CHECKPOINTS_HREF
        ),
        entry_count: c.entry_count,
        head_hash: c.head_hash,
        made_at: c.made_at,
        signature: c.signature,
        public_key: state.audit_signer.public_key(),
    }))
}
