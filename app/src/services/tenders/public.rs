//! A published tender as anyone sees it: the list of the newest, one tender for its page, and
//! the loader the page and /api/v1 share.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::{clarifications_of, documents_of, parse_stored, PublishedLots};
use crate::domain::tender::{Category, Method, TenderStatus};
use crate::domain::{Money, Percent, TenderId};
use crate::infra::entities::{organisation, tender};
use crate::model::tenders::{TenderDetail, TenderSummary};

/// Of these tenders, the ones with a lot reserved for SMEs.
pub(super) async fn reserved_lots(
    conn: &impl ConnectionTrait,
    tenders: Vec<uuid::Uuid>,
) -> Result<std::collections::HashSet<uuid::Uuid>, DbErr> {
    if tenders.is_empty() {
        return Ok(Default::default());
    }
    Ok(crate::infra::entities::tender_lot::Entity::find()
        .filter(crate::infra::entities::tender_lot::Column::TenderId.is_in(tenders))
        .filter(crate::infra::entities::tender_lot::Column::ReservedForSme.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| l.tender_id)
        .collect())
}

/// Whether anyone may see the tender: published (not a draft) and its publication time come.
pub(crate) fn is_public(t: &tender::Model, now: DateTime<Utc>) -> bool {
    t.published_at.is_some_and(|at| at <= now) && t.status != TenderStatus::Draft.as_str()
}

/// The tender with this id if anyone may see it: the one loader of the tender page
/// ([`find_public`]) and /api/v1's tender endpoints (`open_data`).
pub(crate) async fn load_public(
    conn: &impl ConnectionTrait,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<Option<tender::Model>, DbErr> {
    Ok(tender::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|t| is_public(t, now)))
}

/// One tender as the public sees it. Drafts are not public. Its lots and criteria come from
/// `published` (read once per tender, then kept).
pub async fn find_public(
    conn: &impl ConnectionTrait,
    published: &PublishedLots,
    id: TenderId,
    now: DateTime<Utc>,
) -> Result<Option<TenderDetail>, DbErr> {
    let Some(t) = load_public(conn, id.0, now).await? else {
        return Ok(None);
    };
    let agency = organisation::Entity::find_by_id(t.agency_id)
        .one(conn)
        .await?;
    let status = parse_stored("tender.status", &t.status, TenderStatus::parse)?;
    let description = t.description.clone();
    let published_at = t.published_at;
    let lots = published.of(conn, &t).await?.to_vec();
    let reserved: std::collections::HashSet<_> = lots
        .iter()
        .filter(|l| l.reserved_for_sme)
        .map(|_| t.id)
        .collect();
    let reserved_whole = t.reserved_whole == Some(true);
    let price_deduction = t
        .sme_price_deduction_bp
        .filter(|_| !reserved_whole)
        .map(|bp| Percent::from_bp(bp).value());
    let price_weight = t.price_weight_bp.map(|bp| Percent::from_bp(bp).value());
    let clarifications = clarifications_of(conn, t.id).await?;
    let cancel_reason = t.cancel_reason.clone();
    let documents = documents_of(conn, t.id).await?;
    let t_id = t.id;
    let lot_outcomes = crate::services::bids::lot_outcomes(conn, &t)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    // R-SME-05, R-BID-04: a re-tender links to the tender it re-tenders, and back.
    let retender_of = super::retender::notice_of(conn, &t)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    let retendered_as = super::retender::public_retender_of(conn, &t, now)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(Some(TenderDetail {
        summary: summary(t, agency, &reserved)?,
        description,
        status,
        published_at,
        lots,
        reserved_whole,
        price_deduction,
        price_weight,
        clarifications,
        cancel_reason,
        documents,
        // Needs the working-day calendar: filled in by `server_fns::get_tender`.
        documents_available_until: None,
        documents_available_until_provisional: false,
        awards: crate::services::bids::award_notices(conn, t_id)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .into_iter()
            .map(|(_, a)| a)
            .collect(),
        lot_outcomes,
        reviews: super::review::published_after_review(conn, t_id)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?,
        retender_of,
        retendered_as,
    }))
}

pub(super) fn summary(
    t: tender::Model,
    agency: Option<organisation::Model>,
    reserved_lots: &std::collections::HashSet<uuid::Uuid>,
) -> Result<TenderSummary, DbErr> {
    Ok(TenderSummary {
        sme_reserved: t.reserved_whole == Some(true) || reserved_lots.contains(&t.id),
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
