//! SME declaration (中小企业声明函) and size classes (R-SME-04).
//!
//! A supplier's SME status is self-declared: industry, headcount, annual revenue and total assets.
//! The platform computes the size class from those four facts with the SIZE table
//! (工信部联企业〔2011〕300号《中小企业划型标准规定》), and asks for nothing else: no certificate,
//! no audited accounts, no tax records (D46 Art. 11). Everything that decides a size class lives in
//! [`size_criteria`], the one policy table, so the figures can be checked against the regulation in
//! one place.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::money::{Money, MoneyError};
use crate::error::FieldError;
use crate::i18n::{Lang, Text};

// ---------------------------------------------------------------------------------------------
// Industries
// ---------------------------------------------------------------------------------------------

/// The industries of the SIZE table. The table sets different measures and figures per industry,
/// so the declared industry decides which thresholds apply. All sixteen rows of 300号 are here:
/// a restaurant or a haulier classified by the "other" row would get a wrong size class, and with
/// it a wrong price deduction (R-SME-03).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Industry {
    /// 农、林、牧、渔业
    Agriculture,
    /// 工业: mining, manufacturing, and power, heat, gas and water supply.
    Industrial,
    /// 建筑业
    Construction,
    /// 批发业
    Wholesale,
    /// 零售业
    Retail,
    /// 交通运输业, rail transport excluded.
    Transport,
    /// 仓储业
    Warehousing,
    /// 邮政业
    Postal,
    /// 住宿业
    Accommodation,
    /// 餐饮业
    Catering,
    /// 信息传输业: telecoms, broadcasting and satellite transmission, internet services.
    InformationTransmission,
    /// 软件和信息技术服务业
    SoftwareAndIt,
    /// 房地产开发经营
    RealEstateDevelopment,
    /// 物业管理
    PropertyManagement,
    /// 租赁和商务服务业
    LeasingAndBusinessServices,
    /// 其他未列明行业: research, water and environment, household services, culture, sport, etc.
    Other,
}

impl Industry {
    /// In the order of the SIZE table, which is also the order shown in the form.
    pub const ALL: &'static [Industry] = &[
        Industry::Agriculture,
        Industry::Industrial,
        Industry::Construction,
        Industry::Wholesale,
        Industry::Retail,
        Industry::Transport,
        Industry::Warehousing,
        Industry::Postal,
        Industry::Accommodation,
        Industry::Catering,
        Industry::InformationTransmission,
        Industry::SoftwareAndIt,
        Industry::RealEstateDevelopment,
        Industry::PropertyManagement,
        Industry::LeasingAndBusinessServices,
        Industry::Other,
    ];

    /// The value stored in the database and sent by the form. Never change one: stored
    /// declarations would no longer parse.
    pub fn as_str(self) -> &'static str {
        match self {
            Industry::Agriculture => "agriculture",
            Industry::Industrial => "industrial",
            Industry::Construction => "construction",
            Industry::Wholesale => "wholesale",
            Industry::Retail => "retail",
            Industry::Transport => "transport",
            Industry::Warehousing => "warehousing",
            Industry::Postal => "postal",
            Industry::Accommodation => "accommodation",
            Industry::Catering => "catering",
            Industry::InformationTransmission => "information_transmission",
            Industry::SoftwareAndIt => "software_and_it",
            Industry::RealEstateDevelopment => "real_estate_development",
            Industry::PropertyManagement => "property_management",
            Industry::LeasingAndBusinessServices => "leasing_and_business_services",
            Industry::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Industry> {
        Self::ALL.iter().copied().find(|i| i.as_str() == s)
    }

    /// The name shown to people, in the regulation's own words for Chinese.
    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => match self {
                Industry::Agriculture => "农、林、牧、渔业",
                Industry::Industrial => "工业",
                Industry::Construction => "建筑业",
                Industry::Wholesale => "批发业",
                Industry::Retail => "零售业",
                Industry::Transport => "交通运输业（不含铁路运输业）",
                Industry::Warehousing => "仓储业",
                Industry::Postal => "邮政业",
                Industry::Accommodation => "住宿业",
                Industry::Catering => "餐饮业",
                Industry::InformationTransmission => "信息传输业（包括电信、互联网和相关服务）",
                Industry::SoftwareAndIt => "软件和信息技术服务业",
                Industry::RealEstateDevelopment => "房地产开发经营",
                Industry::PropertyManagement => "物业管理",
                Industry::LeasingAndBusinessServices => "租赁和商务服务业",
                Industry::Other => "其他未列明行业",
            },
            Lang::En => match self {
                Industry::Agriculture => "Agriculture, forestry, animal husbandry and fishery",
                Industry::Industrial => "Industry (mining, manufacturing, power, gas and water)",
                Industry::Construction => "Construction",
                Industry::Wholesale => "Wholesale",
                Industry::Retail => "Retail",
                Industry::Transport => "Transport (except rail)",
                Industry::Warehousing => "Warehousing",
                Industry::Postal => "Postal services",
                Industry::Accommodation => "Accommodation",
                Industry::Catering => "Catering",
                Industry::InformationTransmission => {
                    "Information transmission (telecoms, internet and related services)"
                }
                Industry::SoftwareAndIt => "Software and information technology services",
                Industry::RealEstateDevelopment => "Real estate development",
                Industry::PropertyManagement => "Property management",
                Industry::LeasingAndBusinessServices => "Leasing and business services",
                Industry::Other => "Other industries not listed",
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Size classes
// ---------------------------------------------------------------------------------------------

/// A firm's size class. Ordered from smallest to largest, so `a < b` means "a is smaller".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    Micro,
    Small,
    Medium,
    Large,
}

impl SizeClass {
    pub const ALL: &'static [SizeClass] = &[
        SizeClass::Micro,
        SizeClass::Small,
        SizeClass::Medium,
        SizeClass::Large,
    ];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SizeClass::Micro => "micro",
            SizeClass::Small => "small",
            SizeClass::Medium => "medium",
            SizeClass::Large => "large",
        }
    }

    pub fn parse(s: &str) -> Option<SizeClass> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// The GLOSSARY name.
    pub fn name(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::ZhCn, SizeClass::Micro) => "微型企业",
            (Lang::ZhCn, SizeClass::Small) => "小型企业",
            (Lang::ZhCn, SizeClass::Medium) => "中型企业",
            (Lang::ZhCn, SizeClass::Large) => "大型企业",
            (Lang::En, SizeClass::Micro) => "micro",
            (Lang::En, SizeClass::Small) => "small",
            (Lang::En, SizeClass::Medium) => "medium",
            (Lang::En, SizeClass::Large) => "large",
        }
    }

    /// SMEs (中小企业) may bid in reserved tenders (R-SME-01) and count towards reserved shares
    /// (R-SME-02).
    pub fn is_sme(self) -> bool {
        self != SizeClass::Large
    }

    /// Small and micro firms get the price deduction (R-SME-03) and 60% of a reserve (R-SME-02).
    pub fn is_small_or_micro(self) -> bool {
        matches!(self, SizeClass::Micro | SizeClass::Small)
    }
}

