//! Who is off: the month wall chart, coverage rules, and calendar files. The same privacy rule
//! holds in all three: a private type (sickness) reads "Off", and comments are shown only to the
//! person, their manager and admins.

use super::{App, Frame, Viewer, frame, visible_one};
use crate::config::Settings;
use crate::db::{DbConnection, take_turns};
use crate::domain::calendar::{DayKind, Month, Part, month_of};
use crate::domain::coverage::{self, Away, Breach, Covered, Kind, Mode, Rule};
use crate::domain::holidays::{self, Location};
use crate::domain::leave::{Days, WorkingWeek};
use crate::domain::{Actor, DateRange, Email, Invalid, Now, Ownership, Refusal, Status};
use crate::error::AppError;
use crate::models::calendar::{Leave, leave_of};
use crate::models::coverage::{self as stored, Member};
use crate::models::policy_event::PolicyEvent;
use crate::models::{Profile, holiday_change};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Whose calendar is asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamChoice {
    /// The viewer's own: the team they lead, or else the one they belong to.
    Mine,
    /// The team of this manager: they and their reports.
    Of(Email),
    /// Everyone in the directory, a page at a time (admins).
    Everyone,
}

impl TeamChoice {
    pub fn parse(raw: Option<&str>) -> Result<TeamChoice, Invalid> {
        match raw.map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(TeamChoice::Mine),
            Some(r) if r.eq_ignore_ascii_case("everyone") => Ok(TeamChoice::Everyone),
            Some(r) => Email::parse(r)
                .map(TeamChoice::Of)
                .map_err(|e| Invalid::new("team", format!("'{r}' is not a manager's email: it {e}."))),
        }
    }
}

/// People per page of the company-wide calendar.
pub const PEOPLE_PER_PAGE: i64 = 50;

/// The team the viewer sees by default: the one they lead, or else their manager's, or just
/// themselves.
fn own_team(viewer: &Viewer) -> Email {
    if !viewer.reports.is_empty() {
        return viewer.actor.email.clone();
    }
    viewer.manager.clone().unwrap_or_else(|| viewer.actor.email.clone())
}

/// Which teams someone may open: their manager's, their own and their reports' own teams;
/// admins any, and everyone.
fn may_open(viewer: &Viewer, team: &TeamChoice) -> Result<(), Refusal> {
    let allowed = match team {
        _ if viewer.actor.is_admin => true,
        TeamChoice::Mine => true,
        TeamChoice::Everyone => false,
        TeamChoice::Of(t) => {
            *t == viewer.actor.email || viewer.manager.as_ref() == Some(t) || viewer.reports.contains(t)
        }
    };
    if allowed {
        return Ok(());
    }
    Err(Refusal::Forbidden(
        "You can see your own team's calendar, your manager's team's and your reports' teams'; only admins can see other teams and everyone."
            .into(),
    ))
}

/// The teams a viewer can switch between, by manager email, with a label.
fn team_choices(viewer: &Viewer, names: &HashMap<Email, String>) -> Vec<(String, String)> {
    let name = |e: &Email| names.get(e).cloned().unwrap_or_else(|| e.to_string());
    let mut choices = Vec::new();
    if !viewer.reports.is_empty() {
        choices.push((viewer.actor.email.to_string(), "My team".to_owned()));
    }
    if let Some(m) = &viewer.manager {
        choices.push((m.to_string(), format!("{}'s team", name(m))));
    }
    for r in &viewer.reports {
        choices.push((r.to_string(), format!("{}'s team", name(r))));
    }
    if viewer.actor.is_admin {
        choices.push(("everyone".to_owned(), "Everyone".to_owned()));
    }
    choices
}

/// What the wall chart shows of one request to this viewer.
#[derive(Clone, Debug)]
pub struct Shown {
    pub leave: Leave,
    /// Its type's name, or "Off" where the viewer may not see the type.
    pub label: String,
    pub colour: String,
    /// Only for those who may see it.
    pub comment: Option<String>,
    /// Whether the viewer may open the request's own page.
    pub may_open: bool,
}

