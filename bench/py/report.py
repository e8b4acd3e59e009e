"""Turns a run's results.jsonl (and environment.json) into summary.md: the tables of
docs/benchmarks.md, with each target marked met or missed.  Usage: report.py RESULTS_DIR"""

import collections
import json
import os
import sys

out = sys.argv[1]
rows = [json.loads(line) for line in open(os.path.join(out, "results.jsonl")) if line.strip()]
env_path = os.path.join(out, "environment.json")
env = json.load(open(env_path)) if os.path.exists(env_path) else {}
ENDPOINTS = {"queue": "GET /queue (manager's queue page)", "list": "GET /api/requests?limit=50",
             "submit": "POST /api/requests", "decide": "POST /api/requests/{id}/decision"}


def size_label(n):
    return f"{n // 1000000}M" if n % 1000000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def mark(ok):
    return "met" if ok else "**missed**"


lines = []
p = lines.append
p(f"# Benchmark results ({env.get('date_utc', '')})\n")
if env:
    s = env.get("postgres_settings", {})
    p(f"- Machine: {env['cores']} cores ({env['cpu']}), {env['memory_gib']} GiB, Linux {env['kernel']}; "
      f"load at start {' / '.join(env['load_at_start'])} (1/5/15 min)")
    p(f"- PostgreSQL {env['postgres']} on the same machine, a cluster of the benchmark's own: "
      f"shared_buffers {s.get('shared_buffers')}, fsync {s.get('fsync')}, synchronous_commit {s.get('synchronous_commit')}, "
      f"wal_sync_method {s.get('wal_sync_method')}, max_connections {s.get('max_connections')}, jit {s.get('jit')}")
    p(f"- Binary {env['binary']} (sha256 {env['binary_sha256']}…, built {env['binary_mtime_utc']}), "
      f"commit {env['git_head']}, uncommitted source files {env['git_uncommitted_source_files']}")
    p(f"- {env['wrk']}; pgbench -M prepared")
p("")

seeds = [r for r in rows if r["kind"] == "seed"]
if seeds:
    p("## Data\n")
    p("| size | requests | pending | people (employees / managers) | audit events | seeding | table + indexes |")
    p("|---|---|---|---|---|---|---|")
    for r in seeds:
        p(f"| {size_label(r['size'])} | {r['requests']} | {r['pending']} | {r['people']} ({r['employees']} / {r['managers']}) "
          f"| {r['events']} | {r['seconds']} s | {(r['requests_bytes'] + r['events_bytes']) / 2**20:.0f} MiB |")
    p("")

