//! Configuration: read once from the environment into [`Settings`].
//!
//! Every problem names the variable to fix, so a misconfigured deployment says what is wrong
//! at start-up instead of failing later on a request.

use crate::db::credentials::{PasswordSource, Secret, TokenApi};
use std::fmt;
use std::path::PathBuf;
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

#[derive(Clone, Debug)]
pub struct Settings {
    pub database: DatabaseTarget,
    /// Fill an empty database with the demo people and requests.
    pub demo_data: bool,
    pub auth: AuthMode,
    /// Lower-cased emails of the people who may see and decide every request.
    pub admins: Vec<String>,
    /// Who a development session is before anyone is picked.
    pub dev_user: String,
    /// `DATABRICKS_APP_PORT`, which wins over `ROCKET_PORT` and `Rocket.toml`.
    pub port: Option<u16>,
    pub pool_size: u32,
    /// How long a request waits for a database connection before answering 503.
    pub db_timeout: Duration,
    /// Connections are replaced after this long, well inside Lakebase's limits (24 h idle,
    /// 3 days in all), so a pool that lost its server heals and tokens rotate.
    pub db_max_lifetime: Duration,
    pub db_idle_timeout: Duration,
    /// Where the Postgres password comes from.
    pub password: PasswordSource,
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

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings from any variable source, so tests need not touch the process environment.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| var(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());

        let schema = match get("HOLIDAYS_PG_SCHEMA") {
            Some(s) => validate_schema(&s)?,
            None => DEFAULT_SCHEMA.to_owned(),
        };
        let mut password = PasswordSource::Static;
        let (database, embedded_default) = match get("DATABASE_URL") {
            Some(url) => (parse_database_url(&url, schema)?, false),
            None if get("PGHOST").is_some() || get("PGDATABASE").is_some() => {
                // A Lakebase resource sets the PG* variables but no password: the app's
                // service principal gets a token instead.
                if get("PGPASSWORD").is_none() {
                    password = databricks_password(&get)?.unwrap_or(PasswordSource::Static);
                }
                (DatabaseTarget::Postgres { conninfo: conninfo_from_pg_vars(&get), schema }, false)
            }
            None => {
                let dir = get("HOLIDAYS_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("data"));
                (DatabaseTarget::Sqlite { path: dir.join("holidays.sqlite3") }, true)
            }
        };
        let demo_data = match get("HOLIDAYS_DEMO") {
            Some(v) => parse_bool("HOLIDAYS_DEMO", &v)?,
            None => embedded_default,
        };

        let auth = match get("HOLIDAYS_AUTH").as_deref() {
            Some("proxy") => AuthMode::Proxy,
            Some("dev") => AuthMode::Dev,
            Some(other) => {
                return Err(ConfigError {
                    variable: "HOLIDAYS_AUTH",
                    problem: format!("'{other}' is neither 'proxy' nor 'dev'"),
                });
            }
            None if get("DATABRICKS_APP_NAME").is_some() => AuthMode::Proxy,
            None => AuthMode::Dev,
        };

        let admins = match get("HOLIDAYS_ADMINS") {
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    normalize_email(s).ok_or_else(|| ConfigError {
                        variable: "HOLIDAYS_ADMINS",
                        problem: format!("'{s}' is not an email address"),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            None if demo_data => vec![DEMO_ADMIN.to_owned()],
            None => Vec::new(),
        };

        let dev_user = match get("HOLIDAYS_DEV_USER") {
            Some(v) => normalize_email(&v).ok_or_else(|| ConfigError {
                variable: "HOLIDAYS_DEV_USER",
                problem: format!("'{v}' is not an email address"),
            })?,
            None => "manager@example.com".to_owned(),
        };

        let port = get("DATABRICKS_APP_PORT").map(|v| parse_number::<u16>("DATABRICKS_APP_PORT", &v)).transpose()?;
        let pool_size = get("HOLIDAYS_DB_POOL_SIZE")
            .map(|v| parse_number::<u32>("HOLIDAYS_DB_POOL_SIZE", &v))
            .transpose()?
            .unwrap_or(8)
            .max(1);
        let db_timeout = get("HOLIDAYS_DB_TIMEOUT_MS")
            .map(|v| parse_number::<u64>("HOLIDAYS_DB_TIMEOUT_MS", &v))
            .transpose()?
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(5));

        let seconds = |variable: &'static str, default: u64| -> Result<Duration, ConfigError> {
            let secs = get(variable).map(|v| parse_number::<u64>(variable, &v)).transpose()?.unwrap_or(default);
            if secs == 0 {
                return Err(ConfigError { variable, problem: "must be at least 1 second".into() });
            }
            Ok(Duration::from_secs(secs))
        };
        let db_max_lifetime = seconds("HOLIDAYS_DB_MAX_LIFETIME_SECS", 30 * 60)?;
        let db_idle_timeout = seconds("HOLIDAYS_DB_IDLE_TIMEOUT_SECS", 10 * 60)?;

        Ok(Settings {
            database,
            demo_data,
            auth,
            admins,
            dev_user,
            port,
            pool_size,
            db_timeout,
            db_max_lifetime,
            db_idle_timeout,
            password,
        })
    }

