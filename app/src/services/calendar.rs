//! The working-day calendar on /admin (issue #34): the years every count uses and where each
//! comes from, and the platform administrator's upload of a year's file, used by every new
//! count at once (no restart), here and, after [`SharedCalendar::reload`], on other servers.
//!
//! What an upload changes: a count made after it (a tender published, a challenge filed) uses
//! the new file. A deadline set before it never gets shorter: one stored when set (a challenge's
//! answer date) keeps its stored day; one the platform recounts when it shows it (documents
//! available R-TIME-03, the time to challenge R-CHAL-01, the contract's publication R-AWARD-01)
//! is counted with every calendar in force since it was set and ends on the latest day
//! (`CalendarBook::as_set_at`). Suppliers keep the time they were told they had; an agency is
//! never made late overnight by a file it did not know. So an upload is never refused for what
//! it would shorten: nothing already set can be.
//!
//! [`SharedCalendar::reload`]: crate::infra::calendar::SharedCalendar::reload

use std::collections::BTreeMap;

use chrono::Datelike;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::calendar::{CalendarError, PROVISIONAL_YEARS};
use crate::domain::china_day;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::calendar::{built_in_source, uploads};
use crate::infra::db::begin_write_at;
use crate::infra::entities::{calendar_upload, person};
use crate::model::calendar::{CalendarYearView, YearOrigin};
use crate::services::AppState;

/// A year's file is a few hundred bytes; anything this long is not one.
const MAX_FILE_BYTES: usize = 64 * 1024;

/// The years the administrator sees: every year with a file, then this year and next when they
/// have none (counted provisionally).
pub async fn years(state: &AppState) -> Result<Vec<CalendarYearView>, AppError> {
    // Reads what other servers uploaded too.
    if let Err(e) = state.calendar.reload(&state.db).await {
        tracing::error!(error = %e, "calendar uploads could not be read again");
    }
    let calendar = state.calendar.current();
    let mut latest: BTreeMap<i32, calendar_upload::Model> = BTreeMap::new();
    for row in uploads(&state.db).await? {
        latest.insert(row.year, row);
    }
    let this_year = china_day(state.clock.now()).year();
    let mut out = Vec::new();
    let official: Vec<i32> = calendar.years().collect();
    let provisional = [this_year, this_year + 1]
        .into_iter()
        .filter(|y| !official.contains(y) && PROVISIONAL_YEARS.contains(y));
    let mut all: Vec<i32> = official.iter().copied().chain(provisional).collect();
    all.sort_unstable();
    for year in all {
        let Ok(source) = calendar.source(year) else {
            continue;
        };
        let origin = if let Some(row) = latest.get(&year) {
            let by = match row.uploaded_by {
                Some(id) => person::Entity::find_by_id(id)
                    .one(&state.db)
                    .await?
                    .map(|p| format!("{} <{}>", p.display_name, p.email)),
                None => None,
            };
            YearOrigin::Uploaded {
                by,
                at: row.uploaded_at,
                sha256: row.sha256.clone(),
            }
        } else if !calendar.is_official(year) {
            YearOrigin::Provisional
        } else if built_in_source(year).is_some_and(|s| s.trim() == source.en) {
            YearOrigin::BuiltIn
        } else {
            YearOrigin::ServerFolder
        };
        out.push(CalendarYearView {
            year,
            origin,
            source,
        });
    }
    Ok(out)
}

/// The administrator `admin` uploads the file of `year` (its TOML text). Checked before anything
/// is saved (every date in that year, make-up working days on Saturdays or Sundays only, no
/// holiday on one, every statutory holiday among the days off, a source named); then stored,
/// recorded in the audit log, and in force for every new count at once.
pub async fn upload_year(
    state: &AppState,
    admin: Uuid,
    year: &str,
    text: &str,
) -> Result<CalendarYearView, AppError> {
    let year = parse_year(year)?;
    let file = check_file(year, text)?;
    // The same checks the stored row will be read with, on the calendar in force now.
    state
        .calendar
        .book()
        .with_upload(state.clock.now(), year, &file)
        .map_err(|e| bad_file(year, &e))?;
    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let id = Uuid::now_v7();
    calendar_upload::ActiveModel {
        id: Set(id),
        year: Set(year),
        toml: Set(text.to_string()),
        sha256: Set(sha256.clone()),
        uploaded_by: Set(Some(admin)),
        uploaded_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        audit::Actor {
            person: Some(admin),
            organisation: None,
        },
        "upload_calendar",
        "calendar_year",
        year,
        &(year, &sha256, file.source.trim()),
    )
    .await?;
    txn.commit().await?;
    state.calendar.reload(&state.db).await.map_err(|e| {
        tracing::error!(error = %e, year, "uploaded calendar saved but not loaded");
        AppError::Internal { request_id: None }
    })?;
    years(state)
        .await?
        .into_iter()
        .find(|y| y.year == year)
        .ok_or(AppError::Internal { request_id: None })
}

fn parse_year(year: &str) -> Result<i32, AppError> {
    year.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| PROVISIONAL_YEARS.contains(y))
        .ok_or_else(|| {
            AppError::invalid(
                "year",
                Text::new(
                    format!(
                        "请填写 {} 至 {} 之间的年份（四位数字）。",
                        PROVISIONAL_YEARS.start(),
                        PROVISIONAL_YEARS.end()
                    ),
                    format!(
                        "Enter a year from {} to {} (four digits).",
                        PROVISIONAL_YEARS.start(),
                        PROVISIONAL_YEARS.end()
                    ),
                ),
            )
        })
}

/// The file's TOML, parsed; its dates are the domain's to check.
fn check_file(year: i32, text: &str) -> Result<crate::domain::calendar::YearFile, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::invalid(
            "file",
            Text::new(
                "请粘贴该年的日历文件（TOML：source、holidays、working_weekends）。",
                "Paste the year's calendar file (TOML: source, holidays, working_weekends).",
            ),
        ));
    }
    if text.len() > MAX_FILE_BYTES {
        return Err(AppError::invalid(
            "file",
            Text::new(
                format!(
                    "文件过大（{} 字节）：一年的日历文件不超过 64 KB。",
                    text.len()
                ),
                format!(
                    "The file is too large ({} bytes): a year's calendar is under 64 KB.",
                    text.len()
                ),
            ),
        ));
    }
    crate::infra::calendar::parse(text).map_err(|e| {
        let e = e.to_string();
        AppError::invalid(
            "file",
            Text::new(
                format!("{year} 年的日历文件不是有效的 TOML，未作任何更改：{e}"),
                format!("The {year} calendar file is not valid TOML; nothing was changed: {e}"),
            ),
        )
    })
}

fn bad_file(year: i32, e: &CalendarError) -> AppError {
    let problem = match e {
        CalendarError::BadFile { problem, .. } => problem.clone(),
        other => other.to_string(),
    };
    AppError::invalid(
        "file",
        Text::new(
            format!("{year} 年的日历文件有误，未作任何更改：{problem}。请改正后重新上传。"),
            format!("The {year} calendar file is wrong, nothing was changed: {problem}. Correct it and upload it again."),
        ),
    )
}
