# shellcheck shell=bash
# Shared by the benchmarks. Each runs from the repository root ($root) on a fresh checkout after the
# README's build command (mvn -q -DskipTests package); nothing is installed into ~/.m2.

# Builds the engine as the README does when a jar is missing or older than any source or pom, so
# that a benchmark never measures (or runs bin/release-cli from) a stale build.
bench_build() {
  local jar
  for jar in cli/target/release-cli.jar worker/target/release-worker.jar; do
    if [ ! -f "$jar" ] ||
      [ -n "$(find pom.xml ./*/pom.xml signing/src workflows/src activities/src worker/src cli/src \
        -newer "$jar" -type f -print -quit)" ]; then
      mvn -q -B -ntp -DskipTests package
      return
    fi
  done
}

# The worker module's test classpath (the benchmark harnesses live in its test sources). The reactor
# resolves its own modules, the activities' and workflows' test classes included, to their target
# directories, so no module needs to be installed.
bench_classpath() {
  mvn -q -B -ntp -pl worker -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
  echo "worker/target/test-classes:worker/target/classes:$(cat worker/target/bench-classpath.txt)"
}

# Starts the local infrastructure if it is not running, and loads its variables.
bench_infra() {
  bash scripts/infra.sh status >/dev/null 2>&1 || bash scripts/infra.sh up
  # shellcheck disable=SC1091
  . "${RELEASE_INFRA_DIR:-/var/tmp/release-engine-infra}/env"
}

# bench_java CLASS [ARG...]: builds, then runs one benchmark harness (a main class in the worker's
# test sources), bounded by BENCH_TIMEOUT seconds (default 600); BENCH_XMX sets its heap (default 1g).
bench_java() {
  local main=$1 classpath
  shift
  bench_build
  classpath=$(bench_classpath)
  # shellcheck disable=SC2154 # root: set by the benchmark that sources this file
  exec timeout "${BENCH_TIMEOUT:-600}" java -Xmx"${BENCH_XMX:-1g}" -Dproject.root="$root" -cp "$classpath" "$main" "$@"
}
