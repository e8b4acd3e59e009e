//! Postgres passwords: a static one for local databases, or a Databricks OAuth token for
//! Lakebase, cached and renewed well before it expires.
//!
//! Lakebase checks the token only at login, so open connections outlive it; the pool asks for
//! the current token each time it opens a connection. Tokens and secrets never reach a log,
//! an error message or a panic: they live in [`Secret`], whose `Debug` and `Display` hide them.

use crate::config::{PasswordSource, Secret, TokenApi};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why no password could be had. `permanent` means retrying will not help (a rejected secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialError {
    pub message: String,
    pub permanent: bool,
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialError {}

struct Cached {
    token: Secret,
    renew_at: Instant,
    expires_at: Instant,
}

/// Hands out the current password, fetching a new token when the cached one is due.
pub struct Credentials {
    source: PasswordSource,
    cache: Mutex<Option<Cached>>,
    retries: u32,
}

/// Shortest wait between retries of a failed token request; it doubles each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

impl Credentials {
    pub fn new(source: PasswordSource) -> Credentials {
        Credentials { source, cache: Mutex::new(None), retries: 3 }
    }

    pub fn source(&self) -> &PasswordSource {
        &self.source
    }

    /// The password for a new connection: `None` when the connection string has what it needs.
    ///
    /// The lock is held while a token is fetched, so when many connections need one at once a
    /// single request is made and the others wait for its answer.
    pub fn password(&self) -> Result<Option<Secret>, CredentialError> {
        if let PasswordSource::Static = self.source {
            return Ok(None);
        }
        let mut cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        if let Some(cached) = cache.as_ref().filter(|c| now < c.renew_at) {
            return Ok(Some(cached.token.clone()));
        }
        match self.fetch_with_retries() {
            Ok(fresh) => {
                let token = fresh.token.clone();
                *cache = Some(fresh);
                Ok(Some(token))
            }
            // A token that is due for renewal but still valid beats no token at all.
            Err(e) if !e.permanent => match cache.as_ref().filter(|c| now < c.expires_at) {
                Some(still_valid) => {
                    rocket::warn!("renewing the database token failed, using the current one: {e}");
                    Ok(Some(still_valid.token.clone()))
                }
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    fn fetch_with_retries(&self) -> Result<Cached, CredentialError> {
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 0;
        loop {
            match self.fetch() {
                Ok(token) => return Ok(token),
                Err(e) if e.permanent || attempt >= self.retries => return Err(e),
                Err(e) => {
                    rocket::warn!("database token request failed (attempt {}), retrying: {e}", attempt + 1);
                    std::thread::sleep(backoff);
                    backoff *= 2;
                    attempt += 1;
                }
            }
        }
    }

    /// Fetches on a thread of its own: reqwest's blocking client must not be built or dropped
    /// where an async runtime is running, and callers (start-up, the pool's threads, tests)
    /// cannot all promise that. A thread an hour costs nothing.
    fn fetch(&self) -> Result<Cached, CredentialError> {
        std::thread::scope(|scope| scope.spawn(|| self.fetch_here()).join()).unwrap_or_else(|_| {
            Err(CredentialError { message: "the token request failed unexpectedly".into(), permanent: false })
        })
    }

    fn fetch_here(&self) -> Result<Cached, CredentialError> {
        let PasswordSource::Databricks { host, client_id, client_secret, api } = &self.source else {
            return Err(CredentialError { message: "no token source is configured".into(), permanent: true });
        };
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("holidays/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CredentialError {
                message: format!("cannot set up HTTPS for the token endpoint: {e}"),
                permanent: true,
            })?;
        let http = &http;
        let oauth = workspace_token(http, host, client_id, client_secret)?;
        match api {
            TokenApi::WorkspaceOAuth => Ok(cached(oauth.access_token, Duration::from_secs(oauth.expires_in))),
            TokenApi::DatabaseInstance(instance) => {
                let url = format!("{host}/api/2.0/database/credentials");
                let body = serde_json::json!({ "request_id": request_id(), "instance_names": [instance] });
                let answer: DatabaseCredential =
                    post_json(http, &url, &oauth.access_token, &body, "LAKEBASE_INSTANCE")?;
                Ok(cached(answer.token, until(answer.expiration_time.as_deref())))
            }
            TokenApi::AutoscalingEndpoint(endpoint) => {
                let url = format!("{host}/api/2.0/postgres/credentials");
                let body = serde_json::json!({ "endpoint": endpoint });
                let answer: DatabaseCredential = post_json(http, &url, &oauth.access_token, &body, "PGENDPOINT")?;
                Ok(cached(answer.token, until(answer.expire_time.as_deref().or(answer.expiration_time.as_deref()))))
            }
        }
    }
}

/// Renews at three quarters of a token's life, so a slow or failing renewal has time to retry.
fn cached(token: String, lifetime: Duration) -> Cached {
    let now = Instant::now();
    Cached { token: Secret::new(token), renew_at: now + lifetime * 3 / 4, expires_at: now + lifetime }
}

/// How long until an RFC 3339 expiry time; an hour when the answer does not say.
fn until(expiry: Option<&str>) -> Duration {
    expiry
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .and_then(|t| (t.with_timezone(&Utc) - Utc::now()).to_std().ok())
        .unwrap_or(Duration::from_secs(3600))
}

/// A unique id for the credential request (the API wants a UUID; any unique string in that
/// shape will do, so no UUID library is needed).
fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) as u128;
    let v = nanos ^ (n << 96) ^ ((std::process::id() as u128) << 64);
    let hex = format!("{v:032x}");
    format!("{}-{}-4{}-8{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

#[derive(Deserialize)]
struct OAuthToken {
    access_token: String,
    #[serde(default = "an_hour")]
    expires_in: u64,
}

fn an_hour() -> u64 {
    3600
}

#[derive(Deserialize)]
struct DatabaseCredential {
    token: String,
    expiration_time: Option<String>,
    expire_time: Option<String>,
}

#[derive(Deserialize, Default)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
    message: Option<String>,
}

fn workspace_token(
    http: &reqwest::blocking::Client,
    host: &str,
    client_id: &str,
    secret: &Secret,
) -> Result<OAuthToken, CredentialError> {
    let url = format!("{host}/oidc/v1/token");
    let response = http
        .post(&url)
        .basic_auth(client_id, Some(secret.expose()))
        .form(&[("grant_type", "client_credentials"), ("scope", "all-apis")])
        .send()
        .map_err(|e| transport_error(&url, &e))?;
    read_answer(response, &url, "DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET")
}

fn post_json<T: for<'de> Deserialize<'de>>(
    http: &reqwest::blocking::Client,
    url: &str,
    bearer: &str,
    body: &serde_json::Value,
    variable: &str,
) -> Result<T, CredentialError> {
    let response = http.post(url).bearer_auth(bearer).json(body).send().map_err(|e| transport_error(url, &e))?;
    read_answer(response, url, variable)
}

fn transport_error(url: &str, e: &reqwest::Error) -> CredentialError {
    // reqwest's message names the URL, never the credentials sent with it.
    let what = if e.is_timeout() { "timed out" } else { "could not be reached" };
    CredentialError { message: format!("the token endpoint {url} {what}: {e}"), permanent: false }
}

/// Reads a token answer. 429 and 5xx are worth retrying; other refusals mean the
/// configuration is wrong, and the message names the variables to check.
fn read_answer<T: for<'de> Deserialize<'de>>(
    response: reqwest::blocking::Response,
    url: &str,
    check: &str,
) -> Result<T, CredentialError> {
    let status = response.status();
    let text = response.text().map_err(|e| transport_error(url, &e))?;
    if status.is_success() {
        return serde_json::from_str(&text).map_err(|e| CredentialError {
            message: format!("the token endpoint {url} answered something unexpected: {e}"),
            permanent: false,
        });
    }
    let detail = serde_json::from_str::<OAuthError>(&text).unwrap_or_default();
    let reason = [detail.error, detail.error_description, detail.message]
        .into_iter()
        .flatten()
        .map(|s| s.chars().take(200).collect::<String>())
        .collect::<Vec<_>>()
        .join(": ");
    let reason = if reason.is_empty() { String::new() } else { format!(" ({reason})") };
    let transient = status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408;
    if transient {
        Err(CredentialError {
            message: format!("the token endpoint {url} answered {status}{reason}"),
            permanent: false,
        })
    } else {
        Err(CredentialError {
            message: format!(
                "the token endpoint {url} refused the app's credentials with {status}{reason}: check {check}"
            ),
            permanent: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("dapi-very-secret");
        assert_eq!(format!("{s:?} {s}"), "Secret(redacted) (redacted)");
        let source = PasswordSource::Databricks {
            host: "https://x".into(),
            client_id: "id".into(),
            client_secret: s,
            api: TokenApi::WorkspaceOAuth,
        };
        assert!(!format!("{source:?}").contains("very-secret"));
    }

    #[test]
    fn static_passwords_need_no_request() {
        let c = Credentials::new(PasswordSource::Static);
        assert_eq!(c.password(), Ok(None));
    }

    #[test]
    fn request_ids_look_like_uuids_and_differ() {
        let (a, b) = (request_id(), request_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }

    #[test]
    fn expiry_times_are_read() {
        let in_ten_minutes = (Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
        let d = until(Some(&in_ten_minutes));
        assert!(d > Duration::from_secs(590) && d <= Duration::from_secs(600), "{d:?}");
        assert_eq!(until(Some("garbage")), Duration::from_secs(3600));
        assert_eq!(until(None), Duration::from_secs(3600));
    }
}
