//! The OpenAPI document says exactly what /api/v1 accepts (issue #35), so that a request valid
//! by the document is never refused and one invalid by it always is: the choices of each
//! filter as enums, the cursors, ocids, amounts and page sizes as patterns, the dates as date
//! or date-time, an empty parameter allowed (it is absent, as an HTML form sends `?q=&method=`),
//! and 429 with `Retry-After` on every operation (each client address is rate limited).
//!
//! The handlers' annotations give the operations; this module refines their parameters from
//! the same lists the server checks against (`Category::ALL`, `PROVINCES`, ...), so the two
//! cannot drift apart.

use app::domain::region::PROVINCES;
use app::domain::tender::{Category, Method};
use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{
    AnyOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

/// What an /api/v1 list's `limit` accepts: 1 to 200, written plainly.
pub const LIMIT_PATTERN: &str = "^([1-9][0-9]?|1[0-9]{2}|200)$";
/// The OCDS feed's `limit`: 1 to 500.
pub const OCDS_LIMIT_PATTERN: &str = "^([1-9][0-9]{0,1}|[1-4][0-9]{2}|500)$";
/// The audit checkpoints' `limit`: 1 to 1000.
pub const AUDIT_LIMIT_PATTERN: &str = "^([1-9][0-9]{0,2}|1000)$";
/// The audit checkpoints' `after`: an entry count, written plainly.
pub const COUNT_PATTERN: &str = "^(0|[1-9][0-9]{0,17})$";
/// A budget filter in yuan: digits, at most two decimals.
pub const AMOUNT_PATTERN: &str = r"^[0-9]{1,12}(\.[0-9]{1,2})?$";

/// The document with every parameter refined.
pub fn refine(mut doc: OpenApi) -> OpenApi {
    for (path, item) in doc.paths.paths.iter_mut() {
        if let Some(op) = item.get.as_mut() {
            refine_operation(path, op);
        }
    }
    doc
}

fn refine_operation(path: &str, op: &mut Operation) {
    for p in op.parameters.iter_mut().flatten() {
        if let RefOr::T(p) = p {
            if matches!(p.parameter_in, ParameterIn::Query) {
                if let Some(schema) = query_schema(path, &p.name) {
                    p.schema = Some(schema.into());
                }
            }
        }
    }
    // Each client address is rate limited, on every operation.
    let too_many = ResponseBuilder::new()
        .description("Too many requests from this address; retry after Retry-After seconds")
        .header(
            "Retry-After",
            Header::new(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1)),
            ),
        )
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ApiErrorBody")))
                .build(),
        )
        .build();
    op.responses
        .responses
        .insert("429".to_string(), RefOr::T(too_many));
}

/// A string that is empty (the parameter is absent) or one of `values`.
fn choice<'a>(values: impl IntoIterator<Item = &'a str>) -> Schema {
    let all: Vec<&str> = std::iter::once("").chain(values).collect();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(all))
        .build()
        .into()
}

/// A string that is empty or matches `pattern` (anchored).
fn pattern(pattern: &str) -> Schema {
    let inner = pattern.trim_start_matches('^').trim_end_matches('$');
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^({inner})?$")))
        .build()
        .into()
}

/// A date (the start of that day in China) or an RFC 3339 date-time, or empty.
fn instant() -> Schema {
    let of = |f| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(f)))
            .build()
    };
    AnyOfBuilder::new()
        .item(of(KnownFormat::Date))
        .item(of(KnownFormat::DateTime))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([""]))
                .build(),
        )
        .build()
        .into()
}

/// The refined schema of query parameter `name` of `path`; `None` to keep the annotation's.
fn query_schema(path: &str, name: &str) -> Option<Schema> {
    let ocds = path.starts_with("/ocds/");
    let audit = path.starts_with("/audit/");
    Some(match name {
        "category" => choice(Category::ALL.iter().map(|c| c.as_str())),
        "method" => choice(Method::ALL.iter().map(|m| m.as_str())),
        "province" => choice(PROVINCES.iter().map(|p| p.code)),
        "status" => choice(["open", "closed", "all"]),
        "closes_within" => choice(["7", "30"]),
        "sme" => choice(["0", "1"]),
        "budget_min" | "budget_max" => pattern(AMOUNT_PATTERN),
        "limit" if ocds => pattern(OCDS_LIMIT_PATTERN),
        "limit" if audit => pattern(AUDIT_LIMIT_PATTERN),
        "after" if audit => pattern(COUNT_PATTERN),
        "limit" => pattern(LIMIT_PATTERN),
        "cursor" if ocds => pattern(&app::services::ocds::cursor_pattern()),
        "cursor" => pattern(app::services::open_data::cursor::API_PATTERN),
        "since" | "until" => instant(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_parameter_of_the_document_is_described_or_free_text() {
        let doc = refine(<super::super::ApiDoc as utoipa::OpenApi>::openapi());
        let json = serde_json::to_value(&doc).unwrap();
        for (path, item) in json["paths"].as_object().unwrap() {
            let op = &item["get"];
            assert!(
                op["responses"]["429"]["headers"]["Retry-After"].is_object(),
                "{path}"
            );
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] != "query" {
                    continue;
                }
                let s = &p["schema"];
                let described =
                    s["enum"].is_array() || s["pattern"].is_string() || s["anyOf"].is_array();
                // `q` is free text; `year` keeps its annotation's pattern.
                assert!(described || p["name"] == "q", "{path} {}: {s}", p["name"]);
            }
        }
    }
}
