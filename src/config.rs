//! Configuration: read once from the environment into [`Settings`].
//!
//! Every problem names the variable to fix, so a misconfigured deployment says what is wrong
//! at start-up instead of failing later on a request.

use crate::domain::balance::Policy;
use crate::domain::leave::{Days, LeaveYear};
use crate::domain::{Email, Horizon, Zone};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// Where the data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A libpq connection string (URL or `key=value` form) and the schema the app owns.
    Postgres { conninfo: String, schema: String },
    /// An SQLite file, created when missing.
    Sqlite { path: PathBuf },
}

/// How the app learns who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// Behind the Databricks Apps proxy: `X-Forwarded-Email` is the only identity.
    Proxy,
    /// Local development: anyone may pick who they are; the page says so.
    Dev,
}

/// A value that must not be printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

/// Which Databricks API turns the app's service principal into a Postgres password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenApi {
    /// The workspace OAuth token itself is the password.
    WorkspaceOAuth,
    /// `POST /api/2.0/database/credentials` for a provisioned Lakebase instance.
    DatabaseInstance(String),
    /// `POST /api/2.0/postgres/credentials` for an autoscaling Lakebase endpoint.
    AutoscalingEndpoint(String),
}

/// Where the Postgres password comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordSource {
    /// In the connection string already, from `PGPASSWORD`, or not needed.
    Static,
    /// Minted by the workspace for the app's service principal.
    Databricks { host: String, client_id: String, client_secret: Secret, api: TokenApi },
}

/// The connection pool's limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolSettings {
    pub size: u32,
    /// How long a request waits for a database connection before answering 503.
    pub timeout: Duration,
    /// Connections are replaced after this long, well inside Lakebase's limits (24 h idle,
    /// 3 days in all), so a pool that lost its server heals and tokens rotate.
    pub max_lifetime: Duration,
    pub idle_timeout: Duration,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub database: DatabaseTarget,
    /// Where the Postgres password comes from.
    pub password: PasswordSource,
    pub pool: PoolSettings,
    /// Fill an empty database with the demo people and requests.
    pub demo_data: bool,
    pub auth: AuthMode,
    /// The people who may see and decide every request.
    pub admins: Vec<Email>,
    /// Who a development session is before anyone is picked.
    pub dev_user: Email,
    /// `DATABRICKS_APP_PORT`, which wins over `ROCKET_PORT` and `Rocket.toml`.
    pub port: Option<u16>,
    /// The company's time zone: where "today" is for the rules.
    pub timezone: Zone,
    /// How far back and ahead requests may reach.
    pub horizon: Horizon,
    /// The yearly allowance of deducted leave for anyone without one of their own.
    pub default_allowance: Days,
    /// Leave years and carry-over.
    pub leave_policy: Policy,
    /// Where notifications go, and the app's address for their links.
    pub notify: NotifySettings,
}

/// How an SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: STARTTLS whenever the server offers it.
    StartTlsIfOffered,
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
    /// `smtp+plain://`: no TLS at all, for a test server on this machine.
    Plain,
}

/// An SMTP server to send through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpTarget {
    pub security: SmtpSecurity,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<Secret>,
}

/// Notifications: the channels (none set: nothing is sent, the outbox still records what would
/// have been), the sender, the app's public address for links, and when to give up on one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotifySettings {
    /// `HOLIDAYS_PUBLIC_URL`, without a trailing slash.
    pub public_url: Option<String>,
    /// `HOLIDAYS_WEBHOOK_URL`: its path usually holds the token, so it is a secret.
    pub webhook: Option<Secret>,
    pub smtp: Option<SmtpTarget>,
    pub mail_from: Option<Email>,
    pub give_up: Duration,
    /// The hour (company time) from which each approver's daily digest goes out.
    pub digest_hour: u32,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration variable {}: {}", self.variable, self.problem)
    }
}

impl std::error::Error for ConfigError {}

pub const DEMO_ADMIN: &str = "admin@example.com";
pub const DEFAULT_SCHEMA: &str = "holidays";
const DEFAULT_DEV_USER: &str = "manager@example.com";

/// Typed reads of the environment; blank values count as unset.
struct Env<F: Fn(&str) -> Option<String>>(F);

