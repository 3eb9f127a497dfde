#!/usr/bin/env bash
# Alternating before/after copies: the full refresh of table t that bench/run.sh prepared (database caravan_bench) into a
# local folder, with the README's one-shot command (`java -jar <jar> serve --apply … --sync local --exit`, no JVM flags),
# once with each jar of JARS in turn, PAIRS times. No floor and no read limit: for comparing two builds (or two sets of
# flags), where this machine's run-to-run noise (10–20% on a shared VM) needs many alternating pairs to see a 5% change.
# Prints per run the job's duration (from its history line), the wall time, CPU time and peak RSS of the whole command,
# then per jar the median and the range of each.
#
# Usage: bench/ab.sh [pairs=5]
# Environment: JARS="target/caravan.jar" (one or more jars; their runs alternate), DB=postgres|mariadb,
#              OPTS_A / OPTS_B (JVM flags for the server of the first / second jar, through CARAVAN_JAVA_OPTS; with one jar
#              listed twice this compares two sets of flags), SPLIT=off (the stream's split_reads).
# Needs the table of a previous bench/run.sh (PREPARE=0 there reuses it). Each jar gets its own class-data-sharing archive
# (a temp folder), written by a warm-up run before the measured ones. Appends a CSV row per run to bench/results/ab.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PAIRS=${1:-5}
read -r -a JAR_LIST <<<"${JARS:-target/caravan.jar}"
DB=${DB:-postgres}
SPLIT=${SPLIT:-off}
[ -f target/caravan.jar ] || mvn -B -q -DskipTests package
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CSV=bench/results/ab.csv
[ -f "$CSV" ] || echo "date,commit,machine,jar,flags,db,run,rows,job_ms,wall_s,cpu_s,peak_rss_mb" > "$CSV"
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo none)
if [ "$DB" = postgres ]; then
  SOURCE="{name: db, connector: postgres, config: {host: 127.0.0.1, port: 5432, database: caravan_bench, username: postgres, ssl_mode: disable}}"
  STREAM=public.t
else
  SOURCE="{name: db, connector: mysql, config: {host: 127.0.0.1, port: 3306, database: caravan_bench, username: root}}"
  STREAM=caravan_bench.t
fi

flags_of() { # index of the jar in JARS
  if [ "$1" = 0 ]; then echo "${OPTS_A:-}"; else echo "${OPTS_B:-}"; fi
}

# copy INDEX RUN: one sync of connection "local" in a fresh home with jar INDEX; sets JOB_MS and ROWS, and T_* (bench_time)
copy() {
  local jar=${JAR_LIST[$1]} home=$WORK/home-$1-$2
  mkdir -p "$home"
  cat > "$home/doc.yaml" <<YAML
sources:
  - $SOURCE
destinations:
  - {name: lake, connector: local, config: {path: "$home/lake"}}
connections:
  - {name: local, source: db, destination: lake, streams: [{name: $STREAM, sync_mode: full_refresh_overwrite, split_reads: "$SPLIT"}]}
YAML
  CARAVAN_JAVA_OPTS="$(flags_of "$1")" CARAVAN_HTTP_PORT=0 bench_time "$home/run" java -Djava.io.tmpdir="$WORK/tmp-$1" -jar "$jar" serve \
    --home "$home" --apply "$home/doc.yaml" --sync local --exit || { tail -30 "$home/run.out"; exit 1; }
  local line
  line=$(grep -m1 -E "Job [0-9]+ of local: SUCCEEDED" "$home/run.out")
  JOB_MS=$(sed -E 's/.* in ([0-9]+) ms.*/\1/' <<<"$line")
  ROWS=$(sed -E 's/.*— ([0-9,]+) records.*/\1/' <<<"$line" | tr -d ,)
  rm -rf "$home/lake"
}

for i in "${!JAR_LIST[@]}"; do
  mkdir -p "$WORK/tmp-$i"
  echo "warm-up of ${JAR_LIST[$i]} (writes its class-data-sharing archive)"
  copy "$i" 0
done
printf '%-40s %-30s %4s %9s %8s %7s %8s\n' jar flags run job_ms wall_s cpu_s rss_mb
declare -A RESULTS
for run in $(seq 1 "$PAIRS"); do
  for i in "${!JAR_LIST[@]}"; do
    copy "$i" "$run"
    printf '%-40s %-30s %4s %9s %8s %7s %8s\n' "${JAR_LIST[$i]}" "$(flags_of "$i")" "$run" "$JOB_MS" "$T_WALL" "$T_CPU" "$T_RSS_MB"
    RESULTS["$i|job"]+="$JOB_MS "
    RESULTS["$i|wall"]+="$T_WALL "
    RESULTS["$i|cpu"]+="$T_CPU "
    RESULTS["$i|rss"]+="$T_RSS_MB "
    echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,$(basename "${JAR_LIST[$i]}"),\"$(flags_of "$i")\",$DB,$run,$ROWS,$JOB_MS,$T_WALL,$T_CPU,$T_RSS_MB" >> "$CSV"
  done
done
echo
echo "Medians [ranges] of $PAIRS run(s) each ($MACHINE):"
for i in "${!JAR_LIST[@]}"; do
  summary=""
  for what in job wall cpu rss; do
    summary+=" $what $(bench_median <<<"${RESULTS["$i|$what"]}") [$(bench_range <<<"${RESULTS["$i|$what"]}")]"
  done
  printf '  %-60s%s (job ms, wall and cpu s, rss MB)\n' "${JAR_LIST[$i]} $(flags_of "$i")" "$summary"
done
