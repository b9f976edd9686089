//! The labelled corpus of contract payment terms (`payment_corpus.tsv`, issue #33), read as
//! [`Context::ContractTerms`]: recall on the terms R-PAY-09 and R-PAY-03 forbid and false
//! positives on lawful terms, with the same targets as the tender corpus (`corpus.rs`).

use super::corpus::{measure, parse};
use super::{check, Context, Subject};

const CORPUS: &str = include_str!("payment_corpus.tsv");

#[test]
fn r_pay_09_r_pay_03_payment_corpus_recall_and_false_positives_meet_the_targets() {
    let lines = parse(CORPUS);
    assert!(lines.len() >= 140, "the corpus needs at least 140 lines");
    let failures = measure(&lines, Context::ContractTerms);
    assert!(failures.is_empty(), "below target: {failures:?}");
}

/// A forbidden line is refused for the reason its category names, under that subject's rule.
#[test]
fn r_pay_09_r_pay_03_each_forbidden_term_is_refused_for_its_own_subject() {
    let mut wrong = Vec::new();
    for line in parse(CORPUS).iter().filter(|l| l.forbidden) {
        let subject = Subject::ALL
            .iter()
            .find(|s| s.key() == line.category)
            .unwrap_or_else(|| panic!("no subject for category {}", line.category));
        let found = check(line.text, Context::ContractTerms, false);
        if !found.is_empty() && !found.iter().any(|f| f.subject == *subject) {
            wrong.push(format!("{}: {:?}", line.text, found));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The two corpora do not leak into each other: a tender's texts are never read for payment
/// terms, and contract terms never for the tender subjects.
#[test]
fn r_pay_09_payment_subjects_are_read_only_in_contract_terms() {
    for line in parse(CORPUS).iter().filter(|l| l.forbidden) {
        for context in [Context::Prose, Context::Requirement] {
            assert!(
                check(line.text, context, false)
                    .iter()
                    .all(|f| !f.subject.is_payment_term()),
                "{}",
                line.text
            );
        }
    }
    for text in ["投标人注册资本不低于500万元。", "近三年具有同类项目业绩"]
    {
        assert!(check(text, Context::ContractTerms, false).is_empty());
    }
}
