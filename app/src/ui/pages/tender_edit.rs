//! The procurement officer's pages: the agency's tenders, and the draft form with publication.
//! The form has fixed slots (three lots of four requirements) so it works without JavaScript;
//! empty slots are ignored.

use crate::domain::draft::{CriterionForm, LotForm, TenderDraftForm};
use crate::domain::publication::CriterionKind;
use crate::domain::tender::{Category, Method, TenderStatus};
use crate::error::AppError;
use crate::i18n::{category_name, format_datetime, method_name, status_name, texts, tr};
use crate::paths;
use crate::server_fns::agency::{
    get_tender_draft, CancelTender, PublishClarification, PublishTender, RemoveTenderDocument,
    SaveTenderDraft,
};
use crate::ui::components::forms::{done, field_id, last_error, Field, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::officers_only;
use crate::ui::components::notices::ErrorNotice;
use crate::ui::components::retender_parts::DraftRetenderNote;
use crate::ui::components::review_parts::ReviewSection;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

const LOT_SLOTS: usize = 3;

const CRITERION_SLOTS: usize = 4;

/// `/agency/tenders/:id`, where the id `new` starts a new draft.
#[component]
pub fn TenderEditPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let params = use_params_map();
    let id = move || params.read().get(paths::param::ID).unwrap_or_default();
    // Made here, not inside officers_only's Suspend (see AccountPage, leptos-rs/leptos#3398).
    let remove = ServerAction::<RemoveTenderDocument>::new();
    let draft = Resource::new(id, |id| async move {
        if id == "new" {
            Ok(None)
        } else {
            get_tender_draft(id).await.map(Some)
        }
    });
    // Issue #34: what publication refuses that the platform administrator may let through.
    let desk = Resource::new(id, |id| async move {
        if id == "new" {
            Ok(Default::default())
        } else {
            crate::server_fns::review::get_review_desk(id).await
        }
    });
    view! {
        <h1>{move || t().tender_form_title}</h1>
        <p><A href=paths::AGENCY_TENDERS>{move || t().nav_agency_tenders}</A></p>
        {officers_only(move || {
            if id() == "new" {
                view! { <DraftForm id=String::new() form=new_draft() /> }.into_any()
            } else {
                view! { <ExistingDraft draft desk remove /> }.into_any()
            }
        })}
    }
}

fn new_draft() -> TenderDraftForm {
    TenderDraftForm {
        evaluation: "comprehensive_scoring".into(),
        ..Default::default()
    }
}

