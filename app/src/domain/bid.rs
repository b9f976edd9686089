//! A bid as the supplier types it (strings, so a refused form shows again as typed) and its
//! check against the tender's lots at submission: prices (R-BID-03), SME reservation
//! (R-SME-01), answers picked from the supplier's own capability records.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::payment::SecurityForm;
use crate::domain::sme::{SizeClass, SmeDeclaration};
use crate::domain::sme_share::{
    check_demand, parse_partners, shares, Partner, PartnerForm, ShareDemand,
};
use crate::domain::{text_field, Money};
use crate::error::FieldError;
use crate::i18n::Text;

/// The most characters in a technical proposal.
pub const MAX_PROPOSAL_CHARS: usize = 20_000;

/// The most documents one bid carries.
pub const MAX_BID_DOCUMENTS: u64 = 10;

/// A document that goes with a bid: what the receipt's digest covers of it (its SHA-256), and
/// what the bidder and, after the opening, the evaluators see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidDocumentRef {
    pub id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
}

/// One lot of the bid form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LotOfferForm {
    /// A checkbox: present ("on") when the supplier bids on this lot.
    pub include: Option<String>,
    pub price: String,
    /// For each of the lot's criteria, in order: the id of the capability record that answers
    /// it, or empty.
    pub answers: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BidForm {
    pub lots: Vec<LotOfferForm>,
    /// The technical proposal (scored criteria are judged on it).
    pub proposal: String,
    /// R-SME-02, R-SME-03: the consortium members and subcontractors, with their SME
    /// declarations and shares (blank rows are skipped). The shares are computed from them.
    pub partners: Vec<PartnerForm>,
    /// R-SEC-01: the `SecurityForm` code of the form the bidder provides its bid security in,
    /// when the tender asks for one (a radio choice among the forms the tender accepts).
    pub bid_security_form: String,
}

/// What the form is checked against: the tender's lots, in order, and the bidder.
#[derive(Clone, Debug)]
pub struct BidTerms {
    pub lots: Vec<LotTerms>,
    /// The bidder's latest SME declaration says it is an SME.
    pub is_sme: bool,
    /// The size class of the bidder's latest declaration; `None` without one.
    pub size_class: Option<SizeClass>,
    /// The bidder's 统一社会信用代码: it is not its own partner.
    pub own_credit_code: Option<String>,
    /// The bidder's current capability records.
    pub own_records: Vec<Uuid>,
    /// R-SEC-01: the forms the tender accepts for its bid security; `None` when it asks for
    /// none.
    pub bid_security_forms: Option<Vec<SecurityForm>>,
}

#[derive(Clone, Debug)]
pub struct LotTerms {
    pub title: String,
    /// R-BID-03: the lot's budget ceiling.
    pub ceiling: Money,
    /// Reserved for SMEs, by the lot or the whole tender (R-SME-01).
    pub reserved: bool,
    /// Reserved for small and micro firms only (R-SME-02's 60%).
    pub small_micro_only: bool,
    /// R-SME-02: the SME share a bid on this non-reserved lot must give.
    pub share_demand: Option<ShareDemand>,
    pub criteria: usize,
}

/// One lot of a checked bid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotOffer {
    /// The lot's position in the tender (0-based).
    pub lot: usize,
    pub price: Money,
    /// The capability record answering each criterion, in order.
    pub answers: Vec<Option<Uuid>>,
}

