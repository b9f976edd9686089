//! Money: an exact amount of Chinese yuan (CNY).
//!
//! Amounts are `rust_decimal::Decimal` values with at most two decimal places (fen). They never pass
//! through floating point: the database stores them as integer fen (`i64`), which is exact on both
//! SQLite and PostgreSQL, and the wire format is a decimal string.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::i18n::Text;

/// An exact CNY amount with at most two decimal places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Money(Decimal);

/// Why an amount was refused. Each kind tells the user what to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("enter an amount")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimal places")]
    TooManyDecimals,
    #[error("negative amount")]
    Negative,
    #[error("amount too large")]
    TooLarge,
}

impl MoneyError {
    pub fn text(&self) -> Text {
        match self {
            MoneyError::Empty => Text::new("请输入金额。", "Enter an amount."),
            MoneyError::NotANumber => Text::new(
                "金额只能包含数字和小数点，例如 1234.56。",
                "An amount may contain only digits and a decimal point, e.g. 1234.56.",
            ),
            MoneyError::TooManyDecimals => Text::new(
                "金额最多保留两位小数（分）。",
                "An amount has at most two decimal places (fen).",
            ),
            MoneyError::Negative => Text::new("金额不能为负数。", "An amount cannot be negative."),
            MoneyError::TooLarge => Text::new(
                "金额不能超过 999,999,999,999.99 元。",
                "An amount cannot exceed ¥999,999,999,999.99.",
            ),
        }
    }
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);
    /// The largest amount the platform accepts: just under one trillion yuan. Its value in fen fits
    /// comfortably in an `i64`, so every `Money` can be stored exactly.
    pub const MAX_FEN: i64 = 99_999_999_999_999;

    /// Checks that `value` is a whole number of fen within range.
    pub fn new(value: Decimal) -> Result<Money, MoneyError> {
        let value = value.normalize();
        if value.scale() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        // Checked: a 28-digit amount is a valid Decimal whose value in fen is not, and
        // `Decimal`'s `*` panics on overflow.
        let fen = value
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or(MoneyError::TooLarge)?;
        if fen.abs() > Decimal::from(Self::MAX_FEN) {
            return Err(MoneyError::TooLarge);
        }
        // `-0` and `0` are the same amount.
        Ok(Money(if value.is_zero() {
            Decimal::ZERO
        } else {
            value
        }))
    }

    /// Parses what a person typed: `1234.5`, `1,234.50`, `¥ 1234`. Negative amounts are refused.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let cleaned: String = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .trim_end_matches("元")
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' '))
            .collect();
        if cleaned.is_empty() {
            return Err(MoneyError::Empty);
        }
        // Only plain decimal notation: no exponents, signs other than a leading minus, or words.
        let digits = cleaned.strip_prefix('-').unwrap_or(&cleaned);
        // A point alone (`.`, `-.`) is not a number; rust_decimal refuses it, which read as
        // "too large" below.
        if !digits.chars().any(|c| c.is_ascii_digit())
            || !digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            || digits.matches('.').count() > 1
        {
            return Err(MoneyError::NotANumber);
        }
        // Decimal places are counted here, in the text: beyond 28 significant digits
        // rust_decimal rounds instead of refusing, so `0.000…001` became 0 and `1.000…001`
        // became 1. Leading and trailing zeros are dropped first, as they would count there.
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let whole = whole.trim_start_matches('0');
        let sign = if digits.len() < cleaned.len() {
            "-"
        } else {
            ""
        };
        let whole = if whole.is_empty() { "0" } else { whole };
        let exact = if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction}")
        };
        let value = Decimal::from_str(&exact).map_err(|_| MoneyError::TooLarge)?;
        let money = Money::new(value)?;
        if money.0.is_sign_negative() {
            return Err(MoneyError::Negative);
        }
        Ok(money)
    }

    pub fn from_fen(fen: i64) -> Money {
        Money(Decimal::new(fen, 2).normalize())
    }

    /// The amount in fen, for storage. Exact: a `Money` is always a whole number of fen.
    pub fn to_fen(self) -> i64 {
        // In range by construction (|fen| <= MAX_FEN).
        i64::try_from((self.0 * Decimal::ONE_HUNDRED).mantissa_scaled_to_zero()).unwrap_or(0)
    }

    /// Rounds an exact intermediate result (interest, a percentage) to fen, half away from zero
    /// (四舍五入), the rounding rule used for every computed amount on the platform.
    pub fn round_from(value: Decimal) -> Result<Money, MoneyError> {
        Money::new(value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        Money::new(self.0.checked_add(other.0)?).ok()
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        Money::new(self.0.checked_sub(other.0)?).ok()
    }

    /// `¥1,234.56`: always two decimals, thousands grouped. The same on server and browser.
    pub fn format_cny(self) -> String {
        yuan(self.0)
    }
}

