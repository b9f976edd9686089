//! A way past a wrong refusal (issue #34): the barrier check (R-BAR-01..03, R-SME-04) may
//! refuse a lawful clause. The officer sends the findings to the platform administrator with a
//! reason; an approval lets exactly those clauses (rule and quote) through at publication, and
//! the tender page says so in public. Nothing else is ever waived.

use serde::{Deserialize, Serialize};

use crate::domain::publication::Problem;
use crate::i18n::Text;

/// The longest reason or decision note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Where a review request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewStatus {
    Pending,
    Approved,
    Rejected,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Approved => "approved",
            ReviewStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewStatus> {
        match s {
            "pending" => Some(ReviewStatus::Pending),
            "approved" => Some(ReviewStatus::Approved),
            "rejected" => Some(ReviewStatus::Rejected),
            _ => None,
        }
    }

    pub fn name(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::{En, ZhCn};
        match (lang, self) {
            (ZhCn, ReviewStatus::Pending) => "等待平台审核",
            (ZhCn, ReviewStatus::Approved) => "平台已同意",
            (ZhCn, ReviewStatus::Rejected) => "平台未同意",
            (En, ReviewStatus::Pending) => "Awaiting the platform's review",
            (En, ReviewStatus::Approved) => "Approved by the platform",
            (En, ReviewStatus::Rejected) => "Rejected by the platform",
        }
    }
}

/// The administrator's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Decision> {
        match s.trim() {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            _ => None,
        }
    }

    pub fn status(self) -> ReviewStatus {
        match self {
            Decision::Approve => ReviewStatus::Approved,
            Decision::Reject => ReviewStatus::Rejected,
        }
    }
}

/// One barrier finding as it was refused when the review was asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedFinding {
    /// `R-BAR-01`, `R-BAR-02`, `R-BAR-03` or `R-SME-04`.
    pub rule: String,
    /// The form field it was found in, e.g. `lots[1].criteria[0].requirement`.
    pub field: String,
    /// The clause exactly as written.
    pub quote: String,
    /// Why the check refused it (names the rule, says what to write instead).
    pub why: Text,
}

impl ReviewedFinding {
    /// The finding of a publication problem, if it is a barrier finding (one with a quote).
    pub fn of(problem: &Problem) -> Option<ReviewedFinding> {
        problem.quote.as_ref().map(|quote| ReviewedFinding {
            rule: problem.rule.to_string(),
            field: problem.field.clone(),
            quote: quote.clone(),
            why: problem.message.clone(),
        })
    }

    fn waives(&self, problem: &Problem) -> bool {
        problem.rule == self.rule && problem.quote.as_deref() == Some(self.quote.as_str())
    }
}

/// What the audit log keeps of a request or a decision (its digest, R-REC-01): the tender,
/// each finding's rule, field and quote, the status, the officer's reason and the note.
#[derive(Debug, Serialize)]
pub struct ReviewAudit<'a> {
    pub tender: uuid::Uuid,
    pub findings: Vec<(&'a str, &'a str, &'a str)>,
    pub status: &'a str,
    pub reason: &'a str,
    pub note: Option<&'a str>,
}

impl<'a> ReviewAudit<'a> {
    pub fn new(
        tender: uuid::Uuid,
        findings: &'a [ReviewedFinding],
        status: ReviewStatus,
        reason: &'a str,
        note: Option<&'a str>,
    ) -> ReviewAudit<'a> {
        ReviewAudit {
            tender,
            findings: findings
                .iter()
                .map(|f| (f.rule.as_str(), f.field.as_str(), f.quote.as_str()))
                .collect(),
            status: status.as_str(),
            reason,
            note,
        }
    }
}

/// What is left of the publication problems once the approved findings are let through:
/// a barrier problem whose rule and quote were approved is dropped; every other problem stays
/// (a clause added after the approval, a rule without a quote). Also returns the approved
/// findings that were used, so the tender page can show what was let through.
pub fn waive(
    problems: Vec<Problem>,
    approved: &[ReviewedFinding],
) -> (Vec<Problem>, Vec<ReviewedFinding>) {
    let mut used: Vec<ReviewedFinding> = Vec::new();
    let left = problems
        .into_iter()
        .filter(|p| match approved.iter().find(|a| a.waives(p)) {
            Some(a) => {
                if !used.iter().any(|u| u.rule == a.rule && u.quote == a.quote) {
                    used.push(a.clone());
                }
                false
            }
            None => true,
        })
        .collect();
    (left, used)
}

