//! `/receipts/verify` checks a receipt for anyone. The receipt is posted (issue #35: an address
//! lands in proxy logs); without JavaScript the server sends the page back with what it found,
//! signed, in the address (`paths::query::RECEIPT_CHECK`), never the receipt.

use crate::i18n::tr;
use crate::server_fns::bids::{receipt_check_result, VerifyReceipt};
use crate::ui::components::forms::{last_error, FormError};
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let verify = ServerAction::<VerifyReceipt>::new();
    let error = last_error(verify.value());
    let token = move || {
        query
            .with(|q| q.get(crate::paths::query::RECEIPT_CHECK))
            .filter(|r| !r.trim().is_empty())
    };
    let check = Resource::new(token, |token| async move {
        match token {
            Some(t) => receipt_check_result(t).await.ok().flatten(),
            None => None,
        }
    });
    view! {
        <h1>{move || tr(lang.get(), "核验投标回执", "Check a submission receipt")}</h1>
        <p>{move || tr(
            lang.get(),
            "回执由平台以 Ed25519 签名：核验签名，并确认平台收到了回执所载的投标版本。",
            "Receipts are signed by the platform (Ed25519): this checks the signature and that the platform holds the bid version the receipt names.",
        )}</p>
        <ActionForm action=verify attr:class="form" attr:data-testid="verify-form">
            <FormError error />
            <div class="field">
                <label for="f-receipt">{move || tr(lang.get(), "投标回执", "Receipt")}</label>
                <textarea id="f-receipt" name=crate::paths::query::RECEIPT rows="4" aria-describedby="f-receipt-error"></textarea>
                <p class="field-error" id="f-receipt-error" role="status">{move || error.get().and_then(|e| e.for_field("receipt").map(|m| m.get(lang.get()).to_string()))}</p>
            </div>
            <button type="submit">{move || tr(lang.get(), "核验", "Check")}</button>
        </ActionForm>
        <Suspense>
            {move || Suspend::new(async move {
                check.await.map(|r| {
                    let message = r.message.clone();
                    view! {
                        <div class=if r.valid { "notice" } else { "notice notice-error" } role="status" data-testid="receipt-check" data-valid=r.valid.to_string()>
                            <p>{move || message.get(lang.get()).to_string()}</p>
                            {r.tender_title.map(|t| view! { <p class="muted">{t}</p> })}
                        </div>
                    }
                })
            })}
        </Suspense>
    }
}
