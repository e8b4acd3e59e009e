//! How many days a request takes: the working days of the requester's week in its range, less
//! their location's public holidays, with half days at either end.

use super::calendar::Part;
use super::holidays::PublicHoliday;
use super::leave::{Days, EndPart, LeaveYear, StartPart, WorkingWeek};
use super::{DateRange, Invalid};
use chrono::{Datelike, NaiveDate};

/// What someone asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ask {
    pub range: DateRange,
    pub start_part: StartPart,
    pub end_part: EndPart,
}

impl Ask {
    pub fn is_part_day(&self) -> bool {
        self.start_part != StartPart::Full || self.end_part != EndPart::Full
    }
}

/// What counting reads besides the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountRules {
    pub week: WorkingWeek,
    pub leave_year: LeaveYear,
    /// How many months into a leave year carried-over days may be used.
    pub carry_months: u32,
}

/// A request's days within one leave year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearShare {
    pub year: i32,
    pub days: Days,
    /// The part of `days` on dates when carried-over days may still be used.
    pub in_carry_window: Days,
}

/// The count, and the public holidays that made it smaller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counted {
    pub days: Days,
    /// One share per leave year the request touches, in order (a request across New Year
    /// draws on each year for its own days).
    pub years: Vec<YearShare>,
    /// Public holidays on working days of the range, not counted (a half-day one counts half).
    pub holidays: Vec<PublicHoliday>,
    /// The days it takes off work and how much of each, in order (what coverage rules count).
    pub off: Vec<(NaiveDate, Part)>,
}

/// Half-day public holidays are taken to be afternoons (24 and 31 December, in the countries
/// that have them), so a request for that morning still takes half a day.
pub fn count(ask: &Ask, rules: &CountRules, holidays: &[PublicHoliday]) -> Result<Counted, Invalid> {
    let DateRange { start, end } = ask.range;
    if start == end && ask.start_part == StartPart::Afternoon && ask.end_part == EndPart::Morning {
        return Err(Invalid::new(
            "end_part",
            "A one-day request can start in the afternoon or end at noon, not both: that leaves no time off.",
        ));
    }
    let mut counted = Counted { days: Days::ZERO, years: Vec::new(), holidays: Vec::new(), off: Vec::new() };
    let mut holidays = holidays.iter().filter(|h| h.date >= start && h.date <= end).peekable();
    for day in start.iter_days().take_while(|d| *d <= end) {
        let holiday = std::iter::from_fn(|| holidays.next_if(|h| h.date <= day)).filter(|h| h.date == day).last();
        if !rules.week.works_on(day.weekday()) {
            continue;
        }
        let morning = !(day == start && ask.start_part == StartPart::Afternoon);
        let afternoon = !(day == end && ask.end_part == EndPart::Morning);
        let (morning_off, afternoon_off) = match holiday {
            Some(h) => {
                counted.holidays.push(h.clone());
                (!h.half_day, true)
            }
            None => (false, false),
        };
        let halves = i32::from(morning && !morning_off) + i32::from(afternoon && !afternoon_off);
        if halves > 0 {
            counted.off.push((
                day,
                if halves == 2 {
                    Part::Full
                } else if morning && !morning_off {
                    Part::Morning
                } else {
                    Part::Afternoon
                },
            ));
            add_share(&mut counted, day, Days::halves(halves), rules);
        }
    }
    if counted.days == Days::ZERO {
        let holidays = if counted.holidays.is_empty() { "" } else { " or public holidays" };
        return Err(Invalid::new(
            "start_date",
            format!(
                "These dates hold no working day for you (your working week is {}){holidays}, so there is nothing to ask for.",
                rules.week
            ),
        ));
    }
    Ok(counted)
}

