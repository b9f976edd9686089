//! `/payments`: the public payment-timeliness page (R-PAY-07). Overall and per agency: on-time
//! rate, median days to pay, overdue count and value, interest paid. The charts are SVG drawn
//! on the server, so they read without JavaScript; the same figures download as CSV from
//! `/payments.csv`.

use crate::i18n::tr;
use crate::model::contracts::AgencyTimeliness;
use crate::ui::use_lang;
use leptos::prelude::*;
use rust_decimal::Decimal;

#[component]
pub(crate) fn RateChart(agencies: Vec<AgencyTimeliness>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let rows = agencies
            .iter()
            .map(|a| {
                (
                    a.agency_name.clone(),
                    a.stats.on_time_rate.unwrap_or_default(),
                    rate_text(a.stats.on_time_rate),
                )
            })
            .collect();
        bar_chart(
            "rate-chart",
            tr(lang.get(), "按时付款率", "Share paid on time").to_string(),
            rows,
        )
    }
}

#[component]
pub(crate) fn OverdueChart(agencies: Vec<AgencyTimeliness>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let max = agencies
            .iter()
            .map(|a| a.stats.overdue_value)
            .max()
            .unwrap_or_default();
        let rows = agencies
            .iter()
            .map(|a| {
                let share = if max > Decimal::ZERO {
                    a.stats.overdue_value / max
                } else {
                    Decimal::ZERO
                };
                (
                    a.agency_name.clone(),
                    share,
                    a.stats.overdue_count.to_string(),
                )
            })
            .collect();
        bar_chart(
            "overdue-chart",
            tr(
                lang.get(),
                "逾期未付金额（条形长度），右侧为笔数",
                "Overdue unpaid value (bar length), count on the right",
            )
            .to_string(),
            rows,
        )
    }
}

/// An on-time rate (a fraction) as a percentage for people: `66.67%`, or a dash.
pub(crate) fn rate_text(rate: Option<Decimal>) -> String {
    match rate {
        Some(r) => format!("{}%", (r * Decimal::ONE_HUNDRED).normalize()),
        None => "—".to_string(),
    }
}

/// A horizontal bar chart, one row per agency; `value` gives the bar's share (0..=1) and its
/// label. Drawn on the server; screen readers get the title and the table of figures above.
pub(crate) fn bar_chart(
    id: &'static str,
    title: String,
    rows: Vec<(String, Decimal, String)>,
) -> impl IntoView {
    let height = ROW_HEIGHT * rows.len() as u32 + 8;
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <figure class="chart">
            <svg
                role="img"
                aria-labelledby=labelled_by
                viewBox=format!("0 0 {CHART_WIDTH} {height}")
                width="100%"
                data-testid=id
            >
                <title id=title_id>{title}</title>
                {rows.into_iter().enumerate().map(|(i, (name, share, label))| {
                    let y = ROW_HEIGHT * i as u32;
                    let share = share.clamp(Decimal::ZERO, Decimal::ONE);
                    let width = (share * Decimal::from(CHART_WIDTH - 80)).round().to_string();
                    view! {
                        <g>
                            <text x="0" y=(y + 13).to_string() class="chart-label">{name}</text>
                            <rect x="0" y=(y + 18).to_string() width=(CHART_WIDTH - 80).to_string() height=BAR_HEIGHT.to_string() class="chart-track" />
                            <rect x="0" y=(y + 18).to_string() width=width height=BAR_HEIGHT.to_string() class="chart-bar" />
                            <text x=(CHART_WIDTH - 74).to_string() y=(y + 30).to_string() class="chart-value">{label}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// Chart geometry: a label line above each bar.
pub(crate) const CHART_WIDTH: u32 = 320;

pub(crate) const ROW_HEIGHT: u32 = 40;

pub(crate) const BAR_HEIGHT: u32 = 14;
