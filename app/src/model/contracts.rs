//! View and form types of contracts: shared by the server and the browser; no database, no HTTP.

use crate::domain::payment::{DisputeStatus, LateInterestTerms, PayableStatus};
use crate::domain::Money;
use crate::error::AppError;
use crate::i18n::Text;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One milestone row of the contract form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MilestoneForm {
    pub deliverable: String,
    pub amount: String,
    /// `YYYY-MM-DD`.
    pub planned_date: String,
    /// A checkbox: present when the milestone is an advance payment.
    pub advance: Option<String>,
}

/// The contract form, as typed (strings, so a refused form shows again as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContractForm {
    /// Days; empty for the default 30 (R-PAY-01).
    pub payment_term: String,
    /// Days the agency has to accept a delivery (R-PAY-02).
    pub acceptance_days: String,
    /// Agreed annual late-payment rate (%), empty for the statutory 0.05% a day (R-PAY-05).
    pub interest_rate: String,
    /// Performance security (CNY), empty for none (R-SEC-01).
    pub performance_security: String,
    /// The forms the performance security may take (`SecurityForm` codes, from checkboxes);
    /// never cash only (R-PAY-08).
    pub security_forms: Vec<String>,
    pub milestones: Vec<MilestoneForm>,
    /// Other terms agreed (其他约定), free text; no payment term the decree forbids
    /// (R-PAY-09, R-PAY-03).
    pub other_terms: String,
}

/// Where a milestone stands in its delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MilestoneStage {
    Planned,
    Delivered,
    Accepted,
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub id: Uuid,
    pub contract_id: Uuid,
    pub position: i32,
    pub deliverable: String,
    pub amount: Money,
    pub planned_on: NaiveDate,
    pub advance: bool,
    pub stage: MilestoneStage,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The day the agency must accept by (R-PAY-02), once delivered.
    pub acceptance_until: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    /// R-PAY-04, R-PAY-10: the undisputed part when less than the amount.
    pub accepted_amount: Option<Money>,
    pub rejection: Option<(Text, String)>,
    /// What is payable now: the undisputed part (or all of it once the payment clock started),
    /// plus what is owed of a disputed part once its dispute ended (R-PAY-10).
    pub payable: Money,
    /// R-PAY-01/02: the payment clock's start plus the term, once it started (of the
    /// undisputed part; a disputed part has its own in `dispute`).
    pub due_date: Option<NaiveDate>,
    /// Of all its payables: the worst (overdue first).
    pub status: Option<PayableStatus>,
    pub paid: Money,
    pub outstanding: Money,
    /// R-PAY-05: interest accrued as of today (it stops growing once the principal is paid).
    pub interest: Money,
    /// R-PAY-05: interest paid so far, and what of it is still owed: a payable of its own.
    pub interest_paid: Money,
    pub interest_outstanding: Money,
    /// R-PAY-06: the supplier's request that the agency confirm this receivable.
    pub confirmation: Option<ConfirmationView>,
    /// Whether the supplier may ask for a confirmation now (something payable, none asked).
    pub can_request_confirmation: bool,
    /// The delivery's evidence documents.
    pub evidence: Vec<EvidenceView>,
    pub payments: Vec<PaymentView>,
    /// R-PAY-10: the part not accepted, and where it stands.
    pub dispute: Option<DisputeView>,
}

/// R-PAY-10: the disputed part of a milestone accepted in part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisputeView {
    pub disputed: Money,
    /// The allowed reason (R-PAY-03) and the agency's explanation.
    pub reason: Text,
    pub explanation: String,
    pub status: DisputeStatus,
    /// A reduction the agency proposed, awaiting the supplier's answer, and why.
    pub proposed_reduction: Option<(Money, String)>,
    /// The reference of a recorded decision (case number, mediation record).
    pub reference: Option<String>,
    /// Once it ended: what is owed of it, when, and where that payable stands.
    pub due_date: Option<NaiveDate>,
    pub payable_status: Option<PayableStatus>,
}

/// An evidence document of a delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub name: String,
    pub size_bytes: i64,
    pub href: String,
}

