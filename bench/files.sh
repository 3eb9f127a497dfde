#!/usr/bin/env bash
# The files source against the speed of light: a CSV file of records {id, name, amount, updated_at} (~52 bytes a line; the
# default 20,000,000 rows are ~1 GB) and the same records as JSON Lines, copied into local snappy Parquet, compared in one run:
#   floor    bench/src/FileFloor.java: one thread, Jackson's streaming CSV parser / JSON token stream -> parquet-java, values
#            typed as read, no metadata columns, no inference, no checks (reads the local file, also in the S3 cases)
#   duckdb   bench/src/DuckCopy.java: DuckDB's COPY (SELECT * FROM read_csv/read_json) TO parquet, 1 thread and all cores
#   caravan  java $JAVA_FLAGS -Xmx$HEAP -jar target/caravan.jar serve --apply <yaml> --sync copy --exit, the files source
#            (inferred schema, _ab_source_file_* columns, state) into the local destination, incremental append;
#            from the local folder and from S3Proxy (its own JVM; the object uploaded before the clock starts)
# Target (issue #18): caravan >= 1.0x the floor's rows/s at <= 512 MB peak RSS; the DuckDB ratio is reported.
#
# Usage: bench/files.sh [rows=20000000]
# Environment: RUNS=2 (best run shown), HEAP=256m, JAVA_FLAGS="-XX:+UseParallelGC", S3=1 (0 skips the S3 cases), BUILD=1.
# Appends a CSV row per measured run to bench/results/files.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${1:-20000000}
RUNS=${RUNS:-2}
HEAP=${HEAP:-256m}
S3=${S3:-1}
JAVA_FLAGS=${JAVA_FLAGS:--XX:+UseParallelGC}
read -r -a JAVA_FLAG_ARRAY <<<"$JAVA_FLAGS"
WORK=target/bench/files
rm -rf "$WORK"
mkdir -p "$WORK/data" bench/results
WORK_ABS=$(cd "$WORK" && pwd)
bench_build
mvn -B -q dependency:copy -Dartifact=org.duckdb:duckdb_jdbc:1.5.6.0 -DoutputDirectory="$WORK" >/dev/null
DUCK_CP="$WORK/duckdb_jdbc-1.5.6.0.jar:target/bench/classes"
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- components src 2>/dev/null || echo +dirty)
CSV=bench/results/files.csv
[ -f "$CSV" ] || echo "date,commit,machine,jvm,case,what,run,rows,mb,copy_s,rows_per_s,mb_per_s,wall_s,peak_rss_mb,cpu_s" > "$CSV"
JVM=$(java -version 2>&1 | head -1 | tr -d '",')
trap bench_stop_s3proxy EXIT

echo "generating $ROWS rows as CSV and JSON Lines..."
awk -v n="$ROWS" 'BEGIN { print "id,name,amount,updated_at"; for (i = 1; i <= n; i++) printf "%d,name %d,%d.%02d,2026-01-%02dT%02d:%02d:%02d.%03dZ\n", i, i, i % 100000, i % 100, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, i % 1000 }' \
  > "$WORK/data/records.csv"
awk -v n="$ROWS" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"id\":%d,\"name\":\"name %d\",\"amount\":%d.%02d,\"updated_at\":\"2026-01-%02dT%02d:%02d:%02d.%03dZ\"}\n", i, i, i % 100000, i % 100, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, i % 1000 }' \
  > "$WORK/data/records.jsonl"
if [ "$S3" = 1 ]; then
  bench_start_s3proxy "$WORK/s3proxy"
  for format in csv jsonl; do
    java -cp target/bench/classes:target/caravan.jar PutObject "$S3_ENDPOINT" bench "records.$format" "$WORK/data/records.$format" bench bench-secret
  done
fi

printf "%-11s %-9s %10s %8s %8s %11s %7s %8s %7s %7s\n" case what rows MB copy_s rows/s MB/s wall_s RSS_MB CPU_s | tee "$WORK/results.txt"
report() { # case what run rows mb ms (uses T_WALL T_RSS_MB T_CPU of the last bench_time)
  local rate mbs
  rate=$(( $4 * 1000 / ($6 > 0 ? $6 : 1) ))
  mbs=$(awk -v b="$5" -v m="$6" 'BEGIN {printf "%.1f", b * 1000 / (m > 0 ? m : 1)}')
  printf "%-11s %-9s %10d %8d %8.2f %11d %7s %8.1f %7d %7.2f\n" "$1" "$2" "$4" "$5" "$(awk -v m="$6" 'BEGIN {print m / 1000}')" "$rate" "$mbs" "$T_WALL" "$T_RSS_MB" "$T_CPU" \
    | tee -a "$WORK/results.txt"
  echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,$JVM,$1,$2,$3,$4,$5,$(awk -v m="$6" 'BEGIN {print m / 1000}'),$rate,$mbs,$T_WALL,$T_RSS_MB,$T_CPU" >> "$CSV"
  BEST["$1/$2"]=$(( rate > ${BEST["$1/$2"]:-0} ? rate : ${BEST["$1/$2"]:-0} ))
  RSS["$1/$2"]=$(( T_RSS_MB > ${RSS["$1/$2"]:-0} ? T_RSS_MB : ${RSS["$1/$2"]:-0} ))
}
declare -A BEST RSS

