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

    /// The language of a request: every `Cookie` header it carries (HTTP/2 may split cookies
    /// into several), read as one, the first `lang` cookie deciding. The page and the page cache
    /// both read it here, so a cached page is always in the language the page would use
    /// (issue #35: two `Cookie` headers once served a Chinese page to an English reader).
    pub fn from_headers(headers: &http::HeaderMap) -> Lang {
        let joined = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("; ");
        Lang::from_cookie_header(&joined)
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
    pub search_title: &'static str,
    pub field_q: &'static str,
    pub any: &'static str,
    pub field_province: &'static str,
    pub field_budget_min: &'static str,
    pub field_budget_max: &'static str,
    pub field_sme_only: &'static str,
    pub field_status: &'static str,
    pub status_open: &'static str,
    pub status_closed: &'static str,
    pub status_all: &'static str,
    pub field_sort: &'static str,
    pub sort_newest: &'static str,
    pub sort_deadline: &'static str,
    pub sort_budget: &'static str,
    pub search_submit: &'static str,
    pub results_found: &'static str,
    pub page_prev: &'static str,
    pub page_next: &'static str,
    pub page_label: &'static str,
    pub pagination_label: &'static str,
    pub sme_reserved_badge: &'static str,
    pub no_results: &'static str,
    pub lots_title: &'static str,
    pub lot_budget: &'static str,
    pub pass_fail: &'static str,
    pub points_suffix: &'static str,
    pub sme_policy: &'static str,
    pub sme_reserved_whole: &'static str,
    pub sme_deduction: &'static str,
    pub price_weight_label: &'static str,
    pub lot_reserved_note: &'static str,
    pub nav_agency_tenders: &'static str,
    pub agency_only: &'static str,
    pub new_tender: &'static str,
    pub edit: &'static str,
    pub view_public: &'static str,
    pub no_agency_tenders: &'static str,
    pub tender_form_title: &'static str,
    pub field_title: &'static str,
    pub field_description: &'static str,
    pub field_category: &'static str,
    pub field_method: &'static str,
    pub field_region: &'static str,
    pub field_budget: &'static str,
    pub field_bid_deadline: &'static str,
    pub field_bid_security: &'static str,
    pub field_evaluation: &'static str,
    pub eval_comprehensive: &'static str,
    pub eval_lowest: &'static str,
    pub field_price_weight: &'static str,
    pub field_imported: &'static str,
    pub sme_section: &'static str,
    pub field_sme_required_share: &'static str,
    pub field_sme_small_micro_share: &'static str,
    pub field_sme_price_deduction: &'static str,
    pub field_sme_consortium_deduction: &'static str,
    pub lot_heading: &'static str,
    pub field_lot_title: &'static str,
    pub field_lot_budget: &'static str,
    pub field_lot_reserved: &'static str,
    pub criterion_heading: &'static str,
    pub field_criterion_kind: &'static str,
    pub field_criterion_requirement: &'static str,
    pub field_criterion_weight: &'static str,
    pub save_draft: &'static str,
    pub draft_saved: &'static str,
    pub publish: &'static str,
    pub publish_intro: &'static str,
    pub publish_problems: &'static str,
    pub field_closes_within: &'static str,
    pub within_7_days: &'static str,
    pub within_30_days: &'static str,
    pub countdown_prefix: &'static str,
    pub countdown_closed: &'static str,
    pub unit_days: &'static str,
    pub unit_hours: &'static str,
    pub unit_minutes: &'static str,
    pub unit_seconds: &'static str,
    pub clarify_title: &'static str,
    pub field_clarification: &'static str,
    pub field_affects_bids: &'static str,
    pub clarify_submit: &'static str,
    pub clarified_notice: &'static str,
    pub cancel_title: &'static str,
    pub field_cancel_reason: &'static str,
    pub cancel_submit: &'static str,
    pub clarifications_title: &'static str,
    pub deadline_moved: &'static str,
    pub cancelled_notice: &'static str,
    pub published_at_label: &'static str,
    pub documents_title: &'static str,
    pub documents_none: &'static str,
    pub documents_intro: &'static str,
    pub document_upload: &'static str,
    pub document_remove: &'static str,
    pub document_digest: &'static str,
    /// Issue #34: a tender document whose text could not be read, so was not checked.
    pub document_not_checked: &'static str,
    pub fit_title: &'static str,
    pub fit_guide: &'static str,
    pub fit_missing: &'static str,
    pub fit_reserved_not_sme: &'static str,
    pub fit_no_requirements: &'static str,
    pub fit_update_profile: &'static str,
    pub watch: &'static str,
    pub unwatch: &'static str,
    pub watching_note: &'static str,
    pub watchlist_title: &'static str,
    pub notifications_title: &'static str,
    pub notifications_none: &'static str,
    pub mark_read: &'static str,
    pub unread: &'static str,
    pub watched_title: &'static str,
    pub watched_none: &'static str,
    pub searches_title: &'static str,
    pub searches_none: &'static str,
    pub open_matches_suffix: &'static str,
    pub delete_search: &'static str,
    pub save_search_title: &'static str,
    pub field_search_name: &'static str,
    pub save_search_submit: &'static str,
    pub search_saved: &'static str,
    pub suppliers_only: &'static str,
    pub documents_available_until: &'static str,
    /// After a date counted on a year whose holiday notice is not loaded (issue #34); `{year}`
    /// is that year. Use [`provisional_note`].
    pub provisional_date: &'static str,
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
    search_title: "搜索采购项目",
    field_q: "关键词",
    any: "全部",
    field_province: "省份",
    field_budget_min: "预算下限（元）",
    field_budget_max: "预算上限（元）",
    field_sme_only: "仅看中小企业预留项目",
    field_status: "状态",
    status_open: "正在招标",
    status_closed: "已截止",
    status_all: "全部",
    field_sort: "排序",
    sort_newest: "最新发布",
    sort_deadline: "截止时间最近",
    sort_budget: "预算最高",
    search_submit: "搜索",
    results_found: "找到的项目数：",
    page_prev: "上一页",
    page_next: "下一页",
    page_label: "页码",
    pagination_label: "翻页",
    sme_reserved_badge: "中小企业预留",
    no_results: "没有符合条件的项目。",
    lots_title: "采购包与要求",
    lot_budget: "采购包预算（最高限价）",
    pass_fail: "合格/不合格",
    points_suffix: " 分",
    sme_policy: "中小企业政策",
    sme_reserved_whole: "本项目专门面向中小企业采购（R-SME-01）。",
    sme_deduction: "小微企业报价扣除比例（R-SME-03）：",
    price_weight_label: "价格分值",
    lot_reserved_note: "本采购包预留给中小企业",
    nav_agency_tenders: "我的采购项目",
    agency_only: "此页面仅限采购经办人使用。",
    new_tender: "新建采购项目",
    edit: "编辑",
    view_public: "查看公告",
    no_agency_tenders: "还没有采购项目。",
    tender_form_title: "采购项目草稿",
    field_title: "项目名称",
    field_description: "项目概况",
    field_category: "品目类别",
    field_method: "采购方式",
    field_region: "地区（以省份开头，如 浙江省杭州市）",
    field_budget: "预算金额（元）",
    field_bid_deadline: "投标截止时间（北京时间）",
    field_bid_security: "投标保证金（元，选填，不超过预算的 2%）",
    field_evaluation: "评标方法",
    eval_comprehensive: "综合评分法",
    eval_lowest: "最低评标价法",
    field_price_weight: "价格分值（综合评分法）",
    field_imported: "采购进口货物",
    sme_section: "中小企业措施（预算超过预留限额时适用）",
    field_sme_required_share: "非预留采购包须通过联合体或分包给中小企业的比例（%）",
    field_sme_small_micro_share: "联合体或分包份额中须给小微企业的比例（%）",
    field_sme_price_deduction: "小微企业价格扣除（%）",
    field_sme_consortium_deduction: "联合体或分包价格扣除（%，选填）",
    lot_heading: "采购包",
    field_lot_title: "采购包名称",
    field_lot_budget: "采购包预算（元）",
    field_lot_reserved: "整包预留给中小企业",
    criterion_heading: "要求",
    field_criterion_kind: "要求类别",
    field_criterion_requirement: "要求内容",
    field_criterion_weight: "分值（留空为合格/不合格）",
    save_draft: "保存草稿",
    draft_saved: "草稿已保存。",
    publish: "发布",
    publish_intro: "发布前平台检查全部采购规则，并列出每个问题及其规则编号。",
    publish_problems: "暂不能发布，请先修改：",
    field_closes_within: "截止时间",
    within_7_days: "7 天内截止",
    within_30_days: "30 天内截止",
    countdown_prefix: "距投标截止还有 ",
    countdown_closed: "投标已截止",
    unit_days: " 天",
    unit_hours: " 小时",
    unit_minutes: " 分",
    unit_seconds: " 秒",
    clarify_title: "发布澄清或修改",
    field_clarification: "澄清或修改内容",
    field_affects_bids: "可能影响投标文件编制（必要时顺延截止时间）",
    clarify_submit: "发布澄清",
    clarified_notice: "已发布。投标截止时间：",
    cancel_title: "终止采购项目",
    field_cancel_reason: "终止原因（将公开）",
    cancel_submit: "终止项目",
    clarifications_title: "澄清与修改",
    deadline_moved: "投标截止时间顺延至 ",
    cancelled_notice: "本项目已终止。原因：",
    published_at_label: "发布时间",
    documents_title: "招标文件",
    documents_none: "暂无文件。",
    documents_intro: "上传招标文件：PDF、Word（docx）、Excel（xlsx）、PNG、JPEG 或 ZIP/OFD，每个项目最多 20 个。发布后文件不能再更改。",
    document_upload: "上传文件",
    document_remove: "移除",
    document_digest: "SHA-256 校验值",
    document_not_checked: "未检查：无法读取文本",
    fit_title: "您的资格匹配",
    fit_guide: "根据您账户中有效的资质记录估算，仅供参考，以评审结果为准。",
    fit_missing: "缺少：",
    fit_reserved_not_sme: "本包专门面向中小企业，您的账户还没有中小企业声明（R-SME-01）。",
    fit_no_requirements: "本包没有需要资质记录证明的资格要求。",
    fit_update_profile: "在账户页补充资质记录",
    watch: "关注此项目",
    unwatch: "取消关注",
    watching_note: "已关注：发布澄清或终止时会通知您。",
    watchlist_title: "我的关注",
    notifications_title: "通知",
    notifications_none: "暂无通知。",
    mark_read: "全部标为已读",
    unread: "未读",
    watched_title: "关注的项目",
    watched_none: "您还没有关注任何项目。在项目页面选择“关注此项目”。",
    searches_title: "保存的搜索",
    searches_none: "还没有保存的搜索。在首页搜索后选择“保存此搜索”。",
    open_matches_suffix: " 个进行中的项目",
    delete_search: "删除",
    save_search_title: "保存此搜索",
    field_search_name: "搜索名称",
    save_search_submit: "保存搜索",
    search_saved: "搜索已保存，可在“我的关注”中查看。",
    suppliers_only: "此页面仅供供应商账户使用。",
    documents_available_until: "招标文件自发布之日起可下载，至少提供至（R-TIME-03，5 个工作日）：",
    provisional_date: "（暂定：{year}年放假安排尚未公布）",
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
    search_title: "Search tenders",
    field_q: "Keywords",
    any: "Any",
    field_province: "Province",
    field_budget_min: "Budget from (CNY)",
    field_budget_max: "Budget up to (CNY)",
    field_sme_only: "Reserved for SMEs only",
    field_status: "Status",
    status_open: "Open for bids",
    status_closed: "Closed",
    status_all: "All",
    field_sort: "Sort by",
    sort_newest: "Newest",
    sort_deadline: "Deadline soonest",
    sort_budget: "Largest budget",
    search_submit: "Search",
    results_found: "Tenders found: ",
    page_prev: "Previous page",
    page_next: "Next page",
    page_label: "Page",
    pagination_label: "Pages",
    sme_reserved_badge: "Reserved for SMEs",
    no_results: "No tender matches these filters.",
    lots_title: "Lots and requirements",
    lot_budget: "Lot budget (ceiling)",
    pass_fail: "Pass/fail",
    points_suffix: " points",
    sme_policy: "SME policy",
    sme_reserved_whole: "This tender is reserved for SMEs (R-SME-01).",
    sme_deduction: "Price deduction for small and micro bidders (R-SME-03): ",
    price_weight_label: "Price weight",
    lot_reserved_note: "This lot is reserved for SMEs",
    nav_agency_tenders: "My tenders",
    agency_only: "This page is for procurement officers only.",
    new_tender: "New tender",
    edit: "Edit",
    view_public: "View notice",
    no_agency_tenders: "No tenders yet.",
    tender_form_title: "Tender draft",
    field_title: "Title",
    field_description: "Description",
    field_category: "Category",
    field_method: "Procurement method",
    field_region: "Region (start with the province, e.g. 浙江省杭州市)",
    field_budget: "Budget (CNY)",
    field_bid_deadline: "Bid deadline (Beijing time)",
    field_bid_security: "Bid security (CNY, optional, at most 2% of the budget)",
    field_evaluation: "Evaluation method",
    eval_comprehensive: "Comprehensive scoring",
    eval_lowest: "Lowest evaluated price",
    field_price_weight: "Price weight (comprehensive scoring)",
    field_imported: "Imported goods",
    sme_section: "SME measures (for budgets above the reserve threshold)",
    field_sme_required_share: "Share of non-reserved lots that must go to SMEs through a consortium or subcontract (%)",
    field_sme_small_micro_share: "Part of the consortium or subcontract share that goes to small and micro firms (%)",
    field_sme_price_deduction: "Price deduction for small and micro bidders (%)",
    field_sme_consortium_deduction: "Consortium or subcontract deduction (%, optional)",
    lot_heading: "Lot",
    field_lot_title: "Lot name",
    field_lot_budget: "Lot budget (CNY)",
    field_lot_reserved: "Set aside for SMEs",
    criterion_heading: "Requirement",
    field_criterion_kind: "Kind of requirement",
    field_criterion_requirement: "What is required",
    field_criterion_weight: "Points (empty for pass/fail)",
    save_draft: "Save draft",
    draft_saved: "Draft saved.",
    publish: "Publish",
    publish_intro: "Before publishing, every procurement rule is checked; each problem is listed with its rule ID.",
    publish_problems: "Cannot publish yet. Fix these first:",
    field_closes_within: "Deadline",
    within_7_days: "Within 7 days",
    within_30_days: "Within 30 days",
    countdown_prefix: "Time left to bid: ",
    countdown_closed: "Bidding has closed",
    unit_days: " d",
    unit_hours: " h",
    unit_minutes: " min",
    unit_seconds: " s",
    clarify_title: "Publish a clarification or amendment",
    field_clarification: "Clarification or amendment",
    field_affects_bids: "It can affect bids (the deadline moves if needed)",
    clarify_submit: "Publish clarification",
    clarified_notice: "Published. Bid deadline: ",
    cancel_title: "Cancel the tender",
    field_cancel_reason: "Reason (published)",
    cancel_submit: "Cancel tender",
    clarifications_title: "Clarifications and amendments",
    deadline_moved: "Bid deadline moved to ",
    cancelled_notice: "This tender was cancelled. Reason: ",
    published_at_label: "Published",
    documents_title: "Tender documents",
    documents_none: "No documents yet.",
    documents_intro: "Upload the tender documents: PDF, Word (docx), Excel (xlsx), PNG, JPEG or ZIP/OFD, at most 20 per tender. They cannot change after publication.",
    document_upload: "Upload document",
    document_remove: "Remove",
    document_digest: "SHA-256 digest",
    document_not_checked: "Not checked: no readable text",
    fit_title: "How your profile fits",
    fit_guide: "Estimated from the current records on your profile: a guide only; the evaluation decides.",
    fit_missing: "Missing: ",
    fit_reserved_not_sme: "This lot is reserved for SMEs, and your profile has no SME declaration (R-SME-01).",
    fit_no_requirements: "This lot has no requirement that a capability record answers.",
    fit_update_profile: "Add capability records on your account page",
    watch: "Watch this tender",
    unwatch: "Stop watching",
    watching_note: "Watching: you will be told of clarifications and cancellation.",
    watchlist_title: "My watch list",
    notifications_title: "Notifications",
    notifications_none: "No notifications.",
    mark_read: "Mark all as read",
    unread: "Unread",
    watched_title: "Watched tenders",
    watched_none: "You watch no tenders yet. Choose “Watch this tender” on a tender's page.",
    searches_title: "Saved searches",
    searches_none: "No saved searches yet. Search on the home page, then choose “Save this search”.",
    open_matches_suffix: " open tenders",
    delete_search: "Delete",
    save_search_title: "Save this search",
    field_search_name: "Name of the search",
    save_search_submit: "Save search",
    search_saved: "Search saved. Find it in your watch list.",
    suppliers_only: "This page is for supplier accounts.",
    documents_available_until: "The documents can be downloaded from publication, and at least until (R-TIME-03, 5 working days): ",
    provisional_date: "(provisional: the {year} holiday notice is not loaded yet)",
};

