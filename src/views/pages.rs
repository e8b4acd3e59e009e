//! Whole pages, and the htmx answers that change parts of them, built from the same components.

use super::ids;
use super::layout::{Section, Tone, alert, page, pending_count};
use super::leave::balances_card;
use super::requests::{self as rv, request_form};
use crate::actions::{Frame, Listed, Listing, MyLeave, Queue, RequestInput, RequestPage};
use crate::domain::Status;
use crate::error::AppError;
use maud::{Markup, html};

/// The start page: the request form and the person's own requests.
pub fn home(frame: &Frame, flash: Option<Markup>, form: Markup, listing: &Listing, leave: &MyLeave) -> Markup {
    page(
        "My requests",
        Some(frame),
        Section::Mine,
        flash,
        html! {
            h1 { "My holidays" }
            (balances_card(leave, false))
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

/// The answer to an htmx submission: a fresh form with the confirmation, the new row at the top
/// of the list, and the "nothing yet" line gone.
pub fn submitted(item: &Listed, message: &str, leave: &MyLeave) -> Markup {
    html! {
        (request_form(&RequestInput::default(), &leave.types, None, Some(message)))
        (balances_card(leave, true))
        // Table parts come in a template: parsed bare after the form, the HTML parser would
        // drop the tbody and row tags.
        template { tbody hx-swap-oob=(format!("afterbegin:{}", ids::selector(ids::MY_REQUESTS))) { (rv::my_row(item, None)) } }
        (rv::my_empty(true, true))
    }
}

/// The form again with what was typed and the error beside its field.
pub fn refused_form(input: &RequestInput, leave: &MyLeave, error: &AppError) -> Markup {
    request_form(input, &leave.types, Some(error), None)
}

/// The team queue.
pub fn queue(q: &Queue, filter: Option<&Status>, flash: Option<Markup>) -> Markup {
    let body = html! {
        h1 { "Team queue" }
        @if !q.frame.viewer.decides() {
            p .muted { "Nobody reports to you in the directory, so no requests wait for your decision." }
        }
        (rv::status_tabs(filter))
        section .card { (rv::queue_table(&q.listing.items, filter, q.listing.next, q.poll_after)) }
    };
    page("Team queue", Some(&q.frame), Section::Queue, flash, body)
}

/// New pending requests for an open queue: rows for the top, and out of band the count, a
/// poller that remembers the newest row, and the "nothing here" line gone.
pub fn queue_updates(items: &[Listed], waiting: i64, newest: i32) -> Markup {
    html! {
        @for item in items { (rv::queue_row(item, None, None)) }
        (pending_count(waiting, true))
        div hx-swap-oob=(format!("outerHTML:{}", ids::selector(ids::QUEUE_POLLER))) { (rv::queue_poller(newest)) }
        @if !items.is_empty() { (rv::queue_empty(true, true)) }
    }
}

/// A queue row after a decision, with its message; the count follows out of band.
pub fn decided(item: &Listed, message: &str, waiting: Option<i64>) -> Markup {
    html! {
        (rv::queue_row(item, Some(&(Tone::Ok, message.to_owned())), None))
        @if let Some(n) = waiting { (pending_count(n, true)) }
    }
}

/// A queue row whose decision was refused, as it is now, with the reason and the note kept.
pub fn decision_refused(item: &Listed, error: &AppError, kept_note: Option<&str>) -> Markup {
    rv::queue_row(item, Some(&(Tone::Error, error.message().to_owned())), kept_note)
}

/// A row of the employee's list after cancelling, or a refusal, with its message.
pub fn my_row_with(item: &Listed, tone: Tone, message: &str) -> Markup {
    rv::my_row(item, Some(&(tone, message.to_owned())))
}

/// One request's page.
/// `kept_note` refills a decision note that could not be saved.
pub fn request(p: &RequestPage, flash: Option<Markup>, kept_note: Option<&str>) -> Markup {
    let title = format!("Request #{}", p.item.request.request_id);
    let details = rv::details(&p.item, p.how_counted.as_ref(), &p.events, kept_note);
    page(&title, Some(&p.frame), Section::Other, flash, details)
}

/// The message shown in the page's message area, for an htmx error.
pub fn flash_error(message: &str) -> Markup {
    alert(Tone::Error, message)
}
