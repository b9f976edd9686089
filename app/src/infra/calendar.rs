//! Loads the working-day calendar: the years built in (`app/calendar/*.toml`), then any
//! `YYYY.toml` in the operator's folder (the `calendar_dir` setting), which replace built-in
//! years of the same number. A broken file stops the server at start, naming the file.
//!
//! Over those, the files administrators uploaded on /admin (issue #34, table `calendar_upload`),
//! each in force from its upload: [`SharedCalendar`] holds them for every count, and
//! [`SharedCalendar::reload`] reads them again after an upload, here or on another server.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryOrder};

use crate::domain::calendar::{CalendarBook, CalendarError, WorkingCalendar, YearFile};
use crate::infra::entities::calendar_upload;

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
    #[error("holiday calendar uploads: {0}")]
    Db(#[from] DbErr),
}

/// The notice named by `year`'s built-in file, if the platform has one.
pub fn built_in_source(year: i32) -> Option<String> {
    let (_, text) = BUILT_IN.iter().find(|(y, _)| *y == year)?;
    parse(text).ok().map(|f| f.source)
}

/// A year's file as text: its TOML parsed (not yet checked: the domain checks its dates).
pub fn parse(text: &str) -> Result<YearFile, toml::de::Error> {
    toml::from_str(text)
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
    let parsed = parse(text).map_err(|e| bad(e.to_string()))?;
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

/// The uploaded files, in the order they came into force.
pub async fn uploads(conn: &impl ConnectionTrait) -> Result<Vec<calendar_upload::Model>, DbErr> {
    calendar_upload::Entity::find()
        .order_by_asc(calendar_upload::Column::UploadedAt)
        .order_by_asc(calendar_upload::Column::Id)
        .all(conn)
        .await
}

/// `base` with every upload in `rows` applied from its instant. A stored file the domain no
/// longer accepts is an error naming it (at start it stops the server, like a broken file).
pub fn book_of(
    base: &WorkingCalendar,
    rows: &[calendar_upload::Model],
) -> Result<CalendarBook, CalendarLoadError> {
    let mut book = CalendarBook::new(base.clone());
    for row in rows {
        let bad = |problem: String| CalendarLoadError::File {
            file: format!("{}.toml uploaded {}", row.year, row.uploaded_at),
            problem,
        };
        let file = parse(&row.toml).map_err(|e| bad(e.to_string()))?;
        book = book
            .with_upload(row.uploaded_at, row.year, &file)
            .map_err(|e| bad(e.to_string()))?;
    }
    Ok(book)
}

/// The one working-day calendar of a server, for every count (R-TIME-01, R-TIME-03, R-SEC-01,
/// R-AWARD-01, R-CHAL-01): the years loaded at start and the uploads since, swapped in while
/// the server runs. Cheap to clone (shared).
#[derive(Clone, Debug, Default)]
pub struct SharedCalendar {
    base: Arc<WorkingCalendar>,
    book: Arc<RwLock<Arc<CalendarBook>>>,
}

impl SharedCalendar {
    /// `base` (built in and the operator's folder) with the uploads stored in the database.
    pub async fn load(
        base: WorkingCalendar,
        conn: &impl ConnectionTrait,
    ) -> Result<SharedCalendar, CalendarLoadError> {
        let book = book_of(&base, &uploads(conn).await?)?;
        Ok(SharedCalendar {
            base: Arc::new(base),
            book: Arc::new(RwLock::new(Arc::new(book))),
        })
    }

    /// The calendar in force now: every new count uses it.
    pub fn current(&self) -> Arc<WorkingCalendar> {
        self.book().current()
    }

    /// Every calendar in force since the start, for recounting a deadline already set
    /// ([`CalendarBook::as_set_at`]).
    pub fn book(&self) -> Arc<CalendarBook> {
        // A poisoned lock still holds a whole book (it is only ever replaced whole).
        self.book
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Reads the uploads again when there are more than this server knows (an upload here or
    /// on another server), and swaps the new book in. A stored file the domain refuses keeps
    /// the running book (and is the error).
    pub async fn reload(&self, conn: &impl ConnectionTrait) -> Result<bool, CalendarLoadError> {
        let known = self.book().uploads();
        let stored = calendar_upload::Entity::find().count(conn).await?;
        if usize::try_from(stored).is_ok_and(|n| n == known) {
            return Ok(false);
        }
        let book = Arc::new(book_of(&self.base, &uploads(conn).await?)?);
        let mut slot = self
            .book
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Two reloads at once: the one that read more uploads wins.
        if book.uploads() >= slot.uploads() {
            *slot = book;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_built_in_2025_and_2026_files_match_their_notices() {
        let c = load(None).unwrap();
        let y2025 = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        // 2025: a Sunday worked before the Spring Festival, 8 October off with National Day.
        assert!(c.is_working_day(y2025(1, 26)).unwrap());
        assert!(!c.is_working_day(y2025(1, 28)).unwrap());
        assert!(!c.is_working_day(y2025(10, 8)).unwrap());
        assert!(c.is_working_day(y2025(10, 11)).unwrap());
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
