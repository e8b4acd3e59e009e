//! The vocabulary of leave policy: amounts of leave in half days, the parts of a day, working
//! weeks, leave years and leave types.

use super::Invalid;
use super::text::MAX_NAME;
use chrono::{Datelike, Months, NaiveDate, Weekday};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of leave, counted in half days so that sums are exact; shown as "4.5".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Days(i32);

/// The largest amount anyone types: far beyond any allowance, small enough never to overflow.
const MAX_DAYS_TYPED: f64 = 10_000.0;

impl Days {
    pub const ZERO: Days = Days(0);

    pub const fn halves(halves: i32) -> Days {
        Days(halves)
    }

    pub const fn whole(days: i32) -> Days {
        Days(days * 2)
    }

    pub fn as_halves(self) -> i32 {
        self.0
    }

    /// Exact: every half day is a binary fraction.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 2.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// A number someone gave (JSON, a form, a CSV cell), which must be a whole or half day.
    pub fn from_number(field: &'static str, label: &str, value: f64) -> Result<Days, Invalid> {
        let halves = value * 2.0;
        if !value.is_finite() || value.abs() > MAX_DAYS_TYPED || halves.fract() != 0.0 {
            return Err(Invalid::new(
                field,
                format!("The {label} must be a number of days in steps of 0.5, like 25 or 12.5."),
            ));
        }
        // In range and whole, so the conversion is exact.
        Ok(Days(halves as i32))
    }

    /// A stored amount: the nearest half day, should another tool have written something else.
    pub fn from_stored(value: f64) -> Days {
        let halves = (value * 2.0).round();
        if halves.is_finite() {
            Days(halves.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32)
        } else {
            Days::ZERO
        }
    }

    /// Text typed in a form or a CSV cell: `25`, `12.5`, `-1`.
    pub fn parse(field: &'static str, label: &str, raw: &str) -> Result<Days, Invalid> {
        let value: f64 = raw.trim().parse().map_err(|_| {
            Invalid::new(field, format!("The {label} must be a number of days in steps of 0.5, like 25 or 12.5."))
        })?;
        Days::from_number(field, label, value)
    }

    /// The nearest half day to `days × numerator ÷ denominator`, halves rounded up: pro-rata
    /// allowances.
    pub fn scaled(self, numerator: i64, denominator: i64) -> Days {
        if denominator <= 0 {
            return self;
        }
        let exact = i64::from(self.0) * numerator;
        let rounded = (2 * exact + denominator).div_euclid(2 * denominator);
        Days(i32::try_from(rounded).unwrap_or(i32::MAX))
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        if abs.is_multiple_of(2) { write!(f, "{sign}{}", abs / 2) } else { write!(f, "{sign}{}.5", abs / 2) }
    }
}

impl Add for Days {
    type Output = Days;
    fn add(self, other: Days) -> Days {
        Days(self.0.saturating_add(other.0))
    }
}

impl Sub for Days {
    type Output = Days;
    fn sub(self, other: Days) -> Days {
        Days(self.0.saturating_sub(other.0))
    }
}

impl Neg for Days {
    type Output = Days;
    fn neg(self) -> Days {
        Days(self.0.saturating_neg())
    }
}

impl AddAssign for Days {
    fn add_assign(&mut self, other: Days) {
        *self = *self + other;
    }
}

impl SubAssign for Days {
    fn sub_assign(&mut self, other: Days) {
        *self = *self - other;
    }
}

impl std::iter::Sum for Days {
    fn sum<I: Iterator<Item = Days>>(iter: I) -> Days {
        iter.fold(Days::ZERO, Add::add)
    }
}

/// Where a request starts on its first day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum StartPart {
    #[default]
    Full,
    /// The first day starts at noon.
    Afternoon,
}

/// Where a request ends on its last day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum EndPart {
    #[default]
    Full,
    /// The last day ends at noon.
    Morning,
}

