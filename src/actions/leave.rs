//! Leave policy as people meet it: what a request would take and leave, balances, leave types,
//! public holidays, where people work, and corrections to balances.

use super::{App, RequestInput};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::domain::balance::{Balance, overdrawn};
use crate::domain::counting::{Ask, CountRules, Counted, count};
use crate::domain::holidays::{self, HolidayChange, Location, PublicHoliday};
use crate::domain::leave::{self as policy, ANNUAL_LEAVE, Days, EndPart, LeaveType, Overdraw, StartPart, WorkingWeek};
use crate::domain::text::{display_name, optional_text};
use crate::domain::{Actor, DateRange, Email, Invalid, Zone};
use crate::error::AppError;
use crate::models::balance::{LeaveContext, NewAdjustment, record_adjustment};
use crate::models::policy_event::PolicyEvent;
use crate::models::{Person, Profile};
use crate::models::{holiday_change, leave_type};
use chrono::NaiveDate;
use serde_json::json;
use std::ops::RangeInclusive;

/// The dates and parts asked for, checked against the window requests must fall in.
pub(super) fn asked(settings: &Settings, input: &RequestInput, today: NaiveDate) -> Result<Ask, Invalid> {
    let range = DateRange::parse(&input.start_date, &input.end_date)?.within(settings.horizon.window(today))?;
    Ok(Ask {
        range,
        start_part: StartPart::parse(input.start_part.as_deref())?,
        end_part: EndPart::parse(input.end_part.as_deref())?,
    })
}

/// A request counted for its requester.
pub(super) struct Asked {
    pub counted: Counted,
}

/// The requester's working week and location, as stored; what another tool wrote that the app
/// cannot read counts as the defaults (Monday to Friday, no public holidays).
fn workplace(profile: Option<&Profile>) -> (WorkingWeek, Option<Location>) {
    let week = profile.and_then(|p| WorkingWeek::parse(&p.working_week).ok()).unwrap_or_default();
    let location = profile.and_then(|p| p.location.as_deref()).and_then(|l| Location::parse(l).ok());
    (week, location)
}

