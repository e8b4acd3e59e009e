//! With JavaScript off every form is a plain post answered with a redirect (or, for a mistake,
//! the page again with the message beside the field).

use crate::support::{App, JOE, MARIA, Options, days};

pub async fn forms_post_and_redirect(app: App) {
    let b = app.browser(Options { javascript: false, ..Options::default() }).await;
    b.goto("/").await;
    // The test's own probes still run; the page's scripts do not.
    assert_eq!(b.js("return typeof htmx;").await, "undefined", "JavaScript is off in this browser");
    b.switch_user(JOE).await;

    // December 2029, before Christmas: clear of the demo's requests and of English bank
    // holidays (Joe works in GB-ENG).
    b.mark_document().await;
    b.type_into("#start_date", "12202029").await;
    b.type_into("#end_date", "12182029").await;
    b.click("#request-form button[type=submit]").await;
    b.wait_for_text("#end_date-error", "is before the start date").await;
    b.assert_new_document().await;
    assert_eq!(b.path().await, "/requests", "the page answered the post");
    assert_eq!(b.value("#start_date").await, "2029-12-20", "what was typed is kept");
    assert_eq!(b.value("#end_date").await, "2029-12-18");
    assert_eq!(b.js("return document.activeElement.id;").await, "end_date", "the wrong field has the focus");
    b.assert_console_clean(&["status of 422"]).await;

    // Without JavaScript there is no live count: what the request takes and leaves comes in
    // the confirmation after submitting instead. The demo has requests #1 to #8, so this one
    // is #9; what is left is what the API says Joe has in 2029 less the 2 days, without the
    // days carried into 2029, which expire in March, before this December request.
    assert_eq!(b.text("#request-preview").await, "", "no live count without JavaScript");
    let before = app.annual_leave(JOE, 2029).await;
    b.mark_document().await;
    b.type_into("#end_date", "12212029").await;
    b.click("#request-form button[type=submit]").await;
    let sent = b.wait_for_text("#flash .alert-ok", "Request #9 is sent").await;
    assert_eq!(
        sent,
        format!(
            "Request #9 is sent: Annual leave, 2 days from 2029-12-20 to 2029-12-21, waiting for a decision. \
             Left after it: {} days.",
            days(before.available_after_expiry() - 2.0)
        )
    );
    b.assert_new_document().await;
    assert_eq!(b.path().await, "/", "redirected to the start page");
    let row = b.text("#my-requests #request-9").await;
    assert!(row.contains("Pending") && row.contains("Annual leave · 2 days"), "{row}");

    // Maria decides in the queue: each decision is a post and a redirect back.
    b.switch_user(MARIA).await;
    b.goto("/queue").await;
    assert_eq!(b.pending_count().await, "4 waiting", "Joe's, Suzy's, Charlie's and the new one");
    b.mark_document().await;
    b.type_into("#note-9", "Merry Christmas").await;
    b.click("#request-9 button.approve").await;
    b.wait_for_text("#flash .alert-ok", "You approved request #9.").await;
    b.assert_new_document().await;
    assert_eq!(b.path().await, "/queue");
    assert_eq!(b.pending_count().await, "3 waiting");
    assert!(!b.exists("#request-9").await, "the queue shows what is pending");

    b.mark_document().await;
    b.click("#request-1 button.decline").await;
    b.wait_for_text("#flash .alert-ok", "You declined request #1.").await;
    b.assert_new_document().await;
    assert_eq!(b.pending_count().await, "2 waiting");

    // Deciding from a page that is out of date, after another session decided: the answer says
    // who decided first.
    b.goto("/requests/3").await;
    b.wait_for("form.decision-form").await;
    b.mark_document().await;
    let other = app.browser(Options { javascript: false, ..Options::default() }).await;
    other.goto("/requests/3").await;
    other.click("form.decision-form button.decline").await;
    other.wait_for_text("#flash .alert-ok", "You declined request #3.").await;
    other.close().await;
    b.click("form.decision-form button.approve").await;
    let refusal = b.wait_for_text("#flash .alert-error", "was already").await;
    assert!(refusal.starts_with("Request #3 was already declined by manager@example.com on "), "{refusal}");
    b.assert_new_document().await;
    b.assert_console_clean(&["status of 409"]).await;

    // Joe sees both answers.
    b.goto("/").await;
    b.switch_user(JOE).await;
    let approved = b.text("#my-requests #request-9").await;
    assert!(approved.contains("Approved") && approved.contains("Merry Christmas"), "{approved}");
    assert!(approved.contains("Cancel request #9"), "approved and not started: Joe may still cancel");
    assert!(b.text("#my-requests #request-1").await.contains("Declined"));

    b.mark_document().await;
    b.click("#request-9 button.secondary").await;
    b.wait_for_text("#flash .alert-ok", "Request #9 is cancelled.").await;
    b.assert_new_document().await;
    assert!(b.text("#my-requests #request-9").await.contains("Cancelled"));
    b.assert_same_origin().await;
    b.assert_console_clean(&[]).await;
    b.close().await;
}
