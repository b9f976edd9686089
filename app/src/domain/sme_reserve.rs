//! Publishing a tender, the SME part (issue #4, issue #33): which lots are reserved (R-SME-01,
//! R-SME-05's lifted lots) and whether a larger tender reserves enough for SMEs, 60% of it
//! reaching small and micro firms (R-SME-02), with R-SME-03's deduction for the rest. Called by
//! `publication::check_publication`; plain data in, problems out.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::policy::Policy;
use crate::domain::publication::{money, pct_of, Problem, TenderPlan};
use crate::domain::tender::Category;
use crate::domain::Money;
use crate::i18n::Text;

/// How SMEs are served by a publishable tender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmeOutcome {
    /// R-SME-01: the whole tender is reserved for SMEs.
    ReservedWhole,
    /// R-SME-02: a share is reserved; R-SME-03 deductions apply to the rest.
    Shared { reserve: Money, required: Money },
}

/// R-SME-01: whether a tender of this category and budget is reserved for SMEs whole.
pub fn reserved_whole(policy: &Policy, category: Category, budget: Money) -> bool {
    budget.amount() <= policy.sme_reserve_threshold.get(category)
}

/// What a tender is published with: reserved for SMEs whole (R-SME-01) or not, and each lot
/// reserved or not (R-SME-01, R-SME-02), after R-SME-05 lifted what a re-tender's link lifts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reservation {
    pub whole: bool,
    pub lots: Vec<bool>,
    /// R-SME-02: the reserved lots that only small and micro firms may bid on.
    pub small_micro: Vec<bool>,
    /// R-SME-05: the lots whose reservation the re-tender's link lifted.
    pub lifted: Vec<bool>,
}

/// R-SME-01, R-SME-02, R-SME-05: which lots of the plan are reserved for SMEs.
///
/// R-SME-05 (D46: 因中小企业投标不足而失败的，可以不再专门面向中小企业采购): a lot that
/// re-tenders a lot suspended for too few qualified SME bids, in a draft linked to that tender,
/// is not reserved, whatever the budget; the tender is then not reserved whole, and its other
/// lots stay reserved as R-SME-01 or their set-aside reserved them. Without the link nothing
/// is lifted: the same content in an unlinked draft is reserved as ever.
pub fn reservation(plan: &TenderPlan, policy: &Policy) -> Reservation {
    let by_budget = reserved_whole(policy, plan.category, plan.budget);
    let lifted = match &plan.retender {
        Some(link) => {
            let named: Vec<_> = plan.lots.iter().map(|l| l.retender_of).collect();
            link.lifted(&named)
        }
        None => vec![false; plan.lots.len()],
    };
    let any_lifted = lifted.iter().any(|l| *l);
    let lots: Vec<bool> = plan
        .lots
        .iter()
        .zip(&lifted)
        .map(|(l, lifted)| !lifted && (by_budget || l.reserved_for_sme || l.small_micro_only))
        .collect();
    Reservation {
        whole: by_budget && !any_lifted,
        small_micro: plan
            .lots
            .iter()
            .zip(&lots)
            .map(|(l, reserved)| *reserved && l.small_micro_only)
            .collect(),
        lots,
        lifted,
    }
}

