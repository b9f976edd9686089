//! Hostile and broken input (issue #9): bodies over the limits are refused before they are
//! read (or, sent without a length, as soon as they pass the limit), bodies of the wrong kind and malformed forms get a 4xx that says what is wrong (never a
//! 5xx), markup and SQL in text are kept as typed and shown escaped, a document's name never
//! reaches the file system, and money that is not money is refused on its field.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::bids::{bid, firm, world};
use crate::helpers::{error_fields, spawn_app, Backend, TestApp, PDF};
use crate::on_both_backends;

on_both_backends!(markup_and_sql_in_text_are_kept_as_typed_and_shown_escaped);

/// Sends only the head of a request (its body never follows) and returns what the server
/// answers within 5 s.
async fn answer_to_head(app: &TestApp, method_and_path: &str, headers: &str) -> String {
    let host = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!("{method_and_path} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 8192];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("answered without waiting for the body")
        .unwrap();
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

#[tokio::test]
async fn bodies_declared_over_the_limits_are_refused_before_they_are_read() {
    let app = spawn_app(Backend::Sqlite).await;
    // A server function's form of 50 MB: refused at once, saying what to do.
    let answer = answer_to_head(
        &app,
        "POST /api/tenders/search",
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 50000000\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains("The form is too long (over 2 MB)") && answer.contains("表单内容过长"),
        "{answer}"
    );
    // An upload larger than the upload limit: the same, in the file's words.
    let too_big = app.settings.max_upload_bytes + 1024 * 1024;
    let answer = answer_to_head(
        &app,
        "POST /tenders/0190a0b0-0000-7000-8000-000000000000/bid/documents",
        &format!("Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {too_big}\r\n"),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let mb = (app.settings.max_upload_bytes + 64 * 1024) / (1024 * 1024);
    assert!(
        answer.contains(&format!("The file is too large (over {mb} MB)"))
            && answer.contains("文件过大"),
        "{answer}"
    );
    // A form of 1 MB is within the limit: read and answered.
    let long = "a".repeat(1024 * 1024);
    let (status, body) = app.call("tenders/search", &[("query[q]", &long)]).await;
    assert!(
        status != 413 && status.as_u16() < 500,
        "{status}: {}",
        &body.to_string()[..200.min(body.to_string().len())]
    );
}

/// Sends `form` to a server function in 64 KB chunks (no declared length) and returns the
/// server's answer.
async fn chunked_form(app: &TestApp, endpoint: &str, form: &[u8]) -> String {
    let host = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST /api/{endpoint} HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n",
        app.address
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in form.chunks(64 * 1024) {
        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
        framed.extend_from_slice(chunk);
        framed.extend_from_slice(b"\r\n");
        // The server may answer and stop reading before the end: the answer is what counts.
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("answered")
        .ok();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_form_sent_in_chunks_is_held_to_the_same_limit() {
    let app = spawn_app(Backend::Sqlite).await;
    // Over 2 MB with no declared length: the same 413 as a declared one, not "reload the page".
    let mut long = b"query[q]=".to_vec();
    long.resize(3 * 1024 * 1024, b'a');
    let answer = chunked_form(&app, "tenders/search", &long).await;
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..300.min(answer.len())]
    );
    assert!(
        answer.contains("The form is too long (over 2 MB)") && answer.contains("表单内容过长"),
        "{answer}"
    );
    // A form within the limit, sent the same way, is read and answered.
    let answer = chunked_form(&app, "tenders/search", "query[q]=照明".as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"total\""), "{answer}");
}

#[tokio::test]
async fn a_server_function_takes_a_form_and_refuses_other_bodies() {
    let app = spawn_app(Backend::Sqlite).await;
    let url = format!("{}/api/tenders/search", app.address);
    for (content_type, body) in [
        ("application/json", r#"{"query":{"q":"照明"}}"#),
        ("text/plain", "query[q]=照明"),
        ("application/xml", "<query><q>照明</q></query>"),
    ] {
        let response = app
            .client
            .post(&url)
            .header("origin", &app.address)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415, "{content_type}");
        let text = response.text().await.unwrap();
        assert!(
            text.contains("Send a form (application/x-www-form-urlencoded)")
                && text.contains(content_type),
            "{content_type}: {text}"
        );
    }
    // The same function, sent a form (with a charset), or nothing at all, answers.
    let response = app
        .client
        .post(&url)
        .header("origin", &app.address)
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body("query[q]=%E7%85%A7%E6%98%8E")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = app
        .client
        .post(format!("{}/api/session", app.address))
        .header("origin", &app.address)
        .header("content-length", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn malformed_forms_get_a_client_error_and_the_server_carries_on() {
    let app = spawn_app(Backend::Sqlite).await;
    let url = format!("{}/api/tenders/search", app.address);
    let nested = format!("query{}=1", "[a]".repeat(5_000));
    let many: String = (0..20_000).map(|i| format!("f{i}=x&")).collect();
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("raw invalid UTF-8", b"query[q]=\xff\xfe\xfd".to_vec()),
        ("percent-encoded invalid UTF-8", b"query[q]=%FF%FE".to_vec()),
        ("5,000 levels of nesting", nested.into_bytes()),
        ("20,000 fields", many.into_bytes()),
        (
            "one field as text and as a map",
            b"query[q]=a&query[q][x]=b".to_vec(),
        ),
        ("a page that is not a number", b"query[page]=-1e99".to_vec()),
        ("a NUL byte", b"query[q]=a%00b".to_vec()),
    ];
    for (what, body) in bodies {
        let response = app
            .client
            .post(&url)
            .header("origin", &app.address)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.as_u16() < 500, "{what}: {status} {text}");
        if status.is_client_error() {
            assert!(
                text.contains("\"en\""),
                "{what}: a 4xx says what is wrong in both languages: {text}"
            );
        }
    }
    assert_eq!(app.get("/readyz").await.status(), 200);
    let (status, _) = app.call("tenders/search", &[("query[q]", "照明")]).await;
    assert_eq!(status, 200);
}

async fn markup_and_sql_in_text_are_kept_as_typed_and_shown_escaped(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.new_client();
    // The firm's own name, and its records' titles.
    let firm = "<b onmouseover=alert(2)>小溪</b>'); DROP TABLE organisation; --";
    app.register_supplier(&owner, firm, "91330106MA2B00001")
        .await;
    let hostile = [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        "'); DROP TABLE capability_record; --",
        "\" OR 1=1 --",
        "{{7*7}} ${7*7}",
    ];
    for title in hostile {
        let (status, body) = app
            .call_with(
                &owner,
                "profile/capabilities/add",
                &[("form[kind]", "equipment"), ("form[title]", title)],
            )
            .await;
        assert_eq!(status, 200, "{title}: {body}");
        assert_eq!(body["capability"]["title"], title, "kept as typed: {body}");
    }
    let (status, overview) = app.call_with(&owner, "profile/overview", &[]).await;
    assert_eq!(status, 200, "{overview}");
    let titles: Vec<&str> = overview["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["capability"]["title"].as_str().unwrap_or_default())
        .collect();
    for title in hostile {
        assert!(
            titles.contains(&title),
            "{title} listed as typed: {titles:?}"
        );
    }
    // The page shows the text, never the markup.
    let page = app.page_as(&owner, "/account").await;
    for raw in ["<script>alert(", "<img src=x onerror", "<b onmouseover"] {
        assert!(!page.contains(raw), "{raw} reached the page as markup");
    }
    for escaped in ["&lt;script&gt;alert(", "&lt;img src=x onerror=alert(1)&gt;"] {
        assert!(page.contains(escaped), "the page shows {escaped}");
    }
    assert!(
        page.contains("DROP TABLE capability_record"),
        "and the rest as typed"
    );
    // The firm's name is kept as typed (and its table is still there to keep it).
    use sea_orm::EntityTrait;
    let names: Vec<String> = app::infra::entities::organisation::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, vec![firm.to_string()]);
}

#[tokio::test]
async fn a_document_name_never_reaches_the_file_system() {
    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.new_client();
    app.register_supplier(&owner, "小溪软件", "91330106MA2B00001")
        .await;
    let (status, record) = app
        .call_with(
            &owner,
            "profile/capabilities/add",
            &[("form[kind]", "equipment"), ("form[title]", "服务器 4 台")],
        )
        .await;
    assert_eq!(status, 200, "{record}");
    let id = record["id"].as_str().unwrap();
    let escape = format!("evil-{}.pdf", uuid::Uuid::new_v4().simple());
    let storage = app.settings.storage_path.clone();
    std::fs::create_dir_all(&storage).unwrap();
    let name = format!("../../../../../../../../tmp/{escape}");
    let path = format!("/profile/capabilities/{id}/document");
    let response = app.upload(&owner, &path, &name, PDF, "*/*").await;
    assert_eq!(response.status(), 204);
    // Stored under the storage folder, by its own id: the name is nowhere on disk.
    assert!(!std::path::Path::new("/tmp").join(&escape).exists());
    let mut on_disk = Vec::new();
    let mut folders = vec![storage.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                on_disk.push(path);
            }
        }
    }
    assert!(!on_disk.is_empty(), "the file is stored");
    for file in &on_disk {
        assert!(file.starts_with(&storage), "{file:?}");
        assert!(!file.to_string_lossy().contains("evil"), "{file:?}");
    }
    // Downloaded, its name comes back as data in the header, never as a path.
    let (_, overview) = app.call_with(&owner, "profile/overview", &[]).await;
    let records = &overview["capabilities"];
    let href = records[0]["document"]["href"]
        .as_str()
        .unwrap_or_else(|| panic!("the record lists its document: {records}"))
        .to_string();
    let response = owner
        .get(format!("{}{href}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        !disposition.contains("../") && !disposition.contains("/tmp"),
        "{disposition}"
    );
}

#[tokio::test]
async fn money_that_is_not_money_is_refused_on_its_field_and_nothing_is_saved() {
    let w = world(Backend::Sqlite).await;
    let (bidder, record) = firm(&w.app, "边界测试公司", "91330106MA2B00041", true).await;
    for price in [
        "1e28",
        "79228162514264337593543950336",
        "-0",
        "0",
        "0.001",
        "-5",
        "NaN",
        "１２３",
        "0x10",
        " ",
    ] {
        let (status, body) = bid(&w, &bidder, "0", price, &record, "边界").await;
        assert_eq!(status, 422, "{price:?}: {body}");
        assert_eq!(
            error_fields(&body),
            vec!["lots[0].price"],
            "{price:?}: {body}"
        );
    }
    // Nothing was counted: the first good bid is version 1.
    let (status, body) = bid(&w, &bidder, "0", "2500000.00", &record, "好").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 1, "{body}");
}
