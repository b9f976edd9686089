//! Contracts and payments (issue #6): `/agency/contracts` (awarded lots, the contract form, and
//! what falls due), `/contracts/:id` (one contract: deliver, accept or reject, pay), and
//! `/receivables` (a supplier's milestones, due dates and interest, on one phone screen).
//! `/agency/contracts` also lists the bid securities of the agency's tenders and records their
//! refunds (R-SEC-01).

use crate::domain::payment::SecurityForm;
use crate::i18n::{texts, tr, Lang};
use crate::model::contracts::{AwardedLot, ContractView, MilestoneView};
use crate::server_fns::bid_security::{agency_bid_securities, RecordBidSecurityRefund};
use crate::server_fns::contracts::{
    awarded_lots, finance_dashboard, payment_notices, CreateContract,
};
use crate::ui::components::bid_security::AgencySecurities;
use crate::ui::components::contract_parts::field_message;
use crate::ui::components::contract_parts::signed_out_or_error;
use crate::ui::components::contract_parts::status_class;
use crate::ui::components::contract_parts::status_text;
use crate::ui::components::contract_parts::Notices;
use crate::ui::components::contract_parts::MILESTONE_ROWS;
use crate::ui::components::forms::{last_error, FormError};
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/agency/contracts`: the agency's awarded lots with their contracts, the contract form for a
/// lot without one, and everything due in 14 days or overdue.
#[component]
pub fn AgencyContractsPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateContract>::new();
    let lots = Resource::new(|| (), |_| awarded_lots());
    let due = Resource::new(|| (), |_| finance_dashboard());
    let notices = Resource::new(|| (), |_| payment_notices());
    // R-SEC-01: the bid securities held on the agency's tenders, and their refunds.
    let record = ServerAction::<RecordBidSecurityRefund>::new();
    let securities = Resource::new(|| (), |_| agency_bid_securities());
    view! {
        <h1>{move || tr(lang.get(), "合同与付款", "Contracts and payments")}</h1>
        <Suspense fallback=move || view! { <p>{move || texts(lang.get()).loading}</p> }>
            {move || Suspend::new(async move {
                match notices.await {
                    Ok(list) => view! { <Notices list /> }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
            {move || Suspend::new(async move {
                match due.await {
                    Ok(rows) => view! { <DueList rows /> }.into_any(),
                    Err(error) => signed_out_or_error(error, lang),
                }
            })}
            {move || Suspend::new(async move {
                match lots.await {
                    Ok(lots) => view! { <AwardedList lots create /> }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
            {move || Suspend::new(async move {
                match securities.await {
                    Ok(list) => view! { <AgencySecurities list record /> }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DueList(rows: Vec<(ContractView, MilestoneView)>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="due-title" data-testid="due-list">
            <h2 id="due-title">{move || tr(lang.get(), "14 天内到期及已逾期", "Due within 14 days or overdue")}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">{move || tr(lang.get(), "没有待付款项。", "Nothing is due.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {rows.into_iter().map(|(c, m)| view! {
                            <li class="card">
                                <A href=crate::paths::contract(c.id)>{c.supplier_name.clone()}" · "{m.deliverable.clone()}</A>
                                <p>
                                    <span class=status_class(m.status)>{move || status_text(lang.get(), m.status)}</span>
                                    " "{m.due_date.map(|d| d.to_string())}
                                </p>
                                <p class="muted">
                                    {move || tr(lang.get(), "未付 ", "Outstanding ")}{m.outstanding.format_cny()}
                                    {(m.interest_outstanding > crate::domain::Money::ZERO).then(|| view! {
                                        " · "{move || tr(lang.get(), "未付逾期利息 ", "Late interest owed ")}<strong>{m.interest_outstanding.format_cny()}</strong>
                                    })}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn AwardedList(lots: Vec<AwardedLot>, create: ServerAction<CreateContract>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="awarded-title">
            <h2 id="awarded-title">{move || tr(lang.get(), "已确定中标人的包", "Awarded lots")}</h2>
            {if lots.is_empty() {
                view! { <p class="empty">{move || tr(lang.get(), "还没有确定中标人的包。", "No lot is awarded yet.")}</p> }.into_any()
            } else {
                lots.into_iter().map(|l| view! {
                    <article class="card" data-testid="awarded-lot">
                        <h3>{l.tender_title.clone()}" · "{l.lot_title.clone()}</h3>
                        <p class="muted">{l.supplier_name.clone()}" · "{l.price.format_cny()}</p>
                        {match l.contract_id {
                            Some(id) => view! {
                                <p><A href=crate::paths::contract(id)>{move || tr(lang.get(), "查看合同", "Open the contract")}</A></p>
                            }.into_any(),
                            None => view! {
                                <p class="muted">{move || tr(lang.get(), "合同应于此日前签订（R-AWARD-01）：", "Sign the contract by (R-AWARD-01): ")}{l.sign_by.to_string()}</p>
                                <ContractFormView lot=l.lot_id create />
                            }.into_any(),
                        }}
                    </article>
                }).collect_view().into_any()
            }}
        </section>
    }
}

#[component]
fn ContractFormView(lot: uuid::Uuid, create: ServerAction<CreateContract>) -> impl IntoView {
    let lang = use_lang();
    let error = last_error(create.value());
    let p = format!("c-{}", lot.simple());
    let input = move |name: &'static str,
                      field: &'static str,
                      label_zh: &'static str,
                      label_en: &'static str,
                      mode: &'static str| {
        let id = format!("{p}-{field}");
        let msg = field_message(error, field.to_string(), lang);
        view! {
            <div class="field">
                <label for=id.clone()>{move || tr(lang.get(), label_zh, label_en)}</label>
                <input id=id.clone() name=name inputmode=mode aria-describedby=format!("{id}-error") />
                <p class="field-error" id=format!("{id}-error") role="status">{msg}</p>
            </div>
        }
    };
    view! {
        <ActionForm action=create attr:class="form" attr:data-testid="contract-form">
            <input type="hidden" name="lot" value=lot.to_string() />
            <FormError error />
            {input("form[payment_term]", "payment_term", "付款期限（天，默认 30，最长 60，R-PAY-01）", "Payment term (days; 30 if empty, at most 60, R-PAY-01)", "numeric")}
            {input("form[acceptance_days]", "acceptance_days", "验收期（天，默认 10，R-PAY-02）", "Acceptance period (days; 10 if empty, R-PAY-02)", "numeric")}
            {input("form[interest_rate]", "interest_rate", "约定逾期利率（年 %，不低于 LPR；留空按每日万分之五，R-PAY-05）", "Agreed late interest (% a year, not below the LPR; empty: 0.05% a day, R-PAY-05)", "decimal")}
            {input("form[performance_security]", "performance_security", "履约保证金（元，不超过 10%，R-SEC-01）", "Performance security (CNY, at most 10%, R-SEC-01)", "decimal")}
            <fieldset class="checks">
                <legend>{move || tr(lang.get(), "履约保证金可用形式（不得仅限现金，R-PAY-08）", "Forms the security may take (never cash only, R-PAY-08)")}</legend>
                {SecurityForm::ALL.iter().enumerate().map(|(i, f)| {
                    let id = format!("c-{}-sf-{}", lot.simple(), f.code());
                    let f = *f;
                    view! {
                        <div class="field checkbox">
                            <input id=id.clone() type="checkbox" name=format!("form[security_forms][{i}]") value=f.code() />
                            <label for=id>{move || f.label().get(lang.get()).to_string()}</label>
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" role="status">{field_message(error, "security_forms".into(), lang)}</p>
            </fieldset>
            <p class="field-error" role="status">{field_message(error, "milestones".into(), lang)}</p>
            {(0..MILESTONE_ROWS).map(|i| {
                let id = |f: &str| format!("c-{}-m{i}-{f}", lot.simple());
                let (d, a, t, adv) = (id("deliverable"), id("amount"), id("date"), id("advance"));
                view! {
                    <fieldset class="lot">
                        <legend>{move || match lang.get() { Lang::ZhCn => format!("付款节点 {}", i + 1), Lang::En => format!("Milestone {}", i + 1) }}</legend>
                        <div class="field">
                            <label for=d.clone()>{move || tr(lang.get(), "交付内容", "Deliverable")}</label>
                            <input id=d.clone() name=format!("form[milestones][{i}][deliverable]") />
                            <p class="field-error" role="status">{field_message(error, format!("milestones[{i}].deliverable"), lang)}</p>
                        </div>
                        <div class="field">
                            <label for=a.clone()>{move || tr(lang.get(), "金额（元）", "Amount (CNY)")}</label>
                            <input id=a.clone() name=format!("form[milestones][{i}][amount]") inputmode="decimal" />
                            <p class="field-error" role="status">{field_message(error, format!("milestones[{i}].amount"), lang)}</p>
                        </div>
                        <div class="field">
                            <label for=t.clone()>{move || tr(lang.get(), "计划日期", "Planned date")}</label>
                            <input id=t.clone() type="date" name=format!("form[milestones][{i}][planned_date]") />
                            <p class="field-error" role="status">{field_message(error, format!("milestones[{i}].planned_date"), lang)}</p>
                        </div>
                        <div class="field checkbox">
                            <input id=adv.clone() type="checkbox" name=format!("form[milestones][{i}][advance]") />
                            <label for=adv>{move || tr(lang.get(), "预付款（对中小企业的支持）", "Advance payment (support for SMEs)")}</label>
                        </div>
                    </fieldset>
                }
            }).collect_view()}
            <div class="field">
                <label for=format!("c-{}-other-terms", lot.simple())>{move || tr(lang.get(), "其他约定（选填；不得约定以上级拨款到位、审计结果、内部审批或领导变更为付款条件，不得强制以商业汇票支付，R-PAY-09、R-PAY-03）", "Other terms (optional; payment may not wait on a third party's funds, an audit, internal approval or a change of leadership, nor be forced into commercial bills, R-PAY-09, R-PAY-03)")}</label>
                <textarea id=format!("c-{}-other-terms", lot.simple()) name="form[other_terms]" rows="4" maxlength="4000" aria-describedby=format!("c-{}-other-terms-error", lot.simple())></textarea>
                <p class="field-error" id=format!("c-{}-other-terms-error", lot.simple()) role="status">{field_message(error, "other_terms".into(), lang)}</p>
            </div>
            <button type="submit">{move || tr(lang.get(), "签订合同", "Sign the contract")}</button>
        </ActionForm>
    }
}
