//! The working-day calendar as the administrator sees it on /admin (issue #34).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// Where a year's working days come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum YearOrigin {
    /// The file built into the platform.
    BuiltIn,
    /// A file in the server's calendar folder (the `calendar_dir` setting).
    ServerFolder,
    /// Uploaded on /admin.
    Uploaded {
        by: Option<String>,
        at: DateTime<Utc>,
        sha256: String,
    },
    /// No file: counted with the provisional year (statutory holidays, no make-up weekends).
    Provisional,
}

/// One year of the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYearView {
    pub year: i32,
    pub origin: YearOrigin,
    /// The notice the file names, or what the provisional year is.
    pub source: Text,
}