/// The most evidence documents one milestone takes.
pub const MAX_EVIDENCE_DOCUMENTS: u64 = 10;

/// R-PAY-06: a receivable confirmation requested by the supplier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationView {
    pub requested_on: NaiveDate,
    /// The last day for the agency to confirm (30 days after the request).
    pub confirm_by: NaiveDate,
    pub confirmed_on: Option<NaiveDate>,
    pub overdue: bool,
}

/// What a payment paid: the milestone itself, or its late-payment interest (R-PAY-05).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentKind {
    #[default]
    Principal,
    Interest,
}

impl PaymentKind {
    pub fn code(self) -> &'static str {
        match self {
            PaymentKind::Principal => "principal",
            PaymentKind::Interest => "interest",
        }
    }

    /// The form's value: empty or `principal`, or `interest`.
    pub fn parse(code: &str) -> Result<PaymentKind, AppError> {
        match code.trim() {
            "" | "principal" => Ok(PaymentKind::Principal),
            "interest" => Ok(PaymentKind::Interest),
            _ => Err(AppError::invalid(
                "kind",
                Text::new(
                    "请选择支付合同款还是逾期利息。",
                    "Choose whether this pays the milestone or its late interest.",
                ),
            )),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub kind: PaymentKind,
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractView {
    pub id: Uuid,
    pub tender_id: Uuid,
    pub tender_title: String,
    pub lot_title: String,
    pub agency_name: String,
    pub supplier_name: String,
    pub value: Money,
    pub payment_term_days: i32,
    pub acceptance_days: i32,
    pub interest: LateInterestTerms,
    pub performance_security: Option<Money>,
    /// R-PAY-08: the forms it may be provided in.
    pub security_forms: Vec<crate::domain::payment::SecurityForm>,
    pub awarded_on: NaiveDate,
    pub signed_at: DateTime<Utc>,
    /// Other terms agreed (其他约定), as signed (issue #33).
    #[serde(default)]
    pub other_terms: Option<String>,
    /// R-SME-02: the SME share the supplier undertook in its bid, and with whom.
    #[serde(default)]
    pub sme_obligation: Option<crate::domain::sme_share::SmeObligation>,
    /// R-AWARD-01: the last day to sign (30 days from the award), and whether the contract was
    /// signed by it (else by how many days late: a public mark).
    pub sign_by: NaiveDate,
    pub signing: crate::domain::payment::ActTimeliness,
    pub milestones: Vec<MilestoneView>,
    /// What the viewer may do here (the server checks again on every action).
    pub can_deliver: bool,
    pub can_accept: bool,
    pub can_pay: bool,
    /// The keys the payment forms rendered now carry (one for the milestone, one for its
    /// interest): sending a form twice pays once.
    pub release_key: Uuid,
    pub interest_release_key: Uuid,
    /// R-AWARD-01: the last day to publish the signed contract, and when it was published.
    pub publish_by: NaiveDate,
    /// Issue #34: `publish_by` was counted on a year whose holiday notice is not loaded yet.
    #[serde(default)]
    pub publish_by_provisional: bool,
    pub published_at: Option<DateTime<Utc>>,
    /// R-AWARD-01: whether the contract was published by `publish_by` (else by how many days
    /// late, or still not published after it): a public mark.
    pub publication: crate::domain::payment::ActTimeliness,
    pub can_publish: bool,
    /// 1 when signed; each amendment adds one.
    pub version: i32,
    pub amendments: Vec<AmendmentView>,
    pub can_amend: bool,
}

/// One amendment: the version it made, why, and each change from what to what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentView {
    pub version: i32,
    pub reason: String,
    pub changes: Vec<Text>,
    pub amended_at: DateTime<Utc>,
}

/// One milestone row of the amendment form: its id, and the deliverable and planned date as
/// they should now read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MilestoneAmendment {
    pub id: String,
    pub deliverable: String,
    pub planned_date: String,
}

