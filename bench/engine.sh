#!/usr/bin/env bash
# Engine benchmark: 100 releases of 100 services at once through one worker on the embedded server
# (one JVM), activities returning at once, approvals sent as soon as each release waits; then the same
# on the real server (bin/release-server, its own port and database): 900 releases left waiting for
# approval and 100 measured through them, 1,000 in flight.
# Ends with: releases=… total_s=… overhead_p50_ms=… overhead_p95_ms=… worker_rss_mb=…
#            real_inflight=… real_overhead_p50_ms=… real_overhead_p95_ms=… real_worker_rss_mb=…
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=worker/target/release-worker.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
# usage: bench/engine.sh [--slack] [RELEASES [WARMUP_ROUNDS]]  (--slack: notifications on)
out=$(mktemp -d)
trap 'kill "$(cat "$out/server.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$out"' EXIT
timeout 600 java -Xmx512m -cp "$jar" bench/EngineBench.java "$@" | tee "$out/java.log"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RELEASE_SERVER_DIR="$out/server" RELEASE_SERVER_HEADLESS=1 bin/release-server "$port" >"$out/server.log" 2>&1 &
echo $! >"$out/server.pid"
for _ in $(seq 600); do grep -q "release-server ready" "$out/server.log" && break; sleep 0.2; done
grep "release-server ready" "$out/server.log"
timeout 900 java -Xmx512m -cp "$jar" bench/EngineBench.java --real "127.0.0.1:$port" --parked 900 "$@" |
  tee "$out/real.log"
echo "$(tail -1 "$out/java.log") $(tail -1 "$out/real.log")"
