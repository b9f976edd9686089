//! The evaluation kept with an award (`award.evaluation`): every opened bid of the lot as it
//! was scored and ranked when the award was made. The supplier's desk shows each bidder its
//! own line from it after the award.
//!
//! Version 1 is written as `{"v":1,"bids":[[opened_bid_id, organisation_id, line], ...]}`.
//! Rows written before the version was kept hold the bare array of `bids` alone, and read as
//! version 1.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::Money;
use crate::error::AppError;
use crate::model::bids::{MarkLine, ScoreLine};

const WHAT: &str = "award evaluation";

/// The version [`EvaluationRecord::to_json`] writes.
const VERSION: u32 = 1;

/// One opened bid of the awarded lot with its scores.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluatedBid {
    pub opened_bid_id: Uuid,
    pub organisation_id: Uuid,
    pub line: ScoreLine,
}

/// The evaluation of an awarded lot, in rank order as it was shown when the award was made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvaluationRecord {
    pub bids: Vec<EvaluatedBid>,
}

impl EvaluationRecord {
    /// The JSON stored in `award.evaluation`.
    pub fn to_json(&self) -> Result<String, AppError> {
        let bids: Vec<BidV1> = self.bids.iter().map(BidV1::from).collect();
        super::encode(
            WHAT,
            &Written {
                v: VERSION,
                bids: &bids,
            },
        )
    }

    /// Reads `award.evaluation` as any version wrote it.
    pub fn from_json(json: &str) -> Result<EvaluationRecord, AppError> {
        let bids = match super::decode::<Stored>(WHAT, json)? {
            Stored::Versioned { v: 1, bids } | Stored::Unversioned(bids) => bids,
            Stored::Versioned { v, .. } => return Err(super::unknown_version(WHAT, v)),
        };
        Ok(EvaluationRecord {
            bids: bids.into_iter().map(EvaluatedBid::from).collect(),
        })
    }

    /// The line of the bid `organisation` made, if it bid on the lot.
    pub fn line_of(self, organisation: Uuid) -> Option<ScoreLine> {
        self.bids
            .into_iter()
            .find(|b| b.organisation_id == organisation)
            .map(|b| b.line)
    }
}

#[derive(Serialize)]
struct Written<'a> {
    v: u32,
    bids: &'a [BidV1],
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Versioned {
        #[serde(default = "super::unversioned")]
        v: u32,
        bids: Vec<BidV1>,
    },
    /// Before versions: the array of bids alone.
    Unversioned(Vec<BidV1>),
}

/// Version 1 of one bid: `[opened_bid_id, organisation_id, line]`.
#[derive(Serialize, Deserialize)]
struct BidV1(Uuid, Uuid, LineV1);

#[derive(Serialize, Deserialize)]
struct LineV1 {
    supplier_name: String,
    price: Money,
    deduction: Decimal,
    evaluated_price: Money,
    technical_score: Decimal,
    price_score: Option<Decimal>,
    total: Option<Decimal>,
    qualified: bool,
    rank: Option<u32>,
    marks: Vec<MarkV1>,
}

#[derive(Serialize, Deserialize)]
struct MarkV1 {
    requirement: String,
    passed: Option<bool>,
    score: Option<Decimal>,
    weight: Option<Decimal>,
    reason: String,
}

impl From<&EvaluatedBid> for BidV1 {
    fn from(b: &EvaluatedBid) -> BidV1 {
        let l = &b.line;
        BidV1(
            b.opened_bid_id,
            b.organisation_id,
            LineV1 {
                supplier_name: l.supplier_name.clone(),
                price: l.price,
                deduction: l.deduction,
                evaluated_price: l.evaluated_price,
                technical_score: l.technical_score,
                price_score: l.price_score,
                total: l.total,
                qualified: l.qualified,
                rank: l.rank,
                marks: l
                    .marks
                    .iter()
                    .map(|m| MarkV1 {
                        requirement: m.requirement.clone(),
                        passed: m.passed,
                        score: m.score,
                        weight: m.weight,
                        reason: m.reason.clone(),
                    })
                    .collect(),
            },
        )
    }
}

