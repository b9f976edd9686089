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

/// Attaches a stored document to the agency's draft.
pub async fn attach_document(
    conn: &impl ConnectionTrait,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    document: crate::domain::DocumentId,
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
    }
    .insert(conn)
    .await?;
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