/// The officer's reason or the administrator's note: trimmed, required, at most
/// [`MAX_NOTE_CHARS`] characters.
pub fn parse_note(input: &str, what: Text) -> Result<String, Text> {
    let note = input.trim();
    if note.is_empty() {
        return Err(Text::new(
            format!("请填写{}。", what.zh),
            format!("Please give {}.", what.en),
        ));
    }
    let chars = note.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(Text::new(
            format!(
                "{}最多 {MAX_NOTE_CHARS} 个字符（现在 {chars} 个）。",
                what.zh
            ),
            format!(
                "{} may have at most {MAX_NOTE_CHARS} characters (this one has {chars}).",
                capitalised(&what.en)
            ),
        ));
    }
    Ok(note.to_string())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// What the officer's reason is called in messages.
pub fn reason_name() -> Text {
    Text::new(
        "申请审核的理由（为何该条款符合法律规定）",
        "a reason for the review (why the clause is lawful)",
    )
}

/// What the administrator's decision note is called in messages.
pub fn note_name() -> Text {
    Text::new("审核意见", "a note explaining the decision")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(rule: &'static str, quote: Option<&str>) -> Problem {
        Problem {
            rule,
            field: "description".into(),
            message: Text::new("理由", "why"),
            quote: quote.map(str::to_string),
        }
    }

    fn approved(rule: &str, quote: &str) -> ReviewedFinding {
        ReviewedFinding {
            rule: rule.into(),
            field: "description".into(),
            quote: quote.into(),
            why: Text::new("理由", "why"),
        }
    }

    #[test]
    fn r_bar_01_an_approved_clause_is_let_through_and_nothing_else() {
        let problems = vec![
            problem("R-BAR-01", Some("投标人注册资本不少于1000万元")),
            problem(
                "R-BAR-02",
                Some("Bidders must have completed at least three similar projects"),
            ),
            problem("R-SME-02", None),
        ];
        let (left, used) = waive(
            problems,
            &[approved("R-BAR-01", "投标人注册资本不少于1000万元")],
        );
        let left: Vec<_> = left.iter().map(|p| p.rule).collect();
        assert_eq!(
            left,
            ["R-BAR-02", "R-SME-02"],
            "a new clause and other rules stay"
        );
        assert_eq!(used, [approved("R-BAR-01", "投标人注册资本不少于1000万元")]);
    }

    #[test]
    fn r_bar_02_the_same_quote_under_another_rule_is_not_waived() {
        let (left, used) = waive(
            vec![problem("R-BAR-02", Some("须提供业绩"))],
            &[approved("R-BAR-01", "须提供业绩")],
        );
        assert_eq!(left.len(), 1);
        assert!(used.is_empty());
    }

    #[test]
    fn r_bar_01_a_reason_is_required_and_bounded() {
        let empty = parse_note("  \n ", reason_name()).unwrap_err();
        assert!(empty.zh.starts_with("请填写申请审核的理由"));
        assert!(empty.en.starts_with("Please give a reason"));
        let long = "理".repeat(MAX_NOTE_CHARS + 1);
        let err = parse_note(&long, note_name()).unwrap_err();
        assert!(err
            .en
            .starts_with("A note explaining the decision may have at most 2000"));
        assert_eq!(parse_note("  依据 \n", note_name()).unwrap(), "依据");
    }

    #[test]
    fn decisions_and_statuses_round_trip() {
        for s in [
            ReviewStatus::Pending,
            ReviewStatus::Approved,
            ReviewStatus::Rejected,
        ] {
            assert_eq!(ReviewStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(Decision::parse("approve"), Some(Decision::Approve));
        assert_eq!(
            Decision::parse("reject").map(Decision::status),
            Some(ReviewStatus::Rejected)
        );
        assert_eq!(Decision::parse("maybe"), None);
    }
}
