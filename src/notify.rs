//! Delivers the outbox: a thread of the app's own that claims due notifications, sends each to
//! its channel (an incoming webhook in the format Slack and Microsoft Teams accept, or email over
//! SMTP), and records what happened. A receiver that is down, or answers 5xx or 429, is tried
//! again later (doubling delays with jitter, never before its Retry-After) until the
//! notification's give-up time; one that refuses it (another 4xx, a permanent SMTP error) marks
//! it dead at once. Admins see and retry dead ones.
//!
//! Delivery is at least once: a worker that dies after sending and before recording leaves a
//! claim that expires, and the row is sent again with the same `Idempotency-Key` (webhook) or
//! Message-ID (email), by which receivers drop the copy. Secrets never reach a log: the webhook's
//! URL (its path holds the token) is left out of every error, and the SMTP password is only
//! ever handed to the transport.

use crate::config::{NotifySettings, Settings, SmtpSecurity, SmtpTarget};
use crate::db::Db;
use crate::domain::notify::retry_delay;
use crate::models::notification::{self as outbox, Channel, Notification};
use chrono::{NaiveDateTime, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a claim lasts: three times the longest delivery (each has a 10 s timeout), and no
/// longer, since a worker that dies leaves its row waiting this long.
const LEASE: Duration = Duration::from_secs(30);
/// Rows claimed at once: one, so a claim never waits behind another row's delivery and a
/// worker that dies holds a single row.
const BATCH: i32 = 1;
/// How often the worker looks for due rows when nobody wakes it.
const POLL: Duration = Duration::from_millis(500);
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Wakes the worker after a commit that wrote notifications, so delivery starts at once rather
/// than at the next poll.
#[derive(Clone, Default)]
pub struct Wake(Arc<(Mutex<bool>, Condvar)>);

impl Wake {
    pub fn poke(&self) {
        let (flag, signal) = &*self.0;
        if let Ok(mut woken) = flag.lock() {
            *woken = true;
            signal.notify_all();
        }
    }

    fn wait(&self, timeout: Duration) {
        let (flag, signal) = &*self.0;
        let Ok(woken) = flag.lock() else { return };
        let Ok((mut woken, _)) = signal.wait_timeout_while(woken, timeout, |w| !*w) else { return };
        *woken = false;
    }
}

/// The running worker: stopped (finishing the row in hand, giving back the rest) on shutdown.
pub struct Worker {
    stop: Arc<AtomicBool>,
    wake: Wake,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Worker {
    pub fn start(db: Db, settings: &Settings, wake: Wake) -> Result<Worker, String> {
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, thread_wake, settings) = (stop.clone(), wake.clone(), settings.clone());
        // The channels are made on the worker's own thread: reqwest's blocking client runs a
        // runtime of its own, which must not be made or dropped inside Rocket's.
        let thread = std::thread::Builder::new()
            .name("holidays-notify".into())
            .spawn(move || match Channels::new(&settings.notify) {
                Ok(channels) => run(&db, &settings, &channels, &flag, &thread_wake),
                Err(e) => rocket::error!("notifications cannot be sent: {e}"),
            })
            .map_err(|e| format!("cannot start the notification worker: {e}"))?;
        Ok(Worker { stop, wake, thread: Mutex::new(Some(thread)) })
    }

    /// Asks the worker to stop and waits for it (at most the send timeout and a little more).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.wake.poke();
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread
            && thread.join().is_err()
        {
            rocket::error!("the notification worker panicked");
        }
    }
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn later(from: NaiveDateTime, by: Duration) -> NaiveDateTime {
    from + chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX)
}

/// How often the worker asks whether today's digests are due (until they are written).
const DIGEST_CHECK: Duration = Duration::from_secs(60);

