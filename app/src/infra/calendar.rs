//! Loads the working-day calendar: the years built in (`app/calendar/*.toml`), then any
//! `YYYY.toml` in the operator's folder (the `calendar_dir` setting), which replace built-in
//! years of the same number. A broken file stops the server at start, naming the file.

use std::path::{Path, PathBuf};

use crate::domain::calendar::{CalendarError, WorkingCalendar, YearFile};

const BUILT_IN: &[(i32, &str)] = &[
    (2025, include_str!("../../calendar/2025.toml")),
    (2026, include_str!("../../calendar/2026.toml")),
];

#[derive(Debug, thiserror::Error)]
pub enum CalendarLoadError {
    #[error("holiday calendar {file}: {problem}")]
    File { file: String, problem: String },
    #[error("holiday calendar folder {dir}: {source}")]
    Dir {
        dir: PathBuf,
        source: std::io::Error,
    },
}

fn add(
    calendar: &mut WorkingCalendar,
    file: &str,
    year: i32,
    text: &str,
) -> Result<(), CalendarLoadError> {
    let bad = |problem: String| CalendarLoadError::File {
        file: file.to_string(),
        problem,
    };
    let parsed: YearFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
    calendar.add_year(year, &parsed).map_err(|e| match e {
        CalendarError::BadFile { problem, .. } => bad(problem),
        other => bad(other.to_string()),
    })
}

pub fn load(dir: Option<&Path>) -> Result<WorkingCalendar, CalendarLoadError> {
    let mut calendar = WorkingCalendar::default();
    for (year, text) in BUILT_IN {
        add(
            &mut calendar,
            &format!("(built in) {year}.toml"),
            *year,
            text,
        )?;
    }
    let Some(dir) = dir else {
        return Ok(calendar);
    };
    let io = |source| CalendarLoadError::Dir {
        dir: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let year = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".toml"))
            .and_then(|y| y.parse::<i32>().ok());
        let Some(year) = year else { continue };
        let text = std::fs::read_to_string(&path).map_err(io)?;
        add(&mut calendar, &path.display().to_string(), year, &text)?;
    }
    Ok(calendar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_built_in_2026_file_matches_the_notice() {
        let c = load(None).unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert!(!c.is_working_day(d(2, 23)).unwrap());
        assert!(c.is_working_day(d(2, 28)).unwrap());
        assert!(c.is_working_day(d(9, 20)).unwrap());
        assert!(!c.is_working_day(d(6, 19)).unwrap());
    }

    #[test]
    fn an_operator_adds_a_year_and_a_broken_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("2027.toml"),
            "source = \"test\"\nholidays = [\"2027-01-01\"]\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("README.txt"), "ignored").unwrap();
        let c = load(Some(dir.path())).unwrap();
        assert_eq!(c.years().collect::<Vec<_>>(), [2025, 2026, 2027]);
        assert!(!c
            .is_working_day(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap())
            .unwrap());

        std::fs::write(
            dir.path().join("2028.toml"),
            "source = \"test\"\nholidays = [\"2027-05-01\"]\n",
        )
        .unwrap();
        let err = load(Some(dir.path())).unwrap_err().to_string();
        assert!(
            err.contains("2028.toml") && err.contains("2027-05-01"),
            "{err}"
        );
    }
}
