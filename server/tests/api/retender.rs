//! Re-tendering after R-SME-05 (issue #33): a lot reserved for SMEs that is suspended for too
//! few qualified SME bids is re-tendered through a new draft linked to the failed tender, and
//! only that link lifts R-SME-01's reservation (D46): the same content in an unlinked draft is
//! still reserved. The officer of another agency cannot re-tender it; a tender without a failed
//! lot, or already re-tendered, is refused; the public pages and OCDS say why.

use sea_orm::EntityTrait;

use crate::bids::{bid, firm, World};
use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::tenders::{save, signed_in};
use crate::valid_bids::{evaluation_lot, mark, open, reserved_tender_form};

on_both_backends!(
    r_sme_05_a_suspended_reserved_tender_is_re_tendered_non_reserved_only_through_its_link,
);

/// The new deadline of the re-tender: 20 days after the opening is the earliest (R-TIME-01).
const NEW_DEADLINE: &str = "2027-01-20T17:00";

/// The reserved tender (R-SME-01) published, three SME bids, two of them qualified: its lot is
/// suspended (R-SME-05). Returns the world and the failed lot's id.
async fn suspended(backend: Backend) -> (World, String) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let (status, id) = save(&app, &officer, &reserved_tender_form()).await;
    assert_eq!(status, 200, "{id}");
    let tender = id.as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let mut w = World {
        app,
        officer,
        tender,
    };
    for (name, code, price) in [
        ("小微甲公司", "91330106MA2B00181", "1200000"),
        ("小微乙公司", "91330106MA2B00182", "1300000"),
        ("小微丙公司", "91330106MA2B00183", "1400000"),
    ] {
        let (client, record) = firm(&w.app, name, code, true).await;
        let (status, body) = bid(&w, &client, "0", price, &record, "方案").await;
        assert_eq!(status, 200, "{body}");
    }
    let lot = open(&mut w).await;
    mark(&w, &lot, "小微甲公司", true).await;
    mark(&w, &lot, "小微乙公司", true).await;
    mark(&w, &lot, "小微丙公司", false).await;
    let lot = evaluation_lot(&w).await;
    assert_eq!(lot["state"], "Suspended", "{lot}");
    let failed_lot = lot["lot_id"].as_str().unwrap().to_string();
    (w, failed_lot)
}

/// The reserved tender's form for a draft `id` ("" for a new one), with the new deadline and
/// the R-SME-03 deduction, each lot naming `failed_lot` as a re-tender's hidden field does.
fn re_tender_form(id: &str, failed_lot: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = reserved_tender_form()
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "id" => (k, id.to_string()),
            "form[bid_deadline]" => (k, NEW_DEADLINE.to_string()),
            _ => (k, v),
        })
        .collect();
    form.push(("form[sme_price_deduction]".into(), "10".into()));
    form.push(("form[lots][0][retender_lot]".into(), failed_lot.into()));
    form
}

