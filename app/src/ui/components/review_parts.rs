//! The barrier review on the pages (issue #34): the officer's request on the draft page, the
//! administrator's pending requests on /admin, and the public "published after review" notice.
//! Plain forms posting to server functions; the server decides who may do what.

use crate::domain::review::{ReviewStatus, ReviewedFinding};
use crate::error::AppError;
use crate::i18n::{format_datetime, tr};
use crate::model::review::{PublishedAfterReview, ReviewDesk, ReviewView};
use crate::server_fns::review::{DecideBarrierReview, RequestBarrierReview};
use crate::ui::components::forms::{done, last_error, FormError};
use crate::ui::use_lang;
use leptos::prelude::*;

/// The findings of a request: each rule, the clause as written and why it was refused.
#[component]
fn FindingList(findings: Vec<ReviewedFinding>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="findings" data-testid="review-findings">
            {findings
                .into_iter()
                .map(|f| {
                    let why = f.why.clone();
                    view! {
                        <li>
                            <strong>{f.rule}</strong>" "<q>{f.quote}</q>" "<code>{f.field}</code>
                            <br />
                            <span class="muted">{move || why.get(lang.get()).to_string()}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// A request as its officer sees it: when, the reason, and the decision with its note.
#[component]
fn RequestStatus(request: ReviewView) -> impl IntoView {
    let lang = use_lang();
    let status = request.status;
    let class = match status {
        ReviewStatus::Rejected => "notice notice-error",
        _ => "notice",
    };
    view! {
        <div class=class data-testid=format!("review-{}", status.as_str())>
            <p>
                <strong>{move || status.name(lang.get())}</strong>
                " · "{move || tr(lang.get(), "申请时间：", "Requested: ")}{format_datetime(request.requested_at)}
            </p>
            <p>{move || tr(lang.get(), "理由：", "Reason: ")}{request.reason.clone()}</p>
            {request.decision_note.clone().map(|note| view! {
                <p data-testid="review-note">{move || tr(lang.get(), "平台审核意见：", "The platform's note: ")}{note}</p>
            })}
            <FindingList findings=request.findings.clone() />
        </div>
    }
}

/// On the officer's draft page: the clauses publication refuses for R-BAR-01..03 or R-SME-04,
/// the form that sends them to the platform administrator with a reason, and the requests sent.
#[component]
pub fn ReviewSection(id: String, desk: Result<ReviewDesk, AppError>) -> impl IntoView {
    let lang = use_lang();
    let request = ServerAction::<RequestBarrierReview>::new();
    let error = last_error(request.value());
    let sent = done::<RequestBarrierReview>();
    let desk = match desk {
        Ok(desk) => desk,
        Err(error) => {
            return view! { <crate::ui::components::notices::ErrorNotice error /> }.into_any()
        }
    };
    if desk.findings.is_empty() && desk.requests.is_empty() {
        return ().into_any();
    }
    let may_request = !desk.findings.is_empty() && !desk.pending();
    let findings = desk.findings.clone();
    view! {
        <section aria-labelledby="review-title" data-testid="review-section">
            <h2 id="review-title">{move || tr(lang.get(), "平台审核", "Review by the platform")}</h2>
            {sent.then(|| view! {
                <p class="notice" role="status" data-testid="review-sent">
                    {move || tr(lang.get(), "审核申请已发送给平台管理员。", "The review request was sent to the platform administrator.")}
                </p>
            })}
            {(!findings.is_empty()).then(|| view! {
                <p>
                    {move || tr(
                        lang.get(),
                        "发布检查认为以下条款构成对企业规模、业绩等的限制。如您认为检查有误、条款合法，可以说明理由，请平台管理员审核；同意后这些条款可以发布，并在项目页面公开说明。",
                        "Publication refuses the clauses below as barriers (firm size, track record and the like). If you believe the check is wrong and a clause is lawful, explain why and ask the platform administrator to review it; once approved, these clauses can be published, and the tender page says so in public.",
                    )}
                </p>
                <FindingList findings=findings.clone() />
            })}
            {may_request.then(|| view! {
                <ActionForm action=request attr:class="form" attr:data-testid="review-request-form">
                    <FormError error />
                    <input type="hidden" name="id" value=id.clone() />
                    <div class="field">
                        <label for="f-review-reason">{move || tr(lang.get(), "申请审核的理由（必填）", "Reason for the review (required)")}</label>
                        <textarea
                            id="f-review-reason"
                            name="reason"
                            rows="4"
                            required
                            maxlength=crate::domain::review::MAX_NOTE_CHARS.to_string()
                            aria-describedby="f-review-reason-error"
                        ></textarea>
                        <p class="field-error" id="f-review-reason-error" role="status">
                            {move || error.get().and_then(|e| e.for_field("reason").map(|m| m.get(lang.get()).to_string()))}
                        </p>
                    </div>
                    <button type="submit">{move || tr(lang.get(), "提交平台管理员审核", "Send to the platform administrator for review")}</button>
                </ActionForm>
            })}
            {desk
                .requests
                .into_iter()
                .map(|request| view! { <RequestStatus request /> })
                .collect_view()}
        </section>
    }
    .into_any()
}

/// On /admin: the requests waiting for a decision, each with its tender, findings and reason,
/// and a form to approve or reject with a note.
#[component]
pub fn PendingReviews(
    reviews: Resource<Result<Vec<ReviewView>, AppError>>,
    decide: ServerAction<DecideBarrierReview>,
) -> impl IntoView {
    let lang = use_lang();
    let error = last_error(decide.value());
    let decided = done::<DecideBarrierReview>();
    view! {
        <section aria-labelledby="reviews-title">
            <h2 id="reviews-title">{move || tr(lang.get(), "待审核的条款", "Clauses awaiting review")}</h2>
            {decided.then(|| view! {
                <p class="notice" role="status" data-testid="review-decided">
                    {move || tr(lang.get(), "审核决定已记录。", "The decision is recorded.")}
                </p>
            })}
            <FormError error />
            <Suspense fallback=move || view! { <p>{move || crate::i18n::texts(lang.get()).loading}</p> }>
                {move || Suspend::new(async move {
                    match reviews.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">{move || tr(lang.get(), "没有待审核的申请。", "No request is waiting.")}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="reviews" data-testid="pending-reviews">
                                {list.into_iter().map(|r| view! { <li><PendingReview review=r decide error /></li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <crate::ui::components::notices::ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PendingReview(
    review: ReviewView,
    decide: ServerAction<DecideBarrierReview>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let note_id = format!("f-note-{}", review.id);
    let hint = format!("{note_id}-error");
    view! {
        <h3>{review.tender_title}</h3>
        <p class="muted">
            {review.agency_name}" · "{move || tr(lang.get(), "申请时间：", "Requested: ")}{format_datetime(review.requested_at)}
        </p>
        <FindingList findings=review.findings />
        <p>{move || tr(lang.get(), "经办人的理由：", "The officer's reason: ")}{review.reason}</p>
        <ActionForm action=decide attr:class="form" attr:data-testid="review-decide-form">
            <input type="hidden" name="id" value=review.id.to_string() />
            <div class="field">
                <label for=note_id.clone()>{move || tr(lang.get(), "审核意见（必填，将随项目公开）", "Note (required; published with the tender)")}</label>
                <textarea
                    id=note_id
                    name="note"
                    rows="3"
                    required
                    maxlength=crate::domain::review::MAX_NOTE_CHARS.to_string()
                    aria-describedby=hint.clone()
                ></textarea>
                <p class="field-error" id=hint role="status">
                    {move || error.get().and_then(|e| e.for_field("note").map(|m| m.get(lang.get()).to_string()))}
                </p>
            </div>
            <button type="submit" name="decision" value="approve" class="primary">
                {move || tr(lang.get(), "同意发布这些条款", "Approve these clauses")}
            </button>
            " "
            <button type="submit" name="decision" value="reject" class="secondary">
                {move || tr(lang.get(), "不同意", "Reject")}
            </button>
        </ActionForm>
    }
}

/// On the public tender page: the approvals it was published with, each note and the clauses
/// let through, so every override is public.
#[component]
pub fn PublishedAfterReviewNotice(reviews: Vec<PublishedAfterReview>) -> impl IntoView {
    let lang = use_lang();
    (!reviews.is_empty()).then(|| {
        view! {
            <div class="notice" data-testid="published-after-review">
                {reviews
                    .into_iter()
                    .map(|r| view! {
                        <p>
                            <strong>{move || tr(lang.get(), "经平台审核后发布：", "Published after review: ")}</strong>
                            {r.note}
                            <span class="muted">" ("{format_datetime(r.decided_at)}")"</span>
                        </p>
                        <ul>
                            {r.clauses
                                .into_iter()
                                .map(|c| view! { <li><strong>{c.rule}</strong>" "<q>{c.quote}</q></li> })
                                .collect_view()}
                        </ul>
                    })
                    .collect_view()}
            </div>
        }
    })
}
