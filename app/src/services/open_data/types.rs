//! The /api/v1 response types, which are also the OpenAPI document's schemas (`utoipa`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::money::Money;

/// An exact amount of money: yuan with two decimals, as a string so no client rounds it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Amount {
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$", example = "2850000.00")]
    pub amount: String,
    #[schema(example = "CNY")]
    pub currency: String,
}

impl Amount {
    pub fn fen(fen: i64) -> Amount {
        Amount {
            amount: format!("{:.2}", Money::from_fen(fen).amount()),
            currency: "CNY".into(),
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

/// A published tender in a list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TenderItem {
    pub id: Uuid,
    /// Its OCDS process id: `/api/v1/ocds/records/{ocid}` has its record.
    pub ocid: String,
    pub title: String,
    pub agency: OrganisationRef,
    /// `goods`, `services` or `works`.
    pub category: String,
    /// `open_tender`, `competitive_consultation`, `competitive_negotiation` or
    /// `request_for_quotation`.
    pub method: String,
    pub region: String,
    pub budget: Amount,
    pub published_at: DateTime<Utc>,
    pub bid_deadline: DateTime<Utc>,
    /// `open` (bids accepted), `closed` (deadline passed) or `cancelled`.
    pub status: String,
    /// Reserved for SMEs, whole (R-SME-01) or in some lots (R-SME-02).
    pub sme_reserved: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TenderPage {
    pub data: Vec<TenderItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Criterion {
    /// `licence`, `certification`, `staff_qualification`, `equipment`, `quality_system`,
    /// `technical_approach`, `delivery_plan` ...
    pub kind: String,
    pub requirement: String,
    /// Points when scored; absent for pass/fail.
    pub points: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Lot {
    pub id: Uuid,
    pub tender_id: Uuid,
    /// From 1.
    pub number: i32,
    pub title: String,
    pub budget: Amount,
    pub reserved_for_sme: bool,
    pub criteria: Vec<Criterion>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Clarification {
    pub published_at: DateTime<Utc>,
    pub body: String,
    /// It can affect bids; the deadline then moved (R-TIME-02).
    pub affects_bids: bool,
    pub deadline_after: DateTime<Utc>,
}

/// One published tender with its lots and clarifications.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TenderDetail {
    pub tender: TenderItem,
    pub description: String,
    /// `comprehensive_scoring` or `lowest_evaluated_price`.
    pub evaluation_method: String,
    pub lots: Vec<Lot>,
    pub clarifications: Vec<Clarification>,
    /// Why it was cancelled, when it was.
    pub cancel_reason: Option<String>,
    /// The ocid of the tender whose failed lots this one re-tenders (R-SME-05, R-BID-04);
    /// absent for any other tender. The OCDS release says why (`relatedProcesses`).
    pub retender_of: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LotList {
    pub data: Vec<Lot>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AwardItem {
    pub lot_id: Uuid,
    pub tender_id: Uuid,
    pub ocid: String,
    pub lot_title: String,
    pub supplier: OrganisationRef,
    /// `micro`, `sme` or `large`, from the SME declaration that went with the bid (R-SME-04);
    /// absent without one.
    pub supplier_scale: Option<String>,
    pub price: Amount,
    pub decided_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AwardPage {
    pub data: Vec<AwardItem>,
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MilestoneItem {
    pub id: Uuid,
    pub deliverable: String,
    pub amount: Amount,
    pub planned_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// Paid against this milestone so far (interest not included).
    pub paid: Amount,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ContractItem {
    pub id: Uuid,
    pub tender_id: Uuid,
    pub lot_id: Uuid,
    pub ocid: String,
    pub agency: OrganisationRef,
    pub supplier: OrganisationRef,
    pub value: Amount,
    pub signed_at: DateTime<Utc>,
    /// When the agency published the signed contract (R-AWARD-01).
    pub published_at: Option<DateTime<Utc>>,
    /// Days from acceptance to payment (R-PAY-01).
    pub payment_term_days: i32,
    /// 1 when signed; each amendment adds one.
    pub version: i32,
    pub milestones: Vec<MilestoneItem>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ContractPage {
    pub data: Vec<ContractItem>,
    pub next_cursor: Option<String>,
}

/// R-PAY-07 figures for one agency or for all.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TimelinessFigures {
    pub payables: usize,
    pub paid: usize,
    pub paid_on_time: usize,
    pub paid_late: usize,
    /// Paid on time ÷ (paid + overdue), a fraction from 0 to 1 with 4 decimals.
    pub on_time_rate: Option<String>,
    pub median_days_to_pay: Option<String>,
    pub overdue_count: usize,
    pub overdue_value: Amount,
    pub interest_paid: Amount,
    /// R-AWARD-01: contracts signed in the year (all years without one).
    pub contracts: usize,
    /// R-AWARD-01: of those, signed more than 30 days after the award.
    pub contracts_signed_late: usize,
    /// R-AWARD-01: of those, published more than 2 working days after signing, or still not
    /// published after that.
    pub contracts_published_late: usize,
    /// As PAY Art. 18 reports them: the contracts with a payment overdue and unpaid on
    /// `as_of` (a year that is over: its 31 December), whatever year that payment fell due in.
    pub overdue_contracts: usize,
    /// Those contracts' values added up (each contract's whole value, not only the overdue
    /// part, which is `overdue_value`).
    pub overdue_contract_value: Amount,
}

/// R-SEC-01 figures: bid-security refunds (for a guarantee, its return) that fell due in the
/// period, 5 working days after the award notice.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BidSecurityRefundFigures {
    pub due: usize,
    pub refunded_on_time: usize,
    /// Refunded after the day.
    pub refunded_late: usize,
    /// Not refunded and past the day on `as_of`.
    pub overdue: usize,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AgencyFigures {
    pub agency: OrganisationRef,
    pub figures: TimelinessFigures,
    pub bid_security_refunds: BidSecurityRefundFigures,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Timeliness {
    pub as_of: NaiveDate,
    /// The year of the due dates covered; absent for all years.
    pub year: Option<i32>,
    pub overall: TimelinessFigures,
    pub overall_bid_security_refunds: BidSecurityRefundFigures,
    pub agencies: Vec<AgencyFigures>,
}
