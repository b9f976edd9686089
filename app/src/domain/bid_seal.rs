//! R-BID-01, issue #35: what the opening checks of each counted version before counting it.
//! The stored digest is the SHA-256 of the version's canonical content; the content names its
//! tender, its supplier and when it was submitted. A version whose ciphertext does not open as
//! its own bid, version and tender, whose content does not hash to its digest, or that names
//! another tender, supplier or time, was swapped or altered in the database: it is reported to
//! the officers and in the audit log, never counted silently.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::bid::BidContent;
use crate::i18n::Text;

/// Why a counted version was not counted at the opening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealFault {
    /// The ciphertext does not open as this bid's version on this tender.
    DoesNotOpen,
    /// It opens, but its content does not hash to the stored digest.
    DigestMismatch,
    /// It opens and matches its digest, but names another tender, supplier or time.
    OtherBid,
}

impl SealFault {
    pub fn code(self) -> &'static str {
        match self {
            SealFault::DoesNotOpen => "does_not_open",
            SealFault::DigestMismatch => "digest_mismatch",
            SealFault::OtherBid => "other_bid",
        }
    }

    pub fn parse(code: &str) -> Option<SealFault> {
        [
            SealFault::DoesNotOpen,
            SealFault::DigestMismatch,
            SealFault::OtherBid,
        ]
        .into_iter()
        .find(|f| f.code() == code)
    }

    pub fn text(self) -> Text {
        match self {
            SealFault::DoesNotOpen => Text::new(
                "密封的投标无法以本投标、本版本打开：密文被替换或改动过。",
                "The sealed bid does not open as this bid's version: its ciphertext was swapped or altered.",
            ),
            SealFault::DigestMismatch => Text::new(
                "解密后的内容与提交时记录的摘要不符：密文或摘要被改动过。",
                "The opened content does not match the digest recorded at submission: the ciphertext or the digest was altered.",
            ),
            SealFault::OtherBid => Text::new(
                "解密后的内容属于另一投标人、项目或版本。",
                "The opened content belongs to another supplier, tender or version.",
            ),
        }
    }
}

/// What the version is on record as.
#[derive(Clone, Copy, Debug)]
pub struct Expected<'a> {
    pub digest: &'a str,
    pub tender: Uuid,
    pub supplier: Uuid,
    pub submitted_at: DateTime<Utc>,
}

/// SHA-256 (hex) of a version's canonical content: the digest stored and put in the receipt.
pub fn content_digest(canonical: &[u8]) -> String {
    hex::encode(Sha256::digest(canonical))
}

/// The content of an opened version, if it is the one on record.
pub fn check_opened(plain: &[u8], expected: Expected<'_>) -> Result<BidContent, SealFault> {
    if content_digest(plain) != expected.digest {
        return Err(SealFault::DigestMismatch);
    }
    let content: BidContent =
        serde_json::from_slice(plain).map_err(|_| SealFault::DigestMismatch)?;
    let same_time =
        content.submitted_at.timestamp_micros() == expected.submitted_at.timestamp_micros();
    if content.tender_id != expected.tender
        || content.supplier_id != expected.supplier
        || !same_time
    {
        return Err(SealFault::OtherBid);
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(tender: Uuid, supplier: Uuid, at: DateTime<Utc>) -> BidContent {
        BidContent {
            tender_id: tender,
            supplier_id: supplier,
            supplier_name: "小溪科技".into(),
            lots: Vec::new(),
            proposal: String::new(),
            subcontract_share: None,
            partners: Vec::new(),
            sme_declaration: None,
            documents: Vec::new(),
            bid_security_form: None,
            submitted_at: at,
            salt: Some("00".repeat(32)),
        }
    }

    #[test]
    fn r_bid_01_issue_35_the_version_on_record_is_counted_another_is_reported() {
        let (tender, supplier, at) = (Uuid::now_v7(), Uuid::now_v7(), Utc::now());
        let plain = serde_json::to_vec(&content(tender, supplier, at)).unwrap();
        let digest = content_digest(&plain);
        let expected = Expected {
            digest: &digest,
            tender,
            supplier,
            submitted_at: at,
        };
        assert!(check_opened(&plain, expected).is_ok());
        // Another version's content (another time), with its own digest swapped in too.
        let later = serde_json::to_vec(&content(
            tender,
            supplier,
            at + chrono::Duration::seconds(1),
        ))
        .unwrap();
        assert_eq!(
            check_opened(&later, expected).err(),
            Some(SealFault::DigestMismatch)
        );
        let later_digest = content_digest(&later);
        assert_eq!(
            check_opened(
                &later,
                Expected {
                    digest: &later_digest,
                    ..expected
                }
            )
            .err(),
            Some(SealFault::OtherBid)
        );
        // Another supplier's bid.
        let other = serde_json::to_vec(&content(tender, Uuid::now_v7(), at)).unwrap();
        let other_digest = content_digest(&other);
        assert_eq!(
            check_opened(
                &other,
                Expected {
                    digest: &other_digest,
                    ..expected
                }
            )
            .err(),
            Some(SealFault::OtherBid)
        );
        for f in [
            SealFault::DoesNotOpen,
            SealFault::DigestMismatch,
            SealFault::OtherBid,
        ] {
            assert_eq!(SealFault::parse(f.code()), Some(f));
        }
    }
}
