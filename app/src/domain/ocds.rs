//! Open Contracting Data Standard 1.1: what happened in a procurement process, as releases (one
//! per public event) and as a record (the releases compiled into the latest state).
//!
//! Releases are derived from facts that do not change once they happened (a publication, a
//! clarification, the opening, an award, a signing, an amendment, an acceptance, a payment), so a
//! release's id always names the same content. The contract as signed is rebuilt by undoing the
//! amendments recorded since, newest first.
//!
//! R-BID-01: nothing here reads a bid. The only bid figures are the opening's counts, and a
//! process has an opening only after its deadline; the award names the winner only.
//!
//! Amounts are `rust_decimal` end to end: an [`Amount`] is written into the JSON as its exact
//! decimal text, never through a binary float.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::sme::SizeClass;

mod amended;
mod award_01;

use amended::terms_of;
pub use amended::{AmendedTerms, TermsFacts};
pub use award_01::{award_01_milestones, day_end};

/// OCDS version written into packages.
pub const OCDS_VERSION: &str = "1.1";
/// Extensions whose fields fairtender fills (lots, bid statistics, party scale).
pub const EXTENSIONS: &[&str] = &[
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyScale_extension/v1.1.5/extension.json",
];
pub const CURRENCY: &str = "CNY";
/// The identifier scheme written for unified social credit codes (统一社会信用代码).
pub const CREDIT_CODE_SCHEME: &str = "CN-USCC";

/// The ocid of a tender: the publisher's prefix, then the tender's id.
pub fn ocid(prefix: &str, tender: Uuid) -> String {
    format!("{prefix}-{tender}")
}

/// The tender id inside an ocid with this prefix, if it is one of ours.
pub fn tender_of_ocid(prefix: &str, ocid: &str) -> Option<Uuid> {
    ocid.strip_prefix(prefix)?.strip_prefix('-')?.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Merging (OCDS 1.1 merge rules): a later value replaces an earlier one, objects merge field by
// field, arrays of objects with an `id` merge item by item, other arrays are replaced whole.
// ---------------------------------------------------------------------------------------------

pub trait Merge {
    fn merge(&mut self, later: Self);
}

macro_rules! replace_on_merge {
    ($($t:ty),*) => {$(
        impl Merge for $t {
            fn merge(&mut self, later: Self) {
                *self = later;
            }
        }
    )*};
}
replace_on_merge!(String, i64, DateTime<Utc>, Amount, Codes);

impl<T: Merge> Merge for Option<T> {
    fn merge(&mut self, later: Self) {
        match (self.as_mut(), later) {
            (Some(earlier), Some(later)) => earlier.merge(later),
            (None, Some(later)) => *self = Some(later),
            (_, None) => {}
        }
    }
}

/// An object with an `id`, merged with the item of the same id in an earlier array.
pub trait Keyed {
    fn key(&self) -> Option<&str>;
}

impl<T: Merge + Keyed> Merge for Vec<T> {
    fn merge(&mut self, later: Self) {
        for item in later {
            let found = item
                .key()
                .and_then(|k| self.iter().position(|e| e.key() == Some(k)));
            match found {
                Some(i) => self[i].merge(item),
                None => self.push(item),
            }
        }
    }
}

/// An OCDS object: every field optional (absent fields are not written) and merged by name.
macro_rules! ocds_object {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? } $(keyed $key:ident)?) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$fm])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }

        impl Merge for $name {
            fn merge(&mut self, later: Self) {
                $( self.$field.merge(later.$field); )*
            }
        }

        $(
            impl Keyed for $name {
                fn key(&self) -> Option<&str> {
                    self.$key.as_deref()
                }
            }
        )?
    };
}

/// An amount of money, written as an exact JSON number (its decimal text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount(pub Decimal);

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.0.normalize().to_string();
        serde_json::value::RawValue::from_string(text)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// A list of codes (tags, roles): replaced whole by a later release.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Codes(pub Vec<String>);

impl Codes {
    fn of(codes: &[&str]) -> Codes {
        Codes(codes.iter().map(|c| c.to_string()).collect())
    }
}

ocds_object!(
    /// One release: the facts of one event in one process.
    Release {
        ocid: String,
        id: String,
        date: DateTime<Utc>,
        tag: Codes,
        initiation_type: String,
        language: String,
        parties: Vec<Party>,
        buyer: OrganizationReference,
        tender: Tender,
        awards: Vec<Award>,
        contracts: Vec<Contract>,
        bids: Bids,
        /// A re-tender points at the process whose lots failed (R-SME-05, R-BID-04).
        related_processes: Vec<RelatedProcess>,
    }
);

ocds_object!(
    /// `relationship` from the open relatedProcess codelist: `unsuccessfulProcess` for the
    /// failed process a re-tender replaces; `scheme` `ocid`.
    RelatedProcess {
        id: String,
        relationship: Codes,
        title: String,
        scheme: String,
        identifier: String,
    } keyed id
);

ocds_object!(
    Party {
        id: String,
        name: String,
        identifier: Identifier,
        roles: Codes,
        details: PartyDetails,
    } keyed id
);

ocds_object!(Identifier {
    scheme: String,
    id: String,
    legal_name: String,
});

ocds_object!(
    /// partyScale extension: `micro`, `sme` or `large`.
    PartyDetails { scale: String }
);

ocds_object!(
    OrganizationReference { id: String, name: String } keyed id
);

