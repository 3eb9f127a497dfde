#!/usr/bin/env bash
# Full refresh of a 1M-row PostgreSQL table: the postgres connector alone, then through a running server into
# local Parquet. Needs PostgreSQL at 127.0.0.1:5432 (else an embedded one is started). Rows: -Dbench.rows=N.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test -Dtest=PostgresFullRefreshBench -Dsurefire.failIfNoSpecifiedTests=false "$@" >/dev/null || true
grep -h "^BENCH" target/surefire-reports/dev.caravan.bench.PostgresFullRefreshBench-output.txt
