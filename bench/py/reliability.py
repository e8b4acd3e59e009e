"""Reliability runs against the app on Postgres (standard library only; the database is read with
psql).  Started by `bench/run.sh reliability`, which seeds the schema first.

  a. 64 clients for 20 s submitting and deciding: no 5xx; every 201 and every 200 decision is in
     the database; exactly one audit event per change.
  b. 50 simultaneous decisions of one request (several rounds): exactly one 200, the rest 409.
  c. Postgres stopped (pg_ctl stop -m fast) and started again under load: 503 only while it is
     down, service back within 5 s of its return, no accepted write lost, no half-written change,
     and nothing written for a request that got 503.
  d. A few hundred malformed and hostile requests: each answered 4xx with a JSON `error`
     sentence, none 5xx, data unchanged; then hostile but valid text is stored verbatim and
     escaped on the HTML page.

Usage: reliability.py APP_DIR POSTGRES_URL SCHEMA OUT_DIR
Environment: PG* for psql; BENCH_PG_STOP / BENCH_PG_START, shell snippets that stop and start
the benchmark's own cluster.  Appends one JSON line per test to OUT_DIR/results.jsonl and
writes details to OUT_DIR/raw/reliability-*.json."""

import collections
import http.client
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

APP_DIR, PG_URL, SCHEMA, OUT = sys.argv[1:5]
ADMIN = "admin@bench.example"
RESULTS = os.path.join(OUT, "results.jsonl")


# --- the database, through psql ---------------------------------------------------------------

def sql(query):
    out = subprocess.run(["psql", "-qXAt", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", f"SET search_path TO {SCHEMA}",
                          "-c", query], check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line != ""]


def scalar(query):
    return int(sql(query)[0][0])


def snapshot():
    """A fingerprint of every table the app writes."""
    return {t: sql(f"SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM {t} x")[0][0]
            for t in ("holiday_requests", "request_events", "people")}


def audit_invariants():
    """Whole-schema checks that every change has exactly one event and no event lacks its change."""
    checks = {
        "requests_without_exactly_one_submitted_event": """
            SELECT count(*) FROM holiday_requests r
            WHERE (SELECT count(*) FROM request_events e WHERE e.request_id = r.request_id AND e.action = 'Submitted') <> 1""",
        "decided_without_exactly_one_decision_event": """
            SELECT count(*) FROM holiday_requests r WHERE r.status IN ('Approved', 'Declined')
              AND (SELECT count(*) FROM request_events e WHERE e.request_id = r.request_id
                   AND e.action IN ('Approved', 'Declined')) <> 1""",
        "decision_event_not_matching_row": """
            SELECT count(*) FROM request_events e JOIN holiday_requests r USING (request_id)
            WHERE e.action IN ('Approved', 'Declined') AND (e.action <> r.status OR e.actor_email <> r.decided_by)""",
        "pending_with_a_decision_or_cancel_event": """
            SELECT count(*) FROM holiday_requests r WHERE r.status = 'Pending'
              AND EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.request_id AND e.action <> 'Submitted')""",
        "cancelled_without_exactly_one_cancel_event": """
            SELECT count(*) FROM holiday_requests r WHERE r.status = 'Cancelled'
              AND (SELECT count(*) FROM request_events e WHERE e.request_id = r.request_id AND e.action = 'Cancelled') <> 1""",
    }
    found = {name: scalar(q) for name, q in checks.items()}
    totals = sql("""SELECT (SELECT count(*) FROM holiday_requests),
                           (SELECT count(*) FROM request_events WHERE action = 'Submitted'),
                           (SELECT count(*) FROM holiday_requests WHERE status IN ('Approved', 'Declined')),
                           (SELECT count(*) FROM request_events WHERE action IN ('Approved', 'Declined'))""")[0]
    found["requests"], found["submitted_events"], found["decided_rows"], found["decision_events"] = map(int, totals)
    ok = all(found[name] == 0 for name in checks) and found["requests"] == found["submitted_events"] and found["decided_rows"] == found["decision_events"]
    return ok, found


# --- the app ----------------------------------------------------------------------------------

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


PORT = free_port()
APP_LOG = open(os.path.join(OUT, "raw", "app-reliability.log"), "ab")


def start_app():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOLIDAYS_", "PG", "DATABASE_URL", "ROCKET_"))}
    env.update(DATABASE_URL=PG_URL, HOLIDAYS_PG_SCHEMA=SCHEMA, HOLIDAYS_AUTH="proxy", HOLIDAYS_ADMINS=ADMIN,
               DATABRICKS_APP_PORT=str(PORT))
    proc = subprocess.Popen([os.path.join(APP_DIR, "holidays")], cwd=APP_DIR, env=env, stdout=APP_LOG, stderr=APP_LOG)
    for _ in range(600):
        if http_call("GET", "/healthz")[0] == 200:
            return proc
        time.sleep(0.05)
    raise RuntimeError("the app did not start")


