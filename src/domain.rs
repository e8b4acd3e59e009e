//! The rules of holiday requests, free of HTTP and SQL so they can be read and tested alone.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::fmt;

/// The longest request anyone can make, in calendar days.
pub const MAX_DAYS: i64 = 366;
/// The longest comment or decision note, in characters.
pub const MAX_TEXT: usize = 1000;

/// A request's state. The spellings are the walkthrough's, so its rows stay readable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Status {
    Pending,
    Approved,
    Declined,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pending, Status::Approved, Status::Declined, Status::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Approved => "Approved",
            Status::Declined => "Declined",
            Status::Cancelled => "Cancelled",
        }
    }

    /// Parses a status from a query string or JSON, in any letter case.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Status {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        // Exact match: the database must hold one of the four spellings.
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown request status '{s}' in the database"))
    }
}

/// What a manager can decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approved,
    Declined,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Decision> {
        match Status::parse(s)? {
            Status::Approved => Some(Decision::Approved),
            Status::Declined => Some(Decision::Declined),
            _ => None,
        }
    }

    pub fn status(self) -> Status {
        match self {
            Decision::Approved => Status::Approved,
            Decision::Declined => Status::Declined,
        }
    }

    /// "approved" / "declined", for sentences.
    pub fn past_tense(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Declined => "declined",
        }
    }
}

/// A problem with what somebody typed, tied to the field it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Invalid { field, message: message.into() }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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

/// Checks an optional free-text field: trims it, empties become `None`, too long is refused,
/// and so are control characters other than line breaks and tabs (Postgres cannot store NUL).
pub fn optional_text(field: &'static str, label: &str, raw: Option<&str>) -> Result<Option<String>, Invalid> {
    let text = raw.map(str::trim).filter(|t| !t.is_empty());
    if text.is_some_and(|t| t.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))) {
        return Err(Invalid::new(
            field,
            format!("The {label} contains an invisible control character; please type it again as plain text."),
        ));
    }
    match text {
        Some(t) if t.chars().count() > MAX_TEXT => Err(Invalid::new(
            field,
            format!("The {label} is {} characters long; at most {MAX_TEXT} are allowed.", t.chars().count()),
        )),
        Some(t) => Ok(Some(t.to_owned())),
        None => Ok(None),
    }
}

/// The person acting, as far as the rules care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub email: String,
    pub is_admin: bool,
}

/// Who a request belongs to, as far as the rules care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ownership<'a> {
    /// `None` for rows made before the app knew who asked (the walkthrough's).
    pub requester: Option<&'a str>,
    /// The requester's manager in the directory, if any.
    pub manager: Option<&'a str>,
}

/// Why an action is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Forbidden(String),
    /// The request is no longer in a state that allows it.
    Conflict(String),
}

impl Actor {
    pub fn may_view(&self, o: &Ownership) -> bool {
        self.is_admin || o.requester == Some(self.email.as_str()) || o.manager == Some(self.email.as_str())
    }

    /// Managers decide their reports' requests; admins decide any, including those whose
    /// requester or manager is unknown; nobody decides their own.
    pub fn may_decide(&self, o: &Ownership) -> Result<(), Refusal> {
        if o.requester == Some(self.email.as_str()) {
            return Err(Refusal::Forbidden("Nobody can decide their own request.".into()));
        }
        if self.is_admin || o.manager == Some(self.email.as_str()) {
            return Ok(());
        }
        Err(Refusal::Forbidden(match (o.requester, o.manager) {
            (Some(_), Some(_)) => "Only the requester's manager or an admin can decide this request.".into(),
            _ => "This request has no known manager, so only an admin can decide it.".into(),
        }))
    }

    /// Only the requester cancels, and only while the holiday has not begun.
    pub fn may_cancel(&self, o: &Ownership, status: Status, start: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
        if o.requester != Some(self.email.as_str()) {
            return Err(Refusal::Forbidden("Only the person who asked can cancel a request.".into()));
        }
        cancellable(status, start, today)
    }
}