pub(crate) fn check_sme(
    plan: &TenderPlan,
    policy: &Policy,
    problems: &mut Vec<Problem>,
) -> SmeOutcome {
    let reservation = reservation(plan, policy);
    // R-SME-01: small tenders are reserved whole; nothing to choose.
    if reservation.whole {
        return SmeOutcome::ReservedWhole;
    }
    // R-SME-05: a re-tender within R-SME-01's threshold whose link lifted some lots: no share
    // to reserve (R-SME-02 is for larger tenders), its other lots stay reserved, and the lifted
    // lots are non-reserved lots, with R-SME-03's deduction below.
    let within_threshold = reserved_whole(policy, plan.category, plan.budget);
    // R-SME-02: reserved lots plus the required share of the other lots.
    let sme = &plan.sme;
    let reserve: Decimal = plan
        .lots
        .iter()
        .zip(&reservation.lots)
        .map(|(l, reserved)| {
            if *reserved {
                l.budget.amount()
            } else {
                pct_of(l.budget.amount(), sme.required_sme_share)
            }
        })
        .sum();
    let share = policy.sme_reserve_share.get(plan.category);
    let required = if within_threshold {
        Decimal::ZERO
    } else {
        pct_of(plan.budget.amount(), share)
    };
    if sme.required_sme_share < Decimal::ZERO || sme.required_sme_share > Decimal::ONE_HUNDRED {
        problems.push(Problem::new(
            "input",
            "sme.required_sme_share",
            Text::new("比例应在 0 到 100 之间。", "A share is between 0 and 100."),
        ));
    } else if reserve < required {
        problems.push(Problem::new(
            "R-SME-02",
            "sme",
            Text::new(
                format!(
                    "预算超过中小企业预留限额，须为中小企业预留至少 {share}%（{}）；目前只预留了 {}，还差 {}。请整包预留采购包，或提高对中小企业的联合体或分包比例。",
                    money(required),
                    money(reserve),
                    money(required - reserve)
                ),
                format!(
                    "Above the reserve threshold at least {share}% of the budget ({}) must be reserved for SMEs; this tender reserves {}, {} short. Set whole lots aside for SMEs, or require a larger SME share of consortia or subcontracts.",
                    money(required),
                    money(reserve),
                    money(required - reserve)
                ),
            ),
        ));
    }
    // R-SME-02: at least 60% of the reserve reaches small and micro firms, by what the tender
    // actually does: lots only they may bid on, plus the part of the consortium or subcontract
    // share that bids must give them (`domain::sme_share`). A bare percentage reaches nothing.
    if sme.small_micro_share < Decimal::ZERO || sme.small_micro_share > Decimal::ONE_HUNDRED {
        problems.push(Problem::new(
            "input",
            "sme.small_micro_share",
            Text::new("比例应在 0 到 100 之间。", "A share is between 0 and 100."),
        ));
    } else if !within_threshold && reserve > Decimal::ZERO {
        let by_lots: Decimal = plan
            .lots
            .iter()
            .zip(&reservation.small_micro)
            .filter(|(_, small)| **small)
            .map(|(l, _)| l.budget.amount())
            .sum();
        let by_share: Decimal = plan
            .lots
            .iter()
            .zip(&reservation.lots)
            .filter(|(_, reserved)| !**reserved)
            .map(|(l, _)| {
                pct_of(
                    pct_of(l.budget.amount(), sme.required_sme_share),
                    sme.small_micro_share,
                )
            })
            .sum();
        let needed = pct_of(reserve, policy.small_micro_share_of_reserve);
        let reached = by_lots + by_share;
        if reached < needed {
            let pct = policy.small_micro_share_of_reserve;
            problems.push(Problem::new(
                "R-SME-02",
                "sme.small_micro_share",
                Text::new(
                    format!(
                        "中小企业预留份额 {} 中，给小微企业的不得低于 {pct}%（{}）；目前只有 {}（专门面向小微企业的采购包 {}，联合体或分包中的小微企业份额 {}）。请将预留的采购包设为“仅限小微企业”，或提高联合体或分包中小微企业所占比例。",
                        money(reserve),
                        money(needed),
                        money(reached),
                        money(by_lots),
                        money(by_share)
                    ),
                    format!(
                        "Of the SME reserve of {}, at least {pct}% ({}) must reach small and micro firms; this tender gives them {} ({} in lots only they may bid on, {} through the consortium or subcontract share). Mark reserved lots \"small and micro firms only\", or raise the small and micro part of the share.",
                        money(reserve),
                        money(needed),
                        money(reached),
                        money(by_lots),
                        money(by_share)
                    ),
                ),
            ));
        }
    }
    // R-SME-03: the non-reserved part states the deduction it uses, within the range.
    let range = policy.small_micro_deduction.get(plan.category);
    match sme.price_deduction {
        Some(pct) if range.contains(pct) => {}
        _ => problems.push(Problem::new(
            "R-SME-03",
            "sme.price_deduction",
            Text::new(
                format!(
                    "请确定对小微企业报价的扣除比例（{}%–{}%）。",
                    range.min, range.max
                ),
                format!(
                    "Set the price deduction for small and micro bidders ({}%–{}%).",
                    range.min, range.max
                ),
            ),
        )),
    }
    if let Some(pct) = sme.consortium_deduction {
        let range = policy.consortium_deduction.get(plan.category);
        if !range.contains(pct) {
            problems.push(Problem::new(
                "R-SME-03",
                "sme.consortium_deduction",
                Text::new(
                    format!(
                        "联合体或分包的扣除比例应在 {}%–{}% 之间。",
                        range.min, range.max
                    ),
                    format!(
                        "The consortium or subcontract deduction is between {}% and {}%.",
                        range.min, range.max
                    ),
                ),
            ));
        }
    }
    SmeOutcome::Shared {
        reserve: money(reserve),
        required: money(required),
    }
}
