//! Leave policy components: balances, the live count of a request being filled in, and the
//! request form's leave fields.

use super::ids;
use super::layout::{Section, Tone, alert, page};
use crate::actions::Frame;
use crate::actions::leave::{HolidaysPage, Preview, TypeBalance};
use crate::actions::{MyLeave, RequestInput};
use crate::domain::balance::Balance;
use crate::domain::counting::Counted;
use crate::domain::leave::Days;
use crate::error::AppError;
use crate::models::balance::TypeChoice;
use maud::{Markup, html};

/// "4.5 days", "1 day", "half a day".
pub fn days(d: Days) -> String {
    match d.as_halves() {
        1 => "half a day".into(),
        2 => "1 day".into(),
        _ => format!("{d} days"),
    }
}

/// What is left of a balance out of the whole year's: allowance, adjustments and the carried
/// days that still count (all of them before they expire, those used in time after).
fn of_total(b: &Balance) -> Days {
    b.available + b.taken + b.pending
}

/// "12.5 of 25 left", marked when below zero.
pub fn left(b: &Balance) -> Markup {
    html! {
        @if b.available.is_negative() {
            span .negative { "⚠ " (b.available) " of " (of_total(b)) ": short by " (-b.available) }
        } @else {
            span { (b.available) " of " (of_total(b)) " left" }
        }
    }
}

/// The person's balances this leave year, on their start page. Swapped out of band after a
/// submission (`oob`), so it never goes stale beside the list.
pub fn balances_card(leave: &MyLeave, oob: bool) -> Markup {
    html! {
        section #(ids::MY_BALANCES) .card aria-labelledby="balances-heading" hx-swap-oob=[oob.then_some("true")] {
            h2 #balances-heading { "My balance for " (leave.year) }
            @if leave.balances.is_empty() {
                p .muted { "No leave type is counted against an allowance." }
            }
            ul .balances {
                @for TypeBalance { leave_type, balance: b, .. } in &leave.balances {
                    li {
                        strong { (leave_type) ": " } (left(b))
                        @if b.pending != Days::ZERO || b.taken != Days::ZERO {
                            " " small .muted { "(" (b.taken) " taken, " (b.pending) " pending)" }
                        }
                        @if b.carried_over != Days::ZERO {
                            br;
                            small .muted { "Includes " (days(b.carried_over)) " carried over from " (b.year - 1)
                                ", to use by " (super::date(b.carried_expires)) "." }
                        }
                    }
                }
            }
        }
    }
}

/// The leave type and half-day fields of the request form.
pub fn leave_fields(
    input: &RequestInput,
    types: &[TypeChoice],
    field_error: &dyn Fn(&str) -> Option<String>,
) -> Markup {
    let chosen = input.leave_type.as_deref().unwrap_or("");
    let is_chosen = |t: &TypeChoice| {
        chosen == t.id.to_string() || chosen.eq_ignore_ascii_case(&t.name) || (chosen.is_empty() && t.id == 1)
    };
    let select_error = |name: &'static str| {
        let err = field_error(name);
        let err_id = format!("{name}-error");
        (err, err_id)
    };
    let (type_err, type_err_id) = select_error("leave_type");
    let (start_err, start_err_id) = select_error("start_part");
    let (end_err, end_err_id) = select_error("end_part");
    let start = input.start_part.as_deref().unwrap_or("full");
    let end = input.end_part.as_deref().unwrap_or("full");
    html! {
        div .field {
            label for="leave_type" { "Type of leave" }
            select #leave_type name="leave_type" aria-invalid=[type_err.as_ref().map(|_| "true")]
                aria-describedby=[type_err.as_ref().map(|_| type_err_id.as_str())] autofocus[type_err.is_some()] {
                @for t in types {
                    option value=(t.id) selected[is_chosen(t)] {
                        (t.name) @if !t.needs_approval { " (no approval needed)" }
                    }
                }
            }
            @if let Some(m) = &type_err { p .field-error id=(type_err_id) { "⚠ " (m) } }
        }
        div .field .half-days {
            label for="start_part" { "First day" }
            select #start_part name="start_part" aria-invalid=[start_err.as_ref().map(|_| "true")]
                aria-describedby=[start_err.as_ref().map(|_| start_err_id.as_str())] {
                option value="full" selected[start != "afternoon"] { "Whole day" }
                option value="afternoon" selected[start == "afternoon"] { "From noon (afternoon only)" }
            }
            @if let Some(m) = &start_err { p .field-error id=(start_err_id) { "⚠ " (m) } }
        }
        div .field .half-days {
            label for="end_part" { "Last day" }
            select #end_part name="end_part" aria-invalid=[end_err.as_ref().map(|_| "true")]
                aria-describedby=[end_err.as_ref().map(|_| end_err_id.as_str())] {
                option value="full" selected[end != "morning"] { "Whole day" }
                option value="morning" selected[end == "morning"] { "Until noon (morning only)" }
            }
            @if let Some(m) = &end_err { p .field-error id=(end_err_id) { "⚠ " (m) } }
        }
    }
}

