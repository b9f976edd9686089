//! Publishing a tender: every rule checked at once, every problem listed with its rule ID and the
//! field to fix (issue #4). Plain data in, a list of problems out: no database, no HTTP.
//!
//! Rules enforced here: R-SME-01, R-SME-02, R-SME-03, R-BAR-01, R-BAR-02, R-BAR-03, R-TIME-01,
//! R-TIME-02 (amendments), R-TIME-03 (documents), R-SEC-01, R-EVAL-01.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{CalendarError, Counted, WorkingCalendar};
use crate::domain::china_day;
use crate::domain::policy::Policy;
use crate::domain::retender::RetenderLink;
use crate::domain::tender::{Category, Method};
use crate::domain::Money;
use crate::i18n::{provisional_note, Lang, Text};

/// What a criterion may ask for: capability only. Size, capital, years in business and track
/// record are not kinds, so they cannot be expressed (R-BAR-01, R-BAR-02).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    Licence,
    Certification,
    StaffQualification,
    EquipmentOrCapacity,
    TechnicalApproach,
    DeliveryPlan,
    QualityManagement,
    AfterSalesService,
    SampleOrDemonstration,
}

crate::domain::tender::from_stored_str!(CriterionKind);

impl CriterionKind {
    pub const ALL: &'static [CriterionKind] = &[
        CriterionKind::Licence,
        CriterionKind::Certification,
        CriterionKind::StaffQualification,
        CriterionKind::EquipmentOrCapacity,
        CriterionKind::TechnicalApproach,
        CriterionKind::DeliveryPlan,
        CriterionKind::QualityManagement,
        CriterionKind::AfterSalesService,
        CriterionKind::SampleOrDemonstration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CriterionKind::Licence => "licence",
            CriterionKind::Certification => "certification",
            CriterionKind::StaffQualification => "staff_qualification",
            CriterionKind::EquipmentOrCapacity => "equipment_or_capacity",
            CriterionKind::TechnicalApproach => "technical_approach",
            CriterionKind::DeliveryPlan => "delivery_plan",
            CriterionKind::QualityManagement => "quality_management",
            CriterionKind::AfterSalesService => "after_sales_service",
            CriterionKind::SampleOrDemonstration => "sample_or_demonstration",
        }
    }

    pub fn parse(s: &str) -> Option<CriterionKind> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    pub fn name(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::{En, ZhCn};
        match (lang, self) {
            (ZhCn, CriterionKind::Licence) => "法定许可",
            (ZhCn, CriterionKind::Certification) => "资质认证",
            (ZhCn, CriterionKind::StaffQualification) => "人员资格",
            (ZhCn, CriterionKind::EquipmentOrCapacity) => "设备与产能",
            (ZhCn, CriterionKind::TechnicalApproach) => "技术方案",
            (ZhCn, CriterionKind::DeliveryPlan) => "实施与交付计划",
            (ZhCn, CriterionKind::QualityManagement) => "质量管理",
            (ZhCn, CriterionKind::AfterSalesService) => "售后服务",
            (ZhCn, CriterionKind::SampleOrDemonstration) => "样品或演示",
            (En, CriterionKind::Licence) => "Licence required by law",
            (En, CriterionKind::Certification) => "Certification",
            (En, CriterionKind::StaffQualification) => "Staff qualification",
            (En, CriterionKind::EquipmentOrCapacity) => "Equipment or capacity",
            (En, CriterionKind::TechnicalApproach) => "Technical approach",
            (En, CriterionKind::DeliveryPlan) => "Delivery plan",
            (En, CriterionKind::QualityManagement) => "Quality management",
            (En, CriterionKind::AfterSalesService) => "After-sales service",
            (En, CriterionKind::SampleOrDemonstration) => "Sample or demonstration",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scoring {
    PassFail,
    /// Points out of 100, in comprehensive scoring.
    Scored {
        weight: Decimal,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub kind: CriterionKind,
    pub requirement: String,
    pub scoring: Scoring,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvaluationMethod {
    /// 综合评分法: criteria scores plus a price score (R-EVAL-01).
    ComprehensiveScoring { price_weight: Decimal },
    /// 最低评标价法: the lowest price among bids that pass every criterion (R-EVAL-02).
    LowestEvaluatedPrice,
}

impl EvaluationMethod {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationMethod::ComprehensiveScoring { .. } => "comprehensive_scoring",
            EvaluationMethod::LowestEvaluatedPrice => "lowest_evaluated_price",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotPlan {
    pub title: String,
    /// The lot's budget ceiling: a bid above it is invalid (R-BID-03).
    pub budget: Money,
    /// Set aside whole for SMEs (R-SME-02).
    pub reserved_for_sme: bool,
    /// Set aside for small and micro firms only (R-SME-02's 60%); implies `reserved_for_sme`.
    #[serde(default)]
    pub small_micro_only: bool,
    pub criteria: Vec<Criterion>,
    /// In a re-tender: the failed tender's lot this lot takes up (R-SME-05, R-BID-04). Lifts
    /// nothing by itself: only with the tender's stored link (`TenderPlan::retender`).
    #[serde(default)]
    pub retender_of: Option<uuid::Uuid>,
}

/// How a tender that is not reserved whole gives SMEs their share (R-SME-02, R-SME-03).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmePlan {
    /// % of each non-reserved lot that the winner must give SMEs (consortium or subcontract).
    pub required_sme_share: Decimal,
    /// % of `required_sme_share` that the winner must give small and micro firms; with the lots
    /// reserved for small and micro firms it must reach the policy's 60% of the reserve.
    pub small_micro_share: Decimal,
    /// R-SME-03: the price deduction for small and micro bidders, fixed by the tender (%).
    pub price_deduction: Option<Decimal>,
    /// R-SME-03: the deduction for a consortium or subcontract with small/micro firms (%).
    pub consortium_deduction: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderPlan {
    pub title: String,
    pub description: String,
    pub category: Category,
    pub method: Method,
    pub budget: Money,
    pub lots: Vec<LotPlan>,
    pub evaluation: EvaluationMethod,
    pub bid_deadline: DateTime<Utc>,
    pub bid_security: Option<Money>,
    /// R-SEC-01, R-PAY-08: the forms the bid security may take (never cash only).
    #[serde(default)]
    pub bid_security_forms: Vec<crate::domain::payment::SecurityForm>,
    /// Manufacturer authorisation may be asked only for imported goods (R-BAR-02).
    pub imported_goods: bool,
    pub sme: SmePlan,
    /// R-SME-05: the stored link of a re-tender to the tender whose lots failed, set by the
    /// server from the database, never from the form (`domain::retender`).
    #[serde(default)]
    pub retender: Option<RetenderLink>,
}

/// One reason a tender cannot be published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The rule that forbids it, e.g. `R-SME-02`; `input` for plain bad input.
    pub rule: &'static str,
    /// The form field to fix, e.g. `lots[1].criteria[0].requirement`.
    pub field: String,
    pub message: Text,
    /// For a forbidden condition in free text: the clause as written, which an administrator's
    /// review may let through (R-BAR-01..03, R-SME-04).
    pub quote: Option<String>,
}

impl Problem {
    pub(crate) fn new(rule: &'static str, field: impl Into<String>, message: Text) -> Problem {
        Problem {
            rule,
            field: field.into(),
            message,
            quote: None,
        }
    }
}

pub use crate::domain::sme_reserve::{reservation, reserved_whole, Reservation, SmeOutcome};

pub(crate) fn pct_of(amount: Decimal, pct: Decimal) -> Decimal {
    amount * pct / Decimal::ONE_HUNDRED
}

pub(crate) fn money(amount: Decimal) -> Money {
    // Rounded to the fen; amounts here are derived from valid Money, so always in range.
    Money::round_from(amount).unwrap_or(Money::ZERO)
}

/// Checks everything at once. `Ok` carries how SMEs are served; `Err` every problem found.
pub fn check_publication(
    plan: &TenderPlan,
    published_at: DateTime<Utc>,
    calendar: &WorkingCalendar,
    policy: &Policy,
) -> Result<SmeOutcome, Vec<Problem>> {
    check_publication_reviewed(plan, published_at, calendar, policy, &[])
        .map(|(outcome, _)| outcome)
}

/// As [`check_publication`], with the barrier findings an administrator approved let through
/// (issue #34; `domain::review::waive`): only those rules and quotes, nothing else. `Ok` also
/// carries the approved findings that were used.
pub fn check_publication_reviewed(
    plan: &TenderPlan,
    published_at: DateTime<Utc>,
    calendar: &WorkingCalendar,
    policy: &Policy,
    approved: &[crate::domain::review::ReviewedFinding],
) -> Result<(SmeOutcome, Vec<crate::domain::review::ReviewedFinding>), Vec<Problem>> {
    let mut problems = Vec::new();
    check_amounts(plan, policy, &mut problems);
    let outcome = crate::domain::sme_reserve::check_sme(plan, policy, &mut problems);
    check_deadline(plan, published_at, calendar, policy, &mut problems);
    check_evaluation(plan, policy, &mut problems);
    check_barriers(plan, &mut problems);
    let (problems, used) = crate::domain::review::waive(problems, approved);
    if problems.is_empty() {
        Ok((outcome, used))
    } else {
        Err(problems)
    }
}

fn check_amounts(plan: &TenderPlan, policy: &Policy, problems: &mut Vec<Problem>) {
    if plan.title.trim().is_empty() {
        problems.push(Problem::new(
            "input",
            "title",
            Text::new("请填写项目名称。", "Enter the tender's title."),
        ));
    }
    if plan.budget <= Money::ZERO {
        problems.push(Problem::new(
            "input",
            "budget",
            Text::new("预算金额必须大于零。", "The budget must be more than zero."),
        ));
    }
    if plan.lots.is_empty() {
        problems.push(Problem::new(
            "input",
            "lots",
            Text::new("至少需要一个采购包。", "A tender needs at least one lot."),
        ));
    }
    let mut total = Decimal::ZERO;
    for (i, lot) in plan.lots.iter().enumerate() {
        if lot.budget <= Money::ZERO {
            problems.push(Problem::new(
                "input",
                format!("lots[{i}].budget"),
                Text::new(
                    "采购包预算必须大于零。",
                    "A lot's budget must be more than zero.",
                ),
            ));
        }
        total += lot.budget.amount();
    }
    if total > plan.budget.amount() {
        problems.push(Problem::new(
            "input",
            "lots",
            Text::new(
                format!(
                    "各采购包预算合计 {}，超过项目预算 {}。",
                    money(total),
                    plan.budget
                ),
                format!(
                    "The lots' budgets add up to {}, more than the tender's budget of {}.",
                    money(total),
                    plan.budget
                ),
            ),
        ));
    }
    // R-SEC-01: bid security at most 2% of the budget, compared exactly: 2% of 1,000,000.25 is
    // 20,000.005, so 20,000.01 is too much (rounding the cap half up let it through). The message
    // shows the cap rounded down to the fen, an amount that is itself allowed.
    if let Some(security) = plan.bid_security {
        let cap = pct_of(plan.budget.amount(), policy.bid_security_max);
        let max = Money::round_from(
            cap.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero),
        )
        .unwrap_or(Money::ZERO);
        if security.amount() > cap {
            problems.push(Problem::new(
                "R-SEC-01",
                "bid_security",
                Text::new(
                    format!(
                        "投标保证金不得超过预算的 {}%（最多 {max}）。",
                        policy.bid_security_max
                    ),
                    format!(
                        "The bid security may be at most {}% of the budget ({max}).",
                        policy.bid_security_max
                    ),
                ),
            ));
        }
    }
    // R-SEC-01, R-PAY-08: the supplier may provide the bid security in a non-cash form.
    if let Err(message) = crate::domain::bid_security::check_accepted_forms(
        plan.bid_security,
        &plan.bid_security_forms,
    ) {
        problems.push(Problem::new("R-SEC-01", "bid_security_forms", message));
    }
}

/// R-TIME-01: the earliest bid deadline for a tender published at `published_at`: a date, since
/// the law counts whole days, the day of publication not counted.
pub fn earliest_deadline_day(
    method: Method,
    published_at: DateTime<Utc>,
    calendar: &WorkingCalendar,
    policy: &Policy,
) -> Result<NaiveDate, CalendarError> {
    earliest_deadline_day_marked(method, published_at, calendar, policy).map(|c| c.date)
}

/// [`earliest_deadline_day`], and whether it was counted on a provisional year (issue #34):
/// calendar days (open tender, consultation) never are; working days (negotiation, RFQ) are
/// when they run into a year whose holiday notice is not loaded.
pub fn earliest_deadline_day_marked(
    method: Method,
    published_at: DateTime<Utc>,
    calendar: &WorkingCalendar,
    policy: &Policy,
) -> Result<Counted, CalendarError> {
    let day = china_day(published_at);
    let in_days = |days: i64| Counted {
        date: day + Duration::days(days),
        provisional: false,
    };
    Ok(match method {
        Method::OpenTender => in_days(policy.open_tender_min_days),
        Method::CompetitiveConsultation => in_days(policy.consultation_min_days),
        Method::CompetitiveNegotiation | Method::RequestForQuotation => {
            calendar.add_working_days_marked(day, policy.negotiation_min_working_days)?
        }
    })
}

fn check_deadline(
    plan: &TenderPlan,
    published_at: DateTime<Utc>,
    calendar: &WorkingCalendar,
    policy: &Policy,
    problems: &mut Vec<Problem>,
) {
    if plan.bid_deadline <= published_at {
        problems.push(Problem::new(
            "input",
            "bid_deadline",
            Text::new("投标截止时间已过。", "The bid deadline has already passed."),
        ));
        return;
    }
    match earliest_deadline_day_marked(plan.method, published_at, calendar, policy) {
        Ok(Counted {
            date: earliest,
            provisional,
        }) if china_day(plan.bid_deadline) < earliest => {
            // Issue #34: a day counted on a provisional year says so, naming the year.
            let (zh_note, en_note) = if provisional {
                (
                    provisional_note(Lang::ZhCn, earliest.year()),
                    format!(" {}", provisional_note(Lang::En, earliest.year())),
                )
            } else {
                (String::new(), String::new())
            };
            problems.push(Problem::new(
                "R-TIME-01",
                "bid_deadline",
                Text::new(
                    format!("按所选采购方式，投标截止日期最早为 {earliest}{zh_note}。"),
                    format!("For this procurement method the bid deadline can be {earliest}{en_note} at the earliest."),
                ),
            ))
        }
        Ok(_) => {}
        Err(e) => problems.push(Problem::new("R-TIME-01", "bid_deadline", e.text())),
    }
}

/// R-TIME-02: the deadline after an amendment or clarification that can affect bids, issued at
/// `issued_at`: moved so that the required days remain, never brought forward.
pub fn deadline_after_amendment(
    method: Method,
    deadline: DateTime<Utc>,
    issued_at: DateTime<Utc>,
    policy: &Policy,
) -> DateTime<Utc> {
    let days = match method {
        Method::OpenTender => policy.open_tender_amendment_days,
        Method::CompetitiveConsultation => policy.consultation_amendment_days,
        Method::CompetitiveNegotiation | Method::RequestForQuotation => return deadline,
    };
    deadline.max(issued_at + Duration::days(days))
}

/// R-TIME-03: the tender documents stay available at least until this day.
pub fn documents_available_until(
    published_at: DateTime<Utc>,
    calendar: &WorkingCalendar,
    policy: &Policy,
) -> Result<NaiveDate, CalendarError> {
    documents_available_until_marked(published_at, calendar, policy).map(|c| c.date)
}

/// [`documents_available_until`], and whether it was counted on a provisional year (issue #34).
pub fn documents_available_until_marked(
    published_at: DateTime<Utc>,
    calendar: &WorkingCalendar,
    policy: &Policy,
) -> Result<Counted, CalendarError> {
    calendar.add_working_days_marked(
        china_day(published_at),
        policy.documents_available_working_days,
    )
}

/// R-SEC-01: the bid security is refunded by this day at the latest.
pub fn bid_security_refund_due(
    award_day: NaiveDate,
    calendar: &WorkingCalendar,
    policy: &Policy,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_working_days(award_day, policy.bid_security_refund_working_days)
}

fn check_evaluation(plan: &TenderPlan, policy: &Policy, problems: &mut Vec<Problem>) {
    if let EvaluationMethod::ComprehensiveScoring { price_weight } = plan.evaluation {
        if let Some(min) = policy.min_price_weight(plan.category) {
            if price_weight < min {
                problems.push(Problem::new(
                    "R-EVAL-01",
                    "price_weight",
                    Text::new(
                        format!("综合评分法中价格分值不得低于 {min} 分。"),
                        format!("In comprehensive scoring the price weight is at least {min}."),
                    ),
                ));
            }
        }
    }
    for (i, lot) in plan.lots.iter().enumerate() {
        let scored: Decimal = lot
            .criteria
            .iter()
            .filter_map(|c| match c.scoring {
                Scoring::Scored { weight } => Some(weight),
                Scoring::PassFail => None,
            })
            .sum();
        for (j, c) in lot.criteria.iter().enumerate() {
            if c.requirement.trim().is_empty() {
                problems.push(Problem::new(
                    "input",
                    format!("lots[{i}].criteria[{j}].requirement"),
                    Text::new("请写明要求。", "Describe the requirement."),
                ));
            }
            if let Scoring::Scored { weight } = c.scoring {
                if weight <= Decimal::ZERO {
                    problems.push(Problem::new(
                        "input",
                        format!("lots[{i}].criteria[{j}].weight"),
                        Text::new("分值必须大于零。", "A weight must be more than zero."),
                    ));
                }
            }
        }
        match plan.evaluation {
            EvaluationMethod::ComprehensiveScoring { price_weight } => {
                if scored + price_weight != Decimal::ONE_HUNDRED {
                    problems.push(Problem::new(
                        "R-EVAL-01",
                        format!("lots[{i}].criteria"),
                        Text::new(
                            format!(
                                "采购包“{}”的评分项分值 {scored} 加价格分值 {price_weight}，合计应为 100。",
                                lot.title
                            ),
                            format!(
                                "Lot \"{}\": criteria weights {scored} plus price weight {price_weight} must add up to 100.",
                                lot.title
                            ),
                        ),
                    ));
                }
            }
            EvaluationMethod::LowestEvaluatedPrice => {
                if scored > Decimal::ZERO {
                    problems.push(Problem::new(
                        "R-EVAL-02",
                        format!("lots[{i}].criteria"),
                        Text::new(
                            "最低评标价法只能设置合格/不合格的要求，不能设置分值。",
                            "Lowest evaluated price uses pass/fail requirements only, without weights.",
                        ),
                    ));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// R-BAR-01..03, R-SME-04: forbidden conditions in free text (domain::barrier)
// ---------------------------------------------------------------------------------------------

/// Every text of the plan an officer writes, with its field and whether it states a
/// requirement (where everything named is demanded) or is prose.
#[cfg(feature = "ssr")]
pub fn plan_texts(plan: &TenderPlan) -> Vec<(String, &str, crate::domain::barrier::Context)> {
    use crate::domain::barrier::Context::{Prose, Requirement};
    let mut texts = vec![
        ("title".to_string(), plan.title.as_str(), Prose),
        ("description".to_string(), plan.description.as_str(), Prose),
    ];
    for (i, lot) in plan.lots.iter().enumerate() {
        texts.push((format!("lots[{i}].title"), lot.title.as_str(), Prose));
        for (j, c) in lot.criteria.iter().enumerate() {
            texts.push((
                format!("lots[{i}].criteria[{j}].requirement"),
                c.requirement.as_str(),
                Requirement,
            ));
        }
    }
    texts
}

/// One problem per forbidden condition, naming its rule and quoting it (R-BAR-01..03,
/// R-SME-04).
#[cfg(feature = "ssr")]
fn check_barriers(plan: &TenderPlan, problems: &mut Vec<Problem>) {
    for (field, text, context) in plan_texts(plan) {
        problems.extend(barrier_problems(&field, text, context, plan.imported_goods));
    }
}

#[cfg(not(feature = "ssr"))]
fn check_barriers(_: &TenderPlan, _: &mut Vec<Problem>) {}

/// The forbidden conditions in one text, as problems on `field`.
#[cfg(feature = "ssr")]
pub fn barrier_problems(
    field: &str,
    text: &str,
    context: crate::domain::barrier::Context,
    imported_goods: bool,
) -> Vec<Problem> {
    crate::domain::barrier::check(text, context, imported_goods)
        .into_iter()
        .map(|f| Problem {
            rule: f.rule,
            field: field.to_string(),
            message: f.message(),
            quote: Some(f.quote),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::calendar_2026;
    use chrono::TimeZone;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    /// 2026-11-26 10:00 Beijing.
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap()
    }

    fn lot(title: &str, budget: &str, reserved: bool) -> LotPlan {
        LotPlan {
            title: title.into(),
            budget: m(budget),
            reserved_for_sme: reserved,
            small_micro_only: false,
            criteria: vec![
                Criterion {
                    kind: CriterionKind::Certification,
                    requirement: "具备 ISO 9001 质量管理体系认证".into(),
                    scoring: Scoring::PassFail,
                },
                Criterion {
                    kind: CriterionKind::TechnicalApproach,
                    requirement: "技术方案的完整性与可行性".into(),
                    scoring: Scoring::Scored { weight: d("60") },
                },
            ],
            retender_of: None,
        }
    }

    /// A publishable services tender of 1,500,000: reserved whole by R-SME-01.
    fn plan() -> TenderPlan {
        TenderPlan {
            title: "市属学校信息化运维服务".into(),
            description: "为 12 所学校提供三年的网络与终端运维。".into(),
            category: Category::Services,
            method: Method::OpenTender,
            budget: m("1500000"),
            lots: vec![
                lot("第一包", "800000", false),
                lot("第二包", "700000", false),
            ],
            evaluation: EvaluationMethod::ComprehensiveScoring {
                price_weight: d("40"),
            },
            bid_deadline: now() + Duration::days(21),
            bid_security: None,
            bid_security_forms: crate::domain::payment::SecurityForm::ALL.to_vec(),
            imported_goods: false,
            sme: SmePlan::default(),
            retender: None,
        }
    }

    fn rules(result: Result<SmeOutcome, Vec<Problem>>) -> Vec<&'static str> {
        result
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| p.rule)
            .collect()
    }

    fn check(p: &TenderPlan) -> Result<SmeOutcome, Vec<Problem>> {
        check_publication(p, now(), &calendar_2026(), &Policy::CHINA)
    }

    #[test]
    fn a_sound_small_tender_publishes_reserved_whole() {
        assert_eq!(check(&plan()), Ok(SmeOutcome::ReservedWhole));
    }

    #[test]
    fn r_sme_01_reserves_up_to_two_million_for_goods_and_services_four_for_works() {
        let p = &Policy::CHINA;
        assert!(reserved_whole(p, Category::Goods, m("2000000.00")));
        assert!(!reserved_whole(p, Category::Goods, m("2000000.01")));
        assert!(reserved_whole(p, Category::Services, m("2000000.00")));
        assert!(reserved_whole(p, Category::Works, m("4000000.00")));
        assert!(!reserved_whole(p, Category::Works, m("4000000.01")));
    }

    #[test]
    fn r_sme_02_a_larger_tender_without_a_reserve_is_refused_with_the_shortfall() {
        let mut p = plan();
        p.budget = m("2000000.01");
        p.lots = vec![
            lot("第一包", "1000000", false),
            lot("第二包", "1000000.01", false),
        ];
        p.sme.price_deduction = Some(d("10"));
        let problems = check(&p).unwrap_err();
        let sme02 = problems.iter().find(|x| x.rule == "R-SME-02").unwrap();
        assert_eq!(sme02.field, "sme");
        // 30% of 2,000,000.01 is 600,000.00 (to the fen); nothing reserved.
        assert!(
            sme02.message.en.contains("(¥600,000.00)"),
            "{}",
            sme02.message.en
        );
        assert!(
            sme02.message.zh.contains("还差 ¥600,000.00"),
            "{}",
            sme02.message.zh
        );

        // One whole lot set aside (1,000,000 ≥ 600,000) for SMEs: typing "60%" for small and
        // micro firms reaches none of it, so it is refused with what is missing.
        p.lots[0].reserved_for_sme = true;
        p.sme.small_micro_share = d("60");
        let problems = check(&p).unwrap_err();
        assert_eq!(rules(Err(problems.clone())), ["R-SME-02"]);
        assert_eq!(problems[0].field, "sme.small_micro_share");
        assert!(
            problems[0].message.en.contains("(¥600,000.00)")
                && problems[0].message.en.contains("gives them ¥0.00"),
            "{}",
            problems[0].message.en
        );
        // The lot only small and micro firms may bid on: all of the reserve reaches them.
        p.lots[0].small_micro_only = true;
        assert_eq!(
            check(&p),
            Ok(SmeOutcome::Shared {
                reserve: m("1000000"),
                required: m("600000.00")
            })
        );
    }

    #[test]
    fn r_sme_02_small_and_micro_firms_reach_sixty_percent_by_lots_and_shares_together() {
        let mut p = plan();
        p.budget = m("2000000");
        p.category = Category::Services;
        p.budget = m("2400000");
        p.lots = vec![
            lot("第一包", "600000", true),
            lot("第二包", "1800000", false),
        ];
        p.sme.price_deduction = Some(d("10"));
        // Reserve: 600,000 + 20% of 1,800,000 = 960,000 (≥ 30% of 2,400,000 = 720,000);
        // small and micro firms: 100% of the 360,000 share only, under 60% (576,000).
        p.sme.required_sme_share = d("20");
        p.sme.small_micro_share = d("100");
        assert_eq!(rules(check(&p)), ["R-SME-02"]);
        // The reserved lot for small and micro firms only: 600,000 + 360,000 ≥ 576,000.
        p.lots[0].small_micro_only = true;
        p.sme.small_micro_share = d("0");
        assert!(check(&p).is_ok(), "{:?}", check(&p));
        // Without the lot, 60% of the share alone: 216,000 of 960,000 is short again.
        p.lots[0].small_micro_only = false;
        p.sme.small_micro_share = d("60");
        assert_eq!(rules(check(&p)), ["R-SME-02"]);
        // A share above 100 is bad input, not a rule.
        p.sme.small_micro_share = d("101");
        assert_eq!(rules(check(&p)), ["input"]);
    }

    #[test]
    fn r_sme_02_works_reserve_forty_percent_and_subcontract_shares_count() {
        let mut p = plan();
        p.category = Category::Works;
        p.budget = m("10000000");
        p.lots = vec![lot("土建", "10000000", false)];
        p.sme = SmePlan {
            required_sme_share: d("39"),
            small_micro_share: d("60"),
            price_deduction: Some(d("3")),
            consortium_deduction: None,
        };
        assert_eq!(rules(check(&p)), ["R-SME-02"]);
        p.sme.required_sme_share = d("40");
        assert!(check(&p).is_ok());
    }

    #[test]
    fn r_sme_03_deductions_must_lie_in_the_range_for_the_category() {
        let mut p = plan();
        p.budget = m("3000000");
        p.lots = vec![
            lot("第一包", "1000000", true),
            lot("第二包", "2000000", false),
        ];
        p.lots[0].small_micro_only = true;
        p.sme.small_micro_share = d("100");
        assert_eq!(rules(check(&p)), ["R-SME-03"], "a deduction must be stated");
        for (pct, ok) in [("9.99", false), ("10", true), ("20", true), ("20.5", false)] {
            p.sme.price_deduction = Some(d(pct));
            assert_eq!(check(&p).is_ok(), ok, "{pct}%");
        }
        p.sme.price_deduction = Some(d("15"));
        p.sme.consortium_deduction = Some(d("7"));
        assert_eq!(rules(check(&p)), ["R-SME-03"]);
        p.sme.consortium_deduction = Some(d("4"));
        assert!(check(&p).is_ok());
    }

    #[test]
    fn r_time_01_an_open_tender_deadline_exactly_twenty_days_out_is_allowed() {
        let mut p = plan();
        p.bid_deadline = now() + Duration::days(20);
        assert!(check(&p).is_ok());
        // The day of publication does not count: 19 days out is one day short.
        p.bid_deadline = now() + Duration::days(19);
        let problems = check(&p).unwrap_err();
        assert_eq!(problems[0].rule, "R-TIME-01");
        assert!(problems[0].message.en.contains("2026-12-16"));
        p.method = Method::CompetitiveConsultation;
        assert!(check(&p).is_ok(), "consultation needs only 10 days");
        p.bid_deadline = now() - Duration::minutes(1);
        assert_eq!(check(&p).unwrap_err()[0].field, "bid_deadline");
    }

    #[test]
    fn r_time_01_negotiation_counts_working_days_through_holidays() {
        let cal = calendar_2026();
        let p = &Policy::CHINA;
        // Published Friday 25 Sep (Mid-Autumn 25-27, then National Day from 1 Oct).
        let published = Utc.with_ymd_and_hms(2026, 9, 25, 2, 0, 0).unwrap();
        let day =
            earliest_deadline_day(Method::CompetitiveNegotiation, published, &cal, p).unwrap();
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        let published = Utc.with_ymd_and_hms(2026, 9, 29, 2, 0, 0).unwrap();
        let day = earliest_deadline_day(Method::RequestForQuotation, published, &cal, p).unwrap();
        // Wed 30 Sep, then 1-7 Oct off, Thu 8, Fri 9.
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 10, 9).unwrap());
    }

    #[test]
    fn r_time_01_an_earliest_deadline_counted_on_a_provisional_year_says_so_and_names_it() {
        // Issue #34: published Wednesday 30 December 2026 (10:00 in China); 2027 has no notice
        // loaded, so the negotiation's 3 working days (31 December, then 1 January off, 4 and
        // 5 January) are counted provisionally.
        let published = Utc.with_ymd_and_hms(2026, 12, 30, 2, 0, 0).unwrap();
        let mut p = plan();
        p.method = Method::CompetitiveNegotiation;
        p.bid_deadline = published + Duration::days(1);
        let cal = calendar_2026();
        let problems = check_publication(&p, published, &cal, &Policy::CHINA).unwrap_err();
        let time = problems.iter().find(|x| x.rule == "R-TIME-01").unwrap();
        let earliest =
            earliest_deadline_day_marked(p.method, published, &cal, &Policy::CHINA).unwrap();
        assert!(earliest.provisional);
        assert_eq!(earliest.date, NaiveDate::from_ymd_opt(2027, 1, 5).unwrap());
        assert!(
            time.message.zh.contains("（暂定：2027年放假安排尚未公布）"),
            "{}",
            time.message.zh
        );
        assert!(
            time.message
                .en
                .contains("(provisional: the 2027 holiday notice is not loaded yet)"),
            "{}",
            time.message.en
        );
        assert!(time.message.en.contains(&earliest.date.to_string()));
        // A day counted on an official year carries no marker: from Monday 28 December the
        // three working days end on Thursday 31 December 2026.
        let published = Utc.with_ymd_and_hms(2026, 12, 28, 2, 0, 0).unwrap();
        p.bid_deadline = published + Duration::days(1);
        let problems = check_publication(&p, published, &cal, &Policy::CHINA).unwrap_err();
        let time = problems.iter().find(|x| x.rule == "R-TIME-01").unwrap();
        assert!(
            !time.message.en.contains("provisional"),
            "{}",
            time.message.en
        );
        assert!(!time.message.zh.contains("暂定"), "{}", time.message.zh);
    }

    #[test]
    fn r_time_02_an_amendment_fifteen_days_minus_a_minute_before_moves_the_deadline() {
        let p = &Policy::CHINA;
        let deadline = now() + Duration::days(30);
        let issued = deadline - Duration::days(15) + Duration::minutes(1);
        let moved = deadline_after_amendment(Method::OpenTender, deadline, issued, p);
        assert_eq!(moved, issued + Duration::days(15));
        assert!(moved > deadline);
        let on_time = deadline - Duration::days(15);
        assert_eq!(
            deadline_after_amendment(Method::OpenTender, deadline, on_time, p),
            deadline
        );
        let issued = deadline - Duration::days(5) + Duration::minutes(1);
        assert_eq!(
            deadline_after_amendment(Method::CompetitiveConsultation, deadline, issued, p),
            issued + Duration::days(5)
        );
    }

    #[test]
    fn r_time_03_documents_stay_available_five_working_days() {
        let published = Utc.with_ymd_and_hms(2026, 9, 30, 2, 0, 0).unwrap();
        let until = documents_available_until(published, &calendar_2026(), &Policy::CHINA).unwrap();
        // 8, 9, 10 (Saturday, worked), 12, 13 October.
        assert_eq!(until, NaiveDate::from_ymd_opt(2026, 10, 13).unwrap());
    }

    #[test]
    fn r_sec_01_bid_security_at_most_two_percent_refunded_in_five_working_days() {
        let mut p = plan();
        p.bid_security = Some(m("30000"));
        assert!(check(&p).is_ok(), "exactly 2% of 1,500,000");
        p.bid_security = Some(m("30000.01"));
        assert_eq!(rules(check(&p)), ["R-SEC-01"]);
        let award = NaiveDate::from_ymd_opt(2026, 2, 13).unwrap();
        let due = bid_security_refund_due(award, &calendar_2026(), &Policy::CHINA).unwrap();
        assert_eq!(due, NaiveDate::from_ymd_opt(2026, 2, 27).unwrap());
    }

    #[test]
    fn r_eval_01_weights_sum_to_one_hundred_and_price_weight_has_a_floor() {
        let mut p = plan();
        p.evaluation = EvaluationMethod::ComprehensiveScoring {
            price_weight: d("30"),
        };
        let problems = check(&p).unwrap_err();
        assert_eq!(problems.len(), 2, "one per lot");
        assert!(problems.iter().all(|x| x.rule == "R-EVAL-01"));
        assert_eq!(problems[1].field, "lots[1].criteria");
        // Goods need a price weight of at least 30; services at least 10.
        p.category = Category::Goods;
        p.evaluation = EvaluationMethod::ComprehensiveScoring {
            price_weight: d("29"),
        };
        for l in &mut p.lots {
            l.criteria[1].scoring = Scoring::Scored { weight: d("71") };
        }
        assert_eq!(rules(check(&p)), ["R-EVAL-01"]);
        p.category = Category::Services;
        assert!(check(&p).is_ok());
        // Lowest evaluated price takes no weights.
        p.evaluation = EvaluationMethod::LowestEvaluatedPrice;
        assert_eq!(rules(check(&p)), ["R-EVAL-02", "R-EVAL-02"]);
    }

    #[test]
    fn r_bar_01_02_03_free_text_asking_for_barriers_is_refused_with_its_rule() {
        let mut p = plan();
        p.lots[1].criteria[0].requirement =
            "近三年具有类似项目业绩，单项合同金额不低于 500 万元".into();
        p.description = "投标人注册资本不少于 1000 万元。".into();
        let problems = check(&p).unwrap_err();
        let found: Vec<(&str, &str)> = problems
            .iter()
            .map(|x| (x.rule, x.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("R-BAR-01", "description"),
                ("R-BAR-02", "lots[1].criteria[0].requirement"),
            ]
        );
        // Each names its rule and quotes the clause as written.
        assert!(problems[1].message.zh.contains("近三年具有类似项目业绩"));
        assert_eq!(
            problems[0].quote.as_deref(),
            Some("投标人注册资本不少于 1000 万元")
        );
        assert!(problems[0]
            .message
            .zh
            .starts_with("“投标人注册资本不少于 1000 万元”"));
        assert!(problems[0].message.en.contains("firm size"));
    }

    #[test]
    fn r_bar_02_manufacturer_authorisation_only_for_imported_goods() {
        let mut p = plan();
        p.description = "投标人须提供制造商授权书。".into();
        assert_eq!(rules(check(&p)), ["R-BAR-02"]);
        p.imported_goods = true;
        assert!(check(&p).is_ok());
    }

    #[test]
    fn r_sec_01_a_bid_security_is_never_demanded_in_cash_only() {
        use crate::domain::payment::SecurityForm;
        let mut p = plan();
        p.bid_security = Some(m("30000"));
        p.bid_security_forms = vec![SecurityForm::Cash];
        let problems = check(&p).unwrap_err();
        assert_eq!(
            problems
                .iter()
                .map(|x| (x.rule, x.field.as_str()))
                .collect::<Vec<_>>(),
            [("R-SEC-01", "bid_security_forms")]
        );
        assert!(problems[0].message.en.contains("cash only"));
        p.bid_security_forms = Vec::new();
        assert_eq!(rules(check(&p)), ["R-SEC-01"]);
        p.bid_security_forms = vec![SecurityForm::Cash, SecurityForm::GuaranteeInsurance];
        assert!(check(&p).is_ok());
        // No security: nothing to choose.
        p.bid_security = None;
        p.bid_security_forms = vec![SecurityForm::Cash];
        assert!(check(&p).is_ok());
    }

    #[test]
    fn r_sec_01_the_bid_security_cap_is_exact() {
        let mut p = plan();
        p.budget = m("1000000.25");
        p.lots[0].budget = m("500000.25");
        p.lots[1].budget = m("500000");
        // 2% of 1,000,000.25 is 20,000.005: 20,000.01 is over it, 20,000.00 is not.
        p.bid_security = Some(m("20000.01"));
        let problems = check(&p).unwrap_err();
        let sec = problems.iter().find(|x| x.rule == "R-SEC-01").unwrap();
        assert!(sec.message.en.contains("20,000.00") || sec.message.en.contains("20000.00"));
        p.bid_security = Some(m("20000.00"));
        assert!(rules(check(&p)).iter().all(|r| *r != "R-SEC-01"));
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let mut p = plan();
        p.budget = m("0");
        p.bid_deadline = now() + Duration::days(5);
        p.bid_security = Some(m("1"));
        p.lots[0].criteria[0].requirement = "注册资本".into();
        let all = rules(check(&p));
        for rule in ["input", "R-TIME-01", "R-SEC-01", "R-BAR-01"] {
            assert!(all.contains(&rule), "{rule} missing from {all:?}");
        }
    }
}
