//! Documents (tender files, bid files, delivery evidence) go through this one interface.
//!
//! Bytes live in an `object_store` (a local folder by default; the same crate serves S3-compatible
//! storage when several servers share documents). Every document is checked before it is stored:
//! not empty, within the size limit, and of an allowed type judged by its content, never by its
//! name. Its SHA-256 digest is recorded and is also its storage key, so identical files are stored
//! once and a stored file cannot be silently replaced.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{local::LocalFileSystem, memory::InMemory, path::Path, ObjectStore, PutPayload};
use sha2::{Digest, Sha256};

use crate::domain::DocumentId;
use crate::error::AppError;
use crate::i18n::Text;

/// Types accepted for upload, by detected content: PDF, images, Office Open XML, and ZIP (which
/// also carries OFD, the Chinese fixed-layout format).
const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
];

#[derive(Clone)]
pub struct DocumentStore {
    store: Arc<dyn ObjectStore>,
    max_bytes: usize,
}

/// What was stored: enough to find, check and describe the document later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredDocument {
    pub key: String,
    pub sha256: String,
    pub size: u64,
    pub content_type: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("files of this type are not accepted (detected: {detected})")]
    TypeNotAllowed { detected: String },
    #[error("no document is stored under that key")]
    NotFound,
    #[error("the document store failed: {0}")]
    Store(#[from] object_store::Error),
}

impl From<DocumentError> for AppError {
    fn from(e: DocumentError) -> Self {
        match e {
            DocumentError::Empty => AppError::invalid(
                "file",
                Text::new(
                    "文件是空的，请重新选择。",
                    "The file is empty. Choose the file again.",
                ),
            ),
            DocumentError::TooLarge { max } => {
                let mb = max as f64 / (1024.0 * 1024.0);
                AppError::invalid(
                    "file",
                    Text::new(
                        format!("文件不能超过 {mb:.0} MB，请压缩或拆分后上传。"),
                        format!("A file may be at most {mb:.0} MB. Compress or split it and upload again."),
                    ),
                )
            }
            DocumentError::TypeNotAllowed { .. } => AppError::invalid(
                "file",
                Text::new(
                    "只接受 PDF、PNG、JPEG、Word（docx）、Excel（xlsx）或 ZIP/OFD 文件。",
                    "Only PDF, PNG, JPEG, Word (docx), Excel (xlsx) or ZIP/OFD files are accepted.",
                ),
            ),
            DocumentError::NotFound => AppError::NotFound,
            // The disk is full or read-only: nothing was kept, and a retry once the operator
            // has made room succeeds (issue #9).
            DocumentError::Store(e) if out_of_space(&e) => {
                tracing::error!(error = %e, "document store cannot be written");
                AppError::Unavailable
            }
            DocumentError::Store(e) => {
                tracing::error!(error = %e, "document store failed");
                AppError::Internal { request_id: None }
            }
        }
    }
}

/// Whether the store failed because its file system is full or read-only.
fn out_of_space(e: &object_store::Error) -> bool {
    use std::io::ErrorKind::{QuotaExceeded, ReadOnlyFilesystem, StorageFull};
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if matches!(io.kind(), StorageFull | ReadOnlyFilesystem | QuotaExceeded) {
                return true;
            }
        }
        cause = c.source();
    }
    false
}

