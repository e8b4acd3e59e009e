//! The HTML routes. Each works as a plain form post with a redirect, and with htmx as a
//! fragment swapped into the page.

use super::guards::{CurrentUser, DEV_USER_COOKIE, Htmx, SameOrigin};
use super::html_error;
use crate::actions::{self, Listed, Listing, Now, RequestInput, View};
use crate::config::{AuthMode, Settings, normalize_email};
use crate::db::{Db, DbConnection};
use crate::domain::{Actor, Status};
use crate::error::AppError;
use crate::models::request::Cursor;
use crate::models::{HolidayRequest, Person};
use crate::views::layout::{Chrome, Section, Tone, alert, page, pending_count};
use crate::views::requests as rv;
use maud::{Markup, html};
use rocket::form::{Form, FromForm};
use rocket::http::{Cookie, CookieJar, Header, SameSite, Status as HttpStatus};
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use rocket::{Responder, Route, State, get, post, routes};

pub fn routes() -> Vec<Route> {
    routes![home, submit, queue, queue_updates, details, decide, cancel, switch_identity]
}

/// What an HTML route answers.
#[derive(Responder)]
pub enum Reply {
    Html((HttpStatus, Markup)),
    Redirect(Flash<Redirect>),
    Plain(Redirect),
    Retarget(Retargeted),
    Nothing(HttpStatus),
}

/// An htmx answer shown somewhere other than where the request's target said.
#[derive(Responder)]
pub struct Retargeted {
    pub inner: (HttpStatus, Markup),
    pub target: Header<'static>,
    pub swap: Header<'static>,
}

const PAGE_SIZE: i64 = 20;

fn chrome(conn: &mut DbConnection, who: &Actor, auth: AuthMode) -> Result<Chrome, AppError> {
    let name = Person::find(conn, &who.email)?.map_or_else(|| who.email.clone(), |p| p.display_name);
    let decides = who.is_admin || Person::has_reports(conn, &who.email)?;
    let pending = if decides { Some(actions::pending_count(conn, who)?) } else { None };
    let people = if auth == AuthMode::Dev { Person::all(conn)? } else { Vec::new() };
    Ok(Chrome { email: who.email.clone(), name, pending, auth, people })
}

fn flash_markup(flash: Option<FlashMessage<'_>>) -> Option<Markup> {
    flash.map(|f| alert(if f.kind() == "error" { Tone::Error } else { Tone::Ok }, f.message()))
}

fn parse_cursor(raw: Option<&str>) -> Result<Option<Cursor>, AppError> {
    raw.filter(|c| !c.is_empty())
        .map(|c| {
            Cursor::decode(c).ok_or_else(|| {
                AppError::BadRequest("That page link is not valid; start again from the first page.".into())
            })
        })
        .transpose()
}

fn home_page(chrome: &Chrome, flash: Option<Markup>, form: Markup, listing: &Listing) -> Markup {
    page(
        "My requests",
        Some(chrome),
        Section::Mine,
        flash,
        html! {
            h1 { "My holidays" }
            section .card aria-labelledby="ask-heading" {
                h2 #ask-heading { "Ask for time off" }
                (form)
            }
            section .card aria-labelledby="mine-heading" {
                h2 #mine-heading { "My requests" }
                (rv::my_table(&listing.items, listing.next))
            }
        },
    )
}

/// Loads what the start page shows around the request form.
async fn home_data(
    db: &Db,
    who: &Actor,
    auth: AuthMode,
    cursor: Option<Cursor>,
) -> Result<(Chrome, Listing), AppError> {
    let who = who.clone();
    db.run(move |conn| {
        let chrome = chrome(conn, &who, auth)?;
        let listing = actions::list(conn, &who, View::Mine, None, cursor, PAGE_SIZE, Now::utc())?;
        Ok((chrome, listing))
    })
    .await
}

