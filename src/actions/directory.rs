//! The directory import: people added or updated from a CSV file, all or none.

use super::App;
use crate::db::take_turns;
use crate::domain::holidays::Location;
use crate::domain::leave::{Days, WorkingWeek};
use crate::domain::text::display_name;
use crate::domain::{Email, Zone};
use crate::error::AppError;
use crate::models::Profile;
use chrono::NaiveDate;

/// One line of a directory file. Each optional column is `None` when the file does not have
/// it, which leaves that field as it is for everyone; an empty cell clears it (or, for the
/// working week, sets Monday to Friday).
#[derive(Clone, Debug, PartialEq)]
pub struct DirectoryLine {
    pub email: Email,
    pub display_name: String,
    pub manager: Option<Option<Email>>,
    pub location: Option<Option<String>>,
    pub working_week: Option<WorkingWeek>,
    pub timezone: Option<Option<String>>,
    pub allowance_days: Option<Option<f64>>,
    pub start_date: Option<Option<NaiveDate>>,
}

/// The optional columns' values on one line, checked.
fn workplace_cell<T>(
    column: Option<usize>,
    field: &dyn Fn(usize) -> String,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<Option<T>>, String> {
    let Some(i) = column else { return Ok(None) };
    let cell = field(i);
    if cell.is_empty() {
        return Ok(Some(None));
    }
    parse(&cell).map(|v| Some(Some(v)))
}

/// Reads a directory CSV: a header naming `email` and `display_name`, and optionally
/// `manager_email`, `location`, `working_week`, `timezone`, `allowance_days` and `start_date`, in
/// any order (other columns are ignored), then one person a line. Errors name the line of the
/// file where the bad record starts, counting quoted line breaks.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<DirectoryLine>, String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    check_quotes(bytes)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader.headers().map_err(|e| describe(&e))?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err("the file is empty; expected a header line".into());
    }
    let column = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let email_col = column("email").ok_or("the header has no 'email' column")?;
    let name_col = column("display_name").ok_or("the header has no 'display_name' column")?;
    let manager_col = column("manager_email");
    let (location_col, week_col, zone_col) = (column("location"), column("working_week"), column("timezone"));
    let (allowance_col, start_col) = (column("allowance_days"), column("start_date"));

    let mut lines: Vec<DirectoryLine> = Vec::new();
    // Where each person's line is in `lines`: the last line for a person wins, as it would in a
    // spreadsheet edited top to bottom.
    let mut seen: std::collections::HashMap<Email, usize> = std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| describe(&e))?;
        // Counted from the record's byte offset: the csv crate's own line numbers drift on
        // CRLF files. Only an error pays for the count.
        let at = record.position().map_or(0, |p| p.byte() as usize);
        let line = || line_of(bytes, at);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let field = |i: usize| record.get(i).map(str::trim).unwrap_or("");
        let email =
            Email::parse(field(email_col)).map_err(|e| format!("line {}: '{}' {e}", line(), field(email_col)))?;
        let name = display_name(field(name_col)).map_err(|e| format!("line {}: {e}", line()))?;
        let manager = match manager_col.map(field) {
            None => None,
            Some("") => Some(None),
            Some(m) => {
                let m = Email::parse(m).map_err(|e| format!("line {}: manager '{m}' {e}", line()))?;
                if m == email {
                    return Err(format!("line {}: {email} cannot be their own manager", line()));
                }
                Some(Some(m))
            }
        };
        let owned = |i: usize| field(i).to_owned();
        let at_line = |message: String| format!("line {}: {message}", line());
        let location = workplace_cell(location_col, &owned, |l| {
            Location::parse(l).map(|l| l.code().to_owned()).map_err(|e| e.message)
        })
        .map_err(at_line)?;
        let working_week = workplace_cell(week_col, &owned, |w| WorkingWeek::parse(w).map_err(|e| e.message))
            .map_err(at_line)?
            .map(Option::unwrap_or_default);
        let timezone = workplace_cell(zone_col, &owned, |z| {
            Zone::named(z)
                .map(|z| z.name().to_owned())
                .ok_or_else(|| format!("'{z}' is not an IANA time zone name like Europe/Berlin"))
        })
        .map_err(at_line)?;
        let allowance_days = workplace_cell(allowance_col, &owned, |a| {
            Days::parse("allowance_days", "allowance", a).map_err(|e| e.message).and_then(|d| {
                if d.is_negative() || d > Days::whole(366) {
                    Err("The allowance must be from 0 to 366 days.".to_owned())
                } else {
                    Ok(d.as_f64())
                }
            })
        })
        .map_err(at_line)?;
        let start_date = workplace_cell(start_col, &owned, |d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| format!("the start date '{d}' must be written YYYY-MM-DD"))
        })
        .map_err(at_line)?;
        let entry = DirectoryLine {
            email: email.clone(),
            display_name: name,
            manager,
            location,
            working_week,
            timezone,
            allowance_days,
            start_date,
        };
        match seen.get(&email) {
            Some(&i) => lines[i] = entry,
            None => {
                seen.insert(email, lines.len());
                lines.push(entry);
            }
        }
    }
    Ok(lines)
}

