//! Parts of the contract pages: status names and colours, field messages, notices.

use crate::domain::payment::PayableStatus;
use crate::error::AppError;
use crate::i18n::format_datetime;
use crate::i18n::texts;
use crate::i18n::tr;
use crate::i18n::Lang;
use crate::model::supplier::NotificationView;
use crate::ui::components::notices::ErrorNotice;
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;
/// Payment notifications: accepted, due in 7 days, due tomorrow, overdue, confirmations.
#[component]
pub(crate) fn Notices(list: Vec<NotificationView>) -> impl IntoView {
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
                                Some(id) => view! { <A href=crate::paths::contract(id)>{move || body.get(lang.get()).to_string()}</A> }.into_any(),
                                None => view! { <span>{move || body.get(lang.get()).to_string()}</span> }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

/// The contract form's milestone rows (blank ones are ignored).
pub(crate) const MILESTONE_ROWS: usize = 4;

pub(crate) fn signed_out_or_error(error: AppError, lang: RwSignal<Lang>) -> AnyView {
    match error {
        AppError::Unauthenticated => view! {
            <p>{move || texts(lang.get()).please_sign_in}" "<A href=crate::paths::LOGIN>{move || texts(lang.get()).nav_sign_in}</A></p>
        }
        .into_any(),
        error => view! { <ErrorNotice error /> }.into_any(),
    }
}

pub(crate) fn field_message(
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

pub(crate) fn status_text(lang: Lang, status: Option<PayableStatus>) -> String {
    match status {
        Some(s) => s.label().get(lang).to_string(),
        None => tr(lang, "尚未开始计算付款期限", "Payment clock not started").to_string(),
    }
}

pub(crate) fn status_class(status: Option<PayableStatus>) -> &'static str {
    match status {
        Some(PayableStatus::Overdue { .. }) | Some(PayableStatus::PaidLate { .. }) => {
            "badge badge-warn"
        }
        Some(PayableStatus::PaidOnTime) => "badge badge-ok",
        _ => "badge",
    }
}

/// The reason (one of R-PAY-03's allowed ones) and the written explanation of a rejection:
/// the same fields on a delivery's reject form and on a disputed part's re-delivery.
#[component]
pub(crate) fn RejectionFields(reason: String, expl: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=reason.clone()>{move || tr(lang.get(), "退回理由（R-PAY-03）", "Reason for rejecting (R-PAY-03)")}</label>
            <select id=reason name="reason">
                {crate::domain::payment::RejectionReason::ALL.iter().map(|r| view! { <option value=r.code()>{move || r.label().get(lang.get()).to_string()}</option> }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=expl.clone()>{move || tr(lang.get(), "书面说明", "Written explanation")}</label>
            <textarea id=expl name="explanation" rows="2"></textarea>
        </div>
    }
}
