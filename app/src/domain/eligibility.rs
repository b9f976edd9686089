//! How well a supplier's profile answers a lot's pass/fail criteria (issue #4): "you meet 4 of 5
//! requirements; missing: ISO 9001". A guide for the supplier, never a verdict: evaluators decide
//! (issue #5). Only criteria a capability record can answer count (licences, certifications, staff
//! qualifications, equipment, quality management); the rest are answered in the bid itself.
//!
//! A record answers a criterion when its kind fits and its text names the requirement: if the
//! requirement carries numbers of three or more digits (a standard such as "ISO 9001" or
//! "GB/T 19001"), the record must carry every one of them as a whole number (so ISO 14001 does not
//! answer ISO 9001); otherwise one text must contain the other, ignoring case, spaces and
//! punctuation. An expired record does not count, and the supplier is told which one expired.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::capability::{Capability, CapabilityKind, Validity};
use super::publication::CriterionKind;

/// A lot's criterion as the matcher needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LotCriterion<'a> {
    pub kind: CriterionKind,
    pub requirement: &'a str,
    /// Pass/fail (no weight). Scored criteria are not requirements to meet.
    pub pass_fail: bool,
}

/// One requirement the profile does not meet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub requirement: String,
    /// The title of a record that would answer it but has expired.
    pub expired_record: Option<String>,
}

/// The match of a profile against one lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotMatch {
    /// Pass/fail requirements a record answers.
    pub met: usize,
    /// Pass/fail requirements a record could answer.
    pub total: usize,
    pub missing: Vec<Missing>,
    /// Pass/fail criteria answered in the bid (technical approach, delivery plan...).
    pub answered_in_bid: usize,
    /// The lot is reserved for SMEs and the supplier has no current SME declaration (R-SME-01).
    pub reserved_not_sme: bool,
}

impl LotMatch {
    /// Nothing stands in the way that the profile can show.
    pub fn eligible(&self) -> bool {
        !self.reserved_not_sme && self.met == self.total
    }
}

/// The capability kinds that can answer a criterion kind; empty when the bid answers it.
pub fn answering_kinds(kind: CriterionKind) -> &'static [CapabilityKind] {
    use CapabilityKind as C;
    match kind {
        CriterionKind::Licence => &[C::Licence],
        CriterionKind::Certification => &[C::Certification, C::QualitySystem],
        CriterionKind::QualityManagement => &[C::QualitySystem, C::Certification],
        CriterionKind::StaffQualification => &[C::StaffQualification],
        CriterionKind::EquipmentOrCapacity => &[C::Equipment],
        CriterionKind::TechnicalApproach
        | CriterionKind::DeliveryPlan
        | CriterionKind::AfterSalesService
        | CriterionKind::SampleOrDemonstration => &[],
    }
}

