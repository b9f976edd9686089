//! R-PAY-07: the public payment timeliness report and its CSV text.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::bid_security::{refund_stats, RefundStats};
use crate::domain::payment::{
    figures_as_of, publication_timeliness, signing_timeliness, year_figures, ActTimeliness,
    ContractPayables, LateActs, PayableRecord, PaymentTerm,
};
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::infra::entities::{contract, milestone, organisation, payment};
use crate::model::contracts::*;
use crate::services::AppState;

use super::{contracts_with_milestones, milestone_view};

/// R-PAY-07: one payable per milestone whose payment clock has started, as the statistics need
/// it: paid on the day its principal payments reached the payable amount. Payments dated after
/// `as_of` (the day the figures are counted as of) are not made yet.
fn payable_record(
    c: &contract::Model,
    m: &milestone::Model,
    payments: &[payment::Model],
    today: NaiveDate,
    as_of: NaiveDate,
) -> Option<PayableRecord> {
    let view = milestone_view(c, m, payments, today);
    let due_date = view.due_date?;
    let term = PaymentTerm::new(c.payment_term_days.max(0) as u32).unwrap_or_default();
    let clock_start = due_date
        .checked_sub_days(Days::new(u64::from(term.days())))
        .unwrap_or(due_date);
    let mut paid = Money::ZERO;
    let mut paid_on = None;
    let mut interest_paid = Money::ZERO;
    for p in payments.iter().filter(|p| p.paid_on <= as_of) {
        let amount = Money::from_fen(p.amount_fen);
        if p.kind == PaymentKind::Interest.code() {
            interest_paid = interest_paid.checked_add(amount).unwrap_or(interest_paid);
        } else if paid_on.is_none() {
            paid = paid.checked_add(amount).unwrap_or(paid);
            if paid >= view.payable {
                paid_on = Some(p.paid_on);
            }
        }
    }
    Some(PayableRecord {
        amount: view.payable,
        clock_start,
        due_date,
        paid_on,
        interest_paid,
    })
}

/// R-AWARD-01: the contract's signature and publication against their last days, as its page
/// marks them.
fn contract_acts(
    calendars: &crate::domain::calendar::CalendarBook,
    c: &contract::Model,
    today: NaiveDate,
) -> (ActTimeliness, ActTimeliness) {
    let publish_by = super::views::publish_by_in(calendars, c.signed_at).date;
    (
        signing_timeliness(c.awarded_on, china_day(c.signed_at)),
        publication_timeliness(publish_by, c.published_at.map(china_day), today),
    )
}

/// R-PAY-07: the public timeliness report: overall and per agency, for one year of due dates
/// or all of them. It reads every contract, so it is computed once and shared until something
/// changes or the day turns (`AppState::timeliness`).
pub async fn timeliness_report(
    state: &AppState,
    year: Option<i32>,
) -> Result<std::sync::Arc<TimelinessReport>, AppError> {
    let today = china_day(state.clock.now());
    state
        .timeliness
        .get_or_compute(&state.changes, (year, today), || {
            compute_timeliness_report(state, year, today)
        })
        .await
}

async fn compute_timeliness_report(
    state: &AppState,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<TimelinessReport, AppError> {
    use chrono::Datelike;
    // R-PAY-07: a year that is over is counted as of its last day (PAY Art. 18).
    let as_of = figures_as_of(year, today);
    let contracts = contracts_with_milestones(&state.db, None).await?;
    let mut years = BTreeSet::new();
    let mut all = Vec::new();
    let mut by_agency: BTreeMap<Uuid, Vec<ContractPayables>> = Default::default();
    let mut late_acts: HashMap<Uuid, LateActs> = Default::default();
    let mut overall_late_acts = LateActs::default();
    let calendars = state.calendar.book();
    for (c, milestones) in &contracts {
        // R-AWARD-01: the contracts signed in the year (or all), each signed and published in
        // time or marked late.
        if year.is_none_or(|y| china_day(c.signed_at).year() == y) {
            let (signing, publication) = contract_acts(&calendars, c, today);
            late_acts
                .entry(c.agency_id)
                .or_default()
                .add(signing, publication);
            overall_late_acts.add(signing, publication);
        }
        let payables: Vec<PayableRecord> = milestones
            .iter()
            .filter_map(|(m, payments)| payable_record(c, m, payments, today, as_of))
            .collect();
        years.extend(payables.iter().map(|r| r.due_date.year()));
        // R-PAY-07: the value PAY Art. 18 counts is the contract's value (as last amended).
        let record = ContractPayables {
            value: Money::from_fen(c.value_fen),
            payables,
        };
        by_agency
            .entry(c.agency_id)
            .or_default()
            .push(record.clone());
        all.push(record);
    }
    // R-SEC-01: the bid-security refunds, by agency, for the same period and day.
    let refunds = crate::services::bids::refund_records(state).await?;
    for records in refunds.values() {
        years.extend(records.iter().filter_map(|r| r.due).map(|d| d.year()));
    }
    let ids: BTreeSet<Uuid> = by_agency.keys().chain(refunds.keys()).copied().collect();
    let names: HashMap<Uuid, String> = if ids.is_empty() {
        Default::default()
    } else {
        organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(ids.iter().copied()))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    };
    let mut overall_bid_security = RefundStats::default();
    let mut agencies: Vec<AgencyTimeliness> = ids
        .into_iter()
        .map(|agency_id| {
            let contracts = by_agency.get(&agency_id).map_or(&[][..], Vec::as_slice);
            let securities = refunds.get(&agency_id).map_or(&[][..], Vec::as_slice);
            let bid_security = refund_stats(securities, year, today);
            overall_bid_security.add(&bid_security);
            AgencyTimeliness {
                agency_id,
                agency_name: names.get(&agency_id).cloned().unwrap_or_default(),
                stats: year_figures(contracts, year, today),
                late_acts: late_acts.get(&agency_id).copied().unwrap_or_default(),
                bid_security,
            }
        })
        .collect();
    agencies.sort_by(|a, b| a.agency_name.cmp(&b.agency_name));
    Ok(TimelinessReport {
        as_of,
        year,
        years: years.into_iter().rev().collect(),
        overall: year_figures(&all, year, today),
        overall_late_acts,
        overall_bid_security,
        agency_total: agencies.len(),
        agency_offset: 0,
        agencies,
    })
}

