#!/usr/bin/env bash
# holidays benchmark: the app against its database's own limit, as the table grows, and under
# faults. One command, from anywhere in the repository (as root, or as a user that can run
# the PostgreSQL server binaries itself):
#
#   bench/run.sh                 everything below, about 20 minutes on 2 cores
#   bench/run.sh perf            throughput and latency: app (wrk) and ceiling (pgbench)
#   bench/run.sh startup         time from process start to the first 200 on /healthz
#   bench/run.sh reliability     concurrent writes, racing decisions, Postgres restarted under
#                                load, hostile input
#
# What it does:
#   1. installs what is missing (wrk; PostgreSQL's server binaries, which include pgbench)
#      with apt-get, and builds the release binary (cargo build --release --locked) unless
#      BENCH_BIN names one;
#   2. starts a PostgreSQL cluster of its own (initdb into a temporary folder, a free port on
#      127.0.0.1, trust authentication, fsync and synchronous_commit on), never the machine's,
#      and stops it and removes the folder on exit;
#   3. perf: per size, lets the app create a schema, seeds it with SQL (bench/sql/seed.sql),
#      checks that bench/pgbench/*.sql still run exactly the app's statements (it stops if the
#      app's SQL has changed), then for each endpoint and concurrency runs wrk against the app
#      and pgbench with those statements against the database, and records the app's peak
#      memory (VmHWM);
#   4. writes everything to bench/results/<UTC time>/: results.jsonl (one line per
#      measurement), summary.md (the tables), raw tool output, the app's and Postgres's logs,
#      EXPLAIN ANALYZE of the read queries per size. It exits non-zero if a reliability check
#      failed.
#
# Every load goes to 127.0.0.1 and lasts a bounded time. Knobs (environment):
#   BENCH_SIZES="10000 100000 1000000"   seeded requests per schema
#   BENCH_CONNS="1 8 64"                 concurrency (wrk connections = pgbench clients)
#   BENCH_DURATION=10                    seconds per measurement
#   BENCH_ENDPOINTS="queue list submit decide"
#   BENCH_BIN=path/to/holidays           skip the build and use this binary
#   BENCH_OUT=dir                        where results go
#   BENCH_WHATIF=0                       skip the what-if runs (the reads' SQL with the fix
#                                        proposed in docs/benchmarks.md, pgbench only, c=8)
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
case "$MODE" in all | perf | startup | reliability) ;; *)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 2
    ;;
esac
SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
CONNS=${BENCH_CONNS:-"1 8 64"}
DURATION=${BENCH_DURATION:-10}
ENDPOINTS=${BENCH_ENDPOINTS:-"queue list submit decide"}
OUT=${BENCH_OUT:-$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/raw"
OUT=$(cd "$OUT" && pwd)
export BENCH_WRK_DIR="$BENCH_DIR/wrk"

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
        [ ! -x "$(pg_config --bindir)/pgbench" ]; then
        # Debian ships pgbench with the server binaries (postgresql-NN), which postgresql pulls in.
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
}

build_binary() {
    if [ -n "${BENCH_BIN:-}" ]; then
        APP_SRC_BIN=$BENCH_BIN
    else
        log "cargo build --release --locked (a few minutes when cold)"
        (cd "$ROOT" && cargo build --release --locked --bin holidays) 2>&1 | tail -2 | tee -a "$OUT/run.log" >&2
        APP_SRC_BIN=$ROOT/target/release/holidays
    fi
    [ -x "$APP_SRC_BIN" ] || die "no binary at $APP_SRC_BIN"
    # A copy, as the deployed folder has it (binary and Rocket.toml side by side, started from
    # there), so that a rebuild by someone else cannot swap it during the run.
    mkdir -p "$WORK/app"
    cp "$APP_SRC_BIN" "$WORK/app/holidays"
    cp "$ROOT/Rocket.toml" "$WORK/app/"
    APP_BIN=$WORK/app/holidays
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
EOF
    pg_ctl_start
    export PGHOST=127.0.0.1 PGPORT=$PGPORT_BENCH PGUSER=postgres
    psql -qX -d postgres -c 'CREATE DATABASE bench' >/dev/null
    export PGDATABASE=bench
    DB_URL="postgres://postgres@127.0.0.1:$PGPORT_BENCH/bench"
    log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT_BENCH (data in $PGDATA_DIR)"
}

