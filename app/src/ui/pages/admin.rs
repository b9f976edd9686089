//! The administrator's page (clauses awaiting review, issue #34; agencies and their officers;
//! the working-day calendar) and the page where an invited person accepts. The server refuses
//! every admin action to anyone else, whatever this page shows.

use crate::domain::auth::{OrgKind, Role};
use crate::i18n::texts;
use crate::server_fns::accounts::{
    get_session, list_agencies, CreateAgency, InviteOfficer, UploadCalendar,
};
use crate::server_fns::review::{pending_barrier_reviews, DecideBarrierReview};
use crate::ui::components::forms::{last_error, Field, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::invitation_notice;
use crate::ui::components::notices::ErrorNotice;
use crate::ui::components::review_parts::PendingReviews;
use crate::ui::pages::admin_calendar::CalendarAdmin;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AdminPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let session = Resource::new(|| (), |_| get_session());
    // Made here, not inside the Suspend below (see AccountPage, leptos-rs/leptos#3398).
    let create = ServerAction::<CreateAgency>::new();
    let invite = ServerAction::<InviteOfficer>::new();
    let upload = ServerAction::<UploadCalendar>::new();
    let agencies = Resource::new(|| (), |_| list_agencies());
    // Issue #34: the clauses officers ask to be let through.
    let reviews = Resource::new(|| (), |_| pending_barrier_reviews());
    let decide = ServerAction::<DecideBarrierReview>::new();
    view! {
        <h1>{move || t().admin_title}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(s)) if s.role == Role::PlatformAdmin => view! {
                        <PendingReviews reviews decide />
                        <AgencyAdmin create invite agencies />
                        <CalendarAdmin upload />
                    }
                        .into_any(),
                    Ok(Some(_)) => view! { <p class="notice">{move || t().admin_only}</p> }.into_any(),
                    _ => view! {
                        <p>{move || t().please_sign_in}" "<A href=crate::paths::LOGIN>{move || t().nav_sign_in}</A></p>
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AgencyAdmin(
    create: ServerAction<CreateAgency>,
    invite: ServerAction<InviteOfficer>,
    agencies: Resource<Result<Vec<crate::model::accounts::AgencySummary>, crate::error::AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let create_error = last_error(create.value());
    let invite_error = last_error(invite.value());
    let agency_roles = Role::ALL
        .iter()
        .copied()
        .filter(|r| r.org_kind() == Some(OrgKind::Agency));
    view! {
        <section aria-labelledby="agencies-title">
            <h2 id="agencies-title">{move || t().admin_agencies}</h2>
            <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
                {move || Suspend::new(async move {
                    match agencies.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{move || t().admin_no_agencies}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul data-testid="agencies">
                                {list
                                    .into_iter()
                                    .map(|a| view! {
                                        <li>{a.name}" · "<code>{a.credit_code.unwrap_or_default()}</code></li>
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section aria-labelledby="create-agency-title">
            <h2 id="create-agency-title">{move || t().admin_create_agency}</h2>
            <ActionForm action=create attr:class="form" attr:data-testid="create-agency-form">
                <FormError error=create_error />
                <Field name="name" field="name" label=Signal::derive(move || t().field_agency_name) error=create_error autocomplete="organization" />
                <Field name="credit_code" field="credit_code" label=Signal::derive(move || t().field_credit_code) error=create_error />
                <button type="submit">{move || t().admin_create_submit}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="invite-title">
            <h2 id="invite-title">{move || t().admin_invite_title}</h2>
            {invitation_notice()}
            <ActionForm action=invite attr:class="form" attr:data-testid="invite-officer-form">
                <FormError error=invite_error />
                <div class="field">
                    <label for="f-agency">{move || t().field_agency}</label>
                    <Suspense>
                        {move || Suspend::new(async move {
                            let options = agencies
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .map(|a| view! { <option value=a.id.to_string()>{a.name}</option> })
                                .collect_view();
                            view! { <select id="f-agency" name="agency_id">{options}</select> }
                        })}
                    </Suspense>
                </div>
                <Field name="email" field="email" label=Signal::derive(move || t().field_email) error=invite_error kind="email" />
                <div class="field">
                    <label for="f-role">{move || t().field_role}</label>
                    <select id="f-role" name="role" aria-describedby="f-role-error">
                        {agency_roles
                            .map(|r| view! { <option value=r.as_str()>{move || r.name(lang.get())}</option> })
                            .collect_view()}
                    </select>
                    <p class="field-error" id="f-role-error" role="status">
                        {move || invite_error.get().and_then(|e| e.for_field("role").map(|m| m.get(lang.get()).to_string()))}
                    </p>
                </div>
                <button type="submit">{move || t().invite_submit_link}</button>
            </ActionForm>
        </section>
    }
}
