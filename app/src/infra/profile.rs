//! The supplier profile: SME declarations (R-SME-04). Every query is scoped to the caller's own
//! organisation, which is how one supplier never reads or changes another's profile.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::entities::sme_declaration;
use super::{audit, db::begin_write};
use crate::api::accounts::SmeDeclarationView;
use crate::domain::sme::{Industry, SizeClass, SmeDeclaration};
use crate::domain::Money;
use crate::error::AppError;

/// R-SME-04: stores a new version of the organisation's declaration with its computed size class.
pub async fn declare_sme(
    db: &DatabaseConnection,
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
    sme_declaration::Entity::find()
        .filter(sme_declaration::Column::OrganisationId.eq(organisation))
        .order_by_desc(sme_declaration::Column::Version)
        .one(conn)
        .await
}

pub async fn latest_sme_declaration(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
) -> Result<Option<SmeDeclarationView>, DbErr> {
    let Some(row) = latest(conn, organisation).await? else {
        return Ok(None);
    };
    let bad = |what: &str| DbErr::Type(format!("unexpected {what} in sme_declaration {}", row.id));
    let industry = Industry::parse(&row.industry).ok_or_else(|| bad("industry"))?;
    let size_class = SizeClass::parse(&row.size_class).ok_or_else(|| bad("size class"))?;
    Ok(Some(SmeDeclarationView {
        version: row.version,
        declaration: SmeDeclaration {
            industry,
            headcount: u32::try_from(row.headcount).map_err(|_| bad("headcount"))?,
            annual_revenue: Money::from_fen(row.annual_revenue_fen),
            total_assets: Money::from_fen(row.total_assets_fen),
        },
        size_class,
        declared_at: row.declared_at,
    }))
}
