//! Registration, sign-in and the supplier's account page. Forms post to server functions, so
//! each post comes back as a page; with JavaScript, what was typed into a refused form comes
//! back too (`crate::ui::keeper`).

use crate::i18n::texts;
use crate::server_fns::accounts::RegisterSupplier;
use crate::ui::components::forms::last_error;
use crate::ui::components::forms::use_sign_in;
use crate::ui::components::forms::Field;
use crate::ui::components::forms::FormError;
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;

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
            <A href=crate::paths::LOGIN>{move || t().nav_sign_in}</A>
        </p>
    }
}