class Client:
    """One keep-alive connection, as a browser or script would hold."""

    def __init__(self, timeout=15):
        self.timeout = timeout
        self.conn = None

    def call(self, method, path, who=None, body=None, headers=None, raw=None):
        """Returns (status, parsed JSON or text, start, end); status 0 for a client-side error."""
        hdrs = dict(headers or {})
        if who is not None:
            hdrs["X-Forwarded-Email"] = who
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        start = time.monotonic()
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=self.timeout)
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                if resp.getheader("Connection", "").lower() == "close":
                    self.close()
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = text
                return resp.status, parsed, start, time.monotonic()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                # A kept-alive connection the server closed between requests: retry once.
                self.close()
                if attempt == 2:
                    return 0, repr(e), start, time.monotonic()
            except (OSError, http.client.HTTPException) as e:
                self.close()
                return 0, repr(e), start, time.monotonic()

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def raw_call(method, path, headers, body):
    """For bodies the server may refuse before reading them all: sends what it can, then reads
    the answer (http.client gives up at the first broken pipe)."""
    start = time.monotonic()
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=15)
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    try:
        sock.sendall(head.encode())
        for i in range(0, len(body), 65536):
            sock.sendall(body[i:i + 65536])
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused early: the answer may still be there
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    sock.close()
    if not data.startswith(b"HTTP/1.1 "):
        return 0, "no answer", start, time.monotonic()
    status = int(data[9:12])
    text = data.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return status, parsed, start, time.monotonic()


def http_call(method, path, **kw):
    c = Client(timeout=5)
    try:
        return c.call(method, path, **kw)
    finally:
        c.close()


# --- the seeded directory (bench/sql/seed.sql) ------------------------------------------------

EMPLOYEES = scalar("SELECT count(*) FROM people WHERE email LIKE 'e%'")
MANAGERS = scalar("SELECT count(*) FROM people WHERE email LIKE 'm%'")
REQUESTERS = EMPLOYEES + MANAGERS


def write_window():
    """Where this run's requests go: the app takes requests from 2 years back to 3 years ahead
    of today, so writes start on the first Monday a week after both today and the last seeded
    request, and the weeks after it are shared out between the tests (none deletes its rows)."""
    base, weeks = sql("""
        SELECT b, ((current_date + interval '3 years')::date - 1 - b) / 7
        FROM (SELECT d + (8 - extract(isodow FROM d)::int) % 7 AS b
              FROM (SELECT greatest(current_date, max(end_date)) + 7 AS d FROM holiday_requests) x) y""")[0]
    weeks = int(weeks)
    if weeks < 100:
        sys.exit(f"reliability.py: only {weeks} weeks of the app's date window are free after {base}; it needs 100")
    return date.fromisoformat(base), weeks


BASE, WEEKS_FREE = write_window()
# Test a from week 0, b from week 40, c from week 45, d's valid requests in week 90 and from 95.
WEEK_A, WEEK_B, WEEK_C, WEEK_D_GOOD, WEEK_D_TEXT = 0, 40, 45, 90, 95


def week(n):
    return BASE + timedelta(days=7 * n)


def requester(k):
    return f"e{k + 1}@bench.example" if k < EMPLOYEES else f"m{k - EMPLOYEES + 1}@bench.example"


def manager_of(email):
    kind, num = email[0], int(email[1:email.index("@")])
    return f"{'m' if kind == 'e' else 'd'}{(num - 1) // 8 + 1}@bench.example"


