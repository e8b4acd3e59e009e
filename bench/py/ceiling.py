"""Writes the pgbench scripts of the "app's own statements" ceiling from what the app itself runs,
and checks that they replay it.

For each endpoint it sends the app a few requests that differ in everything the bench varies
(manager, person, dates, request id), with log_statement = 'all' on the benchmark's own cluster,
and reads the statements and parameters that the app's connections ran from the server's JSON log
(jsonlog, application_name holidays-bench). Then:

1. every sample must have run the same statements (the same text, the same number of them);
2. each parameter is classified by comparing its values across the samples with the inputs the
   bench precomputes per transaction (bench/sql/aux.sql): the same in every sample -> a constant;
   equal to an input column -> that column; an input plus a fixed number (an id + 1, a date + 366
   days) -> derived from it; the id the app answered with -> read back from the statement that
   RETURNs it (\\gset); a timestamp within minutes of the request -> :now. A parameter that none
   of these explains stops the run with a sentence naming it: the ceiling cannot silently drift
   from the app;
3. the script is the app's statement texts with each $n replaced by its pgbench variable, after
   one primary-key lookup of the transaction's inputs (which the app does not run);
4. pgbench runs the script once per sample, forced onto that sample's inputs, with statement
   logging on, and its statements and parameters must equal the app's (statement texts after
   whitespace; parameter values exactly, except the new id and the clock).

Differences that remain, and are written at the top of each script: pgbench prepares every
statement (the app sends BEGIN, COMMIT, the advisory lock, the event insert and the decision's
UPDATE unprepared, parsed each time); pgbench cannot bind NULL, so a parameter the app always
binds to NULL is written as the literal NULL; pgbench's parameters are untyped (Postgres infers
their types from the statement) where Diesel's are typed.

It also saves EXPLAIN (ANALYZE, BUFFERS) of each read statement with the first sample's
parameters, custom and generic plan, and of the least-SQL ceilings (bench/pgbench/least/).

Usage:
  ceiling.py --app URL --schema S --size N --log SERVER_LOG.json --out DIR --endpoints "queue list ..." \\
             --base YYYY-MM-DD [--explain FILE] [--explain-only --who MANAGER]
Environment: PG* for psql and pgbench (the benchmark's cluster), BENCH_PGBENCH (pgbench binary),
BENCH_APP_NAME (the app's application_name). Prints one JSON line per endpoint (kind "ceiling")."""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

APP_NAME = os.environ.get("BENCH_APP_NAME", "holidays-bench")
PGBENCH = os.environ.get("BENCH_PGBENCH", "pgbench")
ADMIN = "admin@bench.example"
BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What each endpoint's request is, and how a pgbench transaction finds its inputs: `pick` runs
# first (pgbench meta-commands), then `query` (one statement, \gset); `{name}` in the query is a
# literal for a sample and the pgbench expression in `pgbench` for the runs.
ENDPOINTS = {
    "queue": {
        "title": "GET /queue as a manager (their reports' pending requests, 20 a page, with balances)",
        "pick": "\\set m random(:mlo, :mhi)",
        "query": "SELECT manager, reports, own_and_team, queue_people FROM mgr WHERE m = {m}",
        "pgbench": {"m": ":m"},
    },
    "list": {
        "title": "GET /api/requests?limit=50 as a manager (own and reports' requests, pending first)",
        "pick": "\\set m random(:mlo, :mhi)",
        "query": "SELECT manager, reports, own_and_team FROM mgr WHERE m = {m}",
        "pgbench": {"m": ":m"},
    },
    "admin-list": {
        "title": "GET /api/requests?limit=50 as the admin (everyone's requests, pending first)",
        "pick": None,
        "query": None,
        "pgbench": {},
    },
    "submit": {
        "title": "POST /api/requests (an employee asks for two days)",
        "pick": None,
        "query": "SELECT e.email, e.name, e.lockkey, CAST({base} AS date) + (q.n / {nreq})::int * 7 AS lo, "
                 "CAST({base} AS date) + (q.n / {nreq})::int * 7 + 1 AS hi "
                 "FROM (SELECT {n} AS n) q JOIN emp e ON e.k = q.n % {nreq}",
        "pgbench": {"n": "nextval('sub_seq')", "base": ":base", "nreq": ":nreq"},
        # The id of the new request is only known once the app has inserted it.
        "late": {"new_id": "request_id"},
    },
    "decide": {
        "title": "POST /api/requests/{id}/decision (the requester's manager approves)",
        "pick": None,
        "query": "SELECT request_id AS id, manager, requester, lo, hi FROM dec WHERE n = {n}",
        "pgbench": {"n": "(SELECT nextval('dec_seq'))"},
    },
}
READS = ("queue", "list", "admin-list")


