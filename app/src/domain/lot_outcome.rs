//! What a lot's bids decide about it after the opening (issue #33): enough valid bids to go on
//! (R-BID-04, GPL Art. 36) and, in a lot or tender reserved for SMEs, enough qualified SME bids
//! (R-SME-05, D46). Valid bids are counted, not opened ones: three opened bids of which two fail
//! a pass/fail requirement leave one valid bid, and the lot fails.
//!
//! Where the rules are silent, users expect (and this module decides):
//! - A bid is valid while it is within its lot's ceiling (R-BID-03) and no pass/fail requirement
//!   is marked failed (R-EVAL-02); a score, however low, never makes a bid invalid.
//! - A requirement not yet marked does not count against a bid: at the opening every opened bid
//!   counts, and the lot fails as soon as fewer than 3 bids can still be valid. The evaluators
//!   need not mark the remaining bids of a lot that has already failed.
//! - The count follows the marks as they stand: a mark corrected before the award counts again
//!   (the award freezes the marks, so an awarded lot never changes).
//! - R-SME-05 goes first: a reserved lot short of qualified SME bids is suspended and
//!   re-tendered as non-reserved, even when it is also short of valid bids overall, since the
//!   re-tender opens it to every firm.
//! - A qualified SME bid is a valid bid whose SME declaration puts the firm in a medium, small or
//!   micro size class (R-SME-04); a bid without one counts as large.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// R-BID-04 and R-SME-05: the fewest valid bids (R-BID-04) and, in a lot or tender reserved for
/// SMEs, the fewest qualified SME bids (R-SME-05) with which a lot goes on to an award.
pub const MIN_VALID_BIDS: usize = 3;

/// One opened bid on a lot, as the count sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BidStanding {
    /// R-BID-04: within the ceiling and no pass/fail requirement marked failed (yet).
    pub valid: bool,
    /// R-SME-05: the bid's SME declaration qualifies (medium, small or micro).
    pub sme: bool,
}

impl BidStanding {
    /// R-BID-04: a bid `within_ceiling` (R-BID-03) with these marks of the lot's pass/fail
    /// requirements (`None`: not marked yet) is valid unless one of them is a fail.
    pub fn new(
        within_ceiling: bool,
        pass_fail_marks: impl IntoIterator<Item = Option<bool>>,
        sme: bool,
    ) -> BidStanding {
        let failed = pass_fail_marks.into_iter().any(|m| m == Some(false));
        BidStanding {
            valid: within_ceiling && !failed,
            sme,
        }
    }
}

/// A lot's count: its valid bids (R-BID-04) and, of those, the qualified SME bids (R-SME-05).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotCount {
    pub valid: usize,
    pub qualified_sme: usize,
}

impl LotCount {
    /// R-BID-04, R-SME-05: counts the valid bids, and the valid bids from SMEs.
    pub fn of(bids: &[BidStanding]) -> LotCount {
        LotCount {
            valid: bids.iter().filter(|b| b.valid).count(),
            qualified_sme: bids.iter().filter(|b| b.valid && b.sme).count(),
        }
    }
}

/// What a lot's count decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LotOpening {
    /// Enough valid bids: evaluation goes on and the lot may be awarded.
    Proceeds,
    /// R-BID-04: fewer than 3 valid bids; the lot fails and is re-tendered.
    Failed,
    /// R-SME-05: reserved for SMEs with fewer than 3 qualified SME bids; suspended and
    /// re-tendered as non-reserved.
    Suspended,
}

impl LotOpening {
    /// The rule that decided, if the lot does not proceed.
    pub fn rule(self) -> Option<&'static str> {
        match self {
            LotOpening::Proceeds => None,
            LotOpening::Failed => Some("R-BID-04"),
            LotOpening::Suspended => Some("R-SME-05"),
        }
    }

    /// The public reason, as the tender page, the award refusal and the opening record give it.
    pub fn reason(self) -> Text {
        match self {
            LotOpening::Proceeds => Text::new(
                "有效投标不少于三家，进入评审。",
                "At least three valid bids: the lot goes to evaluation.",
            ),
            LotOpening::Failed => Text::new(
                "有效投标不足三家（GPL 第三十六条）：本包废标，重新招标（R-BID-04）。",
                "Fewer than three valid bids (GPL Art. 36): the lot fails and is re-tendered (R-BID-04).",
            ),
            LotOpening::Suspended => Text::new(
                "专门面向中小企业的采购，合格的中小企业投标不足三家（财库〔2020〕46号）：中止采购，改为不专门面向中小企业重新采购（R-SME-05）。",
                "Reserved for SMEs with fewer than three qualified SME bids (D46): suspended, to be re-tendered as non-reserved (R-SME-05).",
            ),
        }
    }
}

