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

mod deposits;
mod dispute;
mod interest;
mod milestones;
mod rejection;
mod stats;
mod terms;

pub use deposits::*;
pub use dispute::*;
pub use interest::*;
pub use milestones::*;
pub use rejection::*;
pub use stats::*;
pub use terms::*;

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
        // Its last day is still inside it (a rejection that day is in time, the same rule as
        // `reject`); once it has passed, the clock counts from that day.
        assert_eq!(start(None, on(3, 25)), None, "last day of the period");
        assert_eq!(start(None, on(3, 26)), Some(on(3, 25)), "period ended");
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
        // Milestone 100,000.00, 70,000.00 accepted in the period: 30,000.00 disputed.
        let decision = decide_acceptance(
            m("100000"),
            Some(m("70000")),
            "incomplete_delivery",
            "少交付三台。",
            true,
            on(3, 25),
        )
        .unwrap();
        let AcceptanceDecision::Partial {
            accepted, disputed, ..
        } = decision
        else {
            panic!("{decision:?}")
        };
        assert_eq!((accepted, disputed), (m("70000"), m("30000")));
        // The undisputed part keeps the normal due date (04-24) and bears interest from 04-25:
        // 70,000.00 × 1 day × 0.0005 = 35.00.
        let interest = late_interest(
            accepted,
            on(4, 24),
            &[],
            LateInterestTerms::Statutory,
            on(4, 25),
        );
        assert_eq!(interest.unwrap(), m("35.00"));
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
                overdue_contracts: 0,
                overdue_contract_value: Decimal::ZERO,
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
