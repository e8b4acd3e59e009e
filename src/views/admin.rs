//! The admins' page: leave types, one person's workplace, allowance and balances with the form
//! to adjust them, and one location's public holidays. Plain forms that post and come back; a
//! refused form comes back with what was typed and the sentence saying why.

use super::date;
use super::layout::{Section, Tone, alert, page};
use super::leave::left;
use crate::actions::Frame;
use crate::actions::leave::{AdminPage, TypeBalance};
use crate::domain::leave::{LeaveType, WorkingWeek};
use maud::{Markup, html};
use std::collections::HashMap;

/// What a refused form had in it, so it comes back as it was typed.
pub struct Kept {
    /// The `id` of the form that was refused.
    pub form: String,
    pub values: HashMap<String, String>,
}

/// A field's value: what was typed into the refused form, else what is stored.
fn value(kept: Option<&Kept>, form: &str, name: &str, stored: impl Into<String>) -> String {
    match kept {
        Some(k) if k.form == form => k.values.get(name).cloned().unwrap_or_default(),
        _ => stored.into(),
    }
}

fn checked(kept: Option<&Kept>, form: &str, name: &str, stored: bool) -> bool {
    match kept {
        Some(k) if k.form == form => k.values.get(name).is_some_and(|v| !v.is_empty()),
        _ => stored,
    }
}

fn text_field(form: &str, name: &str, label: &str, value: String, kind: &str) -> Markup {
    let id = format!("{form}-{name}");
    html! {
        div .field {
            label for=(id) { (label) }
            input #(id) type=(kind) name=(name) value=(value);
        }
    }
}

fn check_field(form: &str, name: &str, label: &str, on: bool) -> Markup {
    let id = format!("{form}-{name}");
    html! {
        div .check {
            input #(id) type="checkbox" name=(name) value="on" checked[on];
            label for=(id) { (label) }
        }
    }
}

/// The form of one leave type, new (`t` none) or existing.
fn type_form(t: Option<&LeaveType>, kept: Option<&Kept>) -> Markup {
    let form = t.map_or("type-new".to_owned(), |t| format!("type-{}", t.id));
    let action = t.map_or("/admin/leave-types".to_owned(), |t| format!("/admin/leave-types/{}", t.id));
    let v = |name: &str, stored: String| value(kept, &form, name, stored);
    let c = |name: &str, stored: bool| checked(kept, &form, name, stored);
    let overdraw = v("overdraw", t.map_or("warn", |t| t.overdraw.as_str()).to_owned());
    let legend = t.map_or("A new leave type".to_owned(), |t| t.name.clone());
    html! {
        form .card .admin-form id=(form) method="post" action=(action) {
            fieldset {
                legend { (legend) }
                input type="hidden" name="form" value=(form);
                (text_field(&form, "name", "Name", v("name", t.map(|t| t.name.clone()).unwrap_or_default()), "text"))
                (text_field(&form, "colour", "Colour (#rrggbb)", v("colour", t.map_or("#6b6f76".into(), |t| t.colour.clone())), "text"))
                (check_field(&form, "deducted", "Counted against the allowance", c("deducted", t.is_some_and(|t| t.deducted))))
                (check_field(&form, "needs_approval", "Needs approval", c("needs_approval", t.is_none_or(|t| t.needs_approval))))
                (check_field(&form, "private", "Private: colleagues see only that the person is off", c("private", t.is_some_and(|t| t.private))))
                (check_field(&form, "half_days", "Half days allowed", c("half_days", t.is_none_or(|t| t.half_days))))
                (check_field(&form, "active", "Active (a retired type takes no new requests)", c("active", t.is_none_or(|t| t.active))))
                div .field {
                    label for=(format!("{form}-overdraw")) { "Below zero" }
                    select id=(format!("{form}-overdraw")) name="overdraw" {
                        option value="block" selected[overdraw == "block"] { "Refuse the request" }
                        option value="warn" selected[overdraw == "warn"] { "Accept it and warn the approver" }
                    }
                }
                div .form-actions {
                    button type="submit" .primary { @if t.is_some() { "Save " (legend) } @else { "Add this type" } }
                }
            }
        }
    }
}

fn balances_list(balances: &[TypeBalance]) -> Markup {
    html! {
        ul .balances {
            @for b in balances {
                li { strong { (b.leave_type) " " (b.balance.year) ": " } (left(&b.balance))
                    " " small .muted { "(" (b.balance.adjustments) " adjusted, " (b.balance.carried_over) " carried over)" } }
            }
        }
    }
}

