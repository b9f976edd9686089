//! `/agency/tenders/:id/evaluation`: the agency's side of the bids. Before the deadline it
//! says only that bids are sealed (R-BID-01); after it the officer opens them, evaluators mark
//! each bid's requirements with reasons, the ranking is computed (R-SME-03 deductions,
//! R-EVAL-01/02), and the officer confirms each lot's winner. Challenges are answered here.

use crate::error::AppError;
use crate::i18n::{format_datetime, texts, tr, Lang};
use crate::model::bids::{
    EvaluationLot, EvaluationPage as Page, EvaluationStage, LotState, MarkLine, MarkVersion,
    SealFaultView,
};
use crate::server_fns::agency::RetenderTender;
use crate::server_fns::bids::{get_evaluation, AnswerChallenge, AwardLot, OpenBids, SaveMarks};
use crate::ui::components::forms::{last_error, FormError};
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::{ErrorNotice, ProvisionalMark};
use crate::ui::components::retender_parts::RetenderSection;
use crate::ui::components::tender_parts::{lot_state_name, ScoreBreakdown};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get(crate::paths::param::ID)
            .unwrap_or_default()
    };
    let open = ServerAction::<OpenBids>::new();
    let marks = ServerAction::<SaveMarks>::new();
    let award = ServerAction::<AwardLot>::new();
    let answer = ServerAction::<AnswerChallenge>::new();
    let retender = ServerAction::<RetenderTender>::new();
    let page = Resource::new(id, get_evaluation);
    view! {
        <p>
            <A href=crate::paths::AGENCY_TENDERS>{move || tr(lang.get(), "返回我的采购项目", "Back to my tenders")}</A>
        </p>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Evaluation page open marks award answer retender /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>{move || t().please_sign_in}" "<A href=crate::paths::LOGIN>{move || t().nav_sign_in}</A></p>
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Evaluation(
    page: Page,
    open: ServerAction<OpenBids>,
    marks: ServerAction<SaveMarks>,
    award: ServerAction<AwardLot>,
    answer: ServerAction<AnswerChallenge>,
    retender: ServerAction<RetenderTender>,
) -> impl IntoView {
    let lang = use_lang();
    let open_error = last_error(open.value());
    let award_error = last_error(award.value());
    let answer_error = last_error(answer.value());
    let tender = page.tender.id.to_string();
    let can_award = page.can_award;
    let faults = page.seal_faults.clone();
    view! {
        <h1>{move || tr(lang.get(), "开标与评审", "Bid opening and evaluation")}</h1>
        <p class="muted"><strong>{page.tender.title.clone()}</strong>" · "{move || texts(lang.get()).bid_deadline}": "{format_datetime(page.tender.bid_deadline)}</p>
        {page.price_weight.map(|w| view! {
            <p class="muted">{move || tr(lang.get(), "综合评分法，价格分值 ", "Comprehensive scoring, price weight ")}{w.to_string()}" (R-EVAL-01)"</p>
        })}
        <SealFaults faults />
        {match page.stage {
            EvaluationStage::Cancelled => view! { <p class="notice notice-error">{move || tr(lang.get(), "该项目已取消。", "This tender was cancelled.")}</p> }.into_any(),
            EvaluationStage::Sealed { until } => view! {
                <p class="notice" data-testid="sealed">
                    {move || tr(lang.get(), "投标截止前，所有投标均密封，任何人（包括采购人和平台管理员）都无法查看：", "Until the deadline every bid is sealed from everyone, the agency and administrators included: ")}
                    {format_datetime(until)}" (R-BID-01)"
                </p>
            }.into_any(),
            EvaluationStage::ReadyToOpen => view! {
                <ActionForm action=open attr:data-testid="open-form">
                    <input type="hidden" name="tender" value=tender.clone() />
                    <FormError error=open_error />
                    <p>{move || tr(lang.get(), "投标已截止，可以开标。", "Bidding has closed: the bids can be opened.")}</p>
                    <button type="submit" disabled=!can_award>{move || tr(lang.get(), "开标", "Open the bids")}</button>
                </ActionForm>
            }.into_any(),
            EvaluationStage::Opened { opened_at, lots } => {
                // R-SME-05, R-BID-04: a lot that did not go on can be re-tendered.
                let failed = lots
                    .iter()
                    .any(|l| matches!(l.state, LotState::Failed | LotState::Suspended));
                let existing = page.retender.clone();
                let offer = can_award && (failed || existing.is_some());
                view! {
                    <p class="muted" data-testid="opened">{move || tr(lang.get(), "开标时间：", "Opened at ")}{format_datetime(opened_at)}</p>
                    <FormError error=award_error />
                    {lots.into_iter().map(|lot| view! { <LotEvaluation lot tender=tender.clone() marks award can_award /> }).collect_view()}
                    {offer.then(|| view! { <RetenderSection tender=tender.clone() existing action=retender /> })}
                }.into_any()
            }
        }}
        <section aria-labelledby="challenges-title">
            <h2 id="challenges-title">{move || tr(lang.get(), "质疑与答复", "Challenges and answers")}</h2>
            <FormError error=answer_error />
            {if page.challenges.is_empty() {
                view! { <p class="empty">{move || tr(lang.get(), "没有质疑。", "No challenges.")}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="challenges">
                        {page.challenges.into_iter().map(|c| {
                            let overdue = c.overdue;
                            let subject = c.subject.label();
                            view! {
                                <li>
                                    <strong>{c.supplier_name}</strong>" · "{move || subject.get(lang.get()).to_string()}" · "<span class="muted">{format_datetime(c.filed_at)}</span>
                                    {overdue.then(|| view! { " "<span class="badge validity-expired">{move || tr(lang.get(), "答复已逾期", "Answer overdue")}</span> })}
                                    <p class="description">{c.body}</p>
                                    {match c.answer {
                                        Some(a) => view! { <p>{move || tr(lang.get(), "答复：", "Answer: ")}{a.clone()}</p> }.into_any(),
                                        None => {
                                            let field = format!("f-answer-{}", c.id);
                                            view! {
                                                <p class="muted">{move || tr(lang.get(), "答复期限（7 个工作日，R-CHAL-01）：", "Answer due (7 working days, R-CHAL-01): ")}{c.answer_due.to_string()}<ProvisionalMark date=c.answer_due provisional=c.answer_due_provisional /></p>
                                                {can_award.then(|| view! {
                                                    <ActionForm action=answer attr:class="form">
                                                        <input type="hidden" name="challenge" value=c.id.to_string() />
                                                        <div class="field">
                                                            <label for=field.clone()>{move || tr(lang.get(), "答复", "Answer")}</label>
                                                            <textarea id=field.clone() name="answer" rows="3"></textarea>
                                                        </div>
                                                        <button type="submit" class="secondary">{move || tr(lang.get(), "发布答复", "Send the answer")}</button>
                                                    </ActionForm>
                                                })}
                                            }.into_any()
                                        }
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn LotEvaluation(
    lot: EvaluationLot,
    tender: String,
    marks: ServerAction<SaveMarks>,
    award: ServerAction<AwardLot>,
    can_award: bool,
) -> impl IntoView {
    let lang = use_lang();
    let marks_error = last_error(marks.value());
    let state = lot.state;
    let criteria = lot.criteria.clone();
    let awarded = lot.award.is_some();
    let complete = lot.incomplete.is_empty();
    // R-BID-04, R-SME-05: a lot failed by its marks (three or more opened bids) can still be
    // marked until the award, so a mistaken "fail" is corrected and counted again; a lot with
    // fewer than three opened bids has nothing a mark could change.
    let markable = !awarded
        && (state == LotState::Evaluating
            || lot.bids.len() >= crate::domain::lot_outcome::MIN_VALID_BIDS);
    let tender = StoredValue::new(tender);
    view! {
        <section class="card" data-testid="eval-lot">
            <h2>{lot.title.clone()}</h2>
            <p class="muted">
                {move || tr(lang.get(), "最高限价 ", "Ceiling ")}{lot.ceiling.format_cny()}" · "
                <span data-testid="lot-state">{move || lot_state_name(lang.get(), state)}</span>
            </p>
            <FormError error=marks_error />
            {lot.bids.into_iter().map(|b| {
                let line = b.score.clone();
                let name = line.supplier_name.clone();
                let criteria = criteria.clone();
                let bid_id = b.opened_bid_id.to_string();
                let prefix = format!("m-{}", b.opened_bid_id.simple());
                view! {
                    <article class="bid-eval" data-testid="eval-bid">
                        <h3>{name.clone()}</h3>
                        <p class="muted">
                            {move || tr(lang.get(), "提交时间 ", "Submitted ")}{format_datetime(b.submitted_at)}
                            {b.subcontract_share.map(|s| format!(" · {s}%"))}
                        </p>
                        <ScoreBreakdown line />
                        <MarkHistory versions=b.mark_versions.clone() />
                        {(!b.proposal.is_empty()).then(|| view! {
                            <details><summary>{move || tr(lang.get(), "技术方案", "Technical proposal")}</summary><p class="description">{b.proposal.clone()}</p></details>
                        })}
                        {(!b.documents.is_empty()).then(|| view! {
                            <ul class="documents" data-testid="eval-documents" aria-label=move || tr(lang.get(), "投标文件", "Bid documents")>
                                {b.documents.iter().map(|d| view! {
                                    <li>
                                        <a href=d.href.clone() rel="external">{d.document.name.clone()}</a>
                                        {format!(" ({} KB) · SHA-256 ", d.document.size.div_ceil(1024))}
                                        <code>{d.document.sha256.get(..12).unwrap_or_default().to_string()}</code>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                        {markable.then(|| view! {
                            <ActionForm action=marks attr:class="form marks-form" attr:data-testid="marks-form">
                                <input type="hidden" name="tender" value=tender.get_value() />
                                <input type="hidden" name="opened_bid" value=bid_id.clone() />
                                {criteria.iter().enumerate().map(|(i, c)| {
                                    let answer = b.answers.get(i).cloned().flatten();
                                    let id = format!("{prefix}-{i}");
                                    let requirement = c.view.requirement.clone();
                                    let weight = c.view.weight;
                                    view! {
                                        <fieldset>
                                            <legend>{requirement}{weight.map(|w| format!(" ({w})"))}</legend>
                                            <input type="hidden" name=format!("marks[{i}][criterion]") value=c.id.to_string() />
                                            {answer.map(|a| view! { <p class="muted">{move || tr(lang.get(), "投标人所附：", "The bidder cites: ")}{a.clone()}</p> })}
                                            {match weight {
                                                None => view! {
                                                    <div class="field">
                                                        <label for=format!("{id}-passed")>{move || tr(lang.get(), "结论", "Verdict")}</label>
                                                        <select id=format!("{id}-passed") name=format!("marks[{i}][passed]")>
                                                            <option value="">"-"</option>
                                                            <option value="pass">{move || tr(lang.get(), "通过", "Pass")}</option>
                                                            <option value="fail">{move || tr(lang.get(), "不通过", "Fail")}</option>
                                                        </select>
                                                    </div>
                                                }.into_any(),
                                                Some(_) => view! {
                                                    <div class="field">
                                                        <label for=format!("{id}-score")>{move || tr(lang.get(), "得分", "Score")}</label>
                                                        <input id=format!("{id}-score") name=format!("marks[{i}][score]") inputmode="decimal" />
                                                    </div>
                                                }.into_any(),
                                            }}
                                            <div class="field">
                                                <label for=format!("{id}-reason")>{move || tr(lang.get(), "理由", "Reason")}</label>
                                                <input id=format!("{id}-reason") name=format!("marks[{i}][reason]") />
                                            </div>
                                        </fieldset>
                                    }
                                }).collect_view()}
                                <button type="submit" class="secondary">{move || match lang.get() {
                                    Lang::ZhCn => format!("保存对「{name}」的评审"),
                                    Lang::En => format!("Save the marks for {name}"),
                                }}</button>
                            </ActionForm>
                        })}
                    </article>
                }.into_any()
            }).collect_view()}
            {(!complete && state == LotState::Evaluating).then(|| view! {
                <ul class="muted" data-testid="incomplete">
                    {lot.incomplete.iter().map(|p| { let p = p.clone(); view! { <li>{move || p.get(lang.get()).to_string()}</li> } }).collect_view()}
                </ul>
            })}
            {lot.award.clone().map(|a| view! { <crate::ui::components::tender_parts::AwardList awards=vec![a] /> })}
            {(can_award && !awarded && complete && state == LotState::Evaluating).then(|| view! {
                <ActionForm action=award attr:data-testid="award-form">
                    <input type="hidden" name="tender" value=tender.get_value() />
                    <input type="hidden" name="lot" value=lot.lot_id.to_string() />
                    <button type="submit">{move || tr(lang.get(), "确认排名第一的投标人中标并发布公告", "Award to the first-ranked bidder and publish the notice")}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// R-REC-01: who marked the bid and when, and every earlier version of its marks, kept as they
/// were ("re-marked N times; earlier marks").
#[component]
fn MarkHistory(versions: Vec<MarkVersion>) -> impl IntoView {
    let lang = use_lang();
    let Some(latest) = versions.last().cloned() else {
        return ().into_any();
    };
    let earlier: Vec<MarkVersion> = versions[..versions.len() - 1]
        .iter()
        .rev()
        .cloned()
        .collect();
    let times = earlier.len();
    view! {
        <div class="muted" data-testid="mark-history">
            <p>{move || match lang.get() {
                Lang::ZhCn => format!("现行评审：第 {} 版，{}，{}", latest.version, latest.marked_by, format_datetime(latest.marked_at)),
                Lang::En => format!("Marks in force: version {}, by {}, {}", latest.version, latest.marked_by, format_datetime(latest.marked_at)),
            }}</p>
            {(times > 0).then(|| view! {
                <details>
                    <summary>{move || match lang.get() {
                        Lang::ZhCn => format!("已重新评审 {times} 次；此前的评审"),
                        Lang::En => format!("Re-marked {times} time{}; earlier marks", if times == 1 { "" } else { "s" }),
                    }}</summary>
                    <ol reversed>
                        {earlier.into_iter().map(|v| view! {
                            <li data-testid="mark-version">
                                {move || match lang.get() {
                                    Lang::ZhCn => format!("第 {} 版，{}，{}", v.version, v.marked_by, format_datetime(v.marked_at)),
                                    Lang::En => format!("Version {}, by {}, {}", v.version, v.marked_by, format_datetime(v.marked_at)),
                                }}
                                <ul>
                                    {v.marks.iter().map(|m| { let m = m.clone(); view! { <li>{move || mark_text(lang.get(), &m)}</li> } }).collect_view()}
                                </ul>
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </div>
    }
    .into_any()
}

/// One mark of a version as a line: the requirement, the verdict or points, the reason.
fn mark_text(lang: Lang, m: &MarkLine) -> String {
    let verdict = match (m.passed, m.score, m.weight) {
        (Some(true), ..) => tr(lang, "通过", "pass").to_string(),
        (Some(false), ..) => tr(lang, "不通过", "fail").to_string(),
        (None, Some(score), Some(weight)) => format!("{score} / {weight}"),
        (None, Some(score), None) => score.to_string(),
        (None, None, _) => tr(lang, "未评审", "not marked").to_string(),
    };
    if m.reason.is_empty() {
        format!("{}: {verdict}", m.requirement)
    } else {
        format!("{}: {verdict} ({})", m.requirement, m.reason)
    }
}

/// Issue #35: counted versions the opening found swapped or altered in the database, shown to
/// the officers (they are not counted; the audit log has an entry for each).
#[component]
fn SealFaults(faults: Vec<SealFaultView>) -> impl IntoView {
    let lang = use_lang();
    (!faults.is_empty()).then(|| {
        view! {
            <div class="notice notice-error" role="alert" data-testid="seal-faults">
                <p><strong>{move || tr(
                    lang.get(),
                    "以下投标在开标时与提交记录不符，未计入评审（R-BID-01）。请核查并按程序处理：",
                    "These bids did not match their submission records at the opening and were not counted (R-BID-01). Investigate and act as the procedure requires:",
                )}</strong></p>
                <ul>
                    {faults
                        .into_iter()
                        .map(|f| {
                            let reason = f.reason.clone();
                            view! {
                                <li data-testid="seal-fault">
                                    {f.supplier_name}" · "
                                    {move || match lang.get() {
                                        Lang::ZhCn => format!("第 {} 版", f.version),
                                        Lang::En => format!("version {}", f.version),
                                    }}
                                    ": "{move || reason.get(lang.get()).to_string()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}
