//! Submission receipts: signed by the platform, checked by anyone.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::{bid, bid_submission, tender};
use crate::model::bids::*;
use crate::services::AppState;

use super::common::to_json;

/// What the receipt says, signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptPayload {
    pub tender: Uuid,
    pub bid: Uuid,
    pub supplier: Uuid,
    pub version: i32,
    pub submitted_at: DateTime<Utc>,
    pub digest: String,
}

pub(super) const RECEIPT_PREFIX: &str = "FTR1";

/// `FTR1.<payload, base64url JSON>.<Ed25519 signature of "FTR1.<payload>">`. Public so that
/// the benchmark's generator writes receipts exactly as the server does.
pub fn make_receipt(
    sealing: &crate::infra::sealing::Sealing,
    payload: &ReceiptPayload,
) -> Result<String, AppError> {
    let signed = format!(
        "{RECEIPT_PREFIX}.{}",
        URL_SAFE_NO_PAD.encode(to_json(payload)?)
    );
    let signature = sealing.sign(signed.as_bytes());
    Ok(format!("{signed}.{signature}"))
}

/// The payload of a receipt made by [`make_receipt`] with the same keys, or `None`. Whitespace
/// is ignored (receipts get wrapped when pasted). Takes the keys rather than the state so the
/// receipt fuzz target (fuzz/) can run it without a database.
pub fn read_receipt(
    sealing: &crate::infra::sealing::Sealing,
    receipt: &str,
) -> Option<ReceiptPayload> {
    let receipt: String = receipt.chars().filter(|c| !c.is_whitespace()).collect();
    let (signed, signature) = receipt.rsplit_once('.')?;
    let payload = signed.strip_prefix(&format!("{RECEIPT_PREFIX}."))?;
    if !sealing.verify(signed.as_bytes(), signature) {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The prefix of a signed receipt check (never a receipt: those start with [`RECEIPT_PREFIX`]).
const CHECK_PREFIX: &str = "FTRC1";

/// What a receipt check found, signed with the receipt key, for the receipt page's address
/// after a form post (issue #35: the receipt is posted, and only this comes back in the URL:
/// the result, not the receipt, and nobody can make the page show a result it did not find).
pub fn sign_receipt_check(
    sealing: &crate::infra::sealing::Sealing,
    check: &ReceiptCheck,
) -> Result<String, AppError> {
    let shown = ReceiptCheck {
        digest: None,
        ..check.clone()
    };
    let signed = format!(
        "{CHECK_PREFIX}.{}",
        URL_SAFE_NO_PAD.encode(to_json(&shown)?)
    );
    let signature = sealing.sign(signed.as_bytes());
    Ok(format!("{signed}.{signature}"))
}

/// The check [`sign_receipt_check`] signed, or `None` if it was not signed by this server.
pub fn read_receipt_check(
    sealing: &crate::infra::sealing::Sealing,
    token: &str,
) -> Option<ReceiptCheck> {
    let (signed, signature) = token.trim().rsplit_once('.')?;
    let payload = signed.strip_prefix(&format!("{CHECK_PREFIX}."))?;
    if !sealing.verify(signed.as_bytes(), signature) {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

pub async fn verify_receipt(state: &AppState, receipt: &str) -> Result<ReceiptCheck, AppError> {
    let invalid = |message: Text| ReceiptCheck {
        valid: false,
        message,
        tender_title: None,
        version: None,
        submitted_at: None,
        digest: None,
    };
    if receipt.trim().is_empty() {
        return Err(AppError::invalid(
            "receipt",
            Text::new("请粘贴投标回执。", "Paste a submission receipt."),
        ));
    }
    let Some(payload) = read_receipt(&state.sealing, receipt) else {
        return Ok(invalid(Text::new(
            "回执无效：签名不符，回执被改动过或并非本平台签发。",
            "Not valid: the signature does not match. The receipt was changed or was not issued by fairtender.",
        )));
    };
    let stored = bid_submission::Entity::find()
        .filter(bid_submission::Column::BidId.eq(payload.bid))
        .filter(bid_submission::Column::Version.eq(payload.version))
        .one(&state.db)
        .await?;
    let Some(stored) = stored.filter(|s| {
        s.digest == payload.digest
            && s.submitted_at.timestamp_micros() == payload.submitted_at.timestamp_micros()
    }) else {
        return Ok(invalid(Text::new(
            "回执签名有效，但平台没有与之相符的投标记录。",
            "The signature is valid, but no matching submission is on record.",
        )));
    };
    let title = tender::Entity::find_by_id(payload.tender)
        .one(&state.db)
        .await?
        .map(|t| t.title);
    let bid = bid::Entity::find_by_id(payload.bid).one(&state.db).await?;
    let counts =
        bid.is_some_and(|b| b.submitted_versions == payload.version && b.withdrawn_at.is_none());
    let at = stored.submitted_at.format("%Y-%m-%d %H:%M:%S%.3f UTC");
    Ok(ReceiptCheck {
        valid: true,
        message: if counts {
            Text::new(
                format!(
                    "回执有效：第 {} 版投标于 {at} 收到，是现行有效的版本。",
                    payload.version
                ),
                format!(
                    "Valid: version {} was received at {at} and is the version that counts.",
                    payload.version
                ),
            )
        } else {
            Text::new(
                format!("回执有效：第 {} 版投标于 {at} 收到；此后已被替换或撤回。", payload.version),
                format!("Valid: version {} was received at {at}; it has since been replaced or withdrawn.", payload.version),
            )
        },
        tender_title: title,
        version: Some(payload.version),
        submitted_at: Some(stored.submitted_at),
        digest: Some(stored.digest),
    })
}
