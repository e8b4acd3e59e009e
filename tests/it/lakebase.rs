//! Lakebase, reproduced locally: a Postgres cluster of the tests' own that accepts only TLS and
//! scram passwords, with a role named like a service principal's UUID and a database
//! `databricks_postgres`; and a stand-in for the workspace's OIDC endpoint that mints
//! short-lived tokens and makes each new one the role's password, so a stale token is refused
//! at login exactly as on Lakebase.

use crate::support::*;
use base64::prelude::*;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use rocket::http::Status;
use rocket::local::blocking::Client;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub struct Cluster {
    pub port: u16,
    socket_dir: PathBuf,
}

impl Cluster {
    /// A superuser connection over the Unix socket (trusted, like an operator's console).
    pub fn admin(&self, database: &str) -> diesel::PgConnection {
        let url = format!("host={} port={} user=postgres dbname={database}", self.socket_dir.display(), self.port);
        diesel::PgConnection::establish(&url).expect("admin connection to the Lakebase-like cluster")
    }

    /// Logs in over TCP as Lakebase clients do.
    pub fn login(&self, p: &Principal, password: &str, sslmode: &str) -> Result<diesel::PgConnection, String> {
        let url = format!(
            "host=127.0.0.1 port={} dbname={} user='{}' password='{password}' sslmode={sslmode}",
            self.port, p.database, p.client_id
        );
        diesel::PgConnection::establish(&url).map_err(|e| e.to_string())
    }
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

/// The one cluster all tests of this run share; each test has its own role and schema.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| start_cluster().unwrap_or_else(|e| panic!("cannot start the Lakebase-like Postgres: {e}")))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() { Ok(()) } else { Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr))) }
}

fn as_postgres(program: &str) -> Command {
    // The server refuses to run as root.
    let mut cmd = Command::new("runuser");
    cmd.args(["-u", "postgres", "--", program]);
    cmd
}

fn start_cluster() -> Result<Cluster, String> {
    let bindir = Command::new("pg_config").arg("--bindir").output().map_err(|e| format!("pg_config: {e}"))?;
    let bindir = PathBuf::from(String::from_utf8_lossy(&bindir.stdout).trim());
    let dir = std::env::temp_dir().join(unique("lakebase"));
    let data = dir.join("data");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    run(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
    run(as_postgres(&bindir.join("initdb").display().to_string()).arg("-D").arg(&data).args([
        "-U",
        "postgres",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--no-sync",
    ]))?;
    run(as_postgres("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout"])
        .arg(data.join("server.key"))
        .arg("-out")
        .arg(data.join("server.crt")))?;
    run(as_postgres("chmod").arg("600").arg(data.join("server.key")))?;

    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let mut conf =
        std::fs::OpenOptions::new().append(true).open(data.join("postgresql.conf")).map_err(|e| e.to_string())?;
    writeln!(
        conf,
        "port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nssl = on\n\
         password_encryption = 'scram-sha-256'\nmax_connections = 200\nfsync = off\n",
        dir.display()
    )
    .map_err(|e| e.to_string())?;
    // TLS only over the network, scram only, as on Lakebase.
    std::fs::write(
        data.join("pg_hba.conf"),
        "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 0.0.0.0/0 reject\n",
    )
    .map_err(|e| e.to_string())?;

    // The server stops, and its folder goes, once this test process is gone.
    let watchdog = format!(
        "{postgres} -D {data} >{dir}/server.log 2>&1 & pg=$!; \
         while [ -d /proc/{me} ] && kill -0 $pg 2>/dev/null; do sleep 0.5; done; \
         kill -INT $pg 2>/dev/null; wait $pg; rm -rf {dir}",
        postgres = bindir.join("postgres").display(),
        data = data.display(),
        dir = dir.display(),
        me = std::process::id()
    );
    as_postgres("sh")
        .args(["-c", &watchdog])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start postgres: {e}"))?;

    let cluster = Cluster { port, socket_dir: dir.clone() };
    let deadline = Instant::now() + Duration::from_secs(30);
    let url = format!("host={} port={port} user=postgres dbname=postgres", dir.display());
    let mut admin = loop {
        match diesel::PgConnection::establish(&url) {
            Ok(conn) => break conn,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => {
                let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                return Err(format!("the server did not come up: {e}\n{log}"));
            }
        }
    };
    admin.batch_execute("CREATE DATABASE databricks_postgres").map_err(|e| e.to_string())?;
    Ok(cluster)
}

