//! The HTML pages, with htmx (fragments) and without JavaScript (posts and redirects).

use crate::on_both_backends;
use crate::support::*;
use rocket::http::{Header, Status};

on_both_backends!(
    start_page_shows_form_and_own_requests,
    asking_without_javascript_redirects_and_flashes,
    a_bad_range_comes_back_beside_the_field_with_input_kept,
    asking_with_htmx_swaps_the_form_and_adds_the_row,
    queue_lists_pending_first_with_decision_forms,
    deciding_with_htmx_swaps_the_row_and_updates_the_count,
    deciding_an_already_decided_request_shows_who_did,
    a_refused_note_keeps_what_was_typed,
    deciding_without_javascript_redirects_back,
    queue_updates_add_only_new_rows,
    cancelling_with_htmx_swaps_the_row,
    request_page_shows_history,
    user_text_is_escaped,
    errors_in_htmx_go_to_the_message_area,
);

fn start_page_shows_form_and_own_requests(b: Backend) {
    let app = TestApp::start(b);
    let (status, html) = app.get_html("/", JOE);
    assert_eq!(status, Status::Ok);
    assert!(html.contains(r#"<label for="start_date">"#), "labelled fields");
    assert!(html.contains(r#"action="/requests""#));
    assert!(html.contains("request-1"), "Joe's demo request");
    assert!(!html.contains("request-2"), "not Suzy's");
    assert!(html.contains("Annual leave · "), "its type and days");
    assert!(html.contains("Development identity"), "the dev banner");
    assert!(!html.contains("Team queue"), "Joe manages nobody");
    // Every resource is the app's own.
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("src=\"//"), "{html}");
    let (_, maria) = app.get_html("/", MARIA);
    assert!(maria.contains("Team queue"));
    assert!(
        maria.contains(r#">3<span class="visually-hidden"> waiting</span></span>"#),
        "three pending requests from Joe, Suzy, Charlie"
    );
}

fn asking_without_javascript_redirects_and_flashes(b: Backend) {
    let app = TestApp::start(b);
    let reply = app.post_form(
        "/requests",
        JOE,
        &[("start_date", "2031-12-22"), ("end_date", "2031-12-24"), ("comment", "Xmas")],
        false,
    );
    assert_eq!(reply.status, Status::SeeOther, "{}", reply.body);
    assert_eq!(reply.headers.get("location").map(String::as_str), Some("/"));
    let (_, html) = app.get_html("/", JOE);
    assert!(html.contains("is sent: Annual leave, 3 days from 2031-12-22 to 2031-12-24"), "the flash message: {html}");
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests WHERE comment = 'Xmas'"), 1);
}

fn a_bad_range_comes_back_beside_the_field_with_input_kept(b: Backend) {
    let app = TestApp::start(b);
    for htmx in [false, true] {
        let reply = app.post_form(
            "/requests",
            JOE,
            &[("start_date", "2026-07-10"), ("end_date", "2026-07-01"), ("comment", "Kept <b>text</b>")],
            htmx,
        );
        assert_eq!(reply.status, Status::UnprocessableEntity);
        let html = &reply.body;
        assert!(html.contains(r#"<p class="field-error" id="end_date-error">⚠ The end date 2026-07-01 is before the start date 2026-07-10.</p>"#), "{html}");
        assert!(html.contains(r#"aria-invalid="true" aria-describedby="end_date-error""#), "{html}");
        assert!(html.contains(r#"value="2026-07-10""#) && html.contains(r#"value="2026-07-01""#), "input kept");
        assert!(html.contains("Kept &lt;b&gt;text&lt;/b&gt;"), "comment kept, escaped");
        assert_eq!(html.contains("<html"), !htmx, "a fragment for htmx, a page without it");
    }
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests"), DEMO_REQUESTS);
}

fn asking_with_htmx_swaps_the_form_and_adds_the_row(b: Backend) {
    let app = TestApp::start(b);
    let reply = app.post_form("/requests", SUZY, &[("start_date", "2026-06-01"), ("end_date", "2026-06-05")], true);
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let html = &reply.body;
    assert!(!html.contains("<html"));
    assert!(html.contains(r#"id="request-form""#), "a fresh form");
    assert!(html.contains(r#"value="""#), "emptied");
    assert!(
        html.contains("is sent: Annual leave, 4 days"),
        "Thursday 4 June 2026 is Corpus Christi in Bavaria: {html}"
    );
    assert!(html.contains(r##"hx-swap-oob="afterbegin:#my-requests""##));
    assert!(html.contains(r#"id="request-9""#), "the new row: {html}");
}

fn queue_lists_pending_first_with_decision_forms(b: Backend) {
    let app = TestApp::start(b);
    app.decide(2, MARIA, "Declined", Some("Busy week"));
    let (status, html) = app.get_html("/queue?status=all", MARIA);
    assert_eq!(status, Status::Ok);
    let (p3, p1, d2) =
        (html.find("request-3").unwrap(), html.find("request-1").unwrap(), html.find("request-2").unwrap());
    assert!(p3 < p1 && p1 < d2, "pending first, newest first");
    assert_eq!(html.matches("class=\"decision-form\"").count(), 2, "forms only on pending rows");
    assert!(html.contains(r#"aria-label="Approve request #1 from Joe""#));
    assert!(html.contains("Busy week"));
    assert!(!html.contains("request-4"), "Dana is Lee's");

    let (_, pending) = app.get_html("/queue", MARIA);
    assert!(!pending.contains("request-2"), "the default filter is pending");
    assert!(pending.contains(r#"aria-current="page">Pending"#));
    assert!(pending.contains(r#"id="queue-poller""#));

    let (_, admin) = app.get_html("/queue", ADMIN);
    assert!(admin.contains("request-4") && admin.contains("request-1"), "admins see all");

    let (status, html) = app.get_html("/queue?status=Someday", MARIA);
    assert_eq!(status, Status::BadRequest);
    assert!(html.contains("is not a status"));
}

fn deciding_with_htmx_swaps_the_row_and_updates_the_count(b: Backend) {
    let app = TestApp::start(b);
    let reply = app.post_form("/requests/1/decision", MARIA, &[("decision", "Approved"), ("note", "Have fun")], true);
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let html = &reply.body;
    assert!(html.starts_with(r#"<tr class="request-row just-changed" id="request-1">"#), "{html}");
    assert!(html.contains("You approved request #1."));
    assert!(html.contains("Have fun"));
    assert!(!html.contains("decision-form"));
    assert!(
        html.contains(r#"<span class="count" id="pending-count" hx-swap-oob="true">2<span class="visually-hidden"> waiting</span></span>"#),
        "{html}"
    );

    let reply = app.post_form("/requests/2/decision", MARIA, &[("decision", "Declined")], true);
    assert!(reply.body.contains("You declined request #2."));
    assert!(reply.body.contains(r#">1<span class="visually-hidden"> waiting</span></span>"#));
}

fn deciding_an_already_decided_request_shows_who_did(b: Backend) {
    let app = TestApp::start(b);
    // Two tabs: the admin decides first, then Maria's page, still showing the form, submits.
    app.decide(3, ADMIN, "Declined", None);
    let reply = app.post_form("/requests/3/decision", MARIA, &[("decision", "Approved")], true);
    assert_eq!(reply.status, Status::Conflict);
    assert!(reply.body.contains("Request #3 was already declined by admin@example.com on"), "{}", reply.body);
    assert!(reply.body.contains(r#"id="request-3""#), "the row as it now is");
    assert!(!reply.body.contains("decision-form"));

    let reply = app.post_form("/requests/3/decision", MARIA, &[("decision", "Approved"), ("back", "queue")], false);
    assert_eq!(reply.status, Status::Conflict);
    assert!(reply.body.contains("already declined by admin@example.com"));
    assert!(reply.body.contains("<html"));
}

fn a_refused_note_keeps_what_was_typed(b: Backend) {
    let app = TestApp::start(b);
    let note = format!("{}!", "a".repeat(1000));
    let reply = app.post_form("/requests/1/decision", MARIA, &[("decision", "Approved"), ("note", &note)], true);
    assert_eq!(reply.status, Status::UnprocessableEntity);
    assert!(reply.body.contains("at most 1000 are allowed"), "{}", reply.body);
    assert!(
        reply.body.contains(&format!(r#"placeholder="Add a comment (optional)…">{note}</textarea>"#)),
        "the note is still there to shorten"
    );
    assert!(reply.body.contains("decision-form"), "still decidable");
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests WHERE status = 'Pending'"), DEMO_PENDING);
}

fn deciding_without_javascript_redirects_back(b: Backend) {
    let app = TestApp::start(b);
    let reply = app.post_form("/requests/1/decision", MARIA, &[("decision", "Declined"), ("back", "queue")], false);
    assert_eq!(reply.status, Status::SeeOther);
    assert_eq!(reply.headers.get("location").map(String::as_str), Some("/queue"));
    let (_, html) = app.get_html("/queue?status=Declined", MARIA);
    assert!(html.contains("You declined request #1."), "flash");
    assert!(html.contains("request-1"));

    let reply = app.post_form("/requests/2/decision", MARIA, &[("decision", "Approved"), ("back", "details")], false);
    assert_eq!(reply.headers.get("location").map(String::as_str), Some("/requests/2"));
    let reply = app.post_form(
        "/requests/3/decision",
        MARIA,
        &[("decision", "Approved"), ("back", "https://evil.example")],
        false,
    );
    assert_eq!(reply.headers.get("location").map(String::as_str), Some("/queue"), "never an open redirect");
}

fn queue_updates_add_only_new_rows(b: Backend) {
    let app = TestApp::start(b);
    let (_, html) = app.get_html("/queue", MARIA);
    // Dana's #4 is the newest request, but not Maria's to see: the poller starts after her own
    // newest, #3, and gives nothing away about ids beyond it.
    assert!(html.contains(r#"hx-get="/queue/updates?after=3""#), "{html}");
    let quiet = app
        .client
        .get("/queue/updates?after=4")
        .header(identity(MARIA))
        .header(Header::new("HX-Request", "true"))
        .dispatch();
    assert_eq!(quiet.status(), Status::NoContent, "nothing new, nothing swapped");

    let new_id = app.ask(SUZY, "2033-01-03", "2033-01-04");
    app.ask(DANA, "2033-01-03", "2033-01-04"); // not Maria's
    let res = app
        .client
        .get("/queue/updates?after=3&status=Pending")
        .header(identity(MARIA))
        .header(Header::new("HX-Request", "true"))
        .dispatch();
    assert_eq!(res.status(), Status::Ok);
    let html = res.into_string().unwrap();
    assert!(html.contains(&format!(r#"id="request-{new_id}""#)));
    assert!(!html.contains(r#"id="request-1""#), "existing rows (and notes typed in them) are left alone");
    assert!(!html.contains("request-6"), "Dana's is Lee's");
    assert!(html.contains(&format!("/queue/updates?after={new_id}")), "the poller moves on");
    assert!(html.contains(r#">4<span class="visually-hidden"> waiting</span></span>"#));
}

fn cancelling_with_htmx_swaps_the_row(b: Backend) {
    let app = TestApp::start(b);
    let id = app.ask(JOE, "2034-04-03", "2034-04-04");
    let (_, html) = app.get_html("/", JOE);
    assert!(html.contains(&format!("Cancel request #{id}")));
    assert!(html.contains("Cancel request #1</button>"), "a pending request can be cancelled whatever its dates");
    let reply = app.post_form(&format!("/requests/{id}/cancel"), JOE, &[("back", "home")], true);
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert!(reply.body.contains(&format!("Request #{id} is cancelled.")));
    assert!(reply.body.contains("badge-cancelled"));
    assert!(!reply.body.contains("Cancel request"));

    let reply = app.post_form(&format!("/requests/{id}/cancel"), JOE, &[], true);
    assert_eq!(reply.status, Status::Conflict);
    assert!(reply.body.contains("already cancelled"));
}

fn request_page_shows_history(b: Backend) {
    let app = TestApp::start(b);
    let id = app.ask(JOE, "2035-05-07", "2035-05-08");
    app.decide(id, MARIA, "Approved", Some("OK by me"));
    let (status, html) = app.get_html(&format!("/requests/{id}"), JOE);
    assert_eq!(status, Status::Ok);
    assert!(html.contains("<ol class=\"history\">"));
    let submitted = html.find("Submitted by joe@example.com").unwrap();
    let approved = html.find("Approved by manager@example.com: “OK by me”").unwrap();
    assert!(submitted < approved, "oldest first");
    let (status, html) = app.get_html(&format!("/requests/{id}"), SUZY);
    assert_eq!(status, Status::NotFound);
    assert!(html.contains("or you may not see it"));
}

fn user_text_is_escaped(b: Backend) {
    let app = TestApp::start(b);
    let hostile = r#"<script>alert("x")</script>' OR 1=1 --"#;
    let (status, _) = app.post_json(
        "/api/requests",
        JOE,
        serde_json::json!({"start_date": "2036-01-01", "end_date": "2036-01-02", "comment": hostile}),
    );
    assert_eq!(status, Status::Created);
    let (_, html) = app.get_html("/queue", MARIA);
    assert!(!html.contains("<script>alert"), "escaped");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' OR 1=1 --"), "{html}");
}

fn errors_in_htmx_go_to_the_message_area(b: Backend) {
    let app = TestApp::start(b);
    let reply = app.post_form("/requests/1/decision", LEE, &[("decision", "Approved")], true);
    assert_eq!(reply.status, Status::NotFound);
    assert_eq!(reply.headers.get("hx-retarget").map(String::as_str), Some("#flash"), "the row and its note stay");
    assert!(reply.body.contains(r#"class="alert alert-error""#));
    let reply = app.post_form("/requests/4/decision", LEE, &[("decision", "Approved"), ("note", "Fine")], false);
    assert_eq!(reply.status, Status::SeeOther);
    let reply = app.post_form("/requests/99/cancel", JOE, &[], false);
    assert_eq!(reply.status, Status::NotFound);
    assert!(reply.body.contains("There is no request #99"));
}
