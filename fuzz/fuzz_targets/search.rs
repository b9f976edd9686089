//! Search text to queries: at most `limit` phrases of letters and digits; the FTS5 and tsquery
//! texts are exactly the phrases, quoted, with no operator or quote that came from the user;
//! SQLite's FTS5 (the table the server builds, in memory) accepts every query, and a tender
//! whose title is the search text is found by it.
#![no_main]

use std::cell::RefCell;

use app::domain::search::{fts5_query, index_text, phrases, tsquery, Phrase};
use libfuzzer_sys::fuzz_target;
use rusqlite::Connection;

thread_local! {
    static DB: RefCell<Connection> = RefCell::new({
        let db = Connection::open_in_memory().expect("in-memory SQLite");
        // As migrations/src/m20261127_000014_search_key.rs creates it.
        db.execute_batch("CREATE VIRTUAL TABLE tender_fts USING fts5(body, tokenize = 'unicode61')")
            .expect("FTS5 table");
        db
    });
}

/// A token is a lower-cased run of letters and digits. Lower-casing may add a combining mark
/// (`İ` becomes `i̇`), so what is checked is what the query syntax depends on: no space, quote,
/// backslash or control character.
fn is_token(t: &str) -> bool {
    !t.is_empty()
        && !t
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '\\'))
}

/// Letters and digits that this module and SQLite's unicode61 tokenizer surely both see as
/// such: ASCII, Latin-1 and Latin Extended-A letters, the CJK ideographs of Unicode 6.1.
fn unicode61_letter(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c as u32, 0xC0..=0x17F if c.is_alphabetic())
        || matches!(c as u32, 0x3400..=0x4DB5 | 0x4E00..=0x9FCB)
}

/// Reads `"a b"* AND "c"` back into phrases; `None` if it is anything else.
fn read_fts5(mut q: &str) -> Option<Vec<Phrase>> {
    let mut out = Vec::new();
    while !q.is_empty() {
        if !out.is_empty() {
            q = q.strip_prefix(" AND ")?;
        }
        let (inner, rest) = q.strip_prefix('"')?.split_once('"')?;
        let (prefix, rest) = match rest.strip_prefix('*') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let tokens: Vec<String> = inner.split(' ').map(str::to_string).collect();
        if !tokens.iter().all(|t| is_token(t)) {
            return None;
        }
        out.push(Phrase { tokens, prefix });
        q = rest;
    }
    Some(out)
}

/// Reads `('a' <-> 'b') & ('c':*)` back into phrases; `None` if it is anything else.
fn read_tsquery(mut q: &str) -> Option<Vec<Phrase>> {
    let mut out = Vec::new();
    while !q.is_empty() {
        if !out.is_empty() {
            q = q.strip_prefix(" & ")?;
        }
        let (inner, rest) = q.strip_prefix('(')?.split_once(')')?;
        let mut tokens = Vec::new();
        let mut prefix = false;
        let parts: Vec<&str> = inner.split(" <-> ").collect();
        for (i, part) in parts.iter().enumerate() {
            let part = part.strip_prefix('\'')?;
            let (token, tail) = part.split_once('\'')?;
            match tail {
                "" => {}
                ":*" if i == parts.len() - 1 => prefix = true,
                _ => return None,
            }
            if !is_token(token) {
                return None;
            }
            tokens.push(token.to_string());
        }
        out.push(Phrase { tokens, prefix });
        q = rest;
    }
    Some(out)
}

fuzz_target!(|data: &[u8]| {
    let Some((&limit, text)) = data.split_first() else {
        return;
    };
    let limit = usize::from(limit % 12);
    let query = String::from_utf8_lossy(text);
    let got = phrases(&query, limit);
    assert!(got.len() <= limit, "{query:?}: {} phrases", got.len());
    let all = phrases(&query, usize::MAX);
    assert_eq!(
        got[..],
        all[..got.len()],
        "{query:?}: the limit keeps the first phrases"
    );
    assert!(got.len() == limit || got.len() == all.len());
    for p in &all {
        assert!(
            !p.tokens.is_empty() && p.tokens.iter().all(|t| is_token(t)),
            "{p:?}"
        );
        if !p.prefix {
            // Two or more Chinese characters: their bigrams.
            assert!(p.tokens.iter().all(|t| t.chars().count() == 2), "{p:?}");
        } else {
            assert_eq!(p.tokens.len(), 1, "{p:?}");
        }
    }

    let fts5 = fts5_query(&got);
    assert_eq!(
        read_fts5(&fts5).as_ref(),
        Some(&got),
        "{query:?} gave FTS5 {fts5:?}"
    );
    let ts = tsquery(&got);
    assert_eq!(
        read_tsquery(&ts).as_ref(),
        Some(&got),
        "{query:?} gave tsquery {ts:?}"
    );

    if got.is_empty() {
        return;
    }
    DB.with(|db| {
        let db = db.borrow();
        db.execute("DELETE FROM tender_fts", []).expect("delete");
        db.execute(
            "INSERT INTO tender_fts (rowid, body) VALUES (1, ?1)",
            [index_text(&query, "")],
        )
        .expect("insert");
        let found: i64 = db
            .query_row(
                "SELECT count(*) FROM tender_fts WHERE tender_fts MATCH ?1",
                [&fts5],
                |row| row.get(0),
            )
            .unwrap_or_else(|e| panic!("{query:?}: FTS5 refused {fts5:?}: {e}"));
        // Only for text SQLite's unicode61 tokenizer surely reads as this module does: it
        // removes combining marks (a word of marks alone, which it would read as an empty
        // phrase, is left out of the query by `phrases`), and its letters are Unicode 6.1's.
        if got
            .iter()
            .flat_map(|p| &p.tokens)
            .all(|t| t.chars().all(unicode61_letter))
        {
            assert_eq!(found, 1, "{query:?}: {fts5:?} does not find its own text");
        }
    });
});