impl<F: Fn(&str) -> Option<String>> Env<F> {
    fn text(&self, name: &str) -> Option<String> {
        (self.0)(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn is_set(&self, name: &str) -> bool {
        self.text(name).is_some()
    }

    fn parsed<T: FromStr>(&self, variable: &'static str) -> Result<Option<T>, ConfigError> {
        self.text(variable)
            .map(|v| {
                v.parse().map_err(|_| ConfigError { variable, problem: format!("'{v}' is not a valid number here") })
            })
            .transpose()
    }

    fn bool(&self, variable: &'static str) -> Result<Option<bool>, ConfigError> {
        self.text(variable)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(ConfigError { variable, problem: format!("'{v}' is not 1/0, true/false, yes/no or on/off") }),
            })
            .transpose()
    }

    fn seconds(&self, variable: &'static str, default: u64) -> Result<Duration, ConfigError> {
        match self.parsed::<u64>(variable)?.unwrap_or(default) {
            0 => Err(ConfigError { variable, problem: "must be at least 1 second".into() }),
            secs => Ok(Duration::from_secs(secs)),
        }
    }

    fn email(&self, variable: &'static str, raw: &str) -> Result<Email, ConfigError> {
        Email::parse(raw).map_err(|e| ConfigError { variable, problem: format!("'{raw}' {e}") })
    }
}

fn notify(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<NotifySettings, ConfigError> {
    let public_url = match env.text("HOLIDAYS_PUBLIC_URL") {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => Some(u.trim_end_matches('/').to_owned()),
        Some(u) => {
            return Err(ConfigError {
                variable: "HOLIDAYS_PUBLIC_URL",
                problem: format!("'{u}' is not an http:// or https:// address"),
            });
        }
        None => None,
    };
    let webhook = match env.text("HOLIDAYS_WEBHOOK_URL") {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => Some(Secret::new(u)),
        // The value is a secret: say what is wrong without repeating it.
        Some(_) => {
            return Err(ConfigError {
                variable: "HOLIDAYS_WEBHOOK_URL",
                problem: "is not an http:// or https:// address".into(),
            });
        }
        None => None,
    };
    let smtp = env.text("HOLIDAYS_SMTP_URL").map(|u| smtp_target(&u)).transpose()?;
    let mail_from = env.text("HOLIDAYS_MAIL_FROM").map(|m| env.email("HOLIDAYS_MAIL_FROM", &m)).transpose()?;
    if smtp.is_some() && mail_from.is_none() {
        return Err(ConfigError {
            variable: "HOLIDAYS_MAIL_FROM",
            problem: "must be set when HOLIDAYS_SMTP_URL is: the address mail is sent from".into(),
        });
    }
    let digest_hour = match env.parsed::<u32>("HOLIDAYS_DIGEST_HOUR")? {
        Some(h) if h > 23 => {
            return Err(ConfigError {
                variable: "HOLIDAYS_DIGEST_HOUR",
                problem: format!("{h} is not an hour from 0 to 23"),
            });
        }
        h => h.unwrap_or(8),
    };
    Ok(NotifySettings {
        public_url,
        webhook,
        smtp,
        mail_from,
        give_up: duration(env, "HOLIDAYS_NOTIFY_GIVE_UP", "24h")?,
        digest_hour,
    })
}

/// `smtp://user:pass@host:port`, `smtps://...` or `smtp+plain://host:port`; the password is
/// percent-decoded and never repeated in an error.
fn smtp_target(raw: &str) -> Result<SmtpTarget, ConfigError> {
    let bad = |problem: &str| ConfigError { variable: "HOLIDAYS_SMTP_URL", problem: problem.into() };
    let (scheme, rest) = raw.split_once("://").ok_or_else(|| bad("is not written scheme://host:port"))?;
    let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
        "smtp" => (SmtpSecurity::StartTlsIfOffered, 587),
        "smtps" => (SmtpSecurity::ImplicitTls, 465),
        "smtp+plain" => (SmtpSecurity::Plain, 25),
        _ => return Err(bad("must start with smtp://, smtps:// or smtp+plain://")),
    };
    let rest = rest.split(['/', '?']).next().unwrap_or_default();
    let (userinfo, hostport) = match rest.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, rest),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad("has a port that is not a number"))?),
        None => (hostport, default_port),
    };
    if host.is_empty() {
        return Err(bad("names no host"));
    }
    // Rocket's percent-decoding (an escape that is not one stays as written).
    let decode = |s: &str| -> Result<String, ConfigError> {
        rocket::http::RawStr::new(s)
            .percent_decode()
            .map(|d| d.into_owned())
            .map_err(|_| bad("has a user or password that is not UTF-8"))
    };
    let (user, password) = match userinfo {
        None => (None, None),
        Some(u) => match u.split_once(':') {
            Some((user, pass)) => (Some(decode(user)?), Some(Secret::new(decode(pass)?))),
            None => (Some(decode(u)?), None),
        },
    };
    Ok(SmtpTarget { security, host: host.to_owned(), port, user, password })
}

