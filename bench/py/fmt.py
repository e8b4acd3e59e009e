"""One-line summaries for run.sh's log.  Usage: fmt.py wrk|pgbench|app|ratio|ceiling|startup|rate|notify_latency|notify_ratio JSON"""

import json
import sys

kind, j = sys.argv[1], json.loads(sys.argv[2])
if kind == "wrk":
    print(f"{j['rps']:.0f} req/s, p50 {j['p50_ms']:.2f} ms, p99 {j['p99_ms']:.2f} ms, non-2xx {j['non2xx']}")
elif kind == "pgbench":
    print(f"{j['tps']:.0f} tps, p50 {j['p50_ms']:.2f} ms, p99 {j['p99_ms']:.2f} ms, failed {j['failed']}")
elif kind == "app":
    print(f"{j['statements']['per_request']:.2f} statements/request, CPU {j['cpu']['us_per_request']:.0f} µs/request")
elif kind == "ratio":
    own = f"{j['ratio_own']:.2f} of the app's own statements" if j.get("ratio_own") is not None else "-"
    least = f", {j['ratio_least']:.2f} of the least SQL" if j.get("ratio_least") is not None else ""
    print(own + least)
elif kind == "ceiling":
    print(f"ceiling {j['endpoint']}: {j['statements']} statements, the same as the app's for "
          f"{len(j['samples'])} samples; parameters {j['parameters']}")
elif kind == "startup":
    print(f"{j['backend']}: median {j['median_ms']:.0f} ms over {len(j['runs_ms'])} starts (target {j['target_ms']} ms)")
elif kind == "rate":
    print(round(j.get("rps", j.get("tps", 0))))
elif kind == "notify_latency":
    def lat(s):
        return f"p50 {s['p50_ms']} / p99 {s['p99_ms']} / max {s['max_ms']} ms" if s["n"] else "none"
    print(f"{j['arrived_keys']} of {j['deliverable']} notifications arrived ({j['duplicate_keys']} keys more than once, "
          f"{j['missing_keys']} never); commit->receiver {lat(j['commit_to_receiver'])}; created->sent "
          f"{lat(j['created_to_sent'])}; {j['waiting_at_wrk_end']} waiting when wrk stopped, last arrived "
          f"{j['drain_s']} s after")
elif kind == "notify_ratio":
    print(f"before {j['before_rps']}, outbox {j['outbox_rps']}, webhook {j['webhook_rps']}; "
          f"outbox/before {j['outbox_ratio']}, webhook/before {j['webhook_ratio']}, "
          f"webhook/outbox {j['webhook_over_outbox']} (target >= 0.90)")
