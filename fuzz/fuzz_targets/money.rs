//! `Money::parse` against a reference written from its documented rules with exact integer
//! arithmetic: the same inputs are accepted, with the same amount in fen; every refusal is one
//! the rules allow; an accepted amount is never negative, has at most two decimals, and reads
//! back the same from its formatted (`¥1,234.50`), decimal and fen forms.
#![no_main]

use std::str::FromStr;

use app::domain::money::{Money, MoneyError};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

/// What the rules make of `input`: the amount in fen, or every refusal that fits it (when an
/// input breaks two rules, either refusal is right).
fn reference(input: &str) -> Result<i128, Vec<MoneyError>> {
    let cleaned: String = input
        .trim()
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('元')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    if cleaned.is_empty() {
        return Err(vec![MoneyError::Empty]);
    }
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !plain(whole) || !plain(fraction) {
        return Err(vec![MoneyError::NotANumber]);
    }
    let mut reasons = Vec::new();
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 2 {
        reasons.push(MoneyError::TooManyDecimals);
    }
    let whole = whole.trim_start_matches('0');
    // MAX_FEN has 14 digits: a whole part of 13 or more digits is too large whatever it is.
    let fen = if whole.len() > 12 {
        None
    } else {
        let yuan: i128 = if whole.is_empty() {
            0
        } else {
            whole.parse().unwrap()
        };
        let cents: i128 = format!("{fraction:0<2}")[..2].parse().unwrap();
        Some(yuan * 100 + cents).filter(|&f| f <= i128::from(Money::MAX_FEN))
    };
    if fen.is_none() {
        reasons.push(MoneyError::TooLarge);
    }
    if negative && (fen != Some(0) || !fraction.is_empty()) {
        reasons.push(MoneyError::Negative);
    }
    match fen {
        Some(fen) if reasons.is_empty() => Ok(fen),
        _ => Err(reasons),
    }
}

fn check_accepted(input: &str, money: Money) {
    let amount = money.amount();
    assert!(!amount.is_sign_negative(), "{input:?} gave {amount}");
    assert!(
        amount.scale() <= 2,
        "{input:?} gave {amount} (scale {})",
        amount.scale()
    );
    let fen = money.to_fen();
    assert!(
        (0..=Money::MAX_FEN).contains(&fen),
        "{input:?} gave {fen} fen"
    );
    assert_eq!(Money::from_fen(fen), money, "{input:?}: from_fen(to_fen)");
    assert_eq!(Money::new(amount), Ok(money), "{input:?}: new(amount)");
    let formatted = money.format_cny();
    assert_eq!(
        Money::parse(&formatted),
        Ok(money),
        "{input:?}: formatted {formatted:?}"
    );
    let plain = amount.to_string();
    assert_eq!(
        Money::parse(&plain),
        Ok(money),
        "{input:?}: decimal {plain:?}"
    );
    assert_eq!(Decimal::from_str(&plain), Ok(amount));
}

fuzz_target!(|input: &str| {
    let parsed = Money::parse(input);
    match (reference(input), &parsed) {
        (Ok(fen), Ok(money)) => {
            assert_eq!(i128::from(money.to_fen()), fen, "{input:?}");
            check_accepted(input, *money);
        }
        (Err(allowed), Err(e)) => assert!(
            allowed.contains(e),
            "{input:?} refused as {e:?}, the rules say {allowed:?}"
        ),
        (expected, got) => panic!("{input:?}: the rules say {expected:?}, parse gave {got:?}"),
    }
});
