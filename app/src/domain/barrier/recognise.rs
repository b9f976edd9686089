//! Conditions, not words: a subject and a demand in one clause, unless the clause denies it.
//!
//! For each subject found in a clause (a sentence, ended by 。；!? or a line break):
//! 1. a lack just before it (无, 未提供, without, fewer than) with a consequence in the clause
//!    (否决, 不得分, rejected, 0 points) is a condition: "无类似业绩的投标人将被否决";
//! 2. otherwise a negation before it (不设, 无需, 不得以, no, regardless of) or after it (不作要求,
//!    not required, will not be considered) makes it lawful, unless a demand, a comparison or a
//!    contrast stands between them ("不设业绩门槛，但须成立满三年");
//! 3. otherwise a demand anywhere in the clause (须, 不少于, 得分, must, at least, points, a
//!    number) makes it a condition; in a requirement the demand is the requirement itself, and
//!    in contract terms the payment subject is the dependence itself (issue #33).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::cues::{contract_negations, contract_stretch, cues, excludes_the_bidder, Cue, Found};
use super::patterns::{Pattern, PATTERNS};
use super::{payment, Context, Normalised, Subject};

/// How close (bytes of normalised text) a lack must stand before its subject.
const LACK_REACH: usize = 40;

/// A quote longer than this (bytes) is narrowed to the part of the clause around the subject.
const LONG_QUOTE: usize = 240;

/// Each forbidden condition: its subject and the clause (a byte range of the normalised text).
pub fn conditions(text: &Normalised, context: Context) -> Vec<(Subject, Range<usize>)> {
    let s = text.as_str();
    let contract = context == Context::ContractTerms;
    // A tender's texts are read for the tender subjects, a contract's terms for the payment
    // subjects (issue #33), never the one for the other.
    let patterns: &[Pattern] = if contract {
        &payment::PATTERNS
    } else {
        &PATTERNS
    };
    let mut found = Vec::new();
    for clause in clauses(s) {
        let found_cues = if contract {
            contract_cues(s, &clause, patterns)
        } else {
            cues(s, clause.start, clause.end)
        };
        let found_cues = settle(s, found_cues);
        let body = &s[clause.clone()];
        let mut seen: Vec<Subject> = Vec::new();
        for pattern in patterns.iter() {
            if seen.contains(&pattern.subject) {
                continue;
            }
            if pattern.veto.as_ref().is_some_and(|v| v.is_match(body)) {
                continue;
            }
            if pattern.requires.as_ref().is_some_and(|r| !r.is_match(body)) {
                continue;
            }
            for m in pattern.re.find_iter(body) {
                let at = clause.start + m.start()..clause.start + m.end();
                if is_condition(&at, &found_cues, context) {
                    seen.push(pattern.subject);
                    found.push((pattern.subject, quoted(s, &clause, &at)));
                    break;
                }
            }
        }
    }
    found.sort_by_key(|(subject, range)| (range.start, *subject));
    found
}

/// See [`super::cues::NOT_UNTIL`].
static NOT_UNTIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(super::cues::NOT_UNTIL).expect("not-until pattern compiles"));

/// The cues of a clause of contract terms: the contract negations and stretches too; and a word inside a
/// payment subject is part of its name, not a cue ("when" in "pay when paid", "后" …), except
/// a negation, which denies it ("审计结果不作为结算依据").
fn contract_cues(s: &str, clause: &Range<usize>, patterns: &[Pattern]) -> Vec<Found> {
    let body = &s[clause.clone()];
    let named: Vec<Range<usize>> = patterns
        .iter()
        .flat_map(|p| p.re.find_iter(body))
        .map(|m| clause.start + m.start()..clause.start + m.end())
        .collect();
    let mut found = cues(s, clause.start, clause.end);
    found.extend(contract_negations(s, clause.start, clause.end));
    // Time taken out of the term is a demand, not the negation its words contain; so is a
    // negation that "until" answers ("no payment will be made until the audit").
    let mut stretch = contract_stretch(s, clause.start, clause.end);
    stretch.extend(NOT_UNTIL.find_iter(body).map(|m| {
        let start = clause.start + m.start();
        let word = m.as_str().find(' ').unwrap_or(m.len());
        Found {
            cue: Cue::Demand,
            start,
            end: start + word,
        }
    }));
    found.retain(|c| !stretch.iter().any(|x| c.start < x.end && x.start < c.end));
    found.extend(stretch);
    found.retain(|c| {
        c.cue == Cue::Negation || !named.iter().any(|n| n.start <= c.start && c.end <= n.end)
    });
    found.sort_by_key(|f| (f.start, f.end));
    found
}

/// Cues that undo each other: a consequence right after a negation is denied ("will not be
/// rejected"); a negation inside a consequence that excludes the bidder is part of it ("are not
/// eligible").
fn settle(s: &str, mut found: Vec<Found>) -> Vec<Found> {
    let negations: Vec<Found> = found
        .iter()
        .filter(|c| c.cue == Cue::Negation)
        .copied()
        .collect();
    found.retain(|c| {
        c.cue != Cue::Consequence
            || !negations
                .iter()
                .any(|n| n.end <= c.start && c.start - n.end <= 8)
    });
    let excluding: Vec<Found> = found
        .iter()
        .filter(|c| c.cue == Cue::Consequence && excludes_the_bidder(&s[c.start..c.end]))
        .copied()
        .collect();
    found.retain(|c| {
        c.cue != Cue::Negation || !excluding.iter().any(|x| c.start < x.end && x.start < c.end)
    });
    found
}

