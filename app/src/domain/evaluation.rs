//! Evaluating a lot's bids: the SME price deduction, scoring and ranking. Plain data in,
//! results or a list of every problem out: no database, no HTTP.
//!
//! Rules enforced here: R-SME-03 (price deduction), R-EVAL-01 (comprehensive scoring), R-EVAL-02
//! (lowest evaluated price), R-BID-03 (a bid above the ceiling is not ranked). What a lot's
//! valid bids decide (R-BID-04, R-SME-05) is in `lot_outcome.rs`.

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::policy::Policy;
use crate::domain::publication::{Criterion, EvaluationMethod, Scoring};
use crate::domain::sme::SizeClass;
use crate::domain::Money;
use crate::i18n::{Lang, Text};

// R-BID-04, R-SME-05: what a lot's count of valid bids decides is in `lot_outcome.rs`; kept
// reachable here, where callers first found it.
pub use crate::domain::lot_outcome::{
    lot_outcome, BidStanding, LotCount, LotOpening, MIN_VALID_BIDS,
};

/// A percentage for people to read: `10`, `4.5`, never `10.00`.
fn pct(d: Decimal) -> Decimal {
    d.normalize()
}

// ---------------------------------------------------------------------------------------------
// R-SME-03: the price deduction
// ---------------------------------------------------------------------------------------------

/// What the tender fixed for price deductions, and whether the lot is reserved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeductionTerms {
    /// R-SME-03: the deduction for small and micro bidders (%), as the tender fixed it.
    pub price_deduction: Option<Decimal>,
    /// R-SME-03: the deduction for a medium or large bidder whose consortium or subcontract gives
    /// small and micro firms at least `Policy::consortium_min_share` (%).
    pub consortium_deduction: Option<Decimal>,
    /// The tender is reserved whole for SMEs (R-SME-01) or the lot is set aside (R-SME-02).
    pub reserved: bool,
}

/// Why a deduction applies or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeductionBasis {
    /// The lot or tender is reserved for SMEs: deductions are for non-reserved procurement.
    Reserved,
    /// A small or micro bidder.
    SmallOrMicro,
    /// A medium or large bidder giving small and micro firms the required share.
    Consortium,
    /// None of the above, or the tender fixed no figure for the bidder's case.
    NotEligible,
}

/// The deduction applied to one bid on one lot (R-SME-03).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceDeduction {
    /// The % taken off the bid price for evaluation; zero when none.
    pub pct: Decimal,
    pub basis: DeductionBasis,
    pub reason: Text,
}

impl PriceDeduction {
    fn none(basis: DeductionBasis, reason: Text) -> PriceDeduction {
        PriceDeduction {
            pct: Decimal::ZERO,
            basis,
            reason,
        }
    }

    /// R-SME-03: the deduction for a bidder of `size_class` (from its SME declaration; `None`,
    /// no declaration, counts as large) declaring `subcontract_share` % of the contract for
    /// small and micro firms by consortium or subcontract.
    ///
    /// - Reserved lot or tender: none, whoever bids (deductions are for non-reserved procurement).
    /// - Small or micro bidder: the tender's `price_deduction`.
    /// - Medium or large bidder (or no declaration) with a share of at least
    ///   `policy.consortium_min_share`: the tender's `consortium_deduction`.
    /// - Otherwise none. The two never add up: a small firm with subcontractors gets its own.
    ///
    /// The figures are used as the tender fixed them; publication checked them against the
    /// policy range (R-SME-03).
    pub fn decide(
        policy: &Policy,
        terms: &DeductionTerms,
        size_class: Option<SizeClass>,
        subcontract_share: Option<Decimal>,
    ) -> PriceDeduction {
        // R-SME-03: deductions apply in non-reserved procurement only.
        if terms.reserved {
            return PriceDeduction::none(
                DeductionBasis::Reserved,
                Text::new(
                    "本包专门面向中小企业，不适用价格扣除（R-SME-03）。",
                    "This lot is reserved for SMEs: no price deduction applies (R-SME-03).",
                ),
            );
        }
        match size_class {
            Some(class) if class.is_small_or_micro() => {
                PriceDeduction::small_or_micro(class, terms.price_deduction)
            }
            _ => PriceDeduction::by_share(
                policy,
                terms.consortium_deduction,
                size_class,
                subcontract_share,
            ),
        }
    }

    /// R-SME-03 for a small or micro bidder: the tender's deduction for them, if it set one.
    fn small_or_micro(class: SizeClass, price_deduction: Option<Decimal>) -> PriceDeduction {
        match price_deduction {
            Some(p) if p > Decimal::ZERO => PriceDeduction {
                pct: p,
                basis: DeductionBasis::SmallOrMicro,
                reason: Text::new(
                    format!(
                        "投标人为{}，报价扣除 {}% 后参与评审（R-SME-03）。",
                        class.name(Lang::ZhCn),
                        pct(p)
                    ),
                    format!(
                        "A {} firm: its price is reduced by {}% for evaluation (R-SME-03).",
                        class.name(Lang::En),
                        pct(p)
                    ),
                ),
            },
            _ => PriceDeduction::none(
                DeductionBasis::NotEligible,
                Text::new(
                    "招标文件未设定对小微企业的价格扣除（R-SME-03）。",
                    "The tender sets no price deduction for small and micro firms (R-SME-03).",
                ),
            ),
        }
    }

