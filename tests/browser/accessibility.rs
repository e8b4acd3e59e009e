//! Every page passes an axe-core audit with no violation, at desktop and at phone width, with
//! the development banner on it: each page as each kind of person sees it, an error page, a form
//! showing a mistake, and a queue row changed in place by htmx.

use crate::support::{ADMIN, App, JOE, MARIA, Options};

pub async fn every_page_passes_axe(app: App) {
    let b = app.browser(Options::default()).await;

    // Maria, the development default, manages Joe, Suzy and Charlie.
    b.goto("/").await;
    b.wait_for_text("header.site .identity", MARIA).await;
    assert!(b.exists(".dev-banner form.switcher select#dev-user").await, "the banner is part of the audit");
    b.wait_for_text("main", "My holidays").await;
    b.assert_accessible("the start page, as a manager").await;

    b.goto("/queue").await;
    b.wait_for("#request-1 form.decision-form").await;
    b.assert_accessible("the queue").await;

    // The team calendar on a month with leave on it, then with a leave cell's details open.
    b.goto("/calendar").await;
    crate::calendar::to_month_with_leave(&b).await;
    b.assert_accessible("the team calendar, as a manager").await;
    let popover = b.attr("button.cell-button", "popovertarget").await.expect("the cell names its popover");
    b.click("button.cell-button").await;
    assert!(crate::calendar::popover_open(&b, &popover).await, "#{popover} is open");
    b.assert_accessible("the team calendar with a leave cell's details open").await;

    // The coverage rules, with the form a manager adds one with, then with a refused rule.
    b.goto("/coverage").await;
    b.wait_for("form.rule-form").await;
    b.assert_accessible("the coverage rules with the form to add one").await;
    b.click("form.rule-form button[type=submit]").await;
    b.wait_for("form.rule-form .alert-error").await;
    b.assert_accessible("the coverage rules with a refused rule").await;

    b.goto("/queue?status=all").await;
    b.wait_for_text("main", "Team queue").await;
    b.assert_accessible("the queue with every status").await;

    b.goto("/requests/1").await;
    b.wait_for("form.decision-form").await;
    b.assert_accessible("a request's page, for the manager who decides it").await;

    b.goto("/requests/999").await;
    b.wait_for_text("main", "There is no request #999").await;
    b.assert_accessible("the page for a request that does not exist").await;

    // A decision made in place: the row now carries its message, which has the focus.
    b.goto("/queue").await;
    b.mark_document().await;
    b.type_into("#note-1", "Have a good break").await;
    b.click("#request-1 button.approve").await;
    b.wait_for_text("#request-1 .row-message", "You approved request #1.").await;
    b.wait_for_pending_count("2 waiting").await;
    b.assert_same_document().await;
    b.assert_accessible("the queue after a decision made in place").await;

    // The admins' page, with a person and a location's holidays shown, and with a refused form.
    b.switch_user(ADMIN).await;
    b.goto("/admin?email=joe@example.com&location=GB-ENG&year=2027").await;
    b.wait_for_text("main", "Leave types").await;
    assert!(b.exists("form#person").await && b.exists("form#adjustment").await, "a person is shown");
    b.assert_accessible("the admins' page").await;
    b.type_into("#type-new-name", "Jury service").await;
    b.type_into("#type-new-colour", "teal").await;
    b.click("#type-new button[type=submit]").await;
    b.wait_for_text("main .alert-error", "#rrggbb").await;
    b.assert_accessible("the admins' page with a refused form").await;
    b.goto("/calendar?team=everyone").await;
    b.wait_for_text("#calendar-title", "Everyone, page 1").await;
    crate::calendar::to_month_with_leave(&b).await;
    b.assert_accessible("the calendar of everyone, as an admin").await;
    b.goto("/public-holidays").await;
    b.wait_for_text("main", "Public holidays").await;
    b.assert_accessible("the public holidays page").await;
    // The outbox: without channels the demo's notifications are recorded, unsent.
    b.goto("/admin/notifications?state=unsent").await;
    b.wait_for("main table").await;
    b.assert_accessible("the admins' notifications page").await;

    // Joe, who decides nothing.
    b.switch_user(JOE).await;
    b.wait_for("#my-requests #request-1").await;
    b.assert_accessible("the start page, as an employee").await;

    b.goto("/requests/1").await;
    b.wait_for_text("main", "History").await;
    assert!(!b.exists("form.decision-form").await, "Joe cannot decide his own request");
    b.assert_accessible("a request's page, for its employee").await;

    b.goto("/me/notifications").await;
    b.wait_for_text("main", "Your notifications").await;
    b.assert_accessible("the notification choices").await;

    // The end before the start: the message shows beside the end date.
    b.goto("/").await;
    b.mark_document().await;
    b.type_into("#start_date", "07102028").await;
    b.type_into("#end_date", "07032028").await;
    b.click("#request-form button[type=submit]").await;
    b.wait_for_text("#end_date-error", "is before the start date").await;
    b.assert_same_document().await;
    b.assert_accessible("the start page with a field error").await;

    // Injecting and running axe broke nothing the page's own policy would refuse.
    b.assert_console_clean(&["status of 404", "status of 422"]).await;
    b.close().await;
}
