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
    pub cap_title: &'static str,
    pub cap_intro: &'static str,
    pub cap_none: &'static str,
    pub cap_add_title: &'static str,
    pub field_cap_kind: &'static str,
    pub field_cap_title: &'static str,
    pub field_cap_number: &'static str,
    pub field_cap_issuer: &'static str,
    pub field_cap_valid_until: &'static str,
    pub field_cap_details: &'static str,
    pub cap_submit: &'static str,
    pub cap_archive: &'static str,
    pub cap_valid_until: &'static str,
    pub cap_number: &'static str,
    pub cap_issuer: &'static str,
    pub cap_document: &'static str,
    pub cap_no_document: &'static str,
    pub cap_upload: &'static str,
    pub field_file: &'static str,
    pub nav_admin: &'static str,
    pub admin_title: &'static str,
    pub admin_only: &'static str,
    pub admin_agencies: &'static str,
    pub admin_no_agencies: &'static str,
    pub admin_create_agency: &'static str,
    pub field_agency_name: &'static str,
    pub admin_create_submit: &'static str,
    pub admin_invite_title: &'static str,
    pub field_agency: &'static str,
    pub field_role: &'static str,
    pub invite_submit_link: &'static str,
    pub invite_link_notice: &'static str,
    pub invite_title: &'static str,
    pub invite_intro: &'static str,
    pub field_display_name: &'static str,
    pub invite_accept_submit: &'static str,
    pub password_title: &'static str,
    pub field_current_password: &'static str,
    pub field_new_password: &'static str,
    pub password_submit: &'static str,
    pub password_changed: &'static str,
    pub members_title: &'static str,
    pub members_intro: &'static str,
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
    cap_title: "资质与能力",
    cap_intro: "一次填写，所有投标共用。只需填写与履约能力有关的信息，不需要注册资本、营业收入或业绩。",
    cap_none: "尚未添加资质或能力记录。",
    cap_add_title: "添加记录",
    field_cap_kind: "类别",
    field_cap_title: "名称",
    field_cap_number: "证书编号",
    field_cap_issuer: "发证机关（选填）",
    field_cap_valid_until: "有效期至（长期有效请留空）",
    field_cap_details: "说明（选填）",
    cap_submit: "添加记录",
    cap_archive: "归档",
    cap_valid_until: "有效期至",
    cap_number: "编号",
    cap_issuer: "发证机关",
    cap_document: "证明文件",
    cap_no_document: "尚未上传证明文件。",
    cap_upload: "上传文件",
    field_file: "选择文件（PDF、图片、Word、Excel 或 ZIP/OFD）",
    nav_admin: "平台管理",
    admin_title: "平台管理",
    admin_only: "此页面仅限平台管理员使用。",
    admin_agencies: "采购人",
    admin_no_agencies: "还没有采购人。",
    admin_create_agency: "新建采购人",
    field_agency_name: "采购人名称",
    admin_create_submit: "创建采购人",
    admin_invite_title: "邀请采购人工作人员",
    field_agency: "采购人",
    field_role: "岗位",
    invite_submit_link: "生成邀请链接",
    invite_link_notice: "邀请链接只显示这一次，7 天内有效。请把它发给被邀请人：",
    invite_title: "接受邀请",
    invite_intro: "填写您的姓名并设置密码，即可登录。",
    field_display_name: "姓名",
    invite_accept_submit: "接受邀请并登录",
    password_title: "修改密码",
    field_current_password: "当前密码",
    field_new_password: "新密码（至少 10 个字符）",
    password_submit: "修改密码",
    password_changed: "密码已修改，其他设备上的登录已失效。",
    members_title: "邀请同事",
    members_intro: "同事接受邀请后以供应商成员身份登录，可以维护资质并准备投标。",
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
    cap_title: "Capabilities and certificates",
    cap_intro: "Entered once, used by every bid. Only what shows you can do the work: no registered capital, revenue or track record is asked for.",
    cap_none: "No capability records yet.",
    cap_add_title: "Add a record",
    field_cap_kind: "Kind",
    field_cap_title: "Name",
    field_cap_number: "Certificate number",
    field_cap_issuer: "Issued by (optional)",
    field_cap_valid_until: "Valid until (leave empty if it never expires)",
    field_cap_details: "Details (optional)",
    cap_submit: "Add record",
    cap_archive: "Archive",
    cap_valid_until: "Valid until",
    cap_number: "Number",
    cap_issuer: "Issued by",
    cap_document: "Document",
    cap_no_document: "No document uploaded yet.",
    cap_upload: "Upload document",
    field_file: "Choose a file (PDF, image, Word, Excel or ZIP/OFD)",
    nav_admin: "Administration",
    admin_title: "Platform administration",
    admin_only: "This page is for platform administrators only.",
    admin_agencies: "Agencies",
    admin_no_agencies: "No agencies yet.",
    admin_create_agency: "Create an agency",
    field_agency_name: "Agency name",
    admin_create_submit: "Create agency",
    admin_invite_title: "Invite an agency officer",
    field_agency: "Agency",
    field_role: "Role",
    invite_submit_link: "Create invitation link",
    invite_link_notice: "The invitation link is shown only this once and works for 7 days. Send it to the person:",
    invite_title: "Accept your invitation",
    invite_intro: "Enter your name and choose a password to sign in.",
    field_display_name: "Your name",
    invite_accept_submit: "Accept and sign in",
    password_title: "Change password",
    field_current_password: "Current password",
    field_new_password: "New password (at least 10 characters)",
    password_submit: "Change password",
    password_changed: "Password changed. You have been signed out on every other device.",
    members_title: "Invite a colleague",
    members_intro: "A colleague who accepts signs in as a supplier member and can keep the capabilities up to date and prepare bids.",
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
