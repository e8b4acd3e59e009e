//! The month wall chart: moving between months with htmx (and Back and Forward), a leave
//! cell's details opened by keyboard alone, the same without JavaScript, and a phone's width.

use crate::support::{App, Browser, JOE, MARIA, Options, WAIT};
use chrono::{Datelike, NaiveDate};
use fantoccini::key::Key;
use rocket::tokio;
use serde_json::json;
use std::time::{Duration, Instant};

/// The first day of the month a heading such as "November 2026: Maria Manager's team" names.
fn month_of(heading: &str) -> NaiveDate {
    let name = heading.split(':').next().unwrap_or_default().trim();
    NaiveDate::parse_from_str(&format!("1 {name}"), "%d %B %Y")
        .unwrap_or_else(|e| panic!("the heading {heading:?} does not start with a month: {e}"))
}

fn next_month(first: NaiveDate) -> NaiveDate {
    first.checked_add_months(chrono::Months::new(1)).expect("a next month")
}

/// "December 2026", as the heading writes a month.
fn label(first: NaiveDate) -> String {
    first.format("%B %Y").to_string()
}

/// "month=2026-12", as the month's address holds it.
fn param(first: NaiveDate) -> String {
    format!("month={}", first.format("%Y-%m"))
}

/// The chart's month as the heading says it now.
async fn shown_month(b: &Browser) -> NaiveDate {
    month_of(&b.wait_for_text("#calendar-title", ":").await)
}

