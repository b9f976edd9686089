//! Capability records (资质与能力): what a supplier can do, entered once in its profile and reused
//! by every bid ("submit once"). The kinds are the ones a capability-based tender may ask for
//! (RULES.md, "No barriers to capable firms"): licences and certifications the work legally needs,
//! staff qualifications, equipment and capacity, quality systems. Nothing here records firm size,
//! capital or track record (R-BAR-01, R-BAR-02).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::text_field;
use crate::error::FieldError;
use crate::i18n::{Lang, Text};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapabilityKind {
    /// 许可证 (a licence the law requires for the work)
    Licence,
    /// 资质证书 / 认证
    Certification,
    /// 人员资格 (a named staff member's qualification)
    StaffQualification,
    /// 设备与产能
    Equipment,
    /// 质量管理体系 (e.g. ISO 9001)
    QualitySystem,
}

impl CapabilityKind {
    pub const ALL: &'static [CapabilityKind] = &[
        CapabilityKind::Licence,
        CapabilityKind::Certification,
        CapabilityKind::StaffQualification,
        CapabilityKind::Equipment,
        CapabilityKind::QualitySystem,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CapabilityKind::Licence => "licence",
            CapabilityKind::Certification => "certification",
            CapabilityKind::StaffQualification => "staff_qualification",
            CapabilityKind::Equipment => "equipment",
            CapabilityKind::QualitySystem => "quality_system",
        }
    }

    pub fn parse(s: &str) -> Option<CapabilityKind> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s.trim())
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::ZhCn, CapabilityKind::Licence) => "许可证",
            (Lang::ZhCn, CapabilityKind::Certification) => "资质证书或认证",
            (Lang::ZhCn, CapabilityKind::StaffQualification) => "人员资格",
            (Lang::ZhCn, CapabilityKind::Equipment) => "设备与产能",
            (Lang::ZhCn, CapabilityKind::QualitySystem) => "质量管理体系",
            (Lang::En, CapabilityKind::Licence) => "Licence",
            (Lang::En, CapabilityKind::Certification) => "Certification",
            (Lang::En, CapabilityKind::StaffQualification) => "Staff qualification",
            (Lang::En, CapabilityKind::Equipment) => "Equipment and capacity",
            (Lang::En, CapabilityKind::QualitySystem) => "Quality system",
        }
    }

    /// Licences, certificates, staff qualifications and quality-system certificates carry a
    /// number that a buyer can check with the issuer; equipment does not.
    pub fn needs_number(self) -> bool {
        self != CapabilityKind::Equipment
    }
}

/// What the supplier types, as strings, so a refused form can be shown again as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilityForm {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub issuer: String,
    /// `YYYY-MM-DD`, as an `<input type="date">` sends it; empty when it never expires.
    #[serde(default)]
    pub valid_until: String,
    #[serde(default)]
    pub details: String,
}

/// A checked capability record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capability {
    pub kind: CapabilityKind,
    pub title: String,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub valid_until: Option<NaiveDate>,
    pub details: String,
}

impl CapabilityForm {
    /// Checks every field and reports every problem at once, each naming its field.
    pub fn parse(&self) -> Result<Capability, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = CapabilityKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                Text::new("请选择类别。", "Choose what kind of record this is."),
            ));
        }
        let title = text_field(&self.title, "title", 200, true, &mut errors);
        let number = text_field(&self.number, "number", 100, false, &mut errors);
        if kind.is_some_and(CapabilityKind::needs_number)
            && number.is_none()
            && !errors.iter().any(|e| e.field == "number")
        {
            errors.push(FieldError::new(
                "number",
                Text::new(
                    "请填写证书编号，以便采购人核验。",
                    "Enter the certificate number so that buyers can check it.",
                ),
            ));
        }
        let issuer = text_field(&self.issuer, "issuer", 200, false, &mut errors);
        let details = text_field(&self.details, "details", 2000, false, &mut errors);
        let valid_until = match self.valid_until.trim() {
            "" => None,
            s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(FieldError::new(
                        "valid_until",
                        Text::new(
                            "有效期请按 年-月-日 填写，例如 2027-06-30；长期有效则留空。",
                            "Enter the expiry date as year-month-day, e.g. 2027-06-30; leave it empty if it never expires.",
                        ),
                    ));
                    None
                }
            },
        };
        match (kind, title) {
            (Some(kind), Some(title)) if errors.is_empty() => Ok(Capability {
                kind,
                title,
                number,
                issuer,
                valid_until,
                details: details.unwrap_or_default(),
            }),
            _ => Err(errors),
        }
    }
}