/// One short text in the reader's language, for pages whose words appear nowhere else.
pub fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

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

/// The marker after a date counted on a provisional year (issue #34): the date may still move
/// (only earlier) once `year`'s holiday notice is loaded.
pub fn provisional_note(lang: Lang, year: i32) -> String {
    texts(lang)
        .provisional_date
        .replace("{year}", &year.to_string())
}

/// "You meet 4 of 5 requirements" (issue #4).
pub fn fit_summary(lang: Lang, met: usize, total: usize) -> String {
    match lang {
        Lang::ZhCn => format!("您满足 {total} 项资格要求中的 {met} 项"),
        Lang::En => format!("You meet {met} of {total} requirements"),
    }
}

/// In a result list: in how many lots a supplier's profile meets every requirement.
pub fn list_fit(lang: Lang, eligible: usize, lots: usize) -> String {
    match lang {
        Lang::ZhCn => format!("您的资质满足 {lots} 个包中 {eligible} 个包的资格要求"),
        Lang::En => format!("Your profile meets the requirements of {eligible} of {lots} lots"),
    }
}

/// A missing requirement, and the expired record that would have answered it.
pub fn missing_requirement(lang: Lang, requirement: &str, expired_record: Option<&str>) -> String {
    match (lang, expired_record) {
        (Lang::ZhCn, Some(r)) => format!("{requirement}（您的“{r}”已过期）"),
        (Lang::En, Some(r)) => format!("{requirement} (your \"{r}\" has expired)"),
        (_, None) => requirement.to_string(),
    }
}

/// Pass/fail requirements the bid itself answers.
pub fn answered_in_bid(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("另有 {n} 项要求在投标文件中作答。"),
        Lang::En => format!("{n} more to answer in the bid itself."),
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
