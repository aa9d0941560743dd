#!/usr/bin/env bash
# The test command: starts the local infrastructure (scripts/infra.sh up: Docker engine, registry,
# staging and production hosts, Prometheus), runs every test with `mvn verify` (unit, workflow, CLI
# and integration tests against those real parts; the CLI and integration tests on the real Temporal
# dev server, bin/release-server), and stops the infrastructure again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/lib/prereqs.sh
need_java_and_maven

# validators for the files teams copy: GitHub workflows (npm registry) and docker-compose.yml (Debian)
apt_install docker-compose
# the scripts the engine sends to hosts are checked as POSIX sh (HostScriptsTest)
apt_install shellcheck
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
# the dashboard's browser test (DashboardBrowserIT): Chromium and its WebDriver, from Debian
apt_install chromium chromium-driver
tools="$root/.run/tools"
[ -x "$tools/node_modules/.bin/action-validator" ] ||
  npm install --prefix "$tools" --no-audit --no-fund --silent @action-validator/cli@0.6.0 @action-validator/core@0.6.0
export ACTION_VALIDATOR="$tools/node_modules/.bin/action-validator"

# the integration tests run on the real Temporal server (bin/release-server; built once, then cached)
. scripts/lib/temporal-tools.sh
temporal_cli >/dev/null
export RELEASE_TEST_SERVER=real

bash scripts/infra.sh up
trap 'bash scripts/infra.sh down' EXIT
. "${RELEASE_INFRA_DIR:-/var/tmp/release-engine-infra}/env"

mvn -B -ntp verify "$@"
