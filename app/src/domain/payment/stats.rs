//! R-PAY-07: payment-timeliness statistics.

use super::*;

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
    /// R-PAY-07 as PAY Art. 18 reports it: the contracts with a payment overdue and unpaid on
    /// the day the figures are counted as of ([`figures_as_of`]), whatever year that payment
    /// fell due in (a payment overdue since an earlier year and still unpaid at the year's end
    /// is 逾期尚未支付 in that year too). Set by [`year_figures`]; 0 from [`timeliness_stats`].
    #[serde(default)]
    pub overdue_contracts: usize,
    /// Their value: the sum of those contracts' values (the whole contract value as signed or
    /// last amended, not only the overdue part, which is `overdue_value`), exact yuan.
    #[serde(default)]
    pub overdue_contract_value: Decimal,
}

/// R-PAY-07 (PAY Art. 18): one contract as the decree counts it: its value and its payables
/// (one per milestone whose payment clock has started).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractPayables {
    /// The contract's value (as signed, or as last amended).
    pub value: Money,
    pub payables: Vec<PayableRecord>,
}

impl PayableRecord {
    /// Unpaid at the end of `day` and past its due date then: a payment made after `day`
    /// does not count, and a payable due on `day` is not overdue yet (it becomes so the next
    /// day, R-PAY-05).
    pub fn overdue_on(&self, day: NaiveDate) -> bool {
        day > self.due_date && self.paid_on.is_none_or(|p| p > day)
    }
}

/// R-PAY-07: the day a year's figures are counted as of. PAY Art. 18 publishes each year's
/// overdue payments as they stood when the year ended (上一年度逾期尚未支付), so a year that is
/// over is counted as of its 31 December, never as of today: a payment overdue on 31 December
/// and paid in January stays overdue for that year, and one that fell due in the year but
/// became overdue only in the next is not. The year that runs (or a later one) and all years
/// together are counted as of today.
pub fn figures_as_of(year: Option<i32>, today: NaiveDate) -> NaiveDate {
    match year.and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31)) {
        Some(year_end) => year_end.min(today),
        None => today,
    }
}