/// A service principal: its client id is also its Postgres role, as on Databricks Apps.
pub struct Principal {
    pub client_id: String,
    pub secret: String,
    /// The database its app's resource points at.
    pub database: String,
}

impl Principal {
    /// A principal for `databricks_postgres`; give each a schema of its own.
    pub fn new() -> Principal {
        Principal::for_database("databricks_postgres")
    }

    /// A principal with a database of its own, for a test that needs the default schema name.
    pub fn with_own_database() -> Principal {
        let database = unique("db");
        cluster().admin("postgres").batch_execute(&format!("CREATE DATABASE {database}")).expect("create database");
        Principal::for_database(&database)
    }

    fn for_database(database: &str) -> Principal {
        let n = unique("p");
        let hex: String = format!("{:x}", fnv(&n)).chars().cycle().take(32).collect();
        let client_id = format!("{}-{}-4{}-8{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32]);
        // Concurrent GRANTs on one database collide ("tuple concurrently updated").
        static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        let mut admin = cluster().admin(database);
        // What adding the database resource to an app does: the role, and CONNECT and CREATE.
        admin
            .batch_execute(&format!(
                "CREATE ROLE \"{client_id}\" LOGIN; GRANT CONNECT, CREATE ON DATABASE {database} TO \"{client_id}\";"
            ))
            .expect("create the principal's role");
        Principal { client_id, secret: format!("dose{}", fnv(&n)), database: database.to_owned() }
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// The workspace's `/oidc/v1/token`, for one principal.
pub struct TokenEndpoint {
    pub url: String,
    pub minted: Arc<AtomicUsize>,
    /// Workspace tokens, oldest first.
    pub tokens: Arc<Mutex<Vec<String>>>,
    /// Database credentials minted by the credential APIs, oldest first.
    pub db_tokens: Arc<Mutex<Vec<String>>>,
    /// Every request received, answered or not.
    pub requests: Arc<AtomicUsize>,
    down: Arc<AtomicBool>,
    /// Requests still to be answered 503 before the endpoint behaves again.
    fail_next: Arc<AtomicUsize>,
}

impl TokenEndpoint {
    /// Mints a new token for every request; only the newest one logs in.
    pub fn start(principal: &Principal, lifetime_secs: u64) -> TokenEndpoint {
        TokenEndpoint::serve(principal, lifetime_secs, false)
    }

    /// Hands the same token to every caller until it expires, so several app instances can hold
    /// valid tokens at once as they do on Databricks (one role has only one password here).
    pub fn start_shared(principal: &Principal, lifetime_secs: u64) -> TokenEndpoint {
        TokenEndpoint::serve(principal, lifetime_secs, true)
    }

    fn serve(principal: &Principal, lifetime_secs: u64, reuse: bool) -> TokenEndpoint {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let endpoint = TokenEndpoint {
            url: format!("http://127.0.0.1:{}", listener.local_addr().expect("addr").port()),
            minted: Arc::default(),
            tokens: Arc::default(),
            db_tokens: Arc::default(),
            requests: Arc::default(),
            down: Arc::default(),
            fail_next: Arc::default(),
        };
        let state = StandIn {
            basic: format!("Basic {}", BASE64_STANDARD.encode(format!("{}:{}", principal.client_id, principal.secret))),
            role: principal.client_id.clone(),
            lifetime_secs,
            reuse,
            current: Mutex::new(None),
            minted: endpoint.minted.clone(),
            tokens: endpoint.tokens.clone(),
            db_tokens: endpoint.db_tokens.clone(),
            requests: endpoint.requests.clone(),
            down: endpoint.down.clone(),
            fail_next: endpoint.fail_next.clone(),
        };
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if let Some((head, body)) = read_request(&stream) {
                    respond(stream, state.answer(&head, &body));
                }
            }
        });
        endpoint
    }