/// A duration written `90s`, `30m`, `24h` or `2d` (a bare number is seconds).
fn duration(
    env: &Env<impl Fn(&str) -> Option<String>>,
    variable: &'static str,
    default: &str,
) -> Result<Duration, ConfigError> {
    let raw = env.text(variable).unwrap_or_else(|| default.to_owned());
    let (number, unit) = raw.split_at(raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len()));
    let scale = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if n > 0 && scale > 0 => Ok(Duration::from_secs(n.saturating_mul(scale))),
        _ => Err(ConfigError { variable, problem: format!("'{raw}' is not a duration like 90s, 30m, 24h or 2d") }),
    }
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings from any variable source, so tests need not touch the process environment.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(var);
        let (database, password, embedded_default) = database(&env)?;
        let demo_data = env.bool("HOLIDAYS_DEMO")?.unwrap_or(embedded_default);
        let auth = match env.text("HOLIDAYS_AUTH").as_deref() {
            Some("proxy") => AuthMode::Proxy,
            Some("dev") => AuthMode::Dev,
            Some(other) => {
                return Err(ConfigError {
                    variable: "HOLIDAYS_AUTH",
                    problem: format!("'{other}' is neither 'proxy' nor 'dev'"),
                });
            }
            None if env.is_set("DATABRICKS_APP_NAME") => AuthMode::Proxy,
            None => AuthMode::Dev,
        };
        let admins = match env.text("HOLIDAYS_ADMINS") {
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| env.email("HOLIDAYS_ADMINS", s))
                .collect::<Result<Vec<_>, _>>()?,
            None if demo_data => vec![env.email("HOLIDAYS_ADMINS", DEMO_ADMIN)?],
            None => Vec::new(),
        };
        let dev_user =
            env.email("HOLIDAYS_DEV_USER", &env.text("HOLIDAYS_DEV_USER").unwrap_or(DEFAULT_DEV_USER.into()))?;
        let timezone = match env.text("HOLIDAYS_TIMEZONE") {
            Some(name) => Zone::named(&name).ok_or_else(|| ConfigError {
                variable: "HOLIDAYS_TIMEZONE",
                problem: format!("'{name}' is not an IANA time zone name like Europe/Berlin or America/New_York"),
            })?,
            None => Zone::utc(),
        };
        let horizon = Horizon {
            years_back: years(&env, "HOLIDAYS_YEARS_BACK", 2)?,
            years_ahead: years(&env, "HOLIDAYS_YEARS_AHEAD", 3)?,
        };
        Ok(Settings {
            database,
            password,
            pool: pool(&env)?,
            demo_data,
            auth,
            admins,
            dev_user,
            port: env.parsed::<u16>("DATABRICKS_APP_PORT")?,
            timezone,
            horizon,
            default_allowance: days(&env, "HOLIDAYS_DEFAULT_ALLOWANCE", 25)?,
            leave_policy: leave_policy(&env)?,
            notify: notify(&env)?,
        })
    }

    pub fn is_admin(&self, email: &Email) -> bool {
        self.admins.contains(email)
    }
}

