//! Documents attached to a bid, sealed like the bid itself (R-BID-01).
//!
//! A file is checked (size, type by content) and then encrypted with a key of its own before it
//! reaches the document store, under a name (`bids/<id>`) that says nothing about it. The file's
//! key and description (name, type, size, SHA-256) are sealed twice: with the bidder's key, for
//! the bidder's own requests, and for the tender, opened only with the tender key that does not
//! exist before the deadline. The draft's current documents go into the bid's content at each
//! submission, so the receipt's digest covers their SHA-256; after the opening, the evaluators
//! read the documents of the counted version, and only those.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bytes::Bytes;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Set,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::bid::{BidDocumentRef, MAX_BID_DOCUMENTS};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::db::begin_write;
use crate::infra::entities::{bid, bid_document, bid_opening, opened_bid};
use crate::infra::sealing::{SealKey, Sealing};
use crate::infra::storage::clean_file_name;
use crate::model::accounts::Session;
use crate::services::bids::{
    check_open, ensure_bid, from_json, own_bid, public_tender, to_json, unsealed,
};
use crate::services::AppState;

/// What is sealed about a file: its key and its description.
#[derive(Serialize, Deserialize)]
struct FileMeta {
    key: String,
    document: BidDocumentRef,
}

fn storage_key(id: Uuid) -> String {
    format!("bids/{id}")
}

/// Checks, seals and attaches a file to the supplier's bid on an open tender (its draft: the
/// file goes with the next submission).
pub async fn attach(
    state: &AppState,
    person: Uuid,
    organisation: Uuid,
    tender_id: Uuid,
    name: &str,
    bytes: Bytes,
) -> Result<BidDocumentRef, AppError> {
    let content_type = state.documents.check(&bytes)?;
    // Refused before anything is written: a closed or cancelled tender, a full list.
    let now = state.clock.now();
    let t = public_tender(&state.db, tender_id, now).await?;
    check_open(&t, now)?;
    if let Some(row) = own_bid(&state.db, organisation, tender_id).await? {
        check_room(&state.db, row.id).await?;
    }

    let id = Uuid::now_v7();
    let document = BidDocumentRef {
        id,
        name: clean_file_name(name),
        content_type: content_type.to_string(),
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(&bytes)),
    };
    let file_key = state.sealing.random_key_bytes();
    let sealed = state
        .sealing
        .seal_bytes(&file_sealer(&file_key)?, id, &bytes);
    drop(bytes);
    state.documents.put_sealed(&storage_key(id), sealed).await?;
    let meta = to_json(&FileMeta {
        key: URL_SAFE_NO_PAD.encode(file_key),
        document: document.clone(),
    })?;

    let txn = begin_write(&state.db).await?;
    // Checked again inside the transaction: the deadline may have passed while the file was
    // being stored, and a parallel upload may have filled the list.
    let now = state.clock.now();
    let t = public_tender(&txn, tender_id, now).await?;
    check_open(&t, now)?;
    let row = ensure_bid(&txn, person, organisation, tender_id, now).await?;
    check_room(&txn, row.id).await?;
    bid_document::ActiveModel {
        id: Set(id),
        bid_id: Set(row.id),
        storage_key: Set(storage_key(id)),
        own_meta: Set(state.sealing.seal(
            &state.sealing.bidder_key(organisation, tender_id),
            id,
            &meta,
        )),
        tender_meta: Set(state.sealing.seal_for_tender(tender_id, id, &meta)),
        added_at: Set(now),
        removed_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(document)
}

fn file_sealer(bytes: &[u8]) -> Result<SealKey, AppError> {
    Sealing::key_from_bytes(bytes).map_err(unsealed)
}

async fn check_room(conn: &impl ConnectionTrait, bid: Uuid) -> Result<(), AppError> {
    let attached = bid_document::Entity::find()
        .filter(bid_document::Column::BidId.eq(bid))
        .filter(bid_document::Column::RemovedAt.is_null())
        .count(conn)
        .await?;
    if attached >= MAX_BID_DOCUMENTS {
        return Err(AppError::invalid(
            "file",
            Text::new(
                format!("一份投标最多附 {MAX_BID_DOCUMENTS} 个文件，请先移除一个。"),
                format!("A bid carries at most {MAX_BID_DOCUMENTS} documents: remove one first."),
            ),
        ));
    }
    Ok(())
}

