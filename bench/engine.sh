#!/usr/bin/env bash
# Engine benchmark: 100 releases of 100 services at once through one worker on the embedded server
# (one JVM), activities returning at once, approvals sent as soon as each release waits; then the same
# on the real server (bin/release-server, its own port and database): 900 releases left waiting for
# approval and 100 measured through them, 1,000 in flight.
# On the real server the 100 measured releases arrive twice: all at once (the real_burst_* keys: on
# two cores most of that figure is each release queueing behind the other 99), then one after
# another at BENCH_PACE per second (default 2; the real_overhead_* keys: a release's overhead when
# releases arrive at a steady rate instead of all at once). Both rounds do the same work per release.
# Each round prints the CPU seconds of the worker JVM and of the server, and the Temporal SDK's
# metrics (task queue waits, task execution, sticky-cache misses).
# Ends with: releases=… total_s=… overhead_p50_ms=… overhead_p95_ms=… worker_rss_mb=…
#            real_inflight=… real_overhead_p50_ms=… real_overhead_p95_ms=… real_worker_rss_mb=…
#            real_pace_per_s=… real_burst_overhead_p50_ms=… real_burst_overhead_p95_ms=…
#            real_burst_total_s=… real_burst_cpu_ms_per_release=… (worker and server CPU together)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
# usage: bench/engine.sh [--slack] [RELEASES [WARMUP_ROUNDS]]  (--slack: notifications on)
bench_build
classpath=$(bench_classpath)
. bin/run-jar.sh
engine_bench() { # engine_bench SECONDS JAVA_OPTS ARG...: one run of the harness, bounded
  local seconds=$1 options=$2
  shift 2
  # shellcheck disable=SC2086 # the options are words
  timeout "$seconds" java $options -Dproject.root="$root" -cp "$classpath" \
    org.releaseengine.bench.EngineBench "$@"
}
out=$(mktemp -d)
trap 'kill "$(cat "$out/server.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$out"' EXIT
engine_bench 600 -Xmx512m "$@" | tee "$out/java.log"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RELEASE_SERVER_DIR="$out/server" RELEASE_SERVER_HEADLESS=1 bin/release-server "$port" >"$out/server.log" 2>&1 &
echo $! >"$out/server.pid"
for _ in $(seq 600); do grep -q "release-server ready" "$out/server.log" && break; sleep 0.2; done
grep "release-server ready" "$out/server.log"
# the worker and the harness in one JVM with the worker launcher's options: real_worker_rss_mb is
# the two together
engine_bench 1200 "$(worker_java_opts)" --real "127.0.0.1:$port" --parked 900 --server-pid "$(cat "$out/server.pid")" \
  --pace "${BENCH_PACE:-2}" "$@" | tee "$out/real.log"
echo "$(tail -1 "$out/java.log") $(tail -1 "$out/real.log")"