    /// R-SME-03 for a medium or large bidder (`None`: no declaration, counted as large): the
    /// tender's consortium deduction when it gives small and micro firms the policy's share.
    fn by_share(
        policy: &Policy,
        consortium_deduction: Option<Decimal>,
        size_class: Option<SizeClass>,
        subcontract_share: Option<Decimal>,
    ) -> PriceDeduction {
        let min = policy.consortium_min_share;
        let (who_zh, who_en) = match size_class {
            Some(class) => (class.name(Lang::ZhCn), class.name(Lang::En)),
            None => (
                "未提交中小企业声明函的企业（按大型企业对待）",
                "firm without an SME declaration (counted as large)",
            ),
        };
        match (subcontract_share, consortium_deduction) {
            (Some(share), Some(p)) if share >= min && p > Decimal::ZERO => PriceDeduction {
                pct: p,
                basis: DeductionBasis::Consortium,
                reason: Text::new(
                    format!(
                        "投标人为{who_zh}，联合体或分包给小微企业的比例 {}% 不低于 {}%，报价扣除 {}% 后参与评审（R-SME-03）。",
                        pct(share),
                        pct(min),
                        pct(p)
                    ),
                    format!(
                        "A {who_en} giving small and micro firms {}% (at least {}%) by consortium or subcontract: its price is reduced by {}% for evaluation (R-SME-03).",
                        pct(share),
                        pct(min),
                        pct(p)
                    ),
                ),
            },
            (Some(share), _) if share >= min => PriceDeduction::none(
                DeductionBasis::NotEligible,
                Text::new(
                    "招标文件未设定联合体或分包的价格扣除（R-SME-03）。",
                    "The tender sets no deduction for consortia or subcontracts (R-SME-03).",
                ),
            ),
            (Some(share), _) => PriceDeduction::none(
                DeductionBasis::NotEligible,
                Text::new(
                    format!(
                        "投标人为{who_zh}，联合体或分包给小微企业的比例 {}% 低于 {}%，不适用价格扣除（R-SME-03）。",
                        pct(share),
                        pct(min)
                    ),
                    format!(
                        "A {who_en} giving small and micro firms {}%, less than {}%: no price deduction (R-SME-03).",
                        pct(share),
                        pct(min)
                    ),
                ),
            ),
            (None, _) => PriceDeduction::none(
                DeductionBasis::NotEligible,
                Text::new(
                    format!("投标人为{who_zh}，未给小微企业联合体或分包份额，不适用价格扣除（R-SME-03）。"),
                    format!(
                        "A {who_en} with no consortium or subcontract share for small and micro firms: no price deduction (R-SME-03)."
                    ),
                ),
            ),
        }
    }
}

/// R-SME-03: the price a bid is evaluated at: `price × (100 − deduction_pct) / 100`, computed
/// exactly and then rounded to the fen, half away from zero (四舍五入, [`Money::round_from`]):
/// 10.30 less 5% is 9.785, evaluated at 9.79.
///
/// `deduction_pct` is taken within 0–100 (a figure outside is clamped to it). The evaluated price
/// changes ranking and the price score only: the contract is signed at the bid price.
pub fn evaluated_price(price: Money, deduction_pct: Decimal) -> Money {
    let pct = deduction_pct.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
    if pct.is_zero() {
        return price;
    }
    // In range by construction: |result| <= |price|.
    price
        .amount()
        .checked_mul(Decimal::ONE_HUNDRED - pct)
        .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
        .and_then(|v| Money::round_from(v).ok())
        .unwrap_or(price)
}

// ---------------------------------------------------------------------------------------------
// R-EVAL-01, R-EVAL-02: evaluating a lot
// ---------------------------------------------------------------------------------------------

/// An evaluator's mark of one criterion for one bid. Only the field matching the criterion's
/// scoring is read: `passed` for a pass/fail criterion, `score` (points, at most the criterion's
/// weight, at most two decimals) for a scored one. `Default` is "not yet marked".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionMark {
    pub passed: Option<bool>,
    pub score: Option<Decimal>,
}

impl CriterionMark {
    pub fn pass() -> CriterionMark {
        CriterionMark {
            passed: Some(true),
            score: None,
        }
    }

    pub fn fail() -> CriterionMark {
        CriterionMark {
            passed: Some(false),
            score: None,
        }
    }

    pub fn score(points: Decimal) -> CriterionMark {
        CriterionMark {
            passed: None,
            score: Some(points),
        }
    }
}

/// One bid on the lot, as opened, with the evaluators' marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidToEvaluate {
    pub id: Uuid,
    /// The bid price: the contract price if it wins.
    pub price: Money,
    /// R-SME-03: from [`PriceDeduction::decide`]; zero when none.
    pub deduction_pct: Decimal,
    pub submitted_at: DateTime<Utc>,
    /// One mark per criterion of the lot, in the criteria's order; a missing one is unmarked.
    pub marks: Vec<CriterionMark>,
}

/// The result for one bid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluatedBid {
    pub id: Uuid,
    /// The bid price, which stays the contract price.
    pub price: Money,
    pub deduction_pct: Decimal,
    /// R-SME-03: the price ranked and scored.
    pub evaluated_price: Money,
    pub submitted_at: DateTime<Utc>,
    /// The sum of the scored criteria's points (of the marks given, for a disqualified bid).
    pub technical_score: Decimal,
    /// R-EVAL-01: comprehensive scoring only, qualified bids only.
    pub price_score: Option<Decimal>,
    /// R-EVAL-01: technical score plus price score; comprehensive scoring only, qualified bids
    /// only.
    pub total: Option<Decimal>,
    /// Passes every pass/fail criterion and is within the lot's ceiling.
    pub qualified: bool,
    /// Why the bid is not qualified: each failed criterion, a price above the ceiling.
    pub disqualified_because: Vec<Text>,
    /// 1 is the best; `None` for a bid that is not qualified.
    pub rank: Option<usize>,
}

