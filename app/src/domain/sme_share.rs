//! R-SME-02 (and R-SME-03's consortium deduction): the share of a bid that SMEs, and of them
//! small and micro firms, perform, computed from the consortium members and subcontractors the
//! bid declares with their own SME declarations (R-SME-04: the four facts, the size class
//! computed from the SIZE table), never typed as a bare number.
//!
//! A tender that reserves its SME share through consortia or subcontracting asks each
//! non-reserved lot's bid for `required_sme_share` % performed by SMEs, and of the whole price
//! `required_sme_share` x `small_micro_share` % by small and micro firms (D46 Art. 8-9, D19). The
//! bidder's own part (what its partners do not perform) counts when the bidder itself is an SME:
//! an SME winning the lot outright gives SMEs all of it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::credit_code::CreditCode;
use crate::domain::draft::parse_percent;
use crate::domain::sme::{SizeClass, SmeDeclaration, SmeDeclarationForm};
use crate::domain::text_field;
use crate::error::FieldError;
use crate::i18n::{Lang, Text};

/// How many partner rows the bid form offers.
pub const PARTNER_SLOTS: usize = 3;

/// How a partner takes part in the bid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerRole {
    /// 联合体成员: bids jointly and is jointly liable.
    ConsortiumMember,
    /// 分包供应商: performs part of the contract for the bidder.
    Subcontractor,
}

impl PartnerRole {
    pub const ALL: &'static [PartnerRole] =
        &[PartnerRole::ConsortiumMember, PartnerRole::Subcontractor];

    pub fn as_str(self) -> &'static str {
        match self {
            PartnerRole::ConsortiumMember => "consortium_member",
            PartnerRole::Subcontractor => "subcontractor",
        }
    }

    pub fn parse(s: &str) -> Option<PartnerRole> {
        Self::ALL.iter().copied().find(|r| r.as_str() == s.trim())
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::ZhCn, PartnerRole::ConsortiumMember) => "联合体成员",
            (Lang::ZhCn, PartnerRole::Subcontractor) => "分包供应商",
            (Lang::En, PartnerRole::ConsortiumMember) => "consortium member",
            (Lang::En, PartnerRole::Subcontractor) => "subcontractor",
        }
    }
}

/// One partner row of the bid form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnerForm {
    pub role: String,
    pub name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// % of the bid's price this partner performs.
    pub share: String,
    pub industry: String,
    pub headcount: String,
    pub annual_revenue: String,
    pub total_assets: String,
}

impl PartnerForm {
    /// The row as the form shows a partner saved before.
    pub fn of(p: &Partner) -> PartnerForm {
        PartnerForm {
            role: p.role.as_str().to_string(),
            name: p.name.clone(),
            credit_code: p.credit_code.clone(),
            share: p.share.normalize().to_string(),
            industry: p.declaration.industry.as_str().to_string(),
            headcount: p.declaration.headcount.to_string(),
            annual_revenue: p.declaration.annual_revenue.amount().to_string(),
            total_assets: p.declaration.total_assets.amount().to_string(),
        }
    }

