#!/usr/bin/env bash
# Analysis benchmark on the local infrastructure (real Prometheus, nginx, Docker; loopback, bounded):
# the time from the metric measurement that fails a bad version to traffic fully back on the old one.
# Ends with: abort_to_stable_ms=… canary_share_pct=…
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
bench_infra
bench_java org.releaseengine.bench.AnalysisBench
