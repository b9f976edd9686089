//! Contracts and payments (issue #6): `/agency/contracts` (awarded lots, the contract form, and
//! what falls due), `/contracts/:id` (one contract: deliver, accept or reject, pay), and
//! `/receivables` (a supplier's milestones, due dates and interest, on one phone screen).

use crate::i18n::{texts, tr};
use crate::server_fns::contracts::{payment_notices, receivables};
use crate::ui::components::contract_parts::signed_out_or_error;
use crate::ui::components::contract_parts::status_class;
use crate::ui::components::contract_parts::status_text;
use crate::ui::components::contract_parts::Notices;
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/receivables`: the supplier's money, milestone by milestone.
#[component]
pub fn ReceivablesPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| receivables());
    let notices = Resource::new(|| (), |_| payment_notices());
    view! {
        <h1>{move || tr(lang.get(), "我的应收款", "My receivables")}</h1>
        <Suspense fallback=move || view! { <p>{move || texts(lang.get()).loading}</p> }>
            {move || Suspend::new(async move {
                match notices.await {
                    Ok(list) => view! { <Notices list /> }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
            {move || Suspend::new(async move {
                match list.await {
                    Ok(contracts) if contracts.is_empty() => view! {
                        <p class="empty">{move || tr(lang.get(), "还没有合同。", "No contracts yet.")}</p>
                    }.into_any(),
                    Ok(contracts) => view! {
                        <ul class="cards" data-testid="receivables">
                            {contracts.into_iter().map(|c| view! {
                                <li class="card">
                                    <h2 class="h3"><A href=crate::paths::contract(c.id)>{c.tender_title.clone()}" · "{c.lot_title.clone()}</A></h2>
                                    <p class="muted">{c.agency_name.clone()}" · "{c.value.format_cny()}</p>
                                    <ul>
                                        {c.milestones.into_iter().map(|m| view! {
                                            <li>
                                                {m.deliverable.clone()}": "{m.amount.format_cny()}" · "
                                                <span class=status_class(m.status)>{move || status_text(lang.get(), m.status)}</span>
                                                {m.due_date.map(|d| format!(" · {d}"))}
                                                {(m.interest > crate::domain::Money::ZERO).then(|| view! {
                                                    " · "{move || tr(lang.get(), "利息 ", "interest ")}<strong>{m.interest.format_cny()}</strong>
                                                    {(m.interest_outstanding != m.interest).then(|| view! {
                                                        " ("{move || tr(lang.get(), "未付 ", "unpaid ")}{m.interest_outstanding.format_cny()}")"
                                                    })}
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => signed_out_or_error(error, lang),
                }
            })}
        </Suspense>
    }
}
