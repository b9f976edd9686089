//! `/payments`: the public payment-timeliness page (R-PAY-07). Overall and per agency: on-time
//! rate, median days to pay, overdue count and value, interest paid (per milestone); the
//! contracts with overdue payments and their value, as PAY Art. 18 reports them (per
//! contract); late and overdue bid-security refunds (R-SEC-01). A year that is over is counted
//! as of its 31 December. The charts are SVG drawn on the server, so they read without
//! JavaScript; the same figures download as CSV from `/payments.csv`.

use crate::domain::bid_security::RefundStats;
use crate::domain::money::yuan;
use crate::domain::payment::{LateActs, TimelinessStats};
use crate::i18n::{texts, tr, Lang};
use crate::model::contracts::{TimelinessReport, TIMELINESS_PAGE};
use crate::paths;
use crate::server_fns::contracts::timeliness;
use crate::ui::components::charts::rate_text;
use crate::ui::components::charts::OverdueChart;
use crate::ui::components::charts::RateChart;
use crate::ui::components::lang::use_lang;
use crate::ui::components::notices::ErrorNotice;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;

fn days_text(lang: Lang, days: Option<Decimal>) -> String {
    match days {
        Some(d) => match lang {
            Lang::ZhCn => format!("{} 天", d.normalize()),
            Lang::En => format!("{} days", d.normalize()),
        },
        None => "—".to_string(),
    }
}

