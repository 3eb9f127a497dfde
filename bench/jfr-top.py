#!/usr/bin/env python3
"""Top methods of a JFR recording's CPU samples: self (top frame) and total (anywhere on the stack).

Usage: bench/jfr-top.py recording.jfr [thread-name-substring] [rows=30]
Record with: java -XX:StartFlightRecording=filename=rec.jfr,settings=profile ...
"""
import collections
import json
import subprocess
import sys


def main():
    path = sys.argv[1]
    thread_filter = sys.argv[2] if len(sys.argv) > 2 else ""
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    self_counts, total_counts, threads = collections.Counter(), collections.Counter(), collections.Counter()
    samples = 0
    for event in events:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        if thread_filter not in thread:
            continue
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        samples += 1
        threads[thread] += 1
        names = [f["method"]["type"]["name"].rsplit(".", 1)[-1] + "." + f["method"]["name"] for f in frames]
        self_counts[names[0]] += 1
        for name in set(names):
            total_counts[name] += 1
    print(f"{samples} samples" + (f" on threads matching '{thread_filter}'" if thread_filter else ""))
    print("threads:", ", ".join(f"{t} {n}" for t, n in threads.most_common(5)))
    print(f"\n{'self %':>7}  method")
    for name, n in self_counts.most_common(rows):
        print(f"{100.0 * n / samples:7.1f}  {name}")
    print(f"\n{'total %':>7}  method")
    for name, n in total_counts.most_common(rows):
        print(f"{100.0 * n / samples:7.1f}  {name}")


if __name__ == "__main__":
    main()