    fn is_blank(&self) -> bool {
        [
            &self.role,
            &self.name,
            &self.credit_code,
            &self.share,
            &self.industry,
            &self.headcount,
            &self.annual_revenue,
            &self.total_assets,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// A checked partner: sealed with the bid, shown with the award and carried by the contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub role: PartnerRole,
    pub name: String,
    pub credit_code: String,
    /// % of the bid's price it performs.
    pub share: Decimal,
    /// Computed from `declaration`, never declared (R-SME-04).
    pub size_class: SizeClass,
    pub declaration: SmeDeclaration,
}

/// What a non-reserved lot asks of a bid's SME share (R-SME-02), in % of the bid's price.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareDemand {
    /// Performed by SMEs (the bidder's own part counts when it is an SME).
    pub sme: Decimal,
    /// Performed by small and micro firms, part of `sme`.
    pub small_micro: Decimal,
}

impl ShareDemand {
    /// The demand of a tender asking `required_sme_share` % for SMEs of which
    /// `small_micro_share` % for small and micro firms; `None` when it asks for nothing.
    pub fn of(required_sme_share: Decimal, small_micro_share: Decimal) -> Option<ShareDemand> {
        (required_sme_share > Decimal::ZERO).then(|| ShareDemand {
            sme: required_sme_share.normalize(),
            small_micro: (required_sme_share * small_micro_share / Decimal::ONE_HUNDRED)
                .round_dp(2)
                .normalize(),
        })
    }
}

/// The shares a bid gives, in % of its price.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shares {
    /// Performed by SMEs, the bidder included when it is one.
    pub sme: Decimal,
    /// Performed by small and micro firms, the bidder included when it is one.
    pub small_micro: Decimal,
    /// Performed by small and micro partners alone: R-SME-03's consortium or subcontract share
    /// of a medium or large bidder.
    pub partners_small_micro: Decimal,
}

/// The shares of a bid by a bidder of size `bidder` (`None`: no declaration, counted as large)
/// with these partners.
pub fn shares(partners: &[Partner], bidder: Option<SizeClass>) -> Shares {
    let sum = |f: fn(SizeClass) -> bool| -> Decimal {
        partners
            .iter()
            .filter(|p| f(p.size_class))
            .map(|p| p.share)
            .sum()
    };
    let partners_total: Decimal = partners.iter().map(|p| p.share).sum();
    let own = (Decimal::ONE_HUNDRED - partners_total).max(Decimal::ZERO);
    let own_if = |f: fn(SizeClass) -> bool| {
        if bidder.is_some_and(f) {
            own
        } else {
            Decimal::ZERO
        }
    };
    let partners_small_micro = sum(SizeClass::is_small_or_micro);
    Shares {
        sme: (sum(SizeClass::is_sme) + own_if(SizeClass::is_sme)).normalize(),
        small_micro: (partners_small_micro + own_if(SizeClass::is_small_or_micro)).normalize(),
        partners_small_micro: partners_small_micro.normalize(),
    }
}

