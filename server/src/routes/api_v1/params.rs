//! Reading the query string and path of an /api/v1 request into typed values, refusing what
//! is wrong with a 400 that names the parameter.

use std::collections::HashMap;

use app::services::open_data::{self, Key};
use app::services::tenders::SearchFilter;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ApiError;

/// The query string as pairs, refusing parameters the route does not know.
pub fn query_params(
    raw: &HashMap<String, String>,
    known: &[&str],
) -> Result<HashMap<String, String>, ApiError> {
    let mut unknown: Vec<&String> = raw
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .collect();
    unknown.sort();
    if let Some(name) = unknown.first() {
        return Err(ApiError::bad(
            name,
            format!("不认识的参数“{name}”；可用：{}。", known.join("、")),
            format!("Unknown parameter \"{name}\"; known: {}.", known.join(", ")),
        ));
    }
    // A parameter left empty is absent, as an HTML form sends `?q=&category=` (issue #35).
    Ok(raw
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect())
}

/// An RFC 3339 date-time or a plain date (the start of that day in China).
pub fn parse_instant(name: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    let value = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.to_utc());
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        if let Some(t) = day.and_hms_opt(0, 0, 0) {
            // The start of that day in China (UTC+8).
            return Ok(t.and_utc() - chrono::Duration::hours(8));
        }
    }
    Err(ApiError::bad(
        name,
        format!("{name} 应为日期（2027-03-01）或带时区的时间（2027-03-01T09:00:00+08:00）。"),
        format!("{name} must be a date (2027-03-01) or a date-time with its offset (2027-03-01T09:00:00+08:00)."),
    ))
}

/// A page size between 1 and `max`, written plainly (no sign, space or leading zero), as the
/// OpenAPI document's pattern says (`schema::LIMIT_PATTERN`).
pub fn parse_limit(value: Option<&String>, default: u64, max: u64) -> Result<u64, ApiError> {
    match value {
        None => Ok(default),
        Some(v) => match v.parse::<u64>() {
            Ok(n)
                if (1..=max).contains(&n)
                    && v.bytes().all(|b| b.is_ascii_digit())
                    && !v.starts_with('0') =>
            {
                Ok(n)
            }
            _ => Err(ApiError::bad(
                "limit",
                format!("limit 应为 1 到 {max} 之间的整数。"),
                format!("limit must be a whole number from 1 to {max}."),
            )),
        },
    }
}

/// The list cursor (`cursor`), if any.
pub fn cursor(q: &HashMap<String, String>) -> Result<Option<Key>, ApiError> {
    let Some(raw) = q.get("cursor") else {
        return Ok(None);
    };
    open_data::decode_cursor(raw).map(Some).ok_or_else(|| {
        ApiError::bad(
            "cursor",
            "cursor 无效：请使用上一页返回的 next_cursor。",
            "The cursor is not valid: use the next_cursor of the previous page.",
        )
    })
}

/// A path segment that must be a UUID.
pub fn path_id(raw: &str, name: &str) -> Result<Uuid, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::bad(
            name,
            format!("{name} 应为 UUID。"),
            format!("{name} must be a UUID."),
        )
    })
}

/// The tender search filters /tenders and /tenders.csv take.
pub const TENDER_FILTERS: &[&str] = &[
    "q",
    "category",
    "method",
    "province",
    "budget_min",
    "budget_max",
    "sme",
    "status",
    "closes_within",
];

/// Whether `value` is an amount as `schema::AMOUNT_PATTERN` has it: 1 to 12 digits, then at
/// most two decimals.
fn plain_amount(value: &str) -> bool {
    let (whole, cents) = value.split_once('.').unwrap_or((value, "0"));
    (1..=12).contains(&whole.len())
        && (1..=2).contains(&cents.len())
        && whole
            .bytes()
            .chain(cents.bytes())
            .all(|b| b.is_ascii_digit())
}

/// The search filters, checked as the search page checks them and, beyond it, as strictly as
/// the OpenAPI document describes them (`sme` is 0 or 1, amounts are plain); `status`
/// defaults to `all`.
pub fn tender_filter(q: &HashMap<String, String>) -> Result<SearchFilter, ApiError> {
    if q.get("sme")
        .is_some_and(|v| !matches!(v.as_str(), "0" | "1"))
    {
        return Err(ApiError::bad(
            "sme",
            "sme 应为 1（只看面向中小企业的）或 0。",
            "sme must be 1 (only those reserved for SMEs) or 0.",
        ));
    }
    for name in ["budget_min", "budget_max"] {
        if q.get(name).is_some_and(|v| !plain_amount(v)) {
            return Err(ApiError::bad(
                name,
                format!("{name} 应为以元计的金额，例如 1500000 或 1500000.50。"),
                format!("{name} must be an amount in yuan, e.g. 1500000 or 1500000.50."),
            ));
        }
    }
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let query = app::model::tenders::TenderQuery {
        q: get("q"),
        category: get("category"),
        method: get("method"),
        province: get("province"),
        budget_min: get("budget_min"),
        budget_max: get("budget_max"),
        sme: get("sme"),
        status: q.get("status").cloned().unwrap_or_else(|| "all".into()),
        closes_within: get("closes_within"),
        sort: String::new(),
        page: String::new(),
    };
    SearchFilter::parse(&query).map_err(|errors| {
        let e = &errors[0];
        ApiError::BadParameter {
            parameter: e.field.clone(),
            message: e.message.clone(),
        }
    })
}

/// `year`: a year from 2000 to 2100; empty or left out for every year.
pub fn year(q: &HashMap<String, String>) -> Result<Option<i32>, ApiError> {
    app::model::contracts::parse_year(q.get("year").map(String::as_str).unwrap_or("")).map_err(
        |_| {
            ApiError::bad(
                "year",
                "year 应为 2000 到 2100 之间的年份。",
                "year must be a year from 2000 to 2100.",
            )
        },
    )
}
