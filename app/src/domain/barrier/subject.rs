//! What a forbidden condition is about, the rule that forbids it, and what to ask instead.

use crate::i18n::Text;

/// The subject of a forbidden condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// Registered, paid-in or share capital (R-BAR-01).
    Capital,
    /// Total, net or fixed assets (R-BAR-01).
    Assets,
    /// Revenue, sales, turnover, output value (R-BAR-01).
    Revenue,
    /// Profit (R-BAR-01).
    Profit,
    /// Tax paid (R-BAR-01).
    Tax,
    /// Headcount, employees, social-insurance count (R-BAR-01).
    Headcount,
    /// Years since founding or registration (R-BAR-02).
    YearsInOperation,
    /// Past contracts, projects, award notices, "similar" or "comparable" work (R-BAR-02).
    TrackRecord,
    /// Work for a given region or level of government, or a local registration (R-BAR-02).
    Region,
    /// Awards or honours (R-BAR-02).
    Awards,
    /// Shareholding structure or ownership (R-BAR-02).
    Shareholding,
    /// Manufacturer authorisation, lawful only for imported goods (R-BAR-02).
    ManufacturerAuthorisation,
    /// Commercial use, cases, references or deployments of a product (R-BAR-03).
    CommercialUse,
    /// Proof of SME status beyond the declaration letter (R-SME-04).
    SmeProof,
    /// Contract terms (issue #33): payment waiting on funds the agency receives from a third
    /// party: a higher authority's allocation, the treasury, an owner, "back-to-back"
    /// (R-PAY-09, PAY Art. 9).
    ThirdPartyFunds,
    /// Contract terms: an audit or final accounts as the basis of settlement or a condition of
    /// payment (R-PAY-09, PAY Art. 11; R-PAY-03, PAY Art. 14).
    AuditBasis,
    /// Contract terms: payment forced into commercial bills or receivable e-vouchers, which
    /// stretch the term (R-PAY-09, PAY Art. 12).
    CommercialBills,
    /// Contract terms: payment waiting on the agency's internal approval or payment procedures
    /// (R-PAY-03, PAY Art. 14).
    InternalApproval,
    /// Contract terms: payment delayed by a change of legal representative, head or leadership
    /// (R-PAY-03, PAY Art. 14).
    LeadershipChange,
}

