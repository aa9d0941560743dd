#!/usr/bin/env bash
# release-cli latency on the local infrastructure (loopback only, bounded): bin/release-cli as a
# person or CI runs it, each call a fresh process, against a worker on the real Temporal server
# (bin/release-server; RELEASE_TEST_SERVER=embedded: the SDK's Java test server instead): --help and
# `status` of a finished release (medians of 10 and 15 runs), and 10 signed `rollback`s of
# production, alternating between two releases, each timed from invoking the CLI to the first
# answer of the old version.
# Ends with: cli status_ms_p50=… status_ms_p95=… help_ms_p50=… cli_rollback_ms_p50=… cli_rollback_ms_max=…
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
export RELEASE_TEST_SERVER="${RELEASE_TEST_SERVER:-real}"
[ "$RELEASE_TEST_SERVER" = real ] || unset RELEASE_TEST_SERVER
bench_infra
bench_java org.releaseengine.bench.CliBench
