//! `/tenders/:id/bid`: the supplier prepares, submits, replaces or withdraws its sealed bid and
//! keeps its receipts; after the deadline it sees the opening record, its own scores and the
//! award, and may challenge. `/receipts/verify` checks a receipt for anyone.

use crate::i18n::tr;
use crate::server_fns::bids::verify_receipt;
use crate::ui::components::forms::FormError;
use crate::ui::components::lang::use_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A plain GET form: the receipt goes in the address, and the page checks it as it renders
/// (with or without JavaScript, and a checked receipt's address can be shared).
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let receipt = move || {
        query
            .with(|q| q.get(crate::paths::query::RECEIPT))
            .filter(|r| !r.trim().is_empty())
    };
    let check = Resource::new(receipt, |receipt| async move {
        match receipt {
            Some(r) => Some(verify_receipt(r).await),
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
        <Suspense>
            {move || Suspend::new(async move {
                let result = check.await;
                let error = Signal::derive({
                    let e = result.clone().and_then(|r| r.err());
                    move || e.clone()
                });
                let value = receipt().unwrap_or_default();
                view! {
                    <form method="get" action=crate::paths::RECEIPT_VERIFY class="form" data-testid="verify-form">
                        <FormError error />
                        <div class="field">
                            <label for="f-receipt">{move || tr(lang.get(), "投标回执", "Receipt")}</label>
                            <textarea id="f-receipt" name=crate::paths::query::RECEIPT rows="4" aria-describedby="f-receipt-error">{value}</textarea>
                            <p class="field-error" id="f-receipt-error" role="status">{move || error.get().and_then(|e| e.for_field("receipt").map(|m| m.get(lang.get()).to_string()))}</p>
                        </div>
                        <button type="submit">{move || tr(lang.get(), "核验", "Check")}</button>
                    </form>
                    {result.and_then(|r| r.ok()).map(|r| {
                        let message = r.message.clone();
                        view! {
                            <div class=if r.valid { "notice" } else { "notice notice-error" } role="status" data-testid="receipt-check" data-valid=r.valid.to_string()>
                                <p>{move || message.get(lang.get()).to_string()}</p>
                                {r.tender_title.map(|t| view! { <p class="muted">{t}</p> })}
                            </div>
                        }
                    })}
                }
            })}
        </Suspense>
    }
}