async fn publish(app: &TestApp, officer: &reqwest::Client, id: &str) -> serde_json::Value {
    let (status, body) = app
        .call_with(officer, "agency/tenders/publish", &[("id", id)])
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// A procurement officer of a second agency.
async fn other_officer(app: &TestApp) -> reqwest::Client {
    let admin = app.admin_client().await;
    let agency = app
        .create_agency(&admin, "另一采购局", "11330100MB0000003")
        .await;
    let (status, link) = app
        .call_with(
            &admin,
            "admin/invite",
            &[
                ("agency_id", agency["id"].as_str().unwrap()),
                ("email", "zhangwei@other.example.cn"),
                ("role", "agency_procurement"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let client = app.new_client();
    let (status, body) = app.accept_invitation(&client, &link, "officer").await;
    assert_eq!(status, 200, "{body}");
    client
}

async fn r_sme_05_a_suspended_reserved_tender_is_re_tendered_non_reserved_only_through_its_link(
    backend: Backend,
) {
    let (mut w, failed_lot) = suspended(backend).await;
    let app = &w.app;
    let failed = w.tender.clone();

    // Another agency's procurement officer may not re-tender it: not found, nothing made.
    let stranger = other_officer(app).await;
    let (status, body) = app
        .call_with(&stranger, "agency/tenders/retender", &[("id", &failed)])
        .await;
    assert!(
        matches!(status.as_u16(), 403 | 404),
        "another agency's re-tender: {status} {body}"
    );

    // The agency's officer re-tenders it from the evaluation page, a plain form (no
    // JavaScript): a new draft, linked to the failed tender, and the browser goes on to it.
    let evaluation = format!("/agency/tenders/{failed}/evaluation");
    let page = app.page_as(&w.officer, &evaluation).await;
    assert!(page.contains("data-testid=\"retender-form\""), "{page}");
    let (status, location) = crate::server_functions::plain_form_post(
        app,
        &w.officer,
        "agency/tenders/retender",
        &evaluation,
        &[("id", &failed)],
    )
    .await;
    assert!((300..400).contains(&status), "{status} {location}");
    let retender = location
        .strip_prefix("/agency/tenders/")
        .unwrap_or_else(|| panic!("sent to {location}"))
        .to_string();
    assert_ne!(retender, failed);
    let page = app.page_as(&w.officer, &evaluation).await;
    assert!(
        page.contains(&format!("href=\"/agency/tenders/{retender}\"")),
        "{page}"
    );
    // The draft's page keeps each lot's reference to the failed lot as the form is saved.
    let page = app.page_as(&w.officer, &location).await;
    assert!(
        page.contains(&format!(
            "name=\"form[lots][0][retender_lot]\" value=\"{failed_lot}\""
        )),
        "{page}"
    );
    let row =
        app::infra::entities::tender::Entity::find_by_id(retender.parse::<uuid::Uuid>().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        row.retender_of,
        Some(failed.parse().unwrap()),
        "the stored link"
    );
    assert_eq!(row.status, "draft");
    let (status, draft) = app
        .call_with(&w.officer, "agency/tenders/get", &[("id", &retender)])
        .await;
    assert_eq!(status, 200, "{draft}");
    let form = &draft["form"];
    assert_eq!(form["title"], "市属学校网络运维服务", "{draft}");
    assert_eq!(form["category"], "services");
    assert_eq!(form["method"], "open_tender");
    assert_eq!(form["region"], "浙江省杭州市");
    assert_eq!(form["evaluation"], "comprehensive_scoring");
    assert_eq!(form["price_weight"], "40");
    assert_eq!(form["bid_deadline"], "", "the officer sets a new deadline");
    assert_eq!(form["lots"][0]["title"], "网络运维");
    assert_eq!(form["lots"][0]["retender_lot"], failed_lot.as_str());
    assert_eq!(
        form["lots"][0]["criteria"][0]["requirement"],
        "具备 ISO 9001 质量管理体系认证"
    );
    assert_eq!(form["lots"][0]["criteria"][1]["weight"], "60");
    assert_eq!(draft["retender_of"]["id"], failed.as_str());

    // A second re-tender while the draft exists: refused, in both languages.
    let (status, body) = app
        .call_with(&w.officer, "agency/tenders/retender", &[("id", &failed)])
        .await;
    assert_eq!(status, 409, "{body}");
    let text = body.to_string();
    assert!(text.contains("不能再次重新采购"), "{body}");
    assert!(text.contains("cannot be re-tendered twice"), "{body}");

    // The lot is procured in the re-tender: even re-marked into a lot that would proceed, it
    // is not awarded in the failed tender as well.
    let lot = evaluation_lot(&w).await;
    mark(&w, &lot, "小微丙公司", true).await;
    let lot = evaluation_lot(&w).await;
    assert_eq!(lot["state"], "Evaluating", "{lot}");
    let (status, body) = app
        .call_with(
            &w.officer,
            "agency/award",
            &[("tender", &failed), ("lot", &failed_lot)],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("re-tendered"), "{body}");
    mark(&w, &lot, "小微丙公司", false).await;

    // The officer sets the new deadline and the small and micro firms' deduction (R-SME-03:
    // the lifted lot is a non-reserved lot), as the draft's form posts them.
    let (status, saved) = save(app, &w.officer, &re_tender_form(&retender, &failed_lot)).await;
    assert_eq!(status, 200, "{saved}");
    publish(app, &w.officer, &retender).await;

    // Published non-reserved for the suspended lot, with the public reason and the link.
    let (status, detail) = app.call("tenders/get", &[("id", &retender)]).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["reserved_whole"], false, "{detail}");
    assert_eq!(detail["lots"][0]["reserved_for_sme"], false, "{detail}");
    assert_eq!(detail["summary"]["sme_reserved"], false, "{detail}");
    let notice = &detail["retender_of"];
    assert_eq!(notice["of"]["id"], failed.as_str(), "{detail}");
    assert_eq!(notice["lots"][0]["lifted"], true, "{detail}");
    assert_eq!(notice["lots"][0]["state"], "Suspended", "{detail}");
    assert!(
        notice["lots"][0]["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("fewer than 3 qualified SME bids on the reserved tender (R-SME-05)"),
        "{notice}"
    );
    let (status, html) = app.get_text(&format!("/tenders/{retender}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("href=\"/tenders/{failed}\"")),
        "the re-tender's page links to the failed tender"
    );
    assert!(
        html.contains("合格的中小企业投标不足三家（R-SME-05）"),
        "the re-tender's page gives no reason"
    );
    let english = app
        .client
        .get(format!("{}/tenders/{retender}", app.address))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        english.contains("fewer than 3 qualified SME bids on the reserved tender (R-SME-05)"),
        "the English page gives no reason"
    );
    // The failed tender's page links to the re-tender.
    let (_, html) = app.get_text(&format!("/tenders/{failed}")).await;
    assert!(
        html.contains(&format!("href=\"/tenders/{retender}\"")),
        "the failed tender's page does not link to its re-tender"
    );

    // OCDS: the re-tender's process points at the failed one, valid against the schema.
    let prefix = &app.settings.ocid_prefix;
    let (status, text) = app
        .get_text(&format!("/api/v1/ocds/releases/{prefix}-{retender}"))
        .await;
    assert_eq!(status, 200, "{text}");
    let package: serde_json::Value = serde_json::from_str(&text).unwrap();
    crate::open_data::assert_valid("release-package-schema.json", &package);
    let related = &package["releases"][0]["relatedProcesses"][0];
    assert_eq!(
        related["relationship"][0], "unsuccessfulProcess",
        "{package}"
    );
    assert_eq!(related["scheme"], "ocid");
    assert_eq!(related["identifier"], format!("{prefix}-{failed}"));

    let (status, text) = app.get_text(&format!("/api/v1/tenders/{retender}")).await;
    assert_eq!(status, 200, "{text}");
    let api: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(api["retender_of"], format!("{prefix}-{failed}"), "{api}");

    // Published, it still blocks a second re-tender.
    let (status, body) = app
        .call_with(&w.officer, "agency/tenders/retender", &[("id", &failed)])
        .await;
    assert_eq!(status, 409, "{body}");

    // A firm without an SME declaration may now bid on it (R-SME-01 no longer refuses it).
    w.tender = retender.clone();
    let (large, record) = firm(app, "大型甲公司", "91330106MA2B00184", false).await;
    let (status, body) = bid(&w, &large, "0", "1450000", &record, "方案").await;
    assert_eq!(status, 200, "a non-SME's bid on the re-tender: {body}");

    // The same content in a draft without the link (even naming the failed lot) is reserved
    // whole as ever, and refuses the same firm.
    let (status, unlinked) = save(app, &w.officer, &re_tender_form("", &failed_lot)).await;
    assert_eq!(status, 200, "{unlinked}");
    let unlinked = unlinked.as_str().unwrap().to_string();
    publish(app, &w.officer, &unlinked).await;
    let (_, detail) = app.call("tenders/get", &[("id", &unlinked)]).await;
    assert_eq!(detail["reserved_whole"], true, "{detail}");
    assert_eq!(detail["lots"][0]["reserved_for_sme"], true, "{detail}");
    assert!(detail["retender_of"].is_null(), "{detail}");
    w.tender = unlinked.clone();
    let (status, body) = bid(&w, &large, "0", "1450000", &record, "方案").await;
    assert!(status.is_client_error(), "{status} {body}");
    assert!(body.to_string().contains("R-SME-01"), "{body}");

    // A tender without a suspended or failed lot cannot be re-tendered.
    let (status, body) = app
        .call_with(&w.officer, "agency/tenders/retender", &[("id", &unlinked)])
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("R-SME-05"), "{body}");
}