/// Checks the partner rows (blank rows are skipped) and reports every problem at once, under
/// `partners[i].<field>`. `own_credit_code` is the bidder's: it cannot be its own partner.
pub fn parse_partners(
    forms: &[PartnerForm],
    own_credit_code: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Vec<Partner> {
    let mut out = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    let start = errors.len();
    for (i, form) in forms.iter().enumerate() {
        if form.is_blank() {
            continue;
        }
        let field = |name: &str| format!("partners[{i}].{name}");
        let role = PartnerRole::parse(&form.role);
        if role.is_none() {
            errors.push(FieldError::new(
                field("role"),
                Text::new(
                    "请选择联合体成员或分包供应商。",
                    "Choose consortium member or subcontractor.",
                ),
            ));
        }
        let mut own = Vec::new();
        let name = text_field(&form.name, "name", 200, true, &mut own);
        errors.extend(
            own.into_iter()
                .map(|e| FieldError::new(field("name"), e.message)),
        );
        let code = match CreditCode::parse(&form.credit_code) {
            Ok(c) => {
                let c = c.as_str().to_string();
                if own_credit_code.is_some_and(|o| o.eq_ignore_ascii_case(&c)) {
                    errors.push(FieldError::new(
                        field("credit_code"),
                        Text::new(
                            "这是投标人自己的统一社会信用代码：投标人不能作为自己的联合体成员或分包供应商。",
                            "This is the bidder's own credit code: a bidder is not its own consortium member or subcontractor.",
                        ),
                    ));
                    None
                } else if codes.contains(&c) {
                    errors.push(FieldError::new(
                        field("credit_code"),
                        Text::new(
                            "同一家企业只填写一次，份额合并填写。",
                            "List each firm once, with its whole share.",
                        ),
                    ));
                    None
                } else {
                    codes.push(c.clone());
                    Some(c)
                }
            }
            Err(e) => {
                errors.push(FieldError::new(field("credit_code"), e.text()));
                None
            }
        };
        let share = match parse_percent(&form.share) {
            Ok(s) if s > Decimal::ZERO && s < Decimal::ONE_HUNDRED => Some(s),
            Ok(_) => {
                errors.push(FieldError::new(
                    field("share"),
                    Text::new(
                        "份额应大于 0 且小于 100。",
                        "A share is more than 0 and less than 100.",
                    ),
                ));
                None
            }
            Err(message) => {
                errors.push(FieldError::new(field("share"), message));
                None
            }
        };
        let declaration = SmeDeclarationForm {
            industry: form.industry.clone(),
            headcount: form.headcount.clone(),
            annual_revenue: form.annual_revenue.clone(),
            total_assets: form.total_assets.clone(),
        }
        .parse()
        .map_err(|es| {
            errors.extend(
                es.into_iter()
                    .map(|e| FieldError::new(field(&e.field), e.message)),
            )
        })
        .ok();
        if let (Some(role), Some(name), Some(credit_code), Some(share), Some(declaration)) =
            (role, name, code, share, declaration)
        {
            out.push(Partner {
                role,
                name,
                credit_code,
                share,
                size_class: declaration.size_class(),
                declaration,
            });
        }
    }
    let total: Decimal = out.iter().map(|p| p.share).sum();
    if errors.len() == start && total >= Decimal::ONE_HUNDRED {
        errors.push(FieldError::new(
            "partners",
            Text::new(
                format!("联合体成员和分包供应商的份额合计 {total}%：投标人自己须承担一部分（合计应小于 100%）。"),
                format!("The partners' shares add up to {total}%: the bidder performs part itself (they must add up to less than 100%)."),
            ),
        ));
    }
    out
}

/// R-SME-02: whether a bid with these shares meets a lot's demand; the message says what the
/// bid gives, what the lot asks and what to change.
pub fn check_demand(demand: &ShareDemand, shares: &Shares, lot_title: &str) -> Option<Text> {
    if shares.sme >= demand.sme && shares.small_micro >= demand.small_micro {
        return None;
    }
    Some(Text::new(
        format!(
            "「{lot_title}」要求中小企业承担至少 {}%，其中小微企业至少 {}%（R-SME-02）；本投标为 {}% 和 {}%。请在下方填写联合体成员或分包供应商及其中小企业声明和份额。",
            demand.sme, demand.small_micro, shares.sme, shares.small_micro
        ),
        format!(
            "\"{lot_title}\" requires at least {}% performed by SMEs, {}% by small and micro firms (R-SME-02); this bid gives {}% and {}%. Add consortium members or subcontractors below with their SME declarations and shares.",
            demand.sme, demand.small_micro, shares.sme, shares.small_micro
        ),
    ))
}

/// R-SME-02: what the winner undertakes, shown with the award notice and carried by the
/// contract: the lot's demand (when it asks a share), the shares its bid gives and the partners
/// that give them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmeObligation {
    pub demand: Option<ShareDemand>,
    pub shares: Shares,
    pub partners: Vec<Partner>,
}

