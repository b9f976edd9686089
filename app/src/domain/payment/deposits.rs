//! R-SEC-01 and R-PAY-08: performance security and deposits, never cash only.

use super::*;

// ---------------------------------------------------------------------------------------------
// R-SEC-01, R-PAY-08: deposits
// ---------------------------------------------------------------------------------------------

/// R-PAY-08: the only kinds of deposit an agency may demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepositKind {
    BidSecurity,
    PerformanceSecurity,
    QualityDeposit,
    MigrantWageDeposit,
}

impl DepositKind {
    pub const ALL: [DepositKind; 4] = [
        DepositKind::BidSecurity,
        DepositKind::PerformanceSecurity,
        DepositKind::QualityDeposit,
        DepositKind::MigrantWageDeposit,
    ];

    /// The code forms send.
    pub fn code(self) -> &'static str {
        match self {
            DepositKind::BidSecurity => "bid",
            DepositKind::PerformanceSecurity => "performance",
            DepositKind::QualityDeposit => "quality",
            DepositKind::MigrantWageDeposit => "migrant_wage",
        }
    }

    pub fn label(self) -> Text {
        match self {
            DepositKind::BidSecurity => Text::new("投标保证金", "bid security"),
            DepositKind::PerformanceSecurity => Text::new("履约保证金", "performance security"),
            DepositKind::QualityDeposit => Text::new("质量保证金", "quality deposit"),
            DepositKind::MigrantWageDeposit => {
                Text::new("农民工工资保证金", "migrant workers' wage deposit")
            }
        }
    }

    /// R-PAY-08: any other kind of deposit is refused.
    pub fn parse(code: &str) -> Result<DepositKind, Text> {
        let code = code.trim();
        DepositKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| {
                Text::new(
                    "只能收取投标保证金、履约保证金、质量保证金或农民工工资保证金，不得收取其他保证金（R-PAY-08）。",
                    "Only a bid security, performance security, quality deposit or migrant workers' wage deposit may be demanded; no other deposit (R-PAY-08).",
                )
            })
    }
}

/// The forms in which a deposit can be provided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecurityForm {
    /// Cash, bank transfer or cheque.
    Cash,
    BankGuarantee,
    GuaranteeInsurance,
    SuretyGuarantee,
}

impl SecurityForm {
    pub const ALL: [SecurityForm; 4] = [
        SecurityForm::Cash,
        SecurityForm::BankGuarantee,
        SecurityForm::GuaranteeInsurance,
        SecurityForm::SuretyGuarantee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SecurityForm::Cash => "cash",
            SecurityForm::BankGuarantee => "bank_guarantee",
            SecurityForm::GuaranteeInsurance => "guarantee_insurance",
            SecurityForm::SuretyGuarantee => "surety_guarantee",
        }
    }

    pub fn label(self) -> Text {
        match self {
            SecurityForm::Cash => Text::new(
                "现金（含转账、支票）",
                "cash (including transfer or cheque)",
            ),
            SecurityForm::BankGuarantee => Text::new("银行保函", "bank guarantee"),
            SecurityForm::GuaranteeInsurance => Text::new("保证保险", "guarantee insurance"),
            SecurityForm::SuretyGuarantee => {
                Text::new("担保机构保函", "guarantee by a surety company")
            }
        }
    }

    pub fn parse(code: &str) -> Result<SecurityForm, Text> {
        let code = code.trim();
        SecurityForm::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .ok_or_else(|| {
                Text::new(
                    "请选择保证金的缴纳形式。",
                    "Choose a form in which the deposit may be provided.",
                )
            })
    }
}

/// R-PAY-08: the forms a deposit demand accepts: at least one, and never cash only.
pub fn check_security_forms(accepted: &[SecurityForm]) -> Result<(), Text> {
    if accepted.is_empty() {
        return Err(Text::new(
            "请至少选择一种保证金缴纳形式。",
            "Choose at least one form in which the deposit may be provided.",
        ));
    }
    // R-PAY-08: a deposit may not be demanded in cash only.
    if accepted.iter().all(|f| *f == SecurityForm::Cash) {
        return Err(Text::new(
            "不得要求仅以现金形式缴纳保证金，应允许以银行保函等非现金形式提供（R-PAY-08）。",
            "A deposit may not be demanded in cash only: allow a non-cash form such as a bank guarantee (R-PAY-08).",
        ));
    }
    Ok(())
}

/// R-SEC-01: a performance security of at most `policy.performance_security_max` % (10%) of the
/// contract value, compared exactly (no rounding). The message shows the cap rounded down to the
/// fen, so the amount it shows is itself allowed.
pub fn check_performance_security(
    policy: &Policy,
    contract_value: Money,
    security: Money,
) -> Result<(), Text> {
    let max_pct = policy.performance_security_max;
    let cap = contract_value.amount() * max_pct / Decimal::ONE_HUNDRED;
    if security.amount() <= cap {
        return Ok(());
    }
    let shown = yuan(cap.round_dp_with_strategy(2, RoundingStrategy::ToZero));
    Err(Text::new(
        format!(
            "履约保证金 {} 超过合同金额 {} 的 {}%，最多 {}（R-SEC-01）。",
            security.format_cny(),
            contract_value.format_cny(),
            pct(max_pct),
            shown
        ),
        format!(
            "A performance security of {} is more than {}% of the contract value of {}: at most {} (R-SEC-01).",
            security.format_cny(),
            pct(max_pct),
            contract_value.format_cny(),
            shown
        ),
    ))
}
