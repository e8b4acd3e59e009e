"""Checks that the inputs the pgbench scripts replay (bench/sql/aux.sql) are what the app itself
works from: for a few managers, the JSON list's rows (requesters in order, date window) must
match the precomputed row.  Usage: check_inputs.py APP_URL SCHEMA  (PG* variables set)"""

import json
import subprocess
import sys
import urllib.request


def psql(sql):
    out = subprocess.run(["psql", "-qXAt", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def main():
    url, schema = sys.argv[1], sys.argv[2]
    aux = f"{schema}_aux"
    (count,), = psql(f"SELECT count(*) FROM {aux}.mgr")
    count = int(count)
    problems = 0
    for m in sorted({1, 2, count // 2, count}):
        (manager, requesters, lo, hi, nrows), = psql(
            f"SELECT manager, requesters, lo, hi, nrows FROM {aux}.list WHERE m = {m}")
        req = urllib.request.Request(f"{url}/api/requests?limit=50", headers={"X-Forwarded-Email": manager})
        rows = json.load(urllib.request.urlopen(req, timeout=30))["requests"]
        got = "{" + ",".join(r["requester_email"] for r in rows) + "}"
        window = (min(r["start_date"] for r in rows), max(r["end_date"] for r in rows)) if rows else None
        expected_window = (lo, hi) if int(nrows) else None
        same = got == requesters and window == expected_window and len(rows) == int(nrows)
        print(f"check_inputs {schema} {manager}: {len(rows)} rows, {'same' if same else 'DIFFERENT'}")
        if not same:
            problems += 1
            print(f"  app:     {got} {window}\n  pgbench: {requesters} {expected_window}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
