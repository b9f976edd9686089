//! Every href and query key of the site, in one place (issue #32): the pages and components
//! link with these, the server functions redirect with them, and the server's axum routes are
//! declared with the patterns below, so a renamed route cannot silently break a link.
//!
//! - Pages: a constant for a fixed page (`LOGIN`), a function for one with an id
//!   (`tender(id)`). The Leptos router's `path!(":id")` macros cannot take a constant: they
//!   stay in `ui/mod.rs` and [`PAGE_ROUTES`] lists them, and a test compares the two.
//! - Files and the other plain axum routes: the pattern axum declares (`{id}`) and a builder
//!   for it; a test checks each builder's URL against its pattern.
//! - Query keys: [`query`].
//!
//! A bottom layer: it depends on nothing of the app (ids are anything that prints as one,
//! a `Uuid` or a typed id), and is compiled for the server and the browser alike.

use std::fmt::Display;

// ---------------------------------------------------------------------------------------------
// Pages (rendered by the Leptos router; `ui/mod.rs` routes them)

/// The home page: the published tenders and the public search.
pub const HOME: &str = "/";
pub const LOGIN: &str = "/login";
pub const REGISTER: &str = "/register";
pub const ACCOUNT: &str = "/account";
/// The account page's capability records (a supplier's profile).
pub const ACCOUNT_CAPABILITIES: &str = "/account#capabilities";
pub const ADMIN: &str = "/admin";
pub const WATCHLIST: &str = "/watchlist";
/// A supplier's contracts, with what it is owed.
pub const RECEIVABLES: &str = "/receivables";
/// The payment timeliness report (see [`payments`] for a year and page).
pub const PAYMENTS: &str = "/payments";
pub const OPEN_DATA: &str = "/open-data";
/// The receipt check; its form sends [`query::RECEIPT`].
pub const RECEIPT_VERIFY: &str = "/receipts/verify";
/// An officer's tenders.
pub const AGENCY_TENDERS: &str = "/agency/tenders";
/// A new draft: the editor of [`tender_edit`] with the id `new`.
pub const NEW_TENDER: &str = "/agency/tenders/new";
/// An agency's contracts and payments.
pub const AGENCY_CONTRACTS: &str = "/agency/contracts";

/// A published tender.
pub fn tender(id: impl Display) -> String {
    format!("/tenders/{id}")
}

/// The supplier's bid on a tender.
pub fn tender_bid(tender: impl Display) -> String {
    format!("/tenders/{tender}/bid")
}

/// The officer's editor of a tender (draft, clarifications, cancellation).
pub fn tender_edit(id: impl Display) -> String {
    format!("/agency/tenders/{id}")
}

/// The opening and evaluation of a tender's bids, for its agency.
pub fn evaluation(tender: impl Display) -> String {
    format!("/agency/tenders/{tender}/evaluation")
}

/// A contract, for its agency and its supplier.
pub fn contract(id: impl Display) -> String {
    format!("/contracts/{id}")
}

/// The start of every invitation link ([`invitation`]).
pub const INVITATION_PREFIX: &str = "/invite/";

/// An invitation link (the token is URL-safe).
pub fn invitation(token: impl Display) -> String {
    format!("{INVITATION_PREFIX}{token}")
}

/// The timeliness report for a year (all years if none) at a page (the first if none).
pub fn payments(year: Option<impl Display>, page: Option<impl Display>) -> String {
    let (year_key, page_key) = (query::YEAR, query::PAGE);
    match (year, page) {
        (Some(y), Some(p)) => format!("{PAYMENTS}?{year_key}={y}&{page_key}={p}"),
        (Some(y), None) => format!("{PAYMENTS}?{year_key}={y}"),
        (None, Some(p)) => format!("{PAYMENTS}?{page_key}={p}"),
        (None, None) => PAYMENTS.to_string(),
    }
}

/// The receipt page showing a signed check result (issue #35: never the receipt itself).
pub fn receipt_checked(token: &str) -> String {
    format!(
        "{RECEIPT_VERIFY}?{}={}",
        query::RECEIPT_CHECK,
        escape_query(token)
    )
}

