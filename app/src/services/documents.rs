//! The use cases of the document routes: who may upload or read a document attached to a
//! capability record, a tender, a bid (sealed, see `bid_documents`) or a milestone's delivery
//! evidence, and the storing and reading of it. The routes themselves (multipart reading,
//! redirects for plain form posts, status codes) are the server's (`server::routes::documents`).
//!
//! Each upload is two steps, so a refusal comes before a byte of the file is read: `check_*`
//! says whether the person may upload there, `store_*` stores the file they sent.

use bytes::Bytes;
use uuid::Uuid;

use crate::domain::auth::{permits, Action};
use crate::error::AppError;
use crate::infra::db::begin_write_at;
use crate::infra::entities::document;
use crate::infra::storage::save_document;
use crate::model::accounts::Session;
use crate::services::session::organisation_of;
use crate::services::{bid_documents, contracts, profile, tenders, AppState};

/// A document to send back: its name, media type and bytes.
#[derive(Clone, Debug)]
pub struct DocumentFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Bytes,
}

/// A stored document's bytes, read from the document store.
async fn read(state: &AppState, doc: document::Model) -> Result<DocumentFile, AppError> {
    let bytes = state.documents.get(&doc.storage_key).await?;
    Ok(DocumentFile {
        name: doc.original_name,
        content_type: doc.content_type,
        bytes,
    })
}

// ---------------------------------------------------------------------------------------------
// Capability records
// ---------------------------------------------------------------------------------------------