class Stop(Exception):
    """Something is off: the message is the sentence to print."""


# --- the database -------------------------------------------------------------------------------

def psql(sql, search_path=None, header=False):
    cmd = ["psql", "-qXA", "-F", "\t", "-P", "footer=off", "-v", "ON_ERROR_STOP=1"]
    if not header:
        cmd.append("-t")
    if search_path:
        cmd += ["-c", f"SET search_path TO {search_path}"]
    out = subprocess.run(cmd + ["-c", sql], capture_output=True, text=True)
    if out.returncode:
        raise Stop(f"psql failed on {sql[:200]!r}: {out.stderr.strip()}")
    lines = [line for line in out.stdout.splitlines() if line != ""]
    rows = [line.split("\t") for line in lines]
    if header:
        return [dict(zip(rows[0], r)) for r in rows[1:]] if rows else []
    return rows


def quote(v):
    return "NULL" if v is None else "'" + v.replace("'", "''") + "'"


# --- the server's statement log (jsonlog) ---------------------------------------------------------

MESSAGE = re.compile(r"^(?:execute (?P<name>[^:]+)|statement): (?P<text>.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')")


class ServerLog:
    def __init__(self, path):
        self.path = path

    def mark(self):
        return os.path.getsize(self.path) if os.path.exists(self.path) else 0

    def settle(self, longest=10.0, step=0.05):
        """Waits (at most `longest` s) until the log has stopped growing for three steps: the
        server writes it through its logging collector, a moment after the statement."""
        size, still, deadline = -1, 0, time.monotonic() + longest
        while time.monotonic() < deadline:
            now = self.mark()
            still = still + 1 if now == size else 0
            if still >= 3:
                return
            size = now
            time.sleep(step)

    def since(self, offset, application):
        """Statements logged since `offset` by connections with that application_name."""
        self.settle()
        with open(self.path, "rb") as f:
            f.seek(offset)
            data = f.read().decode("utf-8", "replace")
        found = []
        for line in data.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("application_name") != application:
                continue
            if entry.get("error_severity") in ("ERROR", "FATAL", "PANIC"):
                raise Stop(f"{application} got an error from Postgres: {entry.get('message')} "
                           f"(statement: {entry.get('statement', '')[:300]})")
            m = MESSAGE.match(entry.get("message", ""))
            if not m:
                continue
            params = []
            detail = entry.get("detail") or ""
            if detail.startswith("parameters: "):
                for pm in PARAM.finditer(detail):
                    if int(pm.group(1)) != len(params) + 1:
                        raise Stop(f"cannot read the parameters of a logged statement: {detail[:300]}")
                    params.append(None if pm.group(2) == "NULL" else pm.group(3).replace("''", "'"))
            found.append({"pid": entry.get("pid"), "name": m.group("name") or "(simple query)",
                          "text": m.group("text").strip().rstrip(";").strip(), "params": params})
        return found


def placeholders(text):
    return sorted({int(n) for n in re.findall(r"\$(\d+)", text)})