impl DocumentStore {
    /// Documents in a local folder (created if missing).
    pub fn local(dir: &std::path::Path, max_bytes: usize) -> Result<Self, DocumentError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            DocumentError::Store(object_store::Error::Generic {
                store: "local",
                source: Box::new(e),
            })
        })?;
        Ok(DocumentStore {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
            max_bytes,
        })
    }

    /// Documents in memory: for tests and throwaway instances.
    pub fn in_memory(max_bytes: usize) -> Self {
        DocumentStore {
            store: Arc::new(InMemory::new()),
            max_bytes,
        }
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// Checks and stores a document.
    pub async fn put(&self, bytes: Bytes) -> Result<StoredDocument, DocumentError> {
        let content_type = self.check(&bytes)?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let key = format!("sha256/{}/{}", &sha256[..2], sha256);
        let size = bytes.len() as u64;
        self.store
            .put(&Path::from(key.as_str()), PutPayload::from_bytes(bytes))
            .await?;
        Ok(StoredDocument {
            key,
            sha256,
            size,
            content_type,
        })
    }

    /// Reads a document back, verifying that its content still matches its digest.
    pub async fn get(&self, key: &str) -> Result<Bytes, DocumentError> {
        let expected = key.rsplit('/').next().unwrap_or_default();
        let bytes = match self.store.get(&Path::from(key)).await {
            Ok(found) => found.bytes().await?,
            Err(object_store::Error::NotFound { .. }) => return Err(DocumentError::NotFound),
            Err(e) => return Err(e.into()),
        };
        if hex::encode(Sha256::digest(&bytes)) != expected {
            tracing::error!(key, "stored document does not match its digest");
            return Err(DocumentError::Store(object_store::Error::Generic {
                store: "documents",
                source: "stored document does not match its digest".into(),
            }));
        }
        Ok(bytes)
    }

    /// Stores bytes sealed by their owner (bid documents, R-BID-01) under `key`: checked by
    /// [`DocumentStore::check`] before sealing; their integrity is the seal's.
    pub async fn put_sealed(&self, key: &str, bytes: Vec<u8>) -> Result<(), DocumentError> {
        self.store
            .put(&Path::from(key), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    /// Reads back what [`DocumentStore::put_sealed`] stored.
    pub async fn get_sealed(&self, key: &str) -> Result<Bytes, DocumentError> {
        match self.store.get(&Path::from(key)).await {
            Ok(found) => Ok(found.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(DocumentError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Not empty, within the size limit, of an allowed type judged by content: the detected type.
    pub fn check(&self, bytes: &[u8]) -> Result<&'static str, DocumentError> {
        if bytes.is_empty() {
            return Err(DocumentError::Empty);
        }
        if bytes.len() > self.max_bytes {
            return Err(DocumentError::TooLarge {
                max: self.max_bytes,
            });
        }
        let detected = infer::get(bytes).map(|t| t.mime_type());
        match detected.and_then(|m| ALLOWED.iter().find(|a| **a == m)) {
            Some(allowed) => Ok(allowed),
            None => Err(DocumentError::TypeNotAllowed {
                detected: detected.unwrap_or("unknown").to_string(),
            }),
        }
    }
}

/// Checks, stores and records a document: the one way documents enter the platform. Returns the
/// new document's id. A refused file leaves nothing behind.
pub async fn save_document(
    conn: &impl sea_orm::ConnectionTrait,
    store: &DocumentStore,
    bytes: Bytes,
    original_name: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(DocumentId, StoredDocument), AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    let stored = store.put(bytes).await?;
    let id = DocumentId::new();
    super::entities::document::ActiveModel {
        id: Set(id.0),
        storage_key: Set(stored.key.clone()),
        sha256: Set(stored.sha256.clone()),
        size_bytes: Set(i64::try_from(stored.size).unwrap_or(i64::MAX)),
        content_type: Set(stored.content_type.to_string()),
        original_name: Set(clean_file_name(original_name)),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok((id, stored))
}

/// A display name safe to store and show: the last path component only, no control characters,
/// at most 255 characters. Never used to build a storage path.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    if cleaned.is_empty() {
        "document".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_or_read_only_disk_is_unavailable_and_other_store_faults_internal() {
        let store_error = |kind: std::io::ErrorKind| {
            DocumentError::Store(object_store::Error::Generic {
                store: "LocalFileSystem",
                source: Box::new(std::io::Error::from(kind)),
            })
        };
        for kind in [
            std::io::ErrorKind::StorageFull,
            std::io::ErrorKind::ReadOnlyFilesystem,
        ] {
            assert_eq!(AppError::from(store_error(kind)), AppError::Unavailable);
        }
        assert_eq!(
            AppError::from(store_error(std::io::ErrorKind::PermissionDenied)),
            AppError::Internal { request_id: None }
        );
    }

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
    ];

    #[tokio::test]
    async fn stores_allowed_content_under_its_digest_and_reads_it_back() {
        let store = DocumentStore::in_memory(1024);
        let stored = store.put(Bytes::from_static(PDF)).await.unwrap();
        assert_eq!(stored.content_type, "application/pdf");
        assert_eq!(stored.size, PDF.len() as u64);
        assert_eq!(stored.sha256, hex::encode(Sha256::digest(PDF)));
        assert!(stored.key.ends_with(&stored.sha256));
        assert_eq!(
            store.get(&stored.key).await.unwrap(),
            Bytes::from_static(PDF)
        );
        assert_eq!(
            store
                .put(Bytes::from_static(PNG))
                .await
                .unwrap()
                .content_type,
            "image/png"
        );
    }

    #[tokio::test]
    async fn type_is_judged_by_content_not_name() {
        let store = DocumentStore::in_memory(1024);
        // An executable is refused whatever it is called.
        let elf = Bytes::from_static(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
        assert!(matches!(
            store.put(elf).await,
            Err(DocumentError::TypeNotAllowed { .. })
        ));
        let text = Bytes::from_static(b"just some text pretending to be report.pdf");
        assert!(matches!(
            store.put(text).await,
            Err(DocumentError::TypeNotAllowed { .. })
        ));
    }

    #[tokio::test]
    async fn empty_and_oversized_files_are_refused_with_the_limit() {
        let store = DocumentStore::in_memory(16);
        assert!(matches!(
            store.put(Bytes::new()).await,
            Err(DocumentError::Empty)
        ));
        let err = store.put(Bytes::from_static(PDF)).await.unwrap_err();
        assert!(matches!(err, DocumentError::TooLarge { max: 16 }));
        let app: AppError = err.into();
        assert_eq!(app.status(), http::StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[tokio::test]
    async fn local_folder_store_persists_and_detects_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let store = DocumentStore::local(dir.path(), 1024).unwrap();
        let stored = store.put(Bytes::from_static(PDF)).await.unwrap();
        let reopened = DocumentStore::local(dir.path(), 1024).unwrap();
        assert_eq!(reopened.get(&stored.key).await.unwrap().len(), PDF.len());
        std::fs::write(dir.path().join(&stored.key), b"%PDF-tampered").unwrap();
        assert!(reopened.get(&stored.key).await.is_err());
        assert!(matches!(
            reopened.get("sha256/00/00").await,
            Err(DocumentError::NotFound)
        ));
    }

    #[test]
    fn file_names_cannot_traverse_paths() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\bids\\报价单.pdf"), "报价单.pdf");
        assert_eq!(clean_file_name("..\u{0}"), "document");
        assert_eq!(clean_file_name(".env"), "env");
    }
}
