//! The one page-cursor codec of the public APIs (issues #32, #35). A cursor is the instant of
//! the last item in microseconds since 1970 (UTC), then the fields that order ties after it
//! (ids as 32 hex digits), joined by `-`: /api/v1 writes `micros-id` (`open_data::encode_cursor`),
//! the OCDS feed `micros-kind-row` (`ocds::encode_cursor`).
//!
//! The format is plain so that the OpenAPI document can describe it exactly with a pattern
//! (`API_PATTERN`, `ocds::CURSOR_PATTERN`): every value the pattern allows is read as a cursor
//! (a page that may be empty), every other value is refused with 400. Clients still treat it
//! as opaque and pass back `next_cursor` / `links.next`.

use chrono::{DateTime, Utc};

/// The pattern of an /api/v1 list cursor (`micros-id`).
pub const API_PATTERN: &str = "^[0-9]{1,16}-[0-9a-f]{32}$";

/// A cursor's parts: the instant, then the fields after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub tail: Vec<String>,
}

impl Cursor {
    /// The cursor as clients see it. The fields of the tail hold no `-` (ids are written as
    /// 32 hex digits by the callers).
    pub fn encode(&self) -> String {
        let mut text = self.at.timestamp_micros().max(0).to_string();
        for field in &self.tail {
            text.push('-');
            text.push_str(field);
        }
        text
    }

    /// A cursor read back with exactly `fields` fields after the instant; `None` when it is
    /// not one (the callers parse the fields).
    pub fn decode(raw: &str, fields: usize) -> Option<Cursor> {
        let mut parts = raw.split('-');
        let micros = parts.next()?;
        if micros.is_empty() || micros.len() > 16 || !micros.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
        let tail: Vec<String> = parts.map(str::to_string).collect();
        (tail.len() == fields && tail.iter().all(|f| !f.is_empty())).then_some(Cursor { at, tail })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_format_is_the_instant_in_microseconds_then_the_tail() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T08:30:00.123456Z")
            .unwrap()
            .to_utc();
        let c = Cursor {
            at,
            tail: vec!["tender".into(), "0190a1b200007000800000000000001f".into()],
        };
        let raw = c.encode();
        assert_eq!(
            raw,
            "1772353800123456-tender-0190a1b200007000800000000000001f"
        );
        assert_eq!(Cursor::decode(&raw, 2), Some(c.clone()));
        // Another number of fields than asked for is not a cursor.
        assert_eq!(Cursor::decode(&raw, 3), None);
        assert_eq!(Cursor::decode(&raw, 1), None);
        for bad in ["", "-", "x-1", "12345678901234567-ab", "1--a"] {
            assert_eq!(Cursor::decode(bad, 1), None, "{bad}");
        }
        // The largest instant the pattern allows is still a cursor.
        assert!(Cursor::decode("9999999999999999-0190a1b200007000800000000000001f", 1).is_some());
    }
}