impl StartPart {
    pub fn parse(raw: Option<&str>) -> Result<StartPart, Invalid> {
        match raw.map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(StartPart::Full),
            Some(r) if r.eq_ignore_ascii_case("full") => Ok(StartPart::Full),
            Some(r) if r.eq_ignore_ascii_case("afternoon") => Ok(StartPart::Afternoon),
            Some(_) => Err(Invalid::new("start_part", "The first day's part must be full or afternoon.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StartPart::Full => "full",
            StartPart::Afternoon => "afternoon",
        }
    }

    /// Stored values other than the two known ones read as a full day.
    pub fn from_stored(raw: &str) -> StartPart {
        StartPart::parse(Some(raw)).unwrap_or_default()
    }
}

impl EndPart {
    pub fn parse(raw: Option<&str>) -> Result<EndPart, Invalid> {
        match raw.map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(EndPart::Full),
            Some(r) if r.eq_ignore_ascii_case("full") => Ok(EndPart::Full),
            Some(r) if r.eq_ignore_ascii_case("morning") => Ok(EndPart::Morning),
            Some(_) => Err(Invalid::new("end_part", "The last day's part must be full or morning.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EndPart::Full => "full",
            EndPart::Morning => "morning",
        }
    }

    pub fn from_stored(raw: &str) -> EndPart {
        EndPart::parse(Some(raw)).unwrap_or_default()
    }
}

/// The days of the week someone works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WorkingWeek(u8);

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEK_HELP: &str =
    "The working week must be days of the week, as a range like Mon-Fri or Sun-Thu, or a list like Mon,Tue,Thu.";

impl Default for WorkingWeek {
    fn default() -> Self {
        WorkingWeek::MONDAY_TO_FRIDAY
    }
}

impl WorkingWeek {
    pub const MONDAY_TO_FRIDAY: WorkingWeek = WorkingWeek(0b001_1111);

    pub fn works_on(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    /// `Mon-Fri`, `Sun-Thu` (a range may wrap over the weekend), `Mon,Tue,Thu`, full names or
    /// any letter case.
    pub fn parse(raw: &str) -> Result<WorkingWeek, Invalid> {
        let invalid = || Invalid::new("working_week", WEEK_HELP);
        let mut mask = 0u8;
        for part in raw.split(',').map(str::trim) {
            if let Some((from, to)) = part.split_once('-') {
                let (from, to) = (day_index(from).ok_or_else(invalid)?, day_index(to).ok_or_else(invalid)?);
                let mut day = from;
                loop {
                    mask |= 1 << day;
                    if day == to {
                        break;
                    }
                    day = (day + 1) % 7;
                }
            } else {
                mask |= 1 << day_index(part).ok_or_else(invalid)?;
            }
        }
        Ok(WorkingWeek(mask))
    }

    /// A list of day names, as JSON gives it.
    pub fn from_days<S: AsRef<str>>(days: &[S]) -> Result<WorkingWeek, Invalid> {
        if days.is_empty() {
            return Err(Invalid::new("working_week", WEEK_HELP));
        }
        let mut mask = 0u8;
        for day in days {
            mask |= 1 << day_index(day.as_ref()).ok_or_else(|| Invalid::new("working_week", WEEK_HELP))?;
        }
        Ok(WorkingWeek(mask))
    }

    /// The days, Monday first, as three-letter names.
    pub fn days(self) -> Vec<&'static str> {
        (0..7).filter(|i| self.0 & (1 << i) != 0).map(|i| DAY_NAMES[i]).collect()
    }
}

/// The canonical text: one range where the days run on (over the weekend if need be), else a
/// list. This is what is stored.
impl fmt::Display for WorkingWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days: Vec<usize> = (0..7).filter(|i| self.0 & (1 << i) != 0).collect();
        if days.len() == 7 {
            return f.write_str("Mon-Sun");
        }
        // A run starts at a worked day whose previous day is not worked.
        let starts: Vec<usize> = days.iter().copied().filter(|d| self.0 & (1 << ((d + 6) % 7)) == 0).collect();
        if let [start] = starts[..]
            && days.len() > 1
        {
            let end = (start + days.len() - 1) % 7;
            return write!(f, "{}-{}", DAY_NAMES[start], DAY_NAMES[end]);
        }
        f.write_str(&days.iter().map(|d| DAY_NAMES[*d]).collect::<Vec<_>>().join(","))
    }
}

fn day_index(raw: &str) -> Option<usize> {
    let raw = raw.trim();
    if raw.len() < 3 {
        return None;
    }
    let index = DAY_NAMES.iter().position(|d| d.eq_ignore_ascii_case(&raw[..3.min(raw.len())]))?;
    const FULL: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    (raw.len() == 3 || FULL[index].eq_ignore_ascii_case(raw)).then_some(index)
}

