//! R-PAY-10: an acceptance of less than the delivered amount is a partial rejection, and the
//! disputed part has a way to end.
//!
//! - The agency's decision on a delivery ([`decide_acceptance`]): all of it, part of it (a
//!   partial rejection: an allowed reason and an explanation, R-PAY-03, and only while the
//!   acceptance period is open, R-PAY-02), or none of it (a rejection, with rejection's rules).
//! - The disputed part ends ([`dispute_status`]) by re-delivery and acceptance (an undecided
//!   re-delivery is accepted when its own acceptance period ends, R-PAY-02 again), by a reduction
//!   the agency proposes and the supplier confirms, or by the recorded outcome of a dispute
//!   (mediation, arbitration, a court). What is then owed falls due like any payable: the
//!   payment term runs from the day the dispute ended.
//! - Payments on a milestone pay its obligations oldest due date first ([`allocate_payments`]),
//!   and each obligation bears its own interest (R-PAY-05). A decision can only be taken before
//!   the obligation it concerns starts its clock, so no decision reduces interest already
//!   accrued.

use super::*;

/// The agency's checked decision on a delivered milestone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AcceptanceDecision {
    /// All of it accepted.
    Whole,
    /// R-PAY-10: part accepted; the rest is disputed for an allowed reason.
    Partial {
        accepted: Money,
        disputed: Money,
        rejection: Rejection,
    },
    /// R-PAY-10: nothing accepted: a rejection, with rejection's rules.
    Rejected(Rejection),
}

/// R-PAY-10: checks the agency's decision on a delivery of `amount`.
///
/// `accepted` None (or the whole amount) accepts all of it; this is allowed after the period too
/// (a late acceptance does not delay the clock, R-PAY-02). Less than the whole amount is a
/// partial rejection: it needs `period_open` (R-PAY-02: once the period has passed without a
/// decision, all of the amount is owed) and an allowed reason with an explanation (R-PAY-03).
/// 0 is a rejection. Every problem at once, on `accepted_amount`, `reason` and `explanation`.
pub fn decide_acceptance(
    amount: Money,
    accepted: Option<Money>,
    reason: &str,
    explanation: &str,
    period_open: bool,
    period_end: NaiveDate,
) -> Result<AcceptanceDecision, Vec<FieldError>> {
    let accepted = match accepted {
        None => return Ok(AcceptanceDecision::Whole),
        Some(a) if a == amount => return Ok(AcceptanceDecision::Whole),
        Some(a) => a,
    };
    let mut errors = Vec::new();
    if accepted < Money::ZERO || accepted > amount {
        errors.push(FieldError::new(
            "accepted_amount",
            Text::new(
                format!(
                    "验收金额 {} 应在 0 到本节点金额 {} 之间。",
                    accepted.format_cny(),
                    amount.format_cny()
                ),
                format!(
                    "The accepted amount of {} must be between 0 and the milestone's {}.",
                    accepted.format_cny(),
                    amount.format_cny()
                ),
            ),
        ));
        return Err(errors);
    }
    if !period_open {
        // R-PAY-02, R-PAY-10: the period passed without a decision, so all of the amount is
        // owed and its clock has started; a shortfall now would take back what is already due.
        errors.push(FieldError::new(
            "accepted_amount",
            Text::new(
                format!(
                    "验收期已于 {period_end} 结束，全部金额 {} 已经应付（R-PAY-02）：不能再部分验收，只能全部验收（R-PAY-10）。",
                    amount.format_cny()
                ),
                format!(
                    "The acceptance period ended on {period_end}: all of {} is already payable (R-PAY-02). It can no longer be accepted in part, only in full (R-PAY-10).",
                    amount.format_cny()
                ),
            ),
        ));
    }
    let rejection = match check_rejection(reason, explanation) {
        Ok(r) => Some(r),
        Err(mut e) => {
            // Say why a reason is asked for when only an amount was typed.
            for err in e.iter_mut().filter(|e| e.field == "reason") {
                if reason.trim().is_empty() {
                    err.message = Text::new(
                        format!(
                            "少验收的 {} 是部分拒收，须说明理由（R-PAY-10、R-PAY-03）：{}",
                            amount.checked_sub(accepted).unwrap_or(Money::ZERO).format_cny(),
                            err.message.zh
                        ),
                        format!(
                            "Accepting {} less is a partial rejection and needs a reason (R-PAY-10, R-PAY-03). {}",
                            amount.checked_sub(accepted).unwrap_or(Money::ZERO).format_cny(),
                            err.message.en
                        ),
                    );
                }
            }
            errors.extend(e);
            None
        }
    };
    match rejection {
        Some(rejection) if errors.is_empty() => {
            if accepted == Money::ZERO {
                Ok(AcceptanceDecision::Rejected(rejection))
            } else {
                Ok(AcceptanceDecision::Partial {
                    accepted,
                    disputed: amount.checked_sub(accepted).unwrap_or(Money::ZERO),
                    rejection,
                })
            }
        }
        _ => Err(errors),
    }
}

