//! The administrator's page (agencies and their officers) and the page where an invited person
//! accepts. The server refuses every admin action to anyone else, whatever this page shows.

use crate::i18n::texts;
use crate::server_fns::accounts::AcceptInvitation;
use crate::ui::components::forms::{last_error, use_sign_in, Field, FormError};
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/invite/:token`: the invited person names themselves and chooses a password.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let token = move || {
        use_params_map()
            .get_untracked()
            .get(crate::paths::param::TOKEN)
            .unwrap_or_default()
    };
    let action = ServerAction::<AcceptInvitation>::new();
    let error = last_error(action.value());
    view! {
        <h1>{move || t().invite_title}</h1>
        <p>{move || t().invite_intro}</p>
        {use_sign_in()}
        <ActionForm action=action attr:class="form" attr:data-testid="accept-invitation-form">
            <FormError error />
            <input type="hidden" name="token" value=token() />
            <Field name="display_name" field="display_name" label=Signal::derive(move || t().field_display_name) error autocomplete="name" />
            <Field name="password" field="password" label=Signal::derive(move || t().field_password) error kind="password" autocomplete="new-password" />
            <button type="submit" class="primary">{move || t().invite_accept_submit}</button>
        </ActionForm>
    }
}
