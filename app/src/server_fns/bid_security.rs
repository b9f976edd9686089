//! R-SEC-01: bid securities after the opening. The tender's agency (a procurement or finance
//! officer) sees each bidder's security with its refund day and records the refund (for a
//! guarantee, its return); each bidder sees only its own, on its bid page (`bids/desk`).

use crate::error::AppError;
use crate::model::bids::BidSecurityView;
#[cfg(feature = "ssr")]
use crate::server_fns::respond::{respond, state};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn parse_id(s: &str) -> Result<uuid::Uuid, AppError> {
    s.trim().parse().map_err(|_| AppError::NotFound)
}

/// The bid securities on the signed-in officer's agency's tenders, overdue first.
#[server(endpoint = "agency/bid-securities")]
pub async fn agency_bid_securities() -> Result<Vec<BidSecurityView>, AppError> {
    respond(async move {
        let (_, agency) =
            crate::server_fns::session::require_org(crate::domain::auth::Action::RefundBidSecurity)
                .await?;
        crate::services::bids::agency_securities(&state()?, agency.into()).await
    })
    .await
}

/// Records the day a bidder's security was refunded (a guarantee: returned), once.
#[server(endpoint = "agency/bid-securities/refund")]
pub async fn record_bid_security_refund(
    tender: String,
    organisation: String,
    #[server(default)] refunded_on: String,
) -> Result<(), AppError> {
    respond(async move {
        let (session, _) =
            crate::server_fns::session::require_org(crate::domain::auth::Action::RefundBidSecurity)
                .await?;
        crate::services::bids::record_refund(
            &state()?,
            &session,
            parse_id(&tender)?,
            parse_id(&organisation)?,
            &refunded_on,
        )
        .await
    })
    .await
}
