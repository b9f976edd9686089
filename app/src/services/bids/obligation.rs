//! R-SME-02: the SME share the winner of a lot undertakes, read from its opened bid.

use crate::domain::sme::SizeClass;
use crate::domain::sme_share::{Partner, ShareDemand, SmeObligation};
use crate::domain::Percent;
use crate::error::AppError;
use crate::infra::entities::{opened_bid, tender, tender_lot};

use super::common::{from_json, lot_reserved};

/// What a non-reserved lot of `t` asks of a bid's SME share; `None` for a reserved lot or a
/// tender that asks none.
pub(crate) fn demand_of(t: &tender::Model, lot: &tender_lot::Model) -> Option<ShareDemand> {
    if lot_reserved(t, lot) {
        return None;
    }
    ShareDemand::of(
        Percent::from_bp(t.sme_required_share_bp).value(),
        Percent::from_bp(t.sme_small_micro_share_bp).value(),
    )
}

/// The obligation of the winning bid `winner` on `lot` of `t`.
pub(crate) fn obligation_of(
    t: &tender::Model,
    lot: &tender_lot::Model,
    winner: &opened_bid::Model,
) -> Result<Option<SmeObligation>, AppError> {
    let partners: Vec<Partner> = match &winner.partners {
        Some(json) => from_json(json.as_bytes())?,
        None => Vec::new(),
    };
    let bidder = winner.size_class.as_deref().and_then(SizeClass::parse);
    Ok(SmeObligation::of(partners, bidder, demand_of(t, lot)))
}
