//! Starts the real app on a free port with a fresh SQLite database and the demo data, and a
//! chromedriver of the test's own driving headless Chromium; stops both when the test ends,
//! panicking or not.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use rocket::fairing::AdHoc;
use rocket::tokio;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::future::Future;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The longest any one wait for the page may take.
pub const WAIT: Duration = Duration::from_secs(10);
/// The longest a whole test may take.
const TEST_TIMEOUT: Duration = Duration::from_secs(90);

/// axe-core, vendored (see `vendor/VENDORED.md`): injected into a page only to audit it.
const AXE: &str = include_str!("vendor/axe.min.js");

/// The widths every page is audited at: a desktop window and a phone.
pub const DESKTOP: (u32, u32) = (1280, 900);
pub const PHONE: (u32, u32) = (375, 812);

/// Runs axe on the page and answers its violations, each cut down to what a reader of a
/// failing test needs, or `{"error": ...}` if axe could not run.
const AXE_RUN: &str = "
    const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ['violations'] })
        .then(r => done(r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
        }))))
        .catch(e => done({ error: String(e && e.stack || e) }));";

pub const JOE: &str = "joe@example.com";
pub const SUZY: &str = "suzy@example.com";
pub const DANA: &str = "dana@example.com";
pub const MARIA: &str = "manager@example.com";
pub const ADMIN: &str = "admin@example.com";

/// Runs one browser test in a runtime of its own, against an app of its own.
pub fn run<F, Fut>(test: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime");
    runtime.block_on(async {
        let app = App::start().await;
        let shutdown = app.shutdown.clone();
        let outcome = tokio::time::timeout(TEST_TIMEOUT, test(app)).await;
        shutdown.notify();
        outcome.unwrap_or_else(|_| panic!("the test took longer than {TEST_TIMEOUT:?}"));
    });
}

/// A folder of the test's own, removed when it is dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let dir = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The app under test, and the chromedriver that opens browsers on it.
pub struct App {
    pub base: String,
    port: u16,
    shutdown: rocket::Shutdown,
    driver: Driver,
    _data: TempDir,
}

impl App {
    async fn start() -> App {
        let data = TempDir::new("holidays_browser_db");
        let vars: HashMap<&str, String> = HashMap::from([
            ("DATABASE_URL", format!("sqlite://{}", data.0.join("db.sqlite3").display())),
            ("HOLIDAYS_DEMO", "1".into()),
            ("HOLIDAYS_ADMINS", ADMIN.into()),
            ("HOLIDAYS_AUTH", "dev".into()),
            // The tests type fixed dates; a wide window keeps them inside it in later years.
            ("HOLIDAYS_YEARS_AHEAD", "100".into()),
            ("HOLIDAYS_YEARS_BACK", "100".into()),
        ]);
        let settings =
            holidays::config::Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid");
        let rocket = holidays::build(settings).expect("the app starts");
        // Port 0: the system picks a free port, which liftoff reports.
        let figment = rocket
            .figment()
            .clone()
            .merge(("port", 0))
            .merge(("log_level", "off"))
            .merge(("shutdown.ctrlc", false))
            .merge(("shutdown.grace", 0))
            .merge(("shutdown.mercy", 0));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let rocket = rocket.configure(figment).attach(AdHoc::on_liftoff("report the port", move |r| {
            let port = r.config().port;
            Box::pin(async move {
                let _ = tx.send(port);
            })
        }));
        let rocket = rocket.ignite().await.expect("the app ignites");
        let shutdown = rocket.shutdown();
        tokio::spawn(rocket.launch());
        let driver = Driver::start();
        let port = tokio::time::timeout(WAIT, rx).await.expect("the app listens in time").expect("liftoff");
        App { base: format!("http://127.0.0.1:{port}"), port, shutdown, driver, _data: data }
    }

    /// A GET from the app's JSON API as `email` (the header the Databricks Apps proxy sets),
    /// outside any browser: what the app itself says, to check a page against. Fails unless
    /// the answer is 200.
    pub async fn api_get(&self, email: &str, path: &str) -> Value {
        let (port, email, path) = (self.port, email.to_owned(), path.to_owned());
        tokio::task::spawn_blocking(move || {
            let (status, body) = http(port, "GET", &path, &[("X-Forwarded-Email", &email)], None)
                .unwrap_or_else(|e| panic!("GET {path}: {e}"));
            assert_eq!(status, 200, "GET {path} as {email}: {body}");
            body
        })
        .await
        .expect("the API call ran")
    }

