//! The days of the holidays that follow the moon or the sun (issue #34): the Spring Festival,
//! the Dragon Boat and Mid-Autumn festivals on the Chinese lunisolar calendar, Qingming on the
//! solar term 清明. Only the provisional calendar needs them: an official year lists its days.
//!
//! The computation is `tyme4rs` (6tail's Tyme, the maintained successor of lunar-java and
//! lunar-javascript): lunar months from astronomical new moons and solar terms from the sun's
//! longitude (寿星天文历), for years 1 to 9999. Its constructors panic on a day that does not
//! exist; every call here goes through the ones that return a `Result`.

use chrono::{Datelike, NaiveDate};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

/// The Gregorian days of one year's lunar and solar-term holidays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Festivals {
    /// 春节: lunar 1/1. The lunar New Year's Eve (除夕) is the day before.
    pub spring_festival: NaiveDate,
    /// 清明: the day of the solar term 清明 (4 or 5 April in this century).
    pub qingming: NaiveDate,
    /// 端午节: lunar 5/5.
    pub dragon_boat: NaiveDate,
    /// 中秋节: lunar 8/15.
    pub mid_autumn: NaiveDate,
}

/// The festivals of Gregorian `year` (lunar year `year` starts in its January or February, so
/// its 1/1, 5/5 and 8/15 all fall in `year`). `None` when the library refuses the year.
pub fn festivals(year: i32) -> Option<Festivals> {
    Some(Festivals {
        spring_festival: lunar(year, 1, 1)?,
        qingming: solar_term(year, "清明")?,
        dragon_boat: lunar(year, 5, 5)?,
        mid_autumn: lunar(year, 8, 15)?,
    })
}

/// Lunar `month`/`day` (an ordinary month, not a leap month) of lunar year `year`.
fn lunar(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let d = LunarDay::new(year as isize, isize::from(month), usize::from(day)).ok()?;
    gregorian(d.get_solar_day())
}

/// The civil day (China Standard Time) on which the solar term `name` of `year` falls.
fn solar_term(year: i32, name: &str) -> Option<NaiveDate> {
    let term = SolarTerm::new(year as isize, name).ok()?;
    let day = gregorian(term.get_solar_day())?;
    (day.year() == year).then_some(day)
}

fn gregorian(d: SolarDay) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(d.get_year()).ok()?,
        u32::try_from(d.get_month()).ok()?,
        u32::try_from(d.get_day()).ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn lunar_festivals_of_known_years() {
        // The State Council's notices (2025, 2026) and published lunar tables (2027).
        let f = |y| festivals(y).unwrap();
        assert_eq!(f(2025).spring_festival, day(2025, 1, 29));
        assert_eq!(f(2026).spring_festival, day(2026, 2, 17));
        assert_eq!(f(2027).spring_festival, day(2027, 2, 6));
        assert_eq!(f(2025).mid_autumn, day(2025, 10, 6));
        assert_eq!(f(2026).mid_autumn, day(2026, 9, 25));
        assert_eq!(f(2027).mid_autumn, day(2027, 9, 15));
        assert_eq!(f(2025).dragon_boat, day(2025, 5, 31));
        assert_eq!(f(2026).dragon_boat, day(2026, 6, 19));
        assert_eq!(f(2027).dragon_boat, day(2027, 6, 9));
        // Older and later years: 2000, and the far end of the supported range.
        assert_eq!(f(2000).spring_festival, day(2000, 2, 5));
        assert_eq!(f(2020).spring_festival, day(2020, 1, 25));
        assert_eq!(f(2023).spring_festival, day(2023, 1, 22));
        assert_eq!(f(2024).spring_festival, day(2024, 2, 10));
        assert_eq!(f(2023).mid_autumn, day(2023, 9, 29));
        assert_eq!(f(2020).mid_autumn, day(2020, 10, 1));
        assert_eq!(f(2100).spring_festival, day(2100, 2, 9));
    }

    #[test]
    fn qingming_is_the_solar_term_of_known_years() {
        let q = |y| festivals(y).unwrap().qingming;
        assert_eq!(q(2025), day(2025, 4, 4));
        assert_eq!(q(2026), day(2026, 4, 5));
        assert_eq!(q(2027), day(2027, 4, 5));
        assert_eq!(q(2028), day(2028, 4, 4));
        assert_eq!(q(2000), day(2000, 4, 4));
        assert_eq!(q(2008), day(2008, 4, 4));
        assert_eq!(q(2019), day(2019, 4, 5));
    }

    #[test]
    fn every_supported_year_has_its_festivals_in_their_seasons() {
        for y in 1990..=2100 {
            let f = festivals(y).unwrap_or_else(|| panic!("{y}"));
            assert!(
                (day(y, 1, 21)..=day(y, 2, 20)).contains(&f.spring_festival),
                "{y}: {f:?}"
            );
            assert!(
                (day(y, 4, 3)..=day(y, 4, 6)).contains(&f.qingming),
                "{y}: {f:?}"
            );
            assert!(
                (day(y, 5, 26)..=day(y, 6, 26)).contains(&f.dragon_boat),
                "{y}: {f:?}"
            );
            assert!(
                (day(y, 9, 7)..=day(y, 10, 8)).contains(&f.mid_autumn),
                "{y}: {f:?}"
            );
            // Dragon Boat is 4 lunar months and 4 days after the New Year, Mid-Autumn 7 months
            // and 14 days, a month more after a leap month; a month has 29 or 30 days.
            let after = |d: NaiveDate| (d - f.spring_festival).num_days();
            let (db, ma) = (after(f.dragon_boat), after(f.mid_autumn));
            assert!(
                (120..=124).contains(&db) || (149..=154).contains(&db),
                "{y}: {f:?}"
            );
            assert!(
                (217..=224).contains(&ma) || (246..=254).contains(&ma),
                "{y}: {f:?}"
            );
        }
    }
}