#[get("/?<cursor>")]
async fn home(
    user: CurrentUser,
    db: &State<Db>,
    settings: &State<Settings>,
    flash: Option<FlashMessage<'_>>,
    cursor: Option<&str>,
) -> Reply {
    let result = match parse_cursor(cursor) {
        Ok(cursor) => home_data(db, &user.0, settings.auth, cursor).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((chrome, listing)) => {
            let form = rv::request_form(&RequestInput::default(), None, None);
            Reply::Html((HttpStatus::Ok, home_page(&chrome, flash_markup(flash), form, &listing)))
        }
        Err(e) => html_error(e, Htmx(false)),
    }
}

#[derive(FromForm)]
struct RequestForm {
    #[field(default = String::new())]
    start_date: String,
    #[field(default = String::new())]
    end_date: String,
    comment: Option<String>,
}

#[post("/requests", data = "<form>")]
async fn submit(
    user: CurrentUser,
    _same_origin: SameOrigin,
    htmx: Htmx,
    db: &State<Db>,
    settings: &State<Settings>,
    form: Form<RequestForm>,
) -> Reply {
    let form = form.into_inner();
    let input = RequestInput { start_date: form.start_date, end_date: form.end_date, comment: form.comment };
    let (who, submitted) = (user.0.clone(), input.clone());
    let result = db.run(move |conn| actions::submit(conn, &who, &submitted, Now::utc())).await;
    match result {
        Ok(item) => {
            let r = &item.request;
            let message = format!(
                "Request #{} is sent: {} working days from {} to {}, waiting for a decision.",
                r.request_id,
                r.range().working_days(),
                r.start_date,
                r.end_date
            );
            if !htmx.0 {
                return Reply::Redirect(Flash::success(Redirect::to("/"), message));
            }
            Reply::Html((
                HttpStatus::Ok,
                html! {
                    (rv::request_form(&RequestInput::default(), None, Some(&message)))
                    // Table parts come in a template: parsed bare after the form, the HTML parser
                    // would drop the tbody and row tags.
                    template { tbody hx-swap-oob="afterbegin:#my-requests" { (rv::my_row(&item, None)) } }
                    p #my-empty hx-swap-oob="delete" {}
                },
            ))
        }
        // A refusal of the input itself comes back in the form, with what was typed.
        Err(e @ AppError::Invalid(_)) if htmx.0 => Reply::Html((e.status(), rv::request_form(&input, Some(&e), None))),
        Err(e @ AppError::Invalid(_)) => {
            let status = e.status();
            match home_data(db, &user.0, settings.auth, None).await {
                Ok((chrome, listing)) => {
                    let form = rv::request_form(&input, Some(&e), None);
                    Reply::Html((status, home_page(&chrome, None, form, &listing)))
                }
                Err(page_error) => html_error(page_error, htmx),
            }
        }
        Err(e) => html_error(e, htmx),
    }
}

/// `?status=` of the queue: a status, `all`, or nothing for the default, pending.
fn parse_status_filter(raw: Option<&str>) -> Result<Option<Status>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Some(Status::Pending)),
        Some(s) if s.eq_ignore_ascii_case("all") => Ok(None),
        Some(s) => Status::parse(s).map(Some).ok_or_else(|| {
            AppError::BadRequest(format!("'{s}' is not a status; use Pending, Approved, Declined, Cancelled or all."))
        }),
    }
}

#[get("/queue?<status>&<cursor>")]
async fn queue(
    user: CurrentUser,
    db: &State<Db>,
    settings: &State<Settings>,
    flash: Option<FlashMessage<'_>>,
    status: Option<&str>,
    cursor: Option<&str>,
) -> Reply {
    let (filter, cursor) = match (parse_status_filter(status), parse_cursor(cursor)) {
        (Ok(f), Ok(c)) => (f, c),
        (Err(e), _) | (_, Err(e)) => return html_error(e, Htmx(false)),
    };
    let (who, auth) = (user.0.clone(), settings.auth);
    let result = db
        .run(move |conn| {
            let chrome = chrome(conn, &who, auth)?;
            let listing = actions::list(conn, &who, View::Queue, filter, cursor, PAGE_SIZE, Now::utc())?;
            let live = cursor.is_none() && matches!(filter, None | Some(Status::Pending));
            let poll_after = if live { Some(HolidayRequest::max_id(conn)?) } else { None };
            Ok((chrome, listing, poll_after))
        })
        .await;
    match result {
        Ok((chrome, listing, poll_after)) => {
            let body = html! {
                h1 { "Team queue" }
                @if chrome.pending.is_none() {
                    p .muted { "Nobody reports to you in the directory, so no requests wait for your decision." }
                }
                (rv::status_tabs(filter))
                section .card { (rv::queue_table(&listing.items, filter, listing.next, poll_after)) }
            };
            Reply::Html((HttpStatus::Ok, page("Team queue", Some(&chrome), Section::Queue, flash_markup(flash), body)))
        }
        Err(e) => html_error(e, Htmx(false)),
    }
}

