//! An employee asks for time off with htmx: mistakes come back beside the field, and the new
//! request joins the list, all without a page load.

use crate::support::{App, JOE, Options, days};

pub async fn asks_for_time_off(app: App) {
    let b = app.browser(Options::default()).await;
    b.goto("/").await;
    b.switch_user(JOE).await;
    b.assert_console_clean(&[]).await;
    b.mark_document().await;

    // The end before the start: the message is beside the end date, what was typed stays.
    // Chromium's date inputs take keys in the locale's order (en-US: month, day, year).
    // July 2028: far from the demo's requests, which lie a few weeks from today, and free of
    // English bank holidays (Joe works in GB-ENG).
    b.type_into("#start_date", "07102028").await;
    b.type_into("#end_date", "07032028").await;
    b.type_into("#comment", "Summer at the lake").await;
    b.click("#request-form button[type=submit]").await;
    let error = b.wait_for_text("#end_date-error", "is before the start date").await;
    assert!(error.contains("The end date 2028-07-03 is before the start date 2028-07-10"), "{error}");
    assert_eq!(
        b.js("const e = document.getElementById('end_date');
              return [e.closest('.field') === document.getElementById('end_date-error').closest('.field'),
                      e.getAttribute('aria-invalid'), e.getAttribute('aria-describedby'),
                      document.activeElement === e];")
            .await,
        serde_json::json!([true, "true", "end_date-error", true]),
        "the message sits in the end date's field, is tied to it, and the field has the focus"
    );
    assert_eq!(b.value("#start_date").await, "2028-07-10");
    assert_eq!(b.value("#end_date").await, "2028-07-03");
    assert_eq!(b.value("#comment").await, "Summer at the lake");
    assert!(!b.exists("#start_date-error").await, "only the end date is wrong");
    b.assert_same_document().await;
    b.screenshot("request-form-error").await;
    b.assert_console_clean(&["status of 422"]).await;

    // Put right and sent: the request is at the top of "My requests", pending. The demo has
    // requests #1 to #8, so this one is #9. What is left is what the API says Joe has in 2028
    // less the 5 days, without the days carried into 2028: they expire at the end of March,
    // before this July request.
    let before = app.annual_leave(JOE, 2028).await;
    b.type_into("#end_date", "07142028").await;
    b.click("#request-form button[type=submit]").await;
    let row = b.wait_for_text("#my-requests #request-9", "Pending").await;
    assert!(row.contains("Mon 10 Jul 2028 – Fri 14 Jul 2028"), "{row}");
    assert!(row.contains("Annual leave · 5 days"), "{row}");
    assert_eq!(b.attr("#my-requests > tr:first-child", "id").await.as_deref(), Some("request-9"), "at the top");
    assert!(row.contains("Cancel request #9"), "a pending request can be cancelled: {row}");
    let sent = b.text("#request-form .alert-ok").await;
    let left = before.available_after_expiry() - 5.0;
    assert_eq!(
        sent,
        format!(
            "Request #9 is sent: Annual leave, 5 days from 2028-07-10 to 2028-07-14, waiting for a decision. \
             Left after it: {} days.",
            days(left)
        )
    );
    let after = app.annual_leave(JOE, 2028).await;
    assert_eq!(
        (after.available_after_expiry(), after.pending),
        (left, before.pending + 5.0),
        "the API agrees (its available counts the carried days, unexpired as of today): {after:?}"
    );
    assert_eq!(b.value("#start_date").await, "", "a fresh form");
    assert_eq!(b.value("#comment").await, "");
    assert!(b.focused().await.contains("alert-ok"), "the confirmation has the focus, not the body");
    assert!(b.exists("#my-requests #request-1").await, "the older request is still listed");
    b.assert_same_document().await;
    b.assert_same_origin().await;
    b.assert_console_clean(&[]).await;
    b.close().await;
}
