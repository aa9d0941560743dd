#!/usr/bin/env bash
# The test command: starts the local infrastructure (scripts/infra.sh up: Docker engine, registry,
# staging and production hosts, Prometheus), runs every test with `mvn verify` (unit, workflow, CLI
# and integration tests against those real parts), and stops the infrastructure again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/lib/prereqs.sh
need_java_and_maven

bash scripts/infra.sh up
trap 'bash scripts/infra.sh down' EXIT
. "${RELEASE_INFRA_DIR:-/var/tmp/release-engine-infra}/env"

mvn -B -ntp verify "$@"
