//! R-SEC-01 (IR Arts. 33, 48) and R-PAY-08 (PAY Art. 13): a tender's bid security after its
//! amount (the 2% cap is checked at publication, `publication.rs`): the forms it accepts, never
//! cash only; the form each bidder chooses when it bids; and its refund, due 5 working days
//! after the award notice (`deadlines::bid_security_refund_by`), recorded by the agency, late
//! or overdue when it comes after that day, and counted in the agency's public figures.
//!
//! Plain data in, a status or a message out: "today" is always a parameter.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::payment::{figures_as_of, SecurityForm};
use crate::domain::Money;
use crate::i18n::Text;

/// R-SEC-01, R-PAY-08: the forms a tender accepts for its bid security. With a security asked
/// (more than 0), at least one form, and never cash only: R-SEC-01 lets the supplier provide it
/// in a non-cash form (a bank guarantee, guarantee insurance, a surety's guarantee) if it
/// chooses, so a non-cash form must be among those accepted. Without a security the forms do
/// not matter.
pub fn check_accepted_forms(security: Option<Money>, forms: &[SecurityForm]) -> Result<(), Text> {
    if security.is_none_or(|s| s == Money::ZERO) {
        return Ok(());
    }
    if forms.is_empty() {
        return Err(Text::new(
            "请选择投标保证金可用的缴纳形式，须包括银行保函、保证保险等非现金形式（R-SEC-01、R-PAY-08）。",
            "Choose the forms the bid security may take, a non-cash form such as a bank guarantee or guarantee insurance among them (R-SEC-01, R-PAY-08).",
        ));
    }
    if forms.iter().all(|f| *f == SecurityForm::Cash) {
        return Err(Text::new(
            "不得要求仅以现金缴纳投标保证金：供应商可以选择以银行保函、保证保险等非现金形式提交（R-SEC-01、R-PAY-08）。",
            "The bid security may not be demanded in cash only: the supplier may choose a non-cash form such as a bank guarantee or guarantee insurance (R-SEC-01, R-PAY-08).",
        ));
    }
    Ok(())
}

/// The forms a stored list names (comma-separated codes; unknown codes skipped). A tender
/// published before the forms were recorded (`None`) accepts every form: the reading that
/// leaves the choice to the supplier (R-SEC-01).
pub fn accepted_forms_of(stored: Option<&str>) -> Vec<SecurityForm> {
    match stored {
        None => SecurityForm::ALL.to_vec(),
        Some(codes) => codes
            .split(',')
            .filter_map(|code| SecurityForm::parse(code).ok())
            .collect(),
    }
}

/// The stored form of a list of forms (comma-separated codes).
pub fn stored_forms(forms: &[SecurityForm]) -> String {
    forms.iter().map(|f| f.code()).collect::<Vec<_>>().join(",")
}

/// R-SEC-01: the form the bidder chose for its bid security: one of the forms the tender
/// accepts; required when the tender asks for a security.
pub fn check_chosen_form(accepted: &[SecurityForm], chosen: &str) -> Result<SecurityForm, Text> {
    let names = |lang_zh: bool| {
        accepted
            .iter()
            .map(|f| {
                let l = f.label();
                if lang_zh {
                    l.zh
                } else {
                    l.en
                }
            })
            .collect::<Vec<_>>()
    };
    if chosen.trim().is_empty() {
        return Err(Text::new(
            format!(
                "请选择投标保证金的提交形式：{}（R-SEC-01）。",
                names(true).join("、")
            ),
            format!(
                "Choose the form of your bid security: {} (R-SEC-01).",
                names(false).join(", ")
            ),
        ));
    }
    match SecurityForm::parse(chosen) {
        Ok(form) if accepted.contains(&form) => Ok(form),
        _ => Err(Text::new(
            format!(
                "本项目接受的投标保证金形式为：{}（R-SEC-01）。",
                names(true).join("、")
            ),
            format!(
                "This tender accepts the bid security as: {} (R-SEC-01).",
                names(false).join(", ")
            ),
        )),
    }
}

