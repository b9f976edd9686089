//! Keys for sealed bids (R-BID-01) and signed receipts, all derived (HKDF-SHA256) from one
//! secret that lives in the configuration, never in the database.
//!
//! - The **tender key** seals each submitted version for the opening. [`Sealing::tender_key`]
//!   refuses to derive it before the tender's deadline, so no code path can read a bid early.
//! - The **bidder key** (per supplier and tender) seals the draft and the bidder's own copy of
//!   each submission; only the bidder's own requests use it.
//! - The **receipt key** (Ed25519) signs receipts; its public half is published, so a receipt
//!   can be checked without trusting this server's word.
//!
//! Ciphertexts are ChaCha20-Poly1305 with a random nonce. A submitted version is sealed with
//! the bid's id, the version's number and the tender's id as associated data (format `v2.`,
//! issue #35), so a sealed version copied onto another bid, another version or another tender
//! does not open. Values sealed before that (no prefix) were bound to the bid's id alone and
//! still open: the opening then checks their content against the stored digest.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{self, Ed25519KeyPair, KeyPair};
use uuid::Uuid;

/// Why a sealed value was not opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// R-BID-01: the tender's key does not exist before its deadline.
    #[error("the bid deadline has not passed: bids stay sealed")]
    StillSealed,
    #[error("sealed value is damaged or belongs to another bid")]
    Damaged,
}

pub struct Sealing {
    prk: hkdf::Prk,
    receipt: Ed25519KeyPair,
    rng: SystemRandom,
}

impl std::fmt::Debug for Sealing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealing { .. }")
    }
}

/// A key that seals and opens; which one it is decides who may use it.
pub struct SealKey(LessSafeKey);

/// The prefix of a submitted version sealed with [`VersionBinding`] as associated data
/// (base64url never contains a dot, so an older value cannot look like one).
pub const SEAL_V2: &str = "v2.";

/// What a submitted version's ciphertext is bound to (issue #35): the bid, the version's
/// number and the tender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionBinding {
    pub bid: Uuid,
    pub version: i32,
    pub tender: Uuid,
}

impl VersionBinding {
    fn aad(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(64);
        aad.extend_from_slice(b"fairtender bid version v2\0");
        aad.extend_from_slice(self.bid.as_bytes());
        aad.extend_from_slice(&self.version.to_be_bytes());
        aad.extend_from_slice(self.tender.as_bytes());
        aad
    }
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

impl Sealing {
    /// From the configured secret (at least 32 bytes of entropy in production).
    pub fn new(secret: &[u8]) -> Sealing {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"fairtender bid sealing v1").extract(secret);
        let mut seed = [0u8; 32];
        expand(&prk, &[b"receipt-signing"], &mut seed);
        // A 32-byte seed is always a valid Ed25519 private key.
        let receipt = Ed25519KeyPair::from_seed_unchecked(&seed)
            .unwrap_or_else(|_| unreachable!("32-byte seed"));
        Sealing {
            prk,
            receipt,
            rng: SystemRandom::new(),
        }
    }

    /// R-BID-01: the tender's key, only once its deadline has passed.
    pub fn tender_key(
        &self,
        tender: Uuid,
        deadline: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<SealKey, SealError> {
        if now < deadline {
            return Err(SealError::StillSealed);
        }
        Ok(self.key(&[b"tender", tender.as_bytes()]))
    }

    /// The key that seals a tender's submissions, for sealing only: anyone may seal before the
    /// deadline, nobody may open (opening goes through [`Sealing::tender_key`]).
    pub fn seal_for_tender(&self, tender: Uuid, bid: Uuid, plain: &[u8]) -> String {
        self.seal(&self.key(&[b"tender", tender.as_bytes()]), bid, plain)
    }

    /// The bidder's own key for one tender. Callers pass the signed-in session's organisation.
    pub fn bidder_key(&self, organisation: Uuid, tender: Uuid) -> SealKey {
        self.key(&[b"bidder", organisation.as_bytes(), tender.as_bytes()])
    }

    fn key(&self, info: &[&[u8]]) -> SealKey {
        let mut bytes = [0u8; 32];
        expand(&self.prk, info, &mut bytes);
        // 32 bytes is ChaCha20-Poly1305's key length.
        let unbound = UnboundKey::new(&CHACHA20_POLY1305, &bytes)
            .unwrap_or_else(|_| unreachable!("32-byte key"));
        SealKey(LessSafeKey::new(unbound))
    }

    /// A fresh random key for one file: the file is sealed with it, and the key itself is
    /// sealed with the bidder's key and for the tender.
    pub fn random_key_bytes(&self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        self.fill_random(&mut bytes);
        bytes
    }

    /// A key from 32 bytes made by [`Sealing::random_key_bytes`].
    pub fn key_from_bytes(bytes: &[u8]) -> Result<SealKey, SealError> {
        UnboundKey::new(&CHACHA20_POLY1305, bytes)
            .map(|k| SealKey(LessSafeKey::new(k)))
            .map_err(|_| SealError::Damaged)
    }

    fn fill_random(&self, out: &mut [u8]) {
        // The system RNG failing is not something a request can recover from; ring documents
        // it as practically impossible on Linux.
        if self.rng.fill(out).is_err() {
            panic!("the system random number generator failed");
        }
    }

    /// `nonce || ciphertext || tag`, base64url.
    pub fn seal(&self, key: &SealKey, bid: Uuid, plain: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.seal_bytes(key, bid, plain))
    }