/// The bid as submitted: what is sealed, digested and signed for the receipt. Serialised to
/// JSON with its fields in this order, which makes that JSON canonical.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidContent {
    pub tender_id: Uuid,
    pub supplier_id: Uuid,
    pub supplier_name: String,
    pub lots: Vec<LotOffer>,
    pub proposal: String,
    /// R-SME-03: % performed by small and micro partners, computed from `partners`.
    pub subcontract_share: Option<Decimal>,
    /// R-SME-02: the consortium members and subcontractors; left out of the JSON when none,
    /// so that a bid from before keeps its digest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    /// R-SME-04: the declaration attached automatically, with its size class.
    pub sme_declaration: Option<DeclarationSnapshot>,
    /// The documents attached when it was submitted.
    #[serde(default)]
    pub documents: Vec<BidDocumentRef>,
    /// R-SEC-01: the form of the bid security the bidder chose; left out of the JSON when
    /// none, so that a bid from before keeps its digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bid_security_form: Option<SecurityForm>,
    pub submitted_at: DateTime<Utc>,
    /// R-BID-01, issue #35: 32 random bytes (hex) sealed with the content, so that the stored
    /// digest cannot be recomputed from a guessed price and the other columns. Absent in bids
    /// submitted before (their JSON and digest stay as they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationSnapshot {
    pub version: i32,
    pub size_class: SizeClass,
    pub declaration: SmeDeclaration,
    pub declared_at: DateTime<Utc>,
}

/// The checked parts of a bid form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedBid {
    pub lots: Vec<LotOffer>,
    pub proposal: String,
    /// R-SME-03: % performed by small and micro partners; `None` when none.
    pub subcontract_share: Option<Decimal>,
    pub partners: Vec<Partner>,
    pub bid_security_form: Option<SecurityForm>,
}

impl BidForm {
    /// Checks every field against the tender and reports every problem at once.
    pub fn check(&self, terms: &BidTerms) -> Result<CheckedBid, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut lots = Vec::new();
        for (i, form) in self.lots.iter().enumerate() {
            if form.include.is_none() {
                continue;
            }
            let Some(lot) = terms.lots.get(i) else {
                errors.push(FieldError::new(
                    format!("lots[{i}]"),
                    Text::new("该项目没有这个采购包。", "This tender has no such lot."),
                ));
                continue;
            };
            // R-SME-02: a lot reserved for small and micro firms takes bids only from them.
            if lot.small_micro_only && !terms.size_class.is_some_and(SizeClass::is_small_or_micro) {
                errors.push(FieldError::new(
                    format!("lots[{i}]"),
                    Text::new(
                        format!(
                            "「{}」专门面向小微企业（R-SME-02）：按您的中小企业声明函，贵公司不是小型或微型企业。",
                            lot.title
                        ),
                        format!(
                            "\"{}\" is reserved for small and micro firms (R-SME-02): by your SME declaration your firm is neither.",
                            lot.title
                        ),
                    ),
                ));
            }
            // R-SME-01: a lot reserved for SMEs takes bids only from SMEs.
            else if lot.reserved && !terms.is_sme {
                errors.push(FieldError::new(
                    format!("lots[{i}]"),
                    Text::new(
                        format!(
                            "「{}」专门面向中小企业（R-SME-01）：请先在“我的账户”提交中小企业声明函。",
                            lot.title
                        ),
                        format!(
                            "\"{}\" is reserved for SMEs (R-SME-01): make an SME declaration on your account page first.",
                            lot.title
                        ),
                    ),
                ));
            }
            let field = format!("lots[{i}].price");
            match Money::parse(&form.price) {
                Err(e) => errors.push(FieldError::new(field, e.text())),
                Ok(p) if p == Money::ZERO => errors.push(FieldError::new(
                    field,
                    Text::new("报价必须大于 0。", "The price must be more than 0."),
                )),
                // R-BID-03: a bid above the lot's ceiling is invalid; refused at submission.
                Ok(p) if p > lot.ceiling => errors.push(FieldError::new(
                    field,
                    Text::new(
                        format!(
                            "报价超过本包最高限价 {}（R-BID-03）。",
                            lot.ceiling.format_cny()
                        ),
                        format!(
                            "The price is above this lot's ceiling of {} (R-BID-03).",
                            lot.ceiling.format_cny()
                        ),
                    ),
                )),
                Ok(price) => {
                    let answers = check_answers(i, &form.answers, lot, terms, &mut errors);
                    lots.push(LotOffer {
                        lot: i,
                        price,
                        answers,
                    });
                }
            }
        }
        if lots.is_empty() && errors.is_empty() {
            errors.push(FieldError::new(
                "lots",
                Text::new(
                    "请至少选择一个采购包并填写报价。",
                    "Choose at least one lot and give its price.",
                ),
            ));
        }
        let proposal = text_field(
            &self.proposal,
            "proposal",
            MAX_PROPOSAL_CHARS,
            false,
            &mut errors,
        )
        .unwrap_or_default();
        // R-SME-02, R-SME-03: the partners and the shares they give, computed, never typed.
        let partners = parse_partners(
            &self.partners,
            terms.own_credit_code.as_deref(),
            &mut errors,
        );
        let shares = shares(&partners, terms.size_class);
        for offer in &lots {
            let Some(lot) = terms.lots.get(offer.lot) else {
                continue;
            };
            if let Some(message) = lot
                .share_demand
                .as_ref()
                .and_then(|demand| check_demand(demand, &shares, &lot.title))
            {
                errors.push(FieldError::new("partners", message));
            }
        }
        let subcontract_share =
            (shares.partners_small_micro > Decimal::ZERO).then_some(shares.partners_small_micro);
        // R-SEC-01: the supplier chooses the form of its bid security among those the tender
        // accepts (a guarantee among them, never cash only: R-PAY-08).
        let bid_security_form = match &terms.bid_security_forms {
            None => None,
            Some(accepted) => {
                crate::domain::bid_security::check_chosen_form(accepted, &self.bid_security_form)
                    .map_err(|message| errors.push(FieldError::new("bid_security_form", message)))
                    .ok()
            }
        };
        if errors.is_empty() {
            Ok(CheckedBid {
                lots,
                proposal,
                subcontract_share,
                partners,
                bid_security_form,
            })
        } else {
            Err(errors)
        }
    }
}