fn add_share(counted: &mut Counted, day: NaiveDate, days: Days, rules: &CountRules) {
    let year = rules.leave_year.of(day);
    let in_window = day <= rules.leave_year.carry_expiry(year, rules.carry_months);
    if counted.years.last().is_none_or(|s| s.year != year) {
        counted.years.push(YearShare { year, days: Days::ZERO, in_carry_window: Days::ZERO });
    }
    if let Some(share) = counted.years.last_mut() {
        share.days += days;
        if in_window {
            share.in_carry_window += days;
        }
    }
    counted.days += days;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ask(start: &str, end: &str) -> Ask {
        Ask { range: DateRange::parse(start, end).unwrap(), start_part: StartPart::Full, end_part: EndPart::Full }
    }

    fn rules() -> CountRules {
        CountRules { week: WorkingWeek::default(), leave_year: LeaveYear::default(), carry_months: 3 }
    }

    fn holiday(date: &str, name: &'static str, half_day: bool) -> PublicHoliday {
        PublicHoliday { date: d(date), name: Cow::Borrowed(name), half_day }
    }

    fn days(a: &Ask, r: &CountRules, h: &[PublicHoliday]) -> String {
        count(a, r, h).unwrap().days.to_string()
    }

    #[test]
    fn weekends_are_not_counted() {
        // Friday 5 June to Friday 12 June 2026.
        assert_eq!(days(&ask("2026-06-05", "2026-06-12"), &rules(), &[]), "6");
        let err = count(&ask("2026-06-06", "2026-06-07"), &rules(), &[]).unwrap_err();
        assert_eq!(err.field, "start_date");
        assert!(err.message.contains("no working day") && err.message.contains("Mon-Fri"), "{}", err.message);
    }

    #[test]
    fn public_holidays_on_working_days_are_not_counted() {
        // Whit Monday 25 May 2026 in Germany, in a Monday-to-Friday week.
        let whit = [holiday("2026-05-25", "Whit Monday", false)];
        let counted = count(&ask("2026-05-25", "2026-05-29"), &rules(), &whit).unwrap();
        assert_eq!(counted.days, Days::whole(4));
        assert_eq!(counted.holidays, whit, "the request page says which day was not counted");
        // Only a holiday is asked for: nothing to ask for, and the sentence says why.
        let err = count(&ask("2026-05-25", "2026-05-25"), &rules(), &whit).unwrap_err();
        assert!(err.message.contains("public holidays"), "{}", err.message);
    }

    #[test]
    fn holidays_on_weekends_change_nothing_but_substitute_days_do() {
        // Christmas 2027 falls on a Saturday, Boxing Day on a Sunday; England observes them on
        // Monday 27 and Tuesday 28 December, which the data lists as their own days.
        let england = [
            holiday("2027-12-25", "Christmas Day", false),
            holiday("2027-12-26", "Boxing Day", false),
            holiday("2027-12-27", "Christmas Day (observed)", false),
            holiday("2027-12-28", "Boxing Day (observed)", false),
        ];
        let counted = count(&ask("2027-12-24", "2027-12-31"), &rules(), &england).unwrap();
        assert_eq!(counted.days, Days::whole(4), "Fri 24, Wed 29, Thu 30, Fri 31");
        assert_eq!(counted.holidays.len(), 2, "the weekend days are not mentioned");
    }

    #[test]
    fn half_days_at_either_end_and_half_day_holidays() {
        let mut a = ask("2026-06-01", "2026-06-05");
        a.start_part = StartPart::Afternoon;
        assert_eq!(days(&a, &rules(), &[]), "4.5");
        a.end_part = EndPart::Morning;
        assert_eq!(days(&a, &rules(), &[]), "4");
        let mut one = ask("2026-06-01", "2026-06-01");
        one.end_part = EndPart::Morning;
        assert_eq!(days(&one, &rules(), &[]), "0.5", "a morning");
        one.start_part = StartPart::Afternoon;
        assert_eq!(count(&one, &rules(), &[]).unwrap_err().field, "end_part", "neither morning nor afternoon");

        // A half-day holiday (the afternoon of Thursday 24 December 2026) counts half.
        let eve = [holiday("2026-12-24", "Christmas Eve", true)];
        assert_eq!(days(&ask("2026-12-24", "2026-12-24"), &rules(), &eve), "0.5");
        let mut afternoon = ask("2026-12-24", "2026-12-24");
        afternoon.start_part = StartPart::Afternoon;
        let err = count(&afternoon, &rules(), &eve).unwrap_err();
        assert_eq!(err.field, "start_date", "the afternoon is already a holiday");
    }

    #[test]
    fn a_sunday_to_thursday_week() {
        let r = CountRules { week: WorkingWeek::parse("Sun-Thu").unwrap(), ..rules() };
        // Friday 5 to Saturday 13 June 2026: Sun 7 to Thu 11 are the working days.
        assert_eq!(days(&ask("2026-06-05", "2026-06-13"), &r, &[]), "5");
        assert!(count(&ask("2026-06-05", "2026-06-06"), &r, &[]).is_err(), "Friday and Saturday are the weekend");
    }

    #[test]
    fn leap_days_are_ordinary_working_days() {
        // Tuesday 29 February 2028.
        assert_eq!(days(&ask("2028-02-28", "2028-03-01"), &rules(), &[]), "3");
    }

    #[test]
    fn a_request_across_new_year_draws_on_each_year() {
        let new_year = [holiday("2027-01-01", "New Year's Day", false)];
        let counted = count(&ask("2026-12-28", "2027-01-08"), &rules(), &new_year).unwrap();
        assert_eq!(counted.days, Days::whole(9));
        assert_eq!(
            counted.years,
            [
                YearShare { year: 2026, days: Days::whole(4), in_carry_window: Days::ZERO },
                YearShare { year: 2027, days: Days::whole(5), in_carry_window: Days::whole(5) },
            ]
        );
        // With leave years from April, the same request is all in one year.
        let april = CountRules { leave_year: LeaveYear::starting_in(4).unwrap(), ..rules() };
        assert_eq!(count(&ask("2026-12-28", "2027-01-08"), &april, &new_year).unwrap().years.len(), 1);
    }

    #[test]
    fn the_carry_window_splits_a_request_at_its_end() {
        // Carried days may be used until 31 March; Monday 29 March to Friday 2 April 2027.
        let counted = count(&ask("2027-03-29", "2027-04-02"), &rules(), &[]).unwrap();
        assert_eq!(counted.years, [YearShare { year: 2027, days: Days::whole(5), in_carry_window: Days::whole(3) }]);
    }
}