/// How a disputed part ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeEnd {
    /// Delivered again and accepted (or not decided within the re-delivery's period).
    Redelivered,
    /// A reduction the agency proposed and the supplier confirmed.
    Reduced,
    /// The recorded outcome of mediation, arbitration or a court.
    Decided,
}

impl DisputeEnd {
    pub fn code(self) -> &'static str {
        match self {
            DisputeEnd::Redelivered => "redelivered",
            DisputeEnd::Reduced => "reduced",
            DisputeEnd::Decided => "decided",
        }
    }

    pub fn parse(code: &str) -> Option<DisputeEnd> {
        [
            DisputeEnd::Redelivered,
            DisputeEnd::Reduced,
            DisputeEnd::Decided,
        ]
        .into_iter()
        .find(|e| e.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            DisputeEnd::Redelivered => Text::new("重新交付并验收", "delivered again and accepted"),
            DisputeEnd::Reduced => Text::new("双方确认减价", "a reduction both sides confirmed"),
            DisputeEnd::Decided => Text::new(
                "争议处理结果（调解、仲裁或判决）",
                "the outcome of the dispute (mediation, arbitration or a court)",
            ),
        }
    }
}

/// What is stored about a disputed part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeFacts {
    /// The part not accepted.
    pub disputed: Money,
    /// The day the disputed part was delivered again, awaiting a decision.
    pub redelivered_on: Option<NaiveDate>,
    /// A reduction proposed by the agency, not yet confirmed by the supplier.
    pub proposed_reduction: Option<Money>,
    /// How and when it ended, and what of the disputed part is owed, when recorded.
    pub ended: Option<(DisputeEnd, NaiveDate, Money)>,
}

/// Where a disputed part stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum DisputeStatus {
    /// Nothing of it is due yet; the parties can end it.
    Open,
    /// Delivered again; the agency decides by `decide_by` (R-PAY-02).
    Redelivered { decide_by: NaiveDate },
    /// Ended on `on` with `owed` falling due: the payment clock runs from `on`.
    Ended {
        how: DisputeEnd,
        on: NaiveDate,
        owed: Money,
    },
}

/// R-PAY-10, R-PAY-02: where a disputed part stands on `today`. A re-delivery not decided by the
/// end of its acceptance period ends the dispute at that end, with all of the disputed part owed
/// (the agency's silence is acceptance, as for the first delivery).
pub fn dispute_status(
    facts: &DisputeFacts,
    acceptance_days: u32,
    today: NaiveDate,
) -> DisputeStatus {
    if let Some((how, on, owed)) = facts.ended {
        return DisputeStatus::Ended { how, on, owed };
    }
    if let Some(redelivered_on) = facts.redelivered_on {
        return match payment_clock_start(redelivered_on, acceptance_days, None, today) {
            Some(on) => DisputeStatus::Ended {
                how: DisputeEnd::Redelivered,
                on,
                owed: facts.disputed,
            },
            None => DisputeStatus::Redelivered {
                decide_by: add_days(redelivered_on, acceptance_days),
            },
        };
    }
    DisputeStatus::Open
}

/// R-PAY-10: checks a reduction of the disputed part proposed by the agency: more than 0, not more
/// than what is disputed, with an explanation. What remains is owed once the supplier confirms.
pub fn check_reduction(
    disputed: Money,
    reduction: Money,
    explanation: &str,
) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    if reduction <= Money::ZERO || reduction > disputed {
        errors.push(FieldError::new(
            "reduction",
            Text::new(
                format!(
                    "减价金额应大于 0 且不超过有争议的 {}。",
                    disputed.format_cny()
                ),
                format!(
                    "The reduction must be more than 0 and at most the {} in dispute.",
                    disputed.format_cny()
                ),
            ),
        ));
    }
    let explanation = text_field(
        explanation,
        "explanation",
        MAX_EXPLANATION_CHARS,
        true,
        &mut errors,
    );
    match explanation {
        Some(e) if errors.is_empty() => Ok(e),
        _ => Err(errors),
    }
}

