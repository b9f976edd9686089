//! Contracts and payments (issue #6): `/agency/contracts` (awarded lots, the contract form, and
//! what falls due), `/contracts/:id` (one contract: deliver, accept or reject, pay), and
//! `/receivables` (a supplier's milestones, due dates and interest, on one phone screen).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::account::{last_error, FormError};
use super::{use_lang, ErrorNotice};
use crate::domain::payment::{LateInterestTerms, PayableStatus, RejectionReason, SecurityForm};
use crate::error::AppError;
use crate::i18n::{format_datetime, texts, tr, Lang};
use crate::model::contracts::{
    AwardedLot, ContractView, MilestoneStage, MilestoneView, PaymentKind,
};
use crate::model::supplier::NotificationView;
use crate::server_fns::contracts::{
    awarded_lots, finance_dashboard, get_contract, payment_notices, receivables, AcceptMilestone,
    AmendContract, ConfirmReceivable, CreateContract, DeliverMilestone, PublishContract,
    RejectMilestone, ReleasePayment, RequestConfirmation,
};

/// The contract form's milestone rows (blank ones are ignored).
const MILESTONE_ROWS: usize = 4;

fn signed_out_or_error(error: AppError, lang: RwSignal<Lang>) -> AnyView {
    match error {
        AppError::Unauthenticated => view! {
            <p>{move || texts(lang.get()).please_sign_in}" "<A href="/login">{move || texts(lang.get()).nav_sign_in}</A></p>
        }
        .into_any(),
        error => view! { <ErrorNotice error /> }.into_any(),
    }
}

fn field_message(
    error: Signal<Option<AppError>>,
    field: String,
    lang: RwSignal<Lang>,
) -> impl Fn() -> Option<String> {
    move || {
        error
            .get()
            .and_then(|e| e.for_field(&field).map(|m| m.get(lang.get()).to_string()))
    }
}

fn status_text(lang: Lang, status: Option<PayableStatus>) -> String {
    match status {
        Some(s) => s.label().get(lang).to_string(),
        None => tr(lang, "尚未开始计算付款期限", "Payment clock not started").to_string(),
    }
}

fn status_class(status: Option<PayableStatus>) -> &'static str {
    match status {
        Some(PayableStatus::Overdue { .. }) | Some(PayableStatus::PaidLate { .. }) => {
            "badge badge-warn"
        }
        Some(PayableStatus::PaidOnTime) => "badge badge-ok",
        _ => "badge",
    }
}

fn stage_text(lang: Lang, stage: MilestoneStage, advance: bool) -> &'static str {
    match (stage, advance) {
        (_, true) => tr(
            lang,
            "预付款（签订即应支付）",
            "Advance payment (payable from signing)",
        ),
        (MilestoneStage::Planned, _) => tr(lang, "未交付", "Not delivered"),
        (MilestoneStage::Delivered, _) => {
            tr(lang, "已交付，待验收", "Delivered, awaiting acceptance")
        }
        (MilestoneStage::Accepted, _) => tr(lang, "已验收", "Accepted"),
        (MilestoneStage::Rejected, _) => tr(lang, "被退回，可重新交付", "Rejected: deliver again"),
    }
}

/// `/agency/contracts`: the agency's awarded lots with their contracts, the contract form for a
/// lot without one, and everything due in 14 days or overdue.
#[component]
pub fn AgencyContractsPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateContract>::new();
    let lots = Resource::new(|| (), |_| awarded_lots());
    let due = Resource::new(|| (), |_| finance_dashboard());
    let notices = Resource::new(|| (), |_| payment_notices());
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
        </Suspense>
    }
}

