//! Working days (工作日) in mainland China: Monday to Friday, minus the public holidays the State
//! Council announces each year, plus the weekend days it makes working days (调休).
//!
//! Every rule that counts working days (R-TIME-01, R-TIME-03, R-SEC-01, R-AWARD-01, R-CHAL-01)
//! counts them here. The holidays of a year are data (one file per year: `app/calendar/` built
//! in, or the `calendar_dir` setting), which operators add when the year's notice is published.
//!
//! A year without its file is counted with a provisional year (issue #34, `provisional.rs`): the
//! statutory holidays, widened to every span the notices have given them, and no make-up working
//! weekend, so that a provisional count never ends earlier than the official one will. The
//! `*_marked` methods say whether a count touched a provisional year; the others count the
//! same way without saying. Only years outside [`PROVISIONAL_YEARS`] without a file are an error.
//!
//! A year's file can be loaded while the server runs: [`WorkingCalendar::with_year`] checks it
//! and returns the new calendar (a value, swapped in by the caller),
//! [`WorkingCalendar::newly_working_days`] tells whether a deadline already set could get
//! shorter, and [`never_shortens`] recounts one so that it does not.

mod history;
mod lunar;
mod provisional;

pub use history::{CalendarBook, UPLOAD_PROPAGATION};

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;

use crate::i18n::Text;

/// The years a provisional calendar covers when their file is missing.
pub const PROVISIONAL_YEARS: RangeInclusive<i32> = provisional::FIRST..=provisional::LAST;

/// One year's announcement, as written in its data file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    /// Where the dates come from (the notice's title and date).
    pub source: String,
    /// Days off: single days `2026-10-01` or inclusive ranges `2026-10-01..2026-10-07`.
    pub holidays: Vec<String>,
    /// Weekend days that are working days (调休上班).
    #[serde(default)]
    pub working_weekends: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A year without its file and outside [`PROVISIONAL_YEARS`].
    #[error("no holiday calendar for {0}, and no provisional one outside 2000-2100: add {0}.toml (from the State Council notice) to the calendar folder")]
    NoDataFor(i32),
    #[error("calendar file for {year}: {problem}")]
    BadFile { year: i32, problem: String },
}

impl CalendarError {
    pub fn text(&self) -> Text {
        match self {
            CalendarError::NoDataFor(year) => Text::new(
                format!("平台尚未载入 {year} 年的节假日安排，暂时无法计算工作日。请联系平台运营方。"),
                format!("The platform has no holiday calendar for {year} yet, so working days cannot be counted. Contact the platform operator."),
            ),
            CalendarError::BadFile { .. } => Text::new(
                "节假日数据有误，请联系平台运营方。",
                "The holiday calendar is damaged. Contact the platform operator.",
            ),
        }
    }
}

/// A date counted in working days, and whether the count used a provisional year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    pub date: NaiveDate,
    /// True when a day of the count lies in a year without its notice: the date may move (only
    /// earlier, see `provisional.rs`) when that year's file is loaded.
    pub provisional: bool,
}

/// A year as its notice gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Year {
    source: String,
    holidays: BTreeSet<NaiveDate>,
    working_weekends: BTreeSet<NaiveDate>,
}

/// The working-day calendar: the years it has a notice for, and provisional years for the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    years: BTreeMap<i32, Year>,
}

impl WorkingCalendar {
    /// Adds a year from its file; every date must lie in that year, holidays must not fall on
    /// the working weekends, and working weekends must be Saturdays or Sundays. A file replaces
    /// the year's provisional calendar, or an earlier file of the same year.
    pub fn add_year(&mut self, year: i32, file: &YearFile) -> Result<(), CalendarError> {
        let y = parse_year(year, file)?;
        self.years.insert(year, y);
        Ok(())
    }

