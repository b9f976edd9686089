//! A tender draft as the officer types it (strings, so a refused form shows again as typed), and
//! its parse into a `TenderPlan`. Parsing checks the input itself (numbers, dates, known
//! choices); the procurement rules are checked at publication (`publication.rs`).

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::publication::{
    Criterion, CriterionKind, EvaluationMethod, LotPlan, Scoring, SmePlan, TenderPlan,
};
use crate::domain::region::province_of;
use crate::domain::tender::{Category, Method};
use crate::domain::{text_field, Money, Percent};
use crate::error::FieldError;
use crate::i18n::Text;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CriterionForm {
    pub kind: String,
    pub requirement: String,
    /// Points; empty for a pass/fail requirement.
    pub weight: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LotForm {
    pub title: String,
    pub budget: String,
    /// A checkbox: present ("on") when ticked.
    pub reserved: Option<String>,
    /// A checkbox: reserved for small and micro firms only (R-SME-02).
    pub small_micro_only: Option<String>,
    pub criteria: Vec<CriterionForm>,
    /// A hidden field: in a re-tender, the failed tender's lot this lot takes up (R-SME-05,
    /// `domain::retender`). It lifts nothing without the tender's stored link.
    pub retender_lot: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TenderDraftForm {
    pub title: String,
    pub description: String,
    pub category: String,
    pub method: String,
    pub region: String,
    pub budget: String,
    /// `YYYY-MM-DDTHH:MM` in Beijing time, as `<input type="datetime-local">` sends it.
    pub bid_deadline: String,
    pub bid_security: String,
    /// R-SEC-01, R-PAY-08: the `SecurityForm` codes the bid security may take (checkboxes).
    pub bid_security_forms: Vec<String>,
    /// `comprehensive_scoring` or `lowest_evaluated_price`.
    pub evaluation: String,
    pub price_weight: String,
    pub imported_goods: Option<String>,
    pub sme_required_share: String,
    pub sme_small_micro_share: String,
    pub sme_price_deduction: String,
    pub sme_consortium_deduction: String,
    pub lots: Vec<LotForm>,
}

/// A parsed draft: the plan the rules check, and where the work is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderDraft {
    pub plan: TenderPlan,
    pub region: String,
}

impl CriterionForm {
    fn is_blank(&self) -> bool {
        self.kind.trim().is_empty()
            && self.requirement.trim().is_empty()
            && self.weight.trim().is_empty()
    }
}

impl LotForm {
    fn is_blank(&self) -> bool {
        self.title.trim().is_empty()
            && self.budget.trim().is_empty()
            && self.criteria.iter().all(CriterionForm::is_blank)
    }
}

/// Parses `2026-12-20T17:00` (seconds allowed) as Beijing time.
pub fn parse_beijing_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let beijing = chrono::FixedOffset::east_opt(8 * 3600)?;
    beijing
        .from_local_datetime(&naive)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

/// An instant as the deadline field shows it: `2026-12-20T17:00`, Beijing time, to the minute
/// (what [`parse_beijing_datetime`] reads back).
pub fn beijing_datetime_text(at: DateTime<Utc>) -> String {
    (at + chrono::Duration::hours(8))
        .naive_utc()
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A percentage between 0 and 100 with at most two decimals (`Percent::parse`).
pub fn parse_percent(s: &str) -> Result<Decimal, Text> {
    Percent::parse(s).map(Percent::value)
}

impl TenderDraftForm {
    /// Checks every field and reports every problem at once. `now` refuses a past deadline.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<TenderDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let push = |errors: &mut Vec<FieldError>, field: &str, text: Text| {
            errors.push(FieldError::new(field.to_string(), text))
        };
        let title = text_field(&self.title, "title", 300, true, &mut errors);
        let description = text_field(&self.description, "description", 20_000, false, &mut errors)
            .unwrap_or_default();
        let category = Category::parse(self.category.trim());
        if category.is_none() {
            push(
                &mut errors,
                "category",
                Text::new("请选择采购品目类别。", "Choose goods, services or works."),
            );
        }
        let method = Method::parse(self.method.trim());
        if method.is_none() {
            push(
                &mut errors,
                "method",
                Text::new("请选择采购方式。", "Choose a procurement method."),
            );
        }
        let region = self.region.trim().to_string();
        if province_of(&region).is_none() {
            push(
                &mut errors,
                "region",
                Text::new(
                    "地区请以省级行政区开头，例如“浙江省杭州市”。",
                    "Start the region with a province, e.g. 浙江省杭州市 (Hangzhou, Zhejiang).",
                ),
            );
        }
        let budget = match Money::parse(&self.budget) {
            Ok(m) if m > Money::ZERO => Some(m),
            Ok(_) => {
                push(
                    &mut errors,
                    "budget",
                    Text::new("预算金额必须大于零。", "The budget must be more than zero."),
                );
                None
            }
            Err(e) => {
                push(&mut errors, "budget", e.text());
                None
            }
        };
        let bid_deadline = match parse_beijing_datetime(&self.bid_deadline) {
            Some(d) if d > now => Some(d),
            Some(_) => {
                push(
                    &mut errors,
                    "bid_deadline",
                    Text::new("投标截止时间已过。", "The bid deadline is in the past."),
                );
                None
            }
            None => {
                push(
                    &mut errors,
                    "bid_deadline",
                    Text::new(
                        "请填写投标截止时间（北京时间）。",
                        "Enter the bid deadline (Beijing time).",
                    ),
                );
                None
            }
        };
        let bid_security = match self.bid_security.trim() {
            "" => None,
            s => match Money::parse(s) {
                Ok(m) => Some(m),
                Err(e) => {
                    push(&mut errors, "bid_security", e.text());
                    None
                }
            },
        };
        // R-SEC-01: the forms are checked at publication (never cash only), here only read.
        let mut bid_security_forms = Vec::new();
        for code in self
            .bid_security_forms
            .iter()
            .filter(|c| !c.trim().is_empty())
        {
            match crate::domain::payment::SecurityForm::parse(code) {
                Ok(f) if !bid_security_forms.contains(&f) => bid_security_forms.push(f),
                Ok(_) => {}
                Err(e) => push(&mut errors, "bid_security_forms", e),
            }
        }
        let percent = |field: &str, value: &str, errors: &mut Vec<FieldError>| match value.trim() {
            "" => None,
            s => parse_percent(s).map_err(|t| push(errors, field, t)).ok(),
        };
        let evaluation = match self.evaluation.trim() {
            "comprehensive_scoring" => {
                match percent("price_weight", &self.price_weight, &mut errors) {
                    Some(price_weight) => {
                        Some(EvaluationMethod::ComprehensiveScoring { price_weight })
                    }
                    None => {
                        if self.price_weight.trim().is_empty() {
                            push(
                                &mut errors,
                                "price_weight",
                                Text::new(
                                    "综合评分法须设定价格分值。",
                                    "Comprehensive scoring needs a price weight.",
                                ),
                            );
                        }
                        None
                    }
                }
            }
            "lowest_evaluated_price" => Some(EvaluationMethod::LowestEvaluatedPrice),
            _ => {
                push(
                    &mut errors,
                    "evaluation",
                    Text::new("请选择评标方法。", "Choose an evaluation method."),
                );
                None
            }
        };
        let sme = SmePlan {
            required_sme_share: percent(
                "sme_required_share",
                &self.sme_required_share,
                &mut errors,
            )
            .unwrap_or_default(),
            small_micro_share: percent(
                "sme_small_micro_share",
                &self.sme_small_micro_share,
                &mut errors,
            )
            .unwrap_or_default(),
            price_deduction: percent(
                "sme_price_deduction",
                &self.sme_price_deduction,
                &mut errors,
            ),
            consortium_deduction: percent(
                "sme_consortium_deduction",
                &self.sme_consortium_deduction,
                &mut errors,
            ),
        };

        let mut lots = Vec::new();
        for (i, lot) in self.lots.iter().enumerate().filter(|(_, l)| !l.is_blank()) {
            let title = text_field(&lot.title, "lot_title", 200, true, &mut Vec::new());
            if title.is_none() {
                push(
                    &mut errors,
                    &format!("lots[{i}].title"),
                    Text::new(
                        "请填写采购包名称（最多 200 字）。",
                        "Name the lot (at most 200 characters).",
                    ),
                );
            }
            let budget = match Money::parse(&lot.budget) {
                Ok(m) if m > Money::ZERO => Some(m),
                Ok(_) => {
                    push(
                        &mut errors,
                        &format!("lots[{i}].budget"),
                        Text::new(
                            "采购包预算必须大于零。",
                            "A lot's budget must be more than zero.",
                        ),
                    );
                    None
                }
                Err(e) => {
                    push(&mut errors, &format!("lots[{i}].budget"), e.text());
                    None
                }
            };
            let mut criteria = Vec::new();
            for (j, c) in lot
                .criteria
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_blank())
            {
                let field = |name: &str| format!("lots[{i}].criteria[{j}].{name}");
                let kind = CriterionKind::parse(c.kind.trim());
                if kind.is_none() {
                    push(
                        &mut errors,
                        &field("kind"),
                        Text::new("请选择要求的类别。", "Choose the kind of requirement."),
                    );
                }
                let requirement = c.requirement.trim().to_string();
                if requirement.is_empty() || requirement.chars().count() > 2000 {
                    push(
                        &mut errors,
                        &field("requirement"),
                        Text::new(
                            "请写明要求（最多 2000 字）。",
                            "Describe the requirement (at most 2000 characters).",
                        ),
                    );
                }
                let scoring = match c.weight.trim() {
                    "" => Some(Scoring::PassFail),
                    w => parse_percent(w)
                        .map(|weight| Scoring::Scored { weight })
                        .map_err(|t| push(&mut errors, &field("weight"), t))
                        .ok(),
                };
                if let (Some(kind), Some(scoring)) = (kind, scoring) {
                    criteria.push(Criterion {
                        kind,
                        requirement,
                        scoring,
                    });
                }
            }
            if let (Some(title), Some(budget)) = (title, budget) {
                lots.push(LotPlan {
                    title,
                    budget,
                    reserved_for_sme: lot.reserved.is_some() || lot.small_micro_only.is_some(),
                    small_micro_only: lot.small_micro_only.is_some(),
                    criteria,
                    // Not an id: a lot of the draft's own (hidden field, never typed).
                    retender_of: lot.retender_lot.trim().parse().ok(),
                });
            }
        }
        if lots.is_empty() && !errors.iter().any(|e| e.field.starts_with("lots[")) {
            push(
                &mut errors,
                "lots",
                Text::new("至少需要一个采购包。", "A tender needs at least one lot."),
            );
        }

        match (title, category, method, budget, bid_deadline, evaluation) {
            (
                Some(title),
                Some(category),
                Some(method),
                Some(budget),
                Some(bid_deadline),
                Some(evaluation),
            ) if errors.is_empty() => Ok(TenderDraft {
                region,
                plan: TenderPlan {
                    title,
                    description,
                    category,
                    method,
                    budget,
                    lots,
                    evaluation,
                    bid_deadline,
                    bid_security,
                    bid_security_forms,
                    imported_goods: self.imported_goods.is_some(),
                    sme,
                    // Set by the server from the stored link (R-SME-05), never from the form.
                    retender: None,
                },
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn form() -> TenderDraftForm {
        TenderDraftForm {
            title: "市属学校信息化运维服务".into(),
            description: "为 12 所学校提供三年的网络与终端运维。".into(),
            category: "services".into(),
            method: "open_tender".into(),
            region: "浙江省杭州市".into(),
            budget: "1,500,000".into(),
            bid_deadline: "2026-12-20T17:00".into(),
            evaluation: "comprehensive_scoring".into(),
            price_weight: "40".into(),
            lots: vec![
                LotForm {
                    title: "第一包：网络".into(),
                    budget: "800000".into(),
                    reserved: None,
                    criteria: vec![
                        CriterionForm {
                            kind: "certification".into(),
                            requirement: "具备 ISO 9001 质量管理体系认证".into(),
                            weight: String::new(),
                        },
                        CriterionForm {
                            kind: "technical_approach".into(),
                            requirement: "运维方案".into(),
                            weight: "60".into(),
                        },
                        CriterionForm::default(),
                    ],
                    ..Default::default()
                },
                LotForm::default(),
            ],
            ..Default::default()
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap()
    }

    #[test]
    fn a_draft_parses_with_blank_lots_and_criteria_left_out() {
        let d = form().parse(now()).unwrap();
        assert_eq!(d.plan.budget, Money::parse("1500000").unwrap());
        assert_eq!(d.plan.lots.len(), 1);
        assert_eq!(d.plan.lots[0].criteria.len(), 2);
        assert_eq!(d.plan.lots[0].criteria[0].scoring, Scoring::PassFail);
        // 17:00 in Beijing is 09:00 UTC.
        assert_eq!(
            d.plan.bid_deadline,
            Utc.with_ymd_and_hms(2026, 12, 20, 9, 0, 0).unwrap()
        );
        assert_eq!(d.region, "浙江省杭州市");
    }

    #[test]
    fn bad_input_is_refused_field_by_field() {
        let mut f = form();
        f.budget = "-5".into();
        f.region = "Atlantis".into();
        f.bid_deadline = "2026-11-25T09:00".into();
        f.price_weight = "30.123".into();
        f.lots[0].budget = "100.001".into();
        f.lots[0].criteria[1].weight = "abc".into();
        f.lots[0].criteria[1].kind = "track_record".into();
        let errors = f.parse(now()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "region",
                "budget",
                "bid_deadline",
                "price_weight",
                "lots[0].budget",
                "lots[0].criteria[1].kind",
                "lots[0].criteria[1].weight",
            ]
        );
    }

    #[test]
    fn percentages_are_stored_exactly_in_hundredths() {
        let p = parse_percent("30.5").unwrap();
        assert_eq!(Percent::new(p).to_bp(), Ok(3050));
        assert_eq!(Percent::from_bp(3050).value(), p);
        assert!(parse_percent("100.01").is_err());
        assert!(parse_percent("-1").is_err());
        assert_eq!(parse_percent("15%").unwrap(), Decimal::from(15));
    }
}
