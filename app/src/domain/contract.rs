//! The terms of a contract as the procurement officer signs it (issue #6), checked in full
//! against the awarded value, every problem at once on the field it concerns: the payment term
//! (R-PAY-01), the acceptance period (R-PAY-02), the agreed late-interest rate against the LPR
//! (R-PAY-05), the performance security and its forms (R-SEC-01, R-PAY-08), the milestones
//! summing to the value, and no payment term the decree forbids in the free text (R-PAY-09,
//! R-PAY-03: the other terms and each deliverable; issue #33). Also the dates a signed contract runs on: the end of a delivery's
//! acceptance period and the stage a payment reminder has reached.

use chrono::{Days, NaiveDate};

use crate::domain::payment::{
    check_milestones, check_performance_security, check_security_forms, LateInterestTerms,
    MilestonePlan, PayableStatus, PaymentTerm, SecurityForm,
};
use crate::domain::policy::Policy;
use crate::domain::{Money, Percent};
use crate::error::FieldError;
use crate::i18n::Text;

/// The acceptance period when the form leaves it empty, and the longest allowed (days).
pub const DEFAULT_ACCEPTANCE_DAYS: u32 = 10;
pub const MAX_ACCEPTANCE_DAYS: u32 = 60;

/// The contract form's fields as typed, before any check.
#[derive(Clone, Copy, Debug, Default)]
pub struct ContractTerms<'a> {
    /// Days; empty for the default 30 (R-PAY-01).
    pub payment_term: &'a str,
    /// Days the agency has to accept a delivery; empty for [`DEFAULT_ACCEPTANCE_DAYS`] (R-PAY-02).
    pub acceptance_days: &'a str,
    /// The agreed annual late-payment rate (%), empty for the statutory rate (R-PAY-05).
    pub interest_rate: &'a str,
    /// The performance security (CNY), empty for none (R-SEC-01).
    pub performance_security: &'a str,
    /// `SecurityForm` codes (R-PAY-08).
    pub security_forms: &'a [String],
    /// The form's milestone rows, blank rows included (they keep the rows' field names).
    pub milestones: &'a [MilestoneRow<'a>],
    /// Other terms agreed (其他约定), free text; empty for none (R-PAY-09, R-PAY-03).
    pub other_terms: &'a str,
}

/// The longest "other terms" text (characters).
pub const MAX_OTHER_TERMS: usize = 4000;

/// One milestone row of the contract form, as typed.
#[derive(Clone, Copy, Debug, Default)]
pub struct MilestoneRow<'a> {
    pub deliverable: &'a str,
    pub amount: &'a str,
    /// `YYYY-MM-DD`.
    pub planned_date: &'a str,
    pub advance: bool,
}

impl MilestoneRow<'_> {
    fn is_blank(&self) -> bool {
        self.deliverable.trim().is_empty()
            && self.amount.trim().is_empty()
            && self.planned_date.trim().is_empty()
    }
}

/// The contract's terms, checked in full against its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedContract {
    pub term: PaymentTerm,
    pub acceptance_days: u32,
    pub interest: LateInterestTerms,
    pub security: Option<Money>,
    pub security_forms: Vec<SecurityForm>,
    pub milestones: Vec<MilestonePlan>,
    /// The other terms, trimmed; `None` when empty.
    pub other_terms: Option<String>,
}

/// Checks the contract form against the contract `value` and the 1-year LPR on the day of
/// signing (`lpr`), and reports every problem at once, on the field it concerns.
pub fn check_contract(
    terms: &ContractTerms<'_>,
    value: Money,
    lpr: Percent,
) -> Result<CheckedContract, Vec<FieldError>> {
    let mut errors = Vec::new();
    let term = payment_term(terms.payment_term)
        .map_err(|e| errors.push(FieldError::new("payment_term", e)))
        .ok();
    let acceptance_days = acceptance_days(terms.acceptance_days)
        .map_err(|e| errors.push(FieldError::new("acceptance_days", e)))
        .ok();
    // R-PAY-05: an agreed rate may not be below the LPR at signing.
    let interest = LateInterestTerms::parse(terms.interest_rate, lpr.value())
        .map_err(|e| errors.push(FieldError::new("interest_rate", e)))
        .ok();
    let security = performance_security(terms.performance_security, value, &mut errors);
    let security_forms = security_forms(terms, &mut errors);
    let milestones = milestones(terms.milestones, value, &mut errors);
    let other_terms = crate::domain::text_field(
        terms.other_terms,
        "other_terms",
        MAX_OTHER_TERMS,
        false,
        &mut errors,
    );
    // R-PAY-09, R-PAY-03: the free text may not make payment wait on what the decree forbids.
    errors.extend(crate::domain::payment_terms::field_errors(
        "other_terms",
        terms.other_terms,
    ));
    for (i, m) in terms.milestones.iter().enumerate() {
        errors.extend(crate::domain::payment_terms::field_errors(
            &format!("milestones[{i}].deliverable"),
            m.deliverable,
        ));
    }
    match (term, acceptance_days, interest, security, milestones) {
        (Some(term), Some(acceptance_days), Some(interest), Some(security), Some(milestones))
            if errors.is_empty() =>
        {
            Ok(CheckedContract {
                term,
                acceptance_days,
                interest,
                security,
                security_forms,
                milestones,
                other_terms,
            })
        }
        _ => Err(errors),
    }
}

