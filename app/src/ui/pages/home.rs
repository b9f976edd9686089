//! The home page: the public search over published tenders. The search lives in the URL (a GET
//! form), so every result page can be shared and works without JavaScript.

use crate::domain::auth::{permits, Action};
use crate::domain::region::PROVINCES;
use crate::domain::tender::{Category, Method};
use crate::i18n::{category_name, format_datetime, method_name, texts};
use crate::model::tenders::{ListFit, TenderQuery, TenderSummary};
use crate::server_fns::search_tenders;
use crate::server_fns::supplier::SaveSearch;
use crate::ui::components::forms::{done, last_error, Field, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::ErrorNotice;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

fn query_from(params: &ParamsMap) -> TenderQuery {
    use crate::paths::query::*;
    let get = |k: &str| params.get(k).unwrap_or_default();
    TenderQuery {
        q: get(Q),
        category: get(CATEGORY),
        method: get(METHOD),
        province: get(PROVINCE),
        budget_min: get(BUDGET_MIN),
        budget_max: get(BUDGET_MAX),
        sme: get(SME),
        status: get(STATUS),
        closes_within: get(CLOSES_WITHIN),
        sort: get(SORT),
        page: get(PAGE),
    }
}

/// The same search on another page.
fn page_href(q: &TenderQuery, page: u64) -> String {
    TenderQuery {
        page: page.to_string(),
        ..q.clone()
    }
    .href()
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let params = use_query_map();
    let query = Memo::new(move |_| query_from(&params.read()));
    let results = Resource::new(move || query.get(), search_tenders);
    let session = Resource::new(|| (), |_| crate::server_fns::accounts::get_session());
    let save = ServerAction::<SaveSearch>::new();

    view! {
        <h1>{move || t().published_tenders}</h1>
        <p class="tagline">{move || t().tagline}</p>
        <SearchForm query=query.get_untracked() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let supplier = matches!(
                    session.await,
                    Ok(Some(s)) if permits(s.role, Action::FollowTenders)
                );
                supplier.then(|| view! { <SaveSearchForm query=query.get_untracked() save /> })
            })}
        </Suspense>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(r) if r.items.is_empty() => {
                        let none = if query.get_untracked() == TenderQuery::default() {
                            t().tenders_empty
                        } else {
                            t().no_results
                        };
                        view! { <p class="empty" data-testid="tenders-empty">{none}</p> }.into_any()
                    }
                    Ok(r) => {
                        let q = query.get_untracked();
                        let prev = (r.page > 1).then(|| page_href(&q, r.page - 1));
                        let next = (r.page < r.pages).then(|| page_href(&q, r.page + 1));
                        view! {
                            <p data-testid="results-count">{move || t().results_found}{r.total}{r.more.then_some("+")}</p>
                            <ul class="tender-list" data-testid="tender-list">
                                {r.items.into_iter().map(|tender| {
                                    let fit = r.fits.get(&tender.id.to_string()).copied();
                                    view! { <TenderCard tender fit /> }
                                }).collect_view()}
                            </ul>
                            <nav class="pagination" aria-label=move || t().pagination_label>
                                {prev.map(|href| view! { <A href=href>{move || t().page_prev}</A> })}
                                <span>{move || t().page_label}" "{r.page}" / "{r.pages}</span>
                                {next.map(|href| view! { <A href=href>{move || t().page_next}</A> })}
                            </nav>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// For a signed-in supplier: keep this search, to run again from the watch list.
#[component]
fn SaveSearchForm(query: TenderQuery, save: ServerAction<SaveSearch>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let error = last_error(save.value());
    let saved = done::<SaveSearch>();
    let hidden = [
        ("q", query.q),
        ("category", query.category),
        ("method", query.method),
        ("province", query.province),
        ("budget_min", query.budget_min),
        ("budget_max", query.budget_max),
        ("sme", query.sme),
        ("status", query.status),
        ("closes_within", query.closes_within),
        ("sort", query.sort),
    ];
    // Open again when the page comes back from saving (the notice or the error is inside).
    let open = saved || error.get_untracked().is_some();
    view! {
        <details class="save-search" open=open>
            <summary>{move || t().save_search_title}</summary>
            <ActionForm action=save attr:class="form" attr:data-testid="save-search-form">
                <FormError error />
                {hidden
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| view! { <input type="hidden" name=format!("query[{k}]") value=v /> })
                    .collect_view()}
                <Field name="name" field="name" label=Signal::derive(move || t().field_search_name) error />
                <button type="submit">{move || t().save_search_submit}</button>
                {saved.then(|| view! {
                    <p class="notice" role="status" data-testid="search-saved">
                        {move || t().search_saved}" "<A href=crate::paths::WATCHLIST>{move || t().watchlist_title}</A>
                    </p>
                })}
            </ActionForm>
        </details>
    }
}

/// A `<select>` with "any" first and the current value chosen.
fn choices(
    id: &'static str,
    name: &'static str,
    current: String,
    options: Vec<(String, Signal<String>)>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select id=id name=name>
            <option value="" selected=current.is_empty()>{move || texts(lang.get()).any}</option>
            {options
                .into_iter()
                .map(|(value, label)| {
                    let selected = value == current;
                    view! { <option value=value selected=selected>{label}</option> }
                })
                .collect_view()}
        </select>
    }
}

