# Shared by the benchmarks that run against the local infrastructure.

# Builds what is missing, starts the infrastructure if it is not running, and loads its variables.
bench_setup() {
  [ -f cli/target/release-cli.jar ] && [ -f worker/target/test-classes/org/releaseengine/bench/BenchEngine.class ] ||
    mvn -q -B -ntp -DskipTests install
  bash scripts/infra.sh status >/dev/null 2>&1 || bash scripts/infra.sh up
  . "${RELEASE_INFRA_DIR:-/var/tmp/release-engine-infra}/env"
}

# The worker module's test classpath (the benchmark harnesses live in its test sources).
bench_classpath() {
  local file=worker/target/bench-classpath.txt
  mvn -q -B -ntp dependency:build-classpath -pl worker -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
  echo "worker/target/test-classes:worker/target/classes:$(cat "$file")"
}

# Sets up, then runs one benchmark harness (a main class in the worker's test sources), bounded.
bench_java() {
  bench_setup
  exec timeout 600 java -Xmx1g -Dproject.root="$root" -cp "$(bench_classpath)" "$1"
}
