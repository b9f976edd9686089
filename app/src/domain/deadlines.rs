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

/// IR Art. 43: the award notice period (中标、成交结果公告期限为1个工作日) is 1 working day. The
/// platform publishes the notice at once; its period ends 1 working day after the notice's day
/// in China, and the time to challenge the award runs from that end (IR Art. 53).
pub const AWARD_NOTICE_WORKING_DAYS: u32 = 1;

/// R-CHAL-01: where a challenge's 7 working days run from, and their last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChallengeWindow {
    /// The day the 7 working days run from (not counted): the end of the documents'
    /// availability period, the day a procurement step was made public, or the end of the award
    /// notice period (IR Art. 53).
    pub runs_from: NaiveDate,
    /// The last day a challenge is accepted, and whether counting it (or its start) touched a
    /// provisional year (issue #34).
    pub until: Counted,
}

impl ChallengeWindow {
    /// The window whose 7 working days run from `runs_from` (its own count `from_provisional`).
    fn from_day(
        calendar: &WorkingCalendar,
        runs_from: NaiveDate,
        from_provisional: bool,
    ) -> Result<ChallengeWindow, CalendarError> {
        let until = working_days_after(calendar, runs_from, CHALLENGE_WORKING_DAYS)?;
        Ok(ChallengeWindow {
            runs_from,
            until: Counted {
                date: until.date,
                provisional: until.provisional || from_provisional,
            },
        })
    }

    /// Whether a challenge filed on `today` (in China) is in time: the window never refuses a
    /// challenge for coming early (a supplier that knew of the harm sooner may challenge sooner),
    /// only for coming after its last day.
    pub fn accepts(&self, today: NaiveDate) -> bool {
        today <= self.until.date
    }
}

/// R-CHAL-01, R-TIME-03 (IR Arts. 31, 53): the window to challenge the tender documents. It runs
/// 7 working days from the END of the documents' availability period (at least 5 working days
/// from publication, R-TIME-03; the platform keeps them available from publication and gives no
/// other end, so the period ends 5 working days after the publication day in China), not from
/// the publication. A clarification or amendment is part of the documents (IR Art. 31): one
/// published after that end starts the window again from its own day, since a supplier cannot
/// know of a harm in terms it has not yet received; the later start is the one that protects the
/// supplier.
pub fn terms_challenge_window(
    calendar: &WorkingCalendar,
    published: DateTime<Utc>,
    clarifications: impl IntoIterator<Item = DateTime<Utc>>,
) -> Result<ChallengeWindow, CalendarError> {
    let available_until = crate::domain::publication::documents_available_until_marked(
        published,
        calendar,
        &crate::domain::policy::Policy::CHINA,
    )?;
    let latest = clarifications
        .into_iter()
        .map(china_day)
        .max()
        .filter(|day| *day > available_until.date);
    match latest {
        Some(day) => ChallengeWindow::from_day(calendar, day, false),
        None => {
            ChallengeWindow::from_day(calendar, available_until.date, available_until.provisional)
        }
    }
}

/// R-CHAL-01: the last day to challenge the terms ([`terms_challenge_window`]).
pub fn terms_challenge_until(
    calendar: &WorkingCalendar,
    published: DateTime<Utc>,
    clarifications: impl IntoIterator<Item = DateTime<Utc>>,
) -> Result<Counted, CalendarError> {
    terms_challenge_window(calendar, published, clarifications).map(|w| w.until)
}

/// R-CHAL-01 (IR Arts. 43, 53): the window to challenge an award: 7 working days from the end of
/// the award notice period (1 working day, [`AWARD_NOTICE_WORKING_DAYS`]) of the latest award
/// notice of the tender; `None` while no award is published.
pub fn award_challenge_window(
    calendar: &WorkingCalendar,
    notices: impl IntoIterator<Item = DateTime<Utc>>,
) -> Result<Option<ChallengeWindow>, CalendarError> {
    notices
        .into_iter()
        .max()
        .map(|latest| {
            let period_end =
                working_days_after(calendar, china_day(latest), AWARD_NOTICE_WORKING_DAYS)?;
            ChallengeWindow::from_day(calendar, period_end.date, period_end.provisional)
        })
        .transpose()
}

/// R-CHAL-01: the last day to challenge an award ([`award_challenge_window`]).
pub fn award_challenge_until(
    calendar: &WorkingCalendar,
    notices: impl IntoIterator<Item = DateTime<Utc>>,
) -> Result<Option<Counted>, CalendarError> {
    award_challenge_window(calendar, notices).map(|w| w.map(|w| w.until))
}

