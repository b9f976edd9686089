//! Issue #35, an audit log that shows tampering (R-REC-01): signed checkpoints of the chain's
//! head are published at /api/v1/audit/checkpoints, and `server verify-audit` checks the chain
//! against them (a log cut short, or rewritten and hashed again, is found) and the business
//! tables against the log (a submitted bid without its entry is found).

use std::process::Command;

use app::domain::audit::{entry_hash, AuditEntry};
use app::infra::audit_checkpoint::AuditSigner;
use app::infra::entities::{audit_checkpoint, audit_log, bid_submission};
use chrono::Duration;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};

use crate::bids::{bid, firm, world, World};
use crate::helpers::{Backend, TestApp, TEST_AUDIT_KEY};
use crate::on_both_backends;
use crate::open_data::get_json;

on_both_backends!(
    issue_35_checkpoints_are_signed_published_and_find_a_log_cut_short,
    issue_35_a_log_rewritten_and_hashed_again_fails_its_checkpoint,
    issue_35_a_submitted_bid_without_its_audit_entry_is_found,
);

/// `server verify-audit` on the test app's database: success and what it printed.
fn verify_audit(app: &TestApp, extra: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("verify-audit")
        .args(extra)
        .env_clear()
        .current_dir(dir.path())
        .env("FAIRTENDER_DATABASE_URL", &app.settings.database_url)
        .env("FAIRTENDER_AUDIT_KEY", TEST_AUDIT_KEY)
        .output()
        .expect("run server");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

/// A published tender and one bid on it: entries in the log, a submitted version.
async fn with_a_bid(backend: Backend) -> (World, reqwest::Client, String) {
    let w = world(backend).await;
    let (client, record) = firm(&w.app, "甲", "91330106MA2B00121", true).await;
    let (status, body) = bid(&w, &client, "0", "2000000", &record, "p").await;
    assert_eq!(status, 200, "{body}");
    (w, client, record)
}

async fn entries(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Seq)
        .all(&app.db)
        .await
        .unwrap()
}

async fn checkpoints_listed(app: &TestApp) -> serde_json::Value {
    let (status, list) = get_json(app, "/api/v1/audit/checkpoints").await;
    assert_eq!(status, 200, "{list}");
    list
}

async fn issue_35_checkpoints_are_signed_published_and_find_a_log_cut_short(backend: Backend) {
    let (w, client, record) = with_a_bid(backend).await;
    let head = entries(&w.app).await.pop().unwrap();
    // Reading the list signs the head that moved.
    let list = checkpoints_listed(&w.app).await;
    assert_eq!(
        list["public_key"],
        AuditSigner::new(TEST_AUDIT_KEY.as_bytes()).public_key()
    );
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{list}");
    assert_eq!(data[0]["entry_count"], head.seq);
    assert_eq!(data[0]["head_hash"], head.hash);
    // Every OCDS package carries the latest, so copies of the open data keep it too.
    let ocid = format!("{}-{}", w.app.settings.ocid_prefix, w.tender);
    let (status, package) = get_json(&w.app, &format!("/api/v1/ocds/releases/{ocid}")).await;
    assert_eq!(status, 200, "{package}");
    assert_eq!(package["auditCheckpoint"]["entryCount"], head.seq);
    assert_eq!(
        package["auditCheckpoint"]["signature"],
        data[0]["signature"]
    );
    // Read again at once: the head has not moved, nothing new.
    assert_eq!(checkpoints_listed(&w.app).await["data"], list["data"]);
    let (ok, out) = verify_audit(&w.app, &[]);
    assert!(ok, "{out}");
    assert!(out.contains("1 signed checkpoints"), "{out}");

    // The log grows (a second version); within the minute no new checkpoint, after it one.
    let (status, body) = bid(&w, &client, "1", "1900000", &record, "p").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        checkpoints_listed(&w.app).await["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    w.app.clock.advance(Duration::minutes(2));
    let list = checkpoints_listed(&w.app).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2, "{list}");
    // An outsider keeps a copy.
    let kept = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(kept.path(), list.to_string()).unwrap();
    let kept = kept.path().to_str().unwrap().to_string();
    let (ok, out) = verify_audit(&w.app, &["--checkpoints", &kept]);
    assert!(ok, "{out}");

    // The last entry is deleted: the chain alone still verifies, the checkpoint does not.
    let last = entries(&w.app).await.pop().unwrap();
    audit_log::Entity::delete_by_id(last.seq)
        .exec(&w.app.db)
        .await
        .unwrap();
    assert!(app::infra::audit::verify_chain(&w.app.db).await.is_ok());
    let (ok, out) = verify_audit(&w.app, &[]);
    assert!(!ok, "{out}");
    assert!(out.contains("deleted"), "{out}");
    // Deleting the stored checkpoints too does not help against a copy kept outside.
    audit_checkpoint::Entity::delete_many()
        .exec(&w.app.db)
        .await
        .unwrap();
    let (ok, out) = verify_audit(&w.app, &["--checkpoints", &kept]);
    assert!(!ok, "{out}");
    assert!(out.contains("deleted"), "{out}");
}

