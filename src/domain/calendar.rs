//! The wall chart's arithmetic: months, which part of a day a booking takes, and what each of
//! a person's days is (a working day, a weekend, a public holiday or leave).

use super::holidays::PublicHoliday;
use super::leave::{EndPart, StartPart, WorkingWeek};
use super::{DateRange, Invalid};
use chrono::{Datelike, Months, NaiveDate};
use std::fmt;

/// A calendar month, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    first: NaiveDate,
}

/// Months the calendar pages through: far enough for any request the app accepts.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

impl Month {
    pub fn of(date: NaiveDate) -> Month {
        Month { first: date.with_day(1).unwrap_or(date) }
    }

    pub fn parse(raw: &str) -> Result<Month, Invalid> {
        let raw = raw.trim();
        let bad = || Invalid::new("month", format!("'{raw}' is not a month: write it YYYY-MM, like 2026-03."));
        let (year, month) = raw.split_once('-').ok_or_else(bad)?;
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || month.len() != 2 || !digits(year) || !digits(month) {
            return Err(bad());
        }
        let (year, month): (i32, u32) = (year.parse().map_err(|_| bad())?, month.parse().map_err(|_| bad())?);
        if !YEARS.contains(&year) {
            return Err(Invalid::new(
                "month",
                format!("The calendar covers the years {} to {}.", YEARS.start(), YEARS.end()),
            ));
        }
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Month { first }).ok_or_else(bad)
    }

    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first.pred_opt().unwrap_or(self.first)
    }

    pub fn range(self) -> DateRange {
        DateRange { start: self.first_day(), end: self.last_day() }
    }

    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        let last = self.last_day();
        self.first.iter_days().take_while(move |d| *d <= last)
    }

    pub fn previous(self) -> Month {
        Month { first: self.first.checked_sub_months(Months::new(1)).unwrap_or(self.first) }
    }

    pub fn next(self) -> Month {
        Month { first: self.first.checked_add_months(Months::new(1)).unwrap_or(self.first) }
    }

    /// "March 2026".
    pub fn label(self) -> String {
        self.first.format("%B %Y").to_string()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

/// How much of a day leave takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Full,
    Morning,
    Afternoon,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Full => "full",
            Part::Morning => "morning",
            Part::Afternoon => "afternoon",
        }
    }

    /// Half days: 2 for a full day, 1 for a morning or an afternoon.
    pub fn halves(self) -> i32 {
        if self == Part::Full { 2 } else { 1 }
    }
}

/// A pending or approved request's dates, as the calendar and the coverage rules read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Booked {
    pub request_id: i32,
    pub range: DateRange,
    pub start_part: StartPart,
    pub end_part: EndPart,
}

impl Booked {
    /// The part of `day` it takes, if it covers that day at all (weekends included: what the
    /// person's week makes of it is [`day_of`]'s business).
    pub fn part_on(&self, day: NaiveDate) -> Option<Part> {
        if day < self.range.start || day > self.range.end {
            return None;
        }
        if day == self.range.start && self.start_part == StartPart::Afternoon {
            return Some(Part::Afternoon);
        }
        if day == self.range.end && self.end_part == EndPart::Morning {
            return Some(Part::Morning);
        }
        Some(Part::Full)
    }

    /// The part of `day` it takes off work, for someone with `week`: nothing on the days they
    /// do not work.
    pub fn off_on(&self, day: NaiveDate, week: WorkingWeek) -> Option<Part> {
        self.part_on(day).filter(|_| week.works_on(day.weekday()))
    }
}

/// What one of a person's days is on the wall chart. `L` is whatever the caller keeps about a
/// booking (its index in a list, say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayKind<L> {
    Working,
    Weekend,
    /// A public holiday; `half` when only the afternoon is off.
    Holiday {
        name: String,
        half: bool,
    },
    Leave {
        leave: L,
        part: Part,
    },
}

/// A person's day: leave wins over a working day, a weekend and a whole-day public holiday win
/// over leave (nothing is taken then). On a half-day holiday (its afternoon off) leave is the
/// morning.
pub fn day_of<L: Copy>(
    day: NaiveDate,
    week: WorkingWeek,
    holiday: Option<&PublicHoliday>,
    bookings: &[(L, Booked)],
) -> DayKind<L> {
    if let Some(h) = holiday.filter(|h| !h.half_day) {
        return DayKind::Holiday { name: h.name.to_string(), half: false };
    }
    if !week.works_on(day.weekday()) {
        return DayKind::Weekend;
    }
    let leave = bookings.iter().find_map(|(l, b)| b.part_on(day).map(|part| (*l, part)));
    match (leave, holiday) {
        (Some((_, Part::Afternoon)), Some(h)) => DayKind::Holiday { name: h.name.to_string(), half: true },
        (Some((leave, _)), Some(_)) => DayKind::Leave { leave, part: Part::Morning },
        (Some((leave, part)), None) => DayKind::Leave { leave, part },
        (None, Some(h)) => DayKind::Holiday { name: h.name.to_string(), half: true },
        (None, None) => DayKind::Working,
    }
}

