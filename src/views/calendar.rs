//! The month wall chart, the coverage rules page, and their components. The chart is a table:
//! one row a person, one column a day. A leave cell is a button that opens the request's
//! details in a popover (HTML's own, so it works by keyboard and without JavaScript); colours
//! come from the leave types, drawn as SVG because the page's policy allows no inline styles.

use super::layout::{Section, page};
use super::requests::badge;
use super::{date, ids};
use crate::actions::Frame;
use crate::actions::calendar::{CalendarView, DayMark, OFF, Row, RulesPage, Shown, Shows};
use crate::domain::calendar::{DayKind, Month, Part};
use crate::domain::coverage::Rule;
use crate::domain::{Email, Status};
use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

/// The calendar's address for a month and the team shown.
fn calendar_url(month: Month, shows: &Shows) -> String {
    match shows {
        Shows::Team { manager, .. } => format!("/calendar?month={month}&team={}", query_value(manager.as_str())),
        Shows::Everyone { .. } => format!("/calendar?month={month}&team=everyone"),
    }
}

/// Percent-encodes what an email may hold that a query string may not.
fn query_value(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A link that moves the chart by htmx (pushing the address, so Back works) and, without
/// JavaScript, is a plain link. Stable ids let htmx give the focus back to the same link.
fn nav_link(id: &str, href: &str, rel: Option<&str>, label: Markup) -> Markup {
    html! {
        a #(id) href=(href) rel=[rel] hx-get=(href) hx-target=(ids::selector(ids::CALENDAR)) hx-swap="outerHTML"
            hx-push-url="true" { (label) }
    }
}

/// The whole chart with its navigation: what the page holds and what htmx swaps.
pub fn chart(v: &CalendarView) -> Markup {
    chart_with_title(v, false)
}

/// The chart as htmx swaps it in: with the page's title, which htmx moves into the document, so
/// the tab and the history entry name the month shown.
pub fn chart_fragment(v: &CalendarView) -> Markup {
    chart_with_title(v, true)
}

fn chart_with_title(v: &CalendarView, with_title: bool) -> Markup {
    let this_month = Month::of(v.today);
    let title = match &v.shows {
        Shows::Team { label, .. } => label.clone(),
        Shows::Everyone { page, .. } => format!("Everyone, page {page}"),
    };
    html! {
        @if with_title { title { (page_title(v.month)) " · Holidays" } }
        section #(ids::CALENDAR) aria-labelledby="calendar-title" {
            h2 #calendar-title { (v.month.label()) ": " (title) }
            nav .month-nav aria-label="Months" {
                (nav_link("month-previous", &calendar_url(v.month.previous(), &v.shows), Some("prev"),
                    html! { span aria-hidden="true" { "← " } (v.month.previous().label()) }))
                @if v.month != this_month {
                    (nav_link("month-today", &calendar_url(this_month, &v.shows), None, html! { "This month" }))
                }
                (nav_link("month-next", &calendar_url(v.month.next(), &v.shows), Some("next"),
                    html! { (v.month.next().label()) span aria-hidden="true" { " →" } }))
            }
            @if v.rows.is_empty() {
                p .muted { "Nobody to show: this team has no one in the directory." }
            } @else {
                (grid(v))
                (details(v))
            }
            @if let Shows::Everyone { page, more } = v.shows {
                nav .pager aria-label="People" {
                    @if page > 1 { a href=(format!("{}&page={}", calendar_url(v.month, &v.shows), page - 1)) { "Previous people" } }
                    @if more { a href=(format!("{}&page={}", calendar_url(v.month, &v.shows), page + 1)) { "Next people" } }
                }
            }
            (legend(v))
        }
    }
}