/// R-CHAL-01 (IR Art. 53): the window to challenge a procurement step (the opening, the
/// evaluation): 7 working days from the day (in China) the step was made public: the opening
/// record when the bids are opened, the evaluation when its results are published. `None`
/// while the step is not public.
pub fn step_challenge_window(
    calendar: &WorkingCalendar,
    made_public: Option<DateTime<Utc>>,
) -> Result<Option<ChallengeWindow>, CalendarError> {
    made_public
        .map(|at| ChallengeWindow::from_day(calendar, china_day(at), false))
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

    /// IR Art. 53 (政府采购法实施条例第五十三条): for the tender documents the 7 working days run
    /// from the end of their availability period (R-TIME-03), not from the publication. This
    /// test asserted 11 November (7 working days from publication) before issue #33.
    #[test]
    fn r_chal_01_the_terms_window_runs_from_the_end_of_the_documents_availability() {
        let c = calendar_2026();
        // Published Monday 2 November 2026, 10:00 in China: the documents are available until
        // Monday 9 November (R-TIME-03: 3, 4, 5, 6, 9), and challenges run 7 working days from
        // that end: 10, 11, 12, 13, 16, 17, 18 November.
        let published = at(2026, 11, 2, 2);
        let none: [DateTime<Utc>; 0] = [];
        let w = terms_challenge_window(&c, published, none).unwrap();
        assert_eq!(w.runs_from, d(2026, 11, 9));
        assert_eq!(
            w.until,
            Counted {
                date: d(2026, 11, 18),
                provisional: false
            }
        );
        assert_eq!(
            terms_challenge_until(&c, published, none).unwrap().date,
            d(2026, 11, 18)
        );
        assert!(w.accepts(d(2026, 11, 2)), "early is never refused");
        assert!(w.accepts(d(2026, 11, 18)));
        assert!(!w.accepts(d(2026, 11, 19)));
    }

    #[test]
    fn r_chal_01_a_clarification_after_the_availability_period_starts_the_terms_window_again() {
        let c = calendar_2026();
        let published = at(2026, 11, 2, 2);
        // A clarification at 16:00 UTC on Tuesday 3 November is Wednesday 4 November in China,
        // inside the availability period: the window still runs from 9 November.
        let early = [at(2026, 11, 3, 16), at(2026, 11, 3, 1)];
        assert_eq!(
            terms_challenge_window(&c, published, early).unwrap(),
            ChallengeWindow {
                runs_from: d(2026, 11, 9),
                until: Counted {
                    date: d(2026, 11, 18),
                    provisional: false
                }
            }
        );
        // One on Thursday 12 November (16:00 UTC on the 11th) runs from its own day: 13, 16,
        // 17, 18, 19, 20, 23 November.
        let late = [at(2026, 11, 11, 16), at(2026, 11, 3, 1)];
        let w = terms_challenge_window(&c, published, late).unwrap();
        assert_eq!(w.runs_from, d(2026, 11, 12));
        assert_eq!(w.until.date, d(2026, 11, 23));
        // A clarification before the publication does not move the window back.
        assert_eq!(
            terms_challenge_until(&c, published, [at(2026, 10, 20, 2)])
                .unwrap()
                .date,
            d(2026, 11, 18)
        );
    }

    #[test]
    fn r_chal_01_the_terms_window_crosses_the_year_end_provisionally() {
        let c = calendar_2026();
        // Published Monday 21 December 2026: available until Monday 28 December (22, 23, 24,
        // 25, 28), then 29, 30, 31 December and, New Year's Day 2027 off, 4 to 7 January 2027,
        // counted on 2027's provisional calendar.
        let none: [DateTime<Utc>; 0] = [];
        let w = terms_challenge_window(&c, at(2026, 12, 21, 2), none).unwrap();
        assert_eq!(w.runs_from, d(2026, 12, 28));
        assert_eq!(
            w.until,
            Counted {
                date: d(2027, 1, 7),
                provisional: true
            }
        );
    }

    /// IR Arts. 43, 53: the award window runs from the end of the award notice period (1
    /// working day), not from the notice. This test asserted 12 November (7 working days from
    /// the notice) before issue #33.
    #[test]
    fn r_chal_01_the_award_window_runs_from_the_end_of_the_notice_period() {
        assert_eq!(AWARD_NOTICE_WORKING_DAYS, 1);
        let c = calendar_2026();
        let none: [DateTime<Utc>; 0] = [];
        assert_eq!(award_challenge_until(&c, none).unwrap(), None);
        // The latest notice on Tuesday 3 November: its period ends Wednesday 4 November, and
        // challenges run 5, 6, 9, 10, 11, 12, 13 November.
        let notices = [at(2026, 11, 2, 2), at(2026, 11, 3, 2)];
        let w = award_challenge_window(&c, notices).unwrap().unwrap();
        assert_eq!(w.runs_from, d(2026, 11, 4));
        assert_eq!(w.until.date, d(2026, 11, 13));
        assert_eq!(
            award_challenge_until(&c, notices).unwrap().map(|c| c.date),
            Some(d(2026, 11, 13))
        );
        // A notice on Thursday 31 December 2026: the period ends Monday 4 January 2027 (New
        // Year's Day off), challenges run to Wednesday 13 January 2027, provisionally.
        let w = award_challenge_window(&c, [at(2026, 12, 31, 2)])
            .unwrap()
            .unwrap();
        assert_eq!(w.runs_from, d(2027, 1, 4));
        assert_eq!(
            w.until,
            Counted {
                date: d(2027, 1, 13),
                provisional: true
            }
        );
    }

    #[test]
    fn r_chal_01_a_step_window_runs_from_the_day_the_step_is_made_public() {
        let c = calendar_2026();
        assert_eq!(step_challenge_window(&c, None).unwrap(), None);
        // Bids opened at 17:05 on Thursday 17 December 2026 in China: 18, 21, 22, 23, 24, 25,
        // 28 December.
        let w = step_challenge_window(&c, Some(at(2026, 12, 17, 9)))
            .unwrap()
            .unwrap();
        assert_eq!(w.runs_from, d(2026, 12, 17));
        assert_eq!(
            w.until,
            Counted {
                date: d(2026, 12, 28),
                provisional: false
            }
        );
        // Results published at 16:00 UTC on Tuesday 29 December, already Wednesday 30 December
        // in China: 31 December, then 4 to 8 and 11 January 2027.
        let w = step_challenge_window(&c, Some(at(2026, 12, 29, 16)))
            .unwrap()
            .unwrap();
        assert_eq!(w.runs_from, d(2026, 12, 30));
        assert_eq!(
            w.until,
            Counted {
                date: d(2027, 1, 11),
                provisional: true
            }
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
