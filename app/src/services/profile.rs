//! The supplier profile: SME declarations (R-SME-04) and capability records. Every query is
//! scoped to the caller's own organisation, which is how one supplier never reads or changes
//! another's profile.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use uuid::Uuid;

use crate::domain::capability::{Capability, CapabilityKind, Validity};
use crate::domain::sme::{Industry, SizeClass, SmeDeclaration};
use crate::domain::Money;
use crate::error::AppError;
use crate::infra::entities::{capability_record, document, sme_declaration};
use crate::infra::{audit, db::begin_write};
use crate::model::accounts::SmeDeclarationView;
use crate::model::profile::{AttachedDocument, CapabilityView};

/// R-SME-04: stores a new version of the organisation's declaration with its computed size class.
pub async fn declare_sme(
    db: &crate::infra::db::Db,
    person: Uuid,
    organisation: Uuid,
    declaration: &SmeDeclaration,
    now: DateTime<Utc>,
) -> Result<SmeDeclarationView, AppError> {
    let size_class = declaration.size_class();
    let txn = begin_write(db).await?;
    let version = latest(&txn, organisation)
        .await?
        .map_or(1, |d| d.version + 1);
    let headcount = i32::try_from(declaration.headcount)
        .map_err(|_| AppError::Internal { request_id: None })?;
    sme_declaration::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation),
        version: Set(version),
        industry: Set(declaration.industry.as_str().into()),
        headcount: Set(headcount),
        annual_revenue_fen: Set(declaration.annual_revenue.to_fen()),
        total_assets_fen: Set(declaration.total_assets.to_fen()),
        size_class: Set(size_class.as_str().into()),
        declared_by: Set(person),
        declared_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let actor = audit::Actor {
        person: Some(person),
        organisation: Some(organisation),
    };
    audit::record(
        &txn,
        now,
        actor,
        "declare_sme",
        "sme_declaration",
        format!("{organisation}/{version}"),
        declaration,
    )
    .await?;
    txn.commit().await?;
    Ok(SmeDeclarationView {
        version,
        declaration: declaration.clone(),
        size_class,
        declared_at: now,
    })
}

async fn latest(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
) -> Result<Option<sme_declaration::Model>, DbErr> {
    latest_query(organisation).one(conn).await
}

/// The organisation's declarations, latest first: its first row is the one that stands.
pub(super) fn latest_query(organisation: Uuid) -> Select<sme_declaration::Entity> {
    sme_declaration::Entity::find()
        .filter(sme_declaration::Column::OrganisationId.eq(organisation))
        .order_by_desc(sme_declaration::Column::Version)
        .limit(1)
}

pub async fn latest_sme_declaration(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
) -> Result<Option<SmeDeclarationView>, DbErr> {
    latest(conn, organisation)
        .await?
        .map(declaration_view)
        .transpose()
}

/// A stored declaration as it is shown and snapshotted into bids.
pub(super) fn declaration_view(row: sme_declaration::Model) -> Result<SmeDeclarationView, DbErr> {
    let bad = |what: &str| DbErr::Type(format!("unexpected {what} in sme_declaration {}", row.id));
    let industry = Industry::parse(&row.industry).ok_or_else(|| bad("industry"))?;
    let size_class = SizeClass::parse(&row.size_class).ok_or_else(|| bad("size class"))?;
    Ok(SmeDeclarationView {
        version: row.version,
        declaration: SmeDeclaration {
            industry,
            headcount: u32::try_from(row.headcount).map_err(|_| bad("headcount"))?,
            annual_revenue: Money::from_fen(row.annual_revenue_fen),
            total_assets: Money::from_fen(row.total_assets_fen),
        },
        size_class,
        declared_at: row.declared_at,
    })
}

/// The ids of the organisation's current (not archived) capability records, for a query that
/// needs no more of them than that.
pub(super) fn current_record_ids(organisation: Uuid) -> Select<capability_record::Entity> {
    capability_record::Entity::find()
        .select_only()
        .column(capability_record::Column::Id)
        .filter(capability_record::Column::OrganisationId.eq(organisation))
        .filter(capability_record::Column::ArchivedAt.is_null())
}

/// A row of [`current_record_ids`].
#[derive(Debug, sea_orm::FromQueryResult)]
pub(super) struct RecordId {
    pub id: Uuid,
}

