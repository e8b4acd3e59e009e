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

    // Asking for days off: dates are typed into the date fields.
    b.mark_document().await;
    b.tab_to("#start_date", 10).await;
    b.press(&keys("10042027")).await;
    b.tab_to("#end_date", 3).await;
    b.press(&keys("10082027")).await;
    b.tab_to("#request-form button[type=submit]", 4).await;
    b.press(&[Key::Enter.into()]).await;
    let row = b.wait_for_text("#my-requests #request-5", "Pending").await;
    assert!(row.contains("Mon 4 Oct 2027 – Fri 8 Oct 2027"), "{row}");
    assert!(b.focused().await.contains("alert-ok"), "the confirmation: {}", b.focused().await);
    b.assert_same_document().await;
    b.assert_console_clean(&[]).await;
    b.close().await;
}
