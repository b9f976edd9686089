//! Score assembly (R-SME-03, R-EVAL-01/02, issue #32): a lot's opened bids and the marks the
//! evaluators recorded, put through [`evaluate_lot`] into one line per bid, or what keeps the
//! evaluation from being final. The services load the rows and show the lines; the rules of
//! the scoring itself are in `evaluation.rs`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::evaluation::{
    disqualifications, evaluate_lot, evaluated_price, BidToEvaluate, CriterionMark, DeductionTerms,
    PriceDeduction,
};
use crate::domain::policy::Policy;
use crate::domain::publication::{Criterion, CriterionKind, EvaluationMethod, Scoring};
use crate::domain::sme::SizeClass;
use crate::domain::Money;
use crate::i18n::Text;

/// One criterion of the lot, as published: `weight` (points) when scored, `None` when pass/fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LotCriterion {
    pub id: Uuid,
    pub kind: CriterionKind,
    pub requirement: String,
    pub weight: Option<Decimal>,
}

/// One opened bid on the lot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedBid {
    pub id: Uuid,
    pub supplier_name: String,
    pub price: Money,
    /// R-SME-03: the deduction fixed at the opening (%), zero when none.
    pub deduction_pct: Decimal,
    pub submitted_at: DateTime<Utc>,
}

/// An evaluator's recorded mark of one criterion for one bid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedMark {
    pub bid: Uuid,
    pub criterion: Uuid,
    pub passed: Option<bool>,
    pub score: Option<Decimal>,
    pub reason: String,
}

/// One criterion's mark as the line shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkDetail {
    pub requirement: String,
    pub passed: Option<bool>,
    pub score: Option<Decimal>,
    pub weight: Option<Decimal>,
    pub reason: String,
}

/// One bid's line of the lot's evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BidScore {
    pub supplier_name: String,
    pub price: Money,
    /// R-SME-03: the deduction applied (%), zero when none.
    pub deduction: Decimal,
    pub evaluated_price: Money,
    pub technical_score: Decimal,
    /// R-EVAL-01; none under lowest evaluated price.
    pub price_score: Option<Decimal>,
    pub total: Option<Decimal>,
    pub qualified: bool,
    pub rank: Option<u32>,
    pub marks: Vec<MarkDetail>,
}

/// The tender's evaluation method as stored: comprehensive scoring with its price weight (%),
/// else lowest evaluated price.
pub fn method_from_stored(method: &str, price_weight: Option<Decimal>) -> EvaluationMethod {
    match (method, price_weight) {
        ("comprehensive_scoring", Some(price_weight)) => {
            EvaluationMethod::ComprehensiveScoring { price_weight }
        }
        _ => EvaluationMethod::LowestEvaluatedPrice,
    }
}

/// R-SME-03: the deduction (%) a bid gets on a lot, as the tender fixed it, under China's
/// policy.
pub fn deduction_pct(
    terms: &DeductionTerms,
    size: Option<SizeClass>,
    subcontract_share: Option<Decimal>,
) -> Decimal {
    PriceDeduction::decide(&Policy::CHINA, terms, size, subcontract_share).pct
}

/// Scores a lot's opened bids from their marks (R-SME-03, R-EVAL-01/02): a line per bid in
/// the order given, and what keeps the evaluation from being final (every problem at once).
/// While marks are missing, each line shows what is known (evaluated price, points so far)
/// and no rank.
pub fn score_lot(
    method: EvaluationMethod,
    ceiling: Money,
    criteria: &[LotCriterion],
    bids: &[OpenedBid],
    marks: &[RecordedMark],
) -> (Vec<BidScore>, Vec<Text>) {
    let plan: Vec<Criterion> = criteria
        .iter()
        .map(|c| Criterion {
            kind: c.kind,
            requirement: c.requirement.clone(),
            scoring: match c.weight {
                Some(weight) => Scoring::Scored { weight },
                None => Scoring::PassFail,
            },
        })
        .collect();
    let inputs: Vec<BidToEvaluate> = bids
        .iter()
        .map(|b| BidToEvaluate {
            id: b.id,
            price: b.price,
            deduction_pct: b.deduction_pct,
            submitted_at: b.submitted_at,
            marks: criteria
                .iter()
                .map(|c| match mark_of(marks, b, c) {
                    Some(m) => CriterionMark {
                        passed: m.passed,
                        score: m.score,
                    },
                    None => CriterionMark::default(),
                })
                .collect(),
        })
        .collect();
    match evaluate_lot(method, &plan, ceiling, &inputs) {
        Ok(result) => {
            let lines = bids
                .iter()
                .map(|b| {
                    let r = result.bid(b.id);
                    BidScore {
                        supplier_name: b.supplier_name.clone(),
                        price: b.price,
                        deduction: b.deduction_pct,
                        evaluated_price: r.map_or(b.price, |r| r.evaluated_price),
                        technical_score: r.map_or(Decimal::ZERO, |r| r.technical_score),
                        price_score: r.and_then(|r| r.price_score),
                        total: r.and_then(|r| r.total),
                        qualified: r.is_some_and(|r| r.qualified),
                        rank: r.and_then(|r| r.rank).and_then(|n| u32::try_from(n).ok()),
                        marks: mark_details(criteria, marks, b),
                    }
                })
                .collect();
            (lines, Vec::new())
        }
        Err(problems) => {
            let lines = bids
                .iter()
                .zip(inputs.iter())
                .map(|(b, i)| so_far(&plan, ceiling, criteria, marks, b, i))
                .collect();
            (lines, named(bids, problems.into_iter().map(|p| p.message)))
        }
    }
}

