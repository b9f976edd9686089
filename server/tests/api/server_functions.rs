//! Server functions over HTTP: language switch without JavaScript, CSRF refusal, opaque 5xx.

use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;
use sea_orm::ConnectionTrait;

on_both_backends!(internal_errors_are_opaque_and_carry_the_request_id);

#[tokio::test]
async fn language_switch_works_as_a_plain_form_post() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .client
        .post(format!("{}/api/language", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}/", app.address))
        .header("origin", &app.address)
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302, "a form post comes back to its page");
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!("{}/", app.address)),
        "{location}"
    );
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http in tests");

    // The cookie store now sends lang=en: the page comes back in English.
    let (_, html) = app.get_text("/").await;
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Published tenders"));
    assert!(!html.contains("已发布的采购项目"));
}

#[tokio::test]
async fn unsupported_language_is_refused_with_a_message() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .client
        .post(format!("{}/api/language", app.address))
        .form(&[("lang", "fr")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.headers().get("set-cookie").is_none());
    let body = response.text().await.unwrap();
    assert!(body.contains("Choose zh-CN or en"), "{body}");
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app(Backend::Sqlite).await;
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = app
            .client
            .post(format!("{}/api/language", app.address))
            .header(header, value)
            .form(&[("lang", "en")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
        assert!(response.headers().get("set-cookie").is_none());
    }
    let (_, html) = app.get_text("/").await;
    assert!(html.contains(r#"<html lang="zh-CN""#));
}

async fn internal_errors_are_opaque_and_carry_the_request_id(backend: Backend) {
    let app = spawn_app(backend).await;
    // Break the database behind the application's back.
    app.db
        .execute_unprepared("ALTER TABLE tender RENAME TO tender_gone")
        .await
        .unwrap();
    let response = app
        .client
        .post(format!("{}/api/tenders/published", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let body = response.text().await.unwrap();
    assert!(
        body.contains(&id),
        "the user can quote the request id: {body}"
    );
    for leak in ["tender", "SELECT", "no such table", "relation", "sqlx"] {
        assert!(!body.contains(leak), "{leak:?} leaked: {body}");
    }
}
