//! The payment-timeliness figures (R-PAY-07) as the API shows them.

use super::{AgencyFigures, Amount, OrganisationRef, Timeliness, TimelinessFigures};
use crate::error::AppError;
use crate::services::AppState;

fn figures(
    s: &crate::domain::payment::TimelinessStats,
    acts: &crate::domain::payment::LateActs,
) -> TimelinessFigures {
    let yuan = |d: rust_decimal::Decimal| Amount {
        amount: format!("{d:.2}"),
        currency: "CNY".into(),
    };
    TimelinessFigures {
        payables: s.payables,
        paid: s.paid,
        paid_on_time: s.paid_on_time,
        paid_late: s.paid_late,
        on_time_rate: s.on_time_rate.map(|r| r.to_string()),
        median_days_to_pay: s.median_days_to_pay.map(|d| d.to_string()),
        overdue_count: s.overdue_count,
        overdue_value: yuan(s.overdue_value),
        interest_paid: yuan(s.interest_paid),
        contracts: acts.contracts,
        contracts_signed_late: acts.signed_late,
        contracts_published_late: acts.published_late,
        overdue_contracts: s.overdue_contracts,
        overdue_contract_value: yuan(s.overdue_contract_value),
    }
}

/// How promptly agencies pay, overall and per agency, for payables due in `year` (all years
/// without one), counted as of that year's end once it is over (R-PAY-07); with the contracts
/// overdue as PAY Art. 18 counts them.
pub async fn payment_timeliness(
    state: &AppState,
    year: Option<i32>,
) -> Result<Timeliness, AppError> {
    let report = crate::services::contracts::timeliness_report(state, year).await?;
    Ok(Timeliness {
        as_of: report.as_of,
        year: report.year,
        overall: figures(&report.overall, &report.overall_late_acts),
        agencies: report
            .agencies
            .iter()
            .map(|a| AgencyFigures {
                agency: OrganisationRef {
                    id: a.agency_id,
                    name: a.agency_name.clone(),
                },
                figures: figures(&a.stats, &a.late_acts),
            })
            .collect(),
    })
}

/// The same figures as CSV text (without the byte-order mark).
pub async fn payment_timeliness_csv(
    state: &AppState,
    year: Option<i32>,
) -> Result<String, AppError> {
    let report = crate::services::contracts::timeliness_report(state, year).await?;
    Ok(crate::services::contracts::timeliness_csv_text(&report))
}
