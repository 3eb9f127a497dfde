#!/usr/bin/env bash
# The http source against the speed of light: reads records {id, name, amount, updated_at} (~100 bytes of JSON each)
# from a local API (bench/src/BenchApi.java, its own JVM, offset/limit pages generated as they are sent) into local snappy
# Parquet, and compares in one run:
#   floor    bench/src/HttpFloor.java: one thread, JDK HTTP client -> Jackson token stream -> parquet-java, no metadata columns
#   caravan  java $JAVA_FLAGS -Xmx$HEAP -jar target/caravan.jar serve --apply <yaml> --sync bench --exit, http source with a
#            manifest (offset pagination, 4 declared fields) into the local destination, full refresh
# for small pages (PAGE_SMALL=100 records, ~10 KB) and 1 MB pages (PAGE_BIG=10000 records); and the 1 MB case again on
# twice the records, to show the peak RSS does not grow with the number of pages.
#
# Usage: bench/http-api.sh [records=1000000]
# Environment: RUNS=2 (best run shown), HEAP=256m, JAVA_FLAGS="-XX:+UseParallelGC", PAGE_SMALL=100, PAGE_BIG=10000, BUILD=1.
# Appends a CSV row per measured run to bench/results/http.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${1:-1000000}
RUNS=${RUNS:-2}
HEAP=${HEAP:-256m}
JAVA_FLAGS=${JAVA_FLAGS:--XX:+UseParallelGC}
PAGE_SMALL=${PAGE_SMALL:-100}
PAGE_BIG=${PAGE_BIG:-10000}
read -r -a JAVA_FLAG_ARRAY <<<"$JAVA_FLAGS"
WORK=target/bench/http
rm -rf "$WORK"
mkdir -p "$WORK" bench/results
bench_build
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- components src 2>/dev/null || echo +dirty)
CSV=bench/results/http.csv
[ -f "$CSV" ] || echo "date,commit,machine,jvm,case,what,run,rows,page_records,copy_s,rows_per_s,wall_s,peak_rss_mb,cpu_s" > "$CSV"
JVM=$(java -version 2>&1 | head -1 | tr -d '",')

API_PID=
stop_api() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null || true; }
trap stop_api EXIT
start_api() { # total records
  stop_api
  rm -f "$WORK/port"
  # nodelay: without it the last chunk of each page waits for a delayed ACK (~40 ms a request)
  java -Xmx256m -Dsun.net.httpserver.nodelay=true -cp target/bench/classes BenchApi "$1" "$WORK/port" > "$WORK/api.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 1 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
  BASE=http://127.0.0.1:$(cat "$WORK/port")
}

cat > "$WORK/manifest-template.yaml" <<'YAML'
version: 1
base_url: http://set.by.config
streams:
  - name: records
    path: /records
    records: /data
    primary_key: [id]
    pagination: {type: offset, param: offset, size_param: limit, size: PAGE}
    schema:
      properties:
        id: {type: integer}
        name: {type: string}
        amount: {type: number}
        updated_at: {type: string, format: date-time}
YAML

printf "%-10s %-8s %10s %7s %9s %12s %8s %8s %7s\n" case what rows page copy_s rows/s wall_s RSS_MB CPU_s | tee "$WORK/results.txt"
measure() { # case rows page
  local name=$1 rows=$2 page=$3 run best_caravan=0 best_floor=0
  start_api "$rows"
  sed "s/size: PAGE/size: $page/" "$WORK/manifest-template.yaml" > "$WORK/$name.yaml"
  for run in $(seq 1 "$RUNS"); do
    bench_time "$WORK/floor-$name-$run" java -Xmx"$HEAP" "${JAVA_FLAG_ARRAY[@]}" -cp target/bench/classes:target/caravan.jar HttpFloor "$BASE" "$page" "$WORK/floor.parquet"
    local line copied ms
    line=$(grep FLOOR "$WORK/floor-$name-$run.out")
    copied=$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$line"); ms=$(sed -E 's/.*ms=([0-9]+).*/\1/' <<<"$line")
    report "$name" floor "$run" "$copied" "$page" "$ms"
    rm -rf "$WORK/home"
    mkdir -p "$WORK/home"
    cat > "$WORK/home/bench.yaml" <<YAML
sources:
  - {name: api, connector: http, config: {manifest: "$PWD/$WORK/$name.yaml", base_url: "$BASE"}}
destinations:
  - {name: lake, connector: local, config: {path: "$PWD/$WORK/home/lake"}}
connections:
  - name: bench
    source: api
    destination: lake
    streams:
      - {name: records, sync_mode: full_refresh_append}
YAML
    bench_time "$WORK/caravan-$name-$run" java -Xmx"$HEAP" "${JAVA_FLAG_ARRAY[@]}" -jar target/caravan.jar serve --home "$WORK/home" \
      --apply "$WORK/home/bench.yaml" --sync bench --exit || { cat "$WORK/caravan-$name-$run.out"; exit 1; }
    line=$(grep "Job 1 of bench succeeded" "$WORK/caravan-$name-$run.out")
    copied=$(sed -E 's/.*succeeded: ([0-9]+) records.*/\1/' <<<"$line"); ms=$(sed -E 's/.* in ([0-9]+) ms.*/\1/' <<<"$line")
    report "$name" caravan "$run" "$copied" "$page" "$ms"
  done
}
report() { # case what run rows page ms (uses T_WALL T_RSS_MB T_CPU of the last bench_time)
  local rate
  rate=$(( $4 * 1000 / ($6 > 0 ? $6 : 1) ))
  printf "%-10s %-8s %10d %7d %9.2f %12d %8.1f %8d %7.2f\n" "$1" "$2" "$4" "$5" "$(awk -v m="$6" 'BEGIN {print m / 1000}')" "$rate" "$T_WALL" "$T_RSS_MB" "$T_CPU" \
    | tee -a "$WORK/results.txt"
  echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,$JVM,$1,$2,$3,$4,$5,$(awk -v m="$6" 'BEGIN {print m / 1000}'),$rate,$T_WALL,$T_RSS_MB,$T_CPU" >> "$CSV"
}

measure small "$ROWS" "$PAGE_SMALL"
measure 1mb "$ROWS" "$PAGE_BIG"
measure 1mb-x2 $((ROWS * 2)) "$PAGE_BIG"
