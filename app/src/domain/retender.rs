//! Re-tendering the lots of a tender that did not go on to an award (issue #33): a lot
//! suspended for too few qualified SME bids (R-SME-05) or failed for too few valid bids
//! (R-BID-04) is re-tendered as a new draft linked to the failed tender.
//!
//! The law: D46 (财库〔2020〕46号《政府采购促进中小企业发展管理办法》) — a procurement reserved
//! for SMEs that fails because too few SMEs bid (因中小企业投标不足而失败的) may be re-tendered
//! without being reserved for SMEs (可以不再专门面向中小企业采购). R-SME-05 says the same. A lot
//! that failed under R-BID-04 (GPL Art. 36) is re-tendered as it was: the law lifts the
//! reservation only for want of SME bids.
//!
//! Where the rules are silent, this module decides, choosing what protects SMEs:
//! - Only the stored link of a re-tender to the failed tender lifts R-SME-01's (or a lot's
//!   R-SME-02) reservation, and only for the lots that re-tender a lot suspended under
//!   R-SME-05: the same content in an unlinked draft is reserved as ever, and a lot the officer
//!   adds to the re-tender is reserved as any new lot would be.
//! - Each suspended lot lifts the reservation of one lot of the re-tender, the first that
//!   names it: copying its reference onto a second lot does not lift that one too.
//! - A re-tender is refused while another re-tender of the same tender exists (a draft or a
//!   publication); a cancelled one does not count, since it no longer re-tenders anything.
//! - A lot that is not reserved after R-SME-05 is still a non-reserved lot: R-SME-03's price
//!   deduction for small and micro firms applies to it (D46 Art. 9 says 应当, "shall"), so the
//!   re-tender must state one (`publication::check_publication`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::lot_outcome::{LotCount, LotOpening};
use crate::i18n::Text;

/// A lot of the failed tender that a re-tender takes up, as recorded when it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedLot {
    /// The failed tender's lot.
    pub lot: Uuid,
    pub title: String,
    /// `Suspended` (R-SME-05) or `Failed` (R-BID-04).
    pub opening: LotOpening,
    /// The count that decided it.
    pub count: LotCount,
}

impl FailedLot {
    /// R-SME-05 (D46): only a lot suspended for too few qualified SME bids is re-tendered
    /// without the reservation.
    pub fn lifts_reservation(&self) -> bool {
        self.opening == LotOpening::Suspended
    }
}

/// The stored link of a re-tender to the tender it re-tenders, and the lots that failed there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetenderLink {
    /// The failed tender.
    pub of: Uuid,
    pub lots: Vec<FailedLot>,
}

impl RetenderLink {
    /// R-SME-05: for each lot of a re-tender, named by the failed lot it re-tenders (`None`: a
    /// lot of its own), whether its reservation for SMEs is lifted. Each suspended lot lifts
    /// one lot at most, the first that names it (see the module's notes).
    pub fn lifted(&self, lots: &[Option<Uuid>]) -> Vec<bool> {
        let mut used: Vec<Uuid> = Vec::new();
        lots.iter()
            .map(|named| {
                let Some(id) = named else {
                    return false;
                };
                let suspended = self
                    .lots
                    .iter()
                    .any(|l| l.lot == *id && l.lifts_reservation());
                if suspended && !used.contains(id) {
                    used.push(*id);
                    true
                } else {
                    false
                }
            })
            .collect()
    }
}

/// The stored name of why a failed lot failed (`retender_lot.outcome`).
pub fn stored_outcome(opening: LotOpening) -> &'static str {
    match opening {
        LotOpening::Suspended => "suspended",
        LotOpening::Failed => "failed",
        LotOpening::Proceeds => "proceeds",
    }
}

/// [`stored_outcome`] read back.
pub fn parse_outcome(stored: &str) -> Option<LotOpening> {
    [
        LotOpening::Suspended,
        LotOpening::Failed,
        LotOpening::Proceeds,
    ]
    .into_iter()
    .find(|o| stored_outcome(*o) == stored)
}

/// Why a re-tender is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetenderRefusal {
    /// No lot of the tender was suspended (R-SME-05) or failed (R-BID-04) after the opening.
    NothingFailed,
    /// A re-tender of this tender already exists (a draft or a publication).
    AlreadyRetendered,
}