/// The public holidays where someone works, the company's changes included: one statement.
fn public_holidays_in(
    conn: &mut DbConnection,
    location: Option<&Location>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<PublicHoliday>, AppError> {
    let built_in = location.map(|l| holidays::built_in(l, from, to)).unwrap_or_default();
    let changes = holiday_change::affecting(conn, location, from, to)?;
    Ok(holidays::with_changes(location, built_in, &changes))
}

/// Counts a request's days for its requester, under its type's rules.
pub(super) fn count_for(
    conn: &mut DbConnection,
    settings: &Settings,
    profile: Option<&Profile>,
    leave_type: &LeaveType,
    ask: Ask,
) -> Result<Asked, AppError> {
    if ask.is_part_day() && !leave_type.half_days {
        let field = if ask.start_part == StartPart::Full { "end_part" } else { "start_part" };
        return Err(Invalid::new(field, format!("{} is taken in whole days only.", leave_type.name)).into());
    }
    let (week, location) = workplace(profile);
    let rules = CountRules {
        week,
        leave_year: settings.leave_policy.leave_year,
        carry_months: settings.leave_policy.carry_months,
    };
    let holidays = public_holidays_in(conn, location.as_ref(), ask.range.start, ask.range.end)?;
    let counted = count(&ask, &rules, &holidays)?;
    Ok(Asked { counted })
}

/// The days a request takes off work and how much of each, for the coverage rules; a request
/// that takes none (as the days stand today) takes nothing from coverage either.
pub(super) fn days_off(
    conn: &mut DbConnection,
    settings: &Settings,
    profile: Option<&Profile>,
    ask: Ask,
) -> Result<Vec<(NaiveDate, crate::domain::calendar::Part)>, AppError> {
    let (week, location) = workplace(profile);
    let rules = CountRules {
        week,
        leave_year: settings.leave_policy.leave_year,
        carry_months: settings.leave_policy.carry_months,
    };
    let holidays = public_holidays_in(conn, location.as_ref(), ask.range.start, ask.range.end)?;
    Ok(count(&ask, &rules, &holidays).map(|c| c.off).unwrap_or_default())
}

/// What the request page says of how a request's days were counted: the requester's working
/// week and location, and the public holidays in its dates, as they stand today (the days
/// themselves were counted and stored when the request was made).
#[derive(Clone, Debug)]
pub struct HowCounted {
    pub week: WorkingWeek,
    pub location: Option<String>,
    pub holidays: Vec<PublicHoliday>,
}

pub(super) fn how_counted(
    conn: &mut DbConnection,
    requester: Option<&Email>,
    range: DateRange,
) -> Result<Option<HowCounted>, AppError> {
    let Some(email) = requester else { return Ok(None) };
    let profile = Profile::find(conn, email)?;
    let (week, location) = workplace(profile.as_ref());
    let holidays = public_holidays_in(conn, location.as_ref(), range.start, range.end)?;
    let holidays = holidays.into_iter().filter(|h| week.works_on(chrono::Datelike::weekday(&h.date))).collect();
    Ok(Some(HowCounted { week, location: location.map(|l| l.code().to_owned()), holidays }))
}

/// The leave years balances read (those requests may fall in), and the first day of the first.
pub(super) fn balance_years(settings: &Settings, today: NaiveDate) -> (RangeInclusive<i32>, NaiveDate) {
    let window = settings.horizon.window(today);
    let leave_year = settings.leave_policy.leave_year;
    let (first, last) = (leave_year.of(window.earliest), leave_year.of(window.latest));
    (first..=last, leave_year.first_day(first))
}

/// The balances of one person's type for the years from `first` to the last one read.
fn balances_from(
    settings: &Settings,
    context: &LeaveContext,
    email: &Email,
    type_id: i32,
    years: RangeInclusive<i32>,
    today: NaiveDate,
) -> Vec<Balance> {
    context.balances(email, type_id, settings.default_allowance, settings.leave_policy, years, today)
}

/// What a request would leave, judged against its type's overdraw rule: a "block" type refuses
/// a request that takes any year below zero (or further below). It is judged as of the day it
/// starts (or today, if that is later): carried-over days that expire before then are no help.
pub(super) fn check_balance(
    settings: &Settings,
    context: &LeaveContext,
    email: &Email,
    leave_type: &LeaveType,
    counted: &Counted,
    today: NaiveDate,
    starts: NaiveDate,
) -> Result<Option<Balance>, AppError> {
    let (read, _) = balance_years(settings, today);
    let today = today.max(starts);
    let Some(first) = counted.years.first().map(|s| s.year) else { return Ok(None) };
    let years = first..=*read.end();
    let before = balances_from(settings, context, email, leave_type.id, years.clone(), today);
    let mut after_context = context.clone();
    for share in &counted.years {
        after_context.add_pending(email, leave_type.id, share.year, share.days, share.in_carry_window);
    }
    let after = balances_from(settings, &after_context, email, leave_type.id, years, today);
    if let (Overdraw::Block, Some(short)) = (leave_type.overdraw, overdrawn(&before, &after)) {
        let had = before.iter().find(|b| b.year == short.year).map_or(Days::ZERO, |b| b.available);
        return Err(Invalid::new(
            "leave_type",
            format!(
                "This request takes {} days of {}, but only {} are left for {}: it would leave {}.",
                counted.days, leave_type.name, had, short.year, short.available
            ),
        )
        .into());
    }
    Ok(after.into_iter().find(|b| b.year == first))
}

/// The active type a request names (by name or id), or Annual leave when it names none.
pub(super) fn active_type(conn: &mut DbConnection, asked: Option<&str>) -> Result<LeaveType, AppError> {
    let types = leave_type::all(conn)?;
    let asked = asked.map(str::trim).filter(|a| !a.is_empty());
    let found = match asked {
        None => types.iter().find(|t| t.id == ANNUAL_LEAVE),
        Some(a) => match a.parse::<i32>() {
            Ok(id) => types.iter().find(|t| t.id == id),
            Err(_) => types.iter().find(|t| t.name.to_lowercase() == a.to_lowercase()),
        },
    };
    match found {
        Some(t) if t.active => Ok(t.clone()),
        Some(t) => Err(Invalid::new("leave_type", format!("{} is retired and takes no new requests.", t.name)).into()),
        None => {
            let names: Vec<&str> = types.iter().filter(|t| t.active).map(|t| t.name.as_str()).collect();
            Err(Invalid::new(
                "leave_type",
                format!("There is no leave type '{}'; choose one of: {}.", asked.unwrap_or(""), names.join(", ")),
            )
            .into())
        }
    }
}

/// What the request form says as it is filled in.
#[derive(Clone, Debug)]
pub struct Preview {
    pub leave_type: LeaveType,
    pub counted: Counted,
    /// The balance of the request's first leave year once it is made, for deducted types.
    pub left_after: Option<Balance>,
}

pub async fn preview(app: &App, actor: &Actor, input: &RequestInput) -> Result<Preview, AppError> {
    let now = app.now();
    let ask = asked(&app.settings, input, now.today)?;
    let (actor, settings, type_asked) = (actor.clone(), app.settings.clone(), input.leave_type.clone());
    app.db
        .read(move |conn| {
            let leave_type = active_type(conn, type_asked.as_deref())?;
            let profile = Profile::find(conn, &actor.email)?;
            let Asked { counted } = count_for(conn, &settings, profile.as_ref(), &leave_type, ask)?;
            let left_after = if leave_type.deducted {
                let (years, first_day) = balance_years(&settings, now.today);
                let context = LeaveContext::load(conn, std::slice::from_ref(&actor.email), years, first_day)?;
                // A "warn" type shows what would be left, below zero or not; a "block" one
                // says it cannot be asked for.
                check_balance(&settings, &context, &actor.email, &leave_type, &counted, now.today, ask.range.start)?
            } else {
                None
            };
            Ok(Preview { leave_type, counted, left_after })
        })
        .await
}

/// One person's balance of one type for one year.
#[derive(Clone, Debug)]
pub struct TypeBalance {
    pub email: Email,
    pub leave_type: String,
    pub balance: Balance,
}

/// Balances of every active deducted type in one leave year, for `context`'s people.
pub(super) fn balances_in(
    settings: &Settings,
    context: &LeaveContext,
    email: &Email,
    year: i32,
    today: NaiveDate,
) -> Vec<TypeBalance> {
    context
        .types
        .iter()
        .filter(|t| t.deducted)
        .flat_map(|t| {
            balances_from(settings, context, email, t.id, year..=year, today).into_iter().map(|balance| TypeBalance {
                email: email.clone(),
                leave_type: t.name.clone(),
                balance,
            })
        })
        .collect()
}

/// Someone's balances for a leave year (this one unless asked): your own, a report's, or, for
/// an admin, anyone's.
pub async fn balances(
    app: &App,
    actor: &Actor,
    email: Option<&str>,
    year: Option<i32>,
) -> Result<Vec<TypeBalance>, AppError> {
    let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Email::parse(e).map_err(|why| Invalid::new("email", format!("'{e}' {why}")))?,
        None => actor.email.clone(),
    };
    let now = app.now();
    let (read, first_day) = balance_years(&app.settings, now.today);
    let year = year.unwrap_or_else(|| app.settings.leave_policy.leave_year.of(now.today));
    if !read.contains(&year) {
        return Err(Invalid::new(
            "year",
            format!("Balances can be shown for the leave years {} to {}.", read.start(), read.end()),
        )
        .into());
    }
    let (actor, settings) = (actor.clone(), app.settings.clone());
    app.db
        .read(move |conn| {
            let profile = Profile::find(conn, &email)?;
            actor.may_see_balances(&email, profile.as_ref().and_then(|p| p.manager_email.as_ref()))?;
            if profile.is_none() && !actor.is_admin && actor.email != email {
                return Err(AppError::NotFound(format!("{email} is not in the directory.")));
            }
            let context = LeaveContext::load(conn, std::slice::from_ref(&email), read.clone(), first_day)?;
            Ok(balances_in(&settings, &context, &email, year, now.today))
        })
        .await
}