/// The database, its password source, and whether it is the embedded default.
fn database<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
) -> Result<(DatabaseTarget, PasswordSource, bool), ConfigError> {
    let schema = match env.text("HOLIDAYS_PG_SCHEMA") {
        Some(s) => validate_schema(&s)?,
        None => DEFAULT_SCHEMA.to_owned(),
    };
    if let Some(url) = env.text("DATABASE_URL") {
        return Ok((parse_database_url(&url, schema)?, PasswordSource::Static, false));
    }
    if env.is_set("PGHOST") || env.is_set("PGDATABASE") {
        // A Lakebase resource sets the PG* variables but no password: the app's service
        // principal gets a token instead.
        let password = match env.text("PGPASSWORD") {
            Some(_) => PasswordSource::Static,
            None => databricks_password(env)?.unwrap_or(PasswordSource::Static),
        };
        return Ok((DatabaseTarget::Postgres { conninfo: conninfo_from_pg_vars(env), schema }, password, false));
    }
    let dir = env.text("HOLIDAYS_DATA_DIR").map_or_else(|| PathBuf::from("data"), PathBuf::from);
    Ok((DatabaseTarget::Sqlite { path: dir.join("holidays.sqlite3") }, PasswordSource::Static, true))
}

fn pool<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<PoolSettings, ConfigError> {
    Ok(PoolSettings {
        size: env.parsed::<u32>("HOLIDAYS_DB_POOL_SIZE")?.unwrap_or(8).max(1),
        timeout: Duration::from_millis(env.parsed::<u64>("HOLIDAYS_DB_TIMEOUT_MS")?.unwrap_or(5000)),
        max_lifetime: env.seconds("HOLIDAYS_DB_MAX_LIFETIME_SECS", 30 * 60)?,
        idle_timeout: env.seconds("HOLIDAYS_DB_IDLE_TIMEOUT_SECS", 10 * 60)?,
    })
}

fn years<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
    variable: &'static str,
    default: u32,
) -> Result<u32, ConfigError> {
    match env.parsed::<u32>(variable)?.unwrap_or(default) {
        years @ 0..=100 => Ok(years),
        _ => Err(ConfigError { variable, problem: "must be a number of years from 0 to 100".into() }),
    }
}

/// A number of days in steps of 0.5, from 0 to 366.
fn days<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
    variable: &'static str,
    default: i32,
) -> Result<Days, ConfigError> {
    let Some(raw) = env.text(variable) else { return Ok(Days::whole(default)) };
    match Days::parse("days", "value", &raw) {
        Ok(days) if days >= Days::ZERO && days <= Days::whole(366) => Ok(days),
        _ => Err(ConfigError {
            variable,
            problem: format!("'{raw}' is not a number of days from 0 to 366 in steps of 0.5"),
        }),
    }
}

fn leave_policy<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Policy, ConfigError> {
    let month = env.parsed::<u32>("HOLIDAYS_LEAVE_YEAR_START")?.unwrap_or(1);
    let leave_year = LeaveYear::starting_in(month).ok_or_else(|| ConfigError {
        variable: "HOLIDAYS_LEAVE_YEAR_START",
        problem: format!("{month} is not a month: give 1 (January) to 12 (December)"),
    })?;
    let carry_months = match env.parsed::<u32>("HOLIDAYS_CARRY_OVER_MONTHS")?.unwrap_or(3) {
        months @ 0..=12 => months,
        other => {
            return Err(ConfigError {
                variable: "HOLIDAYS_CARRY_OVER_MONTHS",
                problem: format!("{other} is more than a leave year: give 0 to 12 months"),
            });
        }
    };
    Ok(Policy { leave_year, carry_cap: days(env, "HOLIDAYS_CARRY_OVER_CAP", 5)?, carry_months })
}

fn parse_database_url(url: &str, schema: String) -> Result<DatabaseTarget, ConfigError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(DatabaseTarget::Postgres { conninfo: url.to_owned(), schema });
    }
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    if path.is_empty() || path.contains("://") {
        return Err(ConfigError {
            variable: "DATABASE_URL",
            problem: "expected postgres://..., sqlite://PATH or a file path".to_owned(),
        });
    }
    Ok(DatabaseTarget::Sqlite { path: PathBuf::from(path) })
}

