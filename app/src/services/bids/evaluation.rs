//! Evaluation: the agency's page of every lot's bids and scores, and the evaluators' marks.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::evaluation::DeductionTerms;
use crate::domain::scoring;
use crate::domain::sme::SizeClass;
use crate::domain::tender::TenderStatus;
use crate::domain::{china_day, Money, Percent};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::{
    bid_mark, bid_opening, challenge, opened_bid, tender, tender_criterion, tender_lot,
};
use crate::model::accounts::Session;
use crate::model::bids::*;
use crate::services::AppState;

use super::award::award_notices;
use super::challenge::challenges_where;
use super::common::{
    agency_tender, from_json, lot_reserved, lot_rows, lot_state, size_of, status_of,
};
use super::opening::LotPart;

/// A lot's criteria with their ids, in order.
pub(super) async fn criteria_of(
    conn: &impl ConnectionTrait,
    lot: Uuid,
) -> Result<Vec<tender_criterion::Model>, AppError> {
    Ok(tender_criterion::Entity::find()
        .filter(tender_criterion::Column::LotId.eq(lot))
        // R-TIME-02: the requirements in force, not those an amendment replaced.
        .filter(tender_criterion::Column::WithdrawnAt.is_null())
        .order_by_asc(tender_criterion::Column::Position)
        .all(conn)
        .await?)
}

/// A stored criterion as the pages show it. A kind that names no `CriterionKind` is an error
/// (logged, internal), as everywhere else a criterion is read: never a default kind.
pub(super) fn criterion_view(
    c: &tender_criterion::Model,
) -> Result<crate::model::tenders::CriterionView, sea_orm::DbErr> {
    Ok(crate::model::tenders::CriterionView {
        kind: crate::services::decode_stored("tender_criterion.kind", &c.kind)?,
        requirement: c.requirement.clone(),
        weight: c.weight_bp.map(|bp| Percent::from_bp(bp).value()),
    })
}

/// Everything evaluation needs about one lot: its bids with their marks, scored.
pub(super) struct ScoredLot {
    pub(super) lot: tender_lot::Model,
    pub(super) criteria: Vec<tender_criterion::Model>,
    pub(super) bids: Vec<opened_bid::Model>,
    pub(super) lines: Vec<ScoreLine>,
    pub(super) incomplete: Vec<Text>,
    /// Who gave each counted mark (issue #35, separation of duties).
    pub(super) markers: Vec<Uuid>,
}