/// A person's month, day by day. `holidays` sorted by date.
pub fn month_of<L: Copy>(
    month: Month,
    week: WorkingWeek,
    holidays: &[PublicHoliday],
    bookings: &[(L, Booked)],
) -> Vec<(NaiveDate, DayKind<L>)> {
    month
        .days()
        .map(|day| {
            let holiday = holidays.iter().find(|h| h.date == day);
            (day, day_of(day, week, holiday, bookings))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn booked(id: i32, start: &str, end: &str, sp: StartPart, ep: EndPart) -> Booked {
        Booked { request_id: id, range: DateRange::parse(start, end).unwrap(), start_part: sp, end_part: ep }
    }

    #[test]
    fn months_parse_page_and_know_their_length() {
        let feb = Month::parse("2028-02").unwrap();
        assert_eq!(feb.to_string(), "2028-02");
        assert_eq!(feb.last_day(), d("2028-02-29"));
        assert_eq!(feb.days().count(), 29);
        assert_eq!(feb.previous().to_string(), "2028-01");
        assert_eq!(Month::parse("2026-12").unwrap().next().to_string(), "2027-01");
        assert_eq!(Month::parse("2027-01").unwrap().previous().to_string(), "2026-12");
        assert_eq!(Month::of(d("2026-11-29")).label(), "November 2026");
        for bad in ["2026-13", "2026-3", "26-03", "march", "", "2026-00", "2026-03-01", "+202-03"] {
            let e = Month::parse(bad).unwrap_err();
            assert_eq!(e.field, "month", "{bad}");
            assert!(e.message.contains("YYYY-MM"), "{bad}: {}", e.message);
        }
        assert!(Month::parse("9999-01").unwrap_err().message.contains("1900 to 2200"));
    }

    #[test]
    fn parts_of_days() {
        let b = booked(1, "2026-03-02", "2026-03-04", StartPart::Afternoon, EndPart::Morning);
        assert_eq!(b.part_on(d("2026-03-01")), None);
        assert_eq!(b.part_on(d("2026-03-02")), Some(Part::Afternoon));
        assert_eq!(b.part_on(d("2026-03-03")), Some(Part::Full));
        assert_eq!(b.part_on(d("2026-03-04")), Some(Part::Morning));
        assert_eq!(b.part_on(d("2026-03-05")), None);
        assert_eq!(Part::Morning.halves() + Part::Full.halves(), 3);
        // Saturday 7 March is in the range but not a working day.
        let week = booked(2, "2026-03-06", "2026-03-09", StartPart::Full, EndPart::Full);
        assert_eq!(week.off_on(d("2026-03-07"), WorkingWeek::default()), None);
        assert_eq!(week.off_on(d("2026-03-07"), WorkingWeek::parse("Sun-Thu").unwrap()), None);
        assert_eq!(week.off_on(d("2026-03-08"), WorkingWeek::parse("Sun-Thu").unwrap()), Some(Part::Full));
    }

    #[test]
    fn a_persons_month_shows_weekends_holidays_and_leave() {
        let march = Month::parse("2026-03").unwrap();
        let holidays =
            [PublicHoliday { date: d("2026-03-17"), name: Cow::Borrowed("St Patrick's Day"), half_day: false }];
        let bookings = [
            ('a', booked(1, "2026-03-12", "2026-03-16", StartPart::Full, EndPart::Morning)),
            ('b', booked(2, "2026-03-17", "2026-03-18", StartPart::Full, EndPart::Full)),
        ];
        let days = month_of(march, WorkingWeek::default(), &holidays, &bookings);
        assert_eq!(days.len(), 31);
        let kind = |s: &str| days.iter().find(|(day, _)| *day == d(s)).unwrap().1.clone();
        assert_eq!(kind("2026-03-11"), DayKind::Working);
        assert_eq!(kind("2026-03-12"), DayKind::Leave { leave: 'a', part: Part::Full });
        assert_eq!(kind("2026-03-14"), DayKind::Weekend);
        assert_eq!(kind("2026-03-16"), DayKind::Leave { leave: 'a', part: Part::Morning });
        assert_eq!(kind("2026-03-17"), DayKind::Holiday { name: "St Patrick's Day".into(), half: false });
        assert_eq!(kind("2026-03-18"), DayKind::Leave { leave: 'b', part: Part::Full });
    }

    #[test]
    fn a_half_day_holiday_leaves_the_morning_to_leave() {
        let eve = PublicHoliday { date: d("2026-12-24"), name: Cow::Borrowed("Christmas Eve"), half_day: true };
        let week = WorkingWeek::default();
        let full = [(0, booked(1, "2026-12-23", "2026-12-24", StartPart::Full, EndPart::Full))];
        assert_eq!(day_of(d("2026-12-24"), week, Some(&eve), &full), DayKind::Leave { leave: 0, part: Part::Morning });
        let afternoon = [(0, booked(1, "2026-12-24", "2026-12-24", StartPart::Afternoon, EndPart::Full))];
        let half = DayKind::Holiday { name: "Christmas Eve".into(), half: true };
        assert_eq!(day_of(d("2026-12-24"), week, Some(&eve), &afternoon), half);
        assert_eq!(day_of::<i32>(d("2026-12-24"), week, Some(&eve), &[]), half);
    }
}