/// The amendment form: a written reason and the milestones as they should now read. Amounts
/// and the value stay as signed (the value is the awarded price).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AmendmentForm {
    pub reason: String,
    pub milestones: Vec<MilestoneAmendment>,
}

/// An awarded lot of the agency's tender, with its contract if there is one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AwardedLot {
    pub lot_id: Uuid,
    pub tender_id: Uuid,
    pub tender_title: String,
    pub lot_title: String,
    pub supplier_name: String,
    pub price: Money,
    pub awarded_on: NaiveDate,
    /// R-AWARD-01: the contract is signed within 30 days of the award.
    pub sign_by: NaiveDate,
    pub contract_id: Option<Uuid>,
}

/// R-PAY-07: payment timeliness of one agency, as the public page and the CSV show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyTimeliness {
    pub agency_id: Uuid,
    pub agency_name: String,
    pub stats: crate::domain::payment::TimelinessStats,
    /// R-AWARD-01: its contracts signed late and published late (of those signed in the year).
    #[serde(default)]
    pub late_acts: crate::domain::payment::LateActs,
    /// R-SEC-01: its bid-security refunds due in the period: on time, late, overdue.
    #[serde(default)]
    pub bid_security: crate::domain::bid_security::RefundStats,
}

/// R-PAY-07: the public payment-timeliness report, overall and per agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinessReport {
    /// The day the figures are counted as of: today, or the last day of a year that is over
    /// (R-PAY-07, `payment::figures_as_of`).
    pub as_of: NaiveDate,
    /// The year whose due dates the figures cover; `None` for all years.
    pub year: Option<i32>,
    /// Years with payables, newest first (the page's year links).
    pub years: Vec<i32>,
    pub overall: crate::domain::payment::TimelinessStats,
    /// R-AWARD-01: every agency's contracts signed late and published late, together.
    #[serde(default)]
    pub overall_late_acts: crate::domain::payment::LateActs,
    /// R-SEC-01: every agency's bid-security refunds together.
    #[serde(default)]
    pub overall_bid_security: crate::domain::bid_security::RefundStats,
    /// Every agency (CSV, API), or one page of them (the public page), by name.
    pub agencies: Vec<AgencyTimeliness>,
    /// How many agencies there are in all, and the position of the first in `agencies`.
    pub agency_total: usize,
    pub agency_offset: usize,
}

/// Agencies per page of the public timeliness page (there can be thousands).
pub const TIMELINESS_PAGE: usize = 50;

/// The page number of a list: empty for the first; a whole number from 1.
pub fn parse_page(input: &str) -> Result<usize, AppError> {
    match input.trim() {
        "" => Ok(1),
        s => match s.parse::<usize>() {
            Ok(p) if p >= 1 => Ok(p),
            _ => Err(AppError::invalid(
                "page",
                Text::new(
                    "页码请填写 1 或更大的整数。",
                    "Enter the page as a whole number from 1.",
                ),
            )),
        },
    }
}

/// The year filter of the timeliness page and CSV: empty for all years.
pub fn parse_year(input: &str) -> Result<Option<i32>, AppError> {
    match input.trim() {
        "" => Ok(None),
        // Four digits, as the message says ("+2026" or "02026" are not a year someone types).
        s => match s.parse::<i32>() {
            Ok(y) if s.len() == 4 && (2000..=2100).contains(&y) => Ok(Some(y)),
            _ => Err(AppError::invalid(
                "year",
                Text::new(
                    "年份请填写四位数字，例如 2026。",
                    "Enter the year as four digits, e.g. 2026.",
                ),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::parse_year;

    #[test]
    fn a_year_is_four_digits_from_2000_to_2100_or_nothing() {
        assert_eq!(parse_year("").ok(), Some(None));
        assert_eq!(parse_year(" 2026 ").ok(), Some(Some(2026)));
        assert_eq!(parse_year("2100").ok(), Some(Some(2100)));
        for wrong in [
            "1999",
            "2101",
            "+2026",
            "02026",
            "２０２６",
            "2026.0",
            "twenty",
        ] {
            assert!(parse_year(wrong).is_err(), "{wrong:?}");
        }
    }
}
