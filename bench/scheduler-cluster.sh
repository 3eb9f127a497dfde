#!/usr/bin/env bash
# Scheduler benchmark of a cluster: NODES servers (cluster mode) on one PostgreSQL metadata store, N connections with
# interval schedules (each a tiny faker sync into its own namespace of a shared local lake), applied through node 1.
# Lets them run, stops the nodes, exports every job from the store and reports trigger-to-start lag p50/p99/max,
# jobs/min, double runs (must be 0: two jobs for one fire time of one connection), jobs per node and each node's peak RSS.
#
# Usage: bench/scheduler-cluster.sh [connections=10000] [interval=1m] [seconds=600]
# Environment: NODES=3, HEAP=512m (-Xmx per node), MBEANS (Camel's JMX level, e.g. ContextOnly), THREADS
#              (caravan.scheduler.threads), PGHOST/PGPORT (the PostgreSQL to use, 127.0.0.1:5432, user postgres; the
#              database caravan_sched_cluster is dropped and created), BUILD=1. Appends a row to bench/results/scheduler-cluster.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CONNECTIONS=${1:-10000}
EVERY=${2:-1m}
SECONDS_TO_RUN=${3:-600}
NODES=${NODES:-3}
HEAP=${HEAP:-512m}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
DB=caravan_sched_cluster
WORK=target/bench/scheduler-cluster
rm -rf "$WORK"
mkdir -p "$WORK" bench/results
bench_build
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- components src state-repo 2>/dev/null || echo +dirty)
psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
STATE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=postgres"

bench_scheduled_connections "$CONNECTIONS" "$EVERY" "$PWD/$WORK/lake" > "$WORK/connections.yaml"

PIDS=()
PORTS=()
stop_nodes() {
  for pid in "${PIDS[@]}"; do
    java_pid=$(pgrep -P "$pid" java || true)
    [ -n "$java_pid" ] && kill -TERM "$java_pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_nodes EXIT
# one master key for all nodes: each must open the secrets the others stored
MASTER_KEY=$(head -c 32 /dev/urandom | base64)
for n in $(seq 1 "$NODES"); do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$WORK/node$n"
  env=(CARAVAN_HTTP_PORT="$port" CARAVAN_STATE_URL="$STATE_URL" CARAVAN_CLUSTER_ENABLED=true CARAVAN_CLUSTER_NODE_ID="node$n"
       CARAVAN_MASTER_KEY="$MASTER_KEY" CARAVAN_HTTP_MAX_BODY_BYTES=$((64 * 1024 * 1024)))  # 10,000 connections are ~2 MB of YAML
  [ -n "${MBEANS:-}" ] && env+=(CAMEL_MAIN_JMXMANAGEMENTMBEANSLEVEL="$MBEANS")
  [ -n "${THREADS:-}" ] && env+=(CARAVAN_SCHEDULER_THREADS="$THREADS")
  env "${env[@]}" /usr/bin/time -v -o "$WORK/node$n.time" java -Xmx"$HEAP" -jar target/caravan.jar serve --home "$WORK/node$n" \
    > "$WORK/node$n.out" 2>&1 &
  PIDS+=($!)
  PORTS+=("$port")
  # the first node migrates the store before the others start
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$port/api/v1/connections" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
API=http://127.0.0.1:${PORTS[0]}/api/v1

echo "Applying $CONNECTIONS connections (every $EVERY) through node 1 of $NODES"
APPLY_START=$(date +%s.%N)
curl -fsS -X POST -H 'Content-Type: application/yaml' --data-binary "@$WORK/connections.yaml" "$API/apply" -o "$WORK/apply.json" \
  || { echo "apply failed:"; cat "$WORK/apply.json" 2>/dev/null; tail -20 "$WORK/node1.out"; exit 1; }
APPLY_END=$(date +%s.%N)
APPLY_S=$(awk -v a="$APPLY_START" -v b="$APPLY_END" 'BEGIN {printf "%.1f", b - a}')
echo "  applied in $APPLY_S s; running for $SECONDS_TO_RUN s"
sleep "$SECONDS_TO_RUN"
END_EPOCH=$(date +%s.%N)
stop_nodes
trap - EXIT

psql -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" -v ON_ERROR_STOP=1 \
  -c "\\copy (SELECT connection_name, status, started_at, ended_at, scheduled_at, node_id FROM caravan_job) to '$PWD/$WORK/jobs.csv' csv header"
python3 bench/scheduler_report.py "$WORK/jobs.csv" "$APPLY_END" "$END_EPOCH" > "$WORK/report.txt"
RSS=""
for n in $(seq 1 "$NODES"); do
  RSS="$RSS${RSS:+;}node$n=$(awk '/Maximum resident set size/ {printf "%d", $NF / 1024}' "$WORK/node$n.time")"
done
cat "$WORK/report.txt"
echo "apply_s=$APPLY_S peak_rss_mb=$RSS"
for n in $(seq 1 "$NODES"); do
  grep -E "ERROR|Exception" "$WORK/node$n.out" | sort | uniq -c | sort -rn | head -3 || true
done
CSV=bench/results/scheduler-cluster.csv
[ -f "$CSV" ] || echo "date,commit,machine,nodes,heap,connections,interval,seconds,apply_s,jobs,lag_p50_ms,lag_p99_ms,lag_max_ms,jobs_per_min,double_runs,jobs_by_node,peak_rss_mb" > "$CSV"
lag=$(sed -nE 's/lag_ms p50=([^ ]+) p99=([^ ]+) max=([^ ]+).*/\1,\2,\3/p' "$WORK/report.txt")
jpm=$(sed -nE 's/jobs_per_min=(.*)/\1/p' "$WORK/report.txt")
jobs=$(sed -nE 's/jobs=([0-9]+).*/\1/p' "$WORK/report.txt")
doubles=$(sed -nE 's/double_runs=(.*)/\1/p' "$WORK/report.txt")
bynode=$(sed -nE 's/jobs_by_node=(.*)/\1/p' "$WORK/report.txt")
echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,$NODES,$HEAP,$CONNECTIONS,$EVERY,$SECONDS_TO_RUN,$APPLY_S,$jobs,$lag,$jpm,$doubles,$bynode,$RSS" >> "$CSV"
