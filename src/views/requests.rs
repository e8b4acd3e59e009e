//! Request components: the badge, the forms, a row in each list, the details.

use super::layout::{Tone, focused_alert};
use super::leave::{self as lv, leave_fields, preview_slot};
use super::{date, ids, timestamp};
use crate::actions::leave::HowCounted;
use crate::actions::{Listed, RequestInput};
use crate::domain::{AlsoOff, Status};
use crate::error::AppError;
use crate::models::balance::TypeChoice;
use crate::models::request::Cursor;
use crate::models::{Event, HolidayRequest};
use maud::{Markup, html};

/// Where a plain form post returns to. Only these: never a URL taken from the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Back {
    Home,
    Queue,
    Details,
}

impl Back {
    fn as_str(self) -> &'static str {
        match self {
            Back::Home => "home",
            Back::Queue => "queue",
            Back::Details => "details",
        }
    }

    /// The form field's value, or `default` when it is missing or unknown.
    pub fn parse(value: Option<&str>, default: Back) -> Back {
        [Back::Home, Back::Queue, Back::Details].into_iter().find(|b| Some(b.as_str()) == value).unwrap_or(default)
    }

    pub fn path(self, id: i32) -> String {
        match self {
            Back::Home => "/".into(),
            Back::Queue => "/queue".into(),
            Back::Details => format!("/requests/{id}"),
        }
    }
}

/// The status in words with a symbol, so colour is never the only signal.
pub fn badge(status: &Status) -> Markup {
    let (class, symbol) = match status {
        Status::Pending => ("badge badge-pending", "◷"),
        Status::Approved => ("badge badge-approved", "✓"),
        Status::Declined => ("badge badge-declined", "✗"),
        Status::Cancelled => ("badge badge-cancelled", "⊘"),
        Status::Other(_) => ("badge badge-cancelled", "?"),
    };
    html! { span class=(class) { span aria-hidden="true" { (symbol) " " } (status.as_str()) } }
}

/// The dates, with the parts of days, the type and the days it takes.
fn dates(item: &Listed) -> Markup {
    let r = &item.request;
    html! {
        span .nowrap { (date(r.start_date)) @if r.start_part.as_str() == "afternoon" { " (afternoon)" } }
        " – "
        span .nowrap { (date(r.end_date)) @if r.end_part.as_str() == "morning" { " (morning)" } }
        br;
        small .muted {
            @if let Some(t) = &item.leave_type { (t.name) " · " }
            (lv::days(r.days()))
        }
    }
}

/// What the coverage rules said when the request was made, for whoever decides it.
fn coverage_warnings(r: &HolidayRequest) -> Markup {
    html! {
        @if let Some(c) = &r.coverage {
            @for line in c.lines() { p .coverage-warning { span aria-hidden="true" { "⚠ " } "Coverage: " (line) } }
        }
    }
}

/// The request as a calendar file, once it is approved.
fn add_to_calendar(r: &HolidayRequest) -> Markup {
    html! {
        @if r.status == Status::Approved {
            a .add-to-calendar href=(format!("/requests/{}.ics", r.request_id)) download {
                "Add to calendar" span .visually-hidden { " (request #" (r.request_id) ", .ics file)" }
            }
        }
    }
}

/// "Suzy (approved), Charlie (pending) and 2 more".
fn also_off_text(off: &AlsoOff) -> String {
    let names = off.labels().join(", ");
    match off.more() {
        0 => names,
        n => format!("{names} and {n} more"),
    }
}

fn message_cell(message: Option<&(Tone, String)>) -> Markup {
    html! {
        @if let Some((tone, text)) = message {
            p .row-message tabindex="-1" autofocus role=(if *tone == Tone::Error { "alert" } else { "status" }) { (text) }
        }
    }
}

