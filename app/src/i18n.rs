//! Every word on every page exists in Simplified Chinese (the default) and English.
//!
//! Page text lives in one `Texts` table per language, so a missing translation is a compile error.
//! Messages built at run time (errors) are `Text` pairs.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::tender::{Category, Method, TenderStatus};

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    /// The BCP 47 tag used in `<html lang>` and in the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim() {
            "zh-CN" | "zh" | "zh-cn" => Some(Lang::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language a switch button offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
        }
    }

    /// The language's own name for itself, as shown on the switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::En => "English",
        }
    }

    /// Picks the language from a `Cookie` header value; Chinese when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .and_then(|(_, value)| Lang::from_tag(value))
            .unwrap_or_default()
    }
}

/// A message in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// All fixed page text of one language.
pub struct Texts {
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub switch_language_label: &'static str,
    pub published_tenders: &'static str,
    pub tenders_empty: &'static str,
    pub loading: &'static str,
    pub budget: &'static str,
    pub bid_deadline: &'static str,
    pub agency: &'static str,
    pub region: &'static str,
    pub category: &'static str,
    pub method: &'static str,
    pub status: &'static str,
    pub description: &'static str,
    pub back_to_list: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub error_title: &'static str,
    pub footer: &'static str,
    pub nav_account: &'static str,
    pub nav_sign_in: &'static str,
    pub nav_register: &'static str,
    pub register_title: &'static str,
    pub register_intro: &'static str,
    pub field_organisation_name: &'static str,
    pub field_credit_code: &'static str,
    pub field_contact_name: &'static str,
    pub field_email: &'static str,
    pub field_password: &'static str,
    pub register_submit: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_submit: &'static str,
    pub no_account: &'static str,
    pub signed_in_as: &'static str,
    pub go_to_account: &'static str,
    pub sign_out: &'static str,
    pub please_sign_in: &'static str,
    pub sme_title: &'static str,
    pub sme_intro: &'static str,
    pub field_industry: &'static str,
    pub field_headcount: &'static str,
    pub field_annual_revenue: &'static str,
    pub field_total_assets: &'static str,
    pub choose: &'static str,
    pub sme_submit: &'static str,
    pub sme_none: &'static str,
    pub size_class: &'static str,
    pub declaration_version: &'static str,
}

const ZH: Texts = Texts {
    site_name: "公平采购 fairtender",
    tagline: "让中小企业凭能力赢得政府采购，并按时拿到货款。",
    skip_to_content: "跳到正文",
    nav_label: "主导航",
    nav_home: "首页",
    switch_language_label: "切换语言",
    published_tenders: "已发布的采购项目",
    tenders_empty: "目前没有已发布的采购项目。",
    loading: "正在加载…",
    budget: "预算金额",
    bid_deadline: "投标截止时间",
    agency: "采购人",
    region: "地区",
    category: "采购品目",
    method: "采购方式",
    status: "状态",
    description: "项目概况",
    back_to_list: "返回采购项目列表",
    not_found_title: "页面不存在",
    not_found_body: "您要找的页面不存在或已被移动。",
    error_title: "出错了",
    footer: "依据《政府采购促进中小企业发展管理办法》等规定，平台自动执行中小企业预留、价格扣除和按时付款要求。",
    nav_account: "我的账户",
    nav_sign_in: "登录",
    nav_register: "供应商注册",
    register_title: "供应商注册",
    register_intro: "注册一次，所有投标共用同一份资料。",
    field_organisation_name: "单位名称",
    field_credit_code: "统一社会信用代码（18 位）",
    field_contact_name: "联系人",
    field_email: "电子邮箱",
    field_password: "密码（至少 10 个字符）",
    register_submit: "注册",
    sign_in_title: "登录",
    sign_in_submit: "登录",
    no_account: "还没有账户？供应商可自行注册。",
    signed_in_as: "已登录：",
    go_to_account: "进入我的账户",
    sign_out: "退出登录（所有设备）",
    please_sign_in: "请先登录。",
    sme_title: "中小企业声明函",
    sme_intro: "填写以下四项，系统按《中小企业划型标准规定》自动计算企业规模，无需其他证明材料。",
    field_industry: "所属行业",
    field_headcount: "从业人员（人）",
    field_annual_revenue: "上年度营业收入（元）",
    field_total_assets: "资产总额（元）",
    choose: "请选择",
    sme_submit: "提交声明",
    sme_none: "尚未提交中小企业声明函。",
    size_class: "企业规模",
    declaration_version: "声明版本",
};

