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
