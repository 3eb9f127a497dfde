#!/usr/bin/env bash
# CDC throughput: postgres-cdc through a running server into local Parquet (incremental_append_deduped) on an embedded
# PostgreSQL started with wal_level=logical: the initial snapshot of N rows, then one transaction updating all N rows,
# streamed from the write-ahead log. Prints events/s of both (each job's duration includes the deduplicated snapshot
# merge). Rows: -Dbench.rows=N (default 1000000). Appends a CSV row to bench/results/cdc.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test -Dtest=CdcUpdatesBench -Dsurefire.failIfNoSpecifiedTests=false "$@" >/dev/null || true
OUT=target/surefire-reports/dev.caravan.bench.CdcUpdatesBench-output.txt
grep -h "^BENCH" "$OUT" || { echo "the benchmark failed: see target/surefire-reports/dev.caravan.bench.CdcUpdatesBench.txt"; exit 1; }
mkdir -p bench/results
CSV=bench/results/cdc.csv
[ -f "$CSV" ] || echo "date,commit,machine,load,phase,events,ms,events_per_s" > "$CSV"
grep -h "^BENCH" "$OUT" | while read -r _ _ phase events _ _ ms _ _ rate _; do
  echo "$(date -u +%FT%TZ),$(git rev-parse --short HEAD 2>/dev/null || echo none),$(nproc)cpu,$(cut -d' ' -f1 /proc/loadavg),$phase,${events//,/},${ms//,/},${rate//,/}" >> "$CSV"
done
