//! R-PAY-05: payments and late-payment interest; R-PAY-06: receivable confirmation.

use super::*;

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
