//! A tender's public page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::{use_lang, ErrorNotice};
use crate::api::get_tender;
use crate::i18n::{category_name, format_datetime, method_name, status_name, texts};

#[component]
pub fn TenderPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let params = use_params_map();
    let tender = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_tender,
    );

    view! {
        <p>
            <A href="/">{move || t().back_to_list}</A>
        </p>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match tender.await {
                    Ok(detail) => {
                        let s = detail.summary;
                        let (category, method, status) = (s.category, s.method, detail.status);
                        view! {
                            <article class="tender-detail">
                                <h1>{s.title}</h1>
                                <dl class="facts">
                                    <div>
                                        <dt>{move || t().agency}</dt>
                                        <dd>{s.agency_name}</dd>
                                    </div>
                                    <div>
                                        <dt>{move || t().region}</dt>
                                        <dd>{s.region}</dd>
                                    </div>
                                    <div>
                                        <dt>{move || t().budget}</dt>
                                        <dd>{s.budget.format_cny()}</dd>
                                    </div>
                                    <div>
                                        <dt>{move || t().bid_deadline}</dt>
                                        <dd>
                                            {format_datetime(s.bid_deadline)}
                                            <Countdown deadline=s.bid_deadline />
                                        </dd>
                                    </div>
                                    <div>
                                        <dt>{move || t().category}</dt>
                                        <dd>{move || category_name(lang.get(), category)}</dd>
                                    </div>
                                    <div>
                                        <dt>{move || t().method}</dt>
                                        <dd>{move || method_name(lang.get(), method)}</dd>
                                    </div>
                                    <div>
                                        <dt>{move || t().status}</dt>
                                        <dd>{move || status_name(lang.get(), status)}</dd>
                                    </div>
                                </dl>
                                {detail.cancel_reason.map(|reason| view! {
                                    <p class="notice notice-error" data-testid="cancelled">{move || t().cancelled_notice}{reason}</p>
                                })}
                                <h2>{move || t().description}</h2>
                                <p class="description">{detail.description}</p>
                                <h2>{move || t().sme_policy}</h2>
                                {if detail.reserved_whole {
                                    view! { <p data-testid="sme-policy">{move || t().sme_reserved_whole}</p> }.into_any()
                                } else {
                                    let deduction = detail.price_deduction.map(|d| format!("{d}%")).unwrap_or_default();
                                    view! { <p data-testid="sme-policy">{move || t().sme_deduction}{deduction}</p> }.into_any()
                                }}
                                {detail.price_weight.map(|w| view! {
                                    <p>{move || t().price_weight_label}": "{w.to_string()}{move || t().points_suffix}</p>
                                })}
                                {(!detail.clarifications.is_empty()).then(|| view! {
                                    <h2>{move || t().clarifications_title}</h2>
                                    <ol class="clarifications" data-testid="clarifications">
                                        {detail
                                            .clarifications
                                            .into_iter()
                                            .map(|c| {
                                                let moved = (c.deadline_after != c.deadline_before)
                                                    .then(|| format_datetime(c.deadline_after));
                                                view! {
                                                    <li>
                                                        <p class="muted">{move || t().published_at_label}": "{format_datetime(c.published_at)}</p>
                                                        <p class="description">{c.body}</p>
                                                        {moved.map(|d| view! { <p><strong>{move || t().deadline_moved}{d.clone()}</strong></p> })}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ol>
                                })}
                                {(!detail.lots.is_empty()).then(|| view! { <h2>{move || t().lots_title}</h2> })}
                                {detail
                                    .lots
                                    .into_iter()
                                    .map(|lot| view! { <LotSection lot /> })
                                    .collect_view()}
                            </article>
                        }
                            .into_any()
                    }
                    Err(crate::error::AppError::NotFound) => {
                        view! {
                            <h1>{move || t().not_found_title}</h1>
                            <p>{move || t().not_found_body}</p>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LotSection(lot: crate::api::LotView) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    view! {
        <section class="card lot" data-testid="lot">
            <h3 class="card-title">{lot.title}</h3>
            <p>
                {move || t().lot_budget}": "{lot.budget.format_cny()}
                {lot.reserved_for_sme.then(|| view! { " " <span class="badge validity-valid">{move || t().lot_reserved_note}</span> })}
            </p>
            <ul>
                {lot
                    .criteria
                    .into_iter()
                    .map(|c| {
                        let kind = c.kind;
                        let weight = c.weight.map(|w| w.to_string());
                        view! {
                            <li>
                                <strong>{move || kind.name(lang.get())}</strong>": "{c.requirement}" ("
                                {match weight {
                                    Some(w) => view! { {w}{move || t().points_suffix} }.into_any(),
                                    None => view! { {move || t().pass_fail} }.into_any(),
                                }}
                                ")"
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The time left to bid, ticking every second once the page has hydrated. The server renders
/// nothing here: its clock and the reader's would disagree by the time the page arrives.
#[component]
fn Countdown(deadline: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let lang = use_lang();
    let now_ms = RwSignal::new(None::<i64>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let tick = move || now_ms.set(Some(js_sys::Date::now() as i64));
        tick();
        if let Ok(handle) =
            leptos::prelude::set_interval_with_handle(tick, std::time::Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
    });
    let text = move || {
        let now = now_ms.get()?;
        let t = texts(lang.get());
        let left = (deadline.timestamp_millis() - now) / 1000;
        if left <= 0 {
            return Some(t.countdown_closed.to_string());
        }
        let (d, h, m, sec) = (
            left / 86_400,
            left % 86_400 / 3600,
            left % 3600 / 60,
            left % 60,
        );
        Some(format!(
            "{}{d}{}{h}{}{m}{}{sec}{}",
            t.countdown_prefix, t.unit_days, t.unit_hours, t.unit_minutes, t.unit_seconds
        ))
    };
    view! { <span class="countdown" data-testid="countdown">{text}</span> }
}