    /// `nonce || ciphertext || tag`, with `owner` (a bid's or a document's id) as associated
    /// data.
    pub fn seal_bytes(&self, key: &SealKey, owner: Uuid, plain: &[u8]) -> Vec<u8> {
        self.seal_aad(key, owner.as_bytes(), plain)
    }

    /// A submitted version, bound to its bid, number and tender: `v2.` and `nonce ||
    /// ciphertext || tag`, base64url.
    pub fn seal_version(&self, key: &SealKey, at: VersionBinding, plain: &[u8]) -> String {
        let sealed = self.seal_aad(key, &at.aad(), plain);
        format!("{SEAL_V2}{}", URL_SAFE_NO_PAD.encode(sealed))
    }

    /// [`Sealing::seal_version`] with the tender's key: anyone may seal, nobody may open before
    /// the deadline.
    pub fn seal_version_for_tender(&self, at: VersionBinding, plain: &[u8]) -> String {
        self.seal_version(&self.key(&[b"tender", at.tender.as_bytes()]), at, plain)
    }

    /// Opens a submitted version: one sealed by [`Sealing::seal_version`] only at the same
    /// bid, version and tender; one sealed before (no prefix) at the same bid.
    pub fn open_version(
        &self,
        key: &SealKey,
        at: VersionBinding,
        sealed: &str,
    ) -> Result<Vec<u8>, SealError> {
        match sealed.strip_prefix(SEAL_V2) {
            Some(v2) => {
                let bytes = URL_SAFE_NO_PAD.decode(v2).map_err(|_| SealError::Damaged)?;
                Self::open_aad(key, &at.aad(), bytes)
            }
            None => self.open(key, at.bid, sealed),
        }
    }

    fn seal_aad(&self, key: &SealKey, aad: &[u8], plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        self.fill_random(&mut nonce);
        let mut buf = Vec::with_capacity(NONCE_LEN + plain.len() + CHACHA20_POLY1305.tag_len());
        buf.extend_from_slice(&nonce);
        buf.extend_from_slice(plain);
        let tag = key
            .0
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut buf[NONCE_LEN..],
            )
            .unwrap_or_else(|_| panic!("ChaCha20-Poly1305 refused a buffer it can always seal"));
        buf.extend_from_slice(tag.as_ref());
        buf
    }

    pub fn open(&self, key: &SealKey, bid: Uuid, sealed: &str) -> Result<Vec<u8>, SealError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed)
            .map_err(|_| SealError::Damaged)?;
        Self::open_bytes(key, bid, bytes)
    }

    /// Opens what [`Sealing::seal_bytes`] sealed for `owner`.
    pub fn open_bytes(key: &SealKey, owner: Uuid, bytes: Vec<u8>) -> Result<Vec<u8>, SealError> {
        Self::open_aad(key, owner.as_bytes(), bytes)
    }

    fn open_aad(key: &SealKey, aad: &[u8], mut bytes: Vec<u8>) -> Result<Vec<u8>, SealError> {
        if bytes.len() < NONCE_LEN {
            return Err(SealError::Damaged);
        }
        let nonce = Nonce::try_assume_unique_for_key(&bytes[..NONCE_LEN])
            .map_err(|_| SealError::Damaged)?;
        let len = key
            .0
            .open_within(nonce, Aad::from(aad), &mut bytes, NONCE_LEN..)
            .map_err(|_| SealError::Damaged)?
            .len();
        bytes.truncate(len);
        Ok(bytes)
    }

    /// Signs `message` with the receipt key (Ed25519), base64url.
    pub fn sign(&self, message: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.receipt.sign(message).as_ref())
    }

    /// Whether `signature` (base64url) is the receipt key's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        let Ok(sig) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        signature::UnparsedPublicKey::new(&signature::ED25519, self.receipt.public_key().as_ref())
            .verify(message, &sig)
            .is_ok()
    }

    /// The receipt key's public half, base64url, for anyone who wants to check a receipt alone.
    pub fn receipt_public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.receipt.public_key().as_ref())
    }
}