ocds_object!(Value {
    amount: Amount,
    currency: String
});

ocds_object!(Period {
    start_date: DateTime<Utc>,
    end_date: DateTime<Utc>,
});

ocds_object!(
    Tender {
        id: String,
        title: String,
        description: String,
        status: String,
        /// Why the tender was cancelled.
        status_details: String,
        procuring_entity: OrganizationReference,
        value: Value,
        procurement_method: String,
        procurement_method_details: String,
        main_procurement_category: String,
        award_criteria: String,
        submission_method: Codes,
        tender_period: Period,
        number_of_tenderers: i64,
        lots: Vec<Lot>,
        amendments: Vec<Amendment>,
    }
);

ocds_object!(
    /// lots extension.
    Lot {
        id: String,
        title: String,
        status: String,
        value: Value,
    } keyed id
);

ocds_object!(
    Amendment {
        id: String,
        date: DateTime<Utc>,
        rationale: String,
        description: String,
    } keyed id
);

ocds_object!(
    /// bids extension: statistics only (R-BID-01: never a bid itself).
    Bids { statistics: Vec<Statistic> }
);

ocds_object!(
    Statistic {
        id: String,
        measure: String,
        value: i64,
        date: DateTime<Utc>,
        related_lot: String,
    } keyed id
);

ocds_object!(
    Award {
        id: String,
        title: String,
        status: String,
        date: DateTime<Utc>,
        value: Value,
        suppliers: Vec<OrganizationReference>,
        related_lots: Codes,
    } keyed id
);

ocds_object!(
    Contract {
        id: String,
        #[serde(rename = "awardID")]
        award_id: String,
        title: String,
        status: String,
        value: Value,
        date_signed: DateTime<Utc>,
        amendments: Vec<Amendment>,
        implementation: Implementation,
        /// R-AWARD-01: the signature's and the publication's deadlines and when each was met
        /// ([`award_01_milestones`]).
        milestones: Vec<Milestone>,
    } keyed id
);

ocds_object!(Implementation {
    milestones: Vec<Milestone>,
    transactions: Vec<Transaction>,
});

ocds_object!(
    Milestone {
        id: String,
        title: String,
        #[serde(rename = "type")]
        kind: String,
        code: String,
        description: String,
        status: String,
        /// The planned day, as the start of that day in China; a deadline (R-AWARD-01), as the
        /// end of its last day.
        due_date: String,
        date_met: DateTime<Utc>,
    } keyed id
);

ocds_object!(
    Transaction {
        id: String,
        /// The day paid, as the start of that day in China.
        date: String,
        value: Value,
        payer: OrganizationReference,
        payee: OrganizationReference,
    } keyed id
);

