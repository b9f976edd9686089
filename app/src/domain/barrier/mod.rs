//! The barrier check (R-BAR-01..03, R-SME-04): finds, in anything an officer publishes, a
//! *condition* the law forbids — a subject (capital, revenue, headcount, years since founding,
//! past contracts, awards, work for a region, manufacturer authorisation, proof of SME status)
//! together with a demand (须, 不少于, 得分, must, at least, points for ...), unless the text
//! says the opposite ("不设业绩要求", "no track record is required").
//!
//! The text is normalised first (`normalise`): NFKC, traditional to simplified characters,
//! invisible characters removed, dashes and spaces unified, Chinese numerals read as numbers.
//! Each finding quotes the text as written and says why it is forbidden and what
//! capability-based wording would serve instead.
//!
//! Measured on a labelled corpus (`corpus.tsv`): `cargo xtask barriers`.

mod normalise;
mod recognise;
mod subject;

pub use normalise::Normalised;
pub use subject::Subject;

use crate::i18n::Text;

/// Where a text stands in the tender, which decides whether a demand must be spelled out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// A requirement or scoring factor: everything it names is demanded ("类似项目业绩").
    Requirement,
    /// Title, description, clarification, document: a subject counts only with a demand.
    Prose,
}

/// One forbidden condition found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule that forbids it: `R-BAR-01`, `R-BAR-02`, `R-BAR-03` or `R-SME-04`.
    pub rule: &'static str,
    pub subject: Subject,
    /// The clause that asks for it, exactly as written (byte range `start..end` of the input).
    pub quote: String,
    pub start: usize,
    pub end: usize,
}

impl Finding {
    /// Why the condition is forbidden, naming the rule.
    pub fn why(&self) -> Text {
        self.subject.why()
    }

    /// What capability-based wording would serve instead.
    pub fn instead(&self) -> Text {
        self.subject.instead()
    }

    /// The whole message for the officer: the quote, why, and what to write instead.
    pub fn message(&self) -> Text {
        let (why, instead) = (self.why(), self.instead());
        Text::new(
            format!("“{}”：{}{}", self.quote, why.zh, instead.zh),
            format!("\"{}\": {} {}", self.quote, why.en, instead.en),
        )
    }
}

/// Every forbidden condition in `text`, in order. Manufacturer authorisation is allowed for
/// imported goods (R-BAR-02).
pub fn check(text: &str, context: Context, imported_goods: bool) -> Vec<Finding> {
    let normalised = Normalised::new(text);
    recognise::conditions(&normalised, context)
        .into_iter()
        .filter(|(subject, _)| !(imported_goods && *subject == Subject::ManufacturerAuthorisation))
        .map(|(subject, clause)| {
            let (start, end) = normalised.original_range(clause);
            Finding {
                rule: subject.rule(),
                subject,
                quote: text[start..end].trim().to_string(),
                start,
                end,
            }
        })
        .collect()
}

#[cfg(test)]
mod corpus;
