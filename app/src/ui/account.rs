//! Registration, sign-in and the supplier's account page. Forms post to server functions, so
//! each post comes back as a page; with JavaScript, what was typed into a refused form comes
//! back too (`super::keeper`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::profile::{CapabilitySection, ChangePasswordSection, InviteMemberSection};
use super::use_lang;
use crate::domain::auth::Role;
use crate::domain::sme::Industry;
use crate::error::AppError;
use crate::i18n::texts;
use crate::server_fns::accounts::{get_session, DeclareSme, Login, Logout, RegisterSupplier};

/// The error of the last submission, if any.
pub(super) fn last_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// Whether this page was reached by a successful form post of `S`: the server redirected back
/// with `done=<its endpoint>` (`crate::server_fns::respond::respond`).
pub(super) fn done<S: server_fn::ServerFn>() -> bool {
    done_with(S::PATH.trim_start_matches("/api/"))
}

/// Whether the server redirected back with `done=<what>`.
pub(super) fn done_with(what: &str) -> bool {
    use_query_map()
        .with_untracked(|q| q.get(crate::model::tenders::DONE_QUERY).as_deref() == Some(what))
}

/// A labelled input with the message for its field, if the last submission was refused on it.
/// `field` is the name the server's errors use (`lots[0].budget`); `name` is the form's.
#[component]
pub(super) fn Field(
    #[prop(into)] name: String,
    #[prop(into)] field: String,
    label: Signal<&'static str>,
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] autocomplete: &'static str,
    /// What the field shows first (a saved draft's value).
    #[prop(optional, into)]
    value: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{}", field_id(&field));
    let hint_id = format!("{id}-error");
    let message = Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.for_field(&field).map(|t| t.get(lang.get()).to_string()))
    });
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=hint_id.clone()
            />
            <p class="field-error" id=hint_id role="status">{message}</p>
        </div>
    }
}

/// An element id for a field name: `lots[0].budget` becomes `lots-0-budget`.
pub(super) fn field_id(field: &str) -> String {
    let mut id = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// A message for errors that concern no single field.
#[component]
pub(super) fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let message = move || {
        error
            .get()
            .filter(|e| {
                !matches!(
                    e,
                    AppError::Fields { .. } | AppError::Invalid { field: Some(_), .. }
                )
            })
            .map(|e| e.message(lang.get()))
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="notice notice-error" role="alert" data-testid="form-error">{message}</p>
        </Show>
    }
}

/// What every form that signs someone in shares (register, sign in, accept an invitation):
/// a notice when someone is already signed in. On success the server sends the browser on to
/// the account page.
pub(super) fn use_sign_in() -> impl IntoView {
    let lang = use_lang();
    let session = Resource::new(|| (), |_| get_session());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                session.await.ok().flatten().map(|s| view! {
                    <p class="notice" data-testid="signed-in">
                        {move || texts(lang.get()).signed_in_as}{s.display_name.clone()}" · "
                        <A href="/account">{move || texts(lang.get()).go_to_account}</A>
                    </p>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let action = ServerAction::<RegisterSupplier>::new();
    let error = last_error(action.value());
    view! {
        <h1>{move || t().register_title}</h1>
        <p>{move || t().register_intro}</p>
        {use_sign_in()}
        <ActionForm action=action attr:class="form" attr:data-testid="register-form">
            <FormError error />
            <Field name="form[organisation_name]" field="organisation_name" label=Signal::derive(move || t().field_organisation_name) error autocomplete="organization" />
            <Field name="form[credit_code]" field="credit_code" label=Signal::derive(move || t().field_credit_code) error />
            <Field name="form[contact_name]" field="contact_name" label=Signal::derive(move || t().field_contact_name) error autocomplete="name" />
            <Field name="form[email]" field="email" label=Signal::derive(move || t().field_email) error kind="email" autocomplete="email" />
            <Field name="form[password]" field="password" label=Signal::derive(move || t().field_password) error kind="password" autocomplete="new-password" />
            <button type="submit" class="primary">{move || t().register_submit}</button>
        </ActionForm>
        <p>
            <A href="/login">{move || t().nav_sign_in}</A>
        </p>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let action = ServerAction::<Login>::new();
    let error = last_error(action.value());
    view! {
        <h1>{move || t().sign_in_title}</h1>
        {use_sign_in()}
        <ActionForm action=action attr:class="form" attr:data-testid="login-form">
            <FormError error />
            <Field name="email" field="email" label=Signal::derive(move || t().field_email) error kind="email" autocomplete="username" />
            <Field name="password" field="password" label=Signal::derive(move || t().field_password) error kind="password" autocomplete="current-password" />
            <button type="submit" class="primary">{move || t().sign_in_submit}</button>
        </ActionForm>
        <p>
            {move || t().no_account}" "
            <A href="/register">{move || t().nav_register}</A>
        </p>
    }
}

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
                                <p><A href="/admin">{move || t().nav_admin}</A></p>
                            })}
                            {(role == Role::AgencyProcurement).then(|| view! {
                                <p><A href="/agency/tenders">{move || t().nav_agency_tenders}</A></p>
                            })}
                            {matches!(role, Role::AgencyProcurement | Role::AgencyFinance).then(|| view! {
                                <p><A href="/agency/contracts">{move || crate::i18n::tr(lang.get(), "合同与付款", "Contracts and payments")}</A></p>
                            })}
                            {matches!(role, Role::SupplierOwner | Role::SupplierMember).then(|| view! {
                                <p><A href="/watchlist">{move || t().watchlist_title}</A></p>
                                <p><A href="/receivables">{move || crate::i18n::tr(lang.get(), "我的应收款", "My receivables")}</A></p>
                            })}
                            {(role == Role::SupplierOwner).then(|| view! { <SmeDeclarationSection profile /> })}
                            {matches!(role, Role::SupplierOwner | Role::SupplierMember)
                                .then(|| view! { <CapabilitySection profile /> })}
                            {(role == Role::SupplierOwner).then(|| view! { <InviteMemberSection /> })}
                            <ChangePasswordSection />
                        }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <p>{move || t().please_sign_in}" "<A href="/login">{move || t().nav_sign_in}</A></p>
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
pub(super) struct ProfileResources {
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
