//! Public holidays built into the binary, for about 250 countries and their ISO 3166-2
//! subdivisions, 2024 to 2030.
//!
//! The days are python-holidays' (<https://github.com/vacanza/holidays>, MIT licence), written
//! once into `src/domain/public-holidays.txt` by `scripts/public-holidays/generate.py`, whose docstring
//! says how to regenerate it and describes the format. Nothing reads python-holidays at run time:
//! the file is embedded and parsed the first time it is asked about, into one sorted list of days
//! per location, so a lookup is a binary search.
//!
//! For every location and year the answer is python-holidays' own: its public holidays with
//! their substitute and observed days ("Christmas Day (observed)"), and the days of its half-day
//! category (such as Iceland's "Christmas Eve (from 1pm)") marked as half days. Names are in
//! English where python-holidays has them in English.

use super::Invalid;
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::LazyLock;

/// The generated file; see the module's documentation.
const DATA: &str = include_str!("public-holidays.txt");
/// The first field of the file's first line: the version of its format.
const FORMAT: &str = "public-holidays/1";

static DATASET: LazyLock<Dataset<'static>> = LazyLock::new(|| {
    Dataset::parse(DATA).unwrap_or_else(|problem| {
        panic!(
            "src/domain/public-holidays.txt is malformed ({problem}); regenerate it with scripts/public-holidays/generate.py"
        )
    })
});

/// An office location: an ISO 3166-1 country, optionally with its ISO 3166-2 subdivision.
///
/// The countries are python-holidays' (with `XK`, the code Kosovo has by common use); only the
/// locations the built-in data knows can be made.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// Borrowed from the dataset: upper case, "GB" or "GB-ENG".
    code: &'static str,
}

impl Location {
    /// Accepts "GB", "gb-eng", " DE-BY " (trimmed, case-insensitive) if the dataset knows it.
    pub fn parse(code: &str) -> Result<Location, Invalid> {
        let wanted = code.trim().to_ascii_uppercase();
        match DATASET.codes.binary_search_by(|known| (*known).cmp(wanted.as_str())) {
            Ok(found) => Ok(Location { code: DATASET.codes[found] }),
            Err(_) => Err(Invalid::new("location", unknown_location(&DATASET.codes, &wanted))),
        }
    }

    /// "GB-ENG".
    pub fn code(&self) -> &str {
        self.code
    }

    /// "GB".
    pub fn country(&self) -> &str {
        self.code.split_once('-').map_or(self.code, |(country, _)| country)
    }

    /// Some("ENG"), or None for a whole country.
    pub fn subdivision(&self) -> Option<&str> {
        self.code.split_once('-').map(|(_, subdivision)| subdivision)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// Why `wanted` (trimmed and upper-cased) is refused, naming what is known near it.
fn unknown_location<'a>(codes: &[&'a str], wanted: &'a str) -> String {
    const USE: &str = "use a country code such as GB or DE, or a subdivision such as GB-ENG or US-CA.";
    if wanted.is_empty() {
        return format!("Please give a location: {USE}");
    }
    // Only echo something that looks like a code, never whatever was pasted.
    let plausible = wanted.len() <= 10 && wanted.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !plausible {
        return format!("That location is not one this app knows: {USE}");
    }
    let country = wanted.split_once('-').map_or(wanted, |(country, _)| country);
    if wanted != country && codes.binary_search(&country).is_ok() {
        let prefix = format!("{country}-");
        let subdivisions: Vec<&str> = codes.iter().copied().filter(|code| code.starts_with(&prefix)).collect();
        let choice = match subdivisions.as_slice() {
            [] => format!("use {country} alone, as no subdivision of it is known here."),
            [only] => format!("use {country}, or its subdivision {only}."),
            few if few.len() <= 8 => format!("use {country}, or one of its subdivisions: {}.", few.join(", ")),
            many => {
                format!("use {country}, or one of its {} subdivisions, such as {}.", many.len(), many[..3].join(", "))
            }
        };
        return format!("The location {wanted} is not one this app knows: {choice}");
    }
    format!("The location {wanted} is not one this app knows: {USE}")
}