/// The public search for these query pairs (blank values left out), e.g. `/?q=道路&sme=1`.
pub fn search<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let query: Vec<String> = pairs
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", escape_query(v)))
        .collect();
    format!("{HOME}?{}", query.join("&"))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn escape_query(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The Leptos router's page patterns, as written in `ui/mod.rs`'s `path!` macros (which
/// cannot take a constant). A test reads `ui/mod.rs` and checks that the two lists agree.
pub const PAGE_ROUTES: &[&str] = &[
    "",
    "/tenders/:id",
    "/tenders/:id/bid",
    "/receipts/verify",
    "/agency/tenders/:id/evaluation",
    "/agency/contracts",
    "/contracts/:id",
    "/receivables",
    "/payments",
    "/open-data",
    "/register",
    "/login",
    "/account",
    "/admin",
    "/agency/tenders",
    "/agency/tenders/:id",
    "/watchlist",
    "/invite/:token",
];

/// The route parameters the pages read (`/tenders/:id`, `/invite/:token`).
pub mod param {
    pub const ID: &str = "id";
    pub const TOKEN: &str = "token";
}

// ---------------------------------------------------------------------------------------------
// Files, CSV and probes (plain axum routes: `server/src/startup.rs`)

pub const HEALTHZ: &str = "/healthz";
pub const READYZ: &str = "/readyz";

/// A capability record's document: downloaded, and uploaded (a plain multipart form post).
pub const CAPABILITY_DOCUMENT: &str = "/profile/capabilities/{id}/document";

pub fn capability_document(record: impl Display) -> String {
    format!("/profile/capabilities/{record}/document")
}

/// Where the officer's form posts a document for the draft (a plain multipart form).
pub const TENDER_UPLOAD: &str = "/agency/tenders/{id}/documents";

pub fn tender_upload(tender: impl Display) -> String {
    format!("/agency/tenders/{tender}/documents")
}

/// Where a tender document is downloaded.
pub const TENDER_DOCUMENT: &str = "/tenders/{tender}/documents/{id}";

pub fn tender_document(tender: impl Display, document: impl Display) -> String {
    format!("/tenders/{tender}/documents/{document}")
}

/// Where the bid page's form posts a document (a plain multipart form).
pub const BID_UPLOAD: &str = "/tenders/{tender}/bid/documents";

pub fn bid_upload(tender: impl Display) -> String {
    format!("/tenders/{tender}/bid/documents")
}

/// The bidder's own copy of one of its bid documents.
pub const OWN_BID_DOCUMENT: &str = "/tenders/{tender}/bid/documents/{id}";

pub fn own_bid_document(tender: impl Display, document: impl Display) -> String {
    format!("/tenders/{tender}/bid/documents/{document}")
}

/// A document of an opened bid, for the tender's agency.
pub const OPENED_BID_DOCUMENT: &str = "/agency/tenders/{tender}/bids/{opened}/documents/{id}";

pub fn opened_bid_document(
    tender: impl Display,
    opened_bid: impl Display,
    document: impl Display,
) -> String {
    format!("/agency/tenders/{tender}/bids/{opened_bid}/documents/{document}")
}

/// Where the supplier's evidence upload form posts (multipart, field `file`).
pub const EVIDENCE_UPLOAD: &str = "/contracts/milestones/{id}/evidence";

pub fn evidence_upload(milestone: impl Display) -> String {
    format!("/contracts/milestones/{milestone}/evidence")
}

/// An evidence document of a delivery.
pub const EVIDENCE_DOCUMENT: &str = "/contracts/milestones/{milestone}/evidence/{id}";

pub fn evidence_document(milestone: impl Display, document: impl Display) -> String {
    format!("/contracts/milestones/{milestone}/evidence/{document}")
}

/// The timeliness report as CSV (see [`payments_csv`] for a year).
pub const PAYMENTS_CSV: &str = "/payments.csv";

/// The timeliness report of a year (all years if none) as CSV.
pub fn payments_csv(year: Option<impl Display>) -> String {
    match year {
        Some(y) => format!("{PAYMENTS_CSV}?{}={y}", query::YEAR),
        None => PAYMENTS_CSV.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The public API (`server/src/routes/api_v1`)

/// The public, read-only API. Its router is nested at [`api::BASE`] and declares the relative
/// patterns (`TENDERS`); pages link with the site-relative hrefs (`TENDERS_HREF`).
pub mod api {
    use std::fmt::Display;

    /// Where the API router is nested.
    pub const BASE: &str = "/api/v1";

    /// One relative pattern and its site-relative href per route (`concat!` needs the base
    /// as a literal: a test compares it with [`BASE`]).
    macro_rules! routes {
        ($($(#[$doc:meta])* $route:ident, $href:ident = $path:literal;)*) => {$(
            $(#[$doc])*
            pub const $route: &str = $path;
            $(#[$doc])*
            pub const $href: &str = concat!("/api/v1", $path);
        )*};
    }

    routes! {
        /// The OpenAPI document.
        OPENAPI_JSON, OPENAPI_JSON_HREF = "/openapi.json";
        TENDERS, TENDERS_HREF = "/tenders";
        TENDERS_CSV, TENDERS_CSV_HREF = "/tenders.csv";
        AWARDS, AWARDS_HREF = "/awards";
        AWARDS_CSV, AWARDS_CSV_HREF = "/awards.csv";
        CONTRACTS, CONTRACTS_HREF = "/contracts";
        CONTRACTS_CSV, CONTRACTS_CSV_HREF = "/contracts.csv";
        TIMELINESS, TIMELINESS_HREF = "/statistics/payment-timeliness";
        TIMELINESS_CSV, TIMELINESS_CSV_HREF = "/statistics/payment-timeliness.csv";
        /// The audit log's signed checkpoints (issue #35).
        AUDIT_CHECKPOINTS, AUDIT_CHECKPOINTS_HREF = "/audit/checkpoints";
        /// The OCDS release feed (paged).
        OCDS_RELEASES, OCDS_RELEASES_HREF = "/ocds/releases";
        /// Every OCDS record, one process a line.
        OCDS_RECORDS_JSONL, OCDS_RECORDS_JSONL_HREF = "/ocds/records.jsonl";
    }

    /// One published tender.
    pub const TENDER: &str = "/tenders/{id}";

    pub fn tender(id: impl Display) -> String {
        format!("{BASE}/tenders/{id}")
    }

    /// A published tender's lots.
    pub const TENDER_LOTS: &str = "/tenders/{id}/lots";

    pub fn tender_lots(id: impl Display) -> String {
        format!("{BASE}/tenders/{id}/lots")
    }

    /// The releases of one contracting process.
    pub const OCDS_PROCESS_RELEASES: &str = "/ocds/releases/{ocid}";

    pub fn ocds_process_releases(ocid: impl Display) -> String {
        format!("{BASE}/ocds/releases/{ocid}")
    }

    /// The record of one contracting process.
    pub const OCDS_RECORD: &str = "/ocds/records/{ocid}";

    pub fn ocds_record(ocid: impl Display) -> String {
        format!("{BASE}/ocds/records/{ocid}")
    }
}

// ---------------------------------------------------------------------------------------------
// Query keys

/// Every query key the site reads or writes.
pub mod query {
    /// A page reads it to tell that its form's action succeeded: a form posted from a page is
    /// redirected back with `done=<the server function's endpoint>`
    /// (`crate::server_fns::respond::respond`).
    pub const DONE: &str = "done";
    /// With `done=agency/tenders/clarify`: the bid deadline after the clarification (RFC 3339).
    pub const DEADLINE: &str = "deadline";
    /// Carries a new invitation link back to a page without JavaScript.
    pub const INVITATION: &str = "invitation";
    /// Leptos's own keys for a refused form post without JavaScript: the server function's
    /// path and its error.
    pub const ACTION_PATH: &str = "__path";
    pub const ACTION_ERROR: &str = "__err";
    /// The receipt, in the receipt page's form (posted, never in an address: issue #35).
    pub const RECEIPT: &str = "receipt";
    /// What checking a receipt found, signed by the server, carried back to the receipt page
    /// after its form was posted without JavaScript (the receipt itself is not in it).
    pub const RECEIPT_CHECK: &str = "check";
    /// A year (timeliness report and its CSV).
    pub const YEAR: &str = "year";
    /// A page of a list (1-based).
    pub const PAGE: &str = "page";

    // The public search (`model::tenders::TenderQuery`, whose fields bear these names).
    pub const Q: &str = "q";
    pub const CATEGORY: &str = "category";
    pub const METHOD: &str = "method";
    pub const PROVINCE: &str = "province";
    pub const BUDGET_MIN: &str = "budget_min";
    pub const BUDGET_MAX: &str = "budget_max";
    pub const SME: &str = "sme";
    pub const STATUS: &str = "status";
    pub const CLOSES_WITHIN: &str = "closes_within";
    pub const SORT: &str = "sort";
    /// The search's keys in the order its URL lists them ([`PAGE`] last).
    pub const SEARCH: [&str; 11] = [
        Q,
        CATEGORY,
        METHOD,
        PROVINCE,
        BUDGET_MIN,
        BUDGET_MAX,
        SME,
        STATUS,
        CLOSES_WITHIN,
        SORT,
        PAGE,
    ];
}

/// The `done` values pages look for that are not a server function's own endpoint.
pub mod done {
    /// A plain form post of the bid form's Save draft is redirected back with this.
    pub const SAVED_DRAFT: &str = "bids/save";
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    /// Does `url` (query and fragment apart) fit `pattern`? A `{name}` (axum) or `:name`
    /// (Leptos) segment takes any one non-empty segment.
    fn fits(pattern: &str, url: &str) -> bool {
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let pattern: Vec<&str> = pattern.split('/').collect();
        let path: Vec<&str> = path.split('/').collect();
        pattern.len() == path.len()
            && pattern.iter().zip(&path).all(|(p, s)| {
                let wild = (p.starts_with('{') && p.ends_with('}')) || p.starts_with(':');
                if wild {
                    !s.is_empty()
                } else {
                    p == s
                }
            })
    }

    fn ids() -> (Uuid, Uuid, Uuid) {
        (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3))
    }

    #[test]
    fn every_server_route_has_a_builder_whose_url_it_matches() {
        let (a, b, c) = ids();
        let routes: &[(&str, String)] = &[
            (HEALTHZ, HEALTHZ.to_string()),
            (READYZ, READYZ.to_string()),
            (CAPABILITY_DOCUMENT, capability_document(a)),
            (TENDER_UPLOAD, tender_upload(a)),
            (TENDER_DOCUMENT, tender_document(a, b)),
            (BID_UPLOAD, bid_upload(a)),
            (OWN_BID_DOCUMENT, own_bid_document(a, b)),
            (OPENED_BID_DOCUMENT, opened_bid_document(a, b, c)),
            (EVIDENCE_UPLOAD, evidence_upload(a)),
            (EVIDENCE_DOCUMENT, evidence_document(a, b)),
            (PAYMENTS_CSV, payments_csv(None::<i32>)),
            (PAYMENTS_CSV, payments_csv(Some(2025))),
        ];
        for (pattern, url) in routes {
            assert!(fits(pattern, url), "{url} does not fit the route {pattern}");
            assert!(!fits(pattern, "/elsewhere"), "{pattern} fits anything");
        }
        // The ids land where the pattern names them, not elsewhere.
        assert_eq!(
            opened_bid_document(a, b, c),
            OPENED_BID_DOCUMENT
                .replace("{tender}", &a.to_string())
                .replace("{opened}", &b.to_string())
                .replace("{id}", &c.to_string())
        );
        assert_eq!(
            evidence_document(a, b),
            EVIDENCE_DOCUMENT
                .replace("{milestone}", &a.to_string())
                .replace("{id}", &b.to_string())
        );
        assert_eq!(
            tender_document(a, b),
            TENDER_DOCUMENT
                .replace("{tender}", &a.to_string())
                .replace("{id}", &b.to_string())
        );
        assert_eq!(
            own_bid_document(a, b),
            OWN_BID_DOCUMENT
                .replace("{tender}", &a.to_string())
                .replace("{id}", &b.to_string())
        );
    }

    #[test]
    fn every_api_route_has_a_builder_whose_url_it_matches() {
        let (a, _, _) = ids();
        let routes: &[(&str, String)] = &[
            (api::OPENAPI_JSON, api::OPENAPI_JSON_HREF.into()),
            (api::TENDERS, api::TENDERS_HREF.into()),
            (api::TENDERS_CSV, api::TENDERS_CSV_HREF.into()),
            (api::TENDER, api::tender(a)),
            (api::TENDER_LOTS, api::tender_lots(a)),
            (api::AWARDS, api::AWARDS_HREF.into()),
            (api::AWARDS_CSV, api::AWARDS_CSV_HREF.into()),
            (api::CONTRACTS, api::CONTRACTS_HREF.into()),
            (api::CONTRACTS_CSV, api::CONTRACTS_CSV_HREF.into()),
            (api::TIMELINESS, api::TIMELINESS_HREF.into()),
            (api::TIMELINESS_CSV, api::TIMELINESS_CSV_HREF.into()),
            (api::OCDS_RELEASES, api::OCDS_RELEASES_HREF.into()),
            (
                api::OCDS_PROCESS_RELEASES,
                api::ocds_process_releases("ocds-x-1"),
            ),
            (api::OCDS_RECORD, api::ocds_record("ocds-x-1")),
            (api::OCDS_RECORDS_JSONL, api::OCDS_RECORDS_JSONL_HREF.into()),
            (api::AUDIT_CHECKPOINTS, api::AUDIT_CHECKPOINTS_HREF.into()),
        ];
        for (pattern, url) in routes {
            let nested = format!("{}{pattern}", api::BASE);
            assert!(
                fits(&nested, url),
                "{url} does not fit the API route {nested}"
            );
        }
        assert_eq!(api::TENDERS_HREF, "/api/v1/tenders");
    }

    #[test]
    fn every_page_route_has_a_builder_whose_url_it_matches() {
        let (a, _, _) = ids();
        let pages: &[String] = &[
            search([(query::Q, "x")]),
            tender(a),
            tender_bid(a),
            RECEIPT_VERIFY.into(),
            evaluation(a),
            AGENCY_CONTRACTS.into(),
            contract(a),
            RECEIVABLES.into(),
            payments(Some(2025), Some(2)),
            OPEN_DATA.into(),
            REGISTER.into(),
            LOGIN.into(),
            ACCOUNT_CAPABILITIES.into(),
            ADMIN.into(),
            AGENCY_TENDERS.into(),
            tender_edit(a),
            WATCHLIST.into(),
            invitation("t0k3n"),
        ];
        assert_eq!(pages.len(), PAGE_ROUTES.len(), "a page without a builder");
        for (pattern, url) in PAGE_ROUTES.iter().zip(pages) {
            // Leptos writes the home page as "" (the router's root).
            let pattern = if pattern.is_empty() { "/" } else { pattern };
            assert!(fits(pattern, url), "{url} does not fit the page {pattern}");
        }
        assert!(fits("/agency/tenders/:id", NEW_TENDER));
        assert!(invitation("x").starts_with(INVITATION_PREFIX));
    }

    /// `ui/mod.rs`'s `path!` macros, read from its source: the same list as [`PAGE_ROUTES`].
    #[test]
    fn the_leptos_router_routes_the_pages_listed_here() {
        let source = include_str!("ui/mod.rs");
        let routed: Vec<&str> = source
            .split("path!(\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(routed, PAGE_ROUTES);
        for pattern in PAGE_ROUTES {
            for segment in pattern.split('/').filter(|s| s.starts_with(':')) {
                assert!(
                    [param::ID, param::TOKEN].contains(&&segment[1..]),
                    "{pattern}: a parameter the pages do not read"
                );
            }
        }
    }

    #[test]
    fn the_same_urls_as_before() {
        let (a, b, c) = ids();
        let a_ = a.to_string();
        assert_eq!(tender(a), format!("/tenders/{a_}"));
        assert_eq!(tender_bid(a), format!("/tenders/{a_}/bid"));
        assert_eq!(tender_edit(a), format!("/agency/tenders/{a_}"));
        assert_eq!(evaluation(a), format!("/agency/tenders/{a_}/evaluation"));
        assert_eq!(contract(a), format!("/contracts/{a_}"));
        assert_eq!(invitation("abc"), "/invite/abc");
        assert_eq!(
            opened_bid_document(a, b, c),
            format!("/agency/tenders/{a_}/bids/{b}/documents/{c}")
        );
        assert_eq!(
            capability_document(a),
            format!("/profile/capabilities/{a_}/document")
        );
        assert_eq!(payments(None::<i32>, None::<usize>), "/payments");
        assert_eq!(payments(Some(2025), None::<usize>), "/payments?year=2025");
        assert_eq!(payments(None::<i32>, Some(3)), "/payments?page=3");
        assert_eq!(payments(Some(2025), Some(3)), "/payments?year=2025&page=3");
        assert_eq!(payments_csv(Some(2025)), "/payments.csv?year=2025");
        assert_eq!(payments_csv(None::<i32>), "/payments.csv");
    }

    /// The search travels as `TenderQuery` (its serde names are the keys the server function
    /// reads) and comes back as a link: both use the keys of [`query::SEARCH`].
    #[test]
    fn the_search_query_type_uses_the_search_keys() {
        use crate::model::tenders::TenderQuery;
        let json = serde_json::to_value(TenderQuery::default()).expect("serialises");
        let mut fields: Vec<&str> = json
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut keys = query::SEARCH.to_vec();
        fields.sort_unstable();
        keys.sort_unstable();
        assert_eq!(fields, keys);
        let all = TenderQuery {
            q: "a".into(),
            category: "b".into(),
            method: "c".into(),
            province: "d".into(),
            budget_min: "e".into(),
            budget_max: "f".into(),
            sme: "g".into(),
            status: "h".into(),
            closes_within: "i".into(),
            sort: "j".into(),
            page: "k".into(),
        };
        let listed: Vec<String> = query::SEARCH
            .iter()
            .zip('a'..='k')
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(all.href(), format!("/?{}", listed.join("&")));
    }

    #[test]
    fn a_search_leaves_blank_values_out_and_escapes_the_rest() {
        assert_eq!(
            search([
                (query::Q, "道路"),
                (query::CATEGORY, " "),
                (query::SME, "1")
            ]),
            "/?q=%E9%81%93%E8%B7%AF&sme=1"
        );
        assert_eq!(search([]), "/?");
        assert_eq!(escape_query("a b&c=d~"), "a%20b%26c%3Dd~");
    }
}
