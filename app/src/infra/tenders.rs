//! Tender queries. They take `&impl ConnectionTrait` so they also run inside a transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{organisation, tender};
use crate::api::{TenderDetail, TenderSummary};
use crate::domain::tender::{Category, Method, TenderStatus};
use crate::domain::{Money, TenderId};

/// Published tenders, the most recently published first.
pub async fn list_published(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<TenderSummary>, DbErr> {
    let rows = tender::Entity::find()
        .filter(tender::Column::Status.eq(TenderStatus::Published.as_str()))
        .filter(tender::Column::PublishedAt.lte(now))
        .order_by_desc(tender::Column::PublishedAt)
        .order_by_asc(tender::Column::Id)
        .limit(limit)
        .find_also_related(organisation::Entity)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|(t, agency)| summary(t, agency))
        .collect()
}

/// One tender as the public sees it. Drafts are not public.
pub async fn find_public(
    conn: &impl ConnectionTrait,
    id: TenderId,
    now: DateTime<Utc>,
) -> Result<Option<TenderDetail>, DbErr> {
    let Some((t, agency)) = tender::Entity::find_by_id(id.0)
        .find_also_related(organisation::Entity)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let public =
        t.published_at.is_some_and(|at| at <= now) && t.status != TenderStatus::Draft.as_str();
    if !public {
        return Ok(None);
    }
    let status = parse_stored("tender.status", &t.status, TenderStatus::parse)?;
    let description = t.description.clone();
    let published_at = t.published_at;
    Ok(Some(TenderDetail {
        summary: summary(t, agency)?,
        description,
        status,
        published_at,
    }))
}

fn summary(t: tender::Model, agency: Option<organisation::Model>) -> Result<TenderSummary, DbErr> {
    Ok(TenderSummary {
        id: TenderId(t.id),
        title: t.title,
        agency_name: agency.map(|a| a.name).unwrap_or_default(),
        category: parse_stored("tender.category", &t.category, Category::parse)?,
        method: parse_stored("tender.method", &t.method, Method::parse)?,
        region: t.region,
        budget: Money::from_fen(t.budget_fen),
        bid_deadline: t.bid_deadline,
    })
}

/// A stored value outside its enum means the database was changed behind the application's back.
fn parse_stored<T>(column: &str, value: &str, parse: fn(&str) -> Option<T>) -> Result<T, DbErr> {
    parse(value).ok_or_else(|| DbErr::Type(format!("unexpected value {value:?} in {column}")))
}