impl From<BidV1> for EvaluatedBid {
    fn from(BidV1(opened_bid_id, organisation_id, l): BidV1) -> EvaluatedBid {
        EvaluatedBid {
            opened_bid_id,
            organisation_id,
            line: ScoreLine {
                supplier_name: l.supplier_name,
                price: l.price,
                deduction: l.deduction,
                evaluated_price: l.evaluated_price,
                technical_score: l.technical_score,
                price_score: l.price_score,
                total: l.total,
                qualified: l.qualified,
                rank: l.rank,
                marks: l
                    .marks
                    .into_iter()
                    .map(|m| MarkLine {
                        requirement: m.requirement,
                        passed: m.passed,
                        score: m.score,
                        weight: m.weight,
                        reason: m.reason,
                    })
                    .collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A row exactly as the award wrote it before records were versioned: the bare array.
    const UNVERSIONED: &str = r#"[["6f1c1e52-2b5a-4c53-9d6e-0c8f3a6c1b01","0b4a8e2f-7c1d-4e5a-8f3b-2d6c9e1a7b02",{"supplier_name":"杭州某某科技有限公司","price":"1000000","deduction":"10","evaluated_price":"900000","technical_score":"52.5","price_score":"30","total":"82.5","qualified":true,"rank":1,"marks":[{"requirement":"技术方案","passed":null,"score":"52.5","weight":"60","reason":"方案完整"}]}],["7a2d2f63-3c6b-4d64-8e7f-1d9f4b7d2c03","1c5b9f30-8d2e-4f6b-9a4c-3e7dae2b8c04",{"supplier_name":"Beta Ltd","price":"1200000.50","deduction":"0","evaluated_price":"1200000.50","technical_score":"0","price_score":null,"total":null,"qualified":false,"rank":null,"marks":[]}]]"#;

    fn first() -> EvaluatedBid {
        EvaluatedBid {
            opened_bid_id: Uuid::from_str("6f1c1e52-2b5a-4c53-9d6e-0c8f3a6c1b01").unwrap(),
            organisation_id: Uuid::from_str("0b4a8e2f-7c1d-4e5a-8f3b-2d6c9e1a7b02").unwrap(),
            line: ScoreLine {
                supplier_name: "杭州某某科技有限公司".into(),
                price: Money::new(d("1000000")).unwrap(),
                deduction: d("10"),
                evaluated_price: Money::new(d("900000")).unwrap(),
                technical_score: d("52.5"),
                price_score: Some(d("30")),
                total: Some(d("82.5")),
                qualified: true,
                rank: Some(1),
                marks: vec![MarkLine {
                    requirement: "技术方案".into(),
                    passed: None,
                    score: Some(d("52.5")),
                    weight: Some(d("60")),
                    reason: "方案完整".into(),
                }],
            },
        }
    }

    #[test]
    fn an_evaluation_stored_before_versions_still_reads_as_version_1() {
        let record = EvaluationRecord::from_json(UNVERSIONED).expect("today's rows read");
        assert_eq!(record.bids.len(), 2);
        assert_eq!(record.bids[0], first());
        assert_eq!(record.bids[1].line.price, Money::from_fen(120_000_050));
        assert_eq!(record.bids[1].line.rank, None);
        let org = record.bids[1].organisation_id;
        assert_eq!(
            record.line_of(org).map(|l| l.supplier_name),
            Some("Beta Ltd".to_string())
        );
    }

    #[test]
    fn an_evaluation_is_written_with_its_version_and_reads_back() {
        let record = EvaluationRecord {
            bids: vec![first()],
        };
        let json = record.to_json().unwrap();
        assert!(json.starts_with(r#"{"v":1,"bids":[["#), "{json}");
        assert_eq!(EvaluationRecord::from_json(&json).unwrap(), record);
    }

    /// Version 1's bids are what the view type itself serialised to, field for field.
    #[test]
    fn version_1_keeps_the_shape_rows_were_written_in() {
        let b = first();
        let old = serde_json::to_value(vec![(b.opened_bid_id, b.organisation_id, &b.line)]);
        let new = serde_json::to_value(vec![BidV1::from(&b)]);
        assert_eq!(new.unwrap(), old.unwrap());
    }

    #[test]
    fn an_unknown_version_is_refused() {
        assert!(EvaluationRecord::from_json(r#"{"v":2,"bids":[]}"#).is_err());
        assert!(EvaluationRecord::from_json(r#"{"bids":[]}"#)
            .unwrap()
            .bids
            .is_empty());
    }
}