pg_ctl_start() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$WORK/postgres.log" -w -t 60 start >/dev/null; }
pg_ctl_stop() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null; }

APP_PID=
cleanup() {
    local status=$?
    set +e
    [ -n "$APP_PID" ] && stop_app
    if [ -n "${PGDATA_DIR:-}" ] && [ -f "$PGDATA_DIR/postmaster.pid" ]; then pg_ctl_stop; fi
    [ -f "$WORK/postgres.log" ] && cp "$WORK/postgres.log" "$OUT/raw/postgres.log"
    if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    exit $status
}

psql_q() { psql -qXAt -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------------------------------------
# The app

# start_app NAME ENV...: starts the binary from its folder with the given environment and
# waits for /healthz.
start_app() {
    local name=$1
    shift
    APP_PORT=$(free_port)
    (
        cd "$WORK/app"
        exec env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE "$@" DATABRICKS_APP_PORT="$APP_PORT" ./holidays >>"$OUT/raw/app-$name.log" 2>&1
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

pg_app_env() { echo "DATABASE_URL=$DB_URL HOLIDAYS_PG_SCHEMA=$1 HOLIDAYS_AUTH=proxy HOLIDAYS_ADMINS=admin@bench.example"; }

# ---------------------------------------------------------------------------------------------
# 3. Measurements

record() { printf '%s\n' "$1" >>"$OUT/results.jsonl"; }

# wrk_point SIZE ENDPOINT CONNS EXTRA_JSON URL SCRIPT ARGS...
wrk_point() {
    local size=$1 ep=$2 c=$3 extra=$4 url=$5 script=$6
    shift 6
    local t=$((c < 2 ? c : 2)) before after out json
    before=$(load1)
    out=$OUT/raw/wrk-$size-$ep-c$c.txt
    wrk -t "$t" -c "$c" -d "${DURATION}s" --timeout 10s --latency -s "$BENCH_WRK_DIR/$script" "$url" -- "$t" "$@" >"$out" 2>&1 ||
        die "wrk failed: see $out"
    after=$(load1)
    json=$(grep '^WRKJSON ' "$out" | sed 's/^WRKJSON //')
    [ -n "$json" ] || die "no summary from wrk: see $out"
    record "{\"kind\": \"perf\", \"tool\": \"app\", \"size\": $size, \"endpoint\": \"$ep\", \"conns\": $c, \"load_before\": $before, \"load_after\": $after, $extra \"wrk\": $json}"
    LAST_RATE=$(python3 "$BENCH_DIR/py/fmt.py" rate "$json")
    log "  app     $ep c=$c: $(python3 "$BENCH_DIR/py/fmt.py" wrk "$json") (load $before -> $after)"
}

# pgbench_point SIZE ENDPOINT CONNS SCHEMA EXTRA_JSON SCRIPT PGBENCH_ARGS...
pgbench_point() {
    local size=$1 ep=$2 c=$3 schema=$4 extra=$5 script=$6
    shift 6
    local t=$((c < 2 ? c : 2)) before after out logdir
    before=$(load1)
    out=$OUT/raw/${PGBENCH_TOOL:-pgbench}-$size-$ep-c$c.txt
    logdir=$WORK/pglog-${PGBENCH_TOOL:-pgbench}-$size-$ep-$c
    mkdir -p "$logdir"
    (cd "$logdir" && PGOPTIONS="-c search_path=$schema,${schema}_aux ${PGBENCH_OPTIONS:-}" "$PGBIN/pgbench" -n -M prepared \
        -c "$c" -j "$t" -T "$DURATION" -l -f "$BENCH_DIR/pgbench/$script" \
        -D pending=Pending -D 'pa={Pending,Approved}' -D one=1 -D 'now=2026-11-26 12:00:00' \
        -D comment=Benchmark -D submitted=Submitted -D approved=Approved -D note=Enjoy "$@" bench) >"$out" 2>&1 ||
        die "pgbench failed: see $out"
    after=$(load1)
    local json
    json=$(python3 "$BENCH_DIR/py/pgbench_summary.py" "$out" "$logdir")
    rm -rf "$logdir"
    record "{\"kind\": \"perf\", \"tool\": \"${PGBENCH_TOOL:-pgbench}\", \"size\": $size, \"endpoint\": \"$ep\", \"conns\": $c, \"load_before\": $before, \"load_after\": $after, $extra \"pgbench\": $json}"
    LAST_RATE=$(python3 "$BENCH_DIR/py/fmt.py" rate "$json")
    log "  ${PGBENCH_TOOL:-pgbench} $ep c=$c: $(python3 "$BENCH_DIR/py/fmt.py" pgbench "$json") (load $before -> $after)"
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

# pool SCHEMA COUNT BASE: pending requests to decide; sets POOL_FIRST and POOL_LAST (n in aux.dec).
pool() {
    local range
    range=$(psql_q -F' ' -v schema="$1" -v aux="${1}_aux" -v count="$2" -v base="$3" -f "$BENCH_DIR/sql/pool.sql" | tail -1)
    read -r POOL_FIRST POOL_LAST <<<"$range"
}

perf_size() {
    local size=$1 schema label
    label=$(python3 -c "n=$size; print(f'{n//1000000}m' if n % 1000000 == 0 else f'{n//1000}k' if n % 1000 == 0 else n)")
    schema=bench_$label
    log "size $size: schema $schema"
    # The app creates the schema and its tables, as in production.
    # shellcheck disable=SC2046
    start_app "migrate-$label" $(pg_app_env "$schema")
    stop_app
    local t0 t1
    t0=$(date +%s.%N)
    psql_q -v n="$size" -v schema="$schema" -f "$BENCH_DIR/sql/seed.sql" >"$OUT/raw/seed-$label.txt"
    t1=$(date +%s.%N)
    psql_q -v schema="$schema" -v aux="${schema}_aux" -f "$BENCH_DIR/sql/aux.sql" >"$OUT/raw/aux-$label.txt" 2>&1
    local counts employees managers requesters
    counts=$(psql_q -F' ' -c "SET search_path TO $schema" -c "
        SELECT (SELECT count(*) FROM holiday_requests), (SELECT count(*) FROM holiday_requests WHERE status = 'Pending'),
               (SELECT count(*) FROM people), (SELECT count(*) FROM request_events),
               (SELECT count(*) FROM people WHERE email LIKE 'e%'), (SELECT count(*) FROM people WHERE email LIKE 'm%'),
               pg_total_relation_size('holiday_requests'), pg_total_relation_size('request_events')")
    read -r n_req n_pending n_people n_events employees managers req_bytes ev_bytes <<<"$counts"
    requesters=$((employees + managers))
    record "{\"kind\": \"seed\", \"size\": $size, \"schema\": \"$schema\", \"seconds\": $(python3 -c "print(round($t1 - $t0, 1))"), \"requests\": $n_req, \"pending\": $n_pending, \"people\": $n_people, \"events\": $n_events, \"employees\": $employees, \"managers\": $managers, \"requests_bytes\": $req_bytes, \"events_bytes\": $ev_bytes}"
    log "  seeded $n_req requests ($n_pending pending), $n_people people, $n_events events in $(python3 -c "print(round($t1 - $t0, 1))") s"
    psql -qX -v ON_ERROR_STOP=1 -v schema="$schema" -v m="m$((managers / 2))@bench.example" \
        -f "$BENCH_DIR/sql/explain.sql" >"$OUT/raw/explain-$label.txt" 2>&1

    # shellcheck disable=SC2046
    start_app "$label" $(pg_app_env "$schema")
    local pid=$APP_PID
    # The ceiling must run the app's own statements: compare them (log_statement = 'all'), and
    # the precomputed inputs with what the app shows.
    python3 "$BENCH_DIR/py/check_sql.py" "$APP_URL" "$schema" "$WORK/postgres.log" "$BENCH_DIR/pgbench" \
        >>"$OUT/run.log" 2>&1 || die "the app's SQL differs from bench/pgbench/*.sql: see $OUT/run.log"
    python3 "$BENCH_DIR/py/check_inputs.py" "$APP_URL" "$schema" >>"$OUT/run.log" 2>&1 ||
        die "the pgbench inputs do not match what the app shows: see $OUT/run.log"

    # Warm-up (not recorded): the pool opens its connections, statements get prepared.
    for path in /queue "/api/requests?limit=50"; do
        wrk -t 2 -c 8 -d 2s -s "$BENCH_WRK_DIR/reads.lua" "$APP_URL$path" -- 2 "$managers" >/dev/null 2>&1 || true
    done

    local ep c
    for ep in $ENDPOINTS; do
        case $ep in
        queue | list)
            local path=/queue
            [ $ep = list ] && path="/api/requests?limit=50"
            for c in $CONNS; do
                wrk_point "$size" $ep "$c" "\"rows\": $(rows_of "$schema")," "$APP_URL$path" reads.lua "$managers"
                pgbench_point "$size" $ep "$c" "$schema" "\"rows\": $(rows_of "$schema")," $ep.sql -D nmgr="$managers"
            done
            ;;
        submit)
            local i=0 mark
            for c in $CONNS; do
                i=$((i + 1))
                mark=$(max_id "$schema")
                wrk_point "$size" submit "$c" "\"rows\": $(rows_of "$schema")," "$APP_URL" submit.lua \
                    "$employees" "$managers" "$((2100 + 10 * i))-01-04"
                APP_SUBMIT_RATE[$c]=$LAST_RATE
                settle_writes "$size" submit "$c" app "$schema" "$mark"
                mark=$(max_id "$schema")
                psql_q -c "SELECT setval('${schema}_aux.sub_seq', 0, false)" >/dev/null
                pgbench_point "$size" submit "$c" "$schema" "\"rows\": $(rows_of "$schema")," submit.sql \
                    -D nreq="$requesters" -D base="$((2400 + 10 * i))-01-04"
                PG_SUBMIT_RATE[$c]=$LAST_RATE
                settle_writes "$size" submit "$c" pgbench "$schema" "$mark"
            done
            ;;
        decide)
            local i=0 mark count rows
            for c in $CONNS; do
                i=$((i + 1))
                # Enough pending requests that none is decided twice: twice the rate the same
                # concurrency submitted at, times the duration.
                mark=$(max_id "$schema")
                rows=$(rows_of "$schema")
                count=$((2 * ${APP_SUBMIT_RATE[$c]:-2000} * DURATION + 2000))
                pool "$schema" "$count" "$((2600 + 10 * i))-01-04"
                psql_q -F' ' -c "SELECT request_id, manager FROM ${schema}_aux.dec WHERE n BETWEEN $POOL_FIRST AND $POOL_LAST ORDER BY n" >"$WORK/decide-ids.txt"
                wrk_point "$size" decide "$c" "\"rows\": $rows, \"pool\": $count," "$APP_URL" decide.lua "$WORK/decide-ids.txt"
                settle_writes "$size" decide "$c" app "$schema" "$mark"

                mark=$(max_id "$schema")
                count=$((2 * ${PG_SUBMIT_RATE[$c]:-3000} * DURATION + 2000))
                pool "$schema" "$count" "$((2800 + 10 * i))-01-04"
                psql_q -c "SELECT setval('${schema}_aux.dec_seq', $POOL_FIRST, false)" >/dev/null
                pgbench_point "$size" decide "$c" "$schema" "\"rows\": $rows, \"pool\": $count," decide.sql
                settle_writes "$size" decide "$c" pgbench "$schema" "$mark"
            done
            ;;
        *) die "unknown endpoint $ep" ;;
        esac
    done

    # What the proposed fix would give the database side of the two reads (docs/benchmarks.md):
    # each page run as one small index scan per person (LATERAL), pgbench only.
    if [ "${BENCH_WHATIF:-1}" = 1 ]; then
        for ep in $ENDPOINTS; do
            case $ep in queue | list) ;; *) continue ;; esac
            PGBENCH_TOOL=pgbench-whatif pgbench_point "$size" $ep "${BENCH_WHATIF_CONNS:-8}" "$schema" \
                "\"rows\": $(rows_of "$schema")," "whatif/${ep}_lateral.sql" -D nmgr="$managers"
        done
    fi

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
    startup
    reliability
    ;;
perf) perf ;;
startup) startup ;;
reliability) reliability ;;
esac
python3 "$BENCH_DIR/py/report.py" "$OUT" >"$OUT/summary.md"
log "done: $OUT/summary.md"
[ "$RELIABILITY_FAILED" = 0 ] || die "a reliability check failed: see $OUT/summary.md"