/// The mark recorded for bid `b` on criterion `c`, if any.
fn mark_of<'a>(
    marks: &'a [RecordedMark],
    b: &OpenedBid,
    c: &LotCriterion,
) -> Option<&'a RecordedMark> {
    marks.iter().find(|m| m.bid == b.id && m.criterion == c.id)
}

/// Bid `b`'s mark of each criterion, in order.
fn mark_details(
    criteria: &[LotCriterion],
    marks: &[RecordedMark],
    b: &OpenedBid,
) -> Vec<MarkDetail> {
    criteria
        .iter()
        .map(|c| {
            let m = mark_of(marks, b, c);
            MarkDetail {
                requirement: c.requirement.clone(),
                passed: m.and_then(|m| m.passed),
                score: m.and_then(|m| m.score),
                weight: c.weight,
                reason: m.map(|m| m.reason.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// A bid's line while the evaluation is not final: what is known so far, no rank. `qualified`
/// until a pass/fail requirement is marked failed or above the ceiling, as in the final
/// evaluation: what R-BID-04 counts while the marks come in.
fn so_far(
    plan: &[Criterion],
    ceiling: Money,
    criteria: &[LotCriterion],
    marks: &[RecordedMark],
    b: &OpenedBid,
    i: &BidToEvaluate,
) -> BidScore {
    BidScore {
        supplier_name: b.supplier_name.clone(),
        price: i.price,
        deduction: i.deduction_pct,
        evaluated_price: evaluated_price(i.price, i.deduction_pct),
        technical_score: i.marks.iter().filter_map(|m| m.score).sum(),
        price_score: None,
        total: None,
        qualified: disqualifications(plan, ceiling, i).is_empty(),
        rank: None,
        marks: mark_details(criteria, marks, b),
    }
}

/// The problems' texts naming bidders, not internal ids.
fn named(bids: &[OpenedBid], texts: impl Iterator<Item = Text>) -> Vec<Text> {
    let names: HashMap<String, &str> = bids
        .iter()
        .map(|b| (b.id.to_string(), b.supplier_name.as_str()))
        .collect();
    texts
        .map(|mut m| {
            for (id, name) in &names {
                m.zh = m.zh.replace(id, &format!("「{name}」"));
                m.en = m.en.replace(id, &format!("\"{name}\""));
            }
            m
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn pct(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn bid(n: u128, name: &str, yuan: i64, deduction: Decimal) -> OpenedBid {
        OpenedBid {
            id: Uuid::from_u128(n),
            supplier_name: name.into(),
            price: Money::from_fen(yuan * 100),
            deduction_pct: deduction,
            submitted_at: Utc.with_ymd_and_hms(2026, 11, 2, 2, 0, n as u32).unwrap(),
        }
    }

    fn criterion(n: u128, weight: Option<Decimal>) -> LotCriterion {
        LotCriterion {
            id: Uuid::from_u128(1000 + n),
            kind: CriterionKind::TechnicalApproach,
            requirement: format!("requirement {n}"),
            weight,
        }
    }

    fn mark(
        b: &OpenedBid,
        c: &LotCriterion,
        passed: Option<bool>,
        score: Option<Decimal>,
    ) -> RecordedMark {
        RecordedMark {
            bid: b.id,
            criterion: c.id,
            passed,
            score,
            reason: "seen".into(),
        }
    }

    #[test]
    fn the_stored_method_reads_back_r_eval_01_r_eval_02() {
        assert_eq!(
            method_from_stored("comprehensive_scoring", Some(pct(30))),
            EvaluationMethod::ComprehensiveScoring {
                price_weight: pct(30)
            }
        );
        assert_eq!(
            method_from_stored("comprehensive_scoring", None),
            EvaluationMethod::LowestEvaluatedPrice
        );
        assert_eq!(
            method_from_stored("lowest_evaluated_price", Some(pct(30))),
            EvaluationMethod::LowestEvaluatedPrice
        );
    }

    #[test]
    fn a_small_bidder_gets_the_tenders_deduction_unless_reserved_r_sme_03() {
        let terms = DeductionTerms {
            price_deduction: Some(pct(10)),
            consortium_deduction: Some(pct(4)),
            reserved: false,
        };
        assert_eq!(deduction_pct(&terms, Some(SizeClass::Small), None), pct(10));
        assert_eq!(deduction_pct(&terms, Some(SizeClass::Large), None), pct(0));
        let reserved = DeductionTerms {
            reserved: true,
            ..terms
        };
        assert_eq!(
            deduction_pct(&reserved, Some(SizeClass::Small), None),
            pct(0)
        );
    }

    #[test]
    fn lowest_evaluated_price_ranks_on_the_deducted_price_r_eval_02_r_sme_03() {
        let c = criterion(1, None);
        let bids = [
            bid(1, "Alpha", 100, pct(0)),
            bid(2, "Beta", 105, pct(10)),
            bid(3, "Gamma", 98, pct(0)),
        ];
        let marks: Vec<_> = bids.iter().map(|b| mark(b, &c, Some(true), None)).collect();
        let (lines, problems) = score_lot(
            EvaluationMethod::LowestEvaluatedPrice,
            Money::from_fen(20_000),
            std::slice::from_ref(&c),
            &bids,
            &marks,
        );
        assert!(problems.is_empty());
        // In the order given: Beta's 105 less 10% is 94.50, the lowest.
        let ranks: Vec<_> = lines.iter().map(|l| l.rank).collect();
        assert_eq!(ranks, [Some(3), Some(1), Some(2)]);
        assert_eq!(lines[1].evaluated_price, Money::from_fen(9_450));
        assert_eq!(lines[1].price, Money::from_fen(10_500));
        assert_eq!(lines[1].price_score, None);
        assert_eq!(lines[1].marks[0].passed, Some(true));
        assert_eq!(lines[1].marks[0].reason, "seen");
    }

    #[test]
    fn comprehensive_scoring_adds_the_price_score_r_eval_01() {
        let c = criterion(1, Some(pct(70)));
        let bids = [bid(1, "Alpha", 100, pct(0)), bid(2, "Beta", 200, pct(0))];
        let marks = [
            mark(&bids[0], &c, None, Some(pct(40))),
            mark(&bids[1], &c, None, Some(pct(70))),
        ];
        let (lines, problems) = score_lot(
            EvaluationMethod::ComprehensiveScoring {
                price_weight: pct(30),
            },
            Money::from_fen(50_000),
            &[c],
            &bids,
            &marks,
        );
        assert!(problems.is_empty());
        // Alpha: 40 + 30 = 70; Beta: 70 + 100/200 × 30 = 85.
        assert_eq!(lines[0].total, Some(pct(70)));
        assert_eq!(lines[1].total, Some(pct(85)));
        assert_eq!(lines[1].rank, Some(1));
        assert_eq!(lines[0].marks[0].weight, Some(pct(70)));
    }

    #[test]
    fn missing_marks_leave_no_rank_and_name_the_bidder_r_eval_01() {
        let pass = criterion(1, None);
        let scored = criterion(2, Some(pct(70)));
        let bids = [bid(1, "Alpha", 100, pct(10)), bid(2, "Beta", 90, pct(0))];
        let marks = [
            mark(&bids[0], &pass, Some(true), None),
            mark(&bids[0], &scored, None, Some(pct(50))),
            mark(&bids[1], &pass, Some(true), None),
        ];
        let (lines, problems) = score_lot(
            EvaluationMethod::ComprehensiveScoring {
                price_weight: pct(30),
            },
            Money::from_fen(50_000),
            &[pass, scored],
            &bids,
            &marks,
        );
        assert_eq!(problems.len(), 1);
        assert!(problems[0].zh.contains("「Beta」"), "{:?}", problems[0]);
        assert!(problems[0].en.contains("\"Beta\""), "{:?}", problems[0]);
        assert!(!problems[0].en.contains(&bids[1].id.to_string()));
        // What is known so far, and no rank.
        assert!(lines.iter().all(|l| l.rank.is_none() && l.total.is_none()));
        assert_eq!(lines[0].technical_score, pct(50));
        assert_eq!(lines[0].evaluated_price, Money::from_fen(9_000));
        assert!(lines[1].qualified);
        assert_eq!(lines[1].marks[1].score, None);
        assert_eq!(lines[1].marks[1].reason, "");
    }

    #[test]
    fn a_failed_requirement_disqualifies_r_eval_02() {
        let c = criterion(1, None);
        let bids = [bid(1, "Alpha", 90, pct(0)), bid(2, "Beta", 100, pct(0))];
        let marks = [
            mark(&bids[0], &c, Some(false), None),
            mark(&bids[1], &c, Some(true), None),
        ];
        let (lines, problems) = score_lot(
            EvaluationMethod::LowestEvaluatedPrice,
            Money::from_fen(50_000),
            &[c],
            &bids,
            &marks,
        );
        assert!(problems.is_empty());
        assert!(!lines[0].qualified);
        assert_eq!(lines[0].rank, None);
        assert_eq!(lines[1].rank, Some(1));
    }
}
