//! The provisional year (issue #34): the days off of a year whose State Council notice is not
//! loaded, so that a count of working days reaching into it is made, and marked provisional,
//! instead of refused.
//!
//! It starts from the statutory holidays of 全国年节及纪念日放假办法 (2024 revision, in force
//! since 2025) and takes as off every day the notices have joined to them, so that a provisional
//! count of working days never ends earlier than the official count will (R-TIME-01, R-TIME-03,
//! R-CHAL-01, R-AWARD-01, R-SEC-01 all count here). It is enough that every working day of the
//! provisional year is a working day of the official one: then the provisional `n`th working day
//! is never before the official `n`th. Hence:
//!
//! - No weekend day is worked: no make-up working weekends (调休上班), which only notices set.
//! - A single-day holiday (New Year's Day, Qingming, Dragon Boat, Mid-Autumn on its own) is off
//!   with the weekday the notices join to it: the Monday before a Tuesday and the Friday after a
//!   Thursday (bridged by a make-up weekend day), the Monday after a Saturday or Sunday (the day
//!   owed for a holiday on a weekend). The weekend next to it is off anyway. A Monday
//!   31 December is off when New Year's Day follows on the Tuesday.
//! - Spring Festival (lunar New Year's Eve to 1/3): from the eve, every day until six weekdays
//!   are off, the four statutory days (or the days owed for those on a weekend) and at most two
//!   make-up swaps, as in every notice. That is the eve to 1/7 (2025: 28 January to 4 February;
//!   2026: to 23 February, from the Sunday before), and the Monday after when the eve falls on
//!   a weekend.
//! - Labour Day (1-2 May): 1-5 May, the widest span the notices give (2020, 2021, 2024-2026),
//!   and Monday 30 April when 1 May is a Tuesday (2018 bridged it).
//! - National Day (1-3 October): 1-7 October. With Mid-Autumn from 28 September to 8 October the
//!   notices join the two: from the earlier, every day until six weekdays are off (2017, 2020,
//!   2025: 1-8 October; 2023: 29 September to 6 October).
//!
//! The tests hold this against the files of 2025 and 2026 and against every notice since 2014.
//! A notice can still do what none since 2014 did (until 2013 a Wednesday holiday was joined to a
//! weekend by two make-up days; 2015 added a one-off holiday): the count says it is provisional
//! so callers can say so, and a deadline set before the year is loaded is recounted with
//! `never_shortens`.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::{is_weekend, lunar};

/// The years a provisional calendar is made for; outside them a year needs its file.
pub const FIRST: i32 = 2000;
pub const LAST: i32 = 2100;
const YEARS: usize = (LAST - FIRST + 1) as usize;

/// The weekdays off of the provisional `year`, `None` outside [`FIRST`]..=[`LAST`]. A pure
/// function of the year, so each year is computed once per process and shared.
pub(super) fn days_off(year: i32) -> Option<&'static BTreeSet<NaiveDate>> {
    static MADE: [OnceLock<Option<BTreeSet<NaiveDate>>>; YEARS] =
        [const { OnceLock::new() }; YEARS];
    if !(FIRST..=LAST).contains(&year) {
        return None;
    }
    let i = usize::try_from(year - FIRST).ok()?;
    MADE.get(i)?.get_or_init(|| build(year)).as_ref()
}

/// The statutory holidays of `year` under the 2024 revision (in force since 2025), each day with
/// its holiday's name.
pub(super) fn statutory_days(year: i32) -> Option<Vec<(&'static str, NaiveDate)>> {
    let f = lunar::festivals(year)?;
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let holidays = [
        ("元旦", ymd(1, 1)?, 1),
        ("春节", f.spring_festival - Duration::days(1), 4),
        ("清明节", f.qingming, 1),
        ("劳动节", ymd(5, 1)?, 2),
        ("端午节", f.dragon_boat, 1),
        ("中秋节", f.mid_autumn, 1),
        ("国庆节", ymd(10, 1)?, 3),
    ];
    Some(
        holidays
            .into_iter()
            .flat_map(|(name, first, n)| (0..n).map(move |i| (name, first + Duration::days(i))))
            .collect(),
    )
}

