//! The browser half: hydrates the HTML that the server rendered.

// Hydrating the deepest pages (bid evaluation) nests more view types than the default allows.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::ui::App);
}
