//! The barrier check (R-BAR-01..03, R-SME-04): finds, in anything an officer publishes, a
//! *condition* the law forbids — a subject (capital, revenue, headcount, years since founding,
//! past contracts, awards, work for a region, manufacturer authorisation, proof of SME status)
//! together with a demand (须, 不少于, 得分, must, at least, points for ...), unless the text
//! says the opposite ("不设业绩要求", "no track record is required").
//!
//! The text is normalised first (`normalise`): NFKC, traditional to simplified characters,
//! invisible characters removed, dashes and spaces unified, Chinese numerals read as numbers.
//! Each finding quotes the text as written and says why it is forbidden and what
//! capability-based wording would serve instead.
//!
//! Measured on a labelled corpus (`corpus.tsv`): `cargo xtask barriers`.
//!
//! The same reading serves a contract's terms (issue #33, [`Context::ContractTerms`]): there
//! it looks only for the payment terms PAY Arts. 9, 11, 12 and 14 forbid (payment waiting on a
//! third party's funds, an audit as the settlement basis, forced commercial bills: R-PAY-09;
//! waiting on internal approval or a change of leadership: R-PAY-03), measured on
//! `payment_corpus.tsv`; a tender's texts are never read for them, nor contract terms for the
//! tender subjects.

mod cues;
mod normalise;
mod patterns;
mod payment;
mod recognise;
mod subject;

pub use normalise::Normalised;
pub use subject::Subject;

use crate::i18n::Text;

/// Where a text stands in the tender, which decides whether a demand must be spelled out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// A requirement or scoring factor: everything it names is demanded ("类似项目业绩").
    Requirement,
    /// Title, description, clarification, document: a subject counts only with a demand.
    Prose,
    /// A contract's terms (its other terms, each milestone's deliverable): only the payment
    /// subjects (R-PAY-09, R-PAY-03, issue #33) are looked for, and a term names what it
    /// makes payment wait on without a demand word ("上级拨款到位后支付"), so each counts
    /// unless the text denies it ("付款不因法定代表人变更而延迟").
    ContractTerms,
}

/// One forbidden condition found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule that forbids it: `R-BAR-01`, `R-BAR-02`, `R-BAR-03` or `R-SME-04`; in
    /// contract terms `R-PAY-09` or `R-PAY-03`.
    pub rule: &'static str,
    pub subject: Subject,
    /// The clause that asks for it, exactly as written (byte range `start..end` of the input).
    pub quote: String,
    pub start: usize,
    pub end: usize,
}

impl Finding {
    /// Why the condition is forbidden.
    pub fn why(&self) -> Text {
        self.subject.why()
    }

    /// What capability-based wording would serve instead.
    pub fn instead(&self) -> Text {
        self.subject.instead()
    }

    /// The whole message for the officer: the quote, why, and what to write instead (the
    /// caller puts the rule in front, as for every rule).
    pub fn message(&self) -> Text {
        let (why, instead) = (self.why(), self.instead());
        Text::new(
            format!("“{}”：{}{}", self.quote, why.zh, instead.zh),
            format!("\"{}\": {} {}", self.quote, why.en, instead.en),
        )
    }
}

/// Every forbidden condition in `text`, in order. Manufacturer authorisation is allowed for
/// imported goods (R-BAR-02).
pub fn check(text: &str, context: Context, imported_goods: bool) -> Vec<Finding> {
    let normalised = Normalised::new(text);
    recognise::conditions(&normalised, context)
        .into_iter()
        .filter(|(subject, _)| !(imported_goods && *subject == Subject::ManufacturerAuthorisation))
        .map(|(subject, clause)| {
            let (start, end) = normalised.original_range(clause);
            Finding {
                rule: subject.rule(),
                subject,
                quote: text[start..end].trim().to_string(),
                start,
                end,
            }
        })
        .collect()
}

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod payment_corpus;

#[cfg(test)]
mod tests {
    use super::*;