fn build(year: i32) -> Option<BTreeSet<NaiveDate>> {
    let f = lunar::festivals(year)?;
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let mut off = BTreeSet::new();

    // 元旦; the 31 December bridged to next year's New Year's Day on a Tuesday.
    single_day(&mut off, ymd(1, 1)?);
    let new_years_eve = ymd(12, 31)?;
    if new_years_eve.weekday() == Weekday::Mon {
        off.insert(new_years_eve);
    }
    // 春节: from lunar New Year's Eve.
    until_weekdays(&mut off, f.spring_festival - Duration::days(1), 6);
    // 清明
    single_day(&mut off, f.qingming);
    // 劳动节
    days(&mut off, ymd(5, 1)?, ymd(5, 5)?);
    let april_30 = ymd(4, 30)?;
    if april_30.weekday() == Weekday::Mon {
        off.insert(april_30);
    }
    // 端午节
    single_day(&mut off, f.dragon_boat);
    // 国庆节, and 中秋节 with it when near.
    let october_1 = ymd(10, 1)?;
    days(&mut off, october_1, ymd(10, 7)?);
    if (ymd(9, 28)?..=ymd(10, 8)?).contains(&f.mid_autumn) {
        until_weekdays(&mut off, f.mid_autumn.min(october_1), 6);
    } else {
        single_day(&mut off, f.mid_autumn);
    }

    // Only this year's weekdays: weekends are off in any case.
    off.retain(|d| d.year() == year && !is_weekend(*d));
    Some(off)
}

/// A one-day holiday and the weekday joined to it.
fn single_day(off: &mut BTreeSet<NaiveDate>, day: NaiveDate) {
    off.insert(day);
    let joined = match day.weekday() {
        Weekday::Tue => day - Duration::days(1),
        Weekday::Thu | Weekday::Sun => day + Duration::days(1),
        Weekday::Sat => day + Duration::days(2),
        Weekday::Mon | Weekday::Wed | Weekday::Fri => return,
    };
    off.insert(joined);
}

/// `from` to `to`, inclusive.
fn days(off: &mut BTreeSet<NaiveDate>, from: NaiveDate, to: NaiveDate) {
    let mut d = from;
    while d <= to {
        off.insert(d);
        d += Duration::days(1);
    }
}