/// The service principal's token source, when its credentials are in the environment.
fn databricks_password<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Option<PasswordSource>, ConfigError> {
    let (Some(client_id), Some(secret)) = (env.text("DATABRICKS_CLIENT_ID"), env.text("DATABRICKS_CLIENT_SECRET"))
    else {
        return Ok(None);
    };
    let host = env.text("DATABRICKS_HOST").ok_or_else(|| ConfigError {
        variable: "DATABRICKS_HOST",
        problem: "must name the workspace, to get Lakebase tokens for DATABRICKS_CLIENT_ID".into(),
    })?;
    let api = match (env.text("LAKEBASE_INSTANCE"), env.text("PGENDPOINT")) {
        (Some(instance), _) => TokenApi::DatabaseInstance(instance),
        (None, Some(endpoint)) => TokenApi::AutoscalingEndpoint(endpoint),
        (None, None) => TokenApi::WorkspaceOAuth,
    };
    Ok(Some(PasswordSource::Databricks {
        host: workspace_url(&host)?,
        client_id,
        client_secret: Secret::new(secret),
        api,
    }))
}

/// `DATABRICKS_HOST` as given when it has a scheme (tests use plain http); https otherwise.
fn workspace_url(host: &str) -> Result<String, ConfigError> {
    let url = if host.contains("://") { host.to_owned() } else { format!("https://{host}") };
    let url = url.trim_end_matches('/').to_owned();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.split_once("://").is_some_and(|(_, rest)| !rest.is_empty() && !rest.contains(char::is_whitespace));
    if !ok {
        return Err(ConfigError {
            variable: "DATABRICKS_HOST",
            problem: format!("'{host}' is not a workspace address like https://adb-123.4.azuredatabricks.net"),
        });
    }
    Ok(url)
}

