//! Issue #35, smaller items: a form error carried in the address shows only what the server
//! wrote (`server::action_errors`), and the page cache reads the language as the page does and
//! is not emptied by anonymous requests (`server::page_cache`); the dev-mode test clock sits
//! behind the same layers as every other route.

use base64::Engine;

use crate::helpers::{spawn_app, spawn_app_with, Backend};

crate::on_both_backends!(
    issue_35_an_error_in_the_address_shows_only_what_the_server_wrote,
    issue_35_the_page_cache_reads_the_language_as_the_page_does,
    issue_35_anonymous_posts_and_options_do_not_empty_the_page_cache,
    issue_35_the_test_clock_is_behind_the_same_layers_as_everything_else,
);

async fn issue_35_the_test_clock_is_behind_the_same_layers_as_everything_else(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.test_clock = true).await;
    let clock = format!("{}/__test/clock", app.address);
    // Another site's page cannot move the clock (the cross-site refusal applies to it too).
    let response = app
        .new_client()
        .post(&clock)
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body("86400")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // Its own test harness can, and the answer carries the headers every answer carries.
    let response = app
        .new_client()
        .post(&clock)
        .body("60")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    for name in ["x-request-id", "x-content-type-options"] {
        assert!(response.headers().contains_key(name), "{name}");
    }
}

fn cache_state(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("x-page-cache")
        .map(|v| v.to_str().unwrap().to_string())
}

async fn issue_35_an_error_in_the_address_shows_only_what_the_server_wrote(backend: Backend) {
    let app = spawn_app(backend).await;
    // An attacker's link: the sign-in page with an "error" of their own words.
    let forged = serde_json::json!({"Invalid": {"field": null, "message": {
        "zh": "您的账户已冻结，请致电 400-000-0000 解冻。",
        "en": "Your account is frozen: call 400-000-0000."
    }}});
    let err = base64::engine::general_purpose::URL_SAFE.encode(forged.to_string());
    let link = format!("/login?next=%2Faccount&__path=%2Fapi%2Flogin&__err={err}");
    let response = app.get(&link).await;
    // Sent to the same page without it; the page never shows the text.
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?next=%2Faccount");
    let follow = reqwest::Client::new();
    let page = follow
        .get(format!("{}{link}", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("400-000-0000"), "{page}");
    // A signature from somewhere else does not help.
    let (status, page) = app
        .get_text(&format!("{link}&__sig={}", "ab".repeat(32)))
        .await;
    assert_eq!(status, 303, "{page}");

    // The server's own refusal of a form posted without JavaScript comes back signed and is
    // shown on the field's form.
    let response = app
        .client
        .post(format!("{}/api/login", app.address))
        .header("origin", &app.address)
        .header("accept", "text/html")
        .header("referer", format!("{}/login", app.address))
        .form(&[
            ("email", "nobody@example.cn"),
            ("password", "not the password"),
        ])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.contains("__err=") && location.contains("__sig="),
        "{location}"
    );
    let page = app.client.get(&location).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("邮箱或密码不正确"), "{page}");
    // The same signature on another error: refused.
    let tampered = location.replacen("__err=", &format!("__err={err}&x="), 1);
    let response = app.client.get(&tampered).send().await.unwrap();
    assert_eq!(response.status(), 303, "{tampered}");
}

async fn issue_35_the_page_cache_reads_the_language_as_the_page_does(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.page_cache_ms = 600_000).await;
    // Two Cookie headers (as HTTP/2 clients send them): the language is in the second.
    let first = app
        .client
        .get(format!("{}/", app.address))
        .header("cookie", "consent=1")
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(cache_state(&first).as_deref(), Some("miss"));
    assert!(
        first.text().await.unwrap().contains(r#"<html lang="en""#),
        "the page reads every Cookie header"
    );
    // An English reader with one header gets the kept page: English.
    let english = app
        .client
        .get(format!("{}/", app.address))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(cache_state(&english).as_deref(), Some("hit"));
    assert!(english.text().await.unwrap().contains(r#"<html lang="en""#));
    // A Chinese reader gets a Chinese page.
    let chinese = app.get("/").await;
    assert!(chinese
        .text()
        .await
        .unwrap()
        .contains(r#"<html lang="zh-CN""#));
}

async fn issue_35_anonymous_posts_and_options_do_not_empty_the_page_cache(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.page_cache_ms = 600_000).await;
    assert_eq!(cache_state(&app.get("/").await).as_deref(), Some("miss"));
    assert_eq!(cache_state(&app.get("/").await).as_deref(), Some("hit"));
    // Anonymous: a failed sign-in, a registration attempt, an OPTIONS, a forged session cookie.
    let (status, _) = app
        .call(
            "login",
            &[
                ("email", "nobody@example.cn"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    app.call("register", &[("form[email]", "x")]).await;
    let options = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/login", app.address),
        )
        .send()
        .await
        .unwrap();
    assert!(options.status().as_u16() < 500);
    let forged = app
        .client
        .post(format!("{}/api/logout", app.address))
        .header("origin", &app.address)
        .header("cookie", "ft_session=not.a.token")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    assert_eq!(
        cache_state(&app.get("/").await).as_deref(),
        Some("hit"),
        "nothing anonymous empties the cache"
    );
    // A signed-in person's change does.
    let admin = app.admin_client().await;
    app.create_agency(&admin, "新局", "11330100MB0000001").await;
    assert_eq!(cache_state(&app.get("/").await).as_deref(), Some("miss"));
}