/// The organisation that may attach a document to capability record `id`: the record's own.
/// A stranger's record is refused.
pub async fn check_capability_upload(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<Uuid, AppError> {
    let organisation: Uuid = organisation_of(session)?.into();
    profile::own_capability(&state.db, organisation, id).await?;
    Ok(organisation)
}

/// Stores the file and attaches it to the organisation's capability record `id`.
pub async fn store_capability_document(
    state: &AppState,
    session: &Session,
    organisation: Uuid,
    id: Uuid,
    name: &str,
    bytes: Bytes,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let (document, _) = save_document(&txn, &state.documents, bytes, name, now).await?;
    profile::attach_document(
        &txn,
        session.person_id.into(),
        organisation,
        id,
        document,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A capability record's document: only the record's own organisation may read it.
pub async fn capability_file(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<DocumentFile, AppError> {
    let organisation: Uuid = organisation_of(session)?.into();
    let doc = profile::capability_document(&state.db, organisation, id).await?;
    read(state, doc).await
}

// ---------------------------------------------------------------------------------------------
// Tender documents
// ---------------------------------------------------------------------------------------------

/// The agency that may attach a document to tender `id`: its own, while a draft. Another
/// agency's tender, or one no longer a draft, is refused.
pub async fn check_tender_upload(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<Uuid, AppError> {
    let agency: Uuid = organisation_of(session)?.into();
    tenders::own_draft(&state.db, agency, id).await?;
    Ok(agency)
}

/// Stores the file and attaches it to the agency's draft `id`.
pub async fn store_tender_document(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    name: &str,
    bytes: Bytes,
) -> Result<(), AppError> {
    // Its text is read before the write transaction (which holds SQLite's writer), so that
    // publication can check it for forbidden conditions (issue #34). A refused type is refused
    // here, before any reading.
    let content_type = state.documents.check(&bytes)?;
    let text = crate::infra::document_text::read_text(content_type, bytes.clone()).await;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let (document, _) = save_document(&txn, &state.documents, bytes, name, now).await?;
    tenders::attach_document(
        &txn,
        session.person_id.into(),
        agency,
        id,
        document,
        text,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A tender's document, and whether the tender is public: anyone may read it once it is,
/// before that only its own agency's officers.
pub async fn tender_file(
    state: &AppState,
    session: Option<&Session>,
    tender: Uuid,
    id: Uuid,
) -> Result<(DocumentFile, bool), AppError> {
    let agency = session
        .filter(|s| permits(s.role, Action::CreateTender))
        .and_then(|s| s.organisation_id)
        .map(Uuid::from);
    let (doc, public) =
        tenders::document_for(&state.db, tender, id, agency, state.clock.now()).await?;
    Ok((read(state, doc).await?, public))
}

// ---------------------------------------------------------------------------------------------
// Bid documents (sealed before they are stored, R-BID-01)
// ---------------------------------------------------------------------------------------------

/// The supplier that may attach a document to its bid.
pub fn check_bid_upload(session: &Session) -> Result<Uuid, AppError> {
    organisation_of(session).map(Uuid::from)
}

/// Seals and stores the file with the organisation's bid for `tender`.
pub async fn store_bid_document(
    state: &AppState,
    session: &Session,
    organisation: Uuid,
    tender: Uuid,
    name: &str,
    bytes: Bytes,
) -> Result<(), AppError> {
    bid_documents::attach(
        state,
        session.person_id.into(),
        organisation,
        tender,
        name,
        bytes,
    )
    .await
    .map(drop)
}

/// A document of the supplier's own bid, to the bidder only.
pub async fn own_bid_file(
    state: &AppState,
    session: &Session,
    tender: Uuid,
    id: Uuid,
) -> Result<DocumentFile, AppError> {
    let organisation: Uuid = organisation_of(session)?.into();
    let (doc, bytes) = bid_documents::own_file(state, organisation, tender, id).await?;
    Ok(bid_file(doc, bytes))
}

/// A document of an opened bid, to the tender's own agency, after the opening.
pub async fn opened_bid_file(
    state: &AppState,
    session: &Session,
    tender: Uuid,
    opened: Uuid,
    id: Uuid,
) -> Result<DocumentFile, AppError> {
    let (doc, bytes) = bid_documents::opened_file(state, session, tender, opened, id).await?;
    Ok(bid_file(doc, bytes))
}

fn bid_file(doc: crate::domain::bid::BidDocumentRef, bytes: Bytes) -> DocumentFile {
    DocumentFile {
        name: doc.name,
        content_type: doc.content_type,
        bytes,
    }
}

// ---------------------------------------------------------------------------------------------
// Delivery evidence of a milestone
// ---------------------------------------------------------------------------------------------

/// The supplier and the contract of the supplier's own milestone `id`.
pub async fn evidence_contract(
    state: &AppState,
    session: &Session,
    milestone: Uuid,
) -> Result<(Uuid, Uuid), AppError> {
    let supplier: Uuid = organisation_of(session)?.into();
    let contract = contracts::contract_of_milestone(&state.db, supplier, milestone).await?;
    Ok((supplier, contract))
}

/// Whether the supplier may add evidence to its milestone now (before it is marked delivered).
pub async fn check_evidence_upload(
    state: &AppState,
    supplier: Uuid,
    milestone: Uuid,
) -> Result<(), AppError> {
    contracts::check_evidence_allowed(&state.db, supplier, milestone).await
}

/// Stores the file as delivery evidence of the supplier's milestone.
pub async fn store_evidence(
    state: &AppState,
    session: &Session,
    supplier: Uuid,
    milestone: Uuid,
    name: &str,
    bytes: Bytes,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let (document, _) = save_document(&txn, &state.documents, bytes, name, now).await?;
    contracts::attach_evidence(&txn, session, supplier, milestone, document.0, now).await?;
    txn.commit().await?;
    Ok(())
}

/// A milestone's evidence, for the contract's two parties.
pub async fn evidence_file(
    state: &AppState,
    session: &Session,
    milestone: Uuid,
    id: Uuid,
) -> Result<DocumentFile, AppError> {
    let organisation: Uuid = session.organisation_id.ok_or(AppError::NotFound)?.into();
    let doc = contracts::evidence_document(&state.db, organisation, milestone, id).await?;
    read(state, doc).await
}
