//! Evaluation: the agency's page of every lot's bids and scores, and the evaluators' marks.

use super::award::award_notices;
use super::challenge::challenges_where;
use super::common::{
    agency_tender, from_json, lot_reserved, lot_rows, lot_state, officer, size_of,
};
use super::opening::LotPart;
use crate::domain::policy::Policy;
use crate::domain::sme::SizeClass;
use crate::domain::tender::TenderStatus;
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{
    award, bid_mark, bid_opening, challenge, opened_bid, tender, tender_criterion, tender_lot,
};
use crate::model::accounts::Session;
use crate::model::bids::*;
use crate::services::AppState;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A lot's criteria with their ids, in order.
pub(super) async fn criteria_of(
    conn: &impl ConnectionTrait,
    lot: Uuid,
) -> Result<Vec<tender_criterion::Model>, AppError> {
    Ok(tender_criterion::Entity::find()
        .filter(tender_criterion::Column::LotId.eq(lot))
        .order_by_asc(tender_criterion::Column::Position)
        .all(conn)
        .await?)
}

pub(super) fn criterion_view(c: &tender_criterion::Model) -> crate::model::tenders::CriterionView {
    crate::model::tenders::CriterionView {
        kind: crate::domain::publication::CriterionKind::parse(&c.kind)
            .unwrap_or(crate::domain::publication::CriterionKind::TechnicalApproach),
        requirement: c.requirement.clone(),
        weight: c.weight_bp.map(crate::domain::draft::bp_to_percent),
    }
}

/// Everything evaluation needs about one lot: its bids with their marks, scored.
pub(super) struct ScoredLot {
    pub(super) lot: tender_lot::Model,
    pub(super) criteria: Vec<tender_criterion::Model>,
    pub(super) bids: Vec<opened_bid::Model>,
    pub(super) lines: Vec<ScoreLine>,
    pub(super) incomplete: Vec<Text>,
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
        score_lot(t, Money::from_fen(lot.budget_fen), &criteria, &bids, &marks);
    Ok(ScoredLot {
        lot,
        criteria,
        bids,
        lines,
        incomplete,
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
    let stage = if t.status == TenderStatus::Cancelled.as_str() {
        EvaluationStage::Cancelled
    } else if now < t.bid_deadline {
        // R-BID-01: not a count, not a hint.
        EvaluationStage::Sealed {
            until: t.bid_deadline,
        }
    } else {
        match bid_opening::Entity::find_by_id(t.id).one(conn).await? {
            None => EvaluationStage::ReadyToOpen,
            Some(o) => {
                let notices = award_notices(conn, t.id).await?;
                let mut lots = Vec::new();
                for lot in lot_rows(conn, t.id).await? {
                    let s = scored_lot(conn, &t, lot).await?;
                    let award = notices
                        .iter()
                        .find(|(id, _)| *id == s.lot.id)
                        .map(|(_, n)| n.clone());
                    let mut records = HashMap::new();
                    for b in &s.bids {
                        let part: LotPart = from_json(b.content.as_bytes())?;
                        for id in part.answers.iter().flatten() {
                            if let std::collections::hash_map::Entry::Vacant(e) = records.entry(*id)
                            {
                                let label =
                                    crate::infra::entities::capability_record::Entity::find_by_id(
                                        *id,
                                    )
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
                    let bids = s
                        .bids
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
                                    .map(crate::domain::draft::bp_to_percent),
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
                                        href: opened_bid_document_href(t.id, b.id, d.id),
                                        document: d,
                                    })
                                    .collect(),
                                score: line.clone(),
                            })
                        })
                        .collect::<Result<Vec<_>, AppError>>()?;
                    lots.push(EvaluationLot {
                        state: lot_state(&t, &s.lot, &s.bids, award.is_some()),
                        lot_id: s.lot.id,
                        title: s.lot.title.clone(),
                        ceiling: Money::from_fen(s.lot.budget_fen),
                        reserved: lot_reserved(&t, &s.lot),
                        criteria: s
                            .criteria
                            .iter()
                            .map(|c| CriterionRef {
                                id: c.id,
                                view: criterion_view(c),
                            })
                            .collect(),
                        bids,
                        incomplete: s.incomplete,
                        award,
                    });
                }
                EvaluationStage::Opened {
                    opened_at: o.opened_at,
                    lots,
                }
            }
        }
    };
    let challenges = challenges_where(
        conn,
        sea_orm::Condition::all().add(challenge::Column::TenderId.eq(t.id)),
        china_day(now),
    )
    .await?;
    Ok(EvaluationPage {
        tender: detail.summary,
        price_weight: detail.price_weight,
        stage,
        can_award: permits(session.role, Action::CreateTender),
        challenges,
    })
}

