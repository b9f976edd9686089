//! The calendars in force over time (issue #34): the years loaded at start, then each year's
//! file an administrator uploaded while the server ran, from the instant of its upload.
//!
//! A new count (a tender published, a challenge filed now) uses the calendar in force now.
//! A deadline already set, which the platform recounts when it shows it (the documents'
//! availability R-TIME-03, the time to challenge R-CHAL-01, the contract's publication
//! R-AWARD-01), is counted with every calendar in force since it was set and ends on the latest
//! of those days ([`CalendarBook::as_set_at`]): a new file never shortens a deadline already
//! announced, as [`never_shortens`](super::never_shortens) does for one recount. It may make one
//! longer (a day a new file takes off), which is the supplier's benefit and what the notice
//! says. Deadlines stored when set (a challenge's answer date) keep their stored day.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::{CalendarError, Counted, WorkingCalendar, YearFile};

/// How long after an upload another server may still count with the calendar before it (servers
/// read new uploads every minute): a deadline set that soon after an upload is also counted with
/// the calendar before it, so one a server set just before it learnt of the upload is kept too.
pub const UPLOAD_PROPAGATION: Duration = Duration::minutes(5);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Version {
    /// From when it is in force; `None` for the calendar loaded at start (in force always).
    from: Option<DateTime<Utc>>,
    calendar: Arc<WorkingCalendar>,
}

/// Every calendar in force since the server's start, oldest first; the last one is current.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarBook {
    versions: Vec<Version>,
}

impl Default for CalendarBook {
    fn default() -> Self {
        CalendarBook::new(WorkingCalendar::default())
    }
}

impl CalendarBook {
    /// A book whose only calendar, `base`, has always been in force.
    pub fn new(base: WorkingCalendar) -> Self {
        CalendarBook {
            versions: vec![Version {
                from: None,
                calendar: Arc::new(base),
            }],
        }
    }

    /// The calendar in force now: every new count uses it.
    pub fn current(&self) -> Arc<WorkingCalendar> {
        // `versions` is never empty (built with one, only ever pushed to).
        self.versions
            .last()
            .map(|v| v.calendar.clone())
            .unwrap_or_default()
    }

    /// How many uploads the book holds (after the calendar loaded at start).
    pub fn uploads(&self) -> usize {
        self.versions.len().saturating_sub(1)
    }

    /// This book with `year`'s `file` uploaded at `at`, checked as
    /// [`WorkingCalendar::with_year`] checks an upload. An upload stamped before the latest one
    /// (two servers' clocks) takes effect with it, so the versions stay in time order.
    pub fn with_upload(
        &self,
        at: DateTime<Utc>,
        year: i32,
        file: &YearFile,
    ) -> Result<CalendarBook, CalendarError> {
        let calendar = self.current().with_year(year, file)?;
        let latest = self.versions.iter().filter_map(|v| v.from).max();
        let from = latest.map_or(at, |l| l.max(at));
        let mut new = self.clone();
        new.versions.push(Version {
            from: Some(from),
            calendar: Arc::new(calendar),
        });
        Ok(new)
    }