fn check_answers(
    lot_index: usize,
    answers: &[String],
    lot: &LotTerms,
    terms: &BidTerms,
    errors: &mut Vec<FieldError>,
) -> Vec<Option<Uuid>> {
    let mut out = vec![None; lot.criteria];
    for (j, answer) in answers.iter().enumerate() {
        let answer = answer.trim();
        if answer.is_empty() {
            continue;
        }
        let field = format!("lots[{lot_index}].answers[{j}]");
        if j >= lot.criteria {
            errors.push(FieldError::new(
                field,
                Text::new(
                    format!(
                        "「{}」没有第 {} 项要求：答复只能针对本包的要求。",
                        lot.title,
                        j + 1
                    ),
                    format!(
                        "\"{}\" has no requirement {}: answer only this lot's requirements.",
                        lot.title,
                        j + 1
                    ),
                ),
            ));
            continue;
        }
        match answer.parse::<Uuid>() {
            Ok(id) if terms.own_records.contains(&id) => out[j] = Some(id),
            _ => errors.push(FieldError::new(
                field,
                Text::new(
                    "请从本单位的资质与能力记录中选择。",
                    "Pick one of your organisation's capability records.",
                ),
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(is_sme: bool, records: Vec<Uuid>) -> BidTerms {
        BidTerms {
            lots: vec![
                LotTerms {
                    title: "Lot A".into(),
                    ceiling: Money::parse("100000").unwrap(),
                    reserved: false,
                    small_micro_only: false,
                    share_demand: None,
                    criteria: 2,
                },
                LotTerms {
                    title: "Lot B".into(),
                    ceiling: Money::parse("50000").unwrap(),
                    reserved: true,
                    small_micro_only: false,
                    share_demand: None,
                    criteria: 1,
                },
            ],
            is_sme,
            size_class: is_sme.then_some(SizeClass::Medium),
            own_credit_code: None,
            own_records: records,
            bid_security_forms: None,
        }
    }

    fn offer(price: &str, answers: &[&str]) -> LotOfferForm {
        LotOfferForm {
            include: Some("on".into()),
            price: price.into(),
            answers: answers.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn fields(e: Vec<FieldError>) -> Vec<String> {
        e.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_sound_bid_keeps_prices_and_picked_records() {
        let record = Uuid::now_v7();
        let form = BidForm {
            lots: vec![offer("99,999.99", &["", &record.to_string()])],
            proposal: "  Our plan  ".into(),
            ..Default::default()
        };
        let bid = form.check(&terms(false, vec![record])).unwrap();
        assert_eq!(bid.lots.len(), 1);
        assert_eq!(bid.lots[0].price, Money::parse("99999.99").unwrap());
        assert_eq!(bid.lots[0].answers, vec![None, Some(record)]);
        assert_eq!(bid.proposal, "Our plan");
    }

    #[test]
    fn r_bid_03_a_price_above_the_ceiling_is_refused_naming_the_ceiling() {
        let form = BidForm {
            lots: vec![offer("100000.01", &[])],
            ..Default::default()
        };
        let e = form.check(&terms(false, vec![])).unwrap_err();
        assert_eq!(e[0].field, "lots[0].price");
        assert!(
            e[0].message.en.contains("¥100,000.00"),
            "{:?}",
            e[0].message
        );
        assert!(e[0].message.en.contains("R-BID-03"));
        // At the ceiling itself it is fine.
        let form = BidForm {
            lots: vec![offer("100000", &[])],
            ..Default::default()
        };
        assert!(form.check(&terms(false, vec![])).is_ok());
    }

    #[test]
    fn bad_prices_are_refused_on_their_field() {
        for price in ["1.234", "-5", "0", "", "abc"] {
            let form = BidForm {
                lots: vec![offer(price, &[])],
                ..Default::default()
            };
            let e = form.check(&terms(false, vec![])).unwrap_err();
            assert_eq!(fields(e), vec!["lots[0].price"], "{price}");
        }
    }

    #[test]
    fn r_sme_01_a_reserved_lot_refuses_a_bidder_without_an_sme_declaration() {
        let form = BidForm {
            lots: vec![LotOfferForm::default(), offer("100", &[])],
            ..Default::default()
        };
        let e = form.check(&terms(false, vec![])).unwrap_err();
        assert_eq!(fields(e.clone()), vec!["lots[1]"]);
        assert!(e[0].message.en.contains("R-SME-01"));
        assert!(form.check(&terms(true, vec![])).is_ok());
    }

    #[test]
    fn answers_must_be_own_records_for_this_lots_criteria() {
        let mine = Uuid::now_v7();
        let theirs = Uuid::now_v7();
        let form = BidForm {
            lots: vec![offer("10", &[&theirs.to_string(), "", &mine.to_string()])],
            ..Default::default()
        };
        let e = form.check(&terms(false, vec![mine])).unwrap_err();
        // The first is another organisation's record; the third answers a criterion lot A
        // does not have.
        assert_eq!(fields(e), vec!["lots[0].answers[0]", "lots[0].answers[2]"]);
    }

    #[test]
    fn an_empty_bid_and_a_bad_share_are_refused() {
        let e = BidForm::default().check(&terms(true, vec![])).unwrap_err();
        assert_eq!(fields(e), vec!["lots"]);
        let form = BidForm {
            lots: vec![offer("10", &[])],
            partners: vec![PartnerForm {
                share: "130".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let e = form.check(&terms(true, vec![])).unwrap_err();
        assert!(fields(e).contains(&"partners[0].share".to_string()));
    }

    /// A software firm of `headcount` people (20: small; 150 with 20,000,000 revenue: medium).
    fn partner(headcount: &str, code: &str, share: &str) -> PartnerForm {
        PartnerForm {
            role: "subcontractor".into(),
            name: "示范分包有限公司".into(),
            credit_code: crate::domain::credit_code::CreditCode::complete(code)
                .unwrap()
                .as_str()
                .to_string(),
            share: share.into(),
            industry: "software_and_it".into(),
            headcount: headcount.into(),
            annual_revenue: if headcount == "150" {
                "20000000".into()
            } else {
                "3000000".into()
            },
            total_assets: "1000000".into(),
        }
    }

    #[test]
    fn r_sme_02_a_lot_asking_an_sme_share_refuses_a_bid_below_it() {
        let mut t = terms(false, vec![]);
        t.lots[0].share_demand = ShareDemand::of(Decimal::from(30), Decimal::from(60));
        t.size_class = Some(SizeClass::Large);
        let mut form = BidForm {
            lots: vec![offer("10", &[])],
            ..Default::default()
        };
        // A large bidder alone gives SMEs nothing.
        let e = form.check(&t).unwrap_err();
        assert_eq!(fields(e.clone()), vec!["partners"]);
        assert!(e[0].message.en.contains("R-SME-02"), "{:?}", e[0].message);
        // A small subcontractor with 29.99%: still short.
        form.partners = vec![partner("20", "91330100MA2B3C4D5", "29.99")];
        assert_eq!(fields(form.check(&t).unwrap_err()), vec!["partners"]);
        // 30% to a small firm: 30% for SMEs, all of it small: enough, and R-SME-03's share is
        // computed from it.
        form.partners[0].share = "30".into();
        let bid = form.check(&t).unwrap();
        assert_eq!(bid.subcontract_share, Some(Decimal::from(30)));
        assert_eq!(bid.partners.len(), 1);
        // 30% to a medium firm: SMEs get 30% but small and micro firms none.
        form.partners = vec![partner("150", "91330100MA2B3C4D5", "30")];
        assert_eq!(fields(form.check(&t).unwrap_err()), vec!["partners"]);
        // An SME bidder's own part counts: a small bidder alone meets it.
        t.size_class = Some(SizeClass::Small);
        t.is_sme = true;
        form.partners = vec![];
        assert!(form.check(&t).is_ok());
    }

    #[test]
    fn r_sme_02_a_lot_reserved_for_small_and_micro_firms_refuses_a_medium_firm() {
        let mut t = terms(true, vec![]);
        t.lots[1].small_micro_only = true;
        let form = BidForm {
            lots: vec![LotOfferForm::default(), offer("100", &[])],
            ..Default::default()
        };
        let e = form.check(&t).unwrap_err();
        assert_eq!(fields(e.clone()), vec!["lots[1]"]);
        assert!(e[0].message.en.contains("R-SME-02"));
        t.size_class = Some(SizeClass::Micro);
        assert!(form.check(&t).is_ok());
    }

    #[test]
    fn r_sec_01_the_bidder_chooses_the_form_of_its_bid_security() {
        let mut t = terms(false, vec![]);
        t.bid_security_forms = Some(vec![
            SecurityForm::BankGuarantee,
            SecurityForm::GuaranteeInsurance,
        ]);
        let mut form = BidForm {
            lots: vec![offer("10", &[])],
            ..Default::default()
        };
        // None chosen: the field says which forms the tender accepts.
        let e = form.check(&t).unwrap_err();
        assert_eq!(fields(e.clone()), vec!["bid_security_form"]);
        assert!(e[0].message.zh.contains("银行保函") && e[0].message.zh.contains("保证保险"));
        // Cash where the tender takes only guarantees: refused.
        form.bid_security_form = "cash".into();
        assert_eq!(
            fields(form.check(&t).unwrap_err()),
            vec!["bid_security_form"]
        );
        form.bid_security_form = "guarantee_insurance".into();
        assert_eq!(
            form.check(&t).unwrap().bid_security_form,
            Some(SecurityForm::GuaranteeInsurance)
        );
        // A tender without a bid security asks nothing.
        assert_eq!(
            form.check(&terms(false, vec![])).unwrap().bid_security_form,
            None
        );
    }
}
