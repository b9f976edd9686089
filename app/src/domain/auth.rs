//! Who may do what: roles, actions and the one permission table every server function consults.
//! The UI may hide a button; the server decides from this table alone.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Text};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    Agency,
    Supplier,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Agency => "agency",
            OrgKind::Supplier => "supplier",
        }
    }

    pub fn parse(s: &str) -> Option<OrgKind> {
        match s {
            "agency" => Some(OrgKind::Agency),
            "supplier" => Some(OrgKind::Supplier),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Publishes tenders and runs evaluations (采购经办人).
    AgencyProcurement,
    /// Accepts deliveries and releases payments (财务人员).
    AgencyFinance,
    /// Scores bids (评审专家).
    AgencyEvaluator,
    /// Administers the agency's officers and settings (issue #35): disables officers, revokes
    /// unused invitations, turns separation of duties on or off. Invited by the platform
    /// administrator like any officer; cannot publish, evaluate, accept or pay.
    AgencyAdmin,
    /// The supplier's owner: manages the profile and invites members.
    SupplierOwner,
    /// A supplier's staff member: prepares bids.
    SupplierMember,
    /// Creates agencies and invites their officers; cannot bid or pay.
    PlatformAdmin,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::AgencyProcurement,
        Role::AgencyFinance,
        Role::AgencyEvaluator,
        Role::AgencyAdmin,
        Role::SupplierOwner,
        Role::SupplierMember,
        Role::PlatformAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::AgencyProcurement => "agency_procurement",
            Role::AgencyFinance => "agency_finance",
            Role::AgencyEvaluator => "agency_evaluator",
            Role::AgencyAdmin => "agency_admin",
            Role::SupplierOwner => "supplier_owner",
            Role::SupplierMember => "supplier_member",
            Role::PlatformAdmin => "platform_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.as_str() == s)
    }

    /// The kind of organisation a person with this role belongs to (none for administrators).
    pub fn org_kind(self) -> Option<OrgKind> {
        match self {
            Role::AgencyProcurement
            | Role::AgencyFinance
            | Role::AgencyEvaluator
            | Role::AgencyAdmin => Some(OrgKind::Agency),
            Role::SupplierOwner | Role::SupplierMember => Some(OrgKind::Supplier),
            Role::PlatformAdmin => None,
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::ZhCn, Role::AgencyProcurement) => "采购经办人",
            (Lang::ZhCn, Role::AgencyFinance) => "财务人员",
            (Lang::ZhCn, Role::AgencyEvaluator) => "评审人员",
            (Lang::ZhCn, Role::AgencyAdmin) => "采购人账户管理员",
            (Lang::ZhCn, Role::SupplierOwner) => "供应商负责人",
            (Lang::ZhCn, Role::SupplierMember) => "供应商成员",
            (Lang::ZhCn, Role::PlatformAdmin) => "平台管理员",
            (Lang::En, Role::AgencyProcurement) => "Procurement officer",
            (Lang::En, Role::AgencyFinance) => "Finance officer",
            (Lang::En, Role::AgencyEvaluator) => "Evaluator",
            (Lang::En, Role::AgencyAdmin) => "Agency administrator",
            (Lang::En, Role::SupplierOwner) => "Supplier owner",
            (Lang::En, Role::SupplierMember) => "Supplier member",
            (Lang::En, Role::PlatformAdmin) => "Platform administrator",
        }
    }
}

