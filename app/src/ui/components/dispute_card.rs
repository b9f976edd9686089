//! R-PAY-10 on the contract page: the disputed part of a milestone accepted in part, where it
//! stands, and the forms each side may use to end it. Every form posts to a server function that
//! checks and authorises it again (`server_fns::disputes`), so these work without JavaScript.

use crate::domain::payment::DisputeStatus;
use crate::error::AppError;
use crate::i18n::{tr, Lang};
use crate::model::contracts::DisputeView;
use crate::server_fns::disputes::{
    AnswerReduction, DecideRedelivery, ProposeReduction, RecordDecision, RedeliverDisputed,
};
use crate::ui::components::contract_parts::status_text;
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;

/// The dispute forms' actions, made once per page.
#[derive(Clone, Copy)]
pub(crate) struct DisputeActions {
    pub redeliver: ServerAction<RedeliverDisputed>,
    pub decide: ServerAction<DecideRedelivery>,
    pub propose: ServerAction<ProposeReduction>,
    pub answer: ServerAction<AnswerReduction>,
    pub record: ServerAction<RecordDecision>,
}

impl DisputeActions {
    pub(crate) fn new() -> Self {
        DisputeActions {
            redeliver: ServerAction::new(),
            decide: ServerAction::new(),
            propose: ServerAction::new(),
            answer: ServerAction::new(),
            record: ServerAction::new(),
        }
    }

    /// The error of the last dispute form sent, if it was refused.
    pub(crate) fn errors(self) -> [Signal<Option<AppError>>; 5] {
        use crate::ui::components::forms::last_error;
        [
            last_error(self.redeliver.value()),
            last_error(self.decide.value()),
            last_error(self.propose.value()),
            last_error(self.answer.value()),
            last_error(self.record.value()),
        ]
    }
}

fn state_text(lang: Lang, d: &DisputeView) -> String {
    match (lang, d.status) {
        (Lang::ZhCn, DisputeStatus::Open) => "争议未结束：该部分暂不计算付款期限".into(),
        (Lang::En, DisputeStatus::Open) => {
            "In dispute: no payment clock runs on this part yet".into()
        }
        (Lang::ZhCn, DisputeStatus::Redelivered { decide_by }) => {
            format!("已重新交付，采购人应于 {decide_by} 前验收或说明理由退回；逾期视为验收（R-PAY-02）")
        }
        (Lang::En, DisputeStatus::Redelivered { decide_by }) => format!(
            "Delivered again: the buyer accepts or rejects it with a reason by {decide_by}, or it counts as accepted (R-PAY-02)"
        ),
        (lang, DisputeStatus::Ended { how, on, owed }) => match lang {
            Lang::ZhCn => format!(
                "争议已于 {on} 结束（{}）：应付 {}",
                how.label().zh,
                owed.format_cny()
            ),
            Lang::En => format!(
                "The dispute ended on {on} ({}): {} owed",
                how.label().en,
                owed.format_cny()
            ),
        },
    }
}

