//! Conditions, not words: a subject and a demand in one clause, unless the clause denies it.

use std::ops::Range;

use super::{Context, Normalised, Subject};

/// Each forbidden condition: its subject and the clause (a byte range of the normalised text).
pub fn conditions(text: &Normalised, context: Context) -> Vec<(Subject, Range<usize>)> {
    let _ = (text, context);
    Vec::new()
}