/// Payment notifications: accepted, due in 7 days, due tomorrow, overdue, confirmations.
#[component]
fn Notices(list: Vec<NotificationView>) -> impl IntoView {
    let lang = use_lang();
    (!list.is_empty()).then(|| view! {
        <section aria-labelledby="notices-title">
            <h2 id="notices-title">{move || tr(lang.get(), "付款通知", "Payment notifications")}</h2>
            <ul class="notifications" data-testid="payment-notices">
                {list.into_iter().map(|n| {
                    let body = n.body.clone();
                    view! {
                        <li class:unread=!n.read>
                            <span class="muted">{format_datetime(n.created_at)}</span>" "
                            {match n.contract_id {
                                Some(id) => view! { <A href=format!("/contracts/{id}")>{move || body.get(lang.get()).to_string()}</A> }.into_any(),
                                None => view! { <span>{move || body.get(lang.get()).to_string()}</span> }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
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
                                <A href=format!("/contracts/{}", c.id)>{c.supplier_name.clone()}" · "{m.deliverable.clone()}</A>
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
                                <p><A href=format!("/contracts/{id}")>{move || tr(lang.get(), "查看合同", "Open the contract")}</A></p>
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
            <button type="submit">{move || tr(lang.get(), "签订合同", "Sign the contract")}</button>
        </ActionForm>
    }
}

/// `/contracts/:id`: one contract, for its agency's officers and its supplier.
#[component]
pub fn ContractPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let deliver = ServerAction::<DeliverMilestone>::new();
    let accept = ServerAction::<AcceptMilestone>::new();
    let reject = ServerAction::<RejectMilestone>::new();
    let pay = ServerAction::<ReleasePayment>::new();
    let request = ServerAction::<RequestConfirmation>::new();
    let confirm = ServerAction::<ConfirmReceivable>::new();
    let publish = ServerAction::<PublishContract>::new();
    let amend = ServerAction::<AmendContract>::new();
    let contract = Resource::new(id, get_contract);
    let actions = Actions {
        deliver,
        accept,
        reject,
        pay,
        request,
        confirm,
        publish,
        amend,
    };
    view! {
        <Suspense fallback=move || view! { <p>{move || texts(lang.get()).loading}</p> }>
            {move || Suspend::new(async move {
                match contract.await {
                    Ok(c) => view! { <Contract c actions /> }.into_any(),
                    Err(error) => signed_out_or_error(error, lang),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    deliver: ServerAction<DeliverMilestone>,
    accept: ServerAction<AcceptMilestone>,
    reject: ServerAction<RejectMilestone>,
    pay: ServerAction<ReleasePayment>,
    request: ServerAction<RequestConfirmation>,
    confirm: ServerAction<ConfirmReceivable>,
    publish: ServerAction<PublishContract>,
    amend: ServerAction<AmendContract>,
}

fn interest_text(lang: Lang, terms: LateInterestTerms) -> String {
    terms.label().get(lang).to_string()
}

#[component]
fn Contract(c: ContractView, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let errors = [
        last_error(actions.deliver.value()),
        last_error(actions.accept.value()),
        last_error(actions.reject.value()),
        last_error(actions.pay.value()),
        last_error(actions.request.value()),
        last_error(actions.confirm.value()),
        last_error(actions.publish.value()),
    ];
    let any_error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    view! {
        <h1>{move || tr(lang.get(), "合同", "Contract")}</h1>
        <p><strong>{c.tender_title.clone()}</strong>" · "{c.lot_title.clone()}</p>
        <dl class="facts">
            <dt>{move || tr(lang.get(), "采购人", "Buyer")}</dt><dd>{c.agency_name.clone()}</dd>
            <dt>{move || tr(lang.get(), "供应商", "Supplier")}</dt><dd>{c.supplier_name.clone()}</dd>
            <dt>{move || tr(lang.get(), "合同金额", "Value")}</dt><dd>{c.value.format_cny()}</dd>
            <dt>{move || tr(lang.get(), "付款期限", "Payment term")}</dt><dd>{move || match lang.get() { Lang::ZhCn => format!("验收后 {} 天（验收期 {} 天）", c.payment_term_days, c.acceptance_days), Lang::En => format!("{} days after acceptance (acceptance period {} days)", c.payment_term_days, c.acceptance_days) }}</dd>
            <dt>{move || tr(lang.get(), "逾期利息", "Late interest")}</dt><dd>{move || interest_text(lang.get(), c.interest)}</dd>
            {c.performance_security.map(|amount| {
                let forms = c.security_forms.clone();
                view! {
                    <dt>{move || tr(lang.get(), "履约保证金", "Performance security")}</dt>
                    <dd>{amount.format_cny()}" · "{move || forms.iter().map(|f| f.label().get(lang.get()).to_string()).collect::<Vec<_>>().join(" / ")}</dd>
                }
            })}
            <dt>{move || tr(lang.get(), "签订时间", "Signed")}</dt><dd>{format_datetime(c.signed_at)}</dd>
            <dt>{move || tr(lang.get(), "合同公开（R-AWARD-01）", "Published (R-AWARD-01)")}</dt>
            <dd data-testid="publication">{match c.published_at {
                Some(at) => format_datetime(at),
                None => format!("{} {}", tr(lang.get_untracked(), "尚未公开，应于此日前公开：", "Not yet; publish by"), c.publish_by),
            }}</dd>
        </dl>
        <FormError error=any_error />
        {c.can_publish.then(|| view! {
            <ActionForm action=actions.publish attr:class="form" attr:data-testid="publish-form">
                <input type="hidden" name="id" value=c.id.to_string() />
                <button type="submit">{move || tr(lang.get(), "公开合同", "Publish the contract")}</button>
            </ActionForm>
        })}
        {(!c.amendments.is_empty()).then(|| view! {
            <section aria-labelledby="amendments-title">
                <h2 id="amendments-title">{move || match lang.get() { Lang::ZhCn => format!("合同修改（当前第 {} 版）", c.version), Lang::En => format!("Amendments (now version {})", c.version) }}</h2>
                <ol data-testid="amendments">
                    {c.amendments.iter().cloned().map(|a| view! {
                        <li>
                            <strong>{move || match lang.get() { Lang::ZhCn => format!("第 {} 版", a.version), Lang::En => format!("Version {}", a.version) }}</strong>
                            " · "{format_datetime(a.amended_at)}" · "{a.reason.clone()}
                            <ul>
                                {a.changes.iter().cloned().map(|t| view! { <li>{move || t.get(lang.get()).to_string()}</li> }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
        <ol class="milestones" data-testid="milestones">
            {c.milestones.iter().cloned().map(|m| view! {
                <MilestoneCard m can_deliver=c.can_deliver can_accept=c.can_accept can_pay=c.can_pay release_key=c.release_key interest_key=c.interest_release_key actions />
            }).collect_view()}
        </ol>
        {c.can_amend.then(|| view! { <AmendForm c=c.clone() amend=actions.amend /> })}
    }
}

/// The procurement officer's amendment form: the milestones as they should now read, and why.
#[component]
fn AmendForm(c: ContractView, amend: ServerAction<AmendContract>) -> impl IntoView {
    let lang = use_lang();
    let error = last_error(amend.value());
    view! {
        <details class="card">
            <summary>{move || tr(lang.get(), "修改合同（生成新版本）", "Amend the contract (makes a new version)")}</summary>
            <ActionForm action=amend attr:class="form" attr:data-testid="amend-form">
                <input type="hidden" name="id" value=c.id.to_string() />
                <FormError error />
                {c.milestones.iter().enumerate().map(|(i, m)| {
                    let (d, t) = (format!("a-m{i}-deliverable"), format!("a-m{i}-date"));
                    let frozen = m.advance || m.stage == MilestoneStage::Delivered || m.stage == MilestoneStage::Accepted;
                    view! {
                        <fieldset class="lot">
                            <legend>{move || match lang.get() { Lang::ZhCn => format!("付款节点 {}", i + 1), Lang::En => format!("Milestone {}", i + 1) }}</legend>
                            <input type="hidden" name=format!("form[milestones][{i}][id]") value=m.id.to_string() />
                            <div class="field">
                                <label for=d.clone()>{move || tr(lang.get(), "交付内容", "Deliverable")}</label>
                                <input id=d.clone() name=format!("form[milestones][{i}][deliverable]") value=m.deliverable.clone() disabled=frozen />
                                <p class="field-error" role="status">{field_message(error, format!("milestones[{i}].deliverable"), lang)}</p>
                            </div>
                            <div class="field">
                                <label for=t.clone()>{move || tr(lang.get(), "计划日期", "Planned date")}</label>
                                <input id=t.clone() type="date" name=format!("form[milestones][{i}][planned_date]") value=m.planned_on.to_string() disabled=frozen />
                                <p class="field-error" role="status">{field_message(error, format!("milestones[{i}].planned_date"), lang)}</p>
                            </div>
                        </fieldset>
                    }
                }).collect_view()}
                <div class="field">
                    <label for="a-reason">{move || tr(lang.get(), "修改原因（必填）", "Reason for the amendment (required)")}</label>
                    <textarea id="a-reason" name="form[reason]" rows="2"></textarea>
                    <p class="field-error" role="status">{field_message(error, "reason".into(), lang)}</p>
                </div>
                <button type="submit">{move || tr(lang.get(), "保存修改", "Save the amendment")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn MilestoneCard(
    m: MilestoneView,
    can_deliver: bool,
    can_accept: bool,
    can_pay: bool,
    release_key: uuid::Uuid,
    interest_key: uuid::Uuid,
    actions: Actions,
) -> impl IntoView {
    let lang = use_lang();
    let p = format!("m{}", m.position);
    let id = m.id;
    let deliverable =
        m.stage != MilestoneStage::Delivered && m.stage != MilestoneStage::Accepted && !m.advance;
    let decidable = m.stage == MilestoneStage::Delivered;
    let payable = m.due_date.is_some() && m.outstanding > crate::domain::Money::ZERO;
    view! {
        <li class="card" data-testid="milestone">
            <h2 class="h3">{m.deliverable.clone()}" · "{m.amount.format_cny()}</h2>
            <p>{move || stage_text(lang.get(), m.stage, m.advance)}" · "<span class=status_class(m.status) data-testid="payable-status">{move || status_text(lang.get(), m.status)}</span></p>
            <p class="muted">
                {move || tr(lang.get(), "计划 ", "Planned ")}{m.planned_on.to_string()}
                {m.due_date.map(|d| view! { " · "{move || tr(lang.get(), "付款到期日 ", "Due ")}<strong>{d.to_string()}</strong> })}
                {m.acceptance_until.filter(|_| m.stage == MilestoneStage::Delivered).map(|d| view! { " · "{move || tr(lang.get(), "验收截止 ", "Accept by ")}{d.to_string()}" (R-PAY-02)" })}
            </p>
            <p>
                {move || tr(lang.get(), "应付 ", "Payable ")}{m.payable.format_cny()}
                " · "{move || tr(lang.get(), "已付 ", "Paid ")}{m.paid.format_cny()}
                " · "{move || tr(lang.get(), "未付 ", "Outstanding ")}{m.outstanding.format_cny()}
            </p>
            {m.accepted_amount.map(|a| view! {
                <p class="muted">{move || tr(lang.get(), "部分验收（无争议部分按期支付，R-PAY-04）：", "Accepted in part (the undisputed part is due on time, R-PAY-04): ")}{a.format_cny()}</p>
            })}
            {(m.interest > crate::domain::Money::ZERO).then(|| view! {
                <p class="notice" data-testid="interest">
                    {move || tr(lang.get(), "逾期利息（R-PAY-05）：", "Late-payment interest (R-PAY-05): ")}<strong>{m.interest.format_cny()}</strong>
                    " · "{move || tr(lang.get(), "已付 ", "paid ")}{m.interest_paid.format_cny()}
                    " · "{move || tr(lang.get(), "未付 ", "outstanding ")}<span data-testid="interest-outstanding">{m.interest_outstanding.format_cny()}</span>
                </p>
            })}
            {m.confirmation.map(|cf| view! {
                <p class="muted" data-testid="confirmation">
                    {move || match (lang.get(), cf.confirmed_on) {
                        (Lang::ZhCn, Some(d)) => format!("应收款已于 {d} 确认（R-PAY-06）"),
                        (Lang::En, Some(d)) => format!("Receivable confirmed on {d} (R-PAY-06)"),
                        (Lang::ZhCn, None) => format!("已于 {} 申请确认应收款，采购人应于 {} 前确认（R-PAY-06）", cf.requested_on, cf.confirm_by),
                        (Lang::En, None) => format!("Confirmation asked on {}; the buyer must confirm by {} (R-PAY-06)", cf.requested_on, cf.confirm_by),
                    }}
                    {cf.overdue.then(|| view! { " "<span class="badge badge-warn">{move || tr(lang.get(), "确认已逾期", "Confirmation overdue")}</span> })}
                </p>
            })}
            {(can_deliver && m.can_request_confirmation).then(|| view! {
                <ActionForm action=actions.request attr:class="form" attr:data-testid="request-confirmation-form">
                    <input type="hidden" name="milestone" value=id.to_string() />
                    <button type="submit" class="secondary">{move || tr(lang.get(), "请采购人确认应收款", "Ask the buyer to confirm this receivable")}</button>
                </ActionForm>
            })}
            {(can_accept && m.confirmation.is_some_and(|cf| cf.confirmed_on.is_none())).then(|| view! {
                <ActionForm action=actions.confirm attr:class="form" attr:data-testid="confirm-receivable-form">
                    <input type="hidden" name="milestone" value=id.to_string() />
                    <button type="submit">{move || tr(lang.get(), "确认应收款", "Confirm the receivable")}</button>
                </ActionForm>
            })}
            {(!m.payments.is_empty()).then(|| view! {
                <ul class="muted" data-testid="payments">
                    {m.payments.iter().map(|p| {
                        let p = p.clone();
                        view! {
                            <li>
                                {p.paid_on.to_string()}" · "{p.amount.format_cny()}" · "
                                {move || match p.kind { PaymentKind::Interest => tr(lang.get(), "逾期利息", "late interest"), PaymentKind::Principal => tr(lang.get(), "合同款", "milestone") }}
                                " · "{p.bank_reference.clone()}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {m.rejection.clone().map(|(reason, text)| view! {
                <p class="notice notice-error">{move || reason.get(lang.get()).to_string()}": "{text.clone()}</p>
            })}
            {(!m.evidence.is_empty()).then(|| view! {
                <p class="muted">{move || tr(lang.get(), "交付材料：", "Delivery evidence:")}</p>
                <ul data-testid="evidence">
                    {m.evidence.iter().map(|e| view! {
                        <li><a href=e.href.clone() rel="external">{e.name.clone()}</a>" "<span class="muted">{format!("({} KB)", (e.size_bytes + 1023) / 1024)}</span></li>
                    }).collect_view()}
                </ul>
            })}
            {(can_deliver && deliverable).then(|| {
                let href = crate::model::contracts::evidence_upload_href(id);
                let upload_error = super::profile::upload_error_for(&href);
                let invalid = upload_error.is_some().then_some("true");
                let upload_message = move || {
                    upload_error
                        .as_ref()
                        .map(|e| super::profile::file_error_message(e, lang.get()))
                };
                let file = format!("{p}-evidence");
                view! {
                    <form method="post" action=href enctype="multipart/form-data" class="upload" data-testid="evidence-form">
                        <div class="field">
                            <label for=file.clone()>{move || tr(lang.get(), "交付材料（验收单、报告等）", "Delivery evidence (acceptance sheet, report...)")}</label>
                            <input
                                id=file.clone()
                                type="file"
                                name="file"
                                required
                                accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.zip,.ofd"
                                aria-describedby=format!("{file}-error")
                                aria-invalid=invalid
                            />
                            <p class="field-error" id=format!("{file}-error") role="status">{upload_message}</p>
                        </div>
                        <button type="submit" class="secondary">{move || tr(lang.get(), "上传材料", "Upload evidence")}</button>
                    </form>
                }
            })}
            {(can_deliver && deliverable).then(|| {
                let note = format!("{p}-note");
                view! {
                    <ActionForm action=actions.deliver attr:class="form" attr:data-testid="deliver-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <div class="field">
                            <label for=note.clone()>{move || tr(lang.get(), "交付说明", "Delivery note")}</label>
                            <textarea id=note name="note" rows="2"></textarea>
                        </div>
                        <button type="submit">{move || tr(lang.get(), "标记为已交付", "Mark delivered")}</button>
                    </ActionForm>
                }
            })}
            {(can_accept && decidable).then(|| {
                let (amt, reason, expl) = (format!("{p}-accepted"), format!("{p}-reason"), format!("{p}-explanation"));
                view! {
                    <ActionForm action=actions.accept attr:class="form" attr:data-testid="accept-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <div class="field">
                            <label for=amt.clone()>{move || tr(lang.get(), "验收金额（元，留空为全部）", "Accepted amount (CNY; empty for all)")}</label>
                            <input id=amt name="accepted_amount" inputmode="decimal" />
                        </div>
                        <button type="submit">{move || tr(lang.get(), "验收", "Accept")}</button>
                    </ActionForm>
                    <ActionForm action=actions.reject attr:class="form" attr:data-testid="reject-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <div class="field">
                            <label for=reason.clone()>{move || tr(lang.get(), "退回理由（R-PAY-03）", "Reason for rejecting (R-PAY-03)")}</label>
                            <select id=reason name="reason">
                                {RejectionReason::ALL.iter().map(|r| view! { <option value=r.code()>{move || r.label().get(lang.get()).to_string()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=expl.clone()>{move || tr(lang.get(), "书面说明", "Written explanation")}</label>
                            <textarea id=expl name="explanation" rows="2"></textarea>
                        </div>
                        <button type="submit" class="secondary">{move || tr(lang.get(), "退回", "Reject")}</button>
                    </ActionForm>
                }
            })}
            {(can_pay && payable).then(|| {
                let (amt, on, refn) = (format!("{p}-pay-amount"), format!("{p}-paid-on"), format!("{p}-reference"));
                view! {
                    <ActionForm action=actions.pay attr:class="form" attr:data-testid="pay-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <input type="hidden" name="request_key" value=release_key.to_string() />
                        <div class="field">
                            <label for=amt.clone()>{move || tr(lang.get(), "付款金额（元）", "Amount (CNY)")}</label>
                            <input id=amt name="amount" inputmode="decimal" value=m.outstanding.amount().to_string() />
                        </div>
                        <div class="field">
                            <label for=on.clone()>{move || tr(lang.get(), "付款日期（留空为今天）", "Payment date (empty for today)")}</label>
                            <input id=on type="date" name="paid_on" />
                        </div>
                        <div class="field">
                            <label for=refn.clone()>{move || tr(lang.get(), "银行流水号", "Bank reference")}</label>
                            <input id=refn name="bank_reference" />
                        </div>
                        <button type="submit">{move || tr(lang.get(), "付款", "Release payment")}</button>
                    </ActionForm>
                }
            })}
            {(can_pay && m.interest_outstanding > crate::domain::Money::ZERO).then(|| {
                let (amt, on, refn) = (format!("{p}-int-amount"), format!("{p}-int-paid-on"), format!("{p}-int-reference"));
                view! {
                    <ActionForm action=actions.pay attr:class="form" attr:data-testid="pay-interest-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <input type="hidden" name="request_key" value=interest_key.to_string() />
                        <input type="hidden" name="kind" value="interest" />
                        <div class="field">
                            <label for=amt.clone()>{move || tr(lang.get(), "支付逾期利息（元）", "Late interest to pay (CNY)")}</label>
                            <input id=amt name="amount" inputmode="decimal" value=m.interest_outstanding.amount().to_string() />
                        </div>
                        <div class="field">
                            <label for=on.clone()>{move || tr(lang.get(), "利息付款日期（留空为今天）", "Interest payment date (empty for today)")}</label>
                            <input id=on type="date" name="paid_on" />
                        </div>
                        <div class="field">
                            <label for=refn.clone()>{move || tr(lang.get(), "利息银行流水号", "Interest bank reference")}</label>
                            <input id=refn name="bank_reference" />
                        </div>
                        <button type="submit">{move || tr(lang.get(), "支付逾期利息", "Pay the late interest")}</button>
                    </ActionForm>
                }
            })}
        </li>
    }
}

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
                                    <h2 class="h3"><A href=format!("/contracts/{}", c.id)>{c.tender_title.clone()}" · "{c.lot_title.clone()}</A></h2>
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
