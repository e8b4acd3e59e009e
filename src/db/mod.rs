//! Connections: which backend, the pool, per-connection set-up, migrations, transactions, and
//! running blocking Diesel work off the async executor.

pub mod credentials;
pub mod grants;
pub mod statement;

use crate::config::{DatabaseTarget, PasswordSource, PoolSettings, Secret, Settings};
use crate::error::{AppError, BUSY, UNAVAILABLE};
use credentials::Credentials;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use rocket::tokio::sync::Semaphore;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[cfg(not(any(feature = "postgres", feature = "sqlite")))]
compile_error!("enable at least one of the cargo features `postgres` and `sqlite`");

/// A connection to whichever backend the configuration chose at start-up.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    #[cfg(feature = "postgres")]
    Pg(diesel::PgConnection),
    #[cfg(feature = "sqlite")]
    Sqlite(diesel::SqliteConnection),
}

#[cfg(feature = "postgres")]
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
#[cfg(feature = "sqlite")]
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Opens connections for the pool. Unlike Diesel's `ConnectionManager` it knows the backend
/// from the configuration instead of guessing from the URL, and sets each session up.
pub struct Connector {
    target: DatabaseTarget,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    credentials: Arc<Credentials>,
    max_lifetime: std::time::Duration,
}

/// A pooled connection with what the pool needs to know about it. r2d2 retires old connections
/// only every 30 s; checking the age on every check-in keeps the lifetime exact.
pub struct AgedConnection {
    conn: DbConnection,
    opened: Instant,
    /// When it was last handed back: a connection idle for longer is tested before use.
    last_used: Instant,
    /// Set when a query found the connection dead, so the pool drops it.
    broken: bool,
}

/// A connection idle for longer than this is tested with a ping before it is handed out; one
/// used more recently is trusted (HikariCP's rule). A server restart or a network cut then
/// costs no request more than one retry, and a busy pool sends no validation queries at all.
const TRUST_IF_USED_WITHIN: Duration = Duration::from_millis(500);

impl Connector {
    fn connect_now(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.target {
            #[cfg(feature = "postgres")]
            DatabaseTarget::Postgres { conninfo, schema } => {
                let password = self.credentials.password().map_err(|e| {
                    r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(format!(
                        "no database password: {e}"
                    )))
                })?;
                let conninfo = with_password(conninfo, password.as_ref());
                let mut conn = diesel::PgConnection::establish(&conninfo).map_err(r2d2::Error::ConnectionError)?;
                // Unqualified names, including Diesel's migration table, live in the app's schema.
                // The app's statements are written to be planned once per connection: a generic
                // plan saves a millisecond of planning per request, and its plan does not change
                // with the values. JIT compilation pays off for analytics, never for these
                // millisecond statements: at a million rows a mis-estimated page was compiled on
                // every request, a second each.
                conn.batch_execute(&format!(
                    "SET search_path TO {}; SET plan_cache_mode = force_generic_plan; SET jit = off",
                    quote_ident(schema)
                ))
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Pg(conn))
            }
            #[cfg(feature = "sqlite")]
            DatabaseTarget::Sqlite { path } => {
                let url = path.to_str().ok_or_else(|| {
                    r2d2::Error::ConnectionError(diesel::ConnectionError::InvalidConnectionUrl(
                        "the SQLite path is not valid UTF-8".into(),
                    ))
                })?;
                let mut conn = diesel::SqliteConnection::establish(url).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers carry on while one writer writes; writers queue for up to 5 s.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
            #[allow(unreachable_patterns)]
            _ => Err(r2d2::Error::ConnectionError(diesel::ConnectionError::InvalidConnectionUrl(
                "this build of holidays has no support for the configured database backend".into(),
            ))),
        }
    }
}

impl ManageConnection for Connector {
    type Connection = AgedConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AgedConnection, r2d2::Error> {
        let now = Instant::now();
        Ok(AgedConnection { conn: self.connect_now()?, opened: now, last_used: now, broken: false })
    }

    /// Only called when r2d2 tests connections itself, which it does not here (see `checkout`).
    fn is_valid(&self, aged: &mut AgedConnection) -> Result<(), r2d2::Error> {
        aged.conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, aged: &mut AgedConnection) -> bool {
        aged.broken || aged.conn.is_broken() || aged.opened.elapsed() >= self.max_lifetime
    }
}

