//! What people do and see: the one door between the routes and the data. Each function here
//! is one use of the app; HTML pages and the JSON API call the same ones, so they cannot
//! disagree, and no route touches a connection or a model.
//!
//! Reads cost a fixed number of statements whatever the data's size: a page is who is asking
//! (one statement, [`Person::directory_of`]) and its rows with "also off" (one more,
//! [`HolidayRequest::page`]).

pub mod calendar;
pub mod directory;
pub mod leave;
pub mod notifications;
mod requests;

pub use requests::{RequestInput, cancel, decide, submit, submit_in};

use crate::config::Settings;
use crate::db::{Db, DbConnection};
use crate::domain::balance::Balance;
use crate::domain::{Absences, Actor, AlsoOff, Email, Now, Ownership, Status, absence::also_off, rules};
use crate::error::AppError;
use crate::models::balance::{LeaveContext, TypeChoice};
use crate::models::request::{Cursor, Managed, Page, PageQuery, Requesters, TypeLabel};
use crate::models::{Event, HolidayRequest, Person};
use leave::{TypeBalance, balance_years, balances_in};

/// The app's state: the database and the settings the rules read.
pub struct App {
    pub db: Db,
    pub settings: Settings,
    /// Wakes the notification worker after a change that wrote notifications.
    pub wake: crate::notify::Wake,
    /// The notification worker, once the server is up and if a channel is configured.
    pub worker: std::sync::OnceLock<std::sync::Arc<crate::notify::Worker>>,
}

impl App {
    pub fn now(&self) -> Now {
        Now::in_zone(&self.settings.timezone)
    }
}

/// Whoever is asking, resolved once per request: who they are in the directory, whose
/// requests they see, and how many wait for their decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub actor: Actor,
    /// Their name in the directory, if they are in it.
    pub display_name: Option<String>,
    pub manager: Option<Email>,
    pub reports: Vec<Email>,
    /// Requests waiting for their decision (capped), when counted.
    pub waiting: i64,
}

impl Viewer {
    fn resolve(conn: &mut DbConnection, actor: &Actor, count_waiting: bool) -> Result<Viewer, AppError> {
        let directory = Person::directory_of(conn, &actor.email, actor.is_admin, count_waiting)?;
        let (display_name, manager) = match directory.me {
            Some(p) => (Some(p.display_name), p.manager_email),
            None => (None, None),
        };
        Ok(Viewer {
            actor: actor.clone(),
            display_name,
            manager,
            reports: directory.reports.into_iter().map(|p| p.email).collect(),
            waiting: directory.waiting,
        })
    }

    /// An admin as far as lists need: they see everyone's requests whoever they manage.
    fn unresolved(actor: &Actor) -> Viewer {
        Viewer { actor: actor.clone(), display_name: None, manager: None, reports: Vec::new(), waiting: 0 }
    }

    /// The directory's name for them, or their email.
    pub fn name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(self.actor.email.as_str())
    }

    /// Whether they decide anything: admins, and managers with someone reporting to them.
    pub fn decides(&self) -> bool {
        self.actor.is_admin || !self.reports.is_empty()
    }

    /// Whose requests a list shows them.
    fn requesters(&self, view: View) -> Requesters {
        match view {
            View::Mine => Requesters::Only(vec![self.actor.email.clone()]),
            _ if self.actor.is_admin => Requesters::Everyone,
            View::Queue => Requesters::Only(self.reports.clone()),
            View::Visible => Requesters::Only(self.reports.iter().chain([&self.actor.email]).cloned().collect()),
        }
    }
}

/// Which list someone is looking at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Their own requests.
    Mine,
    /// The requests they may decide (reports', or all for admins).
    Queue,
    /// Everything they may see (the API's list).
    Visible,
}

/// A request with what the reader may do with it and who else is off then.
#[derive(Clone, Debug)]
pub struct Listed {
    pub request: HolidayRequest,
    pub leave_type: Option<TypeLabel>,
    pub can_decide: bool,
    pub can_cancel: bool,
    pub also_off: AlsoOff,
    /// The requester's balance of the request's type in the leave year it starts in, this
    /// request counted, where the list shows it (the queue) and the type is deducted.
    pub balance_after: Option<Balance>,
    /// Whether its decision form offers an admin the override of a blocking coverage rule.
    pub offer_override: bool,
}

pub struct Listing {
    pub items: Vec<Listed>,
    pub next: Option<Cursor>,
}

/// What every page shows around its content: who is signed in and, in development, the people
/// one can switch to.
pub struct Frame {
    pub viewer: Viewer,
    /// The first people of the directory, for the development identity switcher.
    pub switcher: Option<Vec<Person>>,
}

/// How many people the development switcher offers.
const SWITCHER_SIZE: i64 = 50;

pub(crate) fn frame(conn: &mut DbConnection, actor: &Actor, switcher: bool) -> Result<Frame, AppError> {
    let viewer = Viewer::resolve(conn, actor, true)?;
    let switcher = if switcher { Some(Person::first(conn, SWITCHER_SIZE)?) } else { None };
    Ok(Frame { viewer, switcher })
}

pub const MAX_PAGE: i64 = 100;

