//! Delivery evidence: documents the supplier attaches to a milestone.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::entities::{contract, document, milestone, milestone_document};
use crate::model::accounts::Session;
use crate::model::contracts::*;

use super::{actor, conflict, scoped_milestone};

/// The evidence documents of each of `milestone_ids`, oldest first.
pub(super) async fn evidence_of_many(
    conn: &impl ConnectionTrait,
    milestone_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<EvidenceView>>, AppError> {
    let mut links = Vec::new();
    for chunk in milestone_ids.chunks(500) {
        links.extend(
            milestone_document::Entity::find()
                .filter(milestone_document::Column::MilestoneId.is_in(chunk.to_vec()))
                .order_by_asc(milestone_document::Column::AddedAt)
                .order_by_asc(milestone_document::Column::Id)
                .all(conn)
                .await?,
        );
    }
    let mut docs = std::collections::HashMap::new();
    let doc_ids: Vec<Uuid> = links.iter().map(|l| l.document_id).collect();
    for chunk in doc_ids.chunks(500) {
        for d in document::Entity::find()
            .filter(document::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            docs.insert(d.id, d);
        }
    }
    let mut out: std::collections::HashMap<Uuid, Vec<EvidenceView>> = Default::default();
    for l in links {
        if let Some(d) = docs.get(&l.document_id) {
            out.entry(l.milestone_id).or_default().push(EvidenceView {
                name: d.original_name.clone(),
                size_bytes: d.size_bytes,
                href: format!("/contracts/milestones/{}/evidence/{}", l.milestone_id, l.id),
            });
        }
    }
    Ok(out)
}

/// The contract of a milestone `organisation` is party to (for the upload's redirect).
pub async fn contract_of_milestone(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    milestone_id: Uuid,
) -> Result<Uuid, AppError> {
    let m = milestone::Entity::find_by_id(milestone_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    contract::Entity::find_by_id(m.contract_id)
        .one(conn)
        .await?
        .filter(|c| c.agency_id == organisation || c.supplier_id == organisation)
        .map(|c| c.id)
        .ok_or(AppError::NotFound)
}

/// Refuses evidence for a milestone that is not the supplier's, is an advance, is delivered
/// (awaiting a decision) or accepted, or already has the most documents. Checked before the
/// file is read, and again in the transaction that attaches it.
pub async fn check_evidence_allowed(
    conn: &impl ConnectionTrait,
    supplier: Uuid,
    milestone_id: Uuid,
) -> Result<(), AppError> {
    let (_, m) = scoped_milestone(conn, supplier, false, milestone_id).await?;
    if m.advance {
        return Err(conflict(
            "预付款节点无需交付材料。",
            "An advance payment needs no delivery evidence.",
        ));
    }
    if m.delivered_at.is_some() || m.accepted_on.is_some() {
        return Err(conflict(
            "该节点已交付，等待验收期间不能再添加材料；如被退回，可补充后重新交付。",
            "This milestone is delivered: evidence cannot be added while it awaits a decision. If it is rejected, add more and deliver again.",
        ));
    }
    let count = sea_orm::PaginatorTrait::count(
        milestone_document::Entity::find()
            .filter(milestone_document::Column::MilestoneId.eq(milestone_id)),
        conn,
    )
    .await?;
    if count >= MAX_EVIDENCE_DOCUMENTS {
        return Err(AppError::invalid(
            "file",
            Text::new(
                format!("每个节点最多上传 {MAX_EVIDENCE_DOCUMENTS} 份交付材料。"),
                format!("A milestone takes at most {MAX_EVIDENCE_DOCUMENTS} evidence documents."),
            ),
        ));
    }
    Ok(())
}

/// Attaches a stored document to the supplier's milestone as delivery evidence.
pub async fn attach_evidence(
    conn: &impl ConnectionTrait,
    session: &Session,
    supplier: Uuid,
    milestone_id: Uuid,
    document_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    check_evidence_allowed(conn, supplier, milestone_id).await?;
    let id = Uuid::now_v7();
    milestone_document::ActiveModel {
        id: Set(id),
        milestone_id: Set(milestone_id),
        document_id: Set(document_id),
        added_by: Set(session.person_id.into()),
        added_at: Set(now),
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        now,
        actor(session),
        "milestone.evidence",
        "milestone",
        milestone_id,
        &document_id,
    )
    .await?;
    Ok(())
}

/// An evidence document, for the officers of the contract's agency and its supplier.
pub async fn evidence_document(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    milestone_id: Uuid,
    id: Uuid,
) -> Result<document::Model, AppError> {
    contract_of_milestone(conn, organisation, milestone_id).await?;
    let link = milestone_document::Entity::find_by_id(id)
        .filter(milestone_document::Column::MilestoneId.eq(milestone_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    document::Entity::find_by_id(link.document_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}
