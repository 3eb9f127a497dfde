# Helpers shared by the bench scripts (sourced, not run). Expects to be sourced from the repository root.

# Builds target/caravan.jar when missing (or BUILD=1) and compiles bench/src against the project's classpath.
bench_build() {
  if [ "${BUILD:-0}" = 1 ] || [ ! -f target/caravan.jar ]; then
    mvn -B -q -DskipTests package >/dev/null
  fi
  mkdir -p target/bench/classes
  if [ ! -f target/bench/compile.cp ] || [ pom.xml -nt target/bench/compile.cp ]; then
    mvn -B -q dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/bench/compile.cp >/dev/null
  fi
  javac -nowarn -d target/bench/classes -cp "$(cat target/bench/compile.cp):target/classes" bench/src/*.java 2>&1 | grep -v '^Note:' || true
}

# One line describing the machine, for the CSV files: cores, memory, CPU model, load average when the run started.
bench_machine() {
  local model
  model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo | tr -s ' ,' ' ')
  echo "$(nproc)cpu $(free -g | awk '/Mem:/ {print $2}')GiB ${model:-unknown cpu} load $(cut -d' ' -f1 /proc/loadavg)"
}

# bench_median / bench_range: the median / "min–max" of whitespace-separated numbers on stdin.
bench_median() {
  tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'
}

bench_range() {
  tr ' ' '\n' | grep -v '^$' | sort -n | awk 'NR == 1 {min = $1} {max = $1} END {print min "–" max}'
}

# bench_time OUT_PREFIX CMD...: runs CMD under /usr/bin/time -v; stdout+stderr to OUT_PREFIX.out, and sets
# T_WALL (s), T_RSS_MB (peak resident set of the process), T_CPU (user + system s). Returns CMD's status. The files the
# runs before wrote are flushed to disk first (sync), so that no run pays for writing back another one's output.
bench_time() {
  local prefix=$1
  shift
  local status=0
  sync
  /usr/bin/time -v -o "$prefix.time" "$@" >"$prefix.out" 2>&1 || status=$?
  T_WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$prefix.time")
  T_RSS_MB=$(awk '/Maximum resident set size/ {printf "%d", $NF / 1024}' "$prefix.time")
  T_CPU=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$prefix.time")
  return $status
}

# bench_start_s3proxy DIR: fetches the S3Proxy jar (Maven Central) and starts it on a free loopback port with a filesystem
# backend under DIR/s3 and an empty bucket "bench" (identity bench / bench-secret), warmed up by bench/src/WarmStore.java
# (run bench_build first). Sets S3_ENDPOINT and S3PROXY_PID; the caller stops it (bench_stop_s3proxy, e.g. from an EXIT
# trap). Its own JVM, so Caravan's RSS and CPU exclude it.
S3PROXY_VERSION=4.1.0
bench_start_s3proxy() {
  local dir port attempt
  # absolute: S3Proxy's filesystem backend cannot find a multipart upload's parts under a relative base directory
  dir=$(mkdir -p "$1" && cd "$1" && pwd)
  mvn -B -q dependency:copy -Dartifact=org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies -DoutputDirectory="$dir" >/dev/null
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$dir/s3/bench"   # filesystem backend: a bucket is a directory
  cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/s3
CONF
  local flags=()
  read -r -a flags <<<"${S3PROXY_JAVA_FLAGS:-}"   # e.g. a profiler agent, to see where the store's CPU goes
  java -Xmx1g "${flags[@]}" -jar "$dir/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar" --properties "$dir/s3proxy.conf" > "$dir/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  for attempt in $(seq 1 150); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
      S3_ENDPOINT=http://127.0.0.1:$port
      # a long-running store has compiled its upload path long ago; a fresh one would charge that to the first S3 copy
      java -cp target/bench/classes:target/caravan.jar WarmStore "$S3_ENDPOINT" bench bench bench-secret | sed 's/^/   /'
      return 0
    fi
    sleep 0.2
  done
  echo "S3Proxy did not start:"
  cat "$dir/s3proxy.log"
  return 1
}

# CPU seconds (user + system) a process has used so far; 0 when it is gone.
bench_process_cpu() { # pid
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}

bench_stop_s3proxy() {
  if [ -n "${S3PROXY_PID:-}" ]; then
    kill "$S3PROXY_PID" 2>/dev/null && wait "$S3PROXY_PID" 2>/dev/null || true
    S3PROXY_PID=
  fi
}

# The s3 destination's config for the bucket of bench_start_s3proxy, under PREFIX; extra options (a YAML map's inside) after it.
bench_s3_config() { # prefix [extra]
  echo "{bucket: bench, bucket_prefix: \"$1\", endpoint: \"$S3_ENDPOINT\", path_style_access: true, region: us-east-1, access_key_id: bench, secret_access_key: bench-secret${2:+, $2}}"
}

# bench_scheduled_connections N EVERY LAKE: a configs-as-code document of N connections c00001..., each a 10-row faker
# sync (full refresh overwrite into its own namespace of the local lake LAKE) on an interval schedule EVERY (e.g. 10s).
bench_scheduled_connections() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
n, every, lake = int(sys.argv[1]), sys.argv[2], sys.argv[3]
print("sources:\n  - {name: tiny, connector: faker, config: {count: 10, seed: 1}}")
print(f'destinations:\n  - {{name: lake, connector: local, config: {{path: "{lake}"}}}}')
print("connections:")
for i in range(1, n + 1):
    print(f"  - {{name: c{i:05d}, source: tiny, destination: lake, namespace: c{i:05d}, schedule: {{every: {every}}}, "
          f"streams: [{{name: users, sync_mode: full_refresh_overwrite}}]}}")
PY
}
