"""The conditions of a run, as JSON: machine, load, PostgreSQL and its settings, the binary and
the commit it was built from.  Usage: environment.py REPO BINARY_COPY BINARY_SOURCE  (PG* set)"""

import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys


def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def main():
    repo, binary, source = sys.argv[1:4]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    mem_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    settings = dict(line.split("\t") for line in run(
        "psql", "-qXAt", "-F", "\t", "-c",
        "SELECT name, current_setting(name) FROM pg_settings WHERE name IN ('shared_buffers', 'fsync', "
        "'synchronous_commit', 'max_connections', 'wal_sync_method', 'work_mem', 'full_page_writes', 'jit', "
        "'max_wal_size', 'effective_cache_size', 'random_page_cost')").splitlines() if "\t" in line)
    # --no-optional-locks: read the work tree without refreshing the index (others work in it).
    git = ["git", "-C", repo, "--no-optional-locks"]
    dirty = run(*git, "status", "--porcelain", "--", "src", "migrations", "Cargo.toml", "Cargo.lock", "build.rs")
    env = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "load_at_start": open("/proc/loadavg").read().split()[:3],
        "postgres": run("psql", "-qXAt", "-c", "SHOW server_version"),
        "postgres_settings": settings,
        "wrk": run("wrk", "--version").splitlines()[0] if run("wrk", "--version") else "",
        "python": platform.python_version(),
        "binary": source,
        "binary_sha256": hashlib.sha256(open(binary, "rb").read()).hexdigest()[:16],
        "binary_mtime_utc": datetime.datetime.fromtimestamp(os.path.getmtime(source), datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "git_head": run(*git, "rev-parse", "--short", "HEAD"),
        "git_uncommitted_source_files": len(dirty.splitlines()),
    }
    print(json.dumps(env, indent=1))


if __name__ == "__main__":
    main()