/// The form to ask for time off. `error` puts its message beside the field it concerns;
/// `input` keeps what was typed.
pub fn request_form(
    input: &RequestInput,
    types: &[TypeChoice],
    error: Option<&AppError>,
    done: Option<&str>,
) -> Markup {
    let field_error = |field: &str| error.filter(|e| e.field() == Some(field)).map(AppError::message);
    let owned_error = |field: &str| field_error(field).map(str::to_owned);
    let general = error.filter(|e| {
        !matches!(e.field(), Some("start_date" | "end_date" | "comment" | "leave_type" | "start_part" | "end_part"))
    });
    let field = |name: &'static str, label: &str, kind: &str, value: &str| {
        let err = field_error(name);
        let err_id = format!("{name}-error");
        html! {
            div .field {
                label for=(name) { (label) }
                input #(name) type=(kind) name=(name) value=(value) required
                    aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())] autofocus[err.is_some()];
                @if let Some(m) = err { p .field-error id=(err_id) { "⚠ " (m) } }
            }
        }
    };
    let comment_error = field_error("comment");
    html! {
        form #(ids::REQUEST_FORM) .request-form method="post" action="/requests"
            hx-post="/requests" hx-target="this" hx-swap="outerHTML" {
            @if let Some(m) = done { (focused_alert(Tone::Ok, m)) }
            @if let Some(e) = general { (focused_alert(Tone::Error, e.message())) }
            (field("start_date", "First day off", "date", &input.start_date))
            (field("end_date", "Last day off", "date", &input.end_date))
            (leave_fields(input, types, &owned_error))
            div .field {
                label for="comment" { "Comment for your manager (optional)" }
                textarea #comment name="comment" rows="2" maxlength="1000"
                    aria-invalid=[comment_error.map(|_| "true")] aria-describedby=[comment_error.map(|_| "comment-error")]
                    autofocus[comment_error.is_some()] {
                    (input.comment.as_deref().unwrap_or(""))
                }
                @if let Some(m) = comment_error { p .field-error #comment-error { "⚠ " (m) } }
            }
            (preview_slot(None))
            div .form-actions { button type="submit" .primary { "Ask for these days" } }
        }
    }
}

/// The link to a request's page: "#7" to the eye, "Request #7" in a list of links.
fn request_link(id: i32) -> Markup {
    html! { a href=(format!("/requests/{id}")) { span .visually-hidden { "Request " } "#" (id) } }
}

/// Approve or decline, with an optional note. The note is a text area, so Enter in it starts
/// a new line and never submits: deciding takes an explicit Approve or Decline. In a row of the
/// queue it swaps that row; on the request's page it is a plain post. `kept_note` refills a
/// note that could not be saved.
/// `offer_override` adds the admin's confirmation for approving over a blocking coverage rule,
/// after such an approval was refused for want of it.
pub fn decision_form(r: &HolidayRequest, back: Back, kept_note: Option<&str>, offer_override: bool) -> Markup {
    let id = r.request_id;
    let action = format!("/requests/{id}/decision");
    let in_row = back == Back::Queue;
    html! {
        form .decision-form method="post" action=(action)
            hx-post=[in_row.then_some(&action)] hx-target=[in_row.then_some("closest tr")] hx-swap=[in_row.then_some("outerHTML")] {
            input type="hidden" name="back" value=(back.as_str());
            @if in_row {
                label .visually-hidden for=(ids::note(id)) { "Note to " (r.employee_name) " (optional)" }
            } @else {
                label for=(ids::note(id)) { "Note (optional)" }
            }
            textarea .note #(ids::note(id)) name="note" rows="1" maxlength="1000" autocomplete="off"
                placeholder="Add a comment (optional)…" { (kept_note.unwrap_or("")) }
            @if offer_override {
                label .override {
                    input type="checkbox" name="override" value="true";
                    " Approve over the blocking coverage rule (say why in the note)"
                }
            }
            button type="submit" .approve name="decision" value="Approved"
                aria-label=(format!("Approve request #{id} from {}", r.employee_name)) { "Approve" }
            button type="submit" .decline name="decision" value="Declined"
                aria-label=(format!("Decline request #{id} from {}", r.employee_name)) { "Decline" }
        }
    }
}

/// Cancel a request. In a row of the employee's list it swaps that row; on the request's page
/// it is a plain post.
pub fn cancel_form(r: &HolidayRequest, back: Back) -> Markup {
    let id = r.request_id;
    let action = format!("/requests/{id}/cancel");
    let in_row = back == Back::Home;
    html! {
        form method="post" action=(action)
            hx-post=[in_row.then_some(&action)] hx-target=[in_row.then_some("closest tr")] hx-swap=[in_row.then_some("outerHTML")] {
            input type="hidden" name="back" value=(back.as_str());
            button type="submit" .secondary {
                @if in_row { "Cancel request #" (id) } @else { "Cancel this request" }
            }
        }
    }
}