/// Every leave type, retired ones too.
pub async fn leave_types(app: &App) -> Result<Vec<LeaveType>, AppError> {
    app.db.read(|conn| Ok(leave_type::all(conn)?)).await
}

/// A leave type as an admin gives it; absent fields keep their value (or the default, for a
/// new type).
#[derive(Clone, Debug, Default)]
pub struct TypeInput {
    pub name: Option<String>,
    pub colour: Option<String>,
    pub deducted: Option<bool>,
    pub needs_approval: Option<bool>,
    pub private: Option<bool>,
    pub half_days: Option<bool>,
    pub overdraw: Option<String>,
    pub active: Option<bool>,
}

impl TypeInput {
    fn apply(&self, mut t: LeaveType) -> Result<LeaveType, Invalid> {
        if let Some(name) = &self.name {
            t.name = policy::type_name(name)?;
        }
        if let Some(colour) = &self.colour {
            t.colour = policy::colour(colour)?;
        }
        if let Some(overdraw) = &self.overdraw {
            t.overdraw = Overdraw::parse(overdraw)?;
        }
        t.deducted = self.deducted.unwrap_or(t.deducted);
        t.needs_approval = self.needs_approval.unwrap_or(t.needs_approval);
        t.private = self.private.unwrap_or(t.private);
        t.half_days = self.half_days.unwrap_or(t.half_days);
        t.active = self.active.unwrap_or(t.active);
        Ok(t)
    }
}