def shape(text):
    """A statement's text with its parameters as ? and its whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"\$\d+", "?", text)).strip()


# --- the app --------------------------------------------------------------------------------------

def http(app, method, path, who, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(app + path, data=data, method=method, headers={"X-Forwarded-Email": who})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            ctype = resp.headers.get("Content-Type", "")
            return resp.status, (json.loads(raw) if "json" in ctype and raw else None)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")[:300]


def capture(log, app, method, path, who, body=None):
    """The statements one request made the app run. A request to /healthz first makes sure the
    connection the request gets was used a moment ago (the pool pings one idle for longer than
    500 ms, which it never is under load); connection set-up (SET search_path, run by a new
    pooled connection opened in the background) is left out."""
    http(app, "GET", "/healthz", who)
    log.settle(0.3)  # the health check's own statement, written to the log, is not the request's
    offset = log.mark()
    started = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    status, answer = http(app, method, path, who, body)
    if not 200 <= status < 300:
        raise Stop(f"{method} {path} as {who} answered {status}, not 2xx: {answer}")
    entries = [e for e in log.since(offset, APP_NAME) if not e["text"].upper().startswith("SET SEARCH_PATH")]
    # Should the pool still have pinged the connection first (idle for more than 500 ms), that
    # ping is not part of the request either.
    if entries and len(entries) > 1 and entries[0]["text"] == "SELECT 1" and not entries[0]["params"]:
        entries = entries[1:]
    if not entries:
        raise Stop(f"no statement of the app's connections (application_name {APP_NAME}) in the server log "
                   f"for {method} {path}: is log_statement on and the app started with that name?")
    pids = {e["pid"] for e in entries}
    if len(pids) > 1:
        raise Stop(f"{method} {path} ran statements on {len(pids)} connections; the bench replays one")
    return entries, answer, started


# --- classifying parameters -----------------------------------------------------------------------

def as_int(v):
    return int(v) if v is not None and re.fullmatch(r"-?\d+", v) else None


def as_date(v):
    if v is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", v):
        return None
    return datetime.date.fromisoformat(v)


def as_time(v):
    if v is None or not re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?", v):
        return None
    return datetime.datetime.fromisoformat(v.replace("T", " "))


def suffix(k):
    return f"p{k}" if k > 0 else f"m{-k}"


def classify(where, values, samples):
    """What a parameter is, from its value in each sample. Returns (kind, detail)."""
    if all(v == values[0] for v in values):
        return ("null", None) if values[0] is None else ("const", values[0])
    if any(v is None for v in values):
        raise Stop(f"{where} is NULL in some samples only ({values}); pgbench cannot bind NULL")
    early = [n for n in samples[0]["inputs"]]
    late = [n for n in samples[0]["late"]]

    def col(name, s):
        return s["inputs"].get(name, s["late"].get(name))

    for name in early + late:
        if all(col(name, s) == v for s, v in zip(samples, values)):
            return ("late" if name in late else "input", name)
    ints = [as_int(v) for v in values]
    if all(i is not None for i in ints):
        for name in early + late:
            src = [as_int(col(name, s)) for s in samples]
            if all(x is not None for x in src):
                ks = {i - x for i, x in zip(ints, src)}
                if len(ks) == 1 and 0 < abs(next(iter(ks))) <= 2:
                    return ("late_offset" if name in late else "int_offset", (name, ks.pop()))
    dates = [as_date(v) for v in values]
    if all(dates):
        best = None
        for name in early:
            src = [as_date(col(name, s)) for s in samples]
            if all(src):
                ks = {(d - x).days for d, x in zip(dates, src)}
                if len(ks) == 1 and abs(next(iter(ks))) <= 1000:
                    k = ks.pop()
                    if best is None or abs(k) < abs(best[1]):
                        best = (name, k)
        if best:
            return ("date_offset", best)
    times = [as_time(v) for v in values]
    if all(times) and all(abs((t - s["started"]).total_seconds()) < 300 for t, s in zip(times, samples)):
        return ("now", None)
    inputs = ", ".join(early + late) or "none"
    raise Stop(f"{where} takes the values {values} in the samples, which the bench cannot derive from "
               f"its inputs ({inputs}): the app passes something new; give bench/sql/aux.sql (and "
               f"ENDPOINTS in bench/py/ceiling.py) a column for it")


# --- the script -----------------------------------------------------------------------------------

class Script:
    def __init__(self, ep, statements, kinds, samples, schema):
        self.ep, self.statements, self.kinds, self.samples, self.schema = ep, statements, kinds, samples, schema
        spec = ENDPOINTS[ep]
        derived_dates = sorted({d for (k, d) in (x for row in kinds for x in row) if k == "date_offset"})
        self.input_query = None
        if spec["query"]:
            base = spec["query"].format(**spec["pgbench"])
            if derived_dates:
                extra = ", ".join(f"i.{n} + {k} AS {n}_{suffix(k)}" for n, k in derived_dates)
                base = f"SELECT i.*, {extra} FROM ({base}) i"
            self.input_query = base
        self.args = {}
        # Statements whose RETURNING a later parameter needs (the new id): \gset r<i>_.
        self.gset = {}
        for i, row in enumerate(kinds):
            for kind, detail in row:
                if kind in ("late", "late_offset"):
                    name = detail if kind == "late" else detail[0]
                    col = samples[0]["late_sources"][name]
                    src = next((j for j in range(i - 1, -1, -1)
                                if re.search(r"\bRETURNING\b", statements[j]["text"], re.I)
                                and re.search(rf'"?{col}"?\s*(,|$)', statements[j]["text"].split("RETURNING", 1)[1])),
                               None)
                    if src is None:
                        raise Stop(f"{ep}: statement {i + 1} needs the new {col}, and no earlier statement returns it")
                    self.gset[src] = col

    def var(self, i, j, kind, detail):
        if kind == "null":
            return "NULL"
        if kind == "const":
            name = f"c{i + 1}_{j + 1}"
            if "\n" in detail:
                raise Stop(f"{self.ep}: constant parameter ${j + 1} of statement {i + 1} spans lines")
            self.args[name] = detail
            return f":{name}"
        if kind == "input":
            return f":{detail}"
        if kind == "int_offset":
            return f":{detail[0]}_{suffix(detail[1])}"
        if kind == "date_offset":
            return f":{detail[0]}_{suffix(detail[1])}"
        if kind == "late":
            return f":{self.late_var(detail)}"
        if kind == "late_offset":
            return f":{self.late_var(detail[0])}_{suffix(detail[1])}"
        if kind == "now":
            return ":now"
        raise AssertionError(kind)

    def late_var(self, name):
        col = self.samples[0]["late_sources"][name]
        src = next(j for j, c in self.gset.items() if c == col)
        return f"r{src + 1}_{col}"

    def text(self):
        spec = ENDPOINTS[self.ep]
        names = ", ".join(s["label"] for s in self.samples)
        out = [
            f"-- {spec['title']}",
            f"-- GENERATED by bench/py/ceiling.py from the statements the app ran for {names}",
            f"-- (log_statement = 'all', schema {self.schema}); checked by running it once per sample. Do not edit.",
            "-- Run with -M prepared. Differences from the app: pgbench prepares every statement (the app sends",
            "-- BEGIN/COMMIT and a few statements unprepared); parameters the app always binds to NULL are",
            "-- the literal NULL; pgbench's parameters are untyped; the inputs lookup below is pgbench's own.",
        ]
        if spec["pick"]:
            out.append(spec["pick"])
        offsets_early = sorted({d for row in self.kinds for (k, d) in row if k == "int_offset"})
        if self.input_query:
            out.append("-- this transaction's inputs (bench/sql/aux.sql): not a statement of the app")
            out.append(self.input_query)
            out.append("\\gset")
        for name, k in offsets_early:
            out.append(f"\\set {name}_{suffix(k)} :{name} {'+' if k > 0 else '-'} {abs(k)}")
        for i, st in enumerate(self.statements):
            mapping = {j + 1: self.var(i, j, *self.kinds[i][j]) for j in range(len(st["params"]))}
            body = re.sub(r"\$(\d+)", lambda m: mapping[int(m.group(1))], st["text"])
            out.append(f"-- {i + 1}/{len(self.statements)} (the app: {st['name']})")
            if i in self.gset:
                out.append(body)
                out.append(f"\\gset r{i + 1}_")
                col = self.gset[i]
                for name, k in sorted({d for row in self.kinds for (kk, d) in row if kk == "late_offset"}):
                    if self.samples[0]["late_sources"][name] == col:
                        out.append(f"\\set r{i + 1}_{col}_{suffix(k)} :r{i + 1}_{col} {'+' if k > 0 else '-'} {abs(k)}")
            else:
                out.append(body + ";")
        return "\n".join(out) + "\n"


# --- the endpoints' samples -----------------------------------------------------------------------

def read_inputs(ep, values, search_path):
    spec = ENDPOINTS[ep]
    query = spec["query"].format(**values)
    rows = psql(query, search_path=search_path, header=True)
    if len(rows) != 1:
        raise Stop(f"{ep}: the inputs query found {len(rows)} rows for {values}: {query}")
    return {k: (None if v == "" else v) for k, v in rows[0].items()}


def samples_for(ep, a, search_path):
    """[(label, inputs, forced pgbench args, request, cleanup)]"""
    aux = f"{a.schema}_aux"
    out = []
    if ep in ("queue", "list"):
        (count,), = psql(f"SELECT count(*) FROM {aux}.mgr")
        count = int(count)
        if count < 3:
            raise Stop("the seeded directory has fewer than 3 managers")
        for m in sorted({1, 2, count // 2, count}):
            inputs = read_inputs(ep, {"m": m}, search_path)
            path = "/queue" if ep == "queue" else "/api/requests?limit=50"
            out.append({"label": inputs["manager"], "inputs": inputs, "forced": [f"-Dmlo={m}", f"-Dmhi={m}"],
                        "request": ("GET", path, inputs["manager"], None)})
    elif ep == "admin-list":
        for _ in range(2):
            out.append({"label": ADMIN, "inputs": {}, "forced": [], "request": ("GET", "/api/requests?limit=50", ADMIN, None)})
    elif ep == "submit":
        (nreq,), = psql(f"SELECT count(*) FROM {aux}.emp")
        nreq = int(nreq)
        for s in range(3):
            n = s * (nreq + 9)
            inputs = read_inputs(ep, {"n": n, "base": quote(a.base), "nreq": nreq}, search_path)
            body = {"start_date": inputs["lo"], "end_date": inputs["hi"], "comment": "Benchmark"}
            out.append({"label": f"{inputs['email']} ({inputs['lo']})", "inputs": inputs, "n": n,
                        "forced": [f"-Dbase={a.base}", f"-Dnreq={nreq}"],
                        "request": ("POST", "/api/requests", inputs["email"], body)})
    elif ep == "decide":
        (nreq,), = psql(f"SELECT count(*) FROM {aux}.emp")
        nreq = int(nreq)
        res = subprocess.run(["psql", "-qXAt", "-F", " ", "-v", "ON_ERROR_STOP=1", "-v", f"schema={a.schema}",
                              "-v", f"aux={aux}", "-v", "count=3", "-v", f"stride={nreq + 9}", "-v", f"base={a.base}",
                              "-f", os.path.join(BENCH_DIR, "sql", "pool.sql")], capture_output=True, text=True)
        if res.returncode:
            raise Stop(f"bench/sql/pool.sql failed: {res.stderr.strip()}")
        first, last = map(int, res.stdout.split()[-2:])
        for n in range(first, last + 1):
            inputs = read_inputs(ep, {"n": n}, search_path)
            out.append({"label": f"#{inputs['id']} by {inputs['manager']}", "inputs": inputs, "n": n, "forced": [],
                        "request": ("POST", f"/api/requests/{inputs['id']}/decision", inputs["manager"],
                                    {"decision": "Approved", "note": "Enjoy"})})
    for s in out:
        s["late"] = {}
        s["late_sources"] = ENDPOINTS[ep].get("late", {})
    return out


def undo(ep, a, sample, answer, mark):
    """Puts the database back as it was before a sample's request (or its pgbench replay)."""
    sch = a.schema
    if ep == "submit":
        psql(f"DELETE FROM {sch}.holiday_requests WHERE request_id > {mark}")
    elif ep == "decide":
        rid = sample["inputs"]["id"]
        psql(f"UPDATE {sch}.holiday_requests SET status = 'Pending', manager_note = NULL, decided_by = NULL, "
             f"decided_at = NULL WHERE request_id = {rid}")
        psql(f"DELETE FROM {sch}.request_events WHERE request_id = {rid} AND action <> 'Submitted'")