/// A finalised evaluation of one lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotEvaluation {
    pub method: EvaluationMethod,
    /// The lowest evaluated price among qualified bids; `None` when no bid qualifies.
    pub lowest_evaluated_price: Option<Money>,
    /// Ranked bids by rank, then the bids that are not qualified in the order given.
    pub bids: Vec<EvaluatedBid>,
}

impl LotEvaluation {
    /// The bid ranked first, if any qualifies.
    pub fn winner(&self) -> Option<&EvaluatedBid> {
        self.bids.iter().find(|b| b.rank == Some(1))
    }

    pub fn bid(&self, id: Uuid) -> Option<&EvaluatedBid> {
        self.bids.iter().find(|b| b.id == id)
    }
}

/// One reason a lot's evaluation cannot be finalised yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationProblem {
    pub bid: Uuid,
    /// The criterion's position in the lot (0-based; the message counts from 1), or `None` for a
    /// problem with the bid itself.
    pub criterion: Option<usize>,
    pub message: Text,
}

impl EvaluationProblem {
    fn criterion(bid: Uuid, index: usize, zh: String, en: String) -> EvaluationProblem {
        let n = index + 1;
        EvaluationProblem {
            bid,
            criterion: Some(index),
            message: Text::new(
                format!("投标 {bid} 第 {n} 项评审因素：{zh}"),
                format!("Bid {bid}, criterion {n}: {en}"),
            ),
        }
    }

    fn bid(bid: Uuid, zh: String, en: String) -> EvaluationProblem {
        EvaluationProblem {
            bid,
            criterion: None,
            message: Text::new(format!("投标 {bid}：{zh}"), format!("Bid {bid}: {en}")),
        }
    }
}