pub fn admin(frame: &Frame, p: &AdminPage, flash: Option<Markup>, error: Option<&str>, kept: Option<&Kept>) -> Markup {
    let body = html! {
        h1 { "Leave policy" }
        p { a href="/admin/notifications" { "Notifications: waiting, dead and sent" } " · " a href="/coverage" { "Coverage rules" } }
        @if let Some(e) = error { (alert(Tone::Error, e)) }
        section .card aria-labelledby="types-heading" {
            h2 #types-heading { "Leave types" }
            p .muted { "A retired type stays on the requests that have it." }
            @for t in &p.types { (type_form(Some(t), kept)) }
            (type_form(None, kept))
        }
        section .card aria-labelledby="person-heading" {
            h2 #person-heading { "A person" }
            form method="get" action="/admin" .inline-form {
                div .field {
                    label for="find-email" { "Email" }
                    input #find-email type="email" name="email" value=(p.email.clone().unwrap_or_default());
                }
                div .field {
                    label for="find-person-year" { "Leave year" }
                    input #find-person-year type="number" name="year" value=(p.year);
                }
                button type="submit" .secondary { "Show" }
            }
            @if let Some(email) = &p.email {
                @let form = "person";
                @let stored = p.person.as_ref();
                form .admin-form #person method="post" action="/admin/people" {
                    fieldset {
                        legend { (email) @if stored.is_none() { " (not in the directory yet)" } }
                        input type="hidden" name="form" value=(form);
                        input type="hidden" name="email" value=(email);
                        (text_field(form, "display_name", "Display name", value(kept, form, "display_name", stored.map(|s| s.display_name.clone()).unwrap_or_default()), "text"))
                        (text_field(form, "manager_email", "Manager's email", value(kept, form, "manager_email", stored.and_then(|s| s.manager_email.as_ref().map(|m| m.to_string())).unwrap_or_default()), "email"))
                        (text_field(form, "location", "Location (GB-ENG, DE-BY, US-CA…)", value(kept, form, "location", stored.and_then(|s| s.location.clone()).unwrap_or_default()), "text"))
                        (text_field(form, "working_week", "Working week (Mon-Fri, Sun-Thu, Mon,Tue,Thu)", value(kept, form, "working_week", stored.map_or(WorkingWeek::default().to_string(), |s| s.working_week.clone())), "text"))
                        (text_field(form, "timezone", "Time zone (Europe/Berlin; empty: the company's)", value(kept, form, "timezone", stored.and_then(|s| s.timezone.clone()).unwrap_or_default()), "text"))
                        (text_field(form, "allowance_days", "Yearly allowance in days (empty: the company's)", value(kept, form, "allowance_days", stored.and_then(|s| s.allowance_days).map(|d| d.to_string()).unwrap_or_default()), "text"))
                        (text_field(form, "start_date", "Start date (YYYY-MM-DD)", value(kept, form, "start_date", stored.and_then(|s| s.start_date).map(|d| d.to_string()).unwrap_or_default()), "text"))
                        div .form-actions { button type="submit" .primary { "Save " (email) } }
                    }
                }
                @if stored.is_some() {
                    h3 { "Balances" }
                    (balances_list(&p.balances))
                    @let form = "adjustment";
                    form .admin-form #adjustment method="post" action="/admin/adjustments" {
                        fieldset {
                            legend { "Adjust a balance" }
                            input type="hidden" name="form" value=(form);
                            input type="hidden" name="email" value=(email);
                            div .field {
                                label for="adjustment-leave_type" { "Type" }
                                select #adjustment-leave_type name="leave_type" {
                                    @for t in p.types.iter().filter(|t| t.deducted && t.active) {
                                        option value=(t.id) selected[value(kept, form, "leave_type", "1") == t.id.to_string()] { (t.name) }
                                    }
                                }
                            }
                            (text_field(form, "year", "Leave year", value(kept, form, "year", p.year.to_string()), "number"))
                            (text_field(form, "days", "Days (+ or -, steps of 0.5)", value(kept, form, "days", ""), "text"))
                            (text_field(form, "reason", "Reason (kept with the adjustment)", value(kept, form, "reason", ""), "text"))
                            div .form-actions { button type="submit" .primary { "Adjust" } }
                        }
                    }
                }
            }
        }
        section .card aria-labelledby="holidays-heading" {
            h2 #holidays-heading { "Public holidays" }
            form method="get" action="/admin" .inline-form {
                @if let Some(email) = &p.email { input type="hidden" name="email" value=(email); }
                div .field {
                    label for="find-location" { "Location" }
                    input #find-location type="text" name="location" value=(p.location.clone().unwrap_or_default());
                }
                div .field {
                    label for="find-year" { "Year" }
                    input #find-year type="number" name="year" value=(p.year);
                }
                button type="submit" .secondary { "Show" }
            }
            @if let Some(location) = &p.location {
                @if p.holidays.is_empty() { p .muted { "No public holidays in " (location) " in " (p.year) "." } }
                ul .holiday-list {
                    @for h in &p.holidays {
                        li {
                            (date(h.date)) ", " (h.name) @if h.half_day { " (half a day)" } " "
                            form method="post" action="/admin/public-holidays/remove" .inline-form {
                                input type="hidden" name="location" value=(location);
                                input type="hidden" name="date" value=(h.date.to_string());
                                button type="submit" .secondary aria-label=(format!("Remove {} on {}", h.name, h.date)) { "Remove" }
                            }
                        }
                    }
                }
            }
            @let form = "holiday";
            form .admin-form #holiday method="post" action="/admin/public-holidays" {
                fieldset {
                    legend { "Add a day off (an office closure, a half day)" }
                    input type="hidden" name="form" value=(form);
                    (text_field(form, "location", "Location (empty: everyone)", value(kept, form, "location", p.location.clone().unwrap_or_default()), "text"))
                    (text_field(form, "date", "Date (YYYY-MM-DD)", value(kept, form, "date", ""), "text"))
                    (text_field(form, "name", "Name", value(kept, form, "name", ""), "text"))
                    (check_field(form, "half_day", "Half a day (the afternoon)", checked(kept, form, "half_day", false)))
                    div .form-actions { button type="submit" .primary { "Add this day" } }
                }
            }
        }
    };
    page("Leave policy", Some(frame), Section::Admin, flash, body)
}
