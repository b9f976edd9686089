//! Registration, sign-in and the supplier's account page. Forms post to server functions, so
//! each post comes back as a page; with JavaScript, what was typed into a refused form comes
//! back too (`crate::ui::keeper`).

use crate::ui::components::forms::last_error;
use crate::ui::components::forms::Field;
use crate::ui::components::forms::FormError;
use crate::ui::pages::account::sections::CapabilitySection;
use crate::ui::pages::account::sections::ChangePasswordSection;
use crate::ui::pages::account::sections::InviteMemberSection;
pub mod members;
pub mod recovery;
pub mod sections;

use crate::domain::auth::Role;
use crate::domain::sme::Industry;
use crate::error::AppError;
use crate::i18n::texts;
use crate::paths;
use crate::server_fns::accounts::{get_session, DeclareSme, Logout};
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let logout = ServerAction::<Logout>::new();
    let session = Resource::new(|| (), |_| get_session());
    // Every resource of the page is created here, not inside the Suspend that awaits the
    // session (leptos-rs/leptos#3398: one created there after another resolves could reach an
    // island without its data). For anyone but a supplier the profile overview is simply empty.
    let profile = ProfileResources::new();
    // Issue #35: the firm's members or the agency's officers, for whoever manages them.
    let people = members::members_resource();
    let recovery = recovery::recovery_resource();
    view! {
        <h1>{move || t().nav_account}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(s)) => {
                        let role = s.role;
                        view! {
                            <p data-testid="signed-in">
                                {move || t().signed_in_as}{s.display_name.clone()}" ("{s.email.clone()}") · "
                                {move || role.name(lang.get())}
                            </p>
                            <ActionForm action=logout>
                                <button type="submit" data-testid="sign-out">{move || t().sign_out}</button>
                            </ActionForm>
                            {(role == Role::PlatformAdmin).then(|| view! {
                                <p><A href=paths::ADMIN>{move || t().nav_admin}</A></p>
                            })}
                            {(role == Role::AgencyProcurement).then(|| view! {
                                <p><A href=paths::AGENCY_TENDERS>{move || t().nav_agency_tenders}</A></p>
                            })}
                            {matches!(role, Role::AgencyProcurement | Role::AgencyFinance).then(|| view! {
                                <p><A href=paths::AGENCY_CONTRACTS>{move || crate::i18n::tr(lang.get(), "合同与付款", "Contracts and payments")}</A></p>
                            })}
                            {matches!(role, Role::SupplierOwner | Role::SupplierMember).then(|| view! {
                                <p><A href=paths::WATCHLIST>{move || t().watchlist_title}</A></p>
                                <p><A href=paths::RECEIVABLES>{move || crate::i18n::tr(lang.get(), "我的应收款", "My receivables")}</A></p>
                            })}
                            {(role == Role::SupplierOwner).then(|| view! { <SmeDeclarationSection profile /> })}
                            {matches!(role, Role::SupplierOwner | Role::SupplierMember)
                                .then(|| view! { <CapabilitySection profile /> })}
                            {(role == Role::SupplierOwner).then(|| view! { <InviteMemberSection /> })}
                            {(role == Role::SupplierOwner).then(|| view! { <members::MembersList members=people agency=false /> })}
                            {(role == Role::AgencyAdmin).then(|| view! { <members::MembersList members=people agency=true /> })}
                            <ChangePasswordSection />
                            <recovery::RecoverySection codes=recovery />
                        }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <p>{move || t().please_sign_in}" "<A href=paths::LOGIN>{move || t().nav_sign_in}</A></p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// R-SME-04: the four facts of the declaration; the size class is computed on the server.
#[component]
fn SmeDeclarationSection(profile: ProfileResources) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let action = profile.declare;
    let error = last_error(action.value());
    let overview = profile.overview;
    view! {
        <section aria-labelledby="sme-title">
            <h2 id="sme-title">{move || t().sme_title}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    match overview.await.map(|o| o.and_then(|o| o.sme)) {
                        Ok(Some(d)) => {
                            let class = d.size_class;
                            view! {
                                <dl class="facts" data-testid="sme-current">
                                    <div>
                                        <dt>{move || t().size_class}</dt>
                                        <dd data-testid="size-class">{move || class.name(lang.get())}</dd>
                                    </div>
                                    <div>
                                        <dt>{move || t().declaration_version}</dt>
                                        <dd>{d.version}</dd>
                                    </div>
                                </dl>
                            }
                                .into_any()
                        }
                        _ => view! { <p>{move || t().sme_none}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p>{move || t().sme_intro}</p>
            <ActionForm action=action attr:class="form" attr:data-testid="sme-form">
                <FormError error />
                <div class="field">
                    <label for="f-industry">{move || t().field_industry}</label>
                    <select id="f-industry" name="form[industry]">
                        <option value="">{move || t().choose}</option>
                        {Industry::ALL
                            .iter()
                            .map(|i| {
                                let i = *i;
                                view! { <option value=i.as_str()>{move || i.name(lang.get())}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p class="field-error" role="status">
                        {move || error.get().and_then(|e| e.for_field("industry").map(|m| m.get(lang.get()).to_string()))}
                    </p>
                </div>
                <Field name="form[headcount]" field="headcount" label=Signal::derive(move || t().field_headcount) error kind="text" />
                <Field name="form[annual_revenue]" field="annual_revenue" label=Signal::derive(move || t().field_annual_revenue) error />
                <Field name="form[total_assets]" field="total_assets" label=Signal::derive(move || t().field_total_assets) error />
                <button type="submit" class="primary">{move || t().sme_submit}</button>
            </ActionForm>
        </section>
    }
}

/// The supplier profile's actions and the one resource they refresh, made once per page.
#[derive(Clone, Copy)]
pub(crate) struct ProfileResources {
    pub declare: ServerAction<DeclareSme>,
    pub add: ServerAction<crate::server_fns::profile::AddCapability>,
    pub archive: ServerAction<crate::server_fns::profile::ArchiveCapability>,
    pub overview: Resource<Result<Option<crate::model::profile::SupplierProfile>, AppError>>,
}

impl ProfileResources {
    fn new() -> Self {
        let declare = ServerAction::<DeclareSme>::new();
        let add = ServerAction::<crate::server_fns::profile::AddCapability>::new();
        let archive = ServerAction::<crate::server_fns::profile::ArchiveCapability>::new();
        ProfileResources {
            declare,
            add,
            archive,
            overview: Resource::new(|| (), |_| crate::server_fns::profile::profile_overview()),
        }
    }
}