def max_id(schema):
    return int(psql(f"SELECT coalesce(max(request_id), 0) FROM {schema}.holiday_requests")[0][0])


# --- generating, checking, explaining -------------------------------------------------------------

def generate(ep, a, log, outdir, explain):
    search_path = f"{a.schema},{a.schema}_aux"
    samples = samples_for(ep, a, search_path)
    for s in samples:
        mark = max_id(a.schema)
        method, path, who, body = s["request"]
        entries, answer, started = capture(log, a.app, method, path, who, body)
        s["statements"], s["started"] = entries, started
        if ep == "submit":
            if not isinstance(answer, dict) or "id" not in answer:
                raise Stop(f"the app's answer to a submission has no id: {answer}")
            s["late"] = {"new_id": str(answer["id"])}
        undo(ep, a, s, answer, mark)
    first = samples[0]["statements"]
    for s in samples[1:]:
        if [shape(e["text"]) for e in s["statements"]] != [shape(e["text"]) for e in first]:
            raise Stop(f"{ep}: the app ran different statements for {samples[0]['label']} "
                       f"({len(first)}) and {s['label']} ({len(s['statements'])}); the bench replays one sequence")
    kinds = []
    for i, st in enumerate(first):
        n = len(st["params"])
        if placeholders(st["text"]) != list(range(1, n + 1)):
            raise Stop(f"{ep}: statement {i + 1} has placeholders {placeholders(st['text'])} and {n} logged parameters")
        kinds.append([classify(f"{ep}: parameter ${j + 1} of statement {i + 1} ({shape(st['text'])[:120]}...)",
                               [s["statements"][i]["params"][j] for s in samples], samples) for j in range(n)])
    script = Script(ep, first, kinds, samples, a.schema)
    text = script.text()
    path = os.path.join(outdir, f"{ep}.sql")
    with open(path, "w") as f:
        f.write(text)
    with open(os.path.join(outdir, f"{ep}.args"), "w") as f:
        for k, v in script.args.items():
            f.write(f"-D{k}={v}\n")
    for s in samples:
        verify(ep, a, log, path, script, s, search_path)
    if ep == "decide":
        ids = ",".join(s["inputs"]["id"] for s in samples)
        psql(f"DELETE FROM {a.schema}.holiday_requests WHERE request_id IN ({ids})")
    if explain and ep in READS:
        explain_statements(ep, a, samples[0], explain)
    counts = {}
    for k in (k for row in kinds for k, _ in row):
        counts[k] = counts.get(k, 0) + 1
    return {"kind": "ceiling", "size": a.size, "schema": a.schema, "endpoint": ep, "statements": len(first),
            "texts": [shape(e["text"])[:90] for e in first], "samples": [s["label"] for s in samples],
            "parameters": counts, "script": path, "checked": True}


