//! R-TIME-02 (IR Art. 31, D214): a structured amendment of a published tender, and whether it
//! can affect bids. What it changes is found by comparing the tender's terms before and after,
//! and decided here, not by what the officer ticks: a change to the lots, the requirements, the
//! quantities (stated in the description), the budget, a lot's ceiling or the evaluation method
//! can affect bids, and moves the deadline so that 15 days (5 for competitive consultation)
//! remain ([`crate::domain::publication::deadline_after_amendment`]). A free-text clarification
//! (no change of terms) is still marked by the officer.

use serde::{Deserialize, Serialize};

use crate::domain::draft::TenderDraft;
use crate::domain::publication::TenderPlan;
use crate::error::FieldError;
use crate::i18n::Text;

/// One change a structured amendment makes to the published terms. Lots are numbered from 0,
/// as in the form (`lots[1]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TermChange {
    Title,
    /// What is bought, its quantities and specifications.
    Description,
    /// Where the work is done.
    Region,
    Budget,
    /// The evaluation method, or comprehensive scoring's price weight.
    Evaluation,
    BidSecurity,
    /// Manufacturer authorisation allowed or not (R-BAR-02).
    ImportedGoods,
    /// The SME share, the small/micro share or the price deductions (R-SME-02, R-SME-03).
    SmeMeasures,
    /// The officer moved the deadline later.
    Deadline,
    LotAdded {
        lot: usize,
    },
    LotTitle {
        lot: usize,
    },
    /// The lot's budget ceiling (R-BID-03).
    LotCeiling {
        lot: usize,
    },
    /// The lot reserved for SMEs or no longer (R-SME-01).
    LotReservation {
        lot: usize,
    },
    /// A requirement added, dropped or changed (its kind, text or weight).
    Requirements {
        lot: usize,
    },
}

impl TermChange {
    /// R-TIME-02: whether a change of this kind can affect bids. Only the title and a later
    /// deadline cannot: every other term is something a bid is priced, qualified or scored on.
    /// The description counts because that is where the quantities and specifications are
    /// stated (there is no separate quantity field): reading every description change as one
    /// that may affect bids is the reading that protects the SMEs bidding (IR Art. 31).
    pub fn affects_bids(self) -> bool {
        !matches!(self, TermChange::Title | TermChange::Deadline)
    }

    /// What changed, as the public notice of the amendment says it.
    pub fn label(self) -> Text {
        let lot = |n: usize, zh: &str, en: &str| {
            Text::new(
                format!("第 {} 包{zh}", n + 1),
                format!("lot {}'s {en}", n + 1),
            )
        };
        match self {
            TermChange::Title => Text::new("项目名称", "the title"),
            TermChange::Description => Text::new(
                "采购需求（数量、规格）",
                "the description (quantities, specifications)",
            ),
            TermChange::Region => Text::new("项目地点", "the region"),
            TermChange::Budget => Text::new("预算金额", "the budget"),
            TermChange::Evaluation => Text::new("评标方法或价格分值", "the evaluation method"),
            TermChange::BidSecurity => Text::new("投标保证金", "the bid security"),
            TermChange::ImportedGoods => Text::new("进口产品", "imported goods"),
            TermChange::SmeMeasures => Text::new("中小企业措施", "the SME measures"),
            TermChange::Deadline => Text::new("投标截止时间", "the bid deadline"),
            TermChange::LotAdded { lot: n } => Text::new(
                format!("新增第 {} 包", n + 1),
                format!("lot {} added", n + 1),
            ),
            TermChange::LotTitle { lot: n } => lot(n, "名称", "title"),
            TermChange::LotCeiling { lot: n } => lot(n, "最高限价", "ceiling"),
            TermChange::LotReservation { lot: n } => {
                lot(n, "是否专门面向中小企业", "reservation for SMEs")
            }
            TermChange::Requirements { lot: n } => lot(n, "资格与评审要求", "requirements"),
        }
    }
}

/// Every change from the published terms `before` to the amended `after`, in the form's order.
pub fn term_changes(before: &TenderDraft, after: &TenderDraft) -> Vec<TermChange> {
    let (b, a): (&TenderPlan, &TenderPlan) = (&before.plan, &after.plan);
    let mut out = Vec::new();
    let mut note = |changed: bool, change: TermChange| {
        if changed {
            out.push(change);
        }
    };
    note(b.title != a.title, TermChange::Title);
    note(b.description != a.description, TermChange::Description);
    note(before.region != after.region, TermChange::Region);
    note(b.budget != a.budget, TermChange::Budget);
    note(b.evaluation != a.evaluation, TermChange::Evaluation);
    note(b.bid_security != a.bid_security, TermChange::BidSecurity);
    note(
        b.imported_goods != a.imported_goods,
        TermChange::ImportedGoods,
    );
    note(b.sme != a.sme, TermChange::SmeMeasures);
    note(b.bid_deadline != a.bid_deadline, TermChange::Deadline);
    for (i, lot) in a.lots.iter().enumerate() {
        let Some(old) = b.lots.get(i) else {
            note(true, TermChange::LotAdded { lot: i });
            continue;
        };
        note(old.title != lot.title, TermChange::LotTitle { lot: i });
        note(old.budget != lot.budget, TermChange::LotCeiling { lot: i });
        note(
            old.reserved_for_sme != lot.reserved_for_sme
                || old.small_micro_only != lot.small_micro_only,
            TermChange::LotReservation { lot: i },
        );
        note(
            old.criteria != lot.criteria,
            TermChange::Requirements { lot: i },
        );
    }
    out
}