fn grid(v: &CalendarView) -> Markup {
    html! {
        div .calendar-scroll role="region" aria-label="Wall chart" tabindex="0" {
            table .wallchart {
                caption .visually-hidden { "Who is off, one row a person and one column a day. Leave cells open their details." }
                thead {
                    tr {
                        th scope="col" .person-col { "Person" }
                        @for (day, mark) in v.month.days().zip(&v.marks) { (day_heading(day, mark, v.today)) }
                    }
                }
                tbody {
                    @for row in &v.rows { (person_row(v, row)) }
                }
                tfoot {
                    tr {
                        th scope="row" { "Off" }
                        @for mark in &v.marks { (off_cell(mark)) }
                    }
                }
            }
        }
    }
}

fn day_heading(day: NaiveDate, mark: &DayMark, today: NaiveDate) -> Markup {
    let blackout = !mark.blackouts.is_empty();
    html! {
        th scope="col" .day .today[day == today] .blackout[blackout] .at-limit[mark.at_limit()]
            aria-current=[(day == today).then_some("date")] title=[blackout.then(|| mark.blackouts.join(", "))] {
            abbr title=(day.format("%A %-d %B")) { (day.format("%a").to_string().chars().next().unwrap_or(' ')) }
            br;
            (day.day())
            @if blackout { span .visually-hidden { " (blackout: " (mark.blackouts.join(", ")) ")" } span .mark aria-hidden="true" { "×" } }
        }
    }
}

fn off_cell(mark: &DayMark) -> Markup {
    html! {
        td .off-count .at-limit[mark.at_limit()] {
            @if mark.at_limit() {
                span aria-hidden="true" { "!" } (mark.off)
                @if let Some(limit) = mark.limit { span .visually-hidden { " off, limit " (limit) } }
            } @else if mark.off.as_halves() > 0 { (mark.off) }
        }
    }
}

fn person_row(v: &CalendarView, row: &Row) -> Markup {
    let p = &row.profile;
    html! {
        tr {
            th scope="row" .person-col {
                (p.display_name)
                @if let Some(l) = &row.location { " " small .muted { (l.code()) } }
            }
            @for (day, kind) in &row.days { (cell(v, &p.display_name, *day, kind)) }
        }
    }
}

fn cell(v: &CalendarView, name: &str, day: NaiveDate, kind: &DayKind<usize>) -> Markup {
    match kind {
        DayKind::Working => html! { td {} },
        DayKind::Weekend => html! { td .weekend { span .visually-hidden { "Not working" } } },
        DayKind::Holiday { name: holiday, half } => html! {
            td .holiday .half[*half] title=(holiday) {
                span .visually-hidden { "Public holiday: " (holiday) @if *half { " (afternoon)" } }
            }
        },
        DayKind::Leave { leave, part } => {
            let Some(s) = v.leave.get(*leave) else { return html! { td {} } };
            let pending = s.leave.status == Status::Pending;
            html! {
                td .leave .pending[pending] {
                    button type="button" .cell-button popovertarget=(popover_id(s)) {
                        (swatch(&s.colour, *part, pending))
                        span .visually-hidden {
                            (name) ", " (date(day)) ": " (s.label) ", " (s.leave.status.as_str().to_lowercase())
                            @if *part != Part::Full { ", " (part.as_str()) }
                        }
                    }
                }
            }
        }
    }
}

fn popover_id(s: &Shown) -> String {
    format!("leave-{}", s.leave.request_id)
}

/// A leave cell's colour: solid when approved, hatched when pending, half for half a day.
fn swatch(colour: &str, part: Part, pending: bool) -> Markup {
    let (x, width) = match part {
        Part::Full => ("0", "2"),
        Part::Morning => ("0", "1"),
        Part::Afternoon => ("1", "1"),
    };
    html! {
        svg .swatch viewBox="0 0 2 2" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
            @if pending {
                rect x=(x) y="0" width=(width) height="2" fill=(colour) fill-opacity="0.25" {}
                svg x=(x) y="0" width=(width) height="2" viewBox="0 0 2 2" preserveAspectRatio="none" {
                    path d="M-1 1 L1 -1 M-1 3 L3 -1 M1 3 L3 1" stroke=(colour) stroke-width="0.3" {}
                }
            } @else {
                rect x=(x) y="0" width=(width) height="2" fill=(colour) {}
            }
        }
    }
}

