//! Percentages as one value type (issue #32), instead of `percent_to_bp`/`bp_to_percent` helpers
//! at each call site. The database stores a percentage as basis points (hundredths of a
//! percent: `30.5` % is `3050`); a conversion that cannot be exact says so instead of storing 0.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// A percentage, exact (`Percent::from_bp(3050)` is 30.5 %).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Percent(Decimal);

/// Why a percentage has no basis-point form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PercentError {
    /// More basis points than an `i32` holds.
    #[error("the percentage does not fit in basis points")]
    Overflow,
    /// Digits finer than a basis point (`4.567` %), which the stored form would drop.
    #[error("the percentage is finer than a basis point")]
    Inexact,
}

impl Percent {
    pub const ZERO: Percent = Percent(Decimal::ZERO);
    pub const HUNDRED: Percent = Percent(Decimal::ONE_HUNDRED);

    /// The percentage `value` (`Percent::new(30.5)` is 30.5 %), normalised (`30.50` is `30.5`).
    pub fn new(value: Decimal) -> Percent {
        Percent(value.normalize())
    }

    /// The percentage as a number (`30.5` for 30.5 %).
    pub fn value(self) -> Decimal {
        self.0
    }

    /// Parses a form's percentage: a number from 0 to 100 with at most two decimals, a trailing
    /// `%` allowed (`30`, `30.5`, `30.25%`).
    pub fn parse(input: &str) -> Result<Percent, Text> {
        let bad = || {
            Text::new(
                "请输入 0 到 100 之间的数，最多两位小数。",
                "Enter a number from 0 to 100, with at most two decimals.",
            )
        };
        let d = Decimal::from_str(input.trim().trim_end_matches('%')).map_err(|_| bad())?;
        if d.normalize().scale() > 2 || d < Decimal::ZERO || d > Decimal::ONE_HUNDRED {
            return Err(bad());
        }
        Ok(Percent::new(d))
    }

    /// The percentage of `bp` basis points, exactly (`3050` → 30.5 %).
    pub fn from_bp(bp: i32) -> Percent {
        Percent::new(Decimal::new(i64::from(bp), 2))
    }

    /// The basis points of this percentage, exactly: an error when it has digits finer than a
    /// basis point or does not fit in an `i32`.
    pub fn to_bp(self) -> Result<i32, PercentError> {
        let hundredths = self
            .0
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or(PercentError::Overflow)?;
        if hundredths.fract() != Decimal::ZERO {
            return Err(PercentError::Inexact);
        }
        Self::fit(hundredths)
    }

    /// The basis points of this percentage with any finer digits dropped (toward zero:
    /// `4.5678` % → `456`), as the stored form keeps it; an error only when it does not fit in
    /// an `i32`.
    pub fn to_bp_truncated(self) -> Result<i32, PercentError> {
        let hundredths = self
            .0
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or(PercentError::Overflow)?;
        Self::fit(hundredths.trunc())
    }

    fn fit(whole: Decimal) -> Result<i32, PercentError> {
        use rust_decimal::prelude::ToPrimitive;
        whole.to_i32().ok_or(PercentError::Overflow)
    }
}

impl From<Decimal> for Percent {
    fn from(value: Decimal) -> Percent {
        Percent::new(value)
    }
}

impl fmt::Display for Percent {
    /// The number without the sign: `30.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn basis_points_round_trip_exactly() {
        for bp in [0, 1, 5, 345, 3050, 10_000, -250, i32::MAX, i32::MIN] {
            assert_eq!(Percent::from_bp(bp).to_bp(), Ok(bp), "{bp}");
        }
        assert_eq!(Percent::from_bp(3050).value(), d("30.5"));
        assert_eq!(Percent::new(d("30.50")).to_bp(), Ok(3050));
    }

    #[test]
    fn truncated_basis_points_as_stored() {
        // What `percent_to_bp`/`bp_to_percent` answered for values that fit.
        for (s, bp) in [
            ("0", 0),
            ("0.01", 1),
            ("3.45", 345),
            ("30.5", 3050),
            ("100", 10_000),
        ] {
            assert_eq!(Percent::new(d(s)).to_bp_truncated(), Ok(bp), "{s}");
        }
        assert_eq!(Percent::new(d("4.5678")).to_bp_truncated(), Ok(456));
        assert_eq!(Percent::from_bp(3050).value(), d("30.5"));
    }

    #[test]
    fn a_percentage_finer_than_a_basis_point_is_not_exact() {
        let p = Percent::new(d("4.5678"));
        assert_eq!(p.to_bp(), Err(PercentError::Inexact));
        assert_eq!(p.to_bp_truncated(), Ok(456));
        assert_eq!(Percent::new(d("-4.5678")).to_bp_truncated(), Ok(-456));
    }

    #[test]
    fn overflow_is_an_error_not_zero() {
        let big = Percent::new(Decimal::from(i64::from(i32::MAX)));
        assert_eq!(big.to_bp(), Err(PercentError::Overflow));
        assert_eq!(big.to_bp_truncated(), Err(PercentError::Overflow));
        assert_eq!(
            Percent::new(Decimal::MAX).to_bp(),
            Err(PercentError::Overflow)
        );
        assert_eq!(
            Percent::new(Decimal::MIN).to_bp_truncated(),
            Err(PercentError::Overflow)
        );
    }

    #[test]
    fn parse_takes_0_to_100_with_two_decimals() {
        assert_eq!(Percent::parse(" 30.5 "), Ok(Percent::new(d("30.5"))));
        assert_eq!(Percent::parse("30.25%"), Ok(Percent::new(d("30.25"))));
        assert_eq!(Percent::parse("100"), Ok(Percent::HUNDRED));
        assert_eq!(Percent::parse("0"), Ok(Percent::ZERO));
        assert_eq!(Percent::parse("30.500"), Ok(Percent::new(d("30.5"))));
        for wrong in ["", "abc", "-1", "100.01", "30.125"] {
            assert!(Percent::parse(wrong).is_err(), "{wrong:?}");
        }
        // The same answers as the tender form's `parse_percent`.
        for s in ["30.5", "30.25%", "100.01", "30.125", "x"] {
            assert_eq!(
                Percent::parse(s).map(Percent::value),
                crate::domain::draft::parse_percent(s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn shows_as_the_plain_number() {
        assert_eq!(Percent::from_bp(3050).to_string(), "30.5");
        assert_eq!(Percent::from_bp(500).to_string(), "5");
    }
}
