#!/usr/bin/env bash
# Caravan against the speed of light: copies t(id bigint primary key, name text, amount numeric(12,2), updated_at timestamp)
# to snappy Parquet and compares, in one run, on the same data:
#   read limit  psql \copy (the query Caravan sends) to /dev/null   (MariaDB: mysql --quick > /dev/null)
#   floor       bench/src/FloorCopy.java: one thread, pgjdbc/MariaDB streaming -> parquet-java, no metadata columns
#   caravan     java $JAVA_FLAGS -jar "${CARAVAN_JAR:-target/caravan.jar}" serve --apply <yaml> --sync <connection> --exit, into local
#               Parquet (caravan-local) and into a bucket of S3Proxy started on loopback (caravan-s3; S3=0 skips it)
# for a full refresh and for an incremental sync after 1% of the rows changed, on PostgreSQL and on MariaDB.
#
# Usage: bench/run.sh [rows=1000000]
# Environment: RUNS=2 (runs of each measurement; the table shows the best), HEAP=320m (Caravan's -Xmx; 320m keeps its peak RSS under 512 MB),
#              JAVA_FLAGS="-XX:+UseParallelGC" (the JVM flags the README recommends for the server; the floor runs with them too),
#              ENCODING_THREADS=0 (the destinations' encoding_threads; 0: their default, half the cores), DBS="postgres mariadb", S3=1,
#              MODES="full incremental", PREPARE=0 (reuse the tables of the last run; incremental runs change them),
#              CARAVAN_JAR=path (another build of Caravan, for before/after comparisons), JFR=1 (record Caravan's runs into target/bench/*.jfr; see bench/jfr-top.py), BUILD=1.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and MariaDB on 127.0.0.1:3306 (root, no password); each gets a
# database caravan_bench, dropped and recreated. Appends a CSV row per measured run to bench/results/jdbc.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${1:-1000000}
RUNS=${RUNS:-2}
HEAP=${HEAP:-320m}
JAVA_FLAGS=${JAVA_FLAGS:--XX:+UseParallelGC}
ENCODING_THREADS=${ENCODING_THREADS:-0}
S3=${S3:-1}
read -r -a JAVA_FLAG_ARRAY <<<"$JAVA_FLAGS"
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
[ -f "$CSV" ] || echo "date,commit,machine,jvm,db,mode,rows_in_table,what,run,rows,copy_s,rows_per_s,src_mb_per_s,out_mb,wall_s,peak_rss_mb,cpu_s" > "$CSV"
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
VACUUM ANALYZE t;
SQL
}