/// Matches the supplier's current (not archived) records against a lot. `is_sme` is whether its
/// latest declaration makes it an SME; `today` is the day in China.
pub fn match_lot(
    criteria: &[LotCriterion<'_>],
    records: &[Capability],
    reserved_for_sme: bool,
    is_sme: bool,
    today: NaiveDate,
) -> LotMatch {
    let mut result = LotMatch {
        met: 0,
        total: 0,
        missing: Vec::new(),
        answered_in_bid: 0,
        reserved_not_sme: reserved_for_sme && !is_sme,
    };
    for criterion in criteria.iter().filter(|c| c.pass_fail) {
        let kinds = answering_kinds(criterion.kind);
        if kinds.is_empty() {
            result.answered_in_bid += 1;
            continue;
        }
        result.total += 1;
        let answering = records
            .iter()
            .filter(|r| kinds.contains(&r.kind) && names(r, criterion.requirement));
        let mut expired = None;
        let mut met = false;
        for record in answering {
            if Validity::on(record.valid_until, today) == Validity::Expired {
                expired.get_or_insert_with(|| record.title.clone());
            } else {
                met = true;
                break;
            }
        }
        if met {
            result.met += 1;
        } else {
            result.missing.push(Missing {
                requirement: criterion.requirement.to_string(),
                expired_record: expired,
            });
        }
    }
    result
}

/// Whether the record's text names the requirement (see the module's rules).
fn names(record: &Capability, requirement: &str) -> bool {
    let record_text = match &record.number {
        Some(n) => format!("{} {n}", record.title),
        None => record.title.clone(),
    };
    let wanted = numbers(requirement);
    if !wanted.is_empty() {
        let held = numbers(&record_text);
        return wanted.iter().all(|n| held.contains(n));
    }
    let req = normalise(requirement);
    let title = normalise(&record.title);
    if req.is_empty() || title.is_empty() {
        return false;
    }
    title.contains(&req) || (title.chars().count() >= 2 && req.contains(&title))
}

/// Lower case, letters and digits only (Chinese characters are letters).
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Runs of three or more ASCII digits: the numbers of standards and licences.
fn numbers(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() >= 3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn record(kind: CapabilityKind, title: &str, valid_until: Option<NaiveDate>) -> Capability {
        Capability {
            kind,
            title: title.into(),
            number: None,
            issuer: None,
            valid_until,
            details: String::new(),
        }
    }

    fn pass_fail(kind: CriterionKind, requirement: &str) -> LotCriterion<'_> {
        LotCriterion {
            kind,
            requirement,
            pass_fail: true,
        }
    }

    #[test]
    fn four_of_five_names_the_missing_requirement() {
        let records = vec![
            record(CapabilityKind::Licence, "建筑业企业资质证书", None),
            record(CapabilityKind::StaffQualification, "一级建造师", None),
            record(CapabilityKind::Equipment, "混凝土泵车", None),
            record(
                CapabilityKind::Certification,
                "ISO 14001 环境管理体系认证",
                None,
            ),
        ];
        let criteria = [
            pass_fail(CriterionKind::Licence, "建筑业企业资质"),
            pass_fail(
                CriterionKind::StaffQualification,
                "项目经理具有一级建造师资格",
            ),
            pass_fail(CriterionKind::EquipmentOrCapacity, "混凝土泵车"),
            pass_fail(CriterionKind::Certification, "ISO 14001"),
            pass_fail(CriterionKind::QualityManagement, "ISO 9001"),
        ];
        let m = match_lot(&criteria, &records, false, true, today());
        assert_eq!((m.met, m.total), (4, 5));
        assert_eq!(
            m.missing,
            vec![Missing {
                requirement: "ISO 9001".into(),
                expired_record: None
            }]
        );
        assert!(!m.eligible());
    }

    #[test]
    fn standard_numbers_must_match_whole() {
        let records = vec![record(
            CapabilityKind::QualitySystem,
            "ISO 9001:2015 质量管理体系认证",
            None,
        )];
        let nine = [pass_fail(
            CriterionKind::QualityManagement,
            "具有 ISO9001 认证",
        )];
        assert!(match_lot(&nine, &records, false, true, today()).eligible());
        let fourteen = [pass_fail(CriterionKind::QualityManagement, "ISO 14001")];
        assert!(!match_lot(&fourteen, &records, false, true, today()).eligible());
        let ninety = [pass_fail(CriterionKind::QualityManagement, "ISO 900")];
        assert!(!match_lot(&ninety, &records, false, true, today()).eligible());
    }

    #[test]
    fn the_record_number_counts_too() {
        let mut r = record(CapabilityKind::Licence, "安全生产许可证", None);
        r.number = Some("(浙)JZ安许证字[2024]010203".into());
        let criteria = [pass_fail(CriterionKind::Licence, "安全生产许可证 010203")];
        assert!(match_lot(&criteria, &[r], false, true, today()).eligible());
    }

    #[test]
    fn a_record_of_the_wrong_kind_does_not_answer() {
        let records = vec![record(CapabilityKind::Equipment, "一级建造师", None)];
        let criteria = [pass_fail(CriterionKind::StaffQualification, "一级建造师")];
        assert_eq!(match_lot(&criteria, &records, false, true, today()).met, 0);
    }

    #[test]
    fn an_expired_record_is_named_but_does_not_count() {
        let yesterday = today().pred_opt();
        let records = vec![record(CapabilityKind::Certification, "ISO 9001", yesterday)];
        let criteria = [pass_fail(CriterionKind::Certification, "ISO 9001")];
        let m = match_lot(&criteria, &records, false, true, today());
        assert_eq!(m.met, 0);
        assert_eq!(m.missing[0].expired_record.as_deref(), Some("ISO 9001"));
        // Valid through its expiry day.
        let records = vec![record(
            CapabilityKind::Certification,
            "ISO 9001",
            Some(today()),
        )];
        assert!(match_lot(&criteria, &records, false, true, today()).eligible());
    }

    #[test]
    fn scored_and_bid_answered_criteria_are_not_profile_requirements() {
        let criteria = [
            LotCriterion {
                kind: CriterionKind::Certification,
                requirement: "ISO 27001",
                pass_fail: false,
            },
            pass_fail(CriterionKind::DeliveryPlan, "30 日内交付"),
        ];
        let m = match_lot(&criteria, &[], false, true, today());
        assert_eq!((m.met, m.total, m.answered_in_bid), (0, 0, 1));
        assert!(m.eligible());
    }

    #[test]
    fn r_sme_01_a_reserved_lot_needs_an_sme_declaration() {
        let m = match_lot(&[], &[], true, false, today());
        assert!(m.reserved_not_sme);
        assert!(!m.eligible());
        assert!(match_lot(&[], &[], true, true, today()).eligible());
    }
}
