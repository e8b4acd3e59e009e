//! HTML, as small maud components. Full pages and HTMX fragments are built from the same
//! components, so a row looks the same whether it came with the page or was swapped in later.

pub mod layout;
pub mod requests;

use chrono::{NaiveDate, NaiveDateTime};

pub fn date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

pub fn timestamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}