    fn subjects(text: &str) -> Vec<Subject> {
        check(text, Context::Prose, false)
            .into_iter()
            .map(|f| f.subject)
            .collect()
    }

    fn refused(text: &str) -> bool {
        !check(text, Context::Prose, false).is_empty()
    }

    #[test]
    fn r_bar_every_subject_is_recognised_in_chinese_and_english() {
        use Subject::*;
        let cases: &[(Subject, &str, &str)] = &[
            (
                Capital,
                "投标人实缴资本不低于500万元",
                "Paid-in capital of at least CNY 5 million is required",
            ),
            (
                Assets,
                "净资产须达到2000万元",
                "Bidders must have net assets above CNY 20m",
            ),
            (
                Revenue,
                "近三年年均主营业务收入不少于1亿元",
                "Minimum annual turnover: CNY 30 million",
            ),
            (
                Profit,
                "近三年连续盈利",
                "Bidders must have been profitable in each of the last three years",
            ),
            (
                Tax,
                "上年度纳税额不低于50万元",
                "Tax paid last year of at least CNY 500,000",
            ),
            (
                Headcount,
                "缴纳社保人数不少于100人",
                "The bidder must employ at least 200 people on its payroll with a workforce of 200",
            ),
            (
                YearsInOperation,
                "企业成立满五年",
                "Bidders must have been in business for at least 5 years",
            ),
            (
                TrackRecord,
                "近三年具有同类项目业绩",
                "Bidders must have completed three comparable contracts",
            ),
            (
                Region,
                "投标人须为本市注册企业",
                "Only locally registered firms may bid",
            ),
            (
                Region,
                "须具有省级以上政府部门项目经验",
                "Experience serving provincial government agencies: 5 points",
            ),
            (
                Awards,
                "获得鲁班奖的加3分",
                "Bonus points for industry awards",
            ),
            (
                Shareholding,
                "投标人须为国有企业",
                "Only state-owned enterprises are eligible",
            ),
            (
                ManufacturerAuthorisation,
                "须提供原厂授权书",
                "A manufacturer's authorisation letter must be provided",
            ),
            (
                CommercialUse,
                "所投产品须有三个以上成功案例",
                "The product must have at least two reference sites",
            ),
            (
                SmeProof,
                "中小企业须提供工信部门出具的认定证明",
                "SMEs must submit audited accounts to prove SME status",
            ),
        ];
        for (subject, zh, en) in cases {
            assert!(
                subjects(zh).contains(subject),
                "{subject:?} in {zh}: {:?}",
                subjects(zh)
            );
            assert!(
                subjects(en).contains(subject),
                "{subject:?} in {en}: {:?}",
                subjects(en)
            );
        }
    }

    #[test]
    fn r_bar_each_subject_names_its_rule() {
        assert_eq!(Subject::Capital.rule(), "R-BAR-01");
        assert_eq!(Subject::Headcount.rule(), "R-BAR-01");
        assert_eq!(Subject::YearsInOperation.rule(), "R-BAR-02");
        assert_eq!(Subject::TrackRecord.rule(), "R-BAR-02");
        assert_eq!(Subject::ManufacturerAuthorisation.rule(), "R-BAR-02");
        assert_eq!(Subject::CommercialUse.rule(), "R-BAR-03");
        assert_eq!(Subject::SmeProof.rule(), "R-SME-04");
        for s in Subject::ALL {
            assert!(!s.why().zh.is_empty() && !s.why().en.is_empty());
            assert!(!s.instead().zh.is_empty() && !s.instead().en.is_empty());
        }
    }

    #[test]
    fn r_bar_scoring_factors_count_as_much_as_requirements() {
        assert!(refused("类似项目业绩：每提供一个得2分，最高10分"));
        assert!(refused(
            "Points for past contracts: 2 per contract, up to 10"
        ));
        assert!(refused("注册资本1000万元以上的优先"));
    }

