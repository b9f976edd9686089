//! Keeps what was typed into a form whose post the server refused. Pages render on the server
//! only, so a refused form post comes back as a new page with the error in its address
//! (`__path` = the action, `__err` = the error) and the form as the server last knew it. In the
//! browser, just before a form posts, its fields go to `sessionStorage` (this tab only; never
//! passwords or files); the page that comes back with an error for that action puts them back
//! into the fields the reader has not touched since. Without JavaScript the fields come back as
//! the server knows them. A form marked `data-no-keep` is never kept: the bid form, whose
//! content is sealed and whose draft the server already keeps (R-BID-01).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement,
    Storage, UrlSearchParams,
};

const KEY: &str = "fairtender.refused-form";
const ACTION: &str = "__action";

/// Restores a refused form's fields, then keeps every form's fields as it posts.
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let (Some(document), Ok(Some(storage))) = (window.document(), window.session_storage()) else {
        return;
    };
    restore(&window, &document, &storage);
    let keep = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        {
            keep(&form, &storage);
        }
    });
    // Capture: the fields are read before the browser leaves the page.
    let _ = document.add_event_listener_with_callback_and_bool(
        "submit",
        keep.as_ref().unchecked_ref(),
        true,
    );
    keep.forget();
}

/// The path a form posts to. Read from the attributes, never `form.action` / `form.method`: a
/// field named `method` (the search's procurement-method filter) shadows those properties.
fn action_path(form: &HtmlFormElement) -> Option<String> {
    let base = web_sys::window()?.location().href().ok()?;
    let action = form.get_attribute("action").unwrap_or_default();
    web_sys::Url::new_with_base(&action, &base)
        .ok()
        .map(|u| u.pathname())
}

fn posts(form: &HtmlFormElement) -> bool {
    form.get_attribute("method")
        .is_some_and(|m| m.eq_ignore_ascii_case("post"))
}

fn keep(form: &HtmlFormElement, storage: &Storage) {
    if !posts(form) || form.has_attribute("data-no-keep") {
        return;
    }
    let (Some(action), Ok(kept)) = (action_path(form), UrlSearchParams::new()) else {
        return;
    };
    kept.append(ACTION, &action);
    for (name, value) in fields(form).filter_map(|el| typed(&el)) {
        kept.append(&name, &value);
    }
    let _ = storage.set_item(KEY, &String::from(kept.to_string()));
}

fn fields(form: &HtmlFormElement) -> impl Iterator<Item = Element> {
    let elements = form.elements();
    (0..elements.length()).filter_map(move |i| elements.item(i))
}

/// A field's name and what was typed or chosen; `None` for what is never kept.
fn typed(el: &Element) -> Option<(String, String)> {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        let kind = input.type_();
        let name = input.name();
        return match kind.as_str() {
            "password" | "file" | "hidden" | "submit" | "button" | "reset" | "image" => None,
            "checkbox" | "radio" => input.checked().then(|| (name, input.value())),
            _ => Some((name, input.value())),
        }
        .filter(|(name, _)| !name.is_empty());
    }
    if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
        return Some((area.name(), area.value())).filter(|(n, _)| !n.is_empty());
    }
    let select = el.dyn_ref::<HtmlSelectElement>()?;
    Some((select.name(), select.value())).filter(|(n, _)| !n.is_empty())
}

fn restore(window: &web_sys::Window, document: &Document, storage: &Storage) {
    let kept = storage.get_item(KEY).ok().flatten();
    let _ = storage.remove_item(KEY);
    let (Some(kept), Ok(search)) = (kept, window.location().search()) else {
        return;
    };
    let (Ok(kept), Ok(query)) = (
        UrlSearchParams::new_with_str(&kept),
        UrlSearchParams::new_with_str(&search),
    ) else {
        return;
    };
    let refused = query.get(crate::paths::query::ACTION_ERROR).is_some();
    if !refused || query.get(crate::paths::query::ACTION_PATH) != kept.get(ACTION) {
        return;
    }
    let forms = document.forms();
    for form in (0..forms.length()).filter_map(|i| forms.item(i)) {
        let Ok(form) = form.dyn_into::<HtmlFormElement>() else {
            continue;
        };
        if action_path(&form) != kept.get(ACTION) {
            continue;
        }
        for el in fields(&form) {
            put_back(&el, &kept);
        }
    }
}

/// Puts a kept value back into a field the reader has not changed since the page loaded.
fn put_back(el: &Element, kept: &UrlSearchParams) {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        match input.type_().as_str() {
            "password" | "file" | "hidden" | "submit" | "button" | "reset" | "image" => {}
            "checkbox" | "radio" => {
                if input.checked() == input.default_checked() {
                    let chosen = kept.get_all(&input.name());
                    let chosen = (0..chosen.length())
                        .filter_map(|i| chosen.get(i).as_string())
                        .any(|v| v == input.value());
                    input.set_checked(chosen);
                }
            }
            _ => {
                if let (Some(value), true) = (
                    kept.get(&input.name()),
                    input.value() == input.default_value(),
                ) {
                    input.set_value(&value);
                }
            }
        }
    } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
        let untouched = area.default_value().is_ok_and(|d| d == area.value());
        if let (Some(value), true) = (kept.get(&area.name()), untouched) {
            area.set_value(&value);
        }
    } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        if let Some(value) = kept.get(&select.name()) {
            select.set_value(&value);
        }
    }
}
