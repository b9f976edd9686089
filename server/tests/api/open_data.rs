//! Open data (issue #7): OCDS 1.1 releases and records, validated against the official 1.1.5
//! schemas (read from ../shared/ocds/1.1.5 or OCDS_SCHEMA_DIR, never fetched), compiled records,
//! the paged release feed, the streamed bulk export, and the API's answers to bad input,
//! ETags and rate limits. R-BID-01: nothing about a bid before the deadline.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use chrono::Duration;
use serde_json::{json, Value};

use crate::bids::{bid, deadline, firm, world, SECRET_PRICE, SECRET_WORDS};
use crate::contracts::{call, delivered_and_accepted, payment, signed};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::on_both_backends;
use crate::tenders::signed_in;

on_both_backends!(
    every_kind_of_release_validates_and_compiles_into_its_record,
    r_bid_01_open_data_says_nothing_of_a_bid_before_the_deadline,
    bad_parameters_are_refused_naming_the_parameter,
    the_openapi_document_is_walked_and_every_route_answers_as_documented,
    lists_page_by_cursor_filter_and_export_as_csv,
);

const OCDS_BASE: &str = "https://standard.open-contracting.org/schema/1__1__5/";

/// The folder with the official schemas: OCDS_SCHEMA_DIR, else ../shared/ocds/1.1.5 beside the
/// project, else the machine's shared folder.
fn schema_dir() -> PathBuf {
    let candidates = [
        std::env::var_os("OCDS_SCHEMA_DIR").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/ocds/1.1.5")),
        Some(PathBuf::from("/work/shared/ocds/1.1.5")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|d| d.join("release-schema.json").is_file())
        .expect(
            "the OCDS 1.1.5 schemas are needed: set OCDS_SCHEMA_DIR to the folder holding \
             release-schema.json (they live in ../shared/ocds/1.1.5)",
        )
}

fn read_schema(name: &str) -> Value {
    let path = schema_dir().join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every error of `instance` against `schema` (of `draft`), offline: references resolve only to
/// the documents registered under their URIs, never fetched.
fn validation_errors(
    draft: jsonschema::Draft,
    documents: Vec<(String, Value)>,
    schema: &Value,
    instance: &Value,
) -> Vec<String> {
    let mut registry = jsonschema::Registry::new();
    for (uri, document) in documents {
        registry = registry.add(uri, document).unwrap();
    }
    let registry = registry.prepare().unwrap();
    let validator = jsonschema::options()
        .offline()
        .with_draft(draft)
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(schema)
        .unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Every error of `instance` against the named OCDS package schema (draft 4); the schema URLs
/// it refers to map to the local files.
fn schema_errors(package_schema: &str, instance: &Value) -> Vec<String> {
    let documents = [
        "release-schema.json",
        "versioned-release-validation-schema.json",
    ]
    .map(|name| (format!("{OCDS_BASE}{name}"), read_schema(name)))
    .to_vec();
    validation_errors(
        jsonschema::Draft::Draft4,
        documents,
        &read_schema(package_schema),
        instance,
    )
}

pub(crate) fn assert_valid(package_schema: &str, instance: &Value) {
    let errors = schema_errors(package_schema, instance);
    assert!(
        errors.is_empty(),
        "{package_schema}: {errors:#?}\n{instance:#}"
    );
}

pub(crate) async fn get_json(app: &TestApp, path: &str) -> (reqwest::StatusCode, Value) {
    let response = app.get(path).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"));
    (status, body)
}

/// OCDS 1.1 merge, written independently of the server's: objects merge by field, arrays of
/// objects with ids merge by id, anything else is replaced.
fn merge(into: &mut Value, later: &Value) {
    match (into, later) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b))
            if b.iter().all(|i| i.get("id").is_some())
                && a.iter().all(|i| i.get("id").is_some()) =>
        {
            for item in b {
                match a.iter_mut().find(|e| e["id"] == item["id"]) {
                    Some(existing) => merge(existing, item),
                    None => a.push(item.clone()),
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

fn without_release_metadata(mut r: Value) -> Value {
    for k in ["id", "date", "tag"] {
        r.as_object_mut().unwrap().remove(k);
    }
    r
}

fn tags(releases: &[Value]) -> BTreeSet<String> {
    releases
        .iter()
        .flat_map(|r| r["tag"].as_array().unwrap().clone())
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

/// Walks the feed with `limit` per page; returns every release in order.
async fn whole_feed(app: &TestApp, limit: usize) -> Vec<Value> {
    let mut all = Vec::new();
    let mut path = format!("/api/v1/ocds/releases?limit={limit}");
    for _ in 0..100 {
        let (status, page) = get_json(app, &path).await;
        assert_eq!(status, 200, "{page}");
        let releases = page["releases"].as_array().unwrap().clone();
        assert!(releases.len() <= limit);
        if !releases.is_empty() {
            assert_valid("release-package-schema.json", &page);
        }
        all.extend(releases);
        match page["links"]["next"].as_str() {
            Some(next) => path = next.strip_prefix(&app.address).unwrap().to_string(),
            None => return all,
        }
    }
    panic!("the feed never ended");
}

async fn every_kind_of_release_validates_and_compiles_into_its_record(backend: Backend) {
    let (w, contract, advance, delivery) = signed(backend).await;
    let prefix = w.app.settings.ocid_prefix.clone();
    let ocid = format!("{prefix}-{}", w.tender);
    // An amendment, an acceptance and a payment.
    let (status, body) = call(
        &w,
        &w.officer,
        "contracts/amend",
        &[
            ("id", contract.as_str()),
            ("form[reason]", "机房搬迁，顺延一个月。"),
            ("form[milestones][0][id]", delivery.as_str()),
            ("form[milestones][0][planned_date]", "2028-01-17"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    delivered_and_accepted(&w, &delivery).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let key = uuid::Uuid::new_v4().to_string();
    let (status, body) = call(
        &w,
        &finance,
        "contracts/pay",
        &payment(&advance, &key, "principal", "570000", "2026-12-17"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // A second tender with a clarification that moves its deadline, then cancelled.
    let mut form = crate::tenders::draft("运维方案");
    for (k, v) in form.iter_mut() {
        if k == "form[bid_deadline]" {
            *v = "2027-01-29T17:00".into();
        }
    }
    let (status, second) = crate::tenders::save(&w.app, &w.officer, &form).await;
    assert_eq!(status, 200, "{second}");
    let second = second.as_str().unwrap().to_string();
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/tenders/publish", &[("id", &second)])
        .await;
    assert_eq!(status, 200, "{body}");
    for form in [
        vec![
            ("id", second.as_str()),
            ("body", "修改：服务期改为两年。"),
            ("affects_bids", "on"),
        ],
        vec![("id", second.as_str()), ("body", "答疑：可分两班轮换。")],
    ] {
        let (status, body) = w
            .app
            .call_with(&w.officer, "agency/tenders/clarify", &form)
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, _) = w
        .app
        .call_with(
            &w.officer,
            "agency/tenders/cancel",
            &[("id", &second), ("reason", "预算调整。")],
        )
        .await;
    assert_eq!(status, 200);

    // The awarded process: a release package and a record package, both valid.
    let (status, package) = get_json(&w.app, &format!("/api/v1/ocds/releases/{ocid}")).await;
    assert_eq!(status, 200, "{package}");
    assert_valid("release-package-schema.json", &package);
    let releases = package["releases"].as_array().unwrap().clone();
    assert_eq!(
        tags(&releases),
        [
            "award",
            "contract",
            "contractAmendment",
            "implementation",
            "tender",
            "tenderUpdate"
        ]
        .map(String::from)
        .into(),
    );
    let (status, records) = get_json(&w.app, &format!("/api/v1/ocds/records/{ocid}")).await;
    assert_eq!(status, 200, "{records}");
    assert_valid("record-package-schema.json", &records);
    let record = &records["records"][0];
    assert_eq!(record["ocid"], ocid);
    assert_eq!(record["releases"].as_array().unwrap(), &releases);

    // The releases compile into the record's compiled release (merged here independently).
    let mut merged = json!({});
    for r in &releases {
        merge(&mut merged, r);
    }
    let compiled = record["compiledRelease"].clone();
    assert_eq!(compiled["tag"], json!(["compiled"]));
    assert_eq!(
        without_release_metadata(merged),
        without_release_metadata(compiled.clone())
    );
    // What the public reads in it: the winner, its size, what was paid, the amended date.
    let supplier = compiled["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["roles"] == json!(["supplier"]))
        .unwrap();
    assert_eq!(supplier["name"], "小微甲公司");
    assert_eq!(supplier["details"]["scale"], "sme", "a small firm");
    assert_eq!(compiled["awards"][0]["value"]["amount"], json!(2850000));
    assert_eq!(compiled["bids"]["statistics"][0]["value"], 3);
    assert_eq!(compiled["tender"]["numberOfTenderers"], 3);
    let c = &compiled["contracts"][0];
    assert_eq!(c["id"], contract);
    let milestones = c["implementation"]["milestones"].as_array().unwrap();
    assert_eq!(milestones[1]["dueDate"], "2028-01-17T00:00:00+08:00");
    assert_eq!(milestones[1]["status"], "met");
    assert_eq!(
        c["implementation"]["transactions"][0]["value"]["amount"],
        json!(570000)
    );
    // ...and the contract release still says what was signed.
    let signed_release = releases
        .iter()
        .find(|r| r["tag"] == json!(["contract"]))
        .unwrap();
    assert_eq!(
        signed_release["contracts"][0]["implementation"]["milestones"][1]["dueDate"],
        "2027-12-17T00:00:00+08:00"
    );

    // Ids are stable: asking again gives the same releases, byte for byte.
    let again = w.app.get(&format!("/api/v1/ocds/releases/{ocid}")).await;
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["releases"], package["releases"]);

    // The cancelled process: its amendment, update and cancellation releases validate.
    let cancelled_ocid = format!("{prefix}-{second}");
    let (status, cancelled) =
        get_json(&w.app, &format!("/api/v1/ocds/records/{cancelled_ocid}")).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_valid("record-package-schema.json", &cancelled);
    let cancelled_releases = cancelled["records"][0]["releases"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        tags(&cancelled_releases),
        [
            "tender",
            "tenderAmendment",
            "tenderCancellation",
            "tenderUpdate"
        ]
        .map(String::from)
        .into()
    );
    let compiled = &cancelled["records"][0]["compiledRelease"];
    assert_eq!(compiled["tender"]["status"], "cancelled");
    assert_eq!(
        compiled["tender"]["amendments"].as_array().unwrap().len(),
        2
    );

    // The feed, two at a time, holds every release of both processes once, in date order.
    // (The demo data's published tenders are in it too.)
    let feed = whole_feed(&w.app, 2).await;
    let ids: Vec<&str> = feed.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "no repeats"
    );
    let ours: HashSet<&str> = feed
        .iter()
        .filter(|r| r["ocid"] == ocid || r["ocid"] == cancelled_ocid)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let expected: HashSet<&str> = releases
        .iter()
        .chain(&cancelled_releases)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ours, expected);
    let dates: Vec<chrono::DateTime<chrono::Utc>> = feed
        .iter()
        .map(|r| r["date"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(dates.windows(2).all(|d| d[0] <= d[1]), "{dates:?}");
    // Filtered by date: only what happened from the opening on.
    let since = (deadline() + Duration::minutes(1)).to_rfc3339();
    let (status, page) = get_json(
        &w.app,
        &format!("/api/v1/ocds/releases?since={}", urlencode(&since)),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let after: Vec<&Value> = page["releases"].as_array().unwrap().iter().collect();
    assert!(!after.is_empty());
    let since: chrono::DateTime<chrono::Utc> = since.parse().unwrap();
    assert!(after.iter().all(|r| {
        let date: chrono::DateTime<chrono::Utc> = r["date"].as_str().unwrap().parse().unwrap();
        date >= since
    }));
    assert!(!after
        .iter()
        .any(|r| r["ocid"] == ocid && r["tag"] == json!(["tender"])));
    assert!(after.iter().any(|r| r["tag"] == json!(["award"])));

    // The bulk export: one valid record per public process, per line.
    let response = w.app.get("/api/v1/ocds/records.jsonl").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/x-ndjson"));
    let text = response.text().await.unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let demo = <app::infra::entities::tender::Entity as sea_orm::EntityTrait>::find()
        .all(&w.app.db)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.published_at.is_some())
        .count();
    assert_eq!(lines.len(), demo, "one line per published tender: {text}");
    let package = json!({
        "uri": format!("{}/api/v1/ocds/records.jsonl", w.app.address),
        "version": "1.1",
        "publisher": {"name": "fairtender"},
        "publishedDate": "2027-01-01T00:00:00Z",
        "records": lines,
    });
    assert_valid("record-package-schema.json", &package);
    let exported: HashSet<&str> = lines.iter().map(|r| r["ocid"].as_str().unwrap()).collect();
    assert_eq!(exported.len(), lines.len());
    assert!(exported.contains(ocid.as_str()) && exported.contains(cancelled_ocid.as_str()));
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

async fn r_bid_01_open_data_says_nothing_of_a_bid_before_the_deadline(backend: Backend) {
    let w = world(backend).await;
    let (client, record) = firm(&w.app, "封标测试公司", "91330106MA2B00071", true).await;
    let (status, body) = bid(&w, &client, "0", SECRET_PRICE, &record, SECRET_WORDS).await;
    assert_eq!(status, 200, "{body}");
    let ocid = format!("{}-{}", w.app.settings.ocid_prefix, w.tender);
    let mut bodies = Vec::new();
    for path in [
        "/api/v1/ocds/releases".to_string(),
        format!("/api/v1/ocds/releases/{ocid}"),
        format!("/api/v1/ocds/records/{ocid}"),
        "/api/v1/ocds/records.jsonl".to_string(),
        "/api/v1/tenders".to_string(),
        format!("/api/v1/tenders/{}", w.tender),
        "/api/v1/tenders.csv".to_string(),
        "/api/v1/awards".to_string(),
        "/api/v1/awards.csv".to_string(),
        "/api/v1/contracts".to_string(),
    ] {
        let response = w.app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        bodies.push((path, response.text().await.unwrap()));
    }
    for (path, body) in &bodies {
        if !path.contains("awards") && !path.contains("contracts") {
            assert!(body.contains(&w.tender), "{path} lists the tender: {body}");
        }
        for secret in [
            SECRET_PRICE,
            "2850000.17",
            SECRET_WORDS,
            "封标测试公司",
            "91330106MA2B00071",
            "\"bids\"",
            "numberOfTenderers",
            "tenderer",
        ] {
            assert!(!body.contains(secret), "{path} shows {secret}: {body}");
        }
    }
}

async fn bad_parameters_are_refused_naming_the_parameter(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.api_requests_per_minute = 30).await;
    app.seed_demo().await;
    let prefix = app.settings.ocid_prefix.clone();
    for (path, parameter) in [
        ("/api/v1/ocds/releases?cursor=not-a-cursor", "cursor"),
        ("/api/v1/ocds/releases?limit=0", "limit"),
        ("/api/v1/ocds/releases?limit=100000", "limit"),
        ("/api/v1/ocds/releases?limit=ten", "limit"),
        ("/api/v1/ocds/releases?since=yesterday", "since"),
        ("/api/v1/ocds/releases?until=2027-02-30", "until"),
        ("/api/v1/ocds/releases?status=open", "status"),
        ("/api/v1/ocds/records/ocds-other0-1", "ocid"),
    ] {
        let (status, body) = get_json(&app, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], "bad_parameter", "{path}");
        assert_eq!(body["error"]["parameter"], parameter, "{path}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    let (status, body) = get_json(
        &app,
        &format!("/api/v1/ocds/records/{prefix}-{}", uuid::Uuid::nil()),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "not_found");

    // ETag: a client that has the page gets 304 and no body.
    let first = app.get("/api/v1/ocds/releases").await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let again = app
        .client
        .get(format!("{}/api/v1/ocds/releases", app.address))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.text().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_client_over_its_rate_gets_429_with_retry_after() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.api_requests_per_minute = 3).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/ocds/releases").await.status(), 200);
    }
    let refused = app.get("/api/v1/ocds/releases").await;
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Pages are not held to the API's limit.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// The path with its parameters filled in from the world.
fn fill(path: &str, tender: &str, ocid: &str) -> String {
    path.replace("{id}", tender).replace("{ocid}", ocid)
}

/// Validates `instance` against a schema taken from the OpenAPI document (JSON Schema 2020-12,
/// its `#/components/...` references resolved in the document itself).
fn openapi_errors(doc: &Value, schema: &Value, instance: &Value) -> Vec<String> {
    const DOC: &str = "urn:fairtender:openapi";
    let text = schema
        .to_string()
        .replace("\"#/components/", &format!("\"{DOC}#/components/"));
    validation_errors(
        jsonschema::Draft::Draft202012,
        vec![(DOC.to_string(), doc.clone())],
        &serde_json::from_str(&text).unwrap(),
        instance,
    )
}

async fn the_openapi_document_is_walked_and_every_route_answers_as_documented(backend: Backend) {
    let (w, _contract, _advance, _delivery) = signed(backend).await;
    let ocid = format!("{}-{}", w.app.settings.ocid_prefix, w.tender);
    let (status, doc) = get_json(&w.app, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert!(doc["info"]["title"]
        .as_str()
        .unwrap()
        .contains("fairtender"));
    // The document parses as OpenAPI 3.1: every operation named once, every response's schema
    // reference resolving.
    let text = w
        .app
        .get("/api/v1/openapi.json")
        .await
        .text()
        .await
        .unwrap();
    let spec = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    assert_eq!(spec.validate_version().unwrap().minor, 1);
    let mut operation_ids = HashSet::new();
    for (path, method, operation) in spec.operations() {
        let id = operation.operation_id.clone().unwrap_or_default();
        assert!(
            operation_ids.insert(id.clone()),
            "{method} {path}: operationId {id:?} repeated"
        );
        let responses = operation
            .responses
            .as_ref()
            .unwrap_or_else(|| panic!("{path} documents its responses"));
        for (status, response) in responses {
            let response = response
                .resolve(&spec)
                .unwrap_or_else(|e| panic!("{path} {status}: {e}"));
            for (media, content) in &response.content {
                content
                    .schema(&spec)
                    .unwrap_or_else(|e| panic!("{path} {status} {media}: {e}"));
            }
        }
    }
    let paths = doc["paths"].as_object().unwrap();
    for expected in [
        "/tenders",
        "/tenders/{id}",
        "/tenders/{id}/lots",
        "/awards",
        "/contracts",
        "/statistics/payment-timeliness",
        "/ocds/releases",
        "/ocds/records/{ocid}",
        "/ocds/records.jsonl",
        "/tenders.csv",
    ] {
        assert!(paths.contains_key(expected), "{expected} is documented");
    }
    // The validator is live: a body that breaks the documented schema is caught.
    let schema =
        &paths["/tenders"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(!openapi_errors(&doc, schema, &json!({"data": "nothing"})).is_empty());
    let mut checked = 0;
    for (path, item) in paths {
        let operation = &item["get"];
        let responses = operation["responses"].as_object().unwrap();
        assert!(
            operation["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{path} says what it is"
        );
        let url = format!("/api/v1{}", fill(path, &w.tender, &ocid));
        let response = w.app.get(&url).await;
        let status = response.status().as_u16().to_string();
        assert!(
            responses.contains_key(&status),
            "{url} answered {status}, documented: {:?}",
            responses.keys()
        );
        let documented = &responses[&status]["content"];
        let etag = response.headers().get("etag").cloned();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        let text = response.text().await.unwrap();
        if let Some(media) = documented.as_object().and_then(|m| m.keys().next()) {
            assert!(
                content_type.starts_with(media.as_str()),
                "{url}: {content_type} vs {media}"
            );
            if media == "application/json" {
                let body: Value = serde_json::from_str(&text).unwrap();
                let errors = openapi_errors(&doc, &documented[media]["schema"], &body);
                assert!(errors.is_empty(), "{url}: {errors:#?}\n{body:#}");
            }
        }
        // An unknown parameter is refused as documented, with the documented error body.
        if let Some(bad) = responses.get("400") {
            let (status, body) = get_json(&w.app, &format!("{url}?no_such_parameter=1")).await;
            assert_eq!(status, 400, "{url}: {body}");
            assert_eq!(body["error"]["parameter"], "no_such_parameter");
            let errors = openapi_errors(&doc, &bad["content"]["application/json"]["schema"], &body);
            assert!(errors.is_empty(), "{url}: {errors:#?}");
        }
        // A client that has the page is told so.
        if responses.contains_key("304") {
            let etag = etag.unwrap_or_else(|| panic!("{url} documents 304 but sends no ETag"));
            let again = w
                .app
                .client
                .get(format!("{}{url}", w.app.address))
                .header("if-none-match", etag)
                .send()
                .await
                .unwrap();
            assert_eq!(again.status(), 304, "{url}");
        }
        checked += 1;
    }
    assert_eq!(checked, paths.len());
}

async fn lists_page_by_cursor_filter_and_export_as_csv(backend: Backend) {
    let (w, contract, _advance, _delivery) = signed(backend).await;
    // Every published tender once, one per page, newest first.
    let mut seen = Vec::new();
    let mut path = "/api/v1/tenders?limit=1".to_string();
    loop {
        let (status, page) = get_json(&w.app, &path).await;
        assert_eq!(status, 200, "{page}");
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 1);
        seen.extend(data.iter().map(|t| {
            (
                t["published_at"].as_str().unwrap().to_string(),
                t["id"].as_str().unwrap().to_string(),
            )
        }));
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/tenders?limit=1&cursor={c}"),
            None => break,
        }
    }
    let published = <app::infra::entities::tender::Entity as sea_orm::EntityTrait>::find()
        .all(&w.app.db)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.published_at.is_some())
        .count();
    assert_eq!(seen.len(), published);
    assert_eq!(
        seen.iter().map(|s| &s.1).collect::<HashSet<_>>().len(),
        seen.len()
    );
    assert!(
        seen.windows(2).all(|p| p[0] >= p[1]),
        "newest first: {seen:?}"
    );
    assert!(seen.iter().any(|(_, id)| *id == w.tender));

    // Filters are the search page's: the awarded tender is closed, in services.
    let (_, closed) = get_json(&w.app, "/api/v1/tenders?status=closed&category=services").await;
    let ids: Vec<&str> = closed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&w.tender.as_str()), "{closed}");
    assert!(closed["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["status"] == "closed"));
    let (_, open) = get_json(&w.app, "/api/v1/tenders?status=open").await;
    assert!(open["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["status"] == "open"));
    for (query, parameter) in [
        ("status=maybe", "status"),
        ("category=weapons", "category"),
        ("budget_min=abc", "budget_min"),
        ("limit=201", "limit"),
        ("cursor=%%%", "cursor"),
        ("page=2", "page"),
    ] {
        let (status, body) = get_json(&w.app, &format!("/api/v1/tenders?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["parameter"], parameter, "{query}: {body}");
    }
    let (status, body) = get_json(&w.app, "/api/v1/tenders/not-a-uuid").await;
    assert_eq!(
        (status.as_u16(), body["error"]["parameter"].as_str()),
        (400, Some("id"))
    );

    // The detail, the award (winner, its size, the price) and the contract.
    let (_, detail) = get_json(&w.app, &format!("/api/v1/tenders/{}", w.tender)).await;
    assert_eq!(detail["tender"]["title"], "政务云平台运维服务");
    assert_eq!(detail["lots"][0]["criteria"][1]["points"], "60.00");
    let (_, awards) = get_json(&w.app, "/api/v1/awards").await;
    let award = &awards["data"][0];
    assert_eq!(award["supplier"]["name"], "小微甲公司");
    assert_eq!(award["supplier_scale"], "sme");
    assert_eq!(award["price"]["amount"], "2850000.00");
    let (_, contracts) = get_json(&w.app, "/api/v1/contracts").await;
    assert_eq!(contracts["data"][0]["id"], contract);
    assert_eq!(
        contracts["data"][0]["milestones"].as_array().unwrap().len(),
        2
    );

    // CSV: a header, then the rows, quoted; the same filters and refusals.
    let (status, csv) = w.app.get_text("/api/v1/tenders.csv?status=closed").await;
    assert_eq!(status, 200);
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .starts_with("id,ocid,title"));
    assert!(csv.contains("\"政务云平台运维服务\""), "{csv}");
    let (status, csv) = w.app.get_text("/api/v1/awards.csv").await;
    assert_eq!(status, 200);
    assert!(
        csv.contains("\"小微甲公司\"") && csv.contains("\"2850000.00\""),
        "{csv}"
    );
    let (status, csv) = w.app.get_text("/api/v1/contracts.csv").await;
    assert_eq!(status, 200);
    assert_eq!(
        csv.lines().count(),
        3,
        "a header and a row per milestone: {csv}"
    );
    let (status, csv) = w
        .app
        .get_text("/api/v1/statistics/payment-timeliness.csv?year=2027")
        .await;
    assert_eq!(status, 200);
    assert!(csv.contains("on_time_rate"), "{csv}");
    let (status, body) = get_json(&w.app, "/api/v1/tenders.csv?status=maybe").await;
    assert_eq!(
        (status.as_u16(), body["error"]["parameter"].as_str()),
        (400, Some("status"))
    );
}