/// The details of each request on the chart, opened from its cells.
fn details(v: &CalendarView) -> Markup {
    fn names<'a>(v: &'a CalendarView, email: &'a Email) -> &'a str {
        v.rows.iter().find(|r| r.profile.email == *email).map_or(email.as_str(), |r| r.profile.display_name.as_str())
    }
    let names = |email| names(v, email);
    html! {
        @for s in &v.leave {
            div .leave-details popover id=(popover_id(s)) aria-label=(format!("{}: {}", names(&s.leave.requester), s.label)) {
                p { strong { (names(&s.leave.requester)) } }
                p { (s.label) " " (badge(&s.leave.status)) }
                p { (date(s.leave.start_date)) @if s.leave.start_part != Default::default() { " (afternoon)" }
                    " to " (date(s.leave.end_date)) @if s.leave.end_part != Default::default() { " (morning)" } }
                @if s.leave.days.is_some() { p { (super::leave::days(s.days())) } }
                @if let Some(c) = &s.comment { p .comment { (c) } }
                @if s.may_open {
                    p { a href=(format!("/requests/{}", s.leave.request_id)) { "Open request #" (s.leave.request_id) } }
                }
                button type="button" .secondary popovertarget=(popover_id(s)) popovertargetaction="hide" { "Close" }
            }
        }
    }
}

fn legend(v: &CalendarView) -> Markup {
    let mut types: Vec<(&str, &str)> = v.leave.iter().map(|s| (s.label.as_str(), s.colour.as_str())).collect();
    types.sort();
    types.dedup();
    html! {
        div .legend {
            h3 .visually-hidden { "Key" }
            ul {
                @for (label, colour) in &types {
                    li { (swatch(colour, Part::Full, false)) " " (label) @if *label == OFF { " (private leave)" } }
                }
                li { (swatch("#57606a", Part::Full, true)) " Pending (hatched)" }
                li { (swatch("#57606a", Part::Morning, false)) " Half day" }
                li { span .key .weekend {} " Not working" }
                li { span .key .holiday {} " Public holiday" }
                li { span .mark aria-hidden="true" { "×" } " Blackout" }
                li { span .mark aria-hidden="true" { "!" } " At the team's limit" }
            }
        }
    }
}

fn page_title(month: Month) -> String {
    format!("Calendar, {}", month.label())
}

/// The calendar page: the chart, the team picker, calendar files and the rules that apply.
pub fn calendar_page(frame: &Frame, v: &CalendarView) -> Markup {
    let team_value = match &v.shows {
        Shows::Team { manager, .. } => manager.to_string(),
        Shows::Everyone { .. } => "everyone".into(),
    };
    page(
        &page_title(v.month),
        Some(frame),
        Section::Calendar,
        None,
        html! {
            h1 { "Who is off" }
            @if v.choices.len() > 1 || frame.viewer.actor.is_admin {
                form .team-picker method="get" action="/calendar" {
                    input type="hidden" name="month" value=(v.month.to_string());
                    label for="team" { "Team" }
                    @if frame.viewer.actor.is_admin {
                        input #team name="team" type="text" list="team-choices" value=(team_value)
                            autocomplete="off" spellcheck="false" aria-describedby="team-hint";
                        datalist #team-choices { @for (value, label) in &v.choices { option value=(value) { (label) } } }
                        small #team-hint .muted { "A manager's email, or everyone." }
                    } @else {
                        select #team name="team" {
                            @for (value, label) in &v.choices { option value=(value) selected[*value == team_value] { (label) } }
                        }
                    }
                    button type="submit" .secondary { "Show" }
                }
            }
            (chart(v))
            (rules_summary(&v.rules))
            section .calendar-files aria-labelledby="files-title" {
                h2 #files-title { "In your own calendar" }
                p {
                    a href="/calendar.ics?scope=mine" download { "Download my leave (.ics)" } " · "
                    a href="/calendar.ics?scope=team" download { "Download my team's leave (.ics)" }
                }
                p .muted {
                    "Import the file into Outlook, Google Calendar or Apple Calendar. Calendar apps cannot subscribe to it: the Databricks Apps proxy lets in only people signed in through a browser, so download it again to bring it up to date."
                }
            }
        },
    )
}