/// A public holiday of a location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicHoliday {
    pub date: NaiveDate,
    pub name: Cow<'static, str>,
    /// Only part of the day is off (python-holidays' half-day category).
    pub half_day: bool,
}

/// The built-in public holidays of a location within an inclusive date range, sorted by date
/// (one entry per date: if two holidays share a date, their names are joined with "; " and
/// half_day is set only if all are half days). Outside `years_covered()` there are none.
pub fn built_in(location: &Location, from: NaiveDate, to: NaiveDate) -> Vec<PublicHoliday> {
    DATASET
        .between(location.code, from, to)
        .iter()
        .map(|day| PublicHoliday { date: day.date, name: Cow::Borrowed(day.name), half_day: day.half_day })
        .collect()
}

/// A company's own change to the public holidays: a day added (an office closure, a half day
/// on 24 December) or a built-in day removed, for everyone or for one location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolidayChange {
    /// A location code (a country or a subdivision), or `None` for everyone.
    pub location: Option<String>,
    pub date: NaiveDate,
    pub name: String,
    pub half_day: bool,
    /// The built-in day of that date is not a holiday here.
    pub removed: bool,
}

impl HolidayChange {
    /// How specifically it applies to `location`, if at all: everyone 0, a country 1, the
    /// location itself 2.
    fn reach(&self, location: Option<&Location>) -> Option<u8> {
        match (&self.location, location) {
            (None, _) => Some(0),
            (Some(code), Some(l)) if code == l.code() => Some(2),
            (Some(code), Some(l)) if code == l.country() => Some(1),
            _ => None,
        }
    }
}

/// The public holidays of a location (or of someone with none: only company-wide days) with the
/// company's changes applied, sorted by date; where changes disagree about a date, the more
/// specific one wins (the location over its country over everyone).
pub fn with_changes(
    location: Option<&Location>,
    built_in: Vec<PublicHoliday>,
    changes: &[HolidayChange],
) -> Vec<PublicHoliday> {
    let mut days: BTreeMap<NaiveDate, PublicHoliday> = built_in.into_iter().map(|h| (h.date, h)).collect();
    let mut applicable: Vec<(u8, &HolidayChange)> =
        changes.iter().filter_map(|c| c.reach(location).map(|r| (r, c))).collect();
    applicable.sort_by_key(|(reach, _)| *reach);
    for (_, change) in applicable {
        if change.removed {
            days.remove(&change.date);
        } else {
            let name = Cow::Owned(change.name.clone());
            days.insert(change.date, PublicHoliday { date: change.date, name, half_day: change.half_day });
        }
    }
    days.into_values().collect()
}

/// The years the built-in data covers (2024..=2030).
pub fn years_covered() -> RangeInclusive<i32> {
    DATASET.years.clone()
}

/// Every known location code, sorted (countries and subdivisions), for a select box and for docs.
pub fn locations() -> impl Iterator<Item = &'static str> {
    DATASET.codes.iter().copied()
}

/// The name of the generator and its version, for the README and the page footer
/// ("python-holidays 0.109").
pub fn source() -> &'static str {
    DATASET.source
}

/// One date's holidays, as the file gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Day<'a> {
    date: NaiveDate,
    name: &'a str,
    half_day: bool,
}

/// The file, parsed: every location's days in full (a subdivision's include its country's).
struct Dataset<'a> {
    source: &'a str,
    years: RangeInclusive<i32>,
    /// Sorted; the keys of `days`.
    codes: Vec<&'a str>,
    /// Each list sorted by date, one day per date.
    days: HashMap<&'a str, Vec<Day<'a>>>,
}

impl<'a> Dataset<'a> {
    fn between(&self, code: &str, from: NaiveDate, to: NaiveDate) -> &[Day<'a>] {
        let days = self.days.get(code).map_or(&[][..], Vec::as_slice);
        let start = days.partition_point(|day| day.date < from);
        let end = days.partition_point(|day| day.date <= to);
        days.get(start..end).unwrap_or_default()
    }