    /// Someone's Annual leave balance for a leave year, as the API tells it to them.
    pub async fn annual_leave(&self, email: &str, year: i32) -> Balance {
        let answer = self.api_get(email, &format!("/api/balances?email={email}&year={year}")).await;
        let entry = answer["balances"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|b| b["leave_type"] == "Annual leave")
            .unwrap_or_else(|| panic!("no Annual leave balance for {email} in {year}: {answer}"));
        let days = |field: &str| entry[field].as_f64().unwrap_or_else(|| panic!("{field} in {entry}"));
        Balance {
            allowance: days("allowance"),
            carried_over: days("carried_over"),
            adjustments: days("adjustments"),
            taken: days("taken"),
            pending: days("pending"),
            available: days("available"),
        }
    }

    /// A new browser session (its own profile, so its own cookies).
    pub async fn browser(&self, options: Options) -> Browser {
        let profile = TempDir::new("holidays_browser_profile");
        let profile_dir = profile.0.clone();
        // Removed once chromedriver and its browsers are gone, not while one is still writing.
        self.driver.profiles.lock().expect("profiles").push(profile);
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--no-default-browser-check".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-extensions".into(),
            "--hide-scrollbars".into(),
            "--force-device-scale-factor=1".into(),
            "--lang=en-US".into(),
            format!("--user-data-dir={}", profile_dir.display()),
        ];
        let mut prefs = json!({ "intl.accept_languages": "en-US" });
        if !options.javascript {
            args.push("--blink-settings=scriptEnabled=false".into());
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let mut chrome = json!({ "args": args, "prefs": prefs });
        if let Some(binary) = chromium() {
            chrome["binary"] = json!(binary);
        }
        let mut caps = Capabilities::new();
        caps.insert("goog:chromeOptions".into(), chrome);
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        caps.insert("pageLoadStrategy".into(), json!("normal"));
        caps.insert("timeouts".into(), json!({ "pageLoad": 15_000, "script": 10_000, "implicit": 0 }));
        let client = tokio::time::timeout(
            Duration::from_secs(30),
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps)
                .connect(&self.driver.url()),
        )
        .await
        .expect("chromium starts in time")
        .expect("a chromedriver session");
        // Headless Chromium keeps a minimum width for --window-size; this one is exact.
        client.set_window_size(options.width, options.height).await.expect("the window size");
        let session = client.session_id().await.expect("session id").expect("a session");
        Browser { client, base: self.base.clone(), driver_port: self.driver.port, session }
    }
}

/// A balance as `GET /api/balances` gives it, in days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Balance {
    pub allowance: f64,
    pub carried_over: f64,
    pub adjustments: f64,
    pub taken: f64,
    pub pending: f64,
    pub available: f64,
}

impl Balance {
    /// What "N of TOTAL" counts out of: the allowance, carried days and adjustments.
    pub fn total(&self) -> f64 {
        self.allowance + self.carried_over + self.adjustments
    }

    /// What a request that starts after the carried days expire has to draw on: none of them
    /// (the years these tests book have no leave early enough to have used them).
    pub fn available_after_expiry(&self) -> f64 {
        self.available - self.carried_over
    }

    pub fn total_after_expiry(&self) -> f64 {
        self.allowance + self.adjustments
    }
}

/// Days as the pages write them: "26.5", "30".
pub fn days(d: f64) -> String {
    let halves = (d * 2.0).round() as i64;
    let sign = if halves < 0 { "-" } else { "" };
    let abs = halves.unsigned_abs();
    if abs.is_multiple_of(2) { format!("{sign}{}", abs / 2) } else { format!("{sign}{}.5", abs / 2) }
}

/// How a browser is opened.
#[derive(Clone, Copy)]
pub struct Options {
    pub javascript: bool,
    pub width: u32,
    pub height: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { javascript: true, width: 1280, height: 900 }
    }
}