impl Shown {
    fn new(actor: &Actor, leave: Leave, manager: Option<&Email>) -> Shown {
        let may_open = actor.may_view(&Ownership { requester: Some(&leave.requester), manager });
        let t = leave.leave_type();
        let (label, colour) =
            if t.private && !may_open { (OFF.to_owned(), PRIVATE_COLOUR.to_owned()) } else { (t.name, t.colour) };
        let comment = if may_open { leave.comment.clone() } else { None };
        Shown { leave, label, colour, comment, may_open }
    }

    fn in_full(leave: Leave) -> Shown {
        let t = leave.leave_type();
        let comment = leave.comment.clone();
        Shown { leave, label: t.name, colour: t.colour, comment, may_open: true }
    }

    pub fn days(&self) -> Days {
        self.leave.days.map_or_else(|| Days::whole(0), Days::from_stored)
    }
}

/// What colleagues read for leave of a private type.
pub const OFF: &str = "Off";
/// Private leave in one neutral colour, so the colour does not tell the type either.
const PRIVATE_COLOUR: &str = "#6b6f76";

/// One person's row.
#[derive(Clone, Debug)]
pub struct Row {
    pub profile: Profile,
    pub location: Option<Location>,
    /// Each day of the month; leave as an index into [`CalendarView::leave`].
    pub days: Vec<(NaiveDate, DayKind<usize>)>,
}

/// One day of the month for the people shown: who is off, and what the coverage rules say.
#[derive(Clone, Debug, Default)]
pub struct DayMark {
    /// Blackouts that include the day.
    pub blackouts: Vec<String>,
    /// The team's limit that day, when a rule sets one.
    pub limit: Option<i32>,
    /// How many of the people shown take leave that day (half days as half).
    pub off: Days,
}

impl DayMark {
    pub fn at_limit(&self) -> bool {
        self.limit.is_some_and(|n| self.off.as_halves() >= 2 * n)
    }
}

/// The team (or page of everyone) shown.
#[derive(Clone, Debug)]
pub enum Shows {
    Team { manager: Email, label: String },
    Everyone { page: i64, more: bool },
}

#[derive(Clone, Debug)]
pub struct CalendarView {
    pub month: Month,
    pub today: NaiveDate,
    pub shows: Shows,
    pub rows: Vec<Row>,
    pub leave: Vec<Shown>,
    pub marks: Vec<DayMark>,
    pub rules: Vec<Rule>,
    /// Teams to switch to: the `team` parameter and a label.
    pub choices: Vec<(String, String)>,
}

pub struct CalendarPage {
    pub frame: Frame,
    pub view: CalendarView,
}

/// The wall chart of a month: who is asking (one statement), the team's people (one), their
/// leave in the month (one), the company's holiday changes for their locations (one) and the
/// coverage rules (one), whatever the team's size.
pub async fn calendar(
    app: &App,
    actor: &Actor,
    month: Option<&str>,
    team: Option<&str>,
    page: Option<i64>,
    switcher: bool,
) -> Result<CalendarPage, AppError> {
    let now = app.now();
    let month = month.filter(|m| !m.trim().is_empty()).map(Month::parse).transpose()?.unwrap_or(Month::of(now.today));
    let team = TeamChoice::parse(team)?;
    let page = page.unwrap_or(1);
    if page < 1 {
        return Err(Invalid::new("page", "Pages are numbered from 1.").into());
    }
    let actor = actor.clone();
    app.db
        .read(move |conn| {
            let frame = frame(conn, &actor, switcher)?;
            let view = view_in(conn, &frame.viewer, month, &team, page, now)?;
            Ok(CalendarPage { frame, view })
        })
        .await
}

