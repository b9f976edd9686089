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