fn chromedriver() -> PathBuf {
    std::env::var_os("CHROMEDRIVER").filter(|v| !v.is_empty()).unwrap_or_else(|| "/usr/bin/chromedriver".into()).into()
}

/// The browser chromedriver starts: `CHROMIUM`, else Debian's, else chromedriver's own search.
fn chromium() -> Option<String> {
    std::env::var("CHROMIUM")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| Path::new("/usr/bin/chromium").exists().then(|| "/usr/bin/chromium".to_owned()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// A chromedriver process of the test's own. Dropping it quits every browser it opened (its
/// `/shutdown` endpoint), then kills it, so nothing outlives a failing test, and then removes
/// the browsers' profiles.
struct Driver {
    child: Child,
    port: u16,
    profiles: Mutex<Vec<TempDir>>,
}

impl Driver {
    fn start() -> Driver {
        let path = chromedriver();
        let port = free_port();
        let child = Command::new(&path)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
        let driver = Driver { child, port, profiles: Mutex::new(Vec::new()) };
        let deadline = Instant::now() + WAIT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} in time");
            std::thread::sleep(Duration::from_millis(20));
        }
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = http(self.port, "GET", "/shutdown", &[], None);
        let deadline = Instant::now() + Duration::from_secs(5);
        while !matches!(self.child.try_wait(), Ok(Some(_))) {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Ok(profiles) = self.profiles.get_mut() {
            profiles.clear();
        }
    }
}

/// A small HTTP/1.1 exchange on localhost: with chromedriver, for what the WebDriver client
/// does not offer (the browser's console log, shutting down), and with the app's JSON API.
/// Answers the status code and the body read as JSON (`Null` if it is not).
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(WAIT))?;
    stream.set_write_timeout(Some(WAIT))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    // Read the head, then as many bytes as it announces (or up to the end).
    let mut answer = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf)?;
        answer.extend_from_slice(&buf[..n]);
        let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
            if n == 0 {
                return Ok((0, Value::Null));
            }
            continue;
        };
        let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0);
        let length =
            head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
        let body = &answer[end + 4..];
        if n == 0 || length.is_some_and(|len| body.len() >= len) {
            return Ok((status, serde_json::from_slice(body).unwrap_or(Value::Null)));
        }
    }
}

/// One browser session, with the steps the tests take in it.
pub struct Browser {
    pub client: Client,
    pub base: String,
    driver_port: u16,
    session: String,
}

fn css(selector: &str) -> Locator<'_> {
    Locator::Css(selector)
}

impl Browser {
    pub async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits for an element to be in the page.
    pub async fn wait_for(&self, selector: &str) -> Element {
        match self.client.wait().at_most(WAIT).every(Duration::from_millis(50)).for_element(css(selector)).await {
            Ok(element) => element,
            Err(e) => panic!("waiting for {selector} on {}: {e}", self.path().await),
        }
    }

    pub async fn find(&self, selector: &str) -> Element {
        self.client.find(css(selector)).await.unwrap_or_else(|e| panic!("finding {selector}: {e}"))
    }

    pub async fn exists(&self, selector: &str) -> bool {
        match self.client.find(css(selector)).await {
            Ok(_) => true,
            Err(e) if e.is_no_such_element() => false,
            Err(e) => panic!("looking for {selector}: {e}"),
        }
    }

    pub async fn text(&self, selector: &str) -> String {
        self.find(selector).await.text().await.unwrap_or_else(|e| panic!("text of {selector}: {e}"))
    }

    /// Waits until an element's text contains `needle`, and returns the text.
    pub async fn wait_for_text(&self, selector: &str, needle: &str) -> String {
        self.wait_for_text_up_to(selector, needle, WAIT).await
    }

