#!/usr/bin/env bash
# Chaos suite on the local infrastructure (loopback only, bounded): each fault is real (the worker
# killed -9 during the pull, the health check, right after the switch and during the drain; the
# production SSH connection frozen mid-command; its sshd stopped after the switch; nginx -s reload
# failing once; verification through nginx failing), triggered on the worker's step lines, under a
# load generator. After each, what nginx serves must be what release-cli history says is live, and
# the next release must succeed.
# Ends with: scenarios=N consistent=N failed_requests=K next_release_ok=N
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh
bench_infra
BENCH_TIMEOUT=1500 bench_java org.releaseengine.bench.ChaosBench