/// Takes a document off the supplier's draft, before the deadline. A submitted version that
/// listed it keeps it.
pub async fn remove(
    state: &AppState,
    organisation: Uuid,
    tender_id: Uuid,
    document: Uuid,
) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    // R-BID-02: the time is read once the write may go ahead.
    let now = state.clock.now();
    let t = public_tender(&txn, tender_id, now).await?;
    check_open(&t, now)?;
    let row = own_bid(&txn, organisation, tender_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let updated = bid_document::Entity::update_many()
        .col_expr(bid_document::Column::RemovedAt, Expr::value(Some(now)))
        .filter(bid_document::Column::Id.eq(document))
        .filter(bid_document::Column::BidId.eq(row.id))
        .filter(bid_document::Column::RemovedAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    txn.commit().await?;
    Ok(())
}

/// The documents now attached to the supplier's bid (they go with the next submission).
pub async fn attached(
    conn: &impl ConnectionTrait,
    sealing: &Sealing,
    organisation: Uuid,
    tender_id: Uuid,
) -> Result<Vec<BidDocumentRef>, AppError> {
    let rows = attached_query(organisation, tender_id).all(conn).await?;
    opened(sealing, organisation, tender_id, &rows)
}

/// The documents attached to the firm's bid on the tender (none if it has no bid), in the
/// order they were added.
pub(super) fn attached_query(organisation: Uuid, tender_id: Uuid) -> Select<bid_document::Entity> {
    bid_document::Entity::find()
        .filter(
            bid_document::Column::BidId.in_subquery(
                crate::services::bids::own_bid_query(organisation, tender_id)
                    .select_only()
                    .column(bid::Column::Id)
                    .into_query(),
            ),
        )
        .filter(bid_document::Column::RemovedAt.is_null())
        .order_by_asc(bid_document::Column::AddedAt)
        .order_by_asc(bid_document::Column::Id)
}

/// What the bidder sees of [`attached_query`]'s rows, opened with its own key.
pub(super) fn opened(
    sealing: &Sealing,
    organisation: Uuid,
    tender_id: Uuid,
    rows: &[bid_document::Model],
) -> Result<Vec<BidDocumentRef>, AppError> {
    let key = sealing.bidder_key(organisation, tender_id);
    rows.iter()
        .map(|row| {
            let meta: FileMeta = from_json(
                &sealing
                    .open(&key, row.id, &row.own_meta)
                    .map_err(unsealed)?,
            )?;
            Ok(meta.document)
        })
        .collect()
}

/// One of the supplier's own bid documents, with its content.
pub async fn own_file(
    state: &AppState,
    organisation: Uuid,
    tender_id: Uuid,
    document: Uuid,
) -> Result<(BidDocumentRef, Bytes), AppError> {
    let row = own_bid(&state.db, organisation, tender_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let doc = bid_document::Entity::find_by_id(document)
        .filter(bid_document::Column::BidId.eq(row.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = state.sealing.bidder_key(organisation, tender_id);
    read(state, &key, &doc.own_meta, &doc).await
}

/// A document of an opened bid, for the tender's own agency: only after the opening, and only
/// one the counted version listed.
pub async fn opened_file(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
    opened_bid_id: Uuid,
    document: Uuid,
) -> Result<(BidDocumentRef, Bytes), AppError> {
    let now = state.clock.now();
    let t = crate::services::bids::agency_tender(&state.db, session, tender_id, now).await?;
    let key = state
        .sealing
        .tender_key(t.id, t.bid_deadline, now)
        .map_err(|_| AppError::NotFound)?;
    bid_opening::Entity::find_by_id(t.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let opened = opened_bid::Entity::find_by_id(opened_bid_id)
        .filter(opened_bid::Column::TenderId.eq(t.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::services::bids::opened_documents(&opened)?
        .iter()
        .any(|d| d.id == document)
    {
        return Err(AppError::NotFound);
    }
    let doc = bid_document::Entity::find_by_id(document)
        .filter(bid_document::Column::BidId.eq(opened.bid_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    read(state, &key, &doc.tender_meta, &doc).await
}

/// Opens the file's description (`sealed_meta`, one of the row's two copies) with `key`, then
/// the file with the key found in it.
async fn read(
    state: &AppState,
    key: &SealKey,
    sealed_meta: &str,
    doc: &bid_document::Model,
) -> Result<(BidDocumentRef, Bytes), AppError> {
    let meta: FileMeta = from_json(
        &state
            .sealing
            .open(key, doc.id, sealed_meta)
            .map_err(unsealed)?,
    )?;
    let file_key = URL_SAFE_NO_PAD
        .decode(&meta.key)
        .map_err(|_| unsealed(crate::infra::sealing::SealError::Damaged))?;
    let stored = state.documents.get_sealed(&doc.storage_key).await?;
    let plain =
        Sealing::open_bytes(&file_sealer(&file_key)?, doc.id, stored.to_vec()).map_err(unsealed)?;
    Ok((meta.document, Bytes::from(plain)))
}
