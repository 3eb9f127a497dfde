#!/usr/bin/env bash
# Caravan against the speed of light: copies t(id bigint primary key, name text, amount numeric(12,2), updated_at timestamp)
# to snappy Parquet and compares, in one run, on the same data:
#   read limit  psql \copy (the query Caravan sends) to /dev/null   (MariaDB: mysql --quick > /dev/null)
#   floor       bench/src/FloorCopy.java: one thread, pgjdbc/MariaDB streaming -> parquet-java, no metadata columns, run with
#               the JVM flags that made it fastest here (FLOOR_FLAGS) and the driver settings that decode fastest (binary
#               transfer of integers and timestamps on PostgreSQL, as Caravan's postgres connector uses)
#   caravan     java -jar "${CARAVAN_JAR:-target/caravan.jar}" serve --apply <yaml> --sync <connection> --exit — the README's command,
#               no JVM flags (the launcher's defaults) unless CARAVAN_FLAGS/HEAP say otherwise — into local Parquet
#               (caravan-local), into a bucket of S3Proxy started on loopback (caravan-s3; S3=0 skips it), and, for peak RSS
#               against the number of rows, locally from a table of a tenth of the rows (caravan-tenth); for a full refresh also
#               with the stream read as SPLIT primary-key ranges in parallel (caravan-split: split_reads, into local Parquet)
# for a full refresh and for an incremental sync after 1% of the rows changed, on PostgreSQL and on MariaDB; then checks
# the targets of issue #23 (PASS/FAIL table, appended to bench/results/targets.csv).
#
# Usage: bench/run.sh [rows=1000000]
# Environment: RUNS=2 (runs of each measurement; the table shows the best), CARAVAN_FLAGS="" (JVM flags for Caravan; none: the
#              launcher's defaults), HEAP= (shorthand: -Xmx for Caravan), FLOOR_FLAGS="-Xmx320m -XX:+UseSerialGC -XX:CompileThresholdScaling=3" (the floor's; -XX:+UseParallelGC above 2 cores),
#              ENCODING_THREADS=0 (the destinations' encoding_threads; 0: their default, half the cores), DBS="postgres mariadb", S3=1,
#              MODES="full incremental", SPLIT=4 (ranges of the caravan-split run, 2-8), PREPARE=0 (reuse the tables of the last run; incremental runs change them),
#              CARAVAN_JAR=path (another build of Caravan, for before/after comparisons), JFR=1 (record Caravan's runs, with JFR_SETTINGS=file.jfc or profile, into
#              target/bench/*.jfr; see bench/jfr-top.py), BUILD=1.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and MariaDB on 127.0.0.1:3306 (root, no password); each gets a
# database caravan_bench, dropped and recreated. Appends a CSV row per measured run to bench/results/jdbc.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${1:-1000000}
RUNS=${RUNS:-2}
HEAP=${HEAP:-}
CARAVAN_FLAGS=${CARAVAN_FLAGS:-}${HEAP:+ -Xmx$HEAP}
# the launcher's collector rule (serial on 2 cores or fewer), which measured as fast or faster for the floor too
# and its compilation rule (CompileThresholdScaling=3 on 2 cores or fewer), which took the floor 0.6 CPU-s less here too
FLOOR_FLAGS=${FLOOR_FLAGS:--Xmx320m $([ "$(nproc)" -le 2 ] && echo -XX:+UseSerialGC -XX:CompileThresholdScaling=3 || echo -XX:+UseParallelGC)}
ENCODING_THREADS=${ENCODING_THREADS:-0}
S3=${S3:-1}
SPLIT=${SPLIT:-4}
read -r -a CARAVAN_FLAG_ARRAY <<<"$CARAVAN_FLAGS"
read -r -a FLOOR_FLAG_ARRAY <<<"$FLOOR_FLAGS"
# the launcher keeps its class-data-sharing archive in the temp folder: this run's warm-up writes it, the measured runs use it
CARAVAN_TMP=$PWD/target/bench/tmp
mkdir -p "$CARAVAN_TMP"
# PostgreSQL: binary transfer (integers, timestamps) decodes faster than text; numeric stays text, which decodes faster
PG_URL_PARAMS="prepareThreshold=-1&binaryTransferDisable=NUMERIC"
DBS=${DBS:-postgres mariadb}
MODES=${MODES:-full incremental}
WORK=target/bench/run
rm -rf "$WORK"
mkdir -p "$WORK" bench/results
bench_build
MACHINE=$(bench_machine)
if [ "$S3" = 1 ]; then
  trap bench_stop_s3proxy EXIT
  bench_start_s3proxy "$WORK"
