"""One-line summaries for run.sh's log.  Usage: fmt.py wrk|pgbench|app|ratio|ceiling|startup|rate JSON"""

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
