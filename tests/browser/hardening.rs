//! Enter in a decision note starts a new line and never decides: a manager writing a refusal
//! must not approve by reaching the end of a line (Approve is the form's first button, the one
//! an implicit submission would press). Deciding takes an explicit button, by keyboard too.

use crate::support::{App, Browser, MARIA, Options};
use fantoccini::key::Key;
use rocket::tokio;
use serde_json::{Value, json};
use std::time::Duration;

fn keys(text: &str) -> Vec<char> {
    text.chars().collect()
}

/// Counts, from now on, every form submission and every htmx request that would change
/// something, so that "nothing was sent" is seen rather than assumed from a quiet page. The
/// queue's own poll (a GET) is left out. Both events fire while the key is being handled, so
/// the count is settled once the key press returns.
const COUNT_SUBMISSIONS: &str = "
    window.__sent = [];
    document.addEventListener('submit', e => window.__sent.push('submit ' + (e.target.action || '')), true);
    document.addEventListener('htmx:beforeRequest', e => {
        const c = e.detail.requestConfig || {};
        if (String(c.verb).toLowerCase() !== 'get') window.__sent.push('htmx ' + c.verb + ' ' + c.path);
    }, true);
    return true;";

/// A request as the JSON API tells it to Maria, asked from the page (same origin) with the
/// header the Databricks Apps proxy would set.
async fn api_request(b: &Browser, id: i32) -> Value {
    let script = "const [url, email, done] = arguments;
        fetch(url, { headers: { 'X-Forwarded-Email': email, 'Accept': 'application/json' } })
            .then(r => r.json().then(body => done({ status: r.status, body })))
            .catch(e => done({ status: 0, body: String(e) }));";
    let answer = b
        .client
        .execute_async(script, vec![json!(format!("/api/requests/{id}")), json!(MARIA)])
        .await
        .unwrap_or_else(|e| panic!("asking the API for #{id}: {e}"));
    assert_eq!(answer["status"], 200, "GET /api/requests/{id}: {answer}");
    answer["body"].clone()
}

/// Types a note with Enter in the middle of it into `#note-{id}`, and checks that the Enter
/// added a line, sent nothing and left the page and the request as they were.
async fn enter_in_note(b: &Browser, id: i32, form: &str) {
    let note = format!("#note-{id}");
    b.mark_document().await;
    assert_eq!(b.js(COUNT_SUBMISSIONS).await, json!(true));
    b.click(&note).await;
    assert_eq!(b.js("return document.activeElement.id;").await, json!(format!("note-{id}")), "the note has the focus");
    b.press(&keys("Sorry, not that week")).await;
    b.press(&[Key::Enter.into()]).await;
    b.press(&keys("we ship the release then")).await;

    assert_eq!(b.js("return window.__sent;").await, json!([]), "Enter in {note} sent the form");
    // A decision already on its way would land within this; the page must still be unchanged.
    tokio::time::sleep(Duration::from_millis(500)).await;
    b.assert_same_document().await;
    assert_eq!(b.value(&note).await, "Sorry, not that week\nwe ship the release then", "Enter started a new line");
    assert!(b.exists(form).await, "the decision form is still offered: {form}");
    assert_eq!(
        b.js("return document.activeElement.id;").await,
        json!(format!("note-{id}")),
        "the focus stayed in the note"
    );
    let api = api_request(b, id).await;
    assert_eq!(api["status"], "Pending", "#{id} after Enter in its note: {api}");
    assert_eq!(api["manager_note"], Value::Null, "no note was saved for #{id}: {api}");
}

pub async fn enter_in_a_note_never_decides(app: App) {
    let b = app.browser(Options::default()).await;

    // In the queue, where a decision is sent by htmx and swaps the row.
    b.goto("/queue").await;
    b.wait_for_text("header.site .identity", MARIA).await;
    b.wait_for("#request-1 form.decision-form").await;
    enter_in_note(&b, 1, "#request-1 form.decision-form").await;
    assert_eq!(b.text("#request-1 .badge").await, "◷ Pending");
    assert!(!b.exists("#request-1 .row-message").await, "the row reports nothing");
    assert_eq!(b.pending_count().await, "3 waiting");

    // On the request's own page, where a decision is a plain post and redirect.
    b.goto("/requests/2").await;
    b.wait_for("form.decision-form").await;
    enter_in_note(&b, 2, "form.decision-form").await;
    assert_eq!(b.path().await, "/requests/2");
    assert!(b.text("h1 .badge").await.ends_with("Pending"), "{}", b.text("h1").await);
    assert!(!b.exists("main .alert").await, "no decision was reported: {}", b.text("main").await);

    // Deciding still works by keyboard: from the note, Tab to Decline and press Enter.
    b.goto("/queue").await;
    b.wait_for("#request-1 form.decision-form").await;
    b.mark_document().await;
    b.click("#note-1").await;
    b.press(&keys("Sorry, not that week")).await;
    b.press(&[Key::Enter.into()]).await;
    b.press(&keys("we ship the release then")).await;
    b.tab_to("#request-1 button.decline", 2).await;
    assert!(b.focused().await.contains("Decline request #1 from Joe"), "{}", b.focused().await);
    b.press(&[Key::Enter.into()]).await;
    let message = b.wait_for_text("#request-1 .row-message", "You declined request #1.").await;
    assert_eq!(message, "You declined request #1.");
    assert!(b.text("#request-1 .badge").await.ends_with("Declined"));
    assert!(!b.exists("#request-1 form.decision-form").await, "nothing left to decide");
    b.wait_for_pending_count("2 waiting").await;
    b.assert_same_document().await;
    let api = api_request(&b, 1).await;
    assert_eq!(api["status"], "Declined", "{api}");
    assert_eq!(api["decided_by"], MARIA, "{api}");
    let saved = api["manager_note"].as_str().unwrap_or_default().replace("\r\n", "\n");
    assert_eq!(saved, "Sorry, not that week\nwe ship the release then", "the note keeps its line break: {api}");
    // The request's page Enter was pressed on is still undecided.
    assert_eq!(api_request(&b, 2).await["status"], "Pending");
    b.assert_console_clean(&[]).await;
    b.close().await;
}