async fn issue_35_a_log_rewritten_and_hashed_again_fails_its_checkpoint(backend: Backend) {
    let (w, _client, _record) = with_a_bid(backend).await;
    let list = checkpoints_listed(&w.app).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let (ok, out) = verify_audit(&w.app, &[]);
    assert!(ok, "{out}");
    // The first entry is rewritten and every entry hashed again from there: the chain holds.
    let mut prev = app::domain::audit::GENESIS.to_string();
    for (i, m) in entries(&w.app).await.into_iter().enumerate() {
        let mut e = AuditEntry {
            seq: m.seq,
            at: m.at,
            actor: m.actor_id,
            organisation: m.organisation_id,
            action: m.action.clone(),
            entity: m.entity.clone(),
            entity_id: m.entity_id.clone(),
            state_digest: m.state_digest.clone(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        if i == 0 {
            e.entity_id = "rewritten".into();
        }
        e.hash = entry_hash(&e);
        prev = e.hash.clone();
        let mut row: audit_log::ActiveModel = m.into();
        row.entity_id = Set(e.entity_id);
        row.prev_hash = Set(e.prev_hash);
        row.hash = Set(e.hash);
        row.update(&w.app.db).await.unwrap();
    }
    assert!(app::infra::audit::verify_chain(&w.app.db).await.is_ok());
    let (ok, out) = verify_audit(&w.app, &[]);
    assert!(!ok, "{out}");
    assert!(out.contains("rewritten"), "{out}");
    // Moving the checkpoint to the new head breaks its signature.
    let stored = audit_checkpoint::Entity::find()
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: audit_checkpoint::ActiveModel = stored.into();
    row.head_hash = Set(prev);
    row.update(&w.app.db).await.unwrap();
    let (ok, out) = verify_audit(&w.app, &[]);
    assert!(!ok, "{out}");
    assert!(out.contains("not signed by the audit key"), "{out}");
}

async fn issue_35_a_submitted_bid_without_its_audit_entry_is_found(backend: Backend) {
    let (w, _client, _record) = with_a_bid(backend).await;
    let (ok, out) = verify_audit(&w.app, &[]);
    assert!(ok, "{out}");
    assert!(out.contains("1 submitted bid versions"), "{out}");
    // The version's digest is changed in the database: its entry no longer vouches for it.
    let row = bid_submission::Entity::find()
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    let mut changed: bid_submission::ActiveModel = row.into();
    changed.digest = Set("0".repeat(64));
    changed.update(&w.app.db).await.unwrap();
    let (ok, out) = verify_audit(&w.app, &[]);
    assert!(!ok, "{out}");
    assert!(out.contains("has no audit entry"), "{out}");
}
