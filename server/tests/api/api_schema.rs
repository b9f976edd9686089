//! The API says what it accepts (issue #35): what the OpenAPI document allows is accepted, what
//! it does not is refused with 400 naming the parameter, an empty parameter is absent (as an
//! HTML form sends it), an ocid of another publisher is simply not found, and 429 is documented
//! with `Retry-After`.

use crate::helpers::{spawn_app_with, Backend};
use crate::on_both_backends;
use crate::open_data::get_json;

on_both_backends!(the_api_accepts_what_its_document_allows_and_refuses_the_rest);

async fn the_api_accepts_what_its_document_allows_and_refuses_the_rest(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.api_requests_per_minute = 100).await;
    app.seed_demo().await;

    // The document: the filters' choices, the cursors' and amounts' patterns, 429 everywhere.
    let (status, doc) = get_json(&app, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let param = |path: &str, name: &str| {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} {name}"))["schema"]
            .clone()
    };
    let methods = param("/tenders", "method");
    assert!(
        methods["enum"]
            .as_array()
            .unwrap()
            .contains(&"open_tender".into()),
        "{methods}"
    );
    assert!(methods["enum"].as_array().unwrap().contains(&"".into()));
    assert!(param("/tenders", "cursor")["pattern"].is_string());
    assert!(param("/ocds/releases", "cursor")["pattern"]
        .as_str()
        .unwrap()
        .contains("award"));
    assert!(param("/tenders", "budget_min")["pattern"].is_string());
    assert!(param("/ocds/releases", "since")["anyOf"].is_array());
    for (path, item) in doc["paths"].as_object().unwrap() {
        let too_many = &item["get"]["responses"]["429"];
        assert!(too_many["headers"]["Retry-After"].is_object(), "{path}");
    }

    // Empty parameters are absent: the search form's request is answered.
    for path in [
        "/api/v1/tenders?q=&category=&method=&province=&budget_min=&budget_max=&sme=&status=&closes_within=&cursor=&limit=",
        "/api/v1/awards?cursor=&limit=",
        "/api/v1/ocds/releases?since=&until=&cursor=",
        "/api/v1/statistics/payment-timeliness?year=",
        "/api/v1/audit/checkpoints?after=&limit=",
    ] {
        let (status, body) = get_json(&app, path).await;
        assert_eq!(status, 200, "{path}: {body}");
    }

    // A cursor of the documented shape is read (an empty page is still a page), whatever it
    // points at; the next_cursor the API writes has that shape.
    let (status, page) = get_json(
        &app,
        "/api/v1/tenders?cursor=1-00000000000000000000000000000000",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let (_, page) = get_json(&app, "/api/v1/tenders?limit=1").await;
    let next = page["next_cursor"].as_str().unwrap().to_string();
    let (head, id) = next.split_once('-').unwrap();
    assert!(
        head.bytes().all(|b| b.is_ascii_digit()) && id.len() == 32,
        "{next}"
    );
    let (status, _) = get_json(&app, &format!("/api/v1/tenders?limit=1&cursor={next}")).await;
    assert_eq!(status, 200);

    // What the document does not allow is refused, naming the parameter.
    for (path, parameter) in [
        ("/api/v1/tenders?sme=yes", "sme"),
        ("/api/v1/tenders?budget_min=1e6", "budget_min"),
        ("/api/v1/tenders?budget_max=-5", "budget_max"),
        ("/api/v1/tenders?limit=007", "limit"),
        ("/api/v1/tenders?limit=+5", "limit"),
        ("/api/v1/tenders?cursor=MjAyNi0wMy0wMQ", "cursor"),
        ("/api/v1/tenders?method=auction", "method"),
        ("/api/v1/ocds/releases?limit=501", "limit"),
        (
            "/api/v1/ocds/releases?cursor=1-bid-00000000000000000000000000000000",
            "cursor",
        ),
        ("/api/v1/ocds/records/not-an-ocid", "ocid"),
        ("/api/v1/audit/checkpoints?after=01", "after"),
        ("/api/v1/audit/checkpoints?limit=1001", "limit"),
    ] {
        let (status, body) = get_json(&app, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["parameter"], parameter, "{path}: {body}");
    }

    // An ocid of the documented shape under another publisher's prefix is not here: 404.
    let other = format!("ocds-other0-{}", uuid::Uuid::nil());
    for path in [
        format!("/api/v1/ocds/records/{other}"),
        format!("/api/v1/ocds/releases/{other}"),
    ] {
        let (status, body) = get_json(&app, &path).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
}