/// Whether a record can still be relied on, on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Validity {
    /// No expiry date (equipment, a permanent licence).
    Permanent,
    Valid,
    /// Expires within [`EXPIRY_WARNING_DAYS`]: time to renew.
    ExpiresSoon,
    /// The expiry date has passed: flagged, and not to be relied on in a bid.
    Expired,
}

/// How many days ahead the profile warns of an expiry.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

impl Validity {
    /// `today` is the day in China (UTC+8); a record is valid through its expiry date.
    pub fn on(valid_until: Option<NaiveDate>, today: NaiveDate) -> Validity {
        match valid_until {
            None => Validity::Permanent,
            Some(until) if until < today => Validity::Expired,
            Some(until) if (until - today).num_days() <= EXPIRY_WARNING_DAYS => {
                Validity::ExpiresSoon
            }
            Some(_) => Validity::Valid,
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::ZhCn, Validity::Permanent) => "长期有效",
            (Lang::ZhCn, Validity::Valid) => "有效",
            (Lang::ZhCn, Validity::ExpiresSoon) => "即将到期",
            (Lang::ZhCn, Validity::Expired) => "已过期",
            (Lang::En, Validity::Permanent) => "No expiry",
            (Lang::En, Validity::Valid) => "Valid",
            (Lang::En, Validity::ExpiresSoon) => "Expires soon",
            (Lang::En, Validity::Expired) => "Expired",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Validity::Permanent => "permanent",
            Validity::Valid => "valid",
            Validity::ExpiresSoon => "expires_soon",
            Validity::Expired => "expired",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CapabilityForm {
        CapabilityForm {
            kind: "certification".into(),
            title: "ISO 9001 质量管理体系认证".into(),
            number: "00124Q31234R0S".into(),
            issuer: "中国质量认证中心".into(),
            valid_until: "2027-06-30".into(),
            details: String::new(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_complete_record_parses_and_trims() {
        let mut f = form();
        f.title = "  ISO 9001  ".into();
        let c = f.parse().unwrap();
        assert_eq!(c.kind, CapabilityKind::Certification);
        assert_eq!(c.title, "ISO 9001");
        assert_eq!(c.valid_until, NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(c.issuer.as_deref(), Some("中国质量认证中心"));
    }

    #[test]
    fn every_problem_is_reported_on_its_field() {
        let f = CapabilityForm {
            kind: "track_record".into(),
            title: " ".into(),
            valid_until: "30/06/2027".into(),
            ..Default::default()
        };
        let errors = f.parse().unwrap_err();
        assert_eq!(fields(&errors), ["kind", "title", "valid_until"]);
        assert!(errors[2].message.en.contains("2027-06-30"));
    }

    #[test]
    fn certificates_need_a_number_equipment_does_not() {
        let mut f = form();
        f.number = String::new();
        assert_eq!(fields(&f.parse().unwrap_err()), ["number"]);
        f.kind = "equipment".into();
        f.valid_until = String::new();
        let c = f.parse().unwrap();
        assert_eq!((c.number, c.valid_until), (None, None));
    }

    #[test]
    fn size_and_track_record_are_not_kinds_of_capability() {
        // R-BAR-01, R-BAR-02: a profile cannot hold what tenders may not ask for.
        for barrier in ["registered_capital", "revenue", "track_record", "headcount"] {
            assert_eq!(CapabilityKind::parse(barrier), None);
        }
        for k in CapabilityKind::ALL {
            assert_eq!(CapabilityKind::parse(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn expiry_is_flagged_from_the_day_after_and_warned_a_month_ahead() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let until = Some(day(6, 30));
        assert_eq!(Validity::on(None, day(6, 30)), Validity::Permanent);
        assert_eq!(Validity::on(until, day(5, 1)), Validity::Valid);
        assert_eq!(Validity::on(until, day(5, 31)), Validity::ExpiresSoon);
        assert_eq!(Validity::on(until, day(6, 30)), Validity::ExpiresSoon);
        assert_eq!(Validity::on(until, day(7, 1)), Validity::Expired);
    }
}
