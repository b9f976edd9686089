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
