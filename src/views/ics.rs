//! Leave requests as an iCalendar file (RFC 5545): one all-day event per request, for a
//! calendar app to import or subscribe to.
//!
//! The `icalendar` crate writes the file: CRLF line ends, TEXT escaping (backslash, comma,
//! semicolon, newline) and line folding at UTF-8 character boundaries. Two of its gaps are
//! closed here, and nothing else is formatted by hand:
//! - it passes a carriage return, or any other control character, through a TEXT value
//!   unescaped, and a bare CR breaks the content line (a browser's textarea sends CRLF), so
//!   text is cleaned before it is handed over: CRLF and CR become LF, which the crate escapes;
//! - its folding can leave a continuation line of 76 octets (the leading space and 75 more,
//!   when exactly 75 octets remain after a fold), so any line over 75 octets is cut once more.
//!
//! Its `Calendar::name` also writes RFC 7986's NAME beside X-WR-CALNAME, but unescaped (the
//! crate does not know NAME is TEXT), so only X-WR-CALNAME is written, as a property of its own.
//! It also fills in the current time as DTSTAMP and a random UID when they are missing; both
//! are always set from the request, so the same requests give the same bytes.

use chrono::{NaiveDate, NaiveDateTime};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// RFC 5545's limit on a content line, in octets, not counting the CRLF.
const LINE_OCTETS: usize = 75;

const PRODID: &str = "-//holidays//Leave requests//EN";

/// One request as a calendar event.
pub struct IcsEvent {
    /// Stable across downloads: `request-{id}@{host}` style; the caller passes it whole.
    pub uid: String,
    pub first_day: NaiveDate,
    /// Inclusive; the file's DTEND is the day after (exclusive, as RFC 5545 all-day events need).
    pub last_day: NaiveDate,
    pub summary: String,
    pub description: Option<String>,
    /// Pending requests are TENTATIVE, approved ones CONFIRMED (the caller leaves out the rest).
    pub tentative: bool,
    /// When the request last changed (UTC): written as DTSTAMP (and LAST-MODIFIED), so the
    /// same request gives the same bytes on every download.
    pub changed: NaiveDateTime,
    /// A link to the request in the app, if any (URL property).
    pub url: Option<String>,
}

/// A whole VCALENDAR (VERSION:2.0, a PRODID naming this app, CALSCALE:GREGORIAN, METHOD:PUBLISH,
/// X-WR-CALNAME with `name`), CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character).
pub fn calendar(name: &str, events: &[IcsEvent]) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODID))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        // Not the crate's `name()`: it adds RFC 7986's NAME too, and writes that unescaped.
        .append_property(Property::new("X-WR-CALNAME", text(name)));
    for event in events {
        calendar.push(vevent(event));
    }
    refold(&calendar.to_string())
}

fn vevent(request: &IcsEvent) -> Event {
    let changed = request.changed.and_utc();
    // DTEND is exclusive: the day after the last day (and never before DTSTART).
    let last_day = request.last_day.max(request.first_day);
    let end = last_day.succ_opt().unwrap_or(last_day);
    let mut event = Event::new();
    event
        .uid(&text(&request.uid))
        .timestamp(changed)
        .last_modified(changed)
        // A `NaiveDate` is written as `;VALUE=DATE`.
        .starts(request.first_day)
        .ends(end)
        .summary(&text(&request.summary))
        .status(if request.tentative { EventStatus::Tentative } else { EventStatus::Confirmed })
        .add_property("TRANSP", "OPAQUE");
    if let Some(description) = &request.description {
        event.description(&text(description));
    }
    if let Some(url) = &request.url {
        // A URI is written as it is, unescaped: a control character in it would break the line.
        event.url(&url.chars().filter(|c| !c.is_ascii_control()).collect::<String>());
    }
    event.done()
}

/// A TEXT value the crate can escape whole: line breaks as LF, and no other control character
/// but tab (RFC 5545 allows no others in TEXT).
fn text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_ascii_control())
        .collect()
}

