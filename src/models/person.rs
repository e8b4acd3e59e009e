//! The directory: who is who and who manages whom.

use crate::config::normalize_email;
use crate::db::{DbConnection, write_transaction};
use crate::error::AppError;
use crate::schema::people;
use diesel::prelude::*;
use std::collections::HashMap;

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = people, treat_none_as_null = true)]
pub struct Person {
    pub email: String,
    pub display_name: String,
    pub manager_email: Option<String>,
}

impl Person {
    pub fn find(conn: &mut DbConnection, email: &str) -> QueryResult<Option<Person>> {
        people::table.find(email).select(Person::as_select()).first(conn).optional()
    }

    /// Everyone, for the development identity switcher.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Person>> {
        people::table.order(people::email).select(Person::as_select()).load(conn)
    }

    pub fn has_reports(conn: &mut DbConnection, manager: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(people::table.filter(people::manager_email.eq(manager)))).get_result(conn)
    }

    /// The emails of a manager's direct reports.
    pub fn reports_of(conn: &mut DbConnection, manager: &str) -> QueryResult<Vec<String>> {
        people::table.filter(people::manager_email.eq(manager)).select(people::email).load(conn)
    }

    /// Each given person's manager, in one query.
    pub fn managers_of(conn: &mut DbConnection, emails: &[&str]) -> QueryResult<HashMap<String, Option<String>>> {
        if emails.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(people::table
            .filter(people::email.eq_any(emails))
            .select((people::email, people::manager_email))
            .load::<(String, Option<String>)>(conn)?
            .into_iter()
            .collect())
    }

    /// Everyone reporting to any of `managers`, with their manager and name.
    pub fn teams_of(conn: &mut DbConnection, managers: &[&str]) -> QueryResult<Vec<Person>> {
        if managers.is_empty() {
            return Ok(Vec::new());
        }
        people::table.filter(people::manager_email.eq_any(managers)).select(Person::as_select()).load(conn)
    }

    /// Adds or updates people by email, in one transaction: all of them or none.
    pub fn upsert_all(conn: &mut DbConnection, rows: &[Person]) -> Result<ImportSummary, AppError> {
        write_transaction(conn, |conn| {
            let mut summary = ImportSummary::default();
            for row in rows {
                let updated = diesel::update(people::table.find(&row.email)).set(row).execute(conn)?;
                if updated == 0 {
                    diesel::insert_into(people::table).values(row).execute(conn)?;
                    summary.added += 1;
                } else {
                    summary.updated += 1;
                }
            }
            Ok(summary)
        })
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
}

/// Reads a directory CSV: a header naming `email`, `display_name` and `manager_email` (in any
/// order, other columns ignored), then one person a line. Errors name the line.
pub fn parse_directory_csv(text: &str) -> Result<Vec<Person>, String> {
    let mut lines = split_csv(text).into_iter().enumerate().filter(|(_, r)| r.iter().any(|f| !f.trim().is_empty()));
    let (_, header) = lines.next().ok_or("the file is empty; expected a header line")?;
    let column = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let email_col = column("email").ok_or("the header has no 'email' column")?;
    let name_col = column("display_name").ok_or("the header has no 'display_name' column")?;
    let manager_col = column("manager_email");

    let mut people: Vec<Person> = Vec::new();
    for (index, fields) in lines {
        let line = index + 1;
        let field = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
        let email = normalize_email(field(email_col))
            .ok_or_else(|| format!("line {line}: '{}' is not an email address", field(email_col)))?;
        let display_name = field(name_col);
        if display_name.is_empty() || display_name.chars().count() > 255 {
            return Err(format!("line {line}: the display name must be 1 to 255 characters"));
        }
        let manager_email = match manager_col.map(field).filter(|m| !m.is_empty()) {
            Some(m) => {
                Some(normalize_email(m).ok_or_else(|| format!("line {line}: manager '{m}' is not an email address"))?)
            }
            None => None,
        };
        if manager_email.as_deref() == Some(email.as_str()) {
            return Err(format!("line {line}: {email} cannot be their own manager"));
        }
        // The last line for a person wins, as it would in a spreadsheet edited top to bottom.
        people.retain(|p| p.email != email);
        people.push(Person { email, display_name: display_name.to_owned(), manager_email });
    }
    Ok(people)
}

/// Splits RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
fn split_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_any_column_order() {
        let csv = "\u{feff}display_name,Email,manager_email,team\r\n\
                   \"Maria, the Manager\",Manager@Example.com,,ops\r\n\
                   \"Joe \"\"JJ\"\" Smith\",joe@example.com,MANAGER@example.com,ops\n\n";
        let people = parse_directory_csv(csv).unwrap();
        assert_eq!(
            people,
            vec![
                Person {
                    email: "manager@example.com".into(),
                    display_name: "Maria, the Manager".into(),
                    manager_email: None
                },
                Person {
                    email: "joe@example.com".into(),
                    display_name: "Joe \"JJ\" Smith".into(),
                    manager_email: Some("manager@example.com".into())
                },
            ]
        );
    }

    #[test]
    fn csv_errors_name_the_line() {
        assert!(parse_directory_csv("").unwrap_err().contains("empty"));
        assert!(parse_directory_csv("name,email\n").unwrap_err().contains("display_name"));
        let err = parse_directory_csv("email,display_name\njoe@example.com,Joe\nnot-an-email,X\n").unwrap_err();
        assert_eq!(err, "line 3: 'not-an-email' is not an email address");
        let err = parse_directory_csv("email,display_name,manager_email\na@x.com,A,a@x.com\n").unwrap_err();
        assert!(err.contains("own manager"));
    }

    #[test]
    fn the_last_line_for_a_person_wins() {
        let people = parse_directory_csv("email,display_name\njoe@x.com,Joe\nJOE@x.com,Joseph\n").unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].display_name, "Joseph");
    }
}
