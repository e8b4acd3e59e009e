//! The live count on the request form: as Joe fills it in, the preview says what the request
//! takes (public holidays and half days counted) and what it leaves, all without a page load;
//! sending it updates his balance card out of band.

use crate::phone::OVERFLOW;
use crate::support::{App, Browser, DESKTOP, JOE, Options, PHONE, days};
use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

/// The one public holiday in Mon 27 to Fri 31 May 2030 where Joe works (GB-ENG), as
/// `GET /api/public-holidays?location=GB-ENG&year=2030` names it.
const BANK_HOLIDAY: &str = "Mon 27 May 2030, Spring Bank Holiday, a public holiday, not counted";

/// What Joe's 27 to 31 May 2030, the last day until noon, takes: 5 weekdays less the bank
/// holiday less half a day.
const TAKES: f64 = 3.5;

const NO_WORKING_DAY: &str =
    "⚠ These dates hold no working day for you (your working week is Mon-Fri), so there is nothing to ask for.";

/// What Chromium's date inputs take as keys, in the locale's order (en-US: month, day, year).
fn date_keys(day: NaiveDate) -> String {
    day.format("%m%d%Y").to_string()
}

async fn choose(b: &Browser, selector: &str, value: &str) {
    let select = b.find(selector).await;
    select.select_by_value(value).await.unwrap_or_else(|e| panic!("choosing {value} in {selector}: {e}"));
    assert_eq!(b.value(selector).await, value, "{selector}");
}

/// Annual leave from Mon 27 to Fri 31 May 2030, the last day ending at noon.
async fn fill_end_of_may_2030(b: &Browser) {
    choose(b, "#leave_type", "1").await;
    b.type_into("#start_date", "05272030").await;
    b.type_into("#end_date", "05312030").await;
    choose(b, "#start_part", "full").await;
    choose(b, "#end_part", "morning").await;
}