caravan_run() { # case format storage run
  local name=$1 format=$2 storage=$3 run=$4 config line copied ms
  rm -rf "$WORK/home"
  mkdir -p "$WORK/home"
  if [ "$storage" = local ]; then
    config="{path: \"$WORK_ABS/data\""
  else
    config="{storage: s3, bucket: bench, endpoint: \"$S3_ENDPOINT\", path_style_access: true, access_key_id: bench, secret_access_key: bench-secret"
  fi
  cat > "$WORK/home/bench.yaml" <<YAML
sources:
  - name: files
    connector: files
    config: $config, streams: '[{"name": "records", "globs": ["records.$format"], "format": "$format"}]'}
destinations:
  - {name: lake, connector: local, config: {path: "$WORK_ABS/home/lake"}}
connections:
  - name: copy
    source: files
    destination: lake
    streams:
      - {name: records, sync_mode: incremental_append, cursor_field: _ab_source_file_last_modified}
YAML
  bench_time "$WORK/caravan-$name-$run" java -Xmx"$HEAP" "${JAVA_FLAG_ARRAY[@]}" -jar target/caravan.jar serve --home "$WORK/home" \
    --apply "$WORK/home/bench.yaml" --sync copy --exit || { cat "$WORK/caravan-$name-$run.out"; exit 1; }
  line=$(grep "Job 1 of copy succeeded" "$WORK/caravan-$name-$run.out")
  copied=$(sed -E 's/.*succeeded: ([0-9]+) records.*/\1/' <<<"$line"); ms=$(sed -E 's/.* in ([0-9]+) ms.*/\1/' <<<"$line")
  report "$name" caravan "$run" "$copied" "$MB" "$ms"
}

for format in csv jsonl; do
  MB=$(( $(stat -c %s "$WORK/data/records.$format") / 1000000 ))
  for run in $(seq 1 "$RUNS"); do
    bench_time "$WORK/floor-$format-$run" java -Xmx"$HEAP" "${JAVA_FLAG_ARRAY[@]}" -cp target/bench/classes:target/caravan.jar FileFloor "$format" "$WORK/data/records.$format" "$WORK/floor.parquet"
    line=$(grep FLOOR "$WORK/floor-$format-$run.out")
    report "$format-local" floor "$run" "$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$line")" "$MB" "$(sed -E 's/.*ms=([0-9]+).*/\1/' <<<"$line")"
    for threads in 1 "$(nproc)"; do
      bench_time "$WORK/duckdb-$format-$threads-$run" java -Xmx256m -cp "$DUCK_CP" DuckCopy "$format" "$WORK_ABS/data/records.$format" "$WORK_ABS/duck.parquet" "$threads"
      line=$(grep DUCKDB "$WORK/duckdb-$format-$threads-$run.out")
      report "$format-local" "duckdb-${threads}t" "$run" "$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$line")" "$MB" "$(sed -E 's/.*ms=([0-9]+).*/\1/' <<<"$line")"
    done
    caravan_run "$format-local" "$format" local "$run"
    if [ "$S3" = 1 ]; then
      caravan_run "$format-s3" "$format" s3 "$run"
    fi
  done
done

echo
echo "targets (best runs): caravan rows/s >= 1.0x the floor's, peak RSS (highest run) <= 512 MB"
for c in csv-local jsonl-local csv-s3 jsonl-s3; do
  [ -n "${BEST[$c/caravan]:-}" ] || continue
  floor=${BEST[${c%-*}-local/floor]}
  ratio=$(awk -v a="${BEST[$c/caravan]}" -v b="$floor" 'BEGIN {printf "%.2f", a / b}')
  duck=$(awk -v a="${BEST[$c/caravan]}" -v b="${BEST[${c%-*}-local/duckdb-$(nproc)t]}" 'BEGIN {printf "%.2f", a / b}')
  verdict=$(awk -v r="$ratio" -v m="${RSS[$c/caravan]}" 'BEGIN {print (r >= 1.0 && m <= 512) ? "PASS" : "FAIL"}')
  printf "%-11s caravan/floor %5sx  caravan/duckdb(%st) %5sx  RSS %4d MB  %s\n" "$c" "$ratio" "$(nproc)" "$duck" "${RSS[$c/caravan]}" "$verdict" | tee -a "$WORK/results.txt"
done