fn type_json(t: &LeaveType) -> serde_json::Value {
    json!({"name": t.name, "colour": t.colour, "deducted": t.deducted, "needs_approval": t.needs_approval,
           "private": t.private, "half_days": t.half_days, "overdraw": t.overdraw.as_str(), "active": t.active})
}

/// Names are unique whatever their letter case.
fn name_taken(conn: &mut DbConnection, t: &LeaveType) -> Result<(), AppError> {
    if leave_type::named(conn, &t.name)?.is_some_and(|other| other.id != t.id) {
        return Err(Invalid::new("name", format!("There is already a leave type called {}.", t.name)).into());
    }
    Ok(())
}

pub async fn create_type(app: &App, actor: &Actor, input: &TypeInput) -> Result<LeaveType, AppError> {
    actor.may_run_policy()?;
    if input.name.is_none() {
        return Err(Invalid::new("name", "Please give the new leave type a name.").into());
    }
    let fresh = LeaveType {
        id: 0,
        name: String::new(),
        colour: "#6b6f76".into(),
        deducted: false,
        needs_approval: true,
        private: false,
        half_days: true,
        overdraw: Overdraw::Warn,
        active: true,
    };
    let t = input.apply(fresh)?;
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .write(move |conn| {
            name_taken(conn, &t)?;
            let created = leave_type::insert(conn, &t)?;
            PolicyEvent::record(
                conn,
                &actor.email,
                "leave_type_created",
                &format!("leave_type:{}", created.id),
                &type_json(&created),
                now.utc,
            )?;
            Ok(created)
        })
        .await
}

pub async fn update_type(app: &App, actor: &Actor, id: i32, input: &TypeInput) -> Result<LeaveType, AppError> {
    actor.may_run_policy()?;
    let (actor, now, input) = (actor.clone(), app.now(), input.clone());
    app.db
        .write(move |conn| {
            let current = leave_type::find(conn, id)?
                .ok_or_else(|| AppError::NotFound(format!("There is no leave type #{id}.")))?;
            let changed = input.apply(current)?;
            name_taken(conn, &changed)?;
            let saved = leave_type::update(conn, &changed)?
                .ok_or_else(|| AppError::NotFound(format!("There is no leave type #{id}.")))?;
            PolicyEvent::record(
                conn,
                &actor.email,
                "leave_type_changed",
                &format!("leave_type:{id}"),
                &type_json(&saved),
                now.utc,
            )?;
            Ok(saved)
        })
        .await
}

/// The public holidays of a location in one calendar year, the company's changes included.
pub async fn public_holidays(app: &App, location: &str, year: i32) -> Result<(Location, Vec<PublicHoliday>), AppError> {
    let location = Location::parse(location)?;
    let covered = holidays::years_covered();
    if !covered.contains(&year) {
        return Err(Invalid::new(
            "year",
            format!("The public holidays shipped with this app cover {} to {}.", covered.start(), covered.end()),
        )
        .into());
    }
    let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(Invalid::new("year", "That year has no dates.").into());
    };
    app.db
        .read(move |conn| {
            let days = public_holidays_in(conn, Some(&location), first, last)?;
            Ok((location.clone(), days))
        })
        .await
}

/// A public holiday an admin adds, or removes (`removed`), for everyone or one location.
#[derive(Clone, Debug, Default)]
pub struct HolidayInput {
    /// A location code, or none (or `*`) for everyone.
    pub location: Option<String>,
    pub date: String,
    pub name: Option<String>,
    pub half_day: bool,
}

impl HolidayInput {
    fn location(&self) -> Result<Option<Location>, Invalid> {
        match self.location.as_deref().map(str::trim).filter(|l| !l.is_empty() && *l != "*") {
            None => Ok(None),
            Some(l) => Location::parse(l).map(Some),
        }
    }

