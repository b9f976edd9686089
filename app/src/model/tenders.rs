//! View and form types of tenders: shared by the server and the browser; no database, no HTTP.

use crate::domain::tender::{Category, Method, TenderStatus};
use crate::domain::{Money, TenderId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A tender in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenderSummary {
    pub id: TenderId,
    pub title: String,
    pub agency_name: String,
    pub category: Category,
    pub method: Method,
    pub region: String,
    pub budget: Money,
    pub bid_deadline: DateTime<Utc>,
    /// Reserved for SMEs, whole (R-SME-01) or in some lots (R-SME-02).
    pub sme_reserved: bool,
}

/// A lot on the tender's public page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LotView {
    pub title: String,
    pub budget: Money,
    pub reserved_for_sme: bool,
    /// R-SME-02: reserved for small and micro firms only.
    #[serde(default)]
    pub small_micro_only: bool,
    pub criteria: Vec<CriterionView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionView {
    pub kind: crate::domain::publication::CriterionKind,
    pub requirement: String,
    /// Points in comprehensive scoring; none for pass/fail.
    pub weight: Option<rust_decimal::Decimal>,
}

/// A tender's public page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenderDetail {
    pub summary: TenderSummary,
    pub description: String,
    pub status: TenderStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub lots: Vec<LotView>,
    /// R-SME-01: reserved whole for SMEs.
    pub reserved_whole: bool,
    /// R-SME-03: the price deduction for small and micro bidders, when not reserved whole.
    pub price_deduction: Option<rust_decimal::Decimal>,
    /// R-EVAL-01: the price weight in comprehensive scoring; none for lowest evaluated price.
    pub price_weight: Option<rust_decimal::Decimal>,
    /// Clarifications and amendments, oldest first.
    pub clarifications: Vec<ClarificationView>,
    /// Set when the tender was cancelled: the public reason.
    pub cancel_reason: Option<String>,
    /// The tender documents, in the order they were added.
    pub documents: Vec<TenderDocumentView>,
    /// R-TIME-03: the documents are available at least until this day (they stay available
    /// here for the tender's whole life). None when the working-day calendar lacks the year.
    pub documents_available_until: Option<chrono::NaiveDate>,
    /// Issue #34: the day above was counted on a year whose holiday notice is not loaded yet.
    #[serde(default)]
    pub documents_available_until_provisional: bool,
    /// Award notices, lot by lot, with each winner's SME declaration (R-SME-04).
    #[serde(default)]
    pub awards: Vec<super::bids::AwardNotice>,
    /// Lots that failed (R-BID-04) or were suspended (R-SME-05) after the opening, with the
    /// public reason.
    #[serde(default)]
    pub lot_outcomes: Vec<super::bids::LotOutcomeNotice>,
    /// Issue #34: published after the platform administrator let barrier findings through:
    /// each approval's note and the clauses it let through (R-BAR-01..03, R-SME-04).
    #[serde(default)]
    pub reviews: Vec<super::review::PublishedAfterReview>,
    /// R-SME-05, R-BID-04: this tender re-tenders lots of a failed tender, and why each lot is
    /// (or is no longer) reserved for SMEs.
    #[serde(default)]
    pub retender_of: Option<RetenderNotice>,
    /// The published re-tender of this tender's failed lots.
    #[serde(default)]
    pub retendered_as: Option<RelatedTender>,
}

/// Another tender a tender's page links to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedTender {
    pub id: TenderId,
    pub title: String,
}

/// R-SME-05, R-BID-04: what a re-tender takes up from the failed tender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetenderNotice {
    pub of: RelatedTender,
    pub lots: Vec<RetenderedLot>,
}

/// A lot of the failed tender, as the re-tender's page gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetenderedLot {
    /// The failed tender's lot.
    pub failed_lot_title: String,
    /// `Suspended` (R-SME-05) or `Failed` (R-BID-04).
    pub state: super::bids::LotState,
    pub valid_bids: usize,
    pub qualified_sme_bids: usize,
    /// The re-tender's lot that takes it up, if one does.
    pub lot_title: Option<String>,
    /// R-SME-05: that lot is not reserved for SMEs.
    pub lifted: bool,
    pub reason: crate::i18n::Text,
}

/// A tender document as listed on the tender's pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderDocumentView {
    pub id: uuid::Uuid,
    pub name: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, so a downloaded copy can be checked.
    pub sha256: String,
    pub href: String,
    /// Issue #34: no text could be read from it (a scan, a picture, an encrypted file), so its
    /// content was not checked for forbidden conditions; the pages say so.
    #[serde(default)]
    pub not_checked: bool,
}

/// A clarification or amendment as published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClarificationView {
    pub published_at: DateTime<Utc>,
    pub body: String,
    pub affects_bids: bool,
    pub deadline_before: DateTime<Utc>,
    /// Later than `deadline_before` when R-TIME-02 moved the deadline.
    pub deadline_after: DateTime<Utc>,
    /// R-TIME-02: a structured amendment's changes to the terms (empty for a clarification).
    #[serde(default)]
    pub changes: Vec<crate::domain::amendment::TermChange>,
}

/// The public search, as it stands in the page's URL (so a search can be shared): every field
/// a string, empty when unused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TenderQuery {
    pub q: String,
    pub category: String,
    pub method: String,
    /// A province code (GB/T 2260), e.g. `330000`.
    pub province: String,
    pub budget_min: String,
    pub budget_max: String,
    /// `1` for tenders reserved (whole or in part) for SMEs.
    pub sme: String,
    /// `open` (deadline not passed, the default), `closed` or `all`.
    pub status: String,
    /// Only tenders whose deadline falls within this many days: `7` or `30`.
    pub closes_within: String,
    /// `deadline` (soonest first), `budget`, or newest first.
    pub sort: String,
    pub page: String,
}

impl TenderQuery {
    /// The search page's URL for this query (unused fields left out), e.g. `/?q=道路&sme=1`.
    pub fn href(&self) -> String {
        use crate::paths::query::*;
        crate::paths::search([
            (Q, self.q.as_str()),
            (CATEGORY, &self.category),
            (METHOD, &self.method),
            (PROVINCE, &self.province),
            (BUDGET_MIN, &self.budget_min),
            (BUDGET_MAX, &self.budget_max),
            (SME, &self.sme),
            (STATUS, &self.status),
            (CLOSES_WITHIN, &self.closes_within),
            (SORT, &self.sort),
            (PAGE, &self.page),
        ])
    }
}

/// One page of search results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenderResults {
    pub items: Vec<TenderSummary>,
    /// Matches, counted up to [`RESULTS_COUNT_CAP`].
    pub total: u64,
    /// More than [`RESULTS_COUNT_CAP`] match (only the first pages are offered).
    #[serde(default)]
    pub more: bool,
    pub page: u64,
    pub pages: u64,
    /// For a signed-in supplier: how its profile fits each result, by tender id (issue #4).
    /// Empty for everyone else.
    #[serde(default)]
    pub fits: std::collections::BTreeMap<String, ListFit>,
}

/// A result's fit in a list: in how many lots the profile meets every pass/fail requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFit {
    pub eligible_lots: usize,
    pub lots: usize,
}

/// How far the public search counts its matches: a query that finds more says "1,000+" and
/// offers the first 50 pages, which keeps every search fast at any volume.
pub const RESULTS_COUNT_CAP: u64 = 1000;

/// Results per page of the public search.
pub const PAGE_SIZE: u64 = 20;
