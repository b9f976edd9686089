//! Server-rendered pages: what a browser without JavaScript receives.

use crate::helpers::{spawn_app, spawn_app_with, Backend};
use crate::on_both_backends;
use crate::tenders::signed_in;
use app::infra::entities::tender;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both_backends!(
    home_page_shows_the_empty_state_in_chinese_by_default,
    home_page_lists_published_tenders_but_not_drafts,
    tender_page_shows_a_published_tender_and_hides_drafts,
    a_public_page_is_shared_until_something_changes_through_the_site,
);

async fn home_page_shows_the_empty_state_in_chinese_by_default(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="zh-CN""#), "{html}");
    assert!(html.contains("已发布的采购项目"));
    assert!(html.contains(r#"data-testid="tenders-empty""#));
    assert!(html.contains("目前没有已发布的采购项目"));
    // The page loads its hydration bundle.
    assert!(html.contains("/pkg/fairtender"));
}

async fn home_page_lists_published_tenders_but_not_drafts(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="tender-list""#));
    assert!(html.contains("示范区中小学教室照明改造"));
    assert!(html.contains("教育局政务信息系统运维服务"));
    assert!(html.contains("示范区第三小学运动场改造工程"));
    assert!(!html.contains("学生午餐配送服务"), "a draft is not public");
    // Money and dates are formatted on the server exactly as the browser formats them.
    assert!(html.contains("¥1,500,000.00"));
    assert!(html.contains("(UTC+8)"));
}

async fn tender_page_shows_a_published_tender_and_hides_drafts(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let published = tender::Entity::find()
        .filter(tender::Column::Status.eq("published"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (status, html) = app.get_text(&format!("/tenders/{}", published.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains(&published.title));
    assert!(html.contains(&published.description));

    let draft = tender::Entity::find()
        .filter(tender::Column::Status.eq("draft"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (status, html) = app.get_text(&format!("/tenders/{}", draft.id)).await;
    assert_eq!(status, 404);
    assert!(!html.contains(&draft.title));
    assert_eq!(app.get_text("/tenders/not-a-uuid").await.0, 404);
}

#[tokio::test]
async fn unknown_pages_are_404_with_a_way_home() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, html) = app.get_text("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("页面不存在"));
    assert!(html.contains(r#"href="/""#));
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app(Backend::Sqlite).await;
    assert_eq!(app.get_text("/healthz").await.0, 200);
    assert_eq!(app.get_text("/readyz").await.0, 200);
    assert_eq!(app.get_text("/favicon.ico").await.0, 200);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_safe_headers() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app.get("/").await;
    let id = response.headers().get("x-request-id").expect("request id");
    assert_eq!(id.len(), 36, "a UUID");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
}

#[tokio::test]
async fn static_assets_are_served_precompressed() {
    let app = spawn_app(Backend::Sqlite).await;
    let pkg = app.settings.site_root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("fairtender.js"), "plain").unwrap();
    std::fs::write(pkg.join("fairtender.js.br"), "brotli bytes").unwrap();
    let response = app
        .client
        .get(format!("{}/pkg/fairtender.js", app.address))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.text().await.unwrap(), "brotli bytes");
}

/// The nonce of a page's Content-Security-Policy header.
fn csp_nonce(response: &reqwest::Response) -> String {
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    let start = policy.find("'nonce-").expect("a nonce") + "'nonce-".len();
    let len = policy[start..].find('\'').unwrap();
    policy[start..start + len].to_string()
}

/// The page cache (server::page_cache, issue #8): a visitor who is not signed in may get a page
/// rendered for another, but never one older than the last change made through the site, never
/// with another answer's CSP nonce, and a signed-in person always gets their own.
async fn a_public_page_is_shared_until_something_changes_through_the_site(backend: Backend) {
    // A long life, so that only a change can make the page fresh again.
    let app = spawn_app_with(backend, |s| s.page_cache_ms = 600_000).await;
    app.seed_demo().await;
    let published = tender::Entity::find()
        .filter(tender::Column::Status.eq("published"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let path = format!("/tenders/{}", published.id);
    let cache = |r: &reqwest::Response| {
        r.headers()
            .get("x-page-cache")
            .map(|v| v.to_str().unwrap().to_string())
    };

    let first = app.get(&path).await;
    assert_eq!(first.status(), 200);
    assert_eq!(cache(&first).as_deref(), Some("miss"));
    let first_nonce = csp_nonce(&first);
    let first_page = first.text().await.unwrap();
    assert!(first_page.contains(&format!("nonce=\"{first_nonce}\"")));

    let second = app.get(&path).await;
    assert_eq!(cache(&second).as_deref(), Some("hit"));
    let second_nonce = csp_nonce(&second);
    assert_ne!(second_nonce, first_nonce, "every answer has its own nonce");
    let second_page = second.text().await.unwrap();
    assert!(!second_page.contains(&first_nonce));
    assert_eq!(
        second_page,
        first_page.replace(&first_nonce, &second_nonce),
        "the same page, with the fresh nonce"
    );
    // Another language is another page.
    let english = app
        .client
        .get(format!("{}{path}", app.address))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(cache(&english).as_deref(), Some("miss"));
    assert!(english.text().await.unwrap().contains(r#"<html lang="en""#));

    // A signed-in officer gets the page rendered for them, never the shared one.
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let own = officer
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    assert_eq!(cache(&own), None);

    // A change through the site shows at once to the next visitor.
    let (status, body) = app
        .call_with(
            &officer,
            "agency/tenders/cancel",
            &[
                ("id", &published.id.to_string()),
                ("reason", "预算调整，项目取消。"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let after = app.get(&path).await;
    assert_eq!(cache(&after).as_deref(), Some("miss"));
    assert!(after.text().await.unwrap().contains("预算调整，项目取消。"));
}
