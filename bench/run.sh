#!/usr/bin/env bash
# holidays benchmark: the app against its database's own limit, as the table grows, with hostile
# volume, and under faults. One command, from anywhere in the repository (as root, or as a user
# that can run the PostgreSQL server binaries itself):
#
#   bench/run.sh                 everything below, about 35 minutes on 2 cores
#   bench/run.sh perf            throughput and latency: app (wrk) against two pgbench ceilings
#   bench/run.sh hostile         one employee with 100k requests: the manager's queue and the
#                                admin's list at 1 connection, before and after adding them
#   bench/run.sh startup         time from process start to the first 200 on /healthz
#   bench/run.sh reliability     concurrent writes, racing decisions, Postgres restarted under
#                                load, hostile input
#   bench/run.sh calendar        the month view (issue 10) for a team of 8 and a team of 200 as
#                                the table grows: not part of "everything"
#   bench/run.sh notify          the notification outbox (issue 11): submissions with the binary
#                                from before the outbox, with the outbox and no channel, and with
#                                a webhook; commit-to-receiver latency: not part of "everything"
#
# What it does:
#   1. installs what is missing (wrk; PostgreSQL's server binaries, which include pgbench and
#      pg_stat_statements) with apt-get, and builds the release binary (cargo build --release
#      --locked) unless BENCH_BIN names one;
#   2. starts a PostgreSQL cluster of its own (initdb into a temporary folder, a free port on
#      127.0.0.1, trust authentication, fsync and synchronous_commit on, pg_stat_statements, a
#      JSON server log), never the machine's, and stops it and removes the folder on exit. The
#      app connects as a role of its own (holidays_app) with application_name holidays-bench, so
#      that its statements can be told from pgbench's and the benchmark's own;
#   3. perf: per size, lets the app create a schema, seeds it (bench/sql/seed.sql) and
#      precomputes the inputs pgbench replays (bench/sql/aux.sql); writes the pgbench scripts of
#      the "app's own statements" ceiling from the statements the app runs (bench/py/ceiling.py:
#      a few requests per endpoint with log_statement = 'all', each $n turned into a pgbench
#      variable bound per transaction; each script is run once per sample and compared with the
#      app, and the run stops if they differ or a parameter cannot be derived); then, for each
#      endpoint and concurrency, runs wrk against the app, pgbench on those scripts and, for the
#      reads, pgbench on the least SQL that answers the endpoint (bench/pgbench/least/: one
#      prepared SELECT of the rows the page shows). Around each wrk run it counts the app's
#      statements (pg_stat_statements, the app's role only) and the app process's CPU time
#      (utime + stime, /proc/<pid>/stat), per request; after each size, the app's peak memory
#      (VmHWM);
#   4. hostile: a 100k schema, then one employee with 100k one-day requests
#      (bench/sql/hostile.sql); wrk at 1 connection on the queue of that employee's manager and
#      on the admin's list, before and after adding them;
#   5. calendar: per size (default 10000 and 1000000), the seeded schema plus two teams whose
#      managers are cal8@bench.example and cal200@bench.example, with their reports, history and
#      leave in the measured month, half days included (bench/sql/calendar.sql); wrk at each
#      concurrency (default 1 and 8) on GET /api/calendar?month=YYYY-MM as each manager (their
#      default team is their own) and on the HTML page GET /calendar?month=YYYY-MM as the team
#      of 200's manager, with statements per request (pg_stat_statements, the app's role) and the
#      leave statement's calls and mean time; EXPLAIN (ANALYZE, BUFFERS) of that statement for
#      the team of 200, custom and generic plan (raw/explain-calendar-<size>.txt);
#   6. notify: per size (default 10000), submissions (POST /api/requests, bench/wrk/submit.lua)
#      with wrk at each concurrency (default 8 and 1), three ways, each on a schema of its own
#      that its binary creates and bench/sql/seed.sql seeds: "before", the binary named by
#      BENCH_BIN_BEFORE (built from the commit before the outbox existed; skipped, and said so,
#      when unset); "outbox", the current binary with no channel (each submission writes its
#      notifications as unsent, no worker runs); "webhook", the current binary with
#      HOLIDAYS_WEBHOOK_URL at a local receiver (bench/py/webhook_sink.py: answers 200 at once,
#      logs each arrival's time and Idempotency-Key). Req/s of each over "before"'s (the target:
#      within 10%). For the webhook, after wrk: waits until no notification of the run is waiting
#      (at most BENCH_NOTIFY_DRAIN_MAX s), then per notification arrival - commit of the
#      submission's transaction (pg_xact_commit_timestamp of its request row; the cluster runs
#      with track_commit_timestamp = on in this mode), arrival - created_at and sent_at -
#      created_at, p50/p99/max; how many were committed but not delivered when wrk returned and
#      how long draining them took; every key arrived exactly once (bench/py/notify_latency.py);
#      requests and notifications of each run are deleted before the next;
#   7. writes everything to bench/results/<UTC time>/: results.jsonl (one line per
#      measurement), summary.md (the tables), the generated pgbench scripts (pgbench/<size>/),
#      raw tool output, the app's and Postgres's logs, EXPLAIN ANALYZE of the app's read
#      statements and of the least SQL per size. It exits non-zero if a reliability check failed.
#
# Every load goes to 127.0.0.1 and lasts a bounded time. Knobs (environment):
#   BENCH_SIZES="10000 100000 1000000"   seeded requests per schema ("10000 1000000" for calendar,
#                                        "10000" for notify)
#   BENCH_CONNS="1 8 64"                 concurrency (wrk connections = pgbench clients; "1 8" for
#                                        calendar, "8 1" for notify)
#   BENCH_BIN_BEFORE=path/to/holidays    notify: the binary from before the outbox, e.g. built with
#                                        git worktree add /tmp/holidays-before <sha> and cargo build
#                                        --release --locked --bin holidays --target-dir ...
#   BENCH_NOTIFY_DRAIN_MAX=600           notify: seconds to wait for the webhook's backlog
#   BENCH_NOTIFY_ROUNDS=3                notify: rounds (the variants' order turned each round)
#   BENCH_NOTIFY_VARIANTS="before outbox webhook"
#                                        notify: which variants ("before" needs BENCH_BIN_BEFORE)
#   BENCH_NOTIFY_POOL_SIZE=N             notify: HOLIDAYS_DB_POOL_SIZE for every variant (default:
#                                        the app's own, 8)
#   BENCH_CAL_MONTH=2026-10              the month the calendar mode measures (YYYY-MM)
#   BENCH_DURATION=10                    seconds per measurement
#   BENCH_ENDPOINTS="queue list admin-list submit decide"
#   BENCH_HOSTILE_SIZE=100000, BENCH_HOSTILE_ROWS=100000, BENCH_HOSTILE_DURATION=5
#                                        the hostile case: seeded requests, the one employee's
#                                        requests, seconds per measurement
#   BENCH_BIN=path/to/holidays           skip the build and use this binary
#   BENCH_OUT=dir                        where results go
#   BENCH_MAX_LOAD=1.5, BENCH_MAX_WAIT=900
#                                        before measuring, wait (at most BENCH_MAX_WAIT s) for the
#                                        1-minute load to fall below BENCH_MAX_LOAD
#   BENCH_KEEP=1                         keep the temporary cluster folder
#
# Load matters on a small machine: summary.md records the 1-minute load before and after every
# measurement (during a run most of it is the benchmark's own wrk, app, pgbench and Postgres).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
MODE=${1:-all}
case "$MODE" in all | perf | hostile | startup | reliability | calendar | notify) ;; *)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 2
    ;;
esac
if [ "$MODE" = calendar ]; then
    SIZES=${BENCH_SIZES:-"10000 1000000"}
    CONNS=${BENCH_CONNS:-"1 8"}
elif [ "$MODE" = notify ]; then
    SIZES=${BENCH_SIZES:-"10000"}
    CONNS=${BENCH_CONNS:-"8 1"}