/// Pending requests can always be cancelled; approved ones until their first day.
pub fn cancellable(status: Status, start: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    match status {
        Status::Pending => Ok(()),
        Status::Approved if start > today => Ok(()),
        Status::Approved => {
            Err(Refusal::Conflict("This holiday has already started, so it can no longer be cancelled.".into()))
        }
        Status::Declined => Err(Refusal::Conflict("This request was declined; there is nothing to cancel.".into())),
        Status::Cancelled => Err(Refusal::Conflict("This request is already cancelled.".into())),
    }
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
    fn overlap_is_inclusive() {
        let a = DateRange::parse("2026-07-01", "2026-07-10").unwrap();
        assert!(a.overlaps(&DateRange::parse("2026-07-10", "2026-07-12").unwrap()));
        assert!(a.overlaps(&DateRange::parse("2026-06-01", "2026-07-01").unwrap()));
        assert!(a.overlaps(&DateRange::parse("2026-07-03", "2026-07-04").unwrap()));
        assert!(!a.overlaps(&DateRange::parse("2026-07-11", "2026-07-12").unwrap()));
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(optional_text("note", "note", None), Ok(None));
        assert_eq!(optional_text("note", "note", Some("   ")), Ok(None));
        assert_eq!(optional_text("note", "note", Some(" ok ")), Ok(Some("ok".into())));
        let long = "é".repeat(MAX_TEXT);
        assert!(optional_text("note", "note", Some(&long)).is_ok(), "characters, not bytes");
        let err = optional_text("note", "note", Some(&format!("{long}x"))).unwrap_err();
        assert_eq!(err.field, "note");
        assert!(err.message.contains("1001 characters"));
        assert!(optional_text("note", "note", Some("two\nlines\tand a tab")).is_ok());
        for bad in ["nul \0 inside", "bell \u{7}", "escape \u{1b}[31m"] {
            let err = optional_text("comment", "comment", Some(bad)).unwrap_err();
            assert!(err.message.contains("control character"), "{bad:?}");
        }
    }

    #[test]
    fn statuses_and_decisions_parse() {
        assert_eq!(Status::parse("pending"), Some(Status::Pending));
        assert_eq!(Status::parse("Nope"), None);
        assert_eq!(Status::try_from("Declined".to_owned()), Ok(Status::Declined));
        assert!(Status::try_from("declined".to_owned()).is_err(), "the database spelling is exact");
        assert_eq!(Decision::parse("Approved"), Some(Decision::Approved));
        assert_eq!(Decision::parse("Cancelled"), None, "cancelling is not a decision");
    }

    fn actor(email: &str, is_admin: bool) -> Actor {
        Actor { email: email.into(), is_admin }
    }

    #[test]
    fn who_may_decide() {
        let joes = Ownership { requester: Some("joe@x"), manager: Some("maria@x") };
        assert_eq!(actor("maria@x", false).may_decide(&joes), Ok(()));
        assert_eq!(actor("root@x", true).may_decide(&joes), Ok(()));
        assert!(matches!(actor("lee@x", false).may_decide(&joes), Err(Refusal::Forbidden(_))));
        assert!(matches!(actor("joe@x", false).may_decide(&joes), Err(Refusal::Forbidden(_))));
        assert!(matches!(actor("joe@x", true).may_decide(&joes), Err(Refusal::Forbidden(_))), "not even an admin");

        let walkthrough_row = Ownership { requester: None, manager: None };
        assert_eq!(actor("root@x", true).may_decide(&walkthrough_row), Ok(()));
        let Err(Refusal::Forbidden(why)) = actor("maria@x", false).may_decide(&walkthrough_row) else { panic!() };
        assert!(why.contains("only an admin"));

        let newcomer = Ownership { requester: Some("new@x"), manager: None };
        assert_eq!(actor("root@x", true).may_decide(&newcomer), Ok(()));
        assert!(actor("maria@x", false).may_decide(&newcomer).is_err());
    }

    #[test]
    fn who_may_view() {
        let joes = Ownership { requester: Some("joe@x"), manager: Some("maria@x") };
        assert!(actor("joe@x", false).may_view(&joes));
        assert!(actor("maria@x", false).may_view(&joes));
        assert!(actor("root@x", true).may_view(&joes));
        assert!(!actor("suzy@x", false).may_view(&joes));
    }

    #[test]
    fn who_may_cancel_and_when() {
        let joes = Ownership { requester: Some("joe@x"), manager: Some("maria@x") };
        let today = d("2026-07-01");
        let joe = actor("joe@x", false);
        assert_eq!(joe.may_cancel(&joes, Status::Pending, d("2026-06-01"), today), Ok(()));
        assert_eq!(joe.may_cancel(&joes, Status::Approved, d("2026-07-02"), today), Ok(()));
        assert!(matches!(joe.may_cancel(&joes, Status::Approved, today, today), Err(Refusal::Conflict(_))));
        assert!(matches!(joe.may_cancel(&joes, Status::Declined, d("2026-08-01"), today), Err(Refusal::Conflict(_))));
        assert!(matches!(joe.may_cancel(&joes, Status::Cancelled, d("2026-08-01"), today), Err(Refusal::Conflict(_))));
        assert!(matches!(
            actor("maria@x", true).may_cancel(&joes, Status::Pending, d("2026-08-01"), today),
            Err(Refusal::Forbidden(_))
        ));
    }
}