def verify(ep, a, log, path, script, sample, search_path):
    """Runs the script once on the sample's inputs and compares what pgbench sent with what the
    app sent."""
    mark = max_id(a.schema)
    if ep == "submit":
        psql(f"SELECT setval('{a.schema}_aux.sub_seq', {sample['n']}, false)")
    if ep == "decide":
        psql(f"SELECT setval('{a.schema}_aux.dec_seq', {sample['n']}, false)")
    offset = log.mark()
    args = [f"-D{k}={v}" for k, v in script.args.items()] + sample["forced"] + ["-Dnow=2026-01-01 00:00:00"]
    env = dict(os.environ, PGOPTIONS=f"-c search_path={search_path}", PGAPPNAME="holidays-bench-check")
    res = subprocess.run([PGBENCH, "-n", "-M", "prepared", "-t", "1", "-c", "1", "-f", path, *args, a.database],
                         capture_output=True, text=True, env=env)
    ran = log.since(offset, "holidays-bench-check")
    undo(ep, a, sample, None, mark)
    if res.returncode or "aborted" in res.stdout + res.stderr:
        raise Stop(f"{ep}: pgbench could not run the generated {path}: {(res.stderr or res.stdout).strip()[-600:]}")
    ran = ran[1:] if script.input_query else ran
    app = sample["statements"]
    if len(ran) != len(app):
        raise Stop(f"{ep}: pgbench ran {len(ran)} statements from {path}, the app {len(app)}")
    for i, (p, q) in enumerate(zip(app, ran)):
        kinds = script.kinds[i]
        # The app's text with the parameters pgbench cannot bind (NULL) written as literals.
        mapping = {j + 1: ("NULL" if kinds[j][0] == "null" else f"${j + 1}") for j in range(len(kinds))}
        app_text = re.sub(r"\$(\d+)", lambda m: mapping[int(m.group(1))], p["text"])
        if shape(app_text) != shape(q["text"]):
            raise Stop(f"{ep}: statement {i + 1} differs\n  app:     {shape(app_text)[:400]}\n  pgbench: {shape(q['text'])[:400]}")
        app_params = [v for v, k in zip(p["params"], kinds) if k[0] != "null"]
        bound = [k for k in kinds if k[0] != "null"]
        if len(app_params) != len(q["params"]):
            raise Stop(f"{ep}: statement {i + 1}: the app bound {len(app_params)} parameters, pgbench {len(q['params'])}")
        for j, (x, y, k) in enumerate(zip(app_params, q["params"], bound)):
            if k[0] in ("late", "late_offset"):
                ok = as_int(x) is not None and as_int(y) is not None
            elif k[0] == "now":
                ok = as_time(x) is not None and as_time(y) is not None
            else:
                ok = x == y
            if not ok:
                raise Stop(f"{ep}: statement {i + 1}, parameter {j + 1} ({k[0]}): the app bound {x!r}, pgbench {y!r}")


