//! An employee asks for time off with htmx: mistakes come back beside the field, and the new
//! request joins the list, all without a page load.

use crate::support::{App, JOE, Options};

pub async fn asks_for_time_off(app: App) {
    let b = app.browser(Options::default()).await;
    b.goto("/").await;
    b.switch_user(JOE).await;
    b.assert_console_clean(&[]).await;
    b.mark_document().await;

    // The end before the start: the message is beside the end date, what was typed stays.
    // Chromium's date inputs take keys in the locale's order (en-US: month, day, year).
    b.type_into("#start_date", "07122027").await;
    b.type_into("#end_date", "07052027").await;
    b.type_into("#comment", "Summer at the lake").await;
    b.click("#request-form button[type=submit]").await;
    let error = b.wait_for_text("#end_date-error", "is before the start date").await;
    assert!(error.contains("The end date 2027-07-05 is before the start date 2027-07-12"), "{error}");
    assert_eq!(
        b.js("const e = document.getElementById('end_date');
              return [e.closest('.field') === document.getElementById('end_date-error').closest('.field'),
                      e.getAttribute('aria-invalid'), e.getAttribute('aria-describedby'),
                      document.activeElement === e];")
            .await,
        serde_json::json!([true, "true", "end_date-error", true]),
        "the message sits in the end date's field, is tied to it, and the field has the focus"
    );
    assert_eq!(b.value("#start_date").await, "2027-07-12");
    assert_eq!(b.value("#end_date").await, "2027-07-05");
    assert_eq!(b.value("#comment").await, "Summer at the lake");
    assert!(!b.exists("#start_date-error").await, "only the end date is wrong");
    b.assert_same_document().await;
    b.screenshot("request-form-error").await;
    b.assert_console_clean(&["status of 422"]).await;

    // Put right and sent: the request is at the top of "My requests", pending.
    b.type_into("#end_date", "07162027").await;
    b.click("#request-form button[type=submit]").await;
    let row = b.wait_for_text("#my-requests #request-5", "Pending").await;
    assert!(row.contains("5 working days"), "{row}");
    assert_eq!(b.attr("#my-requests > tr:first-child", "id").await.as_deref(), Some("request-5"), "at the top");
    assert!(row.contains("Cancel request #5"), "a pending request can be cancelled: {row}");
    let sent = b.text("#request-form .alert-ok").await;
    assert!(sent.contains("Request #5 is sent: 5 working days from 2027-07-12 to 2027-07-16"), "{sent}");
    assert_eq!(b.value("#start_date").await, "", "a fresh form");
    assert_eq!(b.value("#comment").await, "");
    assert!(b.focused().await.contains("alert-ok"), "the confirmation has the focus, not the body");
    assert!(b.exists("#my-requests #request-1").await, "the older request is still listed");
    b.assert_same_document().await;
    b.assert_same_origin().await;
    b.assert_console_clean(&[]).await;
    b.close().await;
}