else
    SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
    CONNS=${BENCH_CONNS:-"1 8 64"}
fi
CAL_MONTH=${BENCH_CAL_MONTH:-2026-10}
DURATION=${BENCH_DURATION:-10}
ENDPOINTS=${BENCH_ENDPOINTS:-"queue list admin-list submit decide"}
OUT=${BENCH_OUT:-$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/raw"
OUT=$(cd "$OUT" && pwd)
export BENCH_WRK_DIR="$BENCH_DIR/wrk"
APP_NAME=holidays-bench
ADMIN=admin@bench.example

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
die() {
    log "error: $*"
    exit 1
}
load1() { cut -d' ' -f1 /proc/loadavg; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---------------------------------------------------------------------------------------------
# 1. Tools and the binary

install_missing() {
    local pkgs=()
    command -v wrk >/dev/null || pkgs+=(wrk)
    command -v curl >/dev/null || pkgs+=(curl)
    command -v python3 >/dev/null || pkgs+=(python3)
    if ! command -v pg_config >/dev/null || [ ! -x "$(pg_config --bindir)/initdb" ] ||
        [ ! -x "$(pg_config --bindir)/pgbench" ] || [ ! -f "$(pg_config --pkglibdir)/pg_stat_statements.so" ]; then
        # Debian ships pgbench and pg_stat_statements with the server binaries (postgresql-NN),
        # which postgresql pulls in.
        pkgs+=(postgresql postgresql-contrib)
    fi
    if [ ${#pkgs[@]} -gt 0 ]; then
        [ "$(id -u)" -eq 0 ] || die "missing ${pkgs[*]}; install them or run as root"
        log "installing ${pkgs[*]}"
        apt-get install -y -qq "${pkgs[@]}" >/dev/null 2>&1 ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null; }
    fi
    PGBIN=$(pg_config --bindir)
    for b in initdb pg_ctl postgres pgbench psql; do
        [ -x "$PGBIN/$b" ] || die "$PGBIN/$b is missing"
    done
    [ -f "$(pg_config --pkglibdir)/pg_stat_statements.so" ] ||
        die "pg_stat_statements is missing from $(pg_config --pkglibdir); install postgresql-contrib"
    CLK_TCK=$(getconf CLK_TCK)
}

build_binary() {
    if [ -n "${BENCH_BIN:-}" ]; then
        APP_SRC_BIN=$BENCH_BIN
    else
        log "cargo build --release --locked (a few minutes when cold)"
        (cd "$ROOT" && cargo build --release --locked --bin holidays) 2>&1 | tail -2 | tee -a "$OUT/run.log" >&2 ||
            die "cargo build --release --locked failed: see $OUT/run.log"
        APP_SRC_BIN=$ROOT/target/release/holidays
    fi
    [ -x "$APP_SRC_BIN" ] || die "no binary at $APP_SRC_BIN"
    # A copy, as the deployed folder has it (binary and Rocket.toml side by side, started from
    # there), so that a rebuild by someone else cannot swap it during the run.
    mkdir -p "$WORK/app"
    cp "$APP_SRC_BIN" "$WORK/app/holidays"
    cp "$ROOT/Rocket.toml" "$WORK/app/"
    APP_BIN=$WORK/app/holidays
    if [ "$MODE" = notify ] && [ -n "${BENCH_BIN_BEFORE:-}" ]; then
        [ -x "$BENCH_BIN_BEFORE" ] || die "no binary at BENCH_BIN_BEFORE=$BENCH_BIN_BEFORE"
        mkdir -p "$WORK/app-before"
        cp "$BENCH_BIN_BEFORE" "$WORK/app-before/holidays"
        cp "$ROOT/Rocket.toml" "$WORK/app-before/"
    fi
}

# ---------------------------------------------------------------------------------------------
# 2. A PostgreSQL cluster of our own

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_cluster() {
    PGDATA_DIR=$WORK/pgdata
    PGPORT_BENCH=$(free_port)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK"
    as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres -E UTF8 --auth-local=trust --auth-host=trust >"$OUT/raw/initdb.log" 2>&1 ||
        die "initdb failed: see $OUT/raw/initdb.log"
    cat >>"$PGDATA_DIR/postgresql.conf" <<EOF
# bench/run.sh
port = $PGPORT_BENCH
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
max_connections = 200
shared_buffers = 512MB
fsync = on
synchronous_commit = on
max_wal_size = 4GB
log_min_messages = warning
log_connections = off
# Statements per request: pg_stat_statements (reset before each wrk run, read after it).
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top
# The server log, also as JSON (one entry a line, with application_name and the parameters),
# which bench/py/ceiling.py reads while it turns log_statement to 'all'.
logging_collector = on
log_destination = 'stderr,jsonlog'
log_directory = '$WORK/pglog'
log_filename = 'postgresql.log'
log_file_mode = 0644
log_rotation_age = 0
log_rotation_size = 0
EOF
    # notify: the commit time of each submission's transaction, which the latency starts from.
    if [ "$MODE" = notify ]; then echo "track_commit_timestamp = on" >>"$PGDATA_DIR/postgresql.conf"; fi
    pg_ctl_start
    export PGHOST=127.0.0.1 PGPORT=$PGPORT_BENCH PGUSER=postgres
    psql -qX -d postgres -c 'CREATE DATABASE bench' >/dev/null
    export PGDATABASE=bench
    SERVER_LOG_JSON=$WORK/pglog/postgresql.json
    [ -f "$SERVER_LOG_JSON" ] ||
        die "the server writes no JSON log at $SERVER_LOG_JSON (jsonlog needs PostgreSQL 15 or later)"
    psql_q -c 'CREATE EXTENSION pg_stat_statements' -c 'CREATE ROLE holidays_app LOGIN SUPERUSER' >/dev/null
    DB_URL="postgres://postgres@127.0.0.1:$PGPORT_BENCH/bench"
    # The app under measurement: a role of its own (pg_stat_statements counts per role) and a
    # name of its own in the server log.
    APP_DB_URL="postgres://holidays_app@127.0.0.1:$PGPORT_BENCH/bench?application_name=$APP_NAME"
    log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT_BENCH (data in $PGDATA_DIR)"
}

pg_ctl_start() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$WORK/postgres.log" -w -t 60 start >/dev/null; }
pg_ctl_stop() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null; }

APP_PID=
cleanup() {
    local status=$?
    set +e
    [ -n "$APP_PID" ] && stop_app
    [ -n "${SINK_PID:-}" ] && stop_sink
    if [ -n "${PGDATA_DIR:-}" ] && [ -f "$PGDATA_DIR/postmaster.pid" ]; then pg_ctl_stop; fi
    [ -f "$WORK/postgres.log" ] && cp "$WORK/postgres.log" "$OUT/raw/postgres-start.log"
    [ -f "$WORK/pglog/postgresql.log" ] && cp "$WORK/pglog/postgresql.log" "$OUT/raw/postgres.log"
    [ -f "$WORK/pglog/postgresql.json" ] && gzip -c "$WORK/pglog/postgresql.json" >"$OUT/raw/postgres.json.gz"
    if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    exit $status
}

psql_q() { psql -qXAt -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------------------------------------
# The app

# start_app NAME ENV...: starts the binary from its folder (APP_DIR, default $WORK/app) with the
# given environment (and no notification channel unless ENV sets one) and waits for /healthz.
start_app() {
    local name=$1
    shift
    APP_PORT=$(free_port)
    (
        cd "${APP_DIR:-$WORK/app}"
        exec env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u HOLIDAYS_WEBHOOK_URL -u HOLIDAYS_SMTP_URL "$@" DATABRICKS_APP_PORT="$APP_PORT" ./holidays >>"$OUT/raw/app-$name.log" 2>&1
    ) &
    APP_PID=$!
    APP_URL=http://127.0.0.1:$APP_PORT
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null "$APP_URL/healthz" 2>/dev/null; then return 0; fi
        kill -0 "$APP_PID" 2>/dev/null || die "the app stopped: see $OUT/raw/app-$name.log"
        sleep 0.05
    done
    die "the app did not answer /healthz within 30 s"
}

stop_app() {
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=
}

pg_app_env() { echo "DATABASE_URL=$APP_DB_URL HOLIDAYS_PG_SCHEMA=$1 HOLIDAYS_AUTH=proxy HOLIDAYS_ADMINS=$ADMIN"; }

# ---------------------------------------------------------------------------------------------
# 3. Measurements

record() { printf '%s\n' "$1" >>"$OUT/results.jsonl"; }

# CPU time (user + system) of the app process so far, in clock ticks: fields 14 and 15 of
# /proc/<pid>/stat, counted after the command name (which is in parentheses).
app_ticks() { sed 's/^.*) //' "/proc/$APP_PID/stat" | awk '{ print $12 + $13 }'; }

# Statements the app's role has run since the last reset (pg_stat_statements).
APP_STATEMENTS_SQL="SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
    WHERE r.rolname = 'holidays_app' AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
app_statements() { psql_q -c "$APP_STATEMENTS_SQL"; }
# ... and which, for raw/: calls, then the statement's first words.
app_statements_by_text() {
    psql_q -F' | ' -c "SELECT s.calls, left(regexp_replace(s.query, '\s+', ' ', 'g'), 150) FROM pg_stat_statements s
        JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = 'holidays_app' ORDER BY s.calls DESC"
}

# wrk_point SIZE ENDPOINT CONNS EXTRA_JSON URL SCRIPT ARGS...: wrk against the app, with the
# app's statements and CPU time per request. WRK_KIND (default perf) names the record's kind;
# WRK_WARMUP=seconds runs the same load first, unrecorded (reads only: writes would collide), so
# that every pooled connection is in use when counting starts (the pool pings a connection that
# was idle for more than 500 ms, which a busy pool never has).
wrk_point() {
    local size=$1 ep=$2 c=$3 extra=$4 url=$5 script=$6
    shift 6
    local t=$((c < 2 ? c : 2)) before after out json ticks0 ticks1 calls requests
    out=$OUT/raw/wrk-${RAW_TAG:-$size}-$ep-c$c.txt
    if [ -n "${WRK_WARMUP:-}" ]; then
        wrk -t "$t" -c "$c" -d "${WRK_WARMUP}s" --timeout 10s -s "$BENCH_WRK_DIR/$script" "$url" -- "$t" "$@" >/dev/null 2>&1 || true
    fi
    before=$(load1)
    psql_q -c 'SELECT pg_stat_statements_reset()' >/dev/null
    ticks0=$(app_ticks)
    LAST_WRK_START=$(date +%s.%N)
    wrk -t "$t" -c "$c" -d "${DURATION}s" --timeout 10s --latency -s "$BENCH_WRK_DIR/$script" "$url" -- "$t" "$@" >"$out" 2>&1 ||
        die "wrk failed: see $out"
    LAST_WRK_END=$(date +%s.%N)
    sleep 0.3 # requests that wrk cut off at its deadline finish; their statements count too
    ticks1=$(app_ticks)
    calls=$(app_statements)
    app_statements_by_text >"$OUT/raw/statements-${RAW_TAG:-$size}-$ep-c$c.txt"
    after=$(load1)
    json=$(grep '^WRKJSON ' "$out" | sed 's/^WRKJSON //')
    [ -n "$json" ] || die "no summary from wrk: see $out"
    requests=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["requests"])' "$json")
    [ "$requests" -gt 0 ] || die "wrk completed no request against $url: see $out"
    local per
    per=$(python3 -c "
import json
calls, ticks, tck, n = $calls, $ticks1 - $ticks0, $CLK_TCK, $requests
print(json.dumps({'statements': {'calls': calls, 'per_request': round(calls / n, 3)},
                  'cpu': {'ticks': ticks, 'clk_tck': tck, 'us_per_request': round(ticks / tck * 1e6 / n, 1)}}))")
    record "{\"kind\": \"${WRK_KIND:-perf}\", \"tool\": \"app\", \"size\": $size, \"endpoint\": \"$ep\", \"conns\": $c, \"load_before\": $before, \"load_after\": $after, $extra \"wrk\": $json, \"app\": $per}"
    LAST_RATE=$(python3 "$BENCH_DIR/py/fmt.py" rate "$json")
    log "  app     $ep c=$c: $(python3 "$BENCH_DIR/py/fmt.py" wrk "$json"), $(python3 "$BENCH_DIR/py/fmt.py" app "$per") (load $before -> $after)"
}

# pgbench_point TOOL SIZE ENDPOINT CONNS SCHEMA EXTRA_JSON SCRIPT PGBENCH_ARGS...: TOOL is
# pgbench (the app's own statements, a generated script whose constants are in SCRIPT's .args
# file) or pgbench-least (the least SQL).
pgbench_point() {
    local tool=$1 size=$2 ep=$3 c=$4 schema=$5 extra=$6 script=$7
    shift 7
    local t=$((c < 2 ? c : 2)) before after out logdir defs=()
    [ -f "${script%.sql}.args" ] && mapfile -t defs <"${script%.sql}.args"
    before=$(load1)
    out=$OUT/raw/$tool-$size-$ep-c$c.txt
    logdir=$WORK/pglog-$tool-$size-$ep-$c
    mkdir -p "$logdir"
    (cd "$logdir" && PGOPTIONS="-c search_path=$schema,${schema}_aux -c plan_cache_mode=force_generic_plan -c jit=off" PGAPPNAME=$tool "$PGBIN/pgbench" -n -M prepared \
        -c "$c" -j "$t" -T "$DURATION" -l -f "$script" "${defs[@]}" -D pending=Pending \
        -D "now=$(date -u '+%Y-%m-%d %H:%M:%S')" "$@" bench) >"$out" 2>&1 ||
        die "pgbench failed: see $out"
    after=$(load1)
    local json
    json=$(python3 "$BENCH_DIR/py/pgbench_summary.py" "$out" "$logdir")
    rm -rf "$logdir"
    record "{\"kind\": \"perf\", \"tool\": \"$tool\", \"size\": $size, \"endpoint\": \"$ep\", \"conns\": $c, \"load_before\": $before, \"load_after\": $after, $extra \"pgbench\": $json}"
    LAST_RATE=$(python3 "$BENCH_DIR/py/fmt.py" rate "$json")
    log "  $(printf '%-13s' "$tool") $ep c=$c: $(python3 "$BENCH_DIR/py/fmt.py" pgbench "$json") (load $before -> $after)"
}

# record_ratio SIZE ENDPOINT CONNS APP OWN [LEAST]: the app's rate over each ceiling's.
record_ratio() {
    local line
    line=$(python3 -c "
import json, sys
size, ep, c, app, own = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
least = float(sys.argv[6]) if len(sys.argv) > 6 else None
r = {'kind': 'ratio', 'size': size, 'endpoint': ep, 'conns': c, 'app_rps': app, 'own_tps': own,
     'ratio_own': round(app / own, 3) if own else None}
if least is not None:
    r.update(least_tps=least, ratio_least=round(app / least, 3) if least else None)
print(json.dumps(r))" "$@")
    record "$line"
    log "  ratio   $2 c=$3: $(python3 "$BENCH_DIR/py/fmt.py" ratio "$line")"
}

rows_of() { psql_q -c "SET search_path TO $1" -c "SELECT count(*) FROM holiday_requests"; }
max_id() { psql_q -c "SET search_path TO $1" -c "SELECT coalesce(max(request_id), 0) FROM holiday_requests"; }

# After a writing run: checks what it wrote (one audit event per change), records that, then
# deletes it, so that the next measurement sees the seeded table again.
# settle_writes SIZE ENDPOINT CONNS TOOL SCHEMA MARK
settle_writes() {
    local size=$1 ep=$2 c=$3 tool=$4 schema=$5 mark=$6
    sleep 1 # requests that wrk cut off at the deadline finish
    local counts created decided submitted_events decision_events ok=true
    counts=$(psql_q -F' ' -c "SET search_path TO $schema" -c "
        SELECT count(*),
               count(*) FILTER (WHERE status IN ('Approved', 'Declined')),
               (SELECT count(*) FROM request_events e WHERE e.request_id > $mark AND e.action = 'Submitted'),
               (SELECT count(*) FROM request_events e WHERE e.request_id > $mark AND e.action IN ('Approved', 'Declined'))
        FROM holiday_requests WHERE request_id > $mark")
    read -r created decided submitted_events decision_events <<<"$counts"
    psql_q -c "SET search_path TO $schema" -c "DELETE FROM holiday_requests WHERE request_id > $mark" \
        -c "VACUUM ANALYZE holiday_requests" -c "VACUUM ANALYZE request_events" >/dev/null
    [ "$submitted_events" = "$created" ] || ok=false
    [ "$ep" = decide ] && { [ "$decision_events" = "$decided" ] || ok=false; }
    record "{\"kind\": \"writes\", \"tool\": \"$tool\", \"size\": $size, \"endpoint\": \"$ep\", \"conns\": $c, \"rows_created\": $created, \"rows_decided\": $decided, \"submitted_events\": $submitted_events, \"decision_events\": $decision_events, \"one_event_per_change\": $ok}"
    [ $ok = true ] || log "  WARNING: $tool $ep c=$c wrote changes without exactly one event each"
}

# pool SCHEMA COUNT: pending requests to decide; sets POOL_FIRST and POOL_LAST (n in aux.dec).
pool() {
    local range weeks
    weeks=$(((${2} + REQUESTERS - 1) / REQUESTERS))
    [ "$weeks" -le "$WEEKS_FREE" ] ||
        die "a pool of $2 requests needs $weeks weeks per person and the app's date window has $WEEKS_FREE after $WRITE_BASE: lower BENCH_DURATION"
    range=$(psql_q -F' ' -v schema="$1" -v aux="${1}_aux" -v count="$2" -v base="$WRITE_BASE" -f "$BENCH_DIR/sql/pool.sql" | tail -1)
    read -r POOL_FIRST POOL_LAST <<<"$range"
}

# size_label N: 10000 -> 10k, 1000000 -> 1m
size_label() { python3 -c "n=$1; print(f'{n//1000000}m' if n % 1000000 == 0 else f'{n//1000}k' if n % 1000 == 0 else n)"; }

# new_schema SCHEMA SIZE: the app creates the schema and its tables, as in production; then seeded.
new_schema() {
    local schema=$1 size=$2
    # shellcheck disable=SC2046
    start_app "migrate-$schema" $(pg_app_env "$schema")
    stop_app
    local t0 t1
    t0=$(date +%s.%N)
    psql_q -v n="$size" -v schema="$schema" -f "$BENCH_DIR/sql/seed.sql" >"$OUT/raw/seed-$schema.txt"
    t1=$(date +%s.%N)
    SEED_SECONDS=$(python3 -c "print(round($t1 - $t0, 1))")
}

# write_window SCHEMA: the dates writes use. The app takes requests from 2 years back to 3 years
# ahead of today; the benchmark's submissions and pools start on the first Monday a week after
# both today and the last seeded request, and must end before the window does.
write_window() {
    local w
    w=$(psql_q -F' ' -c "SET search_path TO $1" -c "
        SELECT b, ((current_date + interval '3 years')::date - 1 - b) / 7
        FROM (SELECT d + (8 - extract(isodow FROM d)::int) % 7 AS b
              FROM (SELECT greatest(current_date, max(end_date)) + 7 AS d FROM holiday_requests) x) y")
    read -r WRITE_BASE WEEKS_FREE <<<"$w"
    [ "$WEEKS_FREE" -gt 4 ] || die "only $WEEKS_FREE weeks of the app's date window are free after $WRITE_BASE"
}

# seeded SIZE SCHEMA EXTRA_JSON LOG_SUFFIX: counts what the seed made, records it (kind seed,
# EXTRA_JSON appended as ", key: value, ...") and logs it; sets SEEDED_EMPLOYEES, SEEDED_MANAGERS.
seeded() {
    local size=$1 schema=$2 extra=$3 suffix=$4 counts n_req n_pending n_people n_events req_bytes ev_bytes
    counts=$(psql_q -F' ' -c "SET search_path TO $schema" -c "
        SELECT (SELECT count(*) FROM holiday_requests), (SELECT count(*) FROM holiday_requests WHERE status = 'Pending'),
               (SELECT count(*) FROM people), (SELECT count(*) FROM request_events),
               (SELECT count(*) FROM people WHERE email LIKE 'e%'), (SELECT count(*) FROM people WHERE email LIKE 'm%'),
               pg_total_relation_size('holiday_requests'), pg_total_relation_size('request_events')")
    read -r n_req n_pending n_people n_events SEEDED_EMPLOYEES SEEDED_MANAGERS req_bytes ev_bytes <<<"$counts"
    record "{\"kind\": \"seed\", \"size\": $size, \"schema\": \"$schema\", \"seconds\": $SEED_SECONDS, \"requests\": $n_req, \"pending\": $n_pending, \"people\": $n_people, \"events\": $n_events, \"employees\": $SEEDED_EMPLOYEES, \"managers\": $SEEDED_MANAGERS, \"requests_bytes\": $req_bytes, \"events_bytes\": $ev_bytes$extra}"
    log "  seeded $n_req requests ($n_pending pending), $n_people people, $n_events events in $SEED_SECONDS s$suffix"
}

perf_size() {
    local size=$1 schema label
    label=$(size_label "$size")
    schema=bench_$label
    log "size $size: schema $schema"
    new_schema "$schema" "$size"
    psql_q -v schema="$schema" -v aux="${schema}_aux" -f "$BENCH_DIR/sql/aux.sql" >"$OUT/raw/aux-$label.txt" 2>&1
    write_window "$schema"
    seeded "$size" "$schema" ", \"write_base\": \"$WRITE_BASE\", \"weeks_free\": $WEEKS_FREE" \
        "; writes from $WRITE_BASE ($WEEKS_FREE weeks free)"
    local employees=$SEEDED_EMPLOYEES managers=$SEEDED_MANAGERS
    REQUESTERS=$((employees + managers))

    # shellcheck disable=SC2046
    start_app "$label" $(pg_app_env "$schema")
    local pid=$APP_PID
    # The ceiling runs the app's own statements: generated from them, and checked against them.
    local scripts=$OUT/pgbench/$label
    BENCH_PGBENCH=$PGBIN/pgbench BENCH_APP_NAME=$APP_NAME python3 "$BENCH_DIR/py/ceiling.py" --app "$APP_URL" \
        --schema "$schema" --size "$size" --log "$SERVER_LOG_JSON" --out "$scripts" --endpoints "$ENDPOINTS" \
        --base "$WRITE_BASE" --explain "$OUT/raw/explain-$label.txt" >"$WORK/ceiling.jsonl" 2>>"$OUT/run.log" ||
        die "could not derive the pgbench scripts from the app's statements, or they do not replay them: see $OUT/run.log"
    cat "$WORK/ceiling.jsonl" >>"$OUT/results.jsonl"
    while read -r line; do log "  $(python3 "$BENCH_DIR/py/fmt.py" ceiling "$line")"; done <"$WORK/ceiling.jsonl"

    # Each read's measurement starts with a second of the same load (WRK_WARMUP): the pool opens
    # its connections, statements get prepared.
    local ep c app_rate own_rate
    for ep in $ENDPOINTS; do
        case $ep in
        queue | list | admin-list)
            local path=/queue who=()
            [ "$ep" != queue ] && path="/api/requests?limit=50"
            [ "$ep" = admin-list ] && who=("$ADMIN")
            for c in $CONNS; do
                WRK_WARMUP=1 wrk_point "$size" "$ep" "$c" "\"rows\": $(rows_of "$schema")," "$APP_URL$path" reads.lua \
                    "$managers" "${who[@]}"
                app_rate=$LAST_RATE
                pgbench_point pgbench "$size" "$ep" "$c" "$schema" "\"rows\": $(rows_of "$schema")," "$scripts/$ep.sql" \
                    -D mlo=1 -D mhi="$managers"
                own_rate=$LAST_RATE
                pgbench_point pgbench-least "$size" "$ep" "$c" "$schema" "\"rows\": $(rows_of "$schema")," \
                    "$BENCH_DIR/pgbench/least/$ep.sql" -D nmgr="$managers" -D first_day="$(($(date -u +%Y) - 2))-01-01"
                record_ratio "$size" "$ep" "$c" "$app_rate" "$own_rate" "$LAST_RATE"
            done
            ;;
        submit)
            local mark
            for c in $CONNS; do
                mark=$(max_id "$schema")
                wrk_point "$size" submit "$c" "\"rows\": $(rows_of "$schema")," "$APP_URL" submit.lua \
                    "$employees" "$managers" "$WRITE_BASE"
                APP_SUBMIT_RATE[$c]=$LAST_RATE
                app_rate=$LAST_RATE
                settle_writes "$size" submit "$c" app "$schema" "$mark"
                mark=$(max_id "$schema")
                psql_q -c "SELECT setval('${schema}_aux.sub_seq', 0, false)" >/dev/null
                pgbench_point pgbench "$size" submit "$c" "$schema" "\"rows\": $(rows_of "$schema")," "$scripts/submit.sql" \
                    -D nreq="$REQUESTERS" -D base="$WRITE_BASE"
                PG_SUBMIT_RATE[$c]=$LAST_RATE
                settle_writes "$size" submit "$c" pgbench "$schema" "$mark"
                record_ratio "$size" submit "$c" "$app_rate" "$LAST_RATE"
            done
            ;;
        decide)
            local mark count rows
            for c in $CONNS; do
                # Enough pending requests that none is decided twice: twice the rate the same
                # concurrency submitted at, times the duration.
                mark=$(max_id "$schema")
                rows=$(rows_of "$schema")
                count=$((2 * ${APP_SUBMIT_RATE[$c]:-2000} * DURATION + 2000))
                pool "$schema" "$count"
                psql_q -F' ' -c "SELECT request_id, manager FROM ${schema}_aux.dec WHERE n BETWEEN $POOL_FIRST AND $POOL_LAST ORDER BY n" >"$WORK/decide-ids.txt"
                wrk_point "$size" decide "$c" "\"rows\": $rows, \"pool\": $count," "$APP_URL" decide.lua "$WORK/decide-ids.txt"
                app_rate=$LAST_RATE
                settle_writes "$size" decide "$c" app "$schema" "$mark"

                mark=$(max_id "$schema")
                count=$((2 * ${PG_SUBMIT_RATE[$c]:-3000} * DURATION + 2000))
                pool "$schema" "$count"
                psql_q -c "SELECT setval('${schema}_aux.dec_seq', $POOL_FIRST, false)" >/dev/null
                pgbench_point pgbench "$size" decide "$c" "$schema" "\"rows\": $rows, \"pool\": $count," "$scripts/decide.sql"
                settle_writes "$size" decide "$c" pgbench "$schema" "$mark"
                record_ratio "$size" decide "$c" "$app_rate" "$LAST_RATE"
            done
            ;;
        *) die "unknown endpoint $ep (known: queue list admin-list submit decide)" ;;
        esac
    done

    local hwm rss
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    record "{\"kind\": \"memory\", \"size\": $size, \"vmhwm_kb\": $hwm, \"vmrss_kb\": $rss}"
    log "  app peak memory (VmHWM) $((hwm / 1024)) MiB, now $((rss / 1024)) MiB"
    stop_app
}

perf() {
    declare -gA APP_SUBMIT_RATE=() PG_SUBMIT_RATE=()
    local size
    for size in $SIZES; do perf_size "$size"; done
}

# The hostile-volume case: one employee with BENCH_HOSTILE_ROWS one-day requests in a
# BENCH_HOSTILE_SIZE schema; the queue of their manager (m1) and the admin's list, at one
# connection, on the seeded schema first and then with that employee's requests added.
hostile() {
    local size=${BENCH_HOSTILE_SIZE:-100000} rows=${BENCH_HOSTILE_ROWS:-100000} schema=bench_hostile
    local who=hostile@bench.example manager=m1@bench.example
    local DURATION=${BENCH_HOSTILE_DURATION:-5}
    log "hostile: schema $schema, $size seeded requests, then $rows more by $who (reporting to $manager)"
    new_schema "$schema" "$size"
    local phase
    for phase in seeded hostile; do
        if [ $phase = hostile ]; then
            psql_q -F' ' -v schema="$schema" -v rows="$rows" -v who="$who" -v manager="$manager" \
                -f "$BENCH_DIR/sql/hostile.sql" >"$OUT/raw/hostile-seed.txt" ||
                die "bench/sql/hostile.sql failed: see $OUT/raw/hostile-seed.txt"
            local made
            made=$(tail -1 "$OUT/raw/hostile-seed.txt")
            record "{\"kind\": \"hostile_seed\", \"size\": $size, \"rows\": $rows, \"who\": \"$who\", \"manager\": \"$manager\", \"made\": \"$made\"}"
            log "  added for $who: $made (requests, pending, approved, declined or cancelled, first and last day)"
        fi
        # shellcheck disable=SC2046
        start_app "hostile-$phase" $(pg_app_env "$schema")
        BENCH_PGBENCH=$PGBIN/pgbench BENCH_APP_NAME=$APP_NAME python3 "$BENCH_DIR/py/ceiling.py" --app "$APP_URL" \
            --schema "$schema" --size "$size" --log "$SERVER_LOG_JSON" --out "$WORK/hostile-$phase" \
            --endpoints "queue admin-list" --base 2000-01-03 --explain-only --who "$manager" \
            --explain "$OUT/raw/explain-hostile-$phase.txt" >>"$OUT/results.jsonl" 2>>"$OUT/run.log" ||
            die "could not capture the app's statements in the hostile case: see $OUT/run.log"
        RAW_TAG=hostile-$phase WRK_KIND=hostile WRK_WARMUP=1 wrk_point "$size" queue 1 "\"phase\": \"$phase\", \"who\": \"$manager\", \"rows\": $(rows_of "$schema")," \
            "$APP_URL/queue" reads.lua 1 "$manager"
        RAW_TAG=hostile-$phase WRK_KIND=hostile WRK_WARMUP=1 wrk_point "$size" admin-list 1 "\"phase\": \"$phase\", \"who\": \"$ADMIN\", \"rows\": $(rows_of "$schema")," \
            "$APP_URL/api/requests?limit=50" reads.lua 1 "$ADMIN"
        local hwm
        hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$APP_PID/status")
        record "{\"kind\": \"memory\", \"size\": \"hostile-$phase\", \"vmhwm_kb\": $hwm}"
        stop_app
    done
}

# The month view (issue 10): per size, the seeded schema plus a team of 8 and a team of 200
# (bench/sql/calendar.sql); wrk on the JSON month view as each team's manager and on the HTML
# page as the team of 200's, counting the app's statements and the leave statement's calls and
# time; then EXPLAIN (ANALYZE, BUFFERS) of the leave statement for the team of 200.
CAL_LEAVE_WHERE="r.rolname = 'holidays_app' AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND s.query LIKE '%unnest(%' AND s.query LIKE '%FROM holiday_requests h1%'"

# cal_point SIZE SCHEMA ENDPOINT CONNS PATH WHO TEAM
cal_point() {
    local size=$1 schema=$2 ep=$3 c=$4 path=$5 who=$6 team=$7 leave calls mean max texts
    RAW_TAG=cal-$(size_label "$size") WRK_KIND=calendar WRK_WARMUP=1 wrk_point "$size" "$ep" "$c" \
        "\"team\": $team, \"who\": \"$who\", \"path\": \"$path\", \"rows\": $(rows_of "$schema")," "$APP_URL$path" reads.lua 1 "$who"
    # pg_stat_statements still holds the run's counts (wrk_point resets it before, not after).
    leave=$(psql_q -F' ' -c "SELECT coalesce(sum(s.calls), 0), coalesce(round((sum(s.total_exec_time) / nullif(sum(s.calls), 0))::numeric, 4), 0),
            coalesce(round(max(s.max_exec_time)::numeric, 3), 0), count(*)
        FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE $CAL_LEAVE_WHERE")
    read -r calls mean max texts <<<"$leave"
    record "{\"kind\": \"calendar_leave\", \"size\": $size, \"endpoint\": \"$ep\", \"conns\": $c, \"calls\": $calls, \"mean_ms\": $mean, \"max_ms\": $max, \"texts\": $texts}"
    log "  leave statement: $calls calls, mean $mean ms, max $max ms"
}

# cal_check SIZE LABEL PATH WHO TEAM: one request before measuring, kept in raw/; the JSON view
# must list the team (manager included) and show leave.
cal_check() {
    local size=$1 label=$2 path=$3 who=$4 team=$5 file code
    file=$OUT/raw/calendar-$label-$(echo "$path" | tr -c 'a-z0-9' '_' | sed 's/_*$//')-$team
    code=$(curl -sS -o "$file" -w '%{http_code}' -H "X-Forwarded-Email: $who" "$APP_URL$path")
    [ "$code" = 200 ] || die "GET $path as $who answered $code: see $file"
    case $path in
    /api/*)
        local seen
        seen=$(python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
people = v["people"]
leave = sum(1 for p in people for d in p["days"] if d["kind"] == "leave")
half = sum(1 for p in people for d in p["days"] if d["kind"] == "leave" and d.get("part") not in (None, "full", "day"))
print(len(people), sum(1 for p in people if any(d["kind"] == "leave" for d in p["days"])), leave, half, v.get("team"))' "$file")
        local people off days half shown
        read -r people off days half shown <<<"$seen"
        [ "$people" = $((team + 1)) ] || die "GET $path as $who lists $people people, not $((team + 1)): see $file"
        [ "$off" -gt 0 ] || die "GET $path as $who shows no leave: see $file"
        record "{\"kind\": \"calendar_check\", \"size\": $size, \"team\": $team, \"path\": \"$path\", \"who\": \"$who\", \"people\": $people, \"people_with_leave\": $off, \"leave_days\": $days, \"part_days\": $half, \"team_shown\": \"$shown\"}"
        log "  $path as $who: $people people, $off with leave, $days days of leave ($half of them a part of a day)"
        ;;
    *) log "  $path as $who: 200, $(wc -c <"$file") bytes" ;;
    esac
}

# cal_explain SIZE LABEL SCHEMA: the leave statement as the app sent it (its text from
# pg_stat_statements), prepared with the team of 200's emails and the month's dates, run once,
# then EXPLAIN (ANALYZE, BUFFERS) with a custom plan and with the generic plan.
cal_explain() {
    local size=$1 label=$2 schema=$3 query file=$OUT/raw/explain-calendar-$label.txt
    query=$(psql_q -c "SELECT s.query FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE $CAL_LEAVE_WHERE LIMIT 1")
    [ -n "$query" ] || die "the leave statement is not in pg_stat_statements"
    {
        echo "\\set ON_ERROR_STOP on"
        echo "SET search_path TO $schema;"
        echo "SELECT array_agg(email ORDER BY display_name, email) AS emails FROM people"
        echo "    WHERE manager_email = 'cal200@bench.example' OR email = 'cal200@bench.example' \\gset"
        echo "SELECT d AS first_day, (d + interval '1 month' - interval '1 day')::date AS last_day,"
        echo "       (d + interval '1 month' - interval '1 day' + interval '366 days')::date AS latest_end"
        echo "    FROM (SELECT DATE '$CAL_MONTH-01' AS d) x \\gset"
        echo "PREPARE cal_leave(text[], date, date, date) AS"
        printf '%s;\n' "$query"
        echo "\\echo Parameters: the team of 200 (201 emails), :first_day, :latest_end, :last_day"
        echo "EXECUTE cal_leave(:'emails', :'first_day', :'latest_end', :'last_day') \\g /dev/null"
        echo "\\echo"
        echo "\\echo Custom plan (plan_cache_mode = force_custom_plan):"
        echo "SET plan_cache_mode = force_custom_plan;"
        echo "EXPLAIN (ANALYZE, BUFFERS) EXECUTE cal_leave(:'emails', :'first_day', :'latest_end', :'last_day');"
        echo "\\echo Generic plan (plan_cache_mode = force_generic_plan), as a reused prepared statement may get:"
        echo "SET plan_cache_mode = force_generic_plan;"
        echo "EXPLAIN (ANALYZE, BUFFERS) EXECUTE cal_leave(:'emails', :'first_day', :'latest_end', :'last_day');"
        echo "RESET plan_cache_mode;"
        echo "\\echo Rows: requests of the team of 200 and of the whole table, and those pending or approved"
        echo "SELECT count(*) FILTER (WHERE requester_email LIKE 'cal200%') AS team_200_requests,"
        echo "       count(*) FILTER (WHERE requester_email LIKE 'cal200%' AND status IN ('Pending', 'Approved')) AS team_200_active,"
        echo "       count(*) FILTER (WHERE status IN ('Pending', 'Approved')) AS active_rows, count(*) AS all_rows FROM holiday_requests;"
    } >"$WORK/explain-calendar.sql"
    { echo "The leave statement, as the app sends it (its text in pg_stat_statements):"; echo; printf '%s\n\n' "$query"; } >"$file"
    psql -X -f "$WORK/explain-calendar.sql" >>"$file" 2>&1 || die "EXPLAIN of the leave statement failed: see $file"
    local times
    times=$(grep -E 'Execution Time' "$file" | awk '{print $3}' | paste -sd' ')
    record "{\"kind\": \"calendar_explain\", \"size\": $size, \"file\": \"raw/explain-calendar-$label.txt\", \"execution_ms\": [$(echo "$times" | tr ' ' ',')]}"
    log "  EXPLAIN ANALYZE of the leave statement for the team of 200 (custom, generic): $times ms: raw/explain-calendar-$label.txt"
}

calendar_size() {
    local size=$1 schema label month=$CAL_MONTH
    label=$(size_label "$size")
    schema=bench_cal_$label
    log "calendar, size $size: schema $schema, month $month"
    new_schema "$schema" "$size"
    seeded "$size" "$schema" "" ""
    psql_q -F' ' -v n="$size" -v schema="$schema" -v month="$month-01" -f "$BENCH_DIR/sql/calendar.sql" \
        >"$OUT/raw/calendar-seed-$label.txt" 2>&1 || die "bench/sql/calendar.sql failed: see $OUT/raw/calendar-seed-$label.txt"
    local team people requests in_month half off
    while read -r team people requests in_month half off; do
        record "{\"kind\": \"calendar_seed\", \"size\": $size, \"month\": \"$month\", \"team\": $team, \"people\": $people, \"requests\": $requests, \"leave_in_month\": $in_month, \"half_days\": $half, \"people_with_leave\": $off}"
        log "  team of $team: $people people, $requests requests, $in_month pending or approved in $month ($half with a half day; $off people)"
    done < <(tail -2 "$OUT/raw/calendar-seed-$label.txt")

    # shellcheck disable=SC2046
    start_app "calendar-$label" $(pg_app_env "$schema")
    local c t api=/api/calendar?month=$month page=/calendar?month=$month
    for t in 8 200; do cal_check "$size" "$label" "$api" "cal$t@bench.example" "$t"; done
    cal_check "$size" "$label" "$page" cal200@bench.example 200
    for t in 8 200; do
        for c in $CONNS; do cal_point "$size" "$schema" "api-team$t" "$c" "$api" "cal$t@bench.example" "$t"; done
    done
    for c in $CONNS; do cal_point "$size" "$schema" page-team200 "$c" "$page" cal200@bench.example 200; done
    cal_explain "$size" "$label" "$schema"
    local hwm
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$APP_PID/status")
    record "{\"kind\": \"memory\", \"size\": \"calendar-$label\", \"vmhwm_kb\": $hwm}"
    stop_app
}

calendar() {
    local size
    for size in $SIZES; do calendar_size "$size"; done
}

# The notification outbox (issue 11): per size, submissions three ways (VARIANTS), each on a
# schema its binary creates: "before" (BENCH_BIN_BEFORE, the commit before the outbox),
# "outbox" (the current binary, no channel: notifications written as unsent, no worker),
# "webhook" (the current binary delivering to bench/py/webhook_sink.py). For the webhook, the
# backlog is drained after each wrk run and every notification's latency measured.
SINK_PID=
# notify_max_id SCHEMA: the last notification's id; -1 when the schema has no outbox (before).
notify_max_id() {
    if [ "$(psql_q -c "SET search_path TO $1" -c "SELECT to_regclass('notifications') IS NULL")" = t ]; then
        echo -1
    else
        psql_q -c "SET search_path TO $1" -c "SELECT coalesce(max(notification_id), 0) FROM notifications"
    fi
}

start_sink() {
    local file=$1 port_file=$WORK/sink.port
    rm -f "$port_file"
    : >"$file"
    python3 "$BENCH_DIR/py/webhook_sink.py" "$file" "$port_file" 2>>"$OUT/raw/webhook-sink.log" &
    SINK_PID=$!
    for _ in $(seq 1 200); do
        [ -s "$port_file" ] && break
        kill -0 "$SINK_PID" 2>/dev/null || die "the webhook sink stopped: see $OUT/raw/webhook-sink.log"
        sleep 0.05
    done
    [ -s "$port_file" ] || die "the webhook sink did not start"
    SINK_URL=http://127.0.0.1:$(cat "$port_file")/hook
}

stop_sink() {
    if [ -n "$SINK_PID" ]; then
        kill "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
        SINK_PID=
    fi
}

# notify_drain SCHEMA NMARK: waits until no notification after NMARK is waiting; sets DRAINED_AT.
notify_drain() {
    local schema=$1 nmark=$2 waiting t0
    t0=$(date +%s)
    while :; do
        waiting=$(psql_q -c "SET search_path TO $schema" -c "SELECT count(*) FROM notifications WHERE notification_id > $nmark AND state = 'waiting'")
        [ "$waiting" = 0 ] && break
        if [ $(($(date +%s) - t0)) -ge "${BENCH_NOTIFY_DRAIN_MAX:-600}" ]; then
            log "  WARNING: $waiting notifications still waiting after ${BENCH_NOTIFY_DRAIN_MAX:-600} s"
            break
        fi
        sleep 0.2
    done
    DRAINED_AT=$(date +%s.%N)
}

# notify_schema SIZE VARIANT: the variant's binary creates its schema, which is then seeded.
notify_schema() {
    local size=$1 variant=$2 schema dir=$WORK/app
    schema=bench_notify_${variant}_$(size_label "$size")
    [ "$variant" = before ] && dir=$WORK/app-before
    log "notify, size $size, $variant: schema $schema"
    APP_DIR=$dir new_schema "$schema" "$size"
    write_window "$schema"
    seeded "$size" "$schema" ", \"variant\": \"$variant\", \"write_base\": \"$WRITE_BASE\"" ""
    NOTIFY_BASE[$variant]=$WRITE_BASE
    NOTIFY_PEOPLE[$variant]="$SEEDED_EMPLOYEES $SEEDED_MANAGERS"
}

# notify_round SIZE VARIANT ROUND: the variant's app on its schema, wrk at each concurrency;
# for the webhook, the backlog drained and each notification's latency measured; what the runs
# wrote is deleted afterwards.
notify_round() {
    local size=$1 variant=$2 round=$3 label schema dir=$WORK/app employees managers env sink_file=
    label=$(size_label "$size")
    schema=bench_notify_${variant}_$label
    [ "$variant" = before ] && dir=$WORK/app-before
    read -r employees managers <<<"${NOTIFY_PEOPLE[$variant]}"
    # shellcheck disable=SC2207
    env=($(pg_app_env "$schema"))
    [ -n "${BENCH_NOTIFY_POOL_SIZE:-}" ] && env+=("HOLIDAYS_DB_POOL_SIZE=$BENCH_NOTIFY_POOL_SIZE")
    if [ "$variant" = webhook ]; then
        sink_file=$OUT/raw/webhook-sink-$label-r$round.txt
        start_sink "$sink_file"
        env+=("HOLIDAYS_WEBHOOK_URL=$SINK_URL")
    fi
    log "notify, size $size, round $round: $variant"
    APP_DIR=$dir start_app "notify-$variant-$label-r$round" "${env[@]}"
    local c mark nmark tag=notify-$variant-$label-r$round
    for c in $CONNS; do
        mark=$(max_id "$schema")
        nmark=$(notify_max_id "$schema")
        RAW_TAG=$tag WRK_KIND=notify wrk_point "$size" submit "$c" \
            "\"variant\": \"$variant\", \"round\": $round, \"rows\": $(rows_of "$schema")," \
            "$APP_URL" submit.lua "$employees" "$managers" "${NOTIFY_BASE[$variant]}"
        NOTIFY_RATE["$size $variant $c $round"]=$LAST_RATE
        if [ "$variant" = webhook ]; then
            notify_drain "$schema" "$nmark"
            local rows_file=$OUT/raw/notify-rows-$label-c$c-r$round.txt json
            psql_q -F' ' -c "SET search_path TO $schema" -c "
                SELECT n.notification_id, n.channel, n.state, n.attempts, extract(epoch FROM n.created_at),
                       extract(epoch FROM n.sent_at), extract(epoch FROM pg_xact_commit_timestamp(h.xmin))
                FROM notifications n LEFT JOIN holiday_requests h ON h.request_id = n.request_id
                WHERE n.notification_id > $nmark ORDER BY n.notification_id" >"$rows_file"
            json=$(python3 "$BENCH_DIR/py/notify_latency.py" "$rows_file" "$sink_file" "$LAST_WRK_START" "$LAST_WRK_END" "$DRAINED_AT")
            record "{\"kind\": \"notify_latency\", \"size\": $size, \"variant\": \"$variant\", \"conns\": $c, \"round\": $round, $(printf '%s' "$json" | sed 's/^{//')"
            log "  $(python3 "$BENCH_DIR/py/fmt.py" notify_latency "$json")"
        fi
        if [ "$nmark" -ge 0 ]; then
            local made req n chat email unsent sent waiting dead
            made=$(psql_q -F' ' -c "SET search_path TO $schema" -c "
                SELECT (SELECT count(*) FROM holiday_requests WHERE request_id > $mark),
                       count(*), count(*) FILTER (WHERE channel = 'chat'), count(*) FILTER (WHERE channel = 'email'),
                       count(*) FILTER (WHERE state = 'unsent'), count(*) FILTER (WHERE state = 'sent'),
                       count(*) FILTER (WHERE state = 'waiting'), count(*) FILTER (WHERE state = 'dead')
                FROM notifications WHERE notification_id > $nmark")
            read -r req n chat email unsent sent waiting dead <<<"$made"
            record "{\"kind\": \"notify_rows\", \"size\": $size, \"variant\": \"$variant\", \"conns\": $c, \"round\": $round, \"requests\": $req, \"notifications\": $n, \"chat\": $chat, \"email\": $email, \"unsent\": $unsent, \"sent\": $sent, \"waiting\": $waiting, \"dead\": $dead}"
            log "  $req submissions wrote $n notifications ($chat chat, $email email; $unsent unsent, $sent sent, $waiting waiting, $dead dead)"
            [ "$n" -gt 0 ] || log "  WARNING: the outbox binary wrote no notification"
        fi
        settle_writes "$size" submit "$c" "$variant" "$schema" "$mark"
        if [ "$nmark" -ge 0 ]; then
            psql_q -c "SET search_path TO $schema" -c "DELETE FROM notifications WHERE notification_id > $nmark" \
                -c "VACUUM ANALYZE notifications" >/dev/null
        fi
    done
    local hwm
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$APP_PID/status")
    record "{\"kind\": \"memory\", \"size\": \"$tag\", \"vmhwm_kb\": $hwm}"
    stop_app
    stop_sink
}

# Rounds (BENCH_NOTIFY_ROUNDS, default 3), the variants' order turned by one each round, so that
# a machine getting busier or quieter does not favour one variant; the ratios are of the median
# req/s over the rounds.
notify() {
    declare -gA NOTIFY_RATE=() NOTIFY_BASE=() NOTIFY_PEOPLE=()
    local variants=() size c round rounds=${BENCH_NOTIFY_ROUNDS:-3} v
    for v in ${BENCH_NOTIFY_VARIANTS:-before outbox webhook}; do
        case $v in
        before)
            if [ -n "${BENCH_BIN_BEFORE:-}" ]; then variants+=(before); else
                log "notify: BENCH_BIN_BEFORE is not set: no binary from before the outbox, no ratio to it"
            fi
            ;;
        outbox | webhook) variants+=("$v") ;;
        *) die "unknown notify variant $v (known: before outbox webhook)" ;;
        esac
    done
    [ -n "${BENCH_NOTIFY_POOL_SIZE:-}" ] && log "notify: HOLIDAYS_DB_POOL_SIZE=$BENCH_NOTIFY_POOL_SIZE for every variant"
    # The 1-minute load every 5 s while the mode runs (raw/load.txt).
    (while kill -0 $$ 2>/dev/null; do echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5; done) >"$OUT/raw/load.txt" 2>/dev/null &
    local sampler=$!
    for size in $SIZES; do
        local v i
        for v in "${variants[@]}"; do notify_schema "$size" "$v"; done
        for round in $(seq 1 "$rounds"); do
            for i in "${!variants[@]}"; do
                notify_round "$size" "${variants[$(((i + round - 1) % ${#variants[@]}))]}" "$round"
            done
        done
        for c in $CONNS; do
            local rates=() line
            for v in before outbox webhook; do
                local r=()
                for round in $(seq 1 "$rounds"); do r+=("${NOTIFY_RATE["$size $v $c $round"]:-}"); done
                rates+=("$(
                    IFS=,
                    echo "${r[*]}"
                )")
            done
            line=$(python3 -c "
import json, statistics, sys
size, c = int(sys.argv[1]), int(sys.argv[2])
runs = {v: [float(x) for x in s.split(',') if x] for v, s in zip(('before', 'outbox', 'webhook'), sys.argv[3:6])}
med = {v: statistics.median(x) if x else None for v, x in runs.items()}
ratio = lambda a, b: round(a / b, 3) if a is not None and b else None
r = {'kind': 'notify_ratio', 'size': size, 'conns': c, 'rounds': len(runs['outbox']), 'runs_rps': runs,
     'before_rps': med['before'], 'outbox_rps': med['outbox'], 'webhook_rps': med['webhook'],
     'outbox_ratio': ratio(med['outbox'], med['before']), 'webhook_ratio': ratio(med['webhook'], med['before']),
     'webhook_over_outbox': ratio(med['webhook'], med['outbox']),
     'outbox_ratio_by_round': [ratio(o, b) for o, b in zip(runs['outbox'], runs['before'])],
     'webhook_ratio_by_round': [ratio(w, b) for w, b in zip(runs['webhook'], runs['before'])]}
print(json.dumps(r))" "$size" "$c" "${rates[@]}")
            record "$line"
            log "  c=$c median req/s over $rounds rounds: $(python3 "$BENCH_DIR/py/fmt.py" notify_ratio "$line")"
        done
    done
    kill "$sampler" 2>/dev/null || true
    python3 -c "
import json, sys
xs = [float(l.split()[1]) for l in open(sys.argv[1]) if l.strip()]
print(json.dumps({'kind': 'notify_load', 'samples': len(xs), 'min': min(xs), 'max': max(xs), 'mean': round(sum(xs) / len(xs), 2)}))" \
        "$OUT/raw/load.txt" >>"$OUT/results.jsonl" || true
}

startup() {
    log "startup: time from process start to the first 200 on /healthz"
    python3 "$BENCH_DIR/py/startup.py" "$WORK/app/holidays" "$WORK" "$DB_URL" >>"$OUT/results.jsonl" 2>>"$OUT/run.log" ||
        die "startup measurement failed: see $OUT/run.log"
    local line
    tail -2 "$OUT/results.jsonl" | while read -r line; do
        log "  $(python3 "$BENCH_DIR/py/fmt.py" startup "$line")"
    done
}

reliability() {
    log "reliability: schema bench_rel"
    # shellcheck disable=SC2046
    start_app migrate-rel $(pg_app_env bench_rel)
    stop_app
    psql_q -v n=5000 -v schema=bench_rel -f "$BENCH_DIR/sql/seed.sql" >/dev/null
    BENCH_PG_STOP="$(declare -f as_pg pg_ctl_stop); PGBIN=$PGBIN PGDATA_DIR=$PGDATA_DIR; pg_ctl_stop" \
        BENCH_PG_START="$(declare -f as_pg pg_ctl_start); PGBIN=$PGBIN PGDATA_DIR=$PGDATA_DIR WORK=$WORK; pg_ctl_start" \
        python3 "$BENCH_DIR/py/reliability.py" "$WORK/app" "$DB_URL" bench_rel "$OUT" || RELIABILITY_FAILED=1
}

# ---------------------------------------------------------------------------------------------

WORK=$(mktemp -d /tmp/holidays-bench.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT TERM
log "bench/run.sh $MODE -> $OUT (1-minute load $(load1), $(nproc) cores)"
install_missing
build_binary
# A build (or anyone else) may have just loaded the machine: start measuring once it is quiet.
waited=0
while [ "$MODE" != reliability ] && awk -v l="$(load1)" -v m="${BENCH_MAX_LOAD:-1.5}" 'BEGIN { exit !(l >= m) }'; do
    [ $waited -ge "${BENCH_MAX_WAIT:-900}" ] && { log "the 1-minute load is still $(load1); measuring anyway"; break; }
    [ $((waited % 60)) -eq 0 ] && log "waiting for the 1-minute load ($(load1)) to fall below ${BENCH_MAX_LOAD:-1.5}"
    sleep 5
    waited=$((waited + 5))
done
start_cluster
python3 "$BENCH_DIR/py/environment.py" "$ROOT" "$APP_BIN" "$APP_SRC_BIN" >"$OUT/environment.json"
RELIABILITY_FAILED=0
# (Plain statements, not a && chain, so that set -e stops at the first failure inside them.)
case "$MODE" in
all)
    perf
    hostile
    startup
    reliability
    ;;
perf) perf ;;
hostile) hostile ;;
startup) startup ;;
reliability) reliability ;;
calendar) calendar ;;
notify) notify ;;
esac
python3 "$BENCH_DIR/py/report.py" "$OUT" >"$OUT/summary.md"
log "done: $OUT/summary.md"
[ "$RELIABILITY_FAILED" = 0 ] || die "a reliability check failed: see $OUT/summary.md"
