//! R-AWARD-01 in OCDS: the contract's signing and publication deadlines as
//! `contracts[].milestones`, a late act marked with by how many days.

use chrono::{DateTime, NaiveDate, Utc};

use super::{ContractFacts, Milestone};

/// A last day as a date-time: the end of that day in China (UTC+8); an act met at or before it
/// is on time.
pub fn day_end(day: NaiveDate) -> String {
    format!("{day}T23:59:59+08:00")
}

/// R-AWARD-01 in OCDS: the contract's two deadlines as `contracts[].milestones` (the standard's
/// place for a contract's events; no extension needed): `contractSigning` (type `approval`, due
/// at the end of the 30th day after the award, GPL Art. 46) and `contractPublication` (type
/// `reporting`, due at the end of the 2nd working day after signing, IR Art. 50). `dateMet`
/// after `dueDate` marks the act late, and its `description` says so and by how many days
/// (calendar days past the last day, as `domain::payment::ActTimeliness` counts them); a late
/// act is published like any other. `published`: the publication as met, `None` while the
/// contract is unpublished (status `scheduled`).
pub fn award_01_milestones(c: &ContractFacts, published: Option<DateTime<Utc>>) -> Vec<Milestone> {
    use crate::domain::payment::{publication_timeliness, signing_timeliness, ActTimeliness};
    let china = |at: DateTime<Utc>| crate::domain::china_day(at);
    let sign_by = crate::domain::payment::signing_deadline(c.awarded_on);
    let described = |act: ActTimeliness, zh_done: &str, en_done: &str, last: NaiveDate| {
        match act.days_late() {
            Some(days) => format!(
                "逾期{zh_done}：晚于期限（{last}）{days} 天 / {en_done} late: {days} days after its last day ({last}) (R-AWARD-01)"
            ),
            None => format!(
                "按期{zh_done} / {en_done} on time, by {last} (R-AWARD-01)"
            ),
        }
    };
    let signing = signing_timeliness(c.awarded_on, china(c.signed_at));
    let mut out = vec![Milestone {
        id: Some(format!("{}-signing", c.id)),
        title: Some(
            "合同签订（中标后 30 日内） / Contract signed (within 30 days of the award)".into(),
        ),
        kind: Some("approval".into()),
        code: Some("contractSigning".into()),
        description: Some(described(signing, "签订", "Signed", sign_by)),
        status: Some("met".into()),
        due_date: Some(day_end(sign_by)),
        date_met: Some(c.signed_at),
    }];
    let mut publication = Milestone {
        id: Some(format!("{}-publication", c.id)),
        title: Some(
            "合同公开（签订后 2 个工作日内） / Contract published (within 2 working days of signing)"
                .into(),
        ),
        kind: Some("reporting".into()),
        code: Some("contractPublication".into()),
        status: Some("scheduled".into()),
        due_date: Some(day_end(c.publish_by)),
        ..Milestone::default()
    };
    if let Some(at) = published {
        let act = publication_timeliness(c.publish_by, Some(china(at)), china(at));
        publication.status = Some("met".into());
        publication.date_met = Some(at);
        publication.description = Some(described(act, "公开", "Published", c.publish_by));
    }
    out.push(publication);
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, awarded, json};
    use super::super::*;
    use chrono::TimeZone;

    #[test]
    fn r_award_01_a_late_signature_and_publication_are_marked_in_the_contract_milestones() {
        let mut p = awarded();
        let c = &mut p.contracts[0];
        // Awarded 1 December 2026: sign by 31 December; signed 1 March 2027, 60 days late.
        c.awarded_on = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        // Published 5 March 2027 (10:00 UTC), 2 days after its last day, 3 March.
        let published = Utc.with_ymd_and_hms(2027, 3, 5, 10, 0, 0).unwrap();
        c.published_at = Some(published);
        let r = releases(&p, "ocds-test");
        let signed = r
            .iter()
            .find(|r| r.tag.as_ref().unwrap().0 == ["contract"])
            .unwrap();
        let ms = signed.contracts.as_ref().unwrap()[0]
            .milestones
            .clone()
            .unwrap();
        assert_eq!(ms[0].code.as_deref(), Some("contractSigning"));
        assert_eq!(ms[0].due_date.as_deref(), Some("2026-12-31T23:59:59+08:00"));
        assert_eq!(ms[0].date_met, Some(at(12)));
        assert!(
            ms[0]
                .description
                .as_deref()
                .unwrap()
                .contains("60 days after"),
            "{:?}",
            ms[0].description
        );
        assert_eq!(ms[1].code.as_deref(), Some("contractPublication"));
        assert_eq!(ms[1].status.as_deref(), Some("scheduled"));
        assert_eq!(ms[1].date_met, None);
        // The publication is a release of its own, at its time, with the mark.
        let publication = r
            .iter()
            .find(|r| {
                r.id.as_deref()
                    .is_some_and(|id| id.contains("-publication-"))
            })
            .unwrap();
        assert_eq!(publication.date, Some(published));
        assert_eq!(publication.tag.as_ref().unwrap().0, ["contractUpdate"]);
        let m = &publication.contracts.as_ref().unwrap()[0]
            .milestones
            .as_ref()
            .unwrap()[0];
        assert_eq!(m.status.as_deref(), Some("met"));
        assert_eq!(m.date_met, Some(published));
        assert!(
            m.description.as_deref().unwrap().contains("逾期公开"),
            "{m:?}"
        );
        assert!(
            m.description.as_deref().unwrap().contains("2 days after"),
            "{m:?}"
        );
        // Compiled: the publication milestone met, the signing one kept.
        let compiled = compile(&r).unwrap();
        let ms = compiled.contracts.unwrap()[0].milestones.clone().unwrap();
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[1].status.as_deref(), Some("met"));
        // On time: said so.
        let mut p = awarded();
        p.contracts[0].published_at = Some(at(13));
        let r = releases(&p, "ocds-test");
        let text = json(&r);
        assert!(text.contains("按期签订"), "{text}");
        assert!(text.contains("按期公开"), "{text}");
        assert!(!text.contains("逾期"), "{text}");
    }
}
