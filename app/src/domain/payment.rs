//! Contracts and milestone payments: timely payment to SMEs. Plain data in, dates, amounts or a
//! list of every problem out: no database, no HTTP, no clock ("today" is always a parameter, the
//! China calendar day from [`crate::domain::china_day`]).
//!
//! Rules enforced here: R-PAY-01 (payment term), R-PAY-02 (acceptance period and the payment
//! clock), R-PAY-03 (reasons that may not justify delay), R-PAY-04 (the undisputed part is due on
//! time), R-PAY-05 (late-payment interest and the LPR floor), R-PAY-06 (receivable
//! confirmation), R-PAY-07 (timeliness statistics), R-PAY-08 (deposit kinds, never cash only),
//! R-SEC-01 (performance security cap) and R-AWARD-01 (contract signing and publication).
//!
//! Conventions:
//! - Days are calendar days (China days), not working days, unless a rule says working days.
//! - Amounts are exact [`Money`]; intermediate results are exact `Decimal`s, rounded once to the
//!   fen, half away from zero (四舍五入, [`Money::round_from`]).

use std::fmt;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{CalendarError, Counted, WorkingCalendar};
use crate::domain::money::yuan;
use crate::domain::policy::Policy;
use crate::domain::{text_field, Money, MoneyError};
use crate::error::FieldError;
use crate::i18n::Text;

// ---------------------------------------------------------------------------------------------
// The figures of the payment rules (statutory, not policy choices: PAY, GPL)
// ---------------------------------------------------------------------------------------------

/// R-PAY-01: the payment term when the contract sets none (days).
pub const DEFAULT_PAYMENT_TERM_DAYS: u32 = 30;
/// R-PAY-01: the longest payment term a contract may set (days).
pub const MAX_PAYMENT_TERM_DAYS: u32 = 60;
/// R-PAY-05: the statutory late-payment interest where none is agreed: 0.05% per day = 0.0005.
pub const STATUTORY_DAILY_RATE: Decimal = Decimal::from_parts(5, 0, 0, false, 4);
/// R-PAY-05: the days in a year when an agreed annual rate becomes a daily rate
/// (daily rate = annual rate / 365, leap years included).
pub const DAYS_PER_YEAR: u32 = 365;
/// R-PAY-06: days the agency has to confirm a receivable after the supplier's request.
pub const RECEIVABLE_CONFIRMATION_DAYS: u32 = 30;
/// R-AWARD-01: days from the award to the contract's signature.
pub const SIGNING_DAYS: u32 = 30;
/// R-AWARD-01: working days from signature to the contract's publication.
pub const PUBLICATION_WORKING_DAYS: u32 = 2;
/// The longest milestone deliverable description (characters).
pub const MAX_DELIVERABLE_CHARS: usize = 500;
/// The longest written explanation of a rejection (characters).
pub const MAX_EXPLANATION_CHARS: usize = 2000;

/// `day` plus `n` calendar days (saturating at the last representable date).
fn add_days(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_add_days(Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MAX)
}

/// Calendar days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// A percentage for people to read: `3`, `3.45`, never `3.00`.
fn pct(d: Decimal) -> Decimal {
    d.normalize()
}

// ---------------------------------------------------------------------------------------------
// R-PAY-01: the payment term
// ---------------------------------------------------------------------------------------------

/// R-PAY-01: days from the payment-clock start to the due date: 1 to 60, 30 when the contract
/// sets none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct PaymentTerm(u32);

/// Why a payment term was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentTermError {
    #[error("not a whole number of days")]
    NotANumber,
    #[error("a payment term of 0 days")]
    Zero,
    #[error("more than {MAX_PAYMENT_TERM_DAYS} days (R-PAY-01)")]
    AboveMax,
}

impl PaymentTermError {
    pub fn text(self) -> Text {
        match self {
            PaymentTermError::NotANumber => Text::new(
                format!("付款期限请填写 1 到 {MAX_PAYMENT_TERM_DAYS} 之间的整数天数。"),
                format!("Enter the payment term as a whole number of days from 1 to {MAX_PAYMENT_TERM_DAYS}."),
            ),
            PaymentTermError::Zero => Text::new(
                "付款期限至少 1 天。",
                "The payment term is at least 1 day.",
            ),
            PaymentTermError::AboveMax => Text::new(
                format!("合同约定的付款期限最长 {MAX_PAYMENT_TERM_DAYS} 天（R-PAY-01）。"),
                format!("A contract's payment term may not exceed {MAX_PAYMENT_TERM_DAYS} days (R-PAY-01)."),
            ),
        }
    }
}

impl PaymentTerm {
    /// R-PAY-01: a term of `days`, refused when 0 or above 60.
    pub fn new(days: u32) -> Result<PaymentTerm, PaymentTermError> {
        match days {
            0 => Err(PaymentTermError::Zero),
            // R-PAY-01: never more than 60 days.
            d if d > MAX_PAYMENT_TERM_DAYS => Err(PaymentTermError::AboveMax),
            d => Ok(PaymentTerm(d)),
        }
    }

    /// Parses what a person typed: `45`, ` 45 `, `45天`. Anything but digits is refused.
    pub fn parse(input: &str) -> Result<PaymentTerm, PaymentTermError> {
        let s = input.trim().trim_end_matches('天').trim_end();
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(PaymentTermError::NotANumber);
        }
        // All digits: a parse failure can only be an overflow, far above the limit.
        let days = s.parse::<u32>().map_err(|_| PaymentTermError::AboveMax)?;
        PaymentTerm::new(days)
    }

    pub fn days(self) -> u32 {
        self.0
    }

    /// R-PAY-01: the due date, `term` calendar days after the payment clock starts.
    pub fn due_date(self, clock_start: NaiveDate) -> NaiveDate {
        add_days(clock_start, self.0)
    }
}

impl Default for PaymentTerm {
    /// R-PAY-01: 30 days.
    fn default() -> Self {
        PaymentTerm(DEFAULT_PAYMENT_TERM_DAYS)
    }
}

impl TryFrom<u32> for PaymentTerm {
    type Error = PaymentTermError;
    fn try_from(days: u32) -> Result<Self, Self::Error> {
        PaymentTerm::new(days)
    }
}

impl From<PaymentTerm> for u32 {
    fn from(t: PaymentTerm) -> u32 {
        t.0
    }
}

impl fmt::Display for PaymentTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} days", self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// R-PAY-05: late-payment interest terms
// ---------------------------------------------------------------------------------------------

/// R-PAY-05: the late-payment interest a contract provides for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateInterestTerms {
    /// An agreed annual rate (%), at least the 1-year LPR at signing. It accrues per day at
    /// `annual_pct / 100 / 365` of the overdue amount (365 in leap years too).
    Agreed { annual_pct: Decimal },
    /// None agreed: the statutory 0.05% per day of the overdue amount.
    Statutory,
}

impl LateInterestTerms {
    /// R-PAY-05: an agreed annual rate, refused when below `lpr_1y_pct` (the 1-year loan prime
    /// rate on the day of signing, %), not above 0, or above 100.
    pub fn agreed(annual_pct: Decimal, lpr_1y_pct: Decimal) -> Result<LateInterestTerms, Text> {
        if annual_pct <= Decimal::ZERO || annual_pct > Decimal::ONE_HUNDRED {
            return Err(Text::new(
                "约定的逾期利率请填写大于 0、不超过 100 的年利率（%）。",
                "Enter the agreed late-payment rate as an annual percentage above 0 and at most 100.",
            ));
        }
        // R-PAY-05: the agreed rate may not be below the 1-year LPR at signing.
        if annual_pct < lpr_1y_pct {
            return Err(Text::new(
                format!(
                    "约定的逾期利率（年 {}%）不得低于签订合同时一年期贷款市场报价利率（LPR）{}%（R-PAY-05）。",
                    pct(annual_pct),
                    pct(lpr_1y_pct)
                ),
                format!(
                    "The agreed late-payment rate ({}% a year) may not be below the 1-year loan prime rate (LPR) at signing, {}% (R-PAY-05).",
                    pct(annual_pct),
                    pct(lpr_1y_pct)
                ),
            ));
        }
        Ok(LateInterestTerms::Agreed {
            annual_pct: annual_pct.normalize(),
        })
    }

