//! R-SME-02 (and R-SME-03's consortium deduction): the consortium members and subcontractors
//! of a bid. The bid form's rows, each with the partner's own SME declaration, and what the
//! winner undertakes as the award notice and the contract show it.

use leptos::prelude::*;

use crate::domain::sme::{Industry, SizeClass};
use crate::domain::sme_share::{
    PartnerForm, PartnerRole, ShareDemand, SmeObligation, PARTNER_SLOTS,
};
use crate::error::AppError;
use crate::i18n::{tr, Lang};
use crate::ui::components::contract_parts::field_message;
use crate::ui::components::forms::Field;
use crate::ui::use_lang;

/// What the lots of a tender ask of the bid's SME share, in words.
fn demand_text(lang: Lang, d: &ShareDemand) -> String {
    match lang {
        Lang::ZhCn => format!(
            "非预留采购包要求中小企业承担至少 {}%，其中小微企业至少 {}%（R-SME-02）。投标人自己是中小企业时，自己承担的部分也计入。",
            d.sme, d.small_micro
        ),
        Lang::En => format!(
            "Non-reserved lots require at least {}% performed by SMEs, {}% by small and micro firms (R-SME-02). When the bidder is an SME, its own part counts.",
            d.sme, d.small_micro
        ),
    }
}

/// The partner rows of the bid form (blank rows are skipped by the server).
#[component]
pub(crate) fn PartnerFields(
    partners: Vec<PartnerForm>,
    demand: Option<ShareDemand>,
    size: Option<SizeClass>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let mut rows = partners;
    rows.resize(PARTNER_SLOTS.max(rows.len()), PartnerForm::default());
    let medium_or_large = !size.is_some_and(SizeClass::is_small_or_micro);
    view! {
        <fieldset class="partners" data-testid="partners">
            <legend>{move || tr(lang.get(), "联合体成员和分包供应商（选填，R-SME-02、R-SME-03）", "Consortium members and subcontractors (optional, R-SME-02, R-SME-03)")}</legend>
            {demand.map(|d| view! { <p data-testid="share-demand">{move || demand_text(lang.get(), &d)}</p> })}
            {medium_or_large.then(|| view! {
                <p class="muted">{move || tr(lang.get(), "中型或大型企业通过联合体或分包给小微企业至少 30% 时，可享受价格扣除（R-SME-03）。份额按下列企业的声明函计算。", "A medium or large firm giving small and micro firms at least 30% by consortium or subcontract gets a price deduction (R-SME-03). Shares are computed from the declarations below.")}</p>
            })}
            <p class="field-error" id="f-partners-error" role="status">{field_message(error, "partners".into(), lang)}</p>
            {rows.into_iter().enumerate().map(|(i, p)| view! { <PartnerRow i p error /> }).collect_view()}
        </fieldset>
    }
}

#[component]
fn PartnerRow(i: usize, p: PartnerForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let name = move |f: &str| format!("form[partners][{i}][{f}]");
    let field = move |f: &str| format!("partners[{i}].{f}");
    let role_id = format!("f-partners-{i}-role");
    let industry_id = format!("f-partners-{i}-industry");
    let role = p.role.clone();
    let industry = p.industry.clone();
    view! {
        <fieldset class="partner" data-testid=format!("partner-{i}")>
            <legend>{move || tr(lang.get(), "企业 ", "Firm ")}{i + 1}</legend>
            <div class="field">
                <label for=role_id.clone()>{move || tr(lang.get(), "参与方式", "Takes part as")}</label>
                <select id=role_id.clone() name=name("role") aria-describedby=format!("{role_id}-error")>
                    <option value="">{move || tr(lang.get(), "（不填）", "(none)")}</option>
                    {PartnerRole::ALL.iter().map(|r| {
                        let r = *r;
                        view! { <option value=r.as_str() selected=role == r.as_str()>{move || r.name(lang.get())}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" id=format!("{role_id}-error") role="status">{field_message(error, field("role"), lang)}</p>
            </div>
            <Field name=name("name") field=field("name") label=Signal::derive(move || tr(lang.get(), "企业名称", "Firm name")) error value=p.name />
            <Field name=name("credit_code") field=field("credit_code") label=Signal::derive(move || tr(lang.get(), "统一社会信用代码", "Unified social credit code")) error value=p.credit_code />
            <Field name=name("share") field=field("share") label=Signal::derive(move || tr(lang.get(), "承担的份额（占报价的 %）", "Share it performs (% of the price)")) error value=p.share />
            <div class="field">
                <label for=industry_id.clone()>{move || tr(lang.get(), "所属行业", "Industry")}</label>
                <select id=industry_id.clone() name=name("industry") aria-describedby=format!("{industry_id}-error")>
                    <option value="">{move || tr(lang.get(), "请选择", "Choose")}</option>
                    {Industry::ALL.iter().map(|x| {
                        let x = *x;
                        view! { <option value=x.as_str() selected=industry == x.as_str()>{move || x.name(lang.get())}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" id=format!("{industry_id}-error") role="status">{field_message(error, field("industry"), lang)}</p>
            </div>
            <Field name=name("headcount") field=field("headcount") label=Signal::derive(move || tr(lang.get(), "从业人员（人）", "Headcount")) error value=p.headcount />
            <Field name=name("annual_revenue") field=field("annual_revenue") label=Signal::derive(move || tr(lang.get(), "营业收入（元）", "Annual revenue (CNY)")) error value=p.annual_revenue />
            <Field name=name("total_assets") field=field("total_assets") label=Signal::derive(move || tr(lang.get(), "资产总额（元）", "Total assets (CNY)")) error value=p.total_assets />
        </fieldset>
    }
}

/// What the winner undertakes (R-SME-02): the lot's demand, the shares its bid gives and the
/// partners, each with its size class computed from its declaration.
#[component]
pub(crate) fn ObligationView(obligation: SmeObligation) -> impl IntoView {
    let lang = use_lang();
    let shares = obligation.shares;
    let demand = obligation.demand;
    view! {
        <div class="sme-obligation" data-testid="sme-obligation">
            <p>
                {move || tr(lang.get(), "中小企业承担份额：", "Performed by SMEs: ")}
                <span data-testid="sme-share">{format!("{}%", shares.sme.normalize())}</span>
                {move || tr(lang.get(), "，其中小微企业：", ", of which small and micro firms: ")}
                <span data-testid="small-micro-share">{format!("{}%", shares.small_micro.normalize())}</span>
                {demand.map(|d| view! {
                    {move || match lang.get() {
                        Lang::ZhCn => format!("（本包要求至少 {}% 和 {}%，R-SME-02）", d.sme, d.small_micro),
                        Lang::En => format!(" (the lot requires at least {}% and {}%, R-SME-02)", d.sme, d.small_micro),
                    }}
                })}
            </p>
            {(!obligation.partners.is_empty()).then(|| view! {
                <ul data-testid="partners-list">
                    {obligation.partners.into_iter().map(|p| {
                        let (role, class) = (p.role, p.size_class);
                        view! {
                            <li>
                                {move || role.name(lang.get())}": "{p.name}" ("<code>{p.credit_code}</code>") · "
                                {move || class.name(lang.get())}" · "{format!("{}%", p.share.normalize())}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}
