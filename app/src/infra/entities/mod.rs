//! sea-orm entities, one module per table (see migrations/ for the schema).

pub mod audit_log;
pub mod award;
pub mod bid;
pub mod bid_document;
pub mod bid_mark;
pub mod bid_opening;
pub mod bid_submission;
pub mod capability_record;
pub mod challenge;
pub mod document;
pub mod invitation;
pub mod login_attempt;
pub mod notification;
pub mod opened_bid;
pub mod organisation;
pub mod person;
pub mod saved_search;
pub mod sme_declaration;
pub mod tender;
pub mod tender_clarification;
pub mod tender_criterion;
pub mod tender_document;
pub mod tender_lot;
pub mod tender_watch;
