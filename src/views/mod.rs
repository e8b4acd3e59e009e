//! HTML, as small maud components. Full pages and htmx fragments are built from the same
//! components, so a row looks the same whether it came with the page or was swapped in later.

pub mod admin;
pub mod assets;
pub mod calendar;
pub mod ics;
pub mod layout;
pub mod leave;
pub mod notify;
pub mod pages;
pub mod requests;

use chrono::{NaiveDate, NaiveDateTime};

/// The ids that htmx swaps target, named once: the components that render them and the
/// answers that aim at them use these.
pub mod ids {
    pub const FLASH: &str = "flash";
    pub const REQUEST_FORM: &str = "request-form";
    pub const MY_REQUESTS: &str = "my-requests";
    pub const MY_EMPTY: &str = "my-empty";
    pub const QUEUE_ROWS: &str = "queue-rows";
    pub const QUEUE_EMPTY: &str = "queue-empty";
    pub const QUEUE_POLLER: &str = "queue-poller";
    pub const PENDING_COUNT: &str = "pending-count";
    pub const MY_BALANCES: &str = "my-balances";
    pub const REQUEST_PREVIEW: &str = "request-preview";
    pub const CALENDAR: &str = "calendar";

    pub fn request_row(id: i32) -> String {
        format!("request-{id}")
    }

    pub fn note(id: i32) -> String {
        format!("note-{id}")
    }

    /// The CSS selector of an id, for `hx-target` and `HX-Retarget`.
    pub fn selector(id: &str) -> String {
        format!("#{id}")
    }
}

pub fn date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

pub fn timestamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}