/// Waits until the address bar holds `needle`, and returns the address.
async fn wait_for_path(b: &Browser, needle: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let path = b.path().await;
        if path.contains(needle) {
            return path;
        }
        assert!(Instant::now() < deadline, "waited for the address to hold {needle:?}; it is {path:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the chart's heading shows `first`'s month.
async fn wait_for_heading(b: &Browser, first: NaiveDate) {
    b.wait_for_text("#calendar-title", &format!("{}:", label(first))).await;
    assert_eq!(shown_month(b).await, first);
}

/// Waits until the chart shows `first`'s month, in its heading and in the address.
async fn wait_for_month(b: &Browser, first: NaiveDate) {
    wait_for_heading(b, first).await;
    wait_for_path(b, &param(first)).await;
}

/// From the calendar on some month, follows `#month-next` (at most twice) to the first month
/// with a leave cell on the chart, and answers that month. The demo's pending requests lie three
/// to five weeks ahead, so one of this month and the next two shows some.
pub async fn to_month_with_leave(b: &Browser) -> NaiveDate {
    for _ in 0..2 {
        if b.exists("td.leave button.cell-button").await {
            break;
        }
        let before = shown_month(b).await;
        b.click("#month-next").await;
        wait_for_month(b, next_month(before)).await;
    }
    assert!(b.exists("td.leave button.cell-button").await, "no leave on the chart in three months");
    shown_month(b).await
}

/// Whether the popover with this id is open.
pub async fn popover_open(b: &Browser, id: &str) -> bool {
    let script = format!("return document.getElementById({}).matches(':popover-open');", json!(id));
    b.js(&script).await == json!(true)
}

/// The visually hidden text of the first leave cell's button: "Joe, Tue 1 Dec 2026: Annual
/// leave, pending".
async fn first_cell_text(b: &Browser) -> String {
    let text = b.js("return document.querySelector('button.cell-button').textContent;").await;
    text.as_str().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The request's type and status as the first leave cell's hidden text says them.
fn type_and_status(cell: &str) -> (String, String) {
    let after = cell.split(": ").nth(1).unwrap_or_else(|| panic!("no type in {cell:?}"));
    let mut parts = after.split(", ");
    let kind = parts.next().unwrap_or_default().to_owned();
    let status = parts.next().unwrap_or_else(|| panic!("no status in {cell:?}")).to_owned();
    (kind, status)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Asserts the open popover `id` shows the person, type and status the cell's text names.
async fn assert_details(b: &Browser, id: &str, cell: &str) {
    let (kind, status) = type_and_status(cell);
    let person = cell.split(", ").next().unwrap_or_default();
    let details = b.text(&format!("#{id}")).await;
    assert!(details.contains(person), "the details name {person}: {details:?}");
    assert!(details.contains(&kind), "the details give the type {kind:?}: {details:?}");
    assert!(details.contains(&capitalised(&status)), "the details give the status {status:?}: {details:?}");
    assert!(details.contains("Close"), "the details have a Close button: {details:?}");
}

/// Next, next, Back, Forward: htmx swaps the chart and pushes the address without loading a
/// page, and the browser's history brings each month back, heading and address together.
pub async fn month_navigation_with_htmx_and_back(app: App) {
    let b = app.browser(Options::default()).await;
    b.goto("/").await;
    b.switch_user(JOE).await;
    b.goto("/calendar").await;
    let this = shown_month(&b).await;
    let heading = b.text("#calendar-title").await;
    assert_eq!(heading, format!("{}: Maria Manager's team", label(this)), "Joe sees his manager's team");
    let utc = chrono::Utc::now().date_naive().with_day(1);
    let local = chrono::Local::now().date_naive().with_day(1);
    assert!(Some(this) == utc || Some(this) == local, "/calendar opens on this month, not {this}");
    assert!(!b.exists("#month-today").await, "no link to this month on this month");
    assert_eq!(b.js("return typeof htmx;").await, "object", "htmx is loaded");

    let next = next_month(this);
    let after = next_month(next);
    b.mark_document().await;
    b.click("#month-next").await;
    wait_for_month(&b, next).await;
    b.assert_same_document().await;
    assert_eq!(b.js("return document.querySelectorAll('section#calendar').length;").await, 1, "one chart, swapped");
    assert!(b.exists("#month-today").await, "a link back to this month");
    assert!(
        b.attr("#month-today", "href").await.unwrap_or_default().contains(&param(this)),
        "This month leads to {this}"
    );
    assert_eq!(b.js("return document.activeElement.id;").await, "month-next", "the focus stays on the link");
    assert_eq!(
        b.js("return document.title;").await,
        format!("Calendar, {} · Holidays", label(next)),
        "the tab names the month shown"
    );

    b.click("#month-next").await;
    wait_for_month(&b, after).await;
    b.assert_same_document().await;
    assert!(b.text("#month-previous").await.contains(&label(next)), "the previous link names {next}");

    b.client.back().await.expect("Back");
    wait_for_month(&b, next).await;
    b.assert_same_document().await;
    b.client.back().await.expect("Back again");
    wait_for_heading(&b, this).await;
    wait_for_path(&b, "/calendar").await;
    assert_eq!(b.path().await, "/calendar", "the address the page was opened at");
    assert!(!b.exists("#month-today").await, "this month again, as it was");
    b.assert_same_document().await;

    b.client.forward().await.expect("Forward");
    wait_for_month(&b, next).await;
    b.client.forward().await.expect("Forward again");
    wait_for_month(&b, after).await;
    b.assert_same_document().await;
    // The restored chart still works: its links were processed again by htmx.
    b.click("#month-previous").await;
    wait_for_month(&b, next).await;
    b.assert_same_document().await;

    // Back when htmx no longer holds the page: it asks the server again, marked as a history
    // restore, and the server answers with the whole page, which htmx puts in place of the body.
    let cached = b
        .js("const had = sessionStorage.getItem('htmx-history-cache') !== null;
                       sessionStorage.removeItem('htmx-history-cache'); return had;")
        .await;
    assert_eq!(cached, json!(true), "htmx kept its history cache where this test expects it");
    b.client.back().await.expect("Back with nothing cached");
    wait_for_month(&b, after).await;
    b.assert_same_document().await;
    let counts = b
        .js("return ['header.site', 'h1', 'section#calendar', '.dev-banner'].map(s => document.querySelectorAll(s).length);")
        .await;
    assert_eq!(counts, json!([1, 1, 1, 1]), "the page once over, not a fragment and not a page in a page");
    let later = next_month(after);
    b.click("#month-next").await;
    wait_for_month(&b, later).await;
    b.assert_same_document().await;

    // A reload of a pushed address is the whole page on that month, not the fragment alone.
    b.client.refresh().await.expect("reload");
    wait_for_month(&b, later).await;
    b.assert_new_document().await;
    assert!(b.exists("header.site").await && b.exists("h1").await, "a whole page after a reload");
    b.assert_console_clean(&[]).await;
    b.close().await;
}

/// Tab reaches the chart's scrolling box, then the first leave cell; Enter opens its details,
/// Escape closes them, and the focus stays on the cell. Tab goes on from the cell into its open
/// details, whose Close button closes them and gives the focus back to the cell.
pub async fn keyboard_opens_a_cells_details(app: App) {
    let b = app.browser(Options::default()).await;
    b.goto("/calendar").await;
    b.wait_for_text("header.site .identity", MARIA).await;
    let month = to_month_with_leave(&b).await;
    // Start again from the top of a freshly loaded page, so only Tab moves the focus.
    b.goto(&format!("/calendar?{}", param(month))).await;
    wait_for_month(&b, month).await;
    b.screenshot("calendar").await;

    b.tab_to(".calendar-scroll", 40).await;
    b.tab_to("button.cell-button", 1).await;
    let id = b.attr("button.cell-button", "popovertarget").await.expect("the cell names its popover");
    assert!(id.starts_with("leave-"), "{id}");
    let cell = first_cell_text(&b).await;
    assert!(!popover_open(&b, &id).await, "closed before Enter");

    b.press(&[Key::Enter.into()]).await;
    assert!(popover_open(&b, &id).await, "Enter opens #{id}");
    assert_details(&b, &id, &cell).await;
    b.press(&[Key::Escape.into()]).await;
    assert!(!popover_open(&b, &id).await, "Escape closes #{id}");
    assert!(b.js("return document.activeElement.matches('button.cell-button');").await == json!(true));
    assert_eq!(
        b.js(&format!("return document.activeElement.getAttribute('popovertarget') === {};", json!(id))).await,
        json!(true),
        "the focus is back on the cell: {}",
        b.focused().await
    );

    // Open again; Tab goes into the details (after the cell, in the popover's own order).
    b.press(&[Key::Enter.into()]).await;
    assert!(popover_open(&b, &id).await, "Enter opens #{id} again");
    b.tab_to(&format!("#{id} button[popovertargetaction=hide]"), 3).await;
    b.press(&[Key::Enter.into()]).await;
    assert!(!popover_open(&b, &id).await, "Close closes #{id}");
    assert_eq!(
        b.js(&format!("return document.activeElement.getAttribute('popovertarget') === {};", json!(id))).await,
        json!(true),
        "the focus is back on the cell after Close: {}",
        b.focused().await
    );
    b.assert_console_clean(&[]).await;
    b.close().await;
}

/// With JavaScript off the month links are plain links that load the page on the new month,
/// and a cell still opens its details: HTML popovers need no script.
pub async fn without_javascript_links_and_popovers_work(app: App) {
    let b = app.browser(Options { javascript: false, ..Options::default() }).await;
    b.goto("/calendar").await;
    assert_eq!(b.js("return typeof htmx;").await, "undefined", "JavaScript is off in this browser");
    b.wait_for_text("header.site .identity", MARIA).await;
    let this = shown_month(&b).await;
    let next = next_month(this);

    b.mark_document().await;
    b.click("#month-next").await;
    wait_for_month(&b, next).await;
    b.assert_new_document().await;
    assert!(b.path().await.starts_with("/calendar?"), "{}", b.path().await);
    assert_eq!(b.js("return document.title;").await, format!("Calendar, {} · Holidays", label(next)));

    b.mark_document().await;
    b.click("#month-today").await;
    wait_for_month(&b, this).await;
    b.assert_new_document().await;

    let month = to_month_with_leave(&b).await;
    assert!(month >= this, "{month}");
    let id = b.attr("button.cell-button", "popovertarget").await.expect("the cell names its popover");
    let cell = first_cell_text(&b).await;
    assert!(!popover_open(&b, &id).await, "closed before the click");
    b.mark_document().await;
    b.click("button.cell-button").await;
    assert!(popover_open(&b, &id).await, "the click opens #{id}");
    assert!(b.find(&format!("#{id}")).await.is_displayed().await.expect("displayed"), "#{id} is shown");
    assert_details(&b, &id, &cell).await;
    b.click(&format!("#{id} button[popovertargetaction=hide]")).await;
    assert!(!popover_open(&b, &id).await, "Close closes #{id}");
    b.assert_same_document().await;
    b.assert_console_clean(&[]).await;
    b.close().await;
}

/// At a phone's width the page does not scroll sideways: the chart scrolls inside its box,
/// with the names kept in view, and a cell's details fit on the screen.
pub async fn the_chart_scrolls_inside_its_box_on_a_phone(app: App) {
    let b = app.browser(Options { width: 375, height: 812, ..Options::default() }).await;
    b.goto("/calendar").await;
    b.wait_for_text("header.site .identity", MARIA).await;
    to_month_with_leave(&b).await;
    assert_eq!(b.js("return window.innerWidth;").await, 375, "a phone's width");

    let page = b.js("return [document.documentElement.scrollWidth, window.innerWidth];").await;
    assert!(page[0].as_u64() <= page[1].as_u64(), "the page scrolls sideways: {page}");
    let outside = b
        .js("const width = document.documentElement.clientWidth; const out = [];
             for (const el of document.body.querySelectorAll('*')) {
                 if (el.parentElement.closest('.calendar-scroll, [popover]')) continue;
                 const r = el.getBoundingClientRect();
                 if (r.width === 0 || r.height === 0) continue;
                 if (r.left < -0.5 || r.right > width + 0.5) {
                     out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className +
                         ' spans ' + Math.round(r.left) + '..' + Math.round(r.right));
                 }
             }
             return out;")
        .await;
    assert_eq!(outside, json!([]), "elements wider than the phone");
    let scroll = b
        .js("const s = document.querySelector('.calendar-scroll');
             return [s.scrollWidth > s.clientWidth, getComputedStyle(s).overflowX, s.getBoundingClientRect().right <= window.innerWidth];")
        .await;
    assert_eq!(scroll, json!([true, "auto", true]), "the chart scrolls inside its box, which fits the phone");

    // Scrolled to the month's end, the names stay at the box's left edge.
    let names = b
        .js("const s = document.querySelector('.calendar-scroll'); s.scrollLeft = s.scrollWidth;
             const name = s.querySelector('tbody th.person-col').getBoundingClientRect();
             return [s.scrollLeft > 0, Math.abs(name.left - s.getBoundingClientRect().left) <= 2];")
        .await;
    assert_eq!(names, json!([true, true]), "the names stick to the left while the days scroll");

    // The names take at most a third of the box, and a cell given the focus from there (as Tab
    // does) scrolls clear of them, not under them.
    let id = b.attr("button.cell-button", "popovertarget").await.expect("the cell names its popover");
    let clear = b
        .js("const s = document.querySelector('.calendar-scroll');
             const button = document.querySelector('button.cell-button');
             const name = button.closest('tr').querySelector('th.person-col').getBoundingClientRect();
             button.focus();
             const cell = button.getBoundingClientRect();
             return [name.width <= s.clientWidth / 3, cell.left >= name.right - 1,
                     Math.round(name.right) + ' px vs ' + Math.round(cell.left) + ' px'];")
        .await;
    assert_eq!((&clear[0], &clear[1]), (&json!(true), &json!(true)), "the focused cell is clear of the names: {clear}");
    b.click("button.cell-button").await;
    assert!(popover_open(&b, &id).await, "the tap opens #{id}");
    let fits = b
        .js(&format!(
            "const r = document.getElementById({}).getBoundingClientRect();
             return r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight;",
            json!(id)
        ))
        .await;
    assert_eq!(fits, json!(true), "#{id} fits on the phone's screen");
    let page = b.js("return document.documentElement.scrollWidth <= window.innerWidth;").await;
    assert_eq!(page, json!(true), "the open details do not widen the page");
    b.assert_same_origin().await;
    b.assert_console_clean(&[]).await;
    b.close().await;
}
