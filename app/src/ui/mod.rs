//! Pages and components. Pages render on the server only (Leptos islands): links and forms are
//! plain HTML that work without JavaScript, and a form post is answered with a redirect back to
//! the page (or to where the action leads), with `done=<action>` on success or the error in the
//! address. The wasm hydrates only the `#[island]` components: the hydration marker below (which
//! also puts back what was typed into a refused form, `keeper`), the deadline countdown and the
//! bid form's autosave.

mod components;
mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

use crate::i18n::{texts, tr};
use crate::paths;
pub use components::lang::{use_lang, LangSwitch};
use components::notices::NotFound;

/// The HTML document around the app, rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = components::lang::request_lang();
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.ico" sizes="any" />
                <link rel="stylesheet" href="/pkg/fairtender.css" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
                // Last in the document: islands hydrate in document order.
                <HydrationMark />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from this site or carrying this response's
/// nonce (Leptos puts it on the hydration and resource scripts it writes inline), the wasm
/// compiled by the browser ('wasm-unsafe-eval', which allows nothing for JavaScript), and no
/// framing (clickjacking).
#[cfg(feature = "ssr")]
fn content_security_policy() {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = components::lang::provide_lang();
    let t = move || texts(lang.get());

    view! {
        // A plain string, not a closure: leptos_meta renders the title into <head> after the
        // page's reactive owner is gone, and a closure reading `lang` then panics under load
        // (found by the benchmark).
        <Title text=texts(lang.get_untracked()).site_name />
        <Router>
            <a class="skip-link" href="#main">{move || t().skip_to_content}</a>
            <header class="site-header">
                <A href=paths::HOME attr:class="brand">{move || t().site_name}</A>
                <nav aria-label=move || t().nav_label>
                    <A href=paths::HOME>{move || t().nav_home}</A>
                    <A href=paths::PAYMENTS>{move || tr(lang.get(), "付款公示", "Payments")}</A>
                    <A href=paths::ACCOUNT>{move || t().nav_account}</A>
                </nav>
                <LangSwitch />
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    // The patterns are `paths::PAGE_ROUTES` (the macro takes no constant); a test
                    // in `paths.rs` reads this file and fails when the two lists differ.
                    <Route path=path!("") view=pages::home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/tenders/:id") view=pages::tender::TenderPage ssr=SsrMode::Async />
                    <Route path=path!("/tenders/:id/bid") view=pages::bid::BidPage ssr=SsrMode::Async />
                    <Route path=path!("/receipts/verify") view=pages::receipt::ReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("/agency/tenders/:id/evaluation") view=pages::evaluation::EvaluationPage ssr=SsrMode::Async />
                    <Route path=path!("/agency/contracts") view=pages::agency_contracts::AgencyContractsPage ssr=SsrMode::Async />
                    <Route path=path!("/contracts/:id") view=pages::contract::ContractPage ssr=SsrMode::Async />
                    <Route path=path!("/receivables") view=pages::receivables::ReceivablesPage ssr=SsrMode::Async />
                    <Route path=path!("/payments") view=pages::payments::TimelinessPage ssr=SsrMode::Async />
                    <Route path=path!("/open-data") view=pages::open_data::OpenDataPage />
                    <Route path=path!("/register") view=pages::register::RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=pages::login::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=pages::account::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=pages::admin::AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/agency/tenders") view=pages::agency_tenders::AgencyTendersPage ssr=SsrMode::Async />
                    <Route path=path!("/agency/tenders/:id") view=pages::tender_edit::TenderEditPage ssr=SsrMode::Async />
                    <Route path=path!("/watchlist") view=pages::watchlist::WatchlistPage ssr=SsrMode::Async />
                    <Route path=path!("/invite/:token") view=pages::invitation::InvitationPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{move || t().footer}</p>
                <p><A href=paths::OPEN_DATA>{move || tr(lang.get(), "开放数据与接口", "Open data and API")}</A></p>
            </footer>
        </Router>
    }
}

/// Sets `data-hydrated="true"` on `<body>` once the wasm has hydrated every island before it
/// (this one is last in the document) and put back what was typed into a refused form
/// (`keeper`). Effects run only in the browser, so the server's HTML never has it: the browser
/// tests use it as proof of hydration.
#[island]
fn HydrationMark() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        components::keeper::start();
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