/// Builds a libpq `key=value` string from the standard `PG*` variables, as Databricks sets them
/// for a Lakebase resource.
fn conninfo_from_pg_vars<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> String {
    const KEYS: [(&str, &str); 7] = [
        ("PGHOST", "host"),
        ("PGPORT", "port"),
        ("PGDATABASE", "dbname"),
        ("PGUSER", "user"),
        ("PGPASSWORD", "password"),
        ("PGSSLMODE", "sslmode"),
        ("PGAPPNAME", "application_name"),
    ];
    KEYS.iter()
        .filter_map(|(var, key)| {
            env.text(var).map(|v| format!("{key}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'")))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Postgres identifiers are quoted everywhere, but a plain name keeps logs and GRANTs readable.
fn validate_schema(s: &str) -> Result<String, ConfigError> {
    let ok = !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        return Err(ConfigError {
            variable: "HOLIDAYS_PG_SCHEMA",
            problem: format!("'{s}' must be 1-63 lower-case letters, digits or '_', not starting with a digit"),
        });
    }
    if s == "public" {
        return Err(ConfigError {
            variable: "HOLIDAYS_PG_SCHEMA",
            problem: "the app keeps its tables in a schema of its own, never 'public'".to_owned(),
        });
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn notification_channels_are_read_and_their_secrets_never_repeated() {
        let s = settings(&[
            ("HOLIDAYS_SMTP_URL", "smtp://mailer%40corp:p%40ss:w0rd@mail.corp.example:2525"),
            ("HOLIDAYS_MAIL_FROM", "Holidays@Corp.example"),
            ("HOLIDAYS_WEBHOOK_URL", "https://hooks.example/services/T0/B0/S3CRET"),
            ("HOLIDAYS_PUBLIC_URL", "https://holidays.corp.example/"),
            ("HOLIDAYS_NOTIFY_GIVE_UP", "90m"),
        ])
        .unwrap();
        let smtp = s.notify.smtp.clone().unwrap();
        assert_eq!(
            (smtp.security, smtp.host.as_str(), smtp.port),
            (SmtpSecurity::StartTlsIfOffered, "mail.corp.example", 2525)
        );
        assert_eq!(
            (smtp.user.as_deref(), smtp.password.as_ref().map(Secret::expose)),
            (Some("mailer@corp"), Some("p@ss:w0rd"))
        );
        assert_eq!(s.notify.mail_from.as_ref().map(Email::as_str), Some("holidays@corp.example"));
        assert_eq!(s.notify.public_url.as_deref(), Some("https://holidays.corp.example"));
        assert_eq!(s.notify.give_up, Duration::from_secs(5400));
        assert_eq!(s.notify.digest_hour, 8);
        let printed = format!("{s:?}");
        assert!(!printed.contains("S3CRET") && !printed.contains("w0rd"), "{printed}");
        let implicit =
            settings(&[("HOLIDAYS_SMTP_URL", "smtps://mail.corp.example"), ("HOLIDAYS_MAIL_FROM", "a@b.example")])
                .unwrap();
        assert_eq!(implicit.notify.smtp.map(|t| (t.security, t.port)), Some((SmtpSecurity::ImplicitTls, 465)));
        let plain =
            settings(&[("HOLIDAYS_SMTP_URL", "smtp+plain://127.0.0.1:1025"), ("HOLIDAYS_MAIL_FROM", "a@b.example")])
                .unwrap();
        assert_eq!(plain.notify.smtp.map(|t| (t.security, t.user)), Some((SmtpSecurity::Plain, None)));
        assert!(settings(&[]).unwrap().notify.smtp.is_none());
        let problem = |vars: &[(&str, &str)]| settings(vars).unwrap_err();
        let e = problem(&[("HOLIDAYS_SMTP_URL", "imap://u:hunter2@mail")]);
        assert_eq!(e.variable, "HOLIDAYS_SMTP_URL");
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert_eq!(problem(&[("HOLIDAYS_SMTP_URL", "smtp://mail.example")]).variable, "HOLIDAYS_MAIL_FROM");
        let e = problem(&[("HOLIDAYS_WEBHOOK_URL", "hooks.example/S3CRET")]);
        assert!(e.variable == "HOLIDAYS_WEBHOOK_URL" && !e.to_string().contains("S3CRET"), "{e}");
        assert_eq!(problem(&[("HOLIDAYS_PUBLIC_URL", "holidays.example")]).variable, "HOLIDAYS_PUBLIC_URL");
        for bad in ["0h", "soon", "10w", "-1d"] {
            assert_eq!(problem(&[("HOLIDAYS_NOTIFY_GIVE_UP", bad)]).variable, "HOLIDAYS_NOTIFY_GIVE_UP", "{bad}");
        }
        assert_eq!(problem(&[("HOLIDAYS_DIGEST_HOUR", "24")]).variable, "HOLIDAYS_DIGEST_HOUR");
    }

    #[test]
    fn nothing_set_means_embedded_sqlite_with_demo_and_dev_identity() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database, DatabaseTarget::Sqlite { path: PathBuf::from("data/holidays.sqlite3") });
        assert!(s.demo_data);
        assert_eq!(s.auth, AuthMode::Dev);
        assert_eq!(s.admins, vec![Email::parse(DEMO_ADMIN).unwrap()]);
    }

    #[test]
    fn data_dir_moves_the_embedded_file() {
        let s = settings(&[("HOLIDAYS_DATA_DIR", "/tmp/h")]).unwrap();
        assert_eq!(s.database, DatabaseTarget::Sqlite { path: PathBuf::from("/tmp/h/holidays.sqlite3") });
    }

    #[test]
    fn database_url_picks_the_backend() {
        let s = settings(&[("DATABASE_URL", "postgres://u@h/db")]).unwrap();
        assert_eq!(
            s.database,
            DatabaseTarget::Postgres { conninfo: "postgres://u@h/db".into(), schema: "holidays".into() }
        );
        assert!(!s.demo_data, "a real database gets demo data only when asked");
        assert!(s.admins.is_empty());
        let s = settings(&[("DATABASE_URL", "sqlite:///var/h.db")]).unwrap();
        assert_eq!(s.database, DatabaseTarget::Sqlite { path: PathBuf::from("/var/h.db") });
        let s = settings(&[("DATABASE_URL", "local.db")]).unwrap();
        assert_eq!(s.database, DatabaseTarget::Sqlite { path: PathBuf::from("local.db") });
        let err = settings(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(err.variable, "DATABASE_URL");
    }

    #[test]
    fn pg_variables_mean_postgres_with_quoted_values() {
        let s = settings(&[
            ("PGHOST", "instance.database.example"),
            ("PGUSER", "0b5e-uuid"),
            ("PGDATABASE", "databricks_postgres"),
            ("PGSSLMODE", "require"),
            ("PGPASSWORD", "it's"),
        ])
        .unwrap();
        let DatabaseTarget::Postgres { conninfo, schema } = s.database else { panic!("expected Postgres") };
        assert_eq!(schema, "holidays");
        assert!(conninfo.contains("host='instance.database.example'"));
        assert!(conninfo.contains("user='0b5e-uuid'"));
        assert!(conninfo.contains("sslmode='require'"));
        assert!(conninfo.contains(r"password='it\'s'"));
    }

    #[test]
    fn a_lakebase_resource_gets_tokens_for_the_service_principal() {
        let lakebase = [
            ("PGHOST", "instance.database.cloud.databricks.com"),
            ("PGUSER", "6f1c0d9e-1111-4a2b-9c3d-abcdefabcdef"),
            ("PGDATABASE", "databricks_postgres"),
            ("DATABRICKS_CLIENT_ID", "6f1c0d9e-1111-4a2b-9c3d-abcdefabcdef"),
            ("DATABRICKS_CLIENT_SECRET", "dose-secret"),
            ("DATABRICKS_HOST", "adb-1.2.azuredatabricks.net/"),
        ];
        let s = settings(&lakebase).unwrap();
        let PasswordSource::Databricks { host, client_id, api, client_secret } = s.password else { panic!() };
        assert_eq!(host, "https://adb-1.2.azuredatabricks.net");
        assert_eq!(client_id, "6f1c0d9e-1111-4a2b-9c3d-abcdefabcdef");
        assert_eq!(client_secret.expose(), "dose-secret");
        assert_eq!(api, TokenApi::WorkspaceOAuth);

        let mut with_instance = lakebase.to_vec();
        with_instance.push(("LAKEBASE_INSTANCE", "holidays-db"));
        with_instance[5] = ("DATABRICKS_HOST", "http://127.0.0.1:9999");
        let s = settings(&with_instance).unwrap();
        let PasswordSource::Databricks { host, api, .. } = s.password else { panic!() };
        assert_eq!(host, "http://127.0.0.1:9999", "a scheme is kept as given");
        assert_eq!(api, TokenApi::DatabaseInstance("holidays-db".into()));

        let mut autoscaling = lakebase.to_vec();
        autoscaling.push(("PGENDPOINT", "projects/p/branches/b/endpoints/e"));
        let PasswordSource::Databricks { api, .. } = settings(&autoscaling).unwrap().password else { panic!() };
        assert_eq!(api, TokenApi::AutoscalingEndpoint("projects/p/branches/b/endpoints/e".into()));

        let mut with_password = lakebase.to_vec();
        with_password.push(("PGPASSWORD", "local"));
        assert_eq!(settings(&with_password).unwrap().password, PasswordSource::Static, "PGPASSWORD wins");

        let without_host: Vec<_> = lakebase.iter().copied().filter(|(k, _)| *k != "DATABRICKS_HOST").collect();
        assert_eq!(settings(&without_host).unwrap_err().variable, "DATABRICKS_HOST");
        let mut bad_host = lakebase.to_vec();
        bad_host[5] = ("DATABRICKS_HOST", "ftp://x");
        assert_eq!(settings(&bad_host).unwrap_err().variable, "DATABRICKS_HOST");

        let url = settings(&[
            ("DATABASE_URL", "postgres://u:p@h/db"),
            ("DATABRICKS_CLIENT_ID", "x"),
            ("DATABRICKS_CLIENT_SECRET", "y"),
        ]);
        assert_eq!(url.unwrap().password, PasswordSource::Static, "an explicit URL carries its own password");
    }

    #[test]
    fn databricks_app_name_switches_to_proxy_identity() {
        assert_eq!(settings(&[("DATABRICKS_APP_NAME", "holidays")]).unwrap().auth, AuthMode::Proxy);
        assert_eq!(settings(&[("HOLIDAYS_AUTH", "proxy")]).unwrap().auth, AuthMode::Proxy);
        let both = settings(&[("DATABRICKS_APP_NAME", "holidays"), ("HOLIDAYS_AUTH", "dev")]).unwrap();
        assert_eq!(both.auth, AuthMode::Dev);
        assert_eq!(settings(&[("HOLIDAYS_AUTH", "oauth")]).unwrap_err().variable, "HOLIDAYS_AUTH");
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            ("HOLIDAYS_ADMINS", "boss@example.com, not-an-email"),
            ("HOLIDAYS_PG_SCHEMA", "public"),
            ("HOLIDAYS_PG_SCHEMA", "Robert'); DROP"),
            ("DATABRICKS_APP_PORT", "eighty"),
            ("HOLIDAYS_DEMO", "maybe"),
            ("HOLIDAYS_DB_POOL_SIZE", "-1"),
            ("HOLIDAYS_DB_MAX_LIFETIME_SECS", "0"),
            ("HOLIDAYS_DEV_USER", "nobody"),
        ] {
            let err = settings(&[(var, value)]).unwrap_err();
            assert_eq!(err.variable, var, "{value}");
            assert!(err.to_string().starts_with(&format!("configuration variable {var}: ")));
        }
    }

    #[test]
    fn admins_are_lower_cased() {
        let s = settings(&[("HOLIDAYS_ADMINS", " Boss@Example.com ,hr@example.com")]).unwrap();
        let emails: Vec<&str> = s.admins.iter().map(Email::as_str).collect();
        assert_eq!(emails, vec!["boss@example.com", "hr@example.com"]);
        assert!(s.is_admin(&Email::parse("BOSS@example.com").unwrap()));
        let err = settings(&[("HOLIDAYS_ADMINS", "\u{212A}ate@example.com")]).unwrap_err();
        assert_eq!(err.variable, "HOLIDAYS_ADMINS");
    }

    #[test]
    fn time_zone_and_date_horizon() {
        let s = settings(&[]).unwrap();
        assert_eq!((s.timezone.name(), s.horizon), ("UTC", Horizon { years_back: 2, years_ahead: 3 }));
        let s = settings(&[
            ("HOLIDAYS_TIMEZONE", "Europe/Berlin"),
            ("HOLIDAYS_YEARS_BACK", "1"),
            ("HOLIDAYS_YEARS_AHEAD", "10"),
        ])
        .unwrap();
        assert_eq!(s.timezone.name(), "Europe/Berlin");
        assert_eq!(s.horizon, Horizon { years_back: 1, years_ahead: 10 });
        let err = settings(&[("HOLIDAYS_TIMEZONE", "Mars/Olympus")]).unwrap_err();
        assert_eq!(err.variable, "HOLIDAYS_TIMEZONE");
        assert!(err.problem.contains("IANA"), "{}", err.problem);
        assert_eq!(settings(&[("HOLIDAYS_YEARS_AHEAD", "1000")]).unwrap_err().variable, "HOLIDAYS_YEARS_AHEAD");
    }

    #[test]
    fn leave_policy_defaults_and_errors() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.default_allowance, Days::whole(25));
        assert_eq!(
            s.leave_policy,
            Policy { leave_year: LeaveYear::default(), carry_cap: Days::whole(5), carry_months: 3 }
        );
        let s = settings(&[
            ("HOLIDAYS_DEFAULT_ALLOWANCE", "27.5"),
            ("HOLIDAYS_LEAVE_YEAR_START", "4"),
            ("HOLIDAYS_CARRY_OVER_CAP", "0"),
            ("HOLIDAYS_CARRY_OVER_MONTHS", "12"),
        ])
        .unwrap();
        assert_eq!(s.default_allowance, Days::halves(55));
        assert_eq!(s.leave_policy.leave_year, LeaveYear::starting_in(4).unwrap());
        assert_eq!((s.leave_policy.carry_cap, s.leave_policy.carry_months), (Days::ZERO, 12));
        for (variable, value) in [
            ("HOLIDAYS_DEFAULT_ALLOWANCE", "25.25"),
            ("HOLIDAYS_DEFAULT_ALLOWANCE", "-1"),
            ("HOLIDAYS_LEAVE_YEAR_START", "13"),
            ("HOLIDAYS_CARRY_OVER_CAP", "lots"),
            ("HOLIDAYS_CARRY_OVER_MONTHS", "13"),
        ] {
            assert_eq!(settings(&[(variable, value)]).unwrap_err().variable, variable, "{value}");
        }
    }
}