impl Subject {
    pub const ALL: &'static [Subject] = &[
        Subject::Capital,
        Subject::Assets,
        Subject::Revenue,
        Subject::Profit,
        Subject::Tax,
        Subject::Headcount,
        Subject::YearsInOperation,
        Subject::TrackRecord,
        Subject::Region,
        Subject::Awards,
        Subject::Shareholding,
        Subject::ManufacturerAuthorisation,
        Subject::CommercialUse,
        Subject::SmeProof,
        Subject::ThirdPartyFunds,
        Subject::AuditBasis,
        Subject::CommercialBills,
        Subject::InternalApproval,
        Subject::LeadershipChange,
    ];

    /// The subjects of a contract's payment terms (issue #33), looked for only in
    /// [`super::Context::ContractTerms`]; the others only in a tender's texts.
    pub fn is_payment_term(self) -> bool {
        use Subject::*;
        matches!(
            self,
            ThirdPartyFunds | AuditBasis | CommercialBills | InternalApproval | LeadershipChange
        )
    }

    /// The rule that forbids a condition on this subject.
    pub fn rule(self) -> &'static str {
        use Subject::*;
        match self {
            Capital | Assets | Revenue | Profit | Tax | Headcount => "R-BAR-01",
            YearsInOperation
            | TrackRecord
            | Region
            | Awards
            | Shareholding
            | ManufacturerAuthorisation => "R-BAR-02",
            CommercialUse => "R-BAR-03",
            SmeProof => "R-SME-04",
            ThirdPartyFunds | AuditBasis | CommercialBills => "R-PAY-09",
            InternalApproval | LeadershipChange => "R-PAY-03",
        }
    }

    /// A short name, as used in the corpus's categories.
    pub fn key(self) -> &'static str {
        use Subject::*;
        match self {
            Capital => "capital",
            Assets => "assets",
            Revenue => "revenue",
            Profit => "profit",
            Tax => "tax",
            Headcount => "headcount",
            YearsInOperation => "years",
            TrackRecord => "track_record",
            Region => "region",
            Awards => "awards",
            Shareholding => "shareholding",
            ManufacturerAuthorisation => "authorisation",
            CommercialUse => "commercial_use",
            SmeProof => "sme_proof",
            ThirdPartyFunds => "third_party",
            AuditBasis => "audit",
            CommercialBills => "bills",
            InternalApproval => "internal_approval",
            LeadershipChange => "leadership",
        }
    }

    /// Why a condition on this subject is forbidden (the rule is named by whoever shows it).
    pub fn why(self) -> Text {
        use Subject::*;
        let (zh, en) = match self {
            Capital | Assets | Revenue | Profit | Tax | Headcount => (
                "以企业规模（注册资本、资产、营业收入、利润、纳税额、从业人员）设置资格条件或评分因素，会把有能力的中小企业排除在外。",
                "It limits by firm size (capital, assets, revenue, profit, tax paid, headcount), which shuts out capable small firms.",
            ),
            YearsInOperation => (
                "以成立或经营年限设限构成差别待遇，新成立的企业同样可能有能力完成合同。",
                "Years in operation discriminate: a young firm may be just as able to do the work.",
            ),
            TrackRecord => (
                "以以往业绩、类似项目或合同作为条件或评分因素，会排斥没有政府采购经历的中小企业。",
                "Past contracts, similar projects or award notices as a condition or score shut out firms new to public work.",
            ),
            Region => (
                "以特定地区或特定级别政府的业绩、本地注册或本地机构设限，构成地域歧视。",
                "Work for a given region or level of government, or local registration, discriminates by place.",
            ),
            Awards => (
                "以奖项、荣誉或称号作为条件或评分因素，与合同的实际需要无关。",
                "Awards and honours as a condition or score are unrelated to what the contract needs.",
            ),
            Shareholding => (
                "以股权结构或所有制形式设限构成差别待遇。",
                "Shareholding or ownership as a condition discriminates between firms.",
            ),
            ManufacturerAuthorisation => (
                "除进口货物外，不得要求制造商授权。",
                "Manufacturer authorisation may be asked only for imported goods.",
            ),
            CommercialUse => (
                "满足需求的新技术产品不得因缺少商业应用或用户案例被排除。",
                "Products of new technology that meet the need may not be excluded for lack of commercial use or reference customers.",
            ),
            SmeProof => (
                "中小企业身份以《中小企业声明函》自行声明，不得要求其他证明材料。",
                "SME status is declared with the declaration letter; no other proof may be demanded.",
            ),
            ThirdPartyFunds => (
                "付款不得以采购人收到第三方（上级拨款、财政资金、业主付款等）款项为条件。",
                "Payment may not depend on the agency receiving funds from a third party (a higher authority, the treasury, an owner).",
            ),
            AuditBasis => (
                "不得以审计结果或决算作为结算依据或付款条件（法律、行政法规另有规定的除外）。",
                "An audit or final accounts may not be the basis of settlement or a condition of payment (unless a law or administrative regulation requires it).",
            ),
            CommercialBills => (
                "不得强制中小企业接受商业汇票、应收账款电子凭证等非现金支付方式，或以此变相延长付款期限。",
                "The supplier may not be made to accept commercial bills or receivable e-vouchers, nor the payment term stretched through them.",
            ),
            InternalApproval => (
                "不得以内部审批或付款手续为由延迟付款。",
                "Internal approvals or payment procedures may not delay payment.",
            ),
            LeadershipChange => (
                "不得以法定代表人、主要负责人变更或领导调整为由延迟付款。",
                "A change of legal representative, head or leadership may not delay payment.",
            ),
        };
        Text::new(zh, en)
    }

    /// What capability-based wording would serve instead.
    pub fn instead(self) -> Text {
        use Subject::*;
        let (zh, en) = match self {
            Capital | Assets | Revenue | Profit | Tax => (
                "可改为要求履约能力，如交付计划、质量管理体系，或按法律规定收取履约保证金。",
                "Ask instead for the ability to deliver: a delivery plan, quality management, or a performance security as the law allows.",
            ),
            Headcount => (
                "可改为要求本项目配备的人员资质，如“项目团队至少两名持证工程师”。",
                "Ask instead for the staff the work needs, e.g. \"a project team with two certified engineers\".",
            ),
            YearsInOperation | TrackRecord | Awards | Region => (
                "可改为评审技术方案、人员资质、交付计划或样品演示。",
                "Assess instead the technical approach, staff qualification, delivery plan or a sample or demonstration.",
            ),
            Shareholding => (
                "可改为要求合同所需的许可证和技术能力。",
                "Ask instead for the licences and technical capability the contract needs.",
            ),
            ManufacturerAuthorisation => (
                "可改为要求产品满足技术参数，并承诺售后服务。",
                "Ask instead that the product meet the specification, with an after-sales service commitment.",
            ),
            CommercialUse => (
                "可改为要求样品、演示或测试报告。",
                "Ask instead for a sample, a demonstration or a test report.",
            ),
            SmeProof => (
                "请只要求提交《中小企业声明函》。",
                "Ask only for the SME declaration letter.",
            ),
            ThirdPartyFunds | InternalApproval | LeadershipChange => (
                "请约定自交付或验收合格之日起计算的付款期限（不超过60日），不附其他条件。",
                "Fix a payment term counted from delivery or acceptance (at most 60 days), with no other condition.",
            ),
            AuditBasis => (
                "请以合同价款和验收结果结算，并写明审计不影响付款期限。",
                "Settle on the contract price and the acceptance, and state that an audit does not change the payment term.",
            ),
            CommercialBills => (
                "请约定以银行转账在付款期限内支付。",
                "Pay by bank transfer within the payment term.",
            ),
        };
        Text::new(zh, en)
    }
}
