//! R-SEC-01: the bid security on the pages. The supplier chooses its form when it bids (among
//! the forms the tender accepts, a guarantee among them: R-PAY-08) and sees its own refund day
//! and whether it was refunded, late or overdue; the agency sees each bidder's and records the
//! refund (a guarantee is returned, released) on `/agency/contracts`. Plain forms: no
//! JavaScript needed.

use crate::domain::bid_security::RefundStatus;
use crate::domain::payment::SecurityForm;
use crate::domain::Money;
use crate::error::AppError;
use crate::i18n::{tr, Lang};
use crate::model::bids::BidSecurityView;
use crate::server_fns::bid_security::RecordBidSecurityRefund;
use crate::ui::components::contract_parts::field_message;
use crate::ui::components::forms::{last_error, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::ProvisionalMark;
use leptos::prelude::*;

/// The badge class of a status: flagged ones stand out.
fn status_class(status: RefundStatus) -> &'static str {
    if status.flagged() {
        "badge validity-expired"
    } else {
        "badge"
    }
}

/// The bid form's choice of the form of the bid security (radio buttons).
#[component]
pub(crate) fn SecurityFormChoice(
    amount: Money,
    forms: Vec<SecurityForm>,
    chosen: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let amount = amount.format_cny();
    view! {
        <fieldset class="checks" data-testid="bid-security-form">
            <legend>
                {move || tr(lang.get(), "投标保证金 ", "Bid security ")}{amount.clone()}
                {move || tr(lang.get(), "：请选择提交形式（可选银行保函、保证保险等非现金形式，R-SEC-01）", ": choose its form (a bank guarantee, guarantee insurance or another non-cash form if you wish, R-SEC-01)")}
            </legend>
            {forms.into_iter().map(|f| {
                let id = format!("f-bid-security-{}", f.code());
                view! {
                    <div class="field checkbox">
                        <input id=id.clone() type="radio" name="form[bid_security_form]" value=f.code() checked=chosen == f.code() />
                        <label for=id>{move || f.label().get(lang.get()).to_string()}</label>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" role="status">{field_message(error, "bid_security_form".into(), lang)}</p>
        </fieldset>
    }
}

/// The refund day of a security, with the provisional mark (issue #34).
fn refund_day(s: &BidSecurityView) -> impl IntoView {
    s.refund_by.map(|d| {
        view! { {d.to_string()}<ProvisionalMark date=d provisional=s.refund_by_provisional /> }
    })
}

/// The bidder's own security on its bid page: form, the day it was refunded, its status (the
/// refund day is on the award's line, `bid-security-refund`).
#[component]
pub(crate) fn OwnSecurity(security: BidSecurityView) -> impl IntoView {
    let lang = use_lang();
    let s = security;
    let (status, form) = (s.status, s.form);
    view! {
        <p data-testid="own-bid-security">
            {move || tr(lang.get(), "我的投标保证金：", "My bid security: ")}{s.amount.format_cny()}
            {form.map(|f| view! { " · "{move || f.label().get(lang.get()).to_string()} })}
            {s.refunded_on.map(|d| view! { " · "{move || tr(lang.get(), "退还日期 ", "refunded on ")}{d.to_string()} })}
            " "<span class=status_class(status) data-testid="bid-security-status">{move || status.label(form).get(lang.get()).to_string()}</span>
        </p>
    }
}

/// `/agency/contracts`: the bid securities of the agency's tenders, overdue first, each with a
/// form to record its refund until one is recorded.
#[component]
pub(crate) fn AgencySecurities(
    list: Vec<BidSecurityView>,
    record: ServerAction<RecordBidSecurityRefund>,
) -> impl IntoView {
    let lang = use_lang();
    let error = last_error(record.value());
    view! {
        <section aria-labelledby="bid-securities-title" id="bid-securities" data-testid="bid-securities">
            <h2 id="bid-securities-title">{move || tr(lang.get(), "投标保证金退还（R-SEC-01）", "Bid security refunds (R-SEC-01)")}</h2>
            <p class="muted">{move || tr(lang.get(),
                "中标结果公告后 5 个工作日内退还未中标和中标供应商的投标保证金；保函、保证保险等退回（解除）。退还日期登记后不能更改，逾期退还或逾期未退的会在“付款及时情况”页面公开。",
                "Every bidder's security, the winner's included, is refunded within 5 working days of the award notice; a guarantee or guarantee insurance is returned (released). A recorded refund cannot be changed; late and overdue ones are published on the payment timeliness page.")}</p>
            <FormError error />
            {if list.is_empty() {
                view! { <p class="empty">{move || tr(lang.get(), "没有需要退还的投标保证金。", "No bid security is held.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {list.into_iter().map(|s| {
                            let (status, form) = (s.status, s.form);
                            let id = format!("f-refund-{}-{}", s.tender_id.simple(), s.organisation_id.simple());
                            let refunded = s.refunded_on;
                            view! {
                                <li class="card" data-testid="bid-security">
                                    <strong>{s.supplier_name.clone()}</strong>" · "{s.tender_title.clone()}
                                    <p>
                                        {s.amount.format_cny()}
                                        " · "{move || match form {
                                            Some(f) => f.label().get(lang.get()).to_string(),
                                            None => tr(lang.get(), "形式未记录", "form not recorded").to_string(),
                                        }}
                                        {s.refund_by.is_some().then(|| view! { " · "{move || tr(lang.get(), "退还截止 ", "refund by ")}{refund_day(&s)} })}
                                        {refunded.map(|d| view! { " · "{move || tr(lang.get(), "退还日期 ", "refunded on ")}{d.to_string()} })}
                                        " "<span class=status_class(status)>{move || status.label(form).get(lang.get()).to_string()}</span>
                                    </p>
                                    {refunded.is_none().then(|| view! {
                                        <ActionForm action=record attr:class="inline">
                                            <input type="hidden" name="tender" value=s.tender_id.to_string() />
                                            <input type="hidden" name="organisation" value=s.organisation_id.to_string() />
                                            <label for=id.clone()>{move || match (lang.get(), form.is_some_and(|f| f != SecurityForm::Cash)) {
                                                (Lang::ZhCn, true) => "退回（解除）日期",
                                                (Lang::ZhCn, false) => "退还日期",
                                                (Lang::En, true) => "Returned (released) on",
                                                (Lang::En, false) => "Refunded on",
                                            }}</label>" "
                                            <input id=id.clone() type="date" name="refunded_on" required />
                                            " "<button type="submit" class="secondary">{move || tr(lang.get(), "登记", "Record")}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <p class="field-error" role="status">{field_message(error, "refunded_on".into(), lang)}</p>
                }.into_any()
            }}
        </section>
    }
}