/// The csv crate reads a quote inside a field, or one left open, leniently, which would
/// silently change what the file says (`"ab"c@x.com` would become `abc@x.com`, and an open
/// quote would swallow the rest of the file). This refuses both, naming the line.
fn check_quotes(bytes: &[u8]) -> Result<(), String> {
    let (mut line, mut quoted, mut field_start, mut after_closing) = (1u64, false, true, false);
    let mut opened_on = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            match b {
                b'"' if bytes.get(i + 1) == Some(&b'"') => i += 1,
                b'"' => {
                    quoted = false;
                    after_closing = true;
                }
                b'\n' => line += 1,
                _ => {}
            }
        } else {
            match b {
                b'"' if field_start => {
                    quoted = true;
                    opened_on = line;
                }
                b'"' => {
                    return Err(format!(
                        "line {line}: a quote (\") inside a field must be doubled and the field quoted"
                    ));
                }
                b',' => {
                    field_start = true;
                    after_closing = false;
                    i += 1;
                    continue;
                }
                b'\n' => {
                    line += 1;
                    field_start = true;
                    after_closing = false;
                    i += 1;
                    continue;
                }
                b'\r' => {}
                _ if after_closing => {
                    return Err(format!("line {line}: text follows a closing quote; quote the whole field"));
                }
                _ => {}
            }
            field_start = false;
        }
        i += 1;
    }
    if quoted {
        return Err(format!("line {opened_on}: a quoted field is never closed"));
    }
    Ok(())
}

/// The 1-based line of the record starting at a byte offset (which, after a CRLF, the csv
/// crate puts on the line feed: line breaks before the record's text are skipped).
fn line_of(bytes: &[u8], at: usize) -> usize {
    let mut at = at.min(bytes.len());
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|&&b| b == b'\n').count()
}

