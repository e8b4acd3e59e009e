"""Summarises one pgbench run as a JSON line: tps from its report, p50/p99 from its
per-transaction log (-l).  Usage: pgbench_summary.py REPORT_FILE LOG_DIR"""

import json
import math
import os
import re
import sys


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100 * len(sorted_values)) - 1))  # nearest rank
    return sorted_values[k]


def main():
    report, log_dir = sys.argv[1], sys.argv[2]
    text = open(report).read()

    def grab(pattern, cast=float, default=0):
        m = re.search(pattern, text, re.M)
        return cast(m.group(1)) if m else default

    latencies = []
    for name in os.listdir(log_dir):
        if not name.startswith("pgbench_log"):
            continue
        with open(os.path.join(log_dir, name)) as f:
            for line in f:
                parts = line.split()
                if len(parts) < 3:
                    continue
                try:
                    latencies.append(int(parts[2]) / 1000.0)
                except ValueError:
                    pass  # a failed transaction: pgbench reports their number
    latencies.sort()
    summary = {
        "tps": grab(r"^tps = ([0-9.]+) \(without initial connection time\)"),
        "transactions": grab(r"^number of transactions actually processed: (\d+)", int),
        "failed": grab(r"^number of failed transactions: (\d+)", int),
        "aborted": len(re.findall(r"aborted", text)),
        "mean_ms": grab(r"^latency average = ([0-9.]+) ms"),
        "p50_ms": round(percentile(latencies, 50), 3),
        "p90_ms": round(percentile(latencies, 90), 3),
        "p99_ms": round(percentile(latencies, 99), 3),
        "max_ms": round(latencies[-1], 3) if latencies else 0,
        "logged": len(latencies),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
