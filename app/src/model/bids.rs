//! View and form types of bids: shared by the server and the browser; no database, no HTTP.

use crate::domain::bid::{BidDocumentRef, BidForm};
use crate::domain::sme::{SizeClass, SmeDeclaration};
use crate::domain::Money;
use crate::i18n::Text;
use crate::model::tenders::{CriterionView, TenderSummary};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A capability record the supplier can pick to answer a requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordOption {
    pub id: Uuid,
    pub label: String,
    pub expired: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BidLotView {
    pub title: String,
    pub ceiling: Money,
    /// Reserved for SMEs, by the lot or the whole tender (R-SME-01).
    pub reserved: bool,
    /// R-SME-02: reserved for small and micro firms only.
    #[serde(default)]
    pub small_micro_only: bool,
    /// R-SME-02: the SME share a bid on this lot must give by consortium or subcontract.
    #[serde(default)]
    pub share_demand: Option<crate::domain::sme_share::ShareDemand>,
    pub criteria: Vec<CriterionView>,
}

/// One submitted version, as its bidder sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionView {
    pub version: i32,
    pub submitted_at: DateTime<Utc>,
    /// SHA-256 of the canonical bid content.
    pub digest: String,
    /// The signed receipt: paste it into /receipts/verify to check it.
    pub receipt: String,
    /// The version that counts: the latest, unless the bid was withdrawn.
    pub counts: bool,
}

/// How a lot stands after the opening.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LotState {
    /// Enough bids: evaluation goes ahead.
    Evaluating,
    /// R-BID-04: fewer than 3 valid bids (not opened ones); the lot is re-tendered.
    Failed,
    /// R-SME-05: reserved, fewer than 3 qualified SME bids; re-tendered as non-reserved.
    Suspended,
    Awarded,
}

/// The public notice of a lot that did not go on to an award after the opening: failed
/// (R-BID-04) or suspended (R-SME-05), with the reason in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotOutcomeNotice {
    pub lot_title: String,
    pub state: LotState,
    /// R-BID-04: bids within the ceiling that fail no pass/fail requirement.
    pub valid_bids: usize,
    /// R-SME-05: of those, the bids of SMEs.
    pub qualified_sme_bids: usize,
    pub reason: Text,
}

/// One line of the opening record: who bid what on a lot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpeningLine {
    pub supplier_name: String,
    pub price: Money,
    pub size_class: Option<SizeClass>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpeningLot {
    pub title: String,
    pub state: LotState,
    pub lines: Vec<OpeningLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpeningRecord {
    pub opened_at: DateTime<Utc>,
    pub lots: Vec<OpeningLot>,
}

/// A bid's scores on one lot, as the bidder and the agency see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreLine {
    pub supplier_name: String,
    pub price: Money,
    /// R-SME-03: the deduction applied (%), zero when none.
    pub deduction: Decimal,
    pub evaluated_price: Money,
    pub technical_score: Decimal,
    /// R-EVAL-01; none under lowest evaluated price.
    pub price_score: Option<Decimal>,
    pub total: Option<Decimal>,
    pub qualified: bool,
    pub rank: Option<u32>,
    /// Each criterion: its requirement, the mark and the evaluator's reason.
    pub marks: Vec<MarkLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarkLine {
    pub requirement: String,
    pub passed: Option<bool>,
    pub score: Option<Decimal>,
    pub weight: Option<Decimal>,
    pub reason: String,
}

/// The award notice of one lot, public (R-SME-04: with the winner's SME declaration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AwardNotice {
    pub lot_title: String,
    pub supplier_name: String,
    pub price: Money,
    pub size_class: Option<SizeClass>,
    pub declaration: Option<SmeDeclaration>,
    pub decided_at: DateTime<Utc>,
    pub notice_published_at: DateTime<Utc>,
    /// R-AWARD-01: the contract is to be signed by this day.
    pub sign_contract_by: NaiveDate,
    /// R-SME-02: the SME share the winner undertakes and the partners that give it.
    #[serde(default)]
    pub sme_obligation: Option<crate::domain::sme_share::SmeObligation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChallengeSubject {
    /// The tender's terms (documents, requirements).
    Terms,
    /// A procurement step: the opening (the opening record).
    Opening,
    /// A procurement step: the evaluation (its published results).
    Evaluation,
    /// An award.
    Award,
}

impl ChallengeSubject {
    pub const ALL: [ChallengeSubject; 4] = [
        ChallengeSubject::Terms,
        ChallengeSubject::Opening,
        ChallengeSubject::Evaluation,
        ChallengeSubject::Award,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeSubject::Terms => "terms",
            ChallengeSubject::Opening => "opening",
            ChallengeSubject::Evaluation => "evaluation",
            ChallengeSubject::Award => "award",
        }
    }

    pub fn parse(s: &str) -> Option<ChallengeSubject> {
        match s.trim() {
            "terms" => Some(ChallengeSubject::Terms),
            "opening" => Some(ChallengeSubject::Opening),
            "evaluation" => Some(ChallengeSubject::Evaluation),
            "award" => Some(ChallengeSubject::Award),
            _ => None,
        }
    }

    /// What is challenged, as the form and the errors name it.
    pub fn label(self) -> Text {
        match self {
            ChallengeSubject::Terms => Text::new("采购文件", "the tender documents"),
            ChallengeSubject::Opening => Text::new("开标", "the opening"),
            ChallengeSubject::Evaluation => Text::new("评标", "the evaluation"),
            ChallengeSubject::Award => Text::new("中标结果", "the award"),
        }
    }

    /// R-CHAL-01 (IR Art. 53): where its 7 working days run from.
    pub fn runs_from(self) -> Text {
        match self {
            ChallengeSubject::Terms => Text::new(
                "自采购文件提供期限届满之日起（R-TIME-03）",
                "from the end of the documents' availability period (R-TIME-03)",
            ),
            ChallengeSubject::Opening => Text::new(
                "自开标记录公布之日起",
                "from the day the opening record was published",
            ),
            ChallengeSubject::Evaluation => Text::new(
                "自评标结果公布之日起",
                "from the day the evaluation's results were published",
            ),
            ChallengeSubject::Award => Text::new(
                "自中标结果公告期限（1 个工作日）届满之日起",
                "from the end of the award notice period (1 working day)",
            ),
        }
    }
}

