//! R-TIME-02 in OCDS: a structured amendment's terms. The tender release keeps the terms as
//! published (those before the first structured amendment); each amendment release carries the
//! terms it left, and says what it changed.

use rust_decimal::Decimal;

use super::{award_criteria, value, Lot, Process, Tender};

#[derive(Clone, Debug)]
pub struct AmendedTerms {
    pub before: TermsFacts,
    pub after: TermsFacts,
    /// What changed, as the public notice says it (zh / en).
    pub changes: Vec<String>,
}

/// A tender's terms as OCDS shows them; lots by position (their ids are the process's lots').
#[derive(Clone, Debug)]
pub struct TermsFacts {
    pub title: String,
    pub description: String,
    pub budget: Decimal,
    pub evaluation_method: String,
    /// Each lot's title and budget ceiling, in order.
    pub lots: Vec<(String, Decimal)>,
}

/// The tender fields a structured amendment can change (R-TIME-02): title, description, value,
/// award criteria and the lots, from `terms`. A lot an amendment added is named by the process's
/// lot at its position.
pub(super) fn terms_of(p: &Process, terms: &TermsFacts) -> Tender {
    Tender {
        title: Some(terms.title.clone()),
        description: Some(terms.description.clone()),
        value: value(terms.budget),
        award_criteria: Some(award_criteria(&terms.evaluation_method).into()),
        lots: Some(
            terms
                .lots
                .iter()
                .zip(&p.lots)
                .map(|((title, budget), l)| Lot {
                    id: Some(l.id.to_string()),
                    title: Some(title.clone()),
                    status: Some("active".into()),
                    value: value(*budget),
                })
                .collect(),
        ),
        ..Tender::default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, d, id, json, process};
    use super::super::*;

    #[test]
    fn r_time_02_the_tender_release_keeps_the_terms_as_published_and_each_amendment_its_own() {
        let mut p = process();
        let terms = |budget: &str, ceiling: &str| TermsFacts {
            title: p.title.clone(),
            description: p.description.clone(),
            budget: d(budget),
            evaluation_method: p.evaluation_method.clone(),
            lots: vec![("运维".into(), d(ceiling))],
        };
        let amended = AmendedTerms {
            before: terms("1000000", "1000000"),
            after: terms("900000", "900000"),
            changes: vec!["预算金额 / the budget".into()],
        };
        // The process's facts are the terms now, after the amendment.
        p.budget = d("900000");
        p.lots[0].budget = d("900000");
        p.clarifications.push(ClarificationFacts {
            id: id(4),
            body: "预算调整".into(),
            affects_bids: true,
            deadline_before: at(5),
            deadline_after: at(9),
            published_at: at(2),
            amended: Some(amended),
        });
        let r = releases(&p, "ocds-test");
        let tender = r[0].tender.as_ref().unwrap();
        assert_eq!(
            json(&tender.value),
            json(&value(d("1000000"))),
            "as published"
        );
        assert_eq!(tender.tender_period.as_ref().unwrap().end_date, Some(at(5)));
        let amendment = r[1].tender.as_ref().unwrap();
        assert_eq!(r[1].tag.as_ref().unwrap().0, ["tenderAmendment"]);
        assert_eq!(json(&amendment.value), json(&value(d("900000"))));
        let lots = amendment.lots.as_ref().unwrap();
        assert_eq!(json(&lots[0].value), json(&value(d("900000"))));
        let rationale = amendment.amendments.as_ref().unwrap()[0]
            .rationale
            .clone()
            .unwrap();
        assert!(
            rationale.contains("the budget") && rationale.contains("R-TIME-02"),
            "{rationale}"
        );
        let compiled = compile(&r).unwrap();
        assert_eq!(
            json(&compiled.tender.unwrap().value),
            json(&value(d("900000")))
        );
    }
}