    /// Parses the form's "agreed annual rate" field: empty means none agreed (statutory rate);
    /// otherwise a percentage such as `4.5` or `4.5%`, checked by [`LateInterestTerms::agreed`].
    pub fn parse(input: &str, lpr_1y_pct: Decimal) -> Result<LateInterestTerms, Text> {
        let s = input.trim().trim_end_matches(['%', '％']).trim_end();
        if s.is_empty() {
            return Ok(LateInterestTerms::Statutory);
        }
        let plain = s.chars().all(|c| c.is_ascii_digit() || c == '.');
        match Decimal::from_str(s) {
            Ok(d) if plain && d.normalize().scale() <= 4 => LateInterestTerms::agreed(d, lpr_1y_pct),
            _ => Err(Text::new(
                "约定的逾期利率请填写年利率（%），例如 4.5，最多四位小数；未约定请留空。",
                "Enter the agreed late-payment rate as an annual percentage such as 4.5 (at most four decimals), or leave it empty if none is agreed.",
            )),
        }
    }

    /// Interest on `yuan_days` (the sum over the overdue days of the amount overdue that day),
    /// exact up to one final division; `None` on overflow.
    fn interest_on(self, yuan_days: Decimal) -> Option<Decimal> {
        match self {
            LateInterestTerms::Statutory => yuan_days.checked_mul(STATUTORY_DAILY_RATE),
            LateInterestTerms::Agreed { annual_pct } => yuan_days
                .checked_mul(annual_pct)?
                .checked_div(Decimal::ONE_HUNDRED * Decimal::from(DAYS_PER_YEAR)),
        }
    }

    pub fn label(self) -> Text {
        match self {
            LateInterestTerms::Statutory => Text::new(
                "未约定利率：按每日万分之五（0.05%）支付逾期利息",
                "No rate agreed: 0.05% of the overdue amount per day",
            ),
            LateInterestTerms::Agreed { annual_pct } => Text::new(
                format!(
                    "约定年利率 {}%（日利率 = 年利率 ÷ {DAYS_PER_YEAR}）",
                    pct(annual_pct)
                ),
                format!(
                    "Agreed rate of {}% a year (daily rate = annual rate ÷ {DAYS_PER_YEAR})",
                    pct(annual_pct)
                ),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// R-SEC-01, R-PAY-08: deposits
// ---------------------------------------------------------------------------------------------

/// R-PAY-08: the only kinds of deposit an agency may demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepositKind {
    BidSecurity,
    PerformanceSecurity,
    QualityDeposit,
    MigrantWageDeposit,
}

impl DepositKind {
    pub const ALL: [DepositKind; 4] = [
        DepositKind::BidSecurity,
        DepositKind::PerformanceSecurity,
        DepositKind::QualityDeposit,
        DepositKind::MigrantWageDeposit,
    ];

    /// The code forms send.
    pub fn code(self) -> &'static str {
        match self {
            DepositKind::BidSecurity => "bid",
            DepositKind::PerformanceSecurity => "performance",
            DepositKind::QualityDeposit => "quality",
            DepositKind::MigrantWageDeposit => "migrant_wage",
        }
    }

    pub fn label(self) -> Text {
        match self {
            DepositKind::BidSecurity => Text::new("投标保证金", "bid security"),
            DepositKind::PerformanceSecurity => Text::new("履约保证金", "performance security"),
            DepositKind::QualityDeposit => Text::new("质量保证金", "quality deposit"),
            DepositKind::MigrantWageDeposit => {
                Text::new("农民工工资保证金", "migrant workers' wage deposit")
            }
        }
    }

    /// R-PAY-08: any other kind of deposit is refused.
    pub fn parse(code: &str) -> Result<DepositKind, Text> {
        let code = code.trim();
        DepositKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| {
                Text::new(
                    "只能收取投标保证金、履约保证金、质量保证金或农民工工资保证金，不得收取其他保证金（R-PAY-08）。",
                    "Only a bid security, performance security, quality deposit or migrant workers' wage deposit may be demanded; no other deposit (R-PAY-08).",
                )
            })
    }
}

/// The forms in which a deposit can be provided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecurityForm {
    /// Cash, bank transfer or cheque.
    Cash,
    BankGuarantee,
    GuaranteeInsurance,
    SuretyGuarantee,
}

impl SecurityForm {
    pub const ALL: [SecurityForm; 4] = [
        SecurityForm::Cash,
        SecurityForm::BankGuarantee,
        SecurityForm::GuaranteeInsurance,
        SecurityForm::SuretyGuarantee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SecurityForm::Cash => "cash",
            SecurityForm::BankGuarantee => "bank_guarantee",
            SecurityForm::GuaranteeInsurance => "guarantee_insurance",
            SecurityForm::SuretyGuarantee => "surety_guarantee",
        }
    }

    pub fn label(self) -> Text {
        match self {
            SecurityForm::Cash => Text::new(
                "现金（含转账、支票）",
                "cash (including transfer or cheque)",
            ),
            SecurityForm::BankGuarantee => Text::new("银行保函", "bank guarantee"),
            SecurityForm::GuaranteeInsurance => Text::new("保证保险", "guarantee insurance"),
            SecurityForm::SuretyGuarantee => {
                Text::new("担保机构保函", "guarantee by a surety company")
            }
        }
    }

    pub fn parse(code: &str) -> Result<SecurityForm, Text> {
        let code = code.trim();
        SecurityForm::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .ok_or_else(|| {
                Text::new(
                    "请选择保证金的缴纳形式。",
                    "Choose a form in which the deposit may be provided.",
                )
            })
    }
}

/// R-PAY-08: the forms a deposit demand accepts: at least one, and never cash only.
pub fn check_security_forms(accepted: &[SecurityForm]) -> Result<(), Text> {
    if accepted.is_empty() {
        return Err(Text::new(
            "请至少选择一种保证金缴纳形式。",
            "Choose at least one form in which the deposit may be provided.",
        ));
    }
    // R-PAY-08: a deposit may not be demanded in cash only.
    if accepted.iter().all(|f| *f == SecurityForm::Cash) {
        return Err(Text::new(
            "不得要求仅以现金形式缴纳保证金，应允许以银行保函等非现金形式提供（R-PAY-08）。",
            "A deposit may not be demanded in cash only: allow a non-cash form such as a bank guarantee (R-PAY-08).",
        ));
    }
    Ok(())
}

