//! Contracts and payments (issue #6): `/agency/contracts` (awarded lots, the contract form, and
//! what falls due), `/contracts/:id` (one contract: deliver, accept or reject, pay), and
//! `/receivables` (a supplier's milestones, due dates and interest, on one phone screen).

use crate::domain::payment::{ActTimeliness, LateInterestTerms, RejectionReason};
use crate::i18n::{format_datetime, texts, tr, Lang};
use crate::model::contracts::{ContractView, MilestoneStage, MilestoneView, PaymentKind};
use crate::server_fns::contracts::{
    get_contract, AcceptMilestone, AmendContract, ConfirmReceivable, DeliverMilestone,
    PublishContract, RejectMilestone, ReleasePayment, RequestConfirmation,
};
use crate::ui::components::contract_parts::field_message;
use crate::ui::components::contract_parts::signed_out_or_error;
use crate::ui::components::contract_parts::status_class;
use crate::ui::components::contract_parts::status_text;
use crate::ui::components::dispute_card::{DisputeActions, DisputeCard, FieldErrorList};
use crate::ui::components::forms::{last_error, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::ProvisionalMark;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

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

/// `/contracts/:id`: one contract, for its agency's officers and its supplier.
#[component]
pub fn ContractPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get(crate::paths::param::ID)
            .unwrap_or_default()
    };
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
        dispute: DisputeActions::new(),
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
    dispute: DisputeActions,
}

/// R-AWARD-01: the public mark of a contract signed or published late (or still not published
/// after its last day), with by how many days; nothing when on time or not yet due.
#[component]
fn LateMark(act: ActTimeliness, last_day: chrono::NaiveDate, signing: bool) -> impl IntoView {
    let lang = use_lang();
    act.days_late().map(|days| {
        let text = move || {
            let zh = match (act, signing) {
                (ActTimeliness::Overdue { .. }, _) => format!("逾期未公开：已超过期限（{last_day}）{days} 天"),
                (_, true) => format!("逾期签订：晚于期限（{last_day}，中标后 30 日）{days} 天"),
                (_, false) => format!("逾期公开：晚于期限（{last_day}，签订后 2 个工作日）{days} 天"),
            };
            let en = match (act, signing) {
                (ActTimeliness::Overdue { .. }, _) => format!("Not published, {days} days after its last day ({last_day})"),
                (_, true) => format!("Signed late: {days} days after its last day ({last_day}, 30 days from the award)"),
                (_, false) => format!("Published late: {days} days after its last day ({last_day}, 2 working days from signing)"),
            };
            format!("{} (R-AWARD-01)", if lang.get() == Lang::ZhCn { zh } else { en })
        };
        view! { <span class="badge badge-warn" data-late-days=days.to_string()>{text}</span> }
    })
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
    let dispute_errors = actions.dispute.errors();
    let any_error = Signal::derive(move || {
        errors
            .iter()
            .chain(dispute_errors.iter())
            .find_map(|e| e.get())
    });
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
            {c.sme_obligation.clone().map(|o| view! {
                <dt>{move || tr(lang.get(), "中小企业份额（R-SME-02）", "SME share (R-SME-02)")}</dt>
                <dd><crate::ui::components::sme_partners::ObligationView obligation=o /></dd>
            }.into_any())}
            {c.other_terms.clone().map(|terms| view! {
                <dt>{move || tr(lang.get(), "其他约定", "Other terms")}</dt>
                <dd class="description" data-testid="other-terms">{terms}</dd>
            })}
            <dt>{move || tr(lang.get(), "签订时间", "Signed")}</dt>
            <dd data-testid="signing">{format_datetime(c.signed_at)}" "<LateMark act=c.signing last_day=c.sign_by signing=true /></dd>
            <dt>{move || tr(lang.get(), "合同公开（R-AWARD-01）", "Published (R-AWARD-01)")}</dt>
            <dd data-testid="publication">{match c.published_at {
                Some(at) => format_datetime(at).into_any(),
                None => view! {
                    {format!("{} {}", tr(lang.get_untracked(), "尚未公开，应于此日前公开：", "Not yet; publish by"), c.publish_by)}
                    <ProvisionalMark date=c.publish_by provisional=c.publish_by_provisional />
                }.into_any(),
            }}" "<LateMark act=c.publication last_day=c.publish_by signing=false /></dd>
        </dl>
        <FormError error=any_error />
        <FieldErrorList error=any_error />
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
            {m.dispute.clone().map(|d| view! {
                <DisputeCard id p=p.clone() d supplier=can_deliver agency=can_accept actions=actions.dispute />
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
                let href = crate::paths::evidence_upload(id);
                let upload_error = crate::ui::components::forms::upload_error_for(&href);
                let invalid = upload_error.is_some().then_some("true");
                let upload_message = move || {
                    upload_error
                        .as_ref()
                        .map(|e| crate::ui::components::forms::file_error_message(e, lang.get()))
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
                let (part_reason, part_expl) = (format!("{p}-accepted-reason"), format!("{p}-accepted-explanation"));
                view! {
                    <ActionForm action=actions.accept attr:class="form" attr:data-testid="accept-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <div class="field">
                            <label for=amt.clone()>{move || tr(lang.get(), "验收金额（元，留空为全部）", "Accepted amount (CNY; empty for all)")}</label>
                            <input id=amt name="accepted_amount" inputmode="decimal" />
                        </div>
                        <fieldset>
                            <legend>{move || tr(lang.get(), "少于全部金额时（部分拒收，R-PAY-10），须在验收期内说明理由", "If less than all of it (a partial rejection, R-PAY-10): a reason, within the acceptance period")}</legend>
                            <div class="field">
                                <label for=part_reason.clone()>{move || tr(lang.get(), "部分拒收理由（R-PAY-03）", "Reason for the part not accepted (R-PAY-03)")}</label>
                                <select id=part_reason name="reason">
                                    <option value="">{move || tr(lang.get(), "（全部验收时不填）", "(none when accepting all of it)")}</option>
                                    {RejectionReason::ALL.iter().map(|r| view! { <option value=r.code()>{move || r.label().get(lang.get()).to_string()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for=part_expl.clone()>{move || tr(lang.get(), "书面说明", "Written explanation")}</label>
                                <textarea id=part_expl name="explanation" rows="2"></textarea>
                            </div>
                        </fieldset>
                        <button type="submit">{move || tr(lang.get(), "验收", "Accept")}</button>
                    </ActionForm>
                    <ActionForm action=actions.reject attr:class="form" attr:data-testid="reject-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <crate::ui::components::contract_parts::RejectionFields reason expl />
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
