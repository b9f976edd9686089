//! Separation of duties, an agency setting (issue #35; off unless the agency's administrator
//! turns it on). When on:
//!
//! - the person who accepted a delivery does not release that milestone's payments (principal
//!   or interest): another finance officer does;
//! - the officer who opened the bids is not the only one whose marks count: a lot is awarded
//!   only when at least one of its counted marks was given by another officer. A lot with
//!   nothing to mark (no requirement to assess) has no evaluator to separate and is not held
//!   back.
//!
//! Plain functions of who did what; the services read the people from the records.

use uuid::Uuid;

use crate::i18n::Text;

/// Whether `releaser` may release the payment of a milestone accepted by `accepted_by`.
pub fn check_release(
    separation: bool,
    accepted_by: Option<Uuid>,
    releaser: Uuid,
) -> Result<(), Text> {
    if separation && accepted_by == Some(releaser) {
        return Err(Text::new(
            "本单位实行不相容岗位分离：验收该节点的人员不能支付该节点的款项，请由另一名财务人员付款。",
            "Your agency separates duties: whoever accepted this milestone cannot release its payment. Another finance officer must release it.",
        ));
    }
    Ok(())
}

/// Whether a lot whose bids `opener` opened may be awarded, given who gave each counted mark.
pub fn check_evaluators(separation: bool, opener: Uuid, markers: &[Uuid]) -> Result<(), Text> {
    if separation && !markers.is_empty() && markers.iter().all(|m| *m == opener) {
        return Err(Text::new(
            "本单位实行不相容岗位分离：开标人不能是唯一的评审人，授标前须有另一名人员的评审意见。",
            "Your agency separates duties: the officer who opened the bids cannot be the only evaluator. Marks from another officer are needed before the award.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (Uuid, Uuid) {
        (Uuid::from_u128(1), Uuid::from_u128(2))
    }

    #[test]
    fn issue_35_the_acceptor_does_not_release_its_payment_when_duties_are_separated() {
        let (a, b) = ids();
        assert!(check_release(true, Some(a), a).is_err());
        assert!(check_release(true, Some(a), b).is_ok());
        // Accepted by nobody (the acceptance period ran out): anyone may pay.
        assert!(check_release(true, None, a).is_ok());
        // Off: the same person may do both.
        assert!(check_release(false, Some(a), a).is_ok());
    }

    #[test]
    fn issue_35_the_opener_is_not_the_only_evaluator_when_duties_are_separated() {
        let (a, b) = ids();
        assert!(check_evaluators(true, a, &[a, a]).is_err());
        assert!(check_evaluators(true, a, &[a, b]).is_ok());
        assert!(check_evaluators(true, a, &[b]).is_ok());
        assert!(check_evaluators(true, a, &[]).is_ok());
        assert!(check_evaluators(false, a, &[a]).is_ok());
        let message = check_evaluators(true, a, &[a]).unwrap_err();
        assert!(message.en.contains("only evaluator") && message.zh.contains("唯一"));
    }
}