/// A weekday of `year` that is not an English bank holiday and not in any of Joe's pending or
/// approved requests: the first such day after today if the year has one, else the last one
/// before. (A day after today keeps the arithmetic plain: a past day early in the year could
/// use carried-over days that would otherwise have expired.)
async fn free_day_for_joe(app: &App, year: i32) -> NaiveDate {
    let date = |v: &Value| NaiveDate::parse_from_str(v.as_str().unwrap_or_default(), "%Y-%m-%d").expect("a date");
    let mine = app.api_get(JOE, "/api/requests?status=all&limit=100").await;
    let booked: Vec<(NaiveDate, NaiveDate)> = mine["requests"]
        .as_array()
        .expect("Joe's requests")
        .iter()
        .filter(|r| r["status"] == "Pending" || r["status"] == "Approved")
        .map(|r| (date(&r["start_date"]), date(&r["end_date"])))
        .collect();
    let holidays = app.api_get(JOE, &format!("/api/public-holidays?location=GB-ENG&year={year}")).await;
    let closed: Vec<NaiveDate> =
        holidays["public_holidays"].as_array().expect("the holidays").iter().map(|h| date(&h["date"])).collect();
    assert!(!closed.is_empty(), "public holidays are shipped for {year}");
    let free = |d: &NaiveDate| {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            && !closed.contains(d)
            && !booked.iter().any(|(first, last)| first <= d && d <= last)
    };
    let (first, last) = (NaiveDate::from_ymd_opt(year, 1, 1).unwrap(), NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
    // The tests' app keeps the company's default time zone, UTC.
    let today = chrono::Utc::now().date_naive().clamp(first, last);
    let later = today.iter_days().skip(1).take_while(|d| *d <= last);
    let earlier = (0..).map_while(|n| today.checked_sub_days(chrono::Days::new(n))).take_while(|d| *d >= first);
    later.chain(earlier).find(free).unwrap_or_else(|| panic!("no free working day for Joe in {year}"))
}

/// Marks the balance card, so that whether it was replaced can be seen.
async fn mark_card(b: &Browser) {
    assert_eq!(b.js("document.getElementById('my-balances').__old = true; return true;").await, json!(true));
}

/// The card was swapped: one card, and not the one marked.
async fn assert_card_replaced(b: &Browser) {
    let check = "const cards = document.querySelectorAll('#my-balances');
        return [cards.length, cards[0].__old === true];";
    assert_eq!(b.js(check).await, json!([1, false]), "the balance card was swapped out of band");
}

pub async fn live_preview(app: App) {
    let b = app.browser(Options::default()).await;
    b.goto("/").await;
    b.switch_user(JOE).await;
    b.assert_console_clean(&[]).await;
    b.mark_document().await;
    assert_eq!(b.text("#request-preview").await, "", "nothing to count before anything is filled in");

    // Joe's 2030 Annual leave as the API tells it, seen from today: the demo books his leave
    // this year and next, so from then on up to 5 unused days carry over into each year. A
    // request at the end of May cannot use them (they expire at the end of March), so the
    // count leaves them out: what is left, and of what.
    let year_2030 = app.annual_leave(JOE, 2030).await;
    let left_2030 = year_2030.available_after_expiry() - TAKES;
    let annual = format!(
        "This request: 3.5 days ({BANK_HOLIDAY}). Left after it: {} of {}.",
        days(left_2030),
        days(year_2030.total_after_expiry())
    );

    // The count follows each change of the form, without a page load.
    fill_end_of_may_2030(&b).await;
    let preview = b.wait_for_text("#request-preview", "3.5 days").await;
    assert_eq!(preview, annual);
    assert!(!b.exists("#request-preview .field-error").await, "a count, not a mistake");
    b.assert_same_document().await;
    b.screenshot("request-form-preview").await;
    b.assert_accessible("the request form with its live count").await;

    // At a phone's width the sentence wraps: nothing makes the page scroll sideways.
    b.client.set_window_size(PHONE.0, PHONE.1).await.expect("a phone's width");
    assert_eq!(b.js("return window.innerWidth;").await, json!(PHONE.0), "a phone's width");
    assert_eq!(b.js(OVERFLOW).await, json!([]), "sideways overflow with the live count");
    b.client.set_window_size(DESKTOP.0, DESKTOP.1).await.expect("a desktop's width");

    // Sick leave is not deducted and needs no approval: the count says so, and nothing is
    // "left after it".
    choose(&b, "#leave_type", "2").await;
    let preview = b.wait_for_text("#request-preview", "needs no approval").await;
    assert_eq!(
        preview,
        format!(
            "This request: 3.5 days ({BANK_HOLIDAY}). Sick leave needs no approval: it is recorded as approved at once."
        )
    );
    assert!(!preview.contains("Left after it"), "{preview}");
    b.assert_same_document().await;

    // Back to Annual leave, then a weekend: there is nothing to count, and the count says why.
    choose(&b, "#leave_type", "1").await;
    assert_eq!(b.wait_for_text("#request-preview", "Left after it").await, annual);
    b.type_into("#start_date", "06012030").await; // Saturday
    b.type_into("#end_date", "06022030").await; // Sunday
    let preview = b.wait_for_text("#request-preview", "no working day").await;
    assert_eq!(preview, NO_WORKING_DAY);
    assert!(b.exists("#request-preview .field-error").await, "shown as a mistake");
    assert!(!b.exists("#request-form .field-error[id]").await, "no field is marked wrong before sending");
    b.assert_same_document().await;
    b.assert_accessible("the request form with a live count that finds no working day").await;
    b.assert_console_clean(&[]).await;

    // Sent with htmx: the confirmation says what the preview said; the balance card is
    // swapped out of band. This year's balance is not touched by a request in 2030, so the
    // card reads as before.
    fill_end_of_may_2030(&b).await;
    assert_eq!(b.wait_for_text("#request-preview", "3.5 days").await, annual);
    let card = b.text("#my-balances").await;
    mark_card(&b).await;
    b.click("#request-form button[type=submit]").await;
    let sent = b.wait_for_text("#request-form .alert-ok", "Request #9 is sent").await;
    assert_eq!(
        sent,
        format!(
            "Request #9 is sent: Annual leave, 3.5 days from 2030-05-27 to 2030-05-31, waiting for a decision. \
             Left after it: {} days.",
            days(left_2030)
        )
    );
    let row = b.wait_for_text("#my-requests #request-9", "Pending").await;
    assert!(row.contains("Mon 27 May 2030 – Fri 31 May 2030 (morning)"), "{row}");
    assert!(row.contains("Annual leave · 3.5 days"), "{row}");
    assert_card_replaced(&b).await;
    assert_eq!(b.text("#my-balances").await, card, "a request in 2030 leaves this year's balance as it was");
    assert_eq!(b.text("#request-preview").await, "", "a fresh form, with nothing counted");
    assert_eq!(app.annual_leave(JOE, 2030).await.available_after_expiry(), left_2030, "the API agrees");
    b.assert_same_document().await;

    // A day in the year the card shows: its figures follow, in the same page (a second
    // submission in one page once made htmx log "oobErrorNoTarget, #my-empty"; the console
    // check at the end keeps it fixed).
    let heading = b.text("#balances-heading").await;
    let year: i32 = heading
        .strip_prefix("My balance for ")
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| panic!("the card's heading names a year: {heading:?}"));
    let before = app.annual_leave(JOE, year).await;
    let day = free_day_for_joe(&app, year).await;
    b.type_into("#start_date", &date_keys(day)).await;
    b.type_into("#end_date", &date_keys(day)).await;
    let left = before.available - 1.0;
    let preview = b.wait_for_text("#request-preview", "This request: 1 day.").await;
    assert_eq!(preview, format!("This request: 1 day. Left after it: {} of {}.", days(left), days(before.total())));
    mark_card(&b).await;
    b.click("#request-form button[type=submit]").await;
    let sent = b.wait_for_text("#request-form .alert-ok", "Request #10 is sent").await;
    assert!(sent.ends_with(&format!("waiting for a decision. Left after it: {} days.", days(left))), "{sent}");
    let card = b
        .wait_for_text("#my-balances", &format!("Annual leave: {} of {} left", days(left), days(before.total())))
        .await;
    let counts = format!("({} taken, {} pending)", days(before.taken), days(before.pending + 1.0));
    assert!(card.contains(&counts), "{counts} in {card:?}");
    assert_card_replaced(&b).await;
    let after = app.annual_leave(JOE, year).await;
    assert_eq!((after.available, after.pending), (left, before.pending + 1.0), "the API agrees: {after:?}");
    b.assert_same_document().await;
    b.assert_same_origin().await;
    b.assert_console_clean(&[]).await;
    b.close().await;
}
