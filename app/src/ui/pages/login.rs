//! Registration, sign-in and the supplier's account page. Forms post to server functions, so
//! each post comes back as a page; with JavaScript, what was typed into a refused form comes
//! back too (`crate::ui::keeper`).

use crate::i18n::texts;
use crate::server_fns::accounts::Login;
use crate::server_fns::recovery::LoginWithRecoveryCode;
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
    let recovery = ServerAction::<LoginWithRecoveryCode>::new();
    let recovery_error = last_error(recovery.value());
    let tr = move |zh, en| crate::i18n::tr(lang.get(), zh, en);
    view! {
        <h1>{move || t().sign_in_title}</h1>
        {use_sign_in()}
        <ActionForm action=action attr:class="form" attr:data-testid="login-form">
            <FormError error />
            <Field name="email" field="email" label=Signal::derive(move || t().field_email) error kind="email" autocomplete="username" />
            <Field name="password" field="password" label=Signal::derive(move || t().field_password) error kind="password" autocomplete="current-password" />
            <button type="submit" class="primary">{move || t().sign_in_submit}</button>
        </ActionForm>
        // Issue #35: the owner's way in when password sign-in is kept waiting or the password
        // is lost: one of the recovery codes shown at registration, used up by signing in.
        <details data-testid="recovery-sign-in">
            <summary>{move || tr("忘记密码或登录受阻？使用恢复码", "Password lost or held up? Use a recovery code")}</summary>
            <ActionForm action=recovery attr:class="form" attr:data-testid="recovery-form">
                <FormError error=recovery_error />
                <Field name="email" field="recovery_email" label=Signal::derive(move || t().field_email) error=recovery_error kind="email" autocomplete="username" />
                <Field name="code" field="recovery_code" label=Signal::derive(move || tr("恢复码", "Recovery code")) error=recovery_error autocomplete="off" />
                <button type="submit">{move || tr("使用恢复码", "Use the code")}</button>
            </ActionForm>
        </details>
        <p>
            {move || t().no_account}" "
            <A href=crate::paths::REGISTER>{move || t().nav_register}</A>
        </p>
    }
}
