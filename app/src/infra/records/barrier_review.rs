//! The barrier findings kept with a review request (`barrier_review.findings`, and
//! `barrier_review.applied` once the tender is published with them; issue #34).
//!
//! Version 1 is written as `{"v":1,"findings":[{"rule":"R-BAR-01","field":"description",
//! "quote":"...","why_zh":"...","why_en":"..."}]}`.

use serde::{Deserialize, Serialize};

use crate::domain::review::ReviewedFinding;
use crate::error::AppError;
use crate::i18n::Text;

const WHAT: &str = "barrier review findings";

/// The version [`FindingsRecord::to_json`] writes.
const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingsRecord {
    #[serde(default = "super::unversioned")]
    v: u32,
    findings: Vec<FindingV1>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct FindingV1 {
    rule: String,
    field: String,
    quote: String,
    why_zh: String,
    why_en: String,
}

impl FindingsRecord {
    pub fn of(findings: &[ReviewedFinding]) -> FindingsRecord {
        FindingsRecord {
            v: VERSION,
            findings: findings
                .iter()
                .map(|f| FindingV1 {
                    rule: f.rule.clone(),
                    field: f.field.clone(),
                    quote: f.quote.clone(),
                    why_zh: f.why.zh.clone(),
                    why_en: f.why.en.clone(),
                })
                .collect(),
        }
    }

    pub fn to_json(&self) -> Result<String, AppError> {
        super::encode(WHAT, self)
    }

    /// The findings of a stored record.
    pub fn read(json: &str) -> Result<Vec<ReviewedFinding>, AppError> {
        let record: FindingsRecord = super::decode(WHAT, json)?;
        if record.v != VERSION {
            return Err(super::unknown_version(WHAT, record.v));
        }
        Ok(record
            .findings
            .into_iter()
            .map(|f| ReviewedFinding {
                rule: f.rule,
                field: f.field,
                quote: f.quote,
                why: Text::new(f.why_zh, f.why_en),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_rec_01_findings_read_back_as_written() {
        let findings = vec![ReviewedFinding {
            rule: "R-BAR-01".into(),
            field: "description".into(),
            quote: "投标人注册资本不少于1000万元".into(),
            why: Text::new("以规模设限", "limits by size"),
        }];
        let json = FindingsRecord::of(&findings).to_json().unwrap();
        assert!(json.starts_with(r#"{"v":1,"findings":[{"rule":"R-BAR-01""#));
        assert_eq!(FindingsRecord::read(&json).unwrap(), findings);
        assert!(FindingsRecord::read(r#"{"v":9,"findings":[]}"#).is_err());
    }
}