/// HKDF-SHA256 expansion of `prk` for `info` into `out` (at most 255 × 32 bytes).
pub(crate) fn expand(prk: &hkdf::Prk, info: &[&[u8]], out: &mut [u8]) {
    let okm = prk
        .expand(info, Len(out.len()))
        .unwrap_or_else(|_| unreachable!("HKDF output of 32 bytes"));
    okm.fill(out)
        .unwrap_or_else(|_| unreachable!("HKDF output of 32 bytes"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn r_bid_01_the_tender_key_is_refused_until_the_deadline() {
        let s = Sealing::new(b"0123456789abcdef0123456789abcdef");
        let tender = Uuid::now_v7();
        let bid = Uuid::now_v7();
        let deadline = Utc::now();
        let sealed = s.seal_for_tender(tender, bid, b"price 95000");
        let early = deadline - Duration::milliseconds(1);
        assert_eq!(
            s.tender_key(tender, deadline, early).err(),
            Some(SealError::StillSealed)
        );
        let key = s.tender_key(tender, deadline, deadline).unwrap();
        assert_eq!(s.open(&key, bid, &sealed).unwrap(), b"price 95000");
        // Not on another bid, and not with another secret.
        assert_eq!(
            s.open(&key, Uuid::now_v7(), &sealed),
            Err(SealError::Damaged)
        );
        let other = Sealing::new(b"another secret, also 32 bytes long!");
        let key = other.tender_key(tender, deadline, deadline).unwrap();
        assert_eq!(other.open(&key, bid, &sealed), Err(SealError::Damaged));
        assert!(!sealed.contains("95000"));
    }

    #[test]
    fn a_bidder_key_opens_only_its_own_copy() {
        let s = Sealing::new(b"0123456789abcdef0123456789abcdef");
        let (org, other, tender, bid) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let sealed = s.seal(&s.bidder_key(org, tender), bid, b"draft");
        assert_eq!(
            s.open(&s.bidder_key(org, tender), bid, &sealed).unwrap(),
            b"draft"
        );
        assert!(s.open(&s.bidder_key(other, tender), bid, &sealed).is_err());
    }

    #[test]
    fn r_bid_01_a_file_sealed_with_its_own_key_opens_only_with_that_key_and_owner() {
        let s = Sealing::new(b"0123456789abcdef0123456789abcdef");
        let doc = Uuid::now_v7();
        let bytes = s.random_key_bytes();
        assert_ne!(bytes, s.random_key_bytes());
        let key = Sealing::key_from_bytes(&bytes).unwrap();
        let sealed = s.seal_bytes(&key, doc, b"%PDF-1.7 price list 95000");
        assert!(!sealed.windows(5).any(|w| w == b"95000"));
        let again = Sealing::key_from_bytes(&bytes).unwrap();
        assert_eq!(
            Sealing::open_bytes(&again, doc, sealed.clone()).unwrap(),
            b"%PDF-1.7 price list 95000"
        );
        assert_eq!(
            Sealing::open_bytes(&again, Uuid::now_v7(), sealed.clone()),
            Err(SealError::Damaged)
        );
        let other = Sealing::key_from_bytes(&s.random_key_bytes()).unwrap();
        assert_eq!(
            Sealing::open_bytes(&other, doc, sealed),
            Err(SealError::Damaged)
        );
        assert!(Sealing::key_from_bytes(b"short").is_err());
    }

    #[test]
    fn r_bid_01_issue_35_a_version_opens_only_at_its_bid_version_and_tender() {
        let s = Sealing::new(b"0123456789abcdef0123456789abcdef");
        let (tender, bid) = (Uuid::now_v7(), Uuid::now_v7());
        let at = VersionBinding {
            bid,
            version: 2,
            tender,
        };
        let sealed = s.seal_version_for_tender(at, b"price 95000");
        assert!(sealed.starts_with(SEAL_V2));
        let key = s.tender_key(tender, Utc::now(), Utc::now()).unwrap();
        assert_eq!(s.open_version(&key, at, &sealed).unwrap(), b"price 95000");
        for other in [
            VersionBinding { version: 1, ..at },
            VersionBinding {
                bid: Uuid::now_v7(),
                ..at
            },
            VersionBinding {
                tender: Uuid::now_v7(),
                ..at
            },
        ] {
            assert_eq!(
                s.open_version(&key, other, &sealed),
                Err(SealError::Damaged)
            );
        }
        // Without its prefix it is read as an older value (bound to the bid alone): no opening.
        assert_eq!(
            s.open_version(&key, at, &sealed[SEAL_V2.len()..]),
            Err(SealError::Damaged)
        );
        // A version sealed before issue #35 still opens.
        let old = s.seal_for_tender(tender, bid, b"price 90000");
        assert_eq!(s.open_version(&key, at, &old).unwrap(), b"price 90000");
    }

    #[test]
    fn signatures_check_and_a_changed_message_fails() {
        let s = Sealing::new(b"0123456789abcdef0123456789abcdef");
        let sig = s.sign(b"receipt");
        assert!(s.verify(b"receipt", &sig));
        assert!(!s.verify(b"receipt!", &sig));
        assert!(!s.verify(b"receipt", "not base64 !"));
    }
}