    pub async fn wait_for_text_up_to(&self, selector: &str, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let text = match self.client.find(css(selector)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(Instant::now() < deadline, "waited for {selector} to say {needle:?}; it says {text:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What a form field holds now.
    pub async fn value(&self, selector: &str) -> String {
        self.find(selector)
            .await
            .prop("value")
            .await
            .unwrap_or_else(|e| panic!("value of {selector}: {e}"))
            .unwrap_or_default()
    }

    pub async fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.find(selector).await.attr(name).await.unwrap_or_else(|e| panic!("{name} of {selector}: {e}"))
    }

    /// The pending count in the navigation, as a screen reader reads it ("3 waiting").
    pub async fn pending_count(&self) -> String {
        let text = self.js("return document.getElementById('pending-count').textContent;").await;
        text.as_str().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub async fn wait_for_pending_count(&self, expected: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.pending_count().await;
            if now == expected {
                return;
            }
            assert!(Instant::now() < deadline, "waited for the pending count to say {expected:?}; it says {now:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, selector: &str) {
        self.find(selector).await.click().await.unwrap_or_else(|e| panic!("clicking {selector}: {e}"));
    }

    pub async fn type_into(&self, selector: &str, text: &str) {
        let input = self.find(selector).await;
        input.clear().await.unwrap_or_else(|e| panic!("clearing {selector}: {e}"));
        input.send_keys(text).await.unwrap_or_else(|e| panic!("typing into {selector}: {e}"));
    }

    /// Runs a script in the page. It runs even where the page's own scripts are off: chromedriver
    /// evaluates it through the DevTools protocol.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, Vec::new()).await.unwrap_or_else(|e| panic!("script {script}: {e}"))
    }

    /// Marks the current document; the mark survives only while no page is loaded.
    pub async fn mark_document(&self) {
        self.js("window.__marker = 'still the same page'; return true;").await;
    }

    pub async fn assert_same_document(&self) {
        let marker = self.js("return window.__marker || null;").await;
        assert_eq!(marker, json!("still the same page"), "a page load happened on {}", self.path().await);
    }

    /// A page was loaded since `mark_document`: what a plain form post and redirect do.
    pub async fn assert_new_document(&self) {
        let marker = self.js("return window.__marker || null;").await;
        assert_eq!(marker, Value::Null, "no page load happened on {}", self.path().await);
    }

    /// Audits the page as it is now with axe-core at desktop and at phone width, and fails on
    /// any violation, listing each rule with the elements that break it. The window gets its
    /// size back afterwards; the page is not reloaded, so what htmx changed in it is audited.
    pub async fn assert_accessible(&self, what: &str) {
        let before = self.client.get_window_size().await.expect("the window size");
        let mut report = Vec::new();
        for (width, height) in [DESKTOP, PHONE] {
            self.client.set_window_size(width, height).await.expect("resizing the window");
            assert_eq!(self.js("return window.innerWidth;").await, json!(width), "the window is {width} px wide");
            for line in self.axe_violations().await {
                report.push(format!("at {width} px: {line}"));
            }
        }
        self.client.set_window_size(before.0 as u32, before.1 as u32).await.expect("the window size back");
        assert!(
            report.is_empty(),
            "axe-core finds violations on {what} ({}):\n{}",
            self.path().await,
            report.join("\n")
        );
    }

    /// axe-core's violations on the page as it is now, one line per rule.
    async fn axe_violations(&self) -> Vec<String> {
        // A page load drops what an earlier audit injected.
        if self.js("return typeof window.axe === 'object';").await != json!(true) {
            self.client.execute(AXE, Vec::new()).await.unwrap_or_else(|e| panic!("injecting axe-core: {e}"));
        }
        // A row changed in place fades from yellow over 2.5 s; audit the colours it settles on,
        // not whichever frame of the fade the audit happens to catch.
        self.js("document.getAnimations().forEach(a => a.finish()); return true;").await;
        let result =
            self.client.execute_async(AXE_RUN, Vec::new()).await.unwrap_or_else(|e| panic!("running axe-core: {e}"));
        let violations = match result {
            Value::Array(violations) => violations,
            other => panic!("axe-core did not run on {}: {other}", self.path().await),
        };
        violations
            .iter()
            .map(|v| {
                let nodes: Vec<String> = v["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| {
                        format!(
                            "\n    {} {}\n      {}",
                            n["target"],
                            n["html"],
                            n["summary"].as_str().unwrap_or_default().replace('\n', "\n      ")
                        )
                    })
                    .collect();
                format!(
                    "{} ({}): {} <{}>{}",
                    v["id"].as_str().unwrap_or("?"),
                    v["impact"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("?"),
                    v["helpUrl"].as_str().unwrap_or(""),
                    nodes.concat()
                )
            })
            .collect()
    }

    /// Picks who we are with the development banner, as a person would.
    pub async fn switch_user(&self, email: &str) {
        let select = self.wait_for("form.switcher select#dev-user").await;
        select.select_by_value(email).await.unwrap_or_else(|e| panic!("choosing {email}: {e}"));
        let button = self
            .client
            .find(Locator::XPath("//form[contains(@class,'switcher')]//button[normalize-space()='Switch user']"))
            .await
            .expect("the Switch user button");
        button.click().await.expect("switching user");
        self.wait_for_text("header.site .identity", email).await;
    }

    /// Presses keys one after another on whatever has the focus.
    pub async fn press(&self, keys: &[char]) {
        let mut actions = KeyActions::new("keyboard".into());
        for &key in keys {
            actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        }
        self.client.perform_actions(actions).await.expect("key presses");
        self.client.release_actions().await.expect("release keys");
    }

    /// A short description of the element with the focus.
    pub async fn focused(&self) -> String {
        let script = "const el = document.activeElement; if (!el) return '';
            return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
              (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '') +
              ' ' + (el.getAttribute('aria-label') || el.textContent || '').trim();";
        self.js(script).await.as_str().unwrap_or_default().to_owned()
    }

    /// Presses Tab until `selector` has the focus, at most `limit` times, and returns how many.
    pub async fn tab_to(&self, selector: &str, limit: usize) -> usize {
        let check = format!("return document.activeElement === document.querySelector({});", json!(selector));
        for n in 1..=limit {
            self.press(&[fantoccini::key::Key::Tab.into()]).await;
            if self.js(&check).await == json!(true) {
                return n;
            }
        }
        panic!("{selector} did not get the focus in {limit} presses of Tab; the focus is on {}", self.focused().await);
    }

    /// Every resource the page loaded came from the app itself.
    pub async fn assert_same_origin(&self) {
        let foreign = self
            .js("return performance.getEntriesByType('resource').map(e => e.name)
                .concat([location.href]).filter(u => new URL(u).origin !== location.origin);")
            .await;
        assert_eq!(foreign, json!([]), "resources from another host on {}", self.path().await);
    }

    /// Takes what the browser logged to its console since the last call, and fails on any
    /// error except those whose message contains one of `expected` (e.g. the status line of a
    /// refusal the test provoked on purpose).
    pub async fn assert_console_clean(&self, expected: &[&str]) {
        let log = http(
            self.driver_port,
            "POST",
            &format!("/session/{}/se/log", self.session),
            &[],
            Some(&json!({"type": "browser"})),
        )
        .expect("the browser log")
        .1;
        let entries = log["value"].as_array().cloned().unwrap_or_else(|| panic!("no browser log: {log}"));
        let errors: Vec<String> = entries
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .filter(|m| !expected.iter().any(|x| m.contains(x)))
            .collect();
        assert!(errors.is_empty(), "the browser console has errors: {errors:#?}");
    }

    /// Saves a screenshot of the window as `docs/screenshots/NAME.png`, only when
    /// `HOLIDAYS_SCREENSHOTS=1` (so a test run never rewrites the committed pictures).
    pub async fn screenshot(&self, name: &str) {
        if std::env::var("HOLIDAYS_SCREENSHOTS").ok().as_deref() != Some("1") {
            return;
        }
        // The whole page, not just the window, with the highlight of a changed row finished.
        let size = self.client.get_window_size().await.expect("the window size");
        let heights = self
            .js("document.getAnimations().forEach(a => a.finish());
                 return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight];")
            .await;
        let (page, frame) = (heights[0].as_u64().unwrap_or(0), heights[1].as_u64().unwrap_or(0));
        let full = u32::try_from(page + frame).unwrap_or(u32::MAX).max(size.1 as u32);
        self.client.set_window_size(size.0 as u32, full).await.expect("a taller window");
        let png = self.client.screenshot().await.expect("a screenshot");
        self.client.set_window_size(size.0 as u32, size.1 as u32).await.expect("the window size back");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
        std::fs::create_dir_all(&dir).expect("docs/screenshots");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("saving the screenshot");
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