fn view_in(
    conn: &mut DbConnection,
    viewer: &Viewer,
    month: Month,
    team: &TeamChoice,
    page: i64,
    now: Now,
) -> Result<CalendarView, AppError> {
    may_open(viewer, team)?;
    let (profiles, shows) = match team {
        TeamChoice::Everyone => {
            let mut people = Profile::page(conn, (page - 1).saturating_mul(PEOPLE_PER_PAGE), PEOPLE_PER_PAGE + 1)?;
            let more = people.len() as i64 > PEOPLE_PER_PAGE;
            people.truncate(PEOPLE_PER_PAGE as usize);
            (people, Shows::Everyone { page, more })
        }
        TeamChoice::Mine | TeamChoice::Of(_) => {
            let manager = match team {
                TeamChoice::Of(t) => t.clone(),
                _ => own_team(viewer),
            };
            let people = Profile::team(conn, &manager)?;
            let label =
                team_label(&manager, people.iter().find(|p| p.email == manager).map(|p| p.display_name.as_str()));
            (people, Shows::Team { manager, label })
        }
    };
    let emails: Vec<Email> = profiles.iter().map(|p| p.email.clone()).collect();
    let range = month.range();
    let found = leave_of(conn, &emails, range)?;
    let locations: Vec<Option<Location>> =
        profiles.iter().map(|p| p.location.as_deref().and_then(|l| Location::parse(l).ok())).collect();
    let known: Vec<&Location> = locations.iter().flatten().collect();
    let changes = holiday_change::affecting_any(conn, &known, range.start, range.end)?;
    let rules = match &shows {
        Shows::Team { manager, .. } => stored::for_teams(conn, &[manager])?,
        Shows::Everyone { .. } => stored::for_teams(conn, &[])?,
    };

    let managers: HashMap<&Email, Option<&Email>> =
        profiles.iter().map(|p| (&p.email, p.manager_email.as_ref())).collect();
    let leave: Vec<Shown> = found
        .into_iter()
        .map(|l| {
            let manager = managers.get(&l.requester).copied().flatten();
            Shown::new(&viewer.actor, l, manager)
        })
        .collect();
    // Each person's bookings, found once rather than by a pass over everyone's leave per person.
    let mut booked: HashMap<Email, Vec<(usize, crate::domain::calendar::Booked)>> = HashMap::new();
    for (i, s) in leave.iter().enumerate() {
        booked.entry(s.leave.requester.clone()).or_default().push((i, s.leave.booked()));
    }
    let mut rows = Vec::with_capacity(profiles.len());
    for (profile, location) in profiles.into_iter().zip(locations) {
        let week = WorkingWeek::parse(&profile.working_week).unwrap_or_default();
        let built_in = location.as_ref().map(|l| holidays::built_in(l, range.start, range.end)).unwrap_or_default();
        let holidays = holidays::with_changes(location.as_ref(), built_in, &changes);
        let bookings = booked.get(&profile.email).map_or(&[][..], Vec::as_slice);
        let days = month_of(month, week, &holidays, bookings);
        rows.push(Row { profile, location, days });
    }
    let marks = month
        .days()
        .enumerate()
        .map(|(i, day)| {
            let blackouts = rules
                .iter()
                .filter(|r| r.kind == Kind::Blackout && r.applies_on(day))
                .map(|r| r.name.clone().unwrap_or_else(|| "Blackout".into()))
                .collect();
            // Team limits only: the page shows the team, so it can count them; a company-wide
            // limit would need everyone's leave.
            let limit = rules
                .iter()
                .filter(|r| r.team.is_some() && r.applies_on(day))
                .filter_map(|r| match r.kind {
                    Kind::MaxOff(n) => Some(n),
                    Kind::Blackout => None,
                })
                .min();
            // Leave as the chart shows it: not on anyone's weekend or public holiday.
            let off = rows
                .iter()
                .filter_map(|r| match r.days.get(i) {
                    Some((_, DayKind::Leave { part, .. })) => Some(part.halves()),
                    _ => None,
                })
                .sum();
            DayMark { blackouts, limit, off: Days::halves(off) }
        })
        .collect();
    let names: HashMap<Email, String> =
        rows.iter().map(|r| (r.profile.email.clone(), r.profile.display_name.clone())).collect();
    let choices = team_choices(viewer, &names);
    Ok(CalendarView { month, today: now.today, shows, rows, leave, marks, rules, choices })
}

fn team_label(manager: &Email, name: Option<&str>) -> String {
    format!("{}'s team", name.map_or_else(|| manager.to_string(), str::to_owned))
}

// ---- Coverage rules ----