// ---------------------------------------------------------------------------------------------
// The facts a process's releases are made of (loaded by services::ocds).
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Org {
    pub id: Uuid,
    pub name: String,
    pub credit_code: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Process {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    /// Stored names (`goods`, `open_tender`, `comprehensive_scoring` ...).
    pub category: String,
    pub method: String,
    pub evaluation_method: String,
    pub budget: Decimal,
    pub published_at: DateTime<Utc>,
    /// The deadline now (after every clarification that moved it).
    pub deadline: DateTime<Utc>,
    pub cancelled: Option<(DateTime<Utc>, String)>,
    pub agency: Org,
    pub lots: Vec<LotFacts>,
    pub clarifications: Vec<ClarificationFacts>,
    pub opening: Option<OpeningFacts>,
    pub awards: Vec<AwardFacts>,
    pub contracts: Vec<ContractFacts>,
    /// R-SME-05, R-BID-04: the failed tender this one re-tenders (its id and title).
    pub retender_of: Option<(Uuid, String)>,
}

#[derive(Clone, Debug)]
pub struct LotFacts {
    pub id: Uuid,
    pub title: String,
    pub budget: Decimal,
}

#[derive(Clone, Debug)]
pub struct ClarificationFacts {
    pub id: Uuid,
    pub body: String,
    pub affects_bids: bool,
    pub deadline_before: DateTime<Utc>,
    pub deadline_after: DateTime<Utc>,
    pub published_at: DateTime<Utc>,
    /// R-TIME-02: a structured amendment's terms before and after it, and what it changed;
    /// `None` for a free-text clarification.
    pub amended: Option<AmendedTerms>,
}

#[derive(Clone, Debug)]
pub struct OpeningFacts {
    pub opened_at: DateTime<Utc>,
    /// Firms with at least one counted bid.
    pub tenderers: usize,
    pub lots: Vec<LotOpeningFacts>,
}

#[derive(Clone, Debug)]
pub struct LotOpeningFacts {
    pub lot_id: Uuid,
    pub bids: usize,
    pub sme_bids: usize,
    /// R-BID-04: fewer than 3 valid bids (not opened ones), or R-SME-05: a reserved lot with
    /// fewer than 3 qualified SME bids; either way the lot ends unsuccessful.
    pub failed: bool,
}

#[derive(Clone, Debug)]
pub struct AwardFacts {
    pub lot_id: Uuid,
    pub supplier: Org,
    /// From the SME declaration that went with the winning bid (R-SME-04).
    pub size_class: Option<SizeClass>,
    pub price: Decimal,
    pub decided_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct ContractFacts {
    pub id: Uuid,
    pub lot_id: Uuid,
    pub supplier: Org,
    pub value: Decimal,
    pub signed_at: DateTime<Utc>,
    /// R-AWARD-01: the award's day in China (the 30 days to sign run from it), the last day to
    /// publish (2 working days after signing, counted as set at the signing) and when the
    /// contract was published.
    pub awarded_on: NaiveDate,
    pub publish_by: NaiveDate,
    pub published_at: Option<DateTime<Utc>>,
    /// As they stand now.
    pub milestones: Vec<MilestoneFacts>,
    pub amendments: Vec<AmendmentFacts>,
    pub payments: Vec<PaymentFacts>,
}

#[derive(Clone, Debug)]
pub struct MilestoneFacts {
    pub id: Uuid,
    pub deliverable: String,
    pub planned_on: NaiveDate,
    pub accepted_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub struct AmendmentFacts {
    pub id: Uuid,
    pub version: i32,
    pub reason: String,
    pub summary: String,
    pub amended_at: DateTime<Utc>,
    /// What changed, as data; empty for amendments recorded before that was kept.
    pub milestones: Vec<MilestoneChange>,
}

#[derive(Clone, Debug)]
pub struct MilestoneChange {
    pub id: Uuid,
    pub deliverable_before: String,
    pub deliverable_after: String,
    pub planned_before: NaiveDate,
    pub planned_after: NaiveDate,
}

#[derive(Clone, Debug)]
pub struct PaymentFacts {
    pub id: Uuid,
    pub amount: Decimal,
    pub paid_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------------------------
// Building releases
// ---------------------------------------------------------------------------------------------

/// The suffix of each release id after the ocid, one per event; the feed lists events by these.
pub mod release_kind {
    pub const TENDER: &str = "tender";
    pub const CLARIFICATION: &str = "clarification";
    pub const CANCELLATION: &str = "cancellation";
    pub const OPENING: &str = "opening";
    pub const AWARD: &str = "award";
    pub const CONTRACT: &str = "contract";
    /// R-AWARD-01: the contract's publication (its milestone met, on time or late).
    pub const PUBLICATION: &str = "publication";
    pub const AMENDMENT: &str = "amendment";
    pub const MILESTONE: &str = "milestone";
    pub const PAYMENT: &str = "payment";
}

/// The order of events that share an instant (a contract signed, amended and paid in one
/// second still compiles in that order).
pub const KINDS_IN_ORDER: &[&str] = &[
    release_kind::TENDER,
    release_kind::CLARIFICATION,
    release_kind::CANCELLATION,
    release_kind::OPENING,
    release_kind::AWARD,
    release_kind::CONTRACT,
    release_kind::PUBLICATION,
    release_kind::AMENDMENT,
    release_kind::MILESTONE,
    release_kind::PAYMENT,
];

/// A kind's place in [`KINDS_IN_ORDER`] (unknown kinds last).
pub fn kind_rank(kind: &str) -> usize {
    KINDS_IN_ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KINDS_IN_ORDER.len())
}

/// The kind of event a release id names.
fn kind_of<'a>(ocid: &str, release_id: &'a str) -> &'a str {
    let rest = release_id
        .strip_prefix(ocid)
        .and_then(|r| r.strip_prefix('-'))
        .unwrap_or(release_id);
    rest.split('-').next().unwrap_or(rest)
}

/// A release id: the ocid, the kind of event and (for repeated events) the row it came from.
pub fn release_id(ocid: &str, kind: &str, row: Option<Uuid>) -> String {
    match row {
        Some(row) => format!("{ocid}-{kind}-{row}"),
        None => format!("{ocid}-{kind}"),
    }
}

fn value(amount: Decimal) -> Option<Value> {
    Some(Value {
        amount: Some(Amount(amount)),
        currency: Some(CURRENCY.into()),
    })
}

fn org_ref(org: &Org) -> OrganizationReference {
    OrganizationReference {
        id: Some(org.id.to_string()),
        name: Some(org.name.clone()),
    }
}

fn party(org: &Org, roles: &[&str], scale: Option<SizeClass>) -> Party {
    Party {
        id: Some(org.id.to_string()),
        name: Some(org.name.clone()),
        identifier: org.credit_code.as_ref().map(|code| Identifier {
            scheme: Some(CREDIT_CODE_SCHEME.into()),
            id: Some(code.clone()),
            legal_name: Some(org.name.clone()),
        }),
        roles: Some(Codes::of(roles)),
        details: scale.map(|s| PartyDetails {
            scale: Some(party_scale(s).into()),
        }),
    }
}

/// partyScale codes: micro firms are `micro`, small and medium ones `sme`.
pub fn party_scale(size: SizeClass) -> &'static str {
    match size {
        SizeClass::Micro => "micro",
        SizeClass::Small | SizeClass::Medium => "sme",
        SizeClass::Large => "large",
    }
}

fn procurement_method(method: &str) -> &'static str {
    match method {
        "open_tender" => "open",
        // Competitive consultation and negotiation, requests for quotation: the agency invites
        // qualified suppliers.
        _ => "selective",
    }
}

fn award_criteria(evaluation_method: &str) -> &'static str {
    match evaluation_method {
        "lowest_evaluated_price" => "priceOnly",
        _ => "ratedCriteria",
    }
}

/// A day as a date-time: the start of that day in China (UTC+8).
pub fn day_start(day: NaiveDate) -> String {
    format!("{day}T00:00:00+08:00")
}