// ---------------------------------------------------------------------------------------------
// The SIZE table (policy table)
// ---------------------------------------------------------------------------------------------

/// The lower bounds of one measure for the three classes above micro. A firm belongs to a class
/// only if it reaches the bound of *every* measure its industry uses; otherwise it drops a class
/// ("须同时满足所列指标的下限，否则下划一档"). The large bound is the SME ceiling read the other
/// way: "fewer than 1000 staff OR revenue below 4亿 is an SME" means "large needs both".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Floors {
    pub large: u32,
    pub medium: u32,
    pub small: u32,
}

impl Floors {
    pub const fn new(large: u32, medium: u32, small: u32) -> Floors {
        Floors {
            large,
            medium,
            small,
        }
    }

    /// The bound for `class`; micro has none.
    pub fn floor(self, class: SizeClass) -> u32 {
        match class {
            SizeClass::Large => self.large,
            SizeClass::Medium => self.medium,
            SizeClass::Small => self.small,
            SizeClass::Micro => 0,
        }
    }
}

/// One industry's row of the SIZE table: which measures apply (`Some`) and their bounds.
/// Headcount is in persons (从业人员); revenue (营业收入) and total assets (资产总额) in 万元
/// (10,000 CNY), as the regulation writes them, compared exactly as decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeCriteria {
    pub headcount: Option<Floors>,
    pub revenue_wan: Option<Floors>,
    pub total_assets_wan: Option<Floors>,
}

const fn staff_revenue(staff: Floors, revenue_wan: Floors) -> SizeCriteria {
    SizeCriteria {
        headcount: Some(staff),
        revenue_wan: Some(revenue_wan),
        total_assets_wan: None,
    }
}

const fn staff_assets(staff: Floors, total_assets_wan: Floors) -> SizeCriteria {
    SizeCriteria {
        headcount: Some(staff),
        revenue_wan: None,
        total_assets_wan: Some(total_assets_wan),
    }
}

const fn revenue_assets(revenue_wan: Floors, total_assets_wan: Floors) -> SizeCriteria {
    SizeCriteria {
        headcount: None,
        revenue_wan: Some(revenue_wan),
        total_assets_wan: Some(total_assets_wan),
    }
}

