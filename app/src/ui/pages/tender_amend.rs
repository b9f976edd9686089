//! The structured amendment (更正公告) of a published tender, on its page at `/agency/tenders/:id`
//! (R-TIME-02): the terms as they stand, to change, with a public explanation. The server finds
//! what changed and decides whether it can affect bids; one that can moves the deadline.

use crate::domain::draft::TenderDraftForm;
use crate::i18n::{format_datetime, tr};
use crate::paths;
use crate::server_fns::agency::AmendTender;
use crate::ui::components::forms::{done, last_error, FormError};
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AmendSection(id: String, form: TenderDraftForm) -> impl IntoView {
    let lang = use_lang();
    let amend = ServerAction::<AmendTender>::new();
    let error = last_error(amend.value());
    // The server redirects back with the deadline after the amendment.
    let published = done::<AmendTender>()
        .then(|| use_query_map().with_untracked(|q| q.get(paths::query::DEADLINE)))
        .flatten()
        .and_then(|d| chrono::DateTime::parse_from_rfc3339(&d).ok())
        .map(|d| format_datetime(d.with_timezone(&chrono::Utc)));
    view! {
        <section aria-labelledby="amend-title">
            <h2 id="amend-title">{move || tr(lang.get(), "更正采购文件", "Amend the terms")}</h2>
            <p class="muted">{move || tr(
                lang.get(),
                "直接修改下列条款并说明理由。变更采购包、资格或评审要求、数量、预算、最高限价或评标方法的，必然影响投标，投标截止时间将顺延至至少 15 日后（竞争性磋商 5 日，R-TIME-02），无论是否勾选。",
                "Change the terms below and explain why. A change to the lots, requirements, quantities, budget, ceilings or the evaluation method affects bids whatever is ticked: the deadline moves so that at least 15 days remain (5 for consultation, R-TIME-02).",
            )}</p>
            {published.map(|deadline| view! {
                <p class="notice" role="status" data-testid="amended">{move || tr(lang.get(), "更正已发布。投标截止时间：", "Amendment published. Bid deadline: ")}{deadline}</p>
            })}
            <ActionForm action=amend attr:class="form draft-form" attr:data-testid="amend-form">
                <FormError error />
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="f-amend-body">{move || tr(lang.get(), "更正说明（公开）", "Explanation (public)")}</label>
                    <textarea id="f-amend-body" name="body" rows="3" aria-describedby="f-amend-body-error"></textarea>
                    <p class="field-error" id="f-amend-body-error" role="status">
                        {move || error.get().and_then(|e| e.for_field("body").map(|m| m.get(lang.get()).to_string()))}
                    </p>
                </div>
                <div class="field checkbox">
                    <input id="f-amend-affects_bids" type="checkbox" name="affects_bids" />
                    <label for="f-amend-affects_bids">{move || tr(lang.get(), "其他变更也可能影响投标（如名称含义的变化）", "Other changes can affect bids too (a title whose meaning changes, say)")}</label>
                </div>
                <p class="field-error" role="status">
                    {move || error.get().and_then(|e| e.for_field("form").map(|m| m.get(lang.get()).to_string()))}
                </p>
                <super::tender_edit::TermsFields form error />
                <button type="submit">{move || tr(lang.get(), "发布更正公告", "Publish the amendment")}</button>
            </ActionForm>
        </section>
    }
}