pub type Pool = r2d2::Pool<Connector>;

/// Adds the password to a libpq connection string, in URL or `key=value` form.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
fn with_password(conninfo: &str, password: Option<&Secret>) -> String {
    let Some(password) = password else { return conninfo.to_owned() };
    if conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://") {
        let encoded: String = password
            .expose()
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        let separator = if conninfo.contains('?') { '&' } else { '?' };
        format!("{conninfo}{separator}password={encoded}")
    } else {
        let quoted = password.expose().replace('\\', "\\\\").replace('\'', "\\'");
        format!("{conninfo} password='{quoted}'")
    }
}

/// Quotes a Postgres identifier. Role and schema names may be UUIDs or mixed case.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The app's handle on the database, kept in Rocket's managed state.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    max_lifetime: Duration,
    /// One permit per pooled connection: requests beyond that wait here, as cheap futures,
    /// rather than each holding a blocking thread (and its memory) while it waits for a
    /// connection.
    turns: Arc<Semaphore>,
    wait: Duration,
}

type Pooled = r2d2::PooledConnection<Connector>;

impl Db {
    /// Builds the pool, prepares the schema and applies pending migrations.
    pub fn open(settings: &Settings) -> Result<Db, String> {
        // libpq speaks TLS through OpenSSL, whose exit handler frees its global state while pool
        // threads may still be opening connections: the process then crashes on its way out.
        // This initialises OpenSSL without that handler, before libpq first touches it.
        #[cfg(feature = "postgres")]
        openssl_sys::init();
        if let DatabaseTarget::Sqlite { path } = &settings.database
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create the data folder {}: {e}", dir.display()))?;
        }
        let credentials = Arc::new(Credentials::new(settings.password.clone()));
        // A rejected secret stops start-up here, with the variable to check, rather than as a
        // pool time-out.
        credentials.password().map_err(|e| format!("cannot get a database password: {e}"))?;
        if let PasswordSource::Databricks { host, api, .. } = credentials.source() {
            rocket::info!("database passwords are tokens from {host} ({api:?})");
        }
        let PoolSettings { size, timeout, max_lifetime, idle_timeout } = settings.pool;
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(timeout)
            .max_lifetime(Some(max_lifetime))
            .idle_timeout(Some(idle_timeout))
            .test_on_check_out(false)
            .build(Connector { target: settings.database.clone(), credentials, max_lifetime })
            .map_err(|e| format!("cannot connect to the database: {e}"))?;
        let db = Db { pool, max_lifetime, turns: Arc::new(Semaphore::new(size as usize)), wait: timeout };
        let mut conn = db.pool.get().map_err(|e| format!("cannot connect to the database: {e}"))?;
        migrate(&mut conn.conn, &settings.database)?;
        Ok(db)
    }

    /// Reads. A read that fails because its connection turned out to be dead (the server
    /// restarted, the network was cut) is run once more on a fresh connection: reading twice
    /// changes nothing.
    pub async fn read<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: Fn(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        self.off_executor(move || {
            match db.run_once(&work) {
                Err(Attempt::ConnectionLost(_)) => {
                    rocket::warn!("database connection lost during a read; reading again on a fresh one");
                    db.run_once(&work)
                }
                other => other,
            }
            .map_err(Attempt::into_error)
        })
        .await
    }

    /// Changes, in one transaction with the isolation the rules rely on: see
    /// [`write_transaction`]. Never retried, since whether a lost commit happened is unknown.
    pub async fn write<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        self.off_executor(move || db.run_blocking(|conn| write_transaction(conn, work))).await
    }

    /// Runs blocking work on Tokio's blocking threads, never on the executor's, once a
    /// connection's turn is free; waiting longer than the pool's time-out is a 503, as waiting
    /// for the connection itself would be.
    async fn off_executor<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let turn = rocket::tokio::time::timeout(self.wait, self.turns.clone().acquire_owned()).await;
        let Ok(Ok(turn)) = turn else {
            rocket::warn!("no database connection free within {:?}", self.wait);
            return Err(AppError::Unavailable(UNAVAILABLE.into()));
        };
        let result = rocket::tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::Internal(format!("database task failed: {e}")))?;
        drop(turn);
        result
    }

    /// Runs work on a connection, for callers that are already off the executor (start-up,
    /// the command line).
    pub fn run_blocking<T>(&self, work: impl FnOnce(&mut DbConnection) -> Result<T, AppError>) -> Result<T, AppError> {
        self.run_once(work).map_err(Attempt::into_error)
    }

    fn run_once<T>(&self, work: impl FnOnce(&mut DbConnection) -> Result<T, AppError>) -> Result<T, Attempt> {
        let mut pooled = self.checkout()?;
        let result = work(&mut pooled.conn);
        pooled.last_used = Instant::now();
        result.map_err(|err| match err {
            AppError::Database(e) => match classify(e, &mut pooled.conn) {
                (error, true) => {
                    pooled.broken = true;
                    Attempt::ConnectionLost(error)
                }
                (error, false) => Attempt::Failed(error),
            },
            other => Attempt::Failed(other),
        })
    }

    /// A connection from the pool: one past its lifetime is replaced, one idle for a while is
    /// pinged first and replaced if dead.
    fn checkout(&self) -> Result<Pooled, Attempt> {
        let unavailable = |e: r2d2::PoolError| {
            rocket::warn!("no database connection: {e}");
            Attempt::Failed(AppError::Unavailable(UNAVAILABLE.into()))
        };
        let mut pooled = self.pool.get().map_err(unavailable)?;
        let stale = pooled.opened.elapsed() >= self.max_lifetime
            || (pooled.last_used.elapsed() > TRUST_IF_USED_WITHIN && pooled.conn.ping().is_err());
        if stale {
            pooled.broken = true;
            drop(pooled);
            pooled = self.pool.get().map_err(unavailable)?;
        }
        Ok(pooled)
    }
}

