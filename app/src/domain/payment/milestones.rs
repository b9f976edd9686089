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

/// R-AWARD-01: whether an act with a last day (the contract's signature, its publication) was done
/// in time. A late act is allowed (the contract must exist whatever the agency's delay) but
/// marked, publicly, with how late it was. Days late are calendar days after the last day, the
/// plain count a reader checks against the dates shown (a working-day count would call a
/// publication on the Saturday after a Friday deadline "0 days late").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActTimeliness {
    /// Done by its last day.
    OnTime,
    /// Done, this many days after its last day.
    Late { days: u32 },
    /// Not done yet; its last day has not passed.
    Pending,
    /// Not done yet, and its last day passed this many days ago.
    Overdue { days: u32 },
}

impl ActTimeliness {
    /// The act done on `done_on` (`None`: not yet, as of `today`) against its `last_day`.
    pub fn of(last_day: NaiveDate, done_on: Option<NaiveDate>, today: NaiveDate) -> ActTimeliness {
        let after = |day: NaiveDate| u32::try_from(days_between(last_day, day)).unwrap_or(u32::MAX);
        match done_on {
            Some(day) if day <= last_day => ActTimeliness::OnTime,
            Some(day) => ActTimeliness::Late { days: after(day) },
            None if today <= last_day => ActTimeliness::Pending,
            None => ActTimeliness::Overdue { days: after(today) },
        }
    }

    /// Days past the last day: of a late act, or of one still not done after it.
    pub fn days_late(self) -> Option<u32> {
        match self {
            ActTimeliness::Late { days } | ActTimeliness::Overdue { days } => Some(days),
            ActTimeliness::OnTime | ActTimeliness::Pending => None,
        }
    }

    /// Done late, or still not done after the last day.
    pub fn is_late(self) -> bool {
        self.days_late().is_some()
    }
}

/// R-AWARD-01 (GPL Art. 46): the contract signed on `signed_on` for an award decided on
/// `award_day` (both days in China), against the 30 days from the award.
pub fn signing_timeliness(award_day: NaiveDate, signed_on: NaiveDate) -> ActTimeliness {
    ActTimeliness::of(signing_deadline(award_day), Some(signed_on), signed_on)
}

/// R-AWARD-01 (IR Art. 50): the contract published on `published_on` (`None`: not yet, as of
/// `today`) against its last day `publish_by` (2 working days after signing,
/// [`publication_deadline`], counted as set at the signing).
pub fn publication_timeliness(
    publish_by: NaiveDate,
    published_on: Option<NaiveDate>,
    today: NaiveDate,
) -> ActTimeliness {
    ActTimeliness::of(publish_by, published_on, today)
}

/// R-AWARD-01: an agency's contracts as the public figures count them: how many were signed late
/// and how many were published late. A contract still unpublished after its last day counts as
/// published late: an agency that never publishes must not look better than one that publishes
/// late (the reading that keeps the figure honest for the suppliers who rely on it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateActs {
    pub contracts: usize,
    pub signed_late: usize,
    pub published_late: usize,
}

impl LateActs {
    /// Adds one contract's signature and publication.
    pub fn add(&mut self, signing: ActTimeliness, publication: ActTimeliness) {
        self.contracts += 1;
        self.signed_late += usize::from(signing.is_late());
        self.published_late += usize::from(publication.is_late());
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::calendar_2026;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn r_award_01_a_contract_signed_after_30_days_is_marked_late_by_the_days_past() {
        // Awarded Friday 27 November 2026: sign by Sunday 27 December (calendar days).
        let awarded = day(2026, 11, 27);
        assert_eq!(signing_deadline(awarded), day(2026, 12, 27));
        assert_eq!(
            signing_timeliness(awarded, day(2026, 12, 27)),
            ActTimeliness::OnTime
        );
        // Signed Monday 4 January 2027: 8 days late, across the year end.
        let late = signing_timeliness(awarded, day(2027, 1, 4));
        assert_eq!(late, ActTimeliness::Late { days: 8 });
        assert_eq!(late.days_late(), Some(8));
        assert!(late.is_late());
    }

    #[test]
    fn r_award_01_a_contract_published_after_2_working_days_is_marked_late() {
        let c = calendar_2026();
        // Signed Wednesday 30 December 2026: publish by Monday 4 January 2027 (31 December,
        // then New Year's Day off and the weekend), provisionally.
        let by = publication_deadline_marked(&c, day(2026, 12, 30)).unwrap();
        assert_eq!(by.date, day(2027, 1, 4));
        assert!(by.provisional);
        let today = day(2027, 1, 8);
        assert_eq!(
            publication_timeliness(by.date, Some(day(2027, 1, 4)), today),
            ActTimeliness::OnTime
        );
        // Published Saturday 9 January: 5 calendar days late (a working-day count would say 4,
        // and a Saturday publication after a Friday deadline 0).
        assert_eq!(
            publication_timeliness(by.date, Some(day(2027, 1, 9)), today),
            ActTimeliness::Late { days: 5 }
        );
        // Not published: pending until the last day, overdue after it.
        assert_eq!(
            publication_timeliness(by.date, None, day(2027, 1, 4)),
            ActTimeliness::Pending
        );
        let overdue = publication_timeliness(by.date, None, today);
        assert_eq!(overdue, ActTimeliness::Overdue { days: 4 });
        assert!(overdue.is_late());
        assert!(!ActTimeliness::Pending.is_late());
    }

    #[test]
    fn r_award_01_the_figures_count_late_signatures_and_late_or_missing_publications() {
        let mut acts = LateActs::default();
        acts.add(ActTimeliness::OnTime, ActTimeliness::OnTime);
        acts.add(ActTimeliness::Late { days: 3 }, ActTimeliness::Pending);
        acts.add(ActTimeliness::OnTime, ActTimeliness::Late { days: 1 });
        acts.add(ActTimeliness::OnTime, ActTimeliness::Overdue { days: 9 });
        assert_eq!(
            acts,
            LateActs {
                contracts: 4,
                signed_late: 1,
                published_late: 2
            }
        );
    }
}