/// Rounds a score to two decimals, half away from zero (四舍五入).
fn round_score(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// R-EVAL-01: `lowest / this × weight`, computed exactly (as `lowest × weight / this`) and
/// rounded once to two decimals, half away from zero: 49,000 against 80,000 at weight 10 is
/// 6.125, scored 6.13.
fn price_score(lowest: Money, this: Money, weight: Decimal) -> Decimal {
    if this == lowest {
        return round_score(weight);
    }
    // `this` > `lowest` >= 0 here, so never a division by zero.
    lowest
        .amount()
        .checked_mul(weight)
        .and_then(|v| v.checked_div(this.amount()))
        .map(round_score)
        .unwrap_or(Decimal::ZERO)
}

/// Checks one bid's marks, collecting every problem; returns its technical score and the
/// reasons it is not qualified.
fn check_bid(
    criteria: &[Criterion],
    ceiling: Money,
    bid: &BidToEvaluate,
    problems: &mut Vec<EvaluationProblem>,
) -> (Decimal, Vec<Text>) {
    check_price(bid, problems);
    let reasons = disqualifications(criteria, ceiling, bid);
    // A bid already out needs no further marks; the marks given must still be sound.
    let out = !reasons.is_empty();
    let mut technical = Decimal::ZERO;
    for (i, c) in criteria.iter().enumerate() {
        let mark = bid.marks.get(i).copied().unwrap_or_default();
        if let Some(score) = check_mark(c, i, mark, bid.id, out, problems) {
            technical = technical.saturating_add(score);
        }
    }
    for i in criteria.len()..bid.marks.len() {
        problems.push(EvaluationProblem::criterion(
            bid.id,
            i,
            format!("本包只有 {} 项评审因素。", criteria.len()),
            format!("the lot has only {} criteria.", criteria.len()),
        ));
    }
    (technical, reasons)
}

/// A bid's price and deduction, which no evaluation can go on without.
fn check_price(bid: &BidToEvaluate, problems: &mut Vec<EvaluationProblem>) {
    if bid.price <= Money::ZERO {
        problems.push(EvaluationProblem::bid(
            bid.id,
            "报价必须大于零。".into(),
            "the price must be more than zero.".into(),
        ));
    }
    if bid.deduction_pct < Decimal::ZERO || bid.deduction_pct > Decimal::ONE_HUNDRED {
        problems.push(EvaluationProblem::bid(
            bid.id,
            format!(
                "价格扣除比例 {}% 不在 0 到 100 之间。",
                pct(bid.deduction_pct)
            ),
            format!(
                "the price deduction of {}% is not between 0 and 100.",
                pct(bid.deduction_pct)
            ),
        ));
    }
}

/// Why a bid is not qualified: above the ceiling, or failing a pass/fail criterion.
pub fn disqualifications(criteria: &[Criterion], ceiling: Money, bid: &BidToEvaluate) -> Vec<Text> {
    let mut reasons = Vec::new();
    // R-BID-03: a bid above the lot's ceiling is invalid (refused at submission; checked again).
    if bid.price > ceiling {
        reasons.push(Text::new(
            format!(
                "报价 {} 超过本包最高限价 {ceiling}（R-BID-03）。",
                bid.price
            ),
            format!(
                "The price of {} is above the lot's ceiling of {ceiling} (R-BID-03).",
                bid.price
            ),
        ));
    }
    // R-EVAL-01, R-EVAL-02: a bid that fails any pass/fail criterion is not ranked.
    for (i, c) in criteria.iter().enumerate() {
        let mark = bid.marks.get(i).copied().unwrap_or_default();
        if c.scoring == Scoring::PassFail && mark.passed == Some(false) {
            reasons.push(Text::new(
                format!(
                    "未通过第 {} 项要求（{}）：{}",
                    i + 1,
                    c.kind.name(Lang::ZhCn),
                    c.requirement
                ),
                format!(
                    "Fails criterion {} ({}): {}",
                    i + 1,
                    c.kind.name(Lang::En),
                    c.requirement
                ),
            ));
        }
    }
    reasons
}

/// Checks the mark of criterion `i` (a bid already `out` needs none); returns the points it
/// adds to the technical score, if it is a sound score.
fn check_mark(
    c: &Criterion,
    i: usize,
    mark: CriterionMark,
    bid: Uuid,
    out: bool,
    problems: &mut Vec<EvaluationProblem>,
) -> Option<Decimal> {
    match (c.scoring, mark.score) {
        (Scoring::PassFail, _) => {
            if mark.passed.is_none() && !out {
                problems.push(EvaluationProblem::criterion(
                    bid,
                    i,
                    "尚未评定合格或不合格。".into(),
                    "not yet marked pass or fail.".into(),
                ));
            }
            None
        }
        (Scoring::Scored { .. }, None) => {
            if !out {
                problems.push(EvaluationProblem::criterion(
                    bid,
                    i,
                    "尚未评分。".into(),
                    "not yet scored.".into(),
                ));
            }
            None
        }
        (Scoring::Scored { weight }, Some(s)) => {
            check_score(s, weight, bid, i, problems).then_some(s)
        }
    }
}

/// Whether score `s` is sound for a criterion of `weight`: from 0 to the weight, at most two
/// decimals. Each way it is not is a problem.
fn check_score(
    s: Decimal,
    weight: Decimal,
    bid: Uuid,
    i: usize,
    problems: &mut Vec<EvaluationProblem>,
) -> bool {
    let mut sound = true;
    if s < Decimal::ZERO {
        sound = false;
        problems.push(EvaluationProblem::criterion(
            bid,
            i,
            format!("得分 {} 不能低于 0。", s.normalize()),
            format!("a score of {} is below 0.", s.normalize()),
        ));
    }
    if s > weight {
        sound = false;
        problems.push(EvaluationProblem::criterion(
            bid,
            i,
            format!(
                "得分 {} 超过该项分值 {}。",
                s.normalize(),
                weight.normalize()
            ),
            format!(
                "a score of {} is above the criterion's weight of {}.",
                s.normalize(),
                weight.normalize()
            ),
        ));
    }
    if s.normalize().scale() > 2 {
        sound = false;
        problems.push(EvaluationProblem::criterion(
            bid,
            i,
            format!("得分 {} 最多保留两位小数。", s.normalize()),
            format!("a score of {} has more than two decimals.", s.normalize()),
        ));
    }
    sound
}

/// R-EVAL-01 / R-EVAL-02: evaluates a lot's bids under `method`, against the lot's `criteria` and
/// its budget `ceiling` (R-BID-03).
///
/// A bid is qualified when it is within the ceiling and passes every pass/fail criterion; the
/// others are listed with their reasons and no rank. Qualified bids are ranked:
/// - comprehensive scoring (R-EVAL-01): price score = lowest evaluated price among qualified bids
///   / this bid's evaluated price × price weight, rounded to two decimals half away from zero;
///   total = technical score + price score; the highest total first;
/// - lowest evaluated price (R-EVAL-02): the lowest evaluated price first; no price score.
///
/// Ties: the higher technical score first, then the earlier submission, then the smaller id (so
/// the ranking never depends on input order).
///
/// `Err` lists every problem at once: a pass/fail criterion not yet marked, a score missing,
/// below 0, above the criterion's weight or with more than two decimals, a mark for a criterion
/// the lot lacks, a price of zero or less, a deduction outside 0–100, a bid given twice. A bid
/// that already fails a pass/fail criterion or the ceiling needs no further marks.
pub fn evaluate_lot(
    method: EvaluationMethod,
    criteria: &[Criterion],
    ceiling: Money,
    bids: &[BidToEvaluate],
) -> Result<LotEvaluation, Vec<EvaluationProblem>> {
    let mut results = checked_bids(criteria, ceiling, bids)?;
    let lowest = results
        .iter()
        .filter(|b| b.qualified)
        .map(|b| b.evaluated_price)
        .min();
    if let (EvaluationMethod::ComprehensiveScoring { price_weight }, Some(lowest)) =
        (method, lowest)
    {
        // R-EVAL-01: price score against the lowest evaluated price among qualified bids.
        for b in results.iter_mut().filter(|b| b.qualified) {
            let score = price_score(lowest, b.evaluated_price, price_weight);
            b.price_score = Some(score);
            b.total = Some(b.technical_score.saturating_add(score));
        }
    }
    Ok(LotEvaluation {
        method,
        lowest_evaluated_price: lowest,
        bids: ranked(method, results),
    })
}

/// Every bid checked ([`check_bid`]), with its evaluated price and technical score, not yet
/// scored on price nor ranked; or every problem found.
fn checked_bids(
    criteria: &[Criterion],
    ceiling: Money,
    bids: &[BidToEvaluate],
) -> Result<Vec<EvaluatedBid>, Vec<EvaluationProblem>> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut results = Vec::with_capacity(bids.len());
    for bid in bids {
        if !seen.insert(bid.id) {
            problems.push(EvaluationProblem::bid(
                bid.id,
                "重复出现。".into(),
                "given more than once.".into(),
            ));
        }
        let (technical_score, reasons) = check_bid(criteria, ceiling, bid, &mut problems);
        results.push(EvaluatedBid {
            id: bid.id,
            price: bid.price,
            deduction_pct: bid.deduction_pct,
            evaluated_price: evaluated_price(bid.price, bid.deduction_pct),
            submitted_at: bid.submitted_at,
            technical_score,
            price_score: None,
            total: None,
            qualified: reasons.is_empty(),
            disqualified_because: reasons,
            rank: None,
        });
    }
    if problems.is_empty() {
        Ok(results)
    } else {
        Err(problems)
    }
}

