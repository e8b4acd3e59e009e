//! Rebuilds when the embedded migrations change, and switches on the test suites that need
//! something from outside: the Postgres tests when `TEST_DATABASE_URL` is set, the deployed
//! folder's test when `HOLIDAYS_APP_DIR` names one, the browser tests when chromedriver is
//! installed. Where they are off they are ignored with the reason, never
//! passed empty.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=migrations");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var_os("TEST_DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }

    println!("cargo::rerun-if-env-changed=HOLIDAYS_APP_DIR");
    println!("cargo::rustc-check-cfg=cfg(deploy_tests)");
    if std::env::var_os("HOLIDAYS_APP_DIR").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=deploy_tests");
    }

    println!("cargo::rerun-if-env-changed=CHROMEDRIVER");
    println!("cargo::rerun-if-changed=/usr/bin/chromedriver");
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    let chromedriver = std::env::var_os("CHROMEDRIVER").unwrap_or_else(|| "/usr/bin/chromedriver".into());
    if Path::new(&chromedriver).exists() {
        println!("cargo::rustc-cfg=browser_tests");
    }
}
