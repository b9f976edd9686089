//! R-PAY-01 (the payment term) and R-PAY-05 (the agreed late-interest terms and the LPR floor).

use super::*;

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
    pub(super) fn interest_on(self, yuan_days: Decimal) -> Option<Decimal> {
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