    #[test]
    fn r_bar_negations_and_permissions_pass() {
        for text in [
            "本项目不设业绩要求",
            "不得以注册资本、营业收入、从业人员等规模条件作为资格要求",
            "无需提供类似项目业绩",
            "供应商无需提供中小企业证明材料，提供声明函即可",
            "No track record is required.",
            "Bidders need not have completed similar projects.",
            "Registered capital, turnover and headcount will not be considered.",
            "Firms regardless of size or years in operation may bid.",
            "Bids will not be rejected for lack of previous award notices.",
            "评标委员会不得以投标人无类似项目业绩为由否决其投标",
        ] {
            assert!(!refused(text), "{text}: {:?}", subjects(text));
        }
    }

    #[test]
    fn r_bar_a_negation_does_not_reach_past_a_demand_or_a_contrast() {
        assert!(refused("本项目不设业绩门槛，但投标人须成立满三年"));
        assert!(refused("不要求注册资本，但须有不少于3个类似项目"));
        assert!(refused(
            "No track record is required; bidders must have revenue of at least CNY 10m."
        ));
    }

    #[test]
    fn r_bar_a_lack_with_a_consequence_is_a_condition() {
        assert!(refused("无类似业绩的投标人将被否决"));
        assert!(refused("未提供同类项目合同的不得分"));
        assert!(refused(
            "Firms without three similar contracts will be rejected."
        ));
        assert!(refused("注册资本低于500万元的，不得参加投标"));
        // Without a consequence, the lack is a permission.
        assert!(!refused("Bidders without a track record are welcome."));
    }

    #[test]
    fn r_bar_normalisation_defeats_hiding() {
        for text in [
            "近三年類似項目業績不少於三個",
            "註冊資本不低於伍佰萬元",
            "投标人须具有类似项目业\u{200B}绩",
            "注 册 资 本不少于１０００万元",
            "Bidders must have a proven track-record",
            "TRACK RECORD: at least 3 contracts",
            "成立满十年",
        ] {
            assert!(refused(text), "{text}");
        }
    }

    #[test]
    fn r_bar_capability_wording_passes() {
        for text in [
            "具备 ISO 9001 认证和两名持证网络工程师",
            "质保期不少于三年",
            "项目经理须具有5年以上运维经验",
            "配备不少于10台运维车辆",
            "7x24 hours support, response within 2 hours",
            "报价应包含税费、利润及其他一切费用",
            "具有依法缴纳税收和社会保障资金的良好记录",
            "中标后须在本市设立售后服务网点",
            "中标通知书发出后30日内签订合同",
            "提供中小企业声明函",
            "The successful bidder shall set up a service point in the city after award.",
        ] {
            assert!(!refused(text), "{text}: {:?}", subjects(text));
        }
    }

    #[test]
    fn r_bar_a_finding_quotes_the_clause_as_written_and_says_what_instead() {
        let text = "本项目采购网络设备。投标人须具有類似項目業績三个；质保三年。";
        let found = check(text, Context::Prose, false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].quote, "投标人须具有類似項目業績三个");
        assert_eq!(&text[found[0].start..found[0].end], found[0].quote);
        let message = found[0].message();
        assert!(message.zh.starts_with("“投标人须具有類似項目業績三个”"));
        assert_eq!(found[0].rule, "R-BAR-02");
        assert!(message.en.contains("Past contracts"));
        assert!(message.en.contains("technical approach"));
    }

    #[test]
    fn r_bar_02_manufacturer_authorisation_is_lawful_for_imported_goods() {
        let text = "须提供制造商授权书";
        assert_eq!(check(text, Context::Prose, false)[0].rule, "R-BAR-02");
        assert!(check(text, Context::Prose, true).is_empty());
    }

    #[test]
    fn r_bar_a_requirement_needs_no_demand_word() {
        assert!(check("类似项目业绩", Context::Prose, false).is_empty());
        assert_eq!(check("类似项目业绩", Context::Requirement, false).len(), 1);
        assert!(check("类似项目业绩不作要求", Context::Requirement, false).is_empty());
    }
}