/// R-BID-04, R-SME-05: what the count decides for a lot; `reserved` when the lot or the whole
/// tender is reserved for SMEs. R-SME-05 is checked first (see the module's notes).
pub fn lot_outcome(count: LotCount, reserved: bool) -> LotOpening {
    if reserved && count.qualified_sme < MIN_VALID_BIDS {
        // R-SME-05
        LotOpening::Suspended
    } else if count.valid < MIN_VALID_BIDS {
        // R-BID-04
        LotOpening::Failed
    } else {
        LotOpening::Proceeds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(sme: bool) -> BidStanding {
        BidStanding::new(true, [Some(true)], sme)
    }

    fn failed(sme: bool) -> BidStanding {
        BidStanding::new(true, [Some(true), Some(false)], sme)
    }

    fn outcome(bids: &[BidStanding], reserved: bool) -> LotOpening {
        lot_outcome(LotCount::of(bids), reserved)
    }

    #[test]
    fn r_bid_04_three_opened_bids_of_which_two_fail_a_requirement_fail_the_lot() {
        assert_eq!(MIN_VALID_BIDS, 3);
        let bids = [valid(false), failed(false), failed(false)];
        assert_eq!(
            LotCount::of(&bids),
            LotCount {
                valid: 1,
                qualified_sme: 0
            }
        );
        assert_eq!(outcome(&bids, false), LotOpening::Failed);
        // One failure of four still leaves three valid bids.
        let four = [valid(false), valid(false), valid(false), failed(false)];
        assert_eq!(outcome(&four, false), LotOpening::Proceeds);
        assert_eq!(outcome(&[], false), LotOpening::Failed);
    }

    #[test]
    fn r_bid_04_an_unmarked_bid_counts_until_it_fails_and_a_low_score_never_invalidates() {
        // At the opening nothing is marked: three opened bids proceed.
        let unmarked = BidStanding::new(true, [None, None], false);
        assert!(unmarked.valid);
        assert_eq!(outcome(&[unmarked; 3], false), LotOpening::Proceeds);
        // Two unmarked and one failed: already fewer than three can be valid.
        assert_eq!(
            outcome(&[unmarked, unmarked, failed(false)], false),
            LotOpening::Failed
        );
        // Scores are not pass/fail marks: no marks at all is a valid bid.
        assert!(BidStanding::new(true, [], false).valid);
    }

    #[test]
    fn r_bid_04_a_bid_above_the_ceiling_is_not_valid_r_bid_03() {
        let above = BidStanding::new(false, [Some(true)], false);
        assert!(!above.valid);
        assert_eq!(
            outcome(&[valid(false), valid(false), above], false),
            LotOpening::Failed
        );
    }

    #[test]
    fn r_sme_05_a_reserved_lot_counts_qualified_sme_bids() {
        // Three valid bids of which only two are SMEs: suspended, not awarded.
        let bids = [valid(true), valid(true), valid(false)];
        assert_eq!(
            LotCount::of(&bids),
            LotCount {
                valid: 3,
                qualified_sme: 2
            }
        );
        assert_eq!(outcome(&bids, true), LotOpening::Suspended);
        // The same bids in a lot that is not reserved proceed (R-BID-04 only).
        assert_eq!(outcome(&bids, false), LotOpening::Proceeds);
        // Three SME bids of which one fails a requirement: two qualified, suspended.
        assert_eq!(
            outcome(&[valid(true), valid(true), failed(true)], true),
            LotOpening::Suspended
        );
        // R-SME-05 goes first even when the lot is also short of valid bids.
        assert_eq!(
            outcome(&[valid(true), failed(true), failed(true)], true),
            LotOpening::Suspended
        );
        assert_eq!(
            outcome(&[valid(true), valid(true), valid(true)], true),
            LotOpening::Proceeds
        );
    }

    #[test]
    fn r_bid_04_r_sme_05_the_public_reasons_name_the_rule_in_both_languages() {
        assert_eq!(LotOpening::Failed.rule(), Some("R-BID-04"));
        assert_eq!(LotOpening::Suspended.rule(), Some("R-SME-05"));
        assert_eq!(LotOpening::Proceeds.rule(), None);
        let failed = LotOpening::Failed.reason();
        assert!(failed.zh.contains("有效投标不足三家（GPL 第三十六条）"));
        assert!(failed
            .en
            .contains("Fewer than three valid bids (GPL Art. 36)"));
        let suspended = LotOpening::Suspended.reason();
        assert!(suspended.zh.contains("R-SME-05"));
        assert!(suspended.en.contains("non-reserved"));
    }
}
