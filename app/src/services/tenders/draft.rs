//! The agency's drafts (issue #4): saved as typed, listed, shown back.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::{actor, documents_of, not_a_draft, own_tender, parse_stored};
use crate::domain::draft::{TenderDraft, TenderDraftForm};
use crate::domain::tender::TenderStatus;
use crate::domain::Money;
use crate::error::AppError;
use crate::infra::entities::tender;
use crate::infra::{audit, db::begin_write};
use crate::model::agency::{AgencyTender, TenderDraftView};

/// Saves the form as typed (already parsed, so it is sound input) and the columns the lists
/// show. A published tender's draft never changes.
pub async fn save_draft(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    existing: Option<Uuid>,
    form: &TenderDraftForm,
    draft: &TenderDraft,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let json = serde_json::to_string(form).map_err(|e| {
        tracing::error!(error = %e, "draft form did not serialise");
        AppError::Internal { request_id: None }
    })?;
    let plan = &draft.plan;
    let txn = begin_write(db).await?;
    let mut row: tender::ActiveModel = match existing {
        Some(id) => {
            let t = own_tender(&txn, agency, id).await?;
            if t.status != TenderStatus::Draft.as_str() {
                return Err(not_a_draft());
            }
            t.into()
        }
        None => tender::ActiveModel {
            id: Set(Uuid::now_v7()),
            agency_id: Set(agency),
            status: Set(TenderStatus::Draft.as_str().into()),
            published_at: Set(None),
            created_at: Set(now),
            created_by: Set(Some(person)),
            ..Default::default()
        },
    };
    row.title = Set(plan.title.clone());
    row.description = Set(plan.description.clone());
    row.category = Set(plan.category.as_str().into());
    row.method = Set(plan.method.as_str().into());
    row.region = Set(draft.region.clone());
    row.budget_fen = Set(plan.budget.to_fen());
    row.bid_deadline = Set(plan.bid_deadline);
    row.updated_at = Set(Some(now));
    row.draft_form = Set(Some(json));
    let saved = if existing.is_some() {
        row.update(&txn).await?
    } else {
        row.insert(&txn).await?
    };
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "save_tender_draft",
        "tender",
        saved.id,
        form,
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

pub async fn agency_tenders(
    conn: &impl ConnectionTrait,
    agency: Uuid,
) -> Result<Vec<AgencyTender>, AppError> {
    let rows = tender::Entity::find()
        .filter(tender::Column::AgencyId.eq(agency))
        .order_by_desc(tender::Column::CreatedAt)
        .order_by_desc(tender::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|t| {
            Ok(AgencyTender {
                id: t.id,
                status: parse_stored("tender.status", &t.status, TenderStatus::parse)?,
                title: t.title,
                budget: Money::from_fen(t.budget_fen),
                bid_deadline: t.bid_deadline,
            })
        })
        .collect::<Result<_, DbErr>>()
        .map_err(AppError::from)
}

pub(super) fn stored_form(t: &tender::Model) -> Result<TenderDraftForm, AppError> {
    serde_json::from_str(t.draft_form.as_deref().unwrap_or("{}")).map_err(|e| {
        tracing::error!(id = %t.id, error = %e, "stored draft form does not parse");
        AppError::Internal { request_id: None }
    })
}

pub async fn draft_view(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    id: Uuid,
) -> Result<TenderDraftView, AppError> {
    let t = own_tender(conn, agency, id).await?;
    // R-SME-05, R-BID-04: the tender it re-tenders (the agency's own).
    let retender_of = match t.retender_of {
        Some(of) => tender::Entity::find_by_id(of).one(conn).await?.map(|f| {
            crate::model::tenders::RelatedTender {
                id: crate::domain::TenderId(f.id),
                title: f.title,
            }
        }),
        None => None,
    };
    let status = parse_stored("tender.status", &t.status, TenderStatus::parse)?;
    let mut form = stored_form(&t)?;
    if status != TenderStatus::Draft {
        // Published: the terms as they stand, the deadline as a clarification may have moved
        // it (the amendment form starts from them, R-TIME-02).
        form.bid_deadline = crate::domain::draft::beijing_datetime_text(t.bid_deadline);
    }
    Ok(TenderDraftView {
        id: t.id,
        status,
        form,
        documents: documents_of(conn, t.id).await?,
        retender_of,
    })
}