pub(super) async fn scored_lot(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    lot: tender_lot::Model,
) -> Result<ScoredLot, AppError> {
    let criteria = criteria_of(conn, lot.id).await?;
    let bids = opened_bid::Entity::find()
        .filter(opened_bid::Column::LotId.eq(lot.id))
        .order_by_asc(opened_bid::Column::SubmittedAt)
        .order_by_asc(opened_bid::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = bids.iter().map(|b| b.id).collect();
    let marks = if ids.is_empty() {
        Vec::new()
    } else {
        bid_mark::Entity::find()
            .filter(bid_mark::Column::OpenedBidId.is_in(ids))
            .all(conn)
            .await?
    };
    let (lines, incomplete) =
        score_lot(t, Money::from_fen(lot.budget_fen), &criteria, &bids, &marks)?;
    Ok(ScoredLot {
        lot,
        criteria,
        bids,
        lines,
        incomplete,
        markers: marks.iter().map(|m| m.marked_by).collect(),
    })
}

/// The agency's page: sealed, ready to open, or opened with every lot's evaluation.
pub async fn evaluation_page(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
) -> Result<EvaluationPage, AppError> {
    use crate::domain::auth::{permits, Action};
    let now = state.clock.now();
    let conn = &state.db;
    let t = agency_tender(conn, session, tender_id, now).await?;
    let detail = crate::services::tenders::find_public(
        conn,
        &state.lots,
        crate::domain::TenderId(t.id),
        now,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let stage = if status_of(&t)? == TenderStatus::Cancelled {
        EvaluationStage::Cancelled
    } else if now < t.bid_deadline {
        // R-BID-01: not a count, not a hint.
        EvaluationStage::Sealed {
            until: t.bid_deadline,
        }
    } else {
        match bid_opening::Entity::find_by_id(t.id).one(conn).await? {
            None => EvaluationStage::ReadyToOpen,
            Some(o) => EvaluationStage::Opened {
                opened_at: o.opened_at,
                lots: evaluation_lots(conn, &t).await?,
            },
        }
    };
    let challenges = challenges_where(
        &state.calendar.current(),
        conn,
        sea_orm::Condition::all().add(challenge::Column::TenderId.eq(t.id)),
        china_day(now),
    )
    .await?;
    // R-SME-05, R-BID-04: the re-tender of the failed lots, once made (a draft or published).
    let retender = crate::services::tenders::current_retender(conn, t.id)
        .await?
        .map(|r| crate::model::tenders::RelatedTender {
            id: crate::domain::TenderId(r.id),
            title: r.title,
        });
    Ok(EvaluationPage {
        tender: detail.summary,
        price_weight: detail.price_weight,
        stage,
        can_award: permits(session.role, Action::CreateTender),
        challenges,
        retender,
        seal_faults: super::opening::seal_faults(conn, t.id).await?,
    })
}

/// After the opening: every lot with its bids, scores and award.
async fn evaluation_lots(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
) -> Result<Vec<EvaluationLot>, AppError> {
    let notices = award_notices(conn, t.id).await?;
    let mut lots = Vec::new();
    for lot in lot_rows(conn, t.id).await? {
        let s = scored_lot(conn, t, lot).await?;
        let award = notices
            .iter()
            .find(|(id, _)| *id == s.lot.id)
            .map(|(_, n)| n.clone());
        let versions = super::marks::mark_versions(conn, &s.bids, &s.criteria).await?;
        let bids = evaluation_bids(t, &s, &record_labels(conn, &s.bids).await?, versions)?;
        lots.push(EvaluationLot {
            state: lot_state(t, &s, award.is_some()),
            lot_id: s.lot.id,
            title: s.lot.title.clone(),
            ceiling: Money::from_fen(s.lot.budget_fen),
            reserved: lot_reserved(t, &s.lot),
            criteria: s
                .criteria
                .iter()
                .map(|c| {
                    Ok(CriterionRef {
                        id: c.id,
                        view: criterion_view(c)?,
                    })
                })
                .collect::<Result<_, sea_orm::DbErr>>()?,
            bids,
            incomplete: s.incomplete,
            award,
        });
    }
    Ok(lots)
}

/// The label of each capability record the bids answer with (`None` when it is gone).
async fn record_labels(
    conn: &impl ConnectionTrait,
    bids: &[opened_bid::Model],
) -> Result<HashMap<Uuid, Option<String>>, AppError> {
    let mut records = HashMap::new();
    for b in bids {
        let part: LotPart = from_json(b.content.as_bytes())?;
        for id in part.answers.iter().flatten() {
            if let std::collections::hash_map::Entry::Vacant(e) = records.entry(*id) {
                let label = crate::infra::entities::capability_record::Entity::find_by_id(*id)
                    .one(conn)
                    .await?
                    .map(|r| match r.number {
                        Some(n) => format!("{} ({n})", r.title),
                        None => r.title,
                    });
                e.insert(label);
            }
        }
    }
    Ok(records)
}

/// Each opened bid of a scored lot as the evaluators read it.
fn evaluation_bids(
    t: &tender::Model,
    s: &ScoredLot,
    records: &HashMap<Uuid, Option<String>>,
    mut versions: HashMap<Uuid, Vec<MarkVersion>>,
) -> Result<Vec<EvaluationBid>, AppError> {
    s.bids
        .iter()
        .zip(s.lines.iter())
        .map(|(b, line)| {
            let part: LotPart = from_json(b.content.as_bytes())?;
            Ok(EvaluationBid {
                opened_bid_id: b.id,
                submitted_at: b.submitted_at,
                size_class: size_of(b),
                subcontract_share: b
                    .subcontract_share_bp
                    .map(|bp| Percent::from_bp(bp).value()),
                answers: part
                    .answers
                    .iter()
                    .map(|a| a.and_then(|id| records.get(&id).cloned().flatten()))
                    .collect(),
                proposal: part.proposal,
                documents: part
                    .documents
                    .into_iter()
                    .map(|d| BidDocumentView {
                        href: crate::paths::opened_bid_document(t.id, b.id, d.id),
                        document: d,
                    })
                    .collect(),
                score: line.clone(),
                mark_versions: versions.remove(&b.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// R-SME-03: the deduction a bid gets on a lot, as the tender fixed it.
pub(super) fn deduction_for(
    t: &tender::Model,
    reserved: bool,
    size: Option<SizeClass>,
    subcontract_share: Option<Decimal>,
) -> Decimal {
    let terms = DeductionTerms {
        price_deduction: t
            .sme_price_deduction_bp
            .map(|bp| Percent::from_bp(bp).value()),
        consortium_deduction: t
            .sme_consortium_deduction_bp
            .map(|bp| Percent::from_bp(bp).value()),
        reserved,
    };
    scoring::deduction_pct(&terms, size, subcontract_share)
}

/// The tender's evaluation method as published.
fn method_of(t: &tender::Model) -> crate::domain::publication::EvaluationMethod {
    scoring::method_from_stored(
        &t.evaluation_method,
        t.price_weight_bp.map(|bp| Percent::from_bp(bp).value()),
    )
}

/// Scores a lot's opened bids from their marks (`domain::scoring::score_lot`, R-SME-03,
/// R-EVAL-01/02): a line per bid in the order given, and what keeps the evaluation from being
/// final.
fn score_lot(
    t: &tender::Model,
    ceiling: Money,
    criteria: &[tender_criterion::Model],
    bids: &[opened_bid::Model],
    marks: &[bid_mark::Model],
) -> Result<(Vec<ScoreLine>, Vec<Text>), sea_orm::DbErr> {
    let criteria: Vec<scoring::LotCriterion> = criteria
        .iter()
        .map(|c| {
            Ok(scoring::LotCriterion {
                id: c.id,
                kind: criterion_view(c)?.kind,
                requirement: c.requirement.clone(),
                weight: c.weight_bp.map(|bp| Percent::from_bp(bp).value()),
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let bids: Vec<scoring::OpenedBid> = bids
        .iter()
        .map(|b| scoring::OpenedBid {
            id: b.id,
            supplier_name: b.supplier_name.clone(),
            price: Money::from_fen(b.price_fen),
            deduction_pct: Percent::from_bp(b.deduction_bp).value(),
            submitted_at: b.submitted_at,
        })
        .collect();
    let marks: Vec<scoring::RecordedMark> = marks
        .iter()
        .map(|m| scoring::RecordedMark {
            bid: m.opened_bid_id,
            criterion: m.criterion_id,
            passed: m.passed,
            score: m.score_bp.map(|bp| Percent::from_bp(bp).value()),
            reason: m.reason.clone(),
        })
        .collect();
    let (lines, problems) = scoring::score_lot(method_of(t), ceiling, &criteria, &bids, &marks);
    Ok((lines.into_iter().map(score_line).collect(), problems))
}

/// A bid's line as the pages show it and the award stores it.
fn score_line(s: scoring::BidScore) -> ScoreLine {
    ScoreLine {
        supplier_name: s.supplier_name,
        price: s.price,
        deduction: s.deduction,
        evaluated_price: s.evaluated_price,
        technical_score: s.technical_score,
        price_score: s.price_score,
        total: s.total,
        qualified: s.qualified,
        rank: s.rank,
        marks: s
            .marks
            .into_iter()
            .map(|m| MarkLine {
                requirement: m.requirement,
                passed: m.passed,
                score: m.score,
                weight: m.weight,
                reason: m.reason,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::publication::CriterionKind;

    fn criterion(kind: &str) -> tender_criterion::Model {
        tender_criterion::Model {
            id: Uuid::nil(),
            lot_id: Uuid::nil(),
            position: 0,
            kind: kind.to_string(),
            requirement: "ISO 9001".to_string(),
            weight_bp: None,
            withdrawn_at: None,
        }
    }

    #[test]
    fn a_criterion_of_an_unknown_kind_is_an_internal_error_not_a_default_kind() {
        let known = criterion_view(&criterion("delivery_plan")).unwrap();
        assert_eq!(known.kind, CriterionKind::DeliveryPlan);
        // Once this became `TechnicalApproach` here, and an error where tenders are read.
        let unknown = criterion_view(&criterion("company_size")).unwrap_err();
        assert!(unknown.to_string().contains("company_size"), "{unknown}");
        assert_eq!(
            AppError::from(unknown),
            AppError::Internal { request_id: None }
        );
    }
}