/// R-PAY-01: the payment term, 30 days when empty, never more than 60.
fn payment_term(input: &str) -> Result<PaymentTerm, Text> {
    if input.trim().is_empty() {
        Ok(PaymentTerm::default())
    } else {
        PaymentTerm::parse(input).map_err(|e| e.text())
    }
}

/// R-PAY-02: the acceptance period in days, from 1 to [`MAX_ACCEPTANCE_DAYS`];
/// [`DEFAULT_ACCEPTANCE_DAYS`] when empty.
pub fn acceptance_days(input: &str) -> Result<u32, Text> {
    match input.trim() {
        "" => Ok(DEFAULT_ACCEPTANCE_DAYS),
        s => match s.parse::<u32>() {
            Ok(n) if (1..=MAX_ACCEPTANCE_DAYS).contains(&n) => Ok(n),
            _ => Err(Text::new(
                format!("验收期请填写 1 到 {MAX_ACCEPTANCE_DAYS} 之间的天数（R-PAY-02）。"),
                format!(
                    "Enter the acceptance period as a number of days from 1 to {MAX_ACCEPTANCE_DAYS} (R-PAY-02)."
                ),
            )),
        },
    }
}

/// R-SEC-01: the performance security, at most 10% of the contract value; `Some(None)` when
/// there is none, `None` when refused (the message is in `errors`).
fn performance_security(
    input: &str,
    value: Money,
    errors: &mut Vec<FieldError>,
) -> Option<Option<Money>> {
    let refuse = |errors: &mut Vec<FieldError>, message| {
        errors.push(FieldError::new("performance_security", message));
        None
    };
    match input.trim() {
        "" => Some(None),
        s => match Money::parse(s) {
            Ok(m) => match check_performance_security(&Policy::CHINA, value, m) {
                Ok(()) => Some(Some(m)),
                Err(e) => refuse(errors, e),
            },
            Err(e) => refuse(errors, e.text()),
        },
    }
}

/// R-PAY-08: a performance security names the forms it may take, never cash only.
fn security_forms(terms: &ContractTerms<'_>, errors: &mut Vec<FieldError>) -> Vec<SecurityForm> {
    let mut security_forms = Vec::new();
    if !terms.performance_security.trim().is_empty() {
        let mut unknown = None;
        for code in terms.security_forms.iter().filter(|c| !c.trim().is_empty()) {
            match SecurityForm::parse(code) {
                Ok(f) if !security_forms.contains(&f) => security_forms.push(f),
                Ok(_) => {}
                Err(e) => unknown = Some(e),
            }
        }
        if let Some(e) = unknown.or_else(|| check_security_forms(&security_forms).err()) {
            errors.push(FieldError::new("security_forms", e));
        }
    }
    security_forms
}