const EN: Texts = Texts {
    site_name: "fairtender",
    tagline: "Public work won on capability, paid on time.",
    skip_to_content: "Skip to content",
    nav_label: "Main navigation",
    nav_home: "Home",
    switch_language_label: "Change language",
    published_tenders: "Published tenders",
    tenders_empty: "There are no published tenders at the moment.",
    loading: "Loading…",
    budget: "Budget",
    bid_deadline: "Bid deadline",
    agency: "Agency",
    region: "Region",
    category: "Category",
    method: "Method",
    status: "Status",
    description: "Description",
    back_to_list: "Back to the tender list",
    not_found_title: "Page not found",
    not_found_body: "The page you are looking for does not exist or has moved.",
    error_title: "Something went wrong",
    footer: "SME reserves, price deductions and on-time payment are enforced by the platform, as the procurement rules require.",
    nav_account: "My account",
    nav_sign_in: "Sign in",
    nav_register: "Register",
    register_title: "Register your firm",
    register_intro: "Register once: every bid reuses the same profile.",
    field_organisation_name: "Organisation name",
    field_credit_code: "Unified social credit code (18 characters)",
    field_contact_name: "Contact person",
    field_email: "E-mail",
    field_password: "Password (at least 10 characters)",
    register_submit: "Register",
    sign_in_title: "Sign in",
    sign_in_submit: "Sign in",
    no_account: "No account yet? Suppliers register themselves.",
    signed_in_as: "Signed in as ",
    go_to_account: "Go to my account",
    sign_out: "Sign out (all devices)",
    please_sign_in: "Please sign in first.",
    sme_title: "SME declaration",
    sme_intro: "State these four facts; the size class is computed from the official size table. No other proof is needed.",
    field_industry: "Industry",
    field_headcount: "Persons employed",
    field_annual_revenue: "Last year's revenue (yuan)",
    field_total_assets: "Total assets (yuan)",
    choose: "Choose…",
    sme_submit: "Submit declaration",
    sme_none: "No SME declaration yet.",
    size_class: "Size class",
    declaration_version: "Declaration version",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::ZhCn => &ZH,
        Lang::En => &EN,
    }
}

pub fn category_name(lang: Lang, c: Category) -> &'static str {
    match (lang, c) {
        (Lang::ZhCn, Category::Goods) => "货物",
        (Lang::ZhCn, Category::Services) => "服务",
        (Lang::ZhCn, Category::Works) => "工程",
        (Lang::En, Category::Goods) => "Goods",
        (Lang::En, Category::Services) => "Services",
        (Lang::En, Category::Works) => "Works",
    }
}

pub fn method_name(lang: Lang, m: Method) -> &'static str {
    match (lang, m) {
        (Lang::ZhCn, Method::OpenTender) => "公开招标",
        (Lang::ZhCn, Method::CompetitiveConsultation) => "竞争性磋商",
        (Lang::ZhCn, Method::CompetitiveNegotiation) => "竞争性谈判",
        (Lang::ZhCn, Method::RequestForQuotation) => "询价",
        (Lang::En, Method::OpenTender) => "Open tender",
        (Lang::En, Method::CompetitiveConsultation) => "Competitive consultation",
        (Lang::En, Method::CompetitiveNegotiation) => "Competitive negotiation",
        (Lang::En, Method::RequestForQuotation) => "Request for quotation",
    }
}

pub fn status_name(lang: Lang, s: TenderStatus) -> &'static str {
    match (lang, s) {
        (Lang::ZhCn, TenderStatus::Draft) => "草稿",
        (Lang::ZhCn, TenderStatus::Published) => "已发布",
        (Lang::ZhCn, TenderStatus::Cancelled) => "已终止",
        (Lang::En, TenderStatus::Draft) => "Draft",
        (Lang::En, TenderStatus::Published) => "Published",
        (Lang::En, TenderStatus::Cancelled) => "Cancelled",
    }
}

/// Beijing time (UTC+8, no daylight saving). Every date on every page is shown in it, formatted
/// here only, so the server and the browser render the same text (no hydration mismatch).
pub fn format_datetime(at: DateTime<Utc>) -> String {
    let beijing = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    format!(
        "{} (UTC+8)",
        at.with_timezone(&beijing).format("%Y-%m-%d %H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn chinese_is_the_default_and_the_cookie_chooses() {
        assert_eq!(Lang::from_cookie_header(""), Lang::ZhCn);
        assert_eq!(Lang::from_cookie_header("a=1; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::ZhCn);
        assert_eq!(Lang::from_cookie_header("xlang=en"), Lang::ZhCn);
    }

    #[test]
    fn dates_show_in_beijing_time() {
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 16, 30, 0).unwrap();
        assert_eq!(format_datetime(at), "2027-01-01 00:30 (UTC+8)");
    }
}
