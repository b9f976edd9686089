//! Domain rules, free of HTTP, UI and database: plain Rust that unit-tests in microseconds.

pub mod amendment;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod barrier;
pub mod bid;
#[cfg(feature = "ssr")]
pub mod bid_seal;
pub mod bid_security;
pub mod calendar;
pub mod capability;
pub mod clock;
pub mod contract;
pub mod credit_code;
pub mod deadlines;
pub mod draft;
pub mod duties;
pub mod eligibility;
pub mod evaluation;
pub mod ids;
pub mod lot_outcome;
pub mod money;
#[cfg(feature = "ssr")]
pub mod ocds;
pub mod payment;
pub mod payment_terms;
pub mod percent;
pub mod policy;
pub mod publication;
pub mod region;
pub mod retender;
pub mod review;
pub mod scoring;
pub mod search;
pub mod sign_in;
pub mod sme;
pub mod sme_reserve;
pub mod sme_share;
pub mod tender;

use crate::error::FieldError;
use crate::i18n::Text;

/// A text field, trimmed: refused on its field when required and empty, or longer than `max`
/// characters; `None` when empty (or refused).
pub fn text_field(
    value: &str,
    field: &'static str,
    max: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.push(FieldError::new(
                field,
                Text::new("此项必填。", "This field is required."),
            ));
        }
        None
    } else if v.chars().count() > max {
        errors.push(FieldError::new(
            field,
            Text::new(
                format!("最多 {max} 个字符。"),
                format!("At most {max} characters."),
            ),
        ));
        None
    } else {
        Some(v.to_string())
    }
}

pub use clock::{china_day, Clock, ManualClock, OffsetClock, SystemClock};
pub use ids::*;
pub use money::{Money, MoneyError};
pub use percent::{Percent, PercentError};

/// A required text field: trimmed, at most `max` characters; a message on `field` otherwise.
pub fn required(
    value: &str,
    field: &'static str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    text_field(value, field, max, true, errors)
}
