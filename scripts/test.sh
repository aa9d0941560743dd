#!/usr/bin/env bash
# The test command: starts the local infrastructure the integration tests use, runs every test
# (unit, workflow, CLI, integration) with `mvn verify`, and stops the infrastructure again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/lib/prereqs.sh
need_java_and_maven

mvn -B -ntp verify "$@"
