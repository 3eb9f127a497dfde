#!/usr/bin/env bash
# Scheduler benchmark: N connections with interval schedules on one server, each a tiny sync (faker users, count 10, full
# refresh overwrite into its own namespace of a local lake). Applies them all through POST /api/v1/apply (one YAML
# document), lets them run, stops the server, reads every job from its metadata store and reports the trigger-to-start lag
# (started_at - scheduled_at, the Quartz trigger's scheduled fire time) p50/p99/max, jobs/min, failures and the peak RSS.
#
# Usage: bench/scheduler.sh [connections=2000] [interval=10s] [seconds=120]
# Environment: HEAP=512m (-Xmx), JAVA_FLAGS (more JVM flags, e.g. -XX:+UseParallelGC), MBEANS (Camel's JMX level: Default keeps
#              an MBean per route for Hawtio; ContextOnly), THREADS (caravan.scheduler.threads; default: the server's), STATE_URL (metadata store;
#              default: the embedded H2; e.g. STATE_URL=jdbc:postgresql://127.0.0.1:5432/caravan_sched CARAVAN_STATE_USER=postgres,
#              an empty database that exists), BUILD=1. Appends a CSV row to bench/results/scheduler.csv.
# Results of the README: HEAP=512m (the default) with and without STATE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CONNECTIONS=${1:-2000}
EVERY=${2:-10s}
SECONDS_TO_RUN=${3:-120}
HEAP=${HEAP:-512m}
JAVA_FLAGS=${JAVA_FLAGS:-}
read -r -a JAVA_FLAG_ARRAY <<<"$JAVA_FLAGS"
WORK=target/bench/scheduler
rm -rf "$WORK"
mkdir -p "$WORK/home" bench/results
bench_build
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- components src state-repo 2>/dev/null || echo +dirty)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
API=http://127.0.0.1:$PORT/api/v1

bench_scheduled_connections "$CONNECTIONS" "$EVERY" "$PWD/$WORK/lake" > "$WORK/connections.yaml"

env=(CARAVAN_HTTP_PORT="$PORT")
[ -n "${MBEANS:-}" ] && env+=(CAMEL_MAIN_JMXMANAGEMENTMBEANSLEVEL="$MBEANS")
[ -n "${THREADS:-}" ] && env+=(CARAVAN_SCHEDULER_THREADS="$THREADS")
[ -n "${STATE_URL:-}" ] && env+=(CARAVAN_STATE_URL="$STATE_URL")
env "${env[@]}" /usr/bin/time -v -o "$WORK/server.time" java -Xmx"$HEAP" "${JAVA_FLAG_ARRAY[@]}" -jar target/caravan.jar serve --home "$WORK/home" \
  > "$WORK/server.out" 2>&1 &
TIME_PID=$!
stop_server() {
  local java_pid
  java_pid=$(pgrep -P "$TIME_PID" java || true)
  [ -n "$java_pid" ] && kill -TERM "$java_pid" 2>/dev/null || true
  wait "$TIME_PID" 2>/dev/null || true
}
trap stop_server EXIT
for _ in $(seq 1 120); do
  curl -fs "$API/connections" >/dev/null 2>&1 && break
  sleep 0.5
done

echo "Applying $CONNECTIONS connections (every $EVERY) through POST /api/v1/apply"
APPLY_START=$(date +%s.%N)
curl -fsS -X POST -H 'Content-Type: application/yaml' --data-binary "@$WORK/connections.yaml" "$API/apply" -o "$WORK/apply.json" \
  || { echo "apply failed:"; cat "$WORK/apply.json" 2>/dev/null; tail -20 "$WORK/server.out"; exit 1; }
APPLY_END=$(date +%s.%N)
APPLY_S=$(awk -v a="$APPLY_START" -v b="$APPLY_END" 'BEGIN {printf "%.1f", b - a}')
echo "  applied in $APPLY_S s; running for $SECONDS_TO_RUN s"
RSS_PEAK=0
for _ in $(seq 1 "$SECONDS_TO_RUN"); do
  sleep 1
  java_pid=$(pgrep -P "$TIME_PID" java || true)
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$java_pid/status" 2>/dev/null || echo 0)
  [ "$rss" -gt "$RSS_PEAK" ] && RSS_PEAK=$rss
done
END_EPOCH=$(date +%s.%N)

stop_server
trap - EXIT

# Every job of every connection, read from the metadata store once the server has stopped (asking the API for 2,000
# connections' histories while 2,000 schedules keep firing would measure the API instead). scheduled_at is the trigger's
# scheduled fire time.
QUERY="SELECT connection_name, status, started_at, ended_at, scheduled_at, node_id FROM caravan_job"
if [ -n "${STATE_URL:-}" ]; then
  # STATE_URL=jdbc:postgresql://host:port/db: the same database through psql
  pg=${STATE_URL#jdbc:postgresql://}
  psql -h "${pg%%:*}" -p "$(echo "$pg" | sed -E 's#[^:]*:([0-9]+)/.*#\1#')" -U postgres -d "${pg##*/}" -v ON_ERROR_STOP=1 \
    -c "\\copy ($QUERY) to '$PWD/$WORK/jobs.csv' csv header"
else
  java -cp target/caravan.jar org.h2.tools.Shell -url "jdbc:h2:file:$PWD/$WORK/home/data/caravan-state" -user "" -password "" \
    -sql "CALL CSVWRITE('$PWD/$WORK/jobs.csv', '$QUERY')" > /dev/null
fi
python3 bench/scheduler_report.py "$WORK/jobs.csv" "$APPLY_END" "$END_EPOCH" > "$WORK/report.txt"
cat "$WORK/report.txt"
PEAK_TIME=$(awk '/Maximum resident set size/ {printf "%d", $NF / 1024}' "$WORK/server.time")
CPU=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.1f", u + s}' "$WORK/server.time")
echo "apply_s=$APPLY_S peak_rss_mb=$PEAK_TIME cpu_s=$CPU (server, whole run)"
grep -E "ERROR|Exception" "$WORK/server.out" | sort | uniq -c | sort -rn | head -5 || true
CSV=bench/results/scheduler.csv
[ -f "$CSV" ] || echo "date,commit,machine,heap,scheduler_threads,state,connections,interval,seconds,apply_s,jobs,lag_p50_ms,lag_p99_ms,lag_max_ms,job_p50_ms,jobs_per_min,peak_rss_mb,cpu_s,statuses" > "$CSV"
lag=$(sed -nE 's/lag_ms p50=([^ ]+) p99=([^ ]+) max=([^ ]+).*/\1,\2,\3/p' "$WORK/report.txt")
jobms=$(sed -nE 's/job_ms p50=([^ ]+).*/\1/p' "$WORK/report.txt")
jpm=$(sed -nE 's/jobs_per_min=(.*)/\1/p' "$WORK/report.txt")
jobs=$(sed -nE 's/jobs=([0-9]+).*/\1/p' "$WORK/report.txt")
statuses=$(sed -nE 's/.*statuses=(.*)/\1/p' "$WORK/report.txt" | tr -d ' "{}' | tr ',:' ';=')
state=$([ -n "${STATE_URL:-}" ] && echo postgres || echo h2)
echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,$HEAP ${JAVA_FLAGS//,/;} ${MBEANS:+mbeans=$MBEANS},${THREADS:-default},$state,$CONNECTIONS,$EVERY,$SECONDS_TO_RUN,$APPLY_S,$jobs,$lag,$jobms,$jpm,$PEAK_TIME,$CPU,$statuses" >> "$CSV"
