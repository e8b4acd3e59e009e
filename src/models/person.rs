//! The directory: who is who and who manages whom.

use crate::db::DbConnection;
use crate::db::statement::{Param, Statement};
use crate::domain::Email;
use crate::schema::people;
use crate::statement;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use std::collections::HashMap;

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = people, treat_none_as_null = true)]
pub struct Person {
    pub email: Email,
    pub display_name: String,
    pub manager_email: Option<Email>,
}

/// A person's whole entry: who they are and where and how they work.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, PartialEq)]
#[diesel(table_name = people, treat_none_as_null = true)]
pub struct Profile {
    pub email: Email,
    pub display_name: String,
    pub manager_email: Option<Email>,
    /// A location code the public holidays know (`GB-ENG`); `None`: no public holidays.
    pub location: Option<String>,
    /// As `WorkingWeek` writes it (`Mon-Fri`).
    pub working_week: String,
    pub timezone: Option<String>,
    /// `None`: the company's default.
    pub allowance_days: Option<f64>,
    pub start_date: Option<NaiveDate>,
}

impl Profile {
    pub fn find(conn: &mut DbConnection, email: &Email) -> QueryResult<Option<Profile>> {
        people::table.find(email).select(Profile::as_select()).first(conn).optional()
    }

    /// Adds the person, or replaces everything about them; call it in a write transaction.
    pub fn save(conn: &mut DbConnection, profile: &Profile) -> QueryResult<()> {
        let changed = diesel::update(people::table.find(&profile.email)).set(profile).execute(conn)?;
        if changed == 0 {
            diesel::insert_into(people::table).values(profile).execute(conn)?;
        }
        Ok(())
    }
}

/// Whoever is asking, as the directory knows them, and how many requests wait for them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    /// Their own entry, if they have one.
    pub me: Option<Person>,
    pub reports: Vec<Person>,
    /// Pending requests they may decide, counted up to a cap.
    pub waiting: i64,
}

// Who is asking, their reports and the count of requests waiting for them, in one round trip.
// A one-row count on the left keeps the count when the person is not in the directory. The
// count stops at a cap: a badge says "99+", and counting an admin's whole queue would grow
// with the table.
statement!(
    /// Parameters: manager, cap, email, email.
    ViewerAsManager -> ViewerColumns = "SELECT w.waiting, p.email, p.display_name, p.manager_email
FROM (SELECT count(*) AS waiting FROM (
        SELECT 1 FROM people r JOIN holiday_requests h ON h.requester_email = r.email
        WHERE r.manager_email = {} AND h.status = 'Pending' LIMIT {}) x) w
LEFT JOIN people p ON p.email = {} OR p.manager_email = {}"
);

statement!(
    /// Parameters: admin, cap, email, email.
    ViewerAsAdmin -> ViewerColumns = "SELECT w.waiting, p.email, p.display_name, p.manager_email
FROM (SELECT count(*) AS waiting FROM (
        SELECT 1 FROM holiday_requests h
        WHERE h.status = 'Pending' AND (h.requester_email IS NULL OR h.requester_email <> {}) LIMIT {}) x) w
LEFT JOIN people p ON p.email = {} OR p.manager_email = {}"
);

type ViewerColumns = (BigInt, Nullable<Text>, Nullable<Text>, Nullable<Text>);

#[derive(Queryable)]
struct ViewerRow {
    waiting: i64,
    email: Option<Email>,
    display_name: Option<String>,
    manager_email: Option<Email>,
}

/// The most requests the badge counts.
pub const WAITING_CAP: i32 = 100;

