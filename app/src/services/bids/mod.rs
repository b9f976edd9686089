//! Bids (issue #5): drafts, sealed submissions and receipts, the opening, evaluation marks,
//! awards and challenges. Every query is scoped: a supplier reads only its own bid, an agency
//! only its own tenders, and nobody reads a bid's content before the deadline (R-BID-01).
//!
//! One file per step (issue #32): `draft`, `submit` (and withdraw), `receipt`, `desk` (the
//! supplier's page), `opening`, `evaluation` (the agency's page), `marks` (the evaluators' marks and their versions), `award`,
//! `challenge`; `common` holds the loaders and checks they share. Callers keep their paths
//! (`crate::services::bids::submit`): what they use is re-exported here.

mod award;
mod challenge;
mod common;
mod desk;
mod draft;
mod evaluation;
mod marks;
mod obligation;
mod opening;
mod receipt;
mod security;
mod submit;

pub use award::{award, award_notices};
pub use challenge::{answer_challenge, file_challenge, open_challenges};
pub(in crate::services) use common::{
    agency_tender, check_open, from_json, own_bid, own_bid_query, public_tender, to_json, unsealed,
};
pub use desk::desk;
pub(in crate::services) use draft::ensure_bid;
pub use draft::save_draft;
pub use evaluation::evaluation_page;
pub use marks::save_marks;
pub(crate) use obligation::obligation_of;
pub(in crate::services) use opening::opened_documents;
pub use opening::{lot_openings, lot_outcomes, open};
pub use receipt::{
    make_receipt, read_receipt, read_receipt_check, sign_receipt_check, verify_receipt,
    ReceiptPayload,
};
pub use security::{agency_securities, record_refund, refund_records};
pub use submit::{submit, withdraw};