/// When leave years begin: January by default, or the first of another month. A leave year is
/// named by the calendar year it begins in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeaveYear {
    start_month: u32,
}

impl Default for LeaveYear {
    fn default() -> Self {
        LeaveYear { start_month: 1 }
    }
}

impl LeaveYear {
    pub fn starting_in(month: u32) -> Option<LeaveYear> {
        (1..=12).contains(&month).then_some(LeaveYear { start_month: month })
    }

    pub fn start_month(self) -> u32 {
        self.start_month
    }

    pub fn of(self, date: NaiveDate) -> i32 {
        if date.month() >= self.start_month { date.year() } else { date.year() - 1 }
    }

    pub fn first_day(self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, self.start_month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self, year: i32) -> NaiveDate {
        self.first_day(year + 1).pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn length_in_days(self, year: i32) -> i64 {
        (self.last_day(year) - self.first_day(year)).num_days() + 1
    }

    /// The last day on which days carried into `year` may be used: `months` after it begins.
    pub fn carry_expiry(self, year: i32, months: u32) -> NaiveDate {
        self.first_day(year)
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }
}

/// What happens when a request would take a balance below zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Overdraw {
    /// Refuse the request.
    #[default]
    Block,
    /// Accept it; the approver sees the negative balance.
    Warn,
}

impl Overdraw {
    pub fn parse(raw: &str) -> Result<Overdraw, Invalid> {
        match raw.trim() {
            r if r.eq_ignore_ascii_case("block") => Ok(Overdraw::Block),
            r if r.eq_ignore_ascii_case("warn") => Ok(Overdraw::Warn),
            _ => Err(Invalid::new("overdraw", "The overdraw rule must be block or warn.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Overdraw::Block => "block",
            Overdraw::Warn => "warn",
        }
    }
}

/// A kind of leave and the policy it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaveType {
    pub id: i32,
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    /// Counted against the yearly allowance.
    pub deducted: bool,
    /// Without approval, a request is approved as it is made.
    pub needs_approval: bool,
    /// Colleagues see that the person is off, never the type or the comment.
    pub private: bool,
    pub half_days: bool,
    pub overdraw: Overdraw,
    /// Retired types stay on old requests but take no new ones.
    pub active: bool,
}

/// The type of every request made before leave types existed, and the default.
pub const ANNUAL_LEAVE: i32 = 1;

/// The longest leave type name, in characters.
pub const MAX_TYPE_NAME: usize = 60;

pub fn type_name(raw: &str) -> Result<String, Invalid> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_TYPE_NAME.min(MAX_NAME) {
        return Err(Invalid::new("name", format!("The name must be 1 to {MAX_TYPE_NAME} characters.")));
    }
    if name.chars().any(char::is_control) {
        return Err(Invalid::new("name", "The name contains an invisible control character."));
    }
    Ok(name.to_owned())
}