/// New pending requests for an open queue page: rows to add at the top, plus the count and
/// a poller that remembers the newest row, swapped out of band.
#[get("/queue/updates?<after>&<status>")]
async fn queue_updates(user: CurrentUser, htmx: Htmx, db: &State<Db>, after: i32, status: Option<&str>) -> Reply {
    let status_param = status.unwrap_or("all").to_owned();
    let who = user.0.clone();
    let result = db
        .run(move |conn| {
            let now = Now::utc();
            Ok((actions::new_in_queue(conn, &who, after, now)?, actions::pending_count(conn, &who)?))
        })
        .await;
    match result {
        Ok((items, _)) if items.is_empty() => Reply::Nothing(HttpStatus::NoContent),
        Ok((items, count)) => {
            let newest = items.iter().map(|i| i.request.request_id).max().unwrap_or(after);
            Reply::Html((
                HttpStatus::Ok,
                html! {
                    @for item in &items { (rv::queue_row(item, None, None)) }
                    (pending_count(count, true))
                    div hx-swap-oob="outerHTML:#queue-poller" { (rv::queue_poller(newest, &status_param)) }
                    p #queue-empty hx-swap-oob="delete" {}
                },
            ))
        }
        Err(e) => html_error(e, htmx),
    }
}

#[get("/requests/<id>")]
async fn details(
    user: CurrentUser,
    db: &State<Db>,
    settings: &State<Settings>,
    flash: Option<FlashMessage<'_>>,
    id: i32,
) -> Reply {
    let (who, auth) = (user.0.clone(), settings.auth);
    let result = db
        .run(move |conn| {
            let chrome = chrome(conn, &who, auth)?;
            Ok((chrome, actions::details(conn, &who, id, Now::utc())?))
        })
        .await;
    match result {
        Ok((chrome, (item, events))) => {
            let title = format!("Request #{id}");
            Reply::Html((
                HttpStatus::Ok,
                page(&title, Some(&chrome), Section::Other, flash_markup(flash), rv::details(&item, &events)),
            ))
        }
        Err(e) => html_error(e, Htmx(false)),
    }
}

#[derive(FromForm)]
struct DecisionForm {
    #[field(default = String::new())]
    decision: String,
    note: Option<String>,
    back: Option<String>,
}

/// Where a plain form post returns to; never a URL taken from the request.
fn back_to(back: Option<&str>, id: i32) -> String {
    match back {
        Some("details") => format!("/requests/{id}"),
        Some("home") => "/".into(),
        _ => "/queue".into(),
    }
}

/// What happened to a row someone acted on, with the row as it now is when it can be shown.
enum RowOutcome {
    /// The change is committed; the count of requests still waiting, when it could be read.
    Done(Listed, Option<i64>),
    Refused(AppError, Option<Listed>),
}

/// Runs a change to one request and, whatever happened, reloads the row to show.
async fn change_row(
    db: &Db,
    who: &Actor,
    id: i32,
    change: impl FnOnce(&mut DbConnection, &Actor, Now) -> Result<Listed, AppError> + Send + 'static,
) -> Result<RowOutcome, AppError> {
    let who = who.clone();
    db.run(move |conn| {
        let now = Now::utc();
        match change(conn, &who, now) {
            Ok(item) => {
                // The change is committed: failing to count now must not turn it into an error.
                let count = actions::pending_count(conn, &who).inspect_err(AppError::log).ok();
                Ok(RowOutcome::Done(item, count))
            }
            Err(e @ (AppError::Conflict(_) | AppError::Invalid(_))) => {
                let current = actions::details(conn, &who, id, now).ok().map(|(item, _)| item);
                Ok(RowOutcome::Refused(e, current))
            }
            Err(e) => Err(e),
        }
    })
    .await
}