impl RetenderRefusal {
    pub fn message(self) -> Text {
        match self {
            RetenderRefusal::NothingFailed => Text::new(
                "该项目没有因合格的中小企业投标不足而中止（R-SME-05）或因有效投标不足而废标（R-BID-04）的采购包，不能重新采购。",
                "No lot of this tender was suspended for too few qualified SME bids (R-SME-05) or failed for too few valid bids (R-BID-04): there is nothing to re-tender.",
            ),
            RetenderRefusal::AlreadyRetendered => Text::new(
                "该项目已有一个重新采购项目（草稿或已发布），不能再次重新采购。请继续编辑已有的重新采购项目。",
                "This tender has already been re-tendered (a draft or a published tender exists): it cannot be re-tendered twice. Go on with the existing re-tender.",
            ),
        }
    }
}

/// R-SME-05, R-BID-04: the lots a re-tender of a tender takes up: every lot that did not
/// proceed after the opening, given each lot (not awarded) with what its count decided.
/// `existing`: a re-tender of this tender exists that is not cancelled.
pub fn retender_lots(
    lots: &[(Uuid, String, LotOpening, LotCount)],
    existing: bool,
) -> Result<Vec<FailedLot>, RetenderRefusal> {
    if existing {
        return Err(RetenderRefusal::AlreadyRetendered);
    }
    let failed: Vec<FailedLot> = lots
        .iter()
        .filter(|(_, _, opening, _)| *opening != LotOpening::Proceeds)
        .map(|(lot, title, opening, count)| FailedLot {
            lot: *lot,
            title: title.clone(),
            opening: *opening,
            count: *count,
        })
        .collect();
    if failed.is_empty() {
        Err(RetenderRefusal::NothingFailed)
    } else {
        Ok(failed)
    }
}

/// A lot a re-tender took up is not awarded in the failed tender as well, whatever its marks
/// say later: it is procured once (R-SME-05, R-BID-04).
pub fn already_retendered_lot() -> Text {
    Text::new(
        "该采购包已重新采购，不能在原项目中确定中标人。",
        "This lot has been re-tendered: it cannot be awarded in this tender.",
    )
}