    /// This calendar with `year` loaded from an uploaded `file`, for the caller to put in place
    /// of the running one (no restart: the calendar is a value). Checks what [`add_year`]
    /// checks and, as [`check_upload`] says, what a new notice's file must also have.
    ///
    /// [`add_year`]: WorkingCalendar::add_year
    pub fn with_year(&self, year: i32, file: &YearFile) -> Result<WorkingCalendar, CalendarError> {
        let y = checked_upload(year, file)?;
        let mut new = self.clone();
        new.years.insert(year, y);
        Ok(new)
    }

    /// The years loaded from a file (official), in order; provisional years are not listed.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Whether `year` is counted from its notice's file (else provisionally, or not at all).
    pub fn is_official(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Where the days of `year` come from: the notice named in its file, or the provisional
    /// calendar.
    pub fn source(&self, year: i32) -> Result<Text, CalendarError> {
        if let Some(y) = self.years.get(&year) {
            return Ok(Text::new(y.source.clone(), y.source.clone()));
        }
        if PROVISIONAL_YEARS.contains(&year) {
            return Ok(Text::new(
                format!("暂定：{year} 年放假安排尚未发布，按法定节假日推算（全国年节及纪念日放假办法），不含调休上班日"),
                format!("provisional: statutory holidays ({year}'s State Council notice is not loaded yet), no make-up working weekends"),
            ));
        }
        Err(CalendarError::NoDataFor(year))
    }

    pub fn is_working_day(&self, day: NaiveDate) -> Result<bool, CalendarError> {
        self.day(day).map(|(working, _)| working)
    }

    /// Whether `day` is a working day, and whether its year is provisional.
    fn day(&self, day: NaiveDate) -> Result<(bool, bool), CalendarError> {
        if let Some(y) = self.years.get(&day.year()) {
            let working = if y.holidays.contains(&day) {
                false
            } else if y.working_weekends.contains(&day) {
                true
            } else {
                !is_weekend(day)
            };
            return Ok((working, false));
        }
        let off = provisional::days_off(day.year()).ok_or(CalendarError::NoDataFor(day.year()))?;
        // A provisional year never works a weekend.
        Ok((!is_weekend(day) && !off.contains(&day), true))
    }

    /// The `n`th working day after `day` (not counting `day` itself): "within 5 working days of
    /// the award" ends on `add_working_days(award_day, 5)`. Counts provisional years without
    /// saying so: [`add_working_days_marked`](WorkingCalendar::add_working_days_marked) says.
    pub fn add_working_days(&self, day: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.add_working_days_marked(day, n).map(|c| c.date)
    }

    /// [`add_working_days`](WorkingCalendar::add_working_days), and whether any day it passed
    /// lies in a provisional year.
    pub fn add_working_days_marked(
        &self,
        day: NaiveDate,
        n: u32,
    ) -> Result<Counted, CalendarError> {
        let mut d = day;
        let mut left = n;
        let mut provisional = false;
        while left > 0 {
            d += Duration::days(1);
            let (working, p) = self.day(d)?;
            provisional |= p;
            if working {
                left -= 1;
            }
        }
        Ok(Counted {
            date: d,
            provisional,
        })
    }

    /// The days that are working days in `new` but not in this calendar. A count of working days
    /// across one of them ends earlier with `new`, so a deadline already set could get shorter
    /// (keep it with [`never_shortens`]); empty when none can. Loading a year's notice over its
    /// provisional year gives its make-up working weekends and any day the provisional year took
    /// off in excess. Only years with a file in either calendar can differ.
    pub fn newly_working_days(&self, new: &WorkingCalendar) -> Vec<NaiveDate> {
        let years: BTreeSet<i32> = self.years().chain(new.years()).collect();
        let mut days = Vec::new();
        for year in years {
            let (Some(mut d), Some(last)) = (
                NaiveDate::from_ymd_opt(year, 1, 1),
                NaiveDate::from_ymd_opt(year, 12, 31),
            ) else {
                continue;
            };
            while d <= last {
                // A day `self` cannot count set no deadline, so it cannot shorten one.
                if new.is_working_day(d) == Ok(true) && self.is_working_day(d) == Ok(false) {
                    days.push(d);
                }
                d += Duration::days(1);
            }
        }
        days
    }

    /// Whether replacing this calendar by `new` could make a deadline already set shorter.
    pub fn could_shorten(&self, new: &WorkingCalendar) -> bool {
        !self.newly_working_days(new).is_empty()
    }
}

/// A deadline of `n` working days after `start`, set as `old_deadline` with an earlier
/// calendar, recounted with `new`: the later of the two days, so that loading a year's notice
/// never shortens a period already announced (a supplier's time to bid or challenge, R-TIME-01,
/// R-CHAL-01). `provisional` is the new count's: whether it still touched a provisional year.
/// For a time limit the agency must meet (R-SEC-01's refund, R-AWARD-01's publication, the
/// answer to a challenge) the later day is only what was announced; the law's limit is the
/// recount, `new.add_working_days(start, n)`.
pub fn never_shortens(
    old_deadline: NaiveDate,
    start: NaiveDate,
    n: u32,
    new: &WorkingCalendar,
) -> Result<Counted, CalendarError> {
    let recounted = new.add_working_days_marked(start, n)?;
    Ok(Counted {
        date: recounted.date.max(old_deadline),
        provisional: recounted.provisional,
    })
}

/// Checks the file of a new notice for `year` before it is loaded, beyond what any year's file
/// must meet (every date in the year, make-up working days on Saturdays or Sundays only, no
/// holiday on a make-up day): it names its source, and from 2025 on every statutory holiday of
/// the year (全国年节及纪念日放假办法, 2024 revision) is among its days off, so that a file of the
/// wrong year or with a mistyped date is refused before it shortens a count.
pub fn check_upload(year: i32, file: &YearFile) -> Result<(), CalendarError> {
    checked_upload(year, file).map(|_| ())
}

fn checked_upload(year: i32, file: &YearFile) -> Result<Year, CalendarError> {
    let y = parse_year(year, file)?;
    let bad = |problem: String| CalendarError::BadFile { year, problem };
    if y.source.is_empty() {
        return Err(bad(
            "the source (the notice's title and date) is empty".into()
        ));
    }
    if year >= 2025 {
        for (name, day) in provisional::statutory_days(year).unwrap_or_default() {
            if !y.holidays.contains(&day) {
                return Err(bad(format!(
                    "{day} ({name}) is a statutory holiday but not among the days off"
                )));
            }
        }
    }
    Ok(y)
}

fn parse_year(year: i32, file: &YearFile) -> Result<Year, CalendarError> {
    let bad = |problem: String| CalendarError::BadFile { year, problem };
    let in_year = |d: NaiveDate| {
        if d.year() == year {
            Ok(d)
        } else {
            Err(bad(format!("{d} is not in {year}")))
        }
    };
    let mut y = Year {
        source: file.source.trim().to_string(),
        ..Year::default()
    };
    for entry in &file.holidays {
        let (from, to) = match entry.split_once("..") {
            Some((a, b)) => (date(a).map_err(&bad)?, date(b).map_err(&bad)?),
            None => {
                let d = date(entry).map_err(&bad)?;
                (d, d)
            }
        };
        if to < from || (to - from).num_days() > 31 {
            return Err(bad(format!("{entry} is not a range of at most a month")));
        }
        let mut d = in_year(from)?;
        while d <= in_year(to)? {
            y.holidays.insert(d);
            d += Duration::days(1);
        }
    }
    for entry in &file.working_weekends {
        let d = in_year(date(entry).map_err(&bad)?)?;
        if !is_weekend(d) {
            return Err(bad(format!("{d} is a weekday, not a weekend working day")));
        }
        if y.holidays.contains(&d) {
            return Err(bad(format!("{d} is both a holiday and a working day")));
        }
        y.working_weekends.insert(d);
    }
    Ok(y)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a YYYY-MM-DD date"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The 2026 notice (国办, 2025-11-04), as app/calendar/2026.toml has it.
    pub(crate) fn file_2026() -> YearFile {
        YearFile {
            source: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）".into(),
            holidays: [
                "2026-01-01..2026-01-03",
                "2026-02-15..2026-02-23",
                "2026-04-04..2026-04-06",
                "2026-05-01..2026-05-05",
                "2026-06-19..2026-06-21",
                "2026-09-25..2026-09-27",
                "2026-10-01..2026-10-07",
            ]
            .map(String::from)
            .to_vec(),
            working_weekends: [
                "2026-01-04",
                "2026-02-14",
                "2026-02-28",
                "2026-05-09",
                "2026-09-20",
                "2026-10-10",
            ]
            .map(String::from)
            .to_vec(),
        }
    }

    pub(crate) fn calendar_2026() -> WorkingCalendar {
        let mut c = WorkingCalendar::default();
        c.add_year(2026, &file_2026()).unwrap();
        c
    }

    const FILE_2025: &str = include_str!("../../../calendar/2025.toml");
    const FILE_2026: &str = include_str!("../../../calendar/2026.toml");

    /// The 2025 notice (国办, 2024-11-12), from app/calendar/2025.toml.
    pub(crate) fn file_2025() -> YearFile {
        read_year_file(FILE_2025)
    }

    pub(crate) fn calendar_2025() -> WorkingCalendar {
        let mut c = WorkingCalendar::default();
        c.add_year(2025, &file_2025()).unwrap();
        c
    }

    /// A calendar file read without a TOML parser (the `toml` crate is server-only): its
    /// `source` and the quoted strings of its two lists, comments dropped.
    pub(crate) fn read_year_file(text: &str) -> YearFile {
        let mut file = YearFile::default();
        let mut list: Option<&mut Vec<String>> = None;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let quoted = line.split('"').nth(1).map(String::from);
            if let Some(rest) = line.strip_prefix("source") {
                file.source = rest.split('"').nth(1).unwrap_or("").to_string();
            } else if line.starts_with("holidays") {
                list = Some(&mut file.holidays);
            } else if line.starts_with("working_weekends") {
                list = Some(&mut file.working_weekends);
            } else if line.starts_with(']') {
                list = None;
            } else if let (Some(list), Some(q)) = (list.as_mut(), quoted) {
                list.push(q);
            }
        }
        file
    }

