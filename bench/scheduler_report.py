"""Report of a scheduler benchmark run: reads the jobs exported from the metadata store (CSV: connection_name, status,
started_at, ended_at, scheduled_at[, node_id]) and prints trigger-to-start lag percentiles, job durations, jobs per
minute, double runs (two jobs that ran for one fire time of one connection) and, on a cluster, jobs per node.
Usage: scheduler_report.py jobs.csv applied_epoch ended_epoch"""
import csv, datetime, json, sys
path, applied, ended = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
def ts(text):
    if not text:
        return None
    text = text.strip().replace(" ", "T", 1)
    if text.endswith("+00") or text[-3] in "+-" and text[-3:].lstrip("+-").isdigit():
        text += ":00"
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
lags, statuses, done, durations = [], {}, 0, []
fires, nodes = {}, {}
with open(path, newline="") as f:
    for job in csv.DictReader(f):
        job = {k.lower(): v for k, v in job.items()}
        status = job["status"].lower()
        statuses[status] = statuses.get(status, 0) + 1
        s, e, due = ts(job["started_at"]), ts(job["ended_at"]), ts(job["scheduled_at"])
        if due is not None and status != "skipped":
            lags.append(s - due)
            key = (job["connection_name"], job["scheduled_at"])
            fires[key] = fires.get(key, 0) + 1
        node = job.get("node_id") or ""
        if node:
            nodes[node] = nodes.get(node, 0) + 1
        if e is not None and applied <= e <= ended and status == "succeeded":
            done += 1
            durations.append(e - s)
lags.sort(); durations.sort()
def pct(values, p):
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000 if values else float("nan")
minutes = (ended - applied) / 60
print(f"jobs={sum(statuses.values())} statuses={json.dumps(statuses, sort_keys=True)}")
print(f"lag_ms p50={pct(lags, 50):.0f} p99={pct(lags, 99):.0f} max={pct(lags, 100):.0f} (of {len(lags)} scheduled jobs)")
print(f"job_ms p50={pct(durations, 50):.0f} p99={pct(durations, 99):.0f}")
print(f"jobs_per_min={done / minutes:.0f}")
print(f"double_runs={sum(1 for count in fires.values() if count > 1)}")
if nodes:
    print("jobs_by_node=" + ";".join(f"{node}={count}" for node, count in sorted(nodes.items())))
