//! Issue #35, "access that can be taken away": owners remove members, an agency's administrator
//! disables officers and revokes unused invitations, removal ends every session at once, and
//! separation of duties (an agency setting, off by default) keeps the acceptor from paying and
//! the opener from being the only evaluator.

use chrono::Duration;
use serde_json::Value;

use crate::bids::{bid, deadline, firm, mark, world};
use crate::contracts::{signed, WINNER};
use crate::helpers::{Backend, TestApp, SUPPLIER_PASSWORD};
use crate::tenders::signed_in;

crate::on_both_backends!(
    issue_35_a_removed_member_is_signed_out_at_once_and_only_the_owner_removes,
    issue_35_a_revoked_invitation_cannot_be_accepted,
    issue_35_a_disabled_finance_officer_cannot_release_a_payment,
    issue_35_with_separated_duties_the_acceptor_does_not_release_the_payment,
    issue_35_with_separated_duties_the_opener_is_not_the_only_evaluator,
);

/// The seeded demo agency's id.
pub(crate) async fn demo_agency(app: &TestApp, admin: &reqwest::Client) -> String {
    let (status, list) = app.call_with(admin, "admin/agencies", &[]).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "杭州市示范区教育局")
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("the demo agency: {list}"))
        .to_string()
}

/// The platform administrator invites `email` as `role` to `agency`; the invited person
/// accepts and is signed in.
pub(crate) async fn officer(
    app: &TestApp,
    admin: &reqwest::Client,
    agency: &str,
    email: &str,
    role: &str,
) -> reqwest::Client {
    let (status, link) = app
        .call_with(
            admin,
            "admin/invite",
            &[("agency_id", agency), ("email", email), ("role", role)],
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let client = app.new_client();
    let (status, body) = app.accept_invitation(&client, &link, "新同事").await;
    assert_eq!(status, 200, "{body}");
    client
}

/// The id of the person with `email` in a members list.
fn member_id(list: &Value, email: &str) -> String {
    list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .and_then(|m| m["id"].as_str())
        .unwrap_or_else(|| panic!("{email} in {list}"))
        .to_string()
}

async fn issue_35_a_removed_member_is_signed_out_at_once_and_only_the_owner_removes(
    backend: Backend,
) {
    let app = crate::helpers::spawn_app(backend).await;
    let owner = app.new_client();
    let owner_email = app
        .register_supplier(&owner, "小溪软件", "91330106MA2B00001")
        .await;
    let mut members = Vec::new();
    for email in ["li@xiaoxi.example.cn", "wang@xiaoxi.example.cn"] {
        let (status, link) = app
            .call_with(&owner, "profile/invite", &[("email", email)])
            .await;
        assert_eq!(status, 200, "{link}");
        let client = app.new_client();
        assert_eq!(app.accept_invitation(&client, &link, "成员").await.0, 200);
        members.push(client);
    }
    let (li, wang) = (&members[0], &members[1]);
    let (status, list) = app.call_with(&owner, "profile/members", &[]).await;
    assert_eq!(status, 200, "{list}");
    let li_id = member_id(&list, "li@xiaoxi.example.cn");
    let wang_id = member_id(&list, "wang@xiaoxi.example.cn");
    let owner_id = member_id(&list, &owner_email);

    // A member who is not the owner cannot remove anyone, nor list them.
    let (status, _) = app
        .call_with(li, "profile/members/remove", &[("id", &wang_id)])
        .await;
    assert_eq!(status, 403);
    let (status, _) = app.call_with(li, "profile/members", &[]).await;
    assert_eq!(status, 403);
    // The owner cannot remove themselves.
    let (status, body) = app
        .call_with(&owner, "profile/members/remove", &[("id", &owner_id)])
        .await;
    assert_eq!(status, 409, "{body}");

    // Li works, with the session cookie it has now...
    let page = app.page_as(li, "/account").await;
    assert!(page.contains("data-testid=\"signed-in\""), "{page}");
    let (status, body) = app
        .call_with(
            li,
            "profile/capabilities/add",
            &[("form[kind]", "equipment"), ("form[title]", "服务器 2 台")],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // ... until the owner removes Li: the same cookie stops working at once, on a page and in a
    // server function; Li cannot sign in again, and cannot be removed twice.
    let (status, body) = app
        .call_with(&owner, "profile/members/remove", &[("id", &li_id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let page = app.page_as(li, "/account").await;
    assert!(!page.contains("data-testid=\"signed-in\""), "{page}");
    let (status, _) = app
        .call_with(
            li,
            "profile/capabilities/add",
            &[("form[kind]", "equipment"), ("form[title]", "服务器 3 台")],
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = app
        .call_with(
            &app.new_client(),
            "login",
            &[
                ("email", "li@xiaoxi.example.cn"),
                ("password", SUPPLIER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .call_with(&owner, "profile/members/remove", &[("id", &li_id)])
        .await;
    assert_eq!(status, 409);
    // Wang, not removed, still works; the list shows Li disabled, kept (R-REC-01).
    let (status, _) = app.call_with(wang, "profile/overview", &[]).await;
    assert_eq!(status, 200);
    let (_, list) = app.call_with(&owner, "profile/members", &[]).await;
    let li = list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == li_id.as_str())
        .unwrap();
    assert!(li["disabled_at"].is_string(), "{list}");
    assert_eq!(li["removable"], false);
    // The owner's page lists the members with the forms.
    let page = app.page_as(&owner, "/account").await;
    assert!(
        page.contains("data-testid=\"remove-member-form\""),
        "{page}"
    );
    assert!(page.contains("data-testid=\"member-disabled\""), "{page}");
}

async fn issue_35_a_revoked_invitation_cannot_be_accepted(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    app.seed_demo().await;
    // A supplier's owner revokes a colleague's invitation.
    let owner = app.new_client();
    app.register_supplier(&owner, "小溪软件", "91330106MA2B00071")
        .await;
    let (_, link) = app
        .call_with(
            &owner,
            "profile/invite",
            &[("email", "li@xiaoxi.example.cn")],
        )
        .await;
    let (_, list) = app.call_with(&owner, "profile/members", &[]).await;
    let invitation = list["invitations"][0]["id"].as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(&owner, "profile/invitations/revoke", &[("id", &invitation)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.accept_invitation(&app.new_client(), &link, "李").await;
    assert_eq!(status, 422, "{body}");
    let (_, list) = app.call_with(&owner, "profile/members", &[]).await;
    assert_eq!(list["invitations"], serde_json::json!([]), "{list}");
    let (status, _) = app
        .call_with(&owner, "profile/invitations/revoke", &[("id", &invitation)])
        .await;
    assert_eq!(status, 409);

    // An agency's administrator revokes an officer's invitation the platform administrator
    // made; another agency's administrator cannot.
    let admin = app.admin_client().await;
    let agency = demo_agency(&app, &admin).await;
    let agency_admin = officer(
        &app,
        &admin,
        &agency,
        "it@demo.fairtender.cn",
        "agency_admin",
    )
    .await;
    let other = app
        .create_agency(&admin, "另一局", "11330100MB0000002")
        .await;
    let other_admin = officer(
        &app,
        &admin,
        other["id"].as_str().unwrap(),
        "it@other.example.cn",
        "agency_admin",
    )
    .await;
    let (_, link) = app
        .call_with(
            &admin,
            "admin/invite",
            &[
                ("agency_id", &agency),
                ("email", "late@demo.fairtender.cn"),
                ("role", "agency_finance"),
            ],
        )
        .await;
    let (status, list) = app.call_with(&agency_admin, "agency/officers", &[]).await;
    assert_eq!(status, 200, "{list}");
    let invitation = list["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["email"] == "late@demo.fairtender.cn")
        .and_then(|i| i["id"].as_str())
        .unwrap()
        .to_string();
    let (status, _) = app
        .call_with(
            &other_admin,
            "agency/invitations/revoke",
            &[("id", &invitation)],
        )
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .call_with(
            &agency_admin,
            "agency/invitations/revoke",
            &[("id", &invitation)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .accept_invitation(&app.new_client(), &link, "迟到")
        .await;
    assert_eq!(status, 422);
}

async fn issue_35_a_disabled_finance_officer_cannot_release_a_payment(backend: Backend) {
    let (w, _, advance, _) = signed(backend).await;
    let app = &w.app;
    let admin = app.admin_client().await;
    let agency = demo_agency(app, &admin).await;
    let agency_admin = officer(
        app,
        &admin,
        &agency,
        "it@demo.fairtender.cn",
        "agency_admin",
    )
    .await;
    let second = officer(
        app,
        &admin,
        &agency,
        "cashier@demo.fairtender.cn",
        "agency_finance",
    )
    .await;
    let finance = signed_in(app, "finance@demo.fairtender.cn").await;
    let (_, list) = app.call_with(&agency_admin, "agency/officers", &[]).await;
    let finance_id = member_id(&list, "finance@demo.fairtender.cn");

    // Another agency's administrator cannot disable this agency's officer (IDOR): not found.
    let other = app
        .create_agency(&admin, "另一局", "11330100MB0000002")
        .await;
    let other_admin = officer(
        app,
        &admin,
        other["id"].as_str().unwrap(),
        "it@other.example.cn",
        "agency_admin",
    )
    .await;
    let (status, _) = app
        .call_with(
            &other_admin,
            "agency/officers/disable",
            &[("id", &finance_id)],
        )
        .await;
    assert_eq!(status, 404);
    // Nor can the finance officer themselves, or the procurement officer.
    let (status, _) = app
        .call_with(
            &w.officer,
            "agency/officers/disable",
            &[("id", &finance_id)],
        )
        .await;
    assert_eq!(status, 403);

    // The finance officer leaves: disabled, their open session ends, they cannot pay.
    let (status, body) = app
        .call_with(
            &agency_admin,
            "agency/officers/disable",
            &[("id", &finance_id)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let pay = |key: &str| {
        vec![
            ("milestone", advance.clone()),
            ("request_key", key.to_string()),
            ("amount", "570000".to_string()),
            ("paid_on", "2026-12-17".to_string()),
            ("bank_reference", "ICBC-2026-0001".to_string()),
        ]
    };
    let form = pay("0190a0b0-0000-7000-8000-00000000aaaa");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = app.call_with(&finance, "contracts/pay", &form).await;
    assert_eq!(status, 401);
    let (status, _) = app.call_with(&finance, "contracts/finance", &[]).await;
    assert_eq!(status, 401);
    // The other finance officer pays.
    let form = pay("0190a0b0-0000-7000-8000-00000000bbbb");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call_with(&second, "contracts/pay", &form).await;
    assert_eq!(status, 200, "{body}");
    // The administrator's page lists the officers with their forms.
    let page = app.page_as(&agency_admin, "/account").await;
    assert!(
        page.contains("data-testid=\"disable-officer-form\""),
        "{page}"
    );
    assert!(page.contains("data-testid=\"duties-form\""), "{page}");
}

async fn issue_35_with_separated_duties_the_acceptor_does_not_release_the_payment(
    backend: Backend,
) {
    let (w, contract, _, delivery) = signed(backend).await;
    let app = &w.app;
    let admin = app.admin_client().await;
    let agency = demo_agency(app, &admin).await;
    let agency_admin = officer(
        app,
        &admin,
        &agency,
        "it@demo.fairtender.cn",
        "agency_admin",
    )
    .await;
    let second = officer(
        app,
        &admin,
        &agency,
        "cashier@demo.fairtender.cn",
        "agency_finance",
    )
    .await;
    let finance = signed_in(app, "finance@demo.fairtender.cn").await;
    let winner = w.again(WINNER).await;
    let (status, body) = app
        .call_with(&winner, "contracts/deliver", &[("milestone", &delivery)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_with(&finance, "contracts/accept", &[("milestone", &delivery)])
        .await;
    assert_eq!(status, 200, "{body}");
    let pay = |amount: &str| {
        vec![
            ("milestone".to_string(), delivery.clone()),
            ("request_key".to_string(), uuid::Uuid::new_v4().to_string()),
            ("amount".to_string(), amount.to_string()),
            ("paid_on".to_string(), "2026-12-17".to_string()),
            ("bank_reference".to_string(), "ICBC-2026-0002".to_string()),
        ]
    };
    // Off by default: whoever accepted may pay.
    let (status, body) =
        crate::contracts::call(&w, &finance, "contracts/pay", &pay("1000000")).await;
    assert_eq!(status, 200, "{body}");

    // The agency's administrator turns it on (nobody else can).
    let (status, _) = app
        .call_with(&finance, "agency/settings/duties", &[("on", "true")])
        .await;
    assert_eq!(status, 403);
    let (status, body) = app
        .call_with(&agency_admin, "agency/settings/duties", &[("on", "true")])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, list) = app.call_with(&agency_admin, "agency/officers", &[]).await;
    assert_eq!(list["separation_of_duties"], true, "{list}");

    // The acceptor is refused, in both languages, and nothing is paid; another officer pays.
    let (status, body) =
        crate::contracts::call(&w, &finance, "contracts/pay", &pay("1280000")).await;
    assert_eq!(status, 409, "{body}");
    let text = body.to_string();
    assert!(
        text.contains("accepted this milestone") && text.contains("不相容岗位分离"),
        "{text}"
    );
    let m = crate::contracts::milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["paid"], "1000000", "{m}");
    let (status, body) =
        crate::contracts::call(&w, &second, "contracts/pay", &pay("1280000")).await;
    assert_eq!(status, 200, "{body}");
}

async fn issue_35_with_separated_duties_the_opener_is_not_the_only_evaluator(backend: Backend) {
    let mut w = world(backend).await;
    for (name, code, price) in [
        ("小微甲公司", "91330106MA2B00061", "2850000"),
        ("大型乙集团", "91330106MA2B00062", "2700000"),
        ("小微丙公司", "91330106MA2B00063", "2990000"),
    ] {
        let (client, record) = firm(&w.app, name, code, true).await;
        let (status, body) = bid(&w, &client, "0", price, &record, "方案").await;
        assert_eq!(status, 200, "{body}");
    }
    w.at(deadline() + Duration::minutes(5)).await;
    let app = &w.app;
    let admin = app.admin_client().await;
    let agency = demo_agency(app, &admin).await;
    let agency_admin = officer(
        app,
        &admin,
        &agency,
        "it@demo.fairtender.cn",
        "agency_admin",
    )
    .await;
    let evaluator = officer(
        app,
        &admin,
        &agency,
        "expert@demo.fairtender.cn",
        "agency_evaluator",
    )
    .await;
    let (status, body) = app
        .call_with(&agency_admin, "agency/settings/duties", &[("on", "true")])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    let lot = page["stage"]["Opened"]["lots"][0].clone();
    let criteria = lot["criteria"].as_array().unwrap().clone();
    let bids: Vec<String> = lot["bids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["opened_bid_id"].as_str().unwrap().to_string())
        .collect();
    for b in &bids {
        mark(&w, b, &criteria, "50").await;
    }
    let lot_id = lot["lot_id"].as_str().unwrap().to_string();
    let award = [("tender", w.tender.as_str()), ("lot", lot_id.as_str())];
    // The opener marked every bid alone: no award.
    let (status, body) = app.call_with(&w.officer, "agency/award", &award).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("only evaluator"), "{body}");
    // Another officer's marks on one bid: the award goes ahead.
    let (status, body) = app
        .call_with(
            &evaluator,
            "agency/marks",
            &[
                ("tender", &w.tender),
                ("opened_bid", &bids[0]),
                ("marks[0][criterion]", criteria[0]["id"].as_str().unwrap()),
                ("marks[0][passed]", "pass"),
                ("marks[0][reason]", "证书有效"),
                ("marks[1][criterion]", criteria[1]["id"].as_str().unwrap()),
                ("marks[1][score]", "55"),
                ("marks[1][reason]", "方案完整，巡检计划具体"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.call_with(&w.officer, "agency/award", &award).await;
    assert_eq!(status, 200, "{body}");
}
