//! The page language: chosen with a cookie, switched with a plain form post (the server sets
//! the cookie and redirects back, and the page renders again in the other language).

use leptos::prelude::*;

use server_fn::ServerFn;

use crate::i18n::{texts, Lang};
use crate::server_fns::SetLanguage;

#[derive(Clone, Copy)]
struct LangContext(RwSignal<Lang>);

/// The language of the request being rendered, from its cookie. Pages render on the server
/// only; the islands, which run in the browser, are given the language as a prop.
pub(crate) fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        // The same reading as the page cache's key (`Lang::from_headers`).
        use_context::<http::request::Parts>()
            .map(|parts| Lang::from_headers(&parts.headers))
            .unwrap_or_default()
    }
    // The wasm build compiles the pages too, but never runs them.
    #[cfg(not(feature = "ssr"))]
    Lang::default()
}

pub(crate) fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(request_lang());
    provide_context(LangContext(lang));
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
    let lang = use_lang().get_untracked();
    let other = lang.other();
    view! {
        <form method="post" action=SetLanguage::url() class="lang-switch" aria-label=texts(lang).switch_language_label>
            <input type="hidden" name="lang" value=other.tag() />
            <button type="submit" data-testid="lang-switch" lang=other.tag()>
                {other.endonym()}
            </button>
        </form>
    }
}
