//! The page language: chosen with a cookie, switched with a form that works with or without
//! JavaScript.

use leptos::prelude::*;

use crate::api::SetLanguage;
use crate::i18n::{texts, Lang};

#[derive(Clone, Copy)]
struct LangContext(RwSignal<Lang>);

/// The language of the request being rendered (server) or of the page being hydrated (browser).
/// Both read the same source of truth, so the two renders agree.
pub(super) fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        // The server wrote the language into <html lang>.
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }
}

pub(super) fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(request_lang());
    provide_context(LangContext(lang));
    // Keep <html lang> right after an in-page switch (the server sets it on every full load).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let tag = lang.get().tag();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", tag);
        }
    });
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// A one-button form offering the other language.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SetLanguage>::new();
    Effect::new(move |_| {
        if let Some(Ok(chosen)) = action.value().get() {
            lang.set(chosen);
        }
    });
    let other = move || lang.get().other();

    view! {
        <ActionForm action=action attr:class="lang-switch" attr:aria-label=move || texts(lang.get()).switch_language_label>
            <input type="hidden" name="lang" value=move || other().tag() />
            <button type="submit" data-testid="lang-switch" lang=move || other().tag()>
                {move || other().endonym()}
            </button>
        </ActionForm>
    }
}