/// Records the marks for one opened bid: every criterion of its lot, each with a reason.
pub async fn save_marks(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
    opened_bid_id: Uuid,
    marks: &[MarkForm],
) -> Result<(), AppError> {
    use crate::error::FieldError;
    use std::str::FromStr;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let t = agency_tender(&txn, session, tender_id, now).await?;
    let b = opened_bid::Entity::find_by_id(opened_bid_id)
        .filter(opened_bid::Column::TenderId.eq(t.id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if award::Entity::find_by_id(b.lot_id)
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            message: Text::new(
                "该包已确定中标人，评审结果不能再修改。",
                "This lot is awarded: its evaluation can no longer change.",
            ),
        });
    }
    let criteria = criteria_of(&txn, b.lot_id).await?;
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        let Some(c) = m
            .criterion
            .trim()
            .parse::<Uuid>()
            .ok()
            .and_then(|id| criteria.iter().find(|c| c.id == id))
        else {
            errors.push(FieldError::new(
                format!("marks[{i}].criterion"),
                Text::new(
                    "该包没有这项评审因素。",
                    "This lot has no such requirement.",
                ),
            ));
            continue;
        };
        let reason = m.reason.trim().to_string();
        if reason.chars().count() > 2000 {
            errors.push(FieldError::new(
                format!("marks[{i}].reason"),
                Text::new("理由最多 2000 个字符。", "At most 2000 characters."),
            ));
        }
        let (passed, score_bp) = match c.weight_bp {
            None => match m.passed.trim() {
                "pass" => (Some(true), None),
                "fail" => (Some(false), None),
                "" => (None, None),
                _ => {
                    errors.push(FieldError::new(
                        format!("marks[{i}].passed"),
                        Text::new("请选择“通过”或“不通过”。", "Choose pass or fail."),
                    ));
                    continue;
                }
            },
            Some(weight_bp) => {
                let s = m.score.trim();
                if s.is_empty() {
                    (None, None)
                } else {
                    match Decimal::from_str(s) {
                        Ok(d)
                            if d >= Decimal::ZERO
                                && d.normalize().scale() <= 2
                                && crate::domain::draft::percent_to_bp(d) <= weight_bp =>
                        {
                            (None, Some(crate::domain::draft::percent_to_bp(d)))
                        }
                        _ => {
                            let max = crate::domain::draft::bp_to_percent(weight_bp);
                            errors.push(FieldError::new(
                                format!("marks[{i}].score"),
                                Text::new(
                                    format!("请填写 0 到 {max} 之间的分数，最多两位小数。"),
                                    format!(
                                        "Enter a score from 0 to {max}, with at most two decimals."
                                    ),
                                ),
                            ));
                            continue;
                        }
                    }
                }
            }
        };
        // A score or a failure needs its reason.
        if (score_bp.is_some() || passed == Some(false)) && reason.is_empty() {
            errors.push(FieldError::new(
                format!("marks[{i}].reason"),
                Text::new("请写明评审理由。", "Give the reason for this mark."),
            ));
            continue;
        }
        rows.push((c.id, passed, score_bp, reason));
    }
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }
    for (criterion, passed, score_bp, reason) in rows {
        bid_mark::Entity::delete_many()
            .filter(bid_mark::Column::OpenedBidId.eq(b.id))
            .filter(bid_mark::Column::CriterionId.eq(criterion))
            .exec(&txn)
            .await?;
        if passed.is_none() && score_bp.is_none() {
            continue;
        }
        bid_mark::ActiveModel {
            opened_bid_id: Set(b.id),
            criterion_id: Set(criterion),
            passed: Set(passed),
            score_bp: Set(score_bp),
            reason: Set(reason.clone()),
            marked_by: Set(session.person_id),
            marked_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            now,
            officer(session),
            "bid.mark",
            "opened_bid",
            b.id,
            &(criterion, passed, score_bp, &reason),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// R-SME-03: the deduction a bid gets on a lot, as the tender fixed it.
pub(super) fn deduction_for(
    t: &tender::Model,
    reserved: bool,
    size: Option<SizeClass>,
    subcontract_share: Option<Decimal>,
) -> Decimal {
    use crate::domain::evaluation::{DeductionTerms, PriceDeduction};
    let terms = DeductionTerms {
        price_deduction: t
            .sme_price_deduction_bp
            .map(crate::domain::draft::bp_to_percent),
        consortium_deduction: t
            .sme_consortium_deduction_bp
            .map(crate::domain::draft::bp_to_percent),
        reserved,
    };
    PriceDeduction::decide(&Policy::CHINA, &terms, size, subcontract_share).pct
}

/// The tender's evaluation method as published.
pub(super) fn method_of(t: &tender::Model) -> crate::domain::publication::EvaluationMethod {
    use crate::domain::publication::EvaluationMethod;
    match (t.evaluation_method.as_str(), t.price_weight_bp) {
        ("comprehensive_scoring", Some(bp)) => EvaluationMethod::ComprehensiveScoring {
            price_weight: crate::domain::draft::bp_to_percent(bp),
        },
        _ => EvaluationMethod::LowestEvaluatedPrice,
    }
}

/// Scores a lot's opened bids from their marks (R-SME-03, R-EVAL-01/02): a line per bid in
/// the order given, and what keeps the evaluation from being final (every problem at once).
/// While marks are missing, each line shows what is known (evaluated price, points so far)
/// and no rank.
pub(super) fn score_lot(
    t: &tender::Model,
    ceiling: Money,
    criteria: &[tender_criterion::Model],
    bids: &[opened_bid::Model],
    marks: &[bid_mark::Model],
) -> (Vec<ScoreLine>, Vec<Text>) {
    use crate::domain::evaluation::{evaluate_lot, evaluated_price, BidToEvaluate, CriterionMark};
    use crate::domain::publication::{Criterion, Scoring};
    let plan: Vec<Criterion> = criteria
        .iter()
        .map(|c| Criterion {
            kind: criterion_view(c).kind,
            requirement: c.requirement.clone(),
            scoring: match c.weight_bp {
                Some(bp) => Scoring::Scored {
                    weight: crate::domain::draft::bp_to_percent(bp),
                },
                None => Scoring::PassFail,
            },
        })
        .collect();
    let mark_of = |b: &opened_bid::Model, c: &tender_criterion::Model| {
        marks
            .iter()
            .find(|m| m.opened_bid_id == b.id && m.criterion_id == c.id)
    };
    let inputs: Vec<BidToEvaluate> = bids
        .iter()
        .map(|b| BidToEvaluate {
            id: b.id,
            price: Money::from_fen(b.price_fen),
            deduction_pct: crate::domain::draft::bp_to_percent(b.deduction_bp),
            submitted_at: b.submitted_at,
            marks: criteria
                .iter()
                .map(|c| match mark_of(b, c) {
                    Some(m) => CriterionMark {
                        passed: m.passed,
                        score: m.score_bp.map(crate::domain::draft::bp_to_percent),
                    },
                    None => CriterionMark::default(),
                })
                .collect(),
        })
        .collect();
    let mark_lines = |b: &opened_bid::Model| -> Vec<MarkLine> {
        criteria
            .iter()
            .map(|c| {
                let m = mark_of(b, c);
                MarkLine {
                    requirement: c.requirement.clone(),
                    passed: m.and_then(|m| m.passed),
                    score: m
                        .and_then(|m| m.score_bp)
                        .map(crate::domain::draft::bp_to_percent),
                    weight: c.weight_bp.map(crate::domain::draft::bp_to_percent),
                    reason: m.map(|m| m.reason.clone()).unwrap_or_default(),
                }
            })
            .collect()
    };
    match evaluate_lot(method_of(t), &plan, ceiling, &inputs) {
        Ok(result) => {
            let lines = bids
                .iter()
                .map(|b| {
                    let r = result.bid(b.id);
                    ScoreLine {
                        supplier_name: b.supplier_name.clone(),
                        price: Money::from_fen(b.price_fen),
                        deduction: crate::domain::draft::bp_to_percent(b.deduction_bp),
                        evaluated_price: r
                            .map_or(Money::from_fen(b.price_fen), |r| r.evaluated_price),
                        technical_score: r.map_or(Decimal::ZERO, |r| r.technical_score),
                        price_score: r.and_then(|r| r.price_score),
                        total: r.and_then(|r| r.total),
                        qualified: r.is_some_and(|r| r.qualified),
                        rank: r.and_then(|r| r.rank).and_then(|n| u32::try_from(n).ok()),
                        marks: mark_lines(b),
                    }
                })
                .collect();
            (lines, Vec::new())
        }
        Err(problems) => {
            let lines = bids
                .iter()
                .zip(inputs.iter())
                .map(|(b, i)| ScoreLine {
                    supplier_name: b.supplier_name.clone(),
                    price: i.price,
                    deduction: i.deduction_pct,
                    evaluated_price: evaluated_price(i.price, i.deduction_pct),
                    technical_score: i.marks.iter().filter_map(|m| m.score).sum(),
                    price_score: None,
                    total: None,
                    qualified: !i.marks.iter().any(|m| m.passed == Some(false)),
                    rank: None,
                    marks: mark_lines(b),
                })
                .collect();
            // Name bidders, not internal ids.
            let names: HashMap<String, &str> = bids
                .iter()
                .map(|b| (b.id.to_string(), b.supplier_name.as_str()))
                .collect();
            let texts = problems
                .into_iter()
                .map(|p| {
                    let mut m = p.message;
                    for (id, name) in &names {
                        m.zh = m.zh.replace(id, &format!("「{name}」"));
                        m.en = m.en.replace(id, &format!("\"{name}\""));
                    }
                    m
                })
                .collect();
            (lines, texts)
        }
    }
}