/// `¥1,234.56` for any amount of yuan, `Money` or not (a total of many amounts can exceed
/// `Money`'s range): rounded to the fen (half to even), always two decimals, thousands grouped,
/// `-¥1,000.00` when negative. The one yuan formatter: [`Money::format_cny`], the payment rules'
/// messages and the payments pages use it.
pub fn yuan(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let digits = format!("{:.2}", rounded.abs());
    let (whole, fen) = digits.split_once('.').unwrap_or((&digits, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}¥{grouped}.{fen}")
}

trait MantissaScaled {
    fn mantissa_scaled_to_zero(self) -> i128;
}

impl MantissaScaled for Decimal {
    fn mantissa_scaled_to_zero(self) -> i128 {
        let mut d = self;
        d.rescale(0);
        d.mantissa()
    }
}

impl TryFrom<Decimal> for Money {
    type Error = MoneyError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Money::new(value)
    }
}

impl From<Money> for Decimal {
    fn from(m: Money) -> Decimal {
        m.0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_cny())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Money::parse("1234.5").unwrap().amount(), d("1234.5"));
        assert_eq!(Money::parse(" ¥1,234.50 ").unwrap().to_fen(), 123_450);
        assert_eq!(Money::parse("２").err(), Some(MoneyError::NotANumber));
        assert_eq!(Money::parse("100元").unwrap().to_fen(), 10_000);
        assert_eq!(Money::parse("0.001"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("1e28"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("1.2.3"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1000000000000"), Err(MoneyError::TooLarge));
        assert_eq!(
            Money::parse("99999999999999999999999999999999"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn a_decimal_point_without_digits_is_not_a_number() {
        // Found by the money fuzz target (fuzz/corpus/money/point-without-digits): `-,.`
        // was refused as too large.
        for input in [".", "-.", "-,.", "¥.元", " . "] {
            assert_eq!(
                Money::parse(input),
                Err(MoneyError::NotANumber),
                "{input:?}"
            );
        }
        assert_eq!(Money::parse(".5").unwrap().to_fen(), 50);
        assert_eq!(Money::parse("5.").unwrap().to_fen(), 500);
    }

    #[test]
    fn an_amount_too_large_for_fen_is_refused_not_a_panic() {
        // Found by the money fuzz target (fuzz/corpus/money/28-digits): multiplying it by 100
        // to get fen overflowed `Decimal` and panicked, in `parse` and in deserialising.
        for input in [
            "9999999991001000000000000090",
            "79228162514264337593543950335",
        ] {
            assert_eq!(Money::parse(input), Err(MoneyError::TooLarge), "{input:?}");
        }
        assert_eq!(Money::new(Decimal::MAX), Err(MoneyError::TooLarge));
        assert_eq!(Money::new(Decimal::MIN), Err(MoneyError::TooLarge));
        assert!(serde_json::from_str::<Money>("\"9999999991001000000000000090\"").is_err());
    }

    #[test]
    fn more_than_28_digits_are_not_rounded_into_an_amount() {
        // rust_decimal rounds what does not fit in 28 digits: these were accepted as 0 and 1.
        assert_eq!(
            Money::parse("0.00000000000000000000000000000001"),
            Err(MoneyError::TooManyDecimals)
        );
        assert_eq!(
            Money::parse("1.00000000000000000000000000000001"),
            Err(MoneyError::TooManyDecimals)
        );
        // Zeros that change nothing are not digits that count.
        assert_eq!(
            Money::parse("0000000000000000000000000000000012.50")
                .unwrap()
                .to_fen(),
            1250
        );
        assert_eq!(
            Money::parse("1.0000000000000000000000000000000000000000")
                .unwrap()
                .to_fen(),
            100
        );
    }

    #[test]
    fn minus_zero_is_zero() {
        assert_eq!(Money::parse("-0").unwrap(), Money::ZERO);
        assert_eq!(Money::parse("-0.00").unwrap().format_cny(), "¥0.00");
    }

    #[test]
    fn trailing_zeros_do_not_count_as_decimals() {
        assert_eq!(Money::parse("12.3400").unwrap().to_fen(), 1234);
    }

    #[test]
    fn fen_round_trip_is_exact_at_the_limits() {
        for fen in [0, 1, 99, 100, 123_456_789, Money::MAX_FEN, -Money::MAX_FEN] {
            assert_eq!(Money::from_fen(fen).to_fen(), fen);
        }
        assert_eq!(Money::from_fen(1).amount(), d("0.01"));
    }

    #[test]
    fn formats_with_grouping_and_two_decimals() {
        assert_eq!(Money::from_fen(0).format_cny(), "¥0.00");
        assert_eq!(Money::from_fen(5).format_cny(), "¥0.05");
        assert_eq!(Money::from_fen(123_456_789).format_cny(), "¥1,234,567.89");
        assert_eq!(Money::from_fen(-100_000).format_cny(), "-¥1,000.00");
        assert_eq!(
            Money::from_fen(Money::MAX_FEN).to_string(),
            "¥999,999,999,999.99"
        );
    }

    #[test]
    fn yuan_formats_any_amount_even_beyond_money() {
        assert_eq!(yuan(d("2850000")), "¥2,850,000.00");
        assert_eq!(yuan(d("1425.5")), "¥1,425.50");
        assert_eq!(yuan(Decimal::ZERO), "¥0.00");
        assert_eq!(yuan(d("-0.001")), "¥0.00");
        assert_eq!(yuan(d("-1234.5")), "-¥1,234.50");
        assert_eq!(yuan(d("1000000000000000")), "¥1,000,000,000,000,000.00");
        // The same text as `Money::format_cny` for every `Money`.
        for fen in [0, 5, 99, 100, 123_456_789, -100_000, Money::MAX_FEN] {
            let m = Money::from_fen(fen);
            assert_eq!(yuan(m.amount()), m.format_cny());
        }
    }

    #[test]
    fn rounds_half_away_from_zero_to_fen() {
        assert_eq!(Money::round_from(d("0.005")).unwrap().to_fen(), 1);
        assert_eq!(Money::round_from(d("0.0049")).unwrap().to_fen(), 0);
        assert_eq!(Money::round_from(d("-0.005")).unwrap().to_fen(), -1);
    }

    #[test]
    fn arithmetic_is_exact_and_checked() {
        let a = Money::parse("0.10").unwrap();
        let b = Money::parse("0.20").unwrap();
        assert_eq!(a.checked_add(b).unwrap().amount(), d("0.3"));
        let max = Money::from_fen(Money::MAX_FEN);
        assert_eq!(max.checked_add(a), None);
        assert_eq!(b.checked_sub(a).unwrap().to_fen(), 10);
    }

    #[test]
    fn serialises_as_a_decimal_string_and_validates_on_the_way_in() {
        let m = Money::from_fen(123_456);
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"1234.56\"");
        assert_eq!(serde_json::from_str::<Money>("\"1234.56\"").unwrap(), m);
        assert!(serde_json::from_str::<Money>("\"1.234\"").is_err());
    }
}
