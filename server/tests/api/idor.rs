//! Another organisation's objects (issue #9): for every server function that names an object by
//! its id, a person of another organisation, holding the very role the permission table asks
//! for, names a real object of the first: refused (403 or 404, never a 2xx, a 409 or a 422 that
//! would tell them about its state), and nothing changes. The owner's own call on the same
//! object is then let through, so each refusal is about whose object it is, not a wrong id.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::bids::World;
use crate::contracts::{signed, WINNER};
use crate::helpers::{Backend, TestApp, PDF};
use crate::tenders::{draft, save, signed_in};

/// The functions of the role matrix that take an id but name no other organisation's object:
/// they act on the caller's own bid, challenge or watch list of a public tender, and a draft
/// tender is "not found" to everyone outside its agency (tests/api/tenders.rs).
const NO_OTHER_ORGANISATION_OBJECT: &[&str] = &[
    "tenders/get",
    "supplier/fit",
    "supplier/watch",
    "bids/desk",
    "bids/submit",
    "bids/save",
    "bids/withdraw",
    "bids/challenge",
    "agency/tenders/save",
    // The platform administrator decides on any agency's request; no organisation owns it.
    "admin/reviews/decide",
];

/// The first string under `key` anywhere in `v`.
fn find<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    match v {
        Value::Object(map) => map
            .get(key)
            .and_then(Value::as_str)
            .or_else(|| map.values().find_map(|v| find(v, key))),
        Value::Array(items) => items.iter().find_map(|v| find(v, key)),
        _ => None,
    }
}