/// R-CHAL-01: the window to challenge one subject, as the supplier's page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeWindowView {
    pub subject: ChallengeSubject,
    /// The day the 7 working days run from (not counted).
    pub runs_from: NaiveDate,
    /// The last day a challenge is accepted.
    pub until: NaiveDate,
    /// Issue #34: counted on a year whose holiday notice is not loaded yet.
    pub provisional: bool,
    /// Today is within the window.
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeView {
    pub id: Uuid,
    pub tender_id: Uuid,
    pub tender_title: String,
    pub supplier_name: String,
    pub subject: ChallengeSubject,
    pub body: String,
    pub filed_at: DateTime<Utc>,
    /// R-CHAL-01: the agency answers by this day.
    pub answer_due: NaiveDate,
    /// Issue #34: `answer_due` is counted on a year whose holiday notice is not loaded yet.
    #[serde(default)]
    pub answer_due_provisional: bool,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Unanswered after its due day.
    pub overdue: bool,
}

/// Everything on the supplier's bid page for one tender.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BidDesk {
    pub tender: TenderSummary,
    pub lots: Vec<BidLotView>,
    /// Bids may be submitted, replaced or withdrawn (before the deadline, not cancelled).
    pub open: bool,
    pub cancelled: bool,
    pub records: Vec<RecordOption>,
    pub size_class: Option<SizeClass>,
    /// The draft, or the last submitted content, as a form.
    pub form: BidForm,
    /// The draft differs from what was last submitted (or nothing was submitted yet).
    pub unsubmitted_changes: bool,
    /// The documents attached now: they go with the next submission.
    pub documents: Vec<BidDocumentView>,
    pub submitted_versions: i32,
    pub withdrawn: bool,
    pub submissions: Vec<SubmissionView>,
    /// After the opening: the lots this supplier bid on.
    pub opening: Option<OpeningRecord>,
    /// After an award: this supplier's own score breakdown and rank, per lot.
    pub results: Vec<(String, ScoreLine)>,
    pub awards: Vec<AwardNotice>,
    pub challenges: Vec<ChallengeView>,
    /// R-CHAL-01: a challenge of the terms is accepted until this day.
    pub challenge_terms_until: Option<NaiveDate>,
    /// Issue #34: `challenge_terms_until` was counted on a year whose notice is not loaded yet.
    #[serde(default)]
    pub challenge_terms_until_provisional: bool,
    /// R-CHAL-01: a challenge of the award is accepted until this day (after an award).
    pub challenge_award_until: Option<NaiveDate>,
    /// R-CHAL-01: every window this supplier has (the terms; for a bidder the opening, the
    /// evaluation and the award once each is public), with where it runs from.
    #[serde(default)]
    pub challenge_windows: Vec<ChallengeWindowView>,
    /// Issue #34: `challenge_award_until` was counted on a year whose notice is not loaded yet.
    #[serde(default)]
    pub challenge_award_until_provisional: bool,
    /// R-SEC-01: after an award, the day this bidder's bid security is refunded by (when the
    /// tender asked for one).
    #[serde(default)]
    pub bid_security_refund_by: Option<NaiveDate>,
    /// Issue #34: `bid_security_refund_by` was counted on a year whose notice is not loaded yet.
    #[serde(default)]
    pub bid_security_refund_by_provisional: bool,
    /// R-SEC-01: the bid security the tender asks for (none: `None`), and the forms it accepts,
    /// among which the bidder chooses (R-PAY-08: never cash only).
    #[serde(default)]
    pub bid_security: Option<Money>,
    #[serde(default)]
    pub bid_security_forms: Vec<crate::domain::payment::SecurityForm>,
    /// R-SEC-01: after the opening, this bidder's own security: its form, refund day and
    /// whether it was refunded, late or overdue.
    #[serde(default)]
    pub own_security: Option<BidSecurityView>,
}