/// The disputed part of milestone `id` (its element ids start with `p`), with the forms the
/// viewer may use: `supplier` for the supplier's, `agency` for the agency's.
#[component]
pub(crate) fn DisputeCard(
    id: uuid::Uuid,
    p: String,
    d: DisputeView,
    supplier: bool,
    agency: bool,
    actions: DisputeActions,
) -> impl IntoView {
    let lang = use_lang();
    let open = d.status == DisputeStatus::Open;
    let redelivered = matches!(d.status, DisputeStatus::Redelivered { .. });
    let ended = matches!(d.status, DisputeStatus::Ended { .. });
    let summary = d.clone();
    let proposal = d.proposed_reduction.clone().filter(|_| !ended);
    view! {
        <section class="dispute" data-testid="dispute" aria-label=move || tr(lang.get(), "争议部分", "Disputed part")>
            <p>
                <strong>{move || tr(lang.get(), "部分拒收（R-PAY-10）：", "Rejected in part (R-PAY-10): ")}</strong>
                {d.disputed.format_cny()}" · "{move || d.reason.get(lang.get()).to_string()}": "{d.explanation.clone()}
            </p>
            <p data-testid="dispute-state">{move || state_text(lang.get(), &summary)}</p>
            {d.reference.clone().map(|r| view! { <p class="muted">{move || tr(lang.get(), "裁决文号：", "Decision reference: ")}{r.clone()}</p> })}
            {d.due_date.map(|due| view! {
                <p>
                    {move || tr(lang.get(), "争议部分付款到期日 ", "Disputed part due ")}<strong>{due.to_string()}</strong>
                    " · "<span data-testid="dispute-payable-status">{move || status_text(lang.get(), d.payable_status)}</span>
                </p>
            })}
            {proposal.clone().map(|(amount, why)| view! {
                <p class="notice" data-testid="proposed-reduction">
                    {move || tr(lang.get(), "采购人提议减价 ", "The buyer proposes a reduction of ")}{amount.format_cny()}": "{why.clone()}
                </p>
            })}
            {(supplier && open).then(|| {
                let note = format!("{p}-redeliver-note");
                view! {
                    <ActionForm action=actions.redeliver attr:class="form" attr:data-testid="redeliver-disputed-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <div class="field">
                            <label for=note.clone()>{move || tr(lang.get(), "重新交付说明", "Note on the new delivery")}</label>
                            <textarea id=note name="note" rows="2"></textarea>
                        </div>
                        <button type="submit">{move || tr(lang.get(), "重新交付争议部分", "Deliver the disputed part again")}</button>
                    </ActionForm>
                }
            })}
            {(supplier && proposal.is_some()).then(|| view! {
                <ActionForm action=actions.answer attr:class="form inline" attr:data-testid="confirm-reduction-form">
                    <input type="hidden" name="milestone" value=id.to_string() />
                    <input type="hidden" name="answer" value="confirm" />
                    <button type="submit">{move || tr(lang.get(), "确认减价", "Confirm the reduction")}</button>
                </ActionForm>
                <ActionForm action=actions.answer attr:class="form inline" attr:data-testid="decline-reduction-form">
                    <input type="hidden" name="milestone" value=id.to_string() />
                    <input type="hidden" name="answer" value="decline" />
                    <button type="submit" class="secondary">{move || tr(lang.get(), "不同意减价", "Decline the reduction")}</button>
                </ActionForm>
            })}
            {(supplier && !ended).then(|| {
                let (owed, on, reference) = (format!("{p}-owed"), format!("{p}-decided-on"), format!("{p}-reference"));
                view! {
                    <details>
                        <summary>{move || tr(lang.get(), "登记争议处理结果（调解、仲裁或判决）", "Record the outcome of the dispute (mediation, arbitration or a court)")}</summary>
                        <ActionForm action=actions.record attr:class="form" attr:data-testid="record-decision-form">
                            <input type="hidden" name="milestone" value=id.to_string() />
                            <div class="field">
                                <label for=owed.clone()>{move || tr(lang.get(), "应付金额（元）", "Amount owed (CNY)")}</label>
                                <input id=owed name="owed" inputmode="decimal" />
                            </div>
                            <div class="field">
                                <label for=on.clone()>{move || tr(lang.get(), "决定日期", "Date of the decision")}</label>
                                <input id=on type="date" name="decided_on" />
                            </div>
                            <div class="field">
                                <label for=reference.clone()>{move || tr(lang.get(), "文号（案号或调解书编号）", "Reference (case or mediation number)")}</label>
                                <input id=reference name="reference" />
                            </div>
                            <button type="submit" class="secondary">{move || tr(lang.get(), "登记", "Record")}</button>
                        </ActionForm>
                    </details>
                }
            })}
            {(agency && redelivered).then(|| {
                let (reason, expl) = (format!("{p}-redelivery-reason"), format!("{p}-redelivery-explanation"));
                view! {
                    <ActionForm action=actions.decide attr:class="form" attr:data-testid="accept-redelivery-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <input type="hidden" name="decision" value="accept" />
                        <button type="submit">{move || tr(lang.get(), "验收重新交付的部分", "Accept the part delivered again")}</button>
                    </ActionForm>
                    <ActionForm action=actions.decide attr:class="form" attr:data-testid="reject-redelivery-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <input type="hidden" name="decision" value="reject" />
                        <crate::ui::components::contract_parts::RejectionFields reason expl />
                        <button type="submit" class="secondary">{move || tr(lang.get(), "退回", "Reject")}</button>
                    </ActionForm>
                }
            })}
            {(agency && open).then(|| {
                let (amount, expl) = (format!("{p}-reduction"), format!("{p}-reduction-explanation"));
                view! {
                    <ActionForm action=actions.propose attr:class="form" attr:data-testid="propose-reduction-form">
                        <input type="hidden" name="milestone" value=id.to_string() />
                        <div class="field">
                            <label for=amount.clone()>{move || tr(lang.get(), "提议减价金额（元，须供应商确认）", "Reduction to propose (CNY; the supplier must confirm)")}</label>
                            <input id=amount name="reduction" inputmode="decimal" />
                        </div>
                        <div class="field">
                            <label for=expl.clone()>{move || tr(lang.get(), "减价理由", "Why")}</label>
                            <textarea id=expl name="explanation" rows="2"></textarea>
                        </div>
                        <button type="submit" class="secondary">{move || tr(lang.get(), "提议减价", "Propose the reduction")}</button>
                    </ActionForm>
                }
            })}
        </section>
    }
}

/// Every field message of the last refused form on a page whose forms repeat per milestone, so
/// what to fix is said whichever form was sent (with or without JavaScript).
#[component]
pub(crate) fn FieldErrorList(error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let messages: Vec<crate::i18n::Text> = match error.get() {
            Some(AppError::Fields { errors }) => errors.into_iter().map(|e| e.message).collect(),
            Some(AppError::Invalid {
                field: Some(_),
                message,
            }) => vec![message],
            _ => Vec::new(),
        };
        (!messages.is_empty()).then(|| {
            view! {
                <ul class="notice notice-error" role="alert" data-testid="field-errors">
                    {messages.into_iter().map(|m| view! { <li>{move || m.get(lang.get()).to_string()}</li> }).collect_view()}
                </ul>
            }
        })
    }
}
