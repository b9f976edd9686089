//! Pieces several pages use: the form library (fields, errors, "done" notices), notices, the
//! language switch, parts of a tender's page, charts, and the form keeper (browser only).

pub mod bid_security;
pub mod charts;
pub mod contract_parts;
pub mod dispute_card;
pub mod forms;
#[cfg(feature = "hydrate")]
pub mod keeper;
pub mod lang;
pub mod notices;
pub mod retender_parts;
pub mod review_parts;
pub mod sme_partners;
pub mod tender_parts;