/// R-PAY-07: the published figures for `year` (all years when `None`) as of
/// [`figures_as_of`]: per milestone, the payables that fell due in the year
/// ([`timeliness_stats`]); per contract as PAY Art. 18 reports them, the number and value of
/// contracts with a payment overdue and unpaid on that day.
pub fn year_figures(
    contracts: &[ContractPayables],
    year: Option<i32>,
    today: NaiveDate,
) -> TimelinessStats {
    use chrono::Datelike;
    let as_of = figures_as_of(year, today);
    let due_in_year: Vec<PayableRecord> = contracts
        .iter()
        .flat_map(|c| c.payables.iter().copied())
        .filter(|r| year.is_none_or(|y| r.due_date.year() == y))
        .collect();
    let mut stats = timeliness_stats(&due_in_year, as_of);
    for c in contracts {
        if c.payables.iter().any(|r| r.overdue_on(as_of)) {
            stats.overdue_contracts += 1;
            stats.overdue_contract_value += c.value.amount();
        }
    }
    stats
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
        overdue_contracts: 0,
        overdue_contract_value: Decimal::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn money(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn payable(amount: &str, due: NaiveDate, paid_on: Option<NaiveDate>) -> PayableRecord {
        PayableRecord {
            amount: money(amount),
            clock_start: due - chrono::Days::new(30),
            due_date: due,
            paid_on,
            interest_paid: Money::ZERO,
        }
    }

    #[test]
    fn r_pay_07_a_past_year_is_counted_as_of_its_last_day() {
        let today = day(2027, 1, 20);
        assert_eq!(figures_as_of(Some(2026), today), day(2026, 12, 31));
        assert_eq!(figures_as_of(Some(2027), today), today);
        assert_eq!(figures_as_of(Some(2028), today), today);
        assert_eq!(figures_as_of(None, today), today);
        // A year the calendar cannot name is counted as of today, not a panic.
        assert_eq!(figures_as_of(Some(i32::MAX), today), today);
    }

    #[test]
    fn r_pay_07_overdue_on_a_day_is_unpaid_and_past_due_then() {
        let year_end = day(2026, 12, 31);
        // Overdue on 31 December, paid on 10 January: overdue for 2026, not for 10 January.
        let late = payable("100", day(2026, 12, 20), Some(day(2027, 1, 10)));
        assert!(late.overdue_on(year_end));
        assert!(!late.overdue_on(day(2027, 1, 10)));
        // Due 20 December, paid the day before: never overdue.
        let early = payable("100", day(2026, 12, 20), Some(day(2026, 12, 19)));
        assert!(!early.overdue_on(year_end));
        // Due on 31 December itself: overdue only from 1 January.
        let last_day = payable("100", year_end, None);
        assert!(!last_day.overdue_on(year_end));
        assert!(last_day.overdue_on(day(2027, 1, 1)));
    }

    /// Three contracts of one agency, read on 20 January 2027:
    /// - A (1,000,000): a milestone due 2026-12-20 paid 2027-01-10 (overdue at the end of 2026),
    ///   and one due 2026-12-31 paid 2027-01-05 (overdue only in 2027, paid late then).
    /// - B (500,000): due 2026-12-20, paid 2026-12-19 (on time).
    /// - C (200,000.50): due 2026-12-31, unpaid (overdue only from 2027).
    fn contracts() -> Vec<ContractPayables> {
        vec![
            ContractPayables {
                value: money("1000000"),
                payables: vec![
                    payable("300000", day(2026, 12, 20), Some(day(2027, 1, 10))),
                    payable("700000", day(2026, 12, 31), Some(day(2027, 1, 5))),
                ],
            },
            ContractPayables {
                value: money("500000"),
                payables: vec![payable(
                    "500000",
                    day(2026, 12, 20),
                    Some(day(2026, 12, 19)),
                )],
            },
            ContractPayables {
                value: money("200000.50"),
                payables: vec![payable("200000.50", day(2026, 12, 31), None)],
            },
        ]
    }

    #[test]
    fn r_pay_07_a_past_year_counts_contracts_overdue_at_its_end_with_their_value() {
        let today = day(2027, 1, 20);
        let s = year_figures(&contracts(), Some(2026), today);
        // Per contract: only A was overdue (and unpaid) on 31 December 2026; its whole value.
        assert_eq!(s.overdue_contracts, 1);
        assert_eq!(s.overdue_contract_value, Decimal::new(100000000, 2));
        // Per milestone, as of 31 December: the four payables due in 2026; B paid on time, A's
        // first overdue (its January payment is after the day), A's second and C not yet due.
        assert_eq!(
            (s.payables, s.paid, s.paid_on_time, s.paid_late),
            (4, 1, 1, 0)
        );
        assert_eq!(
            (s.overdue_count, s.overdue_value),
            (1, Decimal::from(300000))
        );
        assert_eq!(s.on_time_rate, Some(Decimal::new(5, 1)));
    }

    #[test]
    fn r_pay_07_today_counts_what_is_overdue_today() {
        let today = day(2027, 1, 20);
        // All years, as of today: A is paid in full; C has been overdue since 1 January.
        let s = year_figures(&contracts(), None, today);
        assert_eq!(s.overdue_contracts, 1);
        assert_eq!(s.overdue_contract_value, Decimal::new(20000050, 2));
        assert_eq!(
            (s.payables, s.paid, s.paid_on_time, s.paid_late),
            (4, 3, 1, 2)
        );
        assert_eq!(
            (s.overdue_count, s.overdue_value),
            (1, Decimal::new(20000050, 2))
        );
        // 2027 has no payable due in it, but C, due in 2026, is still overdue and unpaid in
        // 2027: the contract counts for 2027 too (PAY Art. 18's 逾期尚未支付).
        let s = year_figures(&contracts(), Some(2027), today);
        assert_eq!((s.payables, s.overdue_count), (0, 0));
        assert_eq!(s.overdue_contracts, 1);
    }

    #[test]
    fn r_pay_07_a_year_not_over_is_counted_as_of_today() {
        // Read on 25 December 2026: A's first milestone is overdue (due 20 December, unpaid on
        // the 25th); C is not yet due.
        let s = year_figures(&contracts(), Some(2026), day(2026, 12, 25));
        assert_eq!(s.overdue_contracts, 1);
        assert_eq!(s.overdue_count, 1);
        // The figures for 2026 read in 2027 and on 31 December 2026 are the same.
        assert_eq!(
            year_figures(&contracts(), Some(2026), day(2027, 6, 1)),
            year_figures(&contracts(), Some(2026), day(2026, 12, 31))
        );
    }
}