/// From `from`, every day until `weekdays` Mondays to Fridays are off.
fn until_weekdays(off: &mut BTreeSet<NaiveDate>, from: NaiveDate, weekdays: u32) {
    let mut d = from;
    let mut left = weekdays;
    while left > 0 {
        off.insert(d);
        if !is_weekend(d) {
            left -= 1;
        }
        d += Duration::days(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::{calendar_2026, file_2025, file_2026};
    use crate::domain::calendar::WorkingCalendar;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn every_day(year: i32) -> impl Iterator<Item = NaiveDate> {
        day(year, 1, 1)
            .iter_days()
            .take_while(move |d| d.year() == year)
    }

    #[test]
    fn provisional_2027_keeps_the_spring_festival_week_and_national_day_off_r_time_01() {
        let c = calendar_2026();
        // Lunar New Year's Eve is Friday 5 February 2027, the New Year Saturday 6 February.
        for d in 5..=12 {
            assert!(!c.is_working_day(day(2027, 2, d)).unwrap(), "{d} February");
        }
        assert!(c.is_working_day(day(2027, 2, 4)).unwrap());
        assert!(c.is_working_day(day(2027, 2, 15)).unwrap());
        for d in 1..=7 {
            assert!(!c.is_working_day(day(2027, 10, d)).unwrap(), "{d} October");
        }
        assert!(c.is_working_day(day(2027, 10, 8)).unwrap());
        for (m, d) in [(1, 1), (4, 5), (5, 3), (5, 4), (5, 5), (6, 9), (9, 15)] {
            assert!(!c.is_working_day(day(2027, m, d)).unwrap(), "{m}-{d}");
        }
        // 10 working days from Monday 28 December 2026: 3 in 2026, then 4-8 and 11-12 January.
        assert_eq!(
            c.add_working_days(day(2026, 12, 28), 10).unwrap(),
            day(2027, 1, 12)
        );
        // R-TIME-03: 5 working days from Thursday 4 February 2027 pass the whole week.
        assert_eq!(
            c.add_working_days(day(2027, 2, 4), 5).unwrap(),
            day(2027, 2, 19)
        );
    }

    #[test]
    fn a_provisional_year_never_works_a_weekend_and_keeps_every_statutory_day_off() {
        let c = WorkingCalendar::default();
        for year in FIRST..=LAST {
            for d in every_day(year).filter(|d| is_weekend(*d)) {
                assert!(!c.is_working_day(d).unwrap(), "{d}");
            }
            for (name, d) in statutory_days(year).unwrap() {
                assert!(!c.is_working_day(d).unwrap(), "{d} {name}");
            }
        }
    }

    /// R-TIME-01, R-TIME-03, R-CHAL-01, R-SEC-01, R-AWARD-01: with the provisional 2025 and 2026,
    /// every count of 1 to 20 working days from every day of those years ends on or after the
    /// count with their notices.
    #[test]
    fn a_provisional_count_never_ends_before_the_official_one_2025_2026_r_time_01_r_chal_01() {
        let provisional = WorkingCalendar::default();
        let mut official = WorkingCalendar::default();
        official.add_year(2025, &file_2025()).unwrap();
        official.add_year(2026, &file_2026()).unwrap();
        for start in every_day(2025).chain(every_day(2026)) {
            for n in 1..=20 {
                let p = provisional.add_working_days_marked(start, n).unwrap();
                let o = official.add_working_days_marked(start, n).unwrap();
                assert!(
                    p.date >= o.date,
                    "{n} from {start}: {} < {}",
                    p.date,
                    o.date
                );
                assert!(p.provisional);
                // Only a count reaching 2027 is still provisional with both files.
                assert_eq!(o.provisional, o.date.year() == 2027, "{n} from {start}");
            }
        }
    }

    #[test]
    fn provisional_2025_and_2026_have_the_notices_days_off_without_their_make_up_days() {
        let provisional = WorkingCalendar::default();
        for (year, file) in [(2025, file_2025()), (2026, file_2026())] {
            let mut official = WorkingCalendar::default();
            official.add_year(year, &file).unwrap();
            let gained = provisional.newly_working_days(&official);
            let made_up: Vec<NaiveDate> = file
                .working_weekends
                .iter()
                .map(|d| d.parse().unwrap())
                .collect();
            assert_eq!(gained, made_up, "{year}");
        }
    }

    /// Every arrangement the State Council has published since 2014, as the Tyme library records
    /// them: no day the notices gave off is a working day of the provisional year, but for the
    /// one-off holiday of 3-4 September 2015 (70th anniversary of the victory of 1945). Before
    /// 2014 notices also joined a Wednesday holiday to a weekend with two make-up days (2010,
    /// 2012, 2013), which the provisional year does not foresee.
    #[test]
    fn provisional_years_keep_off_every_day_the_notices_since_2014_gave_off_r_time_01() {
        let notices = notices_from_tyme();
        let c = WorkingCalendar::default();
        let mut missed = Vec::new();
        for year in 2014..=2026 {
            for d in every_day(year) {
                let official = match notices.get(&d) {
                    Some(worked) => *worked,
                    None => !is_weekend(d),
                };
                if c.is_working_day(d).unwrap() && !official {
                    missed.push(d);
                }
            }
        }
        assert_eq!(missed, [day(2015, 9, 3), day(2015, 9, 4)]);
    }

    /// The days of the notices in `tyme4rs` (2001 on): `YYYYMMDD`, `0` worked or `1` off, the
    /// holiday, and its offset. Day -> worked.
    fn notices_from_tyme() -> std::collections::BTreeMap<NaiveDate, bool> {
        let data = tyme4rs::tyme::holiday::LEGAL_HOLIDAY_DATA.as_bytes();
        data.chunks(13)
            .map(|entry| {
                let text = std::str::from_utf8(entry).unwrap();
                let d = NaiveDate::parse_from_str(&text[..8], "%Y%m%d").unwrap();
                (d, &text[8..9] == "0")
            })
            .collect()
    }

    #[test]
    fn the_2025_file_agrees_with_the_notices_in_tyme() {
        let notices = notices_from_tyme();
        for (year, file) in [(2025, file_2025()), (2026, file_2026())] {
            let mut c = WorkingCalendar::default();
            c.add_year(year, &file).unwrap();
            for d in every_day(year) {
                let expected = notices.get(&d).copied().unwrap_or(!is_weekend(d));
                assert_eq!(c.is_working_day(d).unwrap(), expected, "{d}");
            }
        }
    }
}
