"""Turns a run's results.jsonl (and environment.json) into summary.md: the tables of
docs/benchmarks.md, with each target marked met or missed.  Usage: report.py RESULTS_DIR"""

import json
import os
import sys

out = sys.argv[1]
rows = [json.loads(line) for line in open(os.path.join(out, "results.jsonl")) if line.strip()]
env_path = os.path.join(out, "environment.json")
env = json.load(open(env_path)) if os.path.exists(env_path) else {}
ENDPOINTS = {"admin-list": "GET /api/requests?limit=50 as the admin",
             "list": "GET /api/requests?limit=50 as a manager",
             "queue": "GET /queue as a manager",
             "submit": "POST /api/requests",
             "decide": "POST /api/requests/{id}/decision"}
READS = ("admin-list", "list", "queue")
# The targets, at 100k rows in proxy mode.
TARGET_SIZE, MAX_STATEMENTS, MIN_LEAST_RATIO, LEAST_CONNS = 100000, 2, 0.40, (8, 64)
MIN_OWN_RATIO, MAX_P99_GROWTH, MAX_MEMORY_MB = 0.5, 2, 50
# pg_stat_statements also counts the statements of the requests wrk cut off at its deadline (at
# most one per connection, which wrk does not count as completed): the statement target allows
# for that much.
TAIL = 0.05


def size_label(n):
    if not isinstance(n, int):
        return str(n)
    return f"{n // 1000000}M" if n % 1000000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def mark(ok):
    return "met" if ok else "**missed**"


def f0(x):
    return "–" if x is None else f"{x:.0f}"


def f2(x):
    return "–" if x is None else f"{x:.2f}"


lines = []
p = lines.append
p(f"# Benchmark results ({env.get('date_utc', '')})\n")
if env:
    s = env.get("postgres_settings", {})
    p(f"- Machine: {env['cores']} cores ({env['cpu']}), {env['memory_gib']} GiB, Linux {env['kernel']}; "
      f"load at start {' / '.join(env['load_at_start'])} (1/5/15 min)")
    p(f"- PostgreSQL {env['postgres']} on the same machine, a cluster of the benchmark's own: "
      f"shared_buffers {s.get('shared_buffers')}, fsync {s.get('fsync')}, synchronous_commit {s.get('synchronous_commit')}, "
      f"wal_sync_method {s.get('wal_sync_method')}, max_connections {s.get('max_connections')}, jit {s.get('jit')}, "
      f"pg_stat_statements on")
    p(f"- Binary {env['binary']} (sha256 {env['binary_sha256']}…, built {env['binary_mtime_utc']}), "
      f"commit {env['git_head']}, uncommitted source files {env['git_uncommitted_source_files']}")
    p(f"- {env['wrk']}; pgbench -M prepared")
p("")

seeds = [r for r in rows if r["kind"] == "seed"]
if seeds:
    p("## Data\n")
    p("| size | requests | pending | people (employees / managers) | audit events | seeding | table + indexes | writes from |")
    p("|---|---|---|---|---|---|---|---|")
    for r in seeds:
        p(f"| {size_label(r['size'])} | {r['requests']} | {r['pending']} | {r['people']} ({r['employees']} / {r['managers']}) "
          f"| {r['events']} | {r['seconds']} s | {(r['requests_bytes'] + r['events_bytes']) / 2**20:.0f} MiB "
          f"| {r.get('write_base', '')} |")
    p("")

ceilings = [r for r in rows if r["kind"] == "ceiling"]
if ceilings:
    p("## The app's own statements (what the first ceiling replays)\n")
    p("Captured from the server's log (log_statement = 'all') for a few requests per endpoint and size, turned "
      "into pgbench scripts (results' `pgbench/<size>/`), and checked by running each script once per sample: "
      "same statements, same parameters.\n")
    p("| endpoint | statements per request (log) | the statements |")
    p("|---|---|---|")
    seen = set()
    for r in ceilings:
        if r["endpoint"] in seen:
            continue
        seen.add(r["endpoint"])
        sizes_same = {c["statements"] for c in ceilings if c["endpoint"] == r["endpoint"]}
        texts = "; ".join(f"`{t[:60]}…`" for t in r["texts"])
        p(f"| {ENDPOINTS.get(r['endpoint'], r['endpoint'])} | {'/'.join(str(x) for x in sorted(sizes_same))} | {texts} |")
    p("")

