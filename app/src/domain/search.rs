//! Full-text search over tenders that works for Chinese (issue #4), the same way on SQLite
//! (FTS5) and PostgreSQL (tsvector): Chinese has no spaces between words, so text is indexed as
//! overlapping pairs of characters (bigrams, as Lucene's CJK analyser does), and a query of
//! Chinese characters matches exactly where the text contains them in that order. Latin letters
//! and digits are indexed as lower-case words, and a query word matches words it begins
//! ("iso" finds "ISO9001").
//!
//! Both backends get the same tokens from [`index_text`], split on spaces by their own
//! tokenizers, and queries built here from the same rules, so they return the same tenders.

/// A run of CJK characters, or of Latin letters and digits.
#[derive(Debug, PartialEq, Eq)]
enum Run {
    Cjk(Vec<char>),
    Word(String),
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B.. and compatibility supplement
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cjk = Vec::new();
    let mut word = String::new();
    let flush = |cjk: &mut Vec<char>, word: &mut String, out: &mut Vec<Run>| {
        if !cjk.is_empty() {
            out.push(Run::Cjk(std::mem::take(cjk)));
        }
        if !word.is_empty() {
            out.push(Run::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                flush(&mut Vec::new(), &mut word, &mut out);
            }
            cjk.push(c);
        } else if c.is_alphanumeric() {
            if !cjk.is_empty() {
                flush(&mut cjk, &mut String::new(), &mut out);
            }
            word.extend(c.to_lowercase());
        } else {
            flush(&mut cjk, &mut word, &mut out);
        }
    }
    flush(&mut cjk, &mut word, &mut out);
    out
}

fn bigrams(chars: &[char]) -> impl Iterator<Item = String> + '_ {
    chars.windows(2).map(|w| w.iter().collect())
}

/// The text to index for a tender: tokens separated by spaces. A Chinese run gives its bigrams
/// and then its last character alone (so a one-character query finds it at the end of a run
/// too); a Latin run gives itself in lower case.
pub fn index_text(title: &str, description: &str) -> String {
    let mut tokens: Vec<String> = Vec::new();
    for part in [title, description] {
        for run in runs(part) {
            match run {
                Run::Cjk(chars) => {
                    tokens.extend(bigrams(&chars));
                    if let Some(last) = chars.last() {
                        tokens.push(last.to_string());
                    }
                }
                Run::Word(w) => tokens.push(w),
            }
        }
    }
    tokens.join(" ")
}

/// One thing every result must contain: consecutive tokens, the last one possibly a prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub tokens: Vec<String>,
    pub prefix: bool,
}

/// Whether `c` is a mark (General_Category M: `ͅ`, `ि`, `ۜ`). Some count as letters, so a
/// word of marks alone can be typed; SQLite's tokenizer does not keep marks as token
/// characters, so a phrase asking for such a word would be empty there and match nothing.
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// The phrases a search box's text asks for (all of them must match). Two or more Chinese
/// characters must appear exactly, in order (their bigrams, consecutive); a single Chinese
/// character or a Latin word matches as a prefix. Punctuation is ignored, and so is a word of
/// combining marks alone; at most `limit` phrases are kept.
pub fn phrases(query: &str, limit: usize) -> Vec<Phrase> {
    runs(query)
        .into_iter()
        .filter(|run| !matches!(run, Run::Word(w) if w.chars().all(is_mark)))
        .map(|run| match run {
            Run::Cjk(chars) if chars.len() == 1 => Phrase {
                tokens: vec![chars[0].to_string()],
                prefix: true,
            },
            Run::Cjk(chars) => Phrase {
                tokens: bigrams(&chars).collect(),
                prefix: false,
            },
            Run::Word(w) => Phrase {
                tokens: vec![w],
                prefix: true,
            },
        })
        .take(limit)
        .collect()
}