/// Every state-changing or private action a person can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Change one's own password, sign out everywhere.
    ManageOwnAccount,
    /// Edit the supplier profile and its capability records.
    EditSupplierProfile,
    /// Watch tenders, save searches, read the organisation's notifications.
    FollowTenders,
    /// Make a new SME declaration (R-SME-04).
    DeclareSme,
    /// Invite colleagues, remove members, revoke unused invitations (issue #35).
    InviteSupplierMember,
    CreateAgency,
    InviteAgencyOfficer,
    ViewAuditLog,
    /// Upload a year's working-day calendar file (issue #34), which every later count uses.
    UploadCalendar,
    /// Let a clause the barrier check refused through, or not (issue #34).
    ReviewBarrierFindings,
    CreateTender,
    EvaluateBids,
    SubmitBid,
    AcceptDelivery,
    ReleasePayment,
    /// R-SEC-01: see the agency's bid securities and record their refund (or return).
    RefundBidSecurity,
    /// Issue #35: list the agency's officers, disable them, revoke unused invitations, set
    /// separation of duties; always within the administrator's own agency.
    ManageAgencyOfficers,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::ManageOwnAccount,
        Action::EditSupplierProfile,
        Action::FollowTenders,
        Action::DeclareSme,
        Action::InviteSupplierMember,
        Action::CreateAgency,
        Action::InviteAgencyOfficer,
        Action::ViewAuditLog,
        Action::UploadCalendar,
        Action::ReviewBarrierFindings,
        Action::CreateTender,
        Action::EvaluateBids,
        Action::SubmitBid,
        Action::AcceptDelivery,
        Action::ReleasePayment,
        Action::RefundBidSecurity,
        Action::ManageAgencyOfficers,
    ];
}

/// The permission table. Acting on *another* organisation's objects is refused separately, by
/// the query that loads them (every query is scoped to the caller's organisation).
pub fn permits(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        ManageOwnAccount => true,
        EditSupplierProfile | FollowTenders | SubmitBid => {
            matches!(role, SupplierOwner | SupplierMember)
        }
        DeclareSme | InviteSupplierMember => role == SupplierOwner,
        CreateAgency
        | InviteAgencyOfficer
        | ViewAuditLog
        | UploadCalendar
        | ReviewBarrierFindings => role == PlatformAdmin,
        CreateTender => role == AgencyProcurement,
        // The procurement officer runs the evaluation too, where the agency has no separate
        // evaluator accounts; opening and awarding stay with CreateTender.
        EvaluateBids => matches!(role, AgencyProcurement | AgencyEvaluator),
        AcceptDelivery => matches!(role, AgencyProcurement | AgencyFinance),
        ReleasePayment => role == AgencyFinance,
        // R-SEC-01: the officer who ran the tender or the one who handles its money.
        RefundBidSecurity => matches!(role, AgencyProcurement | AgencyFinance),
        ManageAgencyOfficers => role == AgencyAdmin,
    }
}