/// Where the live count goes: it asks for it whenever a field of the form changes.
pub fn preview_slot(content: Option<Markup>) -> Markup {
    html! {
        div #(ids::REQUEST_PREVIEW) .preview role="status" aria-live="polite"
            hx-post="/requests/preview" hx-trigger="change from:closest form" hx-include="closest form"
            hx-target="this" hx-swap="innerHTML" {
            @if let Some(c) = content { (c) }
        }
    }
}

/// The public holidays that made a count smaller: "Mon 25 May 2026, Whit Monday, not counted".
fn holidays_note(counted: &Counted) -> Option<String> {
    if counted.holidays.is_empty() {
        return None;
    }
    let parts: Vec<String> = counted
        .holidays
        .iter()
        .map(|h| {
            let how = if h.half_day { "counted as half a day" } else { "a public holiday, not counted" };
            format!("{}, {}, {how}", super::date(h.date), h.name)
        })
        .collect();
    Some(parts.join("; "))
}

/// "This request: 4.5 days (Mon 1 Jun, a public holiday, not counted). Left after it: 12.5 of 25."
pub fn preview_text(p: &Preview) -> String {
    let mut text = format!("This request: {}", days(p.counted.days));
    if let Some(note) = holidays_note(&p.counted) {
        text.push_str(&format!(" ({note})"));
    }
    text.push('.');
    if let Some(b) = &p.left_after {
        if b.available.is_negative() {
            text.push_str(&format!(
                " Left after it: {} of {} for {}: {} short, which your approver will see.",
                b.available,
                of_total(b),
                b.year,
                -b.available
            ));
        } else {
            text.push_str(&format!(" Left after it: {} of {}.", b.available, of_total(b)));
        }
    }
    if !p.leave_type.needs_approval {
        text.push_str(&format!(" {} needs no approval: it is recorded as approved at once.", p.leave_type.name));
    }
    text
}

/// The live count, or why the request cannot be counted as it stands.
pub fn preview(result: Result<&Preview, &AppError>) -> Markup {
    html! {
        @match result {
            Ok(p) => p .preview-text { (preview_text(p)) },
            Err(e) => p .preview-text .field-error { "⚠ " (e.message()) },
        }
    }
}

/// A location's public holidays in a year, for everyone.
pub fn holidays_page(frame: &Frame, p: &HolidaysPage, error: Option<&str>) -> Markup {
    let body = html! {
        h1 { "Public holidays" }
        @if let Some(e) = error { (alert(Tone::Error, e)) }
        section .card {
            form method="get" action="/public-holidays" .inline-form {
                div .field {
                    label for="holidays-location" { "Location (GB-ENG, DE-BY, US-CA…)" }
                    input #holidays-location type="text" name="location" value=(p.location.clone().unwrap_or_default());
                }
                div .field {
                    label for="holidays-year" { "Year" }
                    input #holidays-year type="number" name="year" value=(p.year);
                }
                button type="submit" .secondary { "Show" }
            }
            @match &p.location {
                None => p .muted { "The directory gives you no location, so no public holidays are counted for you. Choose a location to see its days." },
                Some(l) => {
                    h2 { (l) ", " (p.year) }
                    @if p.holidays.is_empty() { p .muted { "No public holidays." } }
                    ul .holiday-list {
                        @for h in &p.holidays {
                            li { (super::date(h.date)) ", " (h.name) @if h.half_day { " (half a day)" } }
                        }
                    }
                    p .muted { "From " (crate::domain::holidays::source()) ", with the company's own changes." }
                }
            }
        }
    };
    page("Public holidays", Some(frame), Section::Holidays, None, body)
}
