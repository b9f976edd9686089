//! The browser half: hydrates the islands (`#[island]` components) in the HTML the server
//! rendered. Everything else on a page is plain server-rendered HTML and forms, which work
//! without JavaScript; the islands are the few parts that must act in the browser.

// `#[island]` makes each island a `#[wasm_bindgen]` export of the `app` crate; nothing here calls
// into `app`, so it must be named for the linker to keep those exports.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Registers the reactive runtime; the hydration script then finds each <leptos-island>
    // and calls the function the `#[island]` macro exported for it.
    leptos::mount::hydrate_islands();
}