/// R-PAY-10: checks the recorded outcome of a dispute: the amount owed (0 up to what is
/// disputed), the day it was decided (not after today, not before the dispute began) and a
/// reference to the decision (case number or mediation record).
pub fn check_decision(
    disputed: Money,
    owed: Money,
    decided_on: NaiveDate,
    disputed_since: NaiveDate,
    reference: &str,
    today: NaiveDate,
) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    if owed < Money::ZERO || owed > disputed {
        errors.push(FieldError::new(
            "owed",
            Text::new(
                format!("应付金额应在 0 到有争议的 {} 之间。", disputed.format_cny()),
                format!(
                    "The amount owed must be between 0 and the {} in dispute.",
                    disputed.format_cny()
                ),
            ),
        ));
    }
    if decided_on > today || decided_on < disputed_since {
        errors.push(FieldError::new(
            "decided_on",
            Text::new(
                format!("决定日期应在争议开始（{disputed_since}）到今天（{today}）之间。"),
                format!(
                    "The decision date must be between the start of the dispute ({disputed_since}) and today ({today})."
                ),
            ),
        ));
    }
    let reference = text_field(reference, "reference", 200, true, &mut errors);
    match reference {
        Some(r) if errors.is_empty() => Ok(r),
        _ => Err(errors),
    }
}

/// Splits `payments` among obligations of `amounts` (in order of due date), each payment paying
/// the earliest obligation still outstanding first and carrying over into the next. The last
/// obligation keeps any excess.
pub fn allocate_payments(amounts: &[Money], payments: &[Payment]) -> Vec<Vec<Payment>> {
    let mut out = vec![Vec::new(); amounts.len()];
    if amounts.is_empty() {
        return out;
    }
    let mut left: Vec<Decimal> = amounts
        .iter()
        .map(|a| a.amount().max(Decimal::ZERO))
        .collect();
    let mut sorted = payments.to_vec();
    sorted.sort_by_key(|p| p.paid_on);
    let last = amounts.len() - 1;
    let mut i = 0;
    for p in sorted {
        let mut rest = p.amount.amount();
        while rest > Decimal::ZERO {
            while i < last && left[i] <= Decimal::ZERO {
                i += 1;
            }
            let take = if i == last { rest } else { rest.min(left[i]) };
            if let Ok(amount) = Money::round_from(take) {
                out[i].push(Payment {
                    paid_on: p.paid_on,
                    amount,
                });
            }
            left[i] -= take;
            rest -= take;
        }
    }
    out
}