/// The rules that apply to a request of `requester` (whose manager is `manager`), and what each
/// says of taking `own`. Block rules that count people are taken in turn (by id, so two
/// submissions never wait for each other in a circle) before anyone's leave is read: of two
/// simultaneous requests that only one fits, the second sees the first.
pub(super) fn check(
    conn: &mut DbConnection,
    requester: &Email,
    manager: Option<&Email>,
    own: &[(NaiveDate, Part)],
    own_id: Option<i32>,
) -> Result<Vec<Breach>, AppError> {
    let (Some(first), Some(last)) = (own.first(), own.last()) else { return Ok(Vec::new()) };
    let teams: Vec<&Email> = manager.into_iter().chain([requester]).collect();
    let mut rules = stored::for_teams(conn, &teams)?;
    rules.retain(|r| own.iter().any(|(day, _)| r.applies_on(*day)));
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    rules.sort_by_key(|r| r.id);
    for rule in rules.iter().filter(|r| r.mode == Mode::Block && matches!(r.kind, Kind::MaxOff(_))) {
        take_turns(conn, &format!("holidays-coverage-rule:{}", rule.id))?;
    }
    let counting = |r: &&Rule| matches!(r.kind, Kind::MaxOff(_));
    let company = rules.iter().filter(counting).any(|r| r.team.is_none());
    // Every team's members, for its size and its name in sentences; leave only where counted.
    let team_rules: Vec<&Email> = rules.iter().filter_map(|r| r.team.as_ref()).collect();
    let members: Vec<Member> = if team_rules.is_empty() { Vec::new() } else { stored::members_of(conn, &team_rules)? };
    let range = DateRange { start: first.0, end: last.0 };
    let away = if company || rules.iter().filter(counting).any(|r| r.team.is_some()) {
        let emails: Vec<Email> = members.iter().map(|m| m.email.clone()).collect();
        stored::away_during(conn, &emails, company, range)?
    } else {
        Vec::new()
    };
    let company_size = if company { usize::try_from(stored::company_size(conn)?).unwrap_or(0) } else { 0 };
    let mut breaches = Vec::new();
    for rule in &rules {
        let breach = match &rule.team {
            None => {
                let all: Vec<Away> = away.iter().map(|(_, a)| *a).collect();
                coverage::judge(rule, own, own_id, Covered { size: company_size, label: "the company", away: &all })
            }
            Some(team) => {
                let in_team: Vec<&Member> =
                    members.iter().filter(|m| m.email == *team || m.manager.as_ref() == Some(team)).collect();
                let name = members.iter().find(|m| m.email == *team).map(|m| m.name.as_str());
                let label = team_label(team, name);
                let theirs: Vec<Away> = away
                    .iter()
                    .filter(|(email, _)| in_team.iter().any(|m| m.email == *email))
                    .map(|(_, a)| *a)
                    .collect();
                // The requester counts in the team's size even when the directory lacks them.
                let size = in_team.len() + usize::from(!in_team.iter().any(|m| m.email == *requester));
                coverage::judge(rule, own, own_id, Covered { size, label: &label, away: &theirs })
            }
        };
        breaches.extend(breach);
    }
    Ok(breaches)
}

/// The rules someone may see: admins all; others the company's and those of the teams they
/// lead, belong to or manage the leads of.
pub async fn rules(app: &App, actor: &Actor) -> Result<Vec<Rule>, AppError> {
    let actor = actor.clone();
    app.db
        .read(move |conn| {
            if actor.is_admin {
                return Ok(stored::all(conn)?);
            }
            let viewer = Viewer::resolve(conn, &actor, false)?;
            let teams: Vec<&Email> =
                viewer.manager.iter().chain([&viewer.actor.email]).chain(&viewer.reports).collect();
            Ok(stored::for_teams(conn, &teams)?)
        })
        .await
}

/// A new rule as typed, before checks.
#[derive(Clone, Debug, Default)]
pub struct RuleInput {
    /// A manager's email, or nothing (or "everyone") for the whole company.
    pub team: Option<String>,
    pub kind: String,
    pub max_off: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub name: Option<String>,
    pub mode: String,
}

/// Managers set rules for their own team, admins for any team or the company.
fn may_set_rules(viewer: &Viewer, team: Option<&Email>) -> Result<(), Refusal> {
    if viewer.actor.is_admin || (team == Some(&viewer.actor.email) && !viewer.reports.is_empty()) {
        return Ok(());
    }
    Err(Refusal::Forbidden(match team {
        None => "Only admins can set rules for the whole company.".into(),
        Some(_) => "Managers can set rules for their own team only; admins for any team.".into(),
    }))
}