    /// Answers the next `n` requests with 503, as a workspace under load would.
    pub fn fail_next(&self, n: usize) {
        self.fail_next.store(n, Ordering::SeqCst);
    }

    pub fn go_down(&self) {
        self.down.store(true, Ordering::SeqCst);
    }

    pub fn come_back(&self) {
        self.down.store(false, Ordering::SeqCst);
    }

    pub fn minted(&self) -> usize {
        self.minted.load(Ordering::SeqCst)
    }
}

struct StandIn {
    basic: String,
    role: String,
    lifetime_secs: u64,
    reuse: bool,
    current: Mutex<Option<(String, Instant)>>,
    minted: Arc<AtomicUsize>,
    tokens: Arc<Mutex<Vec<String>>>,
    db_tokens: Arc<Mutex<Vec<String>>>,
    requests: Arc<AtomicUsize>,
    down: Arc<AtomicBool>,
    fail_next: Arc<AtomicUsize>,
}

impl StandIn {
    fn answer(&self, head: &str, body: &str) -> (u16, String) {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let header = |name: &str| {
            head.lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()))
        };
        if self.down.load(Ordering::SeqCst)
            || self.fail_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
        {
            return (503, r#"{"error":"temporarily_unavailable"}"#.to_owned());
        }
        if head.starts_with("POST /oidc/v1/token ") && body.contains("grant_type=client_credentials") {
            return self.workspace_token(header("authorization") == Some(self.basic.as_str()));
        }
        let credential_api = head.starts_with("POST /api/2.0/database/credentials ")
            && body.contains(r#""instance_names":["holidays-db"]"#)
            && body.contains(r#""request_id":""#)
            || head.starts_with("POST /api/2.0/postgres/credentials ")
                && body.contains(r#""endpoint":"projects/p/branches/b/endpoints/e""#);
        if !credential_api {
            return (400, r#"{"error":"invalid_request"}"#.to_owned());
        }
        let bearer = header("authorization").and_then(|v| v.strip_prefix("Bearer "));
        if !bearer.is_some_and(|t| self.tokens.lock().unwrap().iter().any(|known| known == t)) {
            return (401, r#"{"error_code":"UNAUTHENTICATED","message":"Invalid access token."}"#.to_owned());
        }
        let token = self.mint("dbcred");
        self.db_tokens.lock().unwrap().push(token.clone());
        let expiry = (chrono::Utc::now() + chrono::Duration::seconds(self.lifetime_secs as i64)).to_rfc3339();
        (200, format!(r#"{{"token":"{token}","expiration_time":"{expiry}","expire_time":"{expiry}"}}"#))
    }

    fn workspace_token(&self, authorised: bool) -> (u16, String) {
        if !authorised {
            return (
                401,
                r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#.to_owned(),
            );
        }
        let reusable =
            self.current.lock().unwrap().clone().filter(|(_, expires)| self.reuse && *expires > Instant::now());
        let (token, secs) = match reusable {
            Some((token, expires)) => (token, expires.saturating_duration_since(Instant::now()).as_secs()),
            None => {
                let token = self.mint("eyJtoken");
                self.tokens.lock().unwrap().push(token.clone());
                let expires = Instant::now() + Duration::from_secs(self.lifetime_secs);
                *self.current.lock().unwrap() = Some((token.clone(), expires));
                (token, self.lifetime_secs)
            }
        };
        (200, format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{secs}}}"#))
    }

    /// A new token that becomes the role's password: older ones stop working at login.
    fn mint(&self, prefix: &str) -> String {
        let n = self.minted.fetch_add(1, Ordering::SeqCst) + 1;
        let token = format!("{prefix}{n}x{}", fnv(&unique("t")));
        cluster()
            .admin("postgres")
            .batch_execute(&format!("ALTER ROLE \"{}\" PASSWORD '{token}'", self.role))
            .expect("set the role's password");
        token
    }
}

fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let length = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((head, String::from_utf8_lossy(&body).into_owned()))
}

fn respond(mut stream: TcpStream, (status, body): (u16, String)) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The variables Databricks Apps sets for an app with a Lakebase database resource.
pub fn databricks_env(principal: &Principal, endpoint: &TokenEndpoint) -> Vec<(String, String)> {
    [
        ("DATABRICKS_APP_NAME", "holidays".to_owned()),
        ("DATABRICKS_HOST", endpoint.url.clone()),
        ("DATABRICKS_CLIENT_ID", principal.client_id.clone()),
        ("DATABRICKS_CLIENT_SECRET", principal.secret.clone()),
        ("DATABRICKS_WORKSPACE_ID", "1234567890".to_owned()),
        ("PGHOST", "127.0.0.1".to_owned()),
        ("PGPORT", cluster().port.to_string()),
        ("PGDATABASE", principal.database.clone()),
        ("PGUSER", principal.client_id.clone()),
        ("PGSSLMODE", "require".to_owned()),
        ("PGAPPNAME", "holidays".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn settings(env: &[(String, String)], extra: &[(&str, &str)]) -> holidays::config::Settings {
    let mut vars: std::collections::HashMap<String, String> = env.iter().cloned().collect();
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    holidays::config::Settings::from_lookup(|k| vars.get(k).cloned()).expect("valid settings")
}

fn start(env: &[(String, String)], extra: &[(&str, &str)]) -> Client {
    Client::tracked(quiet_rocket(settings(env, extra))).expect("rocket")
}

fn get(client: &Client, path: &str) -> Status {
    client.get(path.to_owned()).header(identity(MARIA)).dispatch().status()
}

fn kill_connections_of(role: &str) {
    cluster()
        .admin("databricks_postgres")
        .batch_execute(&format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"))
        .expect("terminate");
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn serves_through_lakebase_with_fresh_tokens_as_they_expire() {
    let principal = Principal::with_own_database();
    let endpoint = TokenEndpoint::start(&principal, 2);
    let env = databricks_env(&principal, &endpoint);
    let app = start(&env, &[("HOLIDAYS_DEMO", "1"), ("HOLIDAYS_DB_MAX_LIFETIME_SECS", "1")]);
    let first_token = endpoint.tokens.lock().unwrap()[0].clone();

    let began = Instant::now();
    let mut served = 0;
    while began.elapsed() < Duration::from_secs(6) {
        assert_eq!(get(&app, "/api/requests"), Status::Ok, "after {:?}", began.elapsed());
        served += 1;
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(endpoint.minted() >= 3, "tokens were renewed as they aged: {} minted", endpoint.minted());
    assert!(served >= 20);

    // It really is like Lakebase: stale tokens and plain-text connections are refused.
    let stale = cluster().login(&principal, &first_token, "require");
    assert!(stale.is_err(), "a stale token must be refused at login");
    let current = endpoint.tokens.lock().unwrap().last().cloned().unwrap_or_default();
    assert!(cluster().login(&principal, &current, "require").is_ok());
    assert!(cluster().login(&principal, &current, "disable").is_err(), "TLS only");

    // The app created its schema, so it owns it: no GRANT was run by hand.
    let mut admin = cluster().admin(&principal.database);
    #[derive(diesel::QueryableByName)]
    struct Owner {
        #[diesel(sql_type = diesel::sql_types::Text)]
        owner: String,
    }
    use diesel::RunQueryDsl;
    let owner: Owner = diesel::sql_query(
        "SELECT pg_get_userbyid(nspowner)::text AS owner FROM pg_namespace WHERE nspname = 'holidays'",
    )
    .get_result(&mut admin)
    .expect("the holidays schema exists");
    assert_eq!(owner.owner, principal.client_id);
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn with_the_token_endpoint_down_open_connections_serve_and_new_ones_503() {
    let principal = Principal::new();
    let endpoint = TokenEndpoint::start(&principal, 1);
    let env = databricks_env(&principal, &endpoint);
    let schema = unique("s");
    let app = start(
        &env,
        &[("HOLIDAYS_PG_SCHEMA", &schema), ("HOLIDAYS_DB_POOL_SIZE", "1"), ("HOLIDAYS_DB_TIMEOUT_MS", "1500")],
    );
    assert_eq!(get(&app, "/api/requests"), Status::Ok);

    endpoint.go_down();
    std::thread::sleep(Duration::from_millis(1200)); // the cached token has expired
    for _ in 0..3 {
        assert_eq!(get(&app, "/api/requests"), Status::Ok, "the open connection needs no token");
    }

    kill_connections_of(&principal.client_id);
    let res = app.get("/api/requests").header(identity(MARIA)).dispatch();
    let (status, body) = json_of(res);
    assert_eq!(status, Status::ServiceUnavailable, "{body}");
    assert!(body["error"].as_str().unwrap_or_default().contains("database is not answering"), "{body}");
    assert_eq!(get(&app, "/healthz"), Status::ServiceUnavailable);

    endpoint.come_back();
    let back = Instant::now();
    while get(&app, "/healthz") != Status::Ok {
        assert!(back.elapsed() < Duration::from_secs(15), "not healed 15 s after the endpoint returned");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(get(&app, "/api/requests"), Status::Ok);
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn many_new_connections_share_one_token_request() {
    let principal = Principal::new();
    let endpoint = TokenEndpoint::start(&principal, 3);
    let env = databricks_env(&principal, &endpoint);
    let schema = unique("s");
    let settings = settings(
        &env,
        &[("HOLIDAYS_PG_SCHEMA", &schema), ("HOLIDAYS_DB_POOL_SIZE", "8"), ("HOLIDAYS_DB_TIMEOUT_MS", "10000")],
    );
    std::thread::sleep(Duration::from_millis(2500)); // the start-up token is due for renewal
    let before = endpoint.minted();
    let statuses = rocket::execute(async {
        let client = rocket::local::asynchronous::Client::untracked(quiet_rocket(settings)).await.expect("rocket");
        let client = &client;
        let requests = (0..24)
            .map(|_| async move { client.get("/api/requests").header(identity(MARIA)).dispatch().await.status() });
        futures::future::join_all(requests).await
    });
    assert!(statuses.iter().all(|s| *s == Status::Ok), "{statuses:?}");
    assert_eq!(endpoint.minted() - before, 1, "one renewal for all the connections that needed it");
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn a_rejected_secret_stops_start_up_naming_the_variables_and_never_the_secret() {
    let principal = Principal::new();
    let endpoint = TokenEndpoint::start(&principal, 60);
    let mut env = databricks_env(&principal, &endpoint);
    let wrong = "dose-WRONG-s3cr3t";
    for (k, v) in env.iter_mut() {
        if k == "DATABRICKS_CLIENT_SECRET" {
            *v = wrong.to_owned();
        }
    }
    let Err(message) = holidays::build(settings(&env, &[])) else { panic!("started with a wrong secret") };
    assert!(message.contains("check DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET"), "{message}");
    assert!(message.contains("401"), "{message}");
    assert!(!message.contains(wrong) && !message.contains(&principal.secret), "{message}");

    for (k, v) in env.iter_mut() {
        if k == "DATABRICKS_HOST" {
            *v = "http://127.0.0.1:9".to_owned();
        }
    }
    let Err(message) = holidays::build(settings(&env, &[])) else { panic!("started without a token endpoint") };
    assert!(message.contains("could not be reached"), "{message}");
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn two_instances_starting_together_both_come_up() {
    let principal = Principal::new();
    let endpoint = TokenEndpoint::start_shared(&principal, 60);
    let env = databricks_env(&principal, &endpoint);
    let schema = unique("s");
    let instances: Vec<_> = (0..2)
        .map(|_| {
            let s = settings(&env, &[("HOLIDAYS_PG_SCHEMA", &schema), ("HOLIDAYS_DEMO", "1")]);
            std::thread::spawn(move || holidays::build(s).map(drop))
        })
        .collect();
    for instance in instances {
        instance.join().expect("no panic").expect("both instances start");
    }
    let mut admin = cluster().admin("databricks_postgres");
    admin.batch_execute(&format!("SET search_path TO \"{schema}\"")).expect("schema");
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    use diesel::RunQueryDsl;
    let count =
        |sql: &str| diesel::sql_query(sql).get_result::<N>(&mut cluster().admin("databricks_postgres")).map(|r| r.n);
    let migrations =
        count(&format!("SELECT count(*) AS n FROM \"{schema}\".__diesel_schema_migrations")).expect("count");
    let shipped =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres")).expect("migrations").count();
    assert_eq!(migrations, shipped as i64, "each migration applied once");
    let people = count(&format!("SELECT count(*) AS n FROM \"{schema}\".people")).expect("count");
    assert_eq!(people, 7, "the demo data loaded once");
    let app = start(&env, &[("HOLIDAYS_PG_SCHEMA", &schema)]);
    assert_eq!(get(&app, "/healthz"), Status::Ok);
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn printed_grants_give_another_role_exactly_the_access_asked_for() {
    let principal = Principal::new();
    let endpoint = TokenEndpoint::start(&principal, 60);
    let env = databricks_env(&principal, &endpoint);
    let schema = unique("s");
    let app = start(&env, &[("HOLIDAYS_PG_SCHEMA", &schema), ("HOLIDAYS_DEMO", "1")]);
    assert_eq!(get(&app, "/healthz"), Status::Ok);

    let reader = Principal::new();
    cluster()
        .admin("databricks_postgres")
        .batch_execute(&format!("ALTER ROLE \"{}\" PASSWORD 'reader-pw'", reader.client_id))
        .expect("reader password");
    let out = Command::new(env!("CARGO_BIN_EXE_holidays"))
        .env_clear()
        .env("DATABASE_URL", "postgres://unused@127.0.0.1/none")
        .env("HOLIDAYS_PG_SCHEMA", &schema)
        .args(["print-grants", &reader.client_id, "--read-only"])
        .output()
        .expect("run holidays");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let grants = String::from_utf8_lossy(&out.stdout).into_owned();

    // Run as the app's own role, which owns the schema: what an admin would paste.
    let token = endpoint.tokens.lock().unwrap().last().cloned().unwrap_or_default();
    let mut app_role = cluster().login(&principal, &token, "require").expect("app login");
    app_role.batch_execute(&grants).expect("the printed grants run");

    let mut as_reader = cluster().login(&reader, "reader-pw", "require").expect("reader login");
    as_reader.batch_execute(&format!("SELECT * FROM \"{schema}\".holiday_requests")).expect("the reader can read");
    let write = as_reader.batch_execute(&format!("UPDATE \"{schema}\".holiday_requests SET status = 'Approved'"));
    assert!(write.is_err(), "read-only means read-only");
}

/// A GET to the app on a port, as the platform's health check or proxy would make it.
fn http_get(port: u16, path: &str, email: Option<&str>) -> Option<(u16, String)> {
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(5)).build().ok()?;
    let mut request = client.get(format!("http://127.0.0.1:{port}{path}"));
    if let Some(email) = email {
        request = request.header("X-Forwarded-Email", email);
    }
    let response = request.send().ok()?;
    let status = response.status().as_u16();
    Some((status, response.text().ok()?))
}

/// The `name`/`value` pairs of an app.yaml `env:` list (`valueFrom` ones are the platform's).
fn app_yaml_values(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut name: Option<String> = None;
    for line in text.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
        if let Some(n) = line.strip_prefix("- name:") {
            name = Some(n.trim().trim_matches('"').to_owned());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("value:"), name.take()) {
            pairs.push((n, v.trim().trim_matches('"').to_owned()));
        }
    }
    pairs
}

#[test]
#[cfg_attr(not(deploy_tests), ignore = "set HOLIDAYS_APP_DIR to a folder built by scripts/build-app.sh to run this")]
#[cfg_attr(all(deploy_tests, not(postgres_tests)), ignore = "set TEST_DATABASE_URL too: this needs the Postgres tools")]
fn the_deployed_folder_runs_with_only_what_databricks_sets() {
    let dir = PathBuf::from(std::env::var("HOLIDAYS_APP_DIR").expect("HOLIDAYS_APP_DIR"));
    let principal = Principal::with_own_database();
    let endpoint = TokenEndpoint::start(&principal, 3600);
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let app_yaml = std::fs::read_to_string(dir.join("app.yaml")).expect("app.yaml in the folder");

    let mut cmd = Command::new("sh");
    cmd.arg("start.sh").current_dir(&dir).env_clear().env("PATH", "/usr/bin:/bin");
    cmd.envs(databricks_env(&principal, &endpoint)).env("DATABRICKS_APP_PORT", port.to_string());
    cmd.envs(app_yaml_values(&app_yaml));
    let started = Instant::now();
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("start.sh runs");

    let mut first_ok = None;
    while started.elapsed() < Duration::from_secs(30) {
        if let Some((200, _)) = http_get(port, "/healthz", None) {
            first_ok = Some(started.elapsed());
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut err));
            panic!("the app exited with {status}: {err}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let first_ok = first_ok.expect("the deployed app answers /healthz within 30 s");
    eprintln!("deployed folder: first 200 from /healthz {first_ok:?} after start");

    assert_eq!(http_get(port, "/api/requests", None).map(|r| r.0), Some(401), "proxy identity");
    assert_eq!(http_get(port, "/api/requests", Some("someone@example.com")).map(|r| r.0), Some(200));
    let (_, page) = http_get(port, "/", Some("someone@example.com")).expect("page");
    assert!(page.contains("/static/htmx.min.js") && !page.contains("Development identity"));
    assert_eq!(http_get(port, "/static/app.css", None).map(|r| r.0), Some(200), "assets are in the binary");

    let term = Instant::now();
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            assert!(status.success(), "a clean exit on SIGTERM: {status}");
            break;
        }
        assert!(term.elapsed() < Duration::from_secs(10), "still running 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("deployed folder: exited {:?} after SIGTERM", term.elapsed());
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn a_schema_made_by_another_role_is_explained_not_just_refused() {
    let schema = unique("s");
    let owner = Principal::new();
    let owner_endpoint = TokenEndpoint::start(&owner, 60);
    let app = start(&databricks_env(&owner, &owner_endpoint), &[("HOLIDAYS_PG_SCHEMA", &schema)]);
    assert_eq!(get(&app, "/healthz"), Status::Ok);

    let newcomer = Principal::new();
    let endpoint = TokenEndpoint::start(&newcomer, 60);
    let s = settings(&databricks_env(&newcomer, &endpoint), &[("HOLIDAYS_PG_SCHEMA", &schema)]);
    let Err(message) = holidays::build(s) else { panic!("migrated a schema it cannot create tables in") };
    assert!(
        message.contains(&format!("the schema \"{schema}\" belongs to the role \"{}\"", owner.client_id)),
        "{message}"
    );
    assert!(message.contains(&format!("ALTER SCHEMA \"{schema}\" OWNER TO \"{}\"", newcomer.client_id)), "{message}");
    assert!(message.contains("HOLIDAYS_PG_SCHEMA"), "{message}");
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn passing_failures_of_the_token_endpoint_are_retried() {
    let principal = Principal::new();
    let endpoint = TokenEndpoint::start(&principal, 60);
    endpoint.fail_next(2);
    let schema = unique("s");
    let app = start(&databricks_env(&principal, &endpoint), &[("HOLIDAYS_PG_SCHEMA", &schema)]);
    assert_eq!(get(&app, "/healthz"), Status::Ok);
    assert_eq!(endpoint.requests.load(Ordering::SeqCst), 3, "two 503s, then the token");
    assert_eq!(endpoint.minted(), 1);
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run the Postgres tests, these included")]
fn the_database_credential_apis_give_the_password() {
    for (variable, value) in [("LAKEBASE_INSTANCE", "holidays-db"), ("PGENDPOINT", "projects/p/branches/b/endpoints/e")]
    {
        let principal = Principal::new();
        let endpoint = TokenEndpoint::start(&principal, 60);
        let schema = unique("s");
        let app = start(&databricks_env(&principal, &endpoint), &[("HOLIDAYS_PG_SCHEMA", &schema), (variable, value)]);
        assert_eq!(get(&app, "/api/requests"), Status::Ok, "{variable}");
        assert_eq!(endpoint.tokens.lock().unwrap().len(), 1, "{variable}: one workspace token, to ask with");
        assert_eq!(endpoint.db_tokens.lock().unwrap().len(), 1, "{variable}: one database credential, to log in with");
        // The workspace token no longer logs in (the credential replaced it): the app used the credential.
        let workspace_token = endpoint.tokens.lock().unwrap()[0].clone();
        assert!(cluster().login(&principal, &workspace_token, "require").is_err(), "{variable}");
    }
}
