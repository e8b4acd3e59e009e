//! Everything with the keyboard alone: Tab to a control, type, Enter. The focus lands somewhere
//! sensible after each swap, so Tab carries on from there.

use crate::support::{App, JOE, MARIA, Options};
use fantoccini::key::Key;

fn keys(text: &str) -> Vec<char> {
    text.chars().collect()
}

pub async fn keyboard_alone(app: App) {
    let b = app.browser(Options::default()).await;
    b.goto("/queue").await;
    b.wait_for_text("header.site .identity", MARIA).await;
    b.mark_document().await;

    // The first Tab offers the skip link.
    b.tab_to(".skip-link", 1).await;
    assert!(b.find(".skip-link").await.is_displayed().await.expect("visible"), "shown while focused");

    // The queue lists the newest first: Charlie's #3, Suzy's #2, Joe's #1.
    b.tab_to("#note-3", 30).await;
    b.press(&keys("Enjoy")).await;
    b.tab_to("#request-3 button.approve", 1).await;
    assert!(b.focused().await.contains("Approve request #3 from Charlie"), "{}", b.focused().await);
    b.press(&[Key::Enter.into()]).await;
    b.wait_for_text("#request-3 .row-message", "You approved request #3.").await;
    assert!(b.focused().await.contains("row-message"), "after the swap: {}", b.focused().await);
    b.wait_for_pending_count("2 waiting").await;
    assert!(b.text("#request-3").await.contains("“Enjoy”"));

    // Tab goes on from the changed row into the next one: its link, its note, its buttons.
    b.tab_to("#request-2 a", 1).await;
    b.tab_to("#note-2", 1).await;
    b.tab_to("#request-2 button.decline", 2).await;
    b.press(&[Key::Enter.into()]).await;
    b.wait_for_text("#request-2 .row-message", "You declined request #2.").await;
    b.wait_for_pending_count("1 waiting").await;
    b.assert_same_document().await;
    b.assert_console_clean(&[]).await;

    // Switching user: type the first letter of a name into the list, then the button.
    b.goto("/").await;
    b.tab_to("#dev-user", 3).await;
    b.press(&keys("J")).await;
    assert_eq!(b.value("#dev-user").await, JOE);
    b.tab_to("form.switcher button", 1).await;
    b.press(&[Key::Enter.into()]).await;
    b.wait_for_text("header.site .identity", JOE).await;

    // Asking for days off: dates are typed into the date fields; the leave type and the parts
    // of the first and last day are chosen by keyboard too (a select takes the first letter of
    // an option). The demo has requests #1 to #8, so this one is #9.
    b.mark_document().await;
    b.tab_to("#start_date", 10).await;
    b.press(&keys("10022028")).await;
    b.tab_to("#end_date", 3).await;
    b.press(&keys("10062028")).await;
    b.tab_to("#leave_type", 3).await;
    b.press(&keys("U")).await;
    assert_eq!(b.value("#leave_type").await, "3", "Unpaid leave");
    b.tab_to("#start_part", 1).await;
    b.tab_to("#end_part", 1).await;
    b.press(&keys("U")).await;
    assert_eq!(b.value("#end_part").await, "morning", "until noon");
    b.wait_for_text("#request-preview", "This request: 4.5 days.").await;
    b.tab_to("#request-form button[type=submit]", 2).await;
    b.press(&[Key::Enter.into()]).await;
    let row = b.wait_for_text("#my-requests #request-9", "Pending").await;
    assert!(row.contains("Mon 2 Oct 2028 – Fri 6 Oct 2028 (morning)"), "{row}");
    assert!(row.contains("Unpaid leave · 4.5 days"), "{row}");
    assert!(b.focused().await.contains("alert-ok"), "the confirmation: {}", b.focused().await);
    b.assert_same_document().await;
    b.assert_console_clean(&[]).await;
    b.close().await;
}