fi
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- components src 2>/dev/null || echo +dirty)
# with CARAVAN_JAR, the Caravan rows measured another build: say which
[ -n "${CARAVAN_JAR:-}" ] && COMMIT="$(basename "$CARAVAN_JAR") (bench $COMMIT)"
CSV=bench/results/jdbc.csv
[ -f "$CSV" ] || echo "date,commit,machine,jvm,db,mode,rows_in_table,what,run,rows,copy_s,rows_per_s,src_mb_per_s,out_mb,wall_s,peak_rss_mb,cpu_s,first_row_s" > "$CSV"
RESULTS=$WORK/results.txt
: > "$RESULTS"
COLUMNS_SQL="id, name, amount, updated_at"
FULL_ORDER="ORDER BY id"

psql_() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
maria_() { mysql -h 127.0.0.1 -u root "$@"; }

prepare_postgres() {
  psql_ -d postgres -c "DROP DATABASE IF EXISTS caravan_bench" -c "CREATE DATABASE caravan_bench"
  psql_ -d caravan_bench <<SQL
CREATE TABLE t (id bigint PRIMARY KEY, name text, amount numeric(12,2), updated_at timestamp);
INSERT INTO t SELECT i, 'name ' || md5(i::text), (i % 1000000) / 100.0, timestamp '2024-01-01' + i * interval '1 second'
  FROM generate_series(1, $ROWS) i;
CREATE INDEX t_updated_at ON t (updated_at, id);
CREATE TABLE t_tenth (LIKE t INCLUDING ALL);
INSERT INTO t_tenth SELECT * FROM t WHERE id <= $ROWS / 10;
CREATE TABLE t_warm (LIKE t INCLUDING ALL);
INSERT INTO t_warm SELECT * FROM t WHERE id <= 1000;
VACUUM ANALYZE t;
VACUUM ANALYZE t_tenth;
SQL
}

prepare_mariadb() {
  maria_ -e "DROP DATABASE IF EXISTS caravan_bench; CREATE DATABASE caravan_bench"
  maria_ caravan_bench <<SQL
CREATE TABLE t (id bigint PRIMARY KEY, name text, amount decimal(12,2), updated_at datetime(6), KEY t_updated_at (updated_at, id));
INSERT INTO t SELECT seq, CONCAT('name ', MD5(seq)), (seq % 1000000) / 100, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND
  FROM seq_1_to_$ROWS;
CREATE TABLE t_tenth LIKE t;
INSERT INTO t_tenth SELECT * FROM t WHERE id <= $ROWS DIV 10;
CREATE TABLE t_warm LIKE t;
INSERT INTO t_warm SELECT * FROM t WHERE id <= 1000;
ANALYZE TABLE t;
ANALYZE TABLE t_tenth;
SQL
}

# Bytes of the rows as COPY text (tab separated, newline terminated): the source data size for the MB/s column.
source_bytes() { # db where-clause
  local sum="sum(length(id::text) + length(name) + length(amount::text) + length(updated_at::text) + 4)"
  if [ "$1" = postgres ]; then
    psql_ -d caravan_bench -Atc "SELECT coalesce($sum, 0) FROM t $2"
  else
    maria_ -N caravan_bench -e "SELECT coalesce(sum(length(id) + length(name) + length(amount) + length(updated_at) + 4), 0) FROM t $2"
  fi
}

# The last (updated_at, id) in cursor order: where an incremental sync that has read everything stands.
last_position() {
  if [ "$1" = postgres ]; then
    psql_ -d caravan_bench -Atc "SELECT updated_at || '|' || id FROM t ORDER BY updated_at DESC, id DESC LIMIT 1"
  else
    maria_ -N caravan_bench -e "SELECT CONCAT(updated_at, '|', id) FROM t ORDER BY updated_at DESC, id DESC LIMIT 1"
  fi
}

