//! R-AWARD-01 (signing and publishing the contract), the milestone plan, and R-PAY-02/R-PAY-04:
//! when payment falls due.

use super::*;

// ---------------------------------------------------------------------------------------------
// R-AWARD-01: signing and publishing the contract
// ---------------------------------------------------------------------------------------------

/// R-AWARD-01: the last day to sign the contract, 30 days after the award.
pub fn signing_deadline(award_day: NaiveDate) -> NaiveDate {
    add_days(award_day, SIGNING_DAYS)
}

/// R-AWARD-01: the last day to publish the contract, 2 working days after signing.
pub fn publication_deadline(
    calendar: &WorkingCalendar,
    signed_on: NaiveDate,
) -> Result<NaiveDate, CalendarError> {
    publication_deadline_marked(calendar, signed_on).map(|c| c.date)
}

/// [`publication_deadline`], and whether it was counted on a provisional year (issue #34).
pub fn publication_deadline_marked(
    calendar: &WorkingCalendar,
    signed_on: NaiveDate,
) -> Result<Counted, CalendarError> {
    calendar.add_working_days_marked(signed_on, PUBLICATION_WORKING_DAYS)
}

// ---------------------------------------------------------------------------------------------
// Milestones
// ---------------------------------------------------------------------------------------------

/// One milestone (付款节点) of a contract's payment plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestonePlan {
    pub deliverable: String,
    pub amount: Money,
    pub planned_date: NaiveDate,
    /// An advance payment (预付款), paid before delivery.
    pub advance_payment: bool,
}

/// Checks a payment plan and reports every problem at once, on the field it concerns
/// (`milestones[2].amount`): at least one milestone, each with a deliverable and an amount above
/// zero, the amounts summing exactly to the contract value (not even a fen apart).
pub fn check_milestones(
    contract_value: Money,
    milestones: &[MilestonePlan],
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if milestones.is_empty() {
        errors.push(FieldError::new(
            "milestones",
            Text::new("请至少设置一个付款节点。", "Add at least one milestone."),
        ));
        return Err(errors);
    }
    let mut sum = Decimal::ZERO;
    for (i, m) in milestones.iter().enumerate() {
        let mut own = Vec::new();
        text_field(
            &m.deliverable,
            "deliverable",
            MAX_DELIVERABLE_CHARS,
            true,
            &mut own,
        );
        errors.extend(
            own.into_iter()
                .map(|e| FieldError::new(format!("milestones[{i}].deliverable"), e.message)),
        );
        if m.amount <= Money::ZERO {
            errors.push(FieldError::new(
                format!("milestones[{i}].amount"),
                Text::new(
                    "付款节点金额必须大于 0。",
                    "A milestone's amount must be more than 0.",
                ),
            ));
        }
        // Exact: at most 2 decimals each, far from Decimal's limits.
        sum += m.amount.amount();
    }
    if sum != contract_value.amount() {
        let diff = sum - contract_value.amount();
        errors.push(FieldError::new(
            "milestones",
            Text::new(
                format!(
                    "各付款节点金额合计 {}，与合同金额 {} 不一致（相差 {}）。",
                    yuan(sum),
                    contract_value.format_cny(),
                    yuan(diff)
                ),
                format!(
                    "The milestones add up to {}, not the contract value of {} (a difference of {}).",
                    yuan(sum),
                    contract_value.format_cny(),
                    yuan(diff)
                ),
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------------
// R-PAY-02, R-PAY-04: when payment falls due
// ---------------------------------------------------------------------------------------------

/// R-PAY-02: the day the payment clock starts for a delivery on `delivered_on` with an
/// acceptance period of `acceptance_days`:
/// - accepted within the period: the acceptance day;
/// - accepted late, or not accepted by the period's end: the period's end (accepting late does
///   not delay the clock);
/// - not accepted and `today` on or before the period's last day: `None`, the clock has not
///   started (the agency may still decide: `contract::acceptance_open`, the same rule that
///   allows a rejection).
///
/// Where payment does not follow acceptance, pass an acceptance period of 0: the clock starts
/// on delivery.
pub fn payment_clock_start(
    delivered_on: NaiveDate,
    acceptance_days: u32,
    accepted_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let period_end = add_days(delivered_on, acceptance_days);
    let open = crate::domain::contract::acceptance_open(
        delivered_on,
        i32::try_from(acceptance_days).unwrap_or(i32::MAX),
        today,
    );
    match accepted_on {
        Some(accepted) => Some(accepted.min(period_end)),
        // R-PAY-02: not accepted by the end of the period: once its last day has passed (the
        // agency may still reject on it), the clock counts from that day.
        None if !open => Some(period_end),
        None => None,
    }
}
