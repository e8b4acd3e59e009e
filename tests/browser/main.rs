//! End-to-end tests in a real browser: headless Chromium driven through chromedriver, against
//! the real app on a port of its own with a fresh SQLite database and the demo data.
//!
//! They need Debian's `chromium` and `chromium-driver` (or `CHROMEDRIVER` naming a chromedriver).
//! Without them `build.rs` leaves `browser_tests` off and every test here is listed as ignored,
//! with the reason, instead of passing without having run.
//!
//! `HOLIDAYS_SCREENSHOTS=1 cargo test --test browser` also rewrites `docs/screenshots/*.png`.

mod accessibility;
mod calendar;
mod employee;
mod hardening;
mod keyboard;
mod leave;
mod manager;
mod no_javascript;
mod phone;
mod support;

/// Declares browser tests, each running `module::function` with an app of its own.
macro_rules! browser_tests {
    ($($name:ident => $body:path),* $(,)?) => {
        $(
            #[test]
            #[cfg_attr(
                not(browser_tests),
                ignore = "chromedriver is not installed: apt-get install chromium chromium-driver"
            )]
            fn $name() {
                support::run($body)
            }
        )*
    };
}

browser_tests! {
    employee_asks_for_time_off_and_is_shown_a_bad_range_beside_the_field => employee::asks_for_time_off,
    manager_decides_rows_in_place_and_a_stale_window_hears_it_was_already_decided => manager::decides_in_place,
    an_open_queue_adds_new_requests_and_keeps_a_note_being_typed => manager::new_requests_arrive_while_typing,
    every_form_posts_and_redirects_without_javascript => no_javascript::forms_post_and_redirect,
    keyboard_alone_decides_switches_user_and_asks => keyboard::keyboard_alone,
    pages_fit_a_phone_and_load_nothing_from_elsewhere => phone::pages_fit_a_phone,
    every_page_passes_an_axe_core_audit_at_desktop_and_phone_width => accessibility::every_page_passes_axe,
    enter_in_a_decision_note_adds_a_line_and_never_decides => hardening::enter_in_a_note_never_decides,
    the_request_form_counts_as_it_is_filled_in_and_the_balance_card_follows => leave::live_preview,
    calendar_months_move_by_htmx_and_back_and_forward_bring_them_back => calendar::month_navigation_with_htmx_and_back,
    calendar_keyboard_opens_a_cells_details_and_escape_closes_them => calendar::keyboard_opens_a_cells_details,
    calendar_links_and_popovers_work_without_javascript => calendar::without_javascript_links_and_popovers_work,
    calendar_scrolls_inside_its_box_on_a_phone => calendar::the_chart_scrolls_inside_its_box_on_a_phone,
}