perf = [r for r in rows if r["kind"] == "perf"]
app = {(r["size"], r["endpoint"], r["conns"]): r for r in perf if r["tool"] == "app"}
own = {(r["size"], r["endpoint"], r["conns"]): r for r in perf if r["tool"] == "pgbench"}
least = {(r["size"], r["endpoint"], r["conns"]): r for r in perf if r["tool"] == "pgbench-least"}
writes = {(r["size"], r["endpoint"], r["conns"], r["tool"]): r for r in rows if r["kind"] == "writes"}
memory = {r["size"]: r for r in rows if r["kind"] == "memory"}
sizes = sorted({k[0] for k in app})
conns = sorted({k[2] for k in app})
misses = {"own": [], "least": [], "statements": [], "flat": []}
if app:
    p("## Throughput and latency\n")
    p("Per size and endpoint, at each concurrency (wrk connections = pgbench clients): the app's requests/s "
      "(wrk, 127.0.0.1, proxy mode); **own** = pgbench on the app's own statements (transactions/s) and the "
      "app's rate ÷ that; **least** = pgbench on the least SQL that answers the endpoint (one prepared SELECT "
      "of the rows the page shows; reads only) and the app's rate ÷ that; the app's p50 / p99 in ms; "
      "**stmts/req** = statements the app's database role ran (pg_stat_statements) ÷ requests wrk completed; "
      "**CPU µs/req** = the app process's user + system CPU time ÷ requests; non-2xx answers; "
      "1-minute load before → after the app's run.\n")
    for size in sizes:
        mem = memory.get(size)
        mem_txt = (f"; app peak memory (VmHWM) {mem['vmhwm_kb'] / 1024:.1f} MiB ({mem['vmhwm_kb'] * 1024 / 1e6:.1f} MB)"
                   if mem else "")
        rows_txt = next((a.get("rows") for k, a in app.items() if k[0] == size), "")
        p(f"### {size_label(size)} ({rows_txt} rows{mem_txt})\n")
        p("| endpoint | conc. | app req/s | own tps | app ÷ own | least tps | app ÷ least | app p50 | app p99 "
          "| stmts/req | CPU µs/req | non-2xx | load |")
        p("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for ep in ENDPOINTS:
            for c in conns:
                a = app.get((size, ep, c))
                if not a:
                    continue
                w = a["wrk"]
                non2xx = w["non2xx"] + w["connect_errors"] + w["read_errors"] + w["timeouts"]
                codes = ", ".join(f"{k}: {v}" for k, v in w.get("statuses", {}).items()
                                  if not k.startswith("2")) if non2xx else ""
                nx = f"{non2xx}" + (f" ({codes})" if codes else "")
                o, l = own.get((size, ep, c)), least.get((size, ep, c))
                o_tps = o["pgbench"]["tps"] if o else None
                l_tps = l["pgbench"]["tps"] if l else None
                r_own = w["rps"] / o_tps if o_tps else None
                r_least = w["rps"] / l_tps if l_tps else None
                if r_own is not None and r_own < MIN_OWN_RATIO:
                    misses["own"].append((ep, size, c, r_own))
                if size == TARGET_SIZE and ep in READS and c in LEAST_CONNS and r_least is not None \
                        and r_least < MIN_LEAST_RATIO:
                    misses["least"].append((ep, size, c, r_least))
                st = a.get("app", {}).get("statements", {}).get("per_request")
                cpu = a.get("app", {}).get("cpu", {}).get("us_per_request")
                if size == TARGET_SIZE and ep in ("list", "queue") and st is not None and st > MAX_STATEMENTS + TAIL:
                    misses["statements"].append((ep, size, c, st))
                least_cell = f"{f2(r_least)}{' ✗' if size == TARGET_SIZE and ep in READS and c in LEAST_CONNS and r_least is not None and r_least < MIN_LEAST_RATIO else ''}"
                p(f"| {ep} | {c} | {w['rps']:.0f} | {f0(o_tps)} | {f2(r_own)} | {f0(l_tps)} | {least_cell} "
                  f"| {w['p50_ms']:.2f} | {w['p99_ms']:.2f} | {f2(st)} | {f0(cpu)} | {nx} "
                  f"| {a['load_before']} → {a['load_after']} |")
        p("")
    p("The ceilings' own latencies (pgbench p50 / p99, ms) are in results.jsonl and raw/.\n")
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        p(f"## Flat cost: app p99 at {size_label(big)} ÷ p99 at {size_label(small)} (target ≤ {MAX_P99_GROWTH})\n")
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
                if f > MAX_P99_GROWTH:
                    misses["flat"].append((ep, c, f))
                cells.append(f"{f:.2f} ({a['wrk']['p99_ms']:.1f} → {b['wrk']['p99_ms']:.1f} ms)"
                             f"{'' if f <= MAX_P99_GROWTH else ' ✗'}")
            if any(x != "–" for x in cells):
                p(f"| {ENDPOINTS[ep]} | " + " | ".join(cells) + " |")
        p("")
    bad_writes = [w for w in writes.values() if not w["one_event_per_change"]]
    if writes:
        p(f"Writes during the measurements: {sum(w['rows_created'] for w in writes.values() if w['endpoint'] == 'submit')} "
          f"requests submitted, {sum(w['rows_decided'] for w in writes.values())} decided; "
          f"changes without exactly one audit event: {len(bad_writes)} runs.\n")

hostile = [r for r in rows if r["kind"] == "hostile"]
if hostile:
    made = next((r for r in rows if r["kind"] == "hostile_seed"), None)
    p("## Hostile volume: one employee with many requests\n")
    if made:
        p(f"A {size_label(made['size'])} schema, then {made['rows']} one-day requests by {made['who']} "
          f"(reporting to {made['manager']}): {made['made']} (requests, pending, approved, declined or cancelled, "
          f"first and last day). wrk at 1 connection; \"seeded\" is the same schema before they were added.\n")
    p("| endpoint | as | phase | rows | req/s | p50 ms | p99 ms | max ms | stmts/req | CPU µs/req | non-2xx |")
    p("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in hostile:
        w, x = r["wrk"], r.get("app", {})
        p(f"| {ENDPOINTS.get(r['endpoint'], r['endpoint'])} | {r.get('who', '')} | {r.get('phase', '')} | {r.get('rows', '')} "
          f"| {w['rps']:.0f} | {w['p50_ms']:.2f} | {w['p99_ms']:.2f} | {w['max_ms']:.2f} "
          f"| {f2(x.get('statements', {}).get('per_request'))} | {f0(x.get('cpu', {}).get('us_per_request'))} "
          f"| {w['non2xx'] + w['timeouts']} |")
    p("")

cal = [r for r in rows if r["kind"] == "calendar"]
if cal:
    CAL_ENDPOINTS = {"api-team8": "GET /api/calendar as cal8 (team of 8)",
                     "api-team200": "GET /api/calendar as cal200 (team of 200)",
                     "page-team200": "GET /calendar (HTML) as cal200 (team of 200)"}
    leave = {(r["size"], r["endpoint"], r["conns"]): r for r in rows if r["kind"] == "calendar_leave"}
    made = [r for r in rows if r["kind"] == "calendar_seed"]
    p("## The month view (issue 10)\n")
    if made:
        p(f"Month {made[0]['month']}; teams added to each seeded schema by bench/sql/calendar.sql (people include "
          "the manager; requests = all of the team's, history included; leave = pending or approved requests with a "
          "day in the month, of which some start or end at noon).\n")
        p("| size | team | people | requests | leave in the month | with a half day | people with leave |")
        p("|---|---|---|---|---|---|---|")
        for r in made:
            p(f"| {size_label(r['size'])} | {r['team']} | {r['people']} | {r['requests']} | {r['leave_in_month']} "
              f"| {r['half_days']} | {r['people_with_leave']} |")
        p("")
    p("wrk on 127.0.0.1, proxy mode (X-Forwarded-Email), the same request every time; **stmts/req** = "
      "statements of the app's role (pg_stat_statements) ÷ requests wrk completed; **leave/req** = calls of the "
      "leave statement ÷ requests; **leave mean** = its mean execution time (pg_stat_statements, ms); "
      "1-minute load before → after.\n")
    p("| size | view | conc. | req/s | p50 ms | p99 ms | stmts/req | leave/req | leave mean ms | CPU µs/req | non-2xx | load |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in sorted(cal, key=lambda r: (r["size"], list(CAL_ENDPOINTS).index(r["endpoint"]) if r["endpoint"] in CAL_ENDPOINTS else 9, r["conns"])):
        w, x = r["wrk"], r.get("app", {})
        l = leave.get((r["size"], r["endpoint"], r["conns"]), {})
        per = l["calls"] / w["requests"] if l and w["requests"] else None
        p(f"| {size_label(r['size'])} | {CAL_ENDPOINTS.get(r['endpoint'], r['endpoint'])} | {r['conns']} | {w['rps']:.0f} "
          f"| {w['p50_ms']:.2f} | {w['p99_ms']:.2f} | {f2(x.get('statements', {}).get('per_request'))} | {f2(per)} "
          f"| {l.get('mean_ms', '–')} | {f0(x.get('cpu', {}).get('us_per_request'))} "
          f"| {w['non2xx'] + w['connect_errors'] + w['read_errors'] + w['timeouts']} | {r['load_before']} → {r['load_after']} |")
    p("")
    csizes = sorted({r["size"] for r in cal})
    if len(csizes) > 1:
        by = {(r["size"], r["endpoint"], r["conns"]): r for r in cal}
        small, big = csizes[0], csizes[-1]
        cconns = sorted({r["conns"] for r in cal})
        p(f"Flatness: p99 at {size_label(big)} ÷ p99 at {size_label(small)} (and the leave statement's mean, same ratio)\n")
        p("| view | " + " | ".join(f"c={c}" for c in cconns) + " |")
        p("|---|" + "---|" * len(cconns))
        for ep in CAL_ENDPOINTS:
            cells = []
            for c in cconns:
                a, b = by.get((small, ep, c)), by.get((big, ep, c))
                if not (a and b) or not a["wrk"]["p99_ms"]:
                    cells.append("–")
                    continue
                la, lb = leave.get((small, ep, c)), leave.get((big, ep, c))
                lr = (f"; leave {lb['mean_ms'] / la['mean_ms']:.2f}" if la and lb and la["mean_ms"] else "")
                cells.append(f"{b['wrk']['p99_ms'] / a['wrk']['p99_ms']:.2f} ({a['wrk']['p99_ms']:.2f} → "
                             f"{b['wrk']['p99_ms']:.2f} ms{lr})")
            p(f"| {CAL_ENDPOINTS[ep]} | " + " | ".join(cells) + " |")
        p("")
    ex = [r for r in rows if r["kind"] == "calendar_explain"]
    if ex:
        p("EXPLAIN (ANALYZE, BUFFERS) of the leave statement for the team of 200 (execution ms, custom plan / "
          "generic plan): " + "; ".join(f"{size_label(r['size'])}: {' / '.join(str(t) for t in r['execution_ms'])} "
                                        f"(`{r['file']}`)" for r in ex) + "\n")

notif = [r for r in rows if r["kind"] == "notify"]
if notif:
    VARIANTS = {"before": "before the outbox (BENCH_BIN_BEFORE)", "outbox": "outbox, no channel (rows unsent, no worker)",
                "webhook": "outbox + webhook worker (local sink)"}
    order = list(VARIANTS)
    made = {(r["size"], r["variant"], r["conns"], r.get("round")): r for r in rows if r["kind"] == "notify_rows"}
    p("## Notifications (issue 11)\n")
    p("POST /api/requests (bench/wrk/submit.lua) on a seeded schema per variant (what each run wrote is deleted "
      "before the next), in rounds, the variants' order turned by one each round; wrk on 127.0.0.1, proxy mode; "
      "**stmts/req** and **CPU µs/req** count everything the app's role and process did during the run, the "
      "webhook worker included; **notif./req** = notifications written ÷ submissions; 1-minute load before → after.\n")
    p("| size | conc. | round | variant | req/s | p50 ms | p99 ms | max ms | stmts/req | CPU µs/req | notif./req | non-2xx | load |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in sorted(notif, key=lambda r: (r["size"], -r["conns"], r.get("round", 0),
                                          order.index(r["variant"]) if r["variant"] in order else 9)):
        w, x = r["wrk"], r.get("app", {})
        m = made.get((r["size"], r["variant"], r["conns"], r.get("round")))
        per = f"{m['notifications'] / m['requests']:.2f}" if m and m["requests"] else "–"
        p(f"| {size_label(r['size'])} | {r['conns']} | {r.get('round', '')} | {VARIANTS.get(r['variant'], r['variant'])} | {w['rps']:.0f} "
          f"| {w['p50_ms']:.2f} | {w['p99_ms']:.2f} | {w['max_ms']:.2f} | {f2(x.get('statements', {}).get('per_request'))} "
          f"| {f0(x.get('cpu', {}).get('us_per_request'))} | {per} "
          f"| {w['non2xx'] + w['connect_errors'] + w['read_errors'] + w['timeouts']} | {r['load_before']} → {r['load_after']} |")
    p("")
    ratios = [r for r in rows if r["kind"] == "notify_ratio"]
    if ratios:
        p("Submit throughput against the binary from before the outbox, median req/s over the rounds (target: within "
          "10%, ratio ≥ 0.90); the per-round ratios show the noise\n")
        p("| size | conc. | before req/s | outbox req/s | webhook req/s | outbox ÷ before | webhook ÷ before | webhook ÷ outbox "
          "| outbox ÷ before by round | webhook ÷ before by round |")
        p("|---|---|---|---|---|---|---|---|---|---|")
        for r in ratios:
            def cell(v):
                return "–" if v is None else f"{v:.2f} ({mark(v >= 0.90)})"
            p(f"| {size_label(r['size'])} | {r['conns']} | {f0(r['before_rps'])} | {f0(r['outbox_rps'])} | {f0(r['webhook_rps'])} "
              f"| {cell(r['outbox_ratio'])} | {cell(r['webhook_ratio'])} | {f2(r['webhook_over_outbox'])} "
              f"| {', '.join(f2(x) for x in r.get('outbox_ratio_by_round', []))} "
              f"| {', '.join(f2(x) for x in r.get('webhook_ratio_by_round', []))} |")
        p("")
    lat = [r for r in rows if r["kind"] == "notify_latency"]
    if lat:
        p("Webhook delivery per notification: **commit → receiver** = arrival at the sink − commit of the submission's "
          "transaction (pg_xact_commit_timestamp of its request row, track_commit_timestamp = on); **created → receiver** = "
          "arrival − created_at (set when the request arrived, before its transaction: an upper bound); **created → "
          "sent** = sent_at − created_at (the app's own record); **waiting** = committed but not yet at the sink when wrk "
          "returned; **drain** = last arrival − wrk's end; **keys once** = every deliverable notification's "
          "Idempotency-Key arrived, and exactly once. Milliseconds, p50 / p99 / max.\n")
        p("| size | conc. | round | notifications (to deliver) | commit → receiver | created → receiver | created → sent | waiting | drain s | keys once |")
        p("|---|---|---|---|---|---|---|---|---|---|")

        def pm(s):
            return "–" if not s["n"] else f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f} / {s['max_ms']:.1f}"
        for r in sorted(lat, key=lambda r: (r["size"], -r["conns"], r.get("round", 0))):
            once = ("**none to deliver**" if not r["deliverable"] else "yes" if r["keys_once"] else
                    f"**no**: {r['duplicate_keys']} more than once, {r['missing_keys']} never")
            p(f"| {size_label(r['size'])} | {r['conns']} | {r.get('round', '')} | {r['notifications']} ({r['deliverable']}) | {pm(r['commit_to_receiver'])} "
              f"| {pm(r['created_to_receiver'])} | {pm(r['created_to_sent'])} | {r['waiting_at_wrk_end']} | {r['drain_s']} "
              f"| {once} |")
        p("")
    load = next((r for r in rows if r["kind"] == "notify_load"), None)
    if load:
        p(f"1-minute load while the mode ran (every 5 s, raw/load.txt): min {load['min']}, mean {load['mean']}, "
          f"max {load['max']} over {load['samples']} samples.\n")

mem = [r for r in rows if r["kind"] == "memory"]
if mem:
    peak = max(r["vmhwm_kb"] for r in mem)
    p(f"## Peak memory (VmHWM of the app process; target < {MAX_MEMORY_MB} MB): "
      f"{mark(peak * 1024 < MAX_MEMORY_MB * 1e6)}\n")
    p("| run | VmHWM |")
    p("|---|---|")
    for r in mem:
        p(f"| {size_label(r['size'])} | {r['vmhwm_kb'] / 1024:.1f} MiB ({r['vmhwm_kb'] * 1024 / 1e6:.1f} MB) |")
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
    at = [k for k in app if k[0] == TARGET_SIZE]
    if at:
        st_points = [k for k in at if k[1] in ("list", "queue")]
        p(f"- At most {MAX_STATEMENTS} statements per request for the list and the queue at {size_label(TARGET_SIZE)} "
          f"(pg_stat_statements; up to {MAX_STATEMENTS + TAIL} allowed for the requests cut off at wrk's deadline): "
          f"{mark(not misses['statements'])}" + (" (" + ", ".join(f"{e} c={c} {x:.2f}" for e, s, c, x in misses["statements"]) + ")"
                                               if misses["statements"] else f" ({len(st_points)} points)"))
        least_points = [k for k in at if k[1] in READS and k[2] in LEAST_CONNS and k in least]
        p(f"- Reads at least {MIN_LEAST_RATIO:.0%} of the least-SQL ceiling at {size_label(TARGET_SIZE)}, "
          f"{' and '.join(str(c) for c in LEAST_CONNS)} connections: {mark(not misses['least'] and least_points)}"
          + (" (" + ", ".join(f"{e} c={c} {x:.2f}" for e, s, c, x in misses["least"]) + ")" if misses["least"]
             else f" ({len(least_points)} points)"))
    else:
        p(f"- The issue's targets are set at {size_label(TARGET_SIZE)} rows, which this run did not measure.")
    p(f"- Each endpoint at least {MIN_OWN_RATIO} of the ceiling on its own statements: {mark(not misses['own'])}"
      + (f" ({len(misses['own'])} of {len(app)} points below: "
         + ", ".join(f"{e} {size_label(s)} c={c} {x:.2f}" for e, s, c, x in misses["own"]) + ")" if misses["own"] else ""))
    if len(sizes) > 1:
        p(f"- p99 at {size_label(sizes[-1])} within {MAX_P99_GROWTH}x of {size_label(sizes[0])}: {mark(not misses['flat'])}"
          + (" (" + ", ".join(f"{e} c={c} {f:.1f}x" for e, c, f in misses["flat"]) + ")" if misses["flat"] else ""))
    if mem:
        p(f"- Peak memory under {MAX_MEMORY_MB} MB: {mark(max(r['vmhwm_kb'] for r in mem) * 1024 < MAX_MEMORY_MB * 1e6)}")
print("\n".join(lines))
