//! Working days (工作日) in mainland China: Monday to Friday, minus the public holidays the State
//! Council announces each year, plus the weekend days it makes working days (调休).
//!
//! Every rule that counts working days (R-TIME-01, R-TIME-03, R-SEC-01, R-AWARD-01, R-CHAL-01)
//! counts them here. The holidays of a year are data (one file per year: `app/calendar/` built
//! in, or the `calendar_dir` setting), which operators add when the year's notice is published.
//! A year without data is an error, never a guess: a deadline counted without the Spring
//! Festival would be days too short.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;

use crate::i18n::Text;

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
    #[error("no holiday calendar for {0}: add {0}.toml (from the State Council notice) to the calendar folder")]
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Year {
    holidays: BTreeSet<NaiveDate>,
    working_weekends: BTreeSet<NaiveDate>,
}

/// The working-day calendar: the years it has data for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    years: BTreeMap<i32, Year>,
}

impl WorkingCalendar {
    /// Adds a year from its file; every date must lie in that year, holidays must not fall on
    /// the working weekends, and working weekends must be Saturdays or Sundays.
    pub fn add_year(&mut self, year: i32, file: &YearFile) -> Result<(), CalendarError> {
        let bad = |problem: String| CalendarError::BadFile { year, problem };
        let in_year = |d: NaiveDate| {
            if d.year() == year {
                Ok(d)
            } else {
                Err(bad(format!("{d} is not in {year}")))
            }
        };
        let mut y = Year::default();
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
        self.years.insert(year, y);
        Ok(())
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn is_working_day(&self, day: NaiveDate) -> Result<bool, CalendarError> {
        let y = self
            .years
            .get(&day.year())
            .ok_or(CalendarError::NoDataFor(day.year()))?;
        Ok(if y.holidays.contains(&day) {
            false
        } else if y.working_weekends.contains(&day) {
            true
        } else {
            !is_weekend(day)
        })
    }

    /// The `n`th working day after `day` (not counting `day` itself): "within 5 working days of
    /// the award" ends on `add_working_days(award_day, 5)`.
    pub fn add_working_days(&self, day: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = day;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// How many working days lie after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d)? {
                n += 1;
            }
        }
        Ok(n)
    }
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

    /// The 2026 notice (国办, 2025-11-04), as data/calendar/2026.toml has it.
    pub(crate) fn calendar_2026() -> WorkingCalendar {
        let file = YearFile {
            source: "国务院办公厅关于2026年部分节假日安排的通知".into(),
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
        };
        let mut c = WorkingCalendar::default();
        c.add_year(2026, &file).unwrap();
        c
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
        assert_eq!(c.working_days_between(d(2, 13), d(2, 28)).unwrap(), 6);
        assert_eq!(c.working_days_between(d(2, 28), d(2, 13)).unwrap(), 0);
    }

    #[test]
    fn a_year_without_data_is_an_error_not_a_guess() {
        let c = calendar_2026();
        let err = c.add_working_days(d(12, 30), 5).unwrap_err();
        assert_eq!(err, CalendarError::NoDataFor(2027));
        assert!(err.text().en.contains("2027"));
    }

    #[test]
    fn a_wrong_file_is_refused_with_the_date_at_fault() {
        let mut c = WorkingCalendar::default();
        let file = |holidays: &[&str], weekends: &[&str]| YearFile {
            source: String::new(),
            holidays: holidays.iter().map(|s| s.to_string()).collect(),
            working_weekends: weekends.iter().map(|s| s.to_string()).collect(),
        };
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
