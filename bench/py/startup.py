"""Time from process start to the first 200 on /healthz, on SQLite (an existing, migrated
file) and on Postgres (migrations already applied): one untimed start to create and warm
everything, then several timed ones; prints one JSON line per backend.

Usage: startup.py BINARY WORK_DIR POSTGRES_URL   (the binary's folder holds Rocket.toml)"""

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

RUNS = int(os.environ.get("BENCH_STARTS", "7"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def load1():
    return float(open("/proc/loadavg").read().split()[0])


def start_once(binary, env, log):
    """Starts the app, returns (ms to the first 200 on /healthz, ms to stop after SIGTERM)."""
    port = free_port()
    env = dict(env, DATABRICKS_APP_PORT=str(port), HOLIDAYS_AUTH="proxy")
    for var in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        env.pop(var, None)
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary], cwd=os.path.dirname(binary), env=env, stdout=log, stderr=log)
    ready = None
    try:
        while time.perf_counter() - t0 < 30:
            if proc.poll() is not None:
                raise RuntimeError(f"the app exited with {proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    ready = (time.perf_counter() - t0) * 1000
                    break
            except OSError:
                pass
            time.sleep(0.001)
        if ready is None:
            raise RuntimeError("no 200 on /healthz within 30 s")
    finally:
        t1 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        stopped = (time.perf_counter() - t1) * 1000
    return ready, stopped


def measure(backend, binary, env, target_ms, log):
    first, _ = start_once(binary, env, log)  # creates/migrates (and loads demo data on SQLite)
    start_once(binary, env, log)  # warm: page cache, a migrated database
    before = load1()
    runs, stops = [], []
    for _ in range(RUNS):
        ready, stopped = start_once(binary, env, log)
        runs.append(round(ready, 1))
        stops.append(round(stopped, 1))
    return {
        "kind": "startup",
        "backend": backend,
        "first_start_ms": round(first, 1),
        "runs_ms": runs,
        "median_ms": round(statistics.median(runs), 1),
        "target_ms": target_ms,
        "stop_ms": stops,
        "load_before": before,
        "load_after": load1(),
    }


def main():
    binary, work, pg_url = sys.argv[1], sys.argv[2], sys.argv[3]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("HOLIDAYS_", "DATABASE_URL", "ROCKET_"))}
    folder = os.path.join(work, "startup")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "app.log"), "ab") as log:
        sqlite = dict(base, DATABASE_URL="sqlite://" + os.path.join(folder, "holidays.sqlite3"), HOLIDAYS_DEMO="1")
        print(json.dumps(measure("sqlite", binary, sqlite, 150, log)), flush=True)
        pg = dict(base, DATABASE_URL=pg_url, HOLIDAYS_PG_SCHEMA="bench_startup")
        print(json.dumps(measure("postgres", binary, pg, 500, log)), flush=True)


if __name__ == "__main__":
    main()