/// Where a bidder's bid security stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Held, and no award notice yet: no refund date.
    AwaitingAward,
    /// Held, not yet past its refund date.
    Due,
    /// Held past its refund date (R-SEC-01).
    Overdue,
    RefundedOnTime,
    /// Refunded (or, for a guarantee, returned) after its refund date (R-SEC-01).
    RefundedLate,
}

impl RefundStatus {
    /// Where a security with refund date `due` (none before the award) and refunded on
    /// `refunded_on` stands at the end of `day`. A refund recorded with a later date counts as
    /// not yet made; one made before any award is on time.
    pub fn on(due: Option<NaiveDate>, refunded_on: Option<NaiveDate>, day: NaiveDate) -> Self {
        match (refunded_on.filter(|r| *r <= day), due) {
            (Some(r), Some(d)) if r > d => RefundStatus::RefundedLate,
            (Some(_), _) => RefundStatus::RefundedOnTime,
            (None, None) => RefundStatus::AwaitingAward,
            (None, Some(d)) if day > d => RefundStatus::Overdue,
            (None, Some(_)) => RefundStatus::Due,
        }
    }

    pub fn refunded(self) -> bool {
        matches!(
            self,
            RefundStatus::RefundedOnTime | RefundStatus::RefundedLate
        )
    }

    /// Flagged to both sides and in the public figures.
    pub fn flagged(self) -> bool {
        matches!(self, RefundStatus::Overdue | RefundStatus::RefundedLate)
    }

    /// What the pages say. A guarantee is returned (released), not refunded.
    pub fn label(self, form: Option<SecurityForm>) -> Text {
        let guarantee = form.is_some_and(|f| f != SecurityForm::Cash);
        match (self, guarantee) {
            (RefundStatus::AwaitingAward, _) => Text::new("待中标结果公告", "awaiting the award"),
            (RefundStatus::Due, false) => Text::new("待退还", "to be refunded"),
            (RefundStatus::Due, true) => Text::new("待退回（解除）", "to be returned (released)"),
            (RefundStatus::Overdue, false) => {
                Text::new("逾期未退还（R-SEC-01）", "refund overdue (R-SEC-01)")
            }
            (RefundStatus::Overdue, true) => {
                Text::new("逾期未退回（R-SEC-01）", "return overdue (R-SEC-01)")
            }
            (RefundStatus::RefundedOnTime, false) => Text::new("已按时退还", "refunded on time"),
            (RefundStatus::RefundedOnTime, true) => {
                Text::new("已按时退回（解除）", "returned (released) on time")
            }
            (RefundStatus::RefundedLate, false) => {
                Text::new("逾期退还（R-SEC-01）", "refunded late (R-SEC-01)")
            }
            (RefundStatus::RefundedLate, true) => {
                Text::new("逾期退回（R-SEC-01）", "returned late (R-SEC-01)")
            }
        }
    }
}

/// R-SEC-01: the day an agency says it refunded (or returned) a security, `YYYY-MM-DD`: not
/// after today (China), and not before the bid deadline's day, before which no security of an
/// opened bid was held.
pub fn check_refund_date(
    input: &str,
    earliest: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, Text> {
    let Ok(day) = NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d") else {
        return Err(Text::new(
            "请填写退还日期，例如 2026-12-24。",
            "Enter the day of the refund, e.g. 2026-12-24.",
        ));
    };
    if day > today {
        return Err(Text::new(
            format!("退还日期不能晚于今天（{today}）。"),
            format!("The refund cannot be dated after today ({today})."),
        ));
    }
    if day < earliest {
        return Err(Text::new(
            format!("退还日期不能早于投标截止日（{earliest}）。"),
            format!("The refund cannot be dated before the bid deadline ({earliest})."),
        ));
    }
    Ok(day)
}

/// One bidder's security as the public figures count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefundRecord {
    /// 5 working days after the award notice; `None` before any award.
    pub due: Option<NaiveDate>,
    pub refunded_on: Option<NaiveDate>,
}