    /// Reads the format `scripts/public-holidays/generate.py` writes (described there),
    /// refusing anything it would not write, with the line at fault.
    fn parse(text: &'a str) -> Result<Dataset<'a>, String> {
        let mut lines = text.lines().enumerate().map(|(index, line)| (index + 1, line));
        let mut next = |what: &str| lines.next().ok_or_else(|| format!("the file ends before {what}"));

        let (_, header) = next("its header")?;
        let [format, source, first, last] = header.split('\t').collect::<Vec<_>>()[..] else {
            return Err(format!("line 1 is not a header: {header:?}"));
        };
        if format != FORMAT {
            return Err(format!("line 1 is format {format:?}, this code reads {FORMAT:?}"));
        }
        let year = |field: &str| field.parse::<i32>().map_err(|_| format!("line 1 has no year in {field:?}"));
        let years = year(first)?..=year(last)?;
        if years.is_empty() {
            return Err("line 1 covers no year".into());
        }
        let (at, count) = next("the number of names")?;
        let count: usize = count.parse().map_err(|_| format!("line {at} is not a number of names"))?;
        let mut names = Vec::with_capacity(count);
        for _ in 0..count {
            let (at, name) = next("the last name")?;
            if name.is_empty() || name.contains('\t') {
                return Err(format!("line {at} is not a name"));
            }
            names.push(name);
        }

        let mut dataset = Dataset { source, years, codes: Vec::new(), days: HashMap::new() };
        // The block being read: its code, its days so far, and the date of its last line.
        let mut block: Option<(&'a str, BTreeMap<NaiveDate, Day<'a>>, Option<NaiveDate>)> = None;
        for (at, line) in lines {
            if let Some(code) = line.strip_prefix('=') {
                if let Some((done, days, _)) = block.take() {
                    dataset.insert(done, days);
                }
                if !is_code(code) {
                    return Err(format!("line {at} names no location: {line:?}"));
                }
                if dataset.codes.last().is_some_and(|last| *last >= code) {
                    return Err(format!("line {at}: {code} is out of order"));
                }
                let days = match code.split_once('-') {
                    None => BTreeMap::new(),
                    Some((country, _)) => match dataset.days.get(country) {
                        Some(days) => days.iter().map(|day| (day.date, *day)).collect(),
                        None => return Err(format!("line {at}: {code} comes before its country or has none")),
                    },
                };
                block = Some((code, days, None));
                continue;
            }
            let Some((code, days, last)) = block.as_mut() else {
                return Err(format!("line {at} is a day outside any location's block"));
            };
            let mut fields = line.split('\t');
            let date = fields
                .next()
                .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
                .ok_or_else(|| format!("line {at} has no date: {line:?}"))?;
            if !dataset.years.contains(&date.year()) {
                return Err(format!("line {at}: {date} is outside the years covered"));
            }
            if last.is_some_and(|last| last >= date) {
                return Err(format!("line {at}: {code} {date} is out of order"));
            }
            *last = Some(date);
            let day = match (fields.next(), fields.next(), fields.next()) {
                (Some("-"), None, _) if code.contains('-') => None,
                (Some(index), flag @ (None | Some("h")), None) if index != "-" => {
                    let name = index.parse::<usize>().ok().and_then(|index| names.get(index).copied());
                    let name = name.ok_or_else(|| format!("line {at} names no known name: {line:?}"))?;
                    Some(Day { date, name, half_day: flag.is_some() })
                }
                _ => return Err(format!("line {at} is not a day: {line:?}")),
            };
            match day {
                Some(day) => {
                    days.insert(date, day);
                }
                None => {
                    if days.remove(&date).is_none() {
                        return Err(format!("line {at}: {code} removes {date}, which its country does not have"));
                    }
                }
            }
        }
        if let Some((code, days, _)) = block {
            dataset.insert(code, days);
        }
        Ok(dataset)
    }

    fn insert(&mut self, code: &'a str, days: BTreeMap<NaiveDate, Day<'a>>) {
        self.codes.push(code);
        self.days.insert(code, days.into_values().collect());
    }
}

/// "GB" or "GB-ENG": two capital letters, then maybe a dash and one to three capitals or digits.
fn is_code(code: &str) -> bool {
    let (country, subdivision) = code.split_once('-').map_or((code, None), |(c, s)| (c, Some(s)));
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && subdivision.is_none_or(|s| {
            (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn at(code: &str) -> Location {
        Location::parse(code).unwrap()
    }

    /// (date, name, half day) of a location between two dates.
    fn days(code: &str, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, String, bool)> {
        built_in(&at(code), from, to).into_iter().map(|h| (h.date, h.name.into_owned(), h.half_day)).collect()
    }

    fn year(code: &str, year: i32) -> Vec<(NaiveDate, String, bool)> {
        days(code, date(year, 1, 1), date(year, 12, 31))
    }

    fn named(code: &str, on: NaiveDate) -> Option<String> {
        days(code, on, on).pop().map(|(_, name, _)| name)
    }

    fn day(on: NaiveDate, name: &str) -> (NaiveDate, String, bool) {
        (on, name.to_owned(), false)
    }

    fn half(on: NaiveDate, name: &str) -> (NaiveDate, String, bool) {
        (on, name.to_owned(), true)
    }

    #[test]
    fn the_embedded_file_parses_whole() {
        let dataset = Dataset::parse(DATA).expect("src/domain/public-holidays.txt parses");
        assert_eq!(dataset.source, "python-holidays 0.109");
        assert_eq!(dataset.years, 2024..=2030);
        assert!(dataset.codes.len() > 800, "{} locations", dataset.codes.len());
        assert!(dataset.codes.is_sorted());
        let required = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK \
                        GB US CA IN AU JP BR MX CH NO IL AE SG ZA NZ IS";
        for country in required.split(' ') {
            // Switzerland's federal days are the fewest: four a year.
            assert!(dataset.days[country].len() >= 7 * 4, "{country} has {} days", dataset.days[country].len());
        }
        for (code, days) in &dataset.days {
            assert!(days.windows(2).all(|pair| pair[0].date < pair[1].date), "{code} is sorted, a date once");
        }
        // Every subdivision that python-holidays lists under an ISO code, and those only.
        for code in ["GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS", "DE-BY", "US-CA", "IN-KA", "IN-TS", "AU-NSW", "CA-QC"] {
            assert!(dataset.codes.contains(&code), "{code}");
        }
        assert_eq!(dataset.codes.iter().filter(|code| code.starts_with("GB-")).count(), 4);
        assert_eq!(dataset.codes.iter().filter(|code| code.starts_with("US-")).count(), 57);
        assert_eq!(dataset.codes.iter().filter(|code| code.starts_with("DE-")).count(), 16);
        assert_eq!(dataset.codes.iter().filter(|code| code.starts_with("BE-")).count(), 0, "language communities");
    }

    #[test]
    fn england_2027_substitutes_christmas_on_a_saturday() {
        assert_eq!(
            year("GB-ENG", 2027),
            [
                day(date(2027, 1, 1), "New Year's Day"),
                day(date(2027, 3, 26), "Good Friday"),
                day(date(2027, 3, 29), "Easter Monday"),
                day(date(2027, 5, 3), "May Day"),
                day(date(2027, 5, 31), "Spring Bank Holiday"),
                day(date(2027, 8, 30), "Late Summer Bank Holiday"),
                day(date(2027, 12, 25), "Christmas Day"),
                day(date(2027, 12, 26), "Boxing Day"),
                day(date(2027, 12, 27), "Christmas Day (observed)"),
                day(date(2027, 12, 28), "Boxing Day (observed)"),
            ]
        );
    }

    #[test]
    fn scotland_has_days_england_lacks_and_lacks_one_of_englands() {
        assert_eq!(named("GB-SCT", date(2027, 1, 2)).as_deref(), Some("New Year Holiday"));
        assert_eq!(named("GB-SCT", date(2027, 1, 4)).as_deref(), Some("New Year Holiday (observed)"));
        assert_eq!(named("GB-SCT", date(2027, 11, 30)).as_deref(), Some("Saint Andrew's Day"));
        assert_eq!(named("GB-SCT", date(2027, 8, 2)).as_deref(), Some("Summer Bank Holiday"));
        assert_eq!(named("GB-SCT", date(2027, 3, 29)), None, "no Easter Monday in Scotland");
        for on in [date(2027, 1, 2), date(2027, 1, 4), date(2027, 11, 30)] {
            assert_eq!(named("GB-ENG", on), None, "{on}");
        }
        assert_eq!(year("GB-SCT", 2027).len(), 12);
        // The United Kingdom as a whole has only the days all four nations share.
        assert_eq!(named("GB", date(2027, 3, 29)), None);
        assert_eq!(named("GB", date(2027, 3, 26)).as_deref(), Some("Good Friday"));
    }

    #[test]
    fn bavaria_has_epiphany_and_berlin_womens_day() {
        assert_eq!(named("DE-BY", date(2026, 1, 6)).as_deref(), Some("Epiphany"));
        assert_eq!(named("DE-BE", date(2026, 1, 6)), None);
        assert_eq!(named("DE", date(2026, 1, 6)), None);
        assert_eq!(named("DE-BE", date(2026, 3, 8)).as_deref(), Some("Women's Day"));
        assert_eq!(named("DE-BY", date(2026, 3, 8)), None);
        assert_eq!(named("DE-BE", date(2026, 10, 3)).as_deref(), Some("German Unity Day"), "and the country's");
        assert_eq!(year("DE", 2026).len(), 9);
    }

    #[test]
    fn california_and_the_fourth_of_july_on_a_saturday() {
        assert_eq!(named("US-CA", date(2026, 3, 31)).as_deref(), Some("Cesar Chavez Day"));
        assert_eq!(named("US", date(2026, 3, 31)), None);
        assert_eq!(
            days("US", date(2026, 7, 1), date(2026, 7, 31)),
            [day(date(2026, 7, 3), "Independence Day (observed)"), day(date(2026, 7, 4), "Independence Day")]
        );
        assert_eq!(named("US-CA", date(2026, 7, 3)).as_deref(), Some("Independence Day (observed)"));
    }

    #[test]
    fn half_days_are_marked() {
        assert_eq!(
            days("IS", date(2026, 12, 24), date(2026, 12, 31)),
            [
                half(date(2026, 12, 24), "Christmas Eve (from 1pm)"),
                day(date(2026, 12, 25), "Christmas Day"),
                day(date(2026, 12, 26), "Second Day of Christmas"),
                half(date(2026, 12, 31), "New Year's Eve (from 1pm)"),
            ]
        );
        assert_eq!(
            days("EE", date(2026, 2, 23), date(2026, 2, 24)),
            [
                half(date(2026, 2, 23), "Pre-holiday day (workday shortened by 3 hours)"),
                day(date(2026, 2, 24), "Independence Day"),
            ]
        );
        assert_eq!(days("GR", date(2026, 12, 24), date(2026, 12, 24)), [half(date(2026, 12, 24), "Christmas Eve")]);
        assert!(year("GB-ENG", 2026).iter().all(|(_, _, half)| !half));
        // Subdivisions have their own: South Australia's evening and Puerto Rico's afternoon.
        assert_eq!(named("AU-SA", date(2026, 12, 24)).as_deref(), Some("Christmas Eve (from 7pm)"));
        assert!(built_in(&at("AU-SA"), date(2026, 12, 24), date(2026, 12, 24))[0].half_day);
        assert_eq!(named("AU", date(2026, 12, 24)), None);
        assert_eq!(
            days("US-PR", date(2026, 12, 24), date(2026, 12, 24)),
            [half(date(2026, 12, 24), "Christmas Eve (from 12pm)")]
        );
    }

    #[test]
    fn two_holidays_on_one_date_are_one_entry() {
        // California names the federal holiday its own way and adds one on the same date:
        // python-holidays joins the names, and the state's entry replaces the country's.
        assert_eq!(named("US", date(2027, 2, 15)).as_deref(), Some("Washington's Birthday"));
        assert_eq!(
            days("US-CA", date(2027, 2, 15), date(2027, 2, 15)),
            [day(date(2027, 2, 15), "Presidents' Day; Susan B. Anthony Day")]
        );
        assert_eq!(named("IN-KA", date(2026, 5, 1)).as_deref(), Some("Buddha Purnima; May Day"));
    }

    #[test]
    fn a_subdivision_can_lack_a_day_of_its_countrys() {
        // Australia has Boxing Day on Sunday 26 December 2027; Tasmania moves it to the Tuesday.
        assert_eq!(
            days("AU", date(2027, 12, 24), date(2027, 12, 31)),
            [day(date(2027, 12, 25), "Christmas Day"), day(date(2027, 12, 26), "Boxing Day")]
        );
        assert_eq!(
            days("AU-TAS", date(2027, 12, 24), date(2027, 12, 31)),
            [
                day(date(2027, 12, 25), "Christmas Day"),
                day(date(2027, 12, 27), "Christmas Day (observed)"),
                day(date(2027, 12, 28), "Boxing Day"),
            ]
        );
    }

    #[test]
    fn the_29th_of_february_is_an_ordinary_date() {
        assert!(days("GB-ENG", date(2028, 2, 29), date(2028, 2, 29)).is_empty());
        assert!(days("GB-ENG", date(2028, 2, 1), date(2028, 3, 31)).is_empty());
        // Malaysia observes Eid al-Fitr on it; Kedah (MY-02) does not.
        assert_eq!(named("MY", date(2028, 2, 29)).as_deref(), Some("Eid al-Fitr (observed, estimated)"));
        assert_eq!(named("MY-02", date(2028, 2, 29)), None);
        assert_eq!(named("MY-02", date(2028, 2, 28)).as_deref(), Some("Eid al-Fitr (Second Day) (estimated)"));
    }

    #[test]
    fn a_range_may_span_a_new_year() {
        assert_eq!(
            days("GB-ENG", date(2026, 12, 20), date(2027, 1, 5)),
            [
                day(date(2026, 12, 25), "Christmas Day"),
                day(date(2026, 12, 26), "Boxing Day"),
                day(date(2026, 12, 28), "Boxing Day (observed)"),
                day(date(2027, 1, 1), "New Year's Day"),
            ]
        );
        // New Year's Day 2028 is a Saturday: the United States observe it on 31 December 2027.
        assert_eq!(
            days("US", date(2027, 12, 20), date(2028, 1, 10)),
            [
                day(date(2027, 12, 24), "Christmas Day (observed)"),
                day(date(2027, 12, 25), "Christmas Day"),
                day(date(2027, 12, 31), "New Year's Day (observed)"),
                day(date(2028, 1, 1), "New Year's Day"),
            ]
        );
        assert!(days("US", date(2028, 1, 10), date(2027, 12, 20)).is_empty(), "an empty range");
    }

    #[test]
    fn years_covered_and_source() {
        assert_eq!(years_covered(), 2024..=2030);
        assert_eq!(source(), "python-holidays 0.109");
        assert!(days("GB-ENG", date(2023, 1, 1), date(2023, 12, 31)).is_empty());
        assert!(days("GB-ENG", date(2031, 1, 1), date(2031, 12, 31)).is_empty());
        assert_eq!(named("GB-ENG", date(2024, 1, 1)).as_deref(), Some("New Year's Day"));
        assert_eq!(named("GB-ENG", date(2030, 12, 25)).as_deref(), Some("Christmas Day"));
    }

    #[test]
    fn days_per_year_are_plausible() {
        for code in ["GB-ENG", "DE-BY", "US-CA", "IN-KA", "FR", "JP", "AU-NSW", "BR-SP", "CH-ZH", "IS", "SG"] {
            for y in years_covered() {
                let count = year(code, y).len();
                assert!((5..=40).contains(&count), "{code} {y}: {count} days");
            }
        }
        // Seen from python-holidays 0.109, year by year.
        let counts: Vec<usize> = years_covered().map(|y| year("US-CA", y).len()).collect();
        assert_eq!(counts, [14, 13, 15, 17, 15, 15, 15]);
        let counts: Vec<usize> = years_covered().map(|y| year("JP", y).len()).collect();
        assert_eq!(counts, [21, 19, 18, 17, 16, 19, 19]);
    }

    #[test]
    fn locations_parse_in_any_case_and_unknown_ones_are_refused() {
        let england = Location::parse(" gb-eng ").unwrap();
        assert_eq!(england.code(), "GB-ENG");
        assert_eq!(england.country(), "GB");
        assert_eq!(england.subdivision(), Some("ENG"));
        assert_eq!(england.to_string(), "GB-ENG");
        assert_eq!(england, at("GB-ENG"));
        assert_eq!(at(" DE-BY ").code(), "DE-BY");
        assert_eq!(at("us-ca").code(), "US-CA");
        let britain = at("gb");
        assert_eq!((britain.code(), britain.country(), britain.subdivision()), ("GB", "GB", None));
        assert_eq!(at("at-9").subdivision(), Some("9"));

        for refused in ["XX", "GB-XYZ", "", "  ", "GB-", "-ENG", "GB ENG", "GBR", "<b>GB</b>", "GB-ENG-X"] {
            let error = Location::parse(refused).unwrap_err();
            assert_eq!(error.field, "location", "{refused:?}");
            assert!(error.message.contains("GB"), "{refused:?}: {}", error.message);
        }
        assert_eq!(
            Location::parse("xx").unwrap_err().message,
            "The location XX is not one this app knows: use a country code such as GB or DE, \
             or a subdivision such as GB-ENG or US-CA."
        );
        assert_eq!(
            Location::parse("gb-xyz").unwrap_err().message,
            "The location GB-XYZ is not one this app knows: use GB, or one of its subdivisions: \
             GB-ENG, GB-NIR, GB-SCT, GB-WLS."
        );
        assert!(Location::parse("US-XX").unwrap_err().message.contains("one of its 57 subdivisions, such as US-AK"));
        assert!(Location::parse("JP-13").unwrap_err().message.contains("use JP alone"));
        assert!(Location::parse("").unwrap_err().message.starts_with("Please give a location"));
        assert!(!Location::parse("<script>").unwrap_err().message.contains("SCRIPT"));
    }

    #[test]
    fn locations_are_sorted_and_each_parses_to_itself() {
        let all: Vec<&str> = locations().collect();
        assert!(all.is_sorted());
        assert!(all.windows(2).all(|pair| pair[0] != pair[1]));
        for code in &all {
            assert_eq!(at(code).code(), *code);
            assert_eq!(at(&code.to_lowercase()).code(), *code);
        }
        let gb: Vec<&str> = all.iter().copied().filter(|code| code.starts_with("GB")).collect();
        assert_eq!(gb, ["GB", "GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS"]);
    }

    #[test]
    fn every_date_has_one_entry_and_the_years_cover_every_location() {
        for code in locations() {
            let all = days(code, date(2024, 1, 1), date(2030, 12, 31));
            assert!(all.windows(2).all(|pair| pair[0].0 < pair[1].0), "{code}");
            assert!(all.iter().all(|(on, _, _)| years_covered().contains(&on.year())), "{code}");
        }
    }

    /// The format's rules, on a file made up for them.
    const SAMPLE: &str = "public-holidays/1\tpython-holidays 0.0\t2027\t2028\n\
                          4\nBoxing Day\nChristmas Day\nChristmas Eve\nSaint Day\n\
                          =AA\n2027-12-24\t2\th\n2027-12-25\t1\n2027-12-26\t0\n2028-12-25\t1\n\
                          =AA-B\n2027-12-24\t2\n2027-12-26\t-\n2027-12-27\t0\n2028-02-29\t3\n\
                          =AA-C\n\
                          =BB\n";

    #[test]
    fn a_subdivision_block_adds_replaces_and_removes_its_countrys_days() {
        let dataset = Dataset::parse(SAMPLE).unwrap();
        assert_eq!(dataset.source, "python-holidays 0.0");
        assert_eq!(dataset.years, 2027..=2028);
        assert_eq!(dataset.codes, ["AA", "AA-B", "AA-C", "BB"]);
        let list = |code: &str| -> Vec<(NaiveDate, &str, bool)> {
            dataset
                .between(code, date(2027, 1, 1), date(2028, 12, 31))
                .iter()
                .map(|d| (d.date, d.name, d.half_day))
                .collect()
        };
        assert_eq!(
            list("AA"),
            [
                (date(2027, 12, 24), "Christmas Eve", true),
                (date(2027, 12, 25), "Christmas Day", false),
                (date(2027, 12, 26), "Boxing Day", false),
                (date(2028, 12, 25), "Christmas Day", false),
            ]
        );
        assert_eq!(
            list("AA-B"),
            [
                (date(2027, 12, 24), "Christmas Eve", false),
                (date(2027, 12, 25), "Christmas Day", false),
                (date(2027, 12, 27), "Boxing Day", false),
                (date(2028, 2, 29), "Saint Day", false),
                (date(2028, 12, 25), "Christmas Day", false),
            ]
        );
        assert_eq!(list("AA-C"), list("AA"));
        assert!(list("BB").is_empty());
        assert!(list("ZZ").is_empty());
        assert_eq!(dataset.between("AA", date(2027, 12, 25), date(2027, 12, 26)).len(), 2);
        assert_eq!(dataset.between("AA", date(2027, 12, 26), date(2027, 12, 25)).len(), 0);
    }

    #[test]
    fn a_malformed_file_is_refused_with_its_line() {
        let header = "public-holidays/1\tpython-holidays 0.0\t2027\t2028\n1\nDay\n";
        for (body, problem) in [
            ("=AA\n2027-01-01\t1\n", "line 5 names no known name"),
            ("=AA\n2027-01-02\t0\n2027-01-01\t0\n", "line 6: AA 2027-01-01 is out of order"),
            ("=AA\n2027-01-01\t0\n2027-01-01\t0\n", "out of order"),
            ("=AA\n2026-12-31\t0\n", "outside the years covered"),
            ("=AA\n2027-02-30\t0\n", "line 5 has no date"),
            ("=AA\n2027-01-01\t0\tx\n", "line 5 is not a day"),
            ("=AA\n2027-01-01\t-\n", "line 5 is not a day"),
            ("=AA-B\n", "AA-B comes before its country"),
            ("=BB\n=AA\n", "AA is out of order"),
            ("=AA\n=AA-B\n2027-01-01\t-\n", "which its country does not have"),
            ("=gb\n", "names no location"),
            ("2027-01-01\t0\n", "outside any location's block"),
        ] {
            let error = Dataset::parse(&format!("{header}{body}")).err().unwrap_or_else(|| panic!("{body:?} parsed"));
            assert!(error.contains(problem), "{body:?}: {error}");
        }
        assert!(Dataset::parse("public-holidays/2\tx\t2027\t2028\n0\n").err().unwrap().contains("format"));
        assert!(Dataset::parse("public-holidays/1\tx\t2027\t2028\n2\nDay\n").err().unwrap().contains("ends before"));
    }

    #[test]
    fn company_changes_apply_most_specific_first() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let england = Location::parse("GB-ENG").unwrap();
        let change = |location: Option<&str>, date: &str, name: &str, half_day, removed| HolidayChange {
            location: location.map(str::to_owned),
            date: d(date),
            name: name.into(),
            half_day,
            removed,
        };
        let changes = [
            change(None, "2030-12-24", "Christmas Eve", true, false),
            change(Some("GB"), "2030-12-24", "Christmas Eve (whole day in the UK)", false, false),
            change(Some("GB-ENG"), "2030-12-26", "", false, true),
            change(Some("DE"), "2030-12-31", "New Year's Eve", true, false),
        ];
        let days = with_changes(Some(&england), built_in(&england, d("2030-12-20"), d("2030-12-31")), &changes);
        let summary: Vec<(NaiveDate, bool)> = days.iter().map(|h| (h.date, h.half_day)).collect();
        assert_eq!(summary, [(d("2030-12-24"), false), (d("2030-12-25"), false)], "{days:?}");
        assert_eq!(days[0].name, "Christmas Eve (whole day in the UK)", "the country's change beats everyone's");
        // Someone with no location gets only the company-wide days.
        let nowhere = with_changes(None, Vec::new(), &changes);
        assert_eq!(nowhere.iter().map(|h| (h.date, h.half_day)).collect::<Vec<_>>(), [(d("2030-12-24"), true)]);
    }
}