/// Writes today's digests once the day's digest hour has come (company time); each instance
/// asks, the first to claim an approver's day writes theirs. Returns the day it is done for, so
/// the worker asks again only the next day.
fn digests(db: &Db, settings: &Settings) -> Option<chrono::NaiveDate> {
    let now = crate::domain::Now::in_zone(&settings.timezone);
    let local_hour = settings.timezone.hour_at(now.utc.and_utc());
    if local_hour < settings.notify.digest_hour {
        return None;
    }
    let written = db.run_blocking(|conn| {
        crate::db::write_transaction(conn, |conn| crate::actions::notifications::daily_digests(conn, settings, now))
    });
    match written {
        Ok(0) => Some(now.today),
        Ok(n) => {
            rocket::info!("notifications: {n} daily digests written");
            Some(now.today)
        }
        Err(e) => {
            rocket::warn!("notifications: cannot write the daily digests: {}", e.message());
            None
        }
    }
}

fn run(db: &Db, settings: &Settings, channels: &Channels, stop: &AtomicBool, wake: &Wake) {
    let mut digest_checked: Option<std::time::Instant> = None;
    let mut digests_done: Option<chrono::NaiveDate> = None;
    while !stop.load(Ordering::SeqCst) {
        if digest_checked.is_none_or(|t| t.elapsed() >= DIGEST_CHECK) {
            digest_checked = Some(std::time::Instant::now());
            let today = crate::domain::Now::in_zone(&settings.timezone).today;
            if digests_done != Some(today) {
                digests_done = digests(db, settings);
            }
        }
        let at = now();
        let claimed = match db.run_blocking(|conn| Ok(outbox::claim(conn, at, later(at, LEASE), BATCH)?)) {
            Ok(rows) => rows,
            Err(e) => {
                rocket::warn!("notifications: cannot read the outbox: {}", e.message());
                wake.wait(Duration::from_secs(2));
                continue;
            }
        };
        let full = claimed.len() as i32 == BATCH;
        for (i, row) in claimed.iter().enumerate() {
            if stop.load(Ordering::SeqCst) {
                let rest: Vec<i32> = claimed[i..].iter().map(|r| r.id).collect();
                if let Err(e) = db.run_blocking(|conn| Ok(outbox::release(conn, &rest)?)) {
                    rocket::warn!("notifications: cannot give back {} claimed rows: {}", rest.len(), e.message());
                }
                return;
            }
            let outcome = channels.deliver(row);
            let recorded = db.run_blocking(|conn| match &outcome {
                Outcome::Sent => Ok(outbox::mark_sent(conn, row.id, now())?),
                Outcome::Retry { error, after } => {
                    let jitter = jitter(row.id, row.attempts);
                    let delay = retry_delay(u32::try_from(row.attempts).unwrap_or(1), *after, jitter);
                    Ok(outbox::mark_failed(conn, row.id, error, Some(later(now(), delay)))?)
                }
                Outcome::Refused(error) => Ok(outbox::mark_failed(conn, row.id, error, None)?),
            });
            match (&outcome, recorded) {
                (_, Err(e)) => {
                    rocket::warn!("notifications: #{} delivered or not, cannot record it: {}", row.id, e.message())
                }
                (Outcome::Sent, Ok(())) => {}
                (Outcome::Retry { error, .. }, Ok(())) => {
                    rocket::info!("notifications: #{} will be retried: {error}", row.id)
                }
                (Outcome::Refused(error), Ok(())) => rocket::warn!("notifications: #{} refused: {error}", row.id),
            }
        }
        if !full {
            wake.wait(POLL);
        }
    }
}