/// The SIZE table, 工信部联企业〔2011〕300号 Art. 4, one row per industry:
/// `Floors::new(large, medium, small)`. An exhaustive match rather than a slice, so an industry
/// cannot be added without its row and a lookup can never miss (R-SME-04).
pub const fn size_criteria(industry: Industry) -> SizeCriteria {
    match industry {
        // 营业收入20000万元以下为中小微型；500万元及以上中型；50万元及以上小型。
        Industry::Agriculture => SizeCriteria {
            headcount: None,
            revenue_wan: Some(Floors::new(20_000, 500, 50)),
            total_assets_wan: None,
        },
        // 从业人员1000人以下或营业收入40000万元以下为中小微型。
        Industry::Industrial => {
            staff_revenue(Floors::new(1_000, 300, 20), Floors::new(40_000, 2_000, 300))
        }
        // 营业收入80000万元以下或资产总额80000万元以下为中小微型。
        Industry::Construction => revenue_assets(
            Floors::new(80_000, 6_000, 300),
            Floors::new(80_000, 5_000, 300),
        ),
        Industry::Wholesale => {
            staff_revenue(Floors::new(200, 20, 5), Floors::new(40_000, 5_000, 1_000))
        }
        Industry::Retail => staff_revenue(Floors::new(300, 50, 10), Floors::new(20_000, 500, 100)),
        Industry::Transport => {
            staff_revenue(Floors::new(1_000, 300, 20), Floors::new(30_000, 3_000, 200))
        }
        Industry::Warehousing => {
            staff_revenue(Floors::new(200, 100, 20), Floors::new(30_000, 1_000, 100))
        }
        Industry::Postal => {
            staff_revenue(Floors::new(1_000, 300, 20), Floors::new(30_000, 2_000, 100))
        }
        Industry::Accommodation | Industry::Catering => {
            staff_revenue(Floors::new(300, 100, 10), Floors::new(10_000, 2_000, 100))
        }
        Industry::InformationTransmission => staff_revenue(
            Floors::new(2_000, 100, 10),
            Floors::new(100_000, 1_000, 100),
        ),
        Industry::SoftwareAndIt => {
            staff_revenue(Floors::new(300, 100, 10), Floors::new(10_000, 1_000, 50))
        }
        // 营业收入200000万元以下或资产总额10000万元以下为中小微型。
        Industry::RealEstateDevelopment => revenue_assets(
            Floors::new(200_000, 1_000, 100),
            Floors::new(10_000, 5_000, 2_000),
        ),
        Industry::PropertyManagement => {
            staff_revenue(Floors::new(1_000, 300, 100), Floors::new(5_000, 1_000, 500))
        }
        // 从业人员300人以下或资产总额120000万元以下为中小微型。
        Industry::LeasingAndBusinessServices => {
            staff_assets(Floors::new(300, 100, 10), Floors::new(120_000, 8_000, 100))
        }
        // 从业人员300人以下为中小微型；100人及以上中型；10人及以上小型。
        Industry::Other => SizeCriteria {
            headcount: Some(Floors::new(300, 100, 10)),
            revenue_wan: None,
            total_assets_wan: None,
        },
    }
}

/// 万元 to yuan, exactly.
fn wan(amount_wan: u32) -> Decimal {
    Decimal::from(amount_wan) * Decimal::from(10_000)
}

impl SizeCriteria {
    /// Whether a firm reaches the bound of every measure this industry uses for `class`.
    /// Bounds are inclusive ("及以上"); the SME ceilings are exclusive ("以下"), which is the same
    /// statement seen from the large side.
    fn reaches(
        &self,
        class: SizeClass,
        headcount: u32,
        revenue: Money,
        total_assets: Money,
    ) -> bool {
        let staff_ok = self.headcount.is_none_or(|f| headcount >= f.floor(class));
        let revenue_ok = self
            .revenue_wan
            .is_none_or(|f| revenue.amount() >= wan(f.floor(class)));
        let assets_ok = self
            .total_assets_wan
            .is_none_or(|f| total_assets.amount() >= wan(f.floor(class)));
        staff_ok && revenue_ok && assets_ok
    }
}

/// The size class of a firm from its declared figures (R-SME-04). The largest class whose bounds
/// the firm reaches on every measure of its industry; micro when it reaches none. Measures the
/// industry does not use are ignored (a software firm's total assets do not matter).
pub fn classify(
    industry: Industry,
    headcount: u32,
    revenue: Money,
    total_assets: Money,
) -> SizeClass {
    let criteria = size_criteria(industry);
    [SizeClass::Large, SizeClass::Medium, SizeClass::Small]
        .into_iter()
        .find(|&class| criteria.reaches(class, headcount, revenue, total_assets))
        .unwrap_or(SizeClass::Micro)
}

// ---------------------------------------------------------------------------------------------
// The declaration
// ---------------------------------------------------------------------------------------------

/// A supplier's SME declaration (中小企业声明函), validated. These four facts are the whole of it:
/// R-SME-04 forbids demanding any other proof of size. Amounts are in yuan (the printed letter
/// states them in 万元).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmeDeclaration {
    pub industry: Industry,
    /// 从业人员: persons employed.
    pub headcount: u32,
    /// 营业收入 of the last year.
    pub annual_revenue: Money,
    /// 资产总额.
    pub total_assets: Money,
}

impl SmeDeclaration {
    /// Computed, never declared: the supplier states facts, the platform applies the table (R-SME-04).
    pub fn size_class(&self) -> SizeClass {
        classify(
            self.industry,
            self.headcount,
            self.annual_revenue,
            self.total_assets,
        )
    }
}