/// The phrases as an SQLite FTS5 `MATCH` expression: `"古籍 籍数" AND "iso"*`. Tokens hold only
/// letters and digits, so nothing in them needs quoting.
pub fn fts5_query(phrases: &[Phrase]) -> String {
    phrases
        .iter()
        .map(|p| {
            format!(
                "\"{}\"{}",
                p.tokens.join(" "),
                if p.prefix { "*" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The phrases as a PostgreSQL `tsquery` (for `to_tsquery('simple', …)`):
/// `('古籍' <-> '籍数') & 'iso':*`.
pub fn tsquery(phrases: &[Phrase]) -> String {
    phrases
        .iter()
        .map(|p| {
            let last = p.tokens.len().saturating_sub(1);
            let tokens: Vec<String> = p
                .tokens
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    if p.prefix && i == last {
                        format!("'{t}':*")
                    } else {
                        format!("'{t}'")
                    }
                })
                .collect();
            format!("({})", tokens.join(" <-> "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an index of `text` matches for `query`, by the rules both backends follow: every
    /// phrase's tokens appear consecutively, the last as a prefix where the phrase says so.
    fn matches(text: &str, query: &str) -> bool {
        let index = index_text(text, "");
        let tokens: Vec<&str> = index.split(' ').collect();
        let phrases = phrases(query, 8);
        !phrases.is_empty()
            && phrases.iter().all(|p| {
                let n = p.tokens.len();
                tokens.windows(n).any(|w| {
                    w.iter()
                        .zip(&p.tokens)
                        .enumerate()
                        .all(|(i, (have, want))| {
                            if p.prefix && i == n - 1 {
                                have.starts_with(want.as_str())
                            } else {
                                have == want
                            }
                        })
                })
            })
    }

    /// Found by the search fuzz target: a mark typed alone (`ͅ`, `ि`, `ۜ`) made a phrase SQLite
    /// reads as empty, so "iso ͅ" found nothing on SQLite and "iso" tenders on PostgreSQL.
    #[test]
    fn a_combining_mark_alone_asks_for_nothing() {
        for mark in ["\u{345}", "\u{93f}", "\u{6dc}", "\u{345}\u{363}"] {
            assert_eq!(
                runs(mark).len(),
                1,
                "{mark:?}: Unicode counts the mark as a letter"
            );
            assert!(phrases(mark, 8).is_empty(), "{mark:?}");
            assert_eq!(phrases(&format!("iso {mark}"), 8), phrases("iso", 8));
        }
        assert!(matches("ISO9001 认证", "iso \u{345}"));
        // A mark on a letter stays part of its word.
        assert_eq!(
            phrases("e\u{363}", 8)[0].tokens,
            vec!["e\u{363}".to_string()]
        );
    }

    #[test]
    fn chinese_is_indexed_as_bigrams_and_latin_as_lower_case_words() {
        assert_eq!(
            index_text("古籍数字化", "ISO9001认证，GB/T 19001"),
            "古籍 籍数 数字 字化 化 iso9001 认证 证 gb t 19001"
        );
    }

    #[test]
    fn chinese_queries_match_where_the_characters_appear_in_order() {
        let title = "市属学校信息化运维服务";
        for hit in [
            "运维",
            "信息化运维",
            "学校",
            "服务",
            "务",
            "市",
            "信息 服务",
        ] {
            assert!(matches(title, hit), "{hit} should find {title}");
        }
        for miss in ["运营", "维运", "学校食堂", "服务器"] {
            assert!(!matches(title, miss), "{miss} should not find {title}");
        }
    }

    #[test]
    fn latin_words_match_by_prefix_in_any_case() {
        let text = "具备 ISO9001 认证的 IT 运维团队";
        assert!(matches(text, "iso"));
        assert!(matches(text, "ISO9001"));
        assert!(matches(text, "it 运维"));
        assert!(!matches(text, "9001"), "a word matches from its start");
        assert!(!matches(text, "iso14001"));
    }

    #[test]
    fn punctuation_only_asks_for_nothing() {
        assert!(phrases("，。！ - /", 8).is_empty());
    }

    #[test]
    fn queries_render_for_both_backends() {
        let p = phrases("古籍数 iso", 8);
        assert_eq!(fts5_query(&p), "\"古籍 籍数\" AND \"iso\"*");
        assert_eq!(tsquery(&p), "('古籍' <-> '籍数') & ('iso':*)");
        assert_eq!(tsquery(&phrases("务", 8)), "('务':*)");
    }

    #[test]
    fn a_long_query_is_cut_to_the_limit() {
        assert_eq!(phrases("a b c d e f g h i j", 8).len(), 8);
    }
}
