//! The award: the lot's first-ranked bid wins and the notice is published.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::bid::DeclarationSnapshot;
use crate::domain::lot_outcome::LotOpening;
use crate::domain::Money;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{award, bid_opening, opened_bid, tender, tender_lot};
use crate::infra::records::evaluation::{EvaluatedBid, EvaluationRecord};
use crate::model::accounts::Session;
use crate::model::bids::*;
use crate::services::AppState;

use super::common::{agency_tender, from_json, lot_outcome_of, officer};
use super::evaluation::{scored_lot, ScoredLot};

/// The public award notices of a tender, lot by lot (R-SME-04: with the winner's declaration).
pub async fn award_notices(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
) -> Result<Vec<(Uuid, AwardNotice)>, AppError> {
    let awards = award::Entity::find()
        .filter(award::Column::TenderId.eq(tender_id))
        .all(conn)
        .await?;
    if awards.is_empty() {
        return Ok(Vec::new());
    }
    let t = tender::Entity::find_by_id(tender_id).one(conn).await?;
    let lots: HashMap<Uuid, tender_lot::Model> = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(tender_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut out = Vec::new();
    for a in awards {
        let Some(winner) = opened_bid::Entity::find_by_id(a.opened_bid_id)
            .one(conn)
            .await?
        else {
            continue;
        };
        let declaration: Option<DeclarationSnapshot> = match &winner.declaration {
            Some(json) => Some(from_json(json.as_bytes())?),
            None => None,
        };
        let position = lots.get(&a.lot_id).map_or(i32::MAX, |l| l.position);
        // R-SME-02: the share the winner undertakes, published with the notice.
        let sme_obligation = match (&t, lots.get(&a.lot_id)) {
            (Some(t), Some(lot)) => super::obligation_of(t, lot, &winner)?,
            _ => None,
        };
        out.push((
            a.lot_id,
            position,
            AwardNotice {
                lot_title: lots
                    .get(&a.lot_id)
                    .map(|l| l.title.clone())
                    .unwrap_or_default(),
                supplier_name: winner.supplier_name,
                price: Money::from_fen(a.price_fen),
                size_class: declaration.as_ref().map(|d| d.size_class),
                declaration: declaration.map(|d| d.declaration),
                decided_at: a.decided_at,
                notice_published_at: a.notice_published_at,
                // R-AWARD-01: 30 days from the award.
                sign_contract_by: crate::domain::deadlines::sign_contract_by(a.decided_at),
                sme_obligation,
            },
        ));
    }
    out.sort_by_key(|(_, p, _)| *p);
    Ok(out.into_iter().map(|(id, _, n)| (id, n)).collect())
}

/// Confirms the lot's first-ranked bid as the winner and publishes the award notice
/// (R-AWARD-01: published with the decision itself, so never late).
pub async fn award(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
    lot_id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let t = agency_tender(&txn, session, tender_id, now).await?;
    let lot = tender_lot::Entity::find_by_id(lot_id)
        .filter(tender_lot::Column::TenderId.eq(t.id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(opening) = bid_opening::Entity::find_by_id(t.id).one(&txn).await? else {
        return Err(AppError::Conflict {
            message: Text::new("请先开标。", "Open the bids first."),
        });
    };
    if award::Entity::find_by_id(lot.id).one(&txn).await?.is_some() {
        return Err(AppError::Conflict {
            message: Text::new("该包已确定中标人。", "This lot is already awarded."),
        });
    }
    // R-SME-05, R-BID-04: a lot its re-tender took up is procured there, not here too.
    if crate::services::tenders::lot_retendered(&txn, t.id, lot.id).await? {
        return Err(AppError::Conflict {
            message: crate::domain::retender::already_retendered_lot(),
        });
    }
    let s = scored_lot(&txn, &t, lot).await?;
    let winner = winner_of(&t, &s)?;
    // Issue #35: where the agency separates duties, the opener is not the only evaluator.
    let separation = crate::services::members::separation_of_duties(&txn, t.agency_id).await?;
    crate::domain::duties::check_evaluators(separation, opening.opened_by, &s.markers)
        .map_err(|message| AppError::Conflict { message })?;
    let evaluation = EvaluationRecord {
        bids: s
            .bids
            .iter()
            .zip(s.lines.iter())
            .map(|(b, l)| EvaluatedBid {
                opened_bid_id: b.id,
                organisation_id: b.organisation_id,
                line: l.clone(),
            })
            .collect(),
    };
    award::ActiveModel {
        lot_id: Set(s.lot.id),
        tender_id: Set(t.id),
        opened_bid_id: Set(winner.id),
        organisation_id: Set(winner.organisation_id),
        // R-SME-03: the contract is at the bid price, not the evaluated price.
        price_fen: Set(winner.price_fen),
        decided_at: Set(now),
        decided_by: Set(session.person_id.into()),
        notice_published_at: Set(now),
        evaluation: Set(evaluation.to_json()?),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        officer(session),
        "lot.award",
        "tender_lot",
        s.lot.id,
        &(winner.id, winner.price_fen),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The lot's winner: the bid ranked first once the lot proceeds with at least 3 valid bids
/// (R-BID-04; 3 qualified SME bids if reserved, R-SME-05) and its evaluation is complete;
/// refused otherwise, with the public reason.
fn winner_of<'a>(t: &tender::Model, s: &'a ScoredLot) -> Result<&'a opened_bid::Model, AppError> {
    // R-BID-04, R-SME-05: refused here whatever a page showed: valid bids are counted as the
    // marks stand, so a lot left with fewer than 3 is never awarded to the only valid bid.
    let outcome = lot_outcome_of(t, s);
    if outcome != LotOpening::Proceeds {
        return Err(AppError::Conflict {
            message: outcome.reason(),
        });
    }
    if !s.incomplete.is_empty() {
        return Err(AppError::Conflict {
            message: Text::new(
                format!(
                    "评审尚未完成：{}",
                    s.incomplete
                        .iter()
                        .map(|t| t.zh.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                format!(
                    "The evaluation is not complete: {}",
                    s.incomplete
                        .iter()
                        .map(|t| t.en.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            ),
        });
    }
    let Some((winner, _)) = s
        .bids
        .iter()
        .zip(s.lines.iter())
        .find(|(_, line)| line.rank == Some(1))
    else {
        return Err(AppError::Conflict {
            message: Text::new(
                "没有通过全部资格性审查的投标，本包不能授标。",
                "No bid passed every pass/fail requirement: this lot cannot be awarded.",
            ),
        });
    };
    Ok(winner)
}