#[component]
fn SearchForm(query: TenderQuery) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let categories = Category::ALL
        .iter()
        .map(|c| {
            let c = *c;
            (
                c.as_str().to_string(),
                Signal::derive(move || category_name(lang.get(), c).to_string()),
            )
        })
        .collect();
    let methods = Method::ALL
        .iter()
        .map(|m| {
            let m = *m;
            (
                m.as_str().to_string(),
                Signal::derive(move || method_name(lang.get(), m).to_string()),
            )
        })
        .collect();
    let provinces = PROVINCES
        .iter()
        .map(|p| {
            (
                p.code.to_string(),
                Signal::derive(move || p.name(lang.get()).to_string()),
            )
        })
        .collect();
    let statuses = vec![
        (
            "closed".to_string(),
            Signal::derive(move || t().status_closed.to_string()),
        ),
        (
            "all".to_string(),
            Signal::derive(move || t().status_all.to_string()),
        ),
    ];
    let closes = vec![
        (
            "7".to_string(),
            Signal::derive(move || t().within_7_days.to_string()),
        ),
        (
            "30".to_string(),
            Signal::derive(move || t().within_30_days.to_string()),
        ),
    ];
    let sorts = vec![
        (
            "deadline".to_string(),
            Signal::derive(move || t().sort_deadline.to_string()),
        ),
        (
            "budget".to_string(),
            Signal::derive(move || t().sort_budget.to_string()),
        ),
    ];
    view! {
        <section aria-labelledby="search-title" class="search">
            <h2 id="search-title">{move || t().search_title}</h2>
            <Form method="GET" action=crate::paths::HOME attr:class="search-form" attr:data-testid="search-form">
                <div class="field search-q">
                    <label for="s-q">{move || t().field_q}</label>
                    <input id="s-q" name=crate::paths::query::Q type="search" value=query.q.clone() />
                </div>
                <div class="field">
                    <label for="s-category">{move || t().field_category}</label>
                    {choices("s-category", crate::paths::query::CATEGORY, query.category.clone(), categories)}
                </div>
                <div class="field">
                    <label for="s-method">{move || t().field_method}</label>
                    {choices("s-method", crate::paths::query::METHOD, query.method.clone(), methods)}
                </div>
                <div class="field">
                    <label for="s-province">{move || t().field_province}</label>
                    {choices("s-province", crate::paths::query::PROVINCE, query.province.clone(), provinces)}
                </div>
                <div class="field">
                    <label for="s-budget-min">{move || t().field_budget_min}</label>
                    <input id="s-budget-min" name=crate::paths::query::BUDGET_MIN inputmode="decimal" value=query.budget_min.clone() />
                </div>
                <div class="field">
                    <label for="s-budget-max">{move || t().field_budget_max}</label>
                    <input id="s-budget-max" name=crate::paths::query::BUDGET_MAX inputmode="decimal" value=query.budget_max.clone() />
                </div>
                <div class="field">
                    <label for="s-status">{move || t().field_status}</label>
                    <select id="s-status" name=crate::paths::query::STATUS>
                        <option value="" selected=query.status.is_empty()>{move || t().status_open}</option>
                        {statuses
                            .into_iter()
                            .map(|(v, l)| {
                                let selected = v == query.status;
                                view! { <option value=v selected=selected>{l}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="s-closes">{move || t().field_closes_within}</label>
                    {choices("s-closes", crate::paths::query::CLOSES_WITHIN, query.closes_within.clone(), closes)}
                </div>
                <div class="field">
                    <label for="s-sort">{move || t().field_sort}</label>
                    <select id="s-sort" name=crate::paths::query::SORT>
                        <option value="" selected=query.sort.is_empty()>{move || t().sort_newest}</option>
                        {sorts
                            .into_iter()
                            .map(|(v, l)| {
                                let selected = v == query.sort;
                                view! { <option value=v selected=selected>{l}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field checkbox">
                    <input id="s-sme" name=crate::paths::query::SME type="checkbox" value="1" checked=!query.sme.is_empty() />
                    <label for="s-sme">{move || t().field_sme_only}</label>
                </div>
                <button type="submit" class="primary">{move || t().search_submit}</button>
            </Form>
        </section>
    }
}

#[component]
fn TenderCard(tender: TenderSummary, fit: Option<ListFit>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let href = crate::paths::tender(tender.id);
    let budget = tender.budget.format_cny();
    let deadline = format_datetime(tender.bid_deadline);
    let (category, method) = (tender.category, tender.method);

    view! {
        <li class="tender-card">
            <h2 class="tender-title">
                <A href=href>{tender.title}</A>
            </h2>
            <p class="tender-agency">
                {tender.agency_name}" · "{tender.region}
                {tender.sme_reserved.then(|| view! { " " <span class="badge validity-valid">{move || t().sme_reserved_badge}</span> })}
            </p>
            {fit.map(|f| view! {
                <p class="list-fit" data-testid="list-fit">
                    {move || crate::i18n::list_fit(lang.get(), f.eligible_lots, f.lots)}
                </p>
            })}
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
