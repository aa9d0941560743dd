#!/usr/bin/env bash
# Engine benchmark: 100 releases of 100 services at once through one worker on the embedded server
# (one JVM), activities returning at once, approvals sent as soon as each release waits.
# Ends with: releases=… total_s=… overhead_p50_ms=… overhead_p95_ms=… worker_rss_mb=…
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
# usage: bench/engine.sh [--slack] [RELEASES [WARMUP_ROUNDS]]  (--slack: notifications on)
BENCH_XMX=512m bench_java org.releaseengine.bench.EngineBench "$@"