fn listed(viewer: &Viewer, page: Page, now: Now) -> Listing {
    let Page { rows, next, away } = page;
    let away = Absences::new(away);
    let items = rows.into_iter().map(|managed| describe(&viewer.actor, managed, &away, now)).collect();
    Listing { items, next }
}

fn describe(actor: &Actor, managed: Managed, away: &Absences, now: Now) -> Listed {
    let Managed { request: r, manager, leave_type } = managed;
    let owner = Ownership { requester: r.requester_email.as_ref(), manager: manager.as_ref() };
    Listed {
        can_decide: rules::decidable(&r.status) && actor.may_decide(&owner).is_ok(),
        can_cancel: actor.may_cancel(&owner, &r.status, r.start_date, now.today).is_ok(),
        also_off: also_off(owner.requester, owner.manager, &r.status, r.range(), away),
        request: r,
        leave_type,
        balance_after: None,
        offer_override: false,
    }
}

/// One request as `actor` sees it, if they may: those who may not are told it does not exist,
/// so ids reveal nothing.
fn visible_one(conn: &mut DbConnection, actor: &Actor, id: i32, now: Now) -> Result<Listed, AppError> {
    let only_this = PageQuery {
        requesters: &Requesters::Everyone,
        status: None,
        cursor: None,
        after: id.saturating_sub(1),
        before: id.saturating_add(1),
        limit: 1,
    };
    let page = HolidayRequest::page(conn, only_this)?;
    let Page { rows, away, .. } = page;
    let managed = rows.into_iter().next().ok_or(AppError::not_found(id))?;
    let owner = Ownership { requester: managed.request.requester_email.as_ref(), manager: managed.manager.as_ref() };
    if !actor.may_view(&owner) {
        return Err(AppError::not_found(id));
    }
    Ok(describe(actor, managed, &Absences::new(away), now))
}

/// What the start page shows of the person's leave: the types they can ask for and their
/// balances this leave year.
pub struct MyLeave {
    pub types: Vec<TypeChoice>,
    pub balances: Vec<TypeBalance>,
    pub year: i32,
}

/// The start page: the person's balances, the form, and their own requests.
pub async fn home(
    app: &App,
    actor: &Actor,
    cursor: Option<Cursor>,
    switcher: bool,
) -> Result<(Frame, Listing, MyLeave), AppError> {
    let (actor, now, settings) = (actor.clone(), app.now(), app.settings.clone());
    app.db
        .read(move |conn| {
            let frame = frame(conn, &actor, switcher)?;
            let listing = list_for(conn, &frame.viewer, View::Mine, None, cursor, PAGE_SIZE, 0, now)?;
            Ok((frame, listing, my_leave_in(conn, &settings, &actor, now)?))
        })
        .await
}

fn my_leave_in(conn: &mut DbConnection, settings: &Settings, actor: &Actor, now: Now) -> Result<MyLeave, AppError> {
    let (years, first_day) = balance_years(settings, now.today);
    let context = LeaveContext::load(conn, std::slice::from_ref(&actor.email), years, first_day)?;
    let year = settings.leave_policy.leave_year.of(now.today);
    let balances = balances_in(settings, &context, &actor.email, year, now.today);
    Ok(MyLeave { types: context.types, balances, year })
}

/// The person's leave types and balances alone: what the form needs after a submission.
pub async fn my_leave(app: &App, actor: &Actor) -> Result<MyLeave, AppError> {
    let (actor, now, settings) = (actor.clone(), app.now(), app.settings.clone());
    app.db.read(move |conn| my_leave_in(conn, &settings, &actor, now)).await
}

/// Fills in each row's balance after it, from one read of the requesters' balances.
pub(crate) fn with_balances(
    conn: &mut DbConnection,
    settings: &Settings,
    items: &mut [Listed],
    now: Now,
) -> Result<(), AppError> {
    let mut emails: Vec<Email> = items.iter().filter_map(|i| i.request.requester_email.clone()).collect();
    emails.sort();
    emails.dedup();
    if emails.is_empty() {
        return Ok(());
    }
    let (years, first_day) = balance_years(settings, now.today);
    let context = LeaveContext::load(conn, &emails, years, first_day)?;
    let leave_year = settings.leave_policy.leave_year;
    for item in items.iter_mut() {
        let counts = matches!(item.request.status, Status::Pending | Status::Approved);
        let (Some(email), true) = (&item.request.requester_email, counts) else { continue };
        let year = leave_year.of(item.request.start_date);
        // As of the day it starts: carried days that expire before then are no help to it.
        let judged = now.today.max(item.request.start_date);
        item.balance_after = context
            .balances(
                email,
                item.request.leave_type_id,
                settings.default_allowance,
                settings.leave_policy,
                year..=year,
                judged,
            )
            .into_iter()
            .next();
    }
    Ok(())
}

/// Rows per page on the HTML pages.
pub const PAGE_SIZE: i64 = 20;