/// Every release of a process, oldest first (ties by id, so the order is stable).
pub fn releases(p: &Process, prefix: &str) -> Vec<Release> {
    releases_where(p, prefix, &|_, _| true)
}

/// Which releases to build: the kind and, for repeated events, the row (as in [`release_id`]).
pub type Wanted<'a> = &'a dyn Fn(&str, Option<Uuid>) -> bool;

/// The releases of a process that `wanted` names, as [`releases`] builds them (the feed needs a
/// few releases of each of many processes: building only those is most of its work saved).
pub fn releases_where(p: &Process, prefix: &str, wanted: Wanted) -> Vec<Release> {
    use release_kind::*;
    let ocid = ocid(prefix, p.id);
    let tender_id = Some(p.id.to_string());
    let base = |kind: &str, row: Option<Uuid>, date: DateTime<Utc>, tag: &str| Release {
        ocid: Some(ocid.clone()),
        id: Some(release_id(&ocid, kind, row)),
        date: Some(date),
        tag: Some(Codes::of(&[tag])),
        initiation_type: Some("tender".into()),
        language: Some("zh".into()),
        ..Release::default()
    };
    let mut out = Vec::new();

    // The tender as published: the deadline before any clarification moved it.
    let mut clarifications = p.clarifications.clone();
    clarifications.sort_by_key(|c| (c.published_at, c.id));
    // The first clarification or amendment found the deadline as published.
    let first_deadline = clarifications
        .first()
        .map(|c| c.deadline_before)
        .unwrap_or(p.deadline);
    // The terms as published: those before the first structured amendment, if any (R-TIME-02).
    let current = TermsFacts {
        title: p.title.clone(),
        description: p.description.clone(),
        budget: p.budget,
        evaluation_method: p.evaluation_method.clone(),
        lots: p.lots.iter().map(|l| (l.title.clone(), l.budget)).collect(),
    };
    let published = clarifications
        .iter()
        .find_map(|c| c.amended.as_ref())
        .map_or(&current, |a| &a.before);
    let tender_release = wanted(TENDER, None).then(|| Release {
        parties: Some(vec![party(&p.agency, &["buyer", "procuringEntity"], None)]),
        buyer: Some(org_ref(&p.agency)),
        tender: Some(Tender {
            id: tender_id.clone(),
            status: Some("active".into()),
            procuring_entity: Some(org_ref(&p.agency)),
            procurement_method: Some(procurement_method(&p.method).into()),
            procurement_method_details: Some(p.method.clone()),
            main_procurement_category: Some(p.category.clone()),
            submission_method: Some(Codes::of(&["electronicSubmission"])),
            tender_period: Some(Period {
                start_date: Some(p.published_at),
                end_date: Some(first_deadline),
            }),
            ..terms_of(p, published)
        }),
        related_processes: p.retender_of.as_ref().map(|(of, title)| {
            vec![RelatedProcess {
                id: Some("retender-of".into()),
                relationship: Some(Codes::of(&["unsuccessfulProcess"])),
                title: Some(title.clone()),
                scheme: Some("ocid".into()),
                identifier: Some(crate::domain::ocds::ocid(prefix, *of)),
            }]
        }),
        ..base(TENDER, None, p.published_at, "tender")
    });
    out.extend(tender_release);

    for c in clarifications
        .iter()
        .filter(|c| wanted(CLARIFICATION, Some(c.id)))
    {
        let tag = if c.affects_bids {
            "tenderAmendment"
        } else {
            "tenderUpdate"
        };
        // R-TIME-02: a structured amendment carries the terms as it left them, and says what
        // it changed.
        let terms = c.amended.as_ref().map(|a| terms_of(p, &a.after));
        let rationale = match (&c.amended, c.affects_bids) {
            (Some(a), _) => format!(
                "更正 / Amendment: {}{}",
                a.changes.join("; "),
                if c.affects_bids {
                    " (影响投标 / affects bids, R-TIME-02)"
                } else {
                    ""
                }
            ),
            (None, true) => {
                "澄清或修改影响投标，截止时间顺延 / A change that affects bids: the deadline moved"
                    .into()
            }
            (None, false) => "澄清 / Clarification".into(),
        };
        out.push(Release {
            tender: Some(Tender {
                id: tender_id.clone(),
                tender_period: (c.affects_bids || c.deadline_after != c.deadline_before).then(
                    || Period {
                        end_date: Some(c.deadline_after),
                        ..Period::default()
                    },
                ),
                amendments: Some(vec![Amendment {
                    id: Some(c.id.to_string()),
                    date: Some(c.published_at),
                    rationale: Some(rationale),
                    description: Some(c.body.clone()),
                }]),
                ..terms.unwrap_or_default()
            }),
            ..base(CLARIFICATION, Some(c.id), c.published_at, tag)
        });
    }

    if let Some((at, reason)) = p.cancelled.as_ref().filter(|_| wanted(CANCELLATION, None)) {
        out.push(Release {
            tender: Some(Tender {
                id: tender_id.clone(),
                status: Some("cancelled".into()),
                status_details: Some(reason.clone()),
                lots: Some(
                    p.lots
                        .iter()
                        .map(|l| Lot {
                            id: Some(l.id.to_string()),
                            status: Some("cancelled".into()),
                            ..Lot::default()
                        })
                        .collect(),
                ),
                ..Tender::default()
            }),
            ..base(CANCELLATION, None, *at, "tenderCancellation")
        });
    }

    // R-BID-01: bid figures only from the opening, which happens after the deadline.
    if let Some(o) = p.opening.as_ref().filter(|_| wanted(OPENING, None)) {
        let mut statistics = Vec::new();
        for l in &o.lots {
            for (measure, n) in [("bids", l.bids), ("smeBids", l.sme_bids)] {
                statistics.push(Statistic {
                    id: Some(format!("{}-{measure}", l.lot_id)),
                    measure: Some(measure.into()),
                    value: Some(n as i64),
                    date: Some(o.opened_at),
                    related_lot: Some(l.lot_id.to_string()),
                });
            }
        }
        out.push(Release {
            tender: Some(Tender {
                id: tender_id.clone(),
                status: Some("complete".into()),
                number_of_tenderers: Some(o.tenderers as i64),
                lots: Some(
                    o.lots
                        .iter()
                        .filter(|l| l.failed)
                        .map(|l| Lot {
                            id: Some(l.lot_id.to_string()),
                            status: Some("unsuccessful".into()),
                            ..Lot::default()
                        })
                        .collect(),
                ),
                ..Tender::default()
            }),
            bids: Some(Bids {
                statistics: Some(statistics),
            }),
            ..base(OPENING, None, o.opened_at, "tenderUpdate")
        });
    }

    let lot_title = |lot: Uuid| p.lots.iter().find(|l| l.id == lot).map(|l| l.title.clone());
    for a in p.awards.iter().filter(|a| wanted(AWARD, Some(a.lot_id))) {
        out.push(Release {
            parties: Some(vec![party(&a.supplier, &["supplier"], a.size_class)]),
            tender: Some(Tender {
                id: tender_id.clone(),
                lots: Some(vec![Lot {
                    id: Some(a.lot_id.to_string()),
                    status: Some("complete".into()),
                    ..Lot::default()
                }]),
                ..Tender::default()
            }),
            awards: Some(vec![Award {
                id: Some(a.lot_id.to_string()),
                title: lot_title(a.lot_id),
                status: Some("active".into()),
                date: Some(a.decided_at),
                value: value(a.price),
                suppliers: Some(vec![org_ref(&a.supplier)]),
                related_lots: Some(Codes(vec![a.lot_id.to_string()])),
            }]),
            ..base(AWARD, Some(a.lot_id), a.decided_at, "award")
        });
    }

    for c in &p.contracts {
        contract_releases(p, c, &ocid, &lot_title, wanted, &mut out);
    }

    let order = |r: &Release| {
        let id = r.id.as_deref().unwrap_or_default();
        (r.date, kind_rank(kind_of(&ocid, id)), id.to_string())
    };
    out.sort_by_key(order);
    out
}