pub async fn add_capability(
    db: &crate::infra::db::Db,
    person: Uuid,
    organisation: Uuid,
    capability: &Capability,
    now: DateTime<Utc>,
) -> Result<CapabilityView, AppError> {
    let txn = begin_write(db).await?;
    let row = capability_record::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation),
        kind: Set(capability.kind.as_str().into()),
        title: Set(capability.title.clone()),
        number: Set(capability.number.clone()),
        issuer: Set(capability.issuer.clone()),
        valid_until: Set(capability.valid_until),
        details: Set(capability.details.clone()),
        document_id: Set(None),
        created_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        actor(person, organisation),
        "add_capability",
        "capability_record",
        row.id,
        capability,
    )
    .await?;
    txn.commit().await?;
    view(row, None, now)
}

fn actor(person: Uuid, organisation: Uuid) -> audit::Actor {
    audit::Actor {
        person: Some(person),
        organisation: Some(organisation),
    }
}

/// The organisation's records that are not archived, newest first, with their validity today.
pub async fn capabilities(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<CapabilityView>, AppError> {
    let rows = capability_record::Entity::find()
        .filter(capability_record::Column::OrganisationId.eq(organisation))
        .filter(capability_record::Column::ArchivedAt.is_null())
        .order_by_desc(capability_record::Column::CreatedAt)
        .order_by_desc(capability_record::Column::Id)
        .find_also_related(document::Entity)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|(row, doc)| view(row, doc, now))
        .collect()
}

/// One of the organisation's current records; another organisation's, or an archived one, is
/// "not found" (never "forbidden", which would confirm that it exists).
pub async fn own_capability(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    id: Uuid,
) -> Result<capability_record::Model, AppError> {
    capability_record::Entity::find_by_id(id)
        .filter(capability_record::Column::OrganisationId.eq(organisation))
        .filter(capability_record::Column::ArchivedAt.is_null())
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn archive_capability(
    db: &crate::infra::db::Db,
    person: Uuid,
    organisation: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let row = own_capability(&txn, organisation, id).await?;
    let mut active: capability_record::ActiveModel = row.into();
    active.archived_at = Set(Some(now));
    active.update(&txn).await?;
    audit::record(
        &txn,
        now,
        actor(person, organisation),
        "archive_capability",
        "capability_record",
        id,
        &now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Attaches a stored document to one of the organisation's records (replacing an earlier one,
/// which stays stored: nothing is deleted).
pub async fn attach_document(
    conn: &impl ConnectionTrait,
    person: Uuid,
    organisation: Uuid,
    id: Uuid,
    document: crate::domain::DocumentId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = own_capability(conn, organisation, id).await?;
    let mut active: capability_record::ActiveModel = row.into();
    active.document_id = Set(Some(document.0));
    active.update(conn).await?;
    audit::record(
        conn,
        now,
        actor(person, organisation),
        "attach_capability_document",
        "capability_record",
        id,
        &document.0,
    )
    .await?;
    Ok(())
}

/// The document attached to one of the organisation's current records.
pub async fn capability_document(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    id: Uuid,
) -> Result<document::Model, AppError> {
    let row = own_capability(conn, organisation, id).await?;
    let Some(doc) = row.document_id else {
        return Err(AppError::NotFound);
    };
    document::Entity::find_by_id(doc)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

fn view(
    row: capability_record::Model,
    doc: Option<document::Model>,
    now: DateTime<Utc>,
) -> Result<CapabilityView, AppError> {
    let kind = CapabilityKind::parse(&row.kind).ok_or_else(|| {
        tracing::error!(id = %row.id, kind = %row.kind, "unknown capability kind");
        AppError::Internal { request_id: None }
    })?;
    Ok(CapabilityView {
        id: row.id,
        validity: Validity::on(row.valid_until, crate::domain::china_day(now)),
        capability: Capability {
            kind,
            title: row.title,
            number: row.number,
            issuer: row.issuer,
            valid_until: row.valid_until,
            details: row.details,
        },
        document: doc.map(|d| AttachedDocument {
            name: d.original_name,
            size_bytes: d.size_bytes,
            href: crate::paths::capability_document(row.id),
        }),
        created_at: row.created_at,
    })
}
