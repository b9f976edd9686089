//! The procurement officer's pages: the agency's tenders, and the draft form with publication.
//! The form has fixed slots (three lots of four requirements) so it works without JavaScript;
//! empty slots are ignored.

use crate::domain::tender::TenderStatus;
use crate::error::AppError;
use crate::i18n::{format_datetime, status_name, texts};
use crate::server_fns::agency::agency_tenders;
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::officers_only;
use crate::ui::components::notices::{ErrorNotice, ProvisionalMark};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AgencyTendersPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    // Made here, not inside officers_only's Suspend (see AccountPage, leptos-rs/leptos#3398).
    let tenders = Resource::new(|| (), |_| agency_tenders());
    let challenges = Resource::new(|| (), |_| crate::server_fns::bids::get_agency_challenges());
    view! {
        <h1>{move || t().nav_agency_tenders}</h1>
        {officers_only(move || view! { <ChallengeAlerts challenges /><TenderList tenders /> }.into_any())}
    }
}

/// R-CHAL-01: unanswered challenges, overdue ones flagged, on the officer's dashboard.
#[component]
fn ChallengeAlerts(
    challenges: Resource<Result<Vec<crate::model::bids::ChallengeView>, AppError>>,
) -> impl IntoView {
    use crate::i18n::tr;
    let lang = use_lang();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(list) = challenges.await else { return ().into_any() };
                if list.is_empty() {
                    return ().into_any();
                }
                view! {
                    <section class="notice" aria-labelledby="open-challenges" data-testid="open-challenges">
                        <h2 id="open-challenges">{move || tr(lang.get(), "待答复的质疑", "Challenges awaiting an answer")}</h2>
                        <ul>
                            {list.into_iter().map(|c| {
                                let overdue = c.overdue;
                                view! {
                                    <li>
                                        {overdue.then(|| view! { <span class="badge validity-expired">{move || tr(lang.get(), "已逾期", "Overdue")}</span>" " })}
                                        <A href=crate::paths::evaluation(c.tender_id)>{c.tender_title}</A>
                                        " · "{c.supplier_name}" · "{move || tr(lang.get(), "答复期限 ", "due ")}{c.answer_due.to_string()}
                                        <ProvisionalMark date=c.answer_due provisional=c.answer_due_provisional />
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn TenderList(
    tenders: Resource<Result<Vec<crate::model::agency::AgencyTender>, AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    view! {
        <p><A href=crate::paths::NEW_TENDER attr:class="button" attr:data-testid="new-tender">{move || t().new_tender}</A></p>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match tenders.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{move || t().no_agency_tenders}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-testid="agency-tenders">
                            {list
                                .into_iter()
                                .map(|x| {
                                    let status = x.status;
                                    let (href, link): (String, fn(crate::i18n::Lang) -> &'static str) =
                                        if status == TenderStatus::Draft {
                                            (crate::paths::tender_edit(x.id), |l| texts(l).edit)
                                        } else {
                                            (crate::paths::tender(x.id), |l| texts(l).view_public)
                                        };
                                    view! {
                                        <li class="card">
                                            <h2 class="card-title">{x.title}</h2>
                                            <p class="muted">
                                                {move || status_name(lang.get(), status)}" · "{x.budget.format_cny()}" · "
                                                {format_datetime(x.bid_deadline)}
                                            </p>
                                            <A href=href>{move || link(lang.get())}</A>
                                            {(status != TenderStatus::Draft).then(|| view! {
                                                " · "
                                                <A href=crate::paths::evaluation(x.id) attr:data-testid="evaluation-link">
                                                    {move || crate::i18n::tr(lang.get(), "开标与评审", "Opening and evaluation")}
                                                </A>
                                            })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