#[allow(clippy::too_many_arguments)]
fn list_for(
    conn: &mut DbConnection,
    viewer: &Viewer,
    view: View,
    status: Option<&Status>,
    cursor: Option<Cursor>,
    limit: i64,
    after: i32,
    now: Now,
) -> Result<Listing, AppError> {
    let requesters = viewer.requesters(view);
    if requesters == Requesters::Only(Vec::new()) {
        return Ok(Listing { items: Vec::new(), next: None });
    }
    let query =
        PageQuery { requesters: &requesters, status, cursor, after, before: i32::MAX, limit: limit.clamp(1, MAX_PAGE) };
    Ok(listed(viewer, HolidayRequest::page(conn, query)?, now))
}

/// The team queue: `status` `None` means all, pending first. `poll_after` is where the live
/// updates start: the newest pending request the person can see, on the first page.
pub struct Queue {
    pub frame: Frame,
    pub listing: Listing,
    pub poll_after: Option<i32>,
}

pub async fn queue(
    app: &App,
    actor: &Actor,
    status: Option<Status>,
    cursor: Option<Cursor>,
    switcher: bool,
) -> Result<Queue, AppError> {
    let (actor, now, settings) = (actor.clone(), app.now(), app.settings.clone());
    app.db
        .read(move |conn| {
            let frame = frame(conn, &actor, switcher)?;
            let mut listing = list_for(conn, &frame.viewer, View::Queue, status.as_ref(), cursor, PAGE_SIZE, 0, now)?;
            with_balances(conn, &settings, &mut listing.items, now)?;
            let live = cursor.is_none() && matches!(status, None | Some(Status::Pending));
            // The first page starts with the newest pending requests visible to this person, so
            // the live updates start after the first of them; nothing about others' ids leaks.
            let newest_pending = listing
                .items
                .iter()
                .filter(|i| i.request.status == Status::Pending)
                .map(|i| i.request.request_id)
                .max()
                .unwrap_or(0);
            Ok(Queue { frame, listing, poll_after: live.then_some(newest_pending) })
        })
        .await
}

/// Pending requests for the queue that arrived after `after`, and the new count.
pub async fn queue_updates(app: &App, actor: &Actor, after: i32) -> Result<(Vec<Listed>, i64), AppError> {
    let (actor, now, settings) = (actor.clone(), app.now(), app.settings.clone());
    app.db
        .read(move |conn| {
            let viewer = Viewer::resolve(conn, &actor, true)?;
            let mut listing = list_for(conn, &viewer, View::Queue, Some(&Status::Pending), None, MAX_PAGE, after, now)?;
            with_balances(conn, &settings, &mut listing.items, now)?;
            Ok((listing.items, viewer.waiting))
        })
        .await
}

/// One request's page: the request, how its days were counted, and its history.
pub struct RequestPage {
    pub frame: Frame,
    pub item: Listed,
    pub how_counted: Option<leave::HowCounted>,
    pub events: Vec<Event>,
}

pub async fn request_page(app: &App, actor: &Actor, id: i32, switcher: bool) -> Result<RequestPage, AppError> {
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .read(move |conn| {
            let frame = frame(conn, &actor, switcher)?;
            let item = visible_one(conn, &actor, id, now)?;
            let how_counted = leave::how_counted(conn, item.request.requester_email.as_ref(), item.request.range())?;
            let events = Event::for_request(conn, id)?;
            Ok(RequestPage { frame, item, how_counted, events })
        })
        .await
}

/// How many requests wait for this person's decision, when they decide anything.
pub async fn waiting(app: &App, actor: &Actor) -> Result<Option<i64>, AppError> {
    let actor = actor.clone();
    app.db
        .read(move |conn| {
            let viewer = Viewer::resolve(conn, &actor, true)?;
            Ok(viewer.decides().then_some(viewer.waiting))
        })
        .await
}

/// Who the caller is (the API's `/me`).
pub async fn me(app: &App, actor: &Actor) -> Result<Viewer, AppError> {
    let actor = actor.clone();
    app.db.read(move |conn| Viewer::resolve(conn, &actor, false)).await
}

/// Everything the caller may see, pending first (the API's list). An admin's list is one
/// statement; anyone else's is two (whose requests they see, then the page).
pub async fn list(
    app: &App,
    actor: &Actor,
    status: Option<Status>,
    cursor: Option<Cursor>,
    limit: i64,
) -> Result<Listing, AppError> {
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .read(move |conn| {
            // An admin sees everyone's: nothing to look up first.
            let viewer =
                if actor.is_admin { Viewer::unresolved(&actor) } else { Viewer::resolve(conn, &actor, false)? };
            list_for(conn, &viewer, View::Visible, status.as_ref(), cursor, limit, 0, now)
        })
        .await
}

/// One request with its history (the API).
pub async fn details(app: &App, actor: &Actor, id: i32) -> Result<(Listed, Vec<Event>), AppError> {
    let (actor, now) = (actor.clone(), app.now());
    app.db
        .read(move |conn| {
            let item = visible_one(conn, &actor, id, now)?;
            Ok((item, Event::for_request(conn, id)?))
        })
        .await
}

/// Whether the database answers (the platform's health check).
pub async fn health(app: &App) -> Result<(), AppError> {
    app.db.read(|conn| Ok(crate::db::ping(conn)?)).await
}
