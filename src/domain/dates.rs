//! Dates: validated ranges, working days, the window requests must fall in, and "now".

use super::Invalid;
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Utc, Weekday};

/// The longest request anyone can make, in calendar days.
pub const MAX_DAYS: i64 = 366;

/// An IANA time zone (`Europe/Berlin`), from the database compiled into the binary.
#[derive(Clone, Debug)]
pub struct Zone {
    name: String,
    zone: jiff::tz::TimeZone,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone { name: "UTC".into(), zone: jiff::tz::TimeZone::UTC }
    }

    /// The zone of that name, if the time-zone database knows it.
    pub fn named(name: &str) -> Option<Zone> {
        jiff::tz::TimeZone::get(name).ok().map(|zone| Zone { name: name.to_owned(), zone })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The date it is in this zone at an instant.
    pub fn date_at(&self, instant: DateTime<Utc>) -> NaiveDate {
        let local = jiff::Timestamp::from_second(instant.timestamp())
            .map(|t| self.zone.to_datetime(t).date())
            .ok()
            .and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32));
        // Only an instant outside jiff's range (beyond the year 9999) has no date: keep UTC's.
        local.unwrap_or_else(|| instant.date_naive())
    }

    /// The hour of the day (0-23) at `instant` here.
    pub fn hour_at(&self, instant: DateTime<Utc>) -> u32 {
        jiff::Timestamp::from_second(instant.timestamp())
            .map(|t| self.zone.to_datetime(t).hour() as u32)
            .unwrap_or_else(|_| chrono::Timelike::hour(&instant))
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

/// The moment something happens: the UTC time stored, and the date it is where the rules look
/// (the company's time zone), which decides, say, whether a holiday has started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    pub utc: NaiveDateTime,
    pub today: NaiveDate,
}

impl Now {
    pub fn in_zone(zone: &Zone) -> Now {
        Now::at(chrono::Utc::now(), zone)
    }

    pub fn at(instant: DateTime<Utc>, zone: &Zone) -> Now {
        Now { utc: instant.naive_utc(), today: zone.date_at(instant) }
    }
}

/// How far back and ahead requests may reach, in years from today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Horizon {
    pub years_back: u32,
    pub years_ahead: u32,
}

/// The first and last day a request may cover, as of one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateWindow {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

impl Horizon {
    pub fn window(self, today: NaiveDate) -> DateWindow {
        let back = Months::new(12 * self.years_back);
        let ahead = Months::new(12 * self.years_ahead);
        DateWindow {
            earliest: today.checked_sub_months(back).unwrap_or(NaiveDate::MIN),
            latest: today.checked_add_months(ahead).unwrap_or(NaiveDate::MAX),
        }
    }
}

/// A validated, inclusive date range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DateRange {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, Invalid> {
        if end < start {
            return Err(Invalid::new("end_date", format!("The end date {end} is before the start date {start}.")));
        }
        let days = (end - start).num_days() + 1;
        if days > MAX_DAYS {
            return Err(Invalid::new(
                "end_date",
                format!("A request can cover at most {MAX_DAYS} days; this one covers {days}."),
            ));
        }
        Ok(DateRange { start, end })
    }

    /// Parses two ISO `YYYY-MM-DD` strings, as typed in a form or sent as JSON.
    pub fn parse(start: &str, end: &str) -> Result<Self, Invalid> {
        let start = parse_date("start_date", "start date", start)?;
        let end = parse_date("end_date", "end date", end)?;
        DateRange::new(start, end)
    }

    /// Refuses ranges outside the window, so nobody books the year 9999 (or 0000).
    pub fn within(self, window: DateWindow) -> Result<Self, Invalid> {
        if self.start < window.earliest {
            return Err(Invalid::new(
                "start_date",
                format!(
                    "The start date {} is too far in the past: requests can start on {} at the earliest.",
                    self.start, window.earliest
                ),
            ));
        }
        if self.end > window.latest {
            return Err(Invalid::new(
                "end_date",
                format!(
                    "The end date {} is too far ahead: requests can end on {} at the latest.",
                    self.end, window.latest
                ),
            ));
        }
        Ok(self)
    }

    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    pub fn working_days(&self) -> i64 {
        working_days(self.start, self.end)
    }
}

fn parse_date(field: &'static str, label: &str, raw: &str) -> Result<NaiveDate, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Invalid::new(field, format!("Please give a {label}.")));
    }
    let well_formed = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !well_formed {
        return Err(Invalid::new(field, format!("The {label} must be written YYYY-MM-DD, like 2026-07-01.")));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| Invalid::new(field, format!("The {label} {raw} is not a date that exists.")))
}