fn rule_from(input: &RuleInput) -> Result<Rule, Invalid> {
    let team =
        match input.team.as_deref().map(str::trim).filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("everyone")) {
            None => None,
            Some(t) => Some(
                Email::parse(t)
                    .map_err(|e| Invalid::new("team", format!("'{t}' is not a manager's email: it {e}.")))?,
            ),
        };
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let period = match (text(&input.start_date), text(&input.end_date)) {
        (None, None) => None,
        (Some(start), None) => Some(DateRange::parse(&start, &start)?),
        (None, Some(_)) => return Err(Invalid::new("start_date", "Give the first day as well as the last.")),
        (Some(start), Some(end)) => Some(DateRange::parse(&start, &end)?),
    };
    Rule::new(team, &input.kind, input.max_off, period, input.name.as_deref(), &input.mode)
}

pub async fn add_rule(app: &App, actor: &Actor, input: &RuleInput) -> Result<Rule, AppError> {
    let rule = rule_from(input)?;
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .write(move |conn| {
            let viewer = Viewer::resolve(conn, &actor, false)?;
            may_set_rules(&viewer, rule.team.as_ref())?;
            let stored = stored::insert(conn, &rule, &actor.email, now.utc)?;
            let subject = format!("coverage rule #{}", stored.id);
            let team = stored.team.as_ref().map_or_else(|| "the company".to_owned(), |t| format!("the team of {t}"));
            let detail = serde_json::json!({ "rule": stored.describe(), "team": team });
            PolicyEvent::record(conn, &actor.email, "coverage_rule_added", &subject, &detail, now.utc)?;
            Ok(stored)
        })
        .await
}

pub async fn remove_rule(app: &App, actor: &Actor, id: i32) -> Result<Rule, AppError> {
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .write(move |conn| {
            let viewer = Viewer::resolve(conn, &actor, false)?;
            let missing = || AppError::NotFound(format!("There is no coverage rule #{id}."));
            let rule = stored::find(conn, id)?.ok_or_else(missing)?;
            may_set_rules(&viewer, rule.team.as_ref())?;
            if !stored::delete(conn, id)? {
                return Err(missing());
            }
            let detail = serde_json::json!({ "rule": rule.describe() });
            PolicyEvent::record(
                conn,
                &actor.email,
                "coverage_rule_removed",
                &format!("coverage rule #{id}"),
                &detail,
                now.utc,
            )?;
            Ok(rule)
        })
        .await
}

/// The rules page: the rules the viewer may see, and whether they may add any.
pub struct RulesPage {
    pub frame: Frame,
    pub rules: Vec<Rule>,
    /// The teams they may set rules for: `None` stands for the company.
    pub may_set: Vec<Option<Email>>,
}

pub async fn rules_page(app: &App, actor: &Actor, switcher: bool) -> Result<RulesPage, AppError> {
    let actor = actor.clone();
    app.db
        .read(move |conn| {
            let frame = frame(conn, &actor, switcher)?;
            let v = &frame.viewer;
            let rules = if actor.is_admin {
                stored::all(conn)?
            } else {
                let teams: Vec<&Email> = v.manager.iter().chain([&v.actor.email]).chain(&v.reports).collect();
                stored::for_teams(conn, &teams)?
            };
            let mut may_set = Vec::new();
            if actor.is_admin {
                may_set.push(None);
            }
            if actor.is_admin || !v.reports.is_empty() {
                may_set.push(Some(actor.email.clone()));
            }
            Ok(RulesPage { frame, rules, may_set })
        })
        .await
}

// ---- Calendar files ----

/// Whose leave a calendar file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Mine,
    Team,
}

impl Scope {
    pub fn parse(raw: Option<&str>) -> Result<Scope, Invalid> {
        match raw.map(str::trim).unwrap_or("mine") {
            s if s.eq_ignore_ascii_case("mine") || s.is_empty() => Ok(Scope::Mine),
            s if s.eq_ignore_ascii_case("team") => Ok(Scope::Team),
            _ => Err(Invalid::new("scope", "The scope must be mine or team.")),
        }
    }
}

