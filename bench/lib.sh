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
  javac -nowarn -d target/bench/classes -cp "$(cat target/bench/compile.cp)" bench/src/*.java 2>&1 | grep -v '^Note:' || true
}

# One line describing the machine, for the CSV files: cores, memory, CPU model, load average when the run started.
bench_machine() {
  local model
  model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo | tr -s ' ,' ' ')
  echo "$(nproc)cpu $(free -g | awk '/Mem:/ {print $2}')GiB ${model:-unknown cpu} load $(cut -d' ' -f1 /proc/loadavg)"
}

# bench_time OUT_PREFIX CMD...: runs CMD under /usr/bin/time -v; stdout+stderr to OUT_PREFIX.out, and sets
# T_WALL (s), T_RSS_MB (peak resident set of the process), T_CPU (user + system s). Returns CMD's status.
bench_time() {
  local prefix=$1
  shift
  local status=0
  /usr/bin/time -v -o "$prefix.time" "$@" >"$prefix.out" 2>&1 || status=$?
  T_WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$prefix.time")
  T_RSS_MB=$(awk '/Maximum resident set size/ {printf "%d", $NF / 1024}' "$prefix.time")
  T_CPU=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$prefix.time")
  return $status
}
