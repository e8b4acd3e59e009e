"""Commit-to-receiver latency of one notify run (bench/run.sh notify, webhook variant).

Usage: notify_latency.py ROWS SINK WRK_START WRK_END DRAINED_AT

ROWS: one notification of the run a line, space-separated: id channel state attempts
created_at sent_at commit_at (unix seconds; sent_at and commit_at may be empty), where
commit_at is the commit time of the submission's transaction (pg_xact_commit_timestamp of the
holiday_requests row written in it; track_commit_timestamp = on). SINK: the webhook sink's
"<arrival> <Idempotency-Key>" lines. WRK_START, WRK_END: when wrk started and returned (unix
seconds); DRAINED_AT: when no row of the run was waiting any more.

Prints one JSON object: counts, keys that arrived more than once or never, and per figure
(arrival - commit, arrival - created_at, sent_at - created_at) n, p50, p99, max in ms; how many
deliverable notifications were committed but not yet at the receiver when wrk returned, and
how long after wrk the last one arrived."""

import json
import math
import sys

rows_path, sink_path = sys.argv[1], sys.argv[2]
wrk_start, wrk_end, drained_at = (float(x) for x in sys.argv[3:6])
PREFIX = "holidays-notification-"

rows = {}
for line in open(rows_path):
    f = line.rstrip("\n").split(" ")
    if len(f) < 7 or not f[0].isdigit():
        continue
    num = lambda s: float(s) if s else None  # noqa: E731
    rows[int(f[0])] = {"channel": f[1], "state": f[2], "attempts": int(f[3]),
                       "created": num(f[4]), "sent": num(f[5]), "commit": num(f[6])}

arrivals = {}  # id -> arrival times
foreign = 0
others = 0  # keys of notifications outside the run: other runs', the daily digests the worker writes at start
for line in open(sink_path):
    parts = line.split()
    if len(parts) != 2 or not parts[1].startswith(PREFIX):
        foreign += 1
        continue
    try:
        nid = int(parts[1][len(PREFIX):])
    except ValueError:
        foreign += 1
        continue
    if nid in rows:
        arrivals.setdefault(nid, []).append(float(parts[0]))
    else:
        others += 1


def pct(xs, q):
    """Nearest-rank percentile."""
    if not xs:
        return None
    xs = sorted(xs)
    return xs[max(0, math.ceil(q / 100 * len(xs)) - 1)]


def summary(xs):
    ms = [x * 1000 for x in xs]
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 2) if ms else None, "p99_ms": round(pct(ms, 99), 2) if ms else None,
            "max_ms": round(max(ms), 2) if ms else None, "min_ms": round(min(ms), 2) if ms else None}


deliverable = {i: r for i, r in rows.items() if r["state"] != "unsent"}
states = {}
for r in rows.values():
    states[r["state"]] = states.get(r["state"], 0) + 1
first = {i: min(t) for i, t in arrivals.items()}
dup = sorted(i for i, t in arrivals.items() if len(t) > 1)
missing = sorted(i for i in deliverable if i not in arrivals)
no_commit = sum(1 for i in first if rows[i]["commit"] is None)

commit_lat = [first[i] - rows[i]["commit"] for i in first if rows[i]["commit"] is not None]
created_lat = [first[i] - rows[i]["created"] for i in first]
sent_lat = [r["sent"] - r["created"] for r in deliverable.values() if r["sent"] is not None]
# Committed by the time wrk returned and not yet at the receiver.
commit_or_created = lambda r: r["commit"] if r["commit"] is not None else r["created"]  # noqa: E731
waiting_at_end = sum(1 for i, r in deliverable.items() if commit_or_created(r) <= wrk_end and first.get(i, math.inf) > wrk_end)
during = [first[i] - rows[i]["commit"] for i in first if rows[i]["commit"] is not None and rows[i]["commit"] <= wrk_end]
last_arrival = max(first.values()) if first else None

print(json.dumps({
    "notifications": len(rows), "states": states, "deliverable": len(deliverable),
    "arrived_keys": len(first), "arrivals": sum(len(t) for t in arrivals.values()),
    "duplicate_keys": len(dup), "duplicate_ids": dup[:20], "missing_keys": len(missing), "missing_ids": missing[:20],
    "other_sink_lines": foreign, "other_notifications": others, "retried": sum(1 for r in deliverable.values() if r["attempts"] > 1),
    "keys_once": not dup and not missing,
    "commit_to_receiver": summary(commit_lat), "created_to_receiver": summary(created_lat),
    "created_to_sent": summary(sent_lat), "commit_to_receiver_committed_during_wrk": summary(during),
    "no_commit_time": no_commit,
    "waiting_at_wrk_end": waiting_at_end,
    "drain_s": round(last_arrival - wrk_end, 3) if last_arrival is not None and last_arrival > wrk_end else 0.0,
    "drained_after_s": round(drained_at - wrk_end, 3),
    "wrk_window_s": round(wrk_end - wrk_start, 3),
    "delivered_per_s_while_draining": round(waiting_at_end / (last_arrival - wrk_end), 1)
    if waiting_at_end and last_arrival and last_arrival > wrk_end else None,
}))