prepare_mariadb() {
  maria_ -e "DROP DATABASE IF EXISTS caravan_bench; CREATE DATABASE caravan_bench"
  maria_ caravan_bench <<SQL
CREATE TABLE t (id bigint PRIMARY KEY, name text, amount decimal(12,2), updated_at datetime(6), KEY t_updated_at (updated_at, id));
INSERT INTO t SELECT seq, CONCAT('name ', MD5(seq)), (seq % 1000000) / 100, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND
  FROM seq_1_to_$ROWS;
ANALYZE TABLE t;
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
  echo "$(date -u +%FT%TZ),$COMMIT,$MACHINE,$HEAP ${JAVA_FLAGS//,/;} threads=$ENCODING_THREADS,$DB,$MODE,$ROWS,$what,$run,$rows,$copy_s,$rate,$src_mbs,$out_mb,$T_WALL,$T_RSS_MB,$T_CPU" >> "$CSV"
  echo "$label|$what|$run|$rows|$copy_s|$rate|$src_mbs|$out_mb|$T_WALL|$T_RSS_MB|$T_CPU" >> "$RESULTS"
  printf "  %-9s run %d: %10d rows in %7.2f s = %9d rows/s, peak RSS %5d MB, CPU %6.2f s\n" "$what" "$run" "$rows" "$copy_s" "$rate" "$T_RSS_MB" "$T_CPU"
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
  url=$([ "$DB" = postgres ] && echo jdbc:postgresql://127.0.0.1:5432/caravan_bench || echo jdbc:mariadb://127.0.0.1:3306/caravan_bench)
  local user
  user=$([ "$DB" = postgres ] && echo postgres || echo root)
  bench_time "$out" java "${JAVA_FLAG_ARRAY[@]}" -cp target/bench/classes:target/caravan.jar FloorCopy "$url" "$user" "$1" "$WORK/floor.parquet" \
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
  local stream
  stream=$([ "$DB" = postgres ] && echo public.t || echo caravan_bench.t)
  local extra=""
  [ "$2" = incremental_append ] && extra=", cursor_field: updated_at, primary_key: [id]"
  mkdir -p "$1"
  local s3_destination="" s3_connection=""
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
$s3_connection
YAML
}

# Syncs connection CONNECTION of the home once (no measurement): the initial load of an incremental benchmark.
sync_once() { # home connection
  CARAVAN_HTTP_PORT=0 java -Xmx"$HEAP" "${JAVA_FLAG_ARRAY[@]}" -jar "${CARAVAN_JAR:-target/caravan.jar}" serve --home "$1" --apply "$1/bench.yaml" \
    --sync "$2" --exit > "$WORK/$DB-incremental-initial-$2.out" 2>&1 || { tail -30 "$WORK/$DB-incremental-initial-$2.out"; exit 1; }
}

caravan() { # home src_bytes run connection
  local what=caravan-$4
  local out=$WORK/$DB-$MODE-$what-$3 jfr=()
  [ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$out.jfr,settings=profile")
  local store_cpu_before=0
  [ "$4" = s3 ] && store_cpu_before=$(bench_process_cpu "$S3PROXY_PID")
  CARAVAN_HTTP_PORT=0 bench_time "$out" java -Xmx"$HEAP" "${JAVA_FLAG_ARRAY[@]}" "${jfr[@]}" -jar "${CARAVAN_JAR:-target/caravan.jar}" serve --home "$1" \
    --apply "$1/bench.yaml" --sync "$4" --exit || { tail -30 "$out.out"; exit 1; }
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
      for run in $(seq 1 "$RUNS"); do
        read_limit "$QUERY" "$SRC" "$run"
        floor "$QUERY" "$SRC" "$run"
        home=$WORK/$DB-full-home-$run
        write_connections "$home" full_refresh_overwrite
        caravan_all "$home" "$SRC" "$run"
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
echo "Best of $RUNS run(s) each; $ROWS rows in t; Caravan with -Xmx$HEAP $JAVA_FLAGS, encoding_threads $ENCODING_THREADS; $MACHINE"
printf "%-20s %-14s %10s %8s %10s %9s %8s %8s %8s %7s %8s %8s %8s\n" benchmark what rows copy_s rows/s src_MB/s out_MB wall_s RSS_MB CPU_s x_floor x_read x_local
awk -F'|' '
  { key = $1 SUBSEP $2; if (!(key in best) || $6 + 0 > best[key] + 0) { best[key] = $6; line[key] = $0 }
    if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
  END {
    for (i = 1; i <= n; i++) {
      label = order[i]
      floorRate = best[label SUBSEP "floor"]; readRate = best[label SUBSEP "read-limit"]; localRate = best[label SUBSEP "caravan-local"]
      split("read-limit floor caravan-local caravan-s3", whats, " ")
      for (w = 1; w <= 4; w++) {
        key = label SUBSEP whats[w]
        if (!(key in line)) {
          continue
        }
        split(line[key], f, "|")
        printf "%-20s %-14s %10d %8.2f %10d %9.1f %8.1f %8.2f %8d %7.2f %8s %8s %8s\n", label, whats[w], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11],
          (floorRate > 0 ? sprintf("%.2f", f[6] / floorRate) : "-"), (readRate > 0 ? sprintf("%.2f", f[6] / readRate) : "-"),
          (whats[w] == "caravan-s3" && localRate > 0 ? sprintf("%.2f", f[6] / localRate) : "-")
      }
    }
  }' "$RESULTS" | tee "$WORK/summary.txt"
echo "x_floor, x_read: rows/s relative to the floor and to the read limit of the same benchmark; x_local: S3 relative to local. copy_s: the copy alone (Caravan: the"
echo "job's duration; floor: connect to file closed; read limit: the psql/mysql process). wall_s, RSS_MB, CPU_s: the whole process"
echo "(Caravan's include server start and stop). src_MB/s: source rows as COPY text per second; out_MB: Parquet written."