/// The payment plan: each non-blank row parsed, then (when every row parsed) the plan checked
/// against the value, its messages on the form's rows (blank rows included).
fn milestones(
    rows: &[MilestoneRow<'_>],
    value: Money,
    errors: &mut Vec<FieldError>,
) -> Option<Vec<MilestonePlan>> {
    let parsed = milestone_rows(rows, errors)?;
    let plans: Vec<MilestonePlan> = parsed.iter().map(|(_, m)| m.clone()).collect();
    if let Err(found) = check_milestones(value, &plans) {
        // Field names follow the form's rows, blank rows included.
        for e in found {
            let field = match e.field.strip_prefix("milestones[") {
                Some(rest) => {
                    let (n, tail) = rest.split_once(']').unwrap_or(("0", ""));
                    let row = n
                        .parse::<usize>()
                        .ok()
                        .and_then(|k| parsed.get(k))
                        .map_or(0, |(i, _)| *i);
                    format!("milestones[{row}]{tail}")
                }
                None => e.field.clone(),
            };
            errors.push(FieldError::new(field, e.message));
        }
    }
    Some(plans)
}

/// The non-blank rows, each with its row number in the form; `None` when a row's amount or
/// date does not parse (the messages are in `errors`).
fn milestone_rows(
    rows: &[MilestoneRow<'_>],
    errors: &mut Vec<FieldError>,
) -> Option<Vec<(usize, MilestonePlan)>> {
    let mut milestones = Vec::new();
    let mut rows_ok = true;
    for (i, m) in rows.iter().enumerate().filter(|(_, m)| !m.is_blank()) {
        let amount = Money::parse(m.amount)
            .map_err(|e| errors.push(FieldError::new(format!("milestones[{i}].amount"), e.text())))
            .ok();
        let planned = NaiveDate::parse_from_str(m.planned_date.trim(), "%Y-%m-%d")
            .map_err(|_| {
                errors.push(FieldError::new(
                    format!("milestones[{i}].planned_date"),
                    Text::new(
                        "请填写计划日期，例如 2027-03-31。",
                        "Enter the planned date, e.g. 2027-03-31.",
                    ),
                ))
            })
            .ok();
        match (amount, planned) {
            (Some(amount), Some(planned_date)) => milestones.push((
                i,
                MilestonePlan {
                    deliverable: m.deliverable.to_string(),
                    amount,
                    planned_date,
                    advance_payment: m.advance,
                },
            )),
            _ => rows_ok = false,
        }
    }
    rows_ok.then_some(milestones)
}

/// R-PAY-02: the last day of the acceptance period of a delivery made on `delivered_on` (China
/// day), `acceptance_days` later (a negative stored period counts as 0).
pub fn acceptance_end(delivered_on: NaiveDate, acceptance_days: i32) -> NaiveDate {
    delivered_on
        .checked_add_days(Days::new(acceptance_days.max(0) as u64))
        .unwrap_or(NaiveDate::MAX)
}

/// R-PAY-02, R-PAY-03: whether the agency may still decide on a delivery (accept in time or
/// reject) on `today`. The one rule for both the rejection and the payment clock: the period's
/// last day (`acceptance_end`, shown as "accept by") is still inside it; the clock starts on
/// that day only when it has passed without a decision, so a rejection on the last day is in
/// time and the due date is the same either way.
pub fn acceptance_open(delivered_on: NaiveDate, acceptance_days: i32, today: NaiveDate) -> bool {
    acceptance_days > 0 && today <= acceptance_end(delivered_on, acceptance_days)
}

/// The payment reminder a payable has reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderStage {
    /// Due within 7 days.
    DueWithin7Days,
    /// Due tomorrow, or today.
    DueTomorrow,
    /// Overdue: late interest accrues (R-PAY-05).
    Overdue,
}

impl ReminderStage {
    /// The stage's code, in notification kinds (`payment.due7`) and dedupe keys.
    pub fn code(self) -> &'static str {
        match self {
            ReminderStage::DueWithin7Days => "due7",
            ReminderStage::DueTomorrow => "due1",
            ReminderStage::Overdue => "overdue",
        }
    }
}