fn contract_releases(
    p: &Process,
    c: &ContractFacts,
    ocid: &str,
    lot_title: &dyn Fn(Uuid) -> Option<String>,
    wanted: Wanted,
    out: &mut Vec<Release>,
) {
    use release_kind::*;
    let base = |kind: &str, row: Uuid, date: DateTime<Utc>, tag: &str| Release {
        ocid: Some(ocid.to_string()),
        id: Some(release_id(ocid, kind, Some(row))),
        date: Some(date),
        tag: Some(Codes::of(&[tag])),
        initiation_type: Some("tender".into()),
        language: Some("zh".into()),
        ..Release::default()
    };
    // Every contract object names its award (the schema requires it in each release).
    let contract = |rest: Contract| Contract {
        id: Some(c.id.to_string()),
        award_id: Some(c.lot_id.to_string()),
        ..rest
    };
    let implementation = |milestones: Option<Vec<Milestone>>, transactions| {
        Some(Implementation {
            milestones,
            transactions,
        })
    };

    // The contract as signed: undo the amendments, newest first.
    let signed_release = wanted(CONTRACT, Some(c.id));
    let mut amendments = c.amendments.clone();
    amendments.sort_by_key(|a| (a.version, a.id));
    let mut signed: BTreeMap<Uuid, (String, NaiveDate)> = c
        .milestones
        .iter()
        .map(|m| (m.id, (m.deliverable.clone(), m.planned_on)))
        .collect();
    for a in amendments.iter().rev() {
        for ch in &a.milestones {
            if let Some(m) = signed.get_mut(&ch.id) {
                *m = (ch.deliverable_before.clone(), ch.planned_before);
            }
        }
    }
    out.extend(signed_release.then(|| Release {
        contracts: Some(vec![contract(Contract {
            title: lot_title(c.lot_id),
            status: Some("active".into()),
            value: value(c.value),
            date_signed: Some(c.signed_at),
            // R-AWARD-01: signed on time or marked late; publication still to come.
            milestones: Some(award_01_milestones(c, None)),
            implementation: implementation(
                Some(
                    c.milestones
                        .iter()
                        .map(|m| {
                            let (title, planned) = &signed[&m.id];
                            Milestone {
                                id: Some(m.id.to_string()),
                                title: Some(title.clone()),
                                kind: Some("delivery".into()),
                                status: Some("scheduled".into()),
                                due_date: Some(day_start(*planned)),
                                ..Milestone::default()
                            }
                        })
                        .collect(),
                ),
                None,
            ),
            ..Contract::default()
        })]),
        ..base(CONTRACT, c.id, c.signed_at, "contract")
    }));

    // R-AWARD-01: the publication, on time or marked late, is an event of its own.
    if let Some(at) = c.published_at.filter(|_| wanted(PUBLICATION, Some(c.id))) {
        let publication = award_01_milestones(c, Some(at)).pop();
        out.push(Release {
            contracts: Some(vec![contract(Contract {
                milestones: publication.map(|m| vec![m]),
                ..Contract::default()
            })]),
            ..base(PUBLICATION, c.id, at, "contractUpdate")
        });
    }

    for a in amendments.iter().filter(|a| wanted(AMENDMENT, Some(a.id))) {
        let changed: Vec<Milestone> = a
            .milestones
            .iter()
            .map(|ch| Milestone {
                id: Some(ch.id.to_string()),
                title: Some(ch.deliverable_after.clone()),
                due_date: Some(day_start(ch.planned_after)),
                ..Milestone::default()
            })
            .collect();
        out.push(Release {
            contracts: Some(vec![contract(Contract {
                amendments: Some(vec![Amendment {
                    id: Some(a.id.to_string()),
                    date: Some(a.amended_at),
                    rationale: Some(a.reason.clone()),
                    description: Some(a.summary.clone()),
                }]),
                implementation: (!changed.is_empty())
                    .then(|| implementation(Some(changed), None))
                    .flatten(),
                ..Contract::default()
            })]),
            ..base(AMENDMENT, a.id, a.amended_at, "contractAmendment")
        });
    }

    for m in c
        .milestones
        .iter()
        .filter(|m| wanted(MILESTONE, Some(m.id)))
    {
        let Some(at) = m.accepted_at else { continue };
        out.push(Release {
            contracts: Some(vec![contract(Contract {
                implementation: implementation(
                    Some(vec![Milestone {
                        id: Some(m.id.to_string()),
                        status: Some("met".into()),
                        date_met: Some(at),
                        ..Milestone::default()
                    }]),
                    None,
                ),
                ..Contract::default()
            })]),
            ..base(MILESTONE, m.id, at, "implementation")
        });
    }

    for pay in c.payments.iter().filter(|p| wanted(PAYMENT, Some(p.id))) {
        out.push(Release {
            contracts: Some(vec![contract(Contract {
                implementation: implementation(
                    None,
                    Some(vec![Transaction {
                        id: Some(pay.id.to_string()),
                        date: Some(day_start(pay.paid_on)),
                        value: value(pay.amount),
                        payer: Some(org_ref(&p.agency)),
                        payee: Some(org_ref(&c.supplier)),
                    }]),
                ),
                ..Contract::default()
            })]),
            ..base(PAYMENT, pay.id, pay.recorded_at, "implementation")
        });
    }
}