fn describe(e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!("line {}: {e}", p.line()),
        None => e.to_string(),
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Adds or updates people from parsed lines, in one transaction: all of them or none. Columns
/// the file lacks leave those fields as they are.
pub async fn import(app: &App, lines: Vec<DirectoryLine>) -> Result<ImportSummary, AppError> {
    app.db
        .write(move |conn| {
            // Two imports at once would each merge with what the other is replacing.
            take_turns(conn, "holidays-directory-import")?;
            let mut existing = Profile::all_by_email(conn)?;
            let mut summary = ImportSummary::default();
            let mut changed = Vec::new();
            for line in lines {
                let before = existing.remove(&line.email);
                let kept = before.clone().unwrap_or_else(|| Profile {
                    email: line.email.clone(),
                    display_name: String::new(),
                    manager_email: None,
                    location: None,
                    working_week: WorkingWeek::default().to_string(),
                    timezone: None,
                    allowance_days: None,
                    start_date: None,
                });
                let person = Profile {
                    email: line.email,
                    display_name: line.display_name,
                    manager_email: line.manager.unwrap_or(kept.manager_email),
                    location: line.location.unwrap_or(kept.location),
                    working_week: line.working_week.map_or(kept.working_week, |w| w.to_string()),
                    timezone: line.timezone.unwrap_or(kept.timezone),
                    allowance_days: line.allowance_days.unwrap_or(kept.allowance_days),
                    start_date: line.start_date.unwrap_or(kept.start_date),
                };
                match before {
                    Some(before) if before == person => summary.unchanged += 1,
                    Some(_) => {
                        summary.updated += 1;
                        changed.push(person);
                    }
                    None => {
                        summary.added += 1;
                        changed.push(person);
                    }
                }
            }
            Profile::upsert(conn, &changed)?;
            Ok(summary)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    #[test]
    fn csv_with_quotes_and_any_column_order() {
        let csv = "\u{feff}display_name,Email,manager_email,team\r\n\
                   \"Maria, the Manager\",Manager@Example.com,,ops\r\n\
                   \"Joe \"\"JJ\"\" Smith\",joe@example.com,MANAGER@example.com,ops\n\n";
        let lines = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(
            lines,
            vec![
                DirectoryLine {
                    email: e("manager@example.com"),
                    display_name: "Maria, the Manager".into(),
                    manager: Some(None),
                    location: None,
                    working_week: None,
                    timezone: None,
                    allowance_days: None,
                    start_date: None,
                },
                DirectoryLine {
                    email: e("joe@example.com"),
                    display_name: "Joe \"JJ\" Smith".into(),
                    manager: Some(Some(e("manager@example.com"))),
                    location: None,
                    working_week: None,
                    timezone: None,
                    allowance_days: None,
                    start_date: None,
                },
            ]
        );
    }

    #[test]
    fn an_absent_manager_column_is_not_an_empty_one() {
        let lines = parse_csv(b"email,display_name\njoe@x.com,Joe\n").unwrap();
        assert_eq!(lines[0].manager, None, "no column: leave the manager alone");
        let lines = parse_csv(b"email,display_name,manager_email\njoe@x.com,Joe,\n").unwrap();
        assert_eq!(lines[0].manager, Some(None), "an empty cell: no manager");
    }

    #[test]
    fn csv_errors_name_the_line() {
        assert!(parse_csv(b"").unwrap_err().contains("empty"));
        assert!(parse_csv(b"name,email\n").unwrap_err().contains("display_name"));
        let err = parse_csv(b"email,display_name\njoe@example.com,Joe\nnot-an-email,X\n").unwrap_err();
        assert_eq!(err, "line 3: 'not-an-email' is not an email address");
        let err = parse_csv(b"email,display_name,manager_email\na@x.com,A,a@x.com\n").unwrap_err();
        assert!(err.contains("own manager"));
        let err = parse_csv("email,display_name\n\u{212A}ate@x.com,K\n".as_bytes()).unwrap_err();
        assert!(err.starts_with("line 2:") && err.contains("ASCII"), "{err}");
    }

    #[test]
    fn a_quote_inside_a_field_is_refused_not_dropped() {
        let err = parse_csv(b"email,display_name\nok@x.com,Ok\n\"ab\"c@x.com,Abc\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        let err = parse_csv(b"email,display_name\nab\"c@x.com,Abc\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }

    #[test]
    fn an_unterminated_quote_is_refused_with_its_line() {
        let err = parse_csv(b"email,display_name\na@x.com,A\nb@x.com,\"Bee\nc@x.com,C\nd@x.com,D\n").unwrap_err();
        assert_eq!(err, "line 3: a quoted field is never closed");
    }

    #[test]
    fn lines_after_a_quoted_line_break_are_counted_right() {
        let csv = "email,display_name\r\na@x.com,\"Ann\r\nof two lines\"\r\nb@x.com,B\r\nnot-an-email,C\r\n";
        // The display name with a line break is refused, and so is the email four lines down.
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(err, "line 2: the display name contains an invisible control character");
        let csv = "email,display_name,note\na@x.com,Ann,\"a note\nof two lines\"\nb@x.com,B,\nnot-an-email,C,\n";
        assert_eq!(parse_csv(csv.as_bytes()).unwrap_err(), "line 5: 'not-an-email' is not an email address");
        let crlf = csv.replace('\n', "\r\n");
        assert_eq!(parse_csv(crlf.as_bytes()).unwrap_err(), "line 5: 'not-an-email' is not an email address");
    }

    #[test]
    fn workplace_columns_are_checked_and_absent_ones_keep_values() {
        let csv = "email,display_name,location,working_week,timezone,allowance_days,start_date\n\
                   ann@x.com,Ann,gb-eng,Sun-Thu,Europe/London,27.5,2027-07-01\n\
                   bob@x.com,Bob,,,,,\n";
        let lines = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(lines[0].location, Some(Some("GB-ENG".into())));
        assert_eq!(lines[0].working_week, Some(WorkingWeek::parse("Sun-Thu").unwrap()));
        assert_eq!(lines[0].timezone, Some(Some("Europe/London".into())));
        assert_eq!(lines[0].allowance_days, Some(Some(27.5)));
        assert_eq!(lines[0].start_date, Some(NaiveDate::from_ymd_opt(2027, 7, 1)));
        assert_eq!(lines[1].location, Some(None), "an empty cell clears");
        assert_eq!(lines[1].working_week, Some(WorkingWeek::default()), "an empty week is Monday to Friday");
        let absent = parse_csv(b"email,display_name\nann@x.com,Ann\n").unwrap();
        assert_eq!((absent[0].location.clone(), absent[0].allowance_days), (None, None), "no column: keep");
        for (bad, says) in [
            ("location\nXX-YY", "not one this app knows"),
            ("working_week\nFunday", "working week"),
            ("timezone\nMars/Olympus", "IANA"),
            ("allowance_days\n12.25", "steps of 0.5"),
            ("allowance_days\n400", "0 to 366"),
            ("start_date\n01/07/2027", "YYYY-MM-DD"),
        ] {
            let (column, value) = bad.split_once('\n').unwrap();
            let csv = format!("email,display_name,{column}\nok@x.com,Ok,\nann@x.com,Ann,{value}\n");
            let err = parse_csv(csv.as_bytes()).unwrap_err();
            assert!(err.starts_with("line 3: ") && err.contains(says), "{column}: {err}");
        }
    }

    #[test]
    fn the_last_line_for_a_person_wins() {
        let lines = parse_csv(b"email,display_name\njoe@x.com,Joe\nJOE@x.com,Joseph\n").unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].display_name, "Joseph");
    }

    #[test]
    fn a_large_file_keeps_the_last_line_for_each_person() {
        let mut csv = String::from("email,display_name,manager_email\n");
        for i in 0..100_000 {
            csv.push_str(&format!("p{i}@x.com,Person {i},m{}@x.com\n", i / 8));
        }
        csv.push_str("p0@x.com,First again,\n");
        let lines = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(lines.len(), 100_000);
        assert_eq!(lines[0].display_name, "First again");
    }
}