    fn date(&self) -> Result<NaiveDate, Invalid> {
        NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
            .map_err(|_| Invalid::new("date", format!("The date '{}' must be a date written YYYY-MM-DD.", self.date)))
    }
}

/// Adds a public holiday (an office closure, a half day), or replaces the company's earlier
/// change for that date and location. Admins only, audited.
pub async fn add_public_holiday(app: &App, actor: &Actor, input: &HolidayInput) -> Result<PublicHoliday, AppError> {
    actor.may_run_policy()?;
    let location = input.location()?;
    let date = input.date()?;
    let name = policy::type_name(input.name.as_deref().unwrap_or(""))
        .map_err(|_| Invalid::new("name", "Please give the holiday a name of 1 to 60 characters."))?;
    let change = HolidayChange {
        location: location.as_ref().map(|l| l.code().to_owned()),
        date,
        name,
        half_day: input.half_day,
        removed: false,
    };
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .write(move |conn| {
            holiday_change::record(conn, &change, &actor.email, now.utc)?;
            let subject = format!("public_holiday:{}:{date}", change.location.as_deref().unwrap_or("*"));
            let detail = json!({"name": change.name, "half_day": change.half_day});
            PolicyEvent::record(conn, &actor.email, "public_holiday_added", &subject, &detail, now.utc)?;
            Ok(PublicHoliday { date, name: change.name.clone().into(), half_day: change.half_day })
        })
        .await
}

/// Takes a day off the public holidays of a location (or everyone's): the company's own day is
/// forgotten; a built-in one is recorded as removed. Admins only, audited.
pub async fn remove_public_holiday(app: &App, actor: &Actor, input: &HolidayInput) -> Result<(), AppError> {
    actor.may_run_policy()?;
    let location = input.location()?;
    let date = input.date()?;
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .write(move |conn| {
            let code = location.as_ref().map(|l| l.code().to_owned());
            let subject = format!("public_holiday:{}:{date}", code.as_deref().unwrap_or("*"));
            let forgot = holiday_change::forget(conn, code.as_deref(), date)?;
            let built_in = location.as_ref().map(|l| holidays::built_in(l, date, date)).unwrap_or_default();
            if let Some(day) = built_in.first() {
                let change =
                    HolidayChange { location: code, date, name: day.name.to_string(), half_day: false, removed: true };
                holiday_change::record(conn, &change, &actor.email, now.utc)?;
            } else if !forgot {
                return Err(AppError::NotFound(format!("There is no public holiday on {date} to remove there.")));
            }
            PolicyEvent::record(conn, &actor.email, "public_holiday_removed", &subject, &json!({}), now.utc)?;
            Ok(())
        })
        .await
}

/// What an admin sets about a person; absent fields keep their value.
#[derive(Clone, Debug, Default)]
pub struct PersonInput {
    pub display_name: Option<String>,
    /// `Some(None)` clears it.
    pub manager_email: Option<Option<String>>,
    pub location: Option<Option<String>>,
    pub working_week: Option<WorkingWeek>,
    pub timezone: Option<Option<String>>,
    pub allowance_days: Option<Option<f64>>,
    pub start_date: Option<Option<String>>,
}

impl PersonInput {
    fn apply(&self, mut p: Profile) -> Result<Profile, Invalid> {
        if let Some(name) = &self.display_name {
            p.display_name = display_name(name).map_err(|why| Invalid::new("display_name", format!("{why}.")))?;
        }
        if let Some(manager) = &self.manager_email {
            p.manager_email = match manager.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
                None => None,
                Some(m) => {
                    let m = Email::parse(m).map_err(|why| Invalid::new("manager_email", format!("'{m}' {why}")))?;
                    if m == p.email {
                        return Err(Invalid::new("manager_email", "Nobody can be their own manager."));
                    }
                    Some(m)
                }
            };
        }
        if let Some(location) = &self.location {
            p.location = match location.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
                None => None,
                Some(l) => Some(Location::parse(l)?.code().to_owned()),
            };
        }
        if let Some(week) = self.working_week {
            p.working_week = week.to_string();
        }
        if let Some(zone) = &self.timezone {
            p.timezone = match zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
                None => None,
                Some(z) => Some(
                    Zone::named(z)
                        .ok_or_else(|| {
                            Invalid::new("timezone", format!("'{z}' is not an IANA time zone name like Europe/Berlin."))
                        })?
                        .name()
                        .to_owned(),
                ),
            };
        }
        if let Some(allowance) = self.allowance_days {
            p.allowance_days = match allowance {
                None => None,
                Some(days) => {
                    let days = Days::from_number("allowance_days", "allowance", days)?;
                    if days.is_negative() || days > Days::whole(366) {
                        return Err(Invalid::new("allowance_days", "The allowance must be from 0 to 366 days."));
                    }
                    Some(days.as_f64())
                }
            };
        }
        if let Some(start) = &self.start_date {
            p.start_date = match start.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                    Invalid::new("start_date", format!("The start date '{s}' must be a date written YYYY-MM-DD."))
                })?),
            };
        }
        Ok(p)
    }
}