/// The releases of one process compiled into its current state (OCDS merge rules), tagged
/// `compiled`, dated by the newest release.
pub fn compile(releases: &[Release]) -> Option<Release> {
    let mut compiled = releases.first()?.clone();
    for r in &releases[1..] {
        compiled.merge(r.clone());
    }
    let ocid = compiled.ocid.clone().unwrap_or_default();
    compiled.id = Some(format!("{ocid}-compiled"));
    compiled.tag = Some(Codes::of(&["compiled"]));
    compiled.date = releases.iter().filter_map(|r| r.date).max();
    Some(compiled)
}

/// A record: the process's releases, embedded, and the compiled release.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub ocid: String,
    pub releases: Vec<Release>,
    pub compiled_release: Release,
}

pub fn record(p: &Process, prefix: &str) -> Record {
    let releases = releases(p, prefix);
    let compiled_release = compile(&releases).unwrap_or_default();
    Record {
        ocid: ocid(prefix, p.id),
        releases,
        compiled_release,
    }
}

/// Who publishes, and under which licence: the package metadata.
#[derive(Clone, Debug, Serialize)]
pub struct Publisher {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

/// Issue #35: the audit log's latest signed checkpoint, in the package metadata, so that every
/// copy of the open data also keeps a copy of where the log stood (a field of this publisher's
/// own; `uri` lists them all).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditCheckpointRef {
    pub uri: String,
    pub entry_count: i64,
    pub head_hash: String,
    pub made_at: DateTime<Utc>,
    /// Ed25519, base64url.
    pub signature: String,
    pub public_key: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePackage<'a> {
    pub uri: String,
    pub version: &'static str,
    pub extensions: &'static [&'static str],
    pub published_date: DateTime<Utc>,
    pub publisher: Publisher,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_checkpoint: Option<AuditCheckpointRef>,
    pub releases: &'a [Release],
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordPackage<'a> {
    pub uri: String,
    pub version: &'static str,
    pub extensions: &'static [&'static str],
    pub published_date: DateTime<Utc>,
    pub publisher: Publisher,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_checkpoint: Option<AuditCheckpointRef>,
    pub records: &'a [Record],
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::str::FromStr;

    pub(super) fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, h, 0, 0).unwrap()
    }
    pub(super) fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }
    pub(super) fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    pub(super) fn org(n: u128, name: &str) -> Org {
        Org {
            id: id(n),
            name: name.into(),
            credit_code: Some("91350100M000100Y43".into()),
        }
    }

    pub(super) fn process() -> Process {
        Process {
            id: id(1),
            title: "办公设备".into(),
            description: "采购".into(),
            category: "goods".into(),
            method: "open_tender".into(),
            evaluation_method: "comprehensive_scoring".into(),
            budget: d("1000000.00"),
            published_at: at(1),
            deadline: at(9),
            cancelled: None,
            agency: org(2, "市财政局"),
            lots: vec![LotFacts {
                id: id(3),
                title: "包1".into(),
                budget: d("1000000.00"),
            }],
            clarifications: vec![],
            opening: None,
            awards: vec![],
            contracts: vec![],
            retender_of: None,
        }
    }

    pub(super) fn awarded() -> Process {
        let mut p = process();
        p.clarifications.push(ClarificationFacts {
            id: id(4),
            body: "延期".into(),
            affects_bids: true,
            deadline_before: at(5),
            deadline_after: at(9),
            published_at: at(2),
            amended: None,
        });
        p.opening = Some(OpeningFacts {
            opened_at: at(10),
            tenderers: 3,
            lots: vec![LotOpeningFacts {
                lot_id: id(3),
                bids: 3,
                sme_bids: 2,
                failed: false,
            }],
        });
        p.awards.push(AwardFacts {
            lot_id: id(3),
            supplier: org(5, "小溪科技"),
            size_class: Some(SizeClass::Small),
            price: d("950000.10"),
            decided_at: at(11),
        });
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        p.contracts.push(ContractFacts {
            id: id(6),
            lot_id: id(3),
            supplier: org(5, "小溪科技"),
            value: d("950000.10"),
            signed_at: at(12),
            awarded_on: day("2027-03-01"),
            publish_by: day("2027-03-03"),
            published_at: None,
            milestones: vec![MilestoneFacts {
                id: id(7),
                deliverable: "交付（修改后）".into(),
                planned_on: day("2027-06-30"),
                accepted_at: Some(at(15)),
            }],
            amendments: vec![AmendmentFacts {
                id: id(8),
                version: 2,
                reason: "工期调整".into(),
                summary: "节点 1".into(),
                amended_at: at(13),
                milestones: vec![MilestoneChange {
                    id: id(7),
                    deliverable_before: "交付".into(),
                    deliverable_after: "交付（修改后）".into(),
                    planned_before: day("2027-05-31"),
                    planned_after: day("2027-06-30"),
                }],
            }],
            payments: vec![PaymentFacts {
                id: id(9),
                amount: d("950000.10"),
                paid_on: day("2027-07-10"),
                recorded_at: at(16),
            }],
        });
        p
    }

    pub(super) fn json(r: &impl Serialize) -> String {
        serde_json::to_string(r).unwrap()
    }

    #[test]
    fn r_bid_01_no_bid_figures_before_the_opening() {
        let p = process();
        let all: String = releases(&p, "ocds-test").iter().map(json).collect();
        assert!(!all.contains("bids"), "{all}");
        assert!(!all.contains("numberOfTenderers"), "{all}");
        assert!(json(&record(&awarded(), "ocds-test")).contains("\"smeBids\""));
    }

    #[test]
    fn r_sme_05_a_re_tender_points_at_the_unsuccessful_process_it_replaces() {
        let plain = json(&record(&process(), "ocds-test"));
        assert!(!plain.contains("relatedProcesses"), "{plain}");
        let mut p = process();
        p.retender_of = Some((id(7), "办公设备（原）".into()));
        let r = record(&p, "ocds-test");
        let compiled = serde_json::to_value(&r.compiled_release).unwrap();
        assert_eq!(
            compiled["relatedProcesses"],
            serde_json::json!([{
                "id": "retender-of",
                "relationship": ["unsuccessfulProcess"],
                "title": "办公设备（原）",
                "scheme": "ocid",
                "identifier": format!("ocds-test-{}", id(7)),
            }])
        );
    }

    #[test]
    fn amounts_are_written_exactly() {
        let r = record(&awarded(), "ocds-test");
        let text = json(&r.compiled_release);
        assert!(text.contains("\"amount\":950000.1,"), "{text}");
        assert!(text.contains("\"amount\":1000000,"), "{text}");
    }

    #[test]
    fn each_event_is_one_release_with_a_stable_id_in_date_order() {
        let p = awarded();
        let first = releases(&p, "ocds-test");
        let tags: Vec<String> = first
            .iter()
            .map(|r| r.tag.as_ref().unwrap().0.join(","))
            .collect();
        assert_eq!(
            tags,
            [
                "tender",
                "tenderAmendment",
                "tenderUpdate",
                "award",
                "contract",
                "contractAmendment",
                "implementation",
                "implementation"
            ]
        );
        assert_eq!(
            first[0].id.as_deref(),
            Some("ocds-test-00000000-0000-0000-0000-000000000001-tender")
        );
        assert_eq!(json(&first), json(&releases(&p, "ocds-test")));
    }

    #[test]
    fn the_releases_asked_for_are_built_exactly_as_among_all() {
        let mut p = awarded();
        p.cancelled = Some((at(23), "预算取消".into()));
        let all = releases(&p, "ocds-test");
        assert!(all.len() >= 8);
        let ocid = ocid("ocds-test", p.id);
        // Every other release, named as the feed names them (kind and row).
        let picked: Vec<&Release> = all.iter().step_by(2).collect();
        let names: Vec<(String, Option<Uuid>)> = picked
            .iter()
            .map(|r| {
                let id = r.id.clone().unwrap();
                let kind = kind_of(&ocid, &id).to_string();
                let row = id
                    .strip_prefix(&format!("{ocid}-{kind}-"))
                    .map(|row| row.parse().unwrap());
                (kind, row)
            })
            .collect();
        let some = releases_where(&p, "ocds-test", &|kind, row| {
            names.iter().any(|(k, r)| k == kind && *r == row)
        });
        assert_eq!(some.len(), picked.len());
        for (built, expected) in some.iter().zip(&picked) {
            assert_eq!(json(built), json(*expected));
        }
        assert!(releases_where(&p, "ocds-test", &|_, _| false).is_empty());
    }

    #[test]
    fn events_in_the_same_instant_compile_in_the_order_they_happen() {
        let mut p = awarded();
        // Signed, amended, accepted and paid in one instant.
        let c = &mut p.contracts[0];
        c.signed_at = at(12);
        c.amendments[0].amended_at = at(12);
        c.milestones[0].accepted_at = Some(at(12));
        c.payments[0].recorded_at = at(12);
        let r = releases(&p, "ocds-test");
        let tags: Vec<&str> = r[4..]
            .iter()
            .map(|r| r.tag.as_ref().unwrap().0[0].as_str())
            .collect();
        assert_eq!(
            tags,
            [
                "contract",
                "contractAmendment",
                "implementation",
                "implementation"
            ]
        );
        let compiled = compile(&r).unwrap();
        let m = &compiled.contracts.unwrap()[0]
            .implementation
            .clone()
            .unwrap()
            .milestones
            .unwrap()[0];
        assert_eq!(m.title.as_deref(), Some("交付（修改后）"));
        assert_eq!(m.status.as_deref(), Some("met"));
    }

    #[test]
    fn the_tender_release_keeps_the_deadline_as_published() {
        let r = releases(&awarded(), "ocds-test");
        let period = r[0]
            .tender
            .as_ref()
            .unwrap()
            .tender_period
            .as_ref()
            .unwrap();
        assert_eq!(period.end_date, Some(at(5)));
        let compiled = compile(&r).unwrap();
        let period = compiled.tender.unwrap().tender_period.unwrap();
        assert_eq!(
            (period.start_date, period.end_date),
            (Some(at(1)), Some(at(9)))
        );
    }

    #[test]
    fn the_contract_release_is_the_contract_as_signed_and_the_record_as_amended() {
        let r = releases(&awarded(), "ocds-test");
        let signed = &r[4].contracts.as_ref().unwrap()[0];
        let m = &signed
            .implementation
            .as_ref()
            .unwrap()
            .milestones
            .as_ref()
            .unwrap()[0];
        assert_eq!(m.title.as_deref(), Some("交付"));
        assert_eq!(m.due_date.as_deref(), Some("2027-05-31T00:00:00+08:00"));
        let compiled = compile(&r).unwrap();
        let c = &compiled.contracts.unwrap()[0];
        let imp = c.implementation.as_ref().unwrap();
        let m = &imp.milestones.as_ref().unwrap()[0];
        assert_eq!(m.title.as_deref(), Some("交付（修改后）"));
        assert_eq!(m.due_date.as_deref(), Some("2027-06-30T00:00:00+08:00"));
        assert_eq!(m.status.as_deref(), Some("met"));
        assert_eq!(m.kind.as_deref(), Some("delivery"));
        assert_eq!(imp.transactions.as_ref().unwrap().len(), 1);
        assert_eq!(c.amendments.as_ref().unwrap().len(), 1);
    }

    #[test]
    fn compiling_merges_objects_with_ids_and_keeps_the_latest_values() {
        let compiled = compile(&releases(&awarded(), "ocds-test")).unwrap();
        assert_eq!(compiled.tag, Some(Codes::of(&["compiled"])));
        assert_eq!(compiled.date, Some(at(16)));
        let t = compiled.tender.unwrap();
        assert_eq!(t.status.as_deref(), Some("complete"));
        let lot = &t.lots.unwrap()[0];
        assert_eq!(
            (lot.status.as_deref(), lot.title.as_deref()),
            (Some("complete"), Some("包1"))
        );
        let parties = compiled.parties.unwrap();
        assert_eq!(parties.len(), 2);
        let supplier = &parties[1];
        assert_eq!(
            supplier.details.as_ref().unwrap().scale.as_deref(),
            Some("sme")
        );
    }

    #[test]
    fn cancellation_closes_the_tender_and_its_lots() {
        let mut p = process();
        p.cancelled = Some((at(3), "需求变更".into()));
        let compiled = compile(&releases(&p, "x")).unwrap();
        let t = compiled.tender.unwrap();
        assert_eq!(t.status.as_deref(), Some("cancelled"));
        assert_eq!(t.status_details.as_deref(), Some("需求变更"));
        assert_eq!(t.lots.unwrap()[0].status.as_deref(), Some("cancelled"));
    }

    #[test]
    fn ocids_round_trip_with_their_prefix_only() {
        let o = ocid("ocds-abc123", id(42));
        assert_eq!(tender_of_ocid("ocds-abc123", &o), Some(id(42)));
        assert_eq!(tender_of_ocid("ocds-other", &o), None);
        assert_eq!(tender_of_ocid("ocds-abc123", "ocds-abc123-nonsense"), None);
    }

    #[test]
    fn party_scale_codes() {
        assert_eq!(party_scale(SizeClass::Micro), "micro");
        assert_eq!(party_scale(SizeClass::Small), "sme");
        assert_eq!(party_scale(SizeClass::Medium), "sme");
        assert_eq!(party_scale(SizeClass::Large), "large");
    }
}