/// The "nothing yet" line of the employee's list. Always in the page, hidden when there are
/// rows, and replaced (`oob`) rather than deleted when a first row arrives, so that every later
/// answer still finds it.
pub fn my_empty(hidden: bool, oob: bool) -> Markup {
    html! {
        p #(ids::MY_EMPTY) .muted hidden[hidden] hx-swap-oob=[oob.then_some("true")] {
            "You have not asked for any time off yet."
        }
    }
}

/// The queue's "nothing here" line, kept in the page like [`my_empty`].
pub fn queue_empty(hidden: bool, oob: bool) -> Markup {
    html! {
        p #(ids::QUEUE_EMPTY) .muted hidden[hidden] hx-swap-oob=[oob.then_some("true")] {
            "Nothing here: no requests match this filter."
        }
    }
}

/// A row of the employee's own list.
pub fn my_row(item: &Listed, message: Option<&(Tone, String)>) -> Markup {
    let r = &item.request;
    html! {
        tr #(ids::request_row(r.request_id)) .request-row .just-changed[message.is_some()] {
            td { (request_link(r.request_id)) }
            td { (dates(item)) }
            td { (badge(&r.status)) }
            td { (r.manager_note.as_deref().unwrap_or("")) }
            td {
                (message_cell(message))
                @if item.can_cancel { (cancel_form(r, Back::Home)) }
                (add_to_calendar(r))
            }
        }
    }
}

pub fn my_table(items: &[Listed], next: Option<Cursor>) -> Markup {
    html! {
        // Always there (hidden when not true) for the out-of-band delete when a first row arrives,
        // which htmx reports as an error when it finds nothing to delete.
        (my_empty(!items.is_empty(), false))
        div .table-wrap {
            table .requests {
                caption .visually-hidden { "Your holiday requests" }
                thead { tr { th scope="col" { "Request" } th scope="col" { "Dates" } th scope="col" { "Status" }
                    th scope="col" { "Manager's note" } th scope="col" { "Actions" } } }
                tbody #(ids::MY_REQUESTS) { @for item in items { (my_row(item, None)) } }
            }
        }
        (pager("/", None, next))
    }
}

/// A row of the manager's queue, with the decision form while the request is pending.
/// `kept_note` refills a note that could not be saved.
pub fn queue_row(item: &Listed, message: Option<&(Tone, String)>, kept_note: Option<&str>) -> Markup {
    let r = &item.request;
    let id = r.request_id;
    html! {
        tr #(ids::request_row(id)) .request-row .just-changed[message.is_some()] {
            td { (request_link(id)) }
            td { (r.employee_name) @if let Some(e) = &r.requester_email { br; small .muted { (e) } } }
            td {
                (dates(item))
                @if let Some(b) = &item.balance_after {
                    p .balance-after { "Left after it: " (lv::left(b)) }
                }
                @if item.also_off.total > 0 {
                    p .also-off { "Also off: " (also_off_text(&item.also_off)) }
                }
                (coverage_warnings(r))
            }
            td { (r.comment.as_deref().unwrap_or("")) }
            td { (badge(&r.status)) }
            td {
                (message_cell(message))
                @if item.can_decide { (decision_form(r, Back::Queue, kept_note, item.offer_override)) } @else { (decided_by(r)) }
            }
        }
    }
}

fn decided_by(r: &HolidayRequest) -> Markup {
    html! {
        @if let Some(note) = &r.manager_note { p { "“" (note) "”" } }
        @if let (Some(by), Some(at)) = (&r.decided_by, r.decided_at) {
            small .muted { (r.status.as_str()) " by " (by) ", " span .nowrap { (timestamp(at)) } }
        }
    }
}

/// The status tabs above the queue.
pub fn status_tabs(current: Option<&Status>) -> Markup {
    let tab = |label: &str, status: Option<&Status>, href: String| {
        html! { a href=(href) aria-current=[(status == current).then_some("page")] { (label) } }
    };
    html! {
        nav .tabs aria-label="Filter by status" {
            @for s in &Status::KNOWN { (tab(s.as_str(), Some(s), format!("/queue?status={s}"))) }
            (tab("All", None, "/queue?status=all".into()))
        }
    }
}