/// The public reason a lot of a re-tender stands as it does: not reserved after R-SME-05, or
/// re-tendered as it was after R-BID-04.
pub fn public_reason(opening: LotOpening, lifted: bool) -> Text {
    if lifted {
        Text::new(
            "原专门面向中小企业的采购中，合格的中小企业投标不足三家（R-SME-05）：依财库〔2020〕46号，本次不再专门面向中小企业采购。",
            "Not reserved for SMEs (D46): fewer than 3 qualified SME bids on the reserved tender (R-SME-05).",
        )
    } else if opening == LotOpening::Suspended {
        // Suspended, but the lot that would have lifted it was dropped or replaced by the
        // officer: it stays reserved.
        Text::new(
            "原采购中合格的中小企业投标不足三家（R-SME-05）；本包仍专门面向中小企业采购。",
            "Fewer than 3 qualified SME bids on the earlier tender (R-SME-05); this lot is still reserved for SMEs.",
        )
    } else {
        Text::new(
            "原采购中有效投标不足三家（R-BID-04，GPL 第三十六条）：重新采购，中小企业预留不变。",
            "Fewer than 3 valid bids on the earlier tender (R-BID-04, GPL Art. 36): re-tendered with its SME reservation unchanged.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn count(valid: usize, qualified_sme: usize) -> LotCount {
        LotCount {
            valid,
            qualified_sme,
        }
    }

    fn link() -> RetenderLink {
        RetenderLink {
            of: id(100),
            lots: vec![
                FailedLot {
                    lot: id(1),
                    title: "网络运维".into(),
                    opening: LotOpening::Suspended,
                    count: count(3, 2),
                },
                FailedLot {
                    lot: id(2),
                    title: "终端运维".into(),
                    opening: LotOpening::Failed,
                    count: count(1, 1),
                },
            ],
        }
    }

    #[test]
    fn r_sme_05_only_a_lot_suspended_for_too_few_sme_bids_lifts_the_reservation() {
        let link = link();
        // The suspended lot is lifted; the R-BID-04 lot keeps its reservation; a lot of the
        // re-tender's own and an unknown reference are reserved as ever.
        assert_eq!(
            link.lifted(&[Some(id(1)), Some(id(2)), None, Some(id(9))]),
            [true, false, false, false]
        );
        assert!(link.lots[0].lifts_reservation());
        assert!(!link.lots[1].lifts_reservation());
    }

    #[test]
    fn r_sme_05_a_suspended_lot_lifts_one_lot_of_the_re_tender_only() {
        assert_eq!(
            link().lifted(&[Some(id(1)), Some(id(1)), Some(id(1))]),
            [true, false, false]
        );
        // Whichever comes first.
        assert_eq!(link().lifted(&[None, Some(id(1))]), [false, true]);
    }

    #[test]
    fn r_sme_05_r_bid_04_a_re_tender_takes_up_every_lot_that_did_not_proceed() {
        let lots = [
            (id(1), "甲".to_string(), LotOpening::Suspended, count(3, 2)),
            (id(2), "乙".to_string(), LotOpening::Proceeds, count(3, 3)),
            (id(3), "丙".to_string(), LotOpening::Failed, count(2, 0)),
        ];
        let failed = retender_lots(&lots, false).unwrap();
        assert_eq!(
            failed.iter().map(|l| l.lot).collect::<Vec<_>>(),
            [id(1), id(3)]
        );
        assert_eq!(failed[0].opening, LotOpening::Suspended);
        assert_eq!(failed[0].count, count(3, 2));
        assert_eq!(failed[1].opening, LotOpening::Failed);
    }

    #[test]
    fn r_sme_05_r_bid_04_no_failed_lot_or_a_second_re_tender_is_refused() {
        let proceeds = [(id(1), "甲".to_string(), LotOpening::Proceeds, count(3, 3))];
        assert_eq!(
            retender_lots(&proceeds, false),
            Err(RetenderRefusal::NothingFailed)
        );
        // Before the opening (or with every lot awarded) no lot is given at all.
        assert_eq!(
            retender_lots(&[], false),
            Err(RetenderRefusal::NothingFailed)
        );
        let suspended = [(id(1), "甲".to_string(), LotOpening::Suspended, count(3, 2))];
        assert_eq!(
            retender_lots(&suspended, true),
            Err(RetenderRefusal::AlreadyRetendered)
        );
        for refusal in [
            RetenderRefusal::NothingFailed,
            RetenderRefusal::AlreadyRetendered,
        ] {
            let m = refusal.message();
            assert!(!m.zh.is_empty() && !m.en.is_empty());
        }
        assert!(RetenderRefusal::NothingFailed
            .message()
            .en
            .contains("R-SME-05"));
        assert!(RetenderRefusal::AlreadyRetendered
            .message()
            .zh
            .contains("不能再次重新采购"));
    }

    mod publication {
        use super::*;
        use crate::domain::calendar::tests::calendar_2026;
        use crate::domain::policy::Policy;
        use crate::domain::publication::{
            check_publication, reservation, Criterion, CriterionKind, EvaluationMethod, LotPlan,
            Problem, Scoring, SmeOutcome, SmePlan, TenderPlan,
        };
        use crate::domain::tender::{Category, Method};
        use crate::domain::Money;
        use chrono::{DateTime, Duration, TimeZone, Utc};
        use rust_decimal::Decimal;

        fn m(s: &str) -> Money {
            Money::parse(s).unwrap()
        }

        fn now() -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap()
        }

        fn lot(title: &str, budget: &str, reserved: bool, of: Option<Uuid>) -> LotPlan {
            LotPlan {
                title: title.into(),
                budget: m(budget),
                reserved_for_sme: reserved,
                criteria: vec![Criterion {
                    kind: CriterionKind::TechnicalApproach,
                    requirement: "运维方案的完整性".into(),
                    scoring: Scoring::Scored {
                        weight: Decimal::from(60),
                    },
                }],
                retender_of: of,
            }
        }

        /// The copy of a 1,500,000 services tender (within R-SME-01's threshold) whose first
        /// lot was suspended (R-SME-05) and second failed (R-BID-04), unlinked.
        fn copy() -> TenderPlan {
            TenderPlan {
                title: "市属学校网络运维服务".into(),
                description: "两年的网络运维。".into(),
                category: Category::Services,
                method: Method::OpenTender,
                budget: m("1500000"),
                lots: vec![
                    lot("网络运维", "800000", false, Some(id(1))),
                    lot("终端运维", "700000", false, Some(id(2))),
                ],
                evaluation: EvaluationMethod::ComprehensiveScoring {
                    price_weight: Decimal::from(40),
                },
                bid_deadline: now() + Duration::days(21),
                bid_security: None,
                bid_security_forms: crate::domain::payment::SecurityForm::ALL.to_vec(),
                imported_goods: false,
                sme: SmePlan::default(),
                retender: None,
            }
        }

        fn check(p: &TenderPlan) -> Result<SmeOutcome, Vec<Problem>> {
            check_publication(p, now(), &calendar_2026(), &Policy::CHINA)
        }

        #[test]
        fn r_sme_05_an_unlinked_draft_with_the_same_content_is_reserved_whole() {
            let p = copy();
            assert_eq!(check(&p), Ok(SmeOutcome::ReservedWhole));
            let r = reservation(&p, &Policy::CHINA);
            assert!(r.whole);
            assert_eq!(r.lots, [true, true]);
            assert_eq!(r.lifted, [false, false]);
        }

        #[test]
        fn r_sme_05_the_link_lifts_the_suspended_lot_only_and_r_sme_03_then_applies() {
            let mut p = copy();
            p.retender = Some(link());
            let r = reservation(&p, &Policy::CHINA);
            assert!(!r.whole, "no longer reserved whole (R-SME-01 lifted)");
            // The suspended lot is open to all; the R-BID-04 lot stays reserved.
            assert_eq!(r.lots, [false, true]);
            assert_eq!(r.lifted, [true, false]);
            // The lifted lot is a non-reserved lot: the small and micro deduction is stated.
            let problems = check(&p).unwrap_err();
            assert_eq!(
                problems.iter().map(|x| x.rule).collect::<Vec<_>>(),
                ["R-SME-03"]
            );
            assert_eq!(problems[0].field, "sme.price_deduction");
            p.sme.price_deduction = Some(Decimal::from(10));
            // Within the threshold no R-SME-02 share is asked for; the reserved lot counts.
            assert_eq!(
                check(&p),
                Ok(SmeOutcome::Shared {
                    reserve: m("700000"),
                    required: Money::ZERO,
                })
            );
            // A deduction outside R-SME-03's range is refused as in any non-reserved tender.
            p.sme.price_deduction = Some(Decimal::from(25));
            assert!(check(&p).is_err());
        }

        #[test]
        fn r_sme_05_a_lot_of_the_re_tenders_own_stays_reserved() {
            let mut p = copy();
            p.retender = Some(link());
            p.lots[0].retender_of = None;
            p.lots[1].retender_of = None;
            assert_eq!(check(&p), Ok(SmeOutcome::ReservedWhole));
        }

        #[test]
        fn r_sme_05_above_the_threshold_r_sme_02_applies_unchanged_to_the_lifted_lot() {
            // A 3,000,000 tender whose lot set aside for SMEs (R-SME-02) was suspended.
            let mut p = copy();
            p.budget = m("3000000");
            p.lots = vec![lot("网络运维", "3000000", true, Some(id(1)))];
            p.sme.price_deduction = Some(Decimal::from(10));
            p.sme.small_micro_share = Decimal::from(60);
            assert!(check(&p).is_ok(), "unlinked: the set-aside still counts");
            p.retender = Some(link());
            assert_eq!(reservation(&p, &Policy::CHINA).lots, [false]);
            // Lifted, the lot no longer makes the 30% reserve: R-SME-02 asks for it otherwise.
            let problems = check(&p).unwrap_err();
            assert!(
                problems.iter().any(|x| x.rule == "R-SME-02"),
                "{problems:?}"
            );
            p.sme.required_sme_share = Decimal::from(30);
            assert!(check(&p).is_ok());
        }
    }

    #[test]
    fn r_sme_05_r_bid_04_outcomes_are_stored_by_name_and_read_back() {
        for o in [
            LotOpening::Suspended,
            LotOpening::Failed,
            LotOpening::Proceeds,
        ] {
            assert_eq!(parse_outcome(stored_outcome(o)), Some(o));
        }
        assert_eq!(parse_outcome("reserved"), None);
    }

    #[test]
    fn r_sme_05_the_public_reason_says_why_the_lot_is_not_reserved() {
        let lifted = public_reason(LotOpening::Suspended, true);
        assert!(lifted
            .en
            .contains("fewer than 3 qualified SME bids on the reserved tender (R-SME-05)"));
        assert!(lifted.zh.contains("合格的中小企业投标不足三家（R-SME-05）"));
        let kept = public_reason(LotOpening::Failed, false);
        assert!(kept.en.contains("R-BID-04") && kept.en.contains("unchanged"));
        assert!(public_reason(LotOpening::Suspended, false)
            .en
            .contains("still reserved"));
    }
}