/// One CSV field, always quoted (quotes doubled); a field a spreadsheet would run as a formula
/// starts with an apostrophe.
pub(crate) fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// R-PAY-07: the timeliness report as CSV, one row per agency and a last row for all of them.
/// After the per-milestone figures: the contracts with a payment overdue and unpaid on `as_of`
/// and their value (the contracts' values, PAY Art. 18), and the bid-security refunds that fell
/// due, were late, and are overdue (R-SEC-01).
pub fn timeliness_csv_text(report: &TimelinessReport) -> String {
    let mut out = String::from(
        "agency,as_of,year,payables,paid,paid_on_time,paid_late,on_time_rate,median_days_to_pay,overdue_count,overdue_value_cny,interest_paid_cny,overdue_contracts,overdue_contract_value_cny,contracts,signed_late,published_late,bid_security_refunds_due,bid_security_refunded_late,bid_security_refunds_overdue\r\n",
    );
    let year = report.year.map(|y| y.to_string()).unwrap_or_default();
    let rows = report
        .agencies
        .iter()
        .map(|a| {
            (
                a.agency_name.as_str(),
                &a.stats,
                &a.late_acts,
                &a.bid_security,
            )
        })
        .chain(std::iter::once((
            "全部 / All",
            &report.overall,
            &report.overall_late_acts,
            &report.overall_bid_security,
        )));
    for (name, s, acts, b) in rows {
        let cells = [
            csv_field(name),
            report.as_of.to_string(),
            year.clone(),
            s.payables.to_string(),
            s.paid.to_string(),
            s.paid_on_time.to_string(),
            s.paid_late.to_string(),
            s.on_time_rate.map(|r| r.to_string()).unwrap_or_default(),
            s.median_days_to_pay
                .map(|d| d.to_string())
                .unwrap_or_default(),
            s.overdue_count.to_string(),
            format!("{:.2}", s.overdue_value),
            format!("{:.2}", s.interest_paid),
            s.overdue_contracts.to_string(),
            format!("{:.2}", s.overdue_contract_value),
            // R-AWARD-01
            acts.contracts.to_string(),
            acts.signed_late.to_string(),
            acts.published_late.to_string(),
            // R-SEC-01
            b.due.to_string(),
            b.refunded_late.to_string(),
            b.overdue.to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::payment::TimelinessStats;
    use rust_decimal::Decimal;

    #[test]
    fn r_pay_07_csv_quotes_names_and_disarms_formulas() {
        assert_eq!(csv_field("杭州市财政局"), "\"杭州市财政局\"");
        assert_eq!(csv_field("A \"B\", C"), "\"A \"\"B\"\", C\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        let stats = |paid_on_time, paid_late| TimelinessStats {
            payables: paid_on_time + paid_late,
            paid: paid_on_time + paid_late,
            paid_on_time,
            paid_late,
            on_time_rate: Some(Decimal::new(5, 1)),
            median_days_to_pay: Some(Decimal::new(285, 1)),
            overdue_count: 0,
            overdue_value: Decimal::ZERO,
            interest_paid: Decimal::new(142500, 2),
            overdue_contracts: 1,
            overdue_contract_value: Decimal::new(285000000, 2),
        };
        let refunds = RefundStats {
            due: 3,
            refunded_on_time: 1,
            refunded_late: 1,
            overdue: 1,
        };
        let report = TimelinessReport {
            as_of: NaiveDate::from_ymd_opt(2027, 1, 20).unwrap(),
            year: Some(2027),
            years: vec![2027],
            overall: stats(1, 1),
            overall_late_acts: LateActs {
                contracts: 2,
                signed_late: 1,
                published_late: 1,
            },
            overall_bid_security: refunds.clone(),
            agencies: vec![AgencyTimeliness {
                agency_id: Uuid::nil(),
                agency_name: "示范市财政局, 采购处".into(),
                stats: stats(1, 1),
                late_acts: LateActs {
                    contracts: 2,
                    signed_late: 1,
                    published_late: 0,
                },
                bid_security: refunds,
            }],
            agency_total: 1,
            agency_offset: 0,
        };
        let csv = timeliness_csv_text(&report);
        let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[1],
            "\"示范市财政局, 采购处\",2027-01-20,2027,2,2,1,1,0.5,28.5,0,0.00,1425.00,1,2850000.00,2,1,0,3,1,1"
        );
        assert!(rows[0].contains(",overdue_contracts,overdue_contract_value_cny,contracts,"));
        assert!(rows[0].ends_with(
            ",published_late,bid_security_refunds_due,bid_security_refunded_late,bid_security_refunds_overdue"
        ));
        assert!(rows[2].starts_with("\"全部 / All\","));
        assert!(rows[2].ends_with(",2,1,1,3,1,1"), "{}", rows[2]);
    }
}