#[component]
pub fn TimelinessPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (
            q.get(paths::query::YEAR).unwrap_or_default(),
            q.get(paths::query::PAGE).unwrap_or_default(),
        )
    };
    let report = Resource::new(args, |(year, page)| timeliness(year, page));
    view! {
        <h1>{move || tr(lang.get(), "采购人付款及时情况", "How promptly buyers pay")}</h1>
        <p>{move || tr(lang.get(),
            "按《保障中小企业款项支付条例》，采购人应在验收后 30 天内付款，逾期须支付利息，并公开逾期情况（R-PAY-07）。以下数据由平台按付款记录自动计算；已结束的年度按当年 12 月 31 日的情况统计。",
            "Buyers must pay within 30 days of acceptance, pay interest when late, and publish their overdue payments (R-PAY-07). These figures are computed by the platform from the payment records; a year that is over is counted as it stood on its 31 December.")}</p>
        <Suspense fallback=move || view! { <p>{move || texts(lang.get()).loading}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => view! { <Report r /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(r: TimelinessReport) -> impl IntoView {
    let lang = use_lang();
    let csv = paths::payments_csv(r.year);
    let selected = r.year;
    let as_of = r.as_of;
    let overall = r.overall.clone();
    let overall_acts = r.overall_late_acts;
    let overall_refunds = r.overall_bid_security.clone();
    // The agencies come a page at a time ([`TIMELINESS_PAGE`]), by name; the pager keeps the year.
    let page = r.agency_offset / TIMELINESS_PAGE + 1;
    let pages = r.agency_total.div_ceil(TIMELINESS_PAGE).max(1);
    let page_href = move |p: usize| paths::payments(selected, Some(p));
    let prev = (page > 1).then(|| page_href(page - 1));
    let next = (page < pages).then(|| page_href(page + 1));
    let (first, last) = (r.agency_offset + 1, r.agency_offset + r.agencies.len());
    let total = r.agency_total;
    let shown = !r.agencies.is_empty();
    view! {
        <nav class="filters" aria-label=move || tr(lang.get(), "按到期年份", "By year due")>
            <A href=paths::PAYMENTS attr:aria-current=selected.is_none().then_some("page")>{move || tr(lang.get(), "全部年份", "All years")}</A>
            {r.years.iter().map(|y| {
                let y = *y;
                view! { " · "<A href=paths::payments(Some(y), None::<usize>) attr:aria-current=(selected == Some(y)).then_some("page")>{y.to_string()}</A> }
            }).collect_view()}
        </nav>
        <p class="muted">
            {move || match lang.get() { Lang::ZhCn => format!("截至 {as_of}"), Lang::En => format!("As of {as_of}") }}
            " · "<a href=csv download="payment-timeliness.csv">{move || tr(lang.get(), "下载 CSV", "Download CSV")}</a>
        </p>
        <section aria-labelledby="overall-title" data-testid="overall">
            <h2 id="overall-title">{move || tr(lang.get(), "全部采购人", "All buyers")}</h2>
            <StatsList stats=overall />
            <LateActsList acts=overall_acts />
            <RefundList stats=overall_refunds />
        </section>
        {(!r.agencies.is_empty()).then(|| view! {
            <section aria-labelledby="charts-title">
                <h2 id="charts-title">{move || tr(lang.get(), "各采购人对比", "Buyers compared")}</h2>
                <RateChart agencies=r.agencies.clone() />
                <OverdueChart agencies=r.agencies.clone() />
            </section>
        })}
        <section aria-labelledby="agencies-title">
            <h2 id="agencies-title">{move || tr(lang.get(), "各采购人", "Each buyer")}</h2>
            {shown.then(|| view! {
                <p class="muted" data-testid="agency-range">{move || match lang.get() {
                    Lang::ZhCn => format!("共 {total} 个采购人，按名称排列；本页第 {first}–{last} 个。"),
                    Lang::En => format!("{total} buyers by name; this page shows {first}–{last}."),
                }}</p>
            })}
            {if total == 0 {
                view! { <p class="empty">{move || tr(lang.get(), "还没有付款记录。", "No payments are recorded yet.")}</p> }.into_any()
            } else if !shown {
                // A page past the last (an old link, a typed number): say so and lead back.
                view! {
                    <p class="empty" data-testid="agency-range">
                        {move || match lang.get() {
                            Lang::ZhCn => format!("列表只到第 {pages} 页（共 {total} 个采购人）。"),
                            Lang::En => format!("This list ends at page {pages}; buyers in all: {total}."),
                        }}" "
                        <A href=page_href(pages)>{move || tr(lang.get(), "看最后一页", "See the last page")}</A>
                    </p>
                }.into_any()
            } else {
                view! {
                    <ul class="cards" data-testid="agencies">
                        {r.agencies.into_iter().map(|a| view! {
                            <li class="card" data-testid="agency-timeliness">
                                <h3>{a.agency_name.clone()}</h3>
                                <StatsList stats=a.stats />
                                <LateActsList acts=a.late_acts />
                                <RefundList stats=a.bid_security />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(pages > 1 && shown).then(|| view! {
                <nav class="pagination" aria-label=move || texts(lang.get()).pagination_label>
                    {prev.map(|href| view! { <A href=href>{move || texts(lang.get()).page_prev}</A> })}
                    <span>{move || texts(lang.get()).page_label}" "{page}" / "{pages}</span>
                    {next.map(|href| view! { <A href=href>{move || texts(lang.get()).page_next}</A> })}
                </nav>
            })}
        </section>
    }
}

/// R-AWARD-01: of the contracts signed (in the year chosen), how many were signed more than 30
/// days after the award and how many were published more than 2 working days after signing (or
/// not yet, past that day).
#[component]
fn LateActsList(acts: LateActs) -> impl IntoView {
    let lang = use_lang();
    view! {
        <dl class="facts" data-testid="late-acts">
            <dt>{move || tr(lang.get(), "合同数（按签订年份）", "Contracts (by year signed)")}</dt>
            <dd data-testid="contracts">{acts.contracts.to_string()}</dd>
            <dt>{move || tr(lang.get(), "逾期签订（中标后超过 30 日，R-AWARD-01）", "Signed late (over 30 days from the award, R-AWARD-01)")}</dt>
            <dd data-testid="signed-late">{acts.signed_late.to_string()}</dd>
            <dt>{move || tr(lang.get(), "逾期公开（签订后超过 2 个工作日，含逾期未公开，R-AWARD-01）", "Published late (over 2 working days from signing, or still unpublished after that, R-AWARD-01)")}</dt>
            <dd data-testid="published-late">{acts.published_late.to_string()}</dd>
        </dl>
    }
}

#[component]
fn StatsList(stats: TimelinessStats) -> impl IntoView {
    let lang = use_lang();
    let s = stats;
    view! {
        <dl class="facts">
            <dt>{move || tr(lang.get(), "按时付款率", "Paid on time")}</dt>
            <dd data-testid="on-time-rate">{rate_text(s.on_time_rate)}" "<span class="muted">{move || match lang.get() {
                Lang::ZhCn => format!("（按时 {}，逾期付款 {}，逾期未付 {}）", s.paid_on_time, s.paid_late, s.overdue_count),
                Lang::En => format!("({} on time, {} paid late, {} overdue)", s.paid_on_time, s.paid_late, s.overdue_count),
            }}</span></dd>
            <dt>{move || tr(lang.get(), "付款天数中位数", "Median days to pay")}</dt>
            <dd>{move || days_text(lang.get(), s.median_days_to_pay)}</dd>
            <dt>{move || tr(lang.get(), "逾期未付", "Overdue, unpaid")}</dt>
            <dd data-testid="overdue">{move || match lang.get() {
                Lang::ZhCn => format!("{} 笔，{}", s.overdue_count, yuan(s.overdue_value)),
                Lang::En => format!("{} payments, {}", s.overdue_count, yuan(s.overdue_value)),
            }}</dd>
            <dt>{move || tr(lang.get(), "逾期未付的合同（按合同计）", "Contracts with overdue payments")}</dt>
            <dd data-testid="overdue-contracts">{move || match lang.get() {
                Lang::ZhCn => format!("{} 个，合同金额 {}", s.overdue_contracts, yuan(s.overdue_contract_value)),
                Lang::En => format!("{} contracts, contract value {}", s.overdue_contracts, yuan(s.overdue_contract_value)),
            }}" "<span class="muted">{move || tr(lang.get(),
                "（《保障中小企业款项支付条例》第十八条：截至统计日仍有逾期未付款项的合同，金额为合同金额）",
                "(PAY Art. 18: contracts with a payment still overdue and unpaid on the day counted; the value is the contracts' whole value)")}</span></dd>
            <dt>{move || tr(lang.get(), "逾期付款（已付）", "Paid late")}</dt>
            <dd data-testid="paid-late">{s.paid_late.to_string()}</dd>
            <dt>{move || tr(lang.get(), "已付逾期利息", "Late interest paid")}</dt>
            <dd>{yuan(s.interest_paid)}</dd>
        </dl>
    }
}

/// R-SEC-01: the bid-security refunds that fell due: on time, late, overdue.
#[component]
fn RefundList(stats: RefundStats) -> impl IntoView {
    let lang = use_lang();
    let s = stats;
    view! {
        <dl class="facts">
            <dt>{move || tr(lang.get(), "投标保证金退还（中标公告后 5 个工作日内，R-SEC-01）", "Bid security refunds (within 5 working days of the award, R-SEC-01)")}</dt>
            <dd data-testid="bid-security-refunds">{move || match lang.get() {
                Lang::ZhCn => format!("应退 {}，按时 {}，逾期退还 {}，逾期未退 {}", s.due, s.refunded_on_time, s.refunded_late, s.overdue),
                Lang::En => format!("{} due, {} on time, {} refunded late, {} overdue", s.due, s.refunded_on_time, s.refunded_late, s.overdue),
            }}</dd>
        </dl>
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::money::yuan;
    use crate::ui::components::charts::rate_text;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn r_pay_07_rates_and_amounts_read_as_people_write_them() {
        assert_eq!(
            rate_text(Some(Decimal::from_str("0.6667").unwrap())),
            "66.67%"
        );
        assert_eq!(rate_text(Some(Decimal::ONE)), "100%");
        assert_eq!(rate_text(None), "—");
        assert_eq!(yuan(Decimal::from_str("2850000").unwrap()), "¥2,850,000.00");
        assert_eq!(yuan(Decimal::from_str("1425.5").unwrap()), "¥1,425.50");
        assert_eq!(yuan(Decimal::ZERO), "¥0.00");
    }
}