impl Person {
    /// Whoever is asking: one statement. `count_waiting` off skips the count (the API).
    pub fn directory_of(
        conn: &mut DbConnection,
        email: &Email,
        admin: bool,
        count_waiting: bool,
    ) -> QueryResult<Directory> {
        let cap = if count_waiting { WAITING_CAP } else { 0 };
        let params = vec![
            Param::Text(email.as_str()),
            Param::Int(cap),
            Param::Text(email.as_str()),
            Param::Text(email.as_str()),
        ];
        let rows: Vec<ViewerRow> = match (conn, admin) {
            #[cfg(feature = "postgres")]
            (DbConnection::Pg(pg), false) => Statement::<ViewerAsManager>::new(params).load(pg)?,
            #[cfg(feature = "postgres")]
            (DbConnection::Pg(pg), true) => Statement::<ViewerAsAdmin>::new(params).load(pg)?,
            #[cfg(feature = "sqlite")]
            (DbConnection::Sqlite(lite), false) => Statement::<ViewerAsManager>::new(params).load(lite)?,
            #[cfg(feature = "sqlite")]
            (DbConnection::Sqlite(lite), true) => Statement::<ViewerAsAdmin>::new(params).load(lite)?,
        };
        let mut directory = Directory { waiting: rows.first().map_or(0, |r| r.waiting), ..Directory::default() };
        for row in rows {
            let (Some(found), Some(display_name)) = (row.email, row.display_name) else { continue };
            let person = Person { email: found, display_name, manager_email: row.manager_email };
            if person.email == *email {
                directory.me = Some(person);
            } else {
                directory.reports.push(person);
            }
        }
        directory.reports.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        Ok(directory)
    }

    pub fn find(conn: &mut DbConnection, email: &Email) -> QueryResult<Option<Person>> {
        people::table.find(email).select(Person::as_select()).first(conn).optional()
    }

    /// The first people of the directory by name, for the development identity switcher.
    pub fn first(conn: &mut DbConnection, n: i64) -> QueryResult<Vec<Person>> {
        people::table.order((people::display_name, people::email)).limit(n).select(Person::as_select()).load(conn)
    }
}

impl Profile {
    /// A team: the manager and the people who report to them, by name.
    pub fn team(conn: &mut DbConnection, manager: &Email) -> QueryResult<Vec<Profile>> {
        people::table
            .filter(people::manager_email.eq(manager).or(people::email.eq(manager)))
            .order((people::display_name, people::email))
            .select(Profile::as_select())
            .load(conn)
    }

    /// A page of everyone, by name.
    pub fn page(conn: &mut DbConnection, offset: i64, limit: i64) -> QueryResult<Vec<Profile>> {
        people::table
            .order((people::display_name, people::email))
            .offset(offset)
            .limit(limit)
            .select(Profile::as_select())
            .load(conn)
    }

    /// Someone the directory does not list, as the defaults make them.
    pub fn unlisted(email: &Email) -> Profile {
        Profile {
            email: email.clone(),
            display_name: email.to_string(),
            manager_email: None,
            location: None,
            working_week: crate::domain::leave::WorkingWeek::default().to_string(),
            timezone: None,
            allowance_days: None,
            start_date: None,
        }
    }

    /// Everyone, keyed by email: what an import compares its file with.
    pub fn all_by_email(conn: &mut DbConnection) -> QueryResult<HashMap<Email, Profile>> {
        Ok(people::table.select(Profile::as_select()).load(conn)?.into_iter().map(|p| (p.email.clone(), p)).collect())
    }

    /// Adds or replaces people by email: on Postgres many rows a statement, which saves a
    /// round trip per person; SQLite, in process, takes one row a statement.
    pub fn upsert(conn: &mut DbConnection, rows: &[Profile]) -> QueryResult<()> {
        use diesel::upsert::excluded;
        let update = (
            people::display_name.eq(excluded(people::display_name)),
            people::manager_email.eq(excluded(people::manager_email)),
            people::location.eq(excluded(people::location)),
            people::working_week.eq(excluded(people::working_week)),
            people::timezone.eq(excluded(people::timezone)),
            people::allowance_days.eq(excluded(people::allowance_days)),
            people::start_date.eq(excluded(people::start_date)),
        );
        match conn {
            #[cfg(feature = "postgres")]
            DbConnection::Pg(pg) => {
                // Well inside Postgres's limit of 65535 bound parameters (8 a row).
                for chunk in rows.chunks(1000) {
                    diesel::insert_into(people::table)
                        .values(chunk)
                        .on_conflict(people::email)
                        .do_update()
                        .set(update)
                        .execute(pg)?;
                }
            }
            #[cfg(feature = "sqlite")]
            DbConnection::Sqlite(lite) => {
                for row in rows {
                    diesel::insert_into(people::table)
                        .values(row)
                        .on_conflict(people::email)
                        .do_update()
                        .set(update)
                        .execute(lite)?;
                }
            }
        }
        Ok(())
    }
}
