#!/usr/bin/env bash
# Start-up of the README's commands, each in a fresh home, as alternating runs of one or two builds:
#   one-shot  java -jar caravan.jar serve --apply doc.yaml --sync c --exit   (no HTTP, no MBeans)
#   server    java -jar caravan.jar serve --apply doc.yaml --sync c          (REST API, web UI, Hawtio, JMX; stopped with
#             SIGTERM once it says it is running)
# of a 1,000-row PostgreSQL table into a local folder. Prints per run the milliseconds from the command to "Caravan
# started" and to the source's first read, and the start phases of the server's debug line; then the medians per build.
#
# Usage: bench/server-start.sh [runs=5]
# Environment: JARS="target/caravan.jar" (one or two jars, e.g. JARS="/tmp/before.jar target/caravan.jar": their runs
#              alternate), MODES="one-shot server".
# Each jar gets its own class-data-sharing archive (a temp folder), written by one one-shot run before the measured runs.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), database test; creates and drops the table start_bench.
# Appends a CSV row per measured run to bench/results/server-start.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${1:-5}
JARS=${JARS:-target/caravan.jar}
MODES=${MODES:-one-shot server}
[ -f target/caravan.jar ] || mvn -B -q -DskipTests package
WORK=$(mktemp -d)
cleanup() {
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP TABLE IF EXISTS start_bench" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -U postgres -d test -c "DROP TABLE IF EXISTS start_bench; CREATE TABLE start_bench(id bigint PRIMARY KEY, name text,
  amount numeric(12,2), updated_at timestamp); INSERT INTO start_bench SELECT g, 'name ' || g, g * 1.5, now() FROM generate_series(1, 1000) g"
CSV=bench/results/server-start.csv
[ -f "$CSV" ] || echo "date,commit,machine,jar,mode,run,started_ms,first_read_ms,phases" > "$CSV"
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo none)

log_ms() { # HH:MM:SS.mmm (UTC, today) -> ms since the epoch
  date -u -d "$(date -u +%F) $1" +%s%3N
}

# start JAR CDS_DIR MODE: one run in a fresh home; sets STARTED_MS, FIRST_MS, PHASES
start() {
  local jar=$1 cds=$2 mode=$3 home
  home=$(mktemp -d "$WORK/home.XXXX")
  cat > "$home/doc.yaml" <<YAML
sources:
  - {name: db, connector: postgres, config: {host: 127.0.0.1, port: 5432, database: test, username: postgres, ssl_mode: disable}}
destinations:
  - {name: lake, connector: local, config: {path: "$home/lake"}}
connections:
  - {name: c, source: db, destination: lake, streams: [{name: public.start_bench, sync_mode: full_refresh_overwrite, primary_key: [id]}]}
YAML
  local t0 out=$home/out
  t0=$(date -u +%s%3N)
  if [ "$mode" = one-shot ]; then
    CARAVAN_HTTP_PORT=0 java -Djava.io.tmpdir="$cds" -Dcaravan.log.level=DEBUG -jar "$jar" serve --home "$home" --apply "$home/doc.yaml" \
      --sync c --exit > "$out" 2>&1 || { tail -20 "$out"; exit 1; }
  else
    java -Djava.io.tmpdir="$cds" -Dcaravan.http.port=0 -Dcaravan.log.level=DEBUG -jar "$jar" serve --home "$home" --apply "$home/doc.yaml" \
      --sync c > "$out" 2>&1 &
    local pid=$! attempt
    for attempt in $(seq 1 300); do
      grep -q 'Caravan is running' "$out" && break
      kill -0 "$pid" 2>/dev/null || { tail -20 "$out"; exit 1; }
      sleep 0.1
    done
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  local started first
  started=$(grep -m1 -oE '^[0-9:.]{12} .*Caravan started' "$out" | cut -c1-12)
  first=$(grep -m1 -oE '^[0-9:.]{12} .* Reading stream' "$out" | cut -c1-12)
  [ -n "$started" ] && [ -n "$first" ] || { echo "no start or read in $out:"; tail -20 "$out"; exit 1; }
  STARTED_MS=$(( $(log_ms "$started") - t0 ))
  FIRST_MS=$(( $(log_ms "$first") - t0 ))
  PHASES=$(grep -m1 -o 'Start phases: .*' "$out" | cut -d' ' -f3- || true)
}

read -r -a JAR_LIST <<<"$JARS"
declare -A CDS_DIR RESULTS
for jar in "${JAR_LIST[@]}"; do
  [ -f "$jar" ] || { echo "no jar $jar"; exit 1; }
  CDS_DIR[$jar]=$(mktemp -d "$WORK/cds.XXXX")
  start "$jar" "${CDS_DIR[$jar]}" one-shot   # writes the jar's archive, as a user's first run does
done
printf "%-36s %-9s %4s %11s %13s  %s\n" jar mode run started_ms first_read_ms "start phases"
for run in $(seq 1 "$RUNS"); do
  for mode in $MODES; do
    for jar in "${JAR_LIST[@]}"; do
      start "$jar" "${CDS_DIR[$jar]}" "$mode"
      printf "%-36s %-9s %4s %11s %13s  %s\n" "$jar" "$mode" "$run" "$STARTED_MS" "$FIRST_MS" "$PHASES"
      echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,$(basename "$jar"),$mode,$run,$STARTED_MS,$FIRST_MS,\"$PHASES\"" >> "$CSV"
      RESULTS["$jar|$mode|started"]+="$STARTED_MS "
      RESULTS["$jar|$mode|first"]+="$FIRST_MS "
    done
  done
done
echo
echo "Medians of $RUNS run(s) ($MACHINE):"
for mode in $MODES; do
  for jar in "${JAR_LIST[@]}"; do
    printf "  %-36s %-9s started %6s ms, first read %6s ms\n" "$jar" "$mode" \
      "$(bench_median <<<"${RESULTS["$jar|$mode|started"]}")" "$(bench_median <<<"${RESULTS["$jar|$mode|first"]}")"
  done
done
