//! `/tenders/:id/bid`: the supplier prepares, submits, replaces or withdraws its sealed bid and
//! keeps its receipts; after the deadline it sees the opening record, its own scores and the
//! award, and may challenge. `/receipts/verify` checks a receipt for anyone.

use crate::error::AppError;
use crate::i18n::{format_datetime, texts, tr, Lang};
use crate::model::bids::{BidDesk, BidDocumentView, ChallengeSubject, ChallengeWindowView};
use crate::paths;
use crate::server_fns::bids::{
    get_bid_desk, FileChallenge, RemoveBidDocument, SaveBidDraft, SubmitBid, WithdrawBid,
};
use crate::ui::components::bid_security::{OwnSecurity, SecurityFormChoice};
use crate::ui::components::forms::{done, done_with, field_id, last_error, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::{ErrorNotice, ProvisionalMark};
use crate::ui::components::sme_partners::PartnerFields;
use crate::ui::components::tender_parts::lot_state_name;
use crate::ui::components::tender_parts::ScoreBreakdown;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn BidPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let params = use_params_map();
    let id = move || params.read().get(paths::param::ID).unwrap_or_default();
    let send = ServerAction::<SubmitBid>::new();
    let withdraw = ServerAction::<WithdrawBid>::new();
    let challenge = ServerAction::<FileChallenge>::new();
    let remove = ServerAction::<RemoveBidDocument>::new();
    let desk = Resource::new(id, get_bid_desk);
    view! {
        <p>
            <A href=move || paths::tender(id())>{move || tr(lang.get(), "返回采购公告", "Back to the tender")}</A>
        </p>
        <h1>{move || tr(lang.get(), "我的投标", "My bid")}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! { <Desk desk send withdraw challenge remove /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>{move || t().please_sign_in}" "<A href=paths::LOGIN>{move || t().nav_sign_in}</A></p>
                    }
                        .into_any(),
                    Err(AppError::Forbidden) => view! { <p class="notice">{move || t().suppliers_only}</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Desk(
    desk: BidDesk,
    send: ServerAction<SubmitBid>,
    withdraw: ServerAction<WithdrawBid>,
    challenge: ServerAction<FileChallenge>,
    remove: ServerAction<RemoveBidDocument>,
) -> impl IntoView {
    let lang = use_lang();
    let error = last_error(send.value());
    let withdraw_error = last_error(withdraw.value());
    let tender_id = desk.tender.id.to_string();
    // The form posts and the server redirects back with what was done: the newest receipt
    // after a submission, a note after Save draft.
    let saved = done_with(paths::done::SAVED_DRAFT);
    let receipt = done::<SubmitBid>()
        .then(|| desk.submissions.iter().max_by_key(|s| s.version).cloned())
        .flatten();
    let open = desk.open;
    let size = desk.size_class;
    let records = desk.records.clone();
    view! {
        <p class="muted">
            <strong>{desk.tender.title.clone()}</strong>" · "{move || texts(lang.get()).bid_deadline}": "
            {format_datetime(desk.tender.bid_deadline)}
        </p>
        {desk.cancelled.then(|| view! { <p class="notice notice-error">{move || tr(lang.get(), "该项目已取消。", "This tender was cancelled.")}</p> })}
        <p data-testid="bid-status">
            {
                let (versions, withdrawn) = (desk.submitted_versions, desk.withdrawn);
                move || match (versions, withdrawn) {
                    (0, _) => tr(lang.get(), "尚未提交。投标在截止前对任何人保密（R-BID-01）。", "Not submitted yet. Until the deadline your bid is sealed from everyone (R-BID-01).").to_string(),
                    (_, true) => tr(lang.get(), "已撤回：截止前可以重新提交。", "Withdrawn: you may submit again before the deadline.").to_string(),
                    (n, false) => match lang.get() {
                        Lang::ZhCn => format!("已提交第 {n} 版：以最后提交的版本为准。"),
                        Lang::En => format!("Version {n} submitted: the last submitted version counts."),
                    },
                }
            }
        </p>
        <p class="muted">
            {move || tr(lang.get(), "中小企业声明函：", "SME declaration: ")}
            {move || match size {
                Some(c) => format!("{} {}", c.name(lang.get()), tr(lang.get(), "（随投标自动附上，R-SME-04）", "(attached to the bid automatically, R-SME-04)")),
                None => tr(lang.get(), "未声明（可在“我的账户”声明）", "none (declare on your account page)").to_string(),
            }}
        </p>
        {receipt.map(|r| view! {
            <div class="notice" role="status" data-testid="receipt">
                <p><strong>{move || tr(lang.get(), "投标已提交。请保存回执：", "Bid submitted. Keep your receipt:")}</strong></p>
                <p class="muted">{format_datetime(r.submitted_at)}" · SHA-256 "<code>{r.digest.clone()}</code></p>
                <textarea readonly rows="3" aria-label=move || tr(lang.get(), "投标回执", "Submission receipt")>{r.receipt.clone()}</textarea>
            </div>
        })}
        <BidDocuments tender=desk.tender.id.into() documents=desk.documents.clone() open remove />
        {open.then(|| {
            let f = desk.form.clone();
            let lots = desk.lots.clone();
            // R-SME-02: the lots that ask a share all ask the tender's one figure.
            let share_demand = lots.iter().find_map(|l| l.share_demand);
            view! {
                <DraftAutosave lang=lang.get_untracked()>
                <ActionForm action=send attr:class="form bid-form" attr:data-testid="bid-form" attr:data-no-keep="">
                    <input type="hidden" name="tender" value=tender_id.clone() />
                    <input type="hidden" name="seen_versions" value=desk.submitted_versions.to_string() />
                    <FormError error />
                    <p class="field-error" role="status">{move || error.get().and_then(|e| e.for_field("lots").map(|m| m.get(lang.get()).to_string()))}</p>
                    {lots.into_iter().enumerate().map(|(i, lot)| {
                        let offer = f.lots.get(i).cloned().unwrap_or_default();
                        let include_id = format!("f-lots-{i}-include");
                        let price_field = format!("lots[{i}].price");
                        let price_id = format!("f-{}", field_id(&price_field));
                        let price_msg = {
                            let price_field = price_field.clone();
                            move || error.get().and_then(|e| e.for_field(&price_field).map(|m| m.get(lang.get()).to_string()))
                        };
                        let lot_msg = move || error.get().and_then(|e| e.for_field(&format!("lots[{i}]")).map(|m| m.get(lang.get()).to_string()));
                        let ceiling = lot.ceiling.format_cny();
                        let records = records.clone();
                        view! {
                            <fieldset class="lot" data-testid="bid-lot">
                                <legend>{lot.title.clone()}</legend>
                                <p class="muted">
                                    {move || tr(lang.get(), "最高限价 ", "Ceiling ")}{ceiling.clone()}
                                    {(lot.reserved && !lot.small_micro_only).then(|| view! { " · "<span class="badge">{move || tr(lang.get(), "专门面向中小企业", "Reserved for SMEs")}</span> })}
                                    {lot.small_micro_only.then(|| view! { " · "<span class="badge">{move || tr(lang.get(), "专门面向小微企业（R-SME-02）", "Reserved for small and micro firms (R-SME-02)")}</span> })}
                                </p>
                                <p class="field-error" role="status">{lot_msg}</p>
                                <div class="field checkbox">
                                    <input id=include_id.clone() type="checkbox" name=format!("form[lots][{i}][include]") checked=offer.include.is_some() />
                                    <label for=include_id>{move || tr(lang.get(), "投此包", "Bid on this lot")}</label>
                                </div>
                                <div class="field">
                                    <label for=price_id.clone()>{move || tr(lang.get(), "报价（元）", "Price (CNY)")}</label>
                                    <input id=price_id.clone() name=format!("form[lots][{i}][price]") inputmode="decimal" value=offer.price.clone()
                                        aria-describedby=format!("{price_id}-error") />
                                    <p class="field-error" id=format!("{price_id}-error") role="status">{price_msg}</p>
                                </div>
                                {lot.criteria.iter().enumerate().map(|(j, c)| {
                                    let sel_id = format!("f-lots-{i}-answers-{j}");
                                    let chosen = offer.answers.get(j).cloned().unwrap_or_default();
                                    let answer_field = format!("lots[{i}].answers[{j}]");
                                    let msg = move || error.get().and_then(|e| e.for_field(&answer_field).map(|m| m.get(lang.get()).to_string()));
                                    let requirement = c.requirement.clone();
                                    let kind = c.kind;
                                    view! {
                                        <div class="field">
                                            <label for=sel_id.clone()>{move || kind.name(lang.get())}": "{requirement.clone()}</label>
                                            <select id=sel_id.clone() name=format!("form[lots][{i}][answers][{j}]") aria-describedby=format!("{sel_id}-error")>
                                                <option value="" selected=chosen.is_empty()>{move || tr(lang.get(), "（在技术方案中说明）", "(explained in the proposal)")}</option>
                                                {records.iter().map(|r| {
                                                    let label = if r.expired { format!("{} ⚠", r.label) } else { r.label.clone() };
                                                    view! { <option value=r.id.to_string() selected=chosen == r.id.to_string()>{label}</option> }
                                                }).collect_view()}
                                            </select>
                                            <p class="field-error" id=format!("{sel_id}-error") role="status">{msg}</p>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                        }
                    }).collect_view()}
                    <div class="field">
                        <label for="f-proposal">{move || tr(lang.get(), "技术方案", "Technical proposal")}</label>
                        <textarea id="f-proposal" name="form[proposal]" rows="6" aria-describedby="f-proposal-error">{f.proposal.clone()}</textarea>
                        <p class="field-error" id="f-proposal-error" role="status">{move || error.get().and_then(|e| e.for_field("proposal").map(|m| m.get(lang.get()).to_string()))}</p>
                    </div>
                    {desk.bid_security.map(|amount| view! {
                        <SecurityFormChoice amount forms=desk.bid_security_forms.clone() chosen=f.bid_security_form.clone() error />
                    })}
                    <PartnerFields partners=f.partners.clone() demand=share_demand size error />
                    <div class="actions">
                        <button type="submit" name="intent" value="save" class="secondary">
                            {move || tr(lang.get(), "保存草稿", "Save draft")}
                        </button>
                        <button type="submit" name="intent" value="submit" data-testid="submit-bid">
                            {move || if desk.submitted_versions > 0 && !desk.withdrawn { tr(lang.get(), "提交新版本", "Submit a new version") } else { tr(lang.get(), "提交投标", "Submit bid") }}
                        </button>
                        <span class="muted" role="status">{move || saved.then(|| tr(lang.get(), "草稿已保存。", "Draft saved."))}</span>
                    </div>
                    {desk.unsubmitted_changes.then(|| view! { <p class="muted">{move || tr(lang.get(), "草稿有尚未提交的修改。", "The draft has changes not yet submitted.")}</p> })}
                </ActionForm>
                </DraftAutosave>
            }
        })}
        {(open && desk.submitted_versions > 0 && !desk.withdrawn).then(|| view! {
            <ActionForm action=withdraw attr:class="inline" attr:data-testid="withdraw-form">
                <input type="hidden" name="tender" value=desk.tender.id.to_string() />
                <FormError error=withdraw_error />
                <button type="submit" class="secondary">{move || tr(lang.get(), "撤回投标", "Withdraw bid")}</button>
            </ActionForm>
        })}
        {(!desk.submissions.is_empty()).then(|| view! {
            <section aria-labelledby="receipts-title">
                <h2 id="receipts-title">{move || tr(lang.get(), "投标回执", "Submission receipts")}</h2>
                <ol class="receipts" data-testid="receipts">
                    {desk.submissions.iter().map(|s| {
                        let counts = s.counts;
                        view! {
                            <li>
                                {move || match lang.get() { Lang::ZhCn => "第 ", Lang::En => "Version " }}{s.version}{move || match lang.get() { Lang::ZhCn => " 版", Lang::En => "" }}
                                " · "{format_datetime(s.submitted_at)}
                                {counts.then(|| view! { " · "<strong>{move || tr(lang.get(), "有效版本", "counts")}</strong> })}
                                <br /><code class="receipt">{s.receipt.clone()}</code>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <p><A href=paths::RECEIPT_VERIFY>{move || tr(lang.get(), "核验回执", "Check a receipt")}</A></p>
            </section>
        })}
        {desk.opening.map(|o| view! {
            <section aria-labelledby="opening-title" data-testid="opening-record">
                <h2 id="opening-title">{move || tr(lang.get(), "开标记录", "Bid opening record")}</h2>
                <p class="muted">{format_datetime(o.opened_at)}</p>
                {o.lots.into_iter().map(|lot| {
                    let state = lot.state;
                    view! {
                        <h3>{lot.title}</h3>
                        <p class="muted">{move || lot_state_name(lang.get(), state)}</p>
                        <div class="table-wrap">
                        <table>
                            <thead><tr>
                                <th scope="col">{move || tr(lang.get(), "投标人", "Bidder")}</th>
                                <th scope="col">{move || tr(lang.get(), "报价", "Price")}</th>
                                <th scope="col">{move || tr(lang.get(), "企业规模", "Size")}</th>
                            </tr></thead>
                            <tbody>
                                {lot.lines.into_iter().map(|l| {
                                    let size = l.size_class;
                                    view! { <tr><td>{l.supplier_name}</td><td>{l.price.format_cny()}</td><td>{move || size.map(|s| s.name(lang.get())).unwrap_or("-")}</td></tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }
                }).collect_view()}
            </section>
        })}
        {(!desk.results.is_empty()).then(|| view! {
            <section aria-labelledby="results-title" data-testid="own-results">
                <h2 id="results-title">{move || tr(lang.get(), "我的评审结果", "My evaluation result")}</h2>
                {desk.results.into_iter().map(|(title, line)| view! { <h3>{title}</h3><ScoreBreakdown line /> }).collect_view()}
            </section>
        })}
        {desk.own_security.clone().map(|security| view! { <OwnSecurity security /> })}
        {(!desk.awards.is_empty()).then(|| view! {
            <section aria-labelledby="awards-title">
                <h2 id="awards-title">{move || tr(lang.get(), "中标结果", "Award")}</h2>
                <crate::ui::components::tender_parts::AwardList awards=desk.awards.clone() />
                {desk.bid_security_refund_by.map(|d| {
                    let provisional = desk.bid_security_refund_by_provisional;
                    view! {
                        <p data-testid="bid-security-refund">
                            {move || tr(lang.get(), "投标保证金退还截止（R-SEC-01，中标结果公告后 5 个工作日）：", "Bid security refunded by (R-SEC-01, 5 working days after the award notice): ")}
                            {d.to_string()}
                            <ProvisionalMark date=d provisional />
                        </p>
                    }
                })}
            </section>
        })}
        <ChallengeSection desk_challenges=desk.challenges tender=desk.tender.id.to_string() windows=desk.challenge_windows challenge />
    }
}

/// One bid's score breakdown.
/// The bid's documents: a plain multipart form uploads them (with or without JavaScript; a
/// refused file comes back in the URL and shows on the field); each goes with every submission
/// until it is removed.
#[component]
fn BidDocuments(
    tender: uuid::Uuid,
    documents: Vec<BidDocumentView>,
    open: bool,
    remove: ServerAction<RemoveBidDocument>,
) -> impl IntoView {
    let lang = use_lang();
    let href = paths::bid_upload(tender);
    let upload_error = crate::ui::components::forms::upload_error_for(&href);
    let invalid = upload_error.is_some().then_some("true");
    let upload_message = move || {
        upload_error
            .as_ref()
            .map(|e| crate::ui::components::forms::file_error_message(e, lang.get()))
    };
    let remove_error = last_error(remove.value());
    let empty = documents.is_empty();
    view! {
        <section aria-labelledby="documents-title" id="documents">
            <h2 id="documents-title">{move || tr(lang.get(), "投标文件", "Bid documents")}</h2>
            <p class="muted">{move || tr(
                lang.get(),
                "列出的文件随每次提交一并密封提交（回执摘要包含其 SHA-256），截止前任何人不可见。",
                "The documents listed go sealed with each submission (the receipt's digest covers their SHA-256); nobody sees them before the deadline.",
            )}</p>
            <FormError error=remove_error />
            {if empty {
                view! { <p class="empty">{move || tr(lang.get(), "尚未附文件。", "No documents attached.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="documents" data-testid="bid-documents">
                        {documents.into_iter().map(|d| {
                            let name = d.document.name.clone();
                            view! {
                                <li>
                                    <a href=d.href rel="external">{d.document.name.clone()}</a>
                                    {format!(" ({} KB) ", d.document.size.div_ceil(1024))}
                                    {open.then(|| view! {
                                        <ActionForm action=remove attr:class="inline">
                                            <input type="hidden" name="tender" value=tender.to_string() />
                                            <input type="hidden" name="document" value=d.document.id.to_string() />
                                            <button type="submit" class="secondary" aria-label=move || format!("{} {}", tr(lang.get(), "移除", "Remove"), name)>
                                                {move || tr(lang.get(), "移除", "Remove")}
                                            </button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {open.then(|| view! {
                <form method="post" action=href.clone() enctype="multipart/form-data" class="upload" data-testid="bid-upload-form">
                    <div class="field">
                        <label for="f-bid-file">{move || tr(lang.get(), "添加文件（PDF、图片、docx、xlsx、ZIP/OFD）", "Add a document (PDF, image, docx, xlsx, ZIP/OFD)")}</label>
                        <input
                            id="f-bid-file"
                            type="file"
                            name="file"
                            required
                            accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.zip,.ofd"
                            aria-describedby="f-bid-file-error"
                            aria-invalid=invalid
                        />
                        <p class="field-error" id="f-bid-file-error" role="status">{upload_message}</p>
                    </div>
                    <button type="submit" class="secondary">{move || tr(lang.get(), "上传", "Upload")}</button>
                </form>
            })}
        </section>
    }
}

/// R-CHAL-01: the supplier's challenge windows, each with the day its 7 working days run from
/// and its last day (IR Art. 53), its challenges and the form, offering only the open windows.
#[component]
fn ChallengeSection(
    desk_challenges: Vec<crate::model::bids::ChallengeView>,
    tender: String,
    windows: Vec<ChallengeWindowView>,
    challenge: ServerAction<FileChallenge>,
) -> impl IntoView {
    let lang = use_lang();
    let error = last_error(challenge.value());
    let open: Vec<ChallengeSubject> = windows
        .iter()
        .filter(|w| w.open)
        .map(|w| w.subject)
        .collect();
    // The latest step open is the likeliest one challenged.
    let preselected = open.last().copied();
    view! {
        <section aria-labelledby="challenge-title">
            <h2 id="challenge-title">{move || tr(lang.get(), "质疑", "Challenges")}</h2>
            <ul data-testid="challenge-windows">
                {windows.into_iter().map(|w| {
                    let (label, runs) = (w.subject.label(), w.subject.runs_from());
                    view! {
                        <li data-subject=w.subject.as_str()>
                            <strong>{move || label.get(lang.get()).to_string()}</strong>" · "
                            {move || runs.get(lang.get()).to_string()}" "{w.runs_from.to_string()}
                            {move || tr(lang.get(), "，7 个工作日，至 ", "; 7 working days, until ")}
                            {w.until.to_string()}<ProvisionalMark date=w.until provisional=w.provisional />
                            {(!w.open).then(|| view! { " "<span class="badge">{move || tr(lang.get(), "已届满", "ended")}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="muted">{move || tr(lang.get(), "采购人须在收到质疑后 7 个工作日内答复（R-CHAL-01）。", "The agency answers within 7 working days of receiving a challenge (R-CHAL-01).")}</p>
            {(!desk_challenges.is_empty()).then(|| view! {
                <ul data-testid="my-challenges">
                    {desk_challenges.into_iter().map(|c| {
                        let label = c.subject.label();
                        view! {
                            <li>
                                <span class="muted">{format_datetime(c.filed_at)}" · "{move || label.get(lang.get()).to_string()}</span>" "{c.body}
                                <br />{match c.answer {
                                    Some(a) => view! { <span>{move || tr(lang.get(), "答复：", "Answer: ")}{a.clone()}</span> }.into_any(),
                                    None => view! { <span class="muted">{move || tr(lang.get(), "答复期限：", "Answer due by: ")}{c.answer_due.to_string()}<ProvisionalMark date=c.answer_due provisional=c.answer_due_provisional /></span> }.into_any(),
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <FormError error />
            {if open.is_empty() {
                view! { <p class="notice" data-testid="challenge-closed">{move || tr(lang.get(), "现在没有可以提出质疑的事项（R-CHAL-01）。", "Nothing can be challenged now (R-CHAL-01).")}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=challenge attr:class="form" attr:data-testid="challenge-form">
                        <input type="hidden" name="tender" value=tender />
                        <div class="field">
                            <label for="f-subject">{move || tr(lang.get(), "质疑事项", "What you challenge")}</label>
                            <select id="f-subject" name="subject" aria-describedby="f-subject-error">
                                {open.into_iter().map(|subject| {
                                    let label = subject.label();
                                    view! { <option value=subject.as_str() selected=Some(subject) == preselected>{move || label.get(lang.get()).to_string()}</option> }
                                }).collect_view()}
                            </select>
                            <p class="field-error" id="f-subject-error" role="status">{move || error.get().and_then(|e| e.for_field("subject").map(|m| m.get(lang.get()).to_string()))}</p>
                        </div>
                        <div class="field">
                            <label for="f-challenge-body">{move || tr(lang.get(), "质疑内容与理由", "Your challenge and its grounds")}</label>
                            <textarea id="f-challenge-body" name="body" rows="3" aria-describedby="f-challenge-body-error"></textarea>
                            <p class="field-error" id="f-challenge-body-error" role="status">{move || error.get().and_then(|e| e.for_field("body").map(|m| m.get(lang.get()).to_string()))}</p>
                        </div>
                        <button type="submit" class="secondary">{move || tr(lang.get(), "提出质疑", "File the challenge")}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// Saves the bid draft whenever a field of the form inside it changes ("as it is typed"),
/// without leaving the page, and says so. The form is server-rendered (the children) and posts
/// without JavaScript; this island only listens. Each save sends the whole form to
/// `bids/save`, so a later save simply replaces an earlier one.
#[island]
pub(crate) fn DraftAutosave(lang: Lang, children: Children) -> impl IntoView {
    let save = ServerAction::<SaveBidDraft>::new();
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;
            use wasm_bindgen::JsCast;
            let form = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
            let data = form.and_then(|f| web_sys::FormData::new_with_form(&f).ok());
            if let Some(Ok(input)) = data.as_ref().map(SaveBidDraft::from_form_data) {
                save.dispatch(input);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let failed = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.message(lang))
    };
    view! {
        <div on:change=on_change>{children()}</div>
        <p class="muted" role="status" data-testid="autosave">
            {move || saved().then(|| tr(lang, "草稿已保存。", "Draft saved."))}
            {failed}
        </p>
    }
}
