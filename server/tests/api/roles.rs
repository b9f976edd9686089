//! The role × action matrix: every server function and every other state-changing or private
//! route, called by every role and by nobody, allowed or refused exactly as the one permission
//! table (`app::domain::auth::permits`) says.

use crate::helpers::{credit_code, spawn_app, Backend, PDF, SUPPLIER_PASSWORD};
use app::domain::auth::{permits, Action, Role};

/// What a call needs: none (public) or an action of the permission table.
pub(crate) type Case = (&'static str, Vec<(&'static str, String)>, Option<Action>);

pub(crate) fn cases(i: usize, agency_id: &str, record_id: &str) -> Vec<Case> {
    let s = |v: &str| v.to_string();
    vec![
        ("session", vec![], None),
        ("tenders/search", vec![("query[q]", s("照明"))], None),
        ("language", vec![("lang", s("en"))], None),
        (
            "tenders/get",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            None,
        ),
        ("register", vec![("form[email]", s("x"))], None),
        (
            "invite/accept",
            vec![
                ("token", s("x")),
                ("display_name", s("x")),
                ("password", s("x")),
            ],
            None,
        ),
        ("admin/agencies", vec![], Some(Action::CreateAgency)),
        ("admin/calendar", vec![], Some(Action::UploadCalendar)),
        (
            // An empty file: refused on its field for the administrator, nothing uploaded.
            "admin/calendar/upload",
            vec![("year", s("2027")), ("file", s(""))],
            Some(Action::UploadCalendar),
        ),
        (
            "admin/agencies/create",
            vec![
                ("name", format!("新局{i}")),
                (
                    "credit_code",
                    credit_code(&format!("113301{i:02}MB0000009")),
                ),
            ],
            Some(Action::CreateAgency),
        ),
        (
            "admin/invite",
            vec![
                ("agency_id", s(agency_id)),
                ("email", format!("officer{i}@agency.example.cn")),
                ("role", s("agency_finance")),
            ],
            Some(Action::InviteAgencyOfficer),
        ),
        (
            "profile/sme",
            vec![
                ("form[industry]", s("software_and_it")),
                ("form[headcount]", s("12")),
                ("form[annual_revenue]", s("300")),
                ("form[total_assets]", s("200")),
            ],
            Some(Action::DeclareSme),
        ),
        // Answers everyone; only a supplier's people get their profile (checked below).
        ("profile/overview", vec![], None),
        (
            "profile/capabilities/add",
            vec![
                ("form[kind]", s("equipment")),
                ("form[title]", s("三维激光扫描仪 2 台")),
            ],
            Some(Action::EditSupplierProfile),
        ),
        (
            "profile/capabilities/archive",
            vec![("id", s(record_id))],
            Some(Action::EditSupplierProfile),
        ),
        (
            "profile/invite",
            vec![("email", format!("colleague{i}@xiaoxi.example.cn"))],
            Some(Action::InviteSupplierMember),
        ),
        ("agency/tenders", vec![], Some(Action::CreateTender)),
        (
            "agency/tenders/save",
            vec![("id", s("")), ("form[title]", s("道路养护"))],
            Some(Action::CreateTender),
        ),
        (
            "agency/tenders/get",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::CreateTender),
        ),
        (
            "agency/tenders/publish",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::CreateTender),
        ),
        (
            "agency/tenders/clarify",
            vec![
                ("id", s("0190a0b0-0000-7000-8000-000000000000")),
                ("body", s("答疑")),
            ],
            Some(Action::CreateTender),
        ),
        (
            // R-TIME-02: a structured amendment of the terms (issue #33).
            "agency/tenders/amend",
            vec![
                ("id", s("0190a0b0-0000-7000-8000-000000000000")),
                ("form[title]", s("更正")),
                ("body", s("更正")),
            ],
            Some(Action::CreateTender),
        ),
        (
            "agency/tenders/cancel",
            vec![
                ("id", s("0190a0b0-0000-7000-8000-000000000000")),
                ("reason", s("取消")),
            ],
            Some(Action::CreateTender),
        ),
        (
            "agency/tenders/review",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::CreateTender),
        ),
        (
            // R-SME-05, R-BID-04: an unknown tender is "not found" to whoever may act at all.
            "agency/tenders/retender",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::CreateTender),
        ),
        (
            "agency/tenders/review/request",
            vec![
                ("id", s("0190a0b0-0000-7000-8000-000000000000")),
                ("reason", s("条款合法")),
            ],
            Some(Action::CreateTender),
        ),
        ("admin/reviews", vec![], Some(Action::ReviewBarrierFindings)),
        (
            "admin/reviews/decide",
            vec![
                ("id", s("0190a0b0-0000-7000-8000-000000000000")),
                ("decision", s("approve")),
                ("note", s("同意")),
            ],
            Some(Action::ReviewBarrierFindings),
        ),
        (
            "agency/tenders/documents/remove",
            vec![
                ("tender", s("0190a0b0-0000-7000-8000-000000000000")),
                ("document", s("0190a0b0-0000-7000-8000-000000000000")),
            ],
            Some(Action::CreateTender),
        ),
        // Answers everyone; only a supplier's people get a fit (null for the others).
        (
            "supplier/fit",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            None,
        ),
        (
            "supplier/watch",
            vec![
                ("id", s("0190a0b0-0000-7000-8000-000000000000")),
                ("watch", s("1")),
            ],
            Some(Action::FollowTenders),
        ),
        ("supplier/desk", vec![], Some(Action::FollowTenders)),
        (
            "supplier/notifications/read",
            vec![],
            Some(Action::FollowTenders),
        ),
        (
            "supplier/searches/save",
            vec![("name", format!("搜索{i}")), ("query[q]", s("道路"))],
            Some(Action::FollowTenders),
        ),
        (
            "supplier/searches/delete",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::FollowTenders),
        ),
        // Bids (issue #5): an unknown tender is "not found" for whoever may act at all.
        (
            "bids/desk",
            vec![("tender", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::SubmitBid),
        ),
        (
            "bids/submit",
            vec![
                ("tender", s("0190a0b0-0000-7000-8000-000000000000")),
                ("intent", s("save")),
            ],
            Some(Action::SubmitBid),
        ),
        (
            "bids/save",
            vec![
                ("tender", s("0190a0b0-0000-7000-8000-000000000000")),
                ("form[proposal]", s("草稿")),
            ],
            Some(Action::SubmitBid),
        ),
        (
            "bids/withdraw",
            vec![("tender", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::SubmitBid),
        ),
        (
            "bids/documents/remove",
            vec![
                ("tender", s("0190a0b0-0000-7000-8000-000000000000")),
                ("document", s("0190a0b0-0000-7000-8000-000000000001")),
            ],
            Some(Action::SubmitBid),
        ),
        (
            "bids/challenge",
            vec![
                ("tender", s("0190a0b0-0000-7000-8000-000000000000")),
                ("subject", s("terms")),
                ("body", s("质疑")),
            ],
            Some(Action::SubmitBid),
        ),
        ("receipts/verify", vec![("receipt", s("FTR1.x.y"))], None),
        ("receipts/result", vec![("check", s("FTRC1.x.y"))], None),
        // Contracts and payments (issue #6): an unknown lot or milestone is "not found" for
        // whoever may act at all.
        ("contracts/awarded", vec![], Some(Action::AcceptDelivery)),
        (
            "contracts/create",
            vec![("lot", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::CreateTender),
        ),
        (
            "contracts/get",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::ManageOwnAccount),
        ),
        ("contracts/receivables", vec![], Some(Action::SubmitBid)),
        (
            "contracts/deliver",
            vec![("milestone", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::SubmitBid),
        ),
        (
            "contracts/accept",
            vec![("milestone", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::AcceptDelivery),
        ),
        (
            "contracts/reject",
            vec![
                ("milestone", s("0190a0b0-0000-7000-8000-000000000000")),
                ("reason", s("defects")),
                ("explanation", s("缺陷")),
            ],
            Some(Action::AcceptDelivery),
        ),
        (
            "contracts/pay",
            vec![
                ("milestone", s("0190a0b0-0000-7000-8000-000000000000")),
                ("request_key", s("0190a0b0-0000-7000-8000-000000000001")),
                ("amount", s("1")),
                ("bank_reference", s("X")),
            ],
            Some(Action::ReleasePayment),
        ),
        ("contracts/finance", vec![], Some(Action::AcceptDelivery)),
        (
            "contracts/redeliver-disputed",
            vec![("milestone", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::SubmitBid),
        ),
        (
            "contracts/decide-redelivery",
            vec![
                ("milestone", s("0190a0b0-0000-7000-8000-000000000000")),
                ("decision", s("accept")),
            ],
            Some(Action::AcceptDelivery),
        ),
        (
            "contracts/propose-reduction",
            vec![
                ("milestone", s("0190a0b0-0000-7000-8000-000000000000")),
                ("reduction", s("1")),
                ("explanation", s("协商")),
            ],
            Some(Action::AcceptDelivery),
        ),
        (
            "contracts/answer-reduction",
            vec![
                ("milestone", s("0190a0b0-0000-7000-8000-000000000000")),
                ("answer", s("confirm")),
            ],
            Some(Action::SubmitBid),
        ),
        (
            "contracts/record-decision",
            vec![
                ("milestone", s("0190a0b0-0000-7000-8000-000000000000")),
                ("owed", s("1")),
                ("decided_on", s("2026-12-01")),
                ("reference", s("(2026)京0105民初1号")),
            ],
            Some(Action::SubmitBid),
        ),
        (
            "contracts/request_confirmation",
            vec![("milestone", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::SubmitBid),
        ),
        (
            "contracts/confirm_receivable",
            vec![("milestone", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::AcceptDelivery),
        ),
        (
            "contracts/publish",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::CreateTender),
        ),
        (
            "contracts/amend",
            vec![
                ("id", s("0190a0b0-0000-7000-8000-000000000000")),
                ("form[reason]", s("变更")),
            ],
            Some(Action::CreateTender),
        ),
        ("contracts/notices", vec![], Some(Action::ManageOwnAccount)),
        ("payments/timeliness", vec![], None),
        (
            "agency/evaluation",
            vec![("tender", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::EvaluateBids),
        ),
        (
            "agency/marks",
            vec![
                ("tender", s("0190a0b0-0000-7000-8000-000000000000")),
                ("opened_bid", s("0190a0b0-0000-7000-8000-000000000000")),
            ],
            Some(Action::EvaluateBids),
        ),
        (
            "agency/open",
            vec![("tender", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::CreateTender),
        ),
        (
            "agency/award",
            vec![
                ("tender", s("0190a0b0-0000-7000-8000-000000000000")),
                ("lot", s("0190a0b0-0000-7000-8000-000000000000")),
            ],
            Some(Action::CreateTender),
        ),
        (
            "agency/challenges/answer",
            vec![
                ("challenge", s("0190a0b0-0000-7000-8000-000000000000")),
                ("answer", s("答复")),
            ],
            Some(Action::CreateTender),
        ),
        ("agency/challenges", vec![], Some(Action::EvaluateBids)),
        // R-SEC-01 (issue #33): an unknown tender is "not found" for whoever may act at all.
        (
            "agency/bid-securities",
            vec![],
            Some(Action::RefundBidSecurity),
        ),
        (
            "agency/bid-securities/refund",
            vec![
                ("tender", s("0190a0b0-0000-7000-8000-000000000000")),
                ("organisation", s("0190a0b0-0000-7000-8000-000000000001")),
                ("refunded_on", s("2026-12-17")),
            ],
            Some(Action::RefundBidSecurity),
        ),
        // Issue #35: members and officers, their removal, invitations revoked, and separation
        // of duties. An unknown person or invitation is "not found" to whoever may act at all.
        (
            "profile/members",
            vec![],
            Some(Action::InviteSupplierMember),
        ),
        (
            "profile/members/remove",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::InviteSupplierMember),
        ),
        (
            "profile/invitations/revoke",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::InviteSupplierMember),
        ),
        (
            "agency/officers",
            vec![],
            Some(Action::ManageAgencyOfficers),
        ),
        (
            "agency/officers/disable",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::ManageAgencyOfficers),
        ),
        (
            "agency/invitations/revoke",
            vec![("id", s("0190a0b0-0000-7000-8000-000000000000"))],
            Some(Action::ManageAgencyOfficers),
        ),
        (
            "agency/settings/duties",
            vec![("on", s("false"))],
            Some(Action::ManageAgencyOfficers),
        ),
        (
            // Allowed to all: a wrong current password is refused on its field, not by role.
            "password",
            vec![
                ("current_password", s("not the password at all")),
                ("new_password", s("another long passphrase")),
            ],
            Some(Action::ManageOwnAccount),
        ),
        // Issue #35: recovery codes. Signing in with one is public (a wrong code is refused as
        // wrong); making new ones needs the current password, refused on its field.
        (
            "login/recovery",
            vec![
                ("email", s("nobody@nowhere.example.cn")),
                ("code", s("AAAA-BBBB-CCCC-DDDD")),
            ],
            None,
        ),
        (
            "account/recovery-codes",
            vec![("recovery_password", s("not the password at all"))],
            Some(Action::ManageOwnAccount),
        ),
        ("account/recovery-codes/view", vec![], None),
    ]
}

/// The matrix has a row for every server function the app registers (issue #9): one added
/// without a row fails here. `login` and `logout` are checked by hand at the end of the matrix.
#[test]
fn the_matrix_covers_every_server_function() {
    let mut covered: Vec<&str> = cases(0, "", "").iter().map(|c| c.0).collect();
    covered.extend(["login", "logout"]);
    let registered: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    assert!(
        registered.len() > 50,
        "the app's server functions are registered: {registered:?}"
    );
    let missing: Vec<&String> = registered
        .iter()
        .filter(|p| !covered.contains(&p.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the role matrix: {missing:?}"
    );
}

#[tokio::test]
async fn every_role_is_allowed_or_refused_every_function_as_the_permission_table_says() {
    let app = spawn_app(Backend::Sqlite).await;
    let admin = app.admin_client().await;
    let agency = app
        .create_agency(&admin, "示范局", "11330100MB0000001")
        .await;
    let agency_id = agency["id"].as_str().unwrap().to_string();

    // One signed-in browser per role; the supplier's owner and member share one firm.
    let mut clients: Vec<(Role, reqwest::Client)> = vec![(Role::PlatformAdmin, admin)];
    let owner = app.new_client();
    app.register_supplier(&owner, "小溪软件", "91330106MA2B00001")
        .await;
    let (_, link) = app
        .call_with(
            &owner,
            "profile/invite",
            &[("email", "li@xiaoxi.example.cn")],
        )
        .await;
    let member = app.new_client();
    assert_eq!(app.accept_invitation(&member, &link, "李").await.0, 200);
    let (_, record) = app
        .call_with(
            &owner,
            "profile/capabilities/add",
            &[("form[kind]", "equipment"), ("form[title]", "服务器 4 台")],
        )
        .await;
    let record_id = record["id"].as_str().unwrap().to_string();
    let document = format!("{}/profile/capabilities/{record_id}/document", app.address);
    clients.push((Role::SupplierOwner, owner));
    clients.push((Role::SupplierMember, member));
    for role in [
        Role::AgencyProcurement,
        Role::AgencyFinance,
        Role::AgencyEvaluator,
        Role::AgencyAdmin,
    ] {
        let (_, link) = app
            .call_with(
                &clients[0].1,
                "admin/invite",
                &[
                    ("agency_id", &agency_id),
                    ("email", &format!("{}@agency.example.cn", role.as_str())),
                    ("role", role.as_str()),
                ],
            )
            .await;
        let c = app.new_client();
        assert_eq!(app.accept_invitation(&c, &link, "officer").await.0, 200);
        clients.push((role, c));
    }
    assert_eq!(clients.len(), Role::ALL.len(), "every role is covered");

    let allowed = |status: u16| status != 401 && status != 403;
    for (i, (role, client)) in clients.iter().enumerate() {
        for (endpoint, form, action) in cases(i, &agency_id, &record_id) {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, body) = app.call_with(client, endpoint, &form).await;
            match action {
                Some(action) if !permits(*role, action) => {
                    assert_eq!(status, 403, "{role:?} {endpoint} must be refused: {body}")
                }
                _ => assert!(
                    allowed(status.as_u16()),
                    "{role:?} {endpoint} must be allowed, got {status}: {body}"
                ),
            }
        }
        let (_, overview) = app.call_with(client, "profile/overview", &[]).await;
        assert_eq!(
            overview.is_null(),
            !permits(*role, Action::EditSupplierProfile),
            "{role:?} profile/overview: {overview}"
        );
        // The document routes (not server functions) go through the same table.
        let may = permits(*role, Action::EditSupplierProfile);
        let get = client.get(&document).send().await.unwrap().status();
        let part = reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("a.pdf");
        let post = client
            .post(&document)
            .header("origin", &app.address)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
            .status();
        // The tender document upload: officers only (an unknown tender is then "not found").
        let part = reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("a.pdf");
        let tender_upload = client
            .post(format!(
                "{}/agency/tenders/0190a0b0-0000-7000-8000-000000000000/documents",
                app.address
            ))
            .header("origin", &app.address)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
            .status();
        if permits(*role, Action::CreateTender) {
            assert_eq!(tender_upload, 404, "{role:?} tender document upload");
        } else {
            assert_eq!(tender_upload, 403, "{role:?} tender document upload");
        }
        for (what, status) in [("GET", get), ("POST", post)] {
            if may {
                assert!(
                    allowed(status.as_u16()),
                    "{role:?} {what} document: {status}"
                );
            } else {
                assert_eq!(status, 403, "{role:?} {what} document");
            }
        }
    }

    // Signed out: every protected function and route asks to sign in; public ones answer.
    let nobody = app.new_client();
    for (endpoint, form, action) in cases(99, &agency_id, &record_id) {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = app.call_with(&nobody, endpoint, &form).await;
        match action {
            Some(_) => assert_eq!(status, 401, "{endpoint}: {body}"),
            None => assert!(allowed(status.as_u16()), "{endpoint}: {status} {body}"),
        }
    }
    assert_eq!(nobody.get(&document).send().await.unwrap().status(), 401);
    let (status, _) = app.call_with(&nobody, "logout", &[]).await;
    assert_eq!(status, 401);

    // Everyone may sign themselves out.
    for (role, client) in &clients {
        let (status, body) = app.call_with(client, "logout", &[]).await;
        assert_eq!(status, 200, "{role:?} logout: {body}");
    }
    // And the public functions that sign in stay open to all.
    let (status, _) = app
        .call_with(
            &nobody,
            "login",
            &[
                ("email", "li@xiaoxi.example.cn"),
                ("password", SUPPLIER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 200);
}