/// What one run on one connection came to.
enum Attempt {
    /// The connection died under the work; nothing can have been committed by a read.
    ConnectionLost(AppError),
    Failed(AppError),
}

impl Attempt {
    fn into_error(self) -> AppError {
        match self {
            Attempt::ConnectionLost(e) | Attempt::Failed(e) => e,
        }
    }
}

/// A database error is the database being away or busy (503, try again) or a bug (500); the
/// flag says whether the connection itself is gone.
fn classify(e: DieselError, conn: &mut DbConnection) -> (AppError, bool) {
    let busy = match &e {
        DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        DieselError::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("database is locked") || m.contains("database is busy")
        }
        _ => false,
    };
    if busy {
        rocket::warn!("database busy: {e}");
        return (AppError::Unavailable(BUSY.into()), false);
    }
    let gone = matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _)
    ) || conn.is_broken()
        || conn.ping().is_err();
    if gone {
        rocket::warn!("database connection lost: {e}");
        (AppError::Unavailable(UNAVAILABLE.into()), true)
    } else {
        (AppError::Database(e), false)
    }
}

/// Applies pending migrations. On Postgres the schema is created first (the app owns it), and
/// an advisory lock keeps two instances starting together from migrating at the same time.
fn migrate(conn: &mut DbConnection, target: &DatabaseTarget) -> Result<(), String> {
    let failed = |e: &dyn std::fmt::Display| format!("cannot migrate the database: {e}");
    match (conn, target) {
        #[cfg(feature = "postgres")]
        (DbConnection::Pg(pg), DatabaseTarget::Postgres { schema, .. }) => {
            let key = format!("'holidays-migrations:{schema}'");
            pg.batch_execute(&format!(
                "SELECT pg_advisory_lock(hashtext({key})); CREATE SCHEMA IF NOT EXISTS {};",
                quote_ident(schema)
            ))
            .map_err(|e| failed(&e))?;
            let result = schema_is_ours(pg, schema)
                .and_then(|()| pg.run_pending_migrations(PG_MIGRATIONS).map(drop).map_err(|e| failed(&e)));
            pg.batch_execute(&format!("SELECT pg_advisory_unlock(hashtext({key}))")).map_err(|e| failed(&e))?;
            result
        }
        #[cfg(feature = "sqlite")]
        (DbConnection::Sqlite(lite), _) => {
            lite.run_pending_migrations(SQLITE_MIGRATIONS).map(drop).map_err(|e| failed(&e))
        }
        #[allow(unreachable_patterns)]
        _ => Err("the connection does not match the configured backend".into()),
    }
}

