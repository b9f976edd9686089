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
        .post(format!("{}/api/tenders/search", app.address))
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

/// The pages are server-rendered islands: every form is a plain post, and what the page shows
/// next comes from where the server sends the browser.
pub(crate) async fn plain_form_post(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    referer: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = client
        .post(format!("{}/api/{endpoint}", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}{referer}", app.address))
        .header("origin", &app.address)
        .form(form)
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let location = location.trim_start_matches(&app.address).to_string();
    (response.status().as_u16(), location)
}

#[tokio::test]
async fn a_signed_in_form_goes_to_the_account_and_a_refused_one_back_with_its_error() {
    use crate::helpers::SUPPLIER_PASSWORD;
    let app = spawn_app(Backend::Sqlite).await;
    let email = app
        .register_supplier(&app.new_client(), "小溪软件", "91330106MA2B00001")
        .await;
    let browser = app.new_client();
    let wrong = [("email", email.as_str()), ("password", "not the password")];
    let (status, location) = plain_form_post(&app, &browser, "login", "/login", &wrong).await;
    assert_eq!(status, 302);
    assert!(location.starts_with("/login?"), "{location}");
    assert!(
        location.contains("__err="),
        "the error goes back in the address: {location}"
    );

    let right = [("email", email.as_str()), ("password", SUPPLIER_PASSWORD)];
    let (status, location) = plain_form_post(&app, &browser, "login", &location, &right).await;
    assert_eq!((status, location.as_str()), (302, "/account"));
    let html = app.page_as(&browser, "/account").await;
    assert!(
        html.contains(r#"data-testid="signed-in""#),
        "signed in on arrival: {}",
        html.split("<main").nth(1).unwrap_or(&html)
    );
}

#[tokio::test]
async fn a_form_that_succeeds_goes_back_marked_done_without_the_last_error() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = app.new_client();
    // The language switch comes back to the very page (its query kept, the old error dropped)...
    let page = "/?q=%E8%BF%90%E7%BB%B4&__path=%2Fapi%2Flogin&__err=e30";
    let (status, location) =
        plain_form_post(&app, &browser, "language", page, &[("lang", "en")]).await;
    assert_eq!((status, location.as_str()), (302, "/?q=%E8%BF%90%E7%BB%B4"));
    // ... while another action says it was done, for the page to show (`app::paths::query::DONE`).
    // A supplier may save searches: registering signs this browser in as one.
    app.register_supplier(&browser, "小溪软件", "91330106MA2B00002")
        .await;
    let (status, location) = plain_form_post(
        &app,
        &browser,
        "supplier/searches/save",
        "/?q=%E8%BF%90%E7%BB%B4",
        &[("name", "运维"), ("query[q]", "运维")],
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(
        location,
        "/?q=%E8%BF%90%E7%BB%B4&done=supplier%2Fsearches%2Fsave"
    );
    let html = app.page_as(&browser, &location).await;
    assert!(
        html.contains(r#"data-testid="search-saved""#),
        "the page says it was saved"
    );
}
