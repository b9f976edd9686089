//! R-PAY-03: rejecting a delivery, and the reasons that may not justify it.

use super::*;

// ---------------------------------------------------------------------------------------------
// R-PAY-03: rejecting a delivery
// ---------------------------------------------------------------------------------------------

/// R-PAY-03: the reasons for which an agency may reject a delivery (and so not start paying).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    NonConforming,
    IncompleteDelivery,
    Defects,
    MissingDocuments,
}

impl RejectionReason {
    pub const ALL: [RejectionReason; 4] = [
        RejectionReason::NonConforming,
        RejectionReason::IncompleteDelivery,
        RejectionReason::Defects,
        RejectionReason::MissingDocuments,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RejectionReason::NonConforming => "non_conforming",
            RejectionReason::IncompleteDelivery => "incomplete_delivery",
            RejectionReason::Defects => "defects",
            RejectionReason::MissingDocuments => "missing_documents",
        }
    }

    pub fn label(self) -> Text {
        match self {
            RejectionReason::NonConforming => Text::new(
                "不符合合同约定的规格要求",
                "does not conform to the contract's specification",
            ),
            RejectionReason::IncompleteDelivery => Text::new("交付不完整", "incomplete delivery"),
            RejectionReason::Defects => Text::new("发现质量缺陷", "defects found"),
            RejectionReason::MissingDocuments => {
                Text::new("缺少合同约定的交付文件", "required documents missing")
            }
        }
    }

    /// R-PAY-03: parses a reason code; a prohibited reason is refused citing the rule, an
    /// unknown code is refused listing the allowed reasons.
    pub fn parse(code: &str) -> Result<RejectionReason, Text> {
        let code = code.trim();
        if let Some(r) = RejectionReason::ALL.into_iter().find(|r| r.code() == code) {
            return Ok(r);
        }
        // R-PAY-03: these reasons may not justify refusing or delaying payment.
        if let Some(p) = ProhibitedReason::ALL.into_iter().find(|p| p.code() == code) {
            let label = p.label();
            return Err(Text::new(
                format!("不得以“{}”为由拒绝或者迟延支付（R-PAY-03）。", label.zh),
                format!(
                    "Payment may not be refused or delayed because of {} (R-PAY-03).",
                    label.en
                ),
            ));
        }
        let (zh, en): (Vec<String>, Vec<String>) = RejectionReason::ALL
            .into_iter()
            .map(|r| {
                let l = r.label();
                (l.zh, l.en)
            })
            .unzip();
        Err(Text::new(
            format!("请选择拒绝验收的理由：{}。", zh.join("、")),
            format!("Choose a reason for rejecting: {}.", en.join("; ")),
        ))
    }
}

/// R-PAY-03: reasons that may never justify refusing or delaying payment. They exist so the
/// refusal can say which rule forbids them; a contract that agrees settlement after an audit
/// says so in its milestones, not as a rejection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProhibitedReason {
    LeadershipChange,
    InternalProcedures,
    AwaitingAudit,
}

impl ProhibitedReason {
    pub const ALL: [ProhibitedReason; 3] = [
        ProhibitedReason::LeadershipChange,
        ProhibitedReason::InternalProcedures,
        ProhibitedReason::AwaitingAudit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProhibitedReason::LeadershipChange => "leadership_change",
            ProhibitedReason::InternalProcedures => "internal_procedures",
            ProhibitedReason::AwaitingAudit => "awaiting_audit",
        }
    }

    pub fn label(self) -> Text {
        match self {
            ProhibitedReason::LeadershipChange => Text::new(
                "法定代表人或者主要负责人变更",
                "a change of legal representative or leadership",
            ),
            ProhibitedReason::InternalProcedures => {
                Text::new("履行内部付款流程", "internal payment procedures")
            }
            ProhibitedReason::AwaitingAudit => Text::new(
                "等待审计结果或者决算（合同未约定）",
                "waiting for an audit or final accounts not agreed in the contract",
            ),
        }
    }
}

/// A checked rejection of a delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub reason: RejectionReason,
    pub explanation: String,
}

/// R-PAY-03: checks a rejection form: an allowed reason (`reason`) and a written explanation
/// (`explanation`, required, at most 2000 characters). Every problem at once.
pub fn check_rejection(reason_code: &str, explanation: &str) -> Result<Rejection, Vec<FieldError>> {
    let mut errors = Vec::new();
    let reason = match RejectionReason::parse(reason_code) {
        Ok(reason) => Some(reason),
        Err(message) => {
            errors.push(FieldError::new("reason", message));
            None
        }
    };
    let explanation = text_field(
        explanation,
        "explanation",
        MAX_EXPLANATION_CHARS,
        true,
        &mut errors,
    );
    match (reason, explanation) {
        (Some(reason), Some(explanation)) if errors.is_empty() => Ok(Rejection {
            reason,
            explanation,
        }),
        _ => Err(errors),
    }
}
