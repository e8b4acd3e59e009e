//! A manager decides in the queue with htmx: each row changes in place with the pending count
//! following, a second window that is out of date is told who decided first, and the employee
//! sees the decision and its note. New requests join an open queue by themselves.

use crate::support::{App, DANA, JOE, MARIA, Options, SUZY};
use std::time::Duration;

/// The queue asks every 10 s; a little more for the answer.
const POLL_WAIT: Duration = Duration::from_secs(15);

pub async fn decides_in_place(app: App) {
    let b = app.browser(Options::default()).await;
    b.goto("/queue").await;
    b.wait_for_text("header.site .identity", MARIA).await; // the development default
    assert_eq!(b.pending_count().await, "3 waiting");
    for id in 1..=3 {
        assert!(b.exists(&format!("#request-{id} form.decision-form")).await, "#{id} is Maria's to decide");
    }
    assert!(!b.exists("#request-4").await, "Dana's request is Lee's");

    // A second window on the same queue, opened before anything is decided.
    let first = b.client.window().await.expect("the first window");
    let second = b.client.new_window(true).await.expect("a second window").handle;
    b.client.switch_to_window(second.clone()).await.expect("to the second window");
    b.goto("/queue").await;
    b.wait_for("#request-2 button.approve").await;
    b.client.switch_to_window(first.clone()).await.expect("back to the first window");

    b.mark_document().await;
    b.type_into("#note-1", "Have a good break").await;
    b.click("#request-1 button.approve").await;
    let message = b.wait_for_text("#request-1 .row-message", "You approved request #1.").await;
    assert_eq!(message, "You approved request #1.");
    let row = b.text("#request-1").await;
    assert!(row.contains("Approved") && row.contains("“Have a good break”"), "{row}");
    assert!(row.contains("Approved by manager@example.com"), "{row}");
    assert!(!b.exists("#request-1 form.decision-form").await, "nothing left to decide");
    b.wait_for_pending_count("2 waiting").await;
    assert!(b.focused().await.contains("row-message"), "the row's message has the focus: {}", b.focused().await);
    b.assert_same_document().await;

    b.type_into("#note-2", "Sorry, that is release week").await;
    b.click("#request-2 button.decline").await;
    b.wait_for_text("#request-2 .row-message", "You declined request #2.").await;
    assert!(b.text("#request-2").await.contains("Declined"));
    b.wait_for_pending_count("1 waiting").await;
    b.assert_same_document().await;
    assert!(b.exists("#request-3 form.decision-form").await, "Charlie's is still open");
    b.screenshot("queue").await;
    b.assert_same_origin().await;
    b.assert_console_clean(&[]).await;

    // The second window still offers #2: deciding it there says who decided first.
    b.client.switch_to_window(second).await.expect("to the second window");
    b.mark_document().await;
    b.click("#request-2 button.approve").await;
    let refusal = b.wait_for_text("#request-2 .row-message", "was already").await;
    assert!(refusal.starts_with("Request #2 was already declined by manager@example.com on "), "{refusal}");
    assert_eq!(b.attr("#request-2 .row-message", "role").await.as_deref(), Some("alert"));
    let row = b.text("#request-2").await;
    assert!(row.contains("Declined") && !row.contains("Approved"), "the row as it now is: {row}");
    assert!(!b.exists("#request-2 form.decision-form").await);
    b.assert_same_document().await;
    b.assert_console_clean(&["status of 409"]).await;
    b.client.close_window().await.expect("closing the second window");
    b.client.switch_to_window(first).await.expect("back to the first window");

    // Joe sees the decision and its note. The demo's #1 starts a few weeks from today, so
    // approved and not yet started, Joe may still cancel it.
    b.switch_user(JOE).await;
    let row = b.wait_for_text("#my-requests #request-1", "Approved").await;
    assert!(row.contains("Have a good break"), "{row}");
    assert!(row.contains("Cancel request #1"), "approved and not started: Joe may still cancel: {row}");
    b.screenshot("employee").await;
    b.assert_console_clean(&[]).await;

    // Once it has started, an approved request can no longer be cancelled: Dana's sick day #7
    // lies a week or so before today and was recorded as approved at once.
    b.switch_user(DANA).await;
    let row = b.wait_for_text("#my-requests #request-7", "Approved").await;
    assert!(row.contains("Sick leave"), "{row}");
    assert!(!row.contains("Cancel request"), "an approved request that has started cannot be cancelled: {row}");
    assert!(b.text("#my-requests #request-8").await.contains("Cancel request #8"), "her pending one can be");
    b.assert_console_clean(&[]).await;
    b.close().await;
}

/// An open queue asks for new requests every 10 s and adds them at the top, leaving alone a note
/// the manager is typing.
pub async fn new_requests_arrive_while_typing(app: App) {
    let maria = app.browser(Options::default()).await;
    maria.goto("/queue").await;
    maria.wait_for_text("header.site .identity", MARIA).await;
    maria.mark_document().await;
    maria.click("#note-1").await;
    maria.press(&"Half of it is fine".chars().collect::<Vec<_>>()).await;

    let suzy = app.browser(Options::default()).await;
    suzy.goto("/").await;
    suzy.switch_user(SUZY).await;
    // September 2028: clear of the demo's requests and of Bavaria's public holidays (Suzy
    // works in DE-BY). The demo has requests #1 to #8, so this one is #9.
    suzy.type_into("#start_date", "09042028").await;
    suzy.type_into("#end_date", "09082028").await;
    suzy.click("#request-form button[type=submit]").await;
    suzy.wait_for("#my-requests #request-9").await;
    suzy.close().await;

    // The poll every 10 s brings it: at most one interval and the request.
    let row = maria.wait_for_text_up_to("#queue-rows > tr:first-child", "Suzy", POLL_WAIT).await;
    assert!(row.contains("#9") && row.contains("Mon 4 Sep 2028"), "{row}");
    assert!(row.contains("Annual leave · 5 days"), "{row}");
    maria.wait_for_pending_count("4 waiting").await;
    assert_eq!(maria.value("#note-1").await, "Half of it is fine", "the note being typed is still there");
    assert_eq!(maria.js("return document.activeElement.id;").await, "note-1", "and still has the focus");
    maria.assert_same_document().await;
    maria.assert_console_clean(&[]).await;
    maria.close().await;
}