/// Who calls: the other organisation's person, then the owner's.
struct Cell {
    endpoint: &'static str,
    form: Vec<(&'static str, String)>,
    stranger: &'static str,
    owner: &'static str,
}

fn cell(
    endpoint: &'static str,
    form: &[(&'static str, &str)],
    stranger: &'static str,
    owner: &'static str,
) -> Cell {
    Cell {
        endpoint,
        form: form.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        stranger,
        owner,
    }
}

/// Who reads, through which function, with what form.
type Read<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);

/// What each side sees of its own objects; the strangers' calls must leave it as it was.
async fn snapshot(app: &TestApp, who: &Actors, ids: &Ids) -> Vec<(String, Value)> {
    let reads: Vec<Read> = vec![
        (
            "procurement",
            "agency/tenders/get",
            vec![("id", &ids.draft)],
        ),
        ("procurement", "contracts/get", vec![("id", &ids.contract)]),
        (
            "procurement",
            "agency/evaluation",
            vec![("tender", &ids.tender)],
        ),
        ("procurement", "agency/challenges", vec![]),
        ("finance", "agency/bid-securities", vec![]),
        ("supplier", "profile/overview", vec![]),
        ("supplier", "profile/members", vec![]),
        ("agency admin", "agency/officers", vec![]),
        ("supplier", "supplier/desk", vec![]),
        ("supplier", "contracts/receivables", vec![]),
        ("supplier", "bids/desk", vec![("tender", &ids.open)]),
    ];
    let mut seen = Vec::new();
    for (actor, endpoint, form) in reads {
        let (status, mut body) = app.call_with(who.get(actor), endpoint, &form).await;
        assert_eq!(status, 200, "{endpoint}: {body}");
        without_request_keys(&mut body);
        seen.push((endpoint.to_string(), body));
    }
    seen
}

/// Drops the keys a payment form is given afresh at every view (`release_key`,
/// `interest_release_key`): not part of any object.
fn without_request_keys(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !k.ends_with("release_key"));
            map.values_mut().for_each(without_request_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(without_request_keys),
        _ => {}
    }
}

struct Actors {
    clients: Vec<(&'static str, reqwest::Client)>,
}

impl Actors {
    fn get(&self, name: &str) -> &reqwest::Client {
        &self
            .clients
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no actor {name}"))
            .1
    }
}

struct Ids {
    tender: String,
    draft: String,
    contract: String,
    open: String,
}

#[tokio::test]
async fn nobody_acts_on_another_organisations_objects() {
    let (w, contract, advance, delivery): (World, _, _, _) = signed(Backend::Sqlite).await;
    let app = &w.app;

    // The first organisations' objects: the demo agency's draft (with a document), its
    // awarded tender, contract and milestones, a challenge to its award; the winner's record
    // and saved search.
    // Its deadline after the clock's time (the awarded tender's deadline has passed).
    let form: Vec<(String, String)> = draft("三年运维方案")
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "form[bid_deadline]" => (k, "2027-03-01T17:00".to_string()),
            _ => (k, v),
        })
        .collect();
    let (status, id) = save(app, &w.officer, &form).await;
    assert_eq!(status, 200, "{id}");
    let draft_id = id.as_str().unwrap().to_string();
    let upload = app
        .upload(
            &w.officer,
            &format!("/agency/tenders/{draft_id}/documents"),
            "招标文件.pdf",
            PDF,
            "application/json",
        )
        .await;
    assert!(upload.status().is_success(), "{}", upload.status());
    let (_, draft_view) = app
        .call_with(&w.officer, "agency/tenders/get", &[("id", &draft_id)])
        .await;
    let document = find(&draft_view["documents"], "id")
        .unwrap_or_else(|| panic!("the draft's document: {draft_view}"))
        .to_string();
    let (_, evaluation) = app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    let opened_bid = find(&evaluation, "opened_bid_id")
        .unwrap_or_else(|| panic!("an opened bid: {evaluation}"))
        .to_string();
    let lot = find(&evaluation, "lot_id").unwrap().to_string();
    let loser = w.again("91330106MA2B00062").await;
    let (status, body) = app
        .call_with(
            &loser,
            "bids/challenge",
            &[
                ("tender", &w.tender),
                ("subject", "award"),
                ("body", "评分有误"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, challenges) = app.call_with(&w.officer, "agency/challenges", &[]).await;
    let challenge = find(&challenges, "id").unwrap().to_string();
    let winner = w.again(WINNER).await;
    let (status, record) = app
        .call_with(
            &winner,
            "profile/capabilities/add",
            &[("form[kind]", "equipment"), ("form[title]", "无人机 2 架")],
        )
        .await;
    assert_eq!(status, 200, "{record}");
    let record = record["id"].as_str().unwrap().to_string();
    // A second tender of the agency, open for bids, where the winner has a document on its bid.
    let (status, open) = save(app, &w.officer, &form).await;
    assert_eq!(status, 200, "{open}");
    let open = open.as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(&w.officer, "agency/tenders/publish", &[("id", &open)])
        .await;
    assert_eq!(status, 200, "{body}");
    let upload = app
        .upload(
            &winner,
            &format!("/tenders/{open}/bid/documents"),
            "技术方案.pdf",
            PDF,
            "application/json",
        )
        .await;
    assert!(upload.status().is_success(), "{}", upload.status());
    let (_, desk) = app
        .call_with(&winner, "bids/desk", &[("tender", &open)])
        .await;
    let bid_document = find(&desk["documents"], "id")
        .or_else(|| find(&desk, "document_id"))
        .unwrap_or_else(|| panic!("the bid's document: {desk}"))
        .to_string();
    // R-SEC-01: the awarded tender asked for a bid security; the winner holds one.
    let tender_id: uuid::Uuid = w.tender.parse().unwrap();
    app::infra::entities::tender::Entity::update_many()
        .col_expr(
            app::infra::entities::tender::Column::BidSecurityFen,
            sea_orm::sea_query::Expr::value(Some(5_000_000_i64)),
        )
        .filter(app::infra::entities::tender::Column::Id.eq(tender_id))
        .exec(&app.db)
        .await
        .unwrap();
    let finance = signed_in(app, "finance@demo.fairtender.cn").await;
    let (status, securities) = app.call_with(&finance, "agency/bid-securities", &[]).await;
    assert_eq!(status, 200, "{securities}");
    let winner_org = securities
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["supplier_name"] == "小微甲公司")
        .and_then(|s| s["organisation_id"].as_str())
        .unwrap_or_else(|| panic!("the winner's security: {securities}"))
        .to_string();
    let (status, search) = app
        .call_with(
            &winner,
            "supplier/searches/save",
            &[("name", "运维"), ("query[q]", "运维")],
        )
        .await;
    assert_eq!(status, 200, "{search}");
    let search = search.as_str().unwrap().to_string();

    // The other organisations: a second agency with its officers, a second firm.
    let admin = app.admin_client().await;
    let other_agency = app
        .create_agency(&admin, "另一局", "11330100MB0000002")
        .await;
    let mut clients = vec![
        ("procurement", w.officer.clone()),
        (
            "finance",
            signed_in(app, "finance@demo.fairtender.cn").await,
        ),
        ("supplier", winner),
    ];
    for (name, role) in [
        ("other procurement", "agency_procurement"),
        ("other finance", "agency_finance"),
        ("other evaluator", "agency_evaluator"),
    ] {
        let (_, link) = app
            .call_with(
                &admin,
                "admin/invite",
                &[
                    ("agency_id", other_agency["id"].as_str().unwrap()),
                    ("email", &format!("{role}@other.example.cn")),
                    ("role", role),
                ],
            )
            .await;
        let c = app.new_client();
        assert_eq!(app.accept_invitation(&c, &link, "officer").await.0, 200);
        clients.push((name, c));
    }
    let (other_firm, _) = crate::bids::firm(app, "另一家公司", "91330106MA2B00099", true).await;
    clients.push(("other supplier", other_firm));
    // Issue #35: each agency's administrator; the demo agency's spare officer and an
    // invitation not yet used; the winner's member and an invitation not yet used.
    let demo = crate::access::demo_agency(app, &admin).await;
    let agency_admin =
        crate::access::officer(app, &admin, &demo, "it@demo.fairtender.cn", "agency_admin").await;
    crate::access::officer(
        app,
        &admin,
        &demo,
        "spare@demo.fairtender.cn",
        "agency_evaluator",
    )
    .await;
    let (status, body) = app
        .call_with(
            &admin,
            "admin/invite",
            &[
                ("agency_id", &demo),
                ("email", "pending@demo.fairtender.cn"),
                ("role", "agency_finance"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let other_admin = crate::access::officer(
        app,
        &admin,
        other_agency["id"].as_str().unwrap(),
        "it@other.example.cn",
        "agency_admin",
    )
    .await;
    let (_, officers) = app.call_with(&agency_admin, "agency/officers", &[]).await;
    let person_of = |list: &Value, email: &str, key: &str| {
        list[key]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == email)
            .and_then(|m| m["id"].as_str())
            .unwrap_or_else(|| panic!("{email} in {list}"))
            .to_string()
    };
    let spare = person_of(&officers, "spare@demo.fairtender.cn", "members");
    let officer_invitation = person_of(&officers, "pending@demo.fairtender.cn", "invitations");
    let owner = &clients[2].1;
    for email in ["member@winner.example.cn", "pending@winner.example.cn"] {
        let (status, link) = app
            .call_with(owner, "profile/invite", &[("email", email)])
            .await;
        assert_eq!(status, 200, "{link}");
        if email.starts_with("member") {
            let c = app.new_client();
            assert_eq!(app.accept_invitation(&c, &link, "成员").await.0, 200);
        }
    }
    let (_, members) = app.call_with(owner, "profile/members", &[]).await;
    let member = person_of(&members, "member@winner.example.cn", "members");
    let member_invitation = person_of(&members, "pending@winner.example.cn", "invitations");
    clients.push(("agency admin", agency_admin));
    clients.push(("other agency admin", other_admin));
    let who = Actors { clients };
    let ids = Ids {
        tender: w.tender.clone(),
        draft: draft_id.clone(),
        contract: contract.clone(),
        open: open.clone(),
    };

    let (d, t, c) = (draft_id.as_str(), w.tender.as_str(), contract.as_str());
    let (adv, del) = (advance.as_str(), delivery.as_str());
    let key = "0190a0b0-0000-7000-8000-00000000abcd";
    let (op, of, oe, os) = (
        "other procurement",
        "other finance",
        "other evaluator",
        "other supplier",
    );
    let cells = vec![
        cell("agency/tenders/get", &[("id", d)], op, "procurement"),
        cell(
            "agency/tenders/clarify",
            &[("id", t), ("body", "补充说明")],
            op,
            "procurement",
        ),
        cell(
            "agency/tenders/amend",
            &[("id", t), ("body", "更正"), ("form[title]", "更正")],
            op,
            "procurement",
        ),
        cell(
            "agency/tenders/documents/remove",
            &[("tender", d), ("document", &document)],
            op,
            "procurement",
        ),
        cell("agency/tenders/publish", &[("id", d)], op, "procurement"),
        cell("agency/tenders/review", &[("id", d)], op, "procurement"),
        cell(
            "agency/tenders/review/request",
            &[("id", d), ("reason", "条款合法")],
            op,
            "procurement",
        ),
        cell(
            "agency/tenders/cancel",
            &[("id", d), ("reason", "取消")],
            op,
            "procurement",
        ),
        // The owner's own call is refused only because the awarded tender has no failed lot
        // (409): R-SME-05, R-BID-04.
        cell("agency/tenders/retender", &[("id", t)], op, "procurement"),
        cell("agency/evaluation", &[("tender", t)], oe, "procurement"),
        cell(
            "agency/marks",
            &[("tender", t), ("opened_bid", &opened_bid)],
            oe,
            "procurement",
        ),
        cell("agency/open", &[("tender", t)], op, "procurement"),
        cell(
            "agency/award",
            &[("tender", t), ("lot", &lot)],
            op,
            "procurement",
        ),
        cell(
            "agency/challenges/answer",
            &[("challenge", &challenge), ("answer", "维持原结果")],
            op,
            "procurement",
        ),
        cell("contracts/create", &[("lot", &lot)], op, "procurement"),
        cell("contracts/get", &[("id", c)], op, "procurement"),
        cell("contracts/get", &[("id", c)], of, "finance"),
        cell("contracts/get", &[("id", c)], os, "supplier"),
        cell("contracts/publish", &[("id", c)], op, "procurement"),
        cell(
            "contracts/amend",
            &[("id", c), ("form[reason]", "变更")],
            op,
            "procurement",
        ),
        cell("contracts/deliver", &[("milestone", del)], os, "supplier"),
        cell(
            "contracts/request_confirmation",
            &[("milestone", del)],
            os,
            "supplier",
        ),
        cell("contracts/accept", &[("milestone", del)], of, "finance"),
        cell(
            "contracts/redeliver-disputed",
            &[("milestone", del)],
            os,
            "supplier",
        ),
        cell(
            "contracts/decide-redelivery",
            &[("milestone", del), ("decision", "accept")],
            of,
            "finance",
        ),
        cell(
            "contracts/propose-reduction",
            &[
                ("milestone", del),
                ("reduction", "1"),
                ("explanation", "协商"),
            ],
            of,
            "finance",
        ),
        cell(
            "contracts/answer-reduction",
            &[("milestone", del), ("answer", "confirm")],
            os,
            "supplier",
        ),
        cell(
            "contracts/record-decision",
            &[
                ("milestone", del),
                ("owed", "1"),
                ("decided_on", "2026-12-01"),
                ("reference", "(2026)京0105民初1号"),
            ],
            os,
            "supplier",
        ),
        cell(
            "contracts/confirm_receivable",
            &[("milestone", del)],
            of,
            "finance",
        ),
        cell(
            "contracts/reject",
            &[
                ("milestone", del),
                ("reason", "defects"),
                ("explanation", "缺陷"),
            ],
            of,
            "finance",
        ),
        cell(
            "contracts/pay",
            &[
                ("milestone", adv),
                ("request_key", key),
                ("amount", "570000"),
                ("bank_reference", "CN-0001"),
            ],
            of,
            "finance",
        ),
        cell(
            "profile/capabilities/archive",
            &[("id", &record)],
            os,
            "supplier",
        ),
        cell(
            "supplier/searches/delete",
            &[("id", &search)],
            os,
            "supplier",
        ),
        cell(
            "bids/documents/remove",
            &[("tender", &open), ("document", &bid_document)],
            os,
            "supplier",
        ),
        cell(
            "agency/bid-securities/refund",
            &[
                ("tender", t),
                ("organisation", &winner_org),
                ("refunded_on", "2026-12-17"),
            ],
            of,
            "finance",
        ),
        // Issue #35: people and invitations of another organisation.
        cell(
            "agency/officers/disable",
            &[("id", &spare)],
            "other agency admin",
            "agency admin",
        ),
        cell(
            "agency/invitations/revoke",
            &[("id", &officer_invitation)],
            "other agency admin",
            "agency admin",
        ),
        cell("profile/members/remove", &[("id", &member)], os, "supplier"),
        cell(
            "profile/invitations/revoke",
            &[("id", &member_invitation)],
            os,
            "supplier",
        ),
    ];

    // Every function of the role matrix that takes an id has a cell here, or a reason not to.
    let placeholder = "0190a0b0-0000-7000-8000-0000000000";
    for (endpoint, form, _) in crate::roles::cases(0, "", "x") {
        let takes_an_id = form
            .iter()
            .any(|(k, v)| v.starts_with(placeholder) || (*k == "id" && v == "x"));
        if takes_an_id && !NO_OTHER_ORGANISATION_OBJECT.contains(&endpoint) {
            assert!(
                cells.iter().any(|c| c.endpoint == endpoint),
                "{endpoint} takes an id but has no cell in the IDOR matrix"
            );
        }
    }

    let before = snapshot(app, &who, &ids).await;
    for c in &cells {
        let form: Vec<(&str, &str)> = c.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = app.call_with(who.get(c.stranger), c.endpoint, &form).await;
        assert!(
            matches!(status.as_u16(), 403 | 404),
            "{} by {} on the first organisation's object must be refused, got {status}: {body}",
            c.endpoint,
            c.stranger
        );
    }
    // The routes that are not server functions, the same way.
    let stranger_routes = [
        (
            "other procurement",
            format!("/agency/tenders/{d}/documents"),
            true,
        ),
        (
            "other supplier",
            format!("/profile/capabilities/{record}/document"),
            true,
        ),
        (
            "other supplier",
            format!("/profile/capabilities/{record}/document"),
            false,
        ),
        (
            "other supplier",
            format!("/contracts/milestones/{del}/evidence"),
            true,
        ),
        (
            "other procurement",
            format!("/tenders/{d}/documents/{document}"),
            false,
        ),
        (
            "other supplier",
            format!("/tenders/{open}/bid/documents/{bid_document}"),
            false,
        ),
    ];
    for (actor, path, upload) in &stranger_routes {
        let status = if *upload {
            app.upload(who.get(actor), path, "a.pdf", PDF, "application/json")
                .await
                .status()
        } else {
            who.get(actor)
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .unwrap()
                .status()
        };
        assert!(
            matches!(status.as_u16(), 403 | 404),
            "{actor} {} {path}: {status}",
            if *upload { "POST" } else { "GET" }
        );
    }
    for ((endpoint, now), (_, then)) in snapshot(app, &who, &ids).await.iter().zip(&before) {
        assert_eq!(now, then, "a refused call changed what {endpoint} shows");
    }

    // The owners, on the same objects: let through (what the object's state then allows).
    for c in &cells {
        let form: Vec<(&str, &str)> = c.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = app.call_with(who.get(c.owner), c.endpoint, &form).await;
        assert!(
            !matches!(status.as_u16(), 401 | 403 | 404),
            "{} by its owner {} must not be refused: {status} {body}",
            c.endpoint,
            c.owner
        );
    }
}