def explain_statements(ep, a, sample, path):
    """EXPLAIN ANALYZE of the app's statements for one sample (custom and generic plan) and of the
    least-SQL ceiling for the same person."""
    lines = [f"SET search_path TO {a.schema};", "SELECT count(*) FROM holiday_requests;"]
    for i, st in enumerate(sample["statements"]):
        if not st["params"] and not st["text"].upper().startswith(("SELECT", "WITH")):
            continue
        name = f"app_{ep.replace('-', '_')}_{i + 1}"
        args = "(" + ", ".join(quote(v) for v in st["params"]) + ")" if st["params"] else ""
        lines.append(f"PREPARE {name} AS {st['text']};")
        for mode in ("force_custom_plan", "force_generic_plan"):
            lines.append(f"SET plan_cache_mode = {mode};")
            lines.append(f"\\echo '=== {ep} as {sample['label']}: statement {i + 1} of the app, {mode.split('_')[1]} plan'")
            lines.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE {name}{args};")
        lines.append(f"DEALLOCATE {name};")
    least = os.path.join(BENCH_DIR, "pgbench", "least", f"{ep}.sql")
    if os.path.exists(least):
        values = {"pending": "Pending", "first_day": f"{time.gmtime().tm_year - 2}-01-01"}
        if "manager" in sample["inputs"]:
            values["m"] = sample["inputs"]["manager"][1:].split("@")[0]
        text = "\n".join(l for l in open(least) if not l.startswith(("\\", "--"))).strip().rstrip(";")
        # A least-SQL script may hold more than one statement (the queue's rows, then balances).
        for j, sql in enumerate(part.strip() for part in text.split(";") if part.strip()):
            order = []

            def sub(m):
                order.append(m.group(1))
                return f"${len(order)}"
            sql = re.sub(r"(?<!:):([A-Za-z_][A-Za-z0-9_]*)", sub, sql)
            name = f"least_{ep.replace('-', '_')}_{j + 1}"
            lines.append(f"PREPARE {name} AS {sql};")
            args = "(" + ", ".join(quote(values[v]) for v in order) + ")" if order else ""
            for mode in ("force_custom_plan", "force_generic_plan"):
                lines.append(f"SET plan_cache_mode = {mode};")
                lines.append(f"\\echo '=== {ep} as {sample['label']}: least SQL (bench/pgbench/least/{ep}.sql) statement {j + 1}, {mode.split('_')[1]} plan'")
                lines.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE {name}{args};")
            lines.append(f"DEALLOCATE {name};")
    res = subprocess.run(["psql", "-qX", "-v", "ON_ERROR_STOP=1"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True)
    with open(path, "a") as f:
        f.write(res.stdout)
        if res.returncode:
            f.write(f"(EXPLAIN failed: {res.stderr.strip()})\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--app", required=True)
    p.add_argument("--schema", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--endpoints", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--explain")
    p.add_argument("--explain-only", action="store_true",
                   help="only capture and explain (the hostile case); --who MANAGER for the queue")
    p.add_argument("--who")
    p.add_argument("--size", type=int, default=0)
    a = p.parse_args()
    a.database = os.environ.get("PGDATABASE", "bench")
    os.makedirs(a.out, exist_ok=True)
    log = ServerLog(a.log)
    psql("ALTER SYSTEM SET log_statement = 'all'")
    psql("SELECT pg_reload_conf()")
    time.sleep(0.3)
    status = 0
    try:
        for ep in a.endpoints.split():
            if ep not in ENDPOINTS:
                raise Stop(f"unknown endpoint {ep}")
            if a.explain_only:
                if ep not in READS:
                    continue
                who = ADMIN if ep == "admin-list" else a.who
                path = "/queue" if ep == "queue" else "/api/requests?limit=50"
                entries, _, _ = capture(log, a.app, "GET", path, who)
                inputs = {"manager": who} if ep != "admin-list" else {}
                explain_statements(ep, a, {"label": who, "statements": entries, "inputs": inputs}, a.explain)
                print(json.dumps({"kind": "statements_logged", "size": a.size, "schema": a.schema, "endpoint": ep,
                                  "who": who, "statements": len(entries),
                                  "texts": [shape(e["text"])[:90] for e in entries]}))
                continue
            print(json.dumps(generate(ep, a, log, a.out, a.explain)), flush=True)
    except Stop as e:
        print(f"ceiling.py: {e}", file=sys.stderr)
        status = 1
    finally:
        psql("ALTER SYSTEM RESET log_statement")
        psql("SELECT pg_reload_conf()")
    sys.exit(status)


if __name__ == "__main__":
    main()
