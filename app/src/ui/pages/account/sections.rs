//! The parts of the account page beyond sign-in: capability records with their documents,
//! inviting colleagues, and changing the password.

use crate::domain::capability::CapabilityKind;
use crate::error::AppError;
use crate::i18n::texts;
use crate::model::profile::CapabilityView;
use crate::paths;
use crate::server_fns::accounts::{ChangePassword, InviteMember};
use crate::server_fns::profile::ArchiveCapability;
use crate::ui::components::forms::error_in_url;
use crate::ui::components::forms::{last_error, Field, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::invitation_notice;
use crate::ui::components::notices::ErrorNotice;
use leptos::prelude::*;

#[component]
pub fn CapabilitySection(profile: crate::ui::pages::account::ProfileResources) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let (add, archive, overview) = (profile.add, profile.archive, profile.overview);
    let error = last_error(add.value());
    let upload_error = StoredValue::new(error_in_url());
    view! {
        <section aria-labelledby="cap-title" id="capabilities">
            <h2 id="cap-title">{move || t().cap_title}</h2>
            <p>{move || t().cap_intro}</p>
            <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
                {move || Suspend::new(async move {
                    match overview.await.map(|o| o.map(|o| o.capabilities).unwrap_or_default()) {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{move || t().cap_none}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="cards" data-testid="capabilities">
                                {list
                                    .into_iter()
                                    .map(|record| {
                                        let failed = upload_error
                                            .get_value()
                                            .filter(|(path, _)| *path == paths::capability_document(record.id))
                                            .map(|(_, e)| e);
                                        view! { <CapabilityCard record archive upload_error=failed /> }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <h3>{move || t().cap_add_title}</h3>
            <ActionForm action=add attr:class="form" attr:data-testid="capability-form">
                <FormError error />
                <div class="field">
                    <label for="f-kind">{move || t().field_cap_kind}</label>
                    <select id="f-kind" name="form[kind]" aria-describedby="f-kind-error">
                        <option value="">{move || t().choose}</option>
                        {CapabilityKind::ALL
                            .iter()
                            .map(|k| {
                                let k = *k;
                                view! { <option value=k.as_str()>{move || k.name(lang.get())}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p class="field-error" id="f-kind-error" role="status">
                        {move || error.get().and_then(|e| e.for_field("kind").map(|m| m.get(lang.get()).to_string()))}
                    </p>
                </div>
                <Field name="form[title]" field="title" label=Signal::derive(move || t().field_cap_title) error />
                <Field name="form[number]" field="number" label=Signal::derive(move || t().field_cap_number) error />
                <Field name="form[issuer]" field="issuer" label=Signal::derive(move || t().field_cap_issuer) error />
                <Field name="form[valid_until]" field="valid_until" label=Signal::derive(move || t().field_cap_valid_until) error kind="date" />
                <div class="field">
                    <label for="f-details">{move || t().field_cap_details}</label>
                    <textarea id="f-details" name="form[details]" rows="3" aria-describedby="f-details-error"></textarea>
                    <p class="field-error" id="f-details-error" role="status">
                        {move || error.get().and_then(|e| e.for_field("details").map(|m| m.get(lang.get()).to_string()))}
                    </p>
                </div>
                <button type="submit" class="primary">{move || t().cap_submit}</button>
            </ActionForm>
        </section>
    }
}

/// One record: what it says, whether it is still valid, its document, and its two actions.
#[component]
fn CapabilityCard(
    record: CapabilityView,
    archive: ServerAction<ArchiveCapability>,
    upload_error: Option<AppError>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let id = record.id;
    let href = paths::capability_document(id);
    let c = record.capability;
    let kind = c.kind;
    let validity = record.validity;
    let file_id = format!("file-{id}");
    let error_id = format!("file-{id}-error");
    let upload_message = upload_error.map(|e| move || e.message(lang.get()));
    view! {
        <li class="card" id=format!("cap-{id}") data-testid="capability">
            <h3 class="card-title">{c.title}</h3>
            <p class="muted">{move || kind.name(lang.get())}</p>
            <dl class="facts">
                {c.number.map(|n| view! {
                    <div>
                        <dt>{move || t().cap_number}</dt>
                        <dd>{n}</dd>
                    </div>
                })}
                {c.issuer.map(|i| view! {
                    <div>
                        <dt>{move || t().cap_issuer}</dt>
                        <dd>{i}</dd>
                    </div>
                })}
                <div>
                    <dt>{move || t().cap_valid_until}</dt>
                    <dd>
                        {c.valid_until.map(|d| format!("{} ", d.format("%Y-%m-%d")))}
                        <span class=format!("badge validity-{}", validity.as_str()) data-testid="validity">
                            {move || validity.name(lang.get())}
                        </span>
                    </dd>
                </div>
            </dl>
            {(!c.details.is_empty()).then(|| view! { <p class="description">{c.details}</p> })}
            <p>
                {move || t().cap_document}": "
                {match record.document {
                    Some(d) => view! {
                        <a href=d.href rel="external" data-testid="document-link">{d.name}</a>
                        {format!(" ({:.0} KB)", (d.size_bytes as f64 / 1024.0).ceil())}
                    }
                        .into_any(),
                    None => view! { <span>{move || t().cap_no_document}</span> }.into_any(),
                }}
            </p>
            // A plain multipart form: uploads work the same with or without JavaScript.
            <form method="post" action=href enctype="multipart/form-data" class="upload" data-testid="upload-form">
                <div class="field">
                    <label for=file_id.clone()>{move || t().field_file}</label>
                    <input
                        id=file_id
                        type="file"
                        name="file"
                        required
                        accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.zip,.ofd"
                        aria-describedby=error_id.clone()
                        aria-invalid=upload_message.is_some().then_some("true")
                    />
                    <p class="field-error" id=error_id role="status">{upload_message}</p>
                </div>
                <button type="submit">{move || t().cap_upload}</button>
            </form>
            <ActionForm action=archive>
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="secondary">{move || t().cap_archive}</button>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn InviteMemberSection() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let invite = ServerAction::<InviteMember>::new();
    let error = last_error(invite.value());
    view! {
        <section aria-labelledby="members-title">
            <h2 id="members-title">{move || t().members_title}</h2>
            <p>{move || t().members_intro}</p>
            {invitation_notice()}
            <ActionForm action=invite attr:class="form" attr:data-testid="invite-member-form">
                <FormError error />
                <Field name="email" field="email" label=Signal::derive(move || t().field_email) error kind="email" />
                <button type="submit">{move || t().invite_submit_link}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ChangePasswordSection() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let change = ServerAction::<ChangePassword>::new();
    let error = last_error(change.value());
    let done = crate::ui::components::forms::done::<ChangePassword>();
    view! {
        <section aria-labelledby="password-title">
            <h2 id="password-title">{move || t().password_title}</h2>
            <Show when=move || done>
                <p class="notice" role="status" data-testid="password-changed">{move || t().password_changed}</p>
            </Show>
            <ActionForm action=change attr:class="form" attr:data-testid="password-form">
                <FormError error />
                <Field name="current_password" field="current_password" label=Signal::derive(move || t().field_current_password) error kind="password" autocomplete="current-password" />
                <Field name="new_password" field="new_password" label=Signal::derive(move || t().field_new_password) error kind="password" autocomplete="new-password" />
                <button type="submit">{move || t().password_submit}</button>
            </ActionForm>
        </section>
    }
}
