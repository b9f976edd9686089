//! Receipts (`read_receipt`): one signed with the harness's keys reads back as exactly what was
//! signed; a copy with bytes changed, inserted or removed reads back as that same payload or
//! not at all, never as another payload; and text the harness did not sign is never accepted.
#![no_main]

use std::sync::OnceLock;

use app::services::bids::{make_receipt, read_receipt, ReceiptPayload};
use app::infra::sealing::Sealing;
use chrono::DateTime;
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

fn sealing() -> &'static Sealing {
    static SEALING: OnceLock<Sealing> = OnceLock::new();
    SEALING.get_or_init(|| Sealing::new(b"fairtender fuzz receipt key, 32+ bytes"))
}

fn other_sealing() -> &'static Sealing {
    static OTHER: OnceLock<Sealing> = OnceLock::new();
    OTHER.get_or_init(|| Sealing::new(b"another fairtender key, also 32 bytes"))
}

/// Reads fixed-size fields off the front of the input (zeros once it runs out).
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let n = N.min(self.0.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        out
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 4 == 0 {
        // Text nobody signed with these keys.
        let text = String::from_utf8_lossy(rest);
        assert_eq!(
            read_receipt(sealing(), &text),
            None,
            "{text:?} was accepted"
        );
        return;
    }
    let mut bytes = Bytes(rest);
    let micros = i64::from_le_bytes(bytes.take()) % 253_402_300_799_000_000;
    let payload = ReceiptPayload {
        tender: Uuid::from_bytes(bytes.take()),
        bid: Uuid::from_bytes(bytes.take()),
        supplier: Uuid::from_bytes(bytes.take()),
        version: i32::from_le_bytes(bytes.take()),
        submitted_at: DateTime::from_timestamp_micros(micros).unwrap_or_default(),
        digest: String::from_utf8_lossy(&bytes.take::<40>()).into_owned(),
    };
    let receipt = make_receipt(sealing(), &payload).expect("a payload serialises");
    assert_eq!(
        read_receipt(sealing(), &receipt).as_ref(),
        Some(&payload),
        "{receipt}"
    );
    let wrapped: String = receipt
        .as_bytes()
        .chunks(20)
        .map(|c| std::str::from_utf8(c).expect("receipts are ASCII"))
        .collect::<Vec<_>>()
        .join("\n ");
    assert_eq!(
        read_receipt(sealing(), &wrapped).as_ref(),
        Some(&payload),
        "{wrapped}"
    );

    // The rest of the input: edits (position, byte, kind) applied to the receipt.
    let mut changed = receipt.clone().into_bytes();
    for edit in bytes.0.chunks(4) {
        let [a, b, byte, kind] = <[u8; 4]>::try_from(edit).unwrap_or([edit[0], 0, 0, 0]);
        let at = usize::from(u16::from_le_bytes([a, b])) % (changed.len() + 1);
        match kind % 3 {
            0 if at < changed.len() => changed[at] = byte,
            1 => changed.insert(at, byte),
            _ if at < changed.len() => {
                changed.remove(at);
            }
            _ => changed.push(byte),
        }
    }
    let changed = String::from_utf8_lossy(&changed);
    if let Some(read) = read_receipt(sealing(), &changed) {
        assert_eq!(
            read, payload,
            "{changed:?} (changed from {receipt:?}) read as another payload"
        );
    }
    assert_eq!(
        read_receipt(other_sealing(), &receipt),
        None,
        "accepted under another key"
    );
});
