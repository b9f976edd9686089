//! Registration, sign-in and the supplier's account page. Forms post to server functions, so
//! each post comes back as a page; with JavaScript, what was typed into a refused form comes
//! back too (`crate::ui::keeper`).

use crate::i18n::texts;
use crate::server_fns::accounts::Login;
use crate::ui::components::forms::last_error;
use crate::ui::components::forms::use_sign_in;
use crate::ui::components::forms::Field;
use crate::ui::components::forms::FormError;
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;

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
            <A href=crate::paths::REGISTER>{move || t().nav_register}</A>
        </p>
    }
}