/// R-SEC-01: one bidder's bid security on a tender, as its agency and (its own only) the
/// bidder see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidSecurityView {
    pub tender_id: Uuid,
    pub tender_title: String,
    pub organisation_id: Uuid,
    pub supplier_name: String,
    pub amount: Money,
    /// The form the bidder chose; `None` for a bid from before the forms were asked.
    pub form: Option<crate::domain::payment::SecurityForm>,
    /// 5 working days after the award notice of its lots; `None` before any award.
    pub refund_by: Option<NaiveDate>,
    /// Issue #34: `refund_by` was counted on a year whose notice is not loaded yet.
    pub refund_by_provisional: bool,
    /// The day the agency recorded as the refund (for a guarantee, its return).
    pub refunded_on: Option<NaiveDate>,
    pub status: crate::domain::bid_security::RefundStatus,
}

/// What checking a receipt found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptCheck {
    pub valid: bool,
    pub message: Text,
    pub tender_title: Option<String>,
    pub version: Option<i32>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub digest: Option<String>,
}

/// One criterion's mark on the evaluation form (strings, as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MarkForm {
    pub criterion: String,
    /// `pass`, `fail` or empty (pass/fail criteria).
    pub passed: String,
    /// Points (scored criteria).
    pub score: String,
    pub reason: String,
}

/// One opened bid on the evaluation page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationBid {
    pub opened_bid_id: Uuid,
    pub submitted_at: DateTime<Utc>,
    pub size_class: Option<SizeClass>,
    pub subcontract_share: Option<Decimal>,
    /// The records the bidder picked for each criterion (labels), and its proposal.
    pub answers: Vec<Option<String>>,
    pub proposal: String,
    /// The documents of the counted version.
    pub documents: Vec<BidDocumentView>,
    pub score: ScoreLine,
    /// R-REC-01: every save of this bid's marks, oldest first; the last is the one in force
    /// (`score`), the earlier ones are kept as they were, with who and when.
    #[serde(default)]
    pub mark_versions: Vec<MarkVersion>,
}

/// One save of a bid's marks (R-REC-01, issue #33): the criteria it marked, who and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarkVersion {
    /// 1 for the first save; each later save adds one.
    pub version: i32,
    /// The evaluator's name as the platform knows it.
    pub marked_by: String,
    pub marked_at: DateTime<Utc>,
    pub marks: Vec<MarkLine>,
}

/// A bid document and where the reader downloads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidDocumentView {
    pub document: BidDocumentRef,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionRef {
    pub id: Uuid,
    pub view: CriterionView,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationLot {
    pub lot_id: Uuid,
    pub title: String,
    pub ceiling: Money,
    pub reserved: bool,
    pub state: LotState,
    pub criteria: Vec<CriterionRef>,
    pub bids: Vec<EvaluationBid>,
    /// What keeps the evaluation from being final (marks missing), every problem at once.
    pub incomplete: Vec<Text>,
    pub award: Option<AwardNotice>,
}

/// Where the tender's bids stand, for the agency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EvaluationStage {
    /// R-BID-01: before the deadline nothing about bids is known, not even whether any exist.
    Sealed {
        until: DateTime<Utc>,
    },
    /// The deadline passed; the officer may open.
    ReadyToOpen,
    Opened {
        opened_at: DateTime<Utc>,
        lots: Vec<EvaluationLot>,
    },
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationPage {
    pub tender: TenderSummary,
    /// Comprehensive scoring's price weight; none for lowest evaluated price.
    pub price_weight: Option<Decimal>,
    pub stage: EvaluationStage,
    /// R-AWARD-01: the award notice is due within 2 working days of the decision (shown with
    /// each award); the officer may open, evaluate and award.
    pub can_award: bool,
    pub challenges: Vec<ChallengeView>,
    /// R-SME-05, R-BID-04: the re-tender of the lots that failed, once made (a draft or
    /// published).
    #[serde(default)]
    pub retender: Option<super::tenders::RelatedTender>,
    /// Issue #35: counted versions the opening found swapped or altered, not counted.
    #[serde(default)]
    pub seal_faults: Vec<SealFaultView>,
}

/// A counted version the opening did not count: its ciphertext or digest was swapped or
/// altered in the database (issue #35).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealFaultView {
    pub supplier_name: String,
    pub version: i32,
    pub reason: Text,
}