/// The longest period one file covers.
pub const MAX_FILE_DAYS: i64 = 400;

/// A calendar file's events: the viewer's own leave, or their team's, in a period.
pub struct FileEvents {
    pub scope: Scope,
    pub name: String,
    pub items: Vec<(Shown, String)>,
}

pub async fn file_events(
    app: &App,
    actor: &Actor,
    scope: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<FileEvents, AppError> {
    let scope = Scope::parse(scope)?;
    let now = app.now();
    let from = match from.map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => DateRange::parse(f, f)?.start,
        None => Month::of(now.today).first_day(),
    };
    let to = match to.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => DateRange::parse(t, t).map_err(|e| Invalid::new("to", e.message))?.start,
        None => from.checked_add_days(chrono::Days::new(365)).unwrap_or(from),
    };
    if to < from {
        return Err(Invalid::new("to", format!("The last day {to} is before the first day {from}.")).into());
    }
    if (to - from).num_days() >= MAX_FILE_DAYS {
        return Err(Invalid::new("to", format!("A calendar file covers at most {MAX_FILE_DAYS} days.")).into());
    }
    let range = DateRange { start: from, end: to };
    let actor = actor.clone();
    app.db
        .read(move |conn| {
            let viewer = Viewer::resolve(conn, &actor, false)?;
            let people = match scope {
                Scope::Mine => Profile::find(conn, &actor.email)?
                    .map_or_else(|| vec![Profile::unlisted(&actor.email)], |p| vec![p]),
                Scope::Team => Profile::team(conn, &own_team(&viewer))?,
            };
            let emails: Vec<Email> = people.iter().map(|p| p.email.clone()).collect();
            let names: HashMap<&Email, (&str, Option<&Email>)> =
                people.iter().map(|p| (&p.email, (p.display_name.as_str(), p.manager_email.as_ref()))).collect();
            let items = leave_of(conn, &emails, range)?
                .into_iter()
                .map(|l| {
                    let (name, manager) = names.get(&l.requester).copied().unwrap_or(("", None));
                    let name = if name.is_empty() { l.requester.to_string() } else { name.to_owned() };
                    (Shown::new(&actor, l, manager), name)
                })
                .collect();
            let name = match scope {
                Scope::Mine => "My leave".to_owned(),
                Scope::Team => "My team's leave".to_owned(),
            };
            Ok(FileEvents { scope, name, items })
        })
        .await
}

/// One request as a calendar file, for those who may see it; only pending and approved ones
/// are leave to put in a calendar.
pub async fn request_file(app: &App, actor: &Actor, id: i32) -> Result<(Shown, String), AppError> {
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .read(move |conn| {
            let item = visible_one(conn, &actor, id, now)?;
            let r = &item.request;
            if !matches!(r.status, Status::Pending | Status::Approved) {
                return Err(AppError::Conflict(format!(
                    "Request #{id} is {}: there is nothing to put in a calendar.",
                    r.status.as_str().to_lowercase()
                )));
            }
            let Some(email) = r.requester_email.clone() else { return Err(AppError::not_found(id)) };
            let leave = leave_of(conn, std::slice::from_ref(&email), r.range())?
                .into_iter()
                .find(|l| l.request_id == id)
                .ok_or(AppError::not_found(id))?;
            let name = r.employee_name.clone();
            // Whoever may see the request may see all of it.
            Ok((Shown::in_full(leave), name))
        })
        .await
}

/// What the coverage rules say of approving a pending request, as its days stand today.
pub(super) fn at_approval(
    conn: &mut DbConnection,
    settings: &Settings,
    requester: Option<&Email>,
    manager: Option<&Email>,
    request: &crate::models::HolidayRequest,
) -> Result<Vec<Breach>, AppError> {
    let Some(email) = requester else { return Ok(Vec::new()) };
    let profile = Profile::find(conn, email)?;
    let ask = crate::domain::counting::Ask {
        range: request.range(),
        start_part: request.start_part,
        end_part: request.end_part,
    };
    let own = super::leave::days_off(conn, settings, profile.as_ref(), ask)?;
    check(conn, email, manager, &own, Some(request.request_id))
}