fn profile_json(p: &Profile) -> serde_json::Value {
    json!({"email": p.email, "display_name": p.display_name, "manager_email": p.manager_email,
           "location": p.location, "working_week": p.working_week, "timezone": p.timezone,
           "allowance_days": p.allowance_days, "start_date": p.start_date.map(|d| d.to_string())})
}

/// Adds a person or changes what is known of them (admins).
pub async fn update_person(app: &App, actor: &Actor, email: &str, input: &PersonInput) -> Result<Profile, AppError> {
    actor.may_run_policy()?;
    let email = Email::parse(email).map_err(|why| Invalid::new("email", format!("'{email}' {why}")))?;
    let (actor, now, input) = (actor.clone(), app.now(), input.clone());
    app.db
        .write(move |conn| {
            let current = match Profile::find(conn, &email)? {
                Some(p) => p,
                None if input.display_name.is_some() => Profile {
                    email: email.clone(),
                    display_name: String::new(),
                    manager_email: None,
                    location: None,
                    working_week: WorkingWeek::default().to_string(),
                    timezone: None,
                    allowance_days: None,
                    start_date: None,
                },
                None => {
                    return Err(Invalid::new(
                        "display_name",
                        format!("{email} is not in the directory yet: give a display name to add them."),
                    )
                    .into());
                }
            };
            let changed = input.apply(current)?;
            Profile::save(conn, &changed)?;
            PolicyEvent::record(
                conn,
                &actor.email,
                "person_changed",
                email.as_str(),
                &profile_json(&changed),
                now.utc,
            )?;
            Ok(changed)
        })
        .await
}

/// An admin's correction to someone's balance.
#[derive(Clone, Debug)]
pub struct AdjustmentInput {
    pub email: String,
    pub leave_type: String,
    pub year: i32,
    pub days: f64,
    pub reason: String,
}

pub async fn adjust(app: &App, actor: &Actor, input: &AdjustmentInput) -> Result<TypeBalance, AppError> {
    actor.may_run_policy()?;
    let email = Email::parse(&input.email).map_err(|why| Invalid::new("email", format!("'{}' {why}", input.email)))?;
    let days = Days::from_number("days", "adjustment", input.days)?;
    if days == Days::ZERO {
        return Err(Invalid::new("days", "An adjustment of 0 days changes nothing.").into());
    }
    let reason = optional_text("reason", "reason", Some(&input.reason))?
        .ok_or_else(|| Invalid::new("reason", "Please give a reason: it is kept with the adjustment."))?;
    let now = app.now();
    let (read, first_day) = balance_years(&app.settings, now.today);
    if !read.contains(&input.year) {
        return Err(Invalid::new(
            "year",
            format!("Adjustments can be made to the leave years {} to {}.", read.start(), read.end()),
        )
        .into());
    }
    let (actor, settings, type_asked, year) =
        (actor.clone(), app.settings.clone(), input.leave_type.clone(), input.year);
    app.db
        .write(move |conn| {
            let leave_type = active_type(conn, Some(&type_asked))?;
            if !leave_type.deducted {
                return Err(Invalid::new(
                    "leave_type",
                    format!("{} is not counted against an allowance, so it has no balance to adjust.", leave_type.name),
                )
                .into());
            }
            if Person::find(conn, &email)?.is_none() {
                return Err(Invalid::new("email", format!("{email} is not in the directory.")).into());
            }
            let id = record_adjustment(
                conn,
                NewAdjustment {
                    email: &email,
                    leave_type_id: leave_type.id,
                    year,
                    days,
                    reason: &reason,
                    created_by: &actor.email,
                    created_at: now.utc,
                },
            )?;
            PolicyEvent::record(
                conn,
                &actor.email,
                "balance_adjusted",
                email.as_str(),
                &json!({"adjustment_id": id, "leave_type": leave_type.name, "year": year, "days": days.as_f64(), "reason": reason}),
                now.utc,
            )?;
            let context = LeaveContext::load(conn, std::slice::from_ref(&email), read.clone(), first_day)?;
            balances_in(&settings, &context, &email, year, now.today)
                .into_iter()
                .find(|b| b.leave_type == leave_type.name)
                .ok_or_else(|| AppError::Internal("an adjusted balance is missing".into()))
        })
        .await
}