/// R-SEC-01: an agency's bid-security refunds in the public figures (/payments, its CSV, the
/// open-data statistics).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefundStats {
    /// Securities whose refund fell due in the period.
    pub due: usize,
    pub refunded_on_time: usize,
    /// Refunded (returned) after the refund date.
    pub refunded_late: usize,
    /// Not refunded and past the refund date on the day counted.
    pub overdue: usize,
}

/// R-SEC-01: the refunds due in `year` (all years when `None`), counted as of the same day as
/// the payment figures (`payment::figures_as_of`: a year that is over as of its last day): a
/// security refunded in January after a refund date in December is overdue for December's
/// year. Securities with no refund date yet (no award) are left out.
pub fn refund_stats(records: &[RefundRecord], year: Option<i32>, today: NaiveDate) -> RefundStats {
    let as_of = figures_as_of(year, today);
    let mut stats = RefundStats::default();
    for r in records {
        let Some(due) = r.due else { continue };
        if year.is_some_and(|y| due.year() != y) {
            continue;
        }
        stats.due += 1;
        match RefundStatus::on(r.due, r.refunded_on, as_of) {
            RefundStatus::RefundedOnTime => stats.refunded_on_time += 1,
            RefundStatus::RefundedLate => stats.refunded_late += 1,
            RefundStatus::Overdue => stats.overdue += 1,
            RefundStatus::Due | RefundStatus::AwaitingAward => {}
        }
    }
    stats
}