#[post("/requests/<id>/decision", data = "<form>")]
async fn decide(
    id: i32,
    user: CurrentUser,
    _same_origin: SameOrigin,
    htmx: Htmx,
    db: &State<Db>,
    form: Form<DecisionForm>,
) -> Reply {
    let form = form.into_inner();
    let back = back_to(form.back.as_deref(), id);
    let (decision, note) = (form.decision.clone(), form.note.clone());
    let outcome = change_row(db, &user.0, id, move |conn, who, now| {
        actions::decide(conn, who, id, &decision, note.as_deref(), now)
    })
    .await;
    match outcome {
        Ok(RowOutcome::Done(item, count)) => {
            let message = format!("You {} request #{id}.", item.request.status.as_str().to_lowercase());
            if !htmx.0 {
                return Reply::Redirect(Flash::success(Redirect::to(back), message));
            }
            Reply::Html((
                HttpStatus::Ok,
                html! {
                    (rv::queue_row(&item, Some(&(Tone::Ok, message)), None))
                    @if let Some(count) = count { (pending_count(count, true)) }
                },
            ))
        }
        Ok(RowOutcome::Refused(e, Some(item))) if htmx.0 => {
            let kept = matches!(e, AppError::Invalid(_)).then_some(form.note.as_deref()).flatten();
            let message = (Tone::Error, e.message().to_owned());
            Reply::Html((e.status(), rv::queue_row(&item, Some(&message), kept)))
        }
        Ok(RowOutcome::Refused(e, _)) | Err(e) => html_error(e, htmx),
    }
}

#[derive(FromForm)]
struct CancelForm {
    back: Option<String>,
}

#[post("/requests/<id>/cancel", data = "<form>")]
async fn cancel(
    id: i32,
    user: CurrentUser,
    _same_origin: SameOrigin,
    htmx: Htmx,
    db: &State<Db>,
    form: Form<CancelForm>,
) -> Reply {
    let back = back_to(form.back.as_deref().or(Some("home")), id);
    let outcome = change_row(db, &user.0, id, move |conn, who, now| actions::cancel(conn, who, id, now)).await;
    match outcome {
        Ok(RowOutcome::Done(item, _)) => {
            let message = format!("Request #{id} is cancelled.");
            if !htmx.0 {
                return Reply::Redirect(Flash::success(Redirect::to(back), message));
            }
            Reply::Html((HttpStatus::Ok, rv::my_row(&item, Some(&(Tone::Ok, message)))))
        }
        Ok(RowOutcome::Refused(e, Some(item))) if htmx.0 => {
            let message = (Tone::Error, e.message().to_owned());
            Reply::Html((e.status(), rv::my_row(&item, Some(&message))))
        }
        Ok(RowOutcome::Refused(e, _)) | Err(e) => html_error(e, htmx),
    }
}

#[derive(FromForm)]
struct IdentityForm {
    #[field(default = String::new())]
    email: String,
}

/// The development identity switcher. It does not exist behind the Databricks Apps proxy.
#[post("/dev/identity", data = "<form>")]
fn switch_identity(
    _same_origin: SameOrigin,
    settings: &State<Settings>,
    cookies: &CookieJar<'_>,
    form: Form<IdentityForm>,
) -> Reply {
    if settings.auth != AuthMode::Dev {
        return html_error(AppError::NotFound("There is nothing at this address.".into()), Htmx(false));
    }
    match normalize_email(&form.email) {
        Some(email) => {
            cookies.add(Cookie::build((DEV_USER_COOKIE, email)).path("/").same_site(SameSite::Lax).http_only(true));
            Reply::Plain(Redirect::to("/"))
        }
        None => html_error(
            AppError::Invalid(crate::domain::Invalid::new(
                "email",
                format!("'{}' is not an email address.", form.email),
            )),
            Htmx(false),
        ),
    }
}