/// The status of a milestone made of several obligations: overdue if any is (by the most days),
/// otherwise due or not yet due if any is unpaid (the soonest), otherwise paid (late by the most
/// days if any was late).
pub fn combined_status(statuses: &[PayableStatus]) -> Option<PayableStatus> {
    use PayableStatus::*;
    let rank = |s: &PayableStatus| match *s {
        Overdue { days_overdue } => (0, -days_overdue),
        DueToday => (1, 0),
        NotYetDue { days_left } => (2, days_left),
        PaidLate { days_late } => (3, -days_late),
        PaidOnTime => (4, 0),
    };
    statuses.iter().copied().min_by_key(rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn on(mo: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, mo, dd).unwrap()
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn r_pay_10_a_shortfall_is_a_partial_rejection_with_an_allowed_reason() {
        let end = on(3, 25);
        let whole = decide_acceptance(m("100000"), None, "", "", false, end);
        assert_eq!(whole, Ok(AcceptanceDecision::Whole), "late, but in full");
        assert_eq!(
            decide_acceptance(m("100000"), Some(m("100000")), "", "", false, end),
            Ok(AcceptanceDecision::Whole)
        );
        // No reason: refused, saying it is a partial rejection.
        let errors =
            decide_acceptance(m("100000"), Some(m("70000")), "", "", true, end).unwrap_err();
        assert_eq!(fields(&errors), ["reason", "explanation"]);
        assert!(errors[0].message.en.contains("R-PAY-10"));
        assert!(errors[0].message.en.contains("¥30,000.00"));
        // A forbidden reason (R-PAY-03) is refused for a part as for the whole.
        let errors = decide_acceptance(
            m("100000"),
            Some(m("70000")),
            "awaiting_audit",
            "等审计",
            true,
            end,
        )
        .unwrap_err();
        assert_eq!(fields(&errors), ["reason"]);
        assert!(errors[0].message.en.contains("R-PAY-03"));
        let ok = decide_acceptance(
            m("100000"),
            Some(m("70000")),
            "incomplete_delivery",
            "少交付三台设备。",
            true,
            end,
        )
        .unwrap();
        match ok {
            AcceptanceDecision::Partial {
                accepted, disputed, ..
            } => {
                assert_eq!((accepted, disputed), (m("70000"), m("30000")));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn r_pay_10_no_shortfall_once_the_period_has_passed_and_zero_is_a_rejection() {
        let end = on(3, 25);
        let errors = decide_acceptance(
            m("100000"),
            Some(m("70000")),
            "defects",
            "有缺陷。",
            false,
            end,
        )
        .unwrap_err();
        assert_eq!(fields(&errors), ["accepted_amount"]);
        assert!(errors[0].message.en.contains("R-PAY-02"));
        assert!(errors[0].message.zh.contains("2026-03-25"));
        // 0 accepted is a rejection, with the same checks.
        assert!(matches!(
            decide_acceptance(
                m("100000"),
                Some(Money::ZERO),
                "defects",
                "有缺陷。",
                true,
                end
            ),
            Ok(AcceptanceDecision::Rejected(_))
        ));
        let errors =
            decide_acceptance(m("100000"), Some(Money::ZERO), "", "", false, end).unwrap_err();
        assert_eq!(
            fields(&errors),
            ["accepted_amount", "reason", "explanation"]
        );
        // Out of range.
        for bad in [m("100000.01"), Money::from_fen(-100)] {
            let errors =
                decide_acceptance(m("100000"), Some(bad), "defects", "x", true, end).unwrap_err();
            assert_eq!(fields(&errors), ["accepted_amount"], "{bad:?}");
        }
    }

    #[test]
    fn r_pay_10_a_redelivery_not_decided_in_its_period_ends_the_dispute() {
        let facts = DisputeFacts {
            disputed: m("30000"),
            redelivered_on: Some(on(4, 1)),
            proposed_reduction: None,
            ended: None,
        };
        assert_eq!(
            dispute_status(&facts, 10, on(4, 11)),
            DisputeStatus::Redelivered {
                decide_by: on(4, 11)
            }
        );
        assert_eq!(
            dispute_status(&facts, 10, on(4, 12)),
            DisputeStatus::Ended {
                how: DisputeEnd::Redelivered,
                on: on(4, 11),
                owed: m("30000")
            }
        );
        let open = DisputeFacts {
            redelivered_on: None,
            ..facts.clone()
        };
        assert_eq!(dispute_status(&open, 10, on(12, 31)), DisputeStatus::Open);
        let reduced = DisputeFacts {
            ended: Some((DisputeEnd::Reduced, on(5, 2), m("25000"))),
            ..facts
        };
        assert_eq!(
            dispute_status(&reduced, 10, on(5, 3)),
            DisputeStatus::Ended {
                how: DisputeEnd::Reduced,
                on: on(5, 2),
                owed: m("25000")
            }
        );
    }

    #[test]
    fn r_pay_10_reductions_and_decisions_are_checked() {
        assert!(check_reduction(m("30000"), m("5000"), "双方协商").is_ok());
        assert_eq!(
            fields(&check_reduction(m("30000"), m("30000.01"), "").unwrap_err()),
            ["reduction", "explanation"]
        );
        assert_eq!(
            fields(&check_reduction(m("30000"), Money::ZERO, "x").unwrap_err()),
            ["reduction"]
        );
        assert!(check_decision(
            m("30000"),
            m("0"),
            on(5, 1),
            on(4, 1),
            "(2026)京0105民初1号",
            on(5, 2)
        )
        .is_ok());
        assert_eq!(
            fields(
                &check_decision(m("30000"), m("30001"), on(5, 3), on(4, 1), " ", on(5, 2))
                    .unwrap_err()
            ),
            ["owed", "decided_on", "reference"]
        );
    }

    #[test]
    fn r_pay_10_payments_pay_the_oldest_obligation_first_and_each_bears_its_interest() {
        let paid = |mo, dd, a: &str| Payment {
            paid_on: on(mo, dd),
            amount: m(a),
        };
        let split = allocate_payments(
            &[m("70000"), m("30000")],
            &[paid(5, 1, "80000"), paid(4, 1, "20000")],
        );
        assert_eq!(split[0], vec![paid(4, 1, "20000"), paid(5, 1, "50000")]);
        assert_eq!(split[1], vec![paid(5, 1, "30000")]);
        // The undisputed 70,000 was due 04-24 and paid in full on 05-01: 50,000 × 7 days ×
        // 0.0005 = 175.00; the disputed part, due later, is not late.
        let interest = late_interest(
            m("70000"),
            on(4, 24),
            &split[0],
            LateInterestTerms::Statutory,
            on(6, 1),
        );
        assert_eq!(interest.unwrap(), m("175.00"));
        assert_eq!(
            combined_status(&[
                PayableStatus::PaidLate { days_late: 7 },
                PayableStatus::NotYetDue { days_left: 3 }
            ]),
            Some(PayableStatus::NotYetDue { days_left: 3 })
        );
        assert_eq!(
            combined_status(&[
                PayableStatus::PaidOnTime,
                PayableStatus::Overdue { days_overdue: 2 }
            ]),
            Some(PayableStatus::Overdue { days_overdue: 2 })
        );
        assert_eq!(combined_status(&[]), None);
    }
}