/// The qualified bids ranked under `method` (rank 1 first), then the others, unranked.
fn ranked(method: EvaluationMethod, results: Vec<EvaluatedBid>) -> Vec<EvaluatedBid> {
    let tie_break = |a: &EvaluatedBid, b: &EvaluatedBid| -> Ordering {
        b.technical_score
            .cmp(&a.technical_score)
            .then(a.submitted_at.cmp(&b.submitted_at))
            .then(a.id.cmp(&b.id))
    };
    let (mut ranked, others): (Vec<EvaluatedBid>, Vec<EvaluatedBid>) =
        results.into_iter().partition(|b| b.qualified);
    match method {
        // R-EVAL-01: the highest total first.
        EvaluationMethod::ComprehensiveScoring { .. } => {
            ranked.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| tie_break(a, b)))
        }
        // R-EVAL-02: the lowest evaluated price first.
        EvaluationMethod::LowestEvaluatedPrice => ranked.sort_by(|a, b| {
            a.evaluated_price
                .cmp(&b.evaluated_price)
                .then_with(|| tie_break(a, b))
        }),
    }
    for (i, b) in ranked.iter_mut().enumerate() {
        b.rank = Some(i + 1);
    }
    ranked.extend(others);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::publication::CriterionKind;
    use chrono::TimeZone;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// 2026-12-20 at `hour`:`minute` UTC.
    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 20, hour, minute, 0).unwrap()
    }

    fn pass_fail() -> Criterion {
        Criterion {
            kind: CriterionKind::Certification,
            requirement: "ISO 9001".into(),
            scoring: Scoring::PassFail,
        }
    }

    fn scored(weight: &str) -> Criterion {
        Criterion {
            kind: CriterionKind::TechnicalApproach,
            requirement: "技术方案".into(),
            scoring: Scoring::Scored { weight: d(weight) },
        }
    }

    fn bid(n: u128, price: &str, deduction: &str, marks: Vec<CriterionMark>) -> BidToEvaluate {
        BidToEvaluate {
            id: id(n),
            price: m(price),
            deduction_pct: d(deduction),
            submitted_at: at(9, 0),
            marks,
        }
    }

    fn pts(s: &str) -> CriterionMark {
        CriterionMark::score(d(s))
    }

    fn comprehensive(weight: &str) -> EvaluationMethod {
        EvaluationMethod::ComprehensiveScoring {
            price_weight: d(weight),
        }
    }

    /// Bid ids in result order, with their ranks.
    fn order(e: &LotEvaluation) -> Vec<(Uuid, Option<usize>)> {
        e.bids.iter().map(|b| (b.id, b.rank)).collect()
    }

    const CEILING: &str = "150000";

    #[test]
    fn r_eval_01_comprehensive_scoring_of_three_bids_without_deduction() {
        // Price weight 30; criteria: pass/fail, technical approach (40), delivery plan (30).
        // Lowest evaluated price: B's 90,000.
        //   A 100,000: tech 35 + 25 = 60; price 90,000/100,000 × 30 = 27.00; total 87.00
        //   B  90,000: tech 30 + 20 = 50; price 90,000/ 90,000 × 30 = 30.00; total 80.00
        //   C 120,000: tech 38 + 28 = 66; price 90,000/120,000 × 30 = 22.50; total 88.50
        // Ranking: C 1, A 2, B 3.
        let criteria = [pass_fail(), scored("40"), scored("30")];
        let p = CriterionMark::pass;
        let bids = [
            bid(1, "100000", "0", vec![p(), pts("35"), pts("25")]),
            bid(2, "90000", "0", vec![p(), pts("30"), pts("20")]),
            bid(3, "120000", "0", vec![p(), pts("38"), pts("28")]),
        ];
        let e = evaluate_lot(comprehensive("30"), &criteria, m(CEILING), &bids).unwrap();
        assert_eq!(e.lowest_evaluated_price, Some(m("90000")));
        assert_eq!(
            order(&e),
            [(id(3), Some(1)), (id(1), Some(2)), (id(2), Some(3))]
        );
        let a = e.bid(id(1)).unwrap();
        assert_eq!(a.technical_score, d("60"));
        assert_eq!(a.price_score, Some(d("27.00")));
        assert_eq!(a.total, Some(d("87.00")));
        let b = e.bid(id(2)).unwrap();
        assert_eq!(
            (b.price_score, b.total),
            (Some(d("30.00")), Some(d("80.00")))
        );
        let c = e.winner().unwrap();
        assert_eq!(c.id, id(3));
        assert_eq!(c.technical_score, d("66"));
        assert_eq!(
            (c.price_score, c.total),
            (Some(d("22.50")), Some(d("88.50")))
        );
        assert!(e
            .bids
            .iter()
            .all(|b| b.qualified && b.evaluated_price == b.price));
    }

    #[test]
    fn r_sme_03_r_eval_01_a_small_firms_ten_percent_deduction_changes_the_winner() {
        // Price weight 30; one scored criterion (70). Small firm S bids 95,000, large firm L
        // 90,000; both score 60 on the criterion.
        // Without the deduction: lowest 90,000.
        //   S: 90,000/95,000 × 30 = 28.4210… → 28.42; total 88.42
        //   L: 30.00; total 90.00 → L wins.
        // With S's 10% (R-SME-03): S evaluated at 95,000 × 90/100 = 85,500, the new lowest.
        //   S: 30.00; total 90.00 → S wins
        //   L: 85,500/90,000 × 30 = 0.95 × 30 = 28.50; total 88.50
        let criteria = [scored("70")];
        let terms = DeductionTerms {
            price_deduction: Some(d("10")),
            consortium_deduction: Some(d("4")),
            reserved: false,
        };
        let small = PriceDeduction::decide(&Policy::CHINA, &terms, Some(SizeClass::Small), None);
        assert_eq!(small.pct, d("10"));

        let mut bids = [
            bid(1, "95000", "0", vec![pts("60")]),
            bid(2, "90000", "0", vec![pts("60")]),
        ];
        let e = evaluate_lot(comprehensive("30"), &criteria, m(CEILING), &bids).unwrap();
        assert_eq!(order(&e), [(id(2), Some(1)), (id(1), Some(2))]);
        let s = e.bid(id(1)).unwrap();
        assert_eq!(
            (s.price_score, s.total),
            (Some(d("28.42")), Some(d("88.42")))
        );
        assert_eq!(e.bid(id(2)).unwrap().total, Some(d("90.00")));

        bids[0].deduction_pct = small.pct;
        let e = evaluate_lot(comprehensive("30"), &criteria, m(CEILING), &bids).unwrap();
        assert_eq!(order(&e), [(id(1), Some(1)), (id(2), Some(2))]);
        let s = e.winner().unwrap();
        assert_eq!(s.evaluated_price, m("85500"));
        assert_eq!(s.price, m("95000"), "the contract stays at the bid price");
        assert_eq!(
            (s.price_score, s.total),
            (Some(d("30.00")), Some(d("90.00")))
        );
        let l = e.bid(id(2)).unwrap();
        assert_eq!(
            (l.price_score, l.total),
            (Some(d("28.50")), Some(d("88.50")))
        );
        assert_eq!(e.lowest_evaluated_price, Some(m("85500")));
    }

    #[test]
    fn r_eval_01_price_scores_round_to_two_decimals_half_away_from_zero() {
        // Price weight 10; one scored criterion (90), every bid scores 80. Lowest: X's 49,000.
        //   X  49,000: 10.00                                  total 90.00
        //   V  60,000: 49,000 × 10 / 60,000  = 8.1666… → 8.17  total 88.17
        //   Y  80,000: 49,000 × 10 / 80,000  = 6.125   → 6.13  total 86.13 (half away from
        //              zero; banker's rounding would give 6.12)
        //   W 147,000: 49,000 × 10 / 147,000 = 3.3333… → 3.33  total 83.33
        let criteria = [scored("90")];
        let bids = [
            bid(1, "80000", "0", vec![pts("80")]),
            bid(2, "147000", "0", vec![pts("80")]),
            bid(3, "49000", "0", vec![pts("80")]),
            bid(4, "60000", "0", vec![pts("80")]),
        ];
        let e = evaluate_lot(comprehensive("10"), &criteria, m(CEILING), &bids).unwrap();
        let scores: Vec<(Uuid, Option<Decimal>, Option<Decimal>)> = e
            .bids
            .iter()
            .map(|b| (b.id, b.price_score, b.total))
            .collect();
        assert_eq!(
            scores,
            [
                (id(3), Some(d("10.00")), Some(d("90.00"))),
                (id(4), Some(d("8.17")), Some(d("88.17"))),
                (id(1), Some(d("6.13")), Some(d("86.13"))),
                (id(2), Some(d("3.33")), Some(d("83.33"))),
            ]
        );
    }

    #[test]
    fn r_eval_02_lowest_evaluated_price_with_and_without_deduction_and_disqualified_bids() {
        // Two pass/fail criteria; ceiling 100,000.
        //   A (large) 90,000, passes both.
        //   B (small)  95,000, passes both; deduction 0%, then 10% → 85,500.
        //   C          80,000: the cheapest, but fails criterion 2 (its criterion 1 need not be
        //              marked once it is out) → not ranked.
        //   D         100,000.01: above the ceiling (R-BID-03) → not ranked.
        // Without deduction: A 90,000 (1), B 95,000 (2). With: B 85,500 (1), A 90,000 (2).
        let criteria = [pass_fail(), pass_fail()];
        let (p, f) = (CriterionMark::pass, CriterionMark::fail);
        let mut bids = [
            bid(1, "90000", "0", vec![p(), p()]),
            bid(2, "95000", "0", vec![p(), p()]),
            bid(3, "80000", "0", vec![CriterionMark::default(), f()]),
            bid(4, "100000.01", "0", vec![p(), p()]),
        ];
        let lep = EvaluationMethod::LowestEvaluatedPrice;
        let e = evaluate_lot(lep, &criteria, m("100000"), &bids).unwrap();
        assert_eq!(
            order(&e),
            [
                (id(1), Some(1)),
                (id(2), Some(2)),
                (id(3), None),
                (id(4), None)
            ]
        );
        assert_eq!(e.lowest_evaluated_price, Some(m("90000")));
        assert!(e
            .bids
            .iter()
            .all(|b| b.price_score.is_none() && b.total.is_none()));
        let c = e.bid(id(3)).unwrap();
        assert!(!c.qualified);
        assert_eq!(c.disqualified_because.len(), 1);
        assert!(
            c.disqualified_because[0]
                .en
                .starts_with("Fails criterion 2"),
            "{}",
            c.disqualified_because[0].en
        );
        let over = e.bid(id(4)).unwrap();
        assert!(!over.qualified);
        assert!(over.disqualified_because[0].en.contains("R-BID-03"));

        bids[1].deduction_pct = d("10");
        let e = evaluate_lot(lep, &criteria, m("100000"), &bids).unwrap();
        assert_eq!(
            order(&e),
            [
                (id(2), Some(1)),
                (id(1), Some(2)),
                (id(3), None),
                (id(4), None)
            ]
        );
        assert_eq!(e.winner().unwrap().evaluated_price, m("85500"));
        assert_eq!(e.winner().unwrap().price, m("95000"));
        assert_eq!(e.lowest_evaluated_price, Some(m("85500")));
    }

    #[test]
    fn r_eval_01_equal_totals_go_to_the_higher_technical_score_then_the_earlier_bid() {
        // Price weight 30; one scored criterion (70). Lowest evaluated price 100,000.
        //   P 100,000, tech 60, 10:00: 30.00 + 60 = 90.00
        //   Q 120,000, tech 65, 10:00: 100,000/120,000 × 30 = 25.00; + 65 = 90.00
        //   R 100,000, tech 60, 09:00: 30.00 + 60 = 90.00
        // All total 90.00: Q first (tech 65); R before P (submitted earlier).
        let criteria = [scored("70")];
        let mut p = bid(1, "100000", "0", vec![pts("60")]);
        p.submitted_at = at(10, 0);
        let mut q = bid(2, "120000", "0", vec![pts("65")]);
        q.submitted_at = at(10, 0);
        let mut r = bid(3, "100000", "0", vec![pts("60")]);
        r.submitted_at = at(9, 0);
        let e = evaluate_lot(comprehensive("30"), &criteria, m(CEILING), &[p, q, r]).unwrap();
        assert!(e.bids.iter().all(|b| b.total == Some(d("90.00"))));
        assert_eq!(e.bid(id(2)).unwrap().price_score, Some(d("25.00")));
        assert_eq!(
            order(&e),
            [(id(2), Some(1)), (id(3), Some(2)), (id(1), Some(3))]
        );

        // Everything equal: the smaller id first, whatever the input order.
        let twins = [
            bid(7, "100000", "0", vec![pts("60")]),
            bid(5, "100000", "0", vec![pts("60")]),
        ];
        let e = evaluate_lot(comprehensive("30"), &criteria, m(CEILING), &twins).unwrap();
        assert_eq!(order(&e), [(id(5), Some(1)), (id(7), Some(2))]);
    }

    #[test]
    fn r_eval_02_an_equal_evaluated_price_goes_to_the_earlier_bid() {
        // Small firm S bids 100,000 with 10% off → 90,000, submitted 10:00.
        // Large firm L bids 90,000, submitted 09:00. Equal evaluated prices, no scored criteria
        // (tech 0 each): L first, by submission time.
        let criteria = [pass_fail()];
        let mut s = bid(1, "100000", "10", vec![CriterionMark::pass()]);
        s.submitted_at = at(10, 0);
        let mut l = bid(2, "90000", "0", vec![CriterionMark::pass()]);
        l.submitted_at = at(9, 0);
        let e = evaluate_lot(
            EvaluationMethod::LowestEvaluatedPrice,
            &criteria,
            m(CEILING),
            &[s, l],
        )
        .unwrap();
        assert_eq!(e.bid(id(1)).unwrap().evaluated_price, m("90000"));
        assert_eq!(order(&e), [(id(2), Some(1)), (id(1), Some(2))]);
    }

    #[test]
    fn r_sme_03_who_gets_which_deduction() {
        let policy = &Policy::CHINA; // consortium_min_share = 30%
        let terms = DeductionTerms {
            price_deduction: Some(d("10")),
            consortium_deduction: Some(d("4")),
            reserved: false,
        };
        let decide = |terms: &DeductionTerms, class: Option<SizeClass>, share: Option<&str>| {
            let got = PriceDeduction::decide(policy, terms, class, share.map(d));
            (got.pct, got.basis)
        };
        use DeductionBasis::*;
        use SizeClass::*;
        // Small and micro firms: the tender's 10%.
        assert_eq!(decide(&terms, Some(Small), None), (d("10"), SmallOrMicro));
        assert_eq!(
            decide(&terms, Some(Micro), Some("50")),
            (d("10"), SmallOrMicro)
        );
        // Medium with 30% to small/micro firms: the consortium 4%; with 29.99%: none.
        assert_eq!(
            decide(&terms, Some(Medium), Some("30")),
            (d("4"), Consortium)
        );
        assert_eq!(
            decide(&terms, Some(Medium), Some("29.99")),
            (Decimal::ZERO, NotEligible)
        );
        assert_eq!(
            decide(&terms, Some(Large), Some("30")),
            (d("4"), Consortium)
        );
        assert_eq!(
            decide(&terms, Some(Medium), None),
            (Decimal::ZERO, NotEligible)
        );
        // No declaration counts as large: nothing without a share, the consortium 4% with one.
        assert_eq!(decide(&terms, None, None), (Decimal::ZERO, NotEligible));
        assert_eq!(decide(&terms, None, Some("30")), (d("4"), Consortium));
        // A reserved lot: none for anyone.
        let reserved = DeductionTerms {
            reserved: true,
            ..terms.clone()
        };
        assert_eq!(
            decide(&reserved, Some(Small), None),
            (Decimal::ZERO, Reserved)
        );
        assert_eq!(
            decide(&reserved, Some(Medium), Some("30")),
            (Decimal::ZERO, Reserved)
        );
        // The tender fixed no figure for the case: none.
        let bare = DeductionTerms {
            price_deduction: None,
            consortium_deduction: None,
            reserved: false,
        };
        assert_eq!(
            decide(&bare, Some(Small), None),
            (Decimal::ZERO, NotEligible)
        );
        assert_eq!(
            decide(&bare, Some(Medium), Some("40")),
            (Decimal::ZERO, NotEligible)
        );
        // Reasons are bilingual and name the rule.
        let r = PriceDeduction::decide(policy, &terms, Some(Medium), Some(d("29.99")));
        assert!(r.reason.en.contains("29.99%") && r.reason.en.contains("R-SME-03"));
        assert!(r.reason.zh.contains("低于 30%"), "{}", r.reason.zh);
        let r = PriceDeduction::decide(policy, &reserved, Some(Small), None);
        assert!(r.reason.en.contains("reserved"));
    }

    #[test]
    fn r_sme_03_evaluated_price_rounds_to_the_fen_half_away_from_zero() {
        // 95,000 × 90/100 = 85,500.
        assert_eq!(evaluated_price(m("95000"), d("10")), m("85500"));
        // 12,345.67 × 85/100 = 10,493.8195 → 10,493.82.
        assert_eq!(evaluated_price(m("12345.67"), d("15")), m("10493.82"));
        // 10.30 × 95/100 = 9.785 → 9.79 (banker's rounding would give 9.78).
        assert_eq!(evaluated_price(m("10.30"), d("5")), m("9.79"));
        // 100,000 × 95.5/100 = 95,500.
        assert_eq!(evaluated_price(m("100000"), d("4.5")), m("95500"));
        assert_eq!(evaluated_price(m("100000"), Decimal::ZERO), m("100000"));
        // Outside 0–100 is clamped.
        assert_eq!(evaluated_price(m("100000"), d("120")), Money::ZERO);
        assert_eq!(evaluated_price(m("100000"), d("-5")), m("100000"));
    }

    #[test]
    fn r_eval_01_incomplete_or_unsound_marks_are_all_reported_at_once() {
        // Criteria: 1 pass/fail, 2 scored (40), 3 scored (30).
        //   bid 1: criterion 1 unmarked; 40.5 > 40; 12.345 has three decimals → 3 problems
        //   bid 2: only criterion 1 marked → criteria 2 and 3 not scored    → 2 problems
        //   bid 3: −1 < 0 on criterion 2; a 4th mark the lot lacks          → 2 problems
        let criteria = [pass_fail(), scored("40"), scored("30")];
        let p = CriterionMark::pass;
        let bids = [
            bid(
                1,
                "100000",
                "0",
                vec![CriterionMark::default(), pts("40.5"), pts("12.345")],
            ),
            bid(2, "100000", "0", vec![p()]),
            bid(3, "100000", "0", vec![p(), pts("-1"), pts("30"), pts("1")]),
        ];
        let problems = evaluate_lot(comprehensive("30"), &criteria, m(CEILING), &bids).unwrap_err();
        let found: Vec<(Uuid, Option<usize>)> =
            problems.iter().map(|x| (x.bid, x.criterion)).collect();
        assert_eq!(
            found,
            [
                (id(1), Some(0)),
                (id(1), Some(1)),
                (id(1), Some(2)),
                (id(2), Some(1)),
                (id(2), Some(2)),
                (id(3), Some(1)),
                (id(3), Some(3)),
            ]
        );
        let first = &problems[0].message;
        assert_eq!(
            first.en,
            format!("Bid {}, criterion 1: not yet marked pass or fail.", id(1))
        );
        assert!(first.zh.contains("第 1 项评审因素"));
        assert!(problems[1].message.en.contains("40.5 is above"));
        assert!(problems[2].message.en.contains("more than two decimals"));
        assert!(problems[3]
            .message
            .en
            .ends_with("criterion 2: not yet scored."));
        assert!(problems[5].message.en.contains("-1 is below 0"));
    }

    #[test]
    fn r_eval_01_a_score_above_the_criterion_weight_is_refused() {
        let criteria = [scored("40")];
        let over = [bid(1, "100000", "0", vec![pts("40.01")])];
        let problems = evaluate_lot(comprehensive("60"), &criteria, m(CEILING), &over).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].bid, problems[0].criterion), (id(1), Some(0)));
        assert!(problems[0].message.zh.contains("超过该项分值 40"));
        // Exactly the weight is allowed: 40 + 60 (the only bid is the lowest) = 100.00.
        let full = [bid(1, "100000", "0", vec![pts("40")])];
        let e = evaluate_lot(comprehensive("60"), &criteria, m(CEILING), &full).unwrap();
        assert_eq!(e.winner().unwrap().total, Some(d("100.00")));
    }
}