/// Why the industry field was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IndustryError {
    #[error("choose an industry")]
    Missing,
    #[error("unknown industry {0:?}")]
    Unknown(String),
}

impl IndustryError {
    pub fn text(&self) -> Text {
        match self {
            IndustryError::Missing => Text::new(
                "请选择企业所属行业，系统将按该行业的划型标准计算企业规模。",
                "Choose your firm's industry: the size class is computed with that industry's thresholds.",
            ),
            IndustryError::Unknown(value) => Text::new(
                format!("“{value}”不是划型标准中的行业，请从列表中选择。"),
                format!("“{value}” is not an industry of the SME size table: choose one from the list."),
            ),
        }
    }
}

/// Parses the industry field: the stored value sent by the form's list.
pub fn parse_industry(input: &str) -> Result<Industry, IndustryError> {
    let value = input.trim();
    if value.is_empty() {
        return Err(IndustryError::Missing);
    }
    // Echo at most a short prefix of what was sent, so a message never grows with the input.
    Industry::parse(value).ok_or_else(|| IndustryError::Unknown(value.chars().take(40).collect()))
}

/// A sanity bound, not a policy figure: China's largest employers have a few million staff, so a
/// larger headcount is a typing error.
pub const MAX_HEADCOUNT: u32 = 10_000_000;

/// Why the headcount field was refused. Each kind tells the user what to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HeadcountError {
    #[error("enter the number of employees")]
    Empty,
    #[error("not a whole number")]
    NotAWholeNumber,
    #[error("negative number of employees")]
    Negative,
    #[error("number of employees too large")]
    TooLarge,
}

impl HeadcountError {
    pub fn text(&self) -> Text {
        match self {
            HeadcountError::Empty => Text::new(
                "请填写从业人员人数。",
                "Enter the number of people employed.",
            ),
            HeadcountError::NotAWholeNumber => Text::new(
                "从业人员人数应为整数，例如 25。",
                "Enter the number of people employed as a whole number, e.g. 25.",
            ),
            HeadcountError::Negative => Text::new(
                "从业人员人数不能为负数，请填写 0 或正整数。",
                "The number of people employed cannot be a negative number: enter 0 or more.",
            ),
            HeadcountError::TooLarge => Text::new(
                "从业人员人数不能超过 10,000,000 人，请核对。",
                "The number of people employed cannot exceed 10,000,000: check the figure.",
            ),
        }
    }
}

/// Parses a headcount as a person types it: `25`, `1,200`, `25人`. Like [`Money::parse`], only
/// ASCII digits: no signs, exponents or fractions.
pub fn parse_headcount(input: &str) -> Result<u32, HeadcountError> {
    let cleaned: String = input
        .trim()
        .trim_end_matches('人')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    if cleaned.is_empty() {
        return Err(HeadcountError::Empty);
    }
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let is_number = digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1;
    if !is_number {
        return Err(HeadcountError::NotAWholeNumber);
    }
    // "-3" and "-2.5" are refused for their sign, the more useful message; "-0" is zero.
    if negative && digits.chars().any(|c| matches!(c, '1'..='9')) {
        return Err(HeadcountError::Negative);
    }
    if digits.contains('.') {
        return Err(HeadcountError::NotAWholeNumber);
    }
    // Only digits remain, so parsing fails only on overflow.
    let n: u64 = digits.parse().map_err(|_| HeadcountError::TooLarge)?;
    match u32::try_from(n) {
        Ok(n) if n <= MAX_HEADCOUNT => Ok(n),
        _ => Err(HeadcountError::TooLarge),
    }
}

/// Names a money error after its field, so each message stands alone in an error summary.
fn amount_error(label_zh: &str, label_en: &str, e: &MoneyError) -> Text {
    let t = e.text();
    Text::new(
        format!("{label_zh}：{}", t.zh),
        format!("{label_en}: {}", t.en),
    )
}

/// What a person typed into the SME declaration form, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmeDeclarationForm {
    pub industry: String,
    pub headcount: String,
    pub annual_revenue: String,
    pub total_assets: String,
}

impl SmeDeclarationForm {
    pub const INDUSTRY: &'static str = "industry";
    pub const HEADCOUNT: &'static str = "headcount";
    pub const ANNUAL_REVENUE: &'static str = "annual_revenue";
    pub const TOTAL_ASSETS: &'static str = "total_assets";

