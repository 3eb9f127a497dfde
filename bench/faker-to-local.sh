#!/usr/bin/env bash
# Benchmark: faker source -> local Parquet through the whole server (route, batches, writer, state commits).
# Usage: bench/faker-to-local.sh [users=1000000] [heap=512m]
# Prints rows/s, MB/s (Parquet bytes written) and the peak RSS of the server process; appends a CSV row to
# bench/results/faker-to-local.csv. Generation of the demo rows costs little (~4M rows/s), so this measures
# Caravan's own overhead + Parquet encoding.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-1000000}
HEAP=${2:-512m}
[ -f target/caravan.jar ] || mvn -q -DskipTests package
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/bench.yaml" <<YAML
sources:
  - {name: bench, connector: faker, config: {count: $USERS, seed: 1}}
destinations:
  - {name: lake, connector: local, config: {path: "$WORK/lake"}}
connections:
  - name: bench
    source: bench
    destination: lake
    streams:
      - {name: users, sync_mode: full_refresh_overwrite}
      - {name: purchases, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}
YAML
/usr/bin/time -v -o "$WORK/time.txt" java -Xmx"$HEAP" -jar target/caravan.jar serve --home "$WORK" \
  --apply "$WORK/bench.yaml" --sync bench --exit > "$WORK/out.txt" 2>&1 || { cat "$WORK/out.txt"; exit 1; }
LINE=$(grep "Job 1 of bench succeeded" "$WORK/out.txt")
ROWS=$(sed -E 's/.*succeeded: ([0-9]+) records.*/\1/' <<<"$LINE")
BYTES=$(sed -E 's/.* ([0-9]+) bytes in.*/\1/' <<<"$LINE")
MS=$(sed -E 's/.* in ([0-9]+) ms.*/\1/' <<<"$LINE")
RSS_KB=$(grep "Maximum resident set size" "$WORK/time.txt" | awk '{print $NF}')
CPU_S=$(awk -F: '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$WORK/time.txt")
ROWS_S=$(( ROWS * 1000 / MS ))
MB_S=$(awk -v b="$BYTES" -v ms="$MS" 'BEGIN {printf "%.1f", b / 1e6 / (ms / 1000)}')
printf "%-22s %12s %12s %10s %10s %12s %10s\n" benchmark rows rows/s MB/s sync_ms peak_rss_MB cpu_s
printf "%-22s %12d %12d %10s %10d %12d %10s\n" faker-to-local "$ROWS" "$ROWS_S" "$MB_S" "$MS" $((RSS_KB / 1024)) "$CPU_S"
mkdir -p bench/results
CSV=bench/results/faker-to-local.csv
[ -f "$CSV" ] || echo "date,commit,machine,heap,rows,rows_per_s,mb_per_s,sync_ms,peak_rss_mb,cpu_s" > "$CSV"
echo "$(date -u +%FT%TZ),$(git rev-parse --short HEAD 2>/dev/null || echo none),$(nproc)cpu-$(free -g | awk '/Mem:/ {print $2}')GiB,$HEAP,$ROWS,$ROWS_S,$MB_S,$MS,$((RSS_KB / 1024)),$CPU_S" >> "$CSV"
