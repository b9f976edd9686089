//! Deadlines of a procurement after the bids (issue #32: every deadline in one place): the time
//! to challenge and to answer a challenge (R-CHAL-01), the contract's signature and publication
//! (R-AWARD-01). Working days are the calendar's, never a guess: a year 2000-2100 without its
//! notice is counted provisionally (and said so in [`Counted::provisional`]); a year outside has
//! no calendar and is an error the caller reports.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::calendar::{CalendarError, Counted, WorkingCalendar};
use crate::domain::china_day;

/// R-AWARD-01's contract deadlines live in `payment.rs` beside the contract's other terms (the
/// contracts use them); re-exported so the bids and the contracts count them one way.
pub use crate::domain::payment::{
    publication_deadline, publication_deadline_marked, signing_deadline, PUBLICATION_WORKING_DAYS,
    SIGNING_DAYS,
};

/// R-CHAL-01: the working days to challenge, and to answer.
pub const CHALLENGE_WORKING_DAYS: u32 = 7;

/// `n` working days after `day` (not counting `day`), as the calendar counts them.
pub fn working_days_after(
    calendar: &WorkingCalendar,
    day: NaiveDate,
    n: u32,
) -> Result<Counted, CalendarError> {
    calendar.add_working_days_marked(day, n)
}

/// R-CHAL-01: the last day to challenge the terms: 7 working days after the day (in China) the
/// tender or its latest clarification was published.
pub fn terms_challenge_until(
    calendar: &WorkingCalendar,
    published: DateTime<Utc>,
    clarifications: impl IntoIterator<Item = DateTime<Utc>>,
) -> Result<Counted, CalendarError> {
    let latest = clarifications.into_iter().fold(published, DateTime::max);
    working_days_after(calendar, china_day(latest), CHALLENGE_WORKING_DAYS)
}

/// R-CHAL-01: the last day to challenge an award: 7 working days after the day (in China) of the
/// latest award notice of the tender; `None` while no award is published.
pub fn award_challenge_until(
    calendar: &WorkingCalendar,
    notices: impl IntoIterator<Item = DateTime<Utc>>,
) -> Result<Option<Counted>, CalendarError> {
    notices
        .into_iter()
        .max()
        .map(|latest| working_days_after(calendar, china_day(latest), CHALLENGE_WORKING_DAYS))
        .transpose()
}

/// R-CHAL-01: the day the agency must answer a challenge filed on `filed_on`, 7 working days on.
pub fn challenge_answer_due(
    calendar: &WorkingCalendar,
    filed_on: NaiveDate,
) -> Result<Counted, CalendarError> {
    working_days_after(calendar, filed_on, CHALLENGE_WORKING_DAYS)
}

/// R-SEC-01: the day a bidder's bid security is refunded by: 5 working days after the day (in
/// China) of the award notice, and whether that count touched a provisional year (issue #34).
pub fn bid_security_refund_by(
    calendar: &WorkingCalendar,
    notice_at: DateTime<Utc>,
) -> Result<Counted, CalendarError> {
    working_days_after(
        calendar,
        china_day(notice_at),
        crate::domain::policy::Policy::CHINA.bid_security_refund_working_days,
    )
}

