//! A consistent copy of the SQLite database, made while the server runs (issue #9). PostgreSQL
//! is backed up with its own tools (`pg_dump`; README, "Backup and restore").
//!
//! SQLite's `VACUUM INTO` writes the database as one read transaction sees it: in WAL mode
//! writers go on meanwhile, and what they commit after it began is not in the copy. The copy is
//! then opened like a restored database and its audit chain walked, so a backup that would not
//! restore is reported at once, not on the day it is needed.

use std::path::Path;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use super::audit::{self, VerifyError};
use super::db::{self, ConnectError, Db};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "the backup command copies SQLite databases; for PostgreSQL use pg_dump \
         (README: Backup and restore)"
    )]
    NotSqlite,
    #[error("{0} already exists: name a new file (a backup never replaces one)")]
    Exists(String),
    #[error("the folder of {0} does not exist: create it first")]
    NoFolder(String),
    #[error("could not write the backup to {path}: {source}")]
    Write { path: String, source: DbErr },
    #[error("the backup at {path} does not open: {source}")]
    Open { path: String, source: ConnectError },
    #[error("the backup at {path} is not sound: {source}")]
    Unsound { path: String, source: VerifyError },
}

/// A backup written and checked.
#[derive(Debug)]
pub struct Backup {
    pub bytes: u64,
    /// Entries of the copy's audit chain, every link checked.
    pub audit_entries: u64,
}

/// Copies the database behind `db` to the new file `to` while it is in use, then opens the copy
/// and verifies its audit chain.
pub async fn sqlite(db: &Db, to: &Path) -> Result<Backup, BackupError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    let shown = to.display().to_string();
    if to.exists() {
        return Err(BackupError::Exists(shown));
    }
    if let Some(folder) = to.parent().filter(|f| !f.as_os_str().is_empty()) {
        if !folder.is_dir() {
            return Err(BackupError::NoFolder(shown));
        }
    }
    // Through the pool: a reader, so the writers' queue is not held while the copy is written.
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [to.to_string_lossy().into_owned().into()],
    ))
    .await
    .map_err(|source| BackupError::Write {
        path: shown.clone(),
        source,
    })?;
    let copy = db::connect(&format!("sqlite://{}", to.display()), 1)
        .await
        .map_err(|source| BackupError::Open {
            path: shown.clone(),
            source,
        })?;
    let checked = audit::verify_chain(&copy).await;
    // Closing folds the copy's write-ahead log (opening it switched it to WAL) back into it.
    copy.close().await.ok();
    let audit_entries = checked.map_err(|source| BackupError::Unsound {
        path: shown.clone(),
        source,
    })?;
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    Ok(Backup {
        bytes,
        audit_entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_backup_never_replaces_a_file_and_says_so() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = db::connect(&format!("sqlite://{}/live.db", dir.path().display()), 2)
            .await
            .expect("the database opens");
        db::migrate(&db).await.expect("migrated");
        let existing = dir.path().join("yesterday.db");
        std::fs::write(&existing, b"yesterday's backup").expect("a file");
        let refused = sqlite(&db, &existing).await;
        assert!(
            matches!(&refused, Err(BackupError::Exists(p)) if p.contains("yesterday.db")),
            "{refused:?}"
        );
        assert_eq!(
            std::fs::read(&existing).expect("still there"),
            b"yesterday's backup"
        );
        let nowhere = dir.path().join("no-such-folder").join("b.db");
        assert!(matches!(
            sqlite(&db, &nowhere).await,
            Err(BackupError::NoFolder(_))
        ));
    }
}