fn rules_summary(rules: &[Rule]) -> Markup {
    html! {
        section aria-labelledby="rules-title" {
            h2 #rules-title { "Coverage rules" }
            @if rules.is_empty() {
                p .muted { "No coverage rules apply to this team." }
            } @else {
                ul { @for r in rules { li { (r.describe()) (team_of(r)) } } }
            }
            p { a href="/coverage" { "All coverage rules" } }
        }
    }
}

fn team_of(r: &Rule) -> String {
    match &r.team {
        None => ", for the whole company".into(),
        Some(t) => format!(", for the team of {t}"),
    }
}

/// The coverage rules page: the rules the viewer may see, a form to add one where they may,
/// and a button to remove each they may change.
pub fn rules_page(p: &RulesPage, flash: Option<Markup>, error: Option<&str>) -> Markup {
    let may_change = |r: &Rule| p.frame.viewer.actor.is_admin || p.may_set.contains(&r.team);
    page(
        "Coverage rules",
        Some(&p.frame),
        Section::Calendar,
        flash,
        html! {
            h1 { "Coverage rules" }
            p { "A limit says how many of a team may be off on one day; a blackout is a period when nobody should be. "
                "Each either warns (the request goes through and its approver is told) or blocks (the request is refused; an admin can still approve over it, with a note). "
                "Pending and approved leave of every type counts, half days as half." }
            @if p.rules.is_empty() {
                p .muted { "There are no coverage rules yet." }
            } @else {
                div .table-wrap {
                    table .requests {
                        caption .visually-hidden { "Coverage rules" }
                        thead { tr { th scope="col" { "Rule" } th scope="col" { "Applies to" } th scope="col" { "Actions" } } }
                        tbody {
                            @for r in &p.rules {
                                tr {
                                    td { (r.describe()) }
                                    td { @match &r.team { None => "The whole company", Some(t) => { "The team of " (t) } } }
                                    td {
                                        @if may_change(r) {
                                            form method="post" action=(format!("/coverage/{}/delete", r.id)) {
                                                button type="submit" .secondary aria-label=(format!("Remove rule: {}", r.describe())) { "Remove" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !p.may_set.is_empty() { (rule_form(&p.may_set, error)) }
        },
    )
}

fn rule_form(teams: &[Option<Email>], error: Option<&str>) -> Markup {
    html! {
        form .card .rule-form method="post" action="/coverage" {
            h2 { "Add a rule" }
            @if let Some(e) = error { div .alert .alert-error role="alert" { (e) } }
            div .field {
                label for="rule-team" { "For" }
                select #rule-team name="team" {
                    @for t in teams {
                        @match t {
                            None => option value="everyone" { "The whole company" },
                            Some(e) => option value=(e) { "The team of " (e) },
                        }
                    }
                }
            }
            div .field {
                label for="rule-kind" { "Kind" }
                select #rule-kind name="kind" {
                    option value="max_off" { "At most N off on one day" }
                    option value="blackout" { "Blackout period" }
                }
            }
            div .field {
                label for="rule-max" { "At most this many off (limits)" }
                input #rule-max name="max_off" type="number" min="0" max=(crate::domain::coverage::MAX_LIMIT) inputmode="numeric";
            }
            div .field {
                label for="rule-name" { "Name (blackouts: \"Release week\")" }
                input #rule-name name="name" type="text" maxlength="200";
            }
            div .field {
                label for="rule-start" { "First day (required for blackouts)" }
                input #rule-start name="start_date" type="date";
            }
            div .field {
                label for="rule-end" { "Last day" }
                input #rule-end name="end_date" type="date";
            }
            fieldset .field {
                legend { "When a request breaks it" }
                label { input type="radio" name="mode" value="warn" checked; " Warn the approver" }
                label { input type="radio" name="mode" value="block"; " Block the request" }
            }
            button type="submit" { "Add the rule" }
        }
    }
}