class Windows:
    """Distinct (person, week) pairs: n -> person n % R, week n // R from a base date."""

    def __init__(self, base):
        self.base = base
        self.counter = itertools.count()

    def next(self):
        n = next(self.counter)
        start = self.base + timedelta(days=7 * (n // REQUESTERS))
        return n, requester(n % REQUESTERS), start.isoformat(), (start + timedelta(days=1)).isoformat()


RECORDED = []


def record(result):
    RECORDED.append(result)
    with open(RESULTS, "a") as f:
        f.write(json.dumps(result) + "\n")
    flag = "PASS" if result["pass"] else "FAIL"
    print(f"  reliability {result['test']}: {flag} {result.get('headline', '')}", file=sys.stderr, flush=True)


def details(name, data):
    with open(os.path.join(OUT, "raw", f"reliability-{name}.json"), "w") as f:
        json.dump(data, f, indent=1, default=str)


# --- a. concurrent submitting and deciding ----------------------------------------------------

def mixed_load(seconds, threads, tag, windows, pending, stop_event=None, reads=False):
    """Workers submit, decide (the requester's manager, each pending id once, sometimes one
    already decided), and optionally read. Returns the list of outcomes."""
    outcomes = []
    lock = threading.Lock()
    decided = []
    deadline = time.monotonic() + seconds

    def worker(i):
        rnd = random.Random(i)
        client = Client()
        mine = []
        while time.monotonic() < deadline and not (stop_event and stop_event.is_set()):
            roll = rnd.random()
            if reads and roll < 0.2:
                who = f"m{rnd.randint(1, MANAGERS)}@bench.example"
                status, body, t0, t1 = client.call("GET", "/api/requests?limit=20", who=who)
                mine.append(("list", None, who, None, status, t0, t1, body if status >= 500 or status == 0 else None))
            elif roll < 0.55 or not pending:
                n, who, start, end = windows.next()
                token = f"{tag}-{n}"
                status, body, t0, t1 = client.call("POST", "/api/requests", who=who,
                                                   body={"start_date": start, "end_date": end, "comment": token})
                rid = body.get("id") if status == 201 and isinstance(body, dict) else None
                if status == 201:
                    pending.append((rid, who))
                mine.append(("submit", rid, who, (start, end, token), status, t0, t1,
                             body if status >= 500 or status == 0 else None))
            else:
                again = rnd.random() < 0.1 and decided
                if again:
                    rid, who = rnd.choice(decided)
                else:
                    try:
                        rid, who = pending.popleft()
                    except IndexError:
                        continue
                decider = manager_of(who)
                decision = "Approved" if rnd.random() < 0.7 else "Declined"
                token = f"{tag}-d{rid}-{i}-{len(mine)}"
                status, body, t0, t1 = client.call("POST", f"/api/requests/{rid}/decision", who=decider,
                                                   body={"decision": decision, "note": token})
                if status == 200:
                    with lock:
                        decided.append((rid, who))
                elif status == 503 and not again:
                    pending.append((rid, who))  # nothing changed: it can be decided later
                mine.append(("decide", rid, decider, (decision, token, again), status, t0, t1,
                             body if status >= 500 or status == 0 else None))
        client.close()
        with lock:
            outcomes.extend(mine)

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return outcomes


def verify_outcomes(outcomes, tag):
    """Every accepted write is in the database as answered; nothing was written for a 503."""
    rows = {int(r[0]): r for r in sql(
        f"SELECT request_id, requester_email, start_date, end_date, comment, status, decided_by, manager_note "
        f"FROM holiday_requests WHERE comment LIKE '{tag}-%' OR manager_note LIKE '{tag}-%'")}
    lost, wrong, written_after_503 = [], [], []
    created = sum(1 for o in outcomes if o[0] == "submit" and o[4] == 201)
    wins = {}
    for kind, rid, who, extra, status, *_ in outcomes:
        if kind == "submit" and status == 201:
            r = rows.get(rid)
            if r is None:
                lost.append(("submit", rid))
            elif (r[1], r[2], r[3], r[4]) != (who, extra[0], extra[1], extra[2]):
                wrong.append(("submit", rid, r))
        elif kind == "decide" and status == 200:
            wins[rid] = wins.get(rid, 0) + 1
            r = rows.get(rid) or (sql(f"SELECT request_id, requester_email, start_date, end_date, comment, status, "
                                      f"decided_by, manager_note FROM holiday_requests WHERE request_id = {rid}") or [None])[0]
            if r is None:
                lost.append(("decide", rid))
            elif (r[5], r[6], r[7]) != (extra[0], who, extra[1]):
                wrong.append(("decide", rid, r))
        elif kind == "submit" and status == 503:
            token = extra[2]
            if scalar(f"SELECT count(*) FROM holiday_requests WHERE comment = '{token}'"):
                written_after_503.append(("submit", token))
        elif kind == "decide" and status == 503:
            if scalar(f"SELECT count(*) FROM holiday_requests WHERE request_id = {rid} AND manager_note = '{extra[1]}'"):
                written_after_503.append(("decide", rid))
    in_db = scalar(f"SELECT count(*) FROM holiday_requests WHERE comment LIKE '{tag}-%'")
    twice = [rid for rid, n in wins.items() if n > 1]
    events_for_run = scalar(f"""SELECT count(*) FROM request_events e JOIN holiday_requests r USING (request_id)
                                WHERE r.comment LIKE '{tag}-%' AND e.action = 'Submitted'""")
    decision_events_for_run = scalar(f"SELECT count(*) FROM request_events WHERE note LIKE '{tag}-d%' "
                                     f"AND action IN ('Approved', 'Declined')")
    decisions_200 = sum(1 for o in outcomes if o[0] == "decide" and o[4] == 200)
    return {
        "created_201": created,
        "rows_in_db_for_run": in_db,
        "submitted_events_for_run": events_for_run,
        "decisions_200": decisions_200,
        "decision_events_for_run": decision_events_for_run,
        "lost": lost,
        "wrong": wrong,
        "decided_twice": twice,
        "written_despite_503": written_after_503,
    }


def counts(outcomes):
    c = collections.Counter()
    for o in outcomes:
        c[f"{o[0]} {o[4]}"] += 1
    return dict(sorted(c.items()))


def seeded_pending(limit):
    return collections.deque((int(r[0]), r[1]) for r in sql(
        f"SELECT request_id, requester_email FROM holiday_requests WHERE status = 'Pending' "
        f"AND requester_email LIKE '%@bench.example' ORDER BY random() LIMIT {limit}"))


def test_a():
    tag = "rel-a"
    pending = seeded_pending(500)
    t0 = time.monotonic()
    outcomes = mixed_load(20, 64, tag, Windows(week(WEEK_A)), pending)
    elapsed = time.monotonic() - t0
    v = verify_outcomes(outcomes, tag)
    inv_ok, inv = audit_invariants()
    statuses = counts(outcomes)
    fivexx = sum(1 for o in outcomes if o[4] >= 500 or o[4] == 0)
    ok = (fivexx == 0 and not v["lost"] and not v["wrong"] and not v["decided_twice"] and inv_ok
          and v["created_201"] == v["rows_in_db_for_run"] == v["submitted_events_for_run"]
          and v["decisions_200"] == v["decision_events_for_run"])
    unexpected = collections.Counter(f"{o[0]} {o[4]}" for o in outcomes
                                     if not (o[0] == "submit" and o[4] == 201) and not (o[0] == "decide" and o[4] in (200, 409)))
    record({"kind": "reliability", "test": "a", "pass": ok, "seconds": round(elapsed, 1), "clients": 64,
            "statuses": statuses, "server_or_client_errors": fivexx, "unexpected": dict(unexpected),
            **{k: (len(x) if isinstance(x, list) else x) for k, x in v.items()}, "audit": inv,
            "headline": f"{len(outcomes)} requests in {elapsed:.0f} s, {statuses}, 5xx {fivexx}, "
                        f"201 {v['created_201']} = rows {v['rows_in_db_for_run']} = Submitted events "
                        f"{v['submitted_events_for_run']}, 200 decisions {v['decisions_200']} = decision events "
                        f"{v['decision_events_for_run']}, audit invariants {'hold' if inv_ok else 'BROKEN'}"})
    details("a", {"verify": v, "audit": inv, "errors": [o for o in outcomes if o[4] >= 500 or o[4] == 0][:50]})


# --- b. racing decisions ----------------------------------------------------------------------

def test_b(rounds=5, racers=50):
    windows = Windows(week(WEEK_B))
    results = []
    for r in range(rounds):
        _, who, start, end = windows.next()
        status, body, *_ = http_call("POST", "/api/requests", who=who,
                                     body={"start_date": start, "end_date": end, "comment": f"rel-b-{r}"})
        assert status == 201, (status, body)
        rid = body["id"]
        manager = manager_of(who)
        clients = [Client() for _ in range(racers)]
        for c in clients:  # open every connection first, so the posts leave together
            c.call("GET", "/healthz")
        barrier = threading.Barrier(racers)
        answers = [None] * racers

        def race(i):
            decider = ADMIN if i % 5 == 0 else manager
            decision = "Approved" if i % 2 == 0 else "Declined"
            barrier.wait()
            status, body, *_ = clients[i].call("POST", f"/api/requests/{rid}/decision", who=decider,
                                               body={"decision": decision, "note": f"racer {i}"})
            answers[i] = (status, decider, decision, body)

        threads = [threading.Thread(target=race, args=(i,)) for i in range(racers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in clients:
            c.close()
        by_status = collections.Counter(a[0] for a in answers)
        winners = [a for a in answers if a[0] == 200]
        row = sql(f"SELECT status, decided_by, manager_note FROM holiday_requests WHERE request_id = {rid}")[0]
        events = scalar(f"SELECT count(*) FROM request_events WHERE request_id = {rid} AND action IN ('Approved', 'Declined')")
        ok = (by_status.get(200) == 1 and by_status.get(409) == racers - 1 and events == 1
              and len(winners) == 1 and (row[0], row[1]) == (winners[0][2], winners[0][1]))
        results.append({"request": rid, "statuses": dict(by_status), "decision_events": events, "row": row, "pass": ok,
                        "sample_409": next((a[3] for a in answers if a[0] == 409), None)})
    ok = all(r["pass"] for r in results)
    record({"kind": "reliability", "test": "b", "pass": ok, "rounds": rounds, "racers": racers, "rounds_detail": results,
            "headline": "; ".join(f"#{r['request']}: {r['statuses']}, {r['decision_events']} decision event"
                                  for r in results)})


# --- c. Postgres stopped and started under load -----------------------------------------------

def shell(snippet):
    subprocess.run(["bash", "-c", snippet], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def pg_ready():
    return subprocess.run(["psql", "-qXAt", "-c", "SELECT 1"], capture_output=True).returncode == 0


def test_c(before_stop=6.0, down_for=5.0, after_start=15.0):
    tag = "rel-c"
    stop_event = threading.Event()
    health = []
    pending = seeded_pending(300)
    box = {}

    def poll_health():
        client = Client(timeout=10)
        while not stop_event.is_set():
            status, body, t0, t1 = client.call("GET", "/healthz")
            health.append((status, t0, t1))
            time.sleep(0.02)
        client.close()

    def load():
        box["outcomes"] = mixed_load(3600, 16, tag, Windows(week(WEEK_C)), pending, stop_event=stop_event, reads=True)

    poller = threading.Thread(target=poll_health)
    loader = threading.Thread(target=load)
    t_begin = time.monotonic()
    poller.start()
    loader.start()
    timeline = {}
    try:
        time.sleep(before_stop)
        timeline["stop_begin"] = time.monotonic()
        shell(os.environ["BENCH_PG_STOP"])
        timeline["stopped"] = time.monotonic()
        time.sleep(down_for)
        timeline["start_begin"] = time.monotonic()
    finally:
        shell(os.environ["BENCH_PG_START"])  # waits until it accepts connections
    timeline["up"] = time.monotonic()
    while not pg_ready():
        time.sleep(0.01)
    timeline["accepting"] = time.monotonic()
    time.sleep(after_start)
    stop_event.set()
    loader.join()
    poller.join()
    outcomes = box["outcomes"]
    up = timeline["up"]

    def rel(t):
        return round(t - up, 3)

    non_503_5xx = [o for o in outcomes if o[4] >= 500 and o[4] != 503]
    client_errors = [o for o in outcomes if o[4] == 0]
    all_503 = [o for o in outcomes if o[4] == 503] + [("healthz", None, None, None, h[0], h[1], h[2], None)
                                                      for h in health if h[0] == 503]
    # A 503 is fine if the request was sent while the database was stopping, down, or coming back
    # (up to 5 s after it accepts connections again).
    late_503 = [o for o in all_503 if o[5] > up + 5.0 or o[6] < timeline["stop_begin"]]
    first_health_200 = next((h for h in health if h[1] >= up and h[0] == 200), None)
    first_submit_201 = min((o[6] for o in outcomes if o[0] == "submit" and o[4] == 201 and o[5] >= up), default=None)
    first_decide_200 = min((o[6] for o in outcomes if o[0] == "decide" and o[4] == 200 and o[5] >= up), default=None)
    last_503 = max((o[6] for o in all_503), default=None)
    first_503 = min((o[6] for o in all_503), default=None)
    v = verify_outcomes(outcomes, tag)
    inv_ok, inv = audit_invariants()
    recovery = {
        "healthz_200_s": rel(first_health_200[2]) if first_health_200 else None,
        "submit_201_s": rel(first_submit_201) if first_submit_201 else None,
        "decide_200_s": rel(first_decide_200) if first_decide_200 else None,
    }
    back_in_5 = all(x is not None and x <= 5.0 for x in recovery.values())
    criteria = {
        "only_503_and_only_while_down": not non_503_5xx and not client_errors and not late_503,
        "back_within_5_s": back_in_5,
        # Decision events of the run: one per 200, plus one per decision committed although its
        # answer was a 503 (counted apart below).
        "no_accepted_write_lost": not v["lost"] and not v["wrong"] and not v["decided_twice"]
                                  and v["decisions_200"] + sum(1 for w in v["written_despite_503"] if w[0] == "decide")
                                  == v["decision_events_for_run"],
        "no_half_written_change": inv_ok,
    }
    ok = all(criteria.values())
    result = {
        "kind": "reliability", "test": "c", "pass": ok, "criteria": criteria,
        # Not one of the four criteria, but the 503's sentence says "nothing was changed".
        "committed_despite_503": v["written_despite_503"],
        "timeline_s_relative_to_up": {k: rel(t) for k, t in timeline.items()} | {"load_begin": rel(t_begin)},
        "statuses": counts(outcomes),
        "healthz": dict(collections.Counter(h[0] for h in health)),
        "first_503_s": rel(first_503) if first_503 else None,
        "last_503_s": rel(last_503) if last_503 else None,
        "late_503": len(late_503),
        "other_5xx": len(non_503_5xx),
        "client_errors": len(client_errors),
        "recovery_s": recovery,
        **{k: (len(x) if isinstance(x, list) else x) for k, x in v.items()},
        "audit": inv,
        "headline": (f"down {rel(timeline['stop_begin'])}..0 s; 503s from {rel(first_503) if first_503 else '-'} "
                     f"to {rel(last_503) if last_503 else '-'} s, late {len(late_503)}, other 5xx {len(non_503_5xx)}; "
                     f"back after {recovery}; lost {len(v['lost'])}, audit invariants {'hold' if inv_ok else 'BROKEN'}; "
                     f"committed although answered 503: {len(v['written_despite_503'])}"),
    }
    record(result)
    details("c", {"verify": v, "audit": inv, "late_503": late_503[:50], "other_5xx": non_503_5xx[:50],
                  "client_errors": client_errors[:50], "health": [(h[0], rel(h[1])) for h in health]})


# --- d. hostile input -------------------------------------------------------------------------

def hostile_cases(pending_id, requester_email, manager_email, other_manager, other_pending_id):
    """(description, method, path, who, headers, raw body). Every one of them must be refused."""
    J = {"Content-Type": "application/json"}
    me, boss = requester_email, manager_email
    # Valid dates (inside the app's window, overlapping nothing), so that each case is refused for
    # the reason it names; the malformed ones below keep a year no one can book.
    G, H = week(WEEK_D_GOOD).isoformat(), (week(WEEK_D_GOOD) + timedelta(days=1)).isoformat()
    good = {"start_date": G, "end_date": H}
    cases = []

    def add(desc, method, path, who=me, headers=None, raw=None, body=None):
        if body is not None:
            raw = json.dumps(body).encode()
        cases.append((desc, method, path, who, J if headers is None else headers, raw))

    create, decide, cancel = "/api/requests", f"/api/requests/{pending_id}/decision", f"/api/requests/{pending_id}/cancel"
    # 1. broken JSON
    broken = [b"", b"{", b"}", b"[", b'{"start_date": "2190-03-03"', b'{"start_date": "2190-03-03",}',
              b"{'start_date': '2190-03-03'}", b'{"start_date": 2190-03-03}', b"nul", b"{}{}", b'{"a":1}{"b":2}',
              b'{"start_date": "2190-03-03", /* c */ "end_date": "2190-03-04"}',
              b'\xef\xbb\xbf{"start_date": "2190-03-03", "end_date": "2190-03-04"}', b"\xff\xfe\x00{", b"\x00\x00\x00",
              b'{"start_date": "\\x41", "end_date": "2190-03-04"}', b'{"start_date": "\\ud800", "end_date": "2190-03-04"}',
              b"[" * 5000 + b"]" * 5000, b'{"a":' * 300 + b"1" + b"}" * 300, b'{"x": NaN}', b'{"x": Infinity}',
              b'{"start_date": "2190-03-03", "end_date": "2190-03-04", "comment": "unterminated}',
              b'{"start_date": "2190-03-03", "end_date": "2190-03-04", "comment": "\xc3\x28"}',
              b'{"start_date": "2190-03-03", "end_date": "2190-03-04", "comment": "\xed\xa0\x80"}',
              b'{"start_date" "2190-03-03"}']
    for i, raw in enumerate(broken):
        add(f"broken JSON #{i} to create", "POST", create, raw=raw)
        add(f"broken JSON #{i} to decide", "POST", decide, who=boss, raw=raw)
    # 2. wrong types and values
    for v in [20300101, True, None, [], {}, "", "2190-13-01", "2190-02-30", "03-03-2190", "2190-3-3",
              "2190-03-03T00:00:00", "+2190-03-03", " 2190-03-03x", "0000-00-00", "99999-01-01", 1.5]:
        add(f"start_date {v!r}", "POST", create, body={"start_date": v, "end_date": H})
    add("end before start", "POST", create, body={"start_date": H, "end_date": G})
    add("367 days", "POST", create, body={"start_date": BASE.isoformat(), "end_date": (BASE + timedelta(days=366)).isoformat()})
    add("before the window", "POST", create, body={"start_date": "2000-01-03", "end_date": "2000-01-04"})
    add("after the window", "POST", create, body={"start_date": "2190-03-03", "end_date": "2190-03-04"})
    add("no end_date", "POST", create, body={"start_date": G})
    add("no start_date", "POST", create, body={"end_date": G})
    add("a body that is a list", "POST", create, body=[good])
    add("a body that is a string", "POST", create, body=G)
    add("unknown field status", "POST", create, body=dict(good, status="Approved"))
    add("unknown field requester_email", "POST", create, body=dict(good, requester_email=ADMIN))
    add("unknown field decided_by", "POST", decide, who=boss, body={"decision": "Approved", "decided_by": ADMIN})
    add("comment a number", "POST", create, body=dict(good, comment=5))
    add("comment a list", "POST", create, body=dict(good, comment=["x"]))
    add("comment 1001 characters", "POST", create, body=dict(good, comment="x" * 1001))
    add("comment 1001 emoji", "POST", create, body=dict(good, comment="\U0001F600" * 1001))
    for v in ["Cancelled", "Pending", "approve", "", "Approved; DROP TABLE holiday_requests;--", 1, None, True, ["Approved"]]:
        add(f"decision {v!r}", "POST", decide, who=boss, body={"decision": v})
    add("no decision", "POST", decide, who=boss, body={"note": "x"})
    add("note a number", "POST", decide, who=boss, body={"decision": "Approved", "note": 5})
    add("note 1001 characters", "POST", decide, who=boss, body={"decision": "Approved", "note": "n" * 1001})
    for q in ["limit=0", "limit=-1", "limit=101", "limit=1e2", "limit=abc", "limit=99999999999999999999", "limit=5%00",
              "status=Bogus", "status=Pending%27%20OR%20%271%27%3D%271", "status=%00", "cursor=xyz", "cursor=p0",
              "cursor=p-1", "cursor=r99999999999", "cursor=p1%20OR%201%3D1", "cursor=%27%3B%20DROP%20TABLE%20people%3B--"]:
        add(f"list ?{q}", "GET", f"/api/requests?{q}", headers={})
    # 3. huge bodies (the JSON limit is 64 KiB)
    for size in [64 * 1024 + 1, 200 * 1024, 2 * 1024 * 1024, 8 * 1024 * 1024]:
        add(f"{size} byte body to create", "POST", create, body=dict(good, comment="x" * size))
    add("2 MB body to decide", "POST", decide, who=boss, body={"decision": "Approved", "note": "y" * (2 * 1024 * 1024)})
    add("8 KB identity header", "GET", "/api/me", who="a" * 8000 + "@bench.example", headers={})
    # 4. odd Unicode
    for v in ["\u200f2190-03-03", "２１９０-０３-０３", "٢١٩٠-٠٣-٠٣", "2190\u200b-03-03", "2190-03-03\u0000",
              "\U0001F4C5", "2190‐03‐03", "\ufeff2190-03-03"]:
        add(f"start_date {v!r}", "POST", create, body={"start_date": v, "end_date": H})
    for v in ["Approved\u200b", "Ａpproved", "Appr\u0000oved", "\u202eApproved", "Approv\u00e9d", "A\u0301pproved"]:
        add(f"decision {v!r}", "POST", decide, who=boss, body={"decision": v})
    for q in ["status=%F0%9F%98%80", "status=%E2%80%AEPending", "status=%FF%FE", "cursor=p%D9%A1", "limit=%EF%BC%95"]:
        add(f"list ?{q}", "GET", f"/api/requests?{q}", headers={})
    add("NUL in a comment", "POST", create, body=dict(good, comment="before\u0000after"))
    add("right-to-left override in a comment", "POST", create, body=dict(good, comment="\u202eevil\u202c"))
    add("bidirectional isolate in a note", "POST", decide, who=boss, body={"decision": "Approved", "note": "ok\u2066x"})
    add("NUL in a note", "POST", decide, who=boss, body={"decision": "Approved", "note": "ok\u0000"})
    add("identity with a NUL escape", "GET", "/api/me", who="jo\x00e@bench.example", headers={})
    # 5. SQL and HTML meta-characters where they cannot be valid
    for p in ["/api/requests/1'--", "/api/requests/1%20OR%201%3D1", "/api/requests/1%3BDROP%20TABLE%20people",
              "/api/requests/-1", "/api/requests/0", "/api/requests/2147483648", "/api/requests/%3Cscript%3E",
              "/api/requests/1e3", "/api/requests/0x10", "/api/requests/%EF%BC%95"]:
        add(f"GET {p}", "GET", p, headers={})
        add(f"decide {p}", "POST", p + "/decision", who=boss, body={"decision": "Approved"})
    for v in ["2190-03-03'; DROP TABLE people;--", "2190-03-03\" OR \"1\"=\"1", "<script>alert(1)</script>",
              "2190-03-03<img src=x onerror=alert(1)>", "$(reboot)", "`id`", "../../etc/passwd", "%s%s%s%n"]:
        add(f"start_date {v!r}", "POST", create, body={"start_date": v, "end_date": H, "comment": v})
    for v in ["Approved' OR '1'='1", "<b>Approved</b>", "Approved\r\nX-Injected: 1", "Approved\"}"]:
        add(f"decision {v!r}", "POST", decide, who=boss, body={"decision": v, "note": "<script>alert(1)</script>"})
    # 6. identity in proxy mode: missing, malformed, and forged without rights
    for method, path, body in [("GET", "/api/me", None), ("GET", "/api/requests", None),
                               ("GET", f"/api/requests/{pending_id}", None), ("POST", create, good),
                               ("POST", decide, {"decision": "Approved"}), ("POST", cancel, None)]:
        add(f"no identity: {method} {path}", method, path, who=None, body=body, headers=J if body is not None else {})
    for who in ["", "   ", "nobody", "@", "a@", "@bench.example", "a b@bench.example", "<script>@x",
                "x' OR '1'='1@bench.example", f"{boss}, {ADMIN}", f"{boss},{ADMIN}", "a\tb@bench.example",
                "a" * 250 + "@bench.example", "<" + ADMIN + ">"]:
        add(f"malformed identity {who[:40]!r} deciding", "POST", decide, who=who, body={"decision": "Approved"})
        add(f"malformed identity {who[:40]!r} reading", "GET", "/api/requests", who=who, headers={})
    add("requester deciding their own", "POST", decide, who=me, body={"decision": "Approved"})
    add("another team's manager deciding", "POST", decide, who=other_manager, body={"decision": "Approved"})
    add("the manager's manager deciding", "POST", decide, who=manager_of(boss), body={"decision": "Approved"})
    k = int(me[1:me.index("@")])
    colleague = f"e{k + 1 if k % 8 else k - 1}@bench.example"
    add("a colleague deciding", "POST", decide, who=colleague, body={"decision": "Approved"})
    add("unknown person deciding", "POST", decide, who="stranger@elsewhere.example", body={"decision": "Approved"})
    add("SQL-looking identity deciding", "POST", decide, who="a@b.c';DROP", body={"decision": "Approved"})
    add("the manager cancelling", "POST", cancel, who=boss, headers={})
    add("another manager reading it", "GET", f"/api/requests/{pending_id}", who=other_manager, headers={})
    add("manager deciding another team's request", "POST", f"/api/requests/{other_pending_id}/decision", who=boss,
        body={"decision": "Approved"})
    for h in [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"},
              {"Sec-Fetch-Site": "same-site"}]:
        add(f"cross-site {h} create", "POST", create, headers=dict(J, **h), body=good)
        add(f"cross-site {h} decide", "POST", decide, who=boss, headers=dict(J, **h), body={"decision": "Approved"})
    # 7. media types
    for ct in [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
               "application/xml", "application/json-patch+json; charset=utf-16"]:
        hdrs = {} if ct is None else {"Content-Type": ct}
        add(f"Content-Type {ct} create", "POST", create, headers=hdrs, body=good)
        add(f"Content-Type {ct} decide", "POST", decide, who=boss, headers=hdrs, body={"decision": "Approved"})
    for method in ["PUT", "DELETE", "PATCH"]:
        add(f"{method} a request", method, f"/api/requests/{pending_id}", who=boss, body={"decision": "Approved"})
    return cases


def is_sentence(s):
    return isinstance(s, str) and len(s) >= 10 and s.rstrip().endswith((".", "?", "!"))


def test_d():
    pending_id, requester_email = [(int(r[0]), r[1]) for r in sql(
        "SELECT request_id, requester_email FROM holiday_requests WHERE status = 'Pending' AND requester_email LIKE 'e%' "
        "ORDER BY request_id LIMIT 1")][0]
    boss = manager_of(requester_email)
    other_pending_id, other_requester = [(int(r[0]), r[1]) for r in sql(
        f"SELECT request_id, requester_email FROM holiday_requests WHERE status = 'Pending' AND requester_email LIKE 'e%' "
        f"AND requester_email NOT IN (SELECT email FROM people WHERE manager_email = '{boss}') ORDER BY request_id LIMIT 1")][0]
    other_manager = manager_of(other_requester)
    cases = hostile_cases(pending_id, requester_email, boss, other_manager, other_pending_id)
    before = snapshot()
    failures, statuses = [], collections.Counter()
    protocol_level, lower_case = [], []
    for desc, method, path, who, headers, raw in cases:
        if raw is not None and len(raw) > 1024 * 1024:
            hdrs = dict(headers, **({"X-Forwarded-Email": who} if who is not None else {}))
            status, body, *_ = raw_call(method, path, hdrs, raw)
        else:
            c = Client()
            status, body, *_ = c.call(method, path, who=who, headers=headers, raw=raw)
            c.close()
        statuses[status] += 1
        error = body.get("error") if isinstance(body, dict) else None
        if 400 <= status < 500 and body == "":
            # Refused by the HTTP layer (hyper) before the app sees the request: no body at all.
            protocol_level.append(f"{desc} -> {status}")
        elif not (400 <= status < 500) or not is_sentence(error):
            failures.append({"case": desc, "status": status, "body": body if isinstance(body, dict) else str(body)[:200]})
        elif not error[0].isupper():
            lower_case.append(error)
    after = snapshot()
    unchanged = before == after
    ok = not failures and unchanged
    fivexx = sum(n for s, n in statuses.items() if s >= 500 or s == 0)

    # Hostile but valid text: accepted, stored verbatim, escaped in HTML.
    # (Bidirectional overrides such as U+202E are refused since the hardening: see the hostile cases.)
    text = "<script>alert('x')</script> ' OR 1=1; -- \U0001F600 zero\u200bwidth & \"quotes\""
    day = week(random.randint(WEEK_D_TEXT, WEEKS_FREE - 1))
    status, body, *_ = http_call("POST", "/api/requests", who=requester_email,
                                 body={"start_date": day.isoformat(), "end_date": (day + timedelta(days=1)).isoformat(),
                                       "comment": text})
    verbatim = escaped = False
    if status == 201:
        rid = body["id"]
        s2, one, *_ = http_call("GET", f"/api/requests/{rid}", who=boss)
        verbatim = s2 == 200 and one.get("comment") == text
        s3, page, *_ = http_call("GET", f"/requests/{rid}", who=boss, headers={})
        escaped = s3 == 200 and "<script>alert" not in page and "&lt;script&gt;" in page
    ok = ok and status == 201 and verbatim and escaped
    record({"kind": "reliability", "test": "d", "pass": ok, "cases": len(cases), "statuses": dict(sorted(statuses.items())),
            "failures": len(failures), "fivexx": fivexx, "data_unchanged": unchanged,
            "refused_by_http_layer_without_body": protocol_level,
            "errors_starting_lower_case": sorted(set(e.split("'")[0] for e in lower_case)),
            "valid_hostile_text": {"status": status, "stored_verbatim": verbatim, "escaped_in_html": escaped},
            "failure_cases": [f["case"] + f" -> {f['status']}" for f in failures][:20],
            "headline": f"{len(cases)} cases: {dict(sorted(statuses.items()))}, not 4xx-with-a-sentence "
                        f"{len(failures)}, data unchanged {unchanged}; hostile valid text stored verbatim {verbatim}, "
                        f"escaped {escaped}"})
    details("d", {"failures": failures, "before": before, "after": after})


def main():
    app = start_app()
    try:
        only = os.environ.get("BENCH_RELIABILITY", "abcd")
        for name in only:
            {"a": test_a, "b": test_b, "c": test_c, "d": test_d}[name]()
        hwm = [line.split()[1] for line in open(f"/proc/{app.pid}/status") if line.startswith("VmHWM")][0]
        with open(RESULTS, "a") as f:
            f.write(json.dumps({"kind": "memory", "size": "reliability", "vmhwm_kb": int(hwm)}) + "\n")
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
    sys.exit(0 if all(r["pass"] for r in RECORDED) else 1)


if __name__ == "__main__":
    main()