    fn file(holidays: &[&str], weekends: &[&str]) -> YearFile {
        YearFile {
            source: String::new(),
            holidays: holidays.iter().map(|s| s.to_string()).collect(),
            working_weekends: weekends.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn holidays_are_off_and_adjusted_weekends_are_working_days() {
        let c = calendar_2026();
        assert!(!c.is_working_day(d(10, 5)).unwrap(), "National Day week");
        assert!(
            c.is_working_day(d(10, 10)).unwrap(),
            "Saturday 10 October is worked"
        );
        assert!(!c.is_working_day(d(10, 11)).unwrap(), "an ordinary Sunday");
        assert!(c.is_working_day(d(10, 12)).unwrap(), "an ordinary Monday");
    }

    #[test]
    fn counting_working_days_skips_the_spring_festival() {
        let c = calendar_2026();
        // Friday 13 Feb; Sat 14 is worked; 15-23 off; Tue 24 onwards.
        assert_eq!(c.add_working_days(d(2, 13), 1).unwrap(), d(2, 14));
        assert_eq!(c.add_working_days(d(2, 13), 2).unwrap(), d(2, 24));
        assert_eq!(c.add_working_days(d(2, 13), 5).unwrap(), d(2, 27));
        assert_eq!(
            c.add_working_days(d(2, 13), 6).unwrap(),
            d(2, 28),
            "Sat 28 Feb is worked"
        );
    }

    #[test]
    fn a_year_without_its_notice_is_counted_provisionally_r_time_01() {
        // Issue #34: before, 2027 without a file refused every count reaching it.
        let c = calendar_2026();
        assert_eq!(
            c.add_working_days_marked(d(12, 30), 5).unwrap(),
            Counted {
                // Thu 31 Dec; Fri 1 Jan is New Year's Day; Mon 4 to Thu 7 January.
                date: NaiveDate::from_ymd_opt(2027, 1, 7).unwrap(),
                provisional: true,
            }
        );
        assert_eq!(
            c.add_working_days(d(12, 30), 5).unwrap(),
            NaiveDate::from_ymd_opt(2027, 1, 7).unwrap(),
            "the unmarked method counts the same"
        );
        assert!(c.is_official(2026) && !c.is_official(2027));
        assert_eq!(c.years().collect::<Vec<_>>(), [2026], "official years only");
        assert!(c.source(2026).unwrap().zh.contains("2026年部分节假日安排"));
        assert!(c
            .source(2027)
            .unwrap()
            .en
            .starts_with("provisional: statutory holidays"));
        assert!(c.source(2027).unwrap().zh.starts_with("暂定"));
    }

    #[test]
    fn a_year_outside_the_provisional_range_without_a_file_is_an_error() {
        let c = calendar_2026();
        let last = NaiveDate::from_ymd_opt(2100, 12, 30).unwrap();
        let err = c.add_working_days(last, 5).unwrap_err();
        assert_eq!(err, CalendarError::NoDataFor(2101));
        assert!(err.text().en.contains("2101"));
        assert_eq!(c.source(1999).unwrap_err(), CalendarError::NoDataFor(1999));
        let before = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        assert!(c.is_working_day(before).is_err());
        // A file makes any year countable.
        let mut c = c;
        c.add_year(2101, &file(&["2101-01-01"], &[])).unwrap();
        assert!(c.add_working_days(last, 5).is_ok());
    }

    #[test]
    fn the_marked_count_is_provisional_exactly_when_it_touches_a_provisional_year_r_chal_01() {
        let c = calendar_2026();
        let marked = |day, n| c.add_working_days_marked(day, n).unwrap();
        // R-CHAL-01: 10 working days from Monday 28 December 2026 run into 2027.
        assert_eq!(
            marked(d(12, 28), 10),
            Counted {
                date: NaiveDate::from_ymd_opt(2027, 1, 12).unwrap(),
                provisional: true
            }
        );
        // Three stay in 2026 (29-31 December).
        assert_eq!(
            marked(d(12, 28), 3),
            Counted {
                date: d(12, 31),
                provisional: false
            }
        );
        // From 31 December the first day counted is already 2027's.
        assert!(marked(d(12, 31), 1).provisional);
        assert!(!marked(d(10, 9), 20).provisional);
        // A calendar without files counts 2026 provisionally too.
        let none = WorkingCalendar::default();
        assert!(
            none.add_working_days_marked(d(3, 2), 1)
                .unwrap()
                .provisional
        );
    }

    #[test]
    fn loading_a_notice_tells_which_days_become_working_days_and_never_shortens_r_time_01() {
        // The running calendar had no 2026 file; the operator uploads it.
        let old = WorkingCalendar::default();
        let new = old.with_year(2026, &file_2026()).unwrap();
        assert_eq!(new, calendar_2026());
        assert_eq!(
            old,
            WorkingCalendar::default(),
            "the old value is untouched"
        );
        // The provisional 2026 had every day off of the notice: only its make-up working
        // weekends become working days.
        assert_eq!(
            old.newly_working_days(&new),
            [d(1, 4), d(2, 14), d(2, 28), d(5, 9), d(9, 20), d(10, 10)]
        );
        assert!(old.could_shorten(&new));
        assert!(!new.could_shorten(&new));
        assert!(
            new.newly_working_days(&old).is_empty(),
            "going back only lengthens"
        );

        // Friday 13 February, 2 working days: provisionally 25 February (no make-up Saturday),
        // officially 24 February (Saturday 14 is worked). The announced day stays.
        let start = d(2, 13);
        let old_deadline = old.add_working_days(start, 2).unwrap();
        assert_eq!(old_deadline, d(2, 25));
        assert_eq!(new.add_working_days(start, 2).unwrap(), d(2, 24));
        assert_eq!(
            never_shortens(old_deadline, start, 2, &new).unwrap(),
            Counted {
                date: d(2, 25),
                provisional: false
            }
        );
        // A deadline the new calendar puts later moves later.
        assert_eq!(
            never_shortens(d(2, 20), start, 2, &new).unwrap().date,
            d(2, 24)
        );
    }

    #[test]
    fn an_upload_must_name_its_source_and_keep_every_statutory_holiday() {
        let c = calendar_2026();
        assert!(check_upload(2026, &file_2026()).is_ok());
        assert!(check_upload(2025, &file_2025()).is_ok());

        let mut nameless = file_2026();
        nameless.source = " ".into();
        let err = c.with_year(2026, &nameless).unwrap_err().to_string();
        assert!(err.contains("source"), "{err}");

        // The 2026 file with the Spring Festival a week early, as a typo would put it.
        let mut typo = file_2026();
        typo.holidays[1] = "2026-02-07..2026-02-13".into();
        let err = c.with_year(2026, &typo).unwrap_err().to_string();
        assert!(err.contains("2026-02-16") && err.contains("春节"), "{err}");

        // Last year's file uploaded as next year's: every date is out of the year.
        let err = c.with_year(2027, &file_2026()).unwrap_err().to_string();
        assert!(err.contains("is not in 2027"), "{err}");

        // The checks every file meets apply to uploads too.
        let mut weekday = file_2026();
        weekday.working_weekends.push("2026-10-09".into());
        let err = c.with_year(2026, &weekday).unwrap_err().to_string();
        assert!(err.contains("2026-10-09 is a weekday"), "{err}");
        let mut both = file_2026();
        both.working_weekends.push("2026-10-03".into());
        let err = c.with_year(2026, &both).unwrap_err().to_string();
        assert!(err.contains("both a holiday and a working day"), "{err}");
    }

    #[test]
    fn the_built_in_files_match_the_fixtures_and_the_notices() {
        assert_eq!(read_year_file(FILE_2026), file_2026());
        let c = calendar_2025();
        let day = |m, dd| NaiveDate::from_ymd_opt(2025, m, dd).unwrap();
        // 国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12).
        for off in [
            day(1, 1),
            day(1, 28),
            day(2, 4),
            day(4, 4),
            day(5, 5),
            day(5, 31),
            day(6, 2),
            day(10, 6),
            day(10, 8),
        ] {
            assert!(!c.is_working_day(off).unwrap(), "{off}");
        }
        for worked in [day(1, 26), day(2, 8), day(4, 27), day(9, 28), day(10, 11)] {
            assert!(c.is_working_day(worked).unwrap(), "{worked}");
        }
        for working in [
            day(1, 2),
            day(1, 27),
            day(2, 5),
            day(4, 7),
            day(5, 6),
            day(6, 3),
            day(10, 9),
        ] {
            assert!(c.is_working_day(working).unwrap(), "{working}");
        }
        assert!(c.source(2025).unwrap().zh.contains("2024年11月12日"));
    }

    #[test]
    fn a_wrong_file_is_refused_with_the_date_at_fault() {
        let mut c = WorkingCalendar::default();
        for (f, fault) in [
            (file(&["2025-12-31"], &[]), "2025-12-31"),
            (file(&["2026-13-01"], &[]), "2026-13-01"),
            (
                file(&["2026-10-07..2026-10-01"], &[]),
                "2026-10-07..2026-10-01",
            ),
            (file(&[], &["2026-10-09"]), "2026-10-09"),
            (file(&["2026-10-10"], &["2026-10-10"]), "2026-10-10"),
        ] {
            let err = c.add_year(2026, &f).unwrap_err().to_string();
            assert!(err.contains(fault), "{err}");
        }
    }
}
