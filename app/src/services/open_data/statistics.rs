//! The payment-timeliness figures (R-PAY-07) as the API shows them.

use super::{
    AgencyFigures, Amount, BidSecurityRefundFigures, OrganisationRef, Timeliness, TimelinessFigures,
};
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

/// R-SEC-01: the bid-security refunds as the API shows them.
fn refunds(s: &crate::domain::bid_security::RefundStats) -> BidSecurityRefundFigures {
    BidSecurityRefundFigures {
        due: s.due,
        refunded_on_time: s.refunded_on_time,
        refunded_late: s.refunded_late,
        overdue: s.overdue,
    }
}

/// How promptly agencies pay, overall and per agency, for payables due in `year` (all years
/// without one), counted as of that year's end once it is over (R-PAY-07); with the contracts
/// overdue as PAY Art. 18 counts them and the bid-security refunds (R-SEC-01).
pub async fn payment_timeliness(
    state: &AppState,
    year: Option<i32>,
) -> Result<Timeliness, AppError> {
    let report = crate::services::contracts::timeliness_report(state, year).await?;
    Ok(Timeliness {
        as_of: report.as_of,
        year: report.year,
        overall: figures(&report.overall, &report.overall_late_acts),
        overall_bid_security_refunds: refunds(&report.overall_bid_security),
        agencies: report
            .agencies
            .iter()
            .map(|a| AgencyFigures {
                agency: OrganisationRef {
                    id: a.agency_id,
                    name: a.agency_name.clone(),
                },
                figures: figures(&a.stats, &a.late_acts),
                bid_security_refunds: refunds(&a.bid_security),
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