/// Password rules: long enough to resist guessing, not a well-known password, not the e-mail.
pub fn check_password(password: &str, email: &str) -> Result<(), Text> {
    const COMMON: &[&str] = &[
        "password",
        "12345678",
        "123456789",
        "1234567890",
        "qwertyuiop",
        "iloveyou",
        "admin123",
        "password1",
        "abc123456",
        "11111111",
        "88888888",
        "woaini1314",
        "1q2w3e4r5t",
    ];
    let chars = password.chars().count();
    if chars < 10 {
        return Err(Text::new(
            format!("密码至少 10 个字符（现在 {chars} 个）。"),
            format!("A password needs at least 10 characters (this one has {chars})."),
        ));
    }
    if chars > 128 {
        return Err(Text::new(
            "密码最多 128 个字符。",
            "A password has at most 128 characters.",
        ));
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    let distinct = {
        let mut c: Vec<char> = lower.chars().collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    if COMMON.iter().any(|c| lower.contains(c))
        || distinct < 4
        || (local.len() >= 4 && lower.contains(&local))
    {
        return Err(Text::new(
            "密码太容易被猜到：请不要使用常见密码、重复字符或邮箱名。",
            "That password is too easy to guess: avoid common passwords, repeated characters and your e-mail name.",
        ));
    }
    Ok(())
}

/// An e-mail address as typed: trimmed and lower-cased, or a message saying what to fix.
pub fn parse_email(input: &str) -> Result<String, Text> {
    let email = input.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(Text::new(
            "请输入有效的电子邮箱，例如 name@example.cn。",
            "Enter a valid e-mail address, e.g. name@example.cn.",
        ))
    }
}

/// Registration cannot say more without an e-mail channel to verify ownership.
pub fn email_unavailable() -> crate::error::AppError {
    crate::error::AppError::invalid(
        "email",
        Text::new(
            "此邮箱不能用于注册。如您已有账户，请直接登录。",
            "This e-mail cannot be used to register. If you already have an account, sign in.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_cannot_bid_or_pay() {
        assert!(!permits(Role::PlatformAdmin, Action::SubmitBid));
        assert!(!permits(Role::PlatformAdmin, Action::ReleasePayment));
        assert!(permits(Role::PlatformAdmin, Action::CreateAgency));
    }

    #[test]
    fn only_the_platform_administrator_uploads_a_calendar_issue_34() {
        for role in Role::ALL {
            assert_eq!(
                permits(*role, Action::UploadCalendar),
                *role == Role::PlatformAdmin,
                "{role:?}"
            );
        }
    }

    #[test]
    fn r_bar_01_only_the_platform_administrator_lets_a_refused_clause_through() {
        for role in Role::ALL {
            assert_eq!(
                permits(*role, Action::ReviewBarrierFindings),
                *role == Role::PlatformAdmin,
                "{role:?}"
            );
        }
    }

    #[test]
    fn r_sec_01_procurement_and_finance_officers_record_a_bid_security_refund() {
        for role in Role::ALL {
            assert_eq!(
                permits(*role, Action::RefundBidSecurity),
                matches!(role, Role::AgencyProcurement | Role::AgencyFinance),
                "{role:?}"
            );
        }
    }

    #[test]
    fn only_an_agency_administrator_manages_officers_and_does_nothing_else_issue_35() {
        for role in Role::ALL {
            assert_eq!(
                permits(*role, Action::ManageAgencyOfficers),
                *role == Role::AgencyAdmin,
                "{role:?}"
            );
        }
        for action in Action::ALL {
            let allowed = matches!(
                action,
                Action::ManageOwnAccount | Action::ManageAgencyOfficers
            );
            assert_eq!(permits(Role::AgencyAdmin, *action), allowed, "{action:?}");
        }
    }

    #[test]
    fn only_the_owner_declares_size_and_invites() {
        assert!(permits(Role::SupplierOwner, Action::DeclareSme));
        assert!(!permits(Role::SupplierMember, Action::DeclareSme));
        assert!(permits(Role::SupplierMember, Action::EditSupplierProfile));
        assert!(!permits(
            Role::AgencyProcurement,
            Action::EditSupplierProfile
        ));
    }

    #[test]
    fn agencies_and_suppliers_never_share_an_action_except_their_own_account() {
        for action in Action::ALL {
            let agency = [
                Role::AgencyProcurement,
                Role::AgencyFinance,
                Role::AgencyEvaluator,
                Role::AgencyAdmin,
            ]
            .iter()
            .any(|r| permits(*r, *action));
            let supplier = [Role::SupplierOwner, Role::SupplierMember]
                .iter()
                .any(|r| permits(*r, *action));
            assert!(
                !(agency && supplier) || *action == Action::ManageOwnAccount,
                "{action:?}"
            );
        }
    }

    #[test]
    fn roles_round_trip_and_know_their_organisation() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        assert_eq!(Role::AgencyFinance.org_kind(), Some(OrgKind::Agency));
        assert_eq!(Role::PlatformAdmin.org_kind(), None);
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let email = "chen@xiaoxi.cn";
        assert!(check_password("short", email)
            .unwrap_err()
            .en
            .contains("10 characters"));
        assert!(check_password("password2026!", email).is_err());
        assert!(check_password("aaaaaaaaaaaa", email).is_err());
        assert!(check_password("chen-2026-spring", email).is_err());
        assert!(check_password("绿色 采购 小微 企业 2026", email).is_ok());
        assert!(check_password("correct horse battery", email).is_ok());
    }
}