# Moves 1% of the rows (a different 1% each time) past the end of the cursor, as an application updating them would.
change_one_percent() { # db residue
  if [ "$1" = postgres ]; then
    psql_ -d caravan_bench -c "UPDATE t SET updated_at = m.ts + (t.id / 100) * interval '1 millisecond' FROM (SELECT max(updated_at) ts FROM t) m WHERE t.id % 100 = $2" \
      -c "VACUUM ANALYZE t"
  else
    maria_ caravan_bench -e "UPDATE t JOIN (SELECT max(updated_at) ts FROM t) m SET t.updated_at = m.ts + INTERVAL (t.id DIV 100) * 1000 MICROSECOND WHERE t.id % 100 = $2; ANALYZE TABLE t" >/dev/null
  fi
}

# record LABEL WHAT RUN ROWS COPY_S OUT_BYTES SRC_BYTES: appends a CSV row and a line for the summary table.
record() {
  local label=$1 what=$2 run=$3 rows=$4 copy_s=$5 out_bytes=$6 src_bytes=$7
  local rate src_mbs out_mb
  rate=$(awk -v r="$rows" -v s="$copy_s" 'BEGIN {printf "%d", (s > 0 ? r / s : 0)}')
  src_mbs=$(awk -v b="$src_bytes" -v s="$copy_s" 'BEGIN {printf "%.1f", (s > 0 ? b / 1e6 / s : 0)}')
  out_mb=$(awk -v b="$out_bytes" 'BEGIN {printf "%.1f", b / 1e6}')
  local jvm
  jvm=$([ "$what" = floor ] && echo "floor: $FLOOR_FLAGS" || echo "caravan: ${CARAVAN_FLAGS:-launcher defaults}")
  echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,${jvm//,/;} threads=$ENCODING_THREADS,$DB,$MODE,$ROWS,$what,$run,$rows,$copy_s,$rate,$src_mbs,$out_mb,$T_WALL,$T_RSS_MB,$T_CPU,${FIRST_ROW_S:-}" >> "$CSV"
  echo "$label|$what|$run|$rows|$copy_s|$rate|$src_mbs|$out_mb|$T_WALL|$T_RSS_MB|$T_CPU|${FIRST_ROW_S:-}" >> "$RESULTS"
  printf "  %-9s run %d: %10d rows in %7.2f s = %9d rows/s, wall %6.2f s, peak RSS %5d MB, CPU %6.2f s%s\n" "$what" "$run" "$rows" "$copy_s" "$rate" \
    "$T_WALL" "$T_RSS_MB" "$T_CPU" "${FIRST_ROW_S:+, first row after ${FIRST_ROW_S} s}"
  FIRST_ROW_S=
}

read_limit() { # query src_bytes run
  local out=$WORK/$DB-$MODE-read-$3
  if [ "$DB" = postgres ]; then
    bench_time "$out" psql -h 127.0.0.1 -U postgres -d caravan_bench -c "\\copy ($1) to /dev/null"
    local rows
    rows=$(sed -nE 's/^COPY ([0-9]+)/\1/p' "$out.out")
  else
    bench_time "$out" sh -c "mysql -h 127.0.0.1 -u root --quick -N caravan_bench -e \"$1\" > /dev/null"
    rows=$(maria_ -N caravan_bench -e "SELECT count(*) FROM ($1) q")
  fi
  record "$LABEL" read-limit "$3" "$rows" "$T_WALL" 0 "$2"
}

floor() { # query src_bytes run
  local out=$WORK/$DB-$MODE-floor-$3 url
  url=$([ "$DB" = postgres ] && echo "jdbc:postgresql://127.0.0.1:5432/caravan_bench?$PG_URL_PARAMS" || echo jdbc:mariadb://127.0.0.1:3306/caravan_bench)
  local user
  user=$([ "$DB" = postgres ] && echo postgres || echo root)
  bench_time "$out" java "${FLOOR_FLAG_ARRAY[@]}" -cp target/bench/classes:target/caravan.jar FloorCopy "$url" "$user" "$1" "$WORK/floor.parquet" \
    || { cat "$out.out"; exit 1; }
  local line
  line=$(grep '^FLOOR' "$out.out")
  local rows ms bytes
  rows=$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$line")
  ms=$(sed -E 's/.* ms=([0-9]+).*/\1/' <<<"$line")
  bytes=$(sed -E 's/.*bytes=([0-9]+).*/\1/' <<<"$line")
  record "$LABEL" floor "$3" "$rows" "$(awk -v m="$ms" 'BEGIN {printf "%.3f", m / 1000}')" "$bytes" "$2"
}

# The connections "local" (local Parquet under home/lake) and, with S3=1, "s3" (the S3Proxy bucket, under the home's name)
# of the same stream and mode.
write_connections() { # home sync_mode
  local source
  if [ "$DB" = postgres ]; then
    source="{name: db, connector: postgres, config: {host: 127.0.0.1, port: 5432, database: caravan_bench, username: postgres, ssl_mode: disable}}"
  else
    source="{name: db, connector: mysql, config: {host: 127.0.0.1, port: 3306, database: caravan_bench, username: root}}"
  fi
  local stream schema
  schema=$([ "$DB" = postgres ] && echo public || echo caravan_bench)
  stream=$schema.t
  # one stream read by one query (split_reads auto would split t once it has 2M rows): the copy the floor is compared with
  local extra=", split_reads: \"off\""
  [ "$2" = incremental_append ] && extra="$extra, cursor_field: updated_at, primary_key: [id]"
  mkdir -p "$1"
  local s3_destination="" s3_connection="" split_connection=""
  # the same stream read as $SPLIT key ranges in parallel (full refresh only: incremental streams are never split)
  [ "$2" != incremental_append ] && split_connection="  - {name: split, source: db, destination: lake, namespace: split, streams: [{name: $stream, sync_mode: $2, split_reads: $SPLIT}]}"
  if [ "$S3" = 1 ]; then
    s3_destination="  - {name: bucket, connector: s3, config: $(bench_s3_config "$(basename "$1")" "encoding_threads: $ENCODING_THREADS")}"
    s3_connection="  - {name: s3, source: db, destination: bucket, streams: [{name: $stream, sync_mode: $2$extra}]}"
  fi
  cat > "$1/bench.yaml" <<YAML
sources:
  - $source
destinations:
  - {name: lake, connector: local, config: {path: "$PWD/$1/lake", encoding_threads: $ENCODING_THREADS}}
$s3_destination
connections:
  - {name: local, source: db, destination: lake, streams: [{name: $stream, sync_mode: $2$extra}]}
  - {name: tenth, source: db, destination: lake, streams: [{name: $schema.t_tenth, sync_mode: $2$extra}]}
  - {name: warm, source: db, destination: lake, streams: [{name: $schema.t_warm, sync_mode: $2$extra}]}
$s3_connection
$split_connection
YAML
}

# Syncs connection CONNECTION of the home once (no measurement): the initial load of an incremental benchmark.
sync_once() { # home connection [output]
  local out=${3:-$WORK/$DB-incremental-initial-$2.out}
  CARAVAN_HTTP_PORT=0 java "${CARAVAN_FLAG_ARRAY[@]}" -Djava.io.tmpdir="$CARAVAN_TMP" -jar "${CARAVAN_JAR:-target/caravan.jar}" serve --home "$1" \
    --apply "$1/bench.yaml" --sync "$2" --exit > "$out" 2>&1 || { tail -30 "$out"; exit 1; }
}

# Milliseconds since the epoch of a log line's time (HH:MM:SS.mmm, UTC, today).
log_time_ms() {
  date -u -d "$(date -u +%F) $1" +%s%3N
}

caravan() { # home src_bytes run connection
  local what=caravan-$4
  local out=$WORK/$DB-$MODE-$what-$3 jfr=""
  # through CARAVAN_JAVA_OPTS the recording is the server's, not the launcher's
  [ "${JFR:-0}" = 1 ] && jfr="-XX:StartFlightRecording=filename=$PWD/$out.jfr,settings=${JFR_SETTINGS:-profile}"
  local store_cpu_before=0
  [ "$4" = s3 ] && store_cpu_before=$(bench_process_cpu "$S3PROXY_PID")
  local launched
  sync   # before the clock starts: the previous run's output written back (bench_time does it too)
  launched=$(date -u +%s%3N)
  CARAVAN_JAVA_OPTS="$jfr" CARAVAN_HTTP_PORT=0 bench_time "$out" java "${CARAVAN_FLAG_ARRAY[@]}" -Djava.io.tmpdir="$CARAVAN_TMP" \
    -jar "${CARAVAN_JAR:-target/caravan.jar}" serve --home "$1" --apply "$1/bench.yaml" --sync "$4" --exit || { tail -30 "$out.out"; exit 1; }
  local reading
  reading=$(grep -m1 -oE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} .* Reading stream' "$out.out" | cut -c1-12 || true)
  # from the command to the source's first read: JVM start, server start, applying the document, the job's start
  FIRST_ROW_S=$([ -n "$reading" ] && awk -v a="$launched" -v b="$(log_time_ms "$reading")" 'BEGIN {printf "%.2f", (b - a) / 1000}' || echo "")
  local store_cpu_after=0
  [ "$4" = s3 ] && store_cpu_after=$(bench_process_cpu "$S3PROXY_PID")
  local line
  line=$(grep -E "^Job [0-9]+ of $4: SUCCEEDED" "$out.out" | tr -d ,)
  local rows bytes ms
  rows=$(sed -E 's/.* ([0-9]+) records.*/\1/' <<<"$line")
  bytes=$(sed -E 's/.* ([0-9]+) bytes in.*/\1/' <<<"$line")
  ms=$(sed -E 's/.* in ([0-9]+) ms.*/\1/' <<<"$line")
  record "$LABEL" "$what" "$3" "$rows" "$(awk -v m="$ms" 'BEGIN {printf "%.3f", m / 1000}')" "$bytes" "$2"
  if [ "$4" = s3 ]; then
    # S3Proxy runs on the same cores: the CPU it spent receiving and storing the upload was not the copy's to use
    echo "            S3Proxy used $(awk -v a="$store_cpu_before" -v b="$store_cpu_after" 'BEGIN {printf "%.2f", b - a}') CPU-s during that run"
  fi
}

caravan_all() { # home src_bytes run
  caravan "$1" "$2" "$3" local
  if [ "$S3" = 1 ]; then
    caravan "$1" "$2" "$3" s3
  fi
}

for DB in $DBS; do
  if [ "${PREPARE:-1}" = 1 ]; then
    echo "== $DB: preparing $ROWS rows"
    start=$(date +%s)
    "prepare_$DB"
    echo "   prepared in $(( $(date +%s) - start )) s"
  fi
  for MODE in $MODES; do
    LABEL="$DB $MODE"
    echo "== $LABEL"
    if [ "$MODE" = full ]; then
      QUERY="SELECT $COLUMNS_SQL FROM t $FULL_ORDER"
      SRC=$(source_bytes "$DB" "")
      TENTH_SRC=$(source_bytes "$DB" "WHERE id <= $ROWS / 10")
      # a user's second start: the launcher's first run writes its class-data-sharing archive at exit (once per build)
      write_connections "$WORK/$DB-warm-home" full_refresh_overwrite
      sync_once "$WORK/$DB-warm-home" warm "$WORK/$DB-warm-up.out"
      for run in $(seq 1 "$RUNS"); do
        read_limit "$QUERY" "$SRC" "$run"
        floor "$QUERY" "$SRC" "$run"
        home=$WORK/$DB-full-home-$run
        write_connections "$home" full_refresh_overwrite
        caravan_all "$home" "$SRC" "$run"
        caravan "$home" "$TENTH_SRC" "$run" tenth
        caravan "$home" "$SRC" "$run" split
      done
    else
      # The initial sync reads everything; each run then changes 1% of the rows and measures the sync that picks them up.
      home=$WORK/$DB-incremental-home
      write_connections "$home" incremental_append
      sync_once "$home" local
      [ "$S3" = 1 ] && sync_once "$home" s3
      for run in $(seq 1 "$RUNS"); do
        position=$(last_position "$DB")
        ts=${position%|*}
        key=${position#*|}
        change_one_percent "$DB" "$run"
        if [ "$DB" = postgres ]; then
          WHERE="WHERE updated_at IS NOT NULL AND (updated_at, id) > ('$ts', $key)"
        else
          WHERE="WHERE updated_at IS NOT NULL AND ((updated_at > '$ts') OR (updated_at = '$ts' AND id > $key))"
        fi
        QUERY="SELECT $COLUMNS_SQL FROM t $WHERE ORDER BY updated_at, id"
        SRC=$(source_bytes "$DB" "$WHERE")
        read_limit "$QUERY" "$SRC" "$run"
        floor "$QUERY" "$SRC" "$run"
        caravan_all "$home" "$SRC" "$run"
      done
    fi
  done
done

echo
echo "Best of $RUNS run(s) each; $ROWS rows in t; Caravan: ${CARAVAN_FLAGS:-launcher defaults}, encoding_threads $ENCODING_THREADS; floor: $FLOOR_FLAGS; $MACHINE"
printf "%-20s %-14s %10s %8s %10s %9s %8s %8s %8s %7s %8s %8s %8s %9s\n" benchmark what rows copy_s rows/s src_MB/s out_MB wall_s RSS_MB CPU_s x_floor x_read x_local first_row
awk -F'|' '
  { key = $1 SUBSEP $2; if (!(key in best) || $6 + 0 > best[key] + 0) { best[key] = $6; line[key] = $0 }
    if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
  END {
    for (i = 1; i <= n; i++) {
      label = order[i]
      floorRate = best[label SUBSEP "floor"]; readRate = best[label SUBSEP "read-limit"]; localRate = best[label SUBSEP "caravan-local"]
      split("read-limit floor caravan-local caravan-s3 caravan-tenth caravan-split", whats, " ")
      for (w = 1; w <= 6; w++) {
        key = label SUBSEP whats[w]
        if (!(key in line)) {
          continue
        }
        split(line[key], f, "|")
        printf "%-20s %-14s %10d %8.2f %10d %9.1f %8.1f %8.2f %8d %7.2f %8s %8s %8s %9s\n", label, whats[w], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11],
          (floorRate > 0 && whats[w] != "caravan-tenth" ? sprintf("%.2f", f[6] / floorRate) : "-"),
          (readRate > 0 && whats[w] != "caravan-tenth" ? sprintf("%.2f", f[6] / readRate) : "-"),
          (whats[w] == "caravan-s3" && localRate > 0 ? sprintf("%.2f", f[6] / localRate) : "-"), (f[12] == "" ? "-" : f[12] " s")
      }
    }
  }' "$RESULTS" | tee "$WORK/summary.txt"
echo "x_floor, x_read: rows/s relative to the floor and to the read limit of the same benchmark; x_local: S3 relative to local. copy_s: the copy alone (Caravan: the"
echo "job's duration; floor: connect to file closed; read limit: the psql/mysql process). wall_s, RSS_MB, CPU_s: the whole process"
echo "(Caravan's include server start and stop). src_MB/s: source rows as COPY text per second; out_MB: Parquet written. first_row: from the"
echo "command to the source's first read (JVM start, server start, the document applied, the job started). caravan-tenth: the first tenth of t."
echo "caravan-split: t read as $SPLIT primary-key ranges in parallel (split_reads: $SPLIT) into local Parquet."

# The targets of issue #23, from the full refresh of each database (best run of each measurement; CPU, wall and RSS: the
# lowest of the runs). Appended to bench/results/targets.csv.
TARGETS_CSV=bench/results/targets.csv
[ -f "$TARGETS_CSV" ] || echo "date,commit,machine,caravan_flags,db,rows,target,value,result" > "$TARGETS_CSV"
echo
echo "Targets (issue #23), $ROWS rows, ${CARAVAN_FLAGS:-launcher defaults}:"
awk -F'|' -v defaults="${CARAVAN_FLAGS:-}" -v ranges="$SPLIT" '
  function low(k, v) { if (!(k in lows) || v + 0 < lows[k] + 0) lows[k] = v }
  function high(k, v) { if (!(k in highs) || v + 0 > highs[k] + 0) highs[k] = v }
  function verdict(ok) { return ok ? "PASS" : "FAIL" }
  function out(db, target, value, ok) { printf "%s|%s|%s|%s\n", db, target, value, verdict(ok) }
  $1 ~ / full$/ {
    db = $1; sub(/ full$/, "", db); dbs[db] = 1; k = db SUBSEP $2
    high(k SUBSEP "rate", $6); low(k SUBSEP "wall", $9); low(k SUBSEP "cpu", $11); high(k SUBSEP "rss", $10)
    if ($12 != "") low(k SUBSEP "first", $12)
  }
  END {
    for (db in dbs) {
      f = db SUBSEP "floor"; l = db SUBSEP "caravan-local"; s3 = db SUBSEP "caravan-s3"; t = db SUBSEP "caravan-tenth"
      x = highs[l SUBSEP "rate"] / highs[f SUBSEP "rate"]
      out(db, "copy >= 1.3x the floor (rows/s, one stream, local)", sprintf("%.2fx", x), x >= 1.3)
      sp = db SUBSEP "caravan-split"
      if ((sp SUBSEP "rate") in highs) {
        x = highs[sp SUBSEP "rate"] / highs[f SUBSEP "rate"]
        out(db, "split reads >= 1.6x the floor (rows/s, " ranges " ranges, local)", sprintf("%.2fx", x), x >= 1.6)
      } else {
        out(db, "split reads >= 1.6x the floor", "not measured", 0)
      }
      x = lows[f SUBSEP "wall"] / lows[l SUBSEP "wall"]
      out(db, "one-shot wall >= 1.1x the floor wall (start to exit)", sprintf("%.2fx (%.2f s vs %.2f s)", x, lows[l SUBSEP "wall"], lows[f SUBSEP "wall"]), x >= 1.1)
      first = lows[l SUBSEP "first"]
      out(db, "command to first row < 1 s", (first == "" ? "-" : first " s"), first != "" && first + 0 < 1)
      x = lows[l SUBSEP "cpu"] / lows[f SUBSEP "cpu"]
      out(db, "CPU <= 1.2x the floor (whole processes)", sprintf("%.2fx (%.1f s vs %.1f s)", x, lows[l SUBSEP "cpu"], lows[f SUBSEP "cpu"]), x <= 1.2)
      rss = highs[l SUBSEP "rss"]; if (highs[s3 SUBSEP "rss"] + 0 > rss + 0) rss = highs[s3 SUBSEP "rss"]
      out(db, "peak RSS <= 512 MB" (defaults == "" ? " (no JVM flags)" : " (flags: " defaults ")"), rss " MB", rss + 0 <= 512 && defaults == "")
      tenth = highs[t SUBSEP "rss"]
      out(db, "peak RSS flat from a tenth to all rows (<= 1.1x)", sprintf("%d MB -> %d MB", tenth, highs[l SUBSEP "rss"]), tenth > 0 && highs[l SUBSEP "rss"] <= 1.1 * tenth)
      if ((s3 SUBSEP "rate") in highs) {
        x = highs[s3 SUBSEP "rate"] / highs[l SUBSEP "rate"]
        out(db, "S3 >= 0.9x local (rows/s)", sprintf("%.2fx", x), x >= 0.9)
      }
    }
  }' "$RESULTS" | sort -s -t'|' -k1,1 > "$WORK/targets.txt"
awk -F'|' '{ printf "  %-9s %-58s %-32s %s\n", $1, $2, $3, $4 }' "$WORK/targets.txt" | tee "$WORK/targets-table.txt"
while IFS='|' read -r db target value result; do
  echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,${CARAVAN_FLAGS:-launcher defaults},$db,$ROWS,\"$target\",\"$value\",$result" >> "$TARGETS_CSV"
done < "$WORK/targets.txt"