/// The most common Lakebase permission problem is a schema made by somebody else (by hand, as
/// the walkthrough does): say so plainly, with the ways out, instead of a bare SQL error.
#[cfg(feature = "postgres")]
fn schema_is_ours(pg: &mut diesel::PgConnection, schema: &str) -> Result<(), String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Rights {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        can_create: bool,
        #[diesel(sql_type = diesel::sql_types::Text)]
        me: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        owner: String,
    }
    let rights: Rights = diesel::sql_query(
        "SELECT has_schema_privilege(current_user, n.oid, 'CREATE') AS can_create, current_user::text AS me, \
         pg_get_userbyid(n.nspowner)::text AS owner FROM pg_namespace n WHERE n.nspname = $1",
    )
    .bind::<diesel::sql_types::Text, _>(schema)
    .get_result(pg)
    .map_err(|e| format!("cannot check the schema {schema}: {e}"))?;
    if rights.can_create {
        return Ok(());
    }
    let (s, me, owner) = (quote_ident(schema), quote_ident(&rights.me), quote_ident(&rights.owner));
    Err(format!(
        "the schema {s} belongs to the role {owner}, and this app's role {me} cannot create tables in it. \
         Let the app own it (as {owner}: ALTER SCHEMA {s} OWNER TO {me}), or grant it CREATE and USAGE \
         on the schema and ownership of its tables, or set HOLIDAYS_PG_SCHEMA to a schema of the app's own"
    ))
}

/// Runs `work` in a transaction whose isolation is set here, not left to the server's or the
/// role's default, because the rules' checks rely on it:
///
/// - Postgres: READ COMMITTED, so that a check made after [`take_turns`] sees every row
///   committed before the lock was granted (under REPEATABLE READ the snapshot would predate
///   it). Conditional updates and the database's own constraints do the rest.
/// - SQLite: `BEGIN IMMEDIATE`, which takes the write lock up front: writers queue instead of
///   failing with "database is locked" when another commits between their read and write.
pub fn write_transaction<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match conn {
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => {
            AnsiTransactionManager::begin_transaction_sql(pg, "BEGIN ISOLATION LEVEL READ COMMITTED")?
        }
        #[cfg(feature = "sqlite")]
        DbConnection::Sqlite(lite) => AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN IMMEDIATE")?,
    }
    match work(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn) {
                rocket::error!("rollback failed: {rollback}");
            }
            Err(e)
        }
    }
}

/// Asks the database to answer at all.
pub fn ping(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

/// Inside a write transaction, waits for any other transaction that took the same `key` to
/// finish. SQLite's immediate transactions already serialise all writers; on Postgres this is
/// a transaction-scoped advisory lock.
#[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
pub fn take_turns(conn: &mut DbConnection, key: &str) -> diesel::QueryResult<()> {
    match conn {
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => {
            use statement::{Param, Statement};
            diesel::RunQueryDsl::execute(Statement::<AdvisoryLock>::new(vec![Param::Text(key)]), pg).map(drop)
        }
        #[allow(unreachable_patterns)]
        _ => Ok(()),
    }
}

#[cfg(feature = "postgres")]
crate::statement!(
    /// Waits for the transaction-scoped lock named by the parameter.
    AdvisoryLock -> () = "SELECT pg_advisory_xact_lock(hashtext({}))"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_join_either_form_of_connection_string() {
        let token = Secret::new("eyJ0.a+b/c='d");
        assert_eq!(with_password("postgres://u@h/db", None), "postgres://u@h/db");
        assert_eq!(
            with_password("postgres://u@h/db", Some(&token)),
            "postgres://u@h/db?password=eyJ0.a%2Bb%2Fc%3D%27d"
        );
        assert_eq!(
            with_password("postgresql://u@h/db?sslmode=require", Some(&token)),
            "postgresql://u@h/db?sslmode=require&password=eyJ0.a%2Bb%2Fc%3D%27d"
        );
        assert_eq!(with_password("host='h' user='u'", Some(&token)), r"host='h' user='u' password='eyJ0.a+b/c=\'d'");
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("holidays"), "\"holidays\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
