"""One-line summaries for run.sh's log.  Usage: fmt.py wrk|pgbench|rate JSON"""

import json
import sys

kind, j = sys.argv[1], json.loads(sys.argv[2])
if kind == "wrk":
    print(f"{j['rps']:.0f} req/s, p50 {j['p50_ms']:.2f} ms, p99 {j['p99_ms']:.2f} ms, non-2xx {j['non2xx']}")
elif kind == "pgbench":
    print(f"{j['tps']:.0f} tps, p50 {j['p50_ms']:.2f} ms, p99 {j['p99_ms']:.2f} ms, failed {j['failed']}")
elif kind == "startup":
    print(f"{j['backend']}: median {j['median_ms']:.0f} ms over {len(j['runs_ms'])} starts (target {j['target_ms']} ms)")
elif kind == "rate":
    print(round(j.get("rps", j.get("tps", 0))))