/// Whether the subject at `at` is demanded in its clause.
fn is_condition(at: &Range<usize>, found: &[Found], context: Context) -> bool {
    // A demand or comparison right after a negation is part of it: "not required", "no
    // minimum", "不作要求".
    let chained = |c: &Found| {
        found
            .iter()
            .any(|n| n.cue == Cue::Negation && n.end <= c.start && c.start - n.end <= 8)
    };
    let blocks = |from: usize, to: usize| {
        found.iter().any(|c| {
            c.start >= from
                && c.end <= to
                && matches!(c.cue, Cue::Demand | Cue::Compare | Cue::Contrast)
                && !chained(c)
        })
    };
    // Cues inside the subject itself ("不满" in "成立不满3年") do not deny it.
    let outside = |c: &&Found| c.end <= at.start || c.start >= at.end;
    let before: Vec<&Found> = found
        .iter()
        .filter(outside)
        .filter(|c| c.end <= at.start)
        .collect();
    let after: Vec<&Found> = found
        .iter()
        .filter(outside)
        .filter(|c| c.start >= at.end)
        .collect();
    let consequence = found
        .iter()
        .filter(outside)
        .any(|c| c.cue == Cue::Consequence);
    let denied_before = |to: usize| {
        before
            .iter()
            .any(|c| c.end <= to && c.cue == Cue::Negation && !blocks(c.end, to))
    };

    // 1. A lack next to the subject, with a consequence: "无类似业绩的投标人将被否决",
    //    "注册资本低于500万元的不得参加" — unless the lack itself is denied ("不得以…无业绩为由否决").
    let lack_before = before
        .iter()
        .find(|c| c.cue == Cue::Lack && at.start - c.end <= LACK_REACH && !blocks(c.end, at.start));
    let lack_after = after
        .iter()
        .any(|c| c.cue == Cue::Lack && c.start - at.end <= LACK_REACH && !blocks(at.end, c.start));
    if consequence {
        match lack_before {
            Some(lack) if !denied_before(lack.start) => return true,
            None if lack_after && !denied_before(at.start) => return true,
            _ => {}
        }
    }
    // 2. A negation before or after it, with no demand between: lawful.
    let denied_inside = found
        .iter()
        .any(|c| c.cue == Cue::Negation && c.start >= at.start && c.end <= at.end);
    // In contract terms a lack before the subject is the forbidden case itself ("未经审计不予
    // 支付", "甲方未收到上级拨款的，付款顺延"), not a permission.
    let contract = context == Context::ContractTerms;
    let denied = denied_inside
        || before.iter().any(|c| {
            (c.cue == Cue::Negation || (c.cue == Cue::Lack && !contract))
                && !blocks(c.end, at.start)
        })
        || after
            .iter()
            .any(|c| c.cue == Cue::Negation && !blocks(at.end, c.start));
    // A permission after it ("成立不足一年的企业同样可以参加") denies it, unless the clause
    // restricts ("only firms … may bid") or excludes.
    let restricted = found
        .iter()
        .any(|c| matches!(c.cue, Cue::Restriction | Cue::Consequence));
    let permitted = !restricted && after.iter().any(|c| c.cue == Cue::Permission);
    if denied || permitted {
        return false;
    }
    // 3. A demand anywhere in the clause, or a requirement.
    // (A demand inside the subject counts: "从业人员不少于300人" is matched whole.)
    // In contract terms the subject is the dependence itself ("上级拨款到位后支付").
    matches!(context, Context::Requirement | Context::ContractTerms)
        || found.iter().any(|c| {
            matches!(
                c.cue,
                Cue::Demand | Cue::Compare | Cue::Weak | Cue::Consequence | Cue::Restriction
            )
        })
}

/// The clauses of a text: sentences ended by 。；！？;!? or a line break, or by a full stop
/// followed by a space (not a decimal point).
fn clauses(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let ends = match c {
            '。' | '；' | ';' | '！' | '!' | '？' | '?' | '\n' | '\r' => true,
            '.' => next.is_none_or(|n| n == ' '),
            _ => false,
        };
        if ends {
            if i > start {
                out.push(start..i);
            }
            start = i + c.len_utf8();
        }
    }
    if start < s.len() {
        out.push(start..s.len());
    }
    out.into_iter().flat_map(|c| bounded(s, c)).collect()
}

/// The longest clause read as one (bytes): a longer run without a full stop (a scanned table,
/// or text made to slow the check) is read in pieces cut at commas, so the check stays linear.
const LONGEST_CLAUSE: usize = 1_500;

fn bounded(s: &str, clause: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = clause.start;
    while clause.end - start > LONGEST_CLAUSE {
        let mut cut = start + LONGEST_CLAUSE;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        let piece = &s[start..cut];
        let at_comma = piece
            .rfind([',', '，'])
            .filter(|i| *i > LONGEST_CLAUSE / 2)
            .map(|i| start + i + 1);
        let end = at_comma.unwrap_or(cut);
        out.push(start..end);
        start = end;
    }
    out.push(start..clause.end);
    out
}

/// The clause to quote: the whole clause, or for a long one the part between commas around
/// the subject.
fn quoted(s: &str, clause: &Range<usize>, at: &Range<usize>) -> Range<usize> {
    if clause.len() <= LONG_QUOTE {
        return clause.clone();
    }
    let is_break = |c: char| matches!(c, ',' | '，' | ':' | '：');
    let start = s[clause.start..at.start]
        .char_indices()
        .filter(|(_, c)| is_break(*c))
        .map(|(i, c)| clause.start + i + c.len_utf8())
        .next_back()
        .unwrap_or(clause.start);
    let end = s[at.end..clause.end]
        .char_indices()
        .find(|(_, c)| is_break(*c))
        .map(|(i, _)| at.end + i)
        .unwrap_or(clause.end);
    start..end
}