/// The queue table; `poll_after` keeps new pending requests arriving without a reload.
pub fn queue_table(items: &[Listed], status: Option<&Status>, next: Option<Cursor>, poll_after: Option<i32>) -> Markup {
    let status_param = status.map_or("all", Status::as_str);
    html! {
        @if let Some(after) = poll_after { (queue_poller(after)) }
        (queue_empty(!items.is_empty(), false))
        div .table-wrap {
            table .requests {
                caption .visually-hidden { "Requests from your team" }
                thead { tr {
                    th scope="col" { "Request" } th scope="col" { "Employee" } th scope="col" { "Dates" }
                    th scope="col" { "Comment" } th scope="col" { "Status" } th scope="col" { "Decision" }
                } }
                tbody #(ids::QUEUE_ROWS) { @for item in items { (queue_row(item, None, None)) } }
            }
        }
        (pager("/queue", Some(status_param), next))
    }
}

/// Asks every 10 s for pending requests newer than `after`. It only ever adds rows, so a note
/// being typed in an existing row is never replaced. Swapped out of band with a new `after`.
pub fn queue_poller(after: i32) -> Markup {
    html! {
        div #(ids::QUEUE_POLLER) hidden hx-get=(format!("/queue/updates?after={after}"))
            hx-trigger="every 10s" hx-target=(ids::selector(ids::QUEUE_ROWS)) hx-swap="afterbegin" {}
    }
}

fn pager(base: &str, status_param: Option<&str>, next: Option<Cursor>) -> Markup {
    html! {
        @if let Some(c) = next {
            nav .pager aria-label="Pages" {
                @let href = match status_param {
                    Some(s) => format!("{base}?status={s}&cursor={}", c.encode()),
                    None => format!("{base}?cursor={}", c.encode()),
                };
                a href=(href) { "Older requests →" }
            }
        }
    }
}

/// One request's page: the facts, what the reader may do, and the history.
pub fn details(item: &Listed, how: Option<&HowCounted>, events: &[Event], kept_note: Option<&str>) -> Markup {
    let r = &item.request;
    html! {
        h1 { "Request #" (r.request_id) " " (badge(&r.status)) }
        section .card {
            dl .facts {
                dt { "Employee" } dd { (r.employee_name) @if let Some(e) = &r.requester_email { " (" (e) ")" } }
                dt { "Dates" } dd { (dates(item)) }
                @if let Some(how) = how {
                    dt { "How it was counted" }
                    dd {
                        (lv::days(r.days())) ", counted when asked: the working days of a " (how.week) " week"
                        @if let Some(l) = &how.location { " in " (l) }
                        @if how.holidays.is_empty() {
                            ", with no public holiday in these dates."
                        } @else {
                            ", less these public holidays:"
                            ul .holidays-counted {
                                @for h in &how.holidays {
                                    li { (date(h.date)) ", " (h.name) @if h.half_day { " (half a day)" } }
                                }
                            }
                        }
                    }
                }
                @if item.also_off.total > 0 { dt { "Also off" } dd { (also_off_text(&item.also_off)) } }
                @if r.coverage.is_some() { dt { "Coverage" } dd { (coverage_warnings(r)) } }
                dt { "Comment" } dd { (r.comment.as_deref().unwrap_or("—")) }
                dt { "Manager's note" } dd { (r.manager_note.as_deref().unwrap_or("—")) }
                dt { "Asked" } dd { (timestamp(r.created_at)) }
            }
            @if item.can_decide { (decision_form(r, Back::Details, kept_note, item.offer_override)) }
            @if item.can_cancel { (cancel_form(r, Back::Details)) }
            (add_to_calendar(r))
        }
        section .card {
            h2 { "History" }
            @if events.is_empty() { p .muted { "No history was recorded: this request predates the app." } }
            ol .history {
                @for e in events {
                    li {
                        time datetime=(e.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()) { (timestamp(e.created_at)) }
                        " " (e.action) " by " (e.actor_email)
                        @if let Some(n) = &e.note { ": “" (n) "”" }
                    }
                }
            }
        }
    }
}