/// R-TIME-02: whether the amendment can affect bids: by what it changes, whatever the officer
/// ticked; the officer's tick still counts for changes that cannot (a clarification of the
/// title's meaning that the officer judges material, say).
pub fn affects_bids(changes: &[TermChange], ticked: bool) -> bool {
    ticked || changes.iter().any(|c| c.affects_bids())
}

/// What a structured amendment may not do, every problem at once on its field: drop a published
/// lot (R-REC-01: a lot, once published, is never deleted; the tender is cancelled instead),
/// change the category or the procurement method (another procedure, published anew), bring
/// the deadline forward (bidders plan on it), or change nothing (a clarification says that).
pub fn check_amendment(
    before: &TenderDraft,
    after: &TenderDraft,
    changes: &[TermChange],
) -> Result<(), Vec<FieldError>> {
    let (b, a) = (&before.plan, &after.plan);
    let mut errors = Vec::new();
    if a.lots.len() < b.lots.len() {
        errors.push(FieldError::new(
            "lots",
            Text::new(
                format!(
                    "已发布的采购包不能删除（原有 {} 个，R-REC-01）；如需取消，请终止项目。",
                    b.lots.len()
                ),
                format!(
                    "A published lot cannot be dropped (there are {}, R-REC-01); cancel the tender instead.",
                    b.lots.len()
                ),
            ),
        ));
    }
    if a.category != b.category {
        errors.push(FieldError::new(
            "category",
            Text::new(
                "更正不能改变采购品目类别；请终止项目后重新发布。",
                "An amendment cannot change the category; cancel and publish a new tender.",
            ),
        ));
    }
    if a.method != b.method {
        errors.push(FieldError::new(
            "method",
            Text::new(
                "更正不能改变采购方式；请终止项目后重新发布。",
                "An amendment cannot change the procurement method; cancel and publish a new tender.",
            ),
        ));
    }
    if a.bid_deadline < b.bid_deadline {
        errors.push(FieldError::new(
            "bid_deadline",
            Text::new(
                "更正不能提前投标截止时间。",
                "An amendment cannot bring the bid deadline forward.",
            ),
        ));
    }
    if errors.is_empty() && changes.is_empty() {
        errors.push(FieldError::new(
            "form",
            Text::new(
                "采购文件没有任何变化；只作说明请发布澄清。",
                "Nothing in the terms changes; publish a clarification to explain something.",
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::draft::{CriterionForm, LotForm, TenderDraftForm};
    use crate::domain::policy::Policy;
    use crate::domain::publication::deadline_after_amendment;
    use crate::domain::tender::Method;
    use chrono::{TimeZone, Utc};

    fn form() -> TenderDraftForm {
        TenderDraftForm {
            title: "政务云平台运维服务".into(),
            description: "三年政务云平台运维，服务器 200 台。".into(),
            category: "services".into(),
            method: "open_tender".into(),
            region: "浙江省杭州市".into(),
            budget: "3000000".into(),
            bid_deadline: "2027-01-08T17:00".into(),
            evaluation: "comprehensive_scoring".into(),
            price_weight: "40".into(),
            sme_required_share: "30".into(),
            sme_small_micro_share: "60".into(),
            sme_price_deduction: "10".into(),
            lots: vec![LotForm {
                title: "运维服务".into(),
                budget: "3000000".into(),
                reserved: None,
                small_micro_only: None,
                criteria: vec![CriterionForm {
                    kind: "certification".into(),
                    requirement: "具备 ISO 9001 质量管理体系认证".into(),
                    weight: String::new(),
                }],
                retender_lot: String::new(),
            }],
            ..TenderDraftForm::default()
        }
    }

    /// A change to the form.
    type Edit = Box<dyn Fn(&mut TenderDraftForm)>;

    fn parsed(f: &TenderDraftForm) -> TenderDraft {
        f.parse(Utc.with_ymd_and_hms(2026, 12, 20, 2, 0, 0).unwrap())
            .unwrap()
    }

    fn changes_to(edit: impl Fn(&mut TenderDraftForm)) -> Vec<TermChange> {
        let mut after = form();
        edit(&mut after);
        term_changes(&parsed(&form()), &parsed(&after))
    }

    #[test]
    fn r_time_02_each_change_of_terms_is_found_and_those_that_affect_bids_are_decided() {
        assert_eq!(changes_to(|_| {}), []);
        let cases: Vec<(Edit, TermChange)> = vec![
            (
                Box::new(|f| f.description = "三年运维，服务器 250 台。".into()),
                TermChange::Description,
            ),
            (
                Box::new(|f| f.budget = "3200000".into()),
                TermChange::Budget,
            ),
            (
                Box::new(|f| f.lots[0].budget = "2900000".into()),
                TermChange::LotCeiling { lot: 0 },
            ),
            (
                Box::new(|f| f.evaluation = "lowest_evaluated_price".into()),
                TermChange::Evaluation,
            ),
            (
                Box::new(|f| f.price_weight = "50".into()),
                TermChange::Evaluation,
            ),
            (
                Box::new(|f| f.lots[0].criteria[0].requirement = "具备 ISO 27001 认证".into()),
                TermChange::Requirements { lot: 0 },
            ),
            (
                Box::new(|f| f.lots[0].criteria.clear()),
                TermChange::Requirements { lot: 0 },
            ),
            (
                Box::new(|f| {
                    f.lots.push(LotForm {
                        title: "安全服务".into(),
                        budget: "500000".into(),
                        ..LotForm::default()
                    })
                }),
                TermChange::LotAdded { lot: 1 },
            ),
            (
                Box::new(|f| f.lots[0].reserved = Some("on".into())),
                TermChange::LotReservation { lot: 0 },
            ),
            (
                Box::new(|f| f.bid_security = "20000".into()),
                TermChange::BidSecurity,
            ),
            (
                Box::new(|f| f.sme_price_deduction = "12".into()),
                TermChange::SmeMeasures,
            ),
        ];
        for (edit, expected) in cases {
            let found = changes_to(edit);
            assert_eq!(found, [expected]);
            // Whatever the officer ticks.
            assert!(affects_bids(&found, false), "{expected:?}");
        }
        // A new title or a later deadline alone does not; the officer may still say it does.
        let found = changes_to(|f| {
            f.title = "政务云运维".into();
            f.bid_deadline = "2027-01-15T17:00".into();
        });
        assert_eq!(found, [TermChange::Title, TermChange::Deadline]);
        assert!(!affects_bids(&found, false));
        assert!(affects_bids(&found, true));
        assert!(
            !affects_bids(&[], false),
            "a free-text clarification unticked"
        );
        assert!(affects_bids(&[], true), "a free-text clarification ticked");
    }

    #[test]
    fn r_time_02_a_ceiling_change_eight_days_before_the_deadline_leaves_15_days_across_the_year_end(
    ) {
        let found = changes_to(|f| f.lots[0].budget = "2900000".into());
        assert!(affects_bids(&found, false));
        // Amended 31 December 2026 10:00 in China, deadline 8 January 2027 17:00: moved to 15
        // January 2027 10:00, 15 days on.
        let issued = Utc.with_ymd_and_hms(2026, 12, 31, 2, 0, 0).unwrap();
        let deadline = Utc.with_ymd_and_hms(2027, 1, 8, 9, 0, 0).unwrap();
        assert_eq!(
            deadline_after_amendment(Method::OpenTender, deadline, issued, &Policy::CHINA),
            Utc.with_ymd_and_hms(2027, 1, 15, 2, 0, 0).unwrap()
        );
        assert_eq!(
            deadline_after_amendment(
                Method::CompetitiveConsultation,
                Utc.with_ymd_and_hms(2027, 1, 2, 9, 0, 0).unwrap(),
                issued,
                &Policy::CHINA
            ),
            Utc.with_ymd_and_hms(2027, 1, 5, 2, 0, 0).unwrap(),
            "5 days for consultation"
        );
    }

    #[test]
    fn r_time_02_an_amendment_may_not_drop_a_lot_change_the_method_or_bring_the_deadline_forward() {
        let before = parsed(&form());
        let fields = |edit: &dyn Fn(&mut TenderDraftForm)| {
            let mut f = form();
            edit(&mut f);
            let after = parsed(&f);
            let changes = term_changes(&before, &after);
            check_amendment(&before, &after, &changes)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(&|f| f.budget = "2800000".into()),
            Vec::<String>::new()
        );
        assert_eq!(fields(&|_| {}), ["form"]);
        assert_eq!(
            fields(&|f| {
                f.method = "competitive_consultation".into();
                f.bid_deadline = "2027-01-07T17:00".into();
            }),
            ["method", "bid_deadline"]
        );
        assert_eq!(fields(&|f| f.category = "goods".into()), ["category"]);
        let mut two = form();
        two.lots.push(LotForm {
            title: "安全服务".into(),
            budget: "500000".into(),
            ..LotForm::default()
        });
        let before_two = parsed(&two);
        let after = parsed(&form());
        let changes = term_changes(&before_two, &after);
        let errors = check_amendment(&before_two, &after, &changes).unwrap_err();
        assert_eq!(errors[0].field, "lots");
        assert!(errors[0].message.en.contains("R-REC-01"));
    }
}
