#!/usr/bin/env bash
# Blue-green benchmark on the local infrastructure (loopback only, bounded): failed requests and
# requests/s under a load generator, per-switch latency over four switches, and rollback latency
# (median of 5) measured from the engine and from bin/release-cli.
# Ends with: requests=… failed=… rps=… switch_ms_max=… rollback_engine_ms_p50=… rollback_cli_ms_p50=…
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
bench_infra
bench_java org.releaseengine.bench.BlueGreenBench