    /// A deadline set at `set_at`, recounted by `count`: with the current calendar, and never
    /// earlier than with any calendar in force since `set_at` (including the one in force up to
    /// [`UPLOAD_PROPAGATION`] before it, so that a deadline set in the instant of an upload, or
    /// by a server that had not read the upload yet, is kept too). Whether it is
    /// provisional is the current count's. An earlier calendar that cannot count the day (a
    /// year it had no file for) is left out; the current one's error is the answer's.
    pub fn as_set_at(
        &self,
        set_at: DateTime<Utc>,
        count: impl Fn(&WorkingCalendar) -> Result<Counted, CalendarError>,
    ) -> Result<Counted, CalendarError> {
        let first = self
            .versions
            .iter()
            .rposition(|v| v.from.is_none_or(|from| from + UPLOAD_PROPAGATION < set_at))
            .unwrap_or(0);
        let mut counted = count(&self.current())?;
        for v in &self.versions[first..] {
            if let Ok(then) = count(&v.calendar) {
                counted.date = counted.date.max(then.date);
            }
        }
        Ok(counted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::calendar_2026;
    use chrono::{NaiveDate, TimeZone};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(m: u32, day: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, day, h, 0, 0).unwrap()
    }

    /// A 2027 file with every statutory holiday and Saturday 2 January 2027 worked (the test's
    /// own, not the State Council's, which is not published yet).
    pub(crate) fn file_2027() -> YearFile {
        YearFile {
            source: "test notice for 2027".into(),
            holidays: [
                "2027-01-01",
                "2027-02-05..2027-02-11",
                "2027-04-05",
                "2027-05-01..2027-05-05",
                "2027-06-09",
                "2027-09-15",
                "2027-10-01..2027-10-07",
            ]
            .map(String::from)
            .to_vec(),
            working_weekends: vec!["2027-01-02".into()],
        }
    }

    /// R-CHAL-01: 7 working days from Monday 28 December 2026.
    fn seven(c: &WorkingCalendar) -> Result<Counted, CalendarError> {
        c.add_working_days_marked(d(2026, 12, 28), 7)
    }

    #[test]
    fn an_upload_changes_new_counts_at_once_and_not_deadlines_set_before_r_chal_01() {
        let book = CalendarBook::new(calendar_2026());
        // Provisionally 29-31 December, then (1 January off, no make-up Saturday) 4-7 January.
        assert_eq!(
            book.as_set_at(at(12, 28, 2), seven).unwrap(),
            Counted {
                date: d(2027, 1, 7),
                provisional: true
            }
        );
        let uploaded = book.with_upload(at(12, 28, 3), 2027, &file_2027()).unwrap();
        assert_eq!(uploaded.uploads(), 1);
        assert!(uploaded.current().is_official(2027));
        assert!(!book.current().is_official(2027), "the old book is a value");
        // The file works Saturday 2 January: the count ends a day earlier, 6 January.
        assert_eq!(
            uploaded
                .current()
                .add_working_days(d(2026, 12, 28), 7)
                .unwrap(),
            d(2027, 1, 6)
        );
        // Set before the upload: the announced day stays, no longer provisional.
        assert_eq!(
            uploaded.as_set_at(at(12, 28, 2), seven).unwrap(),
            Counted {
                date: d(2027, 1, 7),
                provisional: false
            }
        );
        // Set in the instant of the upload, or by a server that had not read it yet: kept too.
        assert_eq!(
            uploaded.as_set_at(at(12, 28, 3), seven).unwrap().date,
            d(2027, 1, 7)
        );
        let unread = at(12, 28, 3) + UPLOAD_PROPAGATION;
        assert_eq!(
            uploaded.as_set_at(unread, seven).unwrap().date,
            d(2027, 1, 7)
        );
        let read = unread + Duration::seconds(1);
        assert_eq!(uploaded.as_set_at(read, seven).unwrap().date, d(2027, 1, 6));
        // Set after it: the new file's count.
        assert_eq!(
            uploaded.as_set_at(at(12, 28, 4), seven).unwrap(),
            Counted {
                date: d(2027, 1, 6),
                provisional: false
            }
        );
    }

    #[test]
    fn a_later_file_that_takes_a_day_off_lengthens_and_a_second_upload_keeps_it_r_chal_01() {
        let book = CalendarBook::new(calendar_2026())
            .with_upload(at(12, 1, 0), 2027, &file_2027())
            .unwrap();
        assert_eq!(
            book.as_set_at(at(12, 28, 2), seven).unwrap().date,
            d(2027, 1, 6)
        );
        // A corrected file: 2 January not worked, 4 January off too.
        let mut corrected = file_2027();
        corrected.working_weekends.clear();
        corrected.holidays.push("2027-01-04".into());
        let book = book.with_upload(at(12, 29, 0), 2027, &corrected).unwrap();
        assert_eq!(book.uploads(), 2);
        // Longer now: 29-31 December, 5-8 January.
        assert_eq!(
            book.as_set_at(at(12, 28, 2), seven).unwrap().date,
            d(2027, 1, 8)
        );
        // Uploading the first file again does not shorten what the second announced.
        let book = book.with_upload(at(12, 30, 0), 2027, &file_2027()).unwrap();
        assert_eq!(
            book.as_set_at(at(12, 28, 2), seven).unwrap().date,
            d(2027, 1, 8)
        );
        // An upload stamped earlier than the last (another server's clock) stays in time order.
        let book = book.with_upload(at(12, 2, 0), 2027, &corrected).unwrap();
        assert_eq!(book.versions.last().unwrap().from, Some(at(12, 30, 0)));
    }

    #[test]
    fn a_bad_upload_leaves_the_book_unchanged() {
        let book = CalendarBook::new(calendar_2026());
        let mut weekday = file_2027();
        weekday.working_weekends.push("2027-01-08".into());
        let err = book
            .with_upload(at(12, 28, 3), 2027, &weekday)
            .unwrap_err()
            .to_string();
        assert!(err.contains("2027-01-08 is a weekday"), "{err}");
        let mut outside = file_2027();
        outside.holidays.push("2026-12-31".into());
        let err = book
            .with_upload(at(12, 28, 3), 2027, &outside)
            .unwrap_err()
            .to_string();
        assert!(err.contains("2026-12-31 is not in 2027"), "{err}");
        assert_eq!(book.uploads(), 0);
    }
}