impl SmeObligation {
    /// `None` when the lot asks nothing and the bid named no partner.
    pub fn of(
        partners: Vec<Partner>,
        bidder: Option<SizeClass>,
        demand: Option<ShareDemand>,
    ) -> Option<SmeObligation> {
        if partners.is_empty() && demand.is_none() {
            return None;
        }
        Some(SmeObligation {
            demand,
            shares: shares(&partners, bidder),
            partners,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sme::Industry;
    use crate::domain::Money;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn partner(class: SizeClass, share: &str) -> Partner {
        Partner {
            role: PartnerRole::Subcontractor,
            name: "x".into(),
            credit_code: "x".into(),
            share: d(share),
            size_class: class,
            declaration: SmeDeclaration {
                industry: Industry::SoftwareAndIt,
                headcount: 1,
                annual_revenue: Money::ZERO,
                total_assets: Money::ZERO,
            },
        }
    }

    #[test]
    fn r_sme_02_a_large_bidder_counts_only_its_sme_partners() {
        let p = [
            partner(SizeClass::Small, "20"),
            partner(SizeClass::Medium, "15"),
            partner(SizeClass::Large, "10"),
        ];
        let s = shares(&p, Some(SizeClass::Large));
        assert_eq!(
            (s.sme, s.small_micro, s.partners_small_micro),
            (d("35"), d("20"), d("20"))
        );
        // No declaration counts as large.
        assert_eq!(shares(&p, None), s);
    }

    #[test]
    fn r_sme_02_an_sme_bidder_counts_its_own_part() {
        let p = [partner(SizeClass::Large, "30")];
        let small = shares(&p, Some(SizeClass::Small));
        assert_eq!((small.sme, small.small_micro), (d("70"), d("70")));
        assert_eq!(small.partners_small_micro, Decimal::ZERO);
        let medium = shares(&[], Some(SizeClass::Medium));
        assert_eq!((medium.sme, medium.small_micro), (d("100"), Decimal::ZERO));
    }

    #[test]
    fn r_sme_02_demand_is_met_at_the_figure_not_below() {
        let demand = ShareDemand::of(d("30"), d("60")).unwrap();
        assert_eq!(demand.small_micro, d("18"));
        assert!(ShareDemand::of(Decimal::ZERO, d("60")).is_none());
        let ok = Shares {
            sme: d("30"),
            small_micro: d("18"),
            partners_small_micro: d("18"),
        };
        assert!(check_demand(&demand, &ok, "L").is_none());
        let short_small = Shares {
            small_micro: d("17.99"),
            ..ok
        };
        let message = check_demand(&demand, &short_small, "L").unwrap();
        assert!(message.en.contains("17.99%"), "{}", message.en);
        let short_sme = Shares {
            sme: d("29.99"),
            ..ok
        };
        assert!(check_demand(&demand, &short_sme, "L").is_some());
    }

    fn form(role: &str, code: &str, share: &str) -> PartnerForm {
        PartnerForm {
            role: role.into(),
            name: "示范分包有限公司".into(),
            credit_code: code.into(),
            share: share.into(),
            industry: "software_and_it".into(),
            headcount: "20".into(),
            annual_revenue: "3000000".into(),
            total_assets: "1000000".into(),
        }
    }

    #[test]
    fn r_sme_02_partner_rows_are_checked_field_by_field() {
        let code = CreditCode::complete("91330100MA2B3C4D5").unwrap();
        let code = code.as_str();
        let mut errors = Vec::new();
        let ok = parse_partners(
            &[form("subcontractor", code, "30"), PartnerForm::default()],
            None,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(ok.len(), 1);
        assert!(ok[0].size_class.is_sme());

        let mut errors = Vec::new();
        let bad = parse_partners(
            &[
                form("boss", "123", "100"),
                form("subcontractor", code, "abc"),
            ],
            None,
            &mut errors,
        );
        assert!(bad.is_empty());
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "partners[0].role",
            "partners[0].credit_code",
            "partners[0].share",
            "partners[1].share",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }

        // The bidder itself, twice the same firm, shares adding up to 100.
        let mut errors = Vec::new();
        parse_partners(
            &[form("subcontractor", code, "30")],
            Some(code),
            &mut errors,
        );
        assert_eq!(errors[0].field, "partners[0].credit_code");
        let mut errors = Vec::new();
        parse_partners(
            &[
                form("subcontractor", code, "30"),
                form("consortium_member", code, "30"),
            ],
            None,
            &mut errors,
        );
        assert_eq!(errors[0].field, "partners[1].credit_code");
        let other = CreditCode::complete("91330100MA2B3C4D6").unwrap();
        let mut errors = Vec::new();
        parse_partners(
            &[
                form("subcontractor", code, "60"),
                form("consortium_member", other.as_str(), "40"),
            ],
            None,
            &mut errors,
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "partners");
    }
}