/// A number in [0, 1) that differs from row to row and attempt to attempt.
fn jitter(id: i32, attempts: i32) -> f64 {
    let hash = RandomState::new().hash_one((id, attempts));
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

enum Outcome {
    Sent,
    Retry { error: String, after: Option<Duration> },
    Refused(String),
}

struct Channels {
    webhook: Option<(reqwest::blocking::Client, String)>,
    mail: Option<(SmtpTransport, Mailbox)>,
}

impl Channels {
    fn new(settings: &NotifySettings) -> Result<Channels, String> {
        let webhook = match &settings.webhook {
            Some(url) => {
                let client = reqwest::blocking::Client::builder()
                    .timeout(SEND_TIMEOUT)
                    .build()
                    .map_err(|e| format!("cannot set up the webhook client: {}", e.without_url()))?;
                Some((client, url.expose().to_owned()))
            }
            None => None,
        };
        let mail = match (&settings.smtp, &settings.mail_from) {
            (Some(target), Some(from)) => {
                let from: Mailbox = format!("Holidays <{from}>")
                    .parse()
                    .map_err(|e| format!("HOLIDAYS_MAIL_FROM cannot be a sender: {e}"))?;
                Some((smtp_transport(target)?, from))
            }
            _ => None,
        };
        Ok(Channels { webhook, mail })
    }

    fn deliver(&self, row: &Notification) -> Outcome {
        match row.channel() {
            Channel::Chat => match &self.webhook {
                Some((client, url)) => post_webhook(client, url, row),
                None => Outcome::Refused("no webhook is configured (HOLIDAYS_WEBHOOK_URL)".into()),
            },
            Channel::Email => match &self.mail {
                Some((transport, from)) => send_mail(transport, from, row),
                None => Outcome::Refused("no SMTP server is configured (HOLIDAYS_SMTP_URL)".into()),
            },
        }
    }
}

fn smtp_transport(t: &SmtpTarget) -> Result<SmtpTransport, String> {
    let tls = || TlsParameters::new(t.host.clone()).map_err(|e| format!("cannot set up TLS for {}: {e}", t.host));
    let tls = match t.security {
        SmtpSecurity::StartTlsIfOffered => Tls::Opportunistic(tls()?),
        SmtpSecurity::ImplicitTls => Tls::Wrapper(tls()?),
        SmtpSecurity::Plain => Tls::None,
    };
    let mut builder = SmtpTransport::builder_dangerous(&t.host).port(t.port).tls(tls).timeout(Some(SEND_TIMEOUT));
    if let Some(user) = &t.user {
        let password = t.password.as_ref().map(|p| p.expose().to_owned()).unwrap_or_default();
        builder = builder.credentials(Credentials::new(user.clone(), password));
    }
    Ok(builder.build())
}

fn post_webhook(client: &reqwest::blocking::Client, url: &str, row: &Notification) -> Outcome {
    let body = serde_json::json!({ "text": row.body_text });
    let answer = client.post(url).header("Idempotency-Key", row.key()).json(&body).send();
    match answer {
        Err(e) => Outcome::Retry { error: format!("the webhook did not answer: {}", e.without_url()), after: None },
        Ok(res) if res.status().is_success() => Outcome::Sent,
        Ok(res) => {
            let status = res.status();
            let after = res
                .headers()
                .get("Retry-After")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(|s| Duration::from_secs(s.min(3600)));
            let error = format!("the webhook answered {status}");
            if status.as_u16() == 429 || status.is_server_error() {
                Outcome::Retry { error, after }
            } else {
                Outcome::Refused(error)
            }
        }
    }
}

fn send_mail(transport: &SmtpTransport, from: &Mailbox, row: &Notification) -> Outcome {
    let to: Mailbox = match row.recipient.as_str().parse() {
        Ok(to) => to,
        Err(e) => return Outcome::Refused(format!("{} cannot receive mail: {e}", row.recipient)),
    };
    let html = row.body_html.clone().unwrap_or_else(|| crate::views::notify::html_from_text(&row.body_text));
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}@holidays>", row.key())))
        .multipart(MultiPart::alternative_plain_html(row.body_text.clone(), html));
    let message = match message {
        Ok(m) => m,
        Err(e) => return Outcome::Refused(format!("the message cannot be built: {e}")),
    };
    match transport.send(&message) {
        Ok(_) => Outcome::Sent,
        Err(e) if e.is_permanent() => Outcome::Refused(format!("the mail server refused it: {e}")),
        Err(e) => Outcome::Retry { error: format!("the mail server did not take it: {e}"), after: None },
    }
}
