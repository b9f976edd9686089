//! The home page: the public list of published tenders.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{use_lang, ErrorNotice};
use crate::api::{list_published_tenders, TenderSummary};
use crate::i18n::{category_name, format_datetime, method_name, texts};

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let tenders = Resource::new(|| (), |_| list_published_tenders());

    view! {
        <h1>{move || t().published_tenders}</h1>
        <p class="tagline">{move || t().tagline}</p>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match tenders.await {
                    Ok(list) if list.is_empty() => {
                        view! { <p class="empty" data-testid="tenders-empty">{move || t().tenders_empty}</p> }
                            .into_any()
                    }
                    Ok(list) => {
                        view! {
                            <ul class="tender-list" data-testid="tender-list">
                                {list.into_iter().map(|tender| view! { <TenderCard tender /> }).collect_view()}
                            </ul>
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
fn TenderCard(tender: TenderSummary) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let href = format!("/tenders/{}", tender.id);
    let budget = tender.budget.format_cny();
    let deadline = format_datetime(tender.bid_deadline);
    let (category, method) = (tender.category, tender.method);

    view! {
        <li class="tender-card">
            <h2 class="tender-title">
                <A href=href>{tender.title}</A>
            </h2>
            <p class="tender-agency">{tender.agency_name}" · "{tender.region}</p>
            <dl class="facts">
                <div>
                    <dt>{move || t().budget}</dt>
                    <dd>{budget}</dd>
                </div>
                <div>
                    <dt>{move || t().bid_deadline}</dt>
                    <dd>{deadline}</dd>
                </div>
                <div>
                    <dt>{move || t().category}</dt>
                    <dd>{move || category_name(lang.get(), category)}</dd>
                </div>
                <div>
                    <dt>{move || t().method}</dt>
                    <dd>{move || method_name(lang.get(), method)}</dd>
                </div>
            </dl>
        </li>
    }
}