perf = [r for r in rows if r["kind"] == "perf"]
app = {(r["size"], r["endpoint"], r["conns"]): r for r in perf if r["tool"] == "app"}
pg = {(r["size"], r["endpoint"], r["conns"]): r for r in perf if r["tool"] == "pgbench"}
writes = {(r["size"], r["endpoint"], r["conns"], r["tool"]): r for r in rows if r["kind"] == "writes"}
sizes = sorted({k[0] for k in app})
conns = sorted({k[2] for k in app})
ratio_misses, flat_misses = [], []
if app:
    p("## Throughput and latency: app (wrk) against the ceiling (pgbench, the same statements)\n")
    p("Ratio = app requests/s ÷ pgbench transactions/s (target ≥ 0.5). Latencies in ms. "
      "Load = 1-minute load average before → after the app's run.\n")
    for ep in ENDPOINTS:
        if not any(k[1] == ep for k in app):
            continue
        p(f"### {ENDPOINTS[ep]}\n")
        p("| size | rows | conc. | app req/s | app p50 | app p99 | non-2xx | pgbench tps | pg p50 | pg p99 | ratio | load |")
        p("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for size in sizes:
            for c in conns:
                a, g = app.get((size, ep, c)), pg.get((size, ep, c))
                if not a:
                    continue
                w = a["wrk"]
                non2xx = w["non2xx"] + w["connect_errors"] + w["read_errors"] + w["timeouts"]
                codes = ", ".join(f"{k}: {v}" for k, v in w.get("statuses", {}).items()
                                  if not k.startswith("2")) if non2xx else ""
                nx = f"{non2xx}" + (f" ({codes})" if codes else "")
                if g:
                    t = g["pgbench"]
                    ratio = w["rps"] / t["tps"] if t["tps"] else 0
                    if ratio < 0.5:
                        ratio_misses.append((ep, size, c, ratio))
                    pgcols = f"{t['tps']:.0f} | {t['p50_ms']:.2f} | {t['p99_ms']:.2f} | {ratio:.2f}{'' if ratio >= 0.5 else ' ✗'}"
                else:
                    pgcols = "– | – | – | –"
                p(f"| {size_label(size)} | {a.get('rows', '')} | {c} | {w['rps']:.0f} | {w['p50_ms']:.2f} | {w['p99_ms']:.2f} | {nx} "
                  f"| {pgcols} | {a['load_before']} → {a['load_after']} |")
        p("")
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        p(f"## Flat cost: app p99 at {size_label(big)} ÷ p99 at {size_label(small)} (target ≤ 2)\n")
        p("| endpoint | " + " | ".join(f"c={c}" for c in conns) + " |")
        p("|---|" + "---|" * len(conns))
        for ep in ENDPOINTS:
            cells = []
            for c in conns:
                a, b = app.get((small, ep, c)), app.get((big, ep, c))
                if not (a and b):
                    cells.append("–")
                    continue
                f = b["wrk"]["p99_ms"] / a["wrk"]["p99_ms"] if a["wrk"]["p99_ms"] else 0
                if f > 2:
                    flat_misses.append((ep, c, f))
                cells.append(f"{f:.2f} ({a['wrk']['p99_ms']:.1f} → {b['wrk']['p99_ms']:.1f} ms){'' if f <= 2 else ' ✗'}")
            if any(x != "–" for x in cells):
                p(f"| {ENDPOINTS[ep]} | " + " | ".join(cells) + " |")
        p("")
    bad_writes = [w for w in writes.values() if not w["one_event_per_change"]]
    if writes:
        p(f"Writes during the measurements: {sum(w['rows_created'] for w in writes.values() if w['endpoint'] == 'submit')} "
          f"requests submitted, {sum(w['rows_decided'] for w in writes.values())} decided; "
          f"changes without exactly one audit event: {len(bad_writes)} runs.\n")

whatif = {(r["size"], r["endpoint"], r["conns"]): r for r in perf if r["tool"] == "pgbench-whatif"}
if whatif:
    p("## What the proposed fix gives the database side of the reads (pgbench only)\n")
    p("Same statements and inputs as above, except the page query (queue) and the two page runs (list), each written "
      "as one small index scan per person, `unnest($1) CROSS JOIN LATERAL (... LIMIT n)` (bench/pgbench/whatif/). "
      "Compare with the pgbench column above.\n")
    p("| endpoint | size | conc. | pgbench tps now | p99 now | with the fix: tps | p99 | gain |")
    p("|---|---|---|---|---|---|---|---|")
    for (size, ep, c), r in sorted(whatif.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        now, fix = pg.get((size, ep, c)), r["pgbench"]
        if now:
            t = now["pgbench"]
            p(f"| {ENDPOINTS[ep]} | {size_label(size)} | {c} | {t['tps']:.0f} | {t['p99_ms']:.2f} | {fix['tps']:.0f} | "
              f"{fix['p99_ms']:.2f} | {fix['tps'] / t['tps']:.1f}x |")
    p("")

mem = [r for r in rows if r["kind"] == "memory"]
if mem:
    peak = max(r["vmhwm_kb"] for r in mem)
    p(f"## Peak memory (VmHWM of the app process; target < 50 MB): {mark(peak < 50 * 1000)}\n")
    p("| run | VmHWM |")
    p("|---|---|")
    for r in mem:
        label = size_label(r["size"]) if isinstance(r["size"], int) else r["size"]
        p(f"| {label} | {r['vmhwm_kb'] / 1024:.1f} MiB ({r['vmhwm_kb'] * 1024 / 1e6:.1f} MB) |")
    p("")

starts = [r for r in rows if r["kind"] == "startup"]
if starts:
    p("## Start-up: process start to the first 200 on /healthz\n")
    p("| backend | median | target | runs (ms) | first start (creates, migrates) | load |")
    p("|---|---|---|---|---|---|")
    for r in starts:
        p(f"| {r['backend']} | {r['median_ms']:.0f} ms | {r['target_ms']} ms: {mark(r['median_ms'] <= r['target_ms'])} "
          f"| {', '.join(str(x) for x in r['runs_ms'])} | {r['first_start_ms']:.0f} ms | {r['load_before']} → {r['load_after']} |")
    p("")

rel = [r for r in rows if r["kind"] == "reliability"]
if rel:
    p("## Reliability\n")
    names = {"a": "a. 64 clients submitting and deciding for 20 s", "b": "b. 50 simultaneous decisions of one request",
             "c": "c. Postgres stopped and restarted under load", "d": "d. malformed and hostile input"}
    for r in rel:
        p(f"- **{names[r['test']]}: {'pass' if r['pass'] else 'FAIL'}**. {r.get('headline', '')}")
        if r["test"] == "c":
            p(f"  - criteria: {r['criteria']}")
        if r["test"] == "d" and r.get("failure_cases"):
            p(f"  - not refused with 4xx and a sentence: {r['failure_cases']}")
            p(f"  - refused by the HTTP layer without a body: {r['refused_by_http_layer_without_body']}")
    p("")

if app:
    p("## Targets\n")
    p(f"- Each endpoint at least half its pgbench ceiling: {mark(not ratio_misses)}"
      + (f" ({len(ratio_misses)} of {len(app)} points below: "
         + ", ".join(f"{e} {size_label(s)} c={c} {x:.2f}" for e, s, c, x in ratio_misses) + ")" if ratio_misses else ""))
    if len(sizes) > 1:
        p(f"- p99 at {size_label(sizes[-1])} within 2x of {size_label(sizes[0])}: {mark(not flat_misses)}"
          + (" (" + ", ".join(f"{e} c={c} {f:.1f}x" for e, c, f in flat_misses) + ")" if flat_misses else ""))
print("\n".join(lines))