/// R-AWARD-01: the day the contract of an award decided at `decided_at` must be signed by: 30
/// calendar days after the award's day in China.
pub fn sign_contract_by(decided_at: DateTime<Utc>) -> NaiveDate {
    signing_deadline(china_day(decided_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::calendar_2026;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// 16:00 UTC is already the next day in China.
    fn at(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, 0, 0).unwrap()
    }

    #[test]
    fn challenge_window_is_7_working_days_r_chal_01() {
        assert_eq!(CHALLENGE_WORKING_DAYS, 7);
        // Monday 2 November 2026: a week without holidays, Tuesday 3 to Wednesday 11.
        let c = calendar_2026();
        let due = working_days_after(&c, d(2026, 11, 2), CHALLENGE_WORKING_DAYS).unwrap();
        assert_eq!(
            due,
            Counted {
                date: d(2026, 11, 11),
                provisional: false
            }
        );
        assert_eq!(challenge_answer_due(&c, d(2026, 11, 2)).unwrap(), due);
    }

    #[test]
    fn working_days_skip_holidays_and_count_make_up_weekends_r_chal_01() {
        let c = calendar_2026();
        // Wednesday 30 September 2026: 1 to 7 October off, Saturday 10 October worked.
        assert_eq!(
            working_days_after(&c, d(2026, 9, 30), 7).unwrap().date,
            d(2026, 10, 15)
        );
    }

    #[test]
    fn terms_window_runs_from_the_latest_clarification_in_china_r_chal_01() {
        let c = calendar_2026();
        let published = at(2026, 11, 2, 2);
        let none: [DateTime<Utc>; 0] = [];
        assert_eq!(
            terms_challenge_until(&c, published, none).unwrap().date,
            d(2026, 11, 11)
        );
        // A clarification at 16:00 UTC on Tuesday 3 November is Wednesday 4 November in China.
        let later = [at(2026, 11, 3, 16), at(2026, 11, 3, 1)];
        assert_eq!(
            terms_challenge_until(&c, published, later).unwrap().date,
            d(2026, 11, 13)
        );
        // A clarification before the publication does not move the window back.
        assert_eq!(
            terms_challenge_until(&c, published, [at(2026, 10, 20, 2)])
                .unwrap()
                .date,
            d(2026, 11, 11)
        );
    }

    #[test]
    fn award_window_runs_from_the_latest_notice_r_chal_01() {
        let c = calendar_2026();
        let none: [DateTime<Utc>; 0] = [];
        assert_eq!(award_challenge_until(&c, none).unwrap(), None);
        let notices = [at(2026, 11, 2, 2), at(2026, 11, 3, 2)];
        assert_eq!(
            award_challenge_until(&c, notices).unwrap().map(|c| c.date),
            Some(d(2026, 11, 12))
        );
    }

    #[test]
    fn a_year_without_its_notice_is_counted_provisionally_not_by_weekdays_r_chal_01() {
        // No weekday guess: 2027's statutory holidays are days off even without its notice.
        let c = calendar_2026();
        let counted = working_days_after(&c, d(2026, 12, 30), CHALLENGE_WORKING_DAYS).unwrap();
        assert!(counted.provisional);
        // New Year's Day 2027 (a Friday) is off: 31 Dec, 4-8 Jan, 11 Jan.
        assert_eq!(counted.date, d(2027, 1, 11));
    }

    #[test]
    fn a_year_outside_the_calendar_is_an_error_r_chal_01() {
        let c = WorkingCalendar::default();
        assert_eq!(
            working_days_after(&c, d(2100, 12, 30), CHALLENGE_WORKING_DAYS),
            Err(CalendarError::NoDataFor(2101))
        );
        assert!(award_challenge_until(&c, [at(2100, 12, 30, 0)]).is_err());
    }

    #[test]
    fn the_contract_is_signed_within_30_days_of_the_award_day_in_china_r_award_01() {
        assert_eq!(SIGNING_DAYS, 30);
        // Calendar days, holidays included.
        assert_eq!(sign_contract_by(at(2026, 9, 30, 2)), d(2026, 10, 30));
        // Decided at 16:00 UTC on 30 September: 1 October in China.
        assert_eq!(sign_contract_by(at(2026, 9, 30, 16)), d(2026, 10, 31));
    }

    #[test]
    fn the_contract_is_published_within_2_working_days_of_signing_r_award_01() {
        let c = calendar_2026();
        // Signed Wednesday 30 September: 8 October is the first working day after the holiday.
        assert_eq!(
            publication_deadline(&c, d(2026, 9, 30)).unwrap(),
            d(2026, 10, 9)
        );
        assert_eq!(PUBLICATION_WORKING_DAYS, 2);
    }

    #[test]
    fn bid_security_is_refunded_within_5_working_days_of_the_award_and_marked_provisional_r_sec_01()
    {
        let c = calendar_2026();
        // Notice at 10:00 on Monday 2 November 2026 in China: Tuesday 3 to Monday 9 November.
        let refund = bid_security_refund_by(&c, at(2026, 11, 2, 2)).unwrap();
        assert_eq!(
            refund,
            Counted {
                date: d(2026, 11, 9),
                provisional: false
            }
        );
        assert_eq!(
            crate::domain::publication::bid_security_refund_due(
                d(2026, 11, 2),
                &c,
                &crate::domain::policy::Policy::CHINA
            )
            .unwrap(),
            refund.date,
            "the same count as the publication's"
        );
        // Monday 28 December 2026: 29-31 December, then 4 and 5 January 2027, provisional.
        assert_eq!(
            bid_security_refund_by(&c, at(2026, 12, 28, 2)).unwrap(),
            Counted {
                date: d(2027, 1, 5),
                provisional: true
            }
        );
    }
}