/// R-SEC-01: a performance security of at most `policy.performance_security_max` % (10%) of the
/// contract value, compared exactly (no rounding). The message shows the cap rounded down to the
/// fen, so the amount it shows is itself allowed.
pub fn check_performance_security(
    policy: &Policy,
    contract_value: Money,
    security: Money,
) -> Result<(), Text> {
    let max_pct = policy.performance_security_max;
    let cap = contract_value.amount() * max_pct / Decimal::ONE_HUNDRED;
    if security.amount() <= cap {
        return Ok(());
    }
    let shown = yuan(cap.round_dp_with_strategy(2, RoundingStrategy::ToZero));
    Err(Text::new(
        format!(
            "履约保证金 {} 超过合同金额 {} 的 {}%，最多 {}（R-SEC-01）。",
            security.format_cny(),
            contract_value.format_cny(),
            pct(max_pct),
            shown
        ),
        format!(
            "A performance security of {} is more than {}% of the contract value of {}: at most {} (R-SEC-01).",
            security.format_cny(),
            pct(max_pct),
            contract_value.format_cny(),
            shown
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// R-AWARD-01: signing and publishing the contract
// ---------------------------------------------------------------------------------------------

/// R-AWARD-01: the last day to sign the contract, 30 days after the award.
pub fn signing_deadline(award_day: NaiveDate) -> NaiveDate {
    add_days(award_day, SIGNING_DAYS)
}

/// R-AWARD-01: the last day to publish the contract, 2 working days after signing.
pub fn publication_deadline(
    calendar: &WorkingCalendar,
    signed_on: NaiveDate,
) -> Result<NaiveDate, CalendarError> {
    publication_deadline_marked(calendar, signed_on).map(|c| c.date)
}

/// [`publication_deadline`], and whether it was counted on a provisional year (issue #34).
pub fn publication_deadline_marked(
    calendar: &WorkingCalendar,
    signed_on: NaiveDate,
) -> Result<Counted, CalendarError> {
    calendar.add_working_days_marked(signed_on, PUBLICATION_WORKING_DAYS)
}

// ---------------------------------------------------------------------------------------------
// Milestones
// ---------------------------------------------------------------------------------------------

/// One milestone (付款节点) of a contract's payment plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestonePlan {
    pub deliverable: String,
    pub amount: Money,
    pub planned_date: NaiveDate,
    /// An advance payment (预付款), paid before delivery.
    pub advance_payment: bool,
}

/// Checks a payment plan and reports every problem at once, on the field it concerns
/// (`milestones[2].amount`): at least one milestone, each with a deliverable and an amount above
/// zero, the amounts summing exactly to the contract value (not even a fen apart).
pub fn check_milestones(
    contract_value: Money,
    milestones: &[MilestonePlan],
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if milestones.is_empty() {
        errors.push(FieldError::new(
            "milestones",
            Text::new("请至少设置一个付款节点。", "Add at least one milestone."),
        ));
        return Err(errors);
    }
    let mut sum = Decimal::ZERO;
    for (i, m) in milestones.iter().enumerate() {
        let mut own = Vec::new();
        text_field(
            &m.deliverable,
            "deliverable",
            MAX_DELIVERABLE_CHARS,
            true,
            &mut own,
        );
        errors.extend(
            own.into_iter()
                .map(|e| FieldError::new(format!("milestones[{i}].deliverable"), e.message)),
        );
        if m.amount <= Money::ZERO {
            errors.push(FieldError::new(
                format!("milestones[{i}].amount"),
                Text::new(
                    "付款节点金额必须大于 0。",
                    "A milestone's amount must be more than 0.",
                ),
            ));
        }
        // Exact: at most 2 decimals each, far from Decimal's limits.
        sum += m.amount.amount();
    }
    if sum != contract_value.amount() {
        let diff = sum - contract_value.amount();
        errors.push(FieldError::new(
            "milestones",
            Text::new(
                format!(
                    "各付款节点金额合计 {}，与合同金额 {} 不一致（相差 {}）。",
                    yuan(sum),
                    contract_value.format_cny(),
                    yuan(diff)
                ),
                format!(
                    "The milestones add up to {}, not the contract value of {} (a difference of {}).",
                    yuan(sum),
                    contract_value.format_cny(),
                    yuan(diff)
                ),
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------------
// R-PAY-02, R-PAY-04: when payment falls due
// ---------------------------------------------------------------------------------------------

/// R-PAY-02: the day the payment clock starts for a delivery on `delivered_on` with an
/// acceptance period of `acceptance_days`:
/// - accepted within the period: the acceptance day;
/// - accepted late, or not accepted by the period's end: the period's end (accepting late does
///   not delay the clock);
/// - not accepted and `today` before the period's end: `None`, the clock has not started.
///
/// Where payment does not follow acceptance, pass an acceptance period of 0: the clock starts
/// on delivery.
pub fn payment_clock_start(
    delivered_on: NaiveDate,
    acceptance_days: u32,
    accepted_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let period_end = add_days(delivered_on, acceptance_days);
    match accepted_on {
        Some(accepted) => Some(accepted.min(period_end)),
        // R-PAY-02: not accepted by the end of the period: the clock starts at its end.
        None if today >= period_end => Some(period_end),
        None => None,
    }
}

/// R-PAY-04: a milestone accepted in part: the undisputed part is due on the normal due date;
/// the disputed remainder has no due date until the dispute is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptanceSplit {
    pub undisputed: Money,
    pub due_date: NaiveDate,
    pub disputed: Money,
}

/// R-PAY-04: splits a milestone of `milestone_amount` of which `accepted_amount` is accepted
/// (undisputed); `due_date` is the milestone's normal due date. An accepted amount above the
/// milestone's is refused.
pub fn split_acceptance(
    milestone_amount: Money,
    accepted_amount: Money,
    due_date: NaiveDate,
) -> Result<AcceptanceSplit, Text> {
    match milestone_amount.checked_sub(accepted_amount) {
        Some(disputed) if disputed >= Money::ZERO && accepted_amount >= Money::ZERO => {
            Ok(AcceptanceSplit {
                // R-PAY-04: the undisputed part keeps the normal due date.
                undisputed: accepted_amount,
                due_date,
                disputed,
            })
        }
        _ => Err(Text::new(
            format!(
                "验收金额 {} 不能超过本节点金额 {}。",
                accepted_amount.format_cny(),
                milestone_amount.format_cny()
            ),
            format!(
                "The accepted amount of {} cannot be more than the milestone's {}.",
                accepted_amount.format_cny(),
                milestone_amount.format_cny()
            ),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// R-PAY-03: rejecting a delivery
// ---------------------------------------------------------------------------------------------

/// R-PAY-03: the reasons for which an agency may reject a delivery (and so not start paying).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    NonConforming,
    IncompleteDelivery,
    Defects,
    MissingDocuments,
}

impl RejectionReason {
    pub const ALL: [RejectionReason; 4] = [
        RejectionReason::NonConforming,
        RejectionReason::IncompleteDelivery,
        RejectionReason::Defects,
        RejectionReason::MissingDocuments,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RejectionReason::NonConforming => "non_conforming",
            RejectionReason::IncompleteDelivery => "incomplete_delivery",
            RejectionReason::Defects => "defects",
            RejectionReason::MissingDocuments => "missing_documents",
        }
    }

    pub fn label(self) -> Text {
        match self {
            RejectionReason::NonConforming => Text::new(
                "不符合合同约定的规格要求",
                "does not conform to the contract's specification",
            ),
            RejectionReason::IncompleteDelivery => Text::new("交付不完整", "incomplete delivery"),
            RejectionReason::Defects => Text::new("发现质量缺陷", "defects found"),
            RejectionReason::MissingDocuments => {
                Text::new("缺少合同约定的交付文件", "required documents missing")
            }
        }
    }

    /// R-PAY-03: parses a reason code; a prohibited reason is refused citing the rule, an
    /// unknown code is refused listing the allowed reasons.
    pub fn parse(code: &str) -> Result<RejectionReason, Text> {
        let code = code.trim();
        if let Some(r) = RejectionReason::ALL.into_iter().find(|r| r.code() == code) {
            return Ok(r);
        }
        // R-PAY-03: these reasons may not justify refusing or delaying payment.
        if let Some(p) = ProhibitedReason::ALL.into_iter().find(|p| p.code() == code) {
            let label = p.label();
            return Err(Text::new(
                format!("不得以“{}”为由拒绝或者迟延支付（R-PAY-03）。", label.zh),
                format!(
                    "Payment may not be refused or delayed because of {} (R-PAY-03).",
                    label.en
                ),
            ));
        }
        let (zh, en): (Vec<String>, Vec<String>) = RejectionReason::ALL
            .into_iter()
            .map(|r| {
                let l = r.label();
                (l.zh, l.en)
            })
            .unzip();
        Err(Text::new(
            format!("请选择拒绝验收的理由：{}。", zh.join("、")),
            format!("Choose a reason for rejecting: {}.", en.join("; ")),
        ))
    }
}

/// R-PAY-03: reasons that may never justify refusing or delaying payment. They exist so the
/// refusal can say which rule forbids them; a contract that agrees settlement after an audit
/// says so in its milestones, not as a rejection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProhibitedReason {
    LeadershipChange,
    InternalProcedures,
    AwaitingAudit,
}

impl ProhibitedReason {
    pub const ALL: [ProhibitedReason; 3] = [
        ProhibitedReason::LeadershipChange,
        ProhibitedReason::InternalProcedures,
        ProhibitedReason::AwaitingAudit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProhibitedReason::LeadershipChange => "leadership_change",
            ProhibitedReason::InternalProcedures => "internal_procedures",
            ProhibitedReason::AwaitingAudit => "awaiting_audit",
        }
    }

    pub fn label(self) -> Text {
        match self {
            ProhibitedReason::LeadershipChange => Text::new(
                "法定代表人或者主要负责人变更",
                "a change of legal representative or leadership",
            ),
            ProhibitedReason::InternalProcedures => {
                Text::new("履行内部付款流程", "internal payment procedures")
            }
            ProhibitedReason::AwaitingAudit => Text::new(
                "等待审计结果或者决算（合同未约定）",
                "waiting for an audit or final accounts not agreed in the contract",
            ),
        }
    }
}

/// A checked rejection of a delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub reason: RejectionReason,
    pub explanation: String,
}

/// R-PAY-03: checks a rejection form: an allowed reason (`reason`) and a written explanation
/// (`explanation`, required, at most 2000 characters). Every problem at once.
pub fn check_rejection(reason_code: &str, explanation: &str) -> Result<Rejection, Vec<FieldError>> {
    let mut errors = Vec::new();
    let reason = match RejectionReason::parse(reason_code) {
        Ok(reason) => Some(reason),
        Err(message) => {
            errors.push(FieldError::new("reason", message));
            None
        }
    };
    let explanation = text_field(
        explanation,
        "explanation",
        MAX_EXPLANATION_CHARS,
        true,
        &mut errors,
    );
    match (reason, explanation) {
        (Some(reason), Some(explanation)) if errors.is_empty() => Ok(Rejection {
            reason,
            explanation,
        }),
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------------------------------------
// R-PAY-05: payments and late-payment interest
// ---------------------------------------------------------------------------------------------

/// A payment made on a payable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub paid_on: NaiveDate,
    pub amount: Money,
}

/// Checks a payment before it is recorded: more than 0, not more than `outstanding`, and not
/// dated after `today`. Every problem at once, on `amount` and `paid_on`.
pub fn check_payment(
    amount: Money,
    outstanding: Money,
    paid_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if amount <= Money::ZERO {
        errors.push(FieldError::new(
            "amount",
            Text::new("付款金额必须大于 0。", "The payment must be more than 0."),
        ));
    } else if amount > outstanding {
        errors.push(FieldError::new(
            "amount",
            Text::new(
                format!(
                    "付款金额 {} 超过未付金额 {}。",
                    amount.format_cny(),
                    outstanding.format_cny()
                ),
                format!(
                    "The payment of {} is more than the {} outstanding.",
                    amount.format_cny(),
                    outstanding.format_cny()
                ),
            ),
        ));
    }
    if paid_on > today {
        errors.push(FieldError::new(
            "paid_on",
            Text::new(
                format!("付款日期 {paid_on} 晚于今天（{today}）：只能登记已经支付的款项。"),
                format!(
                    "The payment date {paid_on} is after today ({today}): record only payments already made."
                ),
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Payments made on or before `as_of`, oldest first (stable for the same day).
fn payments_until(payments: &[Payment], as_of: NaiveDate) -> Vec<Payment> {
    let mut made: Vec<Payment> = payments
        .iter()
        .copied()
        .filter(|p| p.paid_on <= as_of)
        .collect();
    made.sort_by_key(|p| p.paid_on);
    made
}

/// R-PAY-05: late-payment interest accrued as of `as_of` on a payable of `amount` due on
/// `due_date`, with `payments` made on it.
///
/// Interest accrues for each day from the day after the due date until the day of payment
/// included, on the amount still overdue that day: a payment on the due date bears none; one
/// made the day after bears one day on what it pays. Payments dated before the due date reduce
/// the principal without interest. Payments dated after `as_of` are not yet made; the part of a
/// payment above what is outstanding is ignored ([`check_payment`] refuses it before recording).
///
/// Exactness and rounding: the sum of the daily interest amounts equals
/// `rate × Σ(amount overdue × days it stayed overdue)`. That sum (yuan-days) is exact; it is
/// multiplied by 0.0005 (statutory, exact) or by `annual_pct` and divided once by 36 500
/// (`100 × 365`, agreed rate), and the total is rounded ONCE to the fen, half away from zero
/// (`RoundingStrategy::MidpointAwayFromZero`, [`Money::round_from`]): 0.005 → 0.01, and three
/// days of 0.005 are 0.015 → 0.02, not 3 × 0.01. Errs only when the result exceeds `Money`.
pub fn late_interest(
    amount: Money,
    due_date: NaiveDate,
    payments: &[Payment],
    terms: LateInterestTerms,
    as_of: NaiveDate,
) -> Result<Money, MoneyError> {
    let late_days = |day: NaiveDate| Decimal::from(days_between(due_date, day).max(0));
    let mut outstanding = amount.amount().max(Decimal::ZERO);
    let mut yuan_days = Decimal::ZERO;
    for p in payments_until(payments, as_of) {
        let applied = p.amount.amount().clamp(Decimal::ZERO, outstanding);
        // R-PAY-05: interest from the day after the due date until paid.
        yuan_days = yuan_days
            .checked_add(
                applied
                    .checked_mul(late_days(p.paid_on))
                    .ok_or(MoneyError::TooLarge)?,
            )
            .ok_or(MoneyError::TooLarge)?;
        outstanding -= applied;
    }
    yuan_days = yuan_days
        .checked_add(
            outstanding
                .checked_mul(late_days(as_of))
                .ok_or(MoneyError::TooLarge)?,
        )
        .ok_or(MoneyError::TooLarge)?;
    let interest = terms.interest_on(yuan_days).ok_or(MoneyError::TooLarge)?;
    Money::round_from(interest)
}

/// Where a payable stands, for the views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum PayableStatus {
    NotYetDue { days_left: i64 },
    DueToday,
    Overdue { days_overdue: i64 },
    PaidOnTime,
    PaidLate { days_late: i64 },
}

impl PayableStatus {
    pub fn label(self) -> Text {
        match self {
            PayableStatus::NotYetDue { days_left } => Text::new(
                format!("未到期（还有 {days_left} 天）"),
                format!("Not yet due ({days_left} days left)"),
            ),
            PayableStatus::DueToday => Text::new("今日到期", "Due today"),
            PayableStatus::Overdue { days_overdue } => Text::new(
                format!("已逾期 {days_overdue} 天"),
                format!("Overdue by {days_overdue} days"),
            ),
            PayableStatus::PaidOnTime => Text::new("已按时支付", "Paid on time"),
            PayableStatus::PaidLate { days_late } => Text::new(
                format!("已支付（逾期 {days_late} 天）"),
                format!("Paid {days_late} days late"),
            ),
        }
    }
}

/// The status of a payable of `amount` due on `due_date` as of `today`, counting the payments
/// made by `today`. Paid means paid in full; the day it was paid is the day of the payment that
/// completed it. A part-paid payable is not yet due, due or overdue like an unpaid one.
pub fn payable_status(
    amount: Money,
    due_date: NaiveDate,
    payments: &[Payment],
    today: NaiveDate,
) -> PayableStatus {
    let mut paid = Decimal::ZERO;
    let mut completed = if amount <= Money::ZERO {
        Some(due_date)
    } else {
        None
    };
    for p in payments_until(payments, today) {
        if completed.is_some() {
            break;
        }
        paid += p.amount.amount();
        if paid >= amount.amount() {
            completed = Some(p.paid_on);
        }
    }
    match completed {
        Some(day) if day <= due_date => PayableStatus::PaidOnTime,
        Some(day) => PayableStatus::PaidLate {
            days_late: days_between(due_date, day),
        },
        None => match days_between(today, due_date) {
            n if n > 0 => PayableStatus::NotYetDue { days_left: n },
            0 => PayableStatus::DueToday,
            n => PayableStatus::Overdue { days_overdue: -n },
        },
    }
}

// ---------------------------------------------------------------------------------------------
// R-PAY-06: receivable confirmation
// ---------------------------------------------------------------------------------------------

/// R-PAY-06: the last day for the agency to confirm a receivable requested on `requested_on`.
pub fn receivable_confirmation_due(requested_on: NaiveDate) -> NaiveDate {
    add_days(requested_on, RECEIVABLE_CONFIRMATION_DAYS)
}

/// R-PAY-06: whether, on `day`, a confirmation requested on `requested_on` is overdue: not
/// confirmed by `day` (a confirmation dated after `day` does not count yet) and `day` after the
/// last day. Confirming on the last day is on time.
pub fn receivable_confirmation_overdue(
    requested_on: NaiveDate,
    confirmed_on: Option<NaiveDate>,
    day: NaiveDate,
) -> bool {
    let confirmed = confirmed_on.is_some_and(|c| c <= day);
    !confirmed && day > receivable_confirmation_due(requested_on)
}

// ---------------------------------------------------------------------------------------------
// R-PAY-07: timeliness statistics
// ---------------------------------------------------------------------------------------------

/// One payable, as the statistics need it. `paid_on` is the day it was paid in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayableRecord {
    pub amount: Money,
    pub clock_start: NaiveDate,
    pub due_date: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub interest_paid: Money,
}

/// R-PAY-07: how timely an agency pays, as of a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinessStats {
    pub payables: usize,
    /// Paid in full by the day.
    pub paid: usize,
    pub paid_on_time: usize,
    pub paid_late: usize,
    /// Paid on time ÷ (paid + overdue unpaid): a FRACTION from 0 to 1 (not a percentage),
    /// rounded to 4 decimals half away from zero (2/3 → 0.6667, i.e. 66.67%). Payables neither
    /// paid nor yet due are left out. `None` when nothing is paid or overdue.
    pub on_time_rate: Option<Decimal>,
    /// The median of the calendar days from the payment-clock start to payment, over the paid
    /// payables (an even count takes the mean of the two middle values: 15.5 days). `None`
    /// when nothing is paid.
    pub median_days_to_pay: Option<Decimal>,
    /// Unpaid and past their due date on the day.
    pub overdue_count: usize,
    /// Their total amount: an exact `Decimal` of yuan (2 decimals), since a platform-wide total
    /// can exceed `Money`'s limit.
    pub overdue_value: Decimal,
    /// Late-payment interest paid, in total (exact yuan).
    pub interest_paid: Decimal,
}

/// R-PAY-07: statistics over `records` as of `today`. A payment dated after `today` counts as not
/// yet made. An empty slice gives zero counts and `None` rate and median.
pub fn timeliness_stats(records: &[PayableRecord], today: NaiveDate) -> TimelinessStats {
    let mut days_to_pay = Vec::new();
    let (mut paid_on_time, mut paid_late, mut overdue_count) = (0, 0, 0);
    let (mut overdue_value, mut interest_paid) = (Decimal::ZERO, Decimal::ZERO);
    for r in records {
        interest_paid += r.interest_paid.amount();
        match r.paid_on.filter(|p| *p <= today) {
            Some(paid_on) => {
                days_to_pay.push(days_between(r.clock_start, paid_on));
                if paid_on <= r.due_date {
                    paid_on_time += 1;
                } else {
                    paid_late += 1;
                }
            }
            None if today > r.due_date => {
                overdue_count += 1;
                overdue_value += r.amount.amount();
            }
            None => {}
        }
    }
    let decided = days_to_pay.len() + overdue_count;
    let on_time_rate = (decided > 0).then(|| {
        (Decimal::from(paid_on_time) / Decimal::from(decided))
            .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    });
    days_to_pay.sort_unstable();
    let n = days_to_pay.len();
    let median_days_to_pay = match n {
        0 => None,
        _ if n % 2 == 1 => Some(Decimal::from(days_to_pay[n / 2])),
        _ => Some(
            (Decimal::from(days_to_pay[n / 2 - 1]) + Decimal::from(days_to_pay[n / 2]))
                / Decimal::TWO,
        ),
    };
    TimelinessStats {
        payables: records.len(),
        paid: n,
        paid_on_time,
        paid_late,
        on_time_rate,
        median_days_to_pay: median_days_to_pay.map(|m| m.normalize()),
        overdue_count,
        overdue_value,
        interest_paid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::calendar_2026;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn day(y: i32, mo: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, dd).unwrap()
    }

    /// A day of 2026.
    fn on(mo: u32, dd: u32) -> NaiveDate {
        day(2026, mo, dd)
    }

    fn paid(mo: u32, dd: u32, amount: &str) -> Payment {
        Payment {
            paid_on: on(mo, dd),
            amount: m(amount),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    fn agreed(pct: &str) -> LateInterestTerms {
        LateInterestTerms::Agreed { annual_pct: d(pct) }
    }

    #[test]
    fn r_pay_01_payment_term_61_refused_60_accepted_default_30() {
        assert_eq!(PaymentTerm::default().days(), 30);
        assert_eq!(PaymentTerm::parse("60").unwrap().days(), 60);
        assert_eq!(PaymentTerm::parse(" 45天 ").unwrap().days(), 45);
        assert_eq!(PaymentTerm::parse("1").unwrap().days(), 1);
        assert_eq!(PaymentTerm::parse("61"), Err(PaymentTermError::AboveMax));
        assert_eq!(
            PaymentTerm::parse("99999999999"),
            Err(PaymentTermError::AboveMax)
        );
        assert_eq!(PaymentTerm::parse("0"), Err(PaymentTermError::Zero));
        for bad in ["", "abc", "-5", "30.5", "３０", "1e2"] {
            assert_eq!(
                PaymentTerm::parse(bad),
                Err(PaymentTermError::NotANumber),
                "{bad:?}"
            );
        }
        let text = PaymentTermError::AboveMax.text();
        assert!(text.en.contains("R-PAY-01") && text.en.contains("60"));
        assert!(text.zh.contains("R-PAY-01") && text.zh.contains("60"));
        // Deserialising checks too.
        assert!(serde_json::from_str::<PaymentTerm>("61").is_err());
        assert_eq!(
            serde_json::from_str::<PaymentTerm>("60").unwrap().days(),
            60
        );
    }

    #[test]
    fn r_pay_01_due_dates_across_month_ends_and_the_leap_day() {
        let term = PaymentTerm::default();
        // 2026-01-31 + 30: Feb 2026 has 28 days; Jan 31 + 28 = Feb 28, + 29 = Mar 1, + 30 = Mar 2.
        assert_eq!(term.due_date(on(1, 31)), on(3, 2));
        // 2028-01-31 + 30: Feb 2028 has 29 days; Jan 31 + 29 = Feb 29, + 30 = Mar 1.
        assert_eq!(term.due_date(day(2028, 1, 31)), day(2028, 3, 1));
        // 2028-02-15 + 30: Feb 15 + 14 = Feb 29, + 15 = Mar 1, + 30 = Mar 16.
        assert_eq!(term.due_date(day(2028, 2, 15)), day(2028, 3, 16));
        // 2028-02-29 + 60: Feb 29 + 31 = Mar 31, + 60 = Apr 29.
        assert_eq!(
            PaymentTerm::new(60).unwrap().due_date(day(2028, 2, 29)),
            day(2028, 4, 29)
        );
        // Across the year end: 2026-12-15 + 30: Dec 15 + 16 = Dec 31, + 30 = 2027-01-14.
        assert_eq!(term.due_date(on(12, 15)), day(2027, 1, 14));
    }

    #[test]
    fn r_pay_02_the_end_of_the_acceptance_period_starts_the_clock() {
        // Delivered 2026-03-10, 15-day acceptance period: it ends 03-10 + 15 = 03-25.
        let start = |accepted, today| payment_clock_start(on(3, 10), 15, accepted, today);
        assert_eq!(start(None, on(3, 24)), None, "period still running");
        assert_eq!(start(None, on(3, 25)), Some(on(3, 25)), "period ended");
        assert_eq!(start(None, on(5, 1)), Some(on(3, 25)));
        assert_eq!(
            start(Some(on(3, 20)), on(3, 20)),
            Some(on(3, 20)),
            "accepted in time"
        );
        // No acceptance step: period 0, the clock starts on delivery.
        assert_eq!(
            payment_clock_start(on(3, 10), 0, None, on(3, 10)),
            Some(on(3, 10))
        );
    }

    #[test]
    fn r_pay_02_late_acceptance_does_not_delay_the_clock() {
        // Period ends 03-25; accepted 04-10, late: the clock still started 03-25.
        let start = payment_clock_start(on(3, 10), 15, Some(on(4, 10)), on(4, 10)).unwrap();
        assert_eq!(start, on(3, 25));
        // Due 03-25 + 30: Mar 25 + 6 = Mar 31, + 30 = Apr 24.
        assert_eq!(PaymentTerm::default().due_date(start), on(4, 24));
    }

    #[test]
    fn r_pay_04_the_undisputed_part_is_due_on_time() {
        // Milestone 100,000.00, 70,000.00 accepted: 70,000.00 due 04-24, 30,000.00 disputed.
        let split = split_acceptance(m("100000"), m("70000"), on(4, 24)).unwrap();
        assert_eq!(
            split,
            AcceptanceSplit {
                undisputed: m("70000"),
                due_date: on(4, 24),
                disputed: m("30000"),
            }
        );
        // The undisputed part bears interest from 04-25: 70,000.00 × 1 day × 0.0005 = 35.00.
        let interest = late_interest(
            split.undisputed,
            split.due_date,
            &[],
            LateInterestTerms::Statutory,
            on(4, 25),
        );
        assert_eq!(interest.unwrap(), m("35.00"));
        assert_eq!(
            split_acceptance(m("100000"), m("100000"), on(4, 24))
                .unwrap()
                .disputed,
            Money::ZERO
        );
        let err = split_acceptance(m("100000"), m("100000.01"), on(4, 24)).unwrap_err();
        assert!(err.en.contains("¥100,000.01") && err.en.contains("¥100,000.00"));
    }

    #[test]
    fn r_pay_05_payment_on_the_due_date_is_not_late() {
        let due = on(3, 31);
        let i = late_interest(
            m("12345.67"),
            due,
            &[paid(3, 31, "12345.67")],
            LateInterestTerms::Statutory,
            on(6, 30),
        );
        assert_eq!(i.unwrap(), Money::ZERO);
        // As of the due date itself, unpaid: nothing accrued yet.
        let i = late_interest(m("12345.67"), due, &[], LateInterestTerms::Statutory, due);
        assert_eq!(i.unwrap(), Money::ZERO);
    }

    #[test]
    fn r_pay_05_one_day_late_bears_one_day_of_interest() {
        let due = on(3, 31);
        // 12,345.67 × 1 day × 0.0005 = 6.172835 → 6.17.
        let i = late_interest(
            m("12345.67"),
            due,
            &[paid(4, 1, "12345.67")],
            LateInterestTerms::Statutory,
            on(6, 30),
        );
        assert_eq!(i.unwrap(), m("6.17"));
        // Unpaid, as of the day after the due date: the same 6.17.
        let i = late_interest(
            m("12345.67"),
            due,
            &[],
            LateInterestTerms::Statutory,
            on(4, 1),
        );
        assert_eq!(i.unwrap(), m("6.17"));
    }

    #[test]
    fn r_pay_05_partial_payments_bear_interest_on_the_declining_balance() {
        // 100,000.00 due 2026-03-31, statutory 0.0005 a day. Payments (given out of order):
        //   03-25 20,000.00: before the due date, no interest; balance 80,000.00
        //   04-05 10,000.00: Apr 1–5, 5 days;                    balance 70,000.00
        //   04-10 30,000.00: Apr 1–10, 10 days;                  balance 40,000.00
        let payments = [
            paid(4, 10, "30000"),
            paid(3, 25, "20000"),
            paid(4, 5, "10000"),
        ];
        let due = on(3, 31);
        let at = |as_of| {
            late_interest(
                m("100000"),
                due,
                &payments,
                LateInterestTerms::Statutory,
                as_of,
            )
        };
        // As of 04-20 (40,000.00 unpaid for 20 days, Apr 1–20):
        //   yuan-days = 20,000×0 + 10,000×5 + 30,000×10 + 40,000×20
        //             = 0 + 50,000 + 300,000 + 800,000 = 1,150,000
        //   × 0.0005 = 575.00.
        // Day by day: Apr 1–5 80,000×0.0005 = 40 ×5 = 200; Apr 6–10 35 ×5 = 175;
        //   Apr 11–20 20 ×10 = 200; 200 + 175 + 200 = 575.00.
        assert_eq!(at(on(4, 20)).unwrap(), m("575.00"));
        // As of 04-07 the 04-10 payment is not yet made:
        //   10,000×5 + 70,000×7 = 50,000 + 490,000 = 540,000 × 0.0005 = 270.00.
        assert_eq!(at(on(4, 7)).unwrap(), m("270.00"));
        // As of 03-31 nothing is late.
        assert_eq!(at(on(3, 31)).unwrap(), Money::ZERO);
    }

    #[test]
    fn r_pay_05_agreed_annual_rate_of_6_percent_over_10_days() {
        // 100,000.00 due 2026-06-30, unpaid as of 07-10: 10 days (Jul 1–10).
        let due = on(6, 30);
        // 100,000 × 10 × 6 / 36,500 = 6,000,000 / 36,500 = 164.383561… → 164.38.
        let i = late_interest(m("100000"), due, &[], agreed("6"), on(7, 10));
        assert_eq!(i.unwrap(), m("164.38"));
        // Statutory on the same: 100,000 × 10 × 0.0005 = 500.00.
        let i = late_interest(
            m("100000"),
            due,
            &[],
            LateInterestTerms::Statutory,
            on(7, 10),
        );
        assert_eq!(i.unwrap(), m("500.00"));
        // 36.5% a year is exactly 0.1% a day: 1,000.00 × 3 days × 0.001 = 3.00.
        let i = late_interest(m("1000"), due, &[], agreed("36.5"), on(7, 3));
        assert_eq!(i.unwrap(), m("3.00"));
    }

    #[test]
    fn r_pay_05_rounds_once_half_away_from_zero() {
        let due = on(3, 31);
        let stat = |amount, as_of| {
            late_interest(m(amount), due, &[], LateInterestTerms::Statutory, as_of).unwrap()
        };
        // 10.00 × 1 × 0.0005 = 0.005, half a fen → 0.01.
        assert_eq!(stat("10", on(4, 1)), m("0.01"));
        // 9.00 × 1 × 0.0005 = 0.0045 → 0.00.
        assert_eq!(stat("9", on(4, 1)), Money::ZERO);
        // 10.00 × 3 × 0.0005 = 0.015 → 0.02 (rounding each day would give 3 × 0.01 = 0.03).
        assert_eq!(stat("10", on(4, 3)), m("0.02"));
        // Agreed 3.65%: 10.00 × 5 days × 3.65 / 36,500 = 182.5 / 36,500 = 0.005 → 0.01.
        let i = late_interest(m("10"), due, &[], agreed("3.65"), on(4, 5)).unwrap();
        assert_eq!(i, m("0.01"));
    }

    #[test]
    fn r_pay_05_the_agreed_rate_may_not_be_below_the_lpr_at_signing() {
        let lpr = d("3.0");
        let err = LateInterestTerms::agreed(d("2.99"), lpr).unwrap_err();
        assert!(err.en.contains("R-PAY-05") && err.en.contains("2.99%") && err.en.contains("3%"));
        assert!(err.zh.contains("R-PAY-05") && err.zh.contains("LPR"));
        assert_eq!(LateInterestTerms::agreed(d("3.00"), lpr), Ok(agreed("3")));
        assert_eq!(LateInterestTerms::parse("6%", lpr), Ok(agreed("6")));
        assert_eq!(
            LateInterestTerms::parse("  ", lpr),
            Ok(LateInterestTerms::Statutory)
        );
        assert!(LateInterestTerms::parse("2.5", lpr)
            .unwrap_err()
            .en
            .contains("R-PAY-05"));
        for bad in ["abc", "-4", "4.12345", "1e1", "0", "101"] {
            assert!(LateInterestTerms::parse(bad, lpr).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn r_pay_05_payments_above_the_outstanding_amount_or_in_the_future_are_refused() {
        let today = on(4, 10);
        assert_eq!(check_payment(m("1000"), m("1000"), today, today), Ok(()));
        let e = check_payment(m("1000.01"), m("1000"), today, today).unwrap_err();
        assert_eq!(fields(&e), ["amount"]);
        assert!(e[0].message.en.contains("¥1,000.01") && e[0].message.en.contains("¥1,000.00"));
        let e = check_payment(m("10"), m("1000"), on(4, 11), today).unwrap_err();
        assert_eq!(fields(&e), ["paid_on"]);
        assert!(e[0].message.en.contains("2026-04-11"));
        let e = check_payment(Money::ZERO, m("1000"), on(4, 11), today).unwrap_err();
        assert_eq!(fields(&e), ["amount", "paid_on"]);
    }

    #[test]
    fn r_pay_05_payable_status_for_the_views() {
        // 1,000.00 due 2026-03-31.
        let status =
            |payments: &[Payment], today| payable_status(m("1000"), on(3, 31), payments, today);
        assert_eq!(
            status(&[], on(3, 21)),
            PayableStatus::NotYetDue { days_left: 10 }
        );
        assert_eq!(status(&[], on(3, 31)), PayableStatus::DueToday);
        assert_eq!(
            status(&[], on(4, 3)),
            PayableStatus::Overdue { days_overdue: 3 }
        );
        assert_eq!(
            status(&[paid(3, 31, "1000")], on(4, 10)),
            PayableStatus::PaidOnTime
        );
        // 400 on 03-30, the rest on 04-02: paid in full 2 days late.
        let two = [paid(4, 2, "600"), paid(3, 30, "400")];
        assert_eq!(
            status(&two, on(4, 10)),
            PayableStatus::PaidLate { days_late: 2 }
        );
        // Part-paid and past due: overdue. A payment dated after today is not counted.
        assert_eq!(
            status(&two[1..], on(4, 3)),
            PayableStatus::Overdue { days_overdue: 3 }
        );
        assert_eq!(
            status(&[paid(4, 5, "1000")], on(4, 3)),
            PayableStatus::Overdue { days_overdue: 3 }
        );
        assert!(PayableStatus::PaidLate { days_late: 2 }
            .label()
            .en
            .contains('2'));
    }

    #[test]
    fn r_pay_03_prohibited_rejection_reasons_are_refused() {
        for code in ["leadership_change", "internal_procedures", "awaiting_audit"] {
            let err = RejectionReason::parse(code).unwrap_err();
            assert!(
                err.en.contains("R-PAY-03") && err.zh.contains("R-PAY-03"),
                "{code}"
            );
        }
        let err = RejectionReason::parse("budget_exhausted").unwrap_err();
        assert!(!err.en.contains("R-PAY-03") && err.en.contains("defects found"));
        assert_eq!(
            RejectionReason::parse(" defects "),
            Ok(RejectionReason::Defects)
        );
        for r in RejectionReason::ALL {
            assert_eq!(RejectionReason::parse(r.code()), Ok(r));
        }
    }

    #[test]
    fn r_pay_03_a_rejection_needs_an_allowed_reason_and_a_written_explanation() {
        let ok = check_rejection("non_conforming", " 第 3 项参数与合同不符。 ").unwrap();
        assert_eq!(ok.reason, RejectionReason::NonConforming);
        assert_eq!(ok.explanation, "第 3 项参数与合同不符。");
        let e = check_rejection("internal_procedures", "  ").unwrap_err();
        assert_eq!(fields(&e), ["reason", "explanation"]);
        let long = "字".repeat(MAX_EXPLANATION_CHARS + 1);
        assert_eq!(
            fields(&check_rejection("defects", &long).unwrap_err()),
            ["explanation"]
        );
    }

    #[test]
    fn r_pay_06_receivable_confirmation_is_due_within_30_days() {
        // Requested 2026-01-31: due Jan 31 + 30 = Mar 2 (Feb 2026 has 28 days).
        let req = on(1, 31);
        assert_eq!(receivable_confirmation_due(req), on(3, 2));
        assert!(
            !receivable_confirmation_overdue(req, None, on(3, 2)),
            "last day"
        );
        assert!(receivable_confirmation_overdue(req, None, on(3, 3)));
        assert!(!receivable_confirmation_overdue(
            req,
            Some(on(3, 1)),
            on(3, 10)
        ));
        // Confirmed late on 03-05: overdue on 03-04, no longer once confirmed.
        assert!(receivable_confirmation_overdue(
            req,
            Some(on(3, 5)),
            on(3, 4)
        ));
        assert!(!receivable_confirmation_overdue(
            req,
            Some(on(3, 5)),
            on(3, 6)
        ));
    }

    fn record(
        amount: &str,
        start: (u32, u32),
        due: (u32, u32),
        paid: Option<(u32, u32)>,
        interest: &str,
    ) -> PayableRecord {
        PayableRecord {
            amount: m(amount),
            clock_start: on(start.0, start.1),
            due_date: on(due.0, due.1),
            paid_on: paid.map(|(mo, dd)| on(mo, dd)),
            interest_paid: m(interest),
        }
    }

    /// Today 2026-04-20.
    /// A: start 03-01, due 03-31, paid 03-20: on time, 19 days.
    /// B: start 03-01, due 03-31, paid 04-05: 5 days late, 35 days (30 in March + 5); interest
    ///    20,000 × 5 × 0.0005 = 50.00.
    /// C: start 03-10, due 04-09, paid 03-15: on time, 5 days.
    /// D: 7,500.50 due 04-14, unpaid: overdue.
    /// E: due 05-10, unpaid: not yet due.
    /// F: start 04-01, due 05-01, paid 04-13: on time, 12 days.
    /// G: 2,000.00 due 03-31, "paid" 04-25, after today: unpaid and overdue as of today.
    fn slice() -> [PayableRecord; 7] {
        [
            record("10000", (3, 1), (3, 31), Some((3, 20)), "0"),
            record("20000", (3, 1), (3, 31), Some((4, 5)), "50"),
            record("5000", (3, 10), (4, 9), Some((3, 15)), "0"),
            record("7500.50", (3, 15), (4, 14), None, "0"),
            record("3000", (4, 10), (5, 10), None, "0"),
            record("1000", (4, 1), (5, 1), Some((4, 13)), "0"),
            record("2000", (3, 1), (3, 31), Some((4, 25)), "0"),
        ]
    }

    #[test]
    fn r_pay_07_statistics_of_an_empty_slice() {
        let s = timeliness_stats(&[], on(4, 20));
        assert_eq!(
            s,
            TimelinessStats {
                payables: 0,
                paid: 0,
                paid_on_time: 0,
                paid_late: 0,
                on_time_rate: None,
                median_days_to_pay: None,
                overdue_count: 0,
                overdue_value: Decimal::ZERO,
                interest_paid: Decimal::ZERO,
            }
        );
    }

    #[test]
    fn r_pay_07_statistics_with_an_odd_count_of_paid_payables() {
        let all = slice();
        // A, B, C, E: paid A, B, C (days 19, 35, 5 → sorted 5, 19, 35: median 19);
        // on time A, C; nothing overdue; rate 2 / 3 = 0.66666… → 0.6667.
        let s = timeliness_stats(&[all[0], all[1], all[2], all[4]], on(4, 20));
        assert_eq!(
            (s.payables, s.paid, s.paid_on_time, s.paid_late),
            (4, 3, 2, 1)
        );
        assert_eq!(s.on_time_rate, Some(d("0.6667")));
        assert_eq!(s.median_days_to_pay, Some(d("19")));
        assert_eq!((s.overdue_count, s.overdue_value), (0, Decimal::ZERO));
        assert_eq!(s.interest_paid, d("50"));
    }

    #[test]
    fn r_pay_07_statistics_with_an_even_count_of_paid_payables() {
        // All seven: paid A, B, C, F (days 19, 35, 5, 12 → 5, 12, 19, 35: median (12 + 19) / 2
        // = 15.5); on time A, C, F; overdue D, G: 7,500.50 + 2,000.00 = 9,500.50;
        // rate 3 / (4 paid + 2 overdue) = 0.5.
        let s = timeliness_stats(&slice(), on(4, 20));
        assert_eq!(
            (s.payables, s.paid, s.paid_on_time, s.paid_late),
            (7, 4, 3, 1)
        );
        assert_eq!(s.on_time_rate, Some(d("0.5")));
        assert_eq!(s.median_days_to_pay, Some(d("15.5")));
        assert_eq!((s.overdue_count, s.overdue_value), (2, d("9500.50")));
        assert_eq!(s.interest_paid, d("50.00"));
    }

    #[test]
    fn milestones_must_sum_exactly_to_the_contract_value() {
        // Basis of R-PAY-04/R-PAY-05: each milestone is a payable.
        let ms = |amounts: [&str; 3]| {
            amounts
                .iter()
                .enumerate()
                .map(|(i, a)| MilestonePlan {
                    deliverable: format!("第 {} 批设备", i + 1),
                    amount: m(a),
                    planned_date: on(5, 1 + i as u32),
                    advance_payment: i == 0,
                })
                .collect::<Vec<_>>()
        };
        let value = m("100000");
        assert_eq!(
            check_milestones(value, &ms(["30000", "50000", "20000"])),
            Ok(())
        );
        // 30,000.00 + 50,000.00 + 19,999.99 = 99,999.99: 0.01 short.
        let e = check_milestones(value, &ms(["30000", "50000", "19999.99"])).unwrap_err();
        assert_eq!(fields(&e), ["milestones"]);
        let en = &e[0].message.en;
        assert!(
            en.contains("¥99,999.99") && en.contains("¥100,000.00") && en.contains("-¥0.01"),
            "{en}"
        );
        // 100,000.01: 0.01 over.
        let e = check_milestones(value, &ms(["30000", "50000", "20000.01"])).unwrap_err();
        assert!(e[0].message.zh.contains("¥0.01"));
    }

    #[test]
    fn milestones_report_each_problem_on_its_field() {
        let mut plan = vec![
            MilestonePlan {
                deliverable: "预付款".into(),
                amount: m("100000"),
                planned_date: on(5, 1),
                advance_payment: true,
            };
            3
        ];
        plan[1].deliverable = "   ".into();
        plan[2].amount = Money::ZERO;
        // 100,000.00 + 100,000.00 + 0.00 = 200,000.00, not 300,000.00.
        let e = check_milestones(m("300000"), &plan).unwrap_err();
        assert_eq!(
            fields(&e),
            [
                "milestones[1].deliverable",
                "milestones[2].amount",
                "milestones"
            ]
        );
        assert_eq!(
            fields(&check_milestones(m("1"), &[]).unwrap_err()),
            ["milestones"]
        );
    }

    #[test]
    fn r_sec_01_performance_security_at_most_10_percent_of_the_contract_value() {
        let p = &Policy::CHINA;
        // 10% of 1,000,000.00 = 100,000.00.
        assert_eq!(
            check_performance_security(p, m("1000000"), m("100000")),
            Ok(())
        );
        let err = check_performance_security(p, m("1000000"), m("100000.01")).unwrap_err();
        assert!(
            err.en.contains("R-SEC-01") && err.en.contains("10%") && err.en.contains("¥100,000.00")
        );
        // 10% of 100.05 = 10.005: 10.00 allowed, 10.01 not; the cap shown is 10.00.
        assert_eq!(check_performance_security(p, m("100.05"), m("10")), Ok(()));
        let err = check_performance_security(p, m("100.05"), m("10.01")).unwrap_err();
        assert!(err.zh.contains("最多 ¥10.00"), "{}", err.zh);
    }

    #[test]
    fn r_pay_08_only_the_allowed_deposit_kinds_never_cash_only() {
        for k in DepositKind::ALL {
            assert_eq!(DepositKind::parse(k.code()), Ok(k));
        }
        assert_eq!(
            DepositKind::parse(" migrant_wage "),
            Ok(DepositKind::MigrantWageDeposit)
        );
        for bad in ["credit_deposit", "tender_fee", ""] {
            assert!(
                DepositKind::parse(bad).unwrap_err().en.contains("R-PAY-08"),
                "{bad:?}"
            );
        }
        let err = check_security_forms(&[SecurityForm::Cash]).unwrap_err();
        assert!(err.en.contains("R-PAY-08") && err.zh.contains("R-PAY-08"));
        assert!(check_security_forms(&[]).is_err());
        assert_eq!(
            check_security_forms(&[SecurityForm::Cash, SecurityForm::BankGuarantee]),
            Ok(())
        );
        assert_eq!(
            SecurityForm::parse("bank_guarantee"),
            Ok(SecurityForm::BankGuarantee)
        );
        assert!(SecurityForm::parse("gold").is_err());
    }

    #[test]
    fn r_award_01_signing_and_publication_deadlines() {
        // Awarded 2026-09-10: sign by 09-10 + 30 = 10-10 (Sep has 30 days: +20 = Sep 30, +30 = Oct 10).
        assert_eq!(signing_deadline(on(9, 10)), on(10, 10));
        // Signed Thu 2026-09-24; Fri 25 – Sun 27 are holidays: 1st working day Mon 28, 2nd Tue 29.
        assert_eq!(
            publication_deadline(&calendar_2026(), on(9, 24)),
            Ok(on(9, 29))
        );
    }
}
