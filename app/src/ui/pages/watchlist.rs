//! `/watchlist`: the supplier's notifications, watched tenders (with how its profile fits each
//! lot) and saved searches.

use crate::error::AppError;
use crate::i18n::{fit_summary, format_datetime, missing_requirement, status_name, texts};
use crate::model::supplier::SupplierDesk;
use crate::server_fns::supplier::{get_supplier_desk, DeleteSearch, MarkNotificationsRead};
use crate::ui::components::forms::{last_error, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::ErrorNotice;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn WatchlistPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let read = ServerAction::<MarkNotificationsRead>::new();
    let delete = ServerAction::<DeleteSearch>::new();
    let desk = Resource::new(|| (), |_| get_supplier_desk());
    view! {
        <h1>{move || t().watchlist_title}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! { <Desk desk read delete /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>{move || t().please_sign_in}" "<A href=crate::paths::LOGIN>{move || t().nav_sign_in}</A></p>
                    }
                        .into_any(),
                    Err(AppError::Forbidden) => view! { <p class="notice">{move || t().suppliers_only}</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Desk(
    desk: SupplierDesk,
    read: ServerAction<MarkNotificationsRead>,
    delete: ServerAction<DeleteSearch>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let delete_error = last_error(delete.value());
    let unread = desk.notifications.iter().any(|n| !n.read);
    view! {
        <section aria-labelledby="notifications-title">
            <h2 id="notifications-title">{move || t().notifications_title}</h2>
            {if desk.notifications.is_empty() {
                view! { <p class="empty">{move || t().notifications_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="notifications" data-testid="notifications">
                        {desk.notifications.into_iter().map(|n| {
                            let body = n.body.clone();
                            view! {
                                <li class:unread=!n.read>
                                    {(!n.read).then(|| view! { <span class="badge validity-expires_soon">{move || t().unread}</span>" " })}
                                    <span class="muted">{format_datetime(n.created_at)}</span>" "
                                    {match (n.contract_id, n.tender_id) {
                                        (Some(id), _) => view! { <A href=crate::paths::contract(id)>{move || body.get(lang.get()).to_string()}</A> }.into_any(),
                                        (None, Some(id)) => view! { <A href=crate::paths::tender(id)>{move || body.get(lang.get()).to_string()}</A> }.into_any(),
                                        (None, None) => view! { <span>{move || body.get(lang.get()).to_string()}</span> }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {unread.then(|| view! {
                <ActionForm action=read>
                    <button type="submit" class="secondary">{move || t().mark_read}</button>
                </ActionForm>
            })}
        </section>
        <section aria-labelledby="watched-title">
            <h2 id="watched-title">{move || t().watched_title}</h2>
            {if desk.watched.is_empty() {
                view! { <p class="empty">{move || t().watched_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards" data-testid="watched">
                        {desk.watched.into_iter().map(|w| {
                            let status = w.status;
                            view! {
                                <li class="card">
                                    <h3 class="card-title"><A href=crate::paths::tender(w.summary.id)>{w.summary.title}</A></h3>
                                    <p class="muted">
                                        {move || status_name(lang.get(), status)}" · "
                                        {move || t().bid_deadline}": "{format_datetime(w.summary.bid_deadline)}
                                    </p>
                                    <ul>
                                        {w.lots.into_iter().map(|lot| {
                                            let m = lot.fit;
                                            view! {
                                                <li data-testid="watched-fit">
                                                    {lot.title}": "
                                                    {move || if m.total == 0 {
                                                        t().fit_no_requirements.to_string()
                                                    } else {
                                                        fit_summary(lang.get(), m.met, m.total)
                                                    }}
                                                    {move || (!m.missing.is_empty()).then(|| format!(
                                                        "; {}{}",
                                                        t().fit_missing,
                                                        m.missing
                                                            .iter()
                                                            .map(|x| missing_requirement(lang.get(), &x.requirement, x.expired_record.as_deref()))
                                                            .collect::<Vec<_>>()
                                                            .join("、")
                                                    ))}
                                                    {m.reserved_not_sme.then(|| view! { <br /><span class="field-error">{move || t().fit_reserved_not_sme}</span> })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section aria-labelledby="searches-title">
            <h2 id="searches-title">{move || t().searches_title}</h2>
            <FormError error=delete_error />
            {if desk.searches.is_empty() {
                view! { <p class="empty">{move || t().searches_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="saved-searches" data-testid="saved-searches">
                        {desk.searches.into_iter().map(|s| {
                            let name = s.name.clone();
                            view! {
                                <li>
                                    <A href=s.href>{s.name}</A>" · "{s.open_matches}{move || t().open_matches_suffix}" "
                                    <ActionForm action=delete attr:class="inline">
                                        <input type="hidden" name="id" value=s.id.to_string() />
                                        <button type="submit" class="secondary" aria-label=move || format!("{} {}", t().delete_search, name)>
                                            {move || t().delete_search}
                                        </button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
