#!/usr/bin/env bash
# S3 large-output benchmark: the server jar, heap capped (default -Xmx512m), syncs the faker source into an S3 bucket
# served by S3Proxy (filesystem backend, loopback) and prints rows/s, MB/s and the peak RSS of the Caravan JVM.
#
#   bench/s3-large-output.sh                 # ~1.07 GB of Parquet (11M users, all fields) at -Xmx512m
#   USERS=1000000 HEAP=256m bench/s3-large-output.sh
#   STREAM=purchases MODE=incremental_append bench/s3-large-output.sh
#
# Needs: JDK 17+, Maven (builds target/caravan.jar and fetches the S3Proxy jar), python3, /usr/bin/time.
# Everything lives in a temporary directory that is removed at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

USERS=${USERS:-11000000}
STREAM=${STREAM:-users}
MODE=${MODE:-full_refresh_append}
HEAP=${HEAP:-512m}
FILE_MB=${FILE_MB:-128}
ROW_GROUP_MB=${ROW_GROUP_MB:-32}
WORK=$(mktemp -d /tmp/caravan-bench-s3.XXXXXX)
cleanup() {
  bench_stop_s3proxy
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

bench_build
bench_start_s3proxy "$WORK"
mkdir -p "$WORK/home"

CURSOR=""
if [ "$MODE" != "${MODE#incremental}" ]; then CURSOR="cursor_field: updated_at, primary_key: [id], "; fi
cat > "$WORK/bench.yaml" <<YAML
sources:
  - {name: faker, connector: faker, config: {count: $USERS}}
destinations:
  - name: lake
    connector: s3
    config: $(bench_s3_config "" "file_size_mb: $FILE_MB, row_group_mb: $ROW_GROUP_MB")
connections:
  - name: bench
    source: faker
    destination: lake
    streams:
      - {name: $STREAM, sync_mode: $MODE, ${CURSOR}}
YAML

echo "Caravan -Xmx$HEAP: faker $STREAM (users=$USERS) -> s3://bench (S3Proxy at $S3_ENDPOINT), $MODE, file ${FILE_MB} MiB, row group ${ROW_GROUP_MB} MiB"
START=$(date +%s.%N)
/usr/bin/time -v -o "$WORK/time.txt" java -Xmx"$HEAP" -jar target/caravan.jar serve --home "$WORK/home" -f "$WORK/bench.yaml" --sync bench --exit \
  > "$WORK/caravan.log" 2>&1 || { tail -40 "$WORK/caravan.log"; exit 1; }
END=$(date +%s.%N)

LINE=$(grep -o "Job [0-9]* of bench succeeded: .*" "$WORK/caravan.log" | tail -1)
RECORDS=$(echo "$LINE" | sed -E 's/.*: ([0-9]+) records, ([0-9]+) bytes in ([0-9]+) ms.*/\1/')
BYTES=$(echo "$LINE" | sed -E 's/.*: ([0-9]+) records, ([0-9]+) bytes in ([0-9]+) ms.*/\2/')
MILLIS=$(echo "$LINE" | sed -E 's/.*: ([0-9]+) records, ([0-9]+) bytes in ([0-9]+) ms.*/\3/')
OBJECTS=$(find "$WORK/s3/bench/raw" -name '*.parquet' | wc -l)
STORED=$(du -sb "$WORK/s3/bench/raw" | cut -f1)
RSS_KB=$(grep "Maximum resident set size" "$WORK/time.txt" | awk '{print $NF}')
python3 - "$RECORDS" "$BYTES" "$MILLIS" "$OBJECTS" "$STORED" "$RSS_KB" "$START" "$END" <<'PY'
import sys
records, data, millis, objects, stored, rss_kb = (int(v) for v in sys.argv[1:7])
wall = float(sys.argv[8]) - float(sys.argv[7])
seconds = millis / 1000
print(f"records        {records:,}")
print(f"parquet bytes  {data:,} ({data / 1e9:.2f} GB) in {objects} objects (stored: {stored:,} bytes)")
print(f"sync time      {seconds:.1f} s (JVM wall time {wall:.1f} s)")
print(f"throughput     {records / seconds:,.0f} rows/s, {data / seconds / 1e6:.1f} MB/s of Parquet")
print(f"peak RSS       {rss_kb / 1024:.0f} MiB")
PY
grep -h "Committed stream" "$WORK/caravan.log" | sed 's/^.*Committed/Committed/' | head -3