impl RefundStats {
    /// Adds another agency's (for the overall line).
    pub fn add(&mut self, other: &RefundStats) {
        self.due += other.due;
        self.refunded_on_time += other.refunded_on_time;
        self.refunded_late += other.refunded_late;
        self.overdue += other.overdue;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn r_sec_01_a_bid_security_accepts_a_guarantee_never_cash_only() {
        let some = Some(Money::parse("20000").unwrap());
        let err = check_accepted_forms(some, &[SecurityForm::Cash]).unwrap_err();
        assert!(err.en.contains("R-SEC-01") && err.en.contains("cash only"));
        assert!(check_accepted_forms(some, &[]).is_err());
        assert_eq!(
            check_accepted_forms(some, &[SecurityForm::Cash, SecurityForm::BankGuarantee]),
            Ok(())
        );
        assert_eq!(
            check_accepted_forms(some, &[SecurityForm::GuaranteeInsurance]),
            Ok(())
        );
        // No security (or 0): the forms are not asked.
        assert_eq!(check_accepted_forms(None, &[SecurityForm::Cash]), Ok(()));
        assert_eq!(check_accepted_forms(Some(Money::ZERO), &[]), Ok(()));
    }

    #[test]
    fn r_sec_01_the_supplier_chooses_one_of_the_accepted_forms() {
        let accepted = [SecurityForm::Cash, SecurityForm::BankGuarantee];
        assert_eq!(
            check_chosen_form(&accepted, " bank_guarantee "),
            Ok(SecurityForm::BankGuarantee)
        );
        assert_eq!(check_chosen_form(&accepted, "cash"), Ok(SecurityForm::Cash));
        let err = check_chosen_form(&accepted, "guarantee_insurance").unwrap_err();
        assert!(err.zh.contains("银行保函") && err.en.contains("bank guarantee"));
        let err = check_chosen_form(&accepted, "").unwrap_err();
        assert!(err.en.contains("Choose"), "{err:?}");
        assert!(check_chosen_form(&accepted, "gold").is_err());
    }

    #[test]
    fn r_sec_01_stored_forms_round_trip_and_old_tenders_accept_every_form() {
        let forms = [
            SecurityForm::BankGuarantee,
            SecurityForm::GuaranteeInsurance,
        ];
        assert_eq!(accepted_forms_of(Some(&stored_forms(&forms))), forms);
        assert_eq!(accepted_forms_of(None), SecurityForm::ALL);
        assert_eq!(
            accepted_forms_of(Some("cash,unknown")),
            [SecurityForm::Cash]
        );
    }

    #[test]
    fn r_sec_01_a_refund_after_its_day_is_late_and_none_past_it_is_overdue() {
        let due = Some(day(2026, 12, 24));
        let status = |refunded, today| RefundStatus::on(due, refunded, today);
        assert_eq!(status(None, day(2026, 12, 24)), RefundStatus::Due);
        assert_eq!(status(None, day(2026, 12, 25)), RefundStatus::Overdue);
        assert_eq!(
            status(Some(day(2026, 12, 24)), day(2026, 12, 30)),
            RefundStatus::RefundedOnTime
        );
        assert_eq!(
            status(Some(day(2026, 12, 28)), day(2026, 12, 30)),
            RefundStatus::RefundedLate
        );
        // A refund dated after the day counted is not made yet then.
        assert_eq!(
            status(Some(day(2027, 1, 4)), day(2026, 12, 31)),
            RefundStatus::Overdue
        );
        assert_eq!(
            RefundStatus::on(None, None, day(2026, 12, 31)),
            RefundStatus::AwaitingAward
        );
        assert_eq!(
            RefundStatus::on(None, Some(day(2026, 12, 20)), day(2026, 12, 31)),
            RefundStatus::RefundedOnTime
        );
        assert!(RefundStatus::Overdue.flagged() && RefundStatus::RefundedLate.flagged());
        assert!(!RefundStatus::RefundedOnTime.flagged());
        // A guarantee is returned (released), cash refunded.
        let guarantee = RefundStatus::RefundedLate.label(Some(SecurityForm::BankGuarantee));
        assert!(guarantee.en.contains("returned") && guarantee.zh.contains("退回"));
        let cash = RefundStatus::RefundedLate.label(Some(SecurityForm::Cash));
        assert!(cash.en.contains("refunded") && cash.zh.contains("退还"));
    }

    #[test]
    fn r_sec_01_the_refund_date_is_not_in_the_future_nor_before_the_deadline() {
        let (earliest, today) = (day(2026, 12, 17), day(2026, 12, 28));
        assert_eq!(
            check_refund_date("2026-12-24", earliest, today),
            Ok(day(2026, 12, 24))
        );
        assert_eq!(check_refund_date("2026-12-28", earliest, today), Ok(today));
        assert!(check_refund_date("2026-12-29", earliest, today).is_err());
        assert!(check_refund_date("2026-12-16", earliest, today).is_err());
        assert!(check_refund_date("24/12/2026", earliest, today).is_err());
        assert!(check_refund_date("", earliest, today).is_err());
    }

    #[test]
    fn r_sec_01_the_figures_count_late_and_overdue_refunds_as_of_the_year_end() {
        let records = [
            // Refunded on its day.
            RefundRecord {
                due: Some(day(2026, 12, 24)),
                refunded_on: Some(day(2026, 12, 24)),
            },
            // Refunded four days late.
            RefundRecord {
                due: Some(day(2026, 12, 24)),
                refunded_on: Some(day(2026, 12, 28)),
            },
            // Due 24 December, refunded 4 January: overdue on 31 December.
            RefundRecord {
                due: Some(day(2026, 12, 24)),
                refunded_on: Some(day(2027, 1, 4)),
            },
            // Due 31 December, unpaid: overdue only from 2027.
            RefundRecord {
                due: Some(day(2026, 12, 31)),
                refunded_on: None,
            },
            // No award yet: not counted.
            RefundRecord {
                due: None,
                refunded_on: None,
            },
        ];
        let today = day(2027, 1, 20);
        assert_eq!(
            refund_stats(&records, Some(2026), today),
            RefundStats {
                due: 4,
                refunded_on_time: 1,
                refunded_late: 1,
                overdue: 1,
            }
        );
        // All years, as of today: the January refund is late; the last is overdue now.
        assert_eq!(
            refund_stats(&records, None, today),
            RefundStats {
                due: 4,
                refunded_on_time: 1,
                refunded_late: 2,
                overdue: 1,
            }
        );
        assert_eq!(
            refund_stats(&records, Some(2027), today),
            RefundStats::default()
        );
    }
}