/// `#rrggbb`, stored in lower case.
pub fn colour(raw: &str) -> Result<String, Invalid> {
    let c = raw.trim();
    if c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(c.to_ascii_lowercase())
    } else {
        Err(Invalid::new("colour", "The colour must be written #rrggbb, like #2f6fdf."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn days_are_half_day_steps() {
        assert_eq!(Days::halves(9).to_string(), "4.5");
        assert_eq!(Days::whole(25).to_string(), "25");
        assert_eq!(Days::halves(-1).to_string(), "-0.5");
        assert_eq!(Days::halves(-4).to_string(), "-2");
        assert_eq!(Days::parse("allowance_days", "allowance", " 12.5 "), Ok(Days::halves(25)));
        assert_eq!(Days::from_number("days", "adjustment", -1.5), Ok(Days::halves(-3)));
        for bad in ["1.25", "abc", "", "NaN", "inf", "1e9"] {
            let err = Days::parse("allowance_days", "allowance", bad).unwrap_err();
            assert_eq!(err.field, "allowance_days", "{bad}");
            assert!(err.message.contains("steps of 0.5"), "{bad}");
        }
        assert_eq!(Days::halves(3).as_f64(), 1.5);
        assert_eq!([Days::whole(1), Days::halves(1)].into_iter().sum::<Days>(), Days::halves(3));
    }

    #[test]
    fn pro_rata_rounds_to_the_nearest_half_day() {
        // 25 days for 184 of 365 days: 12.60..., the nearest half day is 12.5.
        assert_eq!(Days::whole(25).scaled(184, 365), Days::halves(25));
        // 25 × 0.75 = 18.75, a tie between 18.5 and 19: rounded up.
        assert_eq!(Days::whole(25).scaled(3, 4), Days::halves(38));
        assert_eq!(Days::whole(25).scaled(0, 365), Days::ZERO);
        assert_eq!(Days::whole(25).scaled(365, 365), Days::whole(25));
    }

    #[test]
    fn parts_of_days_parse_strictly() {
        assert_eq!(StartPart::parse(None), Ok(StartPart::Full));
        assert_eq!(StartPart::parse(Some("Afternoon")), Ok(StartPart::Afternoon));
        assert_eq!(StartPart::parse(Some("morning")).unwrap_err().field, "start_part");
        assert_eq!(EndPart::parse(Some("morning")), Ok(EndPart::Morning));
        assert_eq!(EndPart::parse(Some("afternoon")).unwrap_err().field, "end_part");
    }

    #[test]
    fn working_weeks_parse_ranges_lists_and_wraps() {
        let week = |s: &str| WorkingWeek::parse(s).unwrap();
        assert_eq!(week("Mon-Fri"), WorkingWeek::default());
        assert_eq!(week("monday-friday"), WorkingWeek::default());
        let sun_thu = week("Sun-Thu");
        assert!(sun_thu.works_on(Weekday::Sun) && sun_thu.works_on(Weekday::Thu));
        assert!(!sun_thu.works_on(Weekday::Fri) && !sun_thu.works_on(Weekday::Sat));
        assert_eq!(sun_thu.to_string(), "Sun-Thu");
        assert_eq!(week("Mon,Tue,Thu").to_string(), "Mon,Tue,Thu");
        assert_eq!(week("Tue, Mon, Wed").to_string(), "Mon-Wed");
        assert_eq!(week("Mon-Sun").to_string(), "Mon-Sun");
        assert_eq!(week("Sat").to_string(), "Sat");
        assert_eq!(WorkingWeek::from_days(&["Sun", "Mon", "Tue", "Wed", "Thu"]), Ok(sun_thu));
        assert_eq!(sun_thu.days(), ["Mon", "Tue", "Wed", "Thu", "Sun"]);
        for bad in ["", "Mo-Fr", "Mon-", "Funday", "Mon;Tue", "Monnday"] {
            assert_eq!(WorkingWeek::parse(bad).unwrap_err().field, "working_week", "{bad}");
        }
        assert!(WorkingWeek::from_days::<&str>(&[]).is_err());
    }

    #[test]
    fn leave_years_start_on_the_configured_month() {
        let calendar = LeaveYear::default();
        assert_eq!(calendar.of(d("2026-12-31")), 2026);
        assert_eq!(calendar.of(d("2027-01-01")), 2027);
        assert_eq!(calendar.carry_expiry(2027, 3), d("2027-03-31"));
        assert_eq!(calendar.length_in_days(2028), 366, "leap year");
        let april = LeaveYear::starting_in(4).unwrap();
        assert_eq!(april.of(d("2027-03-31")), 2026);
        assert_eq!(april.of(d("2027-04-01")), 2027);
        assert_eq!((april.first_day(2027), april.last_day(2027)), (d("2027-04-01"), d("2028-03-31")));
        assert_eq!(april.carry_expiry(2027, 3), d("2027-06-30"));
        assert!(LeaveYear::starting_in(0).is_none() && LeaveYear::starting_in(13).is_none());
    }

    #[test]
    fn type_fields_are_checked() {
        assert_eq!(colour("#2F6FDF"), Ok("#2f6fdf".into()));
        assert_eq!(colour("blue").unwrap_err().field, "colour");
        assert_eq!(Overdraw::parse("Warn"), Ok(Overdraw::Warn));
        assert_eq!(Overdraw::parse("maybe").unwrap_err().field, "overdraw");
        assert_eq!(type_name("  Parental leave "), Ok("Parental leave".into()));
        assert_eq!(type_name(" ").unwrap_err().field, "name");
    }
}
