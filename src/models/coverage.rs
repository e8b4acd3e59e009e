//! Coverage rules as stored, and the leave they count.

use crate::db::DbConnection;
use crate::domain::calendar::Booked;
use crate::domain::coverage::{Away, Kind, Mode, Rule};
use crate::domain::leave::{EndPart, StartPart, WorkingWeek};
use crate::domain::{DateRange, Email, Status};
use crate::schema::{coverage_rules as cr, holiday_requests as hr, people};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable)]
struct Row {
    rule_id: i32,
    team: Option<Email>,
    kind: String,
    max_off: Option<i32>,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    name: Option<String>,
    mode: String,
}

const COLUMNS: (cr::rule_id, cr::team, cr::kind, cr::max_off, cr::start_date, cr::end_date, cr::name, cr::mode) =
    (cr::rule_id, cr::team, cr::kind, cr::max_off, cr::start_date, cr::end_date, cr::name, cr::mode);

impl From<Row> for Rule {
    // The table's checks make every stored row one of the two kinds; anything else another tool
    // wrote reads as a warning that cannot block.
    fn from(r: Row) -> Rule {
        let kind = match (r.kind.as_str(), r.max_off) {
            ("max_off", Some(n)) => Kind::MaxOff(n),
            _ => Kind::Blackout,
        };
        let period = match (r.start_date, r.end_date) {
            (Some(start), Some(end)) if start <= end => Some(DateRange { start, end }),
            _ => None,
        };
        let mode = Mode::parse(&r.mode).unwrap_or(Mode::Warn);
        Rule { id: r.rule_id, team: r.team, kind, period, name: r.name, mode }
    }
}

/// Every rule, company-wide first, then by team and id.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Rule>> {
    let rows: Vec<Row> = cr::table.order((cr::team.is_not_null(), cr::team, cr::rule_id)).select(COLUMNS).load(conn)?;
    Ok(rows.into_iter().map(Rule::from).collect())
}

/// The rules of the company and of the teams of these managers.
pub fn for_teams(conn: &mut DbConnection, teams: &[&Email]) -> QueryResult<Vec<Rule>> {
    let rows: Vec<Row> = cr::table
        .filter(cr::team.is_null().or(cr::team.eq_any(teams)))
        .order((cr::team.is_not_null(), cr::team, cr::rule_id))
        .select(COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(Rule::from).collect())
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Rule>> {
    let row: Option<Row> = cr::table.find(id).select(COLUMNS).first(conn).optional()?;
    Ok(row.map(Rule::from))
}

pub fn insert(conn: &mut DbConnection, rule: &Rule, by: &Email, at: NaiveDateTime) -> QueryResult<Rule> {
    let max_off = match rule.kind {
        Kind::MaxOff(n) => Some(n),
        Kind::Blackout => None,
    };
    let row: Row = diesel::insert_into(cr::table)
        .values((
            cr::team.eq(rule.team.as_ref()),
            cr::kind.eq(rule.kind.as_str()),
            cr::max_off.eq(max_off),
            cr::start_date.eq(rule.period.map(|p| p.start)),
            cr::end_date.eq(rule.period.map(|p| p.end)),
            cr::name.eq(rule.name.as_deref()),
            cr::mode.eq(rule.mode.as_str()),
            cr::created_by.eq(by),
            cr::created_at.eq(at),
        ))
        .returning(COLUMNS)
        .get_result(conn)?;
    Ok(Rule::from(row))
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    Ok(diesel::delete(cr::table.find(id)).execute(conn)? > 0)
}

/// Someone a rule may cover: their email and manager.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub email: Email,
    pub name: String,
    pub manager: Option<Email>,
}

/// The members of the teams of these managers: the managers themselves and their reports.
pub fn members_of(conn: &mut DbConnection, teams: &[&Email]) -> QueryResult<Vec<Member>> {
    let rows: Vec<(Email, String, Option<Email>)> = people::table
        .filter(people::manager_email.eq_any(teams).or(people::email.eq_any(teams)))
        .select((people::email, people::display_name, people::manager_email))
        .load(conn)?;
    Ok(rows.into_iter().map(|(email, name, manager)| Member { email, name, manager }).collect())
}

/// How many people the directory holds (the company's size, for company-wide limits).
pub fn company_size(conn: &mut DbConnection) -> QueryResult<i64> {
    people::table.count().get_result(conn)
}

/// Pending and approved leave on some day of `range`, with whose it is and their week: of the
/// teams' members, or of everyone when `company` is set. Requests last at most 366 days, which
/// bounds how long before `range` one that reaches into it can start.
pub fn away_during(
    conn: &mut DbConnection,
    members: &[Email],
    company: bool,
    range: DateRange,
) -> QueryResult<Vec<(Email, Away)>> {
    type Found = (i32, Option<Email>, NaiveDate, NaiveDate, StartPart, EndPart, Option<String>);
    let query = hr::table
        .left_join(people::table.on(people::email.nullable().eq(hr::requester_email)))
        .filter(hr::status.eq_any([Status::Pending, Status::Approved]))
        .filter(hr::end_date.ge(range.start))
        .filter(hr::end_date.le(range.end.checked_add_days(chrono::Days::new(366)).unwrap_or(range.end)))
        .filter(hr::start_date.le(range.end))
        .select((
            hr::request_id,
            hr::requester_email,
            hr::start_date,
            hr::end_date,
            hr::start_part,
            hr::end_part,
            people::working_week.nullable(),
        ));
    let rows: Vec<Found> =
        if company { query.load(conn)? } else { query.filter(hr::requester_email.eq_any(members)).load(conn)? };
    Ok(rows
        .into_iter()
        .filter_map(|(request_id, email, start, end, start_part, end_part, week)| {
            let week = week.and_then(|w| WorkingWeek::parse(&w).ok()).unwrap_or_default();
            let booked = Booked { request_id, range: DateRange { start, end }, start_part, end_part };
            Some((email?, Away { booked, week }))
        })
        .collect())
}
