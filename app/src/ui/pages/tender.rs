//! A tender's public page.

use crate::error::AppError;
use crate::i18n::{
    answered_in_bid, category_name, fit_summary, format_datetime, method_name, missing_requirement,
    status_name, texts,
};
use crate::model::supplier::TenderFit;
use crate::server_fns::get_tender;
use crate::server_fns::supplier::{get_tender_fit, WatchTender};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::{ErrorNotice, ProvisionalMark};
use crate::ui::components::retender_parts::{RetenderOfNotice, RetenderedAsNotice};
use crate::ui::components::review_parts::PublishedAfterReviewNotice;
use crate::ui::components::tender_parts::DocumentList;
use crate::ui::components::tender_parts::{AwardList, LotOutcomeList};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TenderPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get(crate::paths::param::ID)
            .unwrap_or_default()
    };
    let tender = Resource::new(id, get_tender);
    // The signed-in supplier's fit and watch, made here and not in the Suspend (leptos#3398).
    let watch = ServerAction::<WatchTender>::new();
    let fit = Resource::new(id, get_tender_fit);

    view! {
        <p>
            <A href=crate::paths::HOME>{move || t().back_to_list}</A>
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
                                            <Countdown deadline=s.bid_deadline lang=lang.get_untracked() />
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
                                <FitSection fit watch id=s.id.to_string() />
                                {detail.cancel_reason.map(|reason| view! {
                                    <p class="notice notice-error" data-testid="cancelled">{move || t().cancelled_notice}{reason}</p>
                                })}
                                <PublishedAfterReviewNotice reviews=detail.reviews />
                                // R-SME-05, R-BID-04: a re-tender and the tender it re-tenders.
                                {detail.retender_of.map(|notice| view! { <RetenderOfNotice notice /> })}
                                {detail.retendered_as.map(|retender| view! { <RetenderedAsNotice retender /> })}
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
                                                        // R-TIME-02: a structured amendment says what it changed.
                                                        {(!c.changes.is_empty()).then(|| {
                                                            let changed = c.changes.clone();
                                                            view! {
                                                                <p data-testid="amended-terms">
                                                                    {move || crate::i18n::tr(lang.get(), "更正事项：", "Changed: ")}
                                                                    {move || changed.iter().map(|x| x.label().get(lang.get()).to_string()).collect::<Vec<_>>().join(crate::i18n::tr(lang.get(), "；", "; "))}
                                                                    {c.affects_bids.then(|| view! { " "<span class="badge">{move || crate::i18n::tr(lang.get(), "影响投标（R-TIME-02）", "affects bids (R-TIME-02)")}</span> })}
                                                                </p>
                                                            }
                                                        })}
                                                        {moved.map(|d| view! { <p><strong>{move || t().deadline_moved}{d.clone()}</strong></p> })}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ol>
                                })}
                                <h2>{move || t().documents_title}</h2>
                                {detail.documents_available_until.map(|d| view! {
                                    <p class="muted" data-testid="documents-until">
                                        {move || t().documents_available_until}{d.format("%Y-%m-%d").to_string()}
                                        <ProvisionalMark date=d provisional=detail.documents_available_until_provisional />
                                    </p>
                                })}
                                <DocumentList documents=detail.documents />
                                {(!detail.awards.is_empty()).then(|| view! {
                                    <h2>{move || crate::i18n::tr(lang.get(), "中标结果公告", "Award notice")}</h2>
                                    <AwardList awards=detail.awards.clone() />
                                })}
                                {(!detail.lot_outcomes.is_empty()).then(|| view! {
                                    <h2>{move || crate::i18n::tr(lang.get(), "废标与中止公告", "Failed and suspended lots")}</h2>
                                    <LotOutcomeList outcomes=detail.lot_outcomes.clone() />
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

/// For a signed-in supplier: watch the tender, and how its profile fits each lot. Nothing for
/// anyone else.
#[component]
fn FitSection(
    fit: Resource<Result<Option<TenderFit>, AppError>>,
    watch: ServerAction<WatchTender>,
    id: String,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let id = StoredValue::new(id);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(fit)) = fit.await else {
                    return ().into_any();
                };
                let watching = fit.watching;
                view! {
                    <section class="card fit" aria-labelledby="fit-title" data-testid="fit">
                        <h2 id="fit-title">{move || t().fit_title}</h2>
                        <ActionForm action=watch attr:data-testid="watch-form">
                            <input type="hidden" name="id" value=id.get_value() />
                            <input type="hidden" name="watch" value=if watching { "0" } else { "1" } />
                            {watching.then(|| view! { <p role="status" data-testid="watching">{move || t().watching_note}</p> })}
                            <button type="submit" class=if watching { "secondary" } else { "primary" }>
                                {move || if watching { t().unwatch } else { t().watch }}
                            </button>
                        </ActionForm>
                        <p>
                            <A href=crate::paths::tender_bid(id.get_value()) attr:class="button" attr:data-testid="bid-link">
                                {move || crate::i18n::tr(lang.get(), "准备或查看我的投标", "Prepare or view my bid")}
                            </A>
                        </p>
                        <p><A href=crate::paths::WATCHLIST>{move || t().watchlist_title}</A></p>
                        <p class="muted">{move || t().fit_guide}</p>
                        <ul class="fit-lots">
                            {fit.lots.into_iter().map(|lot| {
                                let m = lot.fit;
                                let ok = m.eligible();
                                let missing = m.missing.clone();
                                view! {
                                    <li data-testid="lot-fit" class=if ok { "fit-ok" } else { "fit-short" }>
                                        <strong>{lot.title}</strong>": "
                                        {move || if m.total == 0 {
                                            t().fit_no_requirements.to_string()
                                        } else {
                                            fit_summary(lang.get(), m.met, m.total)
                                        }}
                                        {(!missing.is_empty()).then(|| {
                                            let missing = missing.clone();
                                            view! {
                                                <span data-testid="fit-missing">
                                                    "; "{move || t().fit_missing}
                                                    {move || missing
                                                        .iter()
                                                        .map(|x| missing_requirement(lang.get(), &x.requirement, x.expired_record.as_deref()))
                                                        .collect::<Vec<_>>()
                                                        .join("、")}
                                                </span>
                                            }
                                        })}
                                        {m.reserved_not_sme.then(|| view! { <br /><span class="field-error">{move || t().fit_reserved_not_sme}</span> })}
                                        {(m.answered_in_bid > 0).then(|| view! { <br /><span class="muted">{move || answered_in_bid(lang.get(), m.answered_in_bid)}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p><A href=crate::paths::ACCOUNT_CAPABILITIES>{move || t().fit_update_profile}</A></p>
                    </section>
                }
                    .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn LotSection(lot: crate::model::tenders::LotView) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    view! {
        <section class="card lot" data-testid="lot">
            <h3 class="card-title">{lot.title}</h3>
            <p>
                {move || t().lot_budget}": "{lot.budget.format_cny()}
                {(lot.reserved_for_sme && !lot.small_micro_only).then(|| view! { " " <span class="badge validity-valid">{move || t().lot_reserved_note}</span> })}
                {lot.small_micro_only.then(|| view! { " " <span class="badge validity-valid" data-testid="small-micro-only">{move || crate::i18n::tr(lang.get(), "专门面向小微企业（R-SME-02）", "Reserved for small and micro firms (R-SME-02)")}</span> })}
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

/// The time left to bid, ticking every second once the island has hydrated. The server renders
/// nothing here: its clock and the reader's would disagree by the time the page arrives. An
/// island sees no context from the page around it, so the language comes as a prop.
#[island]
fn Countdown(deadline: chrono::DateTime<chrono::Utc>, lang: crate::i18n::Lang) -> impl IntoView {
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
        let t = texts(lang);
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
