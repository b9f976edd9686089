//! Parts of a tender shown on several pages: its documents, its award notices, the lots that
//! failed or were suspended, and a bid's score.

use crate::i18n::format_datetime;
use crate::i18n::texts;
use crate::i18n::tr;
use crate::i18n::Lang;
use crate::model::bids::LotState;
use crate::model::bids::ScoreLine;
use crate::ui::use_lang;
use leptos::prelude::*;

/// A tender's documents, with their size and digest.
#[component]
pub fn DocumentList(documents: Vec<crate::model::tenders::TenderDocumentView>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    if documents.is_empty() {
        return view! { <p class="empty" data-testid="documents-none">{move || t().documents_none}</p> }.into_any();
    }
    view! {
        <ul class="documents" data-testid="documents">
            {documents
                .into_iter()
                .map(|d| view! {
                    <li>
                        <a href=d.href rel="external" data-testid="tender-document">{d.name}</a>
                        {format!(" ({:.0} KB)", (d.size_bytes as f64 / 1024.0).ceil())}
                        // Issue #34: its text could not be read, so it was not checked.
                        {d.not_checked.then(|| view! {
                            " "<strong class="not-checked" data-testid="document-not-checked">{move || t().document_not_checked}</strong>
                        })}
                        <br />
                        <small class="muted digest">{move || t().document_digest}": "<code>{d.sha256}</code></small>
                    </li>
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Award notices, lot by lot (R-SME-04: with the winner's SME declaration; R-AWARD-01: the
/// contract is to be signed within 30 days).
#[component]
pub(crate) fn AwardList(awards: Vec<crate::model::bids::AwardNotice>) -> impl IntoView {
    use crate::i18n::tr;
    let lang = use_lang();
    view! {
        <ul class="awards" data-testid="awards">
            {awards.into_iter().map(|a| {
                let size = a.size_class;
                let declaration = a.declaration.clone();
                let obligation = a.sme_obligation.clone();
                view! {
                    <li>
                        <strong>{a.lot_title}</strong>": "{a.supplier_name}" · "{a.price.format_cny()}
                        " · "{move || size.map(|s| s.name(lang.get())).unwrap_or_else(|| tr(lang.get(), "未声明中小企业", "no SME declaration"))}
                        {declaration.map(|d| view! {
                            <br /><span class="muted">
                                {move || tr(lang.get(), "中小企业声明函：从业人员 ", "SME declaration: headcount ")}{d.headcount}
                                {move || tr(lang.get(), "，营业收入 ", ", revenue ")}{d.annual_revenue.format_cny()}
                                {move || tr(lang.get(), "，资产总额 ", ", total assets ")}{d.total_assets.format_cny()}
                            </span>
                        })}
                        // R-SME-02: the SME share the winner undertakes, and with whom.
                        {obligation.map(|o| view! { <crate::ui::components::sme_partners::ObligationView obligation=o /> }.into_any())}
                        <span class="muted">
                            {move || tr(lang.get(), "公告时间 ", "Published ")}{format_datetime(a.notice_published_at)}
                            {move || tr(lang.get(), "；合同应于此日前签订：", "; contract to be signed by ")}{a.sign_contract_by.to_string()}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Lots that failed (R-BID-04) or were suspended (R-SME-05) after the opening, each with its
/// public reason and how many valid bids it had.
#[component]
pub(crate) fn LotOutcomeList(outcomes: Vec<crate::model::bids::LotOutcomeNotice>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="lot-outcomes" data-testid="lot-outcomes">
            {outcomes.into_iter().map(|o| {
                let reason = o.reason.clone();
                let (valid, sme) = (o.valid_bids, o.qualified_sme_bids);
                let suspended = o.state == LotState::Suspended;
                view! {
                    <li>
                        <strong>{o.lot_title}</strong>{" — "}
                        {move || lot_state_name(lang.get(), o.state)}
                        <br />{move || reason.get(lang.get()).to_string()}
                        <br /><span class="muted">
                            {move || tr(lang.get(), "有效投标：", "Valid bids: ")}{valid}
                            {suspended.then(|| view! {
                                {move || tr(lang.get(), "；其中中小企业：", "; of which from SMEs: ")}{sme}
                            })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

pub(crate) fn lot_state_name(lang: Lang, s: LotState) -> &'static str {
    match s {
        LotState::Evaluating => tr(lang, "评审中", "Being evaluated"),
        LotState::Failed => tr(
            lang,
            "流标：有效投标不足三家（GPL 第三十六条，R-BID-04）",
            "Failed: fewer than three valid bids (GPL Art. 36, R-BID-04)",
        ),
        LotState::Suspended => tr(
            lang,
            "暂停：合格的中小企业投标不足三家，改为非预留重新采购（R-SME-05）",
            "Suspended: fewer than three qualified SME bids, re-tendered as non-reserved (R-SME-05)",
        ),
        LotState::Awarded => tr(lang, "已确定中标人", "Awarded"),
    }
}

#[component]
pub(crate) fn ScoreBreakdown(line: ScoreLine) -> AnyView {
    let lang = use_lang();
    let rank = line.rank;
    let qualified = line.qualified;
    view! {
        <dl class="facts" data-testid="score">
            <div><dt>{move || tr(lang.get(), "报价", "Price")}</dt><dd>{line.price.format_cny()}</dd></div>
            <div><dt>{move || tr(lang.get(), "价格扣除", "Price deduction")}</dt><dd>{format!("{}%", line.deduction)}</dd></div>
            <div><dt>{move || tr(lang.get(), "评审价", "Evaluated price")}</dt><dd data-testid="evaluated-price">{line.evaluated_price.format_cny()}</dd></div>
            <div><dt>{move || tr(lang.get(), "技术得分", "Technical score")}</dt><dd>{line.technical_score.to_string()}</dd></div>
            {line.price_score.map(|p| view! { <div><dt>{move || tr(lang.get(), "价格得分", "Price score")}</dt><dd>{p.to_string()}</dd></div> })}
            {line.total.map(|p| view! { <div><dt>{move || tr(lang.get(), "总分", "Total")}</dt><dd>{p.to_string()}</dd></div> })}
            <div><dt>{move || tr(lang.get(), "排名", "Rank")}</dt><dd data-testid="rank">{move || match rank {
                Some(r) => r.to_string(),
                None if !qualified => tr(lang.get(), "未通过资格性审查", "Did not pass every pass/fail requirement").to_string(),
                None => "-".to_string(),
            }}</dd></div>
        </dl>
        {(!line.marks.is_empty()).then(|| view! {
            <ul class="marks">
                {line.marks.into_iter().map(|m| view! {
                    <li>
                        {m.requirement}": "
                        {move || match (m.passed, m.score) {
                            (Some(true), _) => tr(lang.get(), "通过", "pass").to_string(),
                            (Some(false), _) => tr(lang.get(), "不通过", "fail").to_string(),
                            (None, Some(s)) => format!("{s} / {}", m.weight.map(|w| w.to_string()).unwrap_or_default()),
                            _ => "-".to_string(),
                        }}
                        {(!m.reason.is_empty()).then(|| format!(" — {}", m.reason))}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
    .into_any()
}
