#!/usr/bin/env bash
# Writes src/main/resources/META-INF/caravan/cds-classes.txt: the classes the launcher's class-data-sharing archive holds
# whichever run wrote it (see CdsClassList). They are the classes loaded by one-shot syncs (serve --apply … --sync … --exit)
# of the built-in connectors a one-shot run typically uses: PostgreSQL into S3 (S3Proxy on loopback) as a full refresh and
# as an incremental deduplicated sync, MariaDB into a local folder (one stream, then split reads), and the faker demo.
# Run it after a dependency or JDK upgrade and review the diff; CdsClassListTest fails when a listed class is gone.
#
# Usage: bench/cds-classes.sh   (BUILD=1 rebuilds the jar first)
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and MariaDB on 127.0.0.1:3306 (root, no password), database test;
# creates and drops the table cds_t in both.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_build
WORK=target/bench/cds-classes
rm -rf "$WORK"
mkdir -p "$WORK"
trap bench_stop_s3proxy EXIT
bench_start_s3proxy "$WORK"

psql -q -h 127.0.0.1 -U postgres -d test -c "DROP TABLE IF EXISTS cds_t; CREATE TABLE cds_t(id bigint PRIMARY KEY, name text,
  amount numeric(12,2), updated_at timestamp); INSERT INTO cds_t SELECT g, 'name ' || g, g * 1.5, now() FROM generate_series(1, 1000) g"
mysql -h 127.0.0.1 -u root test -e "DROP TABLE IF EXISTS cds_t; CREATE TABLE cds_t(id bigint PRIMARY KEY, name text,
  amount decimal(12,2), updated_at datetime(6)); INSERT INTO cds_t SELECT seq, concat('name ', seq), seq * 1.5, now() FROM seq_1_to_1000"

home=$PWD/$WORK/home
mkdir -p "$home"
cat > "$WORK/doc.yaml" <<YAML
sources:
  - {name: pg, connector: postgres, config: {host: 127.0.0.1, port: 5432, database: test, username: postgres, ssl_mode: disable}}
  - {name: maria, connector: mysql, config: {host: 127.0.0.1, port: 3306, database: test, username: root}}
destinations:
  - {name: lake, connector: local, config: {path: "$home/lake"}}
  - {name: bucket, connector: s3, config: $(bench_s3_config cds)}
connections:
  - {name: pg-s3, source: pg, destination: bucket, streams: [{name: public.cds_t, sync_mode: full_refresh_overwrite, primary_key: [id]}]}
  - {name: pg-s3-dedup, source: pg, destination: bucket, namespace: dedup, streams: [{name: public.cds_t, sync_mode: incremental_append_deduped, cursor_field: updated_at, primary_key: [id]}]}
  - {name: maria-local, source: maria, destination: lake, streams: [{name: test.cds_t, sync_mode: full_refresh_overwrite, primary_key: [id]}]}
  - {name: maria-split, source: maria, destination: lake, namespace: split, streams: [{name: test.cds_t, sync_mode: full_refresh_overwrite, primary_key: [id], split_reads: 2}]}
YAML
demo=$WORK/demo.yaml
sed "s|path: ./lake|path: \"$home/demo-lake\"|" docs/examples/demo.yaml > "$demo"

n=0
one_shot() { # document connection...
  local document=$1
  shift
  local args=()
  for connection in "$@"; do args+=(--sync "$connection"); done
  n=$((n + 1))
  # no archive in use: every class the run loads is listed
  CARAVAN_CDS=off CARAVAN_HTTP_PORT=0 CARAVAN_JAVA_OPTS="-XX:DumpLoadedClassList=$PWD/$WORK/run-$n.classlist" \
    java -jar target/caravan.jar serve --home "$home" --apply "$document" "${args[@]}" --exit > "$WORK/run-$n.out" 2>&1 \
    || { tail -30 "$WORK/run-$n.out"; exit 1; }
}
one_shot "$WORK/doc.yaml" pg-s3 pg-s3-dedup maria-local maria-split
one_shot "$WORK/doc.yaml" pg-s3-dedup
one_shot "$demo" demo

psql -q -h 127.0.0.1 -U postgres -d test -c "DROP TABLE cds_t"
mysql -h 127.0.0.1 -u root test -e "DROP TABLE cds_t"

out=src/main/resources/META-INF/caravan/cds-classes.txt
mkdir -p "$(dirname "$out")"
{
  echo "# Written by bench/cds-classes.sh: the classes one-shot syncs of the built-in connectors load (see CdsClassList)."
  # the JVM's list: "name id: N ..." per class; lines starting with @ are lambda forms and proxies, which it archives itself
  cat "$WORK"/run-*.classlist | grep -v -e '^#' -e '^@' | awk '{print $1}' | tr / . | LC_ALL=C sort -u
} > "$out"
echo "$(grep -vc '^#' "$out") classes in $out"
