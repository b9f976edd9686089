//! The parts of the account page beyond sign-in: capability records with their documents,
//! inviting colleagues, and changing the password.

use crate::domain::auth::Role;
use crate::i18n::texts;
use crate::paths;
use crate::server_fns::accounts::get_session;
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub(crate) fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <h1>{move || texts(lang.get()).not_found_title}</h1>
        <p>{move || texts(lang.get()).not_found_body}</p>
        <p>
            <A href=paths::HOME>{move || texts(lang.get()).back_to_list}</A>
        </p>
    }
}

/// An error from a server function, in the reader's language.
#[component]
pub(crate) fn ErrorNotice(error: crate::error::AppError) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice notice-error" role="alert">
            <h2>{move || texts(lang.get()).error_title}</h2>
            <p>{move || error.message(lang.get())}</p>
        </div>
    }
}

/// The new invitation link the server redirected a successful invitation back with
/// (`paths::query::INVITATION`), for the inviter to pass on.
pub(crate) fn invitation_notice() -> impl IntoView {
    let lang = use_lang();
    let link = use_query_map()
        .get_untracked()
        .get(paths::query::INVITATION)
        .filter(|l| l.starts_with(paths::INVITATION_PREFIX));
    link.map(|link| {
        view! {
            <div class="notice" role="status" data-testid="invitation-link">
                <p>{move || texts(lang.get()).invite_link_notice}</p>
                <p><a href=link.clone()><code>{link.clone()}</code></a></p>
            </div>
        }
    })
}

/// Shows `content` to procurement officers, a notice to anyone else.
pub(crate) fn officers_only(
    content: impl Fn() -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let session = Resource::new(|| (), |_| get_session());
    let content = StoredValue::new(content);
    view! {
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(s)) if s.role == Role::AgencyProcurement => content.with_value(|c| c()),
                    Ok(Some(_)) => view! { <p class="notice">{move || t().agency_only}</p> }.into_any(),
                    _ => view! {
                        <p>{move || t().please_sign_in}" "<A href=paths::LOGIN>{move || t().nav_sign_in}</A></p>
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}

/// Issue #34: the marker right after a date counted in working days on a year whose holiday
/// notice is not loaded yet (the date may still move, only earlier, once it is); nothing after
/// a date counted on official years. Muted text, inline: no new landmark.
#[component]
pub(crate) fn ProvisionalMark(date: chrono::NaiveDate, provisional: bool) -> impl IntoView {
    use chrono::Datelike;
    let lang = use_lang();
    provisional.then(|| {
        view! {
            <span class="muted" data-testid="provisional-date">
                {move || {
                    let lang = lang.get();
                    let space = if lang == crate::i18n::Lang::En { " " } else { "" };
                    format!("{space}{}", crate::i18n::provisional_note(lang, date.year()))
                }}
            </span>
        }
    })
}
