//! Re-tendering after R-SME-05 / R-BID-04 (issue #33): the public notices that link a
//! re-tender and the tender it re-tenders (with why each lot is, or is no longer, reserved for
//! SMEs), and the officer's form that makes the re-tender. The form works without JavaScript:
//! the server sends the browser on to the new draft.

use crate::i18n::tr;
use crate::model::bids::LotState;
use crate::model::tenders::{RelatedTender, RetenderNotice};
use crate::server_fns::agency::RetenderTender;
use crate::ui::components::forms::{last_error, FormError};
use crate::ui::use_lang;
use leptos::prelude::*;

/// On a re-tender's page: the tender it re-tenders (a link) and, lot by lot, why it is not
/// reserved for SMEs (R-SME-05) or still is (R-BID-04).
#[component]
pub(crate) fn RetenderOfNotice(notice: RetenderNotice) -> impl IntoView {
    let lang = use_lang();
    let href = crate::paths::tender(notice.of.id.0);
    view! {
        <section class="notice" data-testid="retender-of" aria-labelledby="retender-of-title">
            <h2 id="retender-of-title">{move || tr(lang.get(), "重新采购", "Re-tender")}</h2>
            <p>
                {move || tr(lang.get(), "本项目是对以下项目中未成交采购包的重新采购：", "This tender re-tenders the lots that did not go on to an award in ")}
                <a href=href data-testid="retender-of-link">{notice.of.title.clone()}</a>
            </p>
            <ul>
                {notice.lots.into_iter().map(|l| {
                    let reason = l.reason.clone();
                    let suspended = l.state == LotState::Suspended;
                    let (valid, sme) = (l.valid_bids, l.qualified_sme_bids);
                    view! {
                        <li data-testid="retender-lot">
                            <strong>{l.lot_title.clone().unwrap_or_else(|| l.failed_lot_title.clone())}</strong>
                            {l.lifted.then(|| view! { " "<span class="badge">{move || tr(lang.get(), "不专门面向中小企业", "Not reserved for SMEs")}</span> })}
                            <br />{move || reason.get(lang.get()).to_string()}
                            <br /><span class="muted">
                                {move || tr(lang.get(), "原采购包：", "Earlier lot: ")}{l.failed_lot_title.clone()}
                                {move || tr(lang.get(), "；有效投标：", "; valid bids: ")}{valid}
                                {suspended.then(|| view! {
                                    {move || tr(lang.get(), "；其中合格的中小企业投标：", "; of which qualified SME bids: ")}{sme}
                                })}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// On a failed tender's page: its published re-tender.
#[component]
pub(crate) fn RetenderedAsNotice(retender: RelatedTender) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice" data-testid="retendered-as">
            {move || tr(lang.get(), "未成交的采购包已重新采购：", "The lots that did not go on to an award are re-tendered in ")}
            <a href=crate::paths::tender(retender.id.0)>{retender.title.clone()}</a>
        </p>
    }
}

/// On the officer's evaluation page, once a lot was suspended (R-SME-05) or failed (R-BID-04):
/// the re-tender made, or the form that makes it.
#[component]
pub(crate) fn RetenderSection(
    tender: String,
    existing: Option<RelatedTender>,
    action: ServerAction<RetenderTender>,
) -> impl IntoView {
    let lang = use_lang();
    let error = last_error(action.value());
    // With JavaScript the page stays: a link to the new draft.
    let made = move || action.value().get().and_then(|r| r.ok());
    view! {
        <section class="card" aria-labelledby="retender-title" data-testid="retender">
            <h2 id="retender-title">{move || tr(lang.get(), "重新采购", "Re-tender")}</h2>
            <p>{move || tr(
                lang.get(),
                "因合格的中小企业投标不足三家而中止的采购包（R-SME-05），依财库〔2020〕46号可不再专门面向中小企业重新采购；因有效投标不足三家而流标的采购包（R-BID-04）重新采购时中小企业预留不变。将生成一个新的草稿，复制原项目和这些采购包；发布前请设定新的投标截止时间。",
                "Lots suspended for fewer than 3 qualified SME bids (R-SME-05) may be re-tendered not reserved for SMEs (D46); lots that failed for fewer than 3 valid bids (R-BID-04) keep their SME reservation. A new draft is made with the tender's terms and these lots; set a new bid deadline before publishing.",
            )}</p>
            {match existing {
                Some(r) => view! {
                    <p data-testid="retender-existing">
                        {move || tr(lang.get(), "已生成重新采购项目：", "Re-tender made: ")}
                        <a href=crate::paths::tender_edit(r.id.0)>{r.title.clone()}</a>
                    </p>
                }.into_any(),
                None => view! {
                    <ActionForm action attr:data-testid="retender-form">
                        <FormError error />
                        <input type="hidden" name="id" value=tender />
                        <button type="submit">{move || tr(lang.get(), "重新采购未成交的采购包", "Re-tender the lots that did not go on")}</button>
                    </ActionForm>
                    {move || made().map(|id| view! {
                        <p class="notice" role="status">
                            <a href=crate::paths::tender_edit(id)>{move || tr(lang.get(), "编辑新的草稿", "Edit the new draft")}</a>
                        </p>
                    })}
                }.into_any(),
            }}
        </section>
    }
}

/// On a re-tender's draft: which tender it re-tenders (only this link lifts R-SME-01's
/// reservation, for the suspended lots, R-SME-05).
#[component]
pub(crate) fn DraftRetenderNote(of: RelatedTender) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice" data-testid="draft-retender-of">
            {move || tr(lang.get(), "本草稿是对以下项目的重新采购：", "This draft re-tenders ")}
            <a href=crate::paths::tender(of.id.0)>{of.title.clone()}</a>
            {move || tr(
                lang.get(),
                "。因合格的中小企业投标不足而中止的采购包（R-SME-05）发布时不再专门面向中小企业；请设定新的投标截止时间，并按 R-SME-03 设定对小微企业的价格扣除比例。",
                ". Lots suspended for too few qualified SME bids (R-SME-05) are published not reserved for SMEs; set a new bid deadline and the small and micro firms' price deduction (R-SME-03).",
            )}
        </p>
    }
}
