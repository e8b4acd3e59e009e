"""Checks that each pgbench script runs the statements the app runs, in the same order.

Turns on log_statement = 'all' on the benchmark's own cluster, sends one request per endpoint,
reads the statements the app's connections executed from the server log, and compares them
(parameters as placeholders) with the statements of bench/pgbench/<endpoint>.sql (its first
statement, which only reads the transaction's inputs, left out). Any difference fails the run:
the app's SQL has changed, and the ceiling would no longer be the app's.

Usage: check_sql.py APP_URL SCHEMA SERVER_LOG PGBENCH_DIR   (PG* variables set)"""

import json
import re
import subprocess
import sys
import time
import urllib.request

url, schema, server_log, pgbench_dir = sys.argv[1:5]
aux = f"{schema}_aux"


def psql(sql):
    out = subprocess.run(["psql", "-qXAt", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def normalise(statement):
    statement = re.sub(r"\$\d+", "?", statement)
    statement = re.sub(r"(?<!:):[a-z_]+", "?", statement)
    return re.sub(r"\s+", " ", statement).strip().rstrip(";").strip()


def script_statements(path):
    """Statements of a pgbench script in order, both branches of \\if included."""
    statements, current = [], []
    for line in open(path):
        line = line.rstrip("\n")
        if not current and (line.startswith("--") or line.startswith("\\") or not line.strip()):
            continue
        current.append(line)
        text = " ".join(current)
        gset = re.search(r"\\gset\b.*$", text)
        if text.rstrip().endswith(";") or gset:
            statements.append(normalise(text[:gset.start()] if gset else text))
            current = []
    return statements[1:]  # the first one reads this transaction's inputs


def logged_statements(offset):
    with open(server_log, errors="replace") as f:
        f.seek(offset)
        lines = f.read().splitlines()
    found = []
    for line in lines:
        m = re.search(r"LOG:\s+(?:execute [^:]+|statement): (.*)$", line)
        if m:
            found.append(normalise(m.group(1)))
    return found


def request(method, path, who, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method, headers={"X-Forwarded-Email": who})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, json.loads(resp.read() or b"null") if "json" in resp.headers.get("Content-Type", "") else None


def capture(send):
    with open(server_log, "rb") as f:
        f.seek(0, 2)
        offset = f.tell()
    result = send()
    time.sleep(0.5)  # the server writes its log asynchronously
    return logged_statements(offset), result


def main():
    psql("ALTER SYSTEM SET log_statement = 'all'")
    psql("SELECT pg_reload_conf()")
    time.sleep(0.5)
    problems = 0
    try:
        (queue_manager,), = psql(f"SELECT manager FROM {aux}.queue WHERE nrows > 0 ORDER BY m LIMIT 1")
        (list_manager,), = psql(f"SELECT manager FROM {aux}.list WHERE nrows > 0 AND np <= 50 ORDER BY m LIMIT 1")
        (employee, manager), = psql(f"SELECT email, manager FROM {aux}.emp ORDER BY k LIMIT 1")
        (pending_id, requester, decider), = psql(
            f"SELECT r.request_id, r.requester_email, p.manager_email FROM {schema}.holiday_requests r "
            f"JOIN {schema}.people p ON p.email = r.requester_email WHERE r.status = 'Pending' ORDER BY r.request_id LIMIT 1")
        cases = [
            ("queue", lambda: request("GET", "/queue", queue_manager)),
            ("list", lambda: request("GET", "/api/requests?limit=50", list_manager)),
            ("submit", lambda: request("POST", "/api/requests", employee,
                                       {"start_date": "2099-01-05", "end_date": "2099-01-06", "comment": "Benchmark"})),
            ("decide", lambda: request("POST", f"/api/requests/{pending_id}/decision", decider,
                                       {"decision": "Approved", "note": "Enjoy"})),
        ]
        for name, send in cases:
            app, (status, body) = capture(send)
            bench = script_statements(f"{pgbench_dir}/{name}.sql")
            same = app == bench
            print(f"check_sql {schema} {name}: HTTP {status}, {len(app)} statements, "
                  f"{'the same as' if same else 'DIFFERENT from'} {name}.sql")
            if not same:
                problems += 1
                for i in range(max(len(app), len(bench))):
                    a = app[i] if i < len(app) else "-"
                    b = bench[i] if i < len(bench) else "-"
                    if a != b:
                        print(f"  #{i + 1}\n    app:     {a[:300]}\n    pgbench: {b[:300]}")
            if name == "submit" and body:
                psql(f"DELETE FROM {schema}.holiday_requests WHERE request_id = {body['id']}")
            if name == "decide":
                psql(f"UPDATE {schema}.holiday_requests SET status = 'Pending', manager_note = NULL, decided_by = NULL, "
                     f"decided_at = NULL WHERE request_id = {pending_id}")
                psql(f"DELETE FROM {schema}.request_events WHERE request_id = {pending_id} AND action <> 'Submitted'")
    finally:
        psql("ALTER SYSTEM RESET log_statement")
        psql("SELECT pg_reload_conf()")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