/// Counts Monday-to-Friday days in an inclusive range, without walking it.
pub fn working_days(start: NaiveDate, end: NaiveDate) -> i64 {
    if end < start {
        return 0;
    }
    let days = (end - start).num_days() + 1;
    let full_weeks = days / 7;
    let mut count = full_weeks * 5;
    let mut day = start.weekday();
    for _ in 0..days % 7 {
        if !matches!(day, Weekday::Sat | Weekday::Sun) {
            count += 1;
        }
        day = day.succ();
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn working_days_skip_weekends() {
        // 2025-08-01 is a Friday: the walkthrough's Joe asks for 20 days, 14 of them working.
        assert_eq!(working_days(d("2025-08-01"), d("2025-08-20")), 14);
        assert_eq!(working_days(d("2025-08-02"), d("2025-08-03")), 0, "a weekend");
        assert_eq!(working_days(d("2025-08-04"), d("2025-08-04")), 1, "one Monday");
        assert_eq!(working_days(d("2025-08-04"), d("2025-08-10")), 5, "a full week");
        assert_eq!(working_days(d("2025-08-05"), d("2025-08-04")), 0, "backwards");
    }

    #[test]
    fn working_days_agree_with_counting_each_day() {
        let start = d("2024-01-01");
        for offset in 0..60 {
            let s = start + chrono::Days::new(offset);
            for len in 0..40 {
                let e = s + chrono::Days::new(len);
                let slow =
                    s.iter_days().take_while(|x| *x <= e).filter(|x| x.weekday().number_from_monday() <= 5).count();
                assert_eq!(working_days(s, e), slow as i64, "{s}..{e}");
            }
        }
    }

    #[test]
    fn ranges_are_validated_with_field_and_sentence() {
        assert!(DateRange::parse("2026-07-01", "2026-07-10").is_ok());
        assert!(DateRange::parse("2026-07-01", "2026-07-01").is_ok(), "one day is fine");

        let err = DateRange::parse("2026-07-10", "2026-07-01").unwrap_err();
        assert_eq!(err.field, "end_date");
        assert!(err.message.contains("before the start date"));

        let err = DateRange::parse("2026-02-30", "2026-03-01").unwrap_err();
        assert_eq!(err.field, "start_date");
        assert!(err.message.contains("not a date that exists"));

        let err = DateRange::parse("2026-07-01", "10/07/2026").unwrap_err();
        assert_eq!(err.field, "end_date");
        assert!(err.message.contains("YYYY-MM-DD"));

        assert_eq!(DateRange::parse("", "2026-07-01").unwrap_err().message, "Please give a start date.");

        assert!(DateRange::parse("2026-01-01", "2026-12-31").is_ok(), "365 days");
        assert!(DateRange::parse("2028-01-01", "2028-12-31").is_ok(), "366 days in a leap year");
        assert!(DateRange::parse("2026-01-01", "2027-01-01").is_ok(), "366 days across a year end");
        let err = DateRange::parse("2026-01-01", "2027-01-02").unwrap_err();
        assert!(err.message.contains("at most 366 days"), "{}", err.message);
    }

    #[test]
    fn ranges_must_fall_inside_the_window() {
        let window = Horizon { years_back: 2, years_ahead: 3 }.window(d("2026-11-29"));
        assert_eq!(window, DateWindow { earliest: d("2024-11-29"), latest: d("2029-11-29") });
        assert!(DateRange::parse("2024-11-29", "2024-12-01").unwrap().within(window).is_ok());
        assert!(DateRange::parse("2029-11-20", "2029-11-29").unwrap().within(window).is_ok());
        let err = DateRange::parse("0000-01-01", "0000-01-02").unwrap().within(window).unwrap_err();
        assert_eq!(err.field, "start_date");
        assert!(err.message.contains("2024-11-29 at the earliest"), "{}", err.message);
        let err = DateRange::parse("9999-12-30", "9999-12-31").unwrap().within(window).unwrap_err();
        assert_eq!(err.field, "end_date");
        assert!(err.message.contains("2029-11-29 at the latest"), "{}", err.message);
        // 29 February, years apart, lands on the last day of February.
        let leap = Horizon { years_back: 1, years_ahead: 1 }.window(d("2028-02-29"));
        assert_eq!((leap.earliest, leap.latest), (d("2027-02-28"), d("2029-02-28")));
    }

    #[test]
    fn overlap_is_inclusive() {
        let a = DateRange::parse("2026-07-01", "2026-07-10").unwrap();
        assert!(a.overlaps(&DateRange::parse("2026-07-10", "2026-07-12").unwrap()));
        assert!(a.overlaps(&DateRange::parse("2026-06-01", "2026-07-01").unwrap()));
        assert!(a.overlaps(&DateRange::parse("2026-07-03", "2026-07-04").unwrap()));
        assert!(!a.overlaps(&DateRange::parse("2026-07-11", "2026-07-12").unwrap()));
    }

    #[test]
    fn today_is_the_date_in_the_zone() {
        let late_evening_utc = DateTime::parse_from_rfc3339("2026-11-29T23:30:00Z").unwrap().with_timezone(&Utc);
        let zone = |name: &str| Zone::named(name).unwrap();
        let berlin = Now::at(late_evening_utc, &zone("Europe/Berlin"));
        assert_eq!(berlin.today, d("2026-11-30"), "already tomorrow in Berlin");
        assert_eq!(berlin.utc.date(), d("2026-11-29"), "stored in UTC");
        assert_eq!(Now::at(late_evening_utc, &zone("America/Los_Angeles")).today, d("2026-11-29"));
        assert_eq!(Now::at(late_evening_utc, &Zone::utc()).today, d("2026-11-29"));
        // Summer time: 22:30 UTC on 1 July is already 2 July in Berlin (UTC+2), not in winter's +1.
        let summer = DateTime::parse_from_rfc3339("2026-07-01T22:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(Now::at(summer, &zone("Europe/Berlin")).today, d("2026-07-02"));
        assert!(Zone::named("Mars/Olympus").is_none());
    }
}