/// What the admins' page shows: every type, one person if asked for, one location's public
/// holidays if asked for.
pub struct AdminPage {
    pub types: Vec<LeaveType>,
    pub email: Option<String>,
    pub person: Option<Profile>,
    pub balances: Vec<TypeBalance>,
    pub location: Option<String>,
    pub year: i32,
    pub holidays: Vec<PublicHoliday>,
}

pub async fn admin_page(
    app: &App,
    actor: &Actor,
    email: Option<&str>,
    location: Option<&str>,
    year: Option<i32>,
    switcher: bool,
) -> Result<(super::Frame, AdminPage), AppError> {
    actor.may_run_policy()?;
    let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Some(Email::parse(e).map_err(|why| Invalid::new("email", format!("'{e}' {why}")))?),
        None => None,
    };
    let location = location.map(str::trim).filter(|l| !l.is_empty()).map(Location::parse).transpose()?;
    let now = app.now();
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&now.today));
    let covered = holidays::years_covered();
    if location.is_some() && !covered.contains(&year) {
        return Err(Invalid::new(
            "year",
            format!("The public holidays shipped with this app cover {} to {}.", covered.start(), covered.end()),
        )
        .into());
    }
    let (actor, settings) = (actor.clone(), app.settings.clone());
    app.db
        .read(move |conn| {
            let frame = super::frame(conn, &actor, switcher)?;
            let types = leave_type::all(conn)?;
            let (person, balances) = match &email {
                Some(e) => {
                    let person = Profile::find(conn, e)?;
                    let (read, first_day) = balance_years(&settings, now.today);
                    let context = LeaveContext::load(conn, std::slice::from_ref(e), read.clone(), first_day)?;
                    // The year asked for, if balances reach it; else this leave year.
                    let this_year = settings.leave_policy.leave_year.of(now.today);
                    let shown = if read.contains(&year) { year } else { this_year };
                    (person, balances_in(&settings, &context, e, shown, now.today))
                }
                None => (None, Vec::new()),
            };
            let holidays = match &location {
                Some(l) => match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
                    (Some(first), Some(last)) => public_holidays_in(conn, Some(l), first, last)?,
                    _ => Vec::new(),
                },
                None => Vec::new(),
            };
            let page = AdminPage {
                types,
                email: email.as_ref().map(|e| e.to_string()),
                person,
                balances,
                location: location.as_ref().map(|l| l.code().to_owned()),
                year,
                holidays,
            };
            Ok((frame, page))
        })
        .await
}

/// The public holidays page: a location's days in a year, the viewer's own location unless
/// another is asked for.
pub struct HolidaysPage {
    pub location: Option<String>,
    pub year: i32,
    pub holidays: Vec<PublicHoliday>,
}

pub async fn holidays_page(
    app: &App,
    actor: &Actor,
    location: Option<&str>,
    year: Option<i32>,
    switcher: bool,
) -> Result<(super::Frame, HolidaysPage), AppError> {
    let asked = location.map(str::trim).filter(|l| !l.is_empty()).map(Location::parse).transpose()?;
    let now = app.now();
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&now.today));
    let covered = holidays::years_covered();
    if !covered.contains(&year) {
        return Err(Invalid::new(
            "year",
            format!("The public holidays shipped with this app cover {} to {}.", covered.start(), covered.end()),
        )
        .into());
    }
    let actor = actor.clone();
    app.db
        .read(move |conn| {
            let frame = super::frame(conn, &actor, switcher)?;
            let location = match &asked {
                Some(l) => Some(l.clone()),
                None => workplace(Profile::find(conn, &actor.email)?.as_ref()).1,
            };
            let holidays = match (&location, NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
            {
                (Some(l), Some(first), Some(last)) => public_holidays_in(conn, Some(l), first, last)?,
                _ => Vec::new(),
            };
            Ok((frame, HolidaysPage { location: location.map(|l| l.code().to_owned()), year, holidays }))
        })
        .await
}