/// Which reminder a payable has reached on `today`: due within 7 days, due tomorrow (or today),
/// or overdue. Paid payables and those due later have none, nor those whose payment clock has
/// not started (`None`).
pub fn reminder_stage(status: Option<PayableStatus>) -> Option<ReminderStage> {
    match status? {
        PayableStatus::Overdue { .. } => Some(ReminderStage::Overdue),
        PayableStatus::DueToday | PayableStatus::NotYetDue { days_left: 1 } => {
            Some(ReminderStage::DueTomorrow)
        }
        PayableStatus::NotYetDue { days_left } if days_left <= 7 => {
            Some(ReminderStage::DueWithin7Days)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    const LPR: i32 = 310; // 3.1 %

    fn value() -> Money {
        Money::parse("100000").unwrap()
    }

    fn row<'a>(deliverable: &'a str, amount: &'a str, date: &'a str) -> MilestoneRow<'a> {
        MilestoneRow {
            deliverable,
            amount,
            planned_date: date,
            advance: false,
        }
    }

    const ONE_ROW: [MilestoneRow<'static>; 1] = [MilestoneRow {
        deliverable: "全部交付",
        amount: "100000",
        planned_date: "2027-03-31",
        advance: false,
    }];

    fn terms() -> ContractTerms<'static> {
        ContractTerms {
            milestones: &ONE_ROW,
            ..ContractTerms::default()
        }
    }

    fn check(t: &ContractTerms<'_>) -> Result<CheckedContract, Vec<FieldError>> {
        check_contract(t, value(), Percent::from_bp(LPR))
    }

    fn fields(t: &ContractTerms<'_>) -> Vec<String> {
        check(t).unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn an_empty_form_with_one_milestone_takes_the_defaults() {
        let c = check(&terms()).unwrap();
        assert_eq!(c.term, PaymentTerm::default());
        assert_eq!(c.acceptance_days, DEFAULT_ACCEPTANCE_DAYS);
        assert_eq!(c.interest, LateInterestTerms::Statutory);
        assert_eq!(c.security, None);
        assert!(c.security_forms.is_empty());
        assert_eq!(c.milestones.len(), 1);
        assert_eq!(c.milestones[0].amount, value());
    }

    #[test]
    fn r_pay_01_payment_term_at_most_60_days() {
        let ok = ContractTerms {
            payment_term: "60",
            ..terms()
        };
        assert_eq!(check(&ok).unwrap().term.days(), 60);
        let long = ContractTerms {
            payment_term: "61",
            ..terms()
        };
        assert_eq!(fields(&long), ["payment_term"]);
    }

    #[test]
    fn r_pay_02_acceptance_period_from_1_to_60_days() {
        assert_eq!(acceptance_days(""), Ok(DEFAULT_ACCEPTANCE_DAYS));
        assert_eq!(acceptance_days(" 1 "), Ok(1));
        assert_eq!(acceptance_days("60"), Ok(MAX_ACCEPTANCE_DAYS));
        for wrong in ["0", "61", "-1", "ten"] {
            let e = acceptance_days(wrong).unwrap_err();
            assert!(e.en.contains("(R-PAY-02)"), "{wrong}: {}", e.en);
        }
        let t = ContractTerms {
            acceptance_days: "61",
            ..terms()
        };
        assert_eq!(fields(&t), ["acceptance_days"]);
    }

    #[test]
    fn r_pay_02_acceptance_period_ends_days_after_delivery() {
        let d = NaiveDate::from_ymd_opt(2027, 2, 25).unwrap();
        assert_eq!(
            acceptance_end(d, 10),
            NaiveDate::from_ymd_opt(2027, 3, 7).unwrap()
        );
        assert_eq!(acceptance_end(d, 0), d);
        assert_eq!(acceptance_end(d, -5), d, "a negative period counts as none");
        assert_eq!(acceptance_end(NaiveDate::MAX, 1), NaiveDate::MAX);
        // R-PAY-02, R-PAY-03: the last day is inside the period, the next is not.
        let last = NaiveDate::from_ymd_opt(2026, 12, 27).unwrap();
        assert!(acceptance_open(d, 10, d));
        assert!(acceptance_open(
            NaiveDate::from_ymd_opt(2026, 12, 17).unwrap(),
            10,
            last
        ));
        assert!(!acceptance_open(
            NaiveDate::from_ymd_opt(2026, 12, 17).unwrap(),
            10,
            last.succ_opt().unwrap()
        ));
        assert!(
            !acceptance_open(d, 0, d),
            "no acceptance step: nothing to decide"
        );
    }

    #[test]
    fn r_pay_05_agreed_interest_not_below_the_lpr_at_signing() {
        let at_lpr = ContractTerms {
            interest_rate: "3.1",
            ..terms()
        };
        assert_eq!(
            check(&at_lpr).unwrap().interest,
            LateInterestTerms::Agreed {
                annual_pct: Decimal::new(31, 1)
            }
        );
        let below = ContractTerms {
            interest_rate: "3.09%",
            ..terms()
        };
        let errors = check(&below).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "interest_rate");
        assert!(errors[0].message.en.contains("(R-PAY-05)"));
    }

    #[test]
    fn r_sec_01_performance_security_at_most_10_percent() {
        let forms = ["bank_guarantee".to_string()];
        let ten = ContractTerms {
            performance_security: "10000",
            security_forms: &forms,
            ..terms()
        };
        let c = check(&ten).unwrap();
        assert_eq!(c.security, Some(Money::parse("10000").unwrap()));
        let more = ContractTerms {
            performance_security: "10000.01",
            ..ten
        };
        let errors = check(&more).unwrap_err();
        assert_eq!(errors[0].field, "performance_security");
        assert!(errors[0].message.en.contains("(R-SEC-01)"));
        let junk = ContractTerms {
            performance_security: "lots",
            ..ten
        };
        assert_eq!(fields(&junk), ["performance_security"]);
    }

    #[test]
    fn r_pay_08_a_security_names_its_forms_never_cash_only() {
        let none: [String; 0] = [];
        let t = ContractTerms {
            performance_security: "5000",
            security_forms: &none,
            ..terms()
        };
        assert_eq!(fields(&t), ["security_forms"]);
        let unknown = ["gold_bars".to_string()];
        let t = ContractTerms {
            security_forms: &unknown,
            ..t
        };
        assert_eq!(fields(&t), ["security_forms"]);
        // Without a security the forms are not read.
        let t = ContractTerms {
            performance_security: "",
            ..t
        };
        assert!(check(&t).unwrap().security_forms.is_empty());
    }

    #[test]
    fn milestones_sum_to_the_value_and_errors_name_the_forms_rows() {
        let rows = [
            row("设计", "40000", "2027-01-31"),
            row("", "", ""),
            row("实施", "50000", "2027-03-31"),
        ];
        let t = ContractTerms {
            milestones: &rows,
            ..terms()
        };
        let errors = check(&t).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "milestones");
        let rows = [
            row("设计", "40000", "2027-01-31"),
            row("", "", ""),
            row("", "60000", "2027-03-31"),
        ];
        let t = ContractTerms {
            milestones: &rows,
            ..terms()
        };
        assert_eq!(
            fields(&t),
            ["milestones[2].deliverable"],
            "row 2 of the form"
        );
        let rows = [row("设计", "四万", "2027-1-31x")];
        let t = ContractTerms {
            milestones: &rows,
            ..terms()
        };
        assert_eq!(
            fields(&t),
            ["milestones[0].amount", "milestones[0].planned_date"],
            "the sum is not checked while a row does not parse"
        );
        let t = ContractTerms {
            milestones: &[],
            ..terms()
        };
        assert_eq!(fields(&t), ["milestones"]);
    }

    #[test]
    fn every_problem_at_once_in_the_forms_order() {
        let rows = [row("设计", "1", "2027-01-31")];
        let t = ContractTerms {
            payment_term: "90",
            acceptance_days: "0",
            interest_rate: "1",
            performance_security: "50000",
            security_forms: &[],
            milestones: &rows,
            other_terms: "",
        };
        assert_eq!(
            fields(&t),
            [
                "payment_term",
                "acceptance_days",
                "interest_rate",
                "performance_security",
                "security_forms",
                "milestones"
            ]
        );
    }

    #[test]
    fn reminders_come_at_7_days_1_day_and_when_overdue() {
        let stage = |s| reminder_stage(Some(s));
        assert_eq!(stage(PayableStatus::NotYetDue { days_left: 8 }), None);
        assert_eq!(
            stage(PayableStatus::NotYetDue { days_left: 7 }),
            Some(ReminderStage::DueWithin7Days)
        );
        assert_eq!(
            stage(PayableStatus::NotYetDue { days_left: 2 }),
            Some(ReminderStage::DueWithin7Days)
        );
        assert_eq!(
            stage(PayableStatus::NotYetDue { days_left: 1 }),
            Some(ReminderStage::DueTomorrow)
        );
        assert_eq!(
            stage(PayableStatus::DueToday),
            Some(ReminderStage::DueTomorrow)
        );
        assert_eq!(
            stage(PayableStatus::Overdue { days_overdue: 1 }),
            Some(ReminderStage::Overdue)
        );
        assert_eq!(stage(PayableStatus::PaidOnTime), None);
        assert_eq!(stage(PayableStatus::PaidLate { days_late: 3 }), None);
        assert_eq!(
            reminder_stage(None),
            None,
            "the payment clock has not started"
        );
        let codes = [
            ReminderStage::DueWithin7Days,
            ReminderStage::DueTomorrow,
            ReminderStage::Overdue,
        ]
        .map(ReminderStage::code);
        assert_eq!(codes, ["due7", "due1", "overdue"]);
    }
}
