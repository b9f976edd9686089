//! The policy table: every figure the procurement rules use, in one place (RULES.md: "where a
//! figure is a policy choice, keep it in one policy table, not scattered as literals").
//! `Policy::CHINA` is the default profile; the rules take a `&Policy`, so a changed ratio (D19
//! raised the works reserve to 40% "for a period") is one edit here, tested by the rules' tests.

use rust_decimal::Decimal;

use crate::domain::tender::Category;

/// A whole number as a `Decimal`, usable in constants.
const fn whole(n: u32) -> Decimal {
    Decimal::from_parts(n, 0, 0, false, 0)
}

/// An inclusive range of percentages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PctRange {
    pub min: Decimal,
    pub max: Decimal,
}

impl PctRange {
    pub fn contains(self, pct: Decimal) -> bool {
        self.min <= pct && pct <= self.max
    }
}

/// A figure that differs between goods and services on one side and works on the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByCategory<T> {
    pub goods_services: T,
    pub works: T,
}

impl<T: Copy> ByCategory<T> {
    pub fn get(&self, category: Category) -> T {
        match category {
            Category::Goods | Category::Services => self.goods_services,
            Category::Works => self.works,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// R-SME-01: tenders with a budget at or below this are reserved for SMEs (CNY).
    pub sme_reserve_threshold: ByCategory<Decimal>,
    /// R-SME-02: the share of a larger tender's budget reserved for SMEs (%).
    pub sme_reserve_share: ByCategory<Decimal>,
    /// R-SME-02: the share of that reserve for small and micro firms (%).
    pub small_micro_share_of_reserve: Decimal,
    /// R-SME-03: the price deduction for small and micro bidders (%).
    pub small_micro_deduction: ByCategory<PctRange>,
    /// R-SME-03: the deduction for a consortium or subcontract giving small/micro firms at least
    /// `consortium_min_share` (%).
    pub consortium_deduction: ByCategory<PctRange>,
    pub consortium_min_share: Decimal,
    /// R-TIME-01: calendar days from publication to the deadline.
    pub open_tender_min_days: i64,
    pub consultation_min_days: i64,
    /// R-TIME-01: working days for competitive negotiation and request for quotation.
    pub negotiation_min_working_days: u32,
    /// R-TIME-02: days that must remain after an amendment that affects bids.
    pub open_tender_amendment_days: i64,
    pub consultation_amendment_days: i64,
    /// R-TIME-03: working days the tender documents stay available.
    pub documents_available_working_days: u32,
    /// R-SEC-01: bid security, % of the budget at most; refunded within working days of award.
    pub bid_security_max: Decimal,
    pub bid_security_refund_working_days: u32,
    /// R-SEC-01: performance security, % of the contract value at most.
    pub performance_security_max: Decimal,
    /// R-EVAL-01: the least price weight in comprehensive scoring (%); none set for works.
    pub min_price_weight_goods: Decimal,
    pub min_price_weight_services: Decimal,
}

impl Policy {
    pub const CHINA: Policy = Policy {
        sme_reserve_threshold: ByCategory {
            goods_services: whole(2000000),
            works: whole(4000000),
        },
        sme_reserve_share: ByCategory {
            goods_services: whole(30),
            works: whole(40),
        },
        small_micro_share_of_reserve: whole(60),
        small_micro_deduction: ByCategory {
            goods_services: PctRange {
                min: whole(10),
                max: whole(20),
            },
            works: PctRange {
                min: whole(3),
                max: whole(5),
            },
        },
        consortium_deduction: ByCategory {
            goods_services: PctRange {
                min: whole(4),
                max: whole(6),
            },
            works: PctRange {
                min: whole(1),
                max: whole(2),
            },
        },
        consortium_min_share: whole(30),
        open_tender_min_days: 20,
        consultation_min_days: 10,
        negotiation_min_working_days: 3,
        open_tender_amendment_days: 15,
        consultation_amendment_days: 5,
        documents_available_working_days: 5,
        bid_security_max: whole(2),
        bid_security_refund_working_days: 5,
        performance_security_max: whole(10),
        min_price_weight_goods: whole(30),
        min_price_weight_services: whole(10),
    };

    /// R-EVAL-01: the least price weight for a category, if the rules set one.
    pub fn min_price_weight(&self, category: Category) -> Option<Decimal> {
        match category {
            Category::Goods => Some(self.min_price_weight_goods),
            Category::Services => Some(self.min_price_weight_services),
            Category::Works => None,
        }
    }
}