    /// Validates every field and reports every problem at once, in form order, so the person fixes
    /// the form in one pass. Asks only for the four facts of R-SME-04.
    pub fn parse(&self) -> Result<SmeDeclaration, Vec<FieldError>> {
        let industry = parse_industry(&self.industry);
        let headcount = parse_headcount(&self.headcount);
        // Money::parse refuses negative amounts and more than two decimals.
        let revenue = Money::parse(&self.annual_revenue);
        let assets = Money::parse(&self.total_assets);

        match (industry, headcount, revenue, assets) {
            (Ok(industry), Ok(headcount), Ok(annual_revenue), Ok(total_assets)) => {
                Ok(SmeDeclaration {
                    industry,
                    headcount,
                    annual_revenue,
                    total_assets,
                })
            }
            (industry, headcount, revenue, assets) => {
                let errors = [
                    industry
                        .err()
                        .map(|e| FieldError::new(Self::INDUSTRY, e.text())),
                    headcount
                        .err()
                        .map(|e| FieldError::new(Self::HEADCOUNT, e.text())),
                    revenue.err().map(|e| {
                        FieldError::new(
                            Self::ANNUAL_REVENUE,
                            amount_error("营业收入", "Annual revenue", &e),
                        )
                    }),
                    assets.err().map(|e| {
                        FieldError::new(
                            Self::TOTAL_ASSETS,
                            amount_error("资产总额", "Total assets", &e),
                        )
                    }),
                ];
                Err(errors.into_iter().flatten().collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// An amount in 万元 (10,000 CNY), computed exactly: `w("49.99")` is ¥499,900.00.
    fn w(wan: &str) -> Money {
        Money::new(Decimal::from_str(wan).unwrap() * Decimal::from(10_000)).unwrap()
    }

    /// An amount in yuan, as typed.
    fn y(yuan: &str) -> Money {
        Money::parse(yuan).unwrap()
    }

    use Industry::*;
    use SizeClass::*;

    // ---- vocabulary -------------------------------------------------------------------------

    #[test]
    fn r_sme_04_industry_stored_names_round_trip_and_match_serde() {
        assert_eq!(
            Industry::ALL.len(),
            16,
            "one industry per row of the SIZE table"
        );
        for i in Industry::ALL {
            assert_eq!(Industry::parse(i.as_str()), Some(*i));
            assert_eq!(
                serde_json::to_string(i).unwrap(),
                format!("\"{}\"", i.as_str())
            );
            assert!(!i.name(Lang::ZhCn).is_empty() && !i.name(Lang::En).is_empty());
        }
        assert_eq!(Industry::parse("software_and_it"), Some(SoftwareAndIt));
        assert_eq!(Industry::parse("Software"), None);
        assert_eq!(SoftwareAndIt.name(Lang::ZhCn), "软件和信息技术服务业");
        assert_eq!(Other.name(Lang::ZhCn), "其他未列明行业");
    }

    #[test]
    fn r_sme_04_size_class_names_and_sme_groups() {
        for c in SizeClass::ALL {
            assert_eq!(SizeClass::parse(c.as_str()), Some(*c));
            assert_eq!(
                serde_json::to_string(c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        assert_eq!(Micro.name(Lang::ZhCn), "微型企业");
        assert_eq!(Large.name(Lang::ZhCn), "大型企业");
        assert_eq!(Medium.name(Lang::En), "medium");
        assert!(Micro.is_sme() && Small.is_sme() && Medium.is_sme() && !Large.is_sme());
        assert!(Micro.is_small_or_micro() && Small.is_small_or_micro());
        assert!(!Medium.is_small_or_micro() && !Large.is_small_or_micro());
        assert!(Micro < Small && Small < Medium && Medium < Large);
    }

    // ---- the table itself -------------------------------------------------------------------

    #[test]
    fn r_sme_04_every_row_uses_a_measure_and_bounds_rise_with_class() {
        for &i in Industry::ALL {
            let c = size_criteria(i);
            let used: Vec<Floors> = [c.headcount, c.revenue_wan, c.total_assets_wan]
                .into_iter()
                .flatten()
                .collect();
            assert!(!used.is_empty(), "{i:?} uses no measure");
            for f in used {
                assert!(
                    f.large > f.medium && f.medium > f.small && f.small > 0,
                    "{i:?}: {f:?}"
                );
            }
        }
    }

    #[test]
    fn r_sme_04_zero_of_everything_is_micro_in_every_industry() {
        for &i in Industry::ALL {
            assert_eq!(classify(i, 0, Money::ZERO, Money::ZERO), Micro, "{i:?}");
        }
    }

    #[test]
    fn r_sme_04_huge_firm_is_large_in_every_industry() {
        for &i in Industry::ALL {
            assert_eq!(classify(i, 5_000, w("300000"), w("300000")), Large, "{i:?}");
        }
    }

    // ---- boundaries, industry by industry ---------------------------------------------------

    #[test]
    fn r_sme_04_industrial_boundaries() {
        let c = |staff, revenue| classify(Industrial, staff, revenue, Money::ZERO);
        assert_eq!(c(19, w("1000")), Micro);
        assert_eq!(c(20, w("300")), Small);
        assert_eq!(c(20, y("2999999.99")), Micro);
        assert_eq!(c(299, w("3000")), Small);
        assert_eq!(c(300, w("2000")), Medium);
        assert_eq!(c(300, y("19999999.99")), Small);
        assert_eq!(c(999, w("100000")), Medium);
        assert_eq!(c(5_000, y("399999999.99")), Medium);
        assert_eq!(c(1_000, w("40000")), Large);
    }

    #[test]
    fn r_sme_04_sme_ceiling_is_or_many_staff_with_small_revenue_is_micro() {
        // 从业人员1000人以下"或"营业收入40000万元以下: one measure below the ceiling is enough.
        assert_eq!(classify(Industrial, 2_000, w("100"), Money::ZERO), Micro);
        assert_eq!(classify(Industrial, 2_000, w("500"), Money::ZERO), Small);
        // And the other way round: huge revenue, few staff.
        assert_eq!(classify(Industrial, 10, w("90000"), Money::ZERO), Micro);
        assert!(classify(Industrial, 999, w("90000"), Money::ZERO).is_sme());
    }

    #[test]
    fn r_sme_04_construction_uses_revenue_and_assets_not_staff() {
        let c = |revenue, assets| classify(Construction, 100_000, revenue, assets);
        assert_eq!(c(w("300"), w("300")), Small);
        assert_eq!(c(w("300"), y("2999999.99")), Micro);
        assert_eq!(c(y("2999999.99"), w("300")), Micro);
        assert_eq!(c(w("6000"), w("5000")), Medium);
        assert_eq!(c(w("6000"), w("4999.99")), Small);
        assert_eq!(c(w("5999.99"), w("80000")), Small);
        assert_eq!(c(w("80000"), w("80000")), Large);
        assert_eq!(c(w("80000"), y("799999999.99")), Medium);
        assert_eq!(c(w("500000"), w("79999.99")), Medium);
        // Headcount is not a measure for construction.
        assert_eq!(classify(Construction, 0, w("80000"), w("80000")), Large);
    }

    #[test]
    fn r_sme_04_wholesale_boundaries() {
        let c = |staff, revenue| classify(Wholesale, staff, revenue, Money::ZERO);
        assert_eq!(c(4, w("2000")), Micro);
        assert_eq!(c(5, w("1000")), Small);
        assert_eq!(c(5, w("999.99")), Micro);
        assert_eq!(c(19, w("6000")), Small);
        assert_eq!(c(20, w("5000")), Medium);
        assert_eq!(c(20, w("4999.99")), Small);
        assert_eq!(c(199, w("50000")), Medium);
        assert_eq!(c(200, w("39999.99")), Medium);
        assert_eq!(c(200, w("40000")), Large);
    }

    #[test]
    fn r_sme_04_retail_boundaries() {
        let c = |staff, revenue| classify(Retail, staff, revenue, Money::ZERO);
        assert_eq!(c(9, w("200")), Micro);
        assert_eq!(c(10, w("100")), Small);
        assert_eq!(c(10, w("99.99")), Micro);
        assert_eq!(c(49, w("600")), Small);
        assert_eq!(c(50, w("500")), Medium);
        assert_eq!(c(50, w("499.99")), Small);
        assert_eq!(c(299, w("30000")), Medium);
        assert_eq!(c(400, w("19999.99")), Medium);
        assert_eq!(c(300, w("20000")), Large);
    }

    #[test]
    fn r_sme_04_software_boundaries() {
        let c = |staff, revenue| classify(SoftwareAndIt, staff, revenue, Money::ZERO);
        assert_eq!(c(9, w("5000")), Micro);
        assert_eq!(c(10, w("50")), Small);
        assert_eq!(c(10, w("49.99")), Micro);
        assert_eq!(c(10, y("499999.99")), Micro);
        assert_eq!(c(99, w("5000")), Small);
        assert_eq!(c(100, w("1000")), Medium);
        assert_eq!(c(100, w("999.99")), Small);
        assert_eq!(c(300, w("10000")), Large);
        assert_eq!(c(299, w("10000.01")), Medium);
        assert!(c(299, w("1000000")).is_sme());
        assert_eq!(c(5_000, y("99999999.99")), Medium);
    }

    #[test]
    fn r_sme_04_leasing_uses_staff_and_assets_not_revenue() {
        let c = |staff, assets| classify(LeasingAndBusinessServices, staff, w("999999"), assets);
        assert_eq!(c(9, w("1000")), Micro);
        assert_eq!(c(10, w("100")), Small);
        assert_eq!(c(10, w("99.99")), Micro);
        assert_eq!(c(100, w("8000")), Medium);
        assert_eq!(c(100, w("7999.99")), Small);
        assert_eq!(c(299, w("200000")), Medium);
        assert_eq!(c(1_000, w("119999.99")), Medium);
        assert_eq!(c(300, w("120000")), Large);
        // Revenue is not a measure for leasing.
        assert_eq!(
            classify(LeasingAndBusinessServices, 10, Money::ZERO, w("100")),
            Small
        );
    }

    #[test]
    fn r_sme_04_other_industries_use_headcount_only() {
        let c = |staff| classify(Other, staff, Money::ZERO, Money::ZERO);
        assert_eq!(c(9), Micro);
        assert_eq!(c(10), Small);
        assert_eq!(c(99), Small);
        assert_eq!(c(100), Medium);
        assert_eq!(c(299), Medium);
        assert_eq!(c(300), Large);
    }

    #[test]
    fn r_sme_04_remaining_rows_at_their_bounds() {
        // (industry, staff, revenue 万, assets 万, expected): each row at a bound and just below it.
        let cases: &[(Industry, u32, &str, &str, SizeClass)] = &[
            (Agriculture, 0, "50", "0", Small),
            (Agriculture, 0, "49.99", "0", Micro),
            (Agriculture, 0, "500", "0", Medium),
            (Agriculture, 0, "19999.99", "0", Medium),
            (Agriculture, 0, "20000", "0", Large),
            (Transport, 20, "200", "0", Small),
            (Transport, 20, "199.99", "0", Micro),
            (Transport, 300, "3000", "0", Medium),
            (Transport, 1_000, "30000", "0", Large),
            (Transport, 999, "30000", "0", Medium),
            (Warehousing, 20, "100", "0", Small),
            (Warehousing, 100, "1000", "0", Medium),
            (Warehousing, 99, "1000", "0", Small),
            (Warehousing, 200, "30000", "0", Large),
            (Postal, 20, "100", "0", Small),
            (Postal, 300, "2000", "0", Medium),
            (Postal, 1_000, "30000", "0", Large),
            (Accommodation, 10, "100", "0", Small),
            (Accommodation, 100, "2000", "0", Medium),
            (Accommodation, 100, "1999.99", "0", Small),
            (Accommodation, 300, "10000", "0", Large),
            (Catering, 10, "99.99", "0", Micro),
            (Catering, 100, "2000", "0", Medium),
            (Catering, 300, "10000", "0", Large),
            (InformationTransmission, 10, "100", "0", Small),
            (InformationTransmission, 100, "1000", "0", Medium),
            (InformationTransmission, 1_999, "100000", "0", Medium),
            (InformationTransmission, 2_000, "100000", "0", Large),
            (RealEstateDevelopment, 0, "100", "2000", Small),
            (RealEstateDevelopment, 0, "100", "1999.99", Micro),
            (RealEstateDevelopment, 0, "1000", "5000", Medium),
            (RealEstateDevelopment, 0, "200000", "9999.99", Medium),
            (RealEstateDevelopment, 0, "200000", "10000", Large),
            (PropertyManagement, 100, "500", "0", Small),
            (PropertyManagement, 99, "500", "0", Micro),
            (PropertyManagement, 300, "1000", "0", Medium),
            (PropertyManagement, 1_000, "5000", "0", Large),
            (PropertyManagement, 1_000, "4999.99", "0", Medium),
        ];
        for &(industry, staff, revenue, assets, expected) in cases {
            assert_eq!(
                classify(industry, staff, w(revenue), w(assets)),
                expected,
                "{industry:?} staff={staff} revenue={revenue}万 assets={assets}万"
            );
        }
    }

    #[test]
    fn r_sme_04_thresholds_compare_exact_decimals() {
        // Ten months of ¥49,999.99 and ¥0.10 more make exactly ¥500,000.00 (50万), the software
        // threshold for "small". In f64 the same sum is 499999.99999999994 and would give "micro".
        let month = y("49999.99");
        let revenue = (0..10)
            .try_fold(y("0.10"), |sum, _| sum.checked_add(month))
            .unwrap();
        assert_eq!(revenue, w("50"));
        assert_eq!(classify(SoftwareAndIt, 10, revenue, Money::ZERO), Small);
        // One fen below is below.
        let short = revenue.checked_sub(y("0.01")).unwrap();
        assert_eq!(classify(SoftwareAndIt, 10, short, Money::ZERO), Micro);
    }

    #[test]
    fn r_sme_04_declaration_computes_its_size_class() {
        let d = SmeDeclaration {
            industry: SoftwareAndIt,
            headcount: 120,
            annual_revenue: w("1500"),
            total_assets: w("3000"),
        };
        assert_eq!(d.size_class(), Medium);
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<SmeDeclaration>(&json).unwrap(), d);
    }

    // ---- the form ---------------------------------------------------------------------------

    fn form(industry: &str, headcount: &str, revenue: &str, assets: &str) -> SmeDeclarationForm {
        SmeDeclarationForm {
            industry: industry.into(),
            headcount: headcount.into(),
            annual_revenue: revenue.into(),
            total_assets: assets.into(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn r_sme_04_form_parses_what_people_type() {
        let d = form(" software_and_it ", "1,200人", "¥1,234,567.89", "5000000元")
            .parse()
            .unwrap();
        assert_eq!(d.industry, SoftwareAndIt);
        assert_eq!(d.headcount, 1_200);
        assert_eq!(d.annual_revenue.to_fen(), 123_456_789);
        assert_eq!(d.total_assets, w("500"));
        assert_eq!(d.size_class(), Small);
        // Zero staff and zero amounts are a valid (micro) declaration.
        let d = form("other", "0", "0", "0").parse().unwrap();
        assert_eq!(d.size_class(), Micro);
    }

    #[test]
    fn r_sme_04_form_reports_every_bad_field_at_once() {
        let errors = form("mining", "-3", "1.234", "abc").parse().unwrap_err();
        assert_eq!(
            fields(&errors),
            ["industry", "headcount", "annual_revenue", "total_assets"]
        );
        for e in &errors {
            assert!(
                !e.message.zh.is_empty() && !e.message.en.is_empty(),
                "{e:?}"
            );
        }
        assert!(errors[0].message.en.contains("mining"));
        assert!(errors[2].message.zh.starts_with("营业收入"));
        assert!(errors[3].message.en.starts_with("Total assets"));
    }

    #[test]
    fn r_sme_04_empty_form_asks_for_each_field() {
        let errors = SmeDeclarationForm::default().parse().unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new("industry", IndustryError::Missing.text()),
                FieldError::new("headcount", HeadcountError::Empty.text()),
                FieldError::new(
                    "annual_revenue",
                    amount_error("营业收入", "Annual revenue", &MoneyError::Empty)
                ),
                FieldError::new(
                    "total_assets",
                    amount_error("资产总额", "Total assets", &MoneyError::Empty)
                ),
            ]
        );
    }

    #[test]
    fn r_sme_04_only_the_bad_field_is_reported() {
        let errors = form("retail", "12", "100", "-5").parse().unwrap_err();
        assert_eq!(fields(&errors), ["total_assets"]);
        assert!(errors[0]
            .message
            .en
            .contains(&MoneyError::Negative.text().en));
    }

    #[test]
    fn r_sme_04_negative_headcount_is_refused_as_negative() {
        assert_eq!(parse_headcount("-3"), Err(HeadcountError::Negative));
        assert_eq!(parse_headcount("-2.5"), Err(HeadcountError::Negative));
        assert_eq!(parse_headcount("-0"), Ok(0));
        let errors = form("retail", "-3", "100", "100").parse().unwrap_err();
        assert_eq!(fields(&errors), ["headcount"]);
        assert!(errors[0].message.zh.contains("负数"));
        assert!(errors[0].message.en.contains("negative"));
    }

    #[test]
    fn r_sme_04_headcount_must_be_a_plausible_whole_number() {
        assert_eq!(parse_headcount(""), Err(HeadcountError::Empty));
        assert_eq!(parse_headcount("  "), Err(HeadcountError::Empty));
        assert_eq!(
            parse_headcount("12.5"),
            Err(HeadcountError::NotAWholeNumber)
        );
        assert_eq!(
            parse_headcount("twelve"),
            Err(HeadcountError::NotAWholeNumber)
        );
        assert_eq!(parse_headcount("1e3"), Err(HeadcountError::NotAWholeNumber));
        assert_eq!(parse_headcount("+5"), Err(HeadcountError::NotAWholeNumber));
        assert_eq!(
            parse_headcount("１２"),
            Err(HeadcountError::NotAWholeNumber)
        );
        assert_eq!(parse_headcount("."), Err(HeadcountError::NotAWholeNumber));
        assert_eq!(parse_headcount("10000000"), Ok(MAX_HEADCOUNT));
        assert_eq!(parse_headcount("10,000,001"), Err(HeadcountError::TooLarge));
        assert_eq!(
            parse_headcount("99999999999999999999999999"),
            Err(HeadcountError::TooLarge)
        );
        assert_eq!(parse_headcount(" 25 人"), Ok(25));
    }

    #[test]
    fn r_sme_04_revenue_with_more_than_two_decimals_is_refused() {
        let errors = form("industrial", "50", "1.234", "100")
            .parse()
            .unwrap_err();
        assert_eq!(fields(&errors), ["annual_revenue"]);
        assert!(errors[0]
            .message
            .en
            .ends_with(&MoneyError::TooManyDecimals.text().en));
        assert!(errors[0]
            .message
            .zh
            .ends_with(&MoneyError::TooManyDecimals.text().zh));
    }

    #[test]
    fn r_sme_04_unknown_industry_echo_is_bounded() {
        let long = "x".repeat(10_000);
        let Err(IndustryError::Unknown(echo)) = parse_industry(&long) else {
            panic!("expected Unknown");
        };
        assert_eq!(echo.chars().count(), 40);
        assert_eq!(parse_industry("construction"), Ok(Construction));
    }

    #[test]
    fn r_sme_04_form_and_errors_cross_the_wire() {
        let f = form("retail", "-3", "1.234", "100");
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(
            serde_json::from_str::<SmeDeclarationForm>(&json).unwrap(),
            f
        );
        let errors = f.parse().unwrap_err();
        let app = crate::error::AppError::Fields { errors };
        let json = serde_json::to_string(&app).unwrap();
        let back: crate::error::AppError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, app);
        assert_eq!(
            back.for_field("headcount"),
            Some(&HeadcountError::Negative.text())
        );
    }
}
