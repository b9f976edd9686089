//! R-PAY-09, R-PAY-03 (PAY Arts. 9, 11, 12, 14; issue #33): the payment terms a contract's free
//! text may not contain, as the contract form's field errors. The reading itself is the barrier
//! check's, in contract terms (`domain::barrier::payment`).

use crate::error::FieldError;
#[cfg(feature = "ssr")]
use crate::i18n::Text;

/// R-PAY-09, R-PAY-03 (PAY Arts. 9, 11, 12, 14; issue #33): the payment terms the decree
/// forbids in one free text of a contract (payment waiting on a third party's funds, an audit
/// as the settlement basis, forced commercial bills or receivable e-vouchers, internal
/// approval, a change of legal representative or leadership), read by the barrier check as
/// contract terms. One error on `field` naming each rule and quoting each clause as written;
/// none when the text is lawful.
#[cfg(feature = "ssr")]
pub fn field_errors(field: &str, text: &str) -> Vec<FieldError> {
    use crate::domain::barrier::{check, Context};
    let found = check(text, Context::ContractTerms, false);
    if found.is_empty() {
        return Vec::new();
    }
    let (zh, en): (Vec<String>, Vec<String>) = found
        .iter()
        .map(|f| {
            let m = f.message();
            (
                format!("[{}] {}", f.rule, m.zh),
                format!("[{}] {}", f.rule, m.en),
            )
        })
        .unzip();
    vec![FieldError::new(
        field,
        Text::new(zh.join(" "), en.join(" ")),
    )]
}

/// The check runs on the server only (the browser never signs a contract).
#[cfg(not(feature = "ssr"))]
pub fn field_errors(_field: &str, _text: &str) -> Vec<FieldError> {
    Vec::new()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use crate::domain::contract::{check_contract, ContractTerms, MilestoneRow};
    use crate::domain::{Money, Percent};

    fn row<'a>(deliverable: &'a str, amount: &'a str, date: &'a str) -> MilestoneRow<'a> {
        MilestoneRow {
            deliverable,
            amount,
            planned_date: date,
            advance: false,
        }
    }

    fn value() -> Money {
        Money::parse("100000").unwrap()
    }

    const LPR: i32 = 310;

    #[test]
    fn r_pay_09_r_pay_03_forbidden_payment_terms_are_refused_on_their_field_quoted() {
        let rows = [
            row("预付款", "30000", "2027-01-10"),
            row("系统上线，决算审计后支付", "70000", "2027-03-31"),
        ];
        let t = ContractTerms {
            milestones: &rows,
            other_terms: "质保一年。如采购人法定代表人变更，付款时间相应顺延。",
            ..ContractTerms::default()
        };
        let errors = check_contract(&t, value(), Percent::from_bp(LPR)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["other_terms", "milestones[1].deliverable"]);
        assert!(errors[0]
            .message
            .zh
            .starts_with("[R-PAY-03] “如采购人法定代表人变更，付款时间相应顺延”"));
        assert!(errors[1]
            .message
            .en
            .starts_with("[R-PAY-09] \"系统上线，决算审计后支付\""));

        // Said the other way round, the same subjects are lawful; the terms are kept trimmed.
        let rows = [row("系统上线", "100000", "2027-03-31")];
        let t = ContractTerms {
            milestones: &rows,
            other_terms: " 付款不因法定代表人变更而延迟；审计不影响付款期限。 ",
            ..ContractTerms::default()
        };
        let checked = check_contract(&t, value(), Percent::from_bp(LPR)).unwrap();
        assert_eq!(
            checked.other_terms.as_deref(),
            Some("付款不因法定代表人变更而延迟；审计不影响付款期限。")
        );
        let t = ContractTerms {
            milestones: &rows,
            ..ContractTerms::default()
        };
        assert_eq!(
            check_contract(&t, value(), Percent::from_bp(LPR))
                .unwrap()
                .other_terms,
            None
        );
    }
}
