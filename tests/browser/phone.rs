//! At phone width (375 px) nothing makes the page scroll sideways: only the tables scroll,
//! inside their `.table-wrap`. And no page loads anything from another host.

use crate::support::{App, Browser, JOE, Options};

/// Elements outside the viewport's width, except inside a table's scrolling box.
pub const OVERFLOW: &str = "
    const width = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > width) {
        out.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
    }
    for (const el of document.body.querySelectorAll('*')) {
        if (el.parentElement.closest('.table-wrap')) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.left < -0.5 || r.right > width + 0.5) {
            out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className +
                ' spans ' + Math.round(r.left) + '..' + Math.round(r.right));
        }
    }
    return out;";

async fn check(b: &Browser, path: &str, expect: &str) {
    b.goto(path).await;
    b.wait_for_text("main", expect).await;
    assert_eq!(b.js("return window.innerWidth;").await, 375, "a phone's width");
    assert_eq!(b.js(OVERFLOW).await, serde_json::json!([]), "sideways overflow on {path}");
    b.assert_same_origin().await;
    b.assert_console_clean(&[]).await;
}

pub async fn pages_fit_a_phone(app: App) {
    let b = app.browser(Options { width: 375, height: 812, ..Options::default() }).await;
    check(&b, "/queue", "Team queue").await;
    let wrap = b.js("const w = document.querySelector('.table-wrap'); return [w.scrollWidth > w.clientWidth, getComputedStyle(w).overflowX];").await;
    assert_eq!(wrap, serde_json::json!([true, "auto"]), "the table scrolls inside its box");
    b.screenshot("queue-phone").await;
    check(&b, "/", "My holidays").await;
    check(&b, "/queue?status=all", "Team queue").await;
    check(&b, "/requests/1", "History").await;
    b.switch_user(JOE).await;
    check(&b, "/", "My holidays").await;
    check(&b, "/requests/1", "History").await;
    b.close().await;
}
