//! A supplier's saved search (`saved_search.query`): the search's fields as they were typed,
//! every one a string, empty when unused. A saved search starts at its first page, so the page
//! is not kept.
//!
//! Version 1 is written as `{"v":1,"q":"...","category":"...",...}`. Rows written before the
//! version was kept are the same object without `v` (and with an empty `page`), and read as
//! version 1; a field missing reads as empty.

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::tenders::TenderQuery;

const WHAT: &str = "saved search";

/// The version [`SavedSearchRecord::to_json`] writes.
const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearchRecord {
    #[serde(default = "super::unversioned")]
    v: u32,
    #[serde(flatten)]
    fields: FieldsV1,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct FieldsV1 {
    q: String,
    category: String,
    method: String,
    province: String,
    budget_min: String,
    budget_max: String,
    sme: String,
    status: String,
    closes_within: String,
    sort: String,
}

impl SavedSearchRecord {
    /// The record of `query` (its page left out).
    pub fn of(query: &TenderQuery) -> SavedSearchRecord {
        let q = query.clone();
        SavedSearchRecord {
            v: VERSION,
            fields: FieldsV1 {
                q: q.q,
                category: q.category,
                method: q.method,
                province: q.province,
                budget_min: q.budget_min,
                budget_max: q.budget_max,
                sme: q.sme,
                status: q.status,
                closes_within: q.closes_within,
                sort: q.sort,
            },
        }
    }

    /// The search, at its first page.
    pub fn query(&self) -> TenderQuery {
        let f = self.fields.clone();
        TenderQuery {
            q: f.q,
            category: f.category,
            method: f.method,
            province: f.province,
            budget_min: f.budget_min,
            budget_max: f.budget_max,
            sme: f.sme,
            status: f.status,
            closes_within: f.closes_within,
            sort: f.sort,
            page: String::new(),
        }
    }

    /// The JSON stored in `saved_search.query`.
    pub fn to_json(&self) -> Result<String, AppError> {
        super::encode(WHAT, self)
    }

    /// Reads `saved_search.query` as any version wrote it.
    pub fn from_json(json: &str) -> Result<SavedSearchRecord, AppError> {
        let record: SavedSearchRecord = super::decode(WHAT, json)?;
        match record.v {
            1 => Ok(record),
            v => Err(super::unknown_version(WHAT, v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row exactly as a search was saved before records were versioned: the query itself.
    const UNVERSIONED: &str = r#"{"q":"道路","category":"works","method":"","province":"330000","budget_min":"","budget_max":"5000000","sme":"1","status":"","closes_within":"7","sort":"deadline","page":""}"#;

    #[test]
    fn a_search_saved_before_versions_still_reads_as_version_1() {
        let record = SavedSearchRecord::from_json(UNVERSIONED).expect("today's rows read");
        assert_eq!(record.v, 1);
        assert_eq!(
            record.query(),
            TenderQuery {
                q: "道路".into(),
                category: "works".into(),
                province: "330000".into(),
                budget_max: "5000000".into(),
                sme: "1".into(),
                closes_within: "7".into(),
                sort: "deadline".into(),
                ..TenderQuery::default()
            }
        );
        // A field missing reads as empty.
        let q = SavedSearchRecord::from_json(r#"{"q":"x"}"#)
            .unwrap()
            .query();
        assert_eq!((q.q.as_str(), q.sort.as_str()), ("x", ""));
    }

    #[test]
    fn a_search_is_written_with_its_version_without_its_page_and_reads_back() {
        let query = TenderQuery {
            q: "道路".into(),
            status: "all".into(),
            page: "3".into(),
            ..TenderQuery::default()
        };
        let json = SavedSearchRecord::of(&query).to_json().unwrap();
        assert!(json.starts_with(r#"{"v":1,"q":"道路","#), "{json}");
        assert!(!json.contains("page"), "{json}");
        let back = SavedSearchRecord::from_json(&json).unwrap().query();
        assert_eq!(
            back,
            TenderQuery {
                page: String::new(),
                ..query
            }
        );
    }

    #[test]
    fn an_unknown_version_is_refused() {
        assert!(SavedSearchRecord::from_json(r#"{"v":2,"q":"x"}"#).is_err());
    }
}