/// Cuts the lines that the crate's folding left over 75 octets, at a character boundary, each
/// new continuation line starting with a space as RFC 5545 folding does.
fn refold(ics: &str) -> String {
    let mut out = String::with_capacity(ics.len() + ics.len() / 64);
    for line in ics.split_inclusive("\r\n") {
        let (mut rest, end) = line.strip_suffix("\r\n").map_or((line, ""), |rest| (rest, "\r\n"));
        // The first piece is the line as the crate wrote it, with its own leading space if it
        // is a continuation; a new continuation line's space takes one octet of its room.
        let mut room = LINE_OCTETS;
        while rest.len() > room {
            let mut cut = room;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            room = LINE_OCTETS - 1;
        }
        out.push_str(rest);
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use calcard::common::PartialDateTime;
    use calcard::icalendar::{
        ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarParameterName, ICalendarParameterValue,
        ICalendarProperty, ICalendarStatus, ICalendarValue, ICalendarValueType, Uri,
    };

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        day(y, m, d).and_hms_opt(h, min, s).unwrap()
    }

    fn request(id: i32, first_day: NaiveDate, last_day: NaiveDate) -> IcsEvent {
        IcsEvent {
            uid: format!("request-{id}@holidays.example"),
            first_day,
            last_day,
            summary: format!("Leave {id}"),
            description: None,
            tentative: false,
            changed: at(2026, 3, 4, 5, 6, 7),
            url: None,
        }
    }

    /// Parsed by calcard, an implementation independent of the writer.
    fn parse(ics: &str) -> ICalendar {
        ICalendar::parse(ics).unwrap_or_else(|e| panic!("not an iCalendar: {e:?}\n{ics}"))
    }

    fn vevents(calendar: &ICalendar) -> Vec<&ICalendarComponent> {
        calendar.components.iter().filter(|c| c.component_type == ICalendarComponentType::VEvent).collect()
    }

    fn vcalendar(calendar: &ICalendar) -> &ICalendarComponent {
        let root = &calendar.components[0];
        assert_eq!(root.component_type, ICalendarComponentType::VCalendar);
        root
    }

    fn value(component: &ICalendarComponent, property: ICalendarProperty) -> &ICalendarValue {
        let entry = component.property(&property).unwrap_or_else(|| panic!("no {property:?} in {component:?}"));
        assert_eq!(entry.values.len(), 1, "{entry:?}");
        &entry.values[0]
    }

    fn text_of(component: &ICalendarComponent, property: ICalendarProperty) -> &str {
        value(component, property).as_text().unwrap()
    }

    /// A `VALUE=DATE` date.
    fn date_of(component: &ICalendarComponent, property: ICalendarProperty) -> NaiveDate {
        let entry = component.property(&property).unwrap();
        assert_eq!(
            entry.parameter(&ICalendarParameterName::Value),
            Some(&ICalendarParameterValue::Value(ICalendarValueType::Date)),
            "{entry:?}"
        );
        let d = entry.values[0].as_partial_date_time().unwrap();
        assert_eq!((d.hour, d.minute, d.second), (None, None, None), "a date, not a date-time: {d:?}");
        day(d.year.unwrap().into(), d.month.unwrap().into(), d.day.unwrap().into())
    }

    /// A UTC date-time.
    fn utc_of(component: &ICalendarComponent, property: ICalendarProperty) -> NaiveDateTime {
        let d: &PartialDateTime = value(component, property).as_partial_date_time().unwrap();
        assert_eq!((d.tz_hour, d.tz_minute), (Some(0), Some(0)), "UTC: {d:?}");
        at(
            d.year.unwrap().into(),
            d.month.unwrap().into(),
            d.day.unwrap().into(),
            d.hour.unwrap().into(),
            d.minute.unwrap().into(),
            d.second.unwrap().into(),
        )
    }

    /// The physical lines, without their CRLF.
    fn lines(ics: &str) -> Vec<&str> {
        ics.strip_suffix("\r\n").unwrap().split("\r\n").collect()
    }

    /// The content lines, unfolded: RFC 5545 removes each CRLF with the one space after it.
    fn unfolded(ics: &str) -> Vec<String> {
        lines(&ics.replace("\r\n ", "")).into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn calendar_header_names_the_app_and_the_calendar() {
        let ics = calendar("Leave, Team A; approved", &[]);
        let parsed = parse(&ics);
        let root = vcalendar(&parsed);
        assert_eq!(text_of(root, ICalendarProperty::Version), "2.0");
        assert_eq!(text_of(root, ICalendarProperty::Prodid), PRODID);
        assert!(
            matches!(value(root, ICalendarProperty::Calscale), ICalendarValue::CalendarScale(s) if *s == calcard::common::CalendarScale::Gregorian)
        );
        assert!(matches!(
            value(root, ICalendarProperty::Method),
            ICalendarValue::Method(calcard::icalendar::ICalendarMethod::Publish)
        ));
        assert_eq!(text_of(root, ICalendarProperty::Other("X-WR-CALNAME".into())), "Leave, Team A; approved");
        assert!(vevents(&parsed).is_empty());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    }

    #[test]
    fn events_round_trip_through_an_independent_parser() {
        let mut pending = request(7, day(2026, 7, 13), day(2026, 7, 24));
        pending.tentative = true;
        pending.description = Some("Summer, two weeks".into());
        pending.url = Some("https://holidays.example/requests/7?tab=a;b,c".into());
        let approved = request(8, day(2026, 8, 3), day(2026, 8, 5));
        let ics = calendar("Leave", &[pending, approved]);

        let parsed = parse(&ics);
        let events = vevents(&parsed);
        assert_eq!(events.len(), 2, "{ics}");
        let (pending, approved) = (events[0], events[1]);

        assert_eq!(pending.uid(), Some("request-7@holidays.example"));
        assert_eq!(date_of(pending, ICalendarProperty::Dtstart), day(2026, 7, 13));
        assert_eq!(date_of(pending, ICalendarProperty::Dtend), day(2026, 7, 25));
        assert_eq!(pending.status(), Some(&ICalendarStatus::Tentative));
        assert_eq!(text_of(pending, ICalendarProperty::Summary), "Leave 7");
        assert_eq!(text_of(pending, ICalendarProperty::Description), "Summer, two weeks");
        assert!(
            matches!(value(pending, ICalendarProperty::Url), ICalendarValue::Uri(Uri::Location(u)) if u == "https://holidays.example/requests/7?tab=a;b,c"),
            "{ics}"
        );
        assert_eq!(pending.transparency(), Some(&calcard::icalendar::ICalendarTransparency::Opaque));

        assert_eq!(approved.uid(), Some("request-8@holidays.example"));
        assert_eq!(date_of(approved, ICalendarProperty::Dtstart), day(2026, 8, 3));
        assert_eq!(date_of(approved, ICalendarProperty::Dtend), day(2026, 8, 6));
        assert_eq!(approved.status(), Some(&ICalendarStatus::Confirmed));
        assert!(approved.property(&ICalendarProperty::Description).is_none(), "{ics}");
        assert!(approved.property(&ICalendarProperty::Url).is_none(), "{ics}");
    }

    #[test]
    fn dtend_is_the_day_after_the_last_day() {
        let one_day = request(1, day(2026, 5, 14), day(2026, 5, 14));
        let new_year = request(2, day(2026, 12, 28), day(2026, 12, 31));
        let leap = request(3, day(2028, 2, 28), day(2028, 2, 28));
        let ics = calendar("Leave", &[one_day, new_year, leap]);
        let parsed = parse(&ics);
        let ends: Vec<_> = vevents(&parsed).into_iter().map(|e| date_of(e, ICalendarProperty::Dtend)).collect();
        assert_eq!(ends, [day(2026, 5, 15), day(2027, 1, 1), day(2028, 2, 29)]);
        // As the bytes read, too.
        let content = unfolded(&ics);
        for line in ["DTSTART;VALUE=DATE:20260514", "DTEND;VALUE=DATE:20260515", "DTEND;VALUE=DATE:20270101"] {
            assert!(content.iter().any(|l| l == line), "no {line} in {ics}");
        }
    }

    #[test]
    fn dtstamp_and_last_modified_are_when_the_request_changed() {
        let mut changed = request(1, day(2026, 5, 14), day(2026, 5, 15));
        changed.changed = at(2025, 12, 31, 23, 59, 58);
        let ics = calendar("Leave", &[changed]);
        let parsed = parse(&ics);
        let event = vevents(&parsed)[0];
        assert_eq!(utc_of(event, ICalendarProperty::Dtstamp), at(2025, 12, 31, 23, 59, 58));
        assert_eq!(utc_of(event, ICalendarProperty::LastModified), at(2025, 12, 31, 23, 59, 58));
        assert!(unfolded(&ics).iter().any(|l| l == "DTSTAMP:20251231T235958Z"), "{ics}");
    }

    #[test]
    fn special_characters_in_text_round_trip_exactly() {
        let summary = "Ski, Alps; C:\\temp\\n is not a newline\\, but this is:\nsecond line\\";
        let mut event = request(1, day(2026, 2, 2), day(2026, 2, 6));
        event.summary = summary.into();
        event.description = Some("a,b;c\\d\n\ne".into());
        let ics = calendar("Leave", &[event]);
        let parsed = parse(&ics);
        let event = vevents(&parsed)[0];
        assert_eq!(text_of(event, ICalendarProperty::Summary), summary);
        assert_eq!(text_of(event, ICalendarProperty::Description), "a,b;c\\d\n\ne");
        // Escaped as RFC 5545 section 3.3.11 says, whatever a parser forgives.
        let content = unfolded(&ics);
        let expected = r"SUMMARY:Ski\, Alps\; C:\\temp\\n is not a newline\\\, but this is:\nsecond line\\";
        assert!(content.iter().any(|l| l == expected), "no {expected} in {ics}");
        assert!(content.iter().any(|l| l == r"DESCRIPTION:a\,b\;c\\d\n\ne"), "{ics}");
    }

    #[test]
    fn carriage_returns_and_control_characters_cannot_break_a_line() {
        let mut event = request(1, day(2026, 2, 2), day(2026, 2, 6));
        event.summary = "from a textarea\r\nsecond\rthird\u{7}\tbell".into();
        event.url = Some("https://holidays.example/r/1\r\nX-INJECTED:yes".into());
        let ics = calendar("Leave\r\nX-INJECTED:yes", &[event]);
        assert!(!ics.replace("\r\n", "").contains(['\r', '\n']), "{ics:?}");
        assert!(!ics.contains("\r\nX-INJECTED"), "{ics}");
        let parsed = parse(&ics);
        let event = vevents(&parsed)[0];
        assert_eq!(text_of(event, ICalendarProperty::Summary), "from a textarea\nsecond\nthird\tbell");
        assert!(
            matches!(value(event, ICalendarProperty::Url), ICalendarValue::Uri(Uri::Location(u)) if u == "https://holidays.example/r/1X-INJECTED:yes"),
            "{ics}"
        );
        assert_eq!(
            text_of(vcalendar(&parsed), ICalendarProperty::Other("X-WR-CALNAME".into())),
            "Leave\nX-INJECTED:yes"
        );
    }

    #[test]
    fn long_non_ascii_description_folds_at_75_octets() {
        let description: String = "Zürich – Ærø ".chars().cycle().take(200).collect();
        assert_eq!(description.chars().count(), 200);
        let mut event = request(1, day(2026, 2, 2), day(2026, 2, 6));
        event.description = Some(description.clone());
        let ics = calendar("Leave", &[event]);

        let physical = lines(&ics);
        for line in &physical {
            assert!(line.len() <= LINE_OCTETS, "{} octets: {line:?}", line.len());
        }
        let start = physical.iter().position(|l| l.starts_with("DESCRIPTION:")).unwrap();
        let continuations = physical[start + 1..].iter().take_while(|l| l.starts_with(' ')).count();
        // 200 characters of 1 to 3 octets each, about 260 octets: at least three folds.
        assert!(continuations >= 3, "{ics}");

        let parsed = parse(&ics);
        assert_eq!(text_of(vevents(&parsed)[0], ICalendarProperty::Description), description);
        let content = unfolded(&ics);
        assert!(content.contains(&format!("DESCRIPTION:{description}")), "{ics}");
    }

    /// The crate's own folding leaves a 76-octet continuation line when exactly 75 octets
    /// remain after a fold (a 150-octet line, for one); every length is tried here.
    #[test]
    fn no_line_of_any_length_goes_over_75_octets() {
        for unit in ["x", "é", "–", "😀", "a é"] {
            for n in 60..=240 {
                let summary: String = unit.chars().cycle().take(n).collect();
                let mut event = request(1, day(2026, 2, 2), day(2026, 2, 6));
                event.summary = summary.clone();
                let ics = calendar("Leave", &[event]);
                for line in lines(&ics) {
                    assert!(line.len() <= LINE_OCTETS, "{} octets for {unit:?} x {n}: {line:?}", line.len());
                }
                let parsed = parse(&ics);
                assert_eq!(text_of(vevents(&parsed)[0], ICalendarProperty::Summary), summary);
            }
        }
    }

    #[test]
    fn refold_cuts_any_long_line_within_75_octets() {
        let line = format!("SUMMARY:{}", "é😀x".repeat(60));
        let folded = refold(&format!("{line}\r\nUID:1\r\n"));
        let physical = lines(&folded);
        // 428 octets: six pieces at least, and the UID line.
        assert!(physical.len() >= 7, "{folded}");
        for (i, piece) in physical.iter().enumerate() {
            assert!(piece.len() <= LINE_OCTETS, "{} octets: {piece:?}", piece.len());
            assert_eq!(piece.starts_with(' '), 0 < i && i < physical.len() - 1, "{piece:?}");
        }
        assert_eq!(unfolded(&folded), [line, "UID:1".to_owned()]);
    }

    #[test]
    fn every_line_ends_in_crlf() {
        let mut event = request(1, day(2026, 2, 2), day(2026, 2, 6));
        event.description = Some("line one\nline two\r\nline three ".repeat(10));
        let ics = calendar("Leave", &[event]);
        assert!(ics.ends_with("END:VCALENDAR\r\n"), "{ics:?}");
        // Take the CRLFs out and no CR or LF is left: none stands alone.
        assert!(!ics.replace("\r\n", "").contains(['\r', '\n']), "{ics:?}");
        assert!(ics.matches("\r\n").count() > 15, "{ics:?}");
    }

    #[test]
    fn same_input_gives_same_bytes() {
        let events = || {
            let mut pending = request(1, day(2026, 2, 2), day(2026, 2, 6));
            pending.tentative = true;
            pending.description = Some("Zürich – Ærø ".repeat(20));
            [pending, request(2, day(2026, 3, 2), day(2026, 3, 2))]
        };
        let first = calendar("Leave", &events());
        // Past a second boundary, so a clock time in the output would show.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let second = calendar("Leave", &events());
        assert_eq!(first, second);
        assert!(first.contains("UID:request-1@holidays.example\r\n"), "{first}");
        assert!(first.contains("DTSTAMP:20260304T050607Z\r\n"), "{first}");
    }
}
