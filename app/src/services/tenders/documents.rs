//! Tender documents: attached to and removed from a draft, listed, and fetched for download.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::{actor, not_a_draft, own_tender};
use crate::domain::tender::TenderStatus;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::document_text::{DocumentText, TEXT_CHECKED, TEXT_UNREADABLE};
use crate::infra::entities::tender;
use crate::infra::{audit, db::begin_write};

/// How many documents one tender may carry.
pub const MAX_TENDER_DOCUMENTS: u64 = 20;

/// The agency's tender, still a draft (documents change only then).
pub async fn own_draft(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    id: Uuid,
) -> Result<tender::Model, AppError> {
    let t = own_tender(conn, agency, id).await?;
    if t.status != TenderStatus::Draft.as_str() {
        return Err(not_a_draft());
    }
    Ok(t)
}

/// Attaches a stored document to the agency's draft, with the text read from it (issue #34:
/// read once here, so publication checks it and the pages show whether it could be, without
/// reading the file again).
pub async fn attach_document(
    conn: &impl ConnectionTrait,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    document: crate::domain::DocumentId,
    text: DocumentText,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::infra::entities::tender_document;
    use sea_orm::PaginatorTrait;
    own_draft(conn, agency, id).await?;
    let count = tender_document::Entity::find()
        .filter(tender_document::Column::TenderId.eq(id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .count(conn)
        .await?;
    if count >= MAX_TENDER_DOCUMENTS {
        return Err(AppError::invalid(
            "file",
            Text::new(
                format!("一个项目最多 {MAX_TENDER_DOCUMENTS} 个文件，请先移除不需要的文件。"),
                format!(
                    "A tender may carry at most {MAX_TENDER_DOCUMENTS} documents. Remove one first."
                ),
            ),
        ));
    }
    let row = tender_document::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(id),
        document_id: Set(document.0),
        added_by: Set(person),
        added_at: Set(now),
        removed_at: Set(None),
        text_status: Set(Some(text.status().to_string())),
        text_note: Set(match &text {
            DocumentText::Readable(_) => None,
            DocumentText::Unreadable(why) => Some(why.note().to_string()),
        }),
    }
    .insert(conn)
    .await?;
    if let DocumentText::Readable(text) = text {
        store_text(conn, row.id, text).await?;
    }
    audit::record(
        conn,
        now,
        actor(person, agency),
        "attach_tender_document",
        "tender",
        id,
        &(row.id, document.0),
    )
    .await?;
    Ok(())
}

/// Takes a document off the agency's draft (recorded, not erased).
pub async fn remove_document(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    document: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::infra::entities::tender_document;
    let txn = begin_write(db).await?;
    own_draft(&txn, agency, id).await?;
    let row = tender_document::Entity::find_by_id(document)
        .filter(tender_document::Column::TenderId.eq(id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: tender_document::ActiveModel = row.into();
    active.removed_at = Set(Some(now));
    active.update(&txn).await?;
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "remove_tender_document",
        "tender",
        id,
        &document,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The tender's documents, in the order they were added.
pub async fn documents_of(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<crate::model::tenders::TenderDocumentView>, DbErr> {
    use crate::infra::entities::{document, tender_document};
    Ok(tender_document::Entity::find()
        .filter(tender_document::Column::TenderId.eq(tender_id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .order_by_asc(tender_document::Column::AddedAt)
        .order_by_asc(tender_document::Column::Id)
        .find_also_related(document::Entity)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|(link, doc)| {
            let doc = doc?;
            Some(crate::model::tenders::TenderDocumentView {
                href: crate::paths::tender_document(tender_id, link.id),
                id: link.id,
                name: doc.original_name,
                size_bytes: doc.size_bytes,
                sha256: doc.sha256,
                not_checked: link.text_status.as_deref() == Some(TEXT_UNREADABLE),
            })
        })
        .collect())
}

/// A tender's document for download, and whether the tender is public: anyone's once it is,
/// otherwise only for the officers of its own agency (`agency`). Anything else is "not found".
pub async fn document_for(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
    link: Uuid,
    agency: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(crate::infra::entities::document::Model, bool), AppError> {
    use crate::infra::entities::{document, tender_document};
    let t = tender::Entity::find_by_id(tender_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let public = super::public::is_public(&t, now);
    if !public && agency != Some(t.agency_id) {
        return Err(AppError::NotFound);
    }
    let (_, doc) = tender_document::Entity::find_by_id(link)
        .filter(tender_document::Column::TenderId.eq(tender_id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .find_also_related(document::Entity)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((doc.ok_or(AppError::NotFound)?, public))
}

async fn store_text(conn: &impl ConnectionTrait, link: Uuid, text: String) -> Result<(), DbErr> {
    use crate::infra::entities::tender_document_text;
    tender_document_text::ActiveModel {
        tender_document_id: Set(link),
        text: Set(text),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The text of each of the tender's documents that could be read, with the document's name, in
/// the order they were added: what publication checks (R-BAR-01..03, R-SME-04).
pub async fn document_texts(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<(String, String)>, DbErr> {
    use crate::infra::entities::{document, tender_document, tender_document_text};
    let links = tender_document::Entity::find()
        .filter(tender_document::Column::TenderId.eq(tender_id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .filter(tender_document::Column::TextStatus.eq(TEXT_CHECKED))
        .order_by_asc(tender_document::Column::AddedAt)
        .order_by_asc(tender_document::Column::Id)
        .find_also_related(document::Entity)
        .all(conn)
        .await?;
    let mut texts = Vec::with_capacity(links.len());
    for (link, doc) in links {
        let Some(doc) = doc else { continue };
        if let Some(t) = tender_document_text::Entity::find_by_id(link.id)
            .one(conn)
            .await?
        {
            texts.push((doc.original_name, t.text));
        }
    }
    Ok(texts)
}

/// Reads the text of the draft's documents attached before texts were read when attaching
/// (their status is empty), so that publication checks every document. Each is read outside any
/// transaction and recorded in a short one of its own.
pub async fn read_missing_texts(
    db: &crate::infra::db::Db,
    store: &crate::infra::storage::DocumentStore,
    tender_id: Uuid,
) -> Result<(), AppError> {
    use crate::infra::entities::{document, tender_document};
    let unread = tender_document::Entity::find()
        .filter(tender_document::Column::TenderId.eq(tender_id))
        .filter(tender_document::Column::RemovedAt.is_null())
        .filter(tender_document::Column::TextStatus.is_null())
        .find_also_related(document::Entity)
        .all(db)
        .await?;
    for (link, doc) in unread {
        let Some(doc) = doc else { continue };
        let bytes = store.get(&doc.storage_key).await?;
        let text = crate::infra::document_text::read_text(&doc.content_type, bytes).await;
        let txn = begin_write(db).await?;
        let mut active: tender_document::ActiveModel = link.into();
        active.text_status = Set(Some(text.status().to_string()));
        if let DocumentText::Unreadable(why) = &text {
            active.text_note = Set(Some(why.note().to_string()));
        }
        let link = active.update(&txn).await?;
        if let DocumentText::Readable(text) = text {
            store_text(&txn, link.id, text).await?;
        }
        txn.commit().await?;
    }
    Ok(())
}
