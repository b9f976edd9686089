//! The one page-cursor codec of the public APIs (issue #32). A cursor is the instant of the
//! last item, then the fields that order ties after it, joined by `|` and base64url-encoded
//! without padding; clients treat it as opaque. The two wire formats differ only in that tail
//! and stay exactly as clients see them: /api/v1 writes `instant|id`
//! (`open_data::encode_cursor`), the OCDS feed `instant|kind|row` (`ocds::encode_cursor`).

use base64::Engine;
use chrono::{DateTime, Utc};

/// A cursor's parts: the instant, then the fields after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub tail: Vec<String>,
}

impl Cursor {
    /// The cursor as clients see it (the instant to the microsecond, in UTC).
    pub fn encode(&self) -> String {
        let mut text = self.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        for field in &self.tail {
            text.push('|');
            text.push_str(field);
        }
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    /// A cursor read back with `tail` fields after the instant (the last takes the rest of the
    /// text); `None` when it is not one of ours.
    pub fn decode(raw: &str, fields: usize) -> Option<Cursor> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.splitn(fields + 1, '|');
        let at = DateTime::parse_from_rfc3339(parts.next()?).ok()?.to_utc();
        let tail: Vec<String> = parts.map(str::to_string).collect();
        (tail.len() == fields).then_some(Cursor { at, tail })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_format_is_the_instant_then_the_tail() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T08:30:00.123456Z")
            .unwrap()
            .to_utc();
        let c = Cursor {
            at,
            tail: vec![
                "tender".into(),
                "0190a1b2-0000-7000-8000-000000000001".into(),
            ],
        };
        let raw = c.encode();
        let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&raw)
            .unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "2026-03-01T08:30:00.123456Z|tender|0190a1b2-0000-7000-8000-000000000001"
        );
        assert_eq!(Cursor::decode(&raw, 2), Some(c.clone()));
        // Fewer fields than asked for is not a cursor; with fewer asked, the last takes the rest.
        assert_eq!(Cursor::decode(&raw, 3), None);
        assert_eq!(
            Cursor::decode(&raw, 1).map(|c| c.tail),
            Some(vec!["tender|0190a1b2-0000-7000-8000-000000000001".into()])
        );
        assert_eq!(Cursor::decode("not base64!", 1), None);
        assert_eq!(Cursor::decode("", 0), None);
    }
}
