# Sourced by the long-running launchers. A running JVM breaks when the jar it uses is rebuilt, so
# long-lived processes run from a copy named after the jar's checksum.
run_copy_of() {
  local jar="$1" here="$2"
  if [ ! -f "$jar" ]; then
    echo "$(basename "$0"): $jar is missing; build it with: mvn -q -DskipTests package" >&2
    exit 2
  fi
  local dir="$here/.run/jars" sum
  sum=$(cksum "$jar" | cut -d' ' -f1)
  mkdir -p "$dir"
  RUN_JAR="$dir/$(basename "$jar" .jar)-$sum.jar"
  [ -f "$RUN_JAR" ] && return 0
  # copy under a name of this process's own, then rename: a launcher starting beside this one sees
  # either no copy or a whole one
  if ! cp "$jar" "$RUN_JAR.tmp.$$" || ! mv -f "$RUN_JAR.tmp.$$" "$RUN_JAR"; then
    rm -f "$RUN_JAR.tmp.$$"
    echo "$(basename "$0"): cannot copy $jar to $dir" >&2
    exit 2
  fi
}

# The worker's JVM options unless RELEASE_WORKER_JAVA_OPTS is set; bench/engine.sh measures the real
# server's worker with them. Its live heap with 1,000 releases in flight is about 100 MB (at most
# 300 workflows cached, EngineWorker); the serial collector keeps about 40 MB less beside the heap
# than G1 does, and its rare full collections of that heap take about 0.2 s.
worker_java_opts() { # worker_java_opts [WORKER_ARG...]
  if [ -n "${RELEASE_WORKER_JAVA_OPTS:-}" ]; then
    printf '%s\n' "$RELEASE_WORKER_JAVA_OPTS"
  elif [[ " $* " == *" --dev "* ]]; then
    echo "-Xmx512m" # the embedded Java server keeps every history in this heap too
  else
    echo "-Xmx256m -XX:+UseSerialGC"
  fi
}