#[component]
fn ExistingDraft(
    draft: Resource<Result<Option<crate::model::agency::TenderDraftView>, AppError>>,
    desk: Resource<Result<crate::model::review::ReviewDesk, AppError>>,
    remove: ServerAction<RemoveTenderDocument>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    view! {
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                let desk = desk.await;
                match draft.await.and_then(|d| d.ok_or(AppError::NotFound)) {
                    Ok(d) if d.status == TenderStatus::Draft => {
                        view! {
                            {d.retender_of.map(|of| view! { <DraftRetenderNote of /> })}
                            <DraftForm id=d.id.to_string() form=d.form />
                            <DocumentsSection id=d.id.to_string() documents=d.documents remove />
                            <PublishSection id=d.id.to_string() />
                            <ReviewSection id=d.id.to_string() desk />
                        }
                            .into_any()
                    }
                    Ok(d) => view! {
                        <h2>{move || t().documents_title}</h2>
                        <crate::ui::components::tender_parts::DocumentList documents=d.documents />
                        <p class="notice">
                            {move || status_name(lang.get(), d.status)}" · "
                            <A href=paths::tender(d.id)>{move || t().view_public}</A>
                        </p>
                        {(d.status == TenderStatus::Published).then(|| view! {
                            <ClarifySection id=d.id.to_string() />
                            <super::tender_amend::AmendSection id=d.id.to_string() form=d.form />
                            <CancelSection id=d.id.to_string() />
                        })}
                    }
                        .into_any(),
                    Err(AppError::NotFound) => view! { <p>{move || t().not_found_body}</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A `<select>` whose options are `(value, label)`, with `current` chosen.
fn select(
    name: String,
    field: &str,
    label: Signal<&'static str>,
    current: String,
    options: Vec<(&'static str, Signal<&'static str>)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{}", field_id(field));
    let hint = format!("{id}-error");
    let field = field.to_string();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-describedby=hint.clone()>
                <option value="" selected=current.is_empty()>{move || texts(lang.get()).choose}</option>
                {options
                    .into_iter()
                    .map(|(value, label)| view! { <option value=value selected=value == current>{label}</option> })
                    .collect_view()}
            </select>
            <p class="field-error" id=hint role="status">
                {move || error.get().and_then(|e| e.for_field(&field).map(|m| m.get(lang.get()).to_string()))}
            </p>
        </div>
    }
}

#[component]
fn DraftForm(id: String, form: TenderDraftForm) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let save = ServerAction::<SaveTenderDraft>::new();
    let error = last_error(save.value());
    // A new draft is saved and the server sends the browser to its own page.
    let saved = done::<SaveTenderDraft>();
    view! {
        <ActionForm action=save attr:class="form draft-form" attr:data-testid="draft-form">
            <input type="hidden" name="id" value=id />
            <FormError error />
            <Show when=move || saved>
                <p class="notice" role="status" data-testid="draft-saved">{move || t().draft_saved}</p>
            </Show>
            <TermsFields form error />
            <button type="submit" class="primary">{move || t().save_draft}</button>
        </ActionForm>
    }
}

/// The tender's terms as form fields (`form[...]`): the draft's, and a published tender's in its
/// amendment form (R-TIME-02).
#[component]
pub(super) fn TermsFields(form: TenderDraftForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let categories = Category::ALL
        .iter()
        .map(|c| {
            let c = *c;
            (
                c.as_str(),
                Signal::derive(move || category_name(lang.get(), c)),
            )
        })
        .collect();
    let methods = Method::ALL
        .iter()
        .map(|m| {
            let m = *m;
            (
                m.as_str(),
                Signal::derive(move || method_name(lang.get(), m)),
            )
        })
        .collect();
    let evaluations = vec![
        (
            "comprehensive_scoring",
            Signal::derive(move || t().eval_comprehensive),
        ),
        (
            "lowest_evaluated_price",
            Signal::derive(move || t().eval_lowest),
        ),
    ];
    let mut lots = form.lots.clone();
    lots.resize(LOT_SLOTS.max(lots.len()), LotForm::default());
    let f = form;
    view! {
        <Field name="form[title]" field="title" label=Signal::derive(move || t().field_title) error value=f.title />
        <div class="field">
            <label for="f-description">{move || t().field_description}</label>
            <textarea id="f-description" name="form[description]" rows="4">{f.description}</textarea>
        </div>
        {select("form[category]".into(), "category", Signal::derive(move || t().field_category), f.category, categories, error)}
        {select("form[method]".into(), "method", Signal::derive(move || t().field_method), f.method, methods, error)}
        <Field name="form[region]" field="region" label=Signal::derive(move || t().field_region) error value=f.region />
        <Field name="form[budget]" field="budget" label=Signal::derive(move || t().field_budget) error value=f.budget />
        <Field name="form[bid_deadline]" field="bid_deadline" label=Signal::derive(move || t().field_bid_deadline) error kind="datetime-local" value=f.bid_deadline />
        <Field name="form[bid_security]" field="bid_security" label=Signal::derive(move || t().field_bid_security) error value=f.bid_security />
        <fieldset class="checks" data-testid="bid-security-forms">
            <legend>{move || tr(lang.get(), "投标保证金可用形式（须包括非现金形式，由供应商选择，R-SEC-01、R-PAY-08）", "Forms the bid security may take (a non-cash form among them; the supplier chooses, R-SEC-01, R-PAY-08)")}</legend>
            {crate::domain::payment::SecurityForm::ALL.iter().enumerate().map(|(i, sf)| {
                let sf = *sf;
                let id = format!("f-bid_security_forms-{}", sf.code());
                let checked = f.bid_security_forms.iter().any(|c| c.trim() == sf.code());
                view! {
                    <div class="field checkbox">
                        <input id=id.clone() type="checkbox" name=format!("form[bid_security_forms][{i}]") value=sf.code() checked=checked />
                        <label for=id>{move || sf.label().get(lang.get()).to_string()}</label>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" role="status">{crate::ui::components::contract_parts::field_message(error, "bid_security_forms".into(), lang)}</p>
        </fieldset>
        {select("form[evaluation]".into(), "evaluation", Signal::derive(move || t().field_evaluation), f.evaluation, evaluations, error)}
        <Field name="form[price_weight]" field="price_weight" label=Signal::derive(move || t().field_price_weight) error value=f.price_weight />
        <div class="field checkbox">
            <input id="f-imported_goods" type="checkbox" name="form[imported_goods]" checked=f.imported_goods.is_some() />
            <label for="f-imported_goods">{move || t().field_imported}</label>
        </div>
        <fieldset>
            <legend>{move || t().sme_section}</legend>
            <Field name="form[sme_required_share]" field="sme_required_share" label=Signal::derive(move || t().field_sme_required_share) error value=f.sme_required_share />
            <Field name="form[sme_small_micro_share]" field="sme_small_micro_share" label=Signal::derive(move || t().field_sme_small_micro_share) error value=f.sme_small_micro_share />
            <Field name="form[sme_price_deduction]" field="sme_price_deduction" label=Signal::derive(move || t().field_sme_price_deduction) error value=f.sme_price_deduction />
            <Field name="form[sme_consortium_deduction]" field="sme_consortium_deduction" label=Signal::derive(move || t().field_sme_consortium_deduction) error value=f.sme_consortium_deduction />
        </fieldset>
        <p class="field-error" role="status">
            {move || error.get().and_then(|e| e.for_field("lots").map(|m| m.get(lang.get()).to_string()))}
        </p>
        {lots
            .into_iter()
            .enumerate()
            .map(|(i, lot)| view! { <LotFields i lot error /> })
            .collect_view()}
    }
}

#[component]
fn LotFields(i: usize, lot: LotForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let mut criteria = lot.criteria.clone();
    criteria.resize(
        CRITERION_SLOTS.max(criteria.len()),
        CriterionForm::default(),
    );
    let reserved_id = format!("f-lots-{i}-reserved");
    let small_micro_id = format!("f-lots-{i}-small_micro_only");
    let kinds = move || {
        CriterionKind::ALL
            .iter()
            .map(|k| {
                let k = *k;
                (k.as_str(), Signal::derive(move || k.name(lang.get())))
            })
            .collect::<Vec<_>>()
    };
    view! {
        <fieldset class="lot-fields" data-testid=format!("lot-{i}")>
            <legend>{move || t().lot_heading}" "{i + 1}</legend>
            <Field name=format!("form[lots][{i}][title]") field=format!("lots[{i}].title") label=Signal::derive(move || t().field_lot_title) error value=lot.title />
            <Field name=format!("form[lots][{i}][budget]") field=format!("lots[{i}].budget") label=Signal::derive(move || t().field_lot_budget) error value=lot.budget />
            <div class="field checkbox">
                <input id=reserved_id.clone() type="checkbox" name=format!("form[lots][{i}][reserved]") checked=lot.reserved.is_some() />
                <label for=reserved_id>{move || t().field_lot_reserved}</label>
            </div>
            // R-SME-02: at least 60% of the reserve reaches small and micro firms.
            <div class="field checkbox">
                <input id=small_micro_id.clone() type="checkbox" name=format!("form[lots][{i}][small_micro_only]") checked=lot.small_micro_only.is_some() />
                <label for=small_micro_id>{move || crate::i18n::tr(lang.get(), "仅限小微企业投标（R-SME-02：预留份额中至少 60% 给小微企业）", "Small and micro firms only (R-SME-02: at least 60% of the reserve goes to them)")}</label>
            </div>
            // R-SME-05: in a re-tender, the failed lot this lot takes up (kept as the draft is
            // saved; only the tender's stored link gives it effect).
            {(!lot.retender_lot.is_empty()).then(|| view! {
                <input type="hidden" name=format!("form[lots][{i}][retender_lot]") value=lot.retender_lot.clone() />
            })}
            {criteria
                .into_iter()
                .enumerate()
                .map(|(j, c)| {
                    let base = format!("lots[{i}].criteria[{j}]");
                    let name = format!("form[lots][{i}][criteria][{j}]");
                    view! {
                        <div class="criterion">
                            <p class="muted">{move || t().criterion_heading}" "{j + 1}</p>
                            {select(format!("{name}[kind]"), &format!("{base}.kind"), Signal::derive(move || t().field_criterion_kind), c.kind, kinds(), error)}
                            <Field name=format!("{name}[requirement]") field=format!("{base}.requirement") label=Signal::derive(move || t().field_criterion_requirement) error value=c.requirement />
                            <Field name=format!("{name}[weight]") field=format!("{base}.weight") label=Signal::derive(move || t().field_criterion_weight) error value=c.weight />
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// The draft's documents: a plain multipart form uploads (with or without JavaScript; a refused
/// file comes back in the URL and shows on the field), and each can be taken off before
/// publication.
#[component]
fn DocumentsSection(
    id: String,
    documents: Vec<crate::model::tenders::TenderDocumentView>,
    remove: ServerAction<RemoveTenderDocument>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let href = paths::tender_upload(id.parse::<uuid::Uuid>().unwrap_or_default());
    let upload_error = crate::ui::components::forms::upload_error_for(&href);
    let invalid = upload_error.is_some().then_some("true");
    let remove_error = last_error(remove.value());
    let upload_message = move || {
        upload_error
            .as_ref()
            .map(|e| crate::ui::components::forms::file_error_message(e, lang.get()))
    };

    view! {
        <section aria-labelledby="documents-title" id="documents">
            <h2 id="documents-title">{move || t().documents_title}</h2>
            <p>{move || t().documents_intro}</p>
            <FormError error=remove_error />
            {if documents.is_empty() {
                view! { <p class="empty">{move || t().documents_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="documents" data-testid="draft-documents">
                        {documents.into_iter().map(|d| {
                            let tender = id.clone();
                            view! {
                                <li>
                                    <a href=d.href rel="external">{d.name.clone()}</a>
                                    {format!(" ({:.0} KB) ", (d.size_bytes as f64 / 1024.0).ceil())}
                                    // Issue #34: warned before publishing that this one is not checked.
                                    {d.not_checked.then(|| view! {
                                        <strong class="not-checked" data-testid="document-not-checked">{move || t().document_not_checked}</strong>
                                        <span class="muted">{move || tr(
                                            lang.get(),
                                            "（发布时不会检查其中的条件，公开页面也会如此标明。请上传带文字层的版本。）",
                                            " (publication cannot check its conditions, and the public page will say so. Upload a version with a text layer.) ",
                                        )}</span>
                                    })}
                                    <ActionForm action=remove attr:class="inline">
                                        <input type="hidden" name="tender" value=tender />
                                        <input type="hidden" name="document" value=d.id.to_string() />
                                        <button type="submit" class="secondary" aria-label=move || format!("{} {}", t().document_remove, d.name)>
                                            {move || t().document_remove}
                                        </button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <form method="post" action=href enctype="multipart/form-data" class="upload" data-testid="tender-upload-form">
                <div class="field">
                    <label for="f-tender-file">{move || t().field_file}</label>
                    <input
                        id="f-tender-file"
                        type="file"
                        name="file"
                        required
                        accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.zip,.ofd"
                        aria-describedby="f-tender-file-error"
                        aria-invalid=invalid
                    />
                    <p class="field-error" id="f-tender-file-error" role="status">{upload_message}</p>
                </div>
                <button type="submit">{move || t().document_upload}</button>
            </form>
        </section>
    }
}

#[component]
fn PublishSection(id: String) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let publish = ServerAction::<PublishTender>::new();
    let problems = move || match publish.value().get() {
        Some(Err(AppError::Fields { errors })) => errors
            .into_iter()
            .map(|e| (e.field, e.message.get(lang.get()).to_string()))
            .collect(),
        Some(Err(e)) => vec![(String::new(), e.message(lang.get()))],
        _ => Vec::new(),
    };
    view! {
        <section aria-labelledby="publish-title">
            <h2 id="publish-title">{move || t().publish}</h2>
            <p>{move || t().publish_intro}</p>
            <Show when=move || !problems().is_empty()>
                <div class="notice notice-error" role="alert" data-testid="publish-problems">
                    <p>{move || t().publish_problems}</p>
                    <ul>
                        {move || problems()
                            .into_iter()
                            .map(|(field, message)| view! { <li><code>{field}</code>" "{message}</li> })
                            .collect_view()}
                    </ul>
                </div>
            </Show>
            <ActionForm action=publish attr:data-testid="publish-form">
                <input type="hidden" name="id" value=id />
                <button type="submit" class="primary">{move || t().publish}</button>
            </ActionForm>
        </section>
    }
}

/// Clarifications and amendments after publication (R-TIME-02 moves the deadline if needed).
#[component]
fn ClarifySection(id: String) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let clarify = ServerAction::<PublishClarification>::new();
    let error = last_error(clarify.value());
    // The server redirects back with the deadline after the clarification.
    let published = done::<PublishClarification>()
        .then(|| use_query_map().with_untracked(|q| q.get(paths::query::DEADLINE)))
        .flatten()
        .and_then(|d| chrono::DateTime::parse_from_rfc3339(&d).ok())
        .map(|d| format_datetime(d.with_timezone(&chrono::Utc)));
    view! {
        <section aria-labelledby="clarify-title">
            <h2 id="clarify-title">{move || t().clarify_title}</h2>
            {published.map(|deadline| view! {
                <p class="notice" role="status" data-testid="clarified">{move || t().clarified_notice}{deadline}</p>
            })}
            <ActionForm action=clarify attr:class="form" attr:data-testid="clarify-form">
                <FormError error />
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="f-body">{move || t().field_clarification}</label>
                    <textarea id="f-body" name="body" rows="4" aria-describedby="f-body-error"></textarea>
                    <p class="field-error" id="f-body-error" role="status">
                        {move || error.get().and_then(|e| e.for_field("body").map(|m| m.get(lang.get()).to_string()))}
                    </p>
                </div>
                <div class="field checkbox">
                    <input id="f-affects_bids" type="checkbox" name="affects_bids" />
                    <label for="f-affects_bids">{move || t().field_affects_bids}</label>
                </div>
                <button type="submit">{move || t().clarify_submit}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn CancelSection(id: String) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let cancel = ServerAction::<CancelTender>::new();
    let error = last_error(cancel.value());
    view! {
        <section aria-labelledby="cancel-title">
            <h2 id="cancel-title">{move || t().cancel_title}</h2>
            <ActionForm action=cancel attr:class="form" attr:data-testid="cancel-form">
                <FormError error />
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="f-reason">{move || t().field_cancel_reason}</label>
                    <textarea id="f-reason" name="reason" rows="3" aria-describedby="f-reason-error"></textarea>
                    <p class="field-error" id="f-reason-error" role="status">
                        {move || error.get().and_then(|e| e.for_field("reason").map(|m| m.get(lang.get()).to_string()))}
                    </p>
                </div>
                <button type="submit" class="secondary">{move || t().cancel_submit}</button>
            </ActionForm>
        </section>
    }
}