    pub fn is_admin(&self, email: &str) -> bool {
        self.admins.iter().any(|a| a == email)
    }
}

/// Lower-cases and checks an email well enough to key the directory on it.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == '<' || c == '>');
    plausible.then_some(email)
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
fn databricks_password(get: &impl Fn(&str) -> Option<String>) -> Result<Option<PasswordSource>, ConfigError> {
    let (Some(client_id), Some(secret)) = (get("DATABRICKS_CLIENT_ID"), get("DATABRICKS_CLIENT_SECRET")) else {
        return Ok(None);
    };
    let host = get("DATABRICKS_HOST").ok_or_else(|| ConfigError {
        variable: "DATABRICKS_HOST",
        problem: "must name the workspace, to get Lakebase tokens for DATABRICKS_CLIENT_ID".into(),
    })?;
    let api = match (get("LAKEBASE_INSTANCE"), get("PGENDPOINT")) {
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
fn conninfo_from_pg_vars(get: &impl Fn(&str) -> Option<String>) -> String {
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
        .filter_map(|(var, key)| get(var).map(|v| format!("{key}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))))
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

fn parse_bool(variable: &'static str, v: &str) -> Result<bool, ConfigError> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError { variable, problem: format!("'{v}' is not 1/0, true/false, yes/no or on/off") }),
    }
}

fn parse_number<T: std::str::FromStr>(variable: &'static str, v: &str) -> Result<T, ConfigError> {
    v.parse().map_err(|_| ConfigError { variable, problem: format!("'{v}' is not a valid number here") })
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
    fn nothing_set_means_embedded_sqlite_with_demo_and_dev_identity() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database, DatabaseTarget::Sqlite { path: PathBuf::from("data/holidays.sqlite3") });
        assert!(s.demo_data);
        assert_eq!(s.auth, AuthMode::Dev);
        assert_eq!(s.admins, vec![DEMO_ADMIN.to_owned()]);
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
        ] {
            let err = settings(&[(var, value)]).unwrap_err();
            assert_eq!(err.variable, var, "{value}");
            assert!(err.to_string().starts_with(&format!("configuration variable {var}: ")));
        }
    }

    #[test]
    fn admins_are_lower_cased() {
        let s = settings(&[("HOLIDAYS_ADMINS", " Boss@Example.com ,hr@example.com")]).unwrap();
        assert_eq!(s.admins, vec!["boss@example.com", "hr@example.com"]);
        assert!(s.is_admin("boss@example.com"));
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(normalize_email(" Joe@Example.COM ").as_deref(), Some("joe@example.com"));
        assert_eq!(normalize_email("joe"), None);
        assert_eq!(normalize_email("@example.com"), None);
        assert_eq!(normalize_email("a b@example.com"), None);
    }
}
