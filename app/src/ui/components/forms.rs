//! Registration, sign-in and the supplier's account page. Forms post to server functions, so
//! each post comes back as a page; with JavaScript, what was typed into a refused form comes
//! back too (`crate::ui::keeper`).

use crate::error::AppError;
use crate::i18n::texts;
use crate::server_fns::accounts::get_session;
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use server_fn::error::ServerFnUrlError;

/// The error of the last submission, if any.
pub(crate) fn last_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// Whether this page was reached by a successful form post of `S`: the server redirected back
/// with `done=<its endpoint>` (`crate::server_fns::respond::respond`).
pub(crate) fn done<S: server_fn::ServerFn>() -> bool {
    done_with(S::PATH.trim_start_matches("/api/"))
}

/// Whether the server redirected back with `done=<what>`.
pub(crate) fn done_with(what: &str) -> bool {
    use_query_map().with_untracked(|q| q.get(crate::paths::query::DONE).as_deref() == Some(what))
}

/// A labelled input with the message for its field, if the last submission was refused on it.
/// `field` is the name the server's errors use (`lots[0].budget`); `name` is the form's.
#[component]
pub(crate) fn Field(
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
pub(crate) fn field_id(field: &str) -> String {
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
pub(crate) fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
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
pub(crate) fn use_sign_in() -> impl IntoView {
    let lang = use_lang();
    let session = Resource::new(|| (), |_| get_session());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                session.await.ok().flatten().map(|s| view! {
                    <p class="notice" data-testid="signed-in">
                        {move || texts(lang.get()).signed_in_as}{s.display_name.clone()}" · "
                        <A href=crate::paths::ACCOUNT>{move || texts(lang.get()).go_to_account}</A>
                    </p>
                })
            })}
        </Suspense>
    }
}

/// The error of a form posted without JavaScript to a plain (non-server-function) route, which
/// answers with a redirect carrying it in the URL, the way Leptos carries server function
/// errors: `(path the form posted to, error)`.
pub(crate) fn error_in_url() -> Option<(String, AppError)> {
    let query = use_query_map().get_untracked();
    let path = query.get(crate::paths::query::ACTION_PATH)?;
    let err = query.get(crate::paths::query::ACTION_ERROR)?;
    Some((path, ServerFnUrlError::<AppError>::decode_err(&err)))
}

/// The error of the upload form that posted to `href`, when the URL carries one.
pub(crate) fn upload_error_for(href: &str) -> Option<AppError> {
    error_in_url()
        .filter(|(path, _)| path == href)
        .map(|(_, e)| e)
}

/// What to say under an upload form's file field: the error's own message for `file`, else its
/// general one.
pub(crate) fn file_error_message(e: &AppError, lang: crate::i18n::Lang) -> String {
    e.for_field("file")
        .map(|m| m.get(lang).to_string())
        .unwrap_or_else(|| e.message(lang))
}
